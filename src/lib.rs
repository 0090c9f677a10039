//! Haven's patient widget: a client-side Leptos app that a clinic embeds with one script tag
//! (see `embed/embed.js`), or that patients open as a full page and install.
//!
//! Feature sections each have their own module: [`education`], [`appointments`],
//! [`community`], [`records`] and [`privacy`]. Shared pieces: the [`shell`], [`routes`],
//! [`i18n`], the [`api`] client, the IndexedDB [`store`] and the [`outbox`].

pub mod api;
pub mod appointments;
pub mod clinic;
pub mod community;
pub mod education;
pub mod embed;
pub mod i18n;
pub mod intl;
pub mod learn;
pub mod modules;
pub mod outbox;
pub mod privacy;
pub mod record;
pub mod records;
pub mod routes;
pub mod shell;
pub mod store;
pub mod theme;
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
    outbox::start();
    embed::connect(launch.clone(), router, i18n);
    register_service_worker();
    view! { <shell::Shell launch/> }
}

/// Registers the service worker that keeps the app shell available offline.
fn register_service_worker() {
    let container = window().navigator().service_worker();
    // Registration fails where service workers are unavailable (some private modes); the
    // widget then simply needs the network, as any web page does.
    let _ = container.register("/sw.js");
}
