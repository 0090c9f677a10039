//! The record's entries: one [`Entry`] per stored item, the details of each kind, and the
//! checks a form runs before saving ([`Entry::validate`]).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::date::{Date, EARLIEST_YEAR, When};
use super::measure::{
    BloodPressure, Decimal, Glucose, HeartRate, Height, MoodScore, OxygenSaturation, Temperature,
    Weight,
};
use super::{Field, FieldError, Problem};

/// The largest document Haven keeps, in bytes (10 MiB: a phone photo or a scanned report).
pub const MAX_DOCUMENT_BYTES: u64 = 10 * 1024 * 1024;

/// The file types a document may have: photos and PDF. SVG is left out on purpose: it can
/// carry script, and an object URL made from it would run with the widget's origin.
pub const DOCUMENT_MEDIA_TYPES: [&str; 8] = [
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/gif",
    "image/heic",
    "image/heif",
    "image/avif",
];

/// The highest vaccination dose number accepted (a typing-mistake guard).
pub const MAX_DOSE_NUMBER: u32 = 99;

/// What a kind's details implement: which [`Kind`] they are and where they sit in an
/// [`Entry`]. Used by [`Entry::new`] and [`Entry::details`].
pub trait Details: Sized {
    /// The kind these details belong to.
    const KIND: Kind;
    /// The entry's slot for these details.
    fn slot(entry: &mut Entry) -> &mut Option<Self>;
    /// These details in an entry, if it has them.
    fn of(entry: &Entry) -> Option<&Self>;
}

