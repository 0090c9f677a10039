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
