//! My record: the patient's personal health record, kept only in this browser's IndexedDB.

use leptos::prelude::*;

use crate::i18n::tr;
use crate::shell::PageHeading;

/// The My record section's home page.
#[component]
pub fn RecordsPage() -> impl IntoView {
    view! {
        <PageHeading text=Signal::derive(tr(|t| t.records))/>
        <p>{tr(|t| t.records_intro)}</p>
        <p class="notice">{tr(|t| t.records_on_device)}</p>
    }
}
