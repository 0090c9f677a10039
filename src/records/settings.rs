//! Record settings: the passphrase lock and its idle time, where the record lives and how
//! much space it uses, the backup reminder, and deleting everything.

use leptos::prelude::*;

use super::data::{DEFAULT_IDLE_MINUTES, keys, use_record};
use super::{Page, follow, storage, t, use_state};
use crate::i18n::fill;
use crate::store::DB_NAME;
use crate::vault::{LockState, delete_everything};

/// The shortest passphrase accepted, in characters.
const MIN_PASSPHRASE_CHARS: usize = 8;

/// The settings page.
#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <h1 tabindex="-1">{t().settings_heading}</h1>
        <LockSection/>
        <StorageSection/>
        <DeleteSection/>
    }
}

/// Setting, changing and removing the passphrase; locking now; the idle time.
#[component]
fn LockSection() -> impl IntoView {
    let record = use_record();
    let state = use_state();
    let first = RwSignal::new(String::new());
    let second = RwSignal::new(String::new());
    let understood = RwSignal::new(false);
    let errors = RwSignal::new(Vec::<(&'static str, &'static str)>::new());
    let progress = RwSignal::new(None::<(usize, usize)>);
    let has_lock = move || record.lock.get() != LockState::Open;
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if progress.get_untracked().is_some() {
            return;
        }
        let text = t();
        let passphrase = first.get_untracked();
        let mut problems = Vec::new();
        if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
            problems.push(("new-passphrase", text.passphrase_too_short));
        }
        if passphrase != second.get_untracked() {
            problems.push(("confirm-passphrase", text.passphrase_mismatch));
        }
        if !understood.get_untracked() {
            problems.push(("passphrase-understood", text.passphrase_understand_required));
        }
        errors.set(problems);
        if !errors.with_untracked(Vec::is_empty) {
            return;
        }
        let Some(vault) = record.vault() else { return };
        let changing = vault.state() == LockState::Unlocked;
        progress.set(Some((0, 0)));
        wasm_bindgen_futures::spawn_local(async move {
            let result = vault
                .set_passphrase(&passphrase, &move |done, total| {
                    progress.set(Some((done, total)))
                })
                .await;
            progress.set(None);
            match result {
                Ok(()) => {
                    first.set(String::new());
                    second.set(String::new());
                    understood.set(false);
                    record.lock_changed();
                    state.announce(
                        if changing {
                            t().passphrase_changed
                        } else {
                            t().passphrase_set
                        }
                        .to_owned(),
                    );
                }
                Err(_) => state.announce(t().storage_failed.to_owned()),
            }
        });
    };
    let remove = move |_| {
        let Some(vault) = record.vault() else { return };
        progress.set(Some((0, 0)));
        wasm_bindgen_futures::spawn_local(async move {
            let result = vault
                .remove_passphrase(&move |done, total| progress.set(Some((done, total))))
                .await;
            progress.set(None);
            record.lock_changed();
            state.announce(
                match result {
                    Ok(()) => t().passphrase_removed,
                    Err(_) => t().storage_failed,
                }
                .to_owned(),
            );
        });
    };
    let error_for = move |id: &'static str| {
        move || {
            errors.with(|errors| {
                errors
                    .iter()
                    .find(|(field, _)| *field == id)
                    .map(|(_, message)| *message)
            })
        }
    };
    let set_idle = move |event: leptos::ev::Event| {
        let minutes: u32 = event_target_value(&event)
            .parse()
            .unwrap_or(DEFAULT_IDLE_MINUTES);
        record.idle_minutes.set(minutes);
        record.restart_idle_timer();
        if let Some(vault) = record.vault() {
            wasm_bindgen_futures::spawn_local(async move {
                let _ = vault
                    .set_setting(keys::IDLE_MINUTES, &minutes.to_string())
                    .await;
            });
        }
    };
    view! {
        <section aria-labelledby="lock-heading">
            <h2 id="lock-heading">{t().lock_heading}</h2>
            <p>{move || if has_lock() { t().lock_on } else { t().lock_off }}</p>
            <p>{t().lock_explain}</p>
            <Show when=has_lock>
                <p><button type="button" on:click=move |_| record.lock_now()>{t().lock_now}</button></p>
                <div class="field">
                    <label for="idle-minutes">{t().idle_label}</label>
                    <select id="idle-minutes" on:change=set_idle>
                        {[1_u32, 5, 15, 30, 60].into_iter().map(|m| view! {
                            <option value=m.to_string() selected=move || record.idle_minutes.get() == m>{if m == 1 { t().one_minute.to_owned() } else { fill(t().minutes, &m.to_string()) }}</option>
                        }).collect_view()}
                    </select>
                </div>
            </Show>
            <form class="record-form" on:submit=on_submit novalidate>
                <h3>{move || if has_lock() { t().change_passphrase } else { t().set_passphrase }}</h3>
                <p class="banner banner-warning" id="passphrase-warning">{t().passphrase_warning}</p>
                <PassField id="new-passphrase" label=t().new_passphrase value=first error=Signal::derive(error_for("new-passphrase")) hint=Some(t().passphrase_hint)/>
                <PassField id="confirm-passphrase" label=t().confirm_passphrase value=second error=Signal::derive(error_for("confirm-passphrase")) hint=None/>
                <div class="field field-check">
                    <input type="checkbox" id="passphrase-understood" prop:checked=understood
                        aria-invalid=move || error_for("passphrase-understood")().is_some().then_some("true")
                        aria-describedby=move || error_for("passphrase-understood")().map(|_| "passphrase-understood-error")
                        on:change=move |event| understood.set(event_target_checked(&event))/>
                    <label for="passphrase-understood">{t().passphrase_understand}</label>
                    {move || error_for("passphrase-understood")().map(|m| view! { <p id="passphrase-understood-error" class="field-error">{m}</p> })}
                </div>
                {move || progress.get().map(|(done, total)| view! {
                    <div class="progress">
                        <label for="lock-progress">{t().sealing}</label>
                        <progress id="lock-progress" max=total.max(1) value=done></progress>
                    </div>
                })}
                <button type="submit" class="primary">{move || if has_lock() { t().change_passphrase } else { t().set_passphrase }}</button>
            </form>
            <Show when=has_lock>
                <p><button type="button" on:click=remove>{t().remove_passphrase}</button></p>
            </Show>
        </section>
    }
}

