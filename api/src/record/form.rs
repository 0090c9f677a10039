//! A record form: the text a patient typed for one kind of entry, kept exactly as typed, and
//! how it becomes an [`Entry`] — with every problem at once, each on its own [`Field`] — and
//! back again for editing.
//!
//! The widget renders one form per kind from [`specs`] and keeps the raw text in a [`Form`],
//! so nothing typed is lost when a value is refused; the form is also saved as a draft, which
//! is why it is plain serde data.
//!
//! # The entry's date
//!
//! - Measurements and mood ask for a date and time ([`Input::DateTime`]): when measured. The
//!   time typed is local; it gets the browser's UTC offset ([`Context::offset_minutes`]).
//! - Vaccinations, visit notes, questions and documents ask for a date ([`Input::Date`]):
//!   when given, written, asked or issued.
//! - Conditions, medications, allergies and the emergency card have no date field. Their
//!   entry date is the day the patient noted them — today when created, unchanged when edited
//!   — because the FHIR export uses it as the `recordedDate`/`dateAsserted`; when a condition
//!   began or a medication was started is its own optional field ([`Field::Since`],
//!   [`Field::Start`]), often unknown, and must not move the entry around the timeline.
//!
//! A form made from an entry remembers the entry's date ([`Form::original_date`]); as long as
//! the date text is left as it was shown, the stored date is kept exactly — with its seconds,
//! its UTC offset (a reading taken while travelling) and whether it had a time at all.
//!
//! # Documents
//!
//! A document's form shows only a title and a date. The file itself is picked by the widget,
//! which sets the [`Field::FileName`], [`Field::MediaType`] and [`Field::Size`] values (the size
//! in bytes, as decimal text) before [`Form::to_entry`]; they are checked against
//! [`MAX_DOCUMENT_BYTES`](super::entry::MAX_DOCUMENT_BYTES) and
//! [`DOCUMENT_MEDIA_TYPES`](super::entry::DOCUMENT_MEDIA_TYPES) like any other field.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::date::{Date, DateTime, When};
use super::entry::{
    Allergy, AllergyKind, BloodType, Condition, ConditionStatus, Document, Emergency, Entry, Kind,
    Medication, Mood, Payload, Question, Severity, Vaccination, VisitNote,
};
use super::measure::{
    BloodPressure, Decimal, Glucose, GlucoseUnit, HeartRate, Height, LengthUnit, MassUnit,
    MealContext, MoodScore, OxygenSaturation, Temperature, TemperatureUnit, Weight,
};
use super::{Field, FieldError, Problem};

/// How a field is entered, which decides the control the widget renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// One line of text.
    Line,
    /// Several lines of text.
    Note,
    /// A number as typed, with `.` or `,` as the decimal separator.
    Number,
    /// A date, `YYYY-MM-DD` (what `<input type="date">` gives).
    Date,
    /// A local date and time, `YYYY-MM-DDTHH:MM` (what `<input type="datetime-local">`
    /// gives; seconds are accepted too).
    DateTime,
    /// One of these stored names (such as [`GlucoseUnit::as_str`] values), in display order.
    /// A choice that is not required also offers "not given", stored as `""`.
    Choice(&'static [&'static str]),
    /// A checkbox: `"true"` when ticked, `""` when not.
    Check,
}

/// One field of a kind's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    /// The field; its [`Field::as_str`] is the key in [`Form::values`].
    pub field: Field,
    /// How it is entered.
    pub input: Input,
    /// Whether the form refuses to save without it.
    pub required: bool,
}

const fn spec(field: Field, input: Input, required: bool) -> Spec {
    Spec {
        field,
        input,
        required,
    }
}

// Stored names offered by the choices. Literal lists, because `as_str` is not a `const fn`;
// a test checks each against its enum's `ALL`.
const CONDITION_STATUSES: &[&str] = &["active", "resolved"];
const ALLERGY_KINDS: &[&str] = &["allergy", "intolerance"];
const SEVERITIES: &[&str] = &["mild", "moderate", "severe"];
const GLUCOSE_UNITS: &[&str] = &["mmol_l", "mg_dl"];
const MEAL_CONTEXTS: &[&str] = &["fasting", "after_meal", "random"];
const MASS_UNITS: &[&str] = &["kg", "lb"];
const LENGTH_UNITS: &[&str] = &["cm", "in"];
const TEMPERATURE_UNITS: &[&str] = &["celsius", "fahrenheit"];
const MOOD_SCORES: &[&str] = &["1", "2", "3", "4", "5"];
const BLOOD_TYPES: &[&str] = &["A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-", "unknown"];

const MEASURED_AT: Spec = spec(Field::Date, Input::DateTime, true);
const DATED: Spec = spec(Field::Date, Input::Date, true);
const VALUE: Spec = spec(Field::Value, Input::Number, true);

const CONDITION: &[Spec] = &[
    spec(Field::Name, Input::Line, true),
    spec(Field::Since, Input::Date, false),
    spec(Field::Status, Input::Choice(CONDITION_STATUSES), true),
    spec(Field::Notes, Input::Note, false),
];
const MEDICATION: &[Spec] = &[
    spec(Field::Name, Input::Line, true),
    spec(Field::Dose, Input::Line, false),
    spec(Field::Frequency, Input::Line, false),
    spec(Field::Start, Input::Date, false),
    spec(Field::Stop, Input::Date, false),
    spec(Field::Reason, Input::Line, false),
    spec(Field::Notes, Input::Note, false),
];
const ALLERGY: &[Spec] = &[
    spec(Field::Substance, Input::Line, true),
    spec(Field::AllergyKind, Input::Choice(ALLERGY_KINDS), true),
    spec(Field::Reaction, Input::Note, false),
    spec(Field::Severity, Input::Choice(SEVERITIES), false),
];
const BLOOD_PRESSURE: &[Spec] = &[
    MEASURED_AT,
    spec(Field::Systolic, Input::Number, true),
    spec(Field::Diastolic, Input::Number, true),
];
const GLUCOSE: &[Spec] = &[
    MEASURED_AT,
    VALUE,
    spec(Field::Unit, Input::Choice(GLUCOSE_UNITS), true),
    spec(Field::MealContext, Input::Choice(MEAL_CONTEXTS), true),
];
const WEIGHT: &[Spec] = &[
    MEASURED_AT,
    VALUE,
    spec(Field::Unit, Input::Choice(MASS_UNITS), true),
];
const HEIGHT: &[Spec] = &[
    MEASURED_AT,
    VALUE,
    spec(Field::Unit, Input::Choice(LENGTH_UNITS), true),
];
const TEMPERATURE: &[Spec] = &[
    MEASURED_AT,
    VALUE,
    spec(Field::Unit, Input::Choice(TEMPERATURE_UNITS), true),
];
const PLAIN_MEASUREMENT: &[Spec] = &[MEASURED_AT, VALUE];
const MOOD: &[Spec] = &[
    MEASURED_AT,
    spec(Field::Score, Input::Choice(MOOD_SCORES), true),
    spec(Field::Note, Input::Note, false),
];
const VACCINATION: &[Spec] = &[
    spec(Field::Vaccine, Input::Line, true),
    DATED,
    spec(Field::DoseNumber, Input::Number, false),
];
const VISIT_NOTE: &[Spec] = &[DATED, spec(Field::Text, Input::Note, true)];
const QUESTION: &[Spec] = &[
    spec(Field::Text, Input::Note, true),
    DATED,
    spec(Field::Answered, Input::Check, false),
];
const DOCUMENT: &[Spec] = &[spec(Field::Title, Input::Line, false), DATED];
const EMERGENCY: &[Spec] = &[
    spec(Field::BloodType, Input::Choice(BLOOD_TYPES), true),
    spec(Field::ContactName, Input::Line, false),
    spec(Field::ContactPhone, Input::Line, false),
    spec(Field::ContactRelationship, Input::Line, false),
    spec(Field::Notes, Input::Note, false),
];

