//! Appointments: requests to the clinic, sent through the outbox so none is lost when the
//! connection drops.
//!
//! The section's home page shows "My requests" ([`status`]: where each request stands, with
//! withdraw, accept or decline another time, and fix-and-resend for a refused one), when the
//! clinic is open, and the request form ([`form`]: checked field by field in [`validate`],
//! saved as a draft in [`draft`] on every change). Items of the patient's record can be
//! attached with the shared picker, whose code is a chunk of its own ([`attach`]).

mod attach;
mod draft;
mod form;
mod status;
mod text;
mod validate;

use std::collections::BTreeSet;

use haven_api::config::{OpeningHours, Weekday};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::clinic::use_clinic;
use crate::i18n::{tr, use_i18n};
use crate::intl;
use crate::ui::{PageHeading, Section};
use draft::Draft;
use validate::FieldError;

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
    // The record's stylesheet holds the widget's form styles (fields, errors, choices).
    crate::records::load_styles();
    view! { <AppointmentsHome/> }.into_any()
}

/// State shared by the form and "My requests" (which reopens the form to fix a refused
/// request), and the section's live region.
#[derive(Clone, Copy)]
pub struct Shared {
    /// The form as typed.
    pub draft: RwSignal<Draft>,
    /// The record items chosen to attach, by id.
    pub chosen: RwSignal<BTreeSet<String>>,
    /// The refused request the form is fixing, removed once the new one is in the outbox.
    pub replaces: RwSignal<Option<String>>,
    /// Whether the form was restored from a draft of an earlier visit.
    pub restored: RwSignal<bool>,
    /// The problems found on the last submit.
    pub errors: RwSignal<Vec<FieldError>>,
    /// The result of the last action, announced politely.
    pub notice: RwSignal<String>,
    /// What the chosen record items come to, once the picker is loaded.
    pub picker_check: StoredValue<Option<Signal<attach::Check>>>,
    /// The chosen record items as JSON, once the picker is loaded.
    pub picker_payload: StoredValue<Option<attach::Payload>, LocalStorage>,
}

impl Shared {
    fn provide() -> Shared {
        let (draft, replaces) =
            form::remembered().unwrap_or_else(|| (Draft::new(crate::i18n::current_lang()), None));
        let shared = Shared {
            chosen: RwSignal::new(draft.attachments.iter().cloned().collect()),
            draft: RwSignal::new(draft),
            replaces: RwSignal::new(replaces),
            restored: RwSignal::new(false),
            errors: RwSignal::new(Vec::new()),
            notice: RwSignal::new(String::new()),
            picker_check: StoredValue::new(None),
            picker_payload: StoredValue::new_local(None),
        };
        provide_context(shared);
        shared
    }

    /// Shows and announces the result of an action.
    pub fn announce(&self, message: &str) {
        // Cleared first, so the same message twice is announced twice.
        self.notice.try_set(String::new());
        let notice = self.notice;
        let message = message.to_owned();
        request_animation_frame(move || {
            notice.try_set(message);
        });
    }
}

/// The shared appointment state.
pub fn use_shared() -> Shared {
    expect_context()
}

/// Moves focus to the element with `id`, if it is there.
pub fn focus_by_id(id: &str) {
    if let Some(element) = document().get_element_by_id(id)
        && let Ok(element) = element.dyn_into::<web_sys::HtmlElement>()
    {
        let _ = element.focus();
    }
}

/// The Appointments section's home page.
#[component]
fn AppointmentsHome() -> impl IntoView {
    let clinic = use_clinic();
    let shared = Shared::provide();
    view! {
        <PageHeading text=Signal::derive(tr(|t| t.appointments))/>
        <p>{text::t().appointments_intro}</p>
        <p role="status" class="notice-live">{move || shared.notice.get()}</p>
        <status::MyRequests/>
        {move || clinic.config().map(|config| view! {
            <OpeningTimes hours=config.opening_hours.clone()/>
            <form::RequestForm config/>
        }.into_any())}
        {move || clinic.unreachable().then(|| view! {
            <div class="banner banner-warning" role="alert"><p>{text::t().config_missing}</p></div>
        }.into_any())}
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
