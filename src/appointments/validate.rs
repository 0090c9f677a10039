//! Checking a request before it goes into the outbox, field by field, with the same field
//! names the server uses in its 422 answers (`reason_text`, `windows.0.date`, `phone`…), so a
//! message always sits next to its field. Plain functions of the draft and the clinic's
//! configuration, tested natively; the messages are chosen in [`super::text`].

use haven_api::appointments::{
    MAX_ATTACHMENTS, MAX_DAYS_AHEAD, MAX_NAME_CHARS, MAX_TEXT_CHARS, TimeWindow, VisitType,
};
use haven_api::config::OpeningHours;
use haven_api::date::{Date, EARLIEST_YEAR};

use super::draft::Draft;

/// The clinic's local date and time now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClinicNow {
    /// The clinic's date today.
    pub today: Date,
    /// Minutes since the clinic's midnight.
    pub minutes: u32,
}

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Neither a configured reason nor the patient's own words.
    ReasonMissing,
    /// Longer than this many characters.
    TooLong(usize),
    /// No date given.
    DateMissing,
    /// Not a real date.
    DateInvalid,
    /// A day before the clinic's today.
    DatePast,
    /// Further ahead than the clinic books.
    DateTooFar,
    /// The clinic is closed on that weekday (0 = Monday).
    ClosedOn(u32),
    /// No time given.
    TimeMissing,
    /// Not a time of day.
    TimeInvalid,
    /// The end is not after the start.
    TimeOrder,
    /// Outside the day's opening hours (`HH:MM` each).
    OutsideHours {
        /// When the clinic opens that day.
        opens: String,
        /// When it closes.
        closes: String,
    },
    /// The whole window is already over today.
    TimePast,
    /// The same window as an earlier one.
    Duplicate,
    /// No name.
    NameMissing,
    /// No date of birth.
    BirthMissing,
    /// Not a plausible date of birth (a future or impossible date).
    BirthInvalid,
    /// No phone number.
    PhoneMissing,
    /// Not a phone number the clinic can call.
    PhoneInvalid,
    /// Not an email address.
    EmailInvalid,
    /// New or returning patient not chosen.
    ChoiceMissing,
    /// Consent to be contacted not given.
    ConsentMissing,
    /// Record documents (files) cannot be sent yet.
    DocumentsAttached,
    /// Some chosen record items cannot be read (the record is locked, or they were deleted).
    AttachmentsUnavailable,
    /// More record items than a request carries.
    TooManyAttachments,
}

/// A problem with one field, named as the server names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field: `name`, `windows.1.from`…
    pub field: String,
    /// What is wrong.
    pub problem: Problem,
}

impl FieldError {
    fn new(field: impl Into<String>, problem: Problem) -> FieldError {
        FieldError {
            field: field.into(),
            problem,
        }
    }
}

/// What the checks need to know about the clinic.
#[derive(Debug, Clone, Copy)]
pub struct Clinic<'a> {
    /// The clinic's local date and time now.
    pub now: ClinicNow,
    /// Its opening hours.
    pub hours: &'a [OpeningHours],
    /// Its configured reasons' ids.
    pub reasons: &'a [String],
    /// Its country (ISO 3166-1 alpha-2), for national phone numbers.
    pub country: &'a str,
}

/// Every problem with `draft`, in the order of the form.
pub fn validate(draft: &Draft, clinic: &Clinic<'_>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let chosen = !draft.reason_id.is_empty() && clinic.reasons.contains(&draft.reason_id);
    if !chosen && draft.reason_text.trim().is_empty() {
        errors.push(FieldError::new("reason_text", Problem::ReasonMissing));
    } else if let Some(problem) = too_long(&draft.reason_text, MAX_TEXT_CHARS) {
        errors.push(FieldError::new("reason_text", problem));
    }
    for (index, window) in draft.windows.iter().enumerate() {
        let earlier = &draft.windows[..index];
        for (part, problem) in check_window(window, earlier, clinic.now, clinic.hours) {
            errors.push(FieldError::new(format!("windows.{index}.{part}"), problem));
        }
    }
    if draft.new_patient.is_none() {
        errors.push(FieldError::new("new_patient", Problem::ChoiceMissing));
    }
    if draft.name.trim().is_empty() {
        errors.push(FieldError::new("name", Problem::NameMissing));
    } else if let Some(problem) = too_long(draft.name.trim(), MAX_NAME_CHARS) {
        errors.push(FieldError::new("name", problem));
    }
    if let Some(problem) = check_birth_date(&draft.birth_date, clinic.now.today) {
        errors.push(FieldError::new("birth_date", problem));
    }
    if let Some(problem) = check_phone(&draft.phone, clinic.country) {
        errors.push(FieldError::new("phone", problem));
    }
    if !draft.email.trim().is_empty() && !is_email(draft.email.trim()) {
        errors.push(FieldError::new("email", Problem::EmailInvalid));
    }
    if let Some(problem) = too_long(&draft.notes, MAX_TEXT_CHARS) {
        errors.push(FieldError::new("notes", problem));
    }
    if !draft.consent {
        errors.push(FieldError::new("consent", Problem::ConsentMissing));
    }
    errors
}

