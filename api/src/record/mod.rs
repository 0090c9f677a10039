//! "My record": the patient's own health record — its entries, how every value is parsed
//! and checked, and (with the `fhir` feature) its FHIR R4 export and import.
//!
//! Everything here is plain data and pure functions. Nothing reads the clock: whoever needs
//! "today" or "now" passes it in, so the same code is tested natively and runs in the widget.
//!
//! - [`date`]: calendar dates and local date-times ([`Date`], [`When`]).
//! - [`measure`]: measurements as checked domain types with exact units.
//! - [`entry`]: one stored [`Entry`] per item, and [`Entry::validate`].
//! - [`form`]: a form's typed-in text for one kind, to and from an [`Entry`], with every
//!   problem on its own field.
//! - [`trend`]: readings over time as series, summaries, reference bands and chart geometry.
//! - [`summary`]: what the printable summary, the emergency card and search need.
//! - `fhir` (feature `fhir`): the FHIR R4 Bundle export and import.
//!
//! Problems are reported as data, never as English sentences: a [`FieldError`] names the
//! form [`Field`] and the [`Problem`], with the limit that was crossed, so the widget can say
//! it in the patient's language.

pub use crate::date;
pub mod entry;
#[cfg(feature = "fhir")]
pub mod fhir;
pub mod form;
pub mod measure;
pub mod summary;
pub mod trend;

pub use date::{Date, DateTime, When};
pub use entry::{Entry, Kind, Payload};
pub use measure::Decimal;

/// The longest name, title, dose or other one-line text, in characters.
pub const MAX_LINE_CHARS: usize = 200;
/// The longest note, reaction description or question, in characters.
pub const MAX_NOTE_CHARS: usize = 4_000;
/// The longest visit note, in characters (a page or two of typing).
pub const MAX_TEXT_CHARS: usize = 20_000;
/// The longest file name, in characters (what file systems allow).
pub const MAX_FILE_NAME_CHARS: usize = 255;
/// The longest phone number as typed, in characters.
pub const MAX_PHONE_CHARS: usize = 32;

/// A field of a record form, named as the widget's forms name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// The entry's identifier (not shown to the patient; a problem here is a bug).
    Id,
    /// The entry's kind and its details (not shown; a problem here is a bug).
    Kind,
    /// The entry's date: when measured, given, written or noted.
    Date,
    /// A condition's or medication's name.
    Name,
    /// When a condition started.
    Since,
    /// Whether a condition is active or resolved.
    Status,
    /// Free notes.
    Notes,
    /// A medication's dose ("500 mg").
    Dose,
    /// How often a medication is taken ("twice a day").
    Frequency,
    /// When a medication was started.
    Start,
    /// When a medication was stopped.
    Stop,
    /// Why a medication is taken.
    Reason,
    /// What an allergy or intolerance is to.
    Substance,
    /// What happens on exposure.
    Reaction,
    /// The systolic blood pressure.
    Systolic,
    /// The diastolic blood pressure.
    Diastolic,
    /// A measurement's value.
    Value,
    /// A mood score.
    Score,
    /// A mood entry's note.
    Note,
    /// A vaccine's name.
    Vaccine,
    /// A vaccination's dose number.
    DoseNumber,
    /// A visit note's or question's text.
    Text,
    /// A document's title.
    Title,
    /// A document's file name.
    FileName,
    /// A document's media type.
    MediaType,
    /// A document's size.
    Size,
    /// The emergency contact's name.
    ContactName,
    /// The emergency contact's phone number.
    ContactPhone,
    /// How the emergency contact is related to the patient.
    ContactRelationship,
    /// A measurement's unit (glucose, weight, height, temperature).
    Unit,
    /// When a glucose reading was taken relative to food.
    MealContext,
    /// Whether a reaction is an allergy or an intolerance.
    AllergyKind,
    /// How bad an allergic reaction is.
    Severity,
    /// The blood type on the emergency card.
    BloodType,
    /// Whether a question has been answered.
    Answered,
}

