//! My record: the patient's personal health record, kept only in this browser's IndexedDB.

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::shell::PageHeading;

/// The My record section's home page.
#[component]
pub fn RecordsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading text=Signal::derive(move || i18n.t().records)/>
        <p>{move || i18n.t().records_intro}</p>
        <p class="notice">{move || i18n.t().records_on_device}</p>
    }
}
