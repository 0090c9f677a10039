//! The record as the pages see it: the vault, its lock, and the entries in memory, newest
//! first, kept in step with this tab's saves and with other tabs' changes.
//!
//! Opening shows the newest page of entries at once (one index cursor) and then reads the
//! rest, so a record of thousands of entries opens as fast as a small one. While the record
//! is unlocked, a timer locks it again after the patient's idle time.

use std::cell::RefCell;
use std::rc::Rc;

use haven_api::fold::fold;
use haven_api::record::{Date, Entry, Kind};
use leptos::prelude::*;

use crate::store::DB_NAME;
use crate::vault::{Change, LockState, Subscription, Vault, VaultError};

/// How many entries the first read shows.
pub const FIRST_PAGE: usize = 50;

/// The default idle time before the record locks itself, in minutes.
pub const DEFAULT_IDLE_MINUTES: u32 = 5;

/// Settings keys (non-health values in the shared settings store).
pub mod keys {
    /// Minutes without input before an unlocked record locks itself.
    pub const IDLE_MINUTES: &str = "record.idle_minutes";
    /// Days after which unsaved changes bring a backup reminder (0: never).
    pub const REMINDER_DAYS: &str = "record.reminder_days";
    /// When the last backup (export of the whole record) was made, in Unix milliseconds.
    pub const LAST_BACKUP: &str = "record.last_backup";
    /// Set once the patient has been asked to keep the data (`storage.persist()`).
    pub const PERSIST_ASKED: &str = "record.persist_asked";
}

/// Where opening the record stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Opening the database.
    Opening,
    /// Open; see the lock state.
    Ready,
    /// The database could not be opened (storage blocked, or a newer Haven in another tab).
    Failed(String),
    /// Everything was deleted; the record opens again (empty) when the patient asks.
    Deleted,
}

/// The record context.
#[derive(Clone, Copy)]
pub struct Record {
    vault: StoredValue<Option<Vault>, LocalStorage>,
    subscription: StoredValue<Option<Subscription>, LocalStorage>,
    idle: StoredValue<Option<leptos::leptos_dom::helpers::TimeoutHandle>, LocalStorage>,
    /// Where opening stands.
    pub status: RwSignal<Status>,
    /// Locked, unlocked or without a passphrase.
    pub lock: RwSignal<LockState>,
    /// The entries read so far, newest first.
    pub entries: RwSignal<Vec<Entry>>,
    /// Each entry's text folded for search, in the same order.
    pub search_text: Memo<Vec<String>>,
    /// Whether every entry has been read (the first page comes before the rest).
    pub complete: RwSignal<bool>,
    /// Minutes of no input before the record locks itself.
    pub idle_minutes: RwSignal<u32>,
}

/// The record context.
pub fn use_record() -> Record {
    expect_context()
}

impl Record {
    /// Creates the context and starts opening the record.
    pub fn provide() -> Record {
        let entries = RwSignal::new(Vec::<Entry>::new());
        let record = Record {
            vault: StoredValue::new_local(None),
            subscription: StoredValue::new_local(None),
            idle: StoredValue::new_local(None),
            status: RwSignal::new(Status::Opening),
            lock: RwSignal::new(LockState::Open),
            entries,
            search_text: Memo::new(move |_| {
                entries.with(|entries| {
                    entries
                        .iter()
                        .map(|entry| search_text(entry, super::describe::kind_name(entry.kind)))
                        .collect()
                })
            }),
            complete: RwSignal::new(false),
            idle_minutes: RwSignal::new(DEFAULT_IDLE_MINUTES),
        };
        provide_context(record);
        record.watch_activity();
        record.open();
        on_cleanup(move || {
            record.subscription.set_value(None);
            record.stop_idle_timer();
        });
        record
    }

    /// The vault, once open.
    pub fn vault(self) -> Option<Vault> {
        self.vault.get_value()
    }

    /// After "delete everything": nothing is open or read until the patient starts again,
    /// so nothing is written back in the meantime.
    pub fn deleted(self) {
        self.subscription.set_value(None);
        self.vault.set_value(None);
        self.stop_idle_timer();
        self.entries.set(Vec::new());
        self.complete.set(false);
        self.lock.set(LockState::Open);
        self.status.set(Status::Deleted);
    }

