//! The widget's routes: one enum, parsed from and printed to URL paths, plus the tiny
//! History-API router that keeps the current route in a signal.
//!
//! A hand-written router costs a few hundred bytes where a general one costs tens of
//! kilobytes in the patient bundle; the widget only needs typed paths, links and the back
//! button.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

/// A place in the widget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Symptom and condition education (the home section).
    Learn,
    /// Appointment requests.
    Appointments,
    /// The peer-support forum.
    Community,
    /// The personal health record.
    Records,
    /// Settings and privacy.
    Settings,
    /// Any other path.
    NotFound,
}

impl Route {
    /// The sections in navigation order.
    pub const SECTIONS: [Route; 5] = [
        Route::Learn,
        Route::Appointments,
        Route::Community,
        Route::Records,
        Route::Settings,
    ];

    /// The URL path.
    pub fn path(&self) -> &'static str {
        match self {
            Route::Learn => "/learn",
            Route::Appointments => "/appointments",
            Route::Community => "/community",
            Route::Records => "/records",
            Route::Settings => "/settings",
            Route::NotFound => "/not-found",
        }
    }

    /// The section name used by the loader's API (`Haven('open', 'records')`).
    pub fn section(&self) -> Option<&'static str> {
        self.path()
            .strip_prefix('/')
            .filter(|_| *self != Route::NotFound)
    }

    /// Parses a URL path; `/` is the home section. Paths below `/learn/` (topics,
    /// self-checks) and `/records/` (forms, trends, settings) belong to their section,
    /// whose module routes them itself.
    pub fn from_path(path: &str) -> Route {
        let path = path.trim_end_matches('/');
        if path.is_empty() || path == "/index.html" || path.starts_with("/learn/") {
            return Route::Learn;
        }
        if path.starts_with("/records/") {
            return Route::Records;
        }
        Route::SECTIONS
            .into_iter()
            .find(|route| route.path() == path)
            .unwrap_or(Route::NotFound)
    }

    /// Parses a loader section name.
    pub fn from_section(name: &str) -> Option<Route> {
        Route::SECTIONS
            .into_iter()
            .find(|route| route.section() == Some(name))
    }
}

/// The router context: the current route, kept in step with the address bar.
#[derive(Clone, Copy)]
pub struct Router {
    current: RwSignal<Route>,
}

impl Router {
    /// The current route (tracked).
    pub fn route(self) -> Route {
        self.current.get()
    }

    /// Goes to `route`, adding a history entry so the back button returns. Going to the
    /// section already shown from one of its inner pages (a topic) returns to its home.
    pub fn navigate(self, route: Route) {
        let path = window().location().pathname().unwrap_or_default();
        if self.current.get_untracked() == route && path == route.path() {
            return;
        }
        go(route.path());
    }
}

/// Adds a history entry for `url` and tells every router on the page (the shell's and the
/// open section's) that the address changed, as the back button does.
pub fn go(url: &str) {
    if let Ok(history) = window().history() {
        let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
    }
    if let Ok(event) = web_sys::Event::new("popstate") {
        let _ = window().dispatch_event(&event);
    }
}

/// Keeps a section's page in step with the address bar (back, forward, and links): `parse` reads a path, and `elsewhere` is the page that means "not this
/// section's" (the shell is about to remove it). On a change, `on_change` runs, then focus
/// moves to the new page's heading.
pub fn follow_address_bar<P>(
    page: RwSignal<P>,
    parse: fn(&str) -> P,
    elsewhere: P,
    on_change: impl Fn() + 'static,
) where
    P: PartialEq + Send + Sync + 'static,
{
    let handle = window_event_listener(leptos::ev::popstate, move |_| {
        let next = parse(&window().location().pathname().unwrap_or_default());
        if page.with_untracked(|now| *now != next) {
            on_change();
            let away = next == elsewhere;
            page.set(next);
            if !away {
                crate::ui::focus_heading();
                window().scroll_to_with_x_and_y(0.0, 0.0);
            }
        }
    });
    on_cleanup(move || handle.remove());
}

/// Provides the router, starting from the address bar's path, and follows back/forward.
pub fn provide_router() -> Router {
    let path = window().location().pathname().unwrap_or_default();
    let router = Router {
        current: RwSignal::new(Route::from_path(&path)),
    };
    let on_pop = Closure::<dyn Fn()>::new(move || {
        let path = window().location().pathname().unwrap_or_default();
        let route = Route::from_path(&path);
        // Moving between a section's inner pages keeps the section (and its view) as is.
        if router.current.get_untracked() != route {
            router.current.set(route);
        }
    });
    let _ = window().add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    on_pop.forget();
    provide_context(router);
    router
}

/// The router context.
pub fn use_router() -> Router {
    expect_context()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_path_parses_back_to_its_route() {
        for route in Route::SECTIONS {
            assert_eq!(Route::from_path(route.path()), route);
            assert_eq!(Route::from_path(&format!("{}/", route.path())), route);
        }
    }

    #[test]
    fn the_root_is_the_learn_section_and_unknown_paths_are_not_found() {
        assert_eq!(Route::from_path("/"), Route::Learn);
        assert_eq!(Route::from_path(""), Route::Learn);
        assert_eq!(Route::from_path("/admin"), Route::NotFound);
        assert_eq!(Route::from_path("/learnt"), Route::NotFound);
    }

    #[test]
    fn learn_inner_pages_belong_to_the_learn_section() {
        assert_eq!(Route::from_path("/learn/topic/asthma"), Route::Learn);
        assert_eq!(Route::from_path("/learn/check/phq-9"), Route::Learn);
        assert_eq!(Route::from_path("/records/trends"), Route::Records);
    }

    #[test]
    fn loader_section_names_map_to_routes() {
        assert_eq!(Route::from_section("records"), Some(Route::Records));
        assert_eq!(Route::from_section("settings"), Some(Route::Settings));
        assert_eq!(Route::from_section("not-found"), None);
        assert_eq!(Route::from_section("secret"), None);
    }
}
