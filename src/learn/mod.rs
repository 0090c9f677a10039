//! Learn: symptom and condition education.
//!
//! [`LearnPage`] is all of it in the shell. The rest (the pack reader, the search index, the
//! topic pages, the self-checks) is a chunk loaded when the patient first opens Learn, so it
//! does not weigh on sections opened before it. Until the chunk is there (or if it cannot
//! load) the page shows the heading and the crisis panel, so help is always one tap away.
//!
//! Pages: the home (search as you type, browse by group, self-checks), a topic
//! (`/learn/topic/{id}`) and a self-check (`/learn/check/{phq-9|gad-7}`). Every page has a
//! "Get help now" button that opens the crisis panel; self-harm language in a search and a
//! positive PHQ-9 item 9 open it by themselves.

pub mod checks;
pub mod pack;
mod pages;
pub mod text;
mod views;

use haven_api::lang::Lang;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::clinic::use_clinic;
use crate::i18n::tr;
use crate::ui::{CrisisPanel, PageHeading, Section};

use checks::Check;
use pack::Content;

/// The Learn section: its chunk, with the heading, introduction and crisis panel shown
/// until it is ready.
#[component]
pub fn LearnPage() -> impl IntoView {
    let clinic = use_clinic();
    view! {
        <Section load=section>
            <PageHeading text=Signal::derive(tr(|t| t.learn))/>
            <p>{tr(|t| t.learn_intro)}</p>
            {move || clinic.config().map(|config| view! {
                <CrisisPanel lines=config.crisis_lines emergency_number=config.clinic.emergency_number/>
            })}
        </Section>
    }
}

/// A page of the Learn section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// Search and browse.
    Home,
    /// One topic, by id.
    Topic(String),
    /// A self-check.
    Check(Check),
    /// Not a Learn page (the shell is about to remove the section).
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

crate::split_section! {
    /// Learn's entry: loads the chunk with Learn's code and returns its page builder.
    learn: pub fn section() -> crate::ui::Build => page
}

/// Learn in the patient's current language; built again when the language changes.
fn page() -> AnyView {
    let lang = crate::i18n::use_i18n().locale_untracked().lang();
    let state = LearnState {
        page: RwSignal::new(current_page()),
        crisis: RwSignal::new(false),
        lang,
    };
    provide_context(state);
    Content::provide(lang);
    follow_address_bar(state);
    view! { <views::LearnApp/> }.into_any()
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
    crate::ui::follow(url)
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