/// The fields of a kind's form, in display order. The entry's own date ([`Field::Date`]) is
/// among them for the kinds that ask for it (see the module documentation).
///
/// The emergency contact's phone is marked optional although it is required as soon as a
/// contact's name or relationship is given; [`Form::to_entry`] reports that case.
pub fn specs(kind: Kind) -> &'static [Spec] {
    match kind {
        Kind::Condition => CONDITION,
        Kind::Medication => MEDICATION,
        Kind::Allergy => ALLERGY,
        Kind::BloodPressure => BLOOD_PRESSURE,
        Kind::Glucose => GLUCOSE,
        Kind::Weight => WEIGHT,
        Kind::Height => HEIGHT,
        Kind::Temperature => TEMPERATURE,
        Kind::HeartRate | Kind::OxygenSaturation => PLAIN_MEASUREMENT,
        Kind::Mood => MOOD,
        Kind::Vaccination => VACCINATION,
        Kind::VisitNote => VISIT_NOTE,
        Kind::Question => QUESTION,
        Kind::Document => DOCUMENT,
        Kind::Emergency => EMERGENCY,
    }
}

/// How a kind's form asks for the entry's date: [`Input::Date`], [`Input::DateTime`], or
/// `None` when it does not (the date the patient noted it is used).
pub fn date_input(kind: Kind) -> Option<Input> {
    specs(kind)
        .iter()
        .find(|spec| spec.field == Field::Date)
        .map(|spec| spec.input)
}

/// What the widget knows when it saves a form: the entry's identity and the clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// The entry's id: a new `crypto.randomUUID()`, or the edited entry's.
    pub id: String,
    /// When the entry was created, Unix milliseconds (`now_ms` for a new entry).
    pub created_at: i64,
    /// Now, Unix milliseconds: the entry's `updated_at`.
    pub now_ms: i64,
    /// The patient's local date: nothing may be dated after it.
    pub today: Date,
    /// The browser's local offset from UTC in minutes east (Vietnam: 420), given to the
    /// times typed in [`Input::DateTime`] fields.
    pub offset_minutes: i32,
}

/// A form's typed-in values for one kind, kept as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Form {
    /// The kind of entry the form makes.
    pub kind: Kind,
    /// The text of each field, keyed by [`Field::as_str`]; a missing key is an empty field.
    pub values: BTreeMap<String, String>,
    /// The date of the entry being edited, kept when its text is left unchanged (and used
    /// as is by kinds without a date field); `None` for a new entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_date: Option<When>,
}

/// Allowance for a typed time ahead of the clock before it counts as in the future: the
/// time typed has only minutes, and a clock may tick while the patient types.
const FUTURE_SLACK_MS: i64 = 60_000;

impl Form {
    /// An empty form for a new entry, with sensible defaults: the date (and time) now, the
    /// common units (mmol/L, kg, cm, °C), a glucose reading "any time", an active
    /// condition, an allergy (not an intolerance), and an unknown blood type.
    pub fn new(kind: Kind, now: DateTime) -> Form {
        let mut form = Form {
            kind,
            values: BTreeMap::new(),
            original_date: None,
        };
        if let Some(input) = date_input(kind) {
            form.set(Field::Date, date_text(When::DateTime(now), input));
        }
        match kind {
            Kind::Condition => form.set(Field::Status, ConditionStatus::default().as_str()),
            Kind::Allergy => form.set(Field::AllergyKind, AllergyKind::default().as_str()),
            Kind::Glucose => {
                form.set(Field::Unit, GlucoseUnit::MmolL.as_str());
                form.set(Field::MealContext, MealContext::default().as_str());
            }
            Kind::Weight => form.set(Field::Unit, MassUnit::Kg.as_str()),
            Kind::Height => form.set(Field::Unit, LengthUnit::Cm.as_str()),
            Kind::Temperature => form.set(Field::Unit, TemperatureUnit::Celsius.as_str()),
            Kind::Emergency => form.set(Field::BloodType, BloodType::default().as_str()),
            _ => {}
        }
        form
    }

