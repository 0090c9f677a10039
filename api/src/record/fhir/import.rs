//! A FHIR R4 Bundle (from Haven or another source) to entries, with a report line for
//! every resource in it.
//!
//! Nothing is stored here: [`import`] returns what it read and the widget shows a preview,
//! marks duplicates of what the record already holds ([`Imported::mark_duplicates`]), and
//! saves only when the patient confirms.
//!
//! Whole-file refusals ([`ImportError`]) come before any parsing that could be costly: the
//! size is checked first, then the nesting depth by a linear scan of the raw text
//! ([`json_depth_within`]), so a hostile file nested 100,000 deep is refused in one pass
//! without recursion. Everything else is per resource: a resource Haven cannot read is
//! skipped with the reasons ([`ImportProblem`]), the rest still import.

use std::collections::{BTreeMap, BTreeSet};

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::base64;
use super::*;
use crate::record::date::{Date, When, parse_instant};
use crate::record::entry::{
    Allergy, AllergyKind, BloodType, Condition as ConditionEntry, ConditionStatus, Details,
    Document, Emergency, Entry, MAX_DOCUMENT_BYTES, Medication, Mood, Question, Severity,
    Vaccination, VisitNote, is_uuid,
};
use crate::record::measure::{
    BloodPressure, Decimal, Glucose, GlucoseUnit, HeartRate, Height, LengthUnit, MassUnit,
    MealContext, MoodScore, OxygenSaturation, Temperature, TemperatureUnit, Weight,
};
use crate::record::{Field, FieldError, Problem};

/// The largest file accepted, in bytes (128 MiB). Parsing holds the text, its parsed tree
/// and the decoded documents at once, so this keeps the peak near half a gigabyte, which
/// phones' browsers survive; a record with many large documents can be exported in parts.
pub const MAX_IMPORT_BYTES: usize = 128 * 1024 * 1024;
/// The deepest nesting of objects and arrays accepted. Haven's own files nest about 8
/// deep and third-party ones rarely pass 20; serde_json's own limit (128) is never reached.
pub const MAX_IMPORT_DEPTH: usize = 64;
/// The most resources accepted in one Bundle (ten times a large record).
pub const MAX_IMPORT_RESOURCES: usize = 100_000;

/// Limits on what an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportLimits {
    /// The largest file, in bytes.
    pub max_bytes: usize,
    /// The deepest nesting of `{` and `[`.
    pub max_depth: usize,
    /// The most resources.
    pub max_resources: usize,
}

impl Default for ImportLimits {
    fn default() -> Self {
        ImportLimits {
            max_bytes: MAX_IMPORT_BYTES,
            max_depth: MAX_IMPORT_DEPTH,
            max_resources: MAX_IMPORT_RESOURCES,
        }
    }
}

/// What an import needs besides the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportOptions {
    /// The patient's local date: entries are checked against it, and an item with no date
    /// at all is dated today.
    pub today: Date,
    /// Now, in Unix milliseconds: the created and updated time of items that carry none.
    pub now_ms: i64,
    /// Size, depth and count limits.
    pub limits: ImportLimits,
}

/// Why a whole file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// The file is larger than [`ImportLimits::max_bytes`].
    TooLarge {
        /// The limit.
        max_bytes: usize,
    },
    /// Objects and arrays nest deeper than [`ImportLimits::max_depth`].
    TooDeep {
        /// The limit.
        max_depth: usize,
    },
    /// The file is not JSON.
    NotJson,
    /// The JSON is not a FHIR Bundle.
    NotABundle,
    /// The file says it is another FHIR version.
    NotR4 {
        /// The version it names, as written ("5.0.0", "R4B", "STU3").
        version: String,
    },
    /// More resources than [`ImportLimits::max_resources`].
    TooManyResources {
        /// The limit.
        max: usize,
    },
}

/// What happens to one resource of the Bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It becomes a new entry (when the patient confirms).
    New,
    /// The record (or the file, earlier) already has this entry.
    Duplicate,
    /// It cannot be read into an entry; the problems say why.
    Skipped,
    /// It is not an entry itself but was used by one (the `Patient`'s emergency contact,
    /// a `Medication` named by a statement).
    Used,
}

/// Something about one resource that could not be read as it was, as data for a
/// translated message. On an entry that is imported these are notes; on a skipped one,
/// reasons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportProblem {
    /// The Bundle entry holds no resource.
    NoResource,
    /// Haven does not keep this type of resource.
    UnsupportedResourceType,
    /// The resource does not have the shape of FHIR R4 JSON (a wrong type somewhere).
    Unreadable,
    /// The resource says it was entered in error, refuted, not done or not taken.
    Withdrawn {
        /// The status or verification code.
        status: String,
    },
    /// A required element is missing.
    Missing {
        /// The FHIR element, such as `code` or `valueQuantity.value`.
        element: &'static str,
    },
    /// A code Haven has no mapping for (an observation type).
    UnsupportedCode {
        /// `system|code`, or the text.
        code: String,
    },
    /// A unit Haven cannot convert for this measurement.
    UnsupportedUnit {
        /// The UCUM code or unit text.
        unit: String,
    },
    /// A date that could not be read; the entry is dated another way or skipped.
    NotADate {
        /// The FHIR element.
        element: &'static str,
    },
    /// A year or month without a day; the first day of it is used.
    PartialDate {
        /// The FHIR element.
        element: &'static str,
    },
    /// The item had no date; it is dated today.
    DatedToday,
    /// A value had more decimals than Haven keeps for its unit and was rounded.
    Rounded {
        /// The entry field.
        field: Field,
    },
    /// A text was longer than Haven keeps and was cut.
    Truncated {
        /// The entry field.
        field: Field,
        /// The characters kept.
        max_chars: usize,
    },
    /// A value failed Haven's checks (an implausible reading, a date in the future, …).
    Invalid(FieldError),
    /// The Bundle holds more than one patient; only the first one's contact is read.
    AnotherPatient,
    /// A second blood-type result; the record keeps one emergency card.
    SecondEmergency,
    /// A document without its file's bytes.
    NoFileData,
    /// A document whose bytes are not valid base64.
    FileNotBase64,
}

