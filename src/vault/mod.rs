//! The record's storage: entries, files and drafts in IndexedDB, sealed with the patient's
//! passphrase when the record is locked.
