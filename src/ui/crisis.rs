//! The crisis panel, shown whenever a patient may be at risk: on Learn (its "Get help now"
//! button, self-harm language in a search, a positive PHQ-9 item 9) and while Learn loads.

use haven_api::config::{CrisisLine, pick};
use leptos::prelude::*;

use crate::clinic::tel_href;
use crate::i18n::{fill, tr, use_i18n};

/// The crisis panel: a supportive message, the clinic's crisis lines with tap-to-call links,
/// and the emergency number. With no line configured it shows only the emergency number and
/// says to call it: it never invents a number.
#[component]
pub fn CrisisPanel(
    /// The clinic's crisis lines.
    lines: Vec<CrisisLine>,
    /// The emergency services number for the clinic's country.
    emergency_number: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let no_lines = lines.is_empty();
    let emergency_href = tel_href(&emergency_number);
    view! {
        <section class="crisis" aria-labelledby="crisis-heading">
            <h2 id="crisis-heading" tabindex="-1">{tr(|t| t.crisis_heading)}</h2>
            <p>{tr(|t| t.crisis_intro)}</p>
            {no_lines.then(|| {
                let number = emergency_number.clone();
                view! { <p>{move || fill(i18n.t().crisis_no_lines, &number)}</p> }
            })}
            <ul class="crisis-lines">
                {lines.into_iter().map(|line| {
                    let href = tel_href(&line.phone);
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
                <li>
                    <strong>{move || fill(i18n.t().emergency_call, &emergency_number)}</strong>
                    <a class="call-button" href=emergency_href>{tr(|t| t.call_emergency)}</a>
                </li>
            </ul>
        </section>
    }
}
