//! Learn's inner pages: a topic (its care card, red flags, sections and sources) and a
//! self-check. They are a chunk of their own, so Learn's home and its search are ready
//! without their code; the chunk loads when the patient first opens a topic or a check.

use std::rc::Rc;

use haven_api::content::{Block, SECTIONS, Span, Text, Topic};
use leptos::prelude::*;

use super::checks::{self, Check};
use super::pack::{Library, use_content};
use super::views::BackLink;
use super::{Page, follow, open_crisis, t, use_learn};
use crate::clinic::{tel_href, use_clinic};
use crate::i18n::fill;

/// The inner pages' catalogue in the patient's language.
fn pt() -> &'static super::text::PagesText {
    super::text::pages_text(use_learn().lang)
}

crate::split_section! {
    /// The inner pages' entry: loads their chunk and returns their builder.
    learn_pages: pub fn section() -> crate::ui::Build => page
}

/// The topic or self-check the address names, following it as the patient moves on.
fn page() -> AnyView {
    let state = use_learn();
    (move || match state.page.get() {
        Page::Topic(id) => view! { <TopicPage id/> }.into_any(),
        Page::Check(check) => view! { <CheckPage check/> }.into_any(),
        Page::Home | Page::Elsewhere => ().into_any(),
    })
    .into_any()
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
                <p role="alert">{pt().topic_missing}</p>
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
        (Some(by), Some(on)) => fill(pt().reviewed, &format!("{by}, {on}")),
        _ => pt().awaiting_review.to_owned(),
    };
    view! {
        <article class="topic" lang=shown_lang.tag()>
            <h1 tabindex="-1">{topic.title.clone()}</h1>
            {fallback.then(|| view! {
                <p class="note" lang=state.lang.tag()>{fill(pt().fallback_note, shown_lang.native_name())}</p>
            })}
            <p class="summary">{topic.summary.clone()}</p>
            <p class="note" lang=state.lang.tag()>{pt().not_diagnosis}</p>
            <CareCard care=topic.care.clone() appointment=appointment.clone()/>
            <RedFlags flags=topic.red_flags.clone()/>
            {topic.sections.iter().map(|section| {
                let index = SECTIONS.iter().position(|s| *s == section.kind).unwrap_or(0);
                view! {
                    <section>
                        <h2 lang=state.lang.tag()>{pt().sections[index]}</h2>
                        {section.blocks.iter().map(block).collect_view()}
                    </section>
                }
            }).collect_view()}
            <ul class="topic-actions" lang=state.lang.tag()>
                <li><a href=appointment.clone() on:click=follow(appointment)>{pt().topic_appointment}</a></li>
                {community.map(|url| view! {
                    <li><a href=url.clone() on:click=follow(url)>{pt().community_link}</a></li>
                })}
            </ul>
            {(!related.is_empty()).then(|| view! {
                <section lang=state.lang.tag()>
                    <h2>{pt().related}</h2>
                    <ul>
                        {related.into_iter().map(|(id, title)| {
                            let url = Page::Topic(id).path();
                            view! { <li><a href=url.clone() on:click=follow(url)>{title}</a></li> }
                        }).collect_view()}
                    </ul>
                </section>
            })}
            <section class="sources">
                <h2 lang=state.lang.tag()>{pt().sources}</h2>
                <ul>
                    {topic.sources.iter().map(|source| view! {
                        <li>
                            <a href=source.url.clone() target="_blank" rel="noopener noreferrer">
                                {source.title.clone()}
                                <span class="visually-hidden" lang=state.lang.tag()>{format!(" {}", pt().new_tab)}</span>
                            </a>
                            {format!(" ({})", source.publisher)}
                        </li>
                    }).collect_view()}
                </ul>
                <p class="muted" lang=state.lang.tag()>{reviewed}</p>
                <p class="muted" lang=state.lang.tag()>{fill(pt().next_review, &topic.next_review)}</p>
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
        <a href=appointment.clone() on:click=follow(appointment) lang=state.lang.tag()>{pt().request_appointment}</a>
    };
    view! {
        <section class="care-card" aria-labelledby="care-heading">
            <h2 id="care-heading" lang=state.lang.tag()>{pt().care_heading}</h2>
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
            <legend lang=state.lang.tag()>{pt().red_flags}</legend>
            <p class="hint" lang=state.lang.tag()>{pt().red_flags_hint}</p>
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
                        <p>{fill(pt().red_flag_alert, &number)}</p>
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
                {styled}<span class="visually-hidden">{format!(" {}", pt().new_tab)}</span>
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
        Check::Phq9 => &pt().phq9,
        Check::Gad7 => &pt().gad7,
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
        <p class="note">{pt().check_private}</p>
        <form class="self-check" on:submit=on_submit novalidate>
            {move || (submitted.get()).then(|| result().err()).flatten().map(|missing| {
                let list = missing.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
                view! { <p id="check-errors" class="form-error" role="alert" tabindex="-1">{fill(pt().check_missing, &list)}</p> }
            })}
            <p>{pt().check_stem}</p>
            {items.iter().enumerate().map(|(item, question)| {
                let name = format!("q{item}");
                let error_id = format!("q{item}-error");
                let unanswered = move || submitted.get() && answers.with(|a| a[item].is_none());
                view! {
                    <fieldset class="question" aria-describedby=move || unanswered().then(|| error_id.clone())>
                        <legend>{format!("{}. {}", item + 1, question)}</legend>
                        {move || unanswered().then(|| view! {
                            <p id=format!("q{item}-error") class="field-error">{pt().check_unanswered}</p>
                        })}
                        {pt().answers.iter().enumerate().map(|(value, label)| {
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
                <button type="submit">{pt().check_submit}</button>
                <button type="button" class="secondary" on:click=move |_| {
                    answers.set(vec![None; check.items()]);
                    submitted.set(false);
                }>{pt().check_reset}</button>
            </div>
        </form>
        {move || (submitted.get()).then(|| result().ok()).flatten().map(|score| {
            let band = check.band(score);
            let url = topic_url.clone();
            view! {
                <section id="check-result" class="check-result" tabindex="-1" aria-labelledby="check-result-heading">
                    <h2 id="check-result-heading">{pt().check_result}</h2>
                    <p class="score">{fill(pt().check_score, &format!("{score} / {}", check.max_score()))}
                        " · " <strong>{pt().severity[band]}</strong></p>
                    <p>{pt().next_steps[band]}</p>
                    <p class="note">{pt().check_disclaimer}</p>
                    <p><a href=url.clone() on:click=follow(url)>{pt().read_topic}</a>
                    " · " <a href="/appointments?reason=mental_health" on:click=follow("/appointments?reason=mental_health".to_owned())>{pt().request_appointment}</a></p>
                </section>
            }
        })}
    }
}