macro_rules! kinds {
    ($( $(#[$doc:meta])* $variant:ident, $field:ident: $ty:ty, $wire:literal; )*) => {
        /// What an entry is. Stored as a lower-case name (`blood_pressure`), which the
        /// widget indexes to list one kind without decrypting the others.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Kind {
            $( $(#[$doc])* #[serde(rename = $wire)] $variant, )*
        }

        impl Kind {
            /// Every kind.
            pub const ALL: &'static [Kind] = &[$(Kind::$variant),*];

            /// The stored name.
            pub fn as_str(self) -> &'static str {
                match self { $(Kind::$variant => $wire,)* }
            }
        }

        /// One stored item of the record.
        ///
        /// A flat struct — the common fields, a `kind`, and one optional slot per kind of
        /// which exactly the one named by `kind` is filled — rather than a serde-tagged enum:
        /// internally and adjacently tagged enums buffer their input through serde's
        /// `Content` type, which costs bundle size and speed in wasm, and the flat shape is
        /// also what IndexedDB wants (`kind` and `date` are plain properties it can index
        /// and leave unencrypted while the details are sealed). [`Entry::new`] keeps the
        /// slots consistent, [`Entry::payload`] gives a typed view to `match` on, and
        /// [`Entry::validate`] reports an inconsistent entry.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub struct Entry {
            /// A UUID the widget made (lower case, as `crypto.randomUUID()` gives).
            pub id: String,
            /// What the entry is.
            pub kind: Kind,
            /// The clinically relevant date, which the timeline orders by: when measured,
            /// given, written or noted.
            pub date: When,
            /// When the entry was created, in Unix milliseconds.
            pub created_at: i64,
            /// When the entry was last changed, in Unix milliseconds.
            pub updated_at: i64,
            $(
                $(#[$doc])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
        }

        /// A typed, borrowed view of an entry's details.
        #[derive(Debug, Clone, Copy, PartialEq)]
        pub enum Payload<'a> {
            $( $(#[$doc])* $variant(&'a $ty), )*
        }

        $(
            impl Details for $ty {
                const KIND: Kind = Kind::$variant;
                fn slot(entry: &mut Entry) -> &mut Option<Self> {
                    &mut entry.$field
                }
                fn of(entry: &Entry) -> Option<&Self> {
                    entry.$field.as_ref()
                }
            }
        )*

        impl Entry {
            /// The details for the entry's kind, or `None` if they are missing.
            pub fn payload(&self) -> Option<Payload<'_>> {
                match self.kind {
                    $( Kind::$variant => self.$field.as_ref().map(Payload::$variant), )*
                }
            }

            fn details_present(&self) -> usize {
                0 $( + usize::from(self.$field.is_some()) )*
            }
        }
    };
}

kinds! {
    /// A health condition.
    Condition, condition: Condition, "condition";
    /// A medication.
    Medication, medication: Medication, "medication";
    /// An allergy or intolerance.
    Allergy, allergy: Allergy, "allergy";
    /// A blood-pressure reading.
    BloodPressure, blood_pressure: BloodPressure, "blood_pressure";
    /// A blood-glucose reading.
    Glucose, glucose: Glucose, "glucose";
    /// A body weight.
    Weight, weight: Weight, "weight";
    /// A body height.
    Height, height: Height, "height";
    /// A body temperature.
    Temperature, temperature: Temperature, "temperature";
    /// A heart rate.
    HeartRate, heart_rate: HeartRate, "heart_rate";
    /// An oxygen saturation.
    OxygenSaturation, oxygen_saturation: OxygenSaturation, "oxygen_saturation";
    /// A mood diary entry.
    Mood, mood: Mood, "mood";
    /// A vaccination.
    Vaccination, vaccination: Vaccination, "vaccination";
    /// A note about a visit.
    VisitNote, visit_note: VisitNote, "visit_note";
    /// A question to ask at the next visit.
    Question, question: Question, "question";
    /// A document's metadata (the file itself is a Blob the widget stores by the entry id).
    Document, document: Document, "document";
    /// Emergency information (one per record).
    Emergency, emergency: Emergency, "emergency";
}

impl Kind {
    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|kind| kind.as_str() == name)
    }

    /// Whether this is a measurement charted in the trends (mood included).
    pub fn is_measurement(self) -> bool {
        matches!(
            self,
            Kind::BloodPressure
                | Kind::Glucose
                | Kind::Weight
                | Kind::Height
                | Kind::Temperature
                | Kind::HeartRate
                | Kind::OxygenSaturation
                | Kind::Mood
        )
    }

    /// Whether a record holds at most one entry of this kind.
    pub fn is_singleton(self) -> bool {
        self == Kind::Emergency
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a condition still affects the patient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConditionStatus {
    /// The patient has it now.
    #[default]
    Active,
    /// It is over.
    Resolved,
}

impl ConditionStatus {
    /// Every status.
    pub const ALL: [ConditionStatus; 2] = [ConditionStatus::Active, ConditionStatus::Resolved];

    /// The stored name: `active`, `resolved`.
    pub fn as_str(self) -> &'static str {
        match self {
            ConditionStatus::Active => "active",
            ConditionStatus::Resolved => "resolved",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<ConditionStatus> {
        ConditionStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == name)
    }
}

/// A health condition.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Condition {
    /// What the patient calls it ("Tiểu đường type 2").
    pub name: String,
    /// When it started, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Date>,
    /// Active or resolved.
    #[serde(default)]
    pub status: ConditionStatus,
    /// Free notes (empty for none).
    #[serde(default)]
    pub notes: String,
}

/// A medication the patient takes or took.
///
/// The start date is optional although the brief listed it among the fields: people on
/// long-term medication often do not know when they began, and a guessed date would be
/// false information in a health record.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Medication {
    /// Its name ("Metformin").
    pub name: String,
    /// The dose as the patient says it ("500 mg"; empty if not given).
    #[serde(default)]
    pub dose: String,
    /// How often ("twice a day"; empty if not given).
    #[serde(default)]
    pub frequency: String,
    /// The first day taken, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Date>,
    /// The last day taken; `None` while still taking it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop: Option<Date>,
    /// What it is for (empty if not given).
    #[serde(default)]
    pub reason: String,
    /// Free notes (empty for none).
    #[serde(default)]
    pub notes: String,
}

impl Medication {
    /// Whether the patient is taking it on `today`: started (or start unknown) and not yet
    /// past its last day.
    pub fn is_current(&self, today: Date) -> bool {
        self.start.is_none_or(|start| start <= today) && self.stop.is_none_or(|stop| stop >= today)
    }
}

/// An allergy or an intolerance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AllergyKind {
    /// An immune reaction.
    #[default]
    Allergy,
    /// A non-immune reaction (such as lactose intolerance).
    Intolerance,
}

/// How bad a reaction is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Mild.
    Mild,
    /// Moderate.
    Moderate,
    /// Severe.
    Severe,
}

impl AllergyKind {
    /// Every kind of reaction.
    pub const ALL: [AllergyKind; 2] = [AllergyKind::Allergy, AllergyKind::Intolerance];

