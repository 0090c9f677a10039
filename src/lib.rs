//! Haven's patient widget: a client-side Leptos app that a clinic embeds with one script tag
//! (see `embed/embed.js`), or that patients open as a full page and install.
//!
//! The widget is one wasm program. Each section is one folder named after its route —
//! [`learn`], [`appointments`], [`community`], [`records`], [`settings`] — holding its page,
//! views, state, storage and API calls. A section's folder is its split point: in the release
//! build its code is a chunk of the program, fetched when the patient first opens the section
//! (see [`ui::Section`]), sharing one runtime, one store, one outbox and one language with the
//! shell. Shared pieces: the [`shell`], [`routes`], shared UI in [`ui`], [`i18n`], the
//! [`api`] client, the IndexedDB [`store`], the [`outbox`] and the record's [`vault`].

pub mod api;
pub mod appointments;
pub mod clinic;
pub mod community;
pub mod embed;
pub mod i18n;
pub mod intl;
pub mod learn;
pub mod outbox;
pub mod records;
pub mod routes;
pub mod settings;
pub mod shell;
pub mod store;
pub mod theme;
pub mod ui;
pub mod vault;

use leptos::prelude::*;

/// The root component: reads how the widget was launched, provides the shared contexts,
/// connects to the host page, and renders the shell.
#[component]
pub fn App() -> impl IntoView {
    let launch = embed::read_launch();
    let saved = i18n::saved_language();
    let locale = i18n::choose_locale(
        launch.lang.as_deref(),
        saved.as_deref(),
        &i18n::browser_languages(),
    );
    let i18n = i18n::provide_i18n(locale);
    let router = routes::provide_router();
    if let Some(section) = launch.section.clone() {
        router.navigate(section);
    }
    clinic::provide_clinic();
    embed::connect(launch, router, i18n);
    view! { <shell::Shell/> }
}

/// Registers the service worker that keeps the widget available offline. The section host
/// calls it once the first section's code has arrived, so the worker's precache (every chunk
/// of every section) does not compete with what the patient is waiting for.
pub(crate) fn register_service_worker() {
    let container = window().navigator().service_worker();
    // Registration fails where service workers are unavailable (some private modes); the
    // widget then simply needs the network, as any web page does.
    let _ = container.register("/sw.js");
}
