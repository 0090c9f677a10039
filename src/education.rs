//! Learn: symptom and condition education. This section's home shows the crisis lines the
//! clinic configured, so help is always one tap away.

use haven_api::config::{CrisisLine, pick};
use leptos::prelude::*;

use crate::clinic::use_clinic;
use crate::i18n::{fill, tr, use_i18n};
use crate::shell::PageHeading;

/// The Learn section's home page.
#[component]
pub fn LearnPage() -> impl IntoView {
    let clinic = use_clinic();
    view! {
        <PageHeading text=Signal::derive(tr(|t| t.learn))/>
        <p>{tr(|t| t.learn_intro)}</p>
        {move || clinic.config().map(|config| view! { <CrisisLines lines=config.crisis_lines/> })}
    }
}

/// The crisis lines, each with a call link.
#[component]
pub fn CrisisLines(
    /// The lines to show.
    lines: Vec<CrisisLine>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="crisis" aria-labelledby="crisis-heading">
            <h2 id="crisis-heading">{tr(|t| t.crisis_heading)}</h2>
            <p>{tr(|t| t.crisis_intro)}</p>
            <ul class="crisis-lines">
                {lines.into_iter().map(|line| {
                    let href = format!("tel:{}", line.phone.replace(' ', ""));
                    let lang = move || i18n.locale().lang();
                    let name = line.name.clone();
                    let hours = line.hours.clone();
                    let phone = line.phone.clone();
                    view! {
                        <li>
                            <strong>{move || pick(&name, lang()).to_owned()}</strong>
                            <span>{move || fill(i18n.t().crisis_hours, pick(&hours, lang()))}</span>
                            <a class="call-button" href=href>{move || fill(i18n.t().call, &phone)}</a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
