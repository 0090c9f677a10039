//! The widget's side of the loader protocol: what the page that embeds Haven may ask
//! (open a section, change language, close) and what the widget tells it (ready, close,
//! section, language). Only UI events cross: no health data ever goes to the host page.
//!
//! Messages are objects `{haven: 1, type, …}`. The widget accepts them only from its parent
//! window and only from the origin the loader declared, which must match the browser's own
//! record of the embedding origin; it sends them only to that origin.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::i18n::{I18n, Locale};
use crate::routes::{Route, Router};

/// The protocol version carried in every message.
const PROTOCOL: f64 = 1.0;

/// How the widget was opened, read once from the address bar.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Launch {
    /// True inside the loader's iframe; false as a full page.
    pub embedded: bool,
    /// The embedding page's origin, when embedded and confirmed.
    pub host_origin: Option<String>,
    /// The language the loader asked for.
    pub lang: Option<String>,
    /// The section the loader asked to open.
    pub section: Option<Route>,
}

/// A message from the host page, after validation.
#[derive(Debug, Clone, PartialEq)]
pub enum HostMessage {
    /// Open the widget, optionally at a section.
    Open(Option<Route>),
    /// Switch language.
    Language(Locale),
}

/// Reads a host message; anything not exactly in the protocol is `None`.
pub fn parse_host_message(data: &JsValue) -> Option<HostMessage> {
    let field = |name: &str| js_sys::Reflect::get(data, &JsValue::from_str(name)).ok();
    if field("haven")?.as_f64()? != PROTOCOL {
        return None;
    }
    match field("type")?.as_string()?.as_str() {
        "open" => {
            let section = field("section").and_then(|value| value.as_string());
            match section {
                None => Some(HostMessage::Open(None)),
                Some(name) => {
                    Route::from_section(&name).map(|route| HostMessage::Open(Some(route)))
                }
            }
        }
        "language" => Locale::from_tag(&field("lang")?.as_string()?).map(HostMessage::Language),
        _ => None,
    }
}

/// Reads the launch parameters and removes them from the address bar, so that a reload or
/// a copied link shows a clean address; other parameters stay.
pub fn read_launch() -> Launch {
    let window = window();
    let location = window.location();
    let search = location.search().unwrap_or_default();
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok();
    let param = |name: &str| {
        params
            .as_ref()
            .and_then(|p| p.get(name))
            .filter(|v| !v.is_empty())
    };
    let embedded =
        param("embed").as_deref() == Some("1") && window.parent().ok().flatten().is_some();
    let launch = Launch {
        embedded,
        host_origin: embedded.then(|| confirmed_host(param("host"))).flatten(),
        lang: param("lang"),
        section: param("section").and_then(|name| Route::from_section(&name)),
    };
    if let Some(params) = params.filter(|_| !search.is_empty()) {
        // Only the launch parameters go; a page's own (Learn's `?q=`) stay.
        for name in ["embed", "host", "lang", "section"] {
            params.delete(name);
        }
        let rest = String::from(params.to_string());
        let mut path = location.pathname().unwrap_or_else(|_| "/".into());
        if !rest.is_empty() {
            path = format!("{path}?{rest}");
        }
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&path));
        }
    }
    launch
}

/// The declared host origin, if the browser's record of the embedding page agrees.
fn confirmed_host(declared: Option<String>) -> Option<String> {
    let declared = declared?;
    let ancestors = js_sys::Reflect::get(&window().location(), &"ancestorOrigins".into()).ok()?;
    let actual = js_sys::Reflect::get(&ancestors, &JsValue::from_f64(0.0))
        .ok()?
        .as_string();
    // Browsers without `ancestorOrigins` rely on the CSP frame-ancestors check alone.
    match actual {
        Some(actual) if actual != declared => None,
        _ => Some(declared),
    }
}

/// Sends a UI event to the host page.
pub fn notify(launch: &Launch, kind: &str, field: Option<(&str, &str)>) {
    let (Some(origin), Ok(Some(parent))) = (&launch.host_origin, window().parent()) else {
        return;
    };
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"haven".into(), &JsValue::from_f64(PROTOCOL));
    let _ = js_sys::Reflect::set(&message, &"type".into(), &JsValue::from_str(kind));
    if let Some((name, value)) = field {
        let _ = js_sys::Reflect::set(
            &message,
            &JsValue::from_str(name),
            &JsValue::from_str(value),
        );
    }
    let _ = parent.post_message(&message, origin);
}

/// Connects the widget to its host page: listens for its messages, reports readiness,
/// section and language changes, and asks the host to close the panel on Escape.
pub fn connect(launch: Launch, router: Router, i18n: I18n) {
    let Some(origin) = launch.host_origin.clone() else {
        return;
    };
    let parent = window().parent().ok().flatten();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let from_parent = match (event.source(), &parent) {
                (Some(source), Some(parent)) => source.loose_eq(parent.as_ref()),
                _ => false,
            };
            if event.origin() != origin || !from_parent {
                return;
            }
            match parse_host_message(&event.data()) {
                Some(HostMessage::Open(Some(route))) => router.navigate(route),
                Some(HostMessage::Language(locale)) => i18n.set(locale),
                Some(HostMessage::Open(None)) | None => {}
            }
        });
    let _ =
        window().add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    on_message.forget();

    let escape_launch = launch.clone();
    let on_key =
        Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |event: web_sys::KeyboardEvent| {
            if event.key() == "Escape" && !event.default_prevented() {
                notify(&escape_launch, "close", None);
            }
        });
    let _ = window().add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
    on_key.forget();

    let section_launch = launch.clone();
    Effect::new(move |_| {
        if let Some(section) = router.route().section() {
            notify(&section_launch, "section", Some(("section", section)));
        }
    });
    let language_launch = launch.clone();
    Effect::new(move |_| {
        notify(
            &language_launch,
            "language",
            Some(("lang", i18n.locale().tag())),
        );
    });
    notify(&launch, "ready", None);
}