    /// The stored name: `allergy`, `intolerance`.
    pub fn as_str(self) -> &'static str {
        match self {
            AllergyKind::Allergy => "allergy",
            AllergyKind::Intolerance => "intolerance",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<AllergyKind> {
        AllergyKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
    }
}

impl Severity {
    /// Every severity, mildest first.
    pub const ALL: [Severity; 3] = [Severity::Mild, Severity::Moderate, Severity::Severe];

    /// The stored name: `mild`, `moderate`, `severe`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Mild => "mild",
            Severity::Moderate => "moderate",
            Severity::Severe => "severe",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|severity| severity.as_str() == name)
    }
}

/// An allergy or intolerance.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Allergy {
    /// What it is to ("Penicillin", "tôm").
    pub substance: String,
    /// What happens (empty if not given).
    #[serde(default)]
    pub reaction: String,
    /// How bad the reaction is, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// Allergy or intolerance.
    #[serde(default)]
    pub kind: AllergyKind,
}

/// A mood diary entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mood {
    /// 1 (very low) to 5 (very good).
    pub score: MoodScore,
    /// An optional note (empty for none).
    #[serde(default)]
    pub note: String,
}

/// A vaccination; its date is the entry's date.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Vaccination {
    /// The vaccine's name.
    pub vaccine: String,
    /// Which dose of the series, from 1, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dose_number: Option<u32>,
}

/// A note about a visit.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct VisitNote {
    /// The note, shown as plain text.
    pub text: String,
}

/// A question to ask at the next visit.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Question {
    /// The question, shown as plain text.
    pub text: String,
    /// Whether it has been answered.
    #[serde(default)]
    pub answered: bool,
}

/// A document's metadata; the file's bytes are a Blob the widget stores under the entry id.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Document {
    /// What the patient calls it (empty: show the file name).
    #[serde(default)]
    pub title: String,
    /// The file's name as it was picked.
    pub file_name: String,
    /// One of [`DOCUMENT_MEDIA_TYPES`].
    pub media_type: String,
    /// The file's size in bytes, at most [`MAX_DOCUMENT_BYTES`].
    pub size_bytes: u64,
}

/// An ABO blood group with its Rh(D) type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum BloodType {
    /// A, Rh positive.
    #[serde(rename = "A+")]
    APositive,
    /// A, Rh negative.
    #[serde(rename = "A-")]
    ANegative,
    /// B, Rh positive.
    #[serde(rename = "B+")]
    BPositive,
    /// B, Rh negative.
    #[serde(rename = "B-")]
    BNegative,
    /// AB, Rh positive.
    #[serde(rename = "AB+")]
    AbPositive,
    /// AB, Rh negative.
    #[serde(rename = "AB-")]
    AbNegative,
    /// O, Rh positive.
    #[serde(rename = "O+")]
    OPositive,
    /// O, Rh negative.
    #[serde(rename = "O-")]
    ONegative,
    /// Not known.
    #[default]
    #[serde(rename = "unknown")]
    Unknown,
}

impl BloodType {
    /// Every blood type, unknown last.
    pub const ALL: [BloodType; 9] = [
        BloodType::APositive,
        BloodType::ANegative,
        BloodType::BPositive,
        BloodType::BNegative,
        BloodType::AbPositive,
        BloodType::AbNegative,
        BloodType::OPositive,
        BloodType::ONegative,
        BloodType::Unknown,
    ];

    /// The stored name, ASCII: `A+`, `AB-`, `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            BloodType::APositive => "A+",
            BloodType::ANegative => "A-",
            BloodType::BPositive => "B+",
            BloodType::BNegative => "B-",
            BloodType::AbPositive => "AB+",
            BloodType::AbNegative => "AB-",
            BloodType::OPositive => "O+",
            BloodType::ONegative => "O-",
            BloodType::Unknown => "unknown",
        }
    }

    /// The label for the card, with a real minus sign (`AB−`); `None` when unknown (the
    /// widget says "unknown" in the patient's language).
    pub fn label(self) -> Option<String> {
        (self != BloodType::Unknown).then(|| self.as_str().replace('-', "\u{2212}"))
    }

    /// Parses `A+`, `a+`, `AB−` (with a minus sign or a hyphen), `0+` (a zero for O, as
    /// often typed) or `unknown`.
    pub fn parse(text: &str) -> Option<BloodType> {
        let text = text
            .trim()
            .to_ascii_uppercase()
            .replace(['\u{2212}', '\u{2013}'], "-")
            .replace('0', "O")
            .replace(' ', "");
        BloodType::ALL
            .into_iter()
            .find(|blood_type| blood_type.as_str().eq_ignore_ascii_case(&text))
    }
}

