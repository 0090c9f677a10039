//! Settings & privacy: language, what is waiting to be sent, storage on this device.

use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::i18n::{fill, use_i18n};
use crate::intl;
use crate::outbox::{self, OutboxItem, policy::Delivery};
use crate::shell::{LanguagePicker, PageHeading};

/// The Settings & privacy page.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading text=Signal::derive(move || i18n.t().settings)/>
        <p>{move || i18n.t().settings_intro}</p>
        <section aria-labelledby="language-heading">
            <h2 id="language-heading">{move || i18n.t().language}</h2>
            <LanguagePicker/>
            <p class="muted">{move || i18n.t().language_help}</p>
        </section>
        <OutboxList/>
        <StorageUse/>
        <section aria-labelledby="privacy-heading">
            <h2 id="privacy-heading">{move || i18n.t().privacy_heading}</h2>
            <p>{move || i18n.t().privacy_body}</p>
        </section>
    }
}

/// Everything in the outbox, with retry and cancel.
#[component]
fn OutboxList() -> impl IntoView {
    let i18n = use_i18n();
    let items = LocalResource::new(|| {
        outbox::revision();
        async { outbox::list().await.unwrap_or_default() }
    });
    let retry = Action::new_local(|id: &String| {
        let id = id.clone();
        async move { outbox::retry(&id).await }
    });
    let cancel = Action::new_local(|id: &String| {
        let id = id.clone();
        async move { outbox::cancel(&id).await }
    });
    view! {
        <section aria-labelledby="outbox-heading">
            <h2 id="outbox-heading">{move || i18n.t().outbox_heading}</h2>
            <p class="muted">{move || i18n.t().outbox_intro}</p>
            <Transition fallback=move || view! { <p>{i18n.t().loading}</p> }>
                {move || items.get().map(|items| {
                    let pending: Vec<OutboxItem> = items
                        .into_iter()
                        .filter(|item| !matches!(item.delivery, Delivery::Delivered { .. }))
                        .collect();
                    if pending.is_empty() {
                        view! { <p>{move || i18n.t().outbox_empty}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="outbox">
                                {pending.into_iter().map(|item| view! {
                                    <OutboxRow item retry cancel/>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn OutboxRow(
    item: OutboxItem,
    retry: Action<String, Result<(), crate::store::StoreError>>,
    cancel: Action<String, Result<bool, crate::store::StoreError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let delivery = item.delivery.clone();
    let status = move || {
        let t = i18n.t();
        match &delivery {
            Delivery::Waiting { .. } => t.outbox_waiting,
            Delivery::Sending { .. } => t.outbox_sending,
            Delivery::Rejected => t.outbox_failed,
            Delivery::Delivered { .. } => t.outbox_delivered,
        }
    };
    let can_cancel = outbox::policy::can_cancel(&item.delivery);
    let created = item.created_at;
    let (retry_id, cancel_id) = (item.id.clone(), item.id.clone());
    view! {
        <li class="outbox-item">
            <p><strong>{item.kind.clone()}</strong>" — "<span>{status}</span></p>
            <dl>
                <dt>{move || i18n.t().outbox_created}</dt>
                <dd>{move || intl::date_time(i18n.locale().tag(), created)}</dd>
                <dt>{move || i18n.t().outbox_attempts}</dt>
                <dd>{item.attempts}</dd>
                {item.last_error.clone().map(|error| view! {
                    <dt>{move || i18n.t().outbox_last_error}</dt>
                    <dd>{error}</dd>
                })}
            </dl>
            <details>
                <summary>{item.endpoint.clone()}</summary>
                <pre>{item.payload.clone()}</pre>
            </details>
            <div class="actions">
                <button type="button" on:click=move |_| { retry.dispatch(retry_id.clone()); }>
                    {move || i18n.t().retry_now}
                </button>
                <button type="button" disabled=!can_cancel
                    on:click=move |_| { cancel.dispatch(cancel_id.clone()); }>
                    {move || i18n.t().cancel_send}
                </button>
            </div>
        </li>
    }
}

/// How much this origin stores, from `navigator.storage.estimate()`.
#[component]
fn StorageUse() -> impl IntoView {
    let i18n = use_i18n();
    let usage = LocalResource::new(|| async {
        let promise = window().navigator().storage().estimate().ok()?;
        let estimate = JsFuture::from(promise).await.ok()?;
        js_sys::Reflect::get(&estimate, &"usage".into()).ok()?.as_f64()
    });
    view! {
        <section aria-labelledby="storage-heading">
            <h2 id="storage-heading">{move || i18n.t().storage_heading}</h2>
            <p>
                {move || match usage.get().flatten() {
                    Some(bytes) => fill(i18n.t().storage_used, &intl::bytes(i18n.locale().tag(), bytes)),
                    None => i18n.t().storage_unknown.to_owned(),
                }}
            </p>
        </section>
    }
}
