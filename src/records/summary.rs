//! The printable summary (current conditions, medications, allergies, the latest
//! measurements, open questions) and the emergency card. The print stylesheet hides
//! everything else on the page.

use haven_api::record::entry::BloodType;
use haven_api::record::summary::{summarize, value_text};
use haven_api::record::{Entry, Kind, Payload};
use leptos::prelude::*;

use super::data::use_record;
use super::describe::{entry_detail, entry_title, kind_name, when_text};
use super::{Page, follow, t, today, use_state};
use crate::clinic::tel_href;

/// The printable summary page.
#[component]
pub fn SummaryPage() -> impl IntoView {
    let record = use_record();
    let state = use_state();
    view! {
        <h1 tabindex="-1">{t().summary_heading}</h1>
        <p class="muted">{move || crate::i18n::fill(t().summary_made, &when_text(state.tag, haven_api::record::When::Date(today())))}</p>
        <p class="no-print"><button type="button" on:click=move |_| { let _ = window().print(); }>{t().print}</button></p>
        {move || record.entries.with(|entries| {
            let summary = summarize(entries, today());
            let text = t();
            view! {
                <SummarySection heading=text.kinds_plural[0] empty=text.none_recorded entries=owned(&summary.conditions) with_date=false/>
                <SummarySection heading=text.kinds_plural[1] empty=text.none_recorded entries=owned(&summary.medications) with_date=false/>
                <SummarySection heading=text.kinds_plural[2] empty=text.none_recorded entries=owned(&summary.allergies) with_date=false/>
                <SummarySection heading=text.latest_measurements empty=text.none_recorded entries=owned(&summary.latest) with_date=true/>
                <SummarySection heading=text.open_questions empty=text.none_recorded entries=owned(&summary.open_questions) with_date=false/>
                {summary.emergency.cloned().map(|entry| view! { <EmergencyDetails entry/> })}
            }
        })}
    }
}

fn owned(entries: &[&Entry]) -> Vec<Entry> {
    entries.iter().map(|entry| (*entry).clone()).collect()
}

/// One list of the summary.
#[component]
fn SummarySection(
    heading: &'static str,
    empty: &'static str,
    entries: Vec<Entry>,
    with_date: bool,
) -> impl IntoView {
    let state = use_state();
    view! {
        <section class="summary-section">
            <h2>{heading}</h2>
            {if entries.is_empty() {
                view! { <p class="muted">{empty}</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {entries.into_iter().map(|entry| {
                            let mut line = if entry.kind.is_measurement() || entry.kind == Kind::Mood {
                                format!("{}: {}", kind_name(entry.kind), value_text(&entry, t().decimal_separator))
                            } else {
                                entry_title(&entry)
                            };
                            let detail = entry_detail(&entry);
                            if !detail.is_empty() {
                                line.push_str(" — ");
                                line.push_str(&detail);
                            }
                            let date = with_date.then(|| when_text(state.tag, entry.date));
                            view! { <li>{line}{date.map(|d| view! { " " <span class="muted">"("{d}")"</span> })}</li> }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// The emergency card page.
#[component]
pub fn EmergencyPage() -> impl IntoView {
    let record = use_record();
    let emergency = Memo::new(move |_| {
        record.entries.with(|entries| {
            entries
                .iter()
                .find(|entry| entry.kind == Kind::Emergency)
                .cloned()
        })
    });
    let key_facts = Memo::new(move |_| {
        record.entries.with(|entries| {
            let summary = summarize(entries, today());
            (
                summary
                    .conditions
                    .iter()
                    .map(|e| entry_title(e))
                    .collect::<Vec<_>>(),
                summary
                    .allergies
                    .iter()
                    .map(|e| titled_with_detail(e))
                    .collect::<Vec<_>>(),
                summary
                    .medications
                    .iter()
                    .map(|e| titled_with_detail(e))
                    .collect::<Vec<_>>(),
            )
        })
    });
    let edit = move || match emergency.get() {
        Some(entry) => Page::Entry(entry.id),
        None => Page::Add(Kind::Emergency),
    };
    view! {
        <h1 tabindex="-1">{t().emergency_heading}</h1>
        <p class="no-print">{t().emergency_intro}</p>
        <p class="no-print">
            <button type="button" on:click=move |_| { let _ = window().print(); }>{t().print}</button>
            " "
            {move || { let page = edit(); let href = page.path(); view! { <a href=href on:click=follow(page)>{t().edit_emergency}</a> } }}
        </p>
        <article class="emergency-card" aria-labelledby="card-heading">
            <h2 id="card-heading">{t().emergency_title}</h2>
            {move || emergency.get().map(|entry| view! { <EmergencyDetails entry/> })}
            {move || {
                let (conditions, allergies, medications) = key_facts.get();
                let text = t();
                view! {
                    <FactList heading=text.kinds_plural[0] items=conditions/>
                    <FactList heading=text.kinds_plural[2] items=allergies/>
                    <FactList heading=text.kinds_plural[1] items=medications/>
                }
            }}
        </article>
    }
}

/// "Penicillin (hives)", "Metformin (500 mg · twice a day)": the title, with its detail
/// when there is one.
fn titled_with_detail(entry: &Entry) -> String {
    let detail = entry_detail(entry);
    if detail.is_empty() {
        entry_title(entry)
    } else {
        format!("{} ({detail})", entry_title(entry))
    }
}

#[component]
fn FactList(heading: &'static str, items: Vec<String>) -> impl IntoView {
    view! {
        <h3>{heading}</h3>
        {if items.is_empty() {
            view! { <p>{t().none_recorded}</p> }.into_any()
        } else {
            view! { <ul>{items.into_iter().map(|item| view! { <li>{item}</li> }).collect_view()}</ul> }.into_any()
        }}
    }
}

/// Blood type, emergency contact and notes.
#[component]
fn EmergencyDetails(entry: Entry) -> impl IntoView {
    let Some(Payload::Emergency(details)) = entry.payload() else {
        return ().into_any();
    };
    let text = t();
    let blood = match details.blood_type {
        BloodType::Unknown => text.unknown.to_owned(),
        other => other.label().unwrap_or_default(),
    };
    let phone = details.contact_phone.clone();
    let href = tel_href(&phone);
    view! {
        <dl class="emergency-details">
            <dt>{text.blood_type}</dt>
            <dd>{blood}</dd>
            {(!details.contact_name.is_empty() || !phone.is_empty()).then(|| view! {
                <dt>{text.emergency_contact}</dt>
                <dd>
                    {details.contact_name.clone()}
                    {(!details.contact_relationship.is_empty()).then(|| format!(" ({})", details.contact_relationship))}
                    {(!phone.is_empty()).then(|| view! { " " <a href=href>{phone.clone()}</a> })}
                </dd>
            })}
            {(!details.notes.is_empty()).then(|| view! {
                <dt>{text.emergency_notes}</dt>
                <dd class="pre-line">{details.notes.clone()}</dd>
            })}
        </dl>
    }
    .into_any()
}
