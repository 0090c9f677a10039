//! The My record app frame: opening, the unlock form, the section's navigation and the
//! current page.

use leptos::prelude::*;

use super::data::{Status, use_record};
use super::{Page, follow, t, use_state};
use crate::ui::Section;
use crate::vault::{LockState, VaultError};

/// The app: the unlock form while locked, otherwise the navigation and the page.
#[component]
pub fn RecordApp() -> impl IntoView {
    let state = use_state();
    let record = use_record();
    // When the shell moved focus to this section's heading while the record was opening,
    // the page's own heading takes it over once the record is open.
    let heading_had_focus = StoredValue::new(false);
    Effect::new(move |_| {
        if record.status.get() != Status::Opening && heading_had_focus.get_value() {
            heading_had_focus.set_value(false);
            crate::ui::focus_heading();
        }
    });
    view! {
        <div class="record">
            {move || match record.status.get() {
                Status::Opening => view! {
                    <h1 tabindex="-1" on:focus=move |_| heading_had_focus.set_value(true)>{t().heading}</h1>
                    <p class="muted" role="status">{t().opening}</p>
                }.into_any(),
                Status::Failed(_) => view! {
                    <h1 tabindex="-1">{t().heading}</h1>
                    <div class="banner banner-warning" role="alert"><p>{t().storage_failed}</p></div>
                }.into_any(),
                Status::Deleted => view! {
                    <h1 tabindex="-1">{t().heading}</h1>
                    <p role="status">{t().deleted_everything}</p>
                    <button type="button" on:click=move |_| { record.open(); super::go(&Page::Timeline); }>{t().start_again}</button>
                }.into_any(),
                Status::Ready if record.lock.get() == LockState::Locked => view! { <UnlockForm/> }.into_any(),
                Status::Ready => view! {
                    <RecordNav/>
                    <p class="record-notice" role="status">{move || state.notice.get()}</p>
                    {move || match state.page.get() {
                        Page::Timeline => view! { <super::timeline::TimelinePage/> }.into_any(),
                        Page::Add(kind) => view! { <super::entry_form::EntryPage kind id=None/> }.into_any(),
                        Page::Entry(id) => view! { <super::entry_form::ExistingEntryPage id/> }.into_any(),
                        Page::Trends => view! { <super::trends::TrendsPage/> }.into_any(),
                        Page::Summary => view! { <super::summary::SummaryPage/> }.into_any(),
                        Page::Emergency => view! { <super::summary::EmergencyPage/> }.into_any(),
                        Page::Backup => view! {
                            <Section load=super::transfer::section>
                                <h1 tabindex="-1">{t().backup_heading}</h1>
                            </Section>
                        }.into_any(),
                        Page::Settings => view! { <super::settings::SettingsPage/> }.into_any(),
                        Page::Elsewhere => ().into_any(),
                    }}
                }.into_any(),
            }}
        </div>
    }
}

/// The section's own navigation.
#[component]
fn RecordNav() -> impl IntoView {
    let state = use_state();
    let links = move || {
        let text = t();
        [
            (Page::Timeline, text.nav_timeline),
            (Page::Trends, text.nav_trends),
            (Page::Summary, text.nav_summary),
            (Page::Emergency, text.nav_emergency),
            (Page::Backup, text.nav_backup),
            (Page::Settings, text.nav_settings),
        ]
    };
    view! {
        <nav class="record-nav no-print" aria-label=move || t().nav_label>
            <ul>
                {move || links().into_iter().map(|(page, label)| {
                    let href = page.path();
                    let current = {
                        let page = page.clone();
                        move || {
                            let now = state.page.get();
                            let same = now == page
                                || (page == Page::Timeline && matches!(now, Page::Add(_) | Page::Entry(_)));
                            same.then_some("page")
                        }
                    };
                    view! { <li><a href=href aria-current=current on:click=follow(page)>{label}</a></li> }
                }).collect_view()}
            </ul>
        </nav>
    }
}

/// The unlock form shown instead of every page while the record is locked.
#[component]
pub(super) fn UnlockForm() -> impl IntoView {
    let record = use_record();
    let state = use_state();
    let passphrase = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let input = NodeRef::<leptos::html::Input>::new();
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let text = passphrase.get_untracked();
        if text.is_empty() {
            error.set(Some(t().passphrase_required.to_owned()));
            return;
        }
        busy.set(true);
        error.set(None);
        wasm_bindgen_futures::spawn_local(async move {
            let result = record.unlock(&text).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    passphrase.set(String::new());
                    state.announce(t().unlocked.to_owned());
                    crate::ui::focus_heading();
                }
                Err(problem) => {
                    error.set(Some(unlock_message(&problem, state.tag)));
                    if let Some(input) = input.get_untracked() {
                        let _ = input.focus();
                    }
                }
            }
        });
    };
    view! {
        <h1 tabindex="-1">{t().locked_heading}</h1>
        <p>{t().locked_intro}</p>
        <form class="record-form" on:submit=on_submit novalidate>
            <div class="field">
                <label for="unlock-passphrase">{t().passphrase}</label>
                <input id="unlock-passphrase" type="password" autocomplete="current-password" node_ref=input
                    aria-invalid=move || error.with(Option::is_some).then_some("true")
                    aria-describedby=move || error.with(Option::is_some).then_some("unlock-error")
                    prop:value=passphrase on:input=move |event| passphrase.set(event_target_value(&event))/>
                {move || error.get().map(|message| view! { <p id="unlock-error" class="field-error" role="alert">{message}</p> })}
            </div>
            <button type="submit" class="primary" aria-disabled=move || busy.get().then_some("true")>
                {move || if busy.get() { t().unlocking } else { t().unlock }}
            </button>
        </form>
        <p class="hint">{t().forgot_passphrase}</p>
    }
}

/// What a failed unlock tells the patient.
fn unlock_message(error: &VaultError, _tag: &str) -> String {
    let text = t();
    match error {
        VaultError::WrongPassphrase { wait_ms } if *wait_ms > 0 => {
            crate::i18n::fill(text.wrong_passphrase_wait, &seconds(*wait_ms))
        }
        VaultError::WrongPassphrase { .. } => text.wrong_passphrase.to_owned(),
        VaultError::TooSoon { wait_ms } => crate::i18n::fill(text.too_soon, &seconds(*wait_ms)),
        _ => text.storage_failed.to_owned(),
    }
}

fn seconds(ms: u32) -> String {
    ms.div_ceil(1000).to_string()
}
