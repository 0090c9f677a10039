//! How the inbox words things for staff: statuses, visit types, history events, how long a
//! request has waited, and the record items a patient attached (described with the shared
//! record helpers, [`value_text`] and [`search_text`], so they read as the patient wrote them).

use std::cmp::Reverse;

use haven_api::appointments::{InboxItem, RequestStatus, VisitType};
use haven_api::date::Date;
use haven_api::record::entry::{ConditionStatus, Severity};
use haven_api::record::summary::{search_text, value_text};
use haven_api::record::{Entry, Kind, Payload};

const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 60 * MINUTE_MS;
const DAY_MS: i64 = 24 * HOUR_MS;

/// A status as the front desk says it.
pub fn status_label(status: RequestStatus) -> &'static str {
    match status {
        RequestStatus::New => "New",
        RequestStatus::Contacted => "Contacted",
        RequestStatus::Proposed => "Other time proposed",
        RequestStatus::Confirmed => "Confirmed",
        RequestStatus::Declined => "Declined",
        RequestStatus::Withdrawn => "Withdrawn by the patient",
    }
}

/// How the patient would like to be seen.
pub fn visit_type_label(visit_type: VisitType) -> &'static str {
    match visit_type {
        VisitType::InPerson => "In person",
        VisitType::Phone => "Phone call",
        VisitType::Video => "Video call",
    }
}

/// A history event's action code as a phrase.
pub fn event_label(action: &str) -> String {
    match action {
        "received" => "Request received".to_owned(),
        "confirmed" => "Confirmed".to_owned(),
        "proposed" => "Another time proposed".to_owned(),
        "declined" => "Declined".to_owned(),
        "contacted" => "Marked as contacted".to_owned(),
        "withdrawn" => "Withdrawn by the patient".to_owned(),
        "proposal_accepted" => "The patient accepted the proposed time".to_owned(),
        "proposal_declined" => "The patient declined the proposed time".to_owned(),
        other => crate::format::action_label(other),
    }
}

/// Whether an event's detail is a message written to the patient (in their language), rather
/// than a time.
pub fn event_carries_message(action: &str) -> bool {
    matches!(action, "confirmed" | "proposed" | "declined")
}

/// Who did it: "the patient", or the staff member's email.
pub fn actor_label(actor: &str) -> String {
    if actor == "patient" {
        "the patient".to_owned()
    } else {
        actor.to_owned()
    }
}

/// A span of time as staff read it at a glance: "under a minute", "45 min", "3 h 20 min",
/// "1 day 6 h".
pub fn duration_text(ms: i64) -> String {
    let ms = ms.max(0);
    if ms < MINUTE_MS {
        return "under a minute".to_owned();
    }
    let (days, hours, minutes) = (ms / DAY_MS, ms % DAY_MS / HOUR_MS, ms % HOUR_MS / MINUTE_MS);
    match (days, hours, minutes) {
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (1, 0, _) => "1 day".to_owned(),
        (1, h, _) => format!("1 day {h} h"),
        (d, 0, _) => format!("{d} days"),
        (d, h, _) => format!("{d} days {h} h"),
    }
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
pub fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Condition => "Condition",
        Kind::Medication => "Medication",
        Kind::Allergy => "Allergy or intolerance",
        Kind::BloodPressure => "Blood pressure",
        Kind::Glucose => "Blood glucose",
        Kind::Weight => "Weight",
        Kind::Height => "Height",
        Kind::Temperature => "Temperature",
        Kind::HeartRate => "Heart rate",
        Kind::OxygenSaturation => "Oxygen saturation",
        Kind::Mood => "Mood",
        Kind::Vaccination => "Vaccination",
        Kind::VisitNote => "Visit note",
        Kind::Question => "Question for the visit",
        Kind::Document => "Document",
        Kind::Emergency => "Emergency information",
    }
}

fn severity_label(severity: Severity) -> &'static str {
    match severity {
        Severity::Mild => "mild",
        Severity::Moderate => "moderate",
        Severity::Severe => "severe",
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
    /// What the console adds in English, such as "severe" or "resolved".
    pub note: Option<&'static str>,
}

/// Describes an attached item: its kind, its reading or text, and a note in English.
pub fn entry_text(entry: &Entry) -> EntryText {
    let reading = value_text(entry, '.');
    let patient_words = reading.is_empty();
    let value = if patient_words {
        search_text(entry)
    } else {
        reading
    };
    let note = match entry.payload() {
        Some(Payload::Allergy(allergy)) => allergy.severity.map(severity_label),
        Some(Payload::Condition(condition)) if condition.status == ConditionStatus::Resolved => {
            Some("resolved")
        }
        Some(Payload::Medication(medication)) if medication.stop.is_some() => Some("stopped"),
        Some(Payload::Question(question)) if question.answered => Some("answered"),
        _ => None,
    };
    EntryText {
        kind: kind_label(entry.kind),
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

    use super::*;

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
        assert_eq!(duration_text(-5), "under a minute");
        assert_eq!(duration_text(59_999), "under a minute");
        assert_eq!(duration_text(45 * MINUTE_MS), "45 min");
        assert_eq!(duration_text(3 * HOUR_MS), "3 h");
        assert_eq!(duration_text(3 * HOUR_MS + 20 * MINUTE_MS), "3 h 20 min");
        assert_eq!(duration_text(DAY_MS + 5 * MINUTE_MS), "1 day");
        assert_eq!(duration_text(DAY_MS + 6 * HOUR_MS), "1 day 6 h");
        assert_eq!(duration_text(3 * DAY_MS), "3 days");
        assert_eq!(duration_text(3 * DAY_MS + HOUR_MS), "3 days 1 h");
    }

    #[test]
    fn a_reading_is_described_with_its_value_and_unit() {
        let when = When::parse("2026-12-02").unwrap();
        let entry = Entry::new("e", when, 0, BloodPressure::new(128, 82).unwrap());
        let text = entry_text(&entry);
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
        let text = entry_text(&Entry::new("a", when, 0, allergy));
        assert_eq!(text.value, "Tôm Nổi mề đay");
        assert!(text.patient_words);
        assert_eq!(text.note, Some("severe"));
        let medication = Medication {
            name: "Metformin".into(),
            dose: "500 mg".into(),
            ..Medication::default()
        };
        let text = entry_text(&Entry::new("m", when, 0, medication));
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
        assert_eq!(event_label("received"), "Request received");
        assert_eq!(event_label("something_else"), "Something else");
        assert!(event_carries_message("declined") && !event_carries_message("contacted"));
    }
}
