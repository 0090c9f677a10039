//! The sections whose features have not been built yet. Each is a real page with its heading,
//! saying plainly that its work arrives with its feature; none shows made-up data.

use haven_api::staff::Section;
use leptos::prelude::*;

use crate::layout::PageHeading;
use crate::routes::section_title;

/// `/console/moderation`: forum posts waiting for review.
#[component]
pub fn ModerationPage() -> impl IntoView {
    view! {
        <PageHeading text=section_title(Section::Moderation) />
        <p>
            "Forum posts waiting for review will be listed here when the community forum is "
            "added to Haven. Nothing is waiting here yet."
        </p>
    }
}
