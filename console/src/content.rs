//! The Content page (educators and admins): the education packs patients get now, what is
//! worth fixing in them, a change to the files that was not published because of its errors,
//! and "what patients look for", the searches in the widget that found no topic.

use haven_api::insights::{
    ContentProblem, ContentStatus, MIN_COUNT_SHOWN, PackStatus, RefusedChange, SearchMiss,
};
use haven_api::staff::Section;
use leptos::prelude::*;

use crate::api;
use crate::auth::use_session;
use crate::format::{Timestamp, lang_label};
use crate::layout::{Loading, PageHeading};
use crate::routes::section_title;

/// A read as the page shows it.
#[derive(Debug, Clone, PartialEq)]
enum Loaded<T> {
    Loading,
    Failed(api::Error),
    Ready(T),
}

impl<T: Clone> Loaded<T> {
    /// The state of a resource's value.
    fn of(value: &Option<Result<T, api::Error>>) -> Loaded<T> {
        match value {
            None => Loaded::Loading,
            Some(Err(error)) => Loaded::Failed(error.clone()),
            Some(Ok(value)) => Loaded::Ready(value.clone()),
        }
    }
}

/// `n thing` or `n things`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Where a problem is: `content/topics/flu.en.md:14`, or the file alone.
fn location(problem: &ContentProblem) -> String {
    match problem.line {
        Some(line) => format!("{}:{line}", problem.file),
        None => problem.file.clone(),
    }
}

/// What the empty list of missed searches means.
fn no_misses_text(reporting: Option<bool>) -> String {
    if reporting == Some(false) {
        "No missed searches are recorded.".to_owned()
    } else {
        format!("No search has been missed {MIN_COUNT_SHOWN} times yet.")
    }
}

/// `/console/content`.
#[component]
pub fn ContentPage() -> impl IntoView {
    let session = use_session();
    let status = LocalResource::new(move || session.guard(session.reader().content_status()));
    let misses = LocalResource::new(move || session.guard(session.reader().search_misses()));
    let status_state = Memo::new(move |_| status.with(Loaded::of));
    let misses_state = Memo::new(move |_| misses.with(Loaded::of));
    // Known once the status has loaded.
    let reporting = Signal::derive(move || match status_state.get() {
        Loaded::Ready(status) => Some(status.report_missed_searches),
        _ => None,
    });
    view! {
        <PageHeading text=section_title(Section::Content) />
        <p>
            "The education topics patients read in the widget, as the server has them now, and "
            "the searches in the widget that found no topic."
        </p>
        <section aria-labelledby="content-status">
            <h2 id="content-status">"Education content"</h2>
            {move || match status_state.get() {
                Loaded::Loading => view! { <Loading what="the content status" /> }.into_any(),
                Loaded::Failed(error) => view! {
                    <div class="load-error">
                        <p>"The content status could not be loaded. " {error.to_string()}</p>
                        <button type="button" on:click=move |_| status.refetch()>
                            "Try again"
                            <span class="visually-hidden">" to load the content status"</span>
                        </button>
                    </div>
                }
                .into_any(),
                Loaded::Ready(status) => view! { <PacksServed status /> }.into_any(),
            }}
        </section>
        <section aria-labelledby="search-misses">
            <h2 id="search-misses">"What patients look for"</h2>
            <p>
                "Searches in the widget that found no topic, so you can see which topics "
                "patients miss. Only searches that found nothing at least " {MIN_COUNT_SHOWN}
                " times are shown, so a rare search that might tell who made it never appears. "
                "Queries are kept folded (lower case, without accents) and carry nothing that "
                "identifies a patient: no name, address or session. Searches with crisis "
                "language, such as self-harm, are never recorded."
            </p>
            {move || {
                (reporting.get() == Some(false))
                    .then(|| {
                        view! {
                            <p class="notice">
                                "This clinic does not record missed searches. To turn it on, "
                                "set " <code>"report_missed_searches = true"</code> " under "
                                <code>"[content]"</code> " in " <code>"haven.toml"</code>
                                " and restart the server."
                            </p>
                        }
                    })
            }}
            {move || match misses_state.get() {
                Loaded::Loading => view! { <Loading what="missed searches" /> }.into_any(),
                Loaded::Failed(error) => view! {
                    <div class="load-error">
                        <p>"The missed searches could not be loaded. " {error.to_string()}</p>
                        <button type="button" on:click=move |_| misses.refetch()>
                            "Try again"
                            <span class="visually-hidden">" to load the missed searches"</span>
                        </button>
                    </div>
                }
                .into_any(),
                Loaded::Ready(misses) if misses.is_empty() => {
                    view! { <p>{move || no_misses_text(reporting.get())}</p> }.into_any()
                }
                Loaded::Ready(misses) => view! { <MissesTable misses /> }.into_any(),
            }}
        </section>
    }
}

/// The packs being served, a refused change, and the warnings.
#[component]
fn PacksServed(status: ContentStatus) -> impl IntoView {
    let ContentStatus {
        packs,
        loaded_at,
        warnings,
        refused,
        ..
    } = status;
    view! {
        {refused.map(|refused| view! { <Refused refused /> })}
        <p>
            "Patients get these packs, loaded " <Timestamp millis=Some(loaded_at) />
            ". A topic not yet translated into a language is shown in another language."
        </p>
        <div class="table-scroll" role="region" aria-labelledby="packs-caption" tabindex="0">
            <table>
                <caption id="packs-caption">"Packs being served"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Language"</th>
                        <th scope="col">"Version"</th>
                        <th scope="col" class="number">"Topics"</th>
                        <th scope="col" class="number">"Shown in another language"</th>
                    </tr>
                </thead>
                <tbody>
                    {packs.into_iter().map(|pack| view! { <PackRow pack /> }).collect_view()}
                </tbody>
            </table>
        </div>
        <Warnings warnings />
    }
}