/// A passphrase field with its error.
#[component]
fn PassField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    error: Signal<Option<&'static str>>,
    hint: Option<&'static str>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id type="password" autocomplete="new-password" aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described prop:value=value on:input=move |event| value.set(event_target_value(&event))/>
            {hint.map(|hint| view! { <p id=hint_id class="hint">{hint}</p> })}
            {move || error.get().map(|message| view! { <p id=error_id.clone() class="field-error">{message}</p> })}
        </div>
    }
}

/// Where the record lives, whether the browser keeps it, and how much space it uses.
#[component]
fn StorageSection() -> impl IntoView {
    let record = use_record();
    let state = use_state();
    let refresh = RwSignal::new(0_u32);
    let facts = LocalResource::new(move || {
        refresh.track();
        async move {
            let persisted = storage::persisted().await;
            let (usage, quota) = storage::estimate().await;
            (persisted, usage, quota)
        }
    });
    let reminder = LocalResource::new(move || async move {
        let vault = record.vault()?;
        vault.get_setting(keys::REMINDER_DAYS).await.ok().flatten()
    });
    let keep = move |_| {
        wasm_bindgen_futures::spawn_local(async move {
            storage::persist().await;
            refresh.update(|n| *n += 1);
        });
    };
    let set_reminder = move |event: leptos::ev::Event| {
        let days = event_target_value(&event);
        if let Some(vault) = record.vault() {
            wasm_bindgen_futures::spawn_local(async move {
                let _ = vault.set_setting(keys::REMINDER_DAYS, &days).await;
            });
        }
    };
    view! {
        <section aria-labelledby="storage-heading">
            <h2 id="storage-heading">{t().storage_heading}</h2>
            <p>{t().storage_explain}</p>
            {move || facts.get().map(|(persisted, usage, quota)| view! {
                <dl>
                    <dt>{t().storage_kept}</dt>
                    <dd>{if persisted { t().storage_persistent } else { t().storage_not_persistent }}</dd>
                    <dt>{t().storage_used}</dt>
                    <dd>{match (usage, quota) {
                        (Some(usage), Some(quota)) => t().storage_usage
                            .replace("{used}", &crate::intl::bytes(state.tag, usage))
                            .replace("{quota}", &crate::intl::bytes(state.tag, quota)),
                        _ => t().unknown.to_owned(),
                    }}</dd>
                </dl>
                {(!persisted).then(|| view! { <p><button type="button" on:click=keep>{t().storage_keep}</button></p> })}
            })}
            <div class="field">
                <label for="reminder-days">{t().reminder_label}</label>
                <select id="reminder-days" on:change=set_reminder>
                    {move || {
                        let current = reminder.get().flatten().unwrap_or_else(|| "14".to_owned());
                        [("7", false), ("14", false), ("30", false), ("0", true)].into_iter().map(|(days, never)| {
                            let label = if never { t().reminder_never.to_owned() } else { fill(t().days, days) };
                            view! { <option value=days selected=current == days>{label}</option> }
                        }).collect_view()
                    }}
                </select>
            </div>
        </section>
    }
}

/// Deleting everything, after saying what will be lost and offering a backup first.
#[component]
fn DeleteSection() -> impl IntoView {
    let record = use_record();
    let state = use_state();
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let delete = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            let result = delete_everything(DB_NAME).await;
            busy.set(false);
            confirming.set(false);
            match result {
                Ok(()) => record.deleted(),
                Err(_) => state.announce(t().delete_failed.to_owned()),
            }
        });
    };
    let backup = Page::Backup;
    let backup_href = backup.path();
    view! {
        <section class="danger-zone" aria-labelledby="delete-heading">
            <h2 id="delete-heading">{t().delete_heading}</h2>
            <p>{t().delete_explain}</p>
            <Show when=move || confirming.get() fallback=move || view! {
                <button type="button" class="danger" on:click=move |_| confirming.set(true)>{t().delete_everything}</button>
            }>
                <div role="alert" class="confirm">
                    <p>{t().delete_confirm}</p>
                    <p><a href=backup_href.clone() on:click=follow(backup.clone())>{t().make_backup}</a></p>
                    <button type="button" class="danger" on:click=delete aria-disabled=move || busy.get().then_some("true")>{t().delete_everything_yes}</button>
                    " "
                    <button type="button" on:click=move |_| confirming.set(false)>{t().cancel}</button>
                </div>
            </Show>
        </section>
    }
}