/// The report for one resource of the Bundle.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Its position in `Bundle.entry`, from 0.
    pub index: usize,
    /// Its `resourceType` as written (empty if none).
    pub resource_type: String,
    /// What happens to it.
    pub outcome: Outcome,
    /// The entry read from it, for the preview (also on a skipped line, when it got that
    /// far, to show what was refused).
    pub entry: Option<Entry>,
    /// Whether the resource carried a Haven entry id. Such an entry is a duplicate only of
    /// the same id: two of the patient's own entries may well have equal contents (two
    /// mood scores of 3 on one day).
    pub from_haven: bool,
    /// Notes and reasons.
    pub problems: Vec<ImportProblem>,
}

/// What an import read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Imported {
    /// One line per resource, in Bundle order.
    pub lines: Vec<Line>,
    /// The documents' bytes, by entry id (store those of the entries added).
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Imported {
    /// The entries to add: those of lines whose outcome is [`Outcome::New`].
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.lines
            .iter()
            .filter(|line| line.outcome == Outcome::New)
            .filter_map(|line| line.entry.as_ref())
    }

    /// Marks as [`Outcome::Duplicate`] every new entry whose id is among `existing_ids`
    /// (Haven's own items, restored) or, for an item without a Haven id, whose
    /// [`Entry::fingerprint`] is among `existing_fingerprints` (the same item from a file
    /// imported before, which got a new id then). A record keeps
    /// one emergency card ([`crate::record::Kind::is_singleton`]): if it has one with
    /// another id, the widget asks which to keep.
    pub fn mark_duplicates(
        &mut self,
        existing_ids: &BTreeSet<String>,
        existing_fingerprints: &BTreeSet<String>,
    ) {
        for line in &mut self.lines {
            if line.outcome == Outcome::New
                && let Some(entry) = &line.entry
                && (existing_ids.contains(&entry.id)
                    || (!line.from_haven && existing_fingerprints.contains(&entry.fingerprint())))
            {
                line.outcome = Outcome::Duplicate;
            }
        }
    }
}

/// Whether no object or array in `text` nests deeper than `max_depth`, by one pass over
/// the bytes that counts `{` and `[` outside strings. Structural characters are ASCII, so
/// scanning bytes is exact for UTF-8; malformed JSON is left for the parser to refuse.
pub fn json_depth_within(text: &str, max_depth: usize) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &byte in text.as_bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > max_depth {
                    return false;
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    true
}

/// A version named by a profile or `fhirVersion` that is not R4, if any.
fn other_version(bundle: &Map<String, Value>) -> Option<String> {
    let is_r4 = |version: &str| version == "R4" || version == "4.0" || version.starts_with("4.0.");
    if let Some(version) = bundle.get("fhirVersion").and_then(Value::as_str)
        && !is_r4(version)
    {
        return Some(version.to_owned());
    }
    let profiles = bundle
        .get("meta")
        .and_then(|meta| meta.get("profile"))
        .and_then(Value::as_array)?;
    profiles
        .iter()
        .filter_map(Value::as_str)
        .find_map(|profile| {
            let version = match profile.split_once('|') {
                Some((_, version)) => version,
                None => profile
                    .strip_prefix("http://hl7.org/fhir/")?
                    .split('/')
                    .next()
                    .filter(|segment| {
                        matches!(*segment, "R4" | "R4B" | "R5" | "R6" | "STU3" | "DSTU2")
                            || segment.starts_with(|c: char| c.is_ascii_digit())
                    })?,
            };
            (!is_r4(version)).then(|| version.to_owned())
        })
}