    /// Opens (or, after "delete everything", reopens) the record.
    pub fn open(self) {
        self.status.set(Status::Opening);
        self.entries.set(Vec::new());
        self.complete.set(false);
        wasm_bindgen_futures::spawn_local(async move {
            match Vault::open(DB_NAME).await {
                Ok(vault) => {
                    let subscription = vault.subscribe(move |change| self.on_change(change));
                    self.subscription.set_value(Some(subscription));
                    self.vault.set_value(Some(vault.clone()));
                    if let Ok(Some(minutes)) = vault.get_setting(keys::IDLE_MINUTES).await
                        && let Ok(minutes) = minutes.parse()
                    {
                        self.idle_minutes.set(minutes);
                    }
                    self.lock.set(vault.state());
                    self.status.set(Status::Ready);
                    if vault.state() != LockState::Locked {
                        self.load().await;
                    }
                }
                Err(error) => self.status.set(Status::Failed(error.to_string())),
            }
        });
    }

    /// Reads the newest page, then everything.
    async fn load(self) {
        let Some(vault) = self.vault() else { return };
        match vault.newest(None, FIRST_PAGE).await {
            Ok(first) => {
                let all_read = first.len() < FIRST_PAGE;
                self.entries.set(first);
                if all_read {
                    self.complete.set(true);
                    return;
                }
            }
            Err(error) => return self.failed(error),
        }
        match vault.all().await {
            Ok(mut all) => {
                sort(&mut all);
                self.entries.set(all);
                self.complete.set(true);
            }
            Err(error) => self.failed(error),
        }
    }

    fn failed(self, error: VaultError) {
        if matches!(error, VaultError::Locked) {
            self.locked();
        } else {
            self.status.set(Status::Failed(error.to_string()));
        }
    }

    /// Saves an entry (new or changed) and shows it at once.
    pub async fn save(self, entry: Entry) -> Result<(), VaultError> {
        let vault = self.vault().ok_or(VaultError::Locked)?;
        vault.put(&entry).await?;
        self.upsert(entry);
        Ok(())
    }

    /// Saves many entries in one go (an import).
    pub async fn save_many(self, entries: Vec<Entry>) -> Result<(), VaultError> {
        let vault = self.vault().ok_or(VaultError::Locked)?;
        vault.put_many(&entries).await?;
        self.entries.update(|all| {
            let ids: std::collections::HashSet<&str> =
                entries.iter().map(|e| e.id.as_str()).collect();
            all.retain(|e| !ids.contains(e.id.as_str()));
            all.extend(entries.iter().cloned());
            sort(all);
        });
        Ok(())
    }

    /// Deletes an entry and its file.
    pub async fn delete(self, id: String) -> Result<(), VaultError> {
        let vault = self.vault().ok_or(VaultError::Locked)?;
        vault.delete(&id).await?;
        self.entries
            .update(|all| all.retain(|entry| entry.id != id));
        Ok(())
    }

    /// An entry by id, from memory.
    pub fn get(self, id: &str) -> Option<Entry> {
        self.entries
            .with(|all| all.iter().find(|entry| entry.id == id).cloned())
    }

    fn upsert(self, entry: Entry) {
        self.entries.update(|all| {
            all.retain(|e| e.id != entry.id);
            let at = all.partition_point(|e| newer_first(e, &entry) == std::cmp::Ordering::Less);
            all.insert(at, entry);
        });
    }

    /// Another tab (or this one) changed the record.
    fn on_change(self, change: &Change) {
        if change.locked {
            self.locked();
            return;
        }
        let Some(vault) = self.vault() else { return };
        if self.lock.get_untracked() == LockState::Locked {
            // Another tab removed the passphrase while this one was locked: read the record.
            let now = vault.state();
            self.lock.set(now);
            if now != LockState::Locked {
                wasm_bindgen_futures::spawn_local(self.load());
            }
            return;
        }
        let ids = change.ids.clone();
        wasm_bindgen_futures::spawn_local(async move {
            self.lock.set(vault.state());
            if vault.state() == LockState::Locked {
                self.locked();
                return;
            }
            if ids.is_empty() {
                self.load().await;
                return;
            }
            for id in ids {
                match vault.get(&id).await {
                    Ok(Some(entry)) => self.upsert(entry),
                    Ok(None) => self.entries.update(|all| all.retain(|e| e.id != id)),
                    Err(error) => return self.failed(error),
                }
            }
        });
    }

    /// Locks the record now: the key is forgotten and nothing of it stays on the page.
    pub fn lock_now(self) {
        if let Some(vault) = self.vault() {
            vault.lock();
        }
        self.locked();
    }

