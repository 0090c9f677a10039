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
use crate::i18n::{Catalog, fill, plural, tr, use_i18n};
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

/// Where a problem is: `content/topics/flu.en.md:14`, or the file alone.
fn location(problem: &ContentProblem) -> String {
    match problem.line {
        Some(line) => format!("{}:{line}", problem.file),
        None => problem.file.clone(),
    }
}

/// What the empty list of missed searches means.
fn no_misses_text(reporting: Option<bool>, t: &Catalog) -> String {
    if reporting == Some(false) {
        t.no_misses_recorded.to_owned()
    } else {
        fill(t.no_misses_yet, MIN_COUNT_SHOWN)
    }
}

/// `/console/content`.
#[component]
pub fn ContentPage() -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
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
        <PageHeading text=move || section_title(Section::Content, i18n.t()).to_owned() />
        <p>{tr(|t| t.content_intro)}</p>
        <section aria-labelledby="content-status">
            <h2 id="content-status">{tr(|t| t.education_content)}</h2>
            {move || match status_state.get() {
                Loaded::Loading => view! { <Loading text={|t| t.loading_content} /> }.into_any(),
                Loaded::Failed(error) => view! {
                    <div class="load-error">
                        <p>{move || fill(i18n.t().content_failed, error.text(i18n.lang()))}</p>
                        <button type="button" on:click=move |_| status.refetch()>
                            {tr(|t| t.try_again)}
                            <span class="visually-hidden">{tr(|t| t.try_again_content)}</span>
                        </button>
                    </div>
                }
                .into_any(),
                Loaded::Ready(status) => view! { <PacksServed status /> }.into_any(),
            }}
        </section>
        <section aria-labelledby="search-misses">
            <h2 id="search-misses">{tr(|t| t.what_patients_look_for)}</h2>
            <p>{move || fill(i18n.t().misses_intro, MIN_COUNT_SHOWN)}</p>
            {move || {
                (reporting.get() == Some(false))
                    .then(|| {
                        view! {
                            <p class="notice">
                                {tr(|t| t.misses_off)} " "
                                <code>"report_missed_searches = true"</code> " "
                                {tr(|t| t.misses_off_under)} " " <code>"[content]"</code> " "
                                {tr(|t| t.misses_off_in)} " " <code>"haven.toml"</code> " "
                                {tr(|t| t.misses_off_restart)}
                            </p>
                        }
                    })
            }}
            {move || match misses_state.get() {
                Loaded::Loading => view! { <Loading text={|t| t.loading_misses} /> }.into_any(),
                Loaded::Failed(error) => view! {
                    <div class="load-error">
                        <p>{move || fill(i18n.t().misses_failed, error.text(i18n.lang()))}</p>
                        <button type="button" on:click=move |_| misses.refetch()>
                            {tr(|t| t.try_again)}
                            <span class="visually-hidden">{tr(|t| t.try_again_misses)}</span>
                        </button>
                    </div>
                }
                .into_any(),
                Loaded::Ready(misses) if misses.is_empty() => {
                    view! { <p>{move || no_misses_text(reporting.get(), i18n.t())}</p> }.into_any()
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
            {tr(|t| t.packs_loaded)} " " <Timestamp millis=Some(loaded_at) /> ". "
            {tr(|t| t.packs_fallback)}
        </p>
        <div class="table-scroll" role="region" aria-labelledby="packs-caption" tabindex="0">
            <table>
                <caption id="packs-caption">{tr(|t| t.packs_caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(|t| t.language_column)}</th>
                        <th scope="col">{tr(|t| t.version)}</th>
                        <th scope="col" class="number">{tr(|t| t.topics)}</th>
                        <th scope="col" class="number">{tr(|t| t.shown_in_other_language)}</th>
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
    let i18n = use_i18n();
    view! {
        <tr>
            <th scope="row">{move || lang_label(pack.lang, i18n.t())}</th>
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
    let i18n = use_i18n();
    let count = errors.len() as u64;
    let errors_found = move || {
        let t = i18n.t();
        fill(t.refused_errors, plural(count, t.errors_one, t.errors_many))
    };
    view! {
        <div class="alert" role="group" aria-labelledby="refused-heading">
            <h3 id="refused-heading">{tr(|t| t.refused_heading)}</h3>
            <p>
                {tr(|t| t.refused_checked)} " (" <Timestamp millis=Some(at) /> "): "
                {errors_found} " " {tr(|t| t.refused_fix)}
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
            <h3>{tr(|t| t.warnings)}</h3>
            <p>{tr(|t| t.no_warnings)}</p>
        }
        .into_any();
    }
    let count = warnings.len();
    view! {
        <h3>{tr(|t| t.warnings)} " (" {count} ")"</h3>
        <p>{tr(|t| t.warnings_intro)}</p>
        <div class="table-scroll" role="region" aria-labelledby="warnings-caption" tabindex="0">
            <table>
                <caption id="warnings-caption">{tr(|t| t.warnings_caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(|t| t.file)}</th>
                        <th scope="col">{tr(|t| t.line)}</th>
                        <th scope="col">{tr(|t| t.field)}</th>
                        <th scope="col">{tr(|t| t.what_to_fix)}</th>
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
    let i18n = use_i18n();
    let line = warning.line;
    let line = move || line.map_or_else(|| i18n.t().none.to_owned(), |line| line.to_string());
    let field = if warning.field.is_empty() {
        tr(|t| t.whole_file).into_any()
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
    let i18n = use_i18n();
    let count = misses.len();
    let caption = move || fill(i18n.t().misses_caption, count);
    view! {
        <div class="table-scroll" role="region" aria-labelledby="misses-caption" tabindex="0">
            <table>
                <caption id="misses-caption">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(|t| t.language_column)}</th>
                        <th scope="col">{tr(|t| t.query)}</th>
                        <th scope="col" class="number">{tr(|t| t.times_found_nothing)}</th>
                        <th scope="col">{tr(|t| t.last_seen)}</th>
                    </tr>
                </thead>
                <tbody>
                    {misses
                        .into_iter()
                        .map(|miss| {
                            view! {
                                <tr>
                                    <td>{move || lang_label(miss.lang, i18n.t())}</td>
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
    fn an_empty_list_of_missed_searches_says_why() {
        let en = crate::i18n::catalog(haven_api::lang::Lang::En);
        assert_eq!(
            no_misses_text(Some(true), en),
            "No search has been missed 5 times yet."
        );
        assert_eq!(no_misses_text(None, en), no_misses_text(Some(true), en));
        assert_eq!(
            no_misses_text(Some(false), en),
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
