//! Choosing record items to send, for other sections (an appointment request): the
//! [`RecordPicker`] and a read-only [`Preview`] of exactly what would leave the device.
//! [`ChooseFromRecord`] puts them together with the record's lock: a locked record asks for
//! the passphrase first.

use std::collections::{BTreeMap, BTreeSet};

use haven_api::record::{Entry, Kind};
use leptos::prelude::*;

use super::data::{Status, use_record};
use super::describe::{entry_title, kind_name, when_text};
use super::{t, use_state};
use crate::i18n::fill;
use crate::vault::LockState;

/// The record's items to choose from, with the preview, for another section: opens the record
/// if that section has not, and asks for the passphrase first when it is locked.
#[component]
pub fn ChooseFromRecord(
    /// The ids chosen.
    chosen: RwSignal<BTreeSet<String>>,
) -> impl IntoView {
    super::load_styles();
    if use_context::<super::RecordState>().is_none() {
        super::provide_record();
    }
    let record = use_record();
    move || match record.status.get() {
        Status::Opening => view! { <p class="muted" role="status">{t().opening}</p> }.into_any(),
        Status::Failed(_) => view! {
            <div class="banner banner-warning" role="alert"><p>{t().storage_failed}</p></div>
        }
        .into_any(),
        Status::Deleted => view! { <p role="status">{t().deleted_everything}</p> }.into_any(),
        Status::Ready if record.lock.get() == LockState::Locked => {
            view! { <super::views::UnlockForm/> }.into_any()
        }
        Status::Ready => {
            let entries = move || {
                chosen.with(|ids| {
                    record.entries.with(|all| {
                        all.iter()
                            .filter(|entry| ids.contains(&entry.id))
                            .cloned()
                            .collect::<Vec<Entry>>()
                    })
                })
            };
            view! {
                <RecordPicker chosen/>
                {move || view! { <Preview entries=entries() to_clinic=true/> }}
            }
            .into_any()
        }
    }
}

/// Up to this many items, the preview lists each one.
const PREVIEW_ITEMS: usize = 100;

/// Choosing record items: a checkbox per entry, filterable by kind, with "all" and "none".
/// Other sections (an appointment request) use it to choose what to send.
#[component]
pub fn RecordPicker(
    /// The ids chosen.
    chosen: RwSignal<BTreeSet<String>>,
) -> impl IntoView {
    let record = use_record();
    let state = use_state();
    let kind = RwSignal::new(None::<Kind>);
    let visible = Memo::new(move |_| {
        let kind = kind.get();
        record.entries.with(|entries| {
            entries
                .iter()
                .filter(|e| kind.is_none_or(|k| e.kind == k))
                .take(500)
                .cloned()
                .collect::<Vec<Entry>>()
        })
    });
    view! {
        <fieldset class="picker">
            <legend>{t().picker_legend}</legend>
            <div class="field">
                <label for="picker-kind">{t().filter_kind}</label>
                <select id="picker-kind" on:change=move |event| kind.set(Kind::parse(&event_target_value(&event)))>
                    <option value="">{t().filter_all}</option>
                    {Kind::ALL.iter().map(|k| view! { <option value=k.as_str()>{kind_name(*k)}</option> }).collect_view()}
                </select>
            </div>
            <p>
                <button type="button" on:click=move |_| {
                    let ids: Vec<String> = visible.with_untracked(|v| v.iter().map(|e| e.id.clone()).collect());
                    chosen.update(|chosen| chosen.extend(ids));
                }>{t().picker_all}</button>
                " "
                <button type="button" on:click=move |_| chosen.set(BTreeSet::new())>{t().picker_none}</button>
            </p>
            <ul class="picker-list">
                {move || visible.get().into_iter().map(|entry| {
                    let id = entry.id.clone();
                    let input_id = format!("pick-{id}");
                    let label = format!("{}: {} ({})", kind_name(entry.kind), entry_title(&entry), when_text(state.tag, entry.date));
                    let checked = { let id = id.clone(); move || chosen.with(|c| c.contains(&id)) };
                    view! {
                        <li class="choice">
                            <input type="checkbox" id=input_id.clone() prop:checked=checked on:change=move |event| {
                                let on = event_target_checked(&event);
                                let id = id.clone();
                                chosen.update(|c| { if on { c.insert(id); } else { c.remove(&id); } });
                            }/>
                            <label for=input_id>{label}</label>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p role="status">{move || fill(t().picker_count, &chosen.with(BTreeSet::len).to_string())}</p>
        </fieldset>
    }
}

/// Exactly what would leave the device: how many items of each kind, the files, and each
/// item when there are few enough to read.
#[component]
pub fn Preview(
    /// The entries that would leave.
    entries: Vec<Entry>,
    /// Whether they go to the clinic with a request (else into a file on this device).
    #[prop(optional)]
    to_clinic: bool,
) -> impl IntoView {
    let (heading, stays) = if to_clinic {
        (t().preview_heading_clinic, t().preview_stays_clinic)
    } else {
        (t().preview_heading, t().preview_stays)
    };
    let state = use_state();
    let mut counts: BTreeMap<Kind, usize> = BTreeMap::new();
    for entry in &entries {
        *counts.entry(entry.kind).or_default() += 1;
    }
    let files = entries.iter().filter(|e| e.kind == Kind::Document).count();
    view! {
        <section class="preview" aria-labelledby="preview-heading">
            <h3 id="preview-heading">{heading}</h3>
            {if entries.is_empty() {
                view! { <p>{t().preview_nothing}</p> }.into_any()
            } else {
                let listed = (entries.len() <= PREVIEW_ITEMS).then(|| view! {
                    <ul class="preview-items">
                        {entries.iter().map(|entry| view! {
                            <li>{format!("{}: {} ({})", kind_name(entry.kind), entry_title(entry), when_text(state.tag, entry.date))}</li>
                        }).collect_view()}
                    </ul>
                });
                view! {
                    <ul>
                        {counts.into_iter().map(|(kind, count)| view! { <li>{format!("{}: {count}", kind_name(kind))}</li> }).collect_view()}
                    </ul>
                    {listed}
                    {(files > 0).then(|| view! { <p>{fill(t().preview_files, &files.to_string())}</p> })}
                }.into_any()
            }}
            <p class="hint">{stays}</p>
        </section>
    }
}
