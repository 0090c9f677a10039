//! What the printable summary, the emergency card and the record's search need from the
//! entries: the current picture ([`summarize`]), an entry's searchable text
//! ([`search_text`]) and a reading in numbers and unit symbols ([`value_text`]).

use std::cmp::Ordering;

use super::date::Date;
use super::entry::{BloodType, ConditionStatus, Entry, Kind, Payload};
use super::trend::chronological;
use crate::fold::fold;

/// The record as it stands today, borrowed from its entries.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordSummary<'a> {
    /// Active conditions, by name.
    pub conditions: Vec<&'a Entry>,
    /// Medications taken today, by name (see [`currently_taking`]).
    pub medications: Vec<&'a Entry>,
    /// Allergies and intolerances, the severe first (then moderate, mild, not given), each
    /// group by substance: what a first responder must see first.
    pub allergies: Vec<&'a Entry>,
    /// The most recent reading of each measurement kind (mood included), in
    /// [`Kind::ALL`] order.
    pub latest: Vec<&'a Entry>,
    /// The emergency information (the most recently changed, should there be several).
    pub emergency: Option<&'a Entry>,
    /// Questions not yet answered, oldest first: the order they came up.
    pub open_questions: Vec<&'a Entry>,
}

/// The record as it stands on `today` (the patient's local date). Entries without their
/// details are left out.
pub fn summarize(entries: &[Entry], today: Date) -> RecordSummary<'_> {
    let mut conditions: Vec<&Entry> = entries
        .iter()
        .filter(|entry| {
            entry
                .condition
                .as_ref()
                .is_some_and(|condition| condition.status == ConditionStatus::Active)
                && entry.kind == Kind::Condition
        })
        .collect();
    conditions.sort_by(|a, b| by_name(a, b));

    let mut allergies: Vec<&Entry> = entries
        .iter()
        .filter(|entry| entry.kind == Kind::Allergy && entry.allergy.is_some())
        .collect();
    allergies.sort_by(|a, b| {
        let severity = |entry: &Entry| entry.allergy.as_ref().and_then(|allergy| allergy.severity);
        // `None` sorts before every severity, so reversing puts it last.
        severity(b).cmp(&severity(a)).then_with(|| by_name(a, b))
    });

    let latest = Kind::ALL
        .iter()
        .filter(|kind| kind.is_measurement())
        .filter_map(|&kind| {
            entries
                .iter()
                .filter(|entry| entry.kind == kind && entry.payload().is_some())
                .max_by(|a, b| chronological(a, b))
        })
        .collect();

    let emergency = entries
        .iter()
        .filter(|entry| entry.kind == Kind::Emergency && entry.emergency.is_some())
        .max_by_key(|entry| (entry.updated_at, &entry.id));

    let mut open_questions: Vec<&Entry> = entries
        .iter()
        .filter(|entry| {
            entry.kind == Kind::Question
                && entry
                    .question
                    .as_ref()
                    .is_some_and(|question| !question.answered)
        })
        .collect();
    open_questions.sort_by(|a, b| chronological(a, b));

    RecordSummary {
        conditions,
        medications: currently_taking(entries, today),
        allergies,
        latest,
        emergency,
        open_questions,
    }
}

/// The medications taken on `today` ([`Medication::is_current`](super::entry::Medication::is_current)),
/// by name.
pub fn currently_taking(entries: &[Entry], today: Date) -> Vec<&Entry> {
    let mut medications: Vec<&Entry> = entries
        .iter()
        .filter(|entry| {
            entry.kind == Kind::Medication
                && entry
                    .medication
                    .as_ref()
                    .is_some_and(|medication| medication.is_current(today))
        })
        .collect();
    medications.sort_by(|a, b| by_name(a, b));
    medications
}

/// The name an entry is listed by: a condition's or medication's name, an allergy's
/// substance.
fn name(entry: &Entry) -> &str {
    match entry.payload() {
        Some(Payload::Condition(condition)) => &condition.name,
        Some(Payload::Medication(medication)) => &medication.name,
        Some(Payload::Allergy(allergy)) => &allergy.substance,
        _ => "",
    }
}

/// Alphabetical the way a patient reads it: ignoring case and diacritics ("đường" next to
/// "duong"), then exactly, then by id so the order is stable.
fn by_name(a: &Entry, b: &Entry) -> Ordering {
    let (a_name, b_name) = (name(a).trim(), name(b).trim());
    fold(a_name)
        .cmp(&fold(b_name))
        .then_with(|| a_name.cmp(b_name))
        .then_with(|| a.id.cmp(&b.id))
}

