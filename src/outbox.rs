//! The outbox: everything that must reach the server (appointment requests, forum posts) is
//! first written here, in IndexedDB, with its own idempotency key, then sent — at once when
//! online, otherwise on start-up, when the connection returns, or on a timer — until the
//! server has it exactly once.
//!
//! One tab sends at a time (the Web Locks API); the others see the same items. The retry
//! rules live in [`policy`], a plain state machine tested natively.

pub mod policy;

use std::cell::Cell;

use indexed_db_futures::prelude::*;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::api::{self, ApiClientError};
use crate::store::schema::stores::OUTBOX;
use crate::store::{self, StoreError};
use policy::{Backoff, Delivery, Outcome, State};

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
    /// When it was created, in milliseconds since the epoch.
    pub created_at: f64,
    /// Attempts made so far.
    pub attempts: u32,
    /// The last problem, in English, for the details view.
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
    let item = OutboxItem {
        id,
        kind: kind.to_owned(),
        endpoint: endpoint.to_owned(),
        payload,
        keep,
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

async fn read(id: &str) -> Result<Option<OutboxItem>, StoreError> {
    let db = store::db().await?;
    let tx = db.transaction(OUTBOX).build()?;
    Ok(tx.object_store(OUTBOX)?.get(id).serde()?.await?)
}

async fn write(item: &OutboxItem) -> Result<(), StoreError> {
    let db = store::db().await?;
    let tx = store::strict_write(&db, &[OUTBOX])?;
    tx.object_store(OUTBOX)?.put(item).serde()?.await?;
    tx.commit().await?;
    Ok(())
}

/// Applies `change` to a stored item if it returns a new state; true when it did.
async fn update(
    id: &str,
    change: impl FnOnce(&OutboxItem) -> Option<OutboxItem>,
) -> Result<bool, StoreError> {
    let Some(item) = read(id).await? else {
        return Ok(false);
    };
    let Some(next) = change(&item) else {
        return Ok(false);
    };
    write(&next).await?;
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
        if let Ok(event) = web_sys::Event::new(SEND_NOW) {
            let _ = window().dispatch_event(&event);
        }
    }
    Ok(())
}

/// The window event that asks this tab's sender to send what is due now.
const SEND_NOW: &str = "haven-outbox-send";

/// The patient cancelled an unsent item: it is removed from this device.
pub async fn cancel(id: &str) -> Result<bool, StoreError> {
    let Some(item) = read(id).await? else {
        return Ok(false);
    };
    if !policy::can_cancel(&item.delivery()) {
        return Ok(false);
    }
    let db = store::db().await?;
    let tx = store::strict_write(&db, &[OUTBOX])?;
    tx.object_store(OUTBOX)?.delete(id).await?;
    tx.commit().await?;
    changed();
    Ok(true)
}

thread_local! {
    static DRAINING: Cell<bool> = const { Cell::new(false) };
}

/// Sends every due item, if no other tab is already doing so.
pub async fn drain() {
    if DRAINING.replace(true) {
        return;
    }
    with_lock(|| async {
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
            write(&item.moved_to(delivery)).await?;
        }
    }
    for item in list().await? {
        let Some(sending) = policy::claim(&item.delivery(), now()) else {
            continue;
        };
        let item = OutboxItem {
            attempts: item.attempts + 1,
            ..item.moved_to(sending)
        };
        write(&item).await?;
        changed();
        let answer = api::post_idempotent(&item.endpoint, &item.payload, &item.id).await;
        let (outcome, response, last_error) = match answer {
            Ok(body) => (Outcome::Accepted, Some(body), None),
            Err(error) if error.is_retryable() => {
                (Outcome::Retryable, None, Some(describe(&error)))
            }
            Err(error) => (Outcome::Rejected, None, Some(describe(&error))),
        };
        let delivery = policy::settle(
            outcome,
            item.attempts,
            now(),
            Backoff::default(),
            js_sys::Math::random(),
        );
        write(&OutboxItem {
            response,
            last_error,
            ..item.moved_to(delivery)
        })
        .await?;
        changed();
    }
    Ok(())
}

fn describe(error: &ApiClientError) -> String {
    match error {
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

/// Runs `work` while holding the outbox lock; skips it if another tab holds the lock. Where
/// the browser has no Web Locks, runs it anyway (the idempotency key still prevents doubles).
async fn with_lock<F, Fut>(work: F)
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
    let _ = js_sys::Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
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
        let revision = RwSignal::new(0);
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
