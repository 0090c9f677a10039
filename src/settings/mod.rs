//! Settings & privacy: language, what is waiting to be sent, storage on this device.

mod text;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

use crate::i18n::{fill, tr, use_i18n};
use crate::intl;
use crate::outbox::{self, OutboxItem, policy::State};
use crate::shell::LanguagePicker;
use crate::ui::{PageHeading, Section};

/// The Settings & privacy section: its chunk, with the heading shown until it is ready.
#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <Section load=section>
            <PageHeading text=Signal::derive(tr(|t| t.settings))/>
        </Section>
    }
}

crate::split_section! {
    /// The section's entry: loads its chunk and returns its page builder.
    settings: pub fn section() -> crate::ui::Build => page
}

fn page() -> AnyView {
    view! { <SettingsHome/> }.into_any()
}

/// The Settings & privacy page.
#[component]
fn SettingsHome() -> impl IntoView {
    view! {
        <PageHeading text=Signal::derive(tr(|t| t.settings))/>
        <p>{text::t().settings_intro}</p>
        <section aria-labelledby="language-heading">
            <h2 id="language-heading">{tr(|t| t.language)}</h2>
            <LanguagePicker/>
            <p class="muted">{text::t().language_help}</p>
        </section>
        <OutboxList/>
        <StorageUse/>
        <section aria-labelledby="privacy-heading">
            <h2 id="privacy-heading">{text::t().privacy_heading}</h2>
            <p>{text::t().privacy_body}</p>
        </section>
    }
}

/// Everything in the outbox, with retry and cancel.
///
/// Reads IndexedDB from an effect into a signal rather than through a resource and
/// `<Transition>`: the result is the same for a local read, and it keeps the suspense
/// machinery out of the patient bundle.
#[component]
fn OutboxList() -> impl IntoView {
    let (items, set_items) = signal(None::<Vec<OutboxItem>>);
    Effect::new(move |_| {
        outbox::revision();
        spawn_local(async move {
            let pending = outbox::list()
                .await
                .unwrap_or_default()
                .into_iter()
                .filter(|item| item.state != State::Delivered)
                .collect();
            set_items.set(Some(pending));
        });
    });
    let loading = tr(|t| t.loading);
    view! {
        <section aria-labelledby="outbox-heading">
            <h2 id="outbox-heading">{text::t().outbox_heading}</h2>
            <p class="muted">{text::t().outbox_intro}</p>
            // One view type for the three states (a note, or the list), so the page carries
            // no type-erased views.
            {move || {
                let items = items.get();
                let note = match &items {
                    None => Some(loading()),
                    Some(items) if items.is_empty() => Some(text::t().outbox_empty),
                    Some(_) => None,
                };
                let list = items.filter(|items| !items.is_empty()).map(|items| view! {
                    <ul class="outbox">
                        {items.into_iter().map(|item| view! { <OutboxRow item/> }).collect_view()}
                    </ul>
                });
                (note.map(|note| view! { <p>{note}</p> }), list)
            }}
        </section>
    }
}

#[component]
fn OutboxRow(item: OutboxItem) -> impl IntoView {
    let i18n = use_i18n();
    let state = item.state;
    let status = move || {
        let t = text::t();
        match state {
            State::Waiting => t.outbox_waiting,
            State::Sending => t.outbox_sending,
            State::Rejected => t.outbox_failed,
            State::Paused => t.outbox_paused,
            State::Delivered => t.outbox_delivered,
        }
    };
    let can_cancel = outbox::policy::can_cancel(&item.delivery());
    let created = item.created_at;
    let (retry_id, cancel_id) = (item.id.clone(), item.id.clone());
    let retry = move |_| {
        let id = retry_id.clone();
        spawn_local(async move {
            let _ = outbox::retry(&id).await;
        });
    };
    let cancel = move |_| {
        let id = cancel_id.clone();
        spawn_local(async move {
            let _ = outbox::cancel(&id).await;
        });
    };
    view! {
        <li class="outbox-item">
            <p><strong>{item.kind.clone()}</strong>" — "<span>{status}</span></p>
            <dl>
                <dt>{text::t().outbox_created}</dt>
                <dd>{move || intl::date_time(i18n.locale().tag(), created)}</dd>
                <dt>{text::t().outbox_attempts}</dt>
                <dd>{item.attempts}</dd>
                {item.last_error.clone().map(|error| view! {
                    <dt>{text::t().outbox_last_error}</dt>
                    <dd>{error}</dd>
                })}
            </dl>
            <details>
                <summary>{item.endpoint.clone()}</summary>
                <pre>{item.payload.clone()}</pre>
            </details>
            <div class="actions">
                <button type="button" on:click=retry>{text::t().retry_now}</button>
                <button type="button" disabled=!can_cancel on:click=cancel>{text::t().cancel_send}</button>
            </div>
        </li>
    }
}

/// How much this origin stores, from `navigator.storage.estimate()`.
#[component]
fn StorageUse() -> impl IntoView {
    let i18n = use_i18n();
    let (usage, set_usage) = signal(None::<f64>);
    spawn_local(async move {
        set_usage.set(storage_usage().await);
    });
    view! {
        <section aria-labelledby="storage-heading">
            <h2 id="storage-heading">{text::t().storage_heading}</h2>
            <p>
                {move || match usage.get() {
                    Some(bytes) => fill(text::t().storage_used, &intl::bytes(i18n.locale().tag(), bytes)),
                    None => text::t().storage_unknown.to_owned(),
                }}
            </p>
        </section>
    }
}

async fn storage_usage() -> Option<f64> {
    let promise = window().navigator().storage().estimate().ok()?;
    let estimate = JsFuture::from(promise).await.ok()?;
    js_sys::Reflect::get(&estimate, &"usage".into())
        .ok()?
        .as_f64()
}