/// Emergency information, shown on one printable card. One per record.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Emergency {
    /// The blood type, if known.
    #[serde(default)]
    pub blood_type: BloodType,
    /// Whom to call (empty for none).
    #[serde(default)]
    pub contact_name: String,
    /// Their phone number as typed (empty for none).
    #[serde(default)]
    pub contact_phone: String,
    /// How they are related ("vợ", "son"; empty if not given).
    #[serde(default)]
    pub contact_relationship: String,
    /// Anything a first responder should know (empty for none).
    #[serde(default)]
    pub notes: String,
}

impl Entry {
    /// A new entry holding `details`, created and updated at `now_ms`.
    pub fn new<D: Details>(id: impl Into<String>, date: When, now_ms: i64, details: D) -> Entry {
        let mut entry = Entry {
            id: id.into(),
            kind: D::KIND,
            date,
            created_at: now_ms,
            updated_at: now_ms,
            condition: None,
            medication: None,
            allergy: None,
            blood_pressure: None,
            glucose: None,
            weight: None,
            height: None,
            temperature: None,
            heart_rate: None,
            oxygen_saturation: None,
            mood: None,
            vaccination: None,
            visit_note: None,
            question: None,
            document: None,
            emergency: None,
        };
        *D::slot(&mut entry) = Some(details);
        entry
    }

    /// The details of type `D`, if the entry has them.
    pub fn details<D: Details>(&self) -> Option<&D> {
        D::of(self)
    }

    /// A key equal for entries with the same kind, date and details, whatever their id
    /// and timestamps: how an import recognises an item it already added under another id.
    /// Compare it only with keys made by the same build (never store it).
    pub fn fingerprint(&self) -> String {
        match self.payload() {
            Some(payload) => format!("{}|{}|{payload:?}", self.kind, self.date),
            None => format!("{}|{}|-", self.kind, self.date),
        }
    }

    /// Every problem with the entry, field by field; empty when it may be saved. `today` is
    /// the patient's local date: no entry is dated after it.
    pub fn validate(&self, today: Date) -> Vec<FieldError> {
        let mut check = Check::default();
        if !is_uuid(&self.id) {
            check.push(Field::Id, Problem::NotAnId);
        }
        check.past_date(Field::Date, Some(self.date.date()), today);
        match self.payload() {
            None => check.push(Field::Kind, Problem::MissingDetails),
            Some(_) if self.details_present() > 1 => check.push(Field::Kind, Problem::OtherDetails),
            Some(payload) => check.payload(payload, today),
        }
        check.errors
    }
}

/// Whether `text` is a lower-case UUID (`8-4-4-4-12` hex digits), the form FHIR's `uuid`
/// type and `crypto.randomUUID()` share.
pub fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.bytes().enumerate().all(|(at, b)| match at {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(&b),
        })
}

/// Whether `text` looks like a phone number: digits, spaces and `+ - . ( )`, with at least
/// three digits.
pub fn is_phone_number(text: &str) -> bool {
    let text = text.trim();
    text.chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '.' | '(' | ')'))
        && text.chars().filter(char::is_ascii_digit).count() >= 3
}

#[derive(Default)]
struct Check {
    errors: Vec<FieldError>,
}

impl Check {
    fn push(&mut self, field: Field, problem: Problem) {
        self.errors.push(FieldError::new(field, problem));
    }

    fn result<T>(&mut self, result: Result<T, FieldError>) {
        if let Err(error) = result {
            self.errors.push(error);
        }
    }

    fn text(&mut self, field: Field, text: &str, required: bool) {
        if required && text.trim().is_empty() {
            self.push(field, Problem::Required);
        }
        if let Some(max) = field.max_chars()
            && text.chars().count() > max
        {
            self.push(field, Problem::TooLong { max });
        }
    }

    fn date(&mut self, field: Field, date: Option<Date>) {
        let min = Date::new(EARLIEST_YEAR, 1, 1).unwrap_or(Date::from_days(0));
        if let Some(date) = date
            && date < min
        {
            self.push(field, Problem::TooEarly { min });
        }
    }