    fn locked(self) {
        self.stop_idle_timer();
        self.entries.set(Vec::new());
        self.complete.set(false);
        self.lock.set(LockState::Locked);
    }

    /// Unlocks with the passphrase and reads the record.
    pub async fn unlock(self, passphrase: &str) -> Result<(), VaultError> {
        let vault = self.vault().ok_or(VaultError::Locked)?;
        vault.unlock(passphrase).await?;
        self.lock.set(vault.state());
        self.restart_idle_timer();
        self.load().await;
        Ok(())
    }

    /// After a passphrase is set, changed or removed.
    pub fn lock_changed(self) {
        if let Some(vault) = self.vault() {
            self.lock.set(vault.state());
            self.restart_idle_timer();
        }
    }

    fn stop_idle_timer(self) {
        if let Some(handle) = self.idle.get_value() {
            handle.clear();
        }
        self.idle.set_value(None);
    }

    /// (Re)starts the idle timer while the record is unlocked.
    pub fn restart_idle_timer(self) {
        self.stop_idle_timer();
        if self.lock.get_untracked() != LockState::Unlocked {
            return;
        }
        let minutes = self.idle_minutes.get_untracked().max(1);
        let handle = set_timeout_with_handle(
            move || self.lock_now(),
            std::time::Duration::from_secs(u64::from(minutes) * 60),
        );
        self.idle.set_value(handle.ok());
    }

    /// Any key, pointer or touch input restarts the idle timer.
    fn watch_activity(self) {
        let last = Rc::new(RefCell::new(0.0_f64));
        let on_activity = move || {
            // Restarting a timer on every mouse move would be wasteful: once a second is
            // plenty for a timeout of minutes.
            let now = js_sys::Date::now();
            if now - *last.borrow() > 1000.0 {
                *last.borrow_mut() = now;
                self.restart_idle_timer();
            }
        };
        let keys = window_event_listener(leptos::ev::keydown, {
            let on_activity = on_activity.clone();
            move |_| on_activity()
        });
        let pointer = window_event_listener(leptos::ev::pointerdown, {
            let on_activity = on_activity.clone();
            move |_| on_activity()
        });
        let scroll = window_event_listener(leptos::ev::wheel, move |_| on_activity());
        on_cleanup(move || {
            keys.remove();
            pointer.remove();
            scroll.remove();
        });
    }
}

/// Orders entries newest first: by date, then the most recently created.
fn newer_first(a: &Entry, b: &Entry) -> std::cmp::Ordering {
    b.date
        .cmp(&a.date)
        .then_with(|| b.created_at.cmp(&a.created_at))
        .then_with(|| a.id.cmp(&b.id))
}

fn sort(entries: &mut [Entry]) {
    entries.sort_by(newer_first);
}

/// What the timeline shows: a search and filters, all optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Words that must all appear (accents and case do not matter).
    pub query: String,
    /// Only this kind.
    pub kind: Option<Kind>,
    /// Only from this date.
    pub from: Option<Date>,
    /// Only up to this date.
    pub to: Option<Date>,
}

impl Filter {
    /// Whether it lets everything through.
    pub fn is_empty(&self) -> bool {
        self.query.trim().is_empty()
            && self.kind.is_none()
            && self.from.is_none()
            && self.to.is_none()
    }
}

/// An entry's text for search, folded (lower case, no accents, "đ" as "d"): everything the
/// patient typed in it and the name of its kind, computed once per entry, not per keystroke.
pub fn search_text(entry: &Entry, kind_name: &str) -> String {
    let mut text = haven_api::record::summary::search_text(entry);
    text.push(' ');
    text.push_str(kind_name);
    fold(&text)
}

/// The positions of the entries that pass `filter`; `texts` are their [`search_text`]s.
pub fn matching(entries: &[Entry], texts: &[String], filter: &Filter) -> Vec<usize> {
    let needle = fold(filter.query.trim());
    let words: Vec<&str> = needle.split_whitespace().collect();
    entries
        .iter()
        .zip(texts)
        .enumerate()
        .filter(|(_, (entry, text))| {
            filter.kind.is_none_or(|kind| entry.kind == kind)
                && filter.from.is_none_or(|from| entry.date.date() >= from)
                && filter.to.is_none_or(|to| entry.date.date() <= to)
                && words.iter().all(|word| text.contains(word))
        })
        .map(|(at, _)| at)
        .collect()
}