fn too_long(text: &str, max: usize) -> Option<Problem> {
    (text.chars().count() > max).then_some(Problem::TooLong(max))
}

/// The record items' problem, if any: `chosen` ids, of which `found` are readable now and
/// `documents` are documents.
pub fn check_attachments(chosen: usize, found: usize, documents: usize) -> Option<Problem> {
    if chosen > MAX_ATTACHMENTS {
        Some(Problem::TooManyAttachments)
    } else if found < chosen {
        Some(Problem::AttachmentsUnavailable)
    } else if documents > 0 {
        Some(Problem::DocumentsAttached)
    } else {
        None
    }
}

/// The weekday of a date, 0 = Monday.
pub fn weekday(date: Date) -> u32 {
    // 1 January 1970 was a Thursday.
    (date.days() + 3).rem_euclid(7) as u32
}

/// `HH:MM` (or `HH:MM:SS`, as some browsers give) as minutes since midnight.
pub fn minutes(text: &str) -> Option<u32> {
    let mut parts = text.split(':');
    let hour: u32 = number(parts.next()?)?;
    let minute: u32 = number(parts.next()?)?;
    if let Some(seconds) = parts.next() {
        number(seconds).filter(|s| *s < 60)?;
    }
    (parts.next().is_none() && hour < 24 && minute < 60).then_some(hour * 60 + minute)
}

fn number(text: &str) -> Option<u32> {
    (text.len() == 2 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// The problems of one window, by part (`date`, `from`, `to`), given the windows before it.
pub fn check_window(
    window: &TimeWindow,
    earlier: &[TimeWindow],
    now: ClinicNow,
    hours: &[OpeningHours],
) -> Vec<(&'static str, Problem)> {
    let mut problems = Vec::new();
    let date = if window.date.is_empty() {
        problems.push(("date", Problem::DateMissing));
        None
    } else {
        match Date::parse(&window.date) {
            None => {
                problems.push(("date", Problem::DateInvalid));
                None
            }
            Some(date) if date < now.today => {
                problems.push(("date", Problem::DatePast));
                None
            }
            Some(date) if date.days() - now.today.days() > MAX_DAYS_AHEAD => {
                problems.push(("date", Problem::DateTooFar));
                None
            }
            Some(date) => Some(date),
        }
    };
    let open = date.map(|date| {
        let day = weekday(date);
        let open = hours.iter().find(|h| h.day as u32 == day);
        if open.is_none() {
            problems.push(("date", Problem::ClosedOn(day)));
        }
        open
    });
    let mut time = |part: &'static str, text: &str| {
        if text.is_empty() {
            problems.push((part, Problem::TimeMissing));
            None
        } else {
            let parsed = minutes(text);
            if parsed.is_none() {
                problems.push((part, Problem::TimeInvalid));
            }
            parsed
        }
    };
    let (from, to) = (time("from", &window.from), time("to", &window.to));
    let (Some(from), Some(to)) = (from, to) else {
        return problems;
    };
    if to <= from {
        problems.push(("to", Problem::TimeOrder));
        return problems;
    }
    if let Some(Some(open)) = open {
        let (opens, closes) = (
            minutes(&open.opens).unwrap_or(0),
            minutes(&open.closes).unwrap_or(24 * 60),
        );
        if from < opens || from >= closes || to > closes {
            let part = if from < opens || from >= closes {
                "from"
            } else {
                "to"
            };
            problems.push((
                part,
                Problem::OutsideHours {
                    opens: open.opens.clone(),
                    closes: open.closes.clone(),
                },
            ));
            return problems;
        }
    }
    if date == Some(now.today) && to <= now.minutes {
        problems.push(("to", Problem::TimePast));
    } else if date.is_some() && earlier.iter().any(|other| other == window) {
        problems.push(("date", Problem::Duplicate));
    }
    problems
}

/// A date of birth's problem, if any.
pub fn check_birth_date(text: &str, today: Date) -> Option<Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Some(Problem::BirthMissing);
    }
    match Date::parse(text) {
        Some(date) if date <= today && date.year() >= EARLIEST_YEAR => None,
        _ => Some(Problem::BirthInvalid),
    }
}

