//! Saying what record entries are, for every record page and for other sections that show
//! chosen items: a kind's name, an entry's title and detail, its date as the patient's
//! locale writes it; and saving a file on this device.

use haven_api::record::summary::value_text;
use haven_api::record::{Entry, Kind, Payload, When};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::t;
use crate::i18n::fill;

/// The name of a kind in the patient's language.
pub fn kind_name(kind: Kind) -> &'static str {
    let names = &t().kinds;
    Kind::ALL
        .iter()
        .position(|k| *k == kind)
        .map_or("", |at| names[at])
}

/// What an entry is, in a few words: a name, a reading, the start of a note.
pub fn entry_title(entry: &Entry) -> String {
    let text = t();
    let value = value_text(entry, text.decimal_separator);
    match entry.payload() {
        Some(Payload::Condition(c)) => c.name.clone(),
        Some(Payload::Medication(m)) => m.name.clone(),
        Some(Payload::Allergy(a)) => a.substance.clone(),
        Some(Payload::Vaccination(v)) => v.vaccine.clone(),
        Some(Payload::VisitNote(n)) => first_line(&n.text),
        Some(Payload::Question(q)) => first_line(&q.text),
        Some(Payload::Document(d)) if d.title.is_empty() => d.file_name.clone(),
        Some(Payload::Document(d)) => d.title.clone(),
        Some(Payload::Emergency(_)) => text.emergency_title.to_owned(),
        Some(_) => value,
        None => String::new(),
    }
}

/// A second line of detail for an entry, or nothing.
pub fn entry_detail(entry: &Entry) -> String {
    let text = t();
    match entry.payload() {
        Some(Payload::Condition(c)) => match c.status {
            haven_api::record::entry::ConditionStatus::Active => text.status_active.to_owned(),
            haven_api::record::entry::ConditionStatus::Resolved => text.status_resolved.to_owned(),
        },
        Some(Payload::Medication(m)) => [m.dose.as_str(), m.frequency.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
        Some(Payload::Allergy(a)) => a.reaction.clone(),
        Some(Payload::Mood(m)) => first_line(&m.note),
        Some(Payload::Glucose(g)) => haven_api::record::measure::MealContext::ALL
            .iter()
            .position(|c| *c == g.context())
            .map_or("", |at| text.meal_contexts[at])
            .to_owned(),
        Some(Payload::Vaccination(v)) => v
            .dose_number
            .map(|n| fill(text.dose_n, &n.to_string()))
            .unwrap_or_default(),
        Some(Payload::Question(q)) if q.answered => text.answered.to_owned(),
        _ => String::new(),
    }
}

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    let mut short: String = line.chars().take(80).collect();
    if short.len() < line.len() {
        short.push('…');
    }
    short
}

/// A date or date-time as the patient's locale writes it.
pub fn when_text(tag: &str, when: When) -> String {
    match when {
        When::Date(date) => crate::intl::date(tag, date.year(), date.month(), date.day()),
        When::DateTime(moment) => crate::intl::date_time(tag, moment.unix_ms() as f64),
    }
}

/// `text` in lower case, by the browser (Rust's `to_lowercase` would add Unicode's case
/// tables to the patient bundle).
pub fn lower(text: &str) -> String {
    js_sys::JsString::from(text).to_lower_case().into()
}

/// Saves a Blob as a file on this device through a temporary link.
pub fn download_blob(blob: &web_sys::Blob, file_name: &str) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
        return;
    };
    if let Ok(link) = document().create_element("a")
        && let Ok(link) = link.dyn_into::<web_sys::HtmlAnchorElement>()
    {
        link.set_href(&url);
        link.set_download(file_name);
        let _ = link.set_attribute("hidden", "");
        let _ = document().body().map(|body| body.append_child(&link));
        link.click();
        link.remove();
    }
    // Revoke later: the download starts asynchronously.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(60),
    );
}