    /// A form showing an entry, for editing. Decimals are written with `.`; dates as their
    /// inputs want them.
    pub fn from_entry(entry: &Entry) -> Form {
        let mut form = Form {
            kind: entry.kind,
            values: BTreeMap::new(),
            original_date: Some(entry.date),
        };
        if let Some(input) = date_input(entry.kind) {
            form.set(Field::Date, date_text(entry.date, input));
        }
        let Some(payload) = entry.payload() else {
            return form;
        };
        match payload {
            Payload::Condition(condition) => {
                form.set(Field::Name, &condition.name);
                form.set_date(Field::Since, condition.since);
                form.set(Field::Status, condition.status.as_str());
                form.set(Field::Notes, &condition.notes);
            }
            Payload::Medication(medication) => {
                form.set(Field::Name, &medication.name);
                form.set(Field::Dose, &medication.dose);
                form.set(Field::Frequency, &medication.frequency);
                form.set_date(Field::Start, medication.start);
                form.set_date(Field::Stop, medication.stop);
                form.set(Field::Reason, &medication.reason);
                form.set(Field::Notes, &medication.notes);
            }
            Payload::Allergy(allergy) => {
                form.set(Field::Substance, &allergy.substance);
                form.set(Field::AllergyKind, allergy.kind.as_str());
                form.set(Field::Reaction, &allergy.reaction);
                form.set(
                    Field::Severity,
                    allergy.severity.map_or("", Severity::as_str),
                );
            }
            Payload::BloodPressure(reading) => {
                form.set(Field::Systolic, reading.systolic().to_string());
                form.set(Field::Diastolic, reading.diastolic().to_string());
            }
            Payload::Glucose(reading) => {
                form.set(Field::Value, reading.value().to_string());
                form.set(Field::Unit, reading.unit().as_str());
                form.set(Field::MealContext, reading.context().as_str());
            }
            Payload::Weight(reading) => {
                form.set(Field::Value, reading.value().to_string());
                form.set(Field::Unit, reading.unit().as_str());
            }
            Payload::Height(reading) => {
                form.set(Field::Value, reading.value().to_string());
                form.set(Field::Unit, reading.unit().as_str());
            }
            Payload::Temperature(reading) => {
                form.set(Field::Value, reading.value().to_string());
                form.set(Field::Unit, reading.unit().as_str());
            }
            Payload::HeartRate(reading) => form.set(Field::Value, reading.bpm().to_string()),
            Payload::OxygenSaturation(reading) => {
                form.set(Field::Value, reading.percent().to_string());
            }
            Payload::Mood(mood) => {
                form.set(Field::Score, mood.score.score().to_string());
                form.set(Field::Note, &mood.note);
            }
            Payload::Vaccination(vaccination) => {
                form.set(Field::Vaccine, &vaccination.vaccine);
                form.set(
                    Field::DoseNumber,
                    vaccination
                        .dose_number
                        .map(|n| n.to_string())
                        .unwrap_or_default(),
                );
            }
            Payload::VisitNote(note) => form.set(Field::Text, &note.text),
            Payload::Question(question) => {
                form.set(Field::Text, &question.text);
                form.set(Field::Answered, if question.answered { "true" } else { "" });
            }
            Payload::Document(document) => {
                form.set(Field::Title, &document.title);
                form.set(Field::FileName, &document.file_name);
                form.set(Field::MediaType, &document.media_type);
                form.set(Field::Size, document.size_bytes.to_string());
            }
            Payload::Emergency(emergency) => {
                form.set(Field::BloodType, emergency.blood_type.as_str());
                form.set(Field::ContactName, &emergency.contact_name);
                form.set(Field::ContactPhone, &emergency.contact_phone);
                form.set(Field::ContactRelationship, &emergency.contact_relationship);
                form.set(Field::Notes, &emergency.notes);
            }
        }
        form
    }

    /// A field's text as typed (`""` when empty).
    pub fn get(&self, field: Field) -> &str {
        self.values.get(field.as_str()).map_or("", String::as_str)
    }

    /// Sets a field's text; an empty text removes the value, so a field cleared again
    /// leaves the form as it was.
    pub fn set(&mut self, field: Field, value: impl Into<String>) {
        let value = value.into();
        if value.is_empty() {
            self.values.remove(field.as_str());
        } else {
            self.values.insert(field.as_str().to_owned(), value);
        }
    }

    fn set_date(&mut self, field: Field, date: Option<Date>) {
        self.set(field, date.map(|date| date.to_string()).unwrap_or_default());
    }

    /// The entry the form describes, or every problem with it, each on its own field, in
    /// the order the fields are shown (fields the widget fills itself, such as a
    /// document's file, last).
    ///
    /// Numbers go through the measurement parsers ("36,6" and "36.6" alike) and the result
    /// through [`Entry::validate`], so the problems are the same ones an import or a sync
    /// would report. Text is trimmed. A field that cannot be read reports only that (a date
    /// that is not a date is not also "in the future").
    pub fn to_entry(&self, ctx: &Context) -> Result<Entry, Vec<FieldError>> {
        let mut read = Reader {
            form: self,
            ctx,
            errors: Vec::new(),
        };
        let date = read.when();
        let details = read.entry();
        let unreadable: Vec<Field> = read.errors.iter().map(FieldError::field).collect();
        let mut errors = read.errors;

        let placeholder = When::Date(ctx.today);
        let read_details = details.is_some();
        // When the details could not be read their problems are known; a stand-in without
        // problems of its own is validated for the id's and the date's.
        let mut entry = details.unwrap_or_else(|| read_entry(ctx, VisitNote { text: "-".into() }));
        entry.date = date.unwrap_or(placeholder);
        errors.extend(
            entry
                .validate(ctx.today)
                .into_iter()
                .filter(|error| !unreadable.contains(&error.field())),
        );
        // `validate` compares dates only; a time later today is in the future too.
        if let (Some(When::DateTime(at)), false) = (
            date,
            errors.iter().any(|error| error.field() == Field::Date),
        ) && at.unix_ms() > ctx.now_ms + FUTURE_SLACK_MS
        {
            errors.push(FieldError::new(Field::Date, Problem::InFuture));
        }

        match (errors.is_empty(), read_details) {
            (true, true) => return Ok(entry),
            // Unreachable: details are unread only when a measurement reported why.
            (true, false) => errors.push(FieldError::new(Field::Kind, Problem::MissingDetails)),
            _ => {}
        }
        let specs = specs(self.kind);
        errors.sort_by_key(|error| {
            specs
                .iter()
                .position(|spec| spec.field == error.field())
                .unwrap_or(specs.len())
        });
        Err(errors)
    }
}

/// An entry with the context's identity and `details`, dated today until its date is read.
fn read_entry<D: super::entry::Details>(ctx: &Context, details: D) -> Entry {
    let mut entry = Entry::new(ctx.id.clone(), When::Date(ctx.today), ctx.now_ms, details);
    entry.created_at = ctx.created_at;
    entry
}

/// A date as a date input shows it: `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM` local time (a date
/// without a time at noon).
fn date_text(when: When, input: Input) -> String {
    match (input, when) {
        (Input::DateTime, When::DateTime(at)) => {
            let (hour, minute, _) = at.time();
            format!("{}T{hour:02}:{minute:02}", at.date())
        }
        (Input::DateTime, When::Date(date)) => format!("{date}T12:00"),
        (_, when) => when.date().to_string(),
    }
}

/// Parses `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS` as local time at `offset_minutes`.
fn parse_local_date_time(text: &str, offset_minutes: i32) -> Option<DateTime> {
    let (date, time) = text.split_once('T')?;
    let date = Date::parse(date)?;
    let mut parts = time.split(':');
    let mut number = |required: bool| -> Option<u32> {
        match parts.next() {
            Some(part) if part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit()) => {
                part.parse().ok()
            }
            None if !required => Some(0),
            _ => None,
        }
    };
    let (hour, minute, second) = (number(true)?, number(true)?, number(false)?);
    if parts.next().is_some() {
        return None;
    }
    DateTime::new(date, hour, minute, second, offset_minutes)
}

/// Reads a form's values, collecting every problem.
struct Reader<'a> {
    form: &'a Form,
    ctx: &'a Context,
    errors: Vec<FieldError>,
}

