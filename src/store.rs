//! The one place that owns Haven's IndexedDB schema and its history.
//!
//! Every version is declared in [`schema`]; opening the database applies each step from the
//! stored version to [`schema::LATEST`] in order, with version 0 meaning a fresh install.
//! Released steps are never edited: a feature that needs a new store or index adds a new
//! version. When another tab upgrades or deletes the database, this tab closes its
//! connection, tells the patient, and reopens when it can.

pub mod schema;

use std::cell::RefCell;

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{
    Transaction, TransactionDurability, TransactionMode, TransactionOptions,
};
use leptos::prelude::*;

/// The database name. Tests open other names so they never touch a patient's data.
pub const DB_NAME: &str = "haven";

/// Why the local database could not be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StoreError {
    /// IndexedDB is missing or refused (private mode in some browsers, storage blocked).
    #[error("this browser's storage is not available: {0}")]
    Unavailable(String),
    /// Another tab runs a newer Haven and upgraded the database; this tab must reload.
    #[error("the database was upgraded by a newer version of Haven in another tab")]
    Outdated,
    /// A read or write failed.
    #[error("storage error: {0}")]
    Failed(String),
}

impl From<indexed_db_futures::error::Error> for StoreError {
    fn from(error: indexed_db_futures::error::Error) -> Self {
        StoreError::Failed(error.to_string())
    }
}

impl From<indexed_db_futures::error::OpenDbError> for StoreError {
    fn from(error: indexed_db_futures::error::OpenDbError) -> Self {
        let message = error.to_string();
        if message.contains("VersionError") || message.contains("version") {
            StoreError::Outdated
        } else {
            StoreError::Unavailable(message)
        }
    }
}

/// Opens `name` at the latest schema version, upgrading it step by step.
pub async fn open(name: &str) -> Result<Database, StoreError> {
    let db = Database::open(name)
        .with_version(schema::LATEST)
        .with_on_upgrade_needed(|event, db| {
            let old = event.old_version() as u32;
            let new = event.new_version().map_or(schema::LATEST, |v| v as u32);
            for step in schema::plan(old, new).map_err(|e| {
                indexed_db_futures::error::Error::from(js_sys::Error::new(&e.to_string()))
            })? {
                schema::apply(step, &db)?;
            }
            Ok(())
        })
        .await?;
    Ok(db)
}

thread_local! {
    static SHARED: RefCell<Option<Database>> = const { RefCell::new(None) };
}

/// The shared connection to the patient's database, opened on first use.
pub async fn db() -> Result<Database, StoreError> {
    if let Some(db) = SHARED.with_borrow(Clone::clone) {
        return Ok(db);
    }
    let db = connect(DB_NAME).await?;
    SHARED.with_borrow_mut(|shared| *shared = Some(db.clone()));
    Ok(db)
}

/// Opens `name` and gives way to other tabs: the connection closes itself when another tab
/// upgrades or deletes the database (see [`outdated`]).
pub async fn connect(name: &str) -> Result<Database, StoreError> {
    let db = open(name).await?;
    watch_version_changes(&db);
    Ok(db)
}

/// Starts a transaction whose writes must survive a crash or power loss: they are flushed
/// to disk before `commit` resolves.
pub fn strict_write<'a>(
    db: &'a Database,
    stores: &'a [&'a str],
) -> Result<Transaction<'a>, StoreError> {
    let mut options = TransactionOptions::new();
    options.set_durability(TransactionDurability::Strict);
    Ok(db
        .transaction(stores)
        .with_mode(TransactionMode::Readwrite)
        .with_options(options)
        .build()?)
}

thread_local! {
    // Set when another tab upgraded the database to a version this build does not know.
    // A thread-local rather than a context, because async tasks have no reactive owner.
    static OUTDATED: RwSignal<bool> = RwSignal::new(false);
}

/// True (tracked) after another tab upgraded the database past this build's schema: the
/// patient must reload this tab to keep saving.
pub fn outdated() -> bool {
    OUTDATED.with(|outdated| outdated.get())
}

/// Closes the connection when another tab needs to upgrade or delete the database, so that
/// tab is not blocked. A deletion (for example "delete everything" in another tab) reopens a
/// fresh database on next use; a newer version asks this tab to reload.
fn watch_version_changes(db: &Database) {
    let Ok(mut changes) = db.version_changes() else {
        return;
    };
    let db = db.clone();
    wasm_bindgen_futures::spawn_local(async move {
        if let Some(event) = changes.recv().await {
            SHARED.with_borrow_mut(|shared| {
                if shared
                    .as_ref()
                    .is_some_and(|current| current.name() == db.name())
                {
                    *shared = None;
                }
            });
            db.close();
            let newer = event
                .new_version()
                .is_some_and(|v| v as u32 > schema::LATEST);
            if newer {
                OUTDATED.with(|outdated| outdated.set(true));
            }
        }
    });
}
