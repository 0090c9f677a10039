//! The timeline: everything in the record, newest first, filtered by kind, dates and a
//! search as the patient types; a page of entries at a time so a record of thousands stays
//! quick. Above it: where the record lives, the backup reminder, what to add, and the
//! medications currently taken.

use haven_api::record::summary::currently_taking;
use haven_api::record::{Date, Entry, Kind};
use leptos::prelude::*;

use super::data::{Filter, keys, matching, use_record};
use super::describe::{entry_detail, entry_title, kind_name, when_text};
use super::{Page, follow, now_ms, t, today, use_state};
use crate::i18n::fill;

/// Entries shown per page of the timeline.
const PAGE: usize = 50;

/// Kinds grouped as the "Add" menu shows them.
const ADD_GROUPS: [&[Kind]; 4] = [
    &[
        Kind::BloodPressure,
        Kind::Glucose,
        Kind::Weight,
        Kind::Height,
        Kind::Temperature,
        Kind::HeartRate,
        Kind::OxygenSaturation,
        Kind::Mood,
    ],
    &[
        Kind::Condition,
        Kind::Medication,
        Kind::Allergy,
        Kind::Vaccination,
    ],
    &[Kind::VisitNote, Kind::Question, Kind::Document],
    &[Kind::Emergency],
];

