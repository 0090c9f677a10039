//! Setting, changing, removing and unlocking the passphrase, the re-encryption that goes with
//! them (resumable through the journal in the `vault` store), the wrong-passphrase delay, and
//! "delete everything".

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use js_sys::{Array, Object, Promise, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::LockState;
use super::crypto::{self, Key};
use super::{
    BATCH, CHANNEL_NAME, DELETE_BLOCKED_MS, Keys, LockRecord, NextRecord, Plain, SEALED_STORES,
    Unlocked, Vault, VaultError, failed, field, idb, js_message, lock_aad, message, now_ms,
    raw_store, read_only, records, row_aad, row_gen, row_id, set_field,
};
use crate::store::{self, StoreError, schema::stores};

/// Wrong passphrases in a row, and when the next try is accepted.
struct Throttle {
    failures: u32,
    until: f64,
}

/// Derives a key-encryption key (Argon2id) and imports it into WebCrypto.
async fn wrapping_key(passphrase: &str, salt: &[u8]) -> Result<Key, VaultError> {
    let mut raw = crypto::derive(passphrase, salt)?;
    let key = Key::import(&raw).await;
    raw.fill(0);
    key
}

/// A new random data key: its raw bytes (to wrap) and the imported key.
async fn new_data_key() -> Result<([u8; crypto::KEY_LEN], Key), VaultError> {
    let raw = crypto::random::<{ crypto::KEY_LEN }>()?;
    let key = Key::import(&raw).await?;
    Ok((raw, key))
}

async fn open_key(key: &Key, sealed: &[u8], aad: &[u8]) -> Result<Option<Key>, VaultError> {
    let Some(mut raw) = key.open(&Uint8Array::from(sealed), aad).await? else {
        return Ok(None);
    };
    let imported = Key::import(&raw).await;
    raw.fill(0);
    imported.map(Some)
}

fn damaged(what: &str) -> VaultError {
    VaultError::Corrupt(format!("the {what} does not open with the record's key"))
}

impl Vault {
    /// Unlocks the record with `passphrase`. If a passphrase change was cut short (the tab
    /// closed), the new passphrase finishes it and the old one undoes it; an interrupted
    /// first sealing or removal is finished. After a wrong passphrase, the next try is
    /// refused with [`VaultError::TooSoon`] for a growing delay that survives reloads.
    pub async fn unlock(&self, passphrase: &str) -> Result<(), VaultError> {
        if matches!(*self.inner.keys.borrow(), Keys::Unlocked(_)) {
            return Ok(());
        }
        let throttle = self.read_throttle().await?;
        let now = now_ms();
        if throttle.until > now {
            return Err(VaultError::TooSoon {
                wait_ms: (throttle.until - now).ceil() as u32,
            });
        }
        let (lock, next) = self.read_lock().await?;
        let Some(lock) = lock else {
            *self.inner.keys.borrow_mut() = Keys::Open;
            return Ok(());
        };
        let Some(unlocked) = self.try_keys(passphrase, &lock, next.as_ref()).await? else {
            let failures = throttle.failures.saturating_add(1);
            let wait_ms = crypto::retry_delay_ms(failures);
            self.write_throttle(&Throttle {
                failures,
                until: now_ms() + f64::from(wait_ms),
            })
            .await?;
            return Err(VaultError::WrongPassphrase { wait_ms });
        };
        if throttle.failures > 0 {
            self.write_throttle(&Throttle {
                failures: 0,
                until: 0.0,
            })
            .await?;
        }
        *self.inner.keys.borrow_mut() = Keys::Unlocked(unlocked);
        let _writing = self.exclusive().await;
        self.finish(&|_, _| {}).await
    }

    /// The keys `passphrase` opens, with the generation to write: `None` if it is wrong.
    async fn try_keys(
        &self,
        passphrase: &str,
        lock: &LockRecord,
        next: Option<&NextRecord>,
    ) -> Result<Option<Unlocked>, VaultError> {
        let kek = wrapping_key(passphrase, &lock.salt).await?;
        if let Some(data) = open_key(&kek, &lock.wrapped, &lock_aad(lock.g)).await? {
            let mut unlocked = Unlocked {
                data: BTreeMap::from([(lock.g, data.clone())]),
                wrapping: BTreeMap::from([(lock.g, kek)]),
                target: (!lock.removing).then_some(lock.g),
            };
            if let Some(next) = next {
                // The old passphrase during an interrupted change: undo the change.
                let newer = open_key(&data, &next.fwd, b"fwd")
                    .await?
                    .ok_or_else(|| damaged("new key"))?;
                unlocked.data.insert(next.g, newer);
                unlocked.target = Some(lock.g);
            }
            return Ok(Some(unlocked));
        }
        let Some(next) = next else { return Ok(None) };
        let kek = wrapping_key(passphrase, &next.salt).await?;
        let Some(data) = open_key(&kek, &next.wrapped, &lock_aad(next.g)).await? else {
            return Ok(None);
        };
        // The new passphrase during an interrupted change: finish it.
        let older = open_key(&data, &next.prev, b"prev")
            .await?
            .ok_or_else(|| damaged("old key"))?;
        Ok(Some(Unlocked {
            data: BTreeMap::from([(lock.g, older), (next.g, data)]),
            wrapping: BTreeMap::from([(next.g, kek)]),
            target: Some(next.g),
        }))
    }

    /// Sets the passphrase: from [`LockState::Open`](super::LockState::Open) seals every
    /// entry, file and draft; from `Unlocked` changes it, re-encrypting everything with a new
    /// key. `progress(done, total)` is called after each batch of rows. Other tabs are locked.
    pub async fn set_passphrase(
        &self,
        passphrase: &str,
        progress: &dyn Fn(usize, usize),
    ) -> Result<(), VaultError> {
        let _writing = self.exclusive().await;
        match self.state() {
            LockState::Locked => return Err(VaultError::Locked),
            LockState::Open => return self.seal_first(passphrase, progress).await,
            LockState::Unlocked => {}
        }
        let (lock, next) = self.read_lock().await?;
        if next.is_some() || lock.is_some_and(|lock| lock.sealing || lock.removing) {
            // Finish what an earlier attempt left half done first.
            self.finish(&|_, _| {}).await?;
        }
        match self.state() {
            LockState::Open => self.seal_first(passphrase, progress).await,
            _ => self.change(passphrase, progress).await,
        }
    }

    /// Sets the first passphrase: writes the lock (marked as sealing), then seals every row.
    async fn seal_first(
        &self,
        passphrase: &str,
        progress: &dyn Fn(usize, usize),
    ) -> Result<(), VaultError> {
        let (lock, _) = self.read_lock().await?;
        if lock.is_some() {
            // Another tab set a passphrase meanwhile.
            *self.inner.keys.borrow_mut() = Keys::Locked;
            return Err(VaultError::Locked);
        }
        let salt = crypto::random::<{ crypto::SALT_LEN }>()?;
        let kek = wrapping_key(passphrase, &salt).await?;
        let (mut raw, data) = new_data_key().await?;
        let g = 1;
        let record = LockRecord {
            g,
            salt: salt.to_vec(),
            wrapped: kek.seal(&raw, &lock_aad(g)).await?.to_vec(),
            sealing: true,
            removing: false,
        };
        raw.fill(0);
        self.write_vault(&[record.to_js()], &[]).await?;
        *self.inner.keys.borrow_mut() = Keys::Unlocked(Unlocked {
            data: BTreeMap::from([(g, data)]),
            wrapping: BTreeMap::from([(g, kek)]),
            target: Some(g),
        });
        self.broadcast(&[], Some("locked"));
        self.finish(progress).await
    }

    /// Changes the passphrase: writes the journal (`next`: the new generation, each data key
    /// sealed with the other), then re-encrypts every row and promotes the new generation.
    async fn change(
        &self,
        passphrase: &str,
        progress: &dyn Fn(usize, usize),
    ) -> Result<(), VaultError> {
        let (lock, _) = self.read_lock().await?;
        let lock = lock.ok_or(VaultError::Locked)?;
        let mut unlocked = self.unlocked().ok_or(VaultError::Locked)?;
        let (Some(old_kek), Some(old_data)) =
            (unlocked.wrapping.get(&lock.g), unlocked.data.get(&lock.g))
        else {
            return Err(VaultError::Locked);
        };
        let salt = crypto::random::<{ crypto::SALT_LEN }>()?;
        let kek = wrapping_key(passphrase, &salt).await?;
        let (mut raw, data) = new_data_key().await?;
        let mut old_raw = old_kek
            .open(&Uint8Array::from(&lock.wrapped[..]), &lock_aad(lock.g))
            .await?
            .ok_or_else(|| damaged("record key"))?;
        let g = lock.g + 1;
        let record = NextRecord {
            g,
            salt: salt.to_vec(),
            wrapped: kek.seal(&raw, &lock_aad(g)).await?.to_vec(),
            prev: data.seal(&old_raw, b"prev").await?.to_vec(),
            fwd: old_data.seal(&raw, b"fwd").await?.to_vec(),
        };
        raw.fill(0);
        old_raw.fill(0);
        self.write_vault(&[record.to_js()], &[]).await?;
        unlocked.data.insert(g, data);
        unlocked.wrapping.insert(g, kek);
        unlocked.target = Some(g);
        *self.inner.keys.borrow_mut() = Keys::Unlocked(unlocked);
        self.broadcast(&[], Some("locked"));
        self.finish(progress).await
    }

    /// Removes the passphrase: every entry, file and draft is stored in clear again. Other
    /// tabs are told the record is open.
    pub async fn remove_passphrase(
        &self,
        progress: &dyn Fn(usize, usize),
    ) -> Result<(), VaultError> {
        let _writing = self.exclusive().await;
        match &*self.inner.keys.borrow() {
            Keys::Locked => return Err(VaultError::Locked),
            Keys::Open => return Ok(()),
            Keys::Unlocked(_) => {}
        }
        let (lock, next) = self.read_lock().await?;
        if next.is_some() || lock.as_ref().is_some_and(|lock| lock.sealing) {
            self.finish(&|_, _| {}).await?;
        }
        let (lock, _) = self.read_lock().await?;
        let Some(lock) = lock else {
            *self.inner.keys.borrow_mut() = Keys::Open;
            return Ok(());
        };
        let record = LockRecord {
            removing: true,
            ..lock
        };
        self.write_vault(&[record.to_js()], &[]).await?;
        if let Keys::Unlocked(unlocked) = &mut *self.inner.keys.borrow_mut() {
            unlocked.target = None;
        }
        self.broadcast(&[], Some("locked"));
        self.finish(progress).await
    }

    /// Brings every row to this tab's write generation, then closes the journal: promotes a
    /// finished change, drops an undone one, or deletes the lock after a removal. Called
    /// holding the write lock.
    async fn finish(&self, progress: &dyn Fn(usize, usize)) -> Result<(), VaultError> {
        let unlocked = self.unlocked().ok_or(VaultError::Locked)?;
        let (lock, next) = self.read_lock().await?;
        let Some(lock) = lock else {
            *self.inner.keys.borrow_mut() = Keys::Open;
            return Ok(());
        };
        let journal = next.is_some() || lock.sealing || lock.removing;
        if !journal {
            return Ok(());
        }
        let target = unlocked.target;
        self.migrate(&unlocked, progress).await?;
        match (target, next) {
            (Some(g), Some(next)) if g == next.g => {
                let promoted = LockRecord {
                    g: next.g,
                    salt: next.salt,
                    wrapped: next.wrapped,
                    sealing: false,
                    removing: false,
                };
                self.write_vault(&[promoted.to_js()], &[records::NEXT])
                    .await?;
                self.keep_only(g);
            }
            (Some(g), Some(_)) => {
                self.write_vault(&[], &[records::NEXT]).await?;
                self.keep_only(g);
            }
            (Some(g), None) => {
                let sealed = LockRecord {
                    sealing: false,
                    removing: false,
                    ..lock
                };
                self.write_vault(&[sealed.to_js()], &[]).await?;
                self.keep_only(g);
            }
            (None, _) => {
                self.write_vault(&[], &[records::LOCK, records::NEXT])
                    .await?;
                *self.inner.keys.borrow_mut() = Keys::Open;
                self.broadcast(&[], Some("open"));
            }
        }
        Ok(())
    }

    /// Forgets every key but generation `g`'s.
    fn keep_only(&self, g: u32) {
        if let Keys::Unlocked(unlocked) = &mut *self.inner.keys.borrow_mut() {
            unlocked.data.retain(|&k, _| k == g);
            unlocked.wrapping.retain(|&k, _| k == g);
            unlocked.target = Some(g);
        }
    }

    /// Puts and deletes records of the `vault` store in one strict transaction.
    async fn write_vault(&self, puts: &[JsValue], deletes: &[&str]) -> Result<(), VaultError> {
        let db = self.db().await?;
        let tx = store::strict_write(&db, &[stores::VAULT])?;
        let vault = raw_store(&tx, stores::VAULT)?;
        for record in puts {
            vault.put(record).map_err(failed)?;
        }
        for key in deletes {
            vault.delete(&(*key).into()).map_err(failed)?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Re-encrypts, in batches, every row not yet at `keys.target`.
    async fn migrate(
        &self,
        keys: &Unlocked,
        progress: &dyn Fn(usize, usize),
    ) -> Result<(), VaultError> {
        let db = self.db().await?;
        let mut total = 0usize;
        {
            let tx = read_only(&db, &SEALED_STORES)?;
            for name in SEALED_STORES {
                let count = idb::result(raw_store(&tx, name)?.count()).await?;
                total += count.as_f64().unwrap_or(0.0) as usize;
            }
        }
        let mut done = 0usize;
        progress(done, total);
        for name in SEALED_STORES {
            let mut after: Option<String> = None;
            loop {
                let rows = {
                    let names = [name];
                    let tx = read_only(&db, &names)?;
                    let range = match &after {
                        Some(id) => web_sys::IdbKeyRange::lower_bound_with_open(&id.into(), true)
                            .map_err(failed)?
                            .into(),
                        None => JsValue::NULL,
                    };
                    idb::all(raw_store(&tx, name)?.get_all_with_key_and_limit(&range, BATCH))
                        .await?
                };
                let Some(last) = rows.last() else { break };
                after = Some(row_id(last)?);
                let stale: Vec<JsValue> = rows
                    .iter()
                    .filter(|row| row_gen(row) != keys.target)
                    .cloned()
                    .collect();
                if !stale.is_empty() {
                    let rewritten = self.reseal(name, &stale, keys).await?;
                    let names = [name];
                    let tx = store::strict_write(&db, &names)?;
                    let object_store = raw_store(&tx, name)?;
                    for row in &rewritten {
                        object_store.put(row).map_err(failed)?;
                    }
                    tx.commit().await?;
                }
                done += rows.len();
                progress(done, total);
                if let Some(limit) = self.inner.interrupt_after.get()
                    && done >= limit
                {
                    self.inner.interrupt_after.set(None);
                    return Err(
                        StoreError::Failed("interrupted part-way (test hook)".into()).into(),
                    );
                }
            }
        }
        Ok(())
    }

    /// Copies of `rows` with their bodies opened and sealed again for `keys.target` (or left
    /// in clear for `None`).
    async fn reseal(
        &self,
        name: &str,
        rows: &[JsValue],
        keys: &Unlocked,
    ) -> Result<Vec<JsValue>, VaultError> {
        // Open with every key this migration knows, whatever this tab's state.
        let saved = std::mem::replace(
            &mut *self.inner.keys.borrow_mut(),
            Keys::Unlocked(keys.clone()),
        );
        let opened = self.open_rows(name, rows).await;
        *self.inner.keys.borrow_mut() = saved;
        let opened = opened?;
        let key = match keys.target {
            Some(g) => Some(keys.data.get(&g).ok_or(VaultError::Locked)?.clone()),
            None => None,
        };
        let mut out = Vec::with_capacity(rows.len());
        let mut sealing = Vec::new();
        for (row, plain) in rows.iter().zip(opened) {
            let copy = Object::assign(&Object::new(), row.unchecked_ref());
            let id = row_id(row)?;
            match (&key, plain) {
                (None, Plain::Text(text)) => set_field(&copy, "body", &text.into()),
                (None, Plain::File(blob)) => set_field(&copy, "body", &blob),
                (Some(_), Plain::Text(text)) => {
                    sealing.push((
                        out.len(),
                        Uint8Array::from(text.as_bytes()),
                        row_aad(name, &id),
                    ));
                }
                (Some(_), Plain::File(blob)) => {
                    let bytes = JsFuture::from(blob.array_buffer()).await.map_err(failed)?;
                    let framed = crypto::frame(&blob.type_(), &Uint8Array::new(&bytes).to_vec());
                    sealing.push((out.len(), Uint8Array::from(&framed[..]), row_aad(name, &id)));
                }
            }
            match keys.target {
                Some(g) => set_field(&copy, "g", &g.into()),
                None => {
                    let _ = js_sys::Reflect::delete_property(&copy, &"g".into());
                }
            }
            out.push(copy);
        }
        if let Some(key) = key {
            let items: Vec<(Uint8Array, Vec<u8>)> = sealing
                .iter()
                .map(|(_, plain, aad)| (plain.clone(), aad.clone()))
                .collect();
            for ((i, _, _), sealed) in sealing.iter().zip(key.seal_many(&items).await?) {
                set_field(&out[*i], "body", &sealed);
            }
        }
        Ok(out.into_iter().map(JsValue::from).collect())
    }

    async fn read_throttle(&self) -> Result<Throttle, VaultError> {
        let db = self.db().await?;
        let tx = read_only(&db, &[stores::VAULT])?;
        let row =
            idb::result(raw_store(&tx, stores::VAULT)?.get(&records::THROTTLE.into())).await?;
        Ok(Throttle {
            failures: field(&row, "failures").as_f64().unwrap_or(0.0) as u32,
            until: field(&row, "until").as_f64().unwrap_or(0.0),
        })
    }

    async fn write_throttle(&self, throttle: &Throttle) -> Result<(), VaultError> {
        let row = Object::new();
        set_field(&row, "key", &records::THROTTLE.into());
        set_field(&row, "failures", &throttle.failures.into());
        set_field(&row, "until", &throttle.until.into());
        self.write_vault(&[row.into()], &[]).await
    }
}

/// The patient's "delete everything": tells every tab to drop the record, deletes the whole
/// IndexedDB database `db_name` (record, files, drafts, outbox, keys, content cache), every
/// Cache Storage cache, and this origin's localStorage and sessionStorage.
///
/// Other tabs close their connections when told (see [`crate::store`]); if one does not
/// within a few seconds, this returns an error instead of hanging, and the browser deletes
/// the database as soon as that tab lets go.
pub async fn delete_everything(db_name: &str) -> Result<(), VaultError> {
    // A send in flight would otherwise finish after the deletion.
    crate::outbox::stop_sending();
    if let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL_NAME) {
        let _ = channel.post_message(&message(db_name, &[], Some("open"), true));
        channel.close();
    }
    let window = web_sys::window().ok_or(VaultError::Store(StoreError::Unavailable(
        "no window".into(),
    )))?;
    let mut outcome = delete_database(&window, db_name).await;
    if let Ok(caches) = window.caches() {
        let cleared = async {
            let names: Array = JsFuture::from(caches.keys()).await?.unchecked_into();
            for name in names.iter() {
                if let Some(name) = name.as_string() {
                    JsFuture::from(caches.delete(&name)).await?;
                }
            }
            Ok::<(), JsValue>(())
        };
        if let Err(error) = cleared.await {
            outcome = outcome.and(Err(failed(error)));
        }
    }
    for storage in [window.local_storage(), window.session_storage()] {
        if let Ok(Some(storage)) = storage
            && let Err(error) = storage.clear()
        {
            outcome = outcome.and(Err(failed(error)));
        }
    }
    outcome
}

/// Deletes the database, giving up (with an error) if other connections stay open.
async fn delete_database(window: &web_sys::Window, name: &str) -> Result<(), VaultError> {
    let factory = window
        .indexed_db()
        .map_err(failed)?
        .ok_or(VaultError::Store(StoreError::Unavailable(
            "no IndexedDB".into(),
        )))?;
    let request = factory.delete_database(name).map_err(failed)?;
    type Settle = Rc<RefCell<Option<(js_sys::Function, js_sys::Function)>>>;
    let settle: Settle = Rc::new(RefCell::new(None));
    let promise = Promise::new(&mut |resolve, reject| {
        *settle.borrow_mut() = Some((resolve, reject));
    });
    let on_event = {
        let settle = settle.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            match event.type_().as_str() {
                "success" => {
                    if let Some((resolve, _)) = settle.borrow_mut().take() {
                        let _ = resolve.call0(&JsValue::NULL);
                    }
                }
                "blocked" => {
                    // Other tabs were asked to close; give them a moment.
                    let settle = settle.clone();
                    let give_up = Closure::once_into_js(move || {
                        if let Some((_, reject)) = settle.borrow_mut().take() {
                            let _ = reject.call1(
                            &JsValue::NULL,
                            &"another tab keeps the database open; it is deleted when that tab closes".into(),
                        );
                        }
                    });
                    if let Some(window) = web_sys::window() {
                        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                            give_up.unchecked_ref(),
                            DELETE_BLOCKED_MS,
                        );
                    }
                }
                _ => {
                    if let Some((_, reject)) = settle.borrow_mut().take() {
                        let _ =
                            reject.call1(&JsValue::NULL, &"deleting the database failed".into());
                    }
                }
            }
        })
    };
    let callback: &js_sys::Function = on_event.as_ref().unchecked_ref();
    request.set_onsuccess(Some(callback));
    request.set_onerror(Some(callback));
    request.set_onblocked(Some(callback));
    let outcome = JsFuture::from(promise).await;
    request.set_onsuccess(None);
    request.set_onerror(None);
    request.set_onblocked(None);
    drop(on_event);
    outcome
        .map(drop)
        .map_err(|error| VaultError::Store(StoreError::Failed(js_message(&error))))
}
