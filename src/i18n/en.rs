//! English.

use super::Catalog;

pub(super) const CATALOG: Catalog = Catalog {
    app_title: "Haven — your clinic companion",
    skip_to_content: "Skip to content",
    nav_label: "Sections",
    loading: "Loading…",
    offline_notice: "You are offline. Everything you save stays on this device, and anything you send will go when you are back online.",
    emergency_call: "In an emergency, call {}",
    clinic_unreachable: "The clinic could not be reached. Some details may be missing until you are back online.",
    db_closed_by_update: "Haven was updated in another tab. Reload this page to keep going; nothing you saved is lost.",
    reload: "Reload",
    learn: "Learn",
    learn_intro: "Plain-language information about symptoms and conditions from your clinic, and when to seek care.",
    module_unavailable: "This section cannot be loaded right now. Check your connection and try again.",
    crisis_heading: "Need help now?",
    crisis_intro: "If you are thinking about harming yourself, or you are worried about someone, you can talk to someone now.",
    crisis_hours: "Hours: {}",
    crisis_no_lines: "If you might act on these thoughts or you are in danger, call {} now.",
    call_emergency: "Call emergency services",
    call: "Call {}",
    appointments: "Appointments",
    community: "Community",
    records: "My record",
    records_intro: "Your personal health record: conditions, medicines, allergies, measurements and documents, kept under your control.",
    records_on_device: "Your record lives only on this device. The clinic cannot see it unless you choose to send part of it.",
    settings: "Settings & privacy",
    not_found: "Page not found",
    not_found_body: "This page does not exist in Haven.",
    go_to_learn: "Go to Learn",
    language: "Language",
};