    fn past_date(&mut self, field: Field, date: Option<Date>, today: Date) {
        self.date(field, date);
        if date.is_some_and(|date| date > today) {
            self.push(field, Problem::InFuture);
        }
    }

    fn payload(&mut self, payload: Payload<'_>, today: Date) {
        match payload {
            Payload::Condition(condition) => {
                self.text(Field::Name, &condition.name, true);
                self.past_date(Field::Since, condition.since, today);
                self.text(Field::Notes, &condition.notes, false);
            }
            Payload::Medication(medication) => {
                self.text(Field::Name, &medication.name, true);
                self.text(Field::Dose, &medication.dose, false);
                self.text(Field::Frequency, &medication.frequency, false);
                self.date(Field::Start, medication.start);
                self.date(Field::Stop, medication.stop);
                if let (Some(start), Some(stop)) = (medication.start, medication.stop)
                    && stop < start
                {
                    self.push(Field::Stop, Problem::BeforeStart);
                }
                self.text(Field::Reason, &medication.reason, false);
                self.text(Field::Notes, &medication.notes, false);
            }
            Payload::Allergy(allergy) => {
                self.text(Field::Substance, &allergy.substance, true);
                self.text(Field::Reaction, &allergy.reaction, false);
            }
            Payload::BloodPressure(reading) => {
                if let Err(errors) = reading.check() {
                    self.errors.extend(errors);
                }
            }
            Payload::Glucose(reading) => self.result(reading.check()),
            Payload::Weight(reading) => self.result(reading.check()),
            Payload::Height(reading) => self.result(reading.check()),
            Payload::Temperature(reading) => self.result(reading.check()),
            Payload::HeartRate(reading) => self.result(reading.check()),
            Payload::OxygenSaturation(reading) => self.result(reading.check()),
            Payload::Mood(mood) => {
                self.result(mood.score.check());
                self.text(Field::Note, &mood.note, false);
            }
            Payload::Vaccination(vaccination) => {
                self.text(Field::Vaccine, &vaccination.vaccine, true);
                match vaccination.dose_number {
                    Some(0) => self.push(
                        Field::DoseNumber,
                        Problem::TooLow {
                            min: Decimal::whole(1),
                        },
                    ),
                    Some(n) if n > MAX_DOSE_NUMBER => self.push(
                        Field::DoseNumber,
                        Problem::TooHigh {
                            max: Decimal::whole(i64::from(MAX_DOSE_NUMBER)),
                        },
                    ),
                    _ => {}
                }
            }
            Payload::VisitNote(note) => self.text(Field::Text, &note.text, true),
            Payload::Question(question) => self.text(Field::Text, &question.text, true),
            Payload::Document(document) => {
                self.text(Field::Title, &document.title, false);
                self.text(Field::FileName, &document.file_name, true);
                if !DOCUMENT_MEDIA_TYPES.contains(&document.media_type.as_str()) {
                    self.push(Field::MediaType, Problem::UnsupportedMediaType);
                }
                if document.size_bytes == 0 {
                    self.push(Field::Size, Problem::Required);
                } else if document.size_bytes > MAX_DOCUMENT_BYTES {
                    self.push(
                        Field::Size,
                        Problem::TooLarge {
                            max_bytes: MAX_DOCUMENT_BYTES,
                        },
                    );
                }
            }
            Payload::Emergency(emergency) => {
                let someone = !emergency.contact_name.trim().is_empty()
                    || !emergency.contact_relationship.trim().is_empty();
                self.text(Field::ContactName, &emergency.contact_name, false);
                self.text(Field::ContactPhone, &emergency.contact_phone, someone);
                if !emergency.contact_phone.trim().is_empty()
                    && !is_phone_number(&emergency.contact_phone)
                {
                    self.push(Field::ContactPhone, Problem::NotAPhoneNumber);
                }
                self.text(
                    Field::ContactRelationship,
                    &emergency.contact_relationship,
                    false,
                );
                self.text(Field::Notes, &emergency.notes, false);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::measure::{GlucoseUnit, MassUnit, MealContext};

    const ID: &str = "3f2a9c1e-8b7d-4e6f-a5b4-c3d2e1f0a9b8";
    const NOW: i64 = 1_740_800_000_000;

    fn date(text: &str) -> Date {
        Date::parse(text).expect(text)
    }

    fn today() -> Date {
        date("2025-03-01")
    }

    fn on(text: &str) -> When {
        When::parse(text).expect(text)
    }

    fn problems(entry: &Entry) -> Vec<(Field, Problem)> {
        entry
            .validate(today())
            .into_iter()
            .map(|error| (error.field(), error.problem().clone()))
            .collect()
    }

    fn medication(start: Option<&str>, stop: Option<&str>) -> Medication {
        Medication {
            name: "Metformin".into(),
            start: start.map(date),
            stop: stop.map(date),
            ..Medication::default()
        }
    }

    #[test]
    fn kind_names_round_trip_and_are_lower_case() {
        for &kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.as_str()), Some(kind));
            assert!(
                kind.as_str()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_')
            );
            let json = serde_json::to_string(&kind).expect("serialise");
            assert_eq!(json, format!("\"{kind}\""));
        }
        assert_eq!(Kind::ALL.len(), 16);
        assert_eq!(Kind::parse("Condition"), None);
        assert!(Kind::BloodPressure.is_measurement() && Kind::Mood.is_measurement());
        assert!(!Kind::Medication.is_measurement());
        assert!(Kind::Emergency.is_singleton() && !Kind::Question.is_singleton());
    }

