//! Learn: symptom and condition education, as a module of its own.
//!
//! The shell ([`crate::education`]) loads this module's wasm when the patient opens Learn
//! and mounts it into the page with [`mount`], so none of it (the pack reader, the search
//! index, the topic pages, the self-checks) weighs on the first load. It runs its own small
//! Leptos app beside the shell's: both follow the address bar, and links between them go
//! through [`crate::routes::go`].
//!
//! Pages: the home (search as you type, browse by group, self-checks), a topic
//! (`/learn/topic/{id}`) and a self-check (`/learn/check/{phq-9|gad-7}`). Every page has a
//! "Get help now" button that opens the crisis panel; self-harm language in a search and a
//! positive PHQ-9 item 9 open it by themselves.

pub mod checks;
pub mod pack;
pub mod text;
mod views;

use haven_api::lang::Lang;
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::{Locale, provide_i18n};
use checks::Check;
use pack::Content;

/// A page of the Learn section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// Search and browse.
    Home,
    /// One topic, by id.
    Topic(String),
    /// A self-check.
    Check(Check),
    /// Not a Learn page (the shell is about to unmount this module).
    Elsewhere,
}

impl Page {
    /// Parses a URL path.
    pub fn from_path(path: &str) -> Page {
        let path = path.trim_end_matches('/');
        if path.is_empty() || path == "/learn" || path == "/index.html" {
            return Page::Home;
        }
        if let Some(id) = path.strip_prefix("/learn/topic/")
            && !id.is_empty()
            && !id.contains('/')
        {
            return Page::Topic(id.to_owned());
        }
        path.strip_prefix("/learn/check/")
            .and_then(Check::from_slug)
            .map_or(Page::Elsewhere, Page::Check)
    }

    /// The URL path.
    pub fn path(&self) -> String {
        match self {
            Page::Home | Page::Elsewhere => "/learn".to_owned(),
            Page::Topic(id) => format!("/learn/topic/{id}"),
            Page::Check(check) => format!("/learn/check/{}", check.slug()),
        }
    }
}

/// Shared state of the Learn app.
#[derive(Clone, Copy)]
pub struct LearnState {
    /// The current page, following the address bar.
    pub page: RwSignal<Page>,
    /// Whether the crisis panel is open.
    pub crisis: RwSignal<bool>,
    /// The patient's language.
    pub lang: Lang,
}

/// The Learn state context.
pub fn use_learn() -> LearnState {
    expect_context()
}

/// The Learn catalogue for the current language.
pub fn t() -> &'static text::LearnText {
    text::text(use_learn().lang)
}

/// A mounted Learn app; dropping it unmounts it.
pub type Mounted = leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>;

/// Mounts the Learn app into `root` in the locale `tag` (`en`, `vi`, `ar-XB`).
pub fn mount(root: web_sys::HtmlElement, tag: &str) -> Mounted {
    let locale = Locale::from_tag(tag).unwrap_or(Locale::Lang(Lang::En));
    mount_to(root, move || {
        provide_i18n(locale);
        crate::clinic::provide_clinic();
        let lang = locale.lang();
        let state = LearnState {
            page: RwSignal::new(current_page()),
            crisis: RwSignal::new(false),
            lang,
        };
        provide_context(state);
        Content::provide(lang);
        follow_address_bar(state);
        view! { <views::LearnApp/> }.into_any()
    })
}

fn current_page() -> Page {
    Page::from_path(&window().location().pathname().unwrap_or_default())
}
/// Keeps the page in step with the address bar.
fn follow_address_bar(state: LearnState) {
    crate::routes::follow_address_bar(state.page, Page::from_path, Page::Elsewhere, || {});
}

/// Goes to a Learn page (or any widget URL) as a link would.
pub fn go(url: &str) {
    crate::routes::go(url);
}

/// A click handler for an in-widget link.
pub fn follow(url: String) -> impl Fn(leptos::ev::MouseEvent) + Clone + 'static {
    crate::routes::follow(url)
}

/// Opens the crisis panel and moves focus to it.
pub fn open_crisis(state: LearnState) {
    state.crisis.set(true);
    focus_crisis();
}

/// Moves focus to the crisis panel's heading once it is rendered.
pub fn focus_crisis() {
    request_animation_frame(|| {
        if let Some(heading) = document().get_element_by_id("crisis-heading")
            && let Ok(heading) = heading.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = heading.focus();
            heading.scroll_into_view();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learn_paths_parse_to_pages_and_back() {
        for page in [
            Page::Home,
            Page::Topic("asthma".into()),
            Page::Check(Check::Phq9),
            Page::Check(Check::Gad7),
        ] {
            assert_eq!(Page::from_path(&page.path()), page);
        }
        assert_eq!(Page::from_path("/"), Page::Home);
        assert_eq!(Page::from_path("/learn/"), Page::Home);
    }

    #[test]
    fn other_paths_are_not_learn_pages() {
        assert_eq!(Page::from_path("/appointments"), Page::Elsewhere);
        assert_eq!(Page::from_path("/learn/topic/"), Page::Elsewhere);
        assert_eq!(Page::from_path("/learn/topic/a/b"), Page::Elsewhere);
        assert_eq!(Page::from_path("/learn/check/phq-10"), Page::Elsewhere);
    }
}