#[component]
fn PackRow(pack: PackStatus) -> impl IntoView {
    view! {
        <tr>
            <th scope="row">{lang_label(pack.lang)}</th>
            <td>
                <code>{pack.version}</code>
            </td>
            <td class="number">{pack.topics}</td>
            <td class="number">{pack.fallbacks}</td>
        </tr>
    }
}

/// "Your last change was not published": the errors that keep the changed files from being
/// served.
#[component]
fn Refused(refused: RefusedChange) -> impl IntoView {
    let RefusedChange { at, errors } = refused;
    let errors_found = count(errors.len(), "error", "errors");
    view! {
        <div class="alert" role="group" aria-labelledby="refused-heading">
            <h3 id="refused-heading">"Your last change was not published"</h3>
            <p>
                "The content files changed, and when they were checked (" <Timestamp millis=Some(at) />
                ") they had " {errors_found} ". Patients still get the packs below. Fix these "
                "and save the files: the server checks them again every few seconds and publishes "
                "them once they have no errors."
            </p>
            <ul class="problems">
                {errors
                    .into_iter()
                    .map(|error| {
                        let field = (!error.field.is_empty()).then(|| format!(" {}", error.field));
                        view! {
                            <li>
                                <code>{location(&error)}</code>
                                {field}
                                ": "
                                {error.message}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}

#[component]
fn Warnings(warnings: Vec<ContentProblem>) -> impl IntoView {
    if warnings.is_empty() {
        return view! {
            <h3>"Warnings"</h3>
            <p>"There are no warnings in the content being served."</p>
        }
        .into_any();
    }
    let heading = format!("Warnings ({})", warnings.len());
    view! {
        <h3>{heading}</h3>
        <p>
            "The content works, but these are worth fixing: a review that is due, a missing "
            "translation, text that is hard to read."
        </p>
        <div class="table-scroll" role="region" aria-labelledby="warnings-caption" tabindex="0">
            <table>
                <caption id="warnings-caption">"Warnings, by file"</caption>
                <thead>
                    <tr>
                        <th scope="col">"File"</th>
                        <th scope="col">"Line"</th>
                        <th scope="col">"Field"</th>
                        <th scope="col">"What to fix"</th>
                    </tr>
                </thead>
                <tbody>
                    {warnings
                        .into_iter()
                        .map(|warning| view! { <WarningRow warning /> })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn WarningRow(warning: ContentProblem) -> impl IntoView {
    let line = warning
        .line
        .map_or_else(|| "None".to_owned(), |line| line.to_string());
    let field = if warning.field.is_empty() {
        view! { "Whole file" }.into_any()
    } else {
        view! { <code>{warning.field}</code> }.into_any()
    };
    view! {
        <tr>
            <th scope="row">
                <code>{warning.file}</code>
            </th>
            <td>{line}</td>
            <td>{field}</td>
            <td>{warning.message}</td>
        </tr>
    }
}

#[component]
fn MissesTable(misses: Vec<SearchMiss>) -> impl IntoView {
    let caption = format!(
        "Searches that found nothing, most frequent first ({})",
        misses.len()
    );
    view! {
        <div class="table-scroll" role="region" aria-labelledby="misses-caption" tabindex="0">
            <table>
                <caption id="misses-caption">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Language"</th>
                        <th scope="col">"Query"</th>
                        <th scope="col" class="number">"Times found nothing"</th>
                        <th scope="col">"Last seen"</th>
                    </tr>
                </thead>
                <tbody>
                    {misses
                        .into_iter()
                        .map(|miss| {
                            view! {
                                <tr>
                                    <td>{lang_label(miss.lang)}</td>
                                    // The query is in the patient's language, for screen readers.
                                    <th scope="row" lang=miss.lang.tag()>
                                        {miss.query}
                                    </th>
                                    <td class="number">{miss.count}</td>
                                    <td>
                                        <Timestamp millis=Some(miss.last_seen) />
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(line: Option<u32>) -> ContentProblem {
        ContentProblem {
            file: "content/topics/flu.en.md".into(),
            line,
            field: "body".into(),
            message: "HTML is not allowed".into(),
        }
    }

    #[test]
    fn a_problem_is_located_by_file_and_line() {
        assert_eq!(location(&problem(Some(14))), "content/topics/flu.en.md:14");
        assert_eq!(location(&problem(None)), "content/topics/flu.en.md");
    }

    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(count(1, "error", "errors"), "1 error");
        assert_eq!(count(3, "error", "errors"), "3 errors");
    }

    #[test]
    fn an_empty_list_of_missed_searches_says_why() {
        assert_eq!(
            no_misses_text(Some(true)),
            "No search has been missed 5 times yet."
        );
        assert_eq!(no_misses_text(None), no_misses_text(Some(true)));
        assert_eq!(
            no_misses_text(Some(false)),
            "No missed searches are recorded."
        );
    }

    #[test]
    fn a_read_shows_loading_then_its_value_or_error() {
        assert_eq!(Loaded::<u8>::of(&None), Loaded::Loading);
        assert_eq!(Loaded::of(&Some(Ok(3u8))), Loaded::Ready(3));
        let error = api::Error::Network("offline".into());
        assert_eq!(
            Loaded::<u8>::of(&Some(Err(error.clone()))),
            Loaded::Failed(error)
        );
    }
}
