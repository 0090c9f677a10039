//! The outbox: everything that must reach the server (appointment requests, forum posts) is
//! first written here, in IndexedDB, with its own idempotency key, then sent — at once when
//! online, otherwise on start-up, when the connection returns, or on a timer — until the
//! server has it exactly once.
//!
//! One tab sends at a time (the Web Locks API); the others see the same items. Cancelling
//! takes the same lock, so an item is never cancelled while it is being sent. Every send has a
//! timeout, so a hung connection never holds the lock. The retry rules live in [`policy`]
//! (`haven_api::outbox`), a plain state machine the server's delivery simulation also drives.
//!
//! Once delivered, an item keeps only what its feature asked to keep ([`OutboxItem::keep`]);
//! the payload is dropped. Writes after a send only update an item that still exists, so
//! "delete everything" during a send never writes the item back, and [`stop_sending`] aborts
//! the send itself.

pub use haven_api::outbox as policy;

use std::cell::Cell;

use indexed_db_futures::prelude::*;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::api::{self, ApiClientError};
use crate::store::schema::stores::OUTBOX;
use crate::store::{self, StoreError};
use policy::{Attempt, Backoff, Cancel, Delivery, Outcome, State};

/// How often a tab checks for due items while it is open, in milliseconds.
const TIMER_MS: i32 = 30_000;
/// The Web Locks name that makes one tab at a time the sender.
const LOCK_NAME: &str = "haven-outbox";
/// The channel that tells other tabs the outbox changed.
const CHANNEL_NAME: &str = "haven-outbox";

/// One pending or recent send.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxItem {
    /// The idempotency key (from `crypto.randomUUID()`), also the item's id.
    pub id: String,
    /// What the item is, such as `appointment_request`; the owning feature names it.
    pub kind: String,
    /// The API path it is sent to with `POST`.
    pub endpoint: String,
    /// The JSON body, exactly as it will be sent (so the patient can see it). Emptied once
    /// delivered: the server has it, and the device keeps only [`OutboxItem::keep`].
    pub payload: String,
    /// What the owning feature keeps after delivery to show the item's status (for an
    /// appointment request: its id, secret and a summary), as JSON text.
    #[serde(default)]
    pub keep: String,
    /// Where the item's undo is sent if the patient cancels it after an attempt that may have
    /// reached the server (empty: no undo; the item is simply removed).
    #[serde(default)]
    pub undo_endpoint: String,
    /// The undo's JSON body.
    #[serde(default)]
    pub undo_payload: String,
    /// When it was created, in milliseconds since the epoch.
    pub created_at: f64,
    /// Attempts made so far.
    pub attempts: u32,
    /// The last problem, for the details view: the server's per-field messages (in the
    /// request's language) or its English message.
    pub last_error: Option<String>,
    /// Where it stands (see [`OutboxItem::delivery`]).
    pub state: State,
    /// The time that goes with `state`.
    pub state_at: f64,
    /// The server's answer once delivered, as JSON text.
    pub response: Option<String>,
}

impl OutboxItem {
    /// Where the item stands.
    pub fn delivery(&self) -> Delivery {
        Delivery::from_parts(self.state, self.state_at)
    }

