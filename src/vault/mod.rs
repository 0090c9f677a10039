//! The record's storage: entries, files and drafts in IndexedDB, sealed with the patient's
//! passphrase when the record is locked.
//!
//! # Storage
//!
//! Schema version 3 (see [`crate::store::schema`]) holds the record in four stores:
//!
//! - `entries`: `{ id, kind, at, g?, body }` by `id`, indexed `by_date` (`at`) and `by_kind`
//!   (`[kind, at]`). `at` is the entry's date in Unix milliseconds (a whole day counts as
//!   12:00 UTC), so the timeline is one reverse cursor. `body` is the entry's JSON text while
//!   no passphrase is set, or `iv || AES-GCM ciphertext` sealed with the key of generation
//!   `g`. Only `id`, `kind` and `at` stay in clear.
//! - `files`: `{ id, g?, body }` by entry id: the Blob as is, or its media type and bytes
//!   sealed together.
//! - `record_drafts`: `{ id, g?, body }` by form id, sealed like entries.
//! - `vault`: the lock (`lock`), a passphrase-change journal (`next`) and the wrong-passphrase
//!   delay (`throttle`), by `key`.
//!
//! # The lock
//!
//! Each key generation `g` has a random 256-bit data key, wrapped (AES-GCM) by a key derived
//! from the passphrase with Argon2id and a random salt. Opening the wrapped key is the
//! verifier: a wrong passphrase fails there, before any data is touched. The data key lives
//! only in this tab's memory, as a non-extractable WebCrypto key.
//!
//! Setting, changing or removing the passphrase re-encrypts every row, in batches, under a
//! Web Lock that all writers take. It first writes a journal, so a tab closed part-way loses
//! nothing: a change writes the new generation (`next`) with each data key also sealed by the
//! other, and [`Vault::unlock`] then finishes the change with the new passphrase or undoes it
//! with the old one; an interrupted first sealing or removal is finished the same way.
//!
//! Other tabs hear of every change through the `haven-record` [`BroadcastChannel`]
//! ([`Vault::subscribe`]); locking one tab locks the others.

mod crypto;
mod idb;

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::{Rc, Weak};

use haven_api::record::{Entry, Kind, When};
use indexed_db_futures::database::Database;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{BroadcastChannel, IdbKeyRange, IdbObjectStore};

use crate::store::schema::{indexes, stores};
use crate::store::{self, StoreError};
use crypto::Key;

/// The channel on which tabs tell each other about changes to the record.
pub const CHANNEL_NAME: &str = "haven-record";

/// Rows re-encrypted per transaction when the passphrase is set, changed or removed.
const BATCH: u32 = 200;

/// Above this many ids a [`Change`] says "everything may have changed" instead.
const MAX_CHANGE_IDS: usize = 200;

/// How long [`delete_everything`] waits for other tabs to let go of the database.
const DELETE_BLOCKED_MS: i32 = 5_000;

/// The stores whose rows are sealed.
const SEALED_STORES: [&str; 3] = [stores::ENTRIES, stores::FILES, stores::RECORD_DRAFTS];

/// Keys of the `vault` store.
mod records {
    /// The current key generation.
    pub const LOCK: &str = "lock";
    /// A passphrase change in progress.
    pub const NEXT: &str = "next";
    /// Wrong passphrases in a row and when the next try is accepted.
    pub const THROTTLE: &str = "throttle";
}

/// Whether the record has a passphrase, and whether this tab holds its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LockState {
    /// No passphrase is set: the record is stored in clear.
    Open,
    /// A passphrase is set and this tab does not hold the key.
    Locked,
    /// A passphrase is set and this tab holds the key.
    Unlocked,
}

/// Why a vault operation failed. The messages are for logs; the UI names each variant in the
/// patient's language.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum VaultError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The passphrase is not the record's.
    #[error("wrong passphrase; the next try is accepted in {wait_ms} ms")]
    WrongPassphrase {
        /// How long before the next try is accepted, in milliseconds.
        wait_ms: u32,
    },
    /// A try came before the wait after a wrong passphrase was over.
    #[error("too soon after a wrong passphrase; try again in {wait_ms} ms")]
    TooSoon {
        /// How long before the next try is accepted, in milliseconds.
        wait_ms: u32,
    },
    /// The record is locked: unlock it first.
    #[error("the record is locked")]
    Locked,
    /// The browser's cryptography failed.
    #[error("cryptography failed: {0}")]
    Crypto(String),
    /// Stored data is not what Haven wrote.
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
}