    #[test]
    fn an_entry_is_stored_flat_with_only_its_own_details() {
        let reading = BloodPressure::new(128, 84).expect("valid");
        let entry = Entry::new(ID, on("2025-03-01T07:30:00+07:00"), NOW, reading);
        let json = serde_json::to_string(&entry).expect("serialise");
        assert_eq!(
            json,
            format!(
                r#"{{"id":"{ID}","kind":"blood_pressure","date":"2025-03-01T07:30:00+07:00","created_at":{NOW},"updated_at":{NOW},"blood_pressure":{{"systolic":128,"diastolic":84}}}}"#
            )
        );
        let back: Entry = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, entry);
        assert_eq!(back.payload(), Some(Payload::BloodPressure(&reading)));
        assert_eq!(back.details::<BloodPressure>(), Some(&reading));
        assert_eq!(back.details::<Glucose>(), None);
    }

    #[test]
    fn a_valid_entry_of_each_kind_has_no_problems() {
        let when = on("2025-02-28");
        let entries = [
            Entry::new(
                ID,
                when,
                NOW,
                Condition {
                    name: "Tăng huyết áp".into(),
                    since: Some(date("2019-05-01")),
                    ..Condition::default()
                },
            ),
            Entry::new(ID, when, NOW, medication(Some("2024-01-01"), None)),
            Entry::new(
                ID,
                when,
                NOW,
                Allergy {
                    substance: "Penicillin".into(),
                    severity: Some(Severity::Severe),
                    ..Allergy::default()
                },
            ),
            Entry::new(ID, when, NOW, BloodPressure::new(120, 80).expect("valid")),
            Entry::new(
                ID,
                when,
                NOW,
                Glucose::parse("5,6", GlucoseUnit::MmolL, MealContext::Fasting).expect("valid"),
            ),
            Entry::new(
                ID,
                when,
                NOW,
                Weight::parse("62,5", MassUnit::Kg).expect("valid"),
            ),
            Entry::new(
                ID,
                when,
                NOW,
                Mood {
                    score: MoodScore::new(4).expect("valid"),
                    note: String::new(),
                },
            ),
            Entry::new(
                ID,
                when,
                NOW,
                Vaccination {
                    vaccine: "COVID-19".into(),
                    dose_number: Some(2),
                },
            ),
            Entry::new(
                ID,
                when,
                NOW,
                VisitNote {
                    text: "Bác sĩ dặn tái khám sau 3 tháng.".into(),
                },
            ),
            Entry::new(
                ID,
                when,
                NOW,
                Question {
                    text: "Có cần xét nghiệm lại không?".into(),
                    answered: false,
                },
            ),
            Entry::new(
                ID,
                when,
                NOW,
                Document {
                    title: String::new(),
                    file_name: "ket-qua.pdf".into(),
                    media_type: "application/pdf".into(),
                    size_bytes: 12_345,
                },
            ),
            Entry::new(
                ID,
                when,
                NOW,
                Emergency {
                    blood_type: BloodType::OPositive,
                    contact_phone: "+84 90 123 4567".into(),
                    ..Emergency::default()
                },
            ),
        ];
        for entry in entries {
            assert_eq!(problems(&entry), [], "{:?}", entry.kind);
        }
    }

    #[test]
    fn each_kind_reports_its_own_field_problems() {
        let when = on("2025-02-28");
        let long = "a".repeat(crate::record::MAX_LINE_CHARS + 1);
        let cases: Vec<(Entry, Vec<(Field, Problem)>)> = vec![
            (
                Entry::new(
                    ID,
                    when,
                    NOW,
                    Condition {
                        name: "  ".into(),
                        since: Some(date("2025-03-02")),
                        ..Condition::default()
                    },
                ),
                vec![
                    (Field::Name, Problem::Required),
                    (Field::Since, Problem::InFuture),
                ],
            ),
            (
                Entry::new(
                    ID,
                    when,
                    NOW,
                    Condition {
                        name: long.clone(),
                        ..Condition::default()
                    },
                ),
                vec![(
                    Field::Name,
                    Problem::TooLong {
                        max: crate::record::MAX_LINE_CHARS,
                    },
                )],
            ),
            (
                Entry::new(
                    ID,
                    when,
                    NOW,
                    medication(Some("2024-05-01"), Some("2024-04-30")),
                ),
                vec![(Field::Stop, Problem::BeforeStart)],
            ),
            (
                Entry::new(ID, when, NOW, medication(Some("0224-05-01"), None)),
                vec![(
                    Field::Start,
                    Problem::TooEarly {
                        min: date("1900-01-01"),
                    },
                )],
            ),
            (
                Entry::new(ID, when, NOW, Allergy::default()),
                vec![(Field::Substance, Problem::Required)],
            ),
            (
                Entry::new(
                    ID,
                    when,
                    NOW,
                    Vaccination {
                        vaccine: "BCG".into(),
                        dose_number: Some(0),
                    },
                ),
                vec![(
                    Field::DoseNumber,
                    Problem::TooLow {
                        min: Decimal::whole(1),
                    },
                )],
            ),
            (
                Entry::new(
                    ID,
                    when,
                    NOW,
                    Vaccination {
                        vaccine: String::new(),
                        dose_number: Some(100),
                    },
                ),
                vec![
                    (Field::Vaccine, Problem::Required),
                    (
                        Field::DoseNumber,
                        Problem::TooHigh {
                            max: Decimal::whole(99),
                        },
                    ),
                ],
            ),
            (
                Entry::new(ID, when, NOW, VisitNote::default()),
                vec![(Field::Text, Problem::Required)],
            ),
            (
                Entry::new(
                    ID,
                    when,
                    NOW,
                    Document {
                        file_name: "x.svg".into(),
                        media_type: "image/svg+xml".into(),
                        size_bytes: MAX_DOCUMENT_BYTES + 1,
                        ..Document::default()
                    },
                ),
                vec![
                    (Field::MediaType, Problem::UnsupportedMediaType),
                    (
                        Field::Size,
                        Problem::TooLarge {
                            max_bytes: MAX_DOCUMENT_BYTES,
                        },
                    ),
                ],
            ),
            (
                Entry::new(
                    ID,
                    when,
                    NOW,
                    Document {
                        media_type: "application/pdf".into(),
                        ..Document::default()
                    },
                ),
                vec![
                    (Field::FileName, Problem::Required),
                    (Field::Size, Problem::Required),
                ],
            ),
            (
                Entry::new(
                    ID,
                    when,
                    NOW,
                    Emergency {
                        contact_name: "Lan".into(),
                        ..Emergency::default()
                    },
                ),
                vec![(Field::ContactPhone, Problem::Required)],
            ),
            (
                Entry::new(
                    ID,
                    when,
                    NOW,
                    Emergency {
                        contact_phone: "call me".into(),
                        ..Emergency::default()
                    },
                ),
                vec![(Field::ContactPhone, Problem::NotAPhoneNumber)],
            ),
            (
                Entry::new(
                    "not-a-uuid",
                    on("2025-03-02T00:10:00+07:00"),
                    NOW,
                    VisitNote { text: "x".into() },
                ),
                vec![
                    (Field::Id, Problem::NotAnId),
                    (Field::Date, Problem::InFuture),
                ],
            ),
            (
                Entry::new(ID, on("1899-12-31"), NOW, VisitNote { text: "x".into() }),
                vec![(
                    Field::Date,
                    Problem::TooEarly {
                        min: date("1900-01-01"),
                    },
                )],
            ),
        ];
        for (entry, expected) in cases {
            assert_eq!(problems(&entry), expected, "{entry:?}");
        }
    }

    #[test]
    fn a_stored_measurement_is_checked_again_before_saving() {
        // Deserialising trusts storage; validation does not.
        let json = format!(
            r#"{{"id":"{ID}","kind":"heart_rate","date":"2025-03-01","created_at":0,"updated_at":0,"heart_rate":{{"bpm":900}}}}"#
        );
        let entry: Entry = serde_json::from_str(&json).expect("parse");
        assert_eq!(
            problems(&entry),
            [(
                Field::Value,
                Problem::TooHigh {
                    max: Decimal::whole(300)
                }
            )]
        );
    }

    #[test]
    fn an_entry_without_its_details_or_with_anothers_is_reported() {
        let mut entry = Entry::new(ID, on("2025-03-01"), NOW, VisitNote { text: "x".into() });
        entry.kind = Kind::Question;
        assert_eq!(problems(&entry), [(Field::Kind, Problem::MissingDetails)]);
        entry.kind = Kind::VisitNote;
        entry.question = Some(Question::default());
        assert_eq!(problems(&entry), [(Field::Kind, Problem::OtherDetails)]);
    }

    #[test]
    fn a_medication_is_current_from_its_start_to_its_last_day() {
        for (start, stop, current) in [
            (None, None, true),
            (Some("2025-03-01"), None, true),
            (Some("2025-03-02"), None, false),
            (Some("2024-01-01"), Some("2025-03-01"), true),
            (Some("2024-01-01"), Some("2025-02-28"), false),
            (None, Some("2025-12-31"), true),
        ] {
            assert_eq!(
                medication(start, stop).is_current(today()),
                current,
                "{start:?}–{stop:?}"
            );
        }
    }

    #[test]
    fn blood_types_are_read_as_people_write_them() {
        for (text, expected) in [
            ("A+", Some(BloodType::APositive)),
            ("ab-", Some(BloodType::AbNegative)),
            ("AB\u{2212}", Some(BloodType::AbNegative)),
            (" 0+ ", Some(BloodType::OPositive)),
            ("O -", Some(BloodType::ONegative)),
            ("unknown", Some(BloodType::Unknown)),
            ("C+", None),
            ("A", None),
        ] {
            assert_eq!(BloodType::parse(text), expected, "{text}");
        }
        assert_eq!(BloodType::AbNegative.label().as_deref(), Some("AB\u{2212}"));
        assert_eq!(BloodType::Unknown.label(), None);
        assert_eq!(
            serde_json::to_string(&BloodType::ONegative).expect("serialise"),
            "\"O-\""
        );
    }

    #[test]
    fn ids_are_lower_case_uuids_and_phones_are_digits() {
        for (text, ok) in [
            (ID, true),
            ("3F2A9C1E-8B7D-4E6F-A5B4-C3D2E1F0A9B8", false),
            ("3f2a9c1e8b7d4e6fa5b4c3d2e1f0a9b8", false),
            ("3f2a9c1e-8b7d-4e6f-a5b4-c3d2e1f0a9bg", false),
            ("", false),
        ] {
            assert_eq!(is_uuid(text), ok, "{text}");
        }
        for (text, ok) in [
            ("+84 90 123 4567", true),
            ("(028) 3822-1234", true),
            ("115", true),
            ("12", false),
            ("090abc", false),
            ("", false),
        ] {
            assert_eq!(is_phone_number(text), ok, "{text}");
        }
    }

    #[test]
    fn a_fingerprint_ignores_the_id_and_times_but_not_the_content() {
        let reading = BloodPressure::new(120, 80).expect("valid");
        let when = on("2025-03-01T07:30:00+07:00");
        let a = Entry::new(ID, when, NOW, reading);
        let b = Entry::new(
            "00000000-0000-4000-8000-000000000000",
            when,
            NOW + 5,
            reading,
        );
        let c = Entry::new(ID, when, NOW, BloodPressure::new(121, 80).expect("valid"));
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_ne!(a.fingerprint(), c.fingerprint());
    }
}