    /// The same item in another state.
    fn moved_to(self, delivery: Delivery) -> OutboxItem {
        let (state, state_at) = delivery.to_parts();
        OutboxItem {
            state,
            state_at,
            ..self
        }
    }
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// Puts a new item in the outbox, durably, and starts sending it. `id` is the item's
/// idempotency key (a UUID from `crypto.randomUUID()`; an appointment request uses its own
/// id); `keep` is what stays on the device once the payload is delivered and dropped.
pub async fn enqueue(
    kind: &str,
    endpoint: &str,
    id: String,
    payload: String,
    keep: String,
) -> Result<OutboxItem, StoreError> {
    enqueue_with_undo(kind, endpoint, id, payload, keep, None).await
}

/// What undoes an item that may have reached the server: a `POST` of `payload` to `endpoint`.
#[derive(Debug, Clone, PartialEq)]
pub struct Undo {
    /// The API path.
    pub endpoint: String,
    /// The JSON body.
    pub payload: String,
}

/// [`enqueue`], with the undo sent if the patient cancels the item after an attempt (see
/// [`cancel`]).
pub async fn enqueue_with_undo(
    kind: &str,
    endpoint: &str,
    id: String,
    payload: String,
    keep: String,
    undo: Option<Undo>,
) -> Result<OutboxItem, StoreError> {
    let (undo_endpoint, undo_payload) =
        undo.map_or_else(Default::default, |undo| (undo.endpoint, undo.payload));
    let item = OutboxItem {
        id,
        kind: kind.to_owned(),
        endpoint: endpoint.to_owned(),
        payload,
        keep,
        undo_endpoint,
        undo_payload,
        created_at: now(),
        attempts: 0,
        last_error: None,
        state: State::Waiting,
        state_at: now(),
        response: None,
    };
    write(&item).await?;
    changed();
    wasm_bindgen_futures::spawn_local(drain());
    Ok(item)
}

/// Every item, oldest first.
pub async fn list() -> Result<Vec<OutboxItem>, StoreError> {
    let db = store::db().await?;
    let tx = db.transaction(OUTBOX).build()?;
    let store = tx.object_store(OUTBOX)?;
    let index = store.index("by_created")?;
    let items = index.get_all().serde()?.await?;
    items.map(|item| item.map_err(StoreError::from)).collect()
}

async fn write(item: &OutboxItem) -> Result<(), StoreError> {
    let db = store::db().await?;
    let tx = store::strict_write(&db, &[OUTBOX])?;
    tx.object_store(OUTBOX)?.put(item).serde()?.await?;
    tx.commit().await?;
    Ok(())
}

/// Applies `change` to a stored item in one transaction, if the item still exists and
/// `change` returns a new version; true when it did. An item deleted meanwhile (cancelled,
/// or "delete everything") stays deleted.
async fn update(
    id: &str,
    change: impl FnOnce(&OutboxItem) -> Option<OutboxItem>,
) -> Result<bool, StoreError> {
    let db = store::db().await?;
    let tx = store::strict_write(&db, &[OUTBOX])?;
    let items = tx.object_store(OUTBOX)?;
    let Some(item) = items.get(id).serde()?.await? else {
        return Ok(false);
    };
    let Some(next) = change(&item) else {
        return Ok(false);
    };
    items.put(&next).serde()?.await?;
    tx.commit().await?;
    changed();
    Ok(true)
}

/// The patient asked to send an item now.
pub async fn retry(id: &str) -> Result<(), StoreError> {
    let due = update(id, |item| {
        policy::retry_now(&item.delivery(), now()).map(|delivery| item.clone().moved_to(delivery))
    })
    .await?;
    if due {
        // The sender (its own chunk) picks the item up; this keeps its code out of the pages
        // that only list the outbox.
        send_now();
    }
    Ok(())
}

/// The window event that asks this tab's sender to send what is due now.
const SEND_NOW: &str = "haven-outbox-send";

/// The patient cancels an item. Runs under the outbox lock, waiting for a send in progress
/// to end, so it never races one. An item that was never sent (or was refused) is removed;
/// one whose earlier attempt may have reached the server is replaced, in the same
/// transaction, by its undo (see [`enqueue_with_undo`]), sent like any item. Returns what was
/// done, or `None` when the item can no longer be cancelled (delivered meanwhile).
pub async fn cancel(id: &str) -> Result<Option<Cancel>, StoreError> {
    let id = id.to_owned();
    let done = std::rc::Rc::new(Cell::new(Ok(None)));
    let result = done.clone();
    with_lock(true, move || async move {
        result.set(cancel_locked(&id).await);
    })
    .await;
    let done = done.replace(Ok(None));
    if matches!(done, Ok(Some(Cancel::Undo))) {
        send_now();
    }
    done
}

async fn cancel_locked(id: &str) -> Result<Option<Cancel>, StoreError> {
    let db = store::db().await?;
    let tx = store::strict_write(&db, &[OUTBOX])?;
    let items = tx.object_store(OUTBOX)?;
    let Some(item): Option<OutboxItem> = items.get(id).serde()?.await? else {
        return Ok(None);
    };
    let plan = policy::cancel(
        &item.delivery(),
        item.attempts,
        !item.undo_endpoint.is_empty(),
    );
    match plan {
        None => return Ok(None),
        Some(Cancel::Remove) => items.delete(id).await?,
        Some(Cancel::Undo) => {
            let undo = OutboxItem {
                id: new_key()?,
                kind: format!("{}_undo", item.kind),
                endpoint: item.undo_endpoint.clone(),
                payload: item.undo_payload.clone(),
                keep: item.keep.clone(),
                undo_endpoint: String::new(),
                undo_payload: String::new(),
                created_at: now(),
                attempts: 0,
                last_error: None,
                state: State::Waiting,
                state_at: now(),
                response: None,
            };
            items.delete(id).await?;
            items.put(&undo).serde()?.await?;
        }
    }
    tx.commit().await?;
    changed();
    Ok(plan)
}

/// A new idempotency key.
fn new_key() -> Result<String, StoreError> {
    window()
        .crypto()
        .map(|crypto| crypto.random_uuid())
        .map_err(|_| StoreError::Unavailable("crypto".into()))
}

fn send_now() {
    if let Ok(event) = web_sys::Event::new(SEND_NOW) {
        let _ = window().dispatch_event(&event);
    }
}

thread_local! {
    static DRAINING: Cell<bool> = const { Cell::new(false) };
}

thread_local! {
    // Aborted by `stop_sending`; every send listens to it.
    static STOP: std::cell::RefCell<Option<web_sys::AbortController>> =
        const { std::cell::RefCell::new(None) };
}

/// The signal that ends this tab's sends early.
fn stop_signal() -> Option<web_sys::AbortSignal> {
    STOP.with_borrow_mut(|stop| {
        if stop.is_none() {
            *stop = web_sys::AbortController::new().ok();
        }
        stop.as_ref().map(web_sys::AbortController::signal)
    })
}

/// Aborts this tab's sends in flight ("delete everything"); later sends start afresh.
pub fn stop_sending() {
    if let Some(stop) = STOP.with_borrow_mut(Option::take) {
        stop.abort();
    }
}

/// Sends every due item, if no other tab is already doing so.
pub async fn drain() {
    if DRAINING.replace(true) {
        return;
    }
    with_lock(false, || async {
        if let Err(error) = drain_locked().await {
            leptos::logging::warn!("outbox: {error}");
        }
    })
    .await;
    DRAINING.set(false);
}

async fn drain_locked() -> Result<(), StoreError> {
    // Holding the lock, no other tab is sending: anything marked as sending was cut short.
    for item in list().await? {
        if let Some(delivery) = policy::recover(&item.delivery(), now()) {
            update(&item.id, |item| Some(item.clone().moved_to(delivery))).await?;
        }
    }
    for item in list().await? {
        let Some(sending) = policy::claim(&item.delivery(), now()) else {
            continue;
        };
        let attempts = item.attempts + 1;
        let claimed = update(&item.id, |stored| {
            (stored.state == item.state).then(|| OutboxItem {
                attempts,
                ..stored.clone().moved_to(sending.clone())
            })
        })
        .await?;
        if !claimed {
            continue;
        }
        let Some(stop) = stop_signal() else { break };
        let timeout = web_sys::AbortSignal::timeout_with_u32(policy::SEND_TIMEOUT_MS);
        let signal = web_sys::AbortSignal::any(&js_sys::Array::of2(&stop, &timeout).into());
        let answer = api::post_idempotent(&item.endpoint, &item.payload, &item.id, &signal).await;
        if stop.aborted() {
            // "Delete everything": nothing is written back, nothing more is sent.
            return Ok(());
        }
        let (outcome, response, last_error) = match answer {
            Ok(body) => (Outcome::Accepted, Some(body), None),
            Err(error) if error.is_retryable() => {
                let after_ms = match &error {
                    ApiClientError::Api { retry_after_ms, .. } => *retry_after_ms,
                    _ => None,
                };
                (
                    Outcome::Retryable { after_ms },
                    None,
                    Some(describe(&error)),
                )
            }
            Err(error) => (Outcome::Rejected, None, Some(describe(&error))),
        };
        let attempt = Attempt {
            attempts,
            created_at: item.created_at,
            now: now(),
            jitter: js_sys::Math::random(),
        };
        let delivery = policy::settle(outcome, attempt, Backoff::default());
        let delivered = matches!(delivery, Delivery::Delivered { .. });
        update(&item.id, |stored| {
            let settled = stored.clone().moved_to(delivery.clone());
            Some(if delivered {
                // The server has it: keep only what the status view needs.
                OutboxItem {
                    payload: String::new(),
                    undo_payload: String::new(),
                    response: response.clone(),
                    last_error: None,
                    ..settled
                }
            } else {
                OutboxItem {
                    last_error: last_error.clone(),
                    ..settled
                }
            })
        })
        .await?;
    }
    Ok(())
}

/// The problem to keep with an item for the patient's details view: the server's per-field
/// messages where it gave some (they are in the language the request was written in), else
/// its message.
fn describe(error: &ApiClientError) -> String {
    match error {
        ApiClientError::Api { error, .. } if !error.fields.is_empty() => {
            let mut messages = String::new();
            for message in error.fields.values() {
                if !messages.is_empty() {
                    messages.push(' ');
                }
                messages.push_str(message);
            }
            messages
        }
        ApiClientError::Api { error, .. } => error.message.clone(),
        other => other.to_string(),
    }
}

#[wasm_bindgen]
extern "C" {
    // `navigator.locks.request(name, options, callback)`; declared here because web-sys marks
    // the Web Locks API unstable.
    #[wasm_bindgen(catch, js_namespace = ["navigator", "locks"], js_name = request)]
    fn request_lock(
        name: &str,
        options: &JsValue,
        callback: &js_sys::Function,
    ) -> Result<js_sys::Promise, JsValue>;
}

/// Runs `work` while holding the outbox lock. With `wait`, waits for the lock; without, skips
/// `work` if another tab holds it. Where the browser has no Web Locks, runs it anyway (the
/// idempotency key still prevents doubles).
async fn with_lock<F, Fut>(wait: bool, work: F)
where
    F: FnOnce() -> Fut + 'static,
    Fut: std::future::Future<Output = ()> + 'static,
{
    let work = std::rc::Rc::new(Cell::new(Some(work)));
    let held = work.clone();
    let callback = Closure::once(move |lock: JsValue| -> js_sys::Promise {
        match held.take() {
            Some(work) if !lock.is_null() => wasm_bindgen_futures::future_to_promise(async move {
                work().await;
                Ok(JsValue::UNDEFINED)
            }),
            _ => js_sys::Promise::resolve(&JsValue::NULL),
        }
    });
    let options = js_sys::Object::new();
    if !wait {
        let _ = js_sys::Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
    }
    match request_lock(LOCK_NAME, &options, callback.as_ref().unchecked_ref()) {
        Ok(promise) => {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        }
        Err(_) => {
            if let Some(work) = work.take() {
                work().await;
            }
        }
    }
}

thread_local! {
    // Async tasks have no reactive owner to find a context in, so the signal lives here.
    static REVISION: Cell<Option<RwSignal<u32>>> = const { Cell::new(None) };
}

/// The signal behind [`revision`], made on first use.
fn revision_signal() -> RwSignal<u32> {
    REVISION.get().unwrap_or_else(|| {
        // Made with no owner, so it lives as long as the page: made under the owner of
        // whichever view or effect asked first, it would be disposed with it.
        let outer = Owner::current();
        if let Some(owner) = &outer {
            owner.clone().unset();
        }
        let revision = RwSignal::new(0);
        if let Some(owner) = outer {
            owner.set();
        }
        REVISION.set(Some(revision));
        revision
    })
}

/// A number that changes whenever the outbox changes, in this tab or another; a view that
/// lists the outbox tracks it to re-read the list.
pub fn revision() -> u32 {
    revision_signal().get()
}

fn changed() {
    revision_signal().update(|n| *n += 1);
    if let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL_NAME) {
        let _ = channel.post_message(&JsValue::from_str("changed"));
        channel.close();
    }
}