impl From<indexed_db_futures::error::Error> for VaultError {
    fn from(error: indexed_db_futures::error::Error) -> Self {
        VaultError::Store(error.into())
    }
}

/// What changed in the record, in this tab or another.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Change {
    /// The ids of entries put or deleted; empty means everything may have changed.
    pub ids: Vec<String>,
    /// True when this tab is now locked (it forgot the key): show the lock screen.
    pub locked: bool,
}

/// A [`Vault::subscribe`] registration; dropping it unsubscribes.
#[must_use = "dropping a subscription unsubscribes"]
pub struct Subscription {
    inner: Weak<Inner>,
    id: u64,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(inner) = self.inner.upgrade() {
            inner
                .subscribers
                .borrow_mut()
                .retain(|(id, _)| *id != self.id);
        }
    }
}

/// The record's storage and its passphrase lock. Cheap to clone (shared inside).
#[derive(Clone)]
pub struct Vault {
    inner: Rc<Inner>,
}

/// The keys this tab holds.
enum Keys {
    Open,
    Locked,
    Unlocked(Unlocked),
}

#[derive(Clone)]
struct Unlocked {
    /// Data keys by generation.
    data: BTreeMap<u32, Key>,
    /// Key-encryption keys by generation (to start a change without the old passphrase).
    wrapping: BTreeMap<u32, Key>,
    /// The generation new writes use; `None` while the passphrase is being removed.
    target: Option<u32>,
}

type Subscriber = Rc<dyn Fn(&Change)>;
type MessageHandler = Closure<dyn FnMut(web_sys::MessageEvent)>;

struct Inner {
    name: String,
    db: RefCell<Option<Database>>,
    keys: RefCell<Keys>,
    subscribers: RefCell<Vec<(u64, Subscriber)>>,
    next_subscriber: Cell<u64>,
    channel: Option<BroadcastChannel>,
    on_message: RefCell<Option<MessageHandler>>,
    on_version_change: RefCell<Vec<Closure<dyn FnMut()>>>,
    interrupt_after: Cell<Option<usize>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(channel) = &self.channel {
            channel.set_onmessage(None);
            channel.close();
        }
    }
}

/// The lock record: the current generation's salt and wrapped data key.
#[derive(Clone)]
struct LockRecord {
    g: u32,
    salt: Vec<u8>,
    wrapped: Vec<u8>,
    /// The first sealing has not finished.
    sealing: bool,
    /// The passphrase is being removed.
    removing: bool,
}

/// The journal of a passphrase change to generation `g`.
struct NextRecord {
    g: u32,
    salt: Vec<u8>,
    wrapped: Vec<u8>,
    /// The old data key sealed with the new one.
    prev: Vec<u8>,
    /// The new data key sealed with the old one.
    fwd: Vec<u8>,
}

/// What the stored lock says writes must use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Persisted {
    has_lock: bool,
    target: Option<u32>,
}

fn persisted(lock: Option<&LockRecord>, next: Option<&NextRecord>) -> Persisted {
    Persisted {
        has_lock: lock.is_some(),
        target: match (lock, next) {
            (_, Some(next)) => Some(next.g),
            (Some(lock), None) if !lock.removing => Some(lock.g),
            _ => None,
        },
    }
}

/// A readable message from a JavaScript error or DOMException.
pub(crate) fn js_message(value: &JsValue) -> String {
    if let Some(exception) = value.dyn_ref::<web_sys::DomException>() {
        return format!("{}: {}", exception.name(), exception.message());
    }
    if let Some(error) = value.dyn_ref::<js_sys::Error>() {
        return String::from(error.message());
    }
    value.as_string().unwrap_or_else(|| format!("{value:?}"))
}

fn failed(error: JsValue) -> VaultError {
    VaultError::Store(StoreError::Failed(js_message(&error)))
}

/// An entry's date as the `at` index key: Unix milliseconds, a whole day at 12:00 UTC.
pub fn at_ms(when: When) -> f64 {
    match when {
        When::Date(date) => (date.days() * 86_400_000 + 12 * 3_600_000) as f64,
        When::DateTime(date_time) => date_time.unix_ms() as f64,
    }
}

/// The additional data a row's body is sealed with: its store and id.
fn row_aad(store: &str, id: &str) -> Vec<u8> {
    format!("{store}/{id}").into_bytes()
}

fn field(object: &JsValue, name: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn set_field(object: &Object, name: &str, value: &JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(name), value);
}

fn bytes_field(object: &JsValue, name: &str) -> Option<Vec<u8>> {
    field(object, name)
        .dyn_into::<Uint8Array>()
        .ok()
        .map(|bytes| bytes.to_vec())
}