/// The timeline page.
#[component]
pub fn TimelinePage() -> impl IntoView {
    let record = use_record();
    let filter = RwSignal::new(Filter::default());
    let shown = RwSignal::new(PAGE);
    // Positions of the matching entries (the entries themselves stay in one place).
    let matches = Memo::new(move |_| {
        filter.with(|filter| {
            record.entries.with(|entries| {
                record
                    .search_text
                    .with(|texts| matching(entries, texts, filter))
            })
        })
    });
    let filtered = move || filter.with(|filter| !filter.is_empty());
    let query = move || filter.with(|filter| filter.query.clone());
    let kind = move || filter.with(|filter| filter.kind);
    let set = move |change: fn(&mut Filter, String)| {
        move |event: leptos::ev::Event| {
            filter.update(|filter| change(filter, event_target_value(&event)));
            shown.set(PAGE);
        }
    };
    view! {
        <h1 tabindex="-1">{move || t().heading}</h1>
        <p class="notice">{move || t().on_device}</p>
        <BackupReminder/>
        <AddMenu/>
        <CurrentMedications/>
        <section aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">{move || t().timeline_heading}</h2>
            <search class="record-filters">
                <div class="field">
                    <label for="record-query">{move || t().search_label}</label>
                    <input id="record-query" type="search" autocomplete="off" spellcheck="false"
                        aria-describedby="record-query-hint" prop:value=query
                        on:input=set(|filter, text| filter.query = text)/>
                    <p id="record-query-hint" class="hint">{move || t().search_hint}</p>
                </div>
                <div class="field">
                    <label for="record-kind">{move || t().filter_kind}</label>
                    <select id="record-kind" on:change=set(|filter, name| filter.kind = Kind::parse(&name))>
                        <option value="" selected=move || kind().is_none()>{move || t().filter_all}</option>
                        {Kind::ALL.iter().map(|k| {
                            let k = *k;
                            view! { <option value=k.as_str() selected=move || kind() == Some(k)>{move || kind_name(k)}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="record-from">{move || t().filter_from}</label>
                    <input id="record-from" type="date" on:change=set(|filter, text| filter.from = Date::parse(&text))/>
                </div>
                <div class="field">
                    <label for="record-to">{move || t().filter_to}</label>
                    <input id="record-to" type="date" on:change=set(|filter, text| filter.to = Date::parse(&text))/>
                </div>
            </search>
            <p role="status" class="muted">{move || {
                let count = matches.with(Vec::len);
                if !record.complete.get() {
                    t().reading_record.to_owned()
                } else if count == 0 && !filtered() {
                    t().empty_record.to_owned()
                } else if count == 0 {
                    t().no_matches.to_owned()
                } else {
                    fill(if filtered() { t().matches_count } else { t().entries_count }, &count.to_string())
                }
            }}</p>
            <ol class="timeline">
                {move || {
                    let limit = shown.get();
                    record.entries.with(|entries| {
                        matches.with(|matches| {
                            matches.iter().take(limit).filter_map(|at| entries.get(*at)).map(|entry| {
                                view! { <TimelineRow entry=entry.clone()/> }
                            }).collect_view()
                        })
                    })
                }}
            </ol>
            {move || (matches.with(Vec::len) > shown.get()).then(|| view! {
                <button type="button" on:click=move |_| shown.update(|n| *n += PAGE)>
                    {move || fill(t().show_more, &PAGE.min(matches.with(Vec::len) - shown.get()).to_string())}
                </button>
            })}
        </section>
    }
}

/// One entry in the timeline.
#[component]
fn TimelineRow(entry: Entry) -> impl IntoView {
    let state = use_state();
    let page = Page::Entry(entry.id.clone());
    let href = page.path();
    let title = entry_title(&entry);
    let detail = entry_detail(&entry);
    let when = when_text(state.tag, entry.date);
    let datetime = entry.date.to_string();
    view! {
        <li class="timeline-row">
            <time datetime=datetime>{when}</time>
            <span class="kind-tag">{kind_name(entry.kind)}</span>
            <a href=href on:click=follow(page)>{title}</a>
            {(!detail.is_empty()).then(|| view! { <span class="muted">{detail}</span> })}
        </li>
    }
}

/// The "Add to your record" menu.
#[component]
fn AddMenu() -> impl IntoView {
    view! {
        <section aria-labelledby="add-heading" class="add-menu">
            <h2 id="add-heading">{move || t().add_heading}</h2>
            {ADD_GROUPS.iter().enumerate().map(|(group, kinds)| view! {
                <div class="add-group">
                    <h3>{move || t().add_groups[group]}</h3>
                    <ul>
                        {kinds.iter().map(|kind| {
                            let page = Page::Add(*kind);
                            let href = page.path();
                            let kind = *kind;
                            view! { <li><a href=href on:click=follow(page)>{move || kind_name(kind)}</a></li> }
                        }).collect_view()}
                    </ul>
                </div>
            }).collect_view()}
        </section>
    }
}

/// The medications taken today.
#[component]
fn CurrentMedications() -> impl IntoView {
    let record = use_record();
    let current = Memo::new(move |_| {
        record.entries.with(|entries| {
            currently_taking(entries, today())
                .into_iter()
                .cloned()
                .collect::<Vec<Entry>>()
        })
    });
    view! {
        <section aria-labelledby="current-heading">
            <h2 id="current-heading">{move || t().currently_taking}</h2>
            {move || {
                let list = current.get();
                if list.is_empty() {
                    view! { <p class="muted">{t().no_current_medications}</p> }.into_any()
                } else {
                    view! {
                        <ul class="current-medications">
                            {list.into_iter().map(|entry| {
                                let page = Page::Entry(entry.id.clone());
                                let href = page.path();
                                let title = entry_title(&entry);
                                let detail = entry_detail(&entry);
                                view! { <li><a href=href on:click=follow(page)>{title}</a>" "<span class="muted">{detail}</span></li> }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// Reminds the patient to make a backup when changes older than their chosen number of
/// days are in no backup.
#[component]
fn BackupReminder() -> impl IntoView {
    let record = use_record();
    let state = use_state();
    let settings = LocalResource::new(move || async move {
        let vault = record.vault()?;
        let days = vault
            .get_setting(keys::REMINDER_DAYS)
            .await
            .ok()
            .flatten()
            .and_then(|d| d.parse::<i64>().ok())
            .unwrap_or(14);
        let last = vault
            .get_setting(keys::LAST_BACKUP)
            .await
            .ok()
            .flatten()
            .and_then(|d| d.parse::<i64>().ok())
            .unwrap_or(0);
        Some((days, last))
    });
    let oldest_unsaved = move || {
        let (days, last) = settings.get().flatten()?;
        if days <= 0 {
            return None;
        }
        let oldest = record.entries.with(|entries| {
            entries
                .iter()
                .map(|entry| entry.updated_at)
                .filter(|at| *at > last)
                .min()
        })?;
        (now_ms() - oldest > days * 86_400_000).then_some(oldest)
    };
    move || {
        oldest_unsaved().map(|oldest| {
            let page = Page::Backup;
            let href = page.path();
            view! {
                <div class="banner banner-warning" role="note">
                    <p>{fill(t().backup_reminder, &crate::intl::date_time(state.tag, oldest as f64))}</p>
                    <a href=href on:click=follow(page)>{t().make_backup}</a>
                </div>
            }
        })
    }
}
