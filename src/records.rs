//! My record: the patient's personal health record, kept only in this browser's IndexedDB.
//! The section lives in its own wasm module ([`crate::record`], built by `cargo xtask
//! build`), imported when the patient opens it, so its forms, charts, lock and FHIR mapping
//! do not weigh on the first load. Until it is ready this page says what the record is.

use leptos::prelude::*;

use crate::i18n::tr;
use crate::modules::FeatureModule;
use crate::shell::PageHeading;

/// The My record module's script, named by its content hash in a release build
/// (`cargo xtask build` sets `HAVEN_RECORDS_MODULE`).
const MODULE: &str = match option_env!("HAVEN_RECORDS_MODULE") {
    Some(url) => url,
    None => "/records.js",
};

/// The My record section: its module, with the heading and what the record is shown until
/// it is ready.
#[component]
pub fn RecordsPage() -> impl IntoView {
    view! {
        <FeatureModule url=MODULE>
            <PageHeading text=Signal::derive(tr(|t| t.records))/>
            <p>{tr(|t| t.records_intro)}</p>
            <p class="notice">{tr(|t| t.records_on_device)}</p>
        </FeatureModule>
    }
}