impl Field {
    /// The field's name, as the widget's form controls and translation keys use it.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Kind => "kind",
            Field::Date => "date",
            Field::Name => "name",
            Field::Since => "since",
            Field::Status => "status",
            Field::Notes => "notes",
            Field::Dose => "dose",
            Field::Frequency => "frequency",
            Field::Start => "start",
            Field::Stop => "stop",
            Field::Reason => "reason",
            Field::Substance => "substance",
            Field::Reaction => "reaction",
            Field::Systolic => "systolic",
            Field::Diastolic => "diastolic",
            Field::Value => "value",
            Field::Score => "score",
            Field::Note => "note",
            Field::Vaccine => "vaccine",
            Field::DoseNumber => "dose_number",
            Field::Text => "text",
            Field::Title => "title",
            Field::FileName => "file_name",
            Field::MediaType => "media_type",
            Field::Size => "size",
            Field::ContactName => "contact_name",
            Field::ContactPhone => "contact_phone",
            Field::ContactRelationship => "contact_relationship",
            Field::Unit => "unit",
            Field::MealContext => "meal_context",
            Field::AllergyKind => "allergy_kind",
            Field::Severity => "severity",
            Field::BloodType => "blood_type",
            Field::Answered => "answered",
        }
    }

    /// The most characters a text field holds (`None` for fields that are not free text).
    pub fn max_chars(self) -> Option<usize> {
        Some(match self {
            Field::Name
            | Field::Dose
            | Field::Frequency
            | Field::Reason
            | Field::Substance
            | Field::Vaccine
            | Field::Title
            | Field::ContactName
            | Field::ContactRelationship => MAX_LINE_CHARS,
            Field::Notes | Field::Reaction | Field::Note => MAX_NOTE_CHARS,
            Field::Text => MAX_TEXT_CHARS,
            Field::FileName => MAX_FILE_NAME_CHARS,
            Field::ContactPhone => MAX_PHONE_CHARS,
            _ => return None,
        })
    }
}

/// What is wrong with a field's value, with the data a message needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Nothing was entered where something must be.
    Required,
    /// The text is not a number.
    NotANumber,
    /// More decimals than the unit is measured to.
    TooManyDecimals {
        /// The most decimals accepted.
        max: u8,
    },
    /// Below the plausible range (in the unit the patient used).
    TooLow {
        /// The lowest accepted value.
        min: Decimal,
    },
    /// Above the plausible range (in the unit the patient used).
    TooHigh {
        /// The highest accepted value.
        max: Decimal,
    },
    /// The systolic pressure is not above the diastolic.
    SystolicNotAboveDiastolic,
    /// The text is longer than the field holds.
    TooLong {
        /// The most characters accepted.
        max: usize,
    },
    /// The text is not a date (or date and time) Haven can read.
    NotADate,
    /// The value is not one of the choices the form offers (a stale draft or a bug).
    NotAChoice,
    /// The date is before the earliest accepted.
    TooEarly {
        /// The earliest accepted date.
        min: Date,
    },
    /// The date is after today.
    InFuture,
    /// A stop date is before the start date.
    BeforeStart,
    /// Not an identifier Haven made (a lower-case UUID).
    NotAnId,
    /// Not a phone number: digits, spaces, `+ - . ( )`, at least three digits.
    NotAPhoneNumber,
    /// A file type Haven does not keep (only photos and PDF).
    UnsupportedMediaType,
    /// A file larger than Haven keeps.
    TooLarge {
        /// The largest accepted size in bytes.
        max_bytes: u64,
    },
    /// The entry has no details for its kind.
    MissingDetails,
    /// The entry carries details of another kind.
    OtherDetails,
}

/// A problem with one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    field: Field,
    problem: Problem,
}

impl FieldError {
    /// A problem with a field.
    pub fn new(field: Field, problem: Problem) -> FieldError {
        FieldError { field, problem }
    }

    /// The field the problem is with.
    pub fn field(&self) -> Field {
        self.field
    }

    /// What is wrong, with the data a message needs.
    pub fn problem(&self) -> &Problem {
        &self.problem
    }
}
