//! Pieces of the patient UI shared by the shell and every section: the page heading and
//! focus helpers, links, the crisis panel, and the host that loads a section's chunk.

mod crisis;
mod link;
mod section;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

pub use crisis::CrisisPanel;
pub use link::{Link, follow, is_plain_click};
pub(crate) use section::after_first_section;
pub use section::{Build, ChunkError, Section};

/// Adds the stylesheet at `url` to the page once: a section's own styles, loaded with the
/// section (their URLs are given at compile time by `cargo xtask build`; under `trunk serve`
/// `index.html` links them all, and `url` is `None`).
pub fn load_stylesheet(url: Option<&'static str>) {
    let Some(url) = url else { return };
    let document = document();
    let selector = format!("link[href='{url}']");
    if document.query_selector(&selector).ok().flatten().is_some() {
        return;
    }
    if let Ok(link) = document.create_element("link") {
        let _ = link.set_attribute("rel", "stylesheet");
        let _ = link.set_attribute("href", url);
        if let Some(head) = document.head() {
            let _ = head.append_child(&link);
        }
    }
}

/// A page's `<h1>`, focusable so that navigation can move focus to it.
#[component]
pub fn PageHeading(
    /// The heading text.
    text: Signal<&'static str>,
) -> impl IntoView {
    view! { <h1 tabindex="-1">{text}</h1> }
}

/// Moves focus to the current page's `<h1>` once it is rendered.
pub fn focus_heading() {
    request_animation_frame(|| {
        if let Ok(Some(heading)) = document().query_selector("main h1")
            && let Ok(heading) = heading.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = heading.focus();
        }
    });
}
