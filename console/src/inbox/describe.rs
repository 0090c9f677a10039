//! How the inbox words things for staff, in the console's language: statuses, visit types,
//! history events, how long a request has waited, and the record items a patient attached
//! (described with the shared record helpers, [`value_text`] and [`search_text`], so they read
//! as the patient wrote them).

use std::cmp::Reverse;

use haven_api::appointments::{InboxItem, RequestStatus, VisitType};
use haven_api::date::Date;
use haven_api::record::entry::{ConditionStatus, Severity};
use haven_api::record::summary::{search_text, value_text};
use haven_api::record::{Entry, Kind, Payload};

use crate::i18n::{Catalog, fill, plural};

const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 60 * MINUTE_MS;
const DAY_MS: i64 = 24 * HOUR_MS;

/// A status as the front desk says it.
pub fn status_label(status: RequestStatus, t: &'static Catalog) -> &'static str {
    match status {
        RequestStatus::New => t.status_new,
        RequestStatus::Contacted => t.status_contacted,
        RequestStatus::Proposed => t.status_proposed,
        RequestStatus::Confirmed => t.status_confirmed,
        RequestStatus::Declined => t.status_declined,
        RequestStatus::Withdrawn => t.status_withdrawn,
    }
}

/// How the patient would like to be seen.
pub fn visit_type_label(visit_type: VisitType, t: &'static Catalog) -> &'static str {
    match visit_type {
        VisitType::InPerson => t.visit_in_person,
        VisitType::Phone => t.visit_phone,
        VisitType::Video => t.visit_video,
    }
}

/// A history event's action code as a phrase (an unknown one as an audit code would read).
pub fn event_label(action: &str, t: &'static Catalog) -> String {
    let known = match action {
        "received" => t.event_received,
        "confirmed" => t.event_confirmed,
        "proposed" => t.event_proposed,
        "declined" => t.event_declined,
        "contacted" => t.event_contacted,
        "withdrawn" => t.event_withdrawn,
        "proposal_accepted" => t.event_proposal_accepted,
        "proposal_declined" => t.event_proposal_declined,
        other => return crate::format::action_label(other, t),
    };
    known.to_owned()
}

/// Whether an event's detail is a message written to the patient (in their language), rather
/// than a time.
pub fn event_carries_message(action: &str) -> bool {
    matches!(action, "confirmed" | "proposed" | "declined")
}

/// Who did it: "the patient", or the staff member's email.
pub fn actor_label(actor: &str, t: &'static Catalog) -> String {
    if actor == "patient" {
        t.actor_patient.to_owned()
    } else {
        actor.to_owned()
    }
}

/// A span of time as staff read it at a glance: "under a minute", "45 min", "3 h 20 min",
/// "1 day 6 h".
pub fn duration_text(ms: i64, t: &'static Catalog) -> String {
    let ms = ms.max(0);
    if ms < MINUTE_MS {
        return t.under_a_minute.to_owned();
    }
    let (days, hours, minutes) = (ms / DAY_MS, ms % DAY_MS / HOUR_MS, ms % HOUR_MS / MINUTE_MS);
    let mut parts = Vec::new();
    if days > 0 {
        parts.push(plural(days.unsigned_abs(), t.day_one, t.days_many));
    }
    if hours > 0 {
        parts.push(fill(t.hours_short, hours));
    }
    // Minutes matter only within the first day.
    if days == 0 && (minutes > 0 || hours == 0) {
        parts.push(fill(t.minutes_short, minutes));
    }
    parts.join(" ")
}

/// How long a request has waited for a first answer, while it is new.
pub fn waiting_ms(item: &InboxItem, now: i64) -> Option<i64> {
    (item.status == RequestStatus::New).then(|| (now - item.received_at).max(0))
}

/// Whether a new request has waited longer than the clinic's response target.
pub fn is_overdue(item: &InboxItem, now: i64, target_hours: u32) -> bool {
    waiting_ms(item, now).is_some_and(|waited| waited > i64::from(target_hours) * HOUR_MS)
}

/// The list's order: new requests first, then the newest.
pub fn inbox_order(items: &mut [InboxItem]) {
    items.sort_by_key(|item| {
        (
            item.status != RequestStatus::New,
            Reverse(item.received_at),
            item.id.clone(),
        )
    });
}

/// A record kind's name.
pub fn kind_label(kind: Kind, t: &'static Catalog) -> &'static str {
    match kind {
        Kind::Condition => t.kind_condition,
        Kind::Medication => t.kind_medication,
        Kind::Allergy => t.kind_allergy,
        Kind::BloodPressure => t.kind_blood_pressure,
        Kind::Glucose => t.kind_glucose,
        Kind::Weight => t.kind_weight,
        Kind::Height => t.kind_height,
        Kind::Temperature => t.kind_temperature,
        Kind::HeartRate => t.kind_heart_rate,
        Kind::OxygenSaturation => t.kind_oxygen_saturation,
        Kind::Mood => t.kind_mood,
        Kind::Vaccination => t.kind_vaccination,
        Kind::VisitNote => t.kind_visit_note,
        Kind::Question => t.kind_question,
        Kind::Document => t.kind_document,
        Kind::Emergency => t.kind_emergency,
    }
}

fn severity_label(severity: Severity, t: &'static Catalog) -> &'static str {
    match severity {
        Severity::Mild => t.severity_mild,
        Severity::Moderate => t.severity_moderate,
        Severity::Severe => t.severity_severe,
    }
}

/// An attached record item in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryText {
    /// The kind, such as "Blood pressure".
    pub kind: &'static str,
    /// A reading in numbers and units (`128/82 mmHg`), or the text the patient wrote; empty
    /// when the item has no details.
    pub value: String,
    /// Whether `value` is the patient's own words (in their language) rather than a reading.
    pub patient_words: bool,
    /// What the console adds in its own language, such as "severe" or "resolved".
    pub note: Option<&'static str>,
}

/// Describes an attached item in the console's language `t`: its kind, its reading or text
/// (as the patient recorded it), and a note.
pub fn entry_text(entry: &Entry, t: &'static Catalog) -> EntryText {
    let reading = value_text(entry, '.');
    let patient_words = reading.is_empty();
    let value = if patient_words {
        search_text(entry)
    } else {
        reading
    };
    let note = match entry.payload() {
        Some(Payload::Allergy(allergy)) => allergy.severity.map(|s| severity_label(s, t)),
        Some(Payload::Condition(condition)) if condition.status == ConditionStatus::Resolved => {
            Some(t.note_resolved)
        }
        Some(Payload::Medication(medication)) if medication.stop.is_some() => Some(t.note_stopped),
        Some(Payload::Question(question)) if question.answered => Some(t.note_answered),
        _ => None,
    };
    EntryText {
        kind: kind_label(entry.kind, t),
        value,
        patient_words,
        note,
    }
}

/// The `tel:` address for a phone number as the patient typed it: digits, and a leading `+`.
pub fn tel_href(phone: &str) -> String {
    let phone = phone.trim();
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    if phone.starts_with('+') {
        format!("tel:+{digits}")
    } else {
        format!("tel:{digits}")
    }
}

/// Age in whole years on `today`, for a date of birth.
pub fn age(birth: Date, today: Date) -> Option<i32> {
    if birth > today {
        return None;
    }
    let had_birthday = (today.month(), today.day()) >= (birth.month(), birth.day());
    Some(today.year() - birth.year() - i32::from(!had_birthday))
}

/// Whether `text` is a clinic-local time, `HH:MM` on the 24-hour clock.
pub fn is_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 5
        && bytes[2] == b':'
        && bytes[..2].iter().chain(&bytes[3..]).all(u8::is_ascii_digit)
        && text[..2] < *"24"
        && text[3..] < *"60"
}

#[cfg(test)]
mod tests {
    use haven_api::appointments::TimeWindow;
    use haven_api::record::When;
    use haven_api::record::entry::{Allergy, Medication};
    use haven_api::record::measure::BloodPressure;

    use haven_api::lang::Lang;

    use super::*;
    use crate::i18n::catalog;

    fn en() -> &'static Catalog {
        catalog(Lang::En)
    }

    fn item(id: &str, status: RequestStatus, received_at: i64) -> InboxItem {
        InboxItem {
            id: id.into(),
            status,
            received_at,
            updated_at: received_at,
            reason_id: None,
            reason: "Check-up".into(),
            name: "Lan".into(),
            language: haven_api::lang::Lang::Vi,
            visit_type: VisitType::InPerson,
            first_window: Some(TimeWindow {
                date: "2026-12-08".into(),
                from: "09:00".into(),
                to: "11:00".into(),
            }),
            attachments: 0,
        }
    }

    #[test]
    fn new_requests_come_first_then_the_newest() {
        let mut items = vec![
            item("old-new", RequestStatus::New, 100),
            item("newest-confirmed", RequestStatus::Confirmed, 900),
            item("new-new", RequestStatus::New, 500),
            item("old-declined", RequestStatus::Declined, 50),
        ];
        inbox_order(&mut items);
        let ids: Vec<&str> = items.iter().map(|item| item.id.as_str()).collect();
        assert_eq!(
            ids,
            ["new-new", "old-new", "newest-confirmed", "old-declined"]
        );
    }

    #[test]
    fn only_a_new_request_past_the_target_is_overdue() {
        let received = 0;
        let new = item("a", RequestStatus::New, received);
        assert!(!is_overdue(&new, 24 * HOUR_MS, 24));
        assert!(is_overdue(&new, 24 * HOUR_MS + MINUTE_MS, 24));
        let answered = item("b", RequestStatus::Contacted, received);
        assert!(!is_overdue(&answered, 100 * HOUR_MS, 24));
        assert_eq!(waiting_ms(&answered, 100 * HOUR_MS), None);
    }

    #[test]
    fn durations_read_at_a_glance() {
        let text = |ms| duration_text(ms, en());
        assert_eq!(text(-5), "under a minute");
        assert_eq!(text(59_999), "under a minute");
        assert_eq!(text(45 * MINUTE_MS), "45 min");
        assert_eq!(text(3 * HOUR_MS), "3 h");
        assert_eq!(text(3 * HOUR_MS + 20 * MINUTE_MS), "3 h 20 min");
        assert_eq!(text(DAY_MS + 5 * MINUTE_MS), "1 day");
        assert_eq!(text(DAY_MS + 6 * HOUR_MS), "1 day 6 h");
        assert_eq!(text(3 * DAY_MS), "3 days");
        assert_eq!(text(3 * DAY_MS + HOUR_MS), "3 days 1 h");
    }

    #[test]
    fn durations_read_in_vietnamese_too() {
        let vi = catalog(Lang::Vi);
        assert_eq!(
            duration_text(3 * HOUR_MS + 20 * MINUTE_MS, vi),
            "3 giờ 20 phút"
        );
        assert_eq!(duration_text(DAY_MS + 6 * HOUR_MS, vi), "1 ngày 6 giờ");
    }

    #[test]
    fn a_reading_is_described_with_its_value_and_unit() {
        let when = When::parse("2026-12-02").unwrap();
        let entry = Entry::new("e", when, 0, BloodPressure::new(128, 82).unwrap());
        let text = entry_text(&entry, en());
        assert_eq!(text.kind, "Blood pressure");
        assert_eq!(text.value, "128/82 mmHg");
        assert!(!text.patient_words);
    }

    #[test]
    fn a_written_item_is_described_in_the_patients_words_with_a_note() {
        let when = When::parse("2026-12-02").unwrap();
        let allergy = Allergy {
            substance: "Tôm".into(),
            reaction: "Nổi mề đay".into(),
            severity: Some(Severity::Severe),
            ..Allergy::default()
        };
        let text = entry_text(&Entry::new("a", when, 0, allergy), en());
        assert_eq!(text.value, "Tôm Nổi mề đay");
        assert!(text.patient_words);
        assert_eq!(text.note, Some("severe"));
        let medication = Medication {
            name: "Metformin".into(),
            dose: "500 mg".into(),
            ..Medication::default()
        };
        let text = entry_text(&Entry::new("m", when, 0, medication), en());
        assert_eq!(
            (text.kind, text.value.as_str()),
            ("Medication", "Metformin 500 mg")
        );
    }

    #[test]
    fn phone_numbers_become_dialable_links() {
        assert_eq!(tel_href("0901 234 567"), "tel:0901234567");
        assert_eq!(tel_href(" +84 (90) 123-4567"), "tel:+84901234567");
    }

    #[test]
    fn age_counts_birthdays_passed() {
        let day = |text| Date::parse(text).unwrap();
        assert_eq!(age(day("1980-12-09"), day("2026-12-08")), Some(45));
        assert_eq!(age(day("1980-12-08"), day("2026-12-08")), Some(46));
        assert_eq!(age(day("2027-01-01"), day("2026-12-08")), None);
    }

    #[test]
    fn times_are_24_hour_hh_mm() {
        assert!(is_time("14:30") && is_time("00:00") && is_time("23:59"));
        assert!(!is_time("24:00") && !is_time("9:30") && !is_time("12:60"));
        assert!(!is_time("ab:cd") && !is_time(""));
    }

    #[test]
    fn history_events_read_as_phrases() {
        assert_eq!(event_label("received", en()), "Request received");
        assert_eq!(event_label("something_else", en()), "Something else");
        assert!(event_carries_message("declined") && !event_carries_message("contacted"));
    }
}
