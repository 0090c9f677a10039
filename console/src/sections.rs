//! The sections whose features have not been built yet. Each is a real page with its heading,
//! saying plainly that its work arrives with its feature; none shows made-up data.

use haven_api::staff::Section;
use leptos::prelude::*;

use crate::i18n::{tr, use_i18n};
use crate::layout::PageHeading;
use crate::routes::section_title;

/// `/console/moderation`: forum posts waiting for review.
#[component]
pub fn ModerationPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading text=move || section_title(Section::Moderation, i18n.t()).to_owned() />
        <p>{tr(|t| t.moderation_intro)}</p>
    }
}