fn row_gen(row: &JsValue) -> Option<u32> {
    field(row, "g").as_f64().map(|g| g as u32)
}

fn row_id(row: &JsValue) -> Result<String, VaultError> {
    field(row, "id")
        .as_string()
        .ok_or_else(|| VaultError::Corrupt("a row without an id".into()))
}

impl LockRecord {
    fn from_js(value: &JsValue) -> Option<LockRecord> {
        if value.is_undefined() || value.is_null() {
            return None;
        }
        Some(LockRecord {
            g: row_gen(value)?,
            salt: bytes_field(value, "salt")?,
            wrapped: bytes_field(value, "wrapped")?,
            sealing: field(value, "sealing").is_truthy(),
            removing: field(value, "removing").is_truthy(),
        })
    }

    fn to_js(&self) -> JsValue {
        let object = Object::new();
        set_field(&object, "key", &records::LOCK.into());
        set_field(&object, "g", &self.g.into());
        set_field(&object, "salt", &Uint8Array::from(&self.salt[..]));
        set_field(&object, "wrapped", &Uint8Array::from(&self.wrapped[..]));
        set_field(&object, "sealing", &self.sealing.into());
        set_field(&object, "removing", &self.removing.into());
        object.into()
    }
}

impl NextRecord {
    fn from_js(value: &JsValue) -> Option<NextRecord> {
        if value.is_undefined() || value.is_null() {
            return None;
        }
        Some(NextRecord {
            g: row_gen(value)?,
            salt: bytes_field(value, "salt")?,
            wrapped: bytes_field(value, "wrapped")?,
            prev: bytes_field(value, "prev")?,
            fwd: bytes_field(value, "fwd")?,
        })
    }

    fn to_js(&self) -> JsValue {
        let object = Object::new();
        set_field(&object, "key", &records::NEXT.into());
        set_field(&object, "g", &self.g.into());
        set_field(&object, "salt", &Uint8Array::from(&self.salt[..]));
        set_field(&object, "wrapped", &Uint8Array::from(&self.wrapped[..]));
        set_field(&object, "prev", &Uint8Array::from(&self.prev[..]));
        set_field(&object, "fwd", &Uint8Array::from(&self.fwd[..]));
        object.into()
    }
}

fn lock_aad(g: u32) -> Vec<u8> {
    format!("lock/{g}").into_bytes()
}

/// A decrypted (or clear) row body.
enum Plain {
    Text(String),
    File(web_sys::Blob),
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn read_only<'a>(db: &'a Database, names: &'a [&'a str]) -> Result<Transaction<'a>, VaultError> {
    Ok(db.transaction(names).build()?)
}

fn raw_store(tx: &Transaction<'_>, name: &str) -> Result<IdbObjectStore, VaultError> {
    Ok(tx.object_store(name)?.as_sys().clone())
}