/// A phone number's problem, if any. Accepted: digits with spaces, dots, dashes and brackets;
/// either international (`+`, then 8 to 15 digits, the first not 0) or national for the
/// clinic's country (Vietnam: 10 or 11 digits from a leading 0; the US and Canada: 10 digits,
/// or 11 from a leading 1; elsewhere 6 to 15 digits).
pub fn check_phone(text: &str, country: &str) -> Option<Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Some(Problem::PhoneMissing);
    }
    let international = text.starts_with('+');
    let rest = if international { &text[1..] } else { text };
    let allowed = rest
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'));
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    let count = digits.len();
    let ok = allowed
        && if international {
            (8..=15).contains(&count) && !digits.starts_with('0')
        } else {
            match country {
                "VN" => digits.starts_with('0') && (10..=11).contains(&count),
                "US" | "CA" => count == 10 || (count == 11 && digits.starts_with('1')),
                _ => (6..=15).contains(&count),
            }
        };
    (!ok).then_some(Problem::PhoneInvalid)
}

/// Whether `text` looks like an email address: one `@`, something before it, a dotted
/// domain after it, no spaces.
pub fn is_email(text: &str) -> bool {
    if text.len() > 254 || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        }
        None => false,
    }
}

/// Keeps the draft's visit type among those the clinic offers (the first offered otherwise).
pub fn fit_visit_type(draft: &mut Draft, offered: &[VisitType]) {
    if !offered.contains(&draft.visit_type)
        && let Some(first) = offered.first()
    {
        draft.visit_type = *first;
    }
}

/// What a `?reason=` link parameter comes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkReason {
    /// No parameter (or an empty one).
    None,
    /// A configured reason, now chosen.
    Chosen,
    /// An id the clinic does not offer: ignored, with a note.
    Unknown,
}

