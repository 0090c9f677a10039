//! Haven's IndexedDB schema history. Each version is one [`Step`]; a released step is never
//! edited. To change the schema, add a variant and a match arm, and raise [`LATEST`].

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;

/// The newest schema version this build knows.
pub const LATEST: u32 = 3;

/// Object store names.
pub mod stores {
    /// Pending and recent sends to the server: [`crate::outbox::OutboxItem`] by `id`.
    pub const OUTBOX: &str = "outbox";
    /// Unsent form drafts, by form id, so nothing typed is lost on a reload or crash.
    pub const DRAFTS: &str = "drafts";
    /// Small key-value settings that are not health data.
    pub const SETTINGS: &str = "settings";
    /// The last education pack downloaded per language, by `lang`, for reading offline.
    pub const CONTENT: &str = "content";
    /// The record's entries by `id`: `{ id, kind, at, g?, body }`, where only `id`, `kind`
    /// and `at` (the entry's date in Unix milliseconds) are in clear (see [`crate::vault`]).
    pub const ENTRIES: &str = "entries";
    /// The record's files (document scans and photos) by entry `id`.
    pub const FILES: &str = "files";
    /// Record form drafts by form `id`: health data, sealed like entries.
    pub const RECORD_DRAFTS: &str = "record_drafts";
    /// The record lock's key material, passphrase-change journal and retry delay, by `key`.
    pub const VAULT: &str = "vault";
}

/// Index names.
pub mod indexes {
    /// [`super::stores::ENTRIES`] by `at`: the timeline, newest first with a reverse cursor.
    pub const BY_DATE: &str = "by_date";
    /// [`super::stores::ENTRIES`] by `[kind, at]`: one kind's entries in date order.
    pub const BY_KIND: &str = "by_kind";
}

/// One schema version's changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Version 1: the outbox (indexed by creation time), drafts and settings.
    V1,
    /// Version 2: the education pack cache.
    V2,
    /// Version 3: the patient's record (entries, files, record drafts) and its lock.
    V3,
}

/// Why a database cannot be upgraded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// The stored database is newer than this build (a newer Haven ran in another tab).
    #[error("database version {stored} is newer than this build's {latest}")]
    Newer {
        /// The version on disk.
        stored: u32,
        /// The newest version this build knows.
        latest: u32,
    },
}

/// The steps that take a database from version `old` (0 = fresh install) to `new`.
pub fn plan(old: u32, new: u32) -> Result<Vec<Step>, PlanError> {
    if old > LATEST || new > LATEST {
        return Err(PlanError::Newer {
            stored: old.max(new),
            latest: LATEST,
        });
    }
    Ok(((old + 1)..=new)
        .map(|version| match version {
            1 => Step::V1,
            2 => Step::V2,
            3 => Step::V3,
            _ => unreachable!("every version up to LATEST has a step"),
        })
        .collect())
}

/// Applies one step inside the upgrade transaction.
pub fn apply(step: Step, db: &Database) -> indexed_db_futures::Result<()> {
    match step {
        Step::V1 => {
            let outbox = db
                .create_object_store(stores::OUTBOX)
                .with_key_path("id".into())
                .build()?;
            outbox
                .create_index("by_created", "created_at".into())
                .build()?;
            db.create_object_store(stores::DRAFTS)
                .with_key_path("id".into())
                .build()?;
            db.create_object_store(stores::SETTINGS)
                .with_key_path("key".into())
                .build()?;
        }
        Step::V2 => {
            db.create_object_store(stores::CONTENT)
                .with_key_path("lang".into())
                .build()?;
        }
        Step::V3 => {
            let entries = db
                .create_object_store(stores::ENTRIES)
                .with_key_path("id".into())
                .build()?;
            entries
                .create_index(indexes::BY_DATE, "at".into())
                .build()?;
            entries
                .create_index(indexes::BY_KIND, ["kind", "at"].into())
                .build()?;
            db.create_object_store(stores::FILES)
                .with_key_path("id".into())
                .build()?;
            db.create_object_store(stores::RECORD_DRAFTS)
                .with_key_path("id".into())
                .build()?;
            db.create_object_store(stores::VAULT)
                .with_key_path("key".into())
                .build()?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_install_runs_every_step_in_order() {
        assert_eq!(plan(0, LATEST).unwrap(), vec![Step::V1, Step::V2, Step::V3]);
    }

    #[test]
    fn a_version_1_database_gains_the_content_cache_and_the_record() {
        assert_eq!(plan(1, LATEST).unwrap(), vec![Step::V2, Step::V3]);
    }

    #[test]
    fn a_version_2_database_gains_the_record() {
        assert_eq!(plan(2, LATEST).unwrap(), vec![Step::V3]);
    }

    #[test]
    fn an_up_to_date_database_runs_no_step() {
        assert!(plan(LATEST, LATEST).unwrap().is_empty());
    }

    #[test]
    fn a_database_from_a_newer_build_is_refused() {
        assert_eq!(
            plan(LATEST + 1, LATEST),
            Err(PlanError::Newer {
                stored: LATEST + 1,
                latest: LATEST
            })
        );
    }
}
