//! The Learn pages.

use std::collections::HashSet;
use std::rc::Rc;

use haven_api::content::GROUPS;
use haven_api::fold::fold;
use haven_api::lang::Lang;
use leptos::prelude::*;

use super::checks::Check;
use super::pack::{Content, Library, Status, use_content};
use super::{Page, follow, open_crisis, t, use_learn};
use crate::clinic::{Clinic, tel_href, use_clinic};
use crate::i18n::fill;
use crate::ui::{CrisisPanel, Section};

/// The Learn app: the help button, the crisis panel when open, and the current page.
#[component]
pub fn LearnApp() -> impl IntoView {
    let state = use_learn();
    // Which kind of page, so that moving between topics keeps the topic chunk's view.
    let kind = Memo::new(move |_| match state.page.get() {
        Page::Home => Kind::Home,
        Page::Elsewhere => Kind::Elsewhere,
        Page::Topic(_) | Page::Check(_) => Kind::Inner,
    });
    view! {
        <div class="learn">
            <HelpBar/>
            // The home shows the pack's state under its search box, where the results go.
            <Show when=move || kind.get() != Kind::Home>
                <PackStatus/>
            </Show>
            {move || match kind.get() {
                Kind::Home => view! { <Home/> }.into_any(),
                // The shell is about to remove the section.
                Kind::Elsewhere => ().into_any(),
                // Topics and self-checks are a chunk of their own: Learn's home (the search)
                // is ready without their code.
                Kind::Inner => {
                    crate::ui::load_stylesheet(option_env!("HAVEN_CSS_LEARN_PAGES"));
                    view! {
                    <Section load=super::pages::section>
                        <BackLink/>
                        <h1 tabindex="-1">{t().heading}</h1>
                    </Section>
                }.into_any()
                }
            }}
        </div>
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Home,
    Inner,
    Elsewhere,
}

/// Whether the education pack is loading or could not be loaded (with a retry).
#[component]
fn PackStatus() -> impl IntoView {
    let content = use_content();
    move || match content.status() {
        Status::Ready => None,
        Status::Loading => {
            Some(view! { <p class="muted" role="status">{t().loading}</p> }.into_any())
        }
        Status::Failed => Some(
            view! {
                <div class="banner banner-warning" role="alert">
                    <p>{t().unavailable}</p>
                    <button type="button" on:click=move |_| content.load()>{t().retry}</button>
                </div>
            }
            .into_any(),
        ),
    }
}

/// "Get help now", on every Learn page, and the crisis panel it opens, at the top where it
/// cannot be missed.
#[component]
fn HelpBar() -> impl IntoView {
    let state = use_learn();
    let clinic = use_clinic();
    view! {
        <div class="help-bar">
            <button type="button" class="help-now" aria-expanded=move || state.crisis.get().to_string()
                on:click=move |_| if state.crisis.get_untracked() { state.crisis.set(false) } else { open_crisis(state) }>
                {move || if state.crisis.get() { t().hide_help } else { t().help_now }}
            </button>
        </div>
        {move || state.crisis.get().then(|| clinic.config().map(|config| view! {
            <CrisisPanel lines=config.crisis_lines emergency_number=config.clinic.emergency_number/>
        }))}
    }
}

/// The Learn home: search as you type, then browse by group and the self-checks.
#[component]
fn Home() -> impl IntoView {
    let state = use_learn();
    let content = use_content();
    let clinic = use_clinic();
    let initial = query_param();
    let query = RwSignal::new(initial);
    // A search typed with self-harm language opens the crisis panel; focus moves to it once
    // the patient pauses, so typing is not cut off mid-word.
    let pause = StoredValue::new(None::<leptos::leptos_dom::helpers::TimeoutHandle>);
    let on_input = move |event: leptos::ev::Event| {
        let value = event_target_value(&event);
        remember_query(&value);
        query.set(value.clone());
        if let Some(handle) = pause.get_value() {
            handle.clear();
        }
        if haven_api::crisis::detect(&value).is_some() {
            state.crisis.set(true);
            let handle =
                set_timeout_with_handle(super::focus_crisis, std::time::Duration::from_millis(700));
            pause.set_value(handle.ok());
        } else {
            let lang = state.lang;
            let handle = set_timeout_with_handle(
                move || report_miss(clinic, content, lang, value),
                std::time::Duration::from_millis(2000),
            );
            pause.set_value(handle.ok());
        }
    };
    on_cleanup(move || {
        if let Some(handle) = pause.get_value() {
            handle.clear();
        }
    });
    let searching = move || !query.with(|q| q.trim().is_empty());
    view! {
        <h1 tabindex="-1">{t().heading}</h1>
        // The search first: on a phone it is in view as the panel opens.
        <search class="learn-search">
            <label for="learn-query">{t().search_label}</label>
            <input id="learn-query" type="search" autocomplete="off" spellcheck="false"
                aria-describedby="learn-query-hint" prop:value=query on:input=on_input/>
            <p id="learn-query-hint" class="hint">{t().search_hint}</p>
        </search>
        <PackStatus/>
        <p>{t().intro}</p>
        {move || {
            let library = content.library()?;
            searching().then(|| view! { <SearchResults library query/> })
        }}
        <Show when=move || !searching()>
            {move || content.library().map(|library| view! { <Browse library/> })}
            <SelfChecks/>
        </Show>
    }
}

/// The query kept in the address bar (`/learn?q=…`), so Back from a topic restores it.
fn query_param() -> String {
    let search = window().location().search().unwrap_or_default();
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()
        .and_then(|params| params.get("q"))
        .unwrap_or_default()
}

fn remember_query(query: &str) {
    let url = if query.is_empty() {
        "/learn".to_owned()
    } else {
        let params = web_sys::UrlSearchParams::new().ok();
        let encoded = params.map(|params| {
            params.set("q", query);
            String::from(params.to_string())
        });
        format!("/learn?{}", encoded.unwrap_or_default())
    };
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Tells the clinic, when it asked to know, that a search found nothing: the folded query
/// only, never a query with self-harm language, once per query per visit.
fn report_miss(clinic: Clinic, content: Content, lang: Lang, query: String) {
    let enabled = clinic
        .config_untracked()
        .is_some_and(|config| config.report_missed_searches);
    let folded: String = fold(query.trim())
        .chars()
        .take(haven_api::insights::MAX_QUERY_CHARS)
        .collect();
    if !enabled || folded.chars().count() < 3 || haven_api::crisis::detect(&query).is_some() {
        return;
    }
    let found = content
        .library_untracked()
        .map(|library| library.search(&query).hits.len());
    if found != Some(0) || !REPORTED.with_borrow_mut(|reported| reported.insert(folded.clone())) {
        return;
    }
    leptos::task::spawn_local(async move {
        let body = haven_api::insights::SearchMissReport {
            lang,
            query: folded,
        };
        if let Ok(json) = crate::api::to_json(&body) {
            // Counting is best effort: a lost report is not worth a retry.
            let _ = crate::api::post("/api/search-misses", &json).await;
        }
    });
}

thread_local! {
    static REPORTED: std::cell::RefCell<HashSet<String>> = Default::default();
}

#[component]
fn SearchResults(library: Rc<Library>, query: RwSignal<String>) -> impl IntoView {
    // The library in the arena, so the memo below may hold it.
    let library = StoredValue::new_local(library);
    let results = Memo::new(move |_| {
        query.with(|q| {
            library.with_value(|library| {
                let results = library.search(q);
                let terms: HashSet<String> = results.terms.iter().cloned().collect();
                let hits: Vec<(String, String, String, usize)> = results
                    .hits
                    .iter()
                    .map(|hit| {
                        let topic = &library.pack.topics[hit.doc];
                        (
                            topic.id.clone(),
                            topic.title.clone(),
                            topic.summary.clone(),
                            group_index(&topic.group),
                        )
                    })
                    .collect();
                (hits, terms)
            })
        })
    });
    view! {
        {move || {
            let (hits, terms) = results.get();
            let count = hits.len();
            let status = match count {
                0 => fill(t().no_results, query.get_untracked().trim()),
                1 => t().results_one.to_owned(),
                n => fill(t().results_count, &n.to_string()),
            };
            let terms = Rc::new(terms);
            view! {
                <p class="results-status" role="status">{status}</p>
                {(count == 0).then(|| view! { <NoResults/> })}
                <ul class="results">
                    {hits.into_iter().map(|(id, title, summary, group)| {
                        let url = Page::Topic(id).path();
                        view! {
                            <li>
                                <a href=url.clone() on:click=follow(url)>{highlight(&title, &terms)}</a>
                                <span class="result-group">{t().groups.get(group).copied().unwrap_or_default()}</span>
                                <p>{highlight(&summary, &terms)}</p>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
        }}
    }
}

/// What to do when a search finds nothing: general care advice and a way to ask the clinic.
#[component]
fn NoResults() -> impl IntoView {
    let clinic = use_clinic();
    view! {
        <div class="no-results">
            <p>{t().no_results_help}</p>
            {move || clinic.config().map(|config| {
                let number = config.clinic.emergency_number;
                view! {
                    <p><a class="call-button" href=tel_href(&number)>{fill(t().call_emergency, &number)}</a>
                    " " {t().care_levels[0]}</p>
                }
            })}
            <p><a href="/appointments" on:click=follow("/appointments".to_owned())>{t().ask_clinic}</a></p>
        </div>
    }
}

/// The words of `text`, those whose folded form matched the search marked.
fn highlight(text: &str, terms: &HashSet<String>) -> Vec<AnyView> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, plain: &mut String, out: &mut Vec<AnyView>| {
        if word.is_empty() {
            return;
        }
        if terms.contains(&fold(word)) {
            if !plain.is_empty() {
                out.push(std::mem::take(plain).into_any());
            }
            out.push(view! { <mark>{std::mem::take(word)}</mark> }.into_any());
        } else {
            plain.push_str(word);
            word.clear();
        }
    };
    for c in text.chars() {
        if haven_api::fold::is_word_char(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut plain, &mut out);
            plain.push(c);
        }
    }
    flush(&mut word, &mut plain, &mut out);
    if !plain.is_empty() {
        out.push(plain.into_any());
    }
    out
}

fn group_index(group: &str) -> usize {
    GROUPS
        .iter()
        .position(|g| *g == group)
        .unwrap_or(GROUPS.len() - 1)
}

/// Topics by condition group.
#[component]
fn Browse(library: Rc<Library>) -> impl IntoView {
    view! {
        <h2>{t().browse}</h2>
        {GROUPS.iter().enumerate().map(|(index, group)| {
            let topics: Vec<(String, String)> = library.pack.topics.iter()
                .filter(|topic| topic.group == *group)
                .map(|topic| (topic.id.clone(), topic.title.clone()))
                .collect();
            let heading = format!("group-{group}");
            let labelled_by = heading.clone();
            (!topics.is_empty()).then(move || view! {
                <section class="topic-group" aria-labelledby=labelled_by>
                    <h3 id=heading>{t().groups[index]}</h3>
                    <ul>
                        {topics.into_iter().map(|(id, title)| {
                            let url = Page::Topic(id).path();
                            view! { <li><a href=url.clone() on:click=follow(url)>{title}</a></li> }
                        }).collect_view()}
                    </ul>
                </section>
            })
        }).collect_view()}
    }
}

#[component]
fn SelfChecks() -> impl IntoView {
    view! {
        <section class="self-checks" aria-labelledby="self-checks-heading">
            <h2 id="self-checks-heading">{t().checks_heading}</h2>
            <p>{t().checks_intro}</p>
            <ul>
                {[(Check::Phq9, t().phq9_title, t().phq9_about), (Check::Gad7, t().gad7_title, t().gad7_about)]
                    .into_iter()
                    .map(|(check, title, about)| {
                        let url = Page::Check(check).path();
                        view! { <li><a href=url.clone() on:click=follow(url)>{title}</a><p>{about}</p></li> }
                    }).collect_view()}
            </ul>
        </section>
    }
}

/// A link back to the Learn home.
#[component]
pub(super) fn BackLink() -> impl IntoView {
    view! { <p class="back"><a href="/learn" on:click=follow("/learn".to_owned())>{t().all_topics}</a></p> }
}