/// Reads a Bundle. `new_id` makes an id (a lower-case UUID) for each item that does not
/// carry a Haven id.
pub fn import(
    text: &str,
    options: &ImportOptions,
    new_id: &mut dyn FnMut() -> String,
) -> Result<Imported, ImportError> {
    let limits = options.limits;
    // Some editors on Windows save JSON with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.len() > limits.max_bytes {
        return Err(ImportError::TooLarge {
            max_bytes: limits.max_bytes,
        });
    }
    if !json_depth_within(text, limits.max_depth) {
        return Err(ImportError::TooDeep {
            max_depth: limits.max_depth,
        });
    }
    let mut root: Value = serde_json::from_str(text).map_err(|_| ImportError::NotJson)?;
    let bundle = root.as_object_mut().ok_or(ImportError::NotABundle)?;
    if bundle.get("resourceType").and_then(Value::as_str) != Some("Bundle") {
        return Err(ImportError::NotABundle);
    }
    if let Some(version) = other_version(bundle) {
        return Err(ImportError::NotR4 { version });
    }
    let entries = match bundle.remove("entry") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(entries)) => entries,
        Some(_) => return Err(ImportError::NotABundle),
    };
    if entries.len() > limits.max_resources {
        return Err(ImportError::TooManyResources {
            max: limits.max_resources,
        });
    }
    drop(root);

    // Take each resource out of its Bundle entry, and learn the medications' names.
    let mut resources: Vec<(String, Option<Value>)> = Vec::with_capacity(entries.len());
    let mut medications = BTreeMap::new();
    for entry in entries {
        let (full_url, resource) = match entry {
            Value::Object(mut entry) => (
                entry.remove("fullUrl"),
                entry.remove("resource").filter(Value::is_object),
            ),
            _ => (None, None),
        };
        let resource_type = resource
            .as_ref()
            .and_then(|resource| resource.get("resourceType"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if resource_type == "Medication"
            && let Some(resource) = &resource
        {
            let code = resource
                .get("code")
                .and_then(|code| CodeableConcept::deserialize(code).ok());
            if let Some(name) = code.as_ref().and_then(CodeableConcept::readable) {
                if let Some(Value::String(url)) = &full_url {
                    medications.insert(url.clone(), name.to_owned());
                }
                if let Some(id) = resource.get("id").and_then(Value::as_str) {
                    medications.insert(format!("Medication/{id}"), name.to_owned());
                }
            }
        }
        resources.push((resource_type, resource));
    }

    let mut reader = Reader {
        options,
        new_id,
        medications: &medications,
        problems: Vec::new(),
        carried_id: false,
    };
    let mut imported = Imported::default();
    let mut patient_seen = false;
    let mut contact: Option<(usize, Emergency)> = None;
    let mut emergency_line: Option<usize> = None;
    for (index, (resource_type, resource)) in resources.into_iter().enumerate() {
        reader.problems.clear();
        reader.carried_id = false;
        let mut outcome = Outcome::Skipped;
        let mut entry = None;
        match (resource_type.as_str(), resource) {
            (_, None) => reader.problems.push(ImportProblem::NoResource),
            ("Patient", Some(_)) if patient_seen => {
                reader.problems.push(ImportProblem::AnotherPatient)
            }
            ("Patient", Some(resource)) => {
                patient_seen = true;
                if let Some(patient) = reader.parse::<Patient>(resource) {
                    outcome = Outcome::Used;
                    contact = reader.contact(&patient).map(|found| (index, found));
                }
            }
            ("Medication", Some(_)) => outcome = Outcome::Used,
            ("Condition", Some(resource)) => {
                entry = reader.parse(resource).and_then(|r| reader.condition(r));
            }
            ("MedicationStatement", Some(resource)) => {
                entry = reader.parse(resource).and_then(|r| reader.medication(r));
            }
            ("AllergyIntolerance", Some(resource)) => {
                entry = reader.parse(resource).and_then(|r| reader.allergy(r));
            }
            ("Observation", Some(resource)) => {
                entry = reader.parse(resource).and_then(|r| reader.observation(r));
                if entry
                    .as_ref()
                    .is_some_and(|entry: &Entry| entry.emergency.is_some())
                {
                    if emergency_line.is_some() {
                        entry = None;
                        reader.problems.clear();
                        reader.problems.push(ImportProblem::SecondEmergency);
                    } else {
                        emergency_line = Some(index);
                    }
                }
            }
            ("Immunization", Some(resource)) => {
                entry = reader.parse(resource).and_then(|r| reader.immunization(r));
            }
            ("Communication", Some(resource)) => {
                entry = reader.parse(resource).and_then(|r| reader.communication(r));
            }
            ("DocumentReference", Some(resource)) => {
                if let Some((document, bytes)) =
                    reader.parse(resource).and_then(|r| reader.document(r))
                {
                    imported.files.insert(document.id.clone(), bytes);
                    entry = Some(document);
                }
            }
            _ => reader.problems.push(ImportProblem::UnsupportedResourceType),
        }
        if entry.is_some() {
            outcome = Outcome::New;
        }
        imported.lines.push(Line {
            index,
            resource_type,
            outcome,
            entry,
            from_haven: reader.carried_id,
            problems: std::mem::take(&mut reader.problems),
        });
    }

    // The patient's contact joins the blood-type result on one emergency card, or makes
    // one of its own.
    if let Some((patient_line, found)) = contact {
        match emergency_line.and_then(|line| imported.lines[line].entry.as_mut()) {
            Some(entry) => {
                if let Some(emergency) = entry.emergency.as_mut() {
                    emergency.contact_name = found.contact_name;
                    emergency.contact_phone = found.contact_phone;
                    emergency.contact_relationship = found.contact_relationship;
                }
            }
            None => {
                let line = &mut imported.lines[patient_line];
                let date = When::Date(options.today);
                line.entry = Some(Entry::new((reader.new_id)(), date, options.now_ms, found));
                line.outcome = Outcome::New;
            }
        }
    }

    // Check every entry as a form would, and let the first copy of an item win.
    let mut ids = BTreeSet::new();
    let mut fingerprints = BTreeSet::new();
    for line in &mut imported.lines {
        let Some(entry) = &line.entry else { continue };
        let errors = entry.validate(options.today);
        if !errors.is_empty() {
            line.outcome = Outcome::Skipped;
            line.problems
                .extend(errors.into_iter().map(ImportProblem::Invalid));
        } else if !ids.insert(entry.id.clone())
            || (!line.from_haven && !fingerprints.insert(entry.fingerprint()))
        {
            line.outcome = Outcome::Duplicate;
        }
    }
    imported.files.retain(|id, _| ids.contains(id));
    Ok(imported)
}

/// Reads one resource at a time, collecting its problems.
struct Reader<'a> {
    options: &'a ImportOptions,
    new_id: &'a mut dyn FnMut() -> String,
    medications: &'a BTreeMap<String, String>,
    problems: Vec<ImportProblem>,
    /// Whether the current resource carried a Haven entry id.
    carried_id: bool,
}