impl Vault {
    /// Opens the record in the database `db_name` (the app uses [`store::DB_NAME`]; tests
    /// use unique names), upgrading its schema if needed.
    pub async fn open(db_name: &str) -> Result<Vault, VaultError> {
        let channel = BroadcastChannel::new(CHANNEL_NAME).ok();
        let inner = Rc::new(Inner {
            name: db_name.to_owned(),
            db: RefCell::new(None),
            keys: RefCell::new(Keys::Locked),
            subscribers: RefCell::new(Vec::new()),
            next_subscriber: Cell::new(0),
            channel,
            on_message: RefCell::new(None),
            on_version_change: RefCell::new(Vec::new()),
            interrupt_after: Cell::new(None),
        });
        if let Some(channel) = &inner.channel {
            let weak = Rc::downgrade(&inner);
            let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
                move |event: web_sys::MessageEvent| {
                    if let Some(inner) = weak.upgrade() {
                        Vault { inner }.on_message(&event.data());
                    }
                },
            );
            channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            *inner.on_message.borrow_mut() = Some(on_message);
        }
        let vault = Vault { inner };
        let (lock, _) = vault.read_lock().await?;
        *vault.inner.keys.borrow_mut() = if lock.is_some() {
            Keys::Locked
        } else {
            Keys::Open
        };
        Ok(vault)
    }

    /// The database connection, reopened after another tab deleted or upgraded it.
    async fn db(&self) -> Result<Database, VaultError> {
        if let Some(db) = self.inner.db.borrow().clone() {
            return Ok(db);
        }
        let db = store::connect(&self.inner.name).await?;
        let weak = Rc::downgrade(&self.inner);
        let forget = Closure::<dyn FnMut()>::new(move || {
            if let Some(inner) = weak.upgrade() {
                inner.db.borrow_mut().take();
            }
        });
        let sys: &web_sys::EventTarget = db.as_sys().unchecked_ref();
        let _ =
            sys.add_event_listener_with_callback("versionchange", forget.as_ref().unchecked_ref());
        let _ = sys.add_event_listener_with_callback("close", forget.as_ref().unchecked_ref());
        self.inner.on_version_change.borrow_mut().push(forget);
        *self.inner.db.borrow_mut() = Some(db.clone());
        Ok(db)
    }

    /// The name of the IndexedDB database the record is in.
    pub fn db_name(&self) -> &str {
        &self.inner.name
    }

    /// Whether the record has a passphrase and whether this tab holds its key.
    pub fn state(&self) -> LockState {
        match &*self.inner.keys.borrow() {
            Keys::Open => LockState::Open,
            Keys::Locked => LockState::Locked,
            Keys::Unlocked(_) => LockState::Unlocked,
        }
    }

    /// Forgets the key in this tab and tells the other tabs to forget theirs.
    pub fn lock(&self) {
        if !self.forget() {
            return;
        }
        self.broadcast(&[], Some("locked"));
        self.notify(&Change {
            ids: Vec::new(),
            locked: true,
        });
    }

    /// Forgets the key; true if this tab held one.
    fn forget(&self) -> bool {
        let mut keys = self.inner.keys.borrow_mut();
        if matches!(*keys, Keys::Unlocked(_)) {
            *keys = Keys::Locked;
            true
        } else {
            false
        }
    }

    /// Calls `f` with every change to the record made in this tab or another, until the
    /// returned [`Subscription`] is dropped.
    pub fn subscribe(&self, f: impl Fn(&Change) + 'static) -> Subscription {
        let id = self.inner.next_subscriber.get();
        self.inner.next_subscriber.set(id + 1);
        self.inner.subscribers.borrow_mut().push((id, Rc::new(f)));
        Subscription {
            inner: Rc::downgrade(&self.inner),
            id,
        }
    }

    fn notify(&self, change: &Change) {
        let subscribers: Vec<Subscriber> = self
            .inner
            .subscribers
            .borrow()
            .iter()
            .map(|(_, f)| f.clone())
            .collect();
        for subscriber in subscribers {
            subscriber(change);
        }
    }

    /// Tells other tabs (and other vaults on this page) about a change; `state` is
    /// `"locked"` or `"open"` when the lock changed.
    fn broadcast(&self, ids: &[String], state: Option<&str>) {
        let Some(channel) = &self.inner.channel else {
            return;
        };
        let _ = channel.post_message(&message(&self.inner.name, ids, state, false));
    }

    /// Tells this tab's subscribers and the other tabs that `ids` changed.
    fn changed(&self, ids: Vec<String>) {
        let ids = if ids.len() > MAX_CHANGE_IDS {
            Vec::new()
        } else {
            ids
        };
        self.broadcast(&ids, None);
        self.notify(&Change { ids, locked: false });
    }

    fn on_message(&self, data: &JsValue) {
        if field(data, "db").as_string().as_deref() != Some(self.inner.name.as_str()) {
            return;
        }
        let ids: Vec<String> = field(data, "ids")
            .dyn_into::<Array>()
            .map(|ids| ids.iter().filter_map(|id| id.as_string()).collect())
            .unwrap_or_default();
        let mut locked = false;
        if field(data, "wiped").is_truthy() {
            self.inner.db.borrow_mut().take();
            *self.inner.keys.borrow_mut() = Keys::Open;
        }
        match field(data, "state").as_string().as_deref() {
            Some("locked") => {
                *self.inner.keys.borrow_mut() = Keys::Locked;
                locked = true;
            }
            Some("open") => *self.inner.keys.borrow_mut() = Keys::Open,
            _ => {}
        }
        self.notify(&Change { ids, locked });
    }

    /// The generation writes use now, or `Locked`.
    fn write_target(&self) -> Result<Option<u32>, VaultError> {
        match &*self.inner.keys.borrow() {
            Keys::Open => Ok(None),
            Keys::Locked => Err(VaultError::Locked),
            Keys::Unlocked(unlocked) => Ok(unlocked.target),
        }
    }

    fn expected(&self) -> Result<Persisted, VaultError> {
        match &*self.inner.keys.borrow() {
            Keys::Open => Ok(Persisted {
                has_lock: false,
                target: None,
            }),
            Keys::Locked => Err(VaultError::Locked),
            Keys::Unlocked(unlocked) => Ok(Persisted {
                has_lock: true,
                target: unlocked.target,
            }),
        }
    }

    fn unlocked(&self) -> Option<Unlocked> {
        match &*self.inner.keys.borrow() {
            Keys::Unlocked(unlocked) => Some(unlocked.clone()),
            _ => None,
        }
    }

    fn ensure_readable(&self) -> Result<(), VaultError> {
        match &*self.inner.keys.borrow() {
            Keys::Locked => Err(VaultError::Locked),
            _ => Ok(()),
        }
    }

    /// Inside a write transaction that includes the `vault` store: fails with `Locked` (and
    /// forgets the key) if another tab changed the lock since this tab last looked.
    async fn check_lock(&self, tx: &Transaction<'_>) -> Result<(), VaultError> {
        let expected = self.expected()?;
        let vault = raw_store(tx, stores::VAULT)?;
        let lock = vault.get(&records::LOCK.into());
        let next = vault.get(&records::NEXT.into());
        let lock = LockRecord::from_js(&idb::result(lock).await?);
        let next = NextRecord::from_js(&idb::result(next).await?);
        if persisted(lock.as_ref(), next.as_ref()) == expected {
            return Ok(());
        }
        *self.inner.keys.borrow_mut() = if lock.is_some() {
            Keys::Locked
        } else {
            Keys::Open
        };
        Err(VaultError::Locked)
    }

    async fn read_lock(&self) -> Result<(Option<LockRecord>, Option<NextRecord>), VaultError> {
        let db = self.db().await?;
        let tx = read_only(&db, &[stores::VAULT])?;
        let vault = raw_store(&tx, stores::VAULT)?;
        let lock = vault.get(&records::LOCK.into());
        let next = vault.get(&records::NEXT.into());
        Ok((
            LockRecord::from_js(&idb::result(lock).await?),
            NextRecord::from_js(&idb::result(next).await?),
        ))
    }

    /// Waits for the record's write lock, shared by every tab.
    async fn exclusive(&self) -> idb::Exclusive {
        idb::exclusive(&format!("{CHANNEL_NAME}:{}", self.inner.name)).await
    }

    /// Seals (or keeps in clear, for `target` `None`) text bodies, in order.
    async fn seal_texts(
        &self,
        store: &str,
        items: &[(String, String)],
        target: Option<u32>,
    ) -> Result<Vec<JsValue>, VaultError> {
        let Some(g) = target else {
            return Ok(items
                .iter()
                .map(|(_, text)| JsValue::from_str(text))
                .collect());
        };
        let key = self.data_key(g)?;
        let plain: Vec<(Uint8Array, Vec<u8>)> = items
            .iter()
            .map(|(id, text)| (Uint8Array::from(text.as_bytes()), row_aad(store, id)))
            .collect();
        Ok(key
            .seal_many(&plain)
            .await?
            .into_iter()
            .map(JsValue::from)
            .collect())
    }

    fn data_key(&self, g: u32) -> Result<Key, VaultError> {
        match &*self.inner.keys.borrow() {
            Keys::Unlocked(unlocked) => unlocked.data.get(&g).cloned().ok_or(VaultError::Locked),
            _ => Err(VaultError::Locked),
        }
    }

    /// Opens row bodies of `store`: clear text or Blobs as they are, sealed ones with the key
    /// of their generation (all at once).
    async fn open_rows(&self, store: &str, rows: &[JsValue]) -> Result<Vec<Plain>, VaultError> {
        let keys = self.unlocked();
        let mut out: Vec<Option<Plain>> = Vec::with_capacity(rows.len());
        let mut pending = Vec::new();
        let promises = Array::new();
        for (i, row) in rows.iter().enumerate() {
            let body = field(row, "body");
            if let Some(text) = body.as_string() {
                out.push(Some(Plain::Text(text)));
            } else if let Some(blob) = body.dyn_ref::<web_sys::Blob>() {
                out.push(Some(Plain::File(blob.clone())));
            } else if let Some(sealed) = body.dyn_ref::<Uint8Array>() {
                let g = row_gen(row)
                    .ok_or_else(|| VaultError::Corrupt("sealed row without g".into()))?;
                let Some(key) = keys.as_ref().and_then(|keys| keys.data.get(&g)) else {
                    // Sealed with a key this tab does not hold: another tab set or changed the
                    // passphrase.
                    *self.inner.keys.borrow_mut() = Keys::Locked;
                    return Err(VaultError::Locked);
                };
                let id = row_id(row)?;
                promises.push(&key.start_open(sealed, &row_aad(store, &id))?.into());
                pending.push(i);
                out.push(None);
            } else {
                return Err(VaultError::Corrupt(format!("a {store} row with no body")));
            }
        }
        if !pending.is_empty() {
            let opened: Array = JsFuture::from(Promise::all(&promises))
                .await
                .map_err(|error| {
                    VaultError::Corrupt(format!(
                        "a sealed {store} row does not open: {}",
                        js_message(&error)
                    ))
                })?
                .unchecked_into();
            for (n, i) in pending.into_iter().enumerate() {
                let bytes = Uint8Array::new(&opened.get(n as u32)).to_vec();
                out[i] = Some(if store == stores::FILES {
                    let (media_type, bytes) = crypto::unframe(&bytes)
                        .ok_or_else(|| VaultError::Corrupt("a file frame".into()))?;
                    Plain::File(blob(bytes, &media_type)?)
                } else {
                    Plain::Text(
                        String::from_utf8(bytes)
                            .map_err(|_| VaultError::Corrupt("sealed text is not UTF-8".into()))?,
                    )
                });
            }
        }
        Ok(out
            .into_iter()
            .map(|plain| plain.expect("every row opened"))
            .collect())
    }

    async fn entries_of(&self, rows: &[JsValue]) -> Result<Vec<Entry>, VaultError> {
        self.open_rows(stores::ENTRIES, rows)
            .await?
            .into_iter()
            .map(|plain| match plain {
                Plain::Text(json) => serde_json::from_str(&json)
                    .map_err(|error| VaultError::Corrupt(format!("an entry: {error}"))),
                Plain::File(_) => Err(VaultError::Corrupt("an entry holds a file".into())),
            })
            .collect()
    }

    /// Up to `limit` entries, newest first by the entry's date; only those of `kind` if given.
    /// Reads one page of an index with a reverse cursor, so it costs the same for a record of
    /// ten entries or ten thousand.
    pub async fn newest(&self, kind: Option<Kind>, limit: usize) -> Result<Vec<Entry>, VaultError> {
        self.ensure_readable()?;
        let db = self.db().await?;
        let tx = read_only(&db, &[stores::ENTRIES])?;
        let entries = raw_store(&tx, stores::ENTRIES)?;
        let rows = match kind {
            None => {
                let index = entries.index(indexes::BY_DATE).map_err(failed)?;
                idb::newest(&index, &JsValue::NULL, limit).await?
            }
            Some(kind) => {
                let index = entries.index(indexes::BY_KIND).map_err(failed)?;
                let range = IdbKeyRange::bound(
                    &Array::of2(&kind.as_str().into(), &f64::NEG_INFINITY.into()),
                    &Array::of2(&kind.as_str().into(), &f64::INFINITY.into()),
                )
                .map_err(failed)?;
                idb::newest(&index, &range, limit).await?
            }
        };
        drop(tx);
        self.entries_of(&rows).await
    }

    /// Every entry, newest first.
    pub async fn all(&self) -> Result<Vec<Entry>, VaultError> {
        self.ensure_readable()?;
        let db = self.db().await?;
        let tx = read_only(&db, &[stores::ENTRIES])?;
        let index = raw_store(&tx, stores::ENTRIES)?
            .index(indexes::BY_DATE)
            .map_err(failed)?;
        let mut rows = idb::all(index.get_all()).await?;
        drop(tx);
        rows.reverse();
        self.entries_of(&rows).await
    }

    /// The entry `id`, if there is one.
    pub async fn get(&self, id: &str) -> Result<Option<Entry>, VaultError> {
        self.ensure_readable()?;
        let row = self.get_row(stores::ENTRIES, id).await?;
        if row.is_undefined() {
            return Ok(None);
        }
        Ok(self.entries_of(&[row]).await?.pop())
    }

    async fn get_row(&self, store: &str, id: &str) -> Result<JsValue, VaultError> {
        let db = self.db().await?;
        let names = [store];
        let tx = read_only(&db, &names)?;
        let row = idb::result(raw_store(&tx, store)?.get(&id.into())).await?;
        Ok(row)
    }

    /// How many entries the record holds.
    pub async fn count(&self) -> Result<u32, VaultError> {
        self.ensure_readable()?;
        let db = self.db().await?;
        let tx = read_only(&db, &[stores::ENTRIES])?;
        let count = idb::result(raw_store(&tx, stores::ENTRIES)?.count()).await?;
        Ok(count.as_f64().unwrap_or(0.0) as u32)
    }

    /// Saves an entry (new or changed), durably, and tells every tab.
    pub async fn put(&self, entry: &Entry) -> Result<(), VaultError> {
        self.put_many(std::slice::from_ref(entry)).await
    }

    /// Saves many entries in one transaction (an import): every put is issued before the
    /// one commit is awaited.
    pub async fn put_many(&self, entries: &[Entry]) -> Result<(), VaultError> {
        if entries.is_empty() {
            return Ok(());
        }
        let items = entries
            .iter()
            .map(|entry| {
                serde_json::to_string(entry)
                    .map(|json| (entry.id.clone(), json))
                    .map_err(|error| VaultError::Corrupt(error.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let _writing = self.exclusive().await;
        let target = self.write_target()?;
        let bodies = self.seal_texts(stores::ENTRIES, &items, target).await?;
        let db = self.db().await?;
        let tx = store::strict_write(&db, &[stores::ENTRIES, stores::VAULT])?;
        self.check_lock(&tx).await?;
        let store = raw_store(&tx, stores::ENTRIES)?;
        for (entry, body) in entries.iter().zip(&bodies) {
            let row = Object::new();
            set_field(&row, "id", &entry.id.as_str().into());
            set_field(&row, "kind", &entry.kind.as_str().into());
            set_field(&row, "at", &at_ms(entry.date).into());
            if let Some(g) = target {
                set_field(&row, "g", &g.into());
            }
            set_field(&row, "body", body);
            store.put(&row).map_err(failed)?;
        }
        tx.commit().await?;
        self.changed(items.into_iter().map(|(id, _)| id).collect());
        Ok(())
    }

    /// Deletes an entry and its file, durably, and tells every tab.
    pub async fn delete(&self, id: &str) -> Result<(), VaultError> {
        let _writing = self.exclusive().await;
        self.write_target()?;
        let db = self.db().await?;
        let tx = store::strict_write(&db, &[stores::ENTRIES, stores::FILES])?;
        raw_store(&tx, stores::ENTRIES)?
            .delete(&id.into())
            .map_err(failed)?;
        raw_store(&tx, stores::FILES)?
            .delete(&id.into())
            .map_err(failed)?;
        tx.commit().await?;
        self.changed(vec![id.to_owned()]);
        Ok(())
    }

    /// Stores the file of entry `id` (sealed with its media type when a passphrase is set).
    pub async fn put_file(&self, id: &str, file: &web_sys::Blob) -> Result<(), VaultError> {
        let _writing = self.exclusive().await;
        let target = self.write_target()?;
        let body: JsValue = match target {
            None => file.clone().into(),
            Some(g) => {
                let bytes = JsFuture::from(file.array_buffer()).await.map_err(failed)?;
                let framed = crypto::frame(&file.type_(), &Uint8Array::new(&bytes).to_vec());
                self.data_key(g)?
                    .seal(&framed, &row_aad(stores::FILES, id))
                    .await?
                    .into()
            }
        };
        self.put_rows(stores::FILES, &[(id, body)], target).await?;
        self.changed(vec![id.to_owned()]);
        Ok(())
    }

    /// Writes `{ id, g?, body }` rows to `store`, checking the lock in the same transaction.
    async fn put_rows(
        &self,
        store: &str,
        rows: &[(&str, JsValue)],
        target: Option<u32>,
    ) -> Result<(), VaultError> {
        let db = self.db().await?;
        let names = [store, stores::VAULT];
        let tx = store::strict_write(&db, &names)?;
        self.check_lock(&tx).await?;
        let object_store = raw_store(&tx, store)?;
        for (id, body) in rows {
            let row = Object::new();
            set_field(&row, "id", &(*id).into());
            if let Some(g) = target {
                set_field(&row, "g", &g.into());
            }
            set_field(&row, "body", body);
            object_store.put(&row).map_err(failed)?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The file of entry `id`, decrypted, with its media type.
    pub async fn file(&self, id: &str) -> Result<Option<web_sys::Blob>, VaultError> {
        self.ensure_readable()?;
        let row = self.get_row(stores::FILES, id).await?;
        if row.is_undefined() {
            return Ok(None);
        }
        match self.open_rows(stores::FILES, &[row]).await?.pop() {
            Some(Plain::File(blob)) => Ok(Some(blob)),
            _ => Err(VaultError::Corrupt("a file row holds text".into())),
        }
    }

    /// Saves the draft of record form `form_id` (health data: sealed like entries).
    pub async fn save_draft(&self, form_id: &str, json: &str) -> Result<(), VaultError> {
        let _writing = self.exclusive().await;
        let target = self.write_target()?;
        let body = self
            .seal_texts(
                stores::RECORD_DRAFTS,
                &[(form_id.to_owned(), json.to_owned())],
                target,
            )
            .await?;
        self.put_rows(stores::RECORD_DRAFTS, &[(form_id, body[0].clone())], target)
            .await
    }

    /// The saved draft of record form `form_id`.
    pub async fn draft(&self, form_id: &str) -> Result<Option<String>, VaultError> {
        self.ensure_readable()?;
        let row = self.get_row(stores::RECORD_DRAFTS, form_id).await?;
        if row.is_undefined() {
            return Ok(None);
        }
        match self.open_rows(stores::RECORD_DRAFTS, &[row]).await?.pop() {
            Some(Plain::Text(json)) => Ok(Some(json)),
            _ => Err(VaultError::Corrupt("a draft holds a file".into())),
        }
    }

    /// Forgets the draft of record form `form_id`.
    pub async fn clear_draft(&self, form_id: &str) -> Result<(), VaultError> {
        let _writing = self.exclusive().await;
        self.write_target()?;
        let db = self.db().await?;
        let tx = store::strict_write(&db, &[stores::RECORD_DRAFTS])?;
        raw_store(&tx, stores::RECORD_DRAFTS)?
            .delete(&form_id.into())
            .map_err(failed)?;
        tx.commit().await?;
        Ok(())
    }

    /// A small setting that is not health data (idle minutes, last export time), from the
    /// shared `settings` store; readable while locked.
    pub async fn get_setting(&self, key: &str) -> Result<Option<String>, VaultError> {
        let row = self.get_row(stores::SETTINGS, key).await?;
        Ok(field(&row, "value").as_string())
    }

    /// Saves a small setting that is not health data.
    pub async fn set_setting(&self, key: &str, value: &str) -> Result<(), VaultError> {
        let db = self.db().await?;
        let tx = store::strict_write(&db, &[stores::SETTINGS])?;
        let row = Object::new();
        set_field(&row, "key", &key.into());
        set_field(&row, "value", &value.into());
        raw_store(&tx, stores::SETTINGS)?
            .put(&row)
            .map_err(failed)?;
        tx.commit().await?;
        Ok(())
    }

    /// Test hook: the next re-encryption (setting, changing or removing the passphrase)
    /// fails with a storage error after `rows` rows, as if the tab had closed part-way.
    #[doc(hidden)]
    pub fn interrupt_after(&self, rows: usize) {
        self.inner.interrupt_after.set(Some(rows));
    }
}

fn message(db: &str, ids: &[String], state: Option<&str>, wiped: bool) -> JsValue {
    let object = Object::new();
    set_field(&object, "db", &db.into());
    let list = Array::new();
    for id in ids {
        list.push(&id.as_str().into());
    }
    set_field(&object, "ids", &list);
    if let Some(state) = state {
        set_field(&object, "state", &state.into());
    }
    if wiped {
        set_field(&object, "wiped", &JsValue::TRUE);
    }
    object.into()
}

/// A Blob of `bytes` with `media_type`.
fn blob(bytes: &[u8], media_type: &str) -> Result<web_sys::Blob, VaultError> {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(media_type);
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(failed)
}

mod lock;

pub use lock::delete_everything;

#[cfg(test)]
mod tests {
    use haven_api::record::{Date, DateTime};

    use super::*;

    #[test]
    fn a_whole_day_sorts_at_noon_utc_and_a_moment_at_its_instant() {
        let day = Date::new(2025, 3, 1).unwrap();
        assert_eq!(at_ms(When::Date(day)), 1_740_830_400_000.0);
        let morning = DateTime::new(day, 7, 30, 0, 7 * 60).unwrap();
        assert_eq!(at_ms(When::DateTime(morning)), 1_740_789_000_000.0);
        assert!(at_ms(When::DateTime(morning)) < at_ms(When::Date(day)));
    }

    #[test]
    fn writes_follow_the_journal() {
        let lock = LockRecord {
            g: 3,
            salt: vec![],
            wrapped: vec![],
            sealing: false,
            removing: false,
        };
        let next = NextRecord {
            g: 4,
            salt: vec![],
            wrapped: vec![],
            prev: vec![],
            fwd: vec![],
        };
        let open = Persisted {
            has_lock: false,
            target: None,
        };
        assert_eq!(persisted(None, None), open);
        assert_eq!(persisted(Some(&lock), None).target, Some(3));
        assert_eq!(persisted(Some(&lock), Some(&next)).target, Some(4));
        let removing = LockRecord {
            removing: true,
            ..lock
        };
        assert_eq!(
            persisted(Some(&removing), None),
            Persisted {
                has_lock: true,
                target: None
            }
        );
    }
}
