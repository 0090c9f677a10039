//! The Learn pages.

use std::collections::HashSet;
use std::rc::Rc;

use haven_api::content::{Block, GROUPS, SECTIONS, Span, Text, Topic};
use haven_api::fold::fold;
use haven_api::lang::Lang;
use leptos::prelude::*;

use super::checks::{self, Check};
use super::pack::{Content, Library, Status, use_content};
use super::{Page, follow, open_crisis, t, use_learn};
use crate::clinic::{Clinic, tel_href, use_clinic};
use crate::i18n::fill;
use crate::ui::CrisisPanel;

/// The Learn app: the help button, the crisis panel when open, and the current page.
#[component]
pub fn LearnApp() -> impl IntoView {
    let state = use_learn();
    let content = use_content();
    view! {
        <div class="learn">
            <HelpBar/>
            {move || match content.status() {
                Status::Ready => None,
                Status::Loading => Some(view! { <p class="muted" role="status">{t().loading}</p> }.into_any()),
                Status::Failed => Some(view! {
                    <div class="banner banner-warning" role="alert">
                        <p>{t().unavailable}</p>
                        <button type="button" on:click=move |_| content.load()>{t().retry}</button>
                    </div>
                }.into_any()),
            }}
            {move || match state.page.get() {
                Page::Home => view! { <Home/> }.into_any(),
                // The shell is about to unmount this module.
                Page::Elsewhere => ().into_any(),
                Page::Topic(id) => view! { <TopicPage id/> }.into_any(),
                Page::Check(check) => view! { <CheckPage check/> }.into_any(),
            }}
        </div>
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
        <p>{t().intro}</p>
        <search class="learn-search">
            <label for="learn-query">{t().search_label}</label>
            <input id="learn-query" type="search" autocomplete="off" spellcheck="false"
                aria-describedby="learn-query-hint" prop:value=query on:input=on_input/>
            <p id="learn-query-hint" class="hint">{t().search_hint}</p>
        </search>
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
        if c.is_alphanumeric() {
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
fn BackLink() -> impl IntoView {
    view! { <p class="back"><a href="/learn" on:click=follow("/learn".to_owned())>{t().all_topics}</a></p> }
}

/// One topic.
#[component]
fn TopicPage(id: String) -> impl IntoView {
    let content = use_content();
    view! {
        <BackLink/>
        {move || content.library().map(|library| match library.topic(&id) {
            Some(topic) => view! { <TopicView topic=topic.clone() library=library.clone()/> }.into_any(),
            None => view! {
                <h1 tabindex="-1">{t().all_topics}</h1>
                <p role="alert">{t().topic_missing}</p>
            }.into_any(),
        })}
    }
}

#[component]
fn TopicView(topic: Topic, library: Rc<Library>) -> impl IntoView {
    let state = use_learn();
    let shown_lang = topic.lang;
    let fallback = shown_lang != state.lang;
    let related: Vec<(String, String)> = topic
        .related
        .iter()
        .filter_map(|id| library.topic(id))
        .map(|topic| (topic.id.clone(), topic.title.clone()))
        .collect();
    let appointment = format!(
        "/appointments?reason={}&topic={}",
        topic.appointment_reason.as_deref().unwrap_or(""),
        topic.id
    );
    let community = topic
        .community_group
        .as_ref()
        .map(|group| format!("/community?group={group}"));
    let reviewed = match (&topic.reviewed_by, &topic.reviewed_on) {
        (Some(by), Some(on)) => fill(t().reviewed, &format!("{by}, {on}")),
        _ => t().awaiting_review.to_owned(),
    };
    view! {
        <article class="topic" lang=shown_lang.tag()>
            <h1 tabindex="-1">{topic.title.clone()}</h1>
            {fallback.then(|| view! {
                <p class="note" lang=state.lang.tag()>{fill(t().fallback_note, shown_lang.native_name())}</p>
            })}
            <p class="summary">{topic.summary.clone()}</p>
            <p class="note" lang=state.lang.tag()>{t().not_diagnosis}</p>
            <CareCard care=topic.care.clone() appointment=appointment.clone()/>
            <RedFlags flags=topic.red_flags.clone()/>
            {topic.sections.iter().map(|section| {
                let index = SECTIONS.iter().position(|s| *s == section.kind).unwrap_or(0);
                view! {
                    <section>
                        <h2 lang=state.lang.tag()>{t().sections[index]}</h2>
                        {section.blocks.iter().map(block).collect_view()}
                    </section>
                }
            }).collect_view()}
            <ul class="topic-actions" lang=state.lang.tag()>
                <li><a href=appointment.clone() on:click=follow(appointment)>{t().topic_appointment}</a></li>
                {community.map(|url| view! {
                    <li><a href=url.clone() on:click=follow(url)>{t().community_link}</a></li>
                })}
            </ul>
            {(!related.is_empty()).then(|| view! {
                <section lang=state.lang.tag()>
                    <h2>{t().related}</h2>
                    <ul>
                        {related.into_iter().map(|(id, title)| {
                            let url = Page::Topic(id).path();
                            view! { <li><a href=url.clone() on:click=follow(url)>{title}</a></li> }
                        }).collect_view()}
                    </ul>
                </section>
            })}
            <section class="sources">
                <h2 lang=state.lang.tag()>{t().sources}</h2>
                <ul>
                    {topic.sources.iter().map(|source| view! {
                        <li>
                            <a href=source.url.clone() target="_blank" rel="noopener noreferrer">
                                {source.title.clone()}
                                <span class="visually-hidden" lang=state.lang.tag()>{format!(" {}", t().new_tab)}</span>
                            </a>
                            {format!(" ({})", source.publisher)}
                        </li>
                    }).collect_view()}
                </ul>
                <p class="muted" lang=state.lang.tag()>{reviewed}</p>
                <p class="muted" lang=state.lang.tag()>{fill(t().next_review, &topic.next_review)}</p>
            </section>
        </article>
    }
}

/// The three-level "when to seek care" card, at the top of every topic.
#[component]
fn CareCard(care: [Vec<Text>; 3], appointment: String) -> impl IntoView {
    let state = use_learn();
    let clinic = use_clinic();
    let [emergency, urgent, routine] = care;
    let level = move |index: usize, items: Vec<Text>, action: AnyView| {
        let class = [
            "care-level care-emergency",
            "care-level care-urgent",
            "care-level care-routine",
        ][index];
        view! {
            <div class=class>
                <h3 lang=state.lang.tag()>{t().care_levels[index]}</h3>
                <ul>{items.iter().map(|item| view! { <li>{spans(item)}</li> }).collect_view()}</ul>
                {action}
            </div>
        }
    };
    let call = move || {
        clinic.config().map(|config| {
            let number = config.clinic.emergency_number;
            view! { <a class="call-button" href=tel_href(&number) lang=state.lang.tag()>{fill(t().call_emergency, &number)}</a> }
        })
    };
    let book = view! {
        <a href=appointment.clone() on:click=follow(appointment) lang=state.lang.tag()>{t().request_appointment}</a>
    };
    view! {
        <section class="care-card" aria-labelledby="care-heading">
            <h2 id="care-heading" lang=state.lang.tag()>{t().care_heading}</h2>
            {level(0, emergency, call.into_any())}
            {level(1, urgent, book.into_any())}
            {level(2, routine, ().into_any())}
        </section>
    }
}

/// Red flags as a checklist: ticking any one shows the call-now alert.
#[component]
fn RedFlags(flags: Vec<Text>) -> impl IntoView {
    let state = use_learn();
    let clinic = use_clinic();
    let ticked = RwSignal::new(0usize);
    view! {
        <fieldset class="red-flags">
            <legend lang=state.lang.tag()>{t().red_flags}</legend>
            <p class="hint" lang=state.lang.tag()>{t().red_flags_hint}</p>
            {flags.iter().enumerate().map(|(index, flag)| {
                let id = format!("red-flag-{index}");
                view! {
                    <div class="check-row">
                        <input type="checkbox" id=id.clone()
                            on:change=move |event| {
                                let on = event_target_checked(&event);
                                ticked.update(|n| if on { *n += 1 } else { *n = n.saturating_sub(1) });
                            }/>
                        <label for=id>{spans(flag)}</label>
                    </div>
                }
            }).collect_view()}
            {move || (ticked.get() > 0).then(|| clinic.config().map(|config| {
                let number = config.clinic.emergency_number;
                view! {
                    <div class="red-flag-alert" role="alert" lang=state.lang.tag()>
                        <p>{fill(t().red_flag_alert, &number)}</p>
                        <a class="call-button" href=tel_href(&number)>{fill(t().call_emergency, &number)}</a>
                    </div>
                }
            }))}
        </fieldset>
    }
}

fn block(block: &Block) -> AnyView {
    let items = || {
        block
            .items
            .iter()
            .map(|item| view! { <li>{spans(item)}</li> })
            .collect_view()
    };
    match block.list {
        Block::BULLETS => view! { <ul>{items()}</ul> }.into_any(),
        Block::NUMBERED => view! { <ol>{items()}</ol> }.into_any(),
        _ => view! { <p>{block.items.iter().map(spans).collect_view()}</p> }.into_any(),
    }
}

/// A run of styled text as elements; text is always text, never HTML.
fn spans(text: &Text) -> Vec<AnyView> {
    text.iter().map(span).collect()
}

fn span(span: &Span) -> AnyView {
    let text = span.text.clone();
    let styled = match span.style {
        0 => text.into_any(),
        Span::STRONG => view! { <strong>{text}</strong> }.into_any(),
        Span::EMPHASIS => view! { <em>{text}</em> }.into_any(),
        _ => view! { <strong><em>{text}</em></strong> }.into_any(),
    };
    match span
        .href
        .as_deref()
        .filter(|href| href.starts_with("https://"))
    {
        Some(href) => view! {
            <a href=href.to_owned() target="_blank" rel="noopener noreferrer">
                {styled}<span class="visually-hidden">{format!(" {}", t().new_tab)}</span>
            </a>
        }
        .into_any(),
        None => styled,
    }
}

/// A self-check: one radio group per question, a result with its reading and next step,
/// and crisis help at once on a positive PHQ-9 item 9.
#[component]
fn CheckPage(check: Check) -> impl IntoView {
    let state = use_learn();
    let items: &'static [&'static str] = match check {
        Check::Phq9 => &t().phq9,
        Check::Gad7 => &t().gad7,
    };
    let title = match check {
        Check::Phq9 => t().phq9_title,
        Check::Gad7 => t().gad7_title,
    };
    let answers = RwSignal::new(vec![None::<u8>; check.items()]);
    let submitted = RwSignal::new(false);
    let result = move || checks::score(&answers.get());
    let topic_url = Page::Topic(check.topic().to_owned()).path();
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        submitted.set(true);
        request_animation_frame(|| {
            let target = document()
                .get_element_by_id("check-result")
                .or_else(|| document().get_element_by_id("check-errors"));
            if let Some(target) = target
                && let Ok(target) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(target)
            {
                let _ = target.focus();
            }
        });
    };
    view! {
        <BackLink/>
        <h1 tabindex="-1">{title}</h1>
        <p class="note">{t().check_private}</p>
        <form class="self-check" on:submit=on_submit novalidate>
            {move || (submitted.get()).then(|| result().err()).flatten().map(|missing| {
                let list = missing.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
                view! { <p id="check-errors" class="form-error" role="alert" tabindex="-1">{fill(t().check_missing, &list)}</p> }
            })}
            <p>{t().check_stem}</p>
            {items.iter().enumerate().map(|(item, question)| {
                let name = format!("q{item}");
                let error_id = format!("q{item}-error");
                let unanswered = move || submitted.get() && answers.with(|a| a[item].is_none());
                view! {
                    <fieldset class="question" aria-describedby=move || unanswered().then(|| error_id.clone())>
                        <legend>{format!("{}. {}", item + 1, question)}</legend>
                        {move || unanswered().then(|| view! {
                            <p id=format!("q{item}-error") class="field-error">{t().check_unanswered}</p>
                        })}
                        {t().answers.iter().enumerate().map(|(value, label)| {
                            let id = format!("q{item}-a{value}");
                            let value = value as u8;
                            let name = name.clone();
                            view! {
                                <div class="check-row">
                                    <input type="radio" id=id.clone() name=name
                                        prop:checked=move || answers.with(|a| a[item] == Some(value))
                                        on:change=move |_| {
                                            answers.update(|a| a[item] = Some(value));
                                            if check.is_crisis_answer(item, value) {
                                                open_crisis(state);
                                            }
                                        }/>
                                    <label for=id>{*label}</label>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                }
            }).collect_view()}
            <div class="form-actions">
                <button type="submit">{t().check_submit}</button>
                <button type="button" class="secondary" on:click=move |_| {
                    answers.set(vec![None; check.items()]);
                    submitted.set(false);
                }>{t().check_reset}</button>
            </div>
        </form>
        {move || (submitted.get()).then(|| result().ok()).flatten().map(|score| {
            let band = check.band(score);
            let url = topic_url.clone();
            view! {
                <section id="check-result" class="check-result" tabindex="-1" aria-labelledby="check-result-heading">
                    <h2 id="check-result-heading">{t().check_result}</h2>
                    <p class="score">{fill(t().check_score, &format!("{score} / {}", check.max_score()))}
                        " · " <strong>{t().severity[band]}</strong></p>
                    <p>{t().next_steps[band]}</p>
                    <p class="note">{t().check_disclaimer}</p>
                    <p><a href=url.clone() on:click=follow(url)>{t().read_topic}</a>
                    " · " <a href="/appointments?reason=mental_health" on:click=follow("/appointments?reason=mental_health".to_owned())>{t().request_appointment}</a></p>
                </section>
            }
        })}
    }
}
