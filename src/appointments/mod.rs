//! Appointments: requests to the clinic, sent through the outbox. This page shows when the
//! clinic is open and what can be booked, from the clinic's configuration.

mod text;

use haven_api::config::{OpeningHours, Weekday, pick};
use leptos::prelude::*;

use crate::clinic::use_clinic;
use crate::i18n::{tr, use_i18n};
use crate::intl;
use crate::ui::{PageHeading, Section};

/// The Appointments section: its chunk, with the heading shown until it is ready.
#[component]
pub fn AppointmentsPage() -> impl IntoView {
    view! {
        <Section load=section>
            <PageHeading text=Signal::derive(tr(|t| t.appointments))/>
        </Section>
    }
}

crate::split_section! {
    /// The section's entry: loads its chunk and returns its page builder.
    appointments: pub fn section() -> crate::ui::Build => page
}

fn page() -> AnyView {
    view! { <AppointmentsHome/> }.into_any()
}

/// The Appointments section's home page.
#[component]
fn AppointmentsHome() -> impl IntoView {
    let i18n = use_i18n();
    let clinic = use_clinic();
    view! {
        <PageHeading text=Signal::derive(tr(|t| t.appointments))/>
        <p>{text::t().appointments_intro}</p>
        {move || clinic.config().map(|config| {
            let reasons = config.appointment_reasons;
            view! {
                <OpeningTimes hours=config.opening_hours/>
                <section aria-labelledby="reasons-heading">
                    <h2 id="reasons-heading">{text::t().reasons_heading}</h2>
                    <ul>
                        {reasons.into_iter().map(|reason| view! {
                            <li>{move || pick(&reason.label, i18n.locale().lang()).to_owned()}</li>
                        }).collect_view()}
                    </ul>
                </section>
            }
        })}
    }
}

fn day_index(day: Weekday) -> u32 {
    day as u32
}

/// `HH:MM` as hours and minutes (the server has already checked the format).
fn hour_minute(text: &str) -> (u32, u32) {
    let (hour, minute) = text.split_once(':').unwrap_or((text, "0"));
    (hour.parse().unwrap_or(0), minute.parse().unwrap_or(0))
}

/// The opening hours for every day of the week, closed days included.
#[component]
fn OpeningTimes(hours: Vec<OpeningHours>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = move || {
        let tag = i18n.locale().tag();
        (0..7)
            .map(|index| {
                let open = hours.iter().find(|h| day_index(h.day) == index);
                let times = open.map_or_else(
                    || text::t().closed.to_owned(),
                    |h| {
                        let (oh, om) = hour_minute(&h.opens);
                        let (ch, cm) = hour_minute(&h.closes);
                        format!(
                            "{} – {}",
                            intl::clock_time(tag, oh, om),
                            intl::clock_time(tag, ch, cm)
                        )
                    },
                );
                view! { <tr><th scope="row">{intl::weekday(tag, index)}</th><td>{times}</td></tr> }
            })
            .collect_view()
    };
    view! {
        <section aria-labelledby="hours-heading">
            <h2 id="hours-heading">{text::t().opening_hours}</h2>
            <table class="hours"><tbody>{rows}</tbody></table>
        </section>
    }
}