/// Applies a `?reason=<id>` parameter to the draft: a configured reason is chosen, anything
/// else is ignored.
pub fn apply_link_reason(draft: &mut Draft, param: Option<&str>, reasons: &[String]) -> LinkReason {
    match param.map(str::trim).filter(|id| !id.is_empty()) {
        None => LinkReason::None,
        Some(id) if reasons.iter().any(|r| r == id) => {
            draft.reason_id = id.to_owned();
            LinkReason::Chosen
        }
        Some(_) => LinkReason::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use haven_api::config::Weekday;
    use haven_api::lang::Lang;

    use super::*;

    /// Tuesday 1 December 2026, 10:00 at the clinic.
    fn now() -> ClinicNow {
        ClinicNow {
            today: Date::new(2026, 12, 1).unwrap(),
            minutes: 10 * 60,
        }
    }

    fn hours() -> Vec<OpeningHours> {
        let day = |day, opens: &str, closes: &str| OpeningHours {
            day,
            opens: opens.into(),
            closes: closes.into(),
        };
        vec![
            day(Weekday::Mon, "07:30", "17:00"),
            day(Weekday::Tue, "07:30", "17:00"),
            day(Weekday::Sat, "08:00", "12:00"),
        ]
    }

    fn window(date: &str, from: &str, to: &str) -> TimeWindow {
        TimeWindow {
            date: date.into(),
            from: from.into(),
            to: to.into(),
        }
    }

    fn check(w: TimeWindow) -> Vec<(&'static str, Problem)> {
        check_window(&w, &[], now(), &hours())
    }

    fn reasons() -> Vec<String> {
        vec!["checkup".into(), "dental".into()]
    }

    fn valid() -> Draft {
        Draft {
            reason_id: "checkup".into(),
            windows: vec![window("2026-12-07", "09:00", "11:00")],
            new_patient: Some(false),
            name: "Lan".into(),
            birth_date: "1980-05-01".into(),
            phone: "0901 234 567".into(),
            consent: true,
            ..Draft::new(Lang::En)
        }
    }

    fn errors(draft: &Draft) -> Vec<FieldError> {
        let (hours, reasons) = (hours(), reasons());
        validate(
            draft,
            &Clinic {
                now: now(),
                hours: &hours,
                reasons: &reasons,
                country: "VN",
            },
        )
    }

    fn fields(draft: &Draft) -> Vec<String> {
        errors(draft).into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_complete_request_has_no_problem() {
        assert_eq!(errors(&valid()), vec![]);
    }

    #[test]
    fn an_empty_form_names_every_required_field_in_form_order() {
        assert_eq!(
            fields(&Draft::new(Lang::En)),
            [
                "reason_text",
                "windows.0.date",
                "windows.0.from",
                "windows.0.to",
                "new_patient",
                "name",
                "birth_date",
                "phone",
                "consent"
            ]
        );
    }

    #[test]
    fn the_patients_own_words_are_enough_without_a_configured_reason() {
        let draft = Draft {
            reason_id: String::new(),
            reason_text: "Rash on my arm".into(),
            ..valid()
        };
        assert_eq!(errors(&draft), vec![]);
        let unknown = Draft {
            reason_id: "gone".into(),
            ..valid()
        };
        assert_eq!(fields(&unknown), ["reason_text"]);
        let long = Draft {
            reason_text: "x".repeat(MAX_TEXT_CHARS + 1),
            ..valid()
        };
        assert_eq!(errors(&long)[0].problem, Problem::TooLong(MAX_TEXT_CHARS));
    }

    #[test]
    fn weekdays_count_from_monday() {
        assert_eq!(weekday(Date::new(2026, 12, 7).unwrap()), 0);
        assert_eq!(weekday(Date::new(2026, 12, 1).unwrap()), 1);
        assert_eq!(weekday(Date::new(1970, 1, 1).unwrap()), 3);
        assert_eq!(weekday(Date::new(2024, 1, 7).unwrap()), 6);
    }

    #[test]
    fn a_day_in_the_past_is_refused() {
        assert_eq!(
            check(window("2026-11-30", "09:00", "10:00")),
            [("date", Problem::DatePast)]
        );
    }

    #[test]
    fn a_day_the_clinic_is_closed_names_the_weekday() {
        // Sunday 6 December 2026.
        assert_eq!(
            check(window("2026-12-06", "09:00", "10:00")),
            [("date", Problem::ClosedOn(6))]
        );
    }

    #[test]
    fn times_outside_the_days_opening_hours_are_refused_with_those_hours() {
        let saturday = Problem::OutsideHours {
            opens: "08:00".into(),
            closes: "12:00".into(),
        };
        assert_eq!(
            check(window("2026-12-05", "11:00", "13:00")),
            [("to", saturday.clone())]
        );
        assert_eq!(
            check(window("2026-12-05", "07:00", "09:00")),
            [("from", saturday)]
        );
        assert_eq!(check(window("2026-12-05", "08:00", "12:00")), []);
    }

    #[test]
    fn the_end_must_be_after_the_start() {
        assert_eq!(
            check(window("2026-12-07", "11:00", "11:00")),
            [("to", Problem::TimeOrder)]
        );
    }

    #[test]
    fn a_window_already_over_today_is_refused_but_one_still_running_is_not() {
        assert_eq!(
            check(window("2026-12-01", "08:00", "09:30")),
            [("to", Problem::TimePast)]
        );
        assert_eq!(check(window("2026-12-01", "09:00", "12:00")), []);
    }

    #[test]
    fn missing_and_malformed_parts_are_named_each() {
        assert_eq!(
            check(window("", "", "25:00")),
            [
                ("date", Problem::DateMissing),
                ("from", Problem::TimeMissing),
                ("to", Problem::TimeInvalid)
            ]
        );
        assert_eq!(
            check(window("2026-02-30", "9:00", "10:00")),
            [
                ("date", Problem::DateInvalid),
                ("from", Problem::TimeInvalid)
            ]
        );
    }

    #[test]
    fn a_day_too_far_ahead_is_refused() {
        assert_eq!(
            check(window("2027-12-06", "09:00", "10:00")),
            [("date", Problem::DateTooFar)]
        );
    }

    #[test]
    fn the_same_window_twice_is_refused_on_the_second() {
        let mut draft = valid();
        draft.windows.push(draft.windows[0].clone());
        assert_eq!(fields(&draft), ["windows.1.date"]);
        assert_eq!(errors(&draft)[0].problem, Problem::Duplicate);
    }

    #[test]
    fn seconds_from_a_time_input_are_accepted() {
        assert_eq!(minutes("07:30"), Some(450));
        assert_eq!(minutes("07:30:15"), Some(450));
        assert_eq!(minutes("7:30"), None);
        assert_eq!(minutes("24:00"), None);
    }

    #[test]
    fn national_and_international_phone_numbers() {
        for (text, country, ok) in [
            ("0901 234 567", "VN", true),
            ("(028) 3822-1234", "VN", true),
            ("+84 90 123 4567", "VN", true),
            ("901234567", "VN", false),
            ("0901 234", "VN", false),
            ("12", "VN", false),
            ("abc", "VN", false),
            ("090-ABC-4567", "VN", false),
            ("+0 123 456 789", "VN", false),
            ("++84901234567", "VN", false),
            ("(555) 123-4567", "US", true),
            ("1 555 123 4567", "US", true),
            ("555 1234", "US", false),
            ("020 7946 0000", "GB", true),
        ] {
            assert_eq!(
                check_phone(text, country).is_none(),
                ok,
                "{text} in {country}"
            );
        }
        assert_eq!(check_phone("  ", "VN"), Some(Problem::PhoneMissing));
    }

    #[test]
    fn an_invalid_phone_number_is_reported_on_the_phone_field() {
        let draft = Draft {
            phone: "12ab".into(),
            ..valid()
        };
        assert_eq!(
            errors(&draft),
            [FieldError::new("phone", Problem::PhoneInvalid)]
        );
    }

    #[test]
    fn a_date_of_birth_must_be_real_and_not_in_the_future() {
        let today = now().today;
        assert_eq!(check_birth_date("1980-05-01", today), None);
        assert_eq!(check_birth_date("", today), Some(Problem::BirthMissing));
        assert_eq!(
            check_birth_date("2027-01-01", today),
            Some(Problem::BirthInvalid)
        );
        assert_eq!(
            check_birth_date("0980-05-01", today),
            Some(Problem::BirthInvalid)
        );
    }

    #[test]
    fn email_is_optional_but_checked_when_given() {
        assert!(is_email("lan@example.vn"));
        for bad in [
            "lan",
            "lan@",
            "@example.com",
            "lan@example",
            "l an@example.com",
            "a@b@c.d",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
        let draft = Draft {
            email: "lan@".into(),
            ..valid()
        };
        assert_eq!(fields(&draft), ["email"]);
    }

    #[test]
    fn consent_and_the_new_patient_question_are_required() {
        let draft = Draft {
            consent: false,
            new_patient: None,
            ..valid()
        };
        assert_eq!(fields(&draft), ["new_patient", "consent"]);
    }

    #[test]
    fn attachments_must_be_readable_few_enough_and_not_documents() {
        assert_eq!(check_attachments(0, 0, 0), None);
        assert_eq!(check_attachments(2, 2, 0), None);
        assert_eq!(
            check_attachments(2, 1, 0),
            Some(Problem::AttachmentsUnavailable)
        );
        assert_eq!(check_attachments(2, 2, 1), Some(Problem::DocumentsAttached));
        assert_eq!(
            check_attachments(MAX_ATTACHMENTS + 1, MAX_ATTACHMENTS + 1, 0),
            Some(Problem::TooManyAttachments)
        );
    }

    #[test]
    fn a_visit_type_the_clinic_does_not_offer_becomes_the_first_it_does() {
        let mut draft = Draft::new(Lang::En);
        fit_visit_type(&mut draft, &[VisitType::Phone, VisitType::Video]);
        assert_eq!(draft.visit_type, VisitType::Phone);
        fit_visit_type(&mut draft, &[VisitType::Video, VisitType::Phone]);
        assert_eq!(
            draft.visit_type,
            VisitType::Phone,
            "an offered type is kept"
        );
        fit_visit_type(&mut draft, &[]);
        assert_eq!(draft.visit_type, VisitType::Phone);
    }

    #[test]
    fn a_link_reason_is_chosen_when_the_clinic_offers_it_and_ignored_otherwise() {
        let mut draft = Draft::new(Lang::En);
        assert_eq!(
            apply_link_reason(&mut draft, Some("dental"), &reasons()),
            LinkReason::Chosen
        );
        assert_eq!(draft.reason_id, "dental");
        assert_eq!(
            apply_link_reason(&mut draft, Some("cardiology"), &reasons()),
            LinkReason::Unknown
        );
        assert_eq!(draft.reason_id, "dental", "an unknown id changes nothing");
        assert_eq!(
            apply_link_reason(&mut draft, Some(""), &reasons()),
            LinkReason::None
        );
        assert_eq!(
            apply_link_reason(&mut draft, None, &reasons()),
            LinkReason::None
        );
    }
}