impl Reader<'_> {
    fn push(&mut self, field: Field, problem: Problem) {
        self.errors.push(FieldError::new(field, problem));
    }

    fn raw(&self, field: Field) -> &str {
        self.form.get(field).trim()
    }

    fn text(&self, field: Field) -> String {
        self.raw(field).to_owned()
    }

    /// A measurement parser's result, its problem kept.
    fn measured<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        result.map_err(|error| self.errors.push(error)).ok()
    }

    /// The entry's date: as typed, the original when its text is unchanged, or — for kinds
    /// without a date field — the original or today.
    fn when(&mut self) -> Option<When> {
        let original = self.form.original_date;
        let Some(input) = date_input(self.form.kind) else {
            return Some(original.unwrap_or(When::Date(self.ctx.today)));
        };
        let text = self.raw(Field::Date);
        if let Some(original) = original
            && text == date_text(original, input)
        {
            return Some(original);
        }
        let parsed = match input {
            _ if text.is_empty() => {
                self.push(Field::Date, Problem::Required);
                return None;
            }
            Input::DateTime => {
                parse_local_date_time(text, self.ctx.offset_minutes).map(When::DateTime)
            }
            _ => Date::parse(text).map(When::Date),
        };
        if parsed.is_none() {
            self.push(Field::Date, Problem::NotADate);
        }
        parsed
    }

    /// An optional date field.
    fn date(&mut self, field: Field) -> Option<Date> {
        let text = self.raw(field);
        if text.is_empty() {
            return None;
        }
        let date = Date::parse(text);
        if date.is_none() {
            self.push(field, Problem::NotADate);
        }
        date
    }

    /// A choice by its stored name; `None` when empty (a problem if required) or unknown.
    fn choice<T>(
        &mut self,
        field: Field,
        required: bool,
        parse: fn(&str) -> Option<T>,
    ) -> Option<T> {
        let text = self.raw(field);
        if text.is_empty() {
            if required {
                self.push(field, Problem::Required);
            }
            return None;
        }
        let choice = parse(text);
        if choice.is_none() {
            self.push(field, Problem::NotAChoice);
        }
        choice
    }

    /// A checkbox.
    fn check(&mut self, field: Field) -> bool {
        match self.raw(field) {
            "true" => true,
            "" | "false" => false,
            _ => {
                self.push(field, Problem::NotAChoice);
                false
            }
        }
    }

    /// A number typed without a usable unit: only whether it is a number is reported.
    fn bare_number(&mut self, field: Field) {
        if let Err(problem) = Decimal::parse(self.raw(field), 2) {
            self.push(field, problem);
        }
    }

    /// A whole number that is not a measurement (a dose number), for `validate` to range
    /// check; `None` when empty or unreadable.
    fn count(&mut self, field: Field, max: u32) -> Option<u32> {
        let text = self.raw(field);
        if text.is_empty() {
            return None;
        }
        match Decimal::parse(text, 0) {
            Ok(Some(value)) => Some(u32::try_from(value.hundredths() / 100).unwrap_or(0)),
            Ok(None) if text.starts_with(['-', '\u{2212}']) => Some(0),
            Ok(None) => Some(max.saturating_add(1)),
            Err(problem) => {
                self.push(field, problem);
                None
            }
        }
    }

    /// The entry with its details read, or `None` when a measurement could not be read.
    fn entry(&mut self) -> Option<Entry> {
        let ctx = self.ctx;
        Some(match self.form.kind {
            Kind::Condition => {
                let since = self.date(Field::Since);
                let status = self.choice(Field::Status, true, ConditionStatus::parse);
                read_entry(
                    ctx,
                    Condition {
                        name: self.text(Field::Name),
                        since,
                        status: status.unwrap_or_default(),
                        notes: self.text(Field::Notes),
                    },
                )
            }
            Kind::Medication => {
                let start = self.date(Field::Start);
                let stop = self.date(Field::Stop);
                read_entry(
                    ctx,
                    Medication {
                        name: self.text(Field::Name),
                        dose: self.text(Field::Dose),
                        frequency: self.text(Field::Frequency),
                        start,
                        stop,
                        reason: self.text(Field::Reason),
                        notes: self.text(Field::Notes),
                    },
                )
            }
            Kind::Allergy => {
                let kind = self.choice(Field::AllergyKind, true, AllergyKind::parse);
                let severity = self.choice(Field::Severity, false, Severity::parse);
                read_entry(
                    ctx,
                    Allergy {
                        substance: self.text(Field::Substance),
                        reaction: self.text(Field::Reaction),
                        severity,
                        kind: kind.unwrap_or_default(),
                    },
                )
            }
            Kind::BloodPressure => {
                match BloodPressure::parse(self.raw(Field::Systolic), self.raw(Field::Diastolic)) {
                    Ok(reading) => read_entry(ctx, reading),
                    Err(errors) => {
                        self.errors.extend(errors);
                        return None;
                    }
                }
            }
            Kind::Glucose => {
                let unit = self.choice(Field::Unit, true, |name| {
                    GlucoseUnit::ALL
                        .iter()
                        .copied()
                        .find(|u| u.as_str() == name)
                });
                let context = self.choice(Field::MealContext, true, MealContext::parse);
                let Some(unit) = unit else {
                    self.bare_number(Field::Value);
                    return None;
                };
                let reading =
                    Glucose::parse(self.raw(Field::Value), unit, context.unwrap_or_default());
                read_entry(ctx, self.measured(reading)?)
            }
            Kind::Weight => {
                let unit = self.choice(Field::Unit, true, |name| {
                    MassUnit::ALL.iter().copied().find(|u| u.as_str() == name)
                });
                let Some(unit) = unit else {
                    self.bare_number(Field::Value);
                    return None;
                };
                let reading = Weight::parse(self.raw(Field::Value), unit);
                read_entry(ctx, self.measured(reading)?)
            }
            Kind::Height => {
                let unit = self.choice(Field::Unit, true, |name| {
                    LengthUnit::ALL.iter().copied().find(|u| u.as_str() == name)
                });
                let Some(unit) = unit else {
                    self.bare_number(Field::Value);
                    return None;
                };
                let reading = Height::parse(self.raw(Field::Value), unit);
                read_entry(ctx, self.measured(reading)?)
            }
            Kind::Temperature => {
                let unit = self.choice(Field::Unit, true, |name| {
                    TemperatureUnit::ALL
                        .iter()
                        .copied()
                        .find(|u| u.as_str() == name)
                });
                let Some(unit) = unit else {
                    self.bare_number(Field::Value);
                    return None;
                };
                let reading = Temperature::parse(self.raw(Field::Value), unit);
                read_entry(ctx, self.measured(reading)?)
            }
            Kind::HeartRate => {
                let reading = HeartRate::parse(self.raw(Field::Value));
                read_entry(ctx, self.measured(reading)?)
            }
            Kind::OxygenSaturation => {
                let reading = OxygenSaturation::parse(self.raw(Field::Value));
                read_entry(ctx, self.measured(reading)?)
            }
            Kind::Mood => {
                // Read as a number, so a score typed into a number field works too.
                let score = MoodScore::parse(self.raw(Field::Score));
                let score = self.measured(score)?;
                read_entry(
                    ctx,
                    Mood {
                        score,
                        note: self.text(Field::Note),
                    },
                )
            }
            Kind::Vaccination => {
                let dose_number = self.count(Field::DoseNumber, super::entry::MAX_DOSE_NUMBER);
                read_entry(
                    ctx,
                    Vaccination {
                        vaccine: self.text(Field::Vaccine),
                        dose_number,
                    },
                )
            }
            Kind::VisitNote => read_entry(
                ctx,
                VisitNote {
                    text: self.text(Field::Text),
                },
            ),
            Kind::Question => {
                let answered = self.check(Field::Answered);
                read_entry(
                    ctx,
                    Question {
                        text: self.text(Field::Text),
                        answered,
                    },
                )
            }
            Kind::Document => {
                let size = self.raw(Field::Size);
                let size_bytes = if size.is_empty() {
                    self.push(Field::Size, Problem::Required);
                    0
                } else if let Ok(size) = size.parse::<u64>() {
                    size
                } else {
                    self.push(Field::Size, Problem::NotANumber);
                    0
                };
                read_entry(
                    ctx,
                    Document {
                        title: self.text(Field::Title),
                        file_name: self.text(Field::FileName),
                        media_type: self.text(Field::MediaType),
                        size_bytes,
                    },
                )
            }
            Kind::Emergency => {
                let blood_type = self.choice(Field::BloodType, true, |name| {
                    BloodType::ALL.into_iter().find(|b| b.as_str() == name)
                });
                read_entry(
                    ctx,
                    Emergency {
                        blood_type: blood_type.unwrap_or_default(),
                        contact_name: self.text(Field::ContactName),
                        contact_phone: self.text(Field::ContactPhone),
                        contact_relationship: self.text(Field::ContactRelationship),
                        notes: self.text(Field::Notes),
                    },
                )
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::entry::{DOCUMENT_MEDIA_TYPES, MAX_DOCUMENT_BYTES};

    const ID: &str = "3f2a9c1e-8b7d-4e6f-a5b4-c3d2e1f0a9b8";
    const VIETNAM: i32 = 7 * 60;

    fn date(text: &str) -> Date {
        Date::parse(text).expect(text)
    }

    fn on(text: &str) -> When {
        When::parse(text).expect(text)
    }

    fn now() -> DateTime {
        DateTime::parse("2025-03-01T10:00:30+07:00").expect("now")
    }

    fn ctx() -> Context {
        Context {
            id: ID.into(),
            created_at: now().unix_ms() - 1_000,
            now_ms: now().unix_ms(),
            today: date("2025-03-01"),
            offset_minutes: VIETNAM,
        }
    }

    /// The context that saves `entry` unchanged.
    fn ctx_for(entry: &Entry) -> Context {
        Context {
            id: entry.id.clone(),
            created_at: entry.created_at,
            now_ms: entry.updated_at,
            ..ctx()
        }
    }

    fn entry<D: super::super::entry::Details>(when: &str, details: D) -> Entry {
        let mut entry = Entry::new(ID, on(when), ctx().now_ms, details);
        entry.created_at = ctx().created_at;
        entry
    }

    fn one_of_each_kind() -> Vec<Entry> {
        let at = "2025-03-01T07:30:00+07:00";
        vec![
            entry(
                "2025-02-20",
                Condition {
                    name: "Tăng huyết áp".into(),
                    since: Some(date("2019-05-01")),
                    status: ConditionStatus::Resolved,
                    notes: "Đã ổn.\nTái khám mỗi năm.".into(),
                },
            ),
            entry(
                "2024-01-01",
                Medication {
                    name: "Metformin".into(),
                    dose: "500 mg".into(),
                    frequency: "2 lần/ngày".into(),
                    start: Some(date("2024-01-01")),
                    stop: Some(date("2024-06-30")),
                    reason: "Tiểu đường".into(),
                    notes: "Uống sau ăn".into(),
                },
            ),
            entry(
                "2025-02-28",
                Allergy {
                    substance: "Sữa".into(),
                    reaction: "Đầy bụng".into(),
                    severity: Some(Severity::Moderate),
                    kind: AllergyKind::Intolerance,
                },
            ),
            entry(at, BloodPressure::new(128, 84).expect("valid")),
            entry(
                at,
                Glucose::parse("101", GlucoseUnit::MgDl, MealContext::AfterMeal).expect("valid"),
            ),
            entry(at, Weight::parse("154,3", MassUnit::Lb).expect("valid")),
            entry(at, Height::parse("172.5", LengthUnit::Cm).expect("valid")),
            entry(
                at,
                Temperature::parse("36,6", TemperatureUnit::Celsius).expect("valid"),
            ),
            entry(at, HeartRate::new(72).expect("valid")),
            entry(at, OxygenSaturation::new(98).expect("valid")),
            entry(
                at,
                Mood {
                    score: MoodScore::new(4).expect("valid"),
                    note: "Ngủ ngon".into(),
                },
            ),
            entry(
                "2025-01-15",
                Vaccination {
                    vaccine: "Cúm".into(),
                    dose_number: Some(2),
                },
            ),
            entry(
                "2025-02-27",
                VisitNote {
                    text: "Bác sĩ dặn tái khám sau 3 tháng.".into(),
                },
            ),
            entry(
                "2025-02-27",
                Question {
                    text: "Có cần xét nghiệm lại không?".into(),
                    answered: true,
                },
            ),
            entry(
                "2025-02-26",
                Document {
                    title: "Kết quả xét nghiệm".into(),
                    file_name: "ket-qua.pdf".into(),
                    media_type: "application/pdf".into(),
                    size_bytes: 123_456,
                },
            ),
            entry(
                "2025-01-01",
                Emergency {
                    blood_type: BloodType::AbNegative,
                    contact_name: "Lan".into(),
                    contact_phone: "+84 90 123 4567".into(),
                    contact_relationship: "vợ".into(),
                    notes: "Dị ứng penicillin".into(),
                },
            ),
        ]
    }

    fn problems(form: &Form) -> Vec<(Field, Problem)> {
        form.to_entry(&ctx())
            .expect_err("should be refused")
            .into_iter()
            .map(|error| (error.field(), error.problem().clone()))
            .collect()
    }

    fn form(kind: Kind, values: &[(Field, &str)]) -> Form {
        let mut form = Form::new(kind, now());
        for &(field, value) in values {
            form.set(field, value);
        }
        form
    }

    #[test]
    fn every_kind_has_a_form_with_distinct_fields_and_sensible_dates() {
        for &kind in Kind::ALL {
            let specs = specs(kind);
            assert!(!specs.is_empty(), "{kind}");
            for (at, spec) in specs.iter().enumerate() {
                assert!(
                    specs[at + 1..]
                        .iter()
                        .all(|other| other.field != spec.field),
                    "{kind}: {:?} twice",
                    spec.field
                );
            }
            let expected = match kind {
                _ if kind.is_measurement() => Some(Input::DateTime),
                Kind::Vaccination | Kind::VisitNote | Kind::Question | Kind::Document => {
                    Some(Input::Date)
                }
                _ => None,
            };
            assert_eq!(date_input(kind), expected, "{kind}");
        }
    }

    #[test]
    fn choices_offer_exactly_the_stored_names() {
        fn names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Vec<&'static str> {
            all.iter().map(|&value| name(value)).collect()
        }
        assert_eq!(
            CONDITION_STATUSES,
            names(&ConditionStatus::ALL, ConditionStatus::as_str)
        );
        assert_eq!(ALLERGY_KINDS, names(&AllergyKind::ALL, AllergyKind::as_str));
        assert_eq!(SEVERITIES, names(&Severity::ALL, Severity::as_str));
        assert_eq!(GLUCOSE_UNITS, names(GlucoseUnit::ALL, GlucoseUnit::as_str));
        assert_eq!(MEAL_CONTEXTS, names(&MealContext::ALL, MealContext::as_str));
        assert_eq!(MASS_UNITS, names(MassUnit::ALL, MassUnit::as_str));
        assert_eq!(LENGTH_UNITS, names(LengthUnit::ALL, LengthUnit::as_str));
        assert_eq!(
            TEMPERATURE_UNITS,
            names(TemperatureUnit::ALL, TemperatureUnit::as_str)
        );
        assert_eq!(BLOOD_TYPES, names(&BloodType::ALL, BloodType::as_str));
        for score in MOOD_SCORES {
            assert!(MoodScore::parse(score).is_ok(), "{score}");
        }
    }

    #[test]
    fn a_new_form_starts_with_now_and_the_common_units() {
        let glucose = Form::new(Kind::Glucose, now());
        assert_eq!(glucose.get(Field::Date), "2025-03-01T10:00");
        assert_eq!(glucose.get(Field::Unit), "mmol_l");
        assert_eq!(glucose.get(Field::MealContext), "random");
        assert_eq!(glucose.get(Field::Value), "");
        assert_eq!(Form::new(Kind::Weight, now()).get(Field::Unit), "kg");
        assert_eq!(Form::new(Kind::Height, now()).get(Field::Unit), "cm");
        assert_eq!(
            Form::new(Kind::Temperature, now()).get(Field::Unit),
            "celsius"
        );
        assert_eq!(
            Form::new(Kind::Condition, now()).get(Field::Status),
            "active"
        );
        assert_eq!(
            Form::new(Kind::Allergy, now()).get(Field::AllergyKind),
            "allergy"
        );
        assert_eq!(
            Form::new(Kind::Emergency, now()).get(Field::BloodType),
            "unknown"
        );
        assert_eq!(
            Form::new(Kind::Vaccination, now()).get(Field::Date),
            "2025-03-01"
        );
        let condition = Form::new(Kind::Condition, now());
        assert_eq!(condition.get(Field::Date), "");
        assert_eq!(condition.original_date, None);
        // Every choice a new form fills in is one it offers.
        for &kind in Kind::ALL {
            let form = Form::new(kind, now());
            for spec in specs(kind) {
                if let Input::Choice(names) = spec.input {
                    let value = form.get(spec.field);
                    assert!(value.is_empty() || names.contains(&value), "{kind}");
                }
            }
        }
    }

    #[test]
    fn every_kind_round_trips_through_its_form() {
        for entry in one_of_each_kind() {
            let form = Form::from_entry(&entry);
            assert_eq!(
                form.to_entry(&ctx_for(&entry)),
                Ok(entry.clone()),
                "{}",
                entry.kind
            );

            // The dates typed read back the same without the original to fall back on.
            if date_input(entry.kind).is_some() {
                let typed = Form {
                    original_date: None,
                    ..form.clone()
                };
                assert_eq!(
                    typed.to_entry(&ctx_for(&entry)),
                    Ok(entry.clone()),
                    "{}",
                    entry.kind
                );
            }

            // And through a saved draft.
            let json = serde_json::to_string(&form).expect("serialise");
            let draft: Form = serde_json::from_str(&json).expect("parse");
            assert_eq!(draft, form);
        }
    }

    #[test]
    fn a_form_shows_decimals_with_a_point_and_dates_as_their_inputs_want() {
        let entries = one_of_each_kind();
        let by_kind = |kind| {
            Form::from_entry(
                entries
                    .iter()
                    .find(|entry| entry.kind == kind)
                    .expect("one of each"),
            )
        };
        assert_eq!(by_kind(Kind::Weight).get(Field::Value), "154.3");
        assert_eq!(by_kind(Kind::Weight).get(Field::Unit), "lb");
        assert_eq!(by_kind(Kind::Temperature).get(Field::Value), "36.6");
        assert_eq!(
            by_kind(Kind::BloodPressure).get(Field::Date),
            "2025-03-01T07:30"
        );
        assert_eq!(by_kind(Kind::BloodPressure).get(Field::Systolic), "128");
        assert_eq!(by_kind(Kind::Vaccination).get(Field::Date), "2025-01-15");
        assert_eq!(by_kind(Kind::Question).get(Field::Answered), "true");
        assert_eq!(by_kind(Kind::Document).get(Field::Size), "123456");
        assert_eq!(by_kind(Kind::Medication).get(Field::Stop), "2024-06-30");
        assert_eq!(by_kind(Kind::Emergency).get(Field::BloodType), "AB-");
    }

    #[test]
    fn a_draft_is_stored_as_plain_text_keyed_by_field_name() {
        let draft = form(
            Kind::Temperature,
            &[(Field::Value, "36,6"), (Field::Unit, "celsius")],
        );
        let json = serde_json::to_string(&draft).expect("serialise");
        assert_eq!(
            json,
            r#"{"kind":"temperature","values":{"date":"2025-03-01T10:00","unit":"celsius","value":"36,6"}}"#
        );
        assert_eq!(serde_json::from_str::<Form>(&json).expect("parse"), draft);
        let edited = Form::from_entry(&one_of_each_kind()[0]);
        let json = serde_json::to_string(&edited).expect("serialise");
        assert!(json.contains(r#""original_date":"2025-02-20""#), "{json}");
        assert_eq!(serde_json::from_str::<Form>(&json).expect("parse"), edited);
    }

    #[test]
    fn typed_values_become_an_entry_with_the_contexts_identity_and_offset() {
        let reading = form(
            Kind::Temperature,
            &[(Field::Value, " 36,6 "), (Field::Date, "2025-03-01T07:05")],
        );
        let entry = reading.to_entry(&ctx()).expect("valid");
        assert_eq!(entry.id, ID);
        assert_eq!(entry.created_at, ctx().created_at);
        assert_eq!(entry.updated_at, ctx().now_ms);
        assert_eq!(entry.date, on("2025-03-01T07:05:00+07:00"));
        let expected = Temperature::parse("36.6", TemperatureUnit::Celsius).expect("valid");
        assert_eq!(entry.temperature, Some(expected));

        // Seconds are read too, and the offset is the browser's.
        let abroad = Context {
            offset_minutes: -300,
            ..ctx()
        };
        let reading = form(
            Kind::HeartRate,
            &[(Field::Value, "72"), (Field::Date, "2025-02-28T21:15:09")],
        );
        assert_eq!(
            reading.to_entry(&abroad).expect("valid").date,
            on("2025-02-28T21:15:09-05:00")
        );
    }

    #[test]
    fn kinds_without_a_date_field_are_dated_today_and_keep_their_date_when_edited() {
        let new = form(Kind::Condition, &[(Field::Name, "  Hen suyễn ")]);
        let entry = new.to_entry(&ctx()).expect("valid");
        assert_eq!(entry.date, When::Date(ctx().today));
        assert_eq!(
            entry.condition.as_ref().map(|c| c.name.as_str()),
            Some("Hen suyễn")
        );

        let mut edit = Form::from_entry(&one_of_each_kind()[0]);
        edit.set(Field::Since, "2018-01-01");
        let edited = edit.to_entry(&ctx()).expect("valid");
        assert_eq!(edited.date, on("2025-02-20"));
        assert_eq!(
            edited.condition.and_then(|c| c.since),
            Some(date("2018-01-01"))
        );
    }

    #[test]
    fn an_edited_time_takes_the_browsers_offset_but_an_untouched_one_is_kept() {
        let mut reading = entry(
            "2025-02-10T07:30:15+09:00",
            BloodPressure::new(120, 80).expect("valid"),
        );
        reading.updated_at -= 5;
        let mut form = Form::from_entry(&reading);
        assert_eq!(form.get(Field::Date), "2025-02-10T07:30");
        form.set(Field::Systolic, "121");
        let saved = form.to_entry(&ctx()).expect("valid");
        assert_eq!(saved.date, reading.date, "seconds and offset kept");
        assert_eq!(saved.updated_at, ctx().now_ms);
        form.set(Field::Date, "2025-02-10T07:45");
        let saved = form.to_entry(&ctx()).expect("valid");
        assert_eq!(saved.date, on("2025-02-10T07:45:00+07:00"));

        // A measurement dated without a time is shown at noon and kept as a date.
        let dated = entry("2025-02-10", HeartRate::new(64).expect("valid"));
        let form = Form::from_entry(&dated);
        assert_eq!(form.get(Field::Date), "2025-02-10T12:00");
        assert_eq!(form.to_entry(&ctx_for(&dated)), Ok(dated));
    }

    #[test]
    fn both_decimal_separators_are_accepted() {
        for text in ["36,6", "36.6", "３６，６"] {
            let entry = form(Kind::Temperature, &[(Field::Value, text)])
                .to_entry(&ctx())
                .expect(text);
            assert_eq!(
                entry.temperature.map(|t| t.value()),
                Some(Decimal::from_hundredths(3660))
            );
        }
        let glucose = form(Kind::Glucose, &[(Field::Value, "5,55")]).to_entry(&ctx());
        assert_eq!(
            glucose
                .expect("valid")
                .glucose
                .map(|g| (g.value(), g.unit(), g.context())),
            Some((
                Decimal::from_hundredths(555),
                GlucoseUnit::MmolL,
                MealContext::Random
            ))
        );
    }

    #[test]
    fn an_implausible_or_inverted_blood_pressure_is_refused_on_the_systolic() {
        let bp = |systolic, diastolic| {
            problems(&form(
                Kind::BloodPressure,
                &[(Field::Systolic, systolic), (Field::Diastolic, diastolic)],
            ))
        };
        assert_eq!(
            bp("400", "80"),
            [(
                Field::Systolic,
                Problem::TooHigh {
                    max: Decimal::whole(300)
                }
            )]
        );
        assert_eq!(
            bp("120", "130"),
            [(Field::Systolic, Problem::SystolicNotAboveDiastolic)]
        );
        assert_eq!(
            bp("", "abc"),
            [
                (Field::Systolic, Problem::Required),
                (Field::Diastolic, Problem::NotANumber)
            ]
        );
    }

    #[test]
    fn every_problem_is_reported_at_once_in_the_order_fields_are_shown() {
        let condition = form(
            Kind::Condition,
            &[
                (Field::Name, "   "),
                (Field::Since, "01/05/2019"),
                (Field::Status, "cured"),
                (Field::Notes, &"x".repeat(super::super::MAX_NOTE_CHARS + 1)),
            ],
        );
        assert_eq!(
            problems(&condition),
            [
                (Field::Name, Problem::Required),
                (Field::Since, Problem::NotADate),
                (Field::Status, Problem::NotAChoice),
                (
                    Field::Notes,
                    Problem::TooLong {
                        max: super::super::MAX_NOTE_CHARS
                    }
                ),
            ]
        );

        // A reading that cannot be read and a date that cannot either.
        let reading = form(Kind::Weight, &[(Field::Value, "abc"), (Field::Date, "")]);
        assert_eq!(
            problems(&reading),
            [
                (Field::Date, Problem::Required),
                (Field::Value, Problem::NotANumber)
            ]
        );
        let reading = form(
            Kind::Glucose,
            &[
                (Field::Value, "5,6"),
                (Field::Unit, ""),
                (Field::MealContext, "lunch"),
            ],
        );
        assert_eq!(
            problems(&reading),
            [
                (Field::Unit, Problem::Required),
                (Field::MealContext, Problem::NotAChoice)
            ]
        );
        let reading = form(Kind::Weight, &[(Field::Value, "x"), (Field::Unit, "stone")]);
        assert_eq!(
            problems(&reading),
            [
                (Field::Value, Problem::NotANumber),
                (Field::Unit, Problem::NotAChoice)
            ]
        );
    }

    #[test]
    fn empty_required_fields_are_required() {
        for (kind, field) in [
            (Kind::Condition, Field::Name),
            (Kind::Medication, Field::Name),
            (Kind::Allergy, Field::Substance),
            (Kind::HeartRate, Field::Value),
            (Kind::OxygenSaturation, Field::Value),
            (Kind::Mood, Field::Score),
            (Kind::Vaccination, Field::Vaccine),
            (Kind::VisitNote, Field::Text),
            (Kind::Question, Field::Text),
        ] {
            assert_eq!(
                problems(&Form::new(kind, now())),
                [(field, Problem::Required)],
                "{kind}"
            );
        }
        let mut emergency = Form::new(Kind::Emergency, now());
        emergency.set(Field::BloodType, "");
        emergency.set(Field::ContactName, "Lan");
        assert_eq!(
            problems(&emergency),
            [
                (Field::BloodType, Problem::Required),
                (Field::ContactPhone, Problem::Required)
            ]
        );
        // An empty form with nothing required is a valid (if empty) emergency card.
        assert!(Form::new(Kind::Emergency, now()).to_entry(&ctx()).is_ok());
    }

    #[test]
    fn a_date_after_today_or_a_time_later_today_is_in_the_future() {
        let vaccination = form(
            Kind::Vaccination,
            &[(Field::Vaccine, "BCG"), (Field::Date, "2025-03-02")],
        );
        assert_eq!(problems(&vaccination), [(Field::Date, Problem::InFuture)]);
        let later = form(
            Kind::HeartRate,
            &[(Field::Value, "70"), (Field::Date, "2025-03-01T10:05")],
        );
        assert_eq!(problems(&later), [(Field::Date, Problem::InFuture)]);
        // The minute now is not the future.
        let this_minute = form(
            Kind::HeartRate,
            &[(Field::Value, "70"), (Field::Date, "2025-03-01T10:01")],
        );
        assert!(this_minute.to_entry(&ctx()).is_ok());
        let old = form(
            Kind::VisitNote,
            &[(Field::Text, "x"), (Field::Date, "1899-12-31")],
        );
        assert_eq!(
            problems(&old),
            [(
                Field::Date,
                Problem::TooEarly {
                    min: date("1900-01-01")
                }
            )]
        );
        for text in [
            "2025-02-30",
            "2025-03-01 07:00",
            "2025-03-01T7:00",
            "2025-03-01T24:00",
            "hôm qua",
        ] {
            let reading = form(
                Kind::HeartRate,
                &[(Field::Value, "70"), (Field::Date, text)],
            );
            assert_eq!(
                problems(&reading),
                [(Field::Date, Problem::NotADate)],
                "{text}"
            );
        }
        let condition = form(
            Kind::Condition,
            &[(Field::Name, "Gout"), (Field::Since, "2025-03-02")],
        );
        assert_eq!(problems(&condition), [(Field::Since, Problem::InFuture)]);
    }

    #[test]
    fn a_medication_stopped_before_it_started_is_refused_on_the_stop() {
        let medication = form(
            Kind::Medication,
            &[
                (Field::Name, "Metformin"),
                (Field::Start, "2024-05-01"),
                (Field::Stop, "2024-04-30"),
            ],
        );
        assert_eq!(problems(&medication), [(Field::Stop, Problem::BeforeStart)]);
        let medication = form(
            Kind::Medication,
            &[
                (Field::Name, "Metformin"),
                (Field::Start, "2024-05-01"),
                (Field::Stop, "soon"),
            ],
        );
        assert_eq!(problems(&medication), [(Field::Stop, Problem::NotADate)]);
    }

    #[test]
    fn optional_choices_numbers_and_checks_are_read_strictly() {
        let allergy = form(
            Kind::Allergy,
            &[(Field::Substance, "Tôm"), (Field::Severity, "")],
        );
        let saved = allergy.to_entry(&ctx()).expect("valid");
        assert_eq!(saved.allergy.and_then(|a| a.severity), None);
        let allergy = form(
            Kind::Allergy,
            &[(Field::Substance, "Tôm"), (Field::Severity, "deadly")],
        );
        assert_eq!(problems(&allergy), [(Field::Severity, Problem::NotAChoice)]);

        let dose = |text| {
            form(
                Kind::Vaccination,
                &[(Field::Vaccine, "BCG"), (Field::DoseNumber, text)],
            )
        };
        assert_eq!(
            dose("3")
                .to_entry(&ctx())
                .expect("valid")
                .vaccination
                .and_then(|v| v.dose_number),
            Some(3)
        );
        assert_eq!(
            problems(&dose("0")),
            [(
                Field::DoseNumber,
                Problem::TooLow {
                    min: Decimal::whole(1)
                }
            )]
        );
        assert_eq!(
            problems(&dose("-2")),
            [(
                Field::DoseNumber,
                Problem::TooLow {
                    min: Decimal::whole(1)
                }
            )]
        );
        assert_eq!(
            problems(&dose("100000000000000000")),
            [(
                Field::DoseNumber,
                Problem::TooHigh {
                    max: Decimal::whole(99)
                }
            )]
        );
        assert_eq!(
            problems(&dose("1.5")),
            [(Field::DoseNumber, Problem::TooManyDecimals { max: 0 })]
        );

        let question = |answered| {
            form(
                Kind::Question,
                &[(Field::Text, "Why?"), (Field::Answered, answered)],
            )
        };
        let answered = |form: Form| {
            form.to_entry(&ctx())
                .expect("valid")
                .question
                .map(|q| q.answered)
        };
        assert_eq!(answered(question("true")), Some(true));
        assert_eq!(answered(question("")), Some(false));
        assert_eq!(
            problems(&question("yes")),
            [(Field::Answered, Problem::NotAChoice)]
        );

        let mood = form(Kind::Mood, &[(Field::Score, "6")]);
        assert_eq!(
            problems(&mood),
            [(
                Field::Score,
                Problem::TooHigh {
                    max: Decimal::whole(5)
                }
            )]
        );
    }

    #[test]
    fn a_documents_file_values_are_checked_with_the_document_limits() {
        let document = |name: &str, media_type: &str, size: &str| {
            form(
                Kind::Document,
                &[
                    (Field::Title, "Phim X-quang"),
                    (Field::FileName, name),
                    (Field::MediaType, media_type),
                    (Field::Size, size),
                ],
            )
        };
        let saved = document("xq.jpg", DOCUMENT_MEDIA_TYPES[1], "2048")
            .to_entry(&ctx())
            .expect("valid");
        assert_eq!(saved.date, When::Date(ctx().today));
        assert_eq!(saved.document.map(|d| d.size_bytes), Some(2048));
        assert_eq!(
            problems(&document(
                "",
                "image/svg+xml",
                &(MAX_DOCUMENT_BYTES + 1).to_string()
            )),
            [
                (Field::FileName, Problem::Required),
                (Field::MediaType, Problem::UnsupportedMediaType),
                (
                    Field::Size,
                    Problem::TooLarge {
                        max_bytes: MAX_DOCUMENT_BYTES
                    }
                ),
            ]
        );
        assert_eq!(
            problems(&document("a.pdf", "application/pdf", "")),
            [(Field::Size, Problem::Required)]
        );
        assert_eq!(
            problems(&document("a.pdf", "application/pdf", "12 kB")),
            [(Field::Size, Problem::NotANumber)]
        );
    }

    #[test]
    fn the_id_is_checked_like_any_entrys() {
        let bad = Context {
            id: "not-a-uuid".into(),
            ..ctx()
        };
        let reading = form(Kind::HeartRate, &[(Field::Value, "abc")]);
        let errors: Vec<(Field, Problem)> = reading
            .to_entry(&bad)
            .expect_err("refused")
            .into_iter()
            .map(|error| (error.field(), error.problem().clone()))
            .collect();
        assert_eq!(
            errors,
            [
                (Field::Value, Problem::NotANumber),
                (Field::Id, Problem::NotAnId)
            ]
        );
    }

    #[test]
    fn clearing_a_field_leaves_the_form_as_it_was() {
        let mut form = Form::new(Kind::VisitNote, now());
        let before = form.clone();
        form.set(Field::Text, "x");
        assert_ne!(form, before);
        form.set(Field::Text, "");
        assert_eq!(form, before);
    }
}
