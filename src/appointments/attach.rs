//! Attaching items of the patient's record to a request, with the shared picker
//! ([`ChooseFromRecord`]: the record's items, its lock, and a preview of exactly what leaves
//! the device).
//!
//! The picker brings the record's code (the vault, its lock, the entries' JSON), which most
//! requests never need, so it is a chunk of its own, loaded when the patient chooses to
//! attach something. The entries' JSON for the request body is made here too, for the same
//! reason: the section's chunk only adds it to the body.

use std::collections::BTreeSet;
use std::rc::Rc;

use haven_api::record::{Entry, Kind};
use leptos::prelude::*;
use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::records::Record;
use crate::records::picker::ChooseFromRecord;

/// What the chosen ids come to in the record as it is now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Check {
    /// How many of the chosen ids are in the record (none while it is locked).
    pub found: usize,
    /// The chosen documents' ids: they cannot be sent yet.
    pub documents: Vec<String>,
}

/// The chosen entries as the request's `attachments` (a JSON array), or `None` when some
/// cannot be read.
pub type Payload = Rc<dyn Fn() -> Option<JsValue>>;

/// The picker, built.
pub struct Picker {
    /// The picker with its preview (or the unlock form).
    pub view: AnyView,
    /// What the chosen ids come to (tracked).
    pub check: Signal<Check>,
    /// The chosen entries as JSON.
    pub payload: Payload,
}

/// Builds the picker for the chosen ids; run it inside the view that shows it.
pub type Build = fn(RwSignal<BTreeSet<String>>) -> Picker;

crate::split_section! {
    /// The picker's entry: loads its chunk (with the record's code) and returns its builder.
    appointments_attach: pub fn picker() -> Build => build
}

fn build(chosen: RwSignal<BTreeSet<String>>) -> Picker {
    let view = view! { <ChooseFromRecord chosen/> }.into_any();
    // The picker provides the record's context on the current owner when no section has
    // opened it yet, so it is found here.
    let record = use_context::<Record>();
    let check = Signal::derive(move || {
        let Some(record) = record else {
            return Check::default();
        };
        chosen.with(|ids| {
            record.entries.with(|entries| {
                let picked = entries.iter().filter(|e| ids.contains(&e.id));
                let mut check = Check::default();
                for entry in picked {
                    check.found += 1;
                    if entry.kind == Kind::Document {
                        check.documents.push(entry.id.clone());
                    }
                }
                check
            })
        })
    });
    let payload = Rc::new(move || {
        let record = record?;
        chosen.with_untracked(|ids| {
            record.entries.with_untracked(|entries| {
                let picked: Vec<&Entry> = entries.iter().filter(|e| ids.contains(&e.id)).collect();
                if picked.len() != ids.len() {
                    return None;
                }
                let serializer = serde_wasm_bindgen::Serializer::json_compatible();
                picked.serialize(&serializer).ok()
            })
        })
    });
    Picker {
        view,
        check,
        payload,
    }
}