/// Starts the sender (see [`start`]).
type Start = fn();

crate::split_section! {
    /// The sender's entry: its code is a chunk of its own, so the first section a patient
    /// opens does not wait for it.
    outbox: fn sender() -> Start => start
}

/// Starts the sender once its chunk has arrived. When the chunk cannot be fetched (offline
/// on a first visit), it tries again when the connection returns.
pub fn start_later() {
    wasm_bindgen_futures::spawn_local(async {
        if let Ok(start) = sender().await {
            start();
            return;
        }
        let again = Closure::once_into_js(start_later);
        let options = web_sys::AddEventListenerOptions::new();
        options.set_once(true);
        let _ = window().add_event_listener_with_callback_and_add_event_listener_options(
            "online",
            again.unchecked_ref(),
            &options,
        );
    });
}

/// Starts the sender for this tab: now, whenever the connection returns, when the patient
/// asks to send an item now, on a timer, and listens for changes made in other tabs.
pub fn start() {
    let revision = revision_signal();

    let send_now = Closure::<dyn Fn()>::new(|| wasm_bindgen_futures::spawn_local(drain()));
    let window = window();
    for event in ["online", SEND_NOW] {
        let _ = window.add_event_listener_with_callback(event, send_now.as_ref().unchecked_ref());
    }
    let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
        send_now.as_ref().unchecked_ref(),
        TIMER_MS,
    );
    send_now.forget();

    if let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL_NAME) {
        let on_message = Closure::<dyn Fn()>::new(move || revision.update(|n| *n += 1));
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        // Kept open for the page's life so messages keep arriving.
        std::mem::forget(channel);
    }
    wasm_bindgen_futures::spawn_local(drain());
}
