//! Community: the moderated peer-support forum. This page lists the clinic's groups.

mod text;

use haven_api::config::pick;
use leptos::prelude::*;

use crate::clinic::use_clinic;
use crate::i18n::{tr, use_i18n};
use crate::ui::{PageHeading, Section};

/// The Community section: its chunk, with the heading shown until it is ready.
#[component]
pub fn CommunityPage() -> impl IntoView {
    view! {
        <Section load=section>
            <PageHeading text=Signal::derive(tr(|t| t.community))/>
        </Section>
    }
}

crate::split_section! {
    /// The section's entry: loads its chunk and returns its page builder.
    community: pub fn section() -> crate::ui::Build => page
}

fn page() -> AnyView {
    view! { <CommunityHome/> }.into_any()
}

/// The Community section's home page.
#[component]
fn CommunityHome() -> impl IntoView {
    let i18n = use_i18n();
    let clinic = use_clinic();
    view! {
        <PageHeading text=Signal::derive(tr(|t| t.community))/>
        <p>{text::t().community_intro}</p>
        {move || clinic.config().map(|config| view! {
            <section aria-labelledby="groups-heading">
                <h2 id="groups-heading">{text::t().groups_heading}</h2>
                <ul class="cards">
                    {config.community_groups.into_iter().map(|group| view! {
                        <li class="card">
                            <h3>{move || pick(&group.name, i18n.locale().lang()).to_owned()}</h3>
                            <p>{move || pick(&group.description, i18n.locale().lang()).to_owned()}</p>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}