const ABSENT: &[&str] = &[
    "entered-in-error",
    "refuted",
    "not-done",
    "not-taken",
    "cancelled",
];

impl Reader<'_> {
    fn problem(&mut self, problem: ImportProblem) {
        self.problems.push(problem);
    }

    fn parse<T: DeserializeOwned>(&mut self, resource: Value) -> Option<T> {
        let parsed = serde_json::from_value(resource).ok();
        if parsed.is_none() {
            self.problem(ImportProblem::Unreadable);
        }
        parsed
    }

    /// `false` (with the reason) if a status or verification says the item does not count.
    fn counts(&mut self, statuses: &[Option<&str>]) -> bool {
        match statuses
            .iter()
            .flatten()
            .find(|status| ABSENT.contains(status))
        {
            Some(status) => {
                self.problem(ImportProblem::Withdrawn {
                    status: (*status).to_owned(),
                });
                false
            }
            None => true,
        }
    }

    /// The entry id, created and updated times from Haven's identifier and extension.
    fn header(
        &mut self,
        identifier: &[Identifier],
        extension: &[Extension],
        meta: Option<&Meta>,
    ) -> (String, i64, i64) {
        let carried = identifier
            .iter()
            .find(|id| id.system.as_deref() == Some(HAVEN_ENTRY))
            .and_then(|id| id.value.clone())
            .filter(|id| is_uuid(id));
        self.carried_id = carried.is_some();
        let id = carried.unwrap_or_else(|| (self.new_id)());
        let updated = meta
            .and_then(|meta| meta.last_updated.as_deref())
            .and_then(parse_instant);
        let created = extension
            .iter()
            .find(|extension| extension.url == HAVEN_CREATED_AT)
            .and_then(|extension| extension.value_instant.as_deref())
            .and_then(parse_instant);
        let updated = updated.unwrap_or(self.options.now_ms);
        (id, created.unwrap_or(updated), updated)
    }

    fn entry<D: Details>(&mut self, header: (String, i64, i64), date: When, details: D) -> Entry {
        let (id, created, updated) = header;
        let mut entry = Entry::new(id, date, created, details);
        entry.updated_at = updated;
        entry
    }

    /// A FHIR `date` or `dateTime`; a year or a month alone becomes its first day.
    fn date(&mut self, text: Option<&str>, element: &'static str) -> Option<When> {
        let text = text?;
        if let Some(when) = When::parse(text) {
            return Some(when);
        }
        let partial = match text.len() {
            4 => Date::parse(&format!("{text}-01-01")),
            7 => Date::parse(&format!("{text}-01")),
            _ => None,
        };
        match partial {
            Some(date) => {
                self.problem(ImportProblem::PartialDate { element });
                Some(When::Date(date))
            }
            None => {
                self.problem(ImportProblem::NotADate { element });
                None
            }
        }
    }

    /// The first readable of the candidate dates, or today (noted).
    fn date_or_today(&mut self, candidates: &[(Option<&str>, &'static str)]) -> When {
        for &(text, element) in candidates {
            if let Some(when) = self.date(text, element) {
                return when;
            }
        }
        self.problem(ImportProblem::DatedToday);
        When::Date(self.options.today)
    }

    fn required_date(&mut self, text: Option<&str>, element: &'static str) -> Option<When> {
        if text.is_none() {
            self.problem(ImportProblem::Missing { element });
        }
        self.date(text, element)
    }

    /// Text as written, cut to what the field keeps.
    fn text(&mut self, text: Option<&str>, field: Field) -> String {
        let text = text.unwrap_or_default();
        match field.max_chars() {
            Some(max_chars) if text.chars().count() > max_chars => {
                self.problem(ImportProblem::Truncated { field, max_chars });
                text.chars().take(max_chars).collect()
            }
            _ => text.to_owned(),
        }
    }

    /// The name in `code` of a Condition or AllergyIntolerance, or `None` (with the reason)
    /// when its verification status withdraws it or it has no readable name.
    fn verified_name(
        &mut self,
        verification: Option<&CodeableConcept>,
        code: Option<&CodeableConcept>,
        field: Field,
    ) -> Option<String> {
        let verification = verification.and_then(CodeableConcept::readable);
        if !self.counts(&[verification]) {
            return None;
        }
        self.required_text(code.and_then(CodeableConcept::readable), field, "code")
    }

    fn required_text(
        &mut self,
        text: Option<&str>,
        field: Field,
        element: &'static str,
    ) -> Option<String> {
        match text.filter(|text| !text.trim().is_empty()) {
            Some(text) => Some(self.text(Some(text), field)),
            None => {
                self.problem(ImportProblem::Missing { element });
                None
            }
        }
    }

    /// A resource's annotations as one text, separated by blank lines.
    fn notes(&mut self, notes: &[Annotation], field: Field) -> String {
        self.joined(notes.iter().map(|note| note.text.as_str()), "\n\n", field)
    }

    fn joined<'t>(
        &mut self,
        texts: impl Iterator<Item = &'t str>,
        separator: &str,
        field: Field,
    ) -> String {
        let texts: Vec<&str> = texts.filter(|text| !text.trim().is_empty()).collect();
        self.text(Some(&texts.join(separator)), field)
    }

    fn invalid(&mut self, error: FieldError) {
        self.problem(ImportProblem::Invalid(error));
    }

    /// A quantity's value, rounded (noted) to the decimals its unit keeps.
    fn value(
        &mut self,
        quantity: &Quantity,
        decimals: u8,
        field: Field,
        element: &'static str,
    ) -> Option<Decimal> {
        let Some(value) = quantity.value else {
            self.problem(ImportProblem::Missing { element });
            return None;
        };
        let Some((exact, inexact)) = Decimal::from_f64(value) else {
            self.invalid(FieldError::new(field, Problem::NotANumber));
            return None;
        };
        let rounded = exact.round_to(decimals);
        if inexact || rounded != exact {
            self.problem(ImportProblem::Rounded { field });
        }
        Some(rounded)
    }

    /// The quantity's unit, by its UCUM code or else its unit text, mapped by `unit`.
    fn unit<U>(&mut self, quantity: &Quantity, unit: impl Fn(&str) -> Option<U>) -> Option<U> {
        let ucum = quantity.code.as_deref().filter(|_| {
            quantity
                .system
                .as_deref()
                .is_none_or(|system| system == UCUM)
        });
        let found = ucum
            .and_then(&unit)
            .or_else(|| quantity.unit.as_deref().and_then(&unit));
        if found.is_none() {
            let written = ucum.or(quantity.unit.as_deref()).unwrap_or_default();
            self.problem(ImportProblem::UnsupportedUnit {
                unit: written.chars().take(40).collect(),
            });
        }
        found
    }

    fn contact(&mut self, patient: &Patient) -> Option<Emergency> {
        let contact = patient.contact.first()?;
        let name = contact.name.as_ref().and_then(|name| {
            name.text
                .clone()
                .filter(|text| !text.trim().is_empty())
                .or_else(|| {
                    let parts: Vec<&str> = name
                        .given
                        .iter()
                        .map(String::as_str)
                        .chain(name.family.as_deref())
                        .collect();
                    (!parts.is_empty()).then(|| parts.join(" "))
                })
        });
        let phone = contact
            .telecom
            .iter()
            .find(|point| {
                point
                    .system
                    .as_deref()
                    .is_none_or(|system| system == "phone")
            })
            .and_then(|point| point.value.as_deref());
        let relationship = contact
            .relationship
            .first()
            .and_then(CodeableConcept::readable);
        if name.is_none() && phone.is_none() {
            return None;
        }
        Some(Emergency {
            contact_name: self.text(name.as_deref(), Field::ContactName),
            contact_phone: self.text(phone, Field::ContactPhone),
            contact_relationship: self.text(relationship, Field::ContactRelationship),
            ..Emergency::default()
        })
    }

    fn condition(&mut self, resource: Condition) -> Option<Entry> {
        let name = self.verified_name(
            resource.verification_status.as_ref(),
            resource.code.as_ref(),
            Field::Name,
        )?;
        let status = match resource
            .clinical_status
            .as_ref()
            .and_then(|s| s.code_in(CONDITION_CLINICAL))
        {
            Some("inactive" | "remission" | "resolved") => ConditionStatus::Resolved,
            _ => ConditionStatus::Active,
        };
        let onset = self.date(resource.onset_date_time.as_deref(), "onsetDateTime");
        let date = match (resource.recorded_date.as_deref(), onset) {
            (None, Some(onset)) => onset,
            (recorded, _) => self.date_or_today(&[(recorded, "recordedDate")]),
        };
        let since = onset.map(When::date);
        let notes = self.notes(&resource.note, Field::Notes);
        let header = self.header(
            &resource.identifier,
            &resource.extension,
            resource.meta.as_ref(),
        );
        Some(self.entry(
            header,
            date,
            ConditionEntry {
                name,
                since,
                status,
                notes,
            },
        ))
    }

    fn medication(&mut self, resource: MedicationStatement) -> Option<Entry> {
        if !self.counts(&[resource.status.as_deref()]) {
            return None;
        }
        let reference = resource.medication_reference.as_ref();
        let name = resource
            .medication_codeable_concept
            .as_ref()
            .and_then(CodeableConcept::readable)
            .or_else(|| reference.and_then(|r| r.display.as_deref()))
            .or_else(|| {
                reference
                    .and_then(|r| r.reference.as_deref())
                    .and_then(|r| self.medications.get(r))
                    .map(String::as_str)
            })
            .map(str::to_owned);
        let name = self.required_text(name.as_deref(), Field::Name, "medication[x]")?;
        let period = resource.effective_period.as_ref();
        let start_text = period
            .and_then(|period| period.start.as_deref())
            .or(resource.effective_date_time.as_deref());
        let start = self.date(start_text, "effective[x].start").map(When::date);
        let stop = self
            .date(
                period.and_then(|period| period.end.as_deref()),
                "effectivePeriod.end",
            )
            .map(When::date);
        let date = match start {
            Some(start) if resource.date_asserted.is_none() => When::Date(start),
            _ => self.date_or_today(&[(resource.date_asserted.as_deref(), "dateAsserted")]),
        };
        let dosage = resource.dosage.first();
        let dose = self.text(dosage.and_then(|d| d.text.as_deref()), Field::Dose);
        let frequency = self.text(
            dosage
                .and_then(|d| d.timing.as_ref())
                .and_then(|t| t.code.as_ref())
                .and_then(CodeableConcept::readable),
            Field::Frequency,
        );
        let reason = self.joined(
            resource
                .reason_code
                .iter()
                .filter_map(CodeableConcept::readable),
            "; ",
            Field::Reason,
        );
        let notes = self.notes(&resource.note, Field::Notes);
        let header = self.header(
            &resource.identifier,
            &resource.extension,
            resource.meta.as_ref(),
        );
        Some(self.entry(
            header,
            date,
            Medication {
                name,
                dose,
                frequency,
                start,
                stop,
                reason,
                notes,
            },
        ))
    }

    fn allergy(&mut self, resource: AllergyIntolerance) -> Option<Entry> {
        let substance = self.verified_name(
            resource.verification_status.as_ref(),
            resource.code.as_ref(),
            Field::Substance,
        )?;
        let reaction = resource.reaction.first();
        let manifestations = reaction.into_iter().flat_map(|r| r.manifestation.iter());
        let reaction_text = self.joined(
            manifestations.filter_map(CodeableConcept::readable),
            "; ",
            Field::Reaction,
        );
        let severity = match reaction.and_then(|r| r.severity.as_deref()) {
            Some("mild") => Some(Severity::Mild),
            Some("moderate") => Some(Severity::Moderate),
            Some("severe") => Some(Severity::Severe),
            _ => None,
        };
        let kind = match resource.kind.as_deref() {
            Some("intolerance") => AllergyKind::Intolerance,
            _ => AllergyKind::Allergy,
        };
        let date = self.date_or_today(&[(resource.recorded_date.as_deref(), "recordedDate")]);
        let header = self.header(
            &resource.identifier,
            &resource.extension,
            resource.meta.as_ref(),
        );
        Some(self.entry(
            header,
            date,
            Allergy {
                substance,
                reaction: reaction_text,
                severity,
                kind,
            },
        ))
    }

    fn observation(&mut self, resource: Observation) -> Option<Entry> {
        if !self.counts(&[resource.status.as_deref()]) {
            return None;
        }
        let Some(code) = resource.code.as_ref() else {
            self.problem(ImportProblem::Missing { element: "code" });
            return None;
        };
        let loinc = |codes: &[&str]| codes.iter().any(|c| code.has(LOINC, c));
        let value = resource.value_quantity.as_ref();
        let header = (
            &resource.identifier,
            &resource.extension,
            resource.meta.as_ref(),
        );
        if loinc(&["882-1"]) {
            return Some(self.blood_type(&resource));
        }
        let date =
            self.required_date(resource.effective_date_time.as_deref(), "effectiveDateTime")?;
        macro_rules! quantity {
            ($unit:expr, $make:expr) => {{
                let Some(quantity) = value else {
                    self.problem(ImportProblem::Missing {
                        element: "valueQuantity",
                    });
                    return None;
                };
                let unit = self.unit(quantity, $unit)?;
                let limits = unit.limits();
                let number = self.value(
                    quantity,
                    limits.decimals,
                    Field::Value,
                    "valueQuantity.value",
                )?;
                match $make(number, unit) {
                    Ok(details) => {
                        let header = self.header(header.0, header.1, header.2);
                        Some(self.entry(header, date, details))
                    }
                    Err(error) => {
                        self.invalid(error);
                        None
                    }
                }
            }};
        }
        if loinc(&["85354-9", "55284-4", "35094-2"]) {
            let part = |component: &str| {
                resource
                    .component
                    .iter()
                    .find(|c| c.code.has(LOINC, component))
                    .and_then(|c| c.value_quantity.as_ref())
            };
            let (Some(systolic), Some(diastolic)) = (part("8480-6"), part("8462-4")) else {
                self.problem(ImportProblem::Missing {
                    element: "component",
                });
                return None;
            };
            let mm_hg = |unit: &str| matches!(unit, "mm[Hg]" | "mmHg").then_some(());
            self.unit(systolic, mm_hg)?;
            self.unit(diastolic, mm_hg)?;
            let systolic = self.value(
                systolic,
                0,
                Field::Systolic,
                "component.valueQuantity.value",
            )?;
            let diastolic = self.value(
                diastolic,
                0,
                Field::Diastolic,
                "component.valueQuantity.value",
            )?;
            let whole = |d: Decimal| u16::try_from(d.hundredths() / 100).unwrap_or(u16::MAX);
            return match BloodPressure::new(whole(systolic), whole(diastolic)) {
                Ok(reading) => {
                    let header = self.header(header.0, header.1, header.2);
                    Some(self.entry(header, date, reading))
                }
                Err(errors) => {
                    errors.into_iter().for_each(|error| self.invalid(error));
                    None
                }
            };
        }
        if loinc(&[
            "2339-0", "2345-7", "41653-7", "1558-6", "15074-8", "14749-6", "14743-9", "14771-0",
        ]) {
            let context = resource
                .extension
                .iter()
                .find(|extension| extension.url == HAVEN_MEAL_CONTEXT)
                .and_then(|extension| extension.value_code.as_deref())
                .and_then(MealContext::parse)
                .unwrap_or(if loinc(&["1558-6", "14771-0"]) {
                    MealContext::Fasting
                } else {
                    MealContext::Random
                });
            let unit = |text: &str| match text {
                "mmol/L" | "mmol/l" => Some(GlucoseUnit::MmolL),
                "mg/dL" | "mg/dl" => Some(GlucoseUnit::MgDl),
                _ => None,
            };
            return quantity!(unit, |number, unit| Glucose::new(number, unit, context));
        }
        if loinc(&["29463-7", "3141-9"]) {
            let unit = |text: &str| match text {
                "kg" => Some(MassUnit::Kg),
                "[lb_av]" | "lb" | "lbs" => Some(MassUnit::Lb),
                _ => None,
            };
            return quantity!(unit, Weight::new);
        }
        if loinc(&["8302-2", "8306-3", "3137-7"]) {
            let unit = |text: &str| match text {
                "cm" => Some(LengthUnit::Cm),
                "[in_i]" | "in" => Some(LengthUnit::In),
                _ => None,
            };
            return quantity!(unit, Height::new);
        }
        if loinc(&["8310-5", "8331-1", "8328-7", "8332-9", "8333-7"]) {
            let unit = |text: &str| match text {
                "Cel" | "°C" | "C" => Some(TemperatureUnit::Celsius),
                "[degF]" | "°F" | "F" => Some(TemperatureUnit::Fahrenheit),
                _ => None,
            };
            return quantity!(unit, Temperature::new);
        }
        if loinc(&["8867-4"]) {
            let unit = |text: &str| {
                matches!(
                    text,
                    "/min" | "{beats}/min" | "{Beats}/min" | "beats/minute" | "bpm"
                )
                .then_some(HEART_RATE_UNIT)
            };
            return quantity!(unit, |number: Decimal, _| HeartRate::new(whole_u16(number)));
        }
        if loinc(&["2708-6", "59408-5", "20564-1"]) {
            let unit = |text: &str| (text == "%").then_some(PERCENT_UNIT);
            return quantity!(unit, |number: Decimal, _| OxygenSaturation::new(whole_u8(
                number
            )));
        }
        if code.has(HAVEN_CODES, "mood") {
            let Some(score) = resource.value_integer else {
                self.problem(ImportProblem::Missing {
                    element: "valueInteger",
                });
                return None;
            };
            let score = match MoodScore::new(u8::try_from(score).unwrap_or(u8::MAX)) {
                Ok(score) => score,
                Err(error) => {
                    self.invalid(error);
                    return None;
                }
            };
            let note = self.notes(&resource.note, Field::Note);
            let header = self.header(header.0, header.1, header.2);
            return Some(self.entry(header, date, Mood { score, note }));
        }
        let described = code
            .coding
            .first()
            .map(|c| {
                format!(
                    "{}|{}",
                    c.system.as_deref().unwrap_or_default(),
                    c.code.as_deref().unwrap_or_default()
                )
            })
            .or_else(|| code.text.clone())
            .unwrap_or_default();
        self.problem(ImportProblem::UnsupportedCode {
            code: described.chars().take(80).collect(),
        });
        None
    }

    fn blood_type(&mut self, resource: &Observation) -> Entry {
        let value = resource.value_codeable_concept.as_ref();
        let by_code = value
            .and_then(|value| value.code_in(SNOMED))
            .and_then(|code| {
                BloodType::ALL.into_iter().find(|&blood| {
                    super::export::blood_group_code(blood).is_some_and(|(c, _)| c == code)
                })
            });
        let by_text = || {
            value
                .and_then(CodeableConcept::readable)
                .and_then(BloodType::parse)
        };
        let blood_type = by_code.or_else(by_text).unwrap_or_else(|| {
            if let Some(value) = value {
                let code = value.readable().unwrap_or_default();
                self.problem(ImportProblem::UnsupportedCode {
                    code: code.chars().take(80).collect(),
                });
            }
            BloodType::Unknown
        });
        let notes = self.notes(&resource.note, Field::Notes);
        let date =
            self.date_or_today(&[(resource.effective_date_time.as_deref(), "effectiveDateTime")]);
        let header = self.header(
            &resource.identifier,
            &resource.extension,
            resource.meta.as_ref(),
        );
        self.entry(
            header,
            date,
            Emergency {
                blood_type,
                notes,
                ..Emergency::default()
            },
        )
    }

    fn immunization(&mut self, resource: Immunization) -> Option<Entry> {
        if !self.counts(&[resource.status.as_deref()]) {
            return None;
        }
        let vaccine = self.required_text(
            resource
                .vaccine_code
                .as_ref()
                .and_then(CodeableConcept::readable),
            Field::Vaccine,
            "vaccineCode",
        )?;
        let date = match (&resource.occurrence_date_time, &resource.occurrence_string) {
            (None, Some(text)) => self.date(Some(text), "occurrenceString"),
            (text, _) => self.required_date(text.as_deref(), "occurrenceDateTime"),
        }?;
        let applied = resource.protocol_applied.first();
        let dose_number = applied.and_then(|applied| {
            applied.dose_number_positive_int.or_else(|| {
                let text = applied.dose_number_string.as_deref()?;
                let number = text.trim().parse().ok();
                if number.is_none() {
                    self.invalid(FieldError::new(Field::DoseNumber, Problem::NotANumber));
                }
                number
            })
        });
        let header = self.header(
            &resource.identifier,
            &resource.extension,
            resource.meta.as_ref(),
        );
        Some(self.entry(
            header,
            date,
            Vaccination {
                vaccine,
                dose_number,
            },
        ))
    }

    fn communication(&mut self, resource: Communication) -> Option<Entry> {
        if !self.counts(&[resource.status.as_deref()]) {
            return None;
        }
        let texts = resource
            .payload
            .iter()
            .filter_map(|p| p.content_string.as_deref());
        let text = self.joined(texts, "\n\n", Field::Text);
        if text.trim().is_empty() {
            self.problem(ImportProblem::Missing {
                element: "payload.contentString",
            });
            return None;
        }
        let date = self.date_or_today(&[(resource.sent.as_deref(), "sent")]);
        let header = self.header(
            &resource.identifier,
            &resource.extension,
            resource.meta.as_ref(),
        );
        let question = resource
            .category
            .iter()
            .any(|c| c.has(HAVEN_CODES, "question"));
        Some(if question {
            let answered = resource.status.as_deref() == Some("completed");
            self.entry(header, date, Question { text, answered })
        } else {
            self.entry(header, date, VisitNote { text })
        })
    }

    fn document(&mut self, resource: DocumentReference) -> Option<(Entry, Vec<u8>)> {
        if !self.counts(&[resource.status.as_deref()]) {
            return None;
        }
        let Some(attachment) = resource.content.into_iter().next().map(|c| c.attachment) else {
            self.problem(ImportProblem::Missing { element: "content" });
            return None;
        };
        let Some(data) = attachment.data else {
            self.problem(ImportProblem::NoFileData);
            return None;
        };
        // Refuse an oversized file before decoding it.
        let max_encoded = (MAX_DOCUMENT_BYTES as usize).div_ceil(3) * 4;
        if data.bytes().filter(|b| !b.is_ascii_whitespace()).count() > max_encoded {
            self.invalid(FieldError::new(
                Field::Size,
                Problem::TooLarge {
                    max_bytes: MAX_DOCUMENT_BYTES,
                },
            ));
            return None;
        }
        let Some(bytes) = base64::decode(&data) else {
            self.problem(ImportProblem::FileNotBase64);
            return None;
        };
        drop(data);
        let media_type = attachment.content_type.unwrap_or_default();
        let file_name = match attachment.title.filter(|title| !title.trim().is_empty()) {
            Some(title) => self.text(Some(&title), Field::FileName),
            None => {
                let extension = media_type.rsplit('/').next().unwrap_or("bin");
                format!("document.{extension}")
            }
        };
        let title = self.text(resource.description.as_deref(), Field::Title);
        let period_start = resource
            .context
            .as_ref()
            .and_then(|context| context.period.as_ref())
            .and_then(|period| period.start.as_deref());
        let date = self.date_or_today(&[(period_start, "context.period.start")]);
        let header = self.header(
            &resource.identifier,
            &resource.extension,
            resource.meta.as_ref(),
        );
        let document = Document {
            title,
            file_name,
            media_type: media_type.chars().take(100).collect(),
            size_bytes: bytes.len() as u64,
        };
        Some((self.entry(header, date, document), bytes))
    }
}

/// Units with a single accepted spelling family (heart rate, percent): markers for
/// [`Reader::unit`], with the limits the value is rounded to.
#[derive(Clone, Copy)]
struct FixedUnit(crate::record::measure::Limits);

impl FixedUnit {
    fn limits(self) -> crate::record::measure::Limits {
        self.0
    }
}

const HEART_RATE_UNIT: FixedUnit = FixedUnit(crate::record::measure::HEART_RATE);
const PERCENT_UNIT: FixedUnit = FixedUnit(crate::record::measure::OXYGEN_SATURATION);

fn whole_u16(number: Decimal) -> u16 {
    u16::try_from(number.hundredths() / 100).unwrap_or(u16::MAX)
}

fn whole_u8(number: Decimal) -> u8 {
    u8::try_from(number.hundredths() / 100).unwrap_or(u8::MAX)
}