/// Every text the patient typed or sees in an entry — names, dose, frequency, reason,
/// substance, reaction, vaccine, notes, a visit note's or question's text, a document's
/// title and file name, the emergency card's blood type and contact — joined by spaces.
/// Not folded: the widget normalises and folds it with the query. Readings have only their
/// mood note; their numbers are not searched as text.
pub fn search_text(entry: &Entry) -> String {
    let texts: Vec<&str> = match entry.payload() {
        None => Vec::new(),
        Some(Payload::Condition(condition)) => vec![&condition.name, &condition.notes],
        Some(Payload::Medication(medication)) => vec![
            &medication.name,
            &medication.dose,
            &medication.frequency,
            &medication.reason,
            &medication.notes,
        ],
        Some(Payload::Allergy(allergy)) => vec![&allergy.substance, &allergy.reaction],
        Some(Payload::Mood(mood)) => vec![&mood.note],
        Some(Payload::Vaccination(vaccination)) => vec![&vaccination.vaccine],
        Some(Payload::VisitNote(note)) => vec![&note.text],
        Some(Payload::Question(question)) => vec![&question.text],
        Some(Payload::Document(document)) => vec![&document.title, &document.file_name],
        Some(Payload::Emergency(emergency)) => vec![
            match emergency.blood_type {
                BloodType::Unknown => "",
                known => known.as_str(),
            },
            &emergency.contact_name,
            &emergency.contact_phone,
            &emergency.contact_relationship,
            &emergency.notes,
        ],
        Some(
            Payload::BloodPressure(_)
            | Payload::Glucose(_)
            | Payload::Weight(_)
            | Payload::Height(_)
            | Payload::Temperature(_)
            | Payload::HeartRate(_)
            | Payload::OxygenSaturation(_),
        ) => Vec::new(),
    };
    texts
        .into_iter()
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A reading as numbers and unit symbols, the same in every language but for the decimal
/// separator: `120/80 mmHg`, `5.6 mmol/L`, `72.5 kg`, `172 cm`, `36.6 °C`, `72 bpm`,
/// `98 %`, `4/5`. Values are shown as entered, in the unit entered. Empty for entries that
/// are not readings.
pub fn value_text(entry: &Entry, decimal_separator: char) -> String {
    let separator = decimal_separator;
    match entry.payload() {
        Some(Payload::BloodPressure(reading)) => {
            format!("{}/{} mmHg", reading.systolic(), reading.diastolic())
        }
        Some(Payload::Glucose(reading)) => {
            format!(
                "{} {}",
                reading.value().format(separator),
                reading.unit().symbol()
            )
        }
        Some(Payload::Weight(reading)) => {
            format!(
                "{} {}",
                reading.value().format(separator),
                reading.unit().symbol()
            )
        }
        Some(Payload::Height(reading)) => {
            format!(
                "{} {}",
                reading.value().format(separator),
                reading.unit().symbol()
            )
        }
        Some(Payload::Temperature(reading)) => {
            format!(
                "{} {}",
                reading.value().format(separator),
                reading.unit().symbol()
            )
        }
        Some(Payload::HeartRate(reading)) => format!("{} bpm", reading.bpm()),
        Some(Payload::OxygenSaturation(reading)) => format!("{} %", reading.percent()),
        Some(Payload::Mood(mood)) => format!("{}/5", mood.score.score()),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::date::When;
    use crate::record::entry::{
        Allergy, BloodType, Condition, Details, Document, Emergency, Medication, Mood, Question,
        Severity, Vaccination, VisitNote,
    };
    use crate::record::measure::{
        BloodPressure, Glucose, GlucoseUnit, HeartRate, Height, LengthUnit, MassUnit, MealContext,
        MoodScore, OxygenSaturation, Temperature, TemperatureUnit, Weight,
    };

    fn date(text: &str) -> Date {
        Date::parse(text).expect(text)
    }

    fn today() -> Date {
        date("2025-03-01")
    }

    fn at<D: Details>(id: &str, when: &str, details: D) -> Entry {
        Entry::new(id, When::parse(when).expect(when), 0, details)
    }

    fn ids<'a>(entries: &[&'a Entry]) -> Vec<&'a str> {
        entries.iter().map(|entry| entry.id.as_str()).collect()
    }

    fn condition(id: &str, name: &str, status: ConditionStatus) -> Entry {
        at(
            id,
            "2025-01-01",
            Condition {
                name: name.into(),
                status,
                ..Condition::default()
            },
        )
    }

    fn medication(id: &str, name: &str, start: Option<&str>, stop: Option<&str>) -> Entry {
        at(
            id,
            "2025-01-01",
            Medication {
                name: name.into(),
                start: start.map(date),
                stop: stop.map(date),
                ..Medication::default()
            },
        )
    }

    fn allergy(id: &str, substance: &str, severity: Option<Severity>) -> Entry {
        at(
            id,
            "2025-01-01",
            Allergy {
                substance: substance.into(),
                severity,
                ..Allergy::default()
            },
        )
    }

    fn question(id: &str, when: &str, answered: bool) -> Entry {
        at(
            id,
            when,
            Question {
                text: "?".into(),
                answered,
            },
        )
    }

    fn heart_rate(id: &str, when: &str, bpm: u16) -> Entry {
        at(id, when, HeartRate::new(bpm).expect("valid"))
    }

    #[test]
    fn the_summary_lists_what_is_true_today_in_reading_order() {
        let mut emergency_old = at("e1", "2024-01-01", Emergency::default());
        emergency_old.updated_at = 1;
        let mut emergency_new = at("e2", "2024-06-01", Emergency::default());
        emergency_new.updated_at = 2;
        let mut broken = condition("broken", "Broken", ConditionStatus::Active);
        broken.condition = None;
        let entries = vec![
            condition("c1", "Tiểu đường", ConditionStatus::Active),
            condition("c2", "Gout", ConditionStatus::Resolved),
            condition("c3", "duong huyet thap", ConditionStatus::Active),
            condition("c4", "Asthma", ConditionStatus::Active),
            broken,
            medication("m1", "Metformin", Some("2024-01-01"), None),
            medication("m2", "amlodipine", None, Some("2025-03-01")),
            medication("m3", "Aspirin", None, Some("2025-02-28")),
            medication("m4", "Insulin", Some("2025-03-02"), None),
            allergy("a1", "Tôm", Some(Severity::Mild)),
            allergy("a2", "Penicillin", Some(Severity::Severe)),
            allergy("a3", "Bụi", None),
            allergy("a4", "Aspirin", Some(Severity::Severe)),
            heart_rate("h1", "2025-02-01T08:00:00+07:00", 70),
            heart_rate("h2", "2025-02-20T08:00:00+07:00", 75),
            heart_rate("h3", "2025-02-10", 80),
            at(
                "bp",
                "2025-01-05",
                BloodPressure::new(120, 80).expect("valid"),
            ),
            at(
                "mood",
                "2025-02-02",
                Mood {
                    score: MoodScore::new(3).expect("valid"),
                    note: String::new(),
                },
            ),
            emergency_new,
            emergency_old,
            question("q1", "2025-02-10", false),
            question("q2", "2025-01-10", false),
            question("q3", "2025-01-01", true),
            at("v", "2025-01-01", VisitNote { text: "x".into() }),
        ];
        let summary = summarize(&entries, today());
        assert_eq!(ids(&summary.conditions), ["c4", "c3", "c1"]);
        assert_eq!(ids(&summary.medications), ["m2", "m1"]);
        assert_eq!(ids(&summary.allergies), ["a4", "a2", "a1", "a3"]);
        assert_eq!(ids(&summary.latest), ["bp", "h2", "mood"]);
        assert_eq!(summary.emergency.map(|entry| entry.id.as_str()), Some("e2"));
        assert_eq!(ids(&summary.open_questions), ["q2", "q1"]);

        let empty = summarize(&[], today());
        assert!(empty.conditions.is_empty() && empty.latest.is_empty());
        assert_eq!(empty.emergency, None);
    }

    #[test]
    fn currently_taking_means_started_and_not_past_the_last_day() {
        let entries = [
            medication("b", "Bisoprolol", None, None),
            medication("a", "Amlodipine", Some("2025-03-01"), Some("2025-03-01")),
            medication("c", "Cefuroxime", Some("2025-02-01"), Some("2025-02-10")),
            medication("d", "Drug", Some("2025-04-01"), None),
            condition("x", "Not a medication", ConditionStatus::Active),
        ];
        assert_eq!(ids(&currently_taking(&entries, today())), ["a", "b"]);
        assert_eq!(
            ids(&currently_taking(&entries, date("2025-02-05"))),
            ["b", "c"]
        );
    }

    #[test]
    fn search_text_holds_every_text_the_patient_typed() {
        let medication = at(
            "m",
            "2025-01-01",
            Medication {
                name: "Metformin".into(),
                dose: "500 mg".into(),
                frequency: "sáng, tối".into(),
                reason: "Tiểu đường".into(),
                notes: " sau ăn ".into(),
                ..Medication::default()
            },
        );
        assert_eq!(
            search_text(&medication),
            "Metformin 500 mg sáng, tối Tiểu đường sau ăn"
        );
        let cases = [
            (
                at(
                    "c",
                    "2025-01-01",
                    Condition {
                        name: "Hen suyễn".into(),
                        notes: "từ nhỏ".into(),
                        ..Condition::default()
                    },
                ),
                "Hen suyễn từ nhỏ",
            ),
            (
                at(
                    "a",
                    "2025-01-01",
                    Allergy {
                        substance: "Tôm".into(),
                        reaction: "Nổi mề đay".into(),
                        ..Allergy::default()
                    },
                ),
                "Tôm Nổi mề đay",
            ),
            (
                at(
                    "v",
                    "2025-01-01",
                    Vaccination {
                        vaccine: "Cúm".into(),
                        dose_number: Some(1),
                    },
                ),
                "Cúm",
            ),
            (
                at(
                    "n",
                    "2025-01-01",
                    VisitNote {
                        text: "Tái khám".into(),
                    },
                ),
                "Tái khám",
            ),
            (question("q", "2025-01-01", false), "?"),
            (
                at(
                    "d",
                    "2025-01-01",
                    Document {
                        title: "Kết quả".into(),
                        file_name: "kq.pdf".into(),
                        media_type: "application/pdf".into(),
                        size_bytes: 1,
                    },
                ),
                "Kết quả kq.pdf",
            ),
            (
                at(
                    "e",
                    "2025-01-01",
                    Emergency {
                        blood_type: BloodType::ONegative,
                        contact_name: "Lan".into(),
                        contact_phone: "0901 234 567".into(),
                        contact_relationship: "vợ".into(),
                        notes: "Đặt stent 2020".into(),
                    },
                ),
                "O- Lan 0901 234 567 vợ Đặt stent 2020",
            ),
            (at("e0", "2025-01-01", Emergency::default()), ""),
            (
                at(
                    "mood",
                    "2025-01-01",
                    Mood {
                        score: MoodScore::new(2).expect("valid"),
                        note: "Mệt".into(),
                    },
                ),
                "Mệt",
            ),
            (heart_rate("h", "2025-01-01", 70), ""),
        ];
        for (entry, expected) in cases {
            assert_eq!(search_text(&entry), expected, "{}", entry.kind);
        }
    }

    #[test]
    fn readings_are_written_with_the_separator_asked_for() {
        let when = "2025-01-01";
        let cases = [
            (
                at(when, when, BloodPressure::new(120, 80).expect("valid")),
                "120/80 mmHg",
                "120/80 mmHg",
            ),
            (
                at(
                    when,
                    when,
                    Glucose::parse("5,6", GlucoseUnit::MmolL, MealContext::Fasting).expect("valid"),
                ),
                "5.6 mmol/L",
                "5,6 mmol/L",
            ),
            (
                at(
                    when,
                    when,
                    Glucose::parse("101", GlucoseUnit::MgDl, MealContext::Random).expect("valid"),
                ),
                "101 mg/dL",
                "101 mg/dL",
            ),
            (
                at(
                    when,
                    when,
                    Weight::parse("72.5", MassUnit::Kg).expect("valid"),
                ),
                "72.5 kg",
                "72,5 kg",
            ),
            (
                at(
                    when,
                    when,
                    Height::parse("68", LengthUnit::In).expect("valid"),
                ),
                "68 in",
                "68 in",
            ),
            (
                at(
                    when,
                    when,
                    Temperature::parse("36.6", TemperatureUnit::Celsius).expect("valid"),
                ),
                "36.6 °C",
                "36,6 °C",
            ),
            (heart_rate(when, when, 72), "72 bpm", "72 bpm"),
            (
                at(when, when, OxygenSaturation::new(98).expect("valid")),
                "98 %",
                "98 %",
            ),
            (
                at(
                    when,
                    when,
                    Mood {
                        score: MoodScore::new(4).expect("valid"),
                        note: String::new(),
                    },
                ),
                "4/5",
                "4/5",
            ),
            (question(when, when, false), "", ""),
        ];
        for (entry, point, comma) in cases {
            assert_eq!(value_text(&entry, '.'), point, "{}", entry.kind);
            assert_eq!(value_text(&entry, ','), comma, "{}", entry.kind);
        }
    }
}
