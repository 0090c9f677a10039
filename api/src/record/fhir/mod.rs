//! The record as FHIR R4: [`export`] writes a `collection` Bundle, [`import`] reads one
//! back, from Haven or from another source.
//!
//! The resources are plain serde structs holding only the elements Haven writes or reads
//! (anything else in an imported file is skipped unread). Every struct is
//! `#[serde(default)]`, so an element missing from an imported file is simply empty; the
//! mapping decides what is required. Only [`Bundle`] and [`Resource`] add `resourceType`
//! when written; an imported resource is dispatched on its `resourceType` by hand, so no
//! serde-tagged enum is ever deserialised (those buffer their input and bloat the wasm).
//!
//! ## How entries map
//!
//! Every resource made from an entry has `id` = the entry's id, the entry's id again as an
//! `identifier` with system [`HAVEN_ENTRY`] (how an import recognises Haven's own items),
//! `meta.lastUpdated` = `updated_at`, and an extension [`HAVEN_CREATED_AT`] = `created_at`,
//! so that export then import gives back equal entries.
//!
//! | entry | resource | notes |
//! |---|---|---|
//! | condition | `Condition` | `code.text` = name, `clinicalStatus`, `onsetDateTime` = since, `recordedDate` = date |
//! | medication | `MedicationStatement` | status `intended`/`active`/`completed` from the dates and `today`; `medicationCodeableConcept.text`; `effectivePeriod`; `dosage.text` = dose, `dosage.timing.code.text` = how often; `dateAsserted` = date |
//! | allergy | `AllergyIntolerance` | `type`, `code.text` = substance, `reaction.manifestation.text` and `reaction.severity`; `clinicalStatus` active (required by ait-1) |
//! | blood pressure | `Observation` vital-signs | LOINC 85354-9 with components 8480-6 and 8462-4 in `mm[Hg]` |
//! | glucose | `Observation` laboratory | LOINC 2339-0 (mg/dL) or 15074-8 (mmol/L), fasting 1558-6 or 14771-0; the meal context also in extension [`HAVEN_MEAL_CONTEXT`]. Category laboratory, not vital-signs: glucose is not one of FHIR's vital signs. |
//! | weight, height, temperature, heart rate, oxygen saturation | `Observation` vital-signs | 29463-7 `kg`/`[lb_av]`, 8302-2 `cm`/`[in_i]`, 8310-5 `Cel`/`[degF]`, 8867-4 `/min`, 2708-6 + 59408-5 `%` |
//! | mood | `Observation` survey | code `mood` in [`HAVEN_CODES`] (LOINC has no 1–5 mood self-rating), `valueInteger`, `note` |
//! | vaccination | `Immunization` | `vaccineCode.text`, `occurrenceDateTime` = date, `protocolApplied.doseNumberPositiveInt` |
//! | visit note, question | `Communication` | category `visit-note` / `question` in [`HAVEN_CODES`], `payload.contentString`; a question is `preparation` until answered, then `completed`. A patient's message-to-be fits `Communication` better than an `Observation`, and it keeps text as a plain string (an `Annotation` is markdown). |
//! | document | `DocumentReference` | status `current`, `description` = title, `content.attachment` with `contentType`, `title` = file name, `size`, `data` (base64) |
//! | emergency | `Observation` laboratory + `Patient.contact` | LOINC 882-1 with a SNOMED CT blood group (or `dataAbsentReason` unknown), `note` = notes; the contact goes on the `Patient` |
//!
//! Text is written and read as plain text. It is never interpreted, so a `<script>` in a
//! note stays those characters, and the widget renders it as text.

mod base64;
mod export;
mod import;

pub use export::{ExportOptions, Exporter, export, to_json};
pub use import::{
    ImportError, ImportLimits, ImportOptions, ImportProblem, Imported, Line, MAX_IMPORT_BYTES,
    MAX_IMPORT_DEPTH, MAX_IMPORT_RESOURCES, Outcome, import, json_depth_within,
};

use serde::{Deserialize, Serialize, Serializer};

/// The identifier system that carries an entry's id on every resource Haven writes.
pub const HAVEN_ENTRY: &str = "urn:haven:entry";
/// Haven's own code system: `mood`, `visit-note`, `question`.
pub const HAVEN_CODES: &str = "urn:haven:code";
/// The extension holding an entry's `created_at` as an `instant`.
pub const HAVEN_CREATED_AT: &str = "urn:haven:extension:created-at";
/// The extension holding a glucose reading's meal context as a code.
pub const HAVEN_MEAL_CONTEXT: &str = "urn:haven:extension:meal-context";
/// LOINC.
pub const LOINC: &str = "http://loinc.org";
/// SNOMED CT.
pub const SNOMED: &str = "http://snomed.info/sct";
/// UCUM, the system of every quantity's unit code.
pub const UCUM: &str = "http://unitsofmeasure.org";
/// Observation categories.
pub const OBSERVATION_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";
/// Condition clinical status codes.
pub const CONDITION_CLINICAL: &str = "http://terminology.hl7.org/CodeSystem/condition-clinical";
/// AllergyIntolerance clinical status codes.
pub const ALLERGY_CLINICAL: &str =
    "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical";
/// Codes for why data is absent.
pub const DATA_ABSENT_REASON: &str = "http://terminology.hl7.org/CodeSystem/data-absent-reason";
/// The extension saying why an element is absent.
pub const DATA_ABSENT_REASON_EXTENSION: &str =
    "http://hl7.org/fhir/StructureDefinition/data-absent-reason";

/// A Bundle as Haven writes it: type `collection`, the `Patient` first.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "resourceType", rename = "Bundle", rename_all = "camelCase")]
pub struct Bundle {
    /// `collection`.
    #[serde(rename = "type")]
    pub kind: String,
    /// When it was made (an `instant`).
    pub timestamp: String,
    /// The resources.
    pub entry: Vec<BundleEntry>,
}

/// One resource in a Bundle.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BundleEntry {
    /// `urn:uuid:` and the resource's id, which references resolve against.
    pub full_url: String,
    /// The resource.
    pub resource: Resource,
}

/// A resource Haven writes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "resourceType")]
pub enum Resource {
    /// The patient.
    Patient(Patient),
    /// A condition.
    Condition(Condition),
    /// A medication.
    MedicationStatement(MedicationStatement),
    /// An allergy or intolerance.
    AllergyIntolerance(AllergyIntolerance),
    /// A measurement, mood, or blood type.
    Observation(Observation),
    /// A vaccination.
    Immunization(Immunization),
    /// A document.
    DocumentReference(DocumentReference),
    /// A visit note or question.
    Communication(Communication),
}

/// Writes a decimal as a JSON number, whole values without a fraction (`120`, not `120.0`).
fn number<S: Serializer>(value: &Option<f64>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) if value.fract() == 0.0 && value.abs() < 9.0e15 => {
            serializer.serialize_i64(*value as i64)
        }
        Some(value) => serializer.serialize_f64(*value),
        None => serializer.serialize_none(),
    }
}

macro_rules! element {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident: $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
        #[serde(default, rename_all = "camelCase")]
        pub struct $name {
            $($(#[$fmeta])* pub $field: $ty,)*
        }
    };
}

element!(
    /// `Resource.meta`.
    Meta {
        /// When the resource last changed (an `instant`).
        #[serde(skip_serializing_if = "Option::is_none")]
        last_updated: Option<String>,
        /// Profiles the resource claims to conform to (read for version hints).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        profile: Vec<String>,
    }
);

element!(
    /// An extension with one of the value types Haven uses.
    Extension {
        /// What it means.
        url: String,
        /// An `instant` value.
        #[serde(skip_serializing_if = "Option::is_none")]
        value_instant: Option<String>,
        /// A `code` value.
        #[serde(skip_serializing_if = "Option::is_none")]
        value_code: Option<String>,
    }
);

element!(
    /// A business identifier.
    Identifier {
        /// Its namespace.
        #[serde(skip_serializing_if = "Option::is_none")]
        system: Option<String>,
        /// The identifier.
        #[serde(skip_serializing_if = "Option::is_none")]
        value: Option<String>,
    }
);

element!(
    /// A code in a code system.
    Coding {
        /// The code system.
        #[serde(skip_serializing_if = "Option::is_none")]
        system: Option<String>,
        /// The code.
        #[serde(skip_serializing_if = "Option::is_none")]
        code: Option<String>,
        /// The code system's name for it.
        #[serde(skip_serializing_if = "Option::is_none")]
        display: Option<String>,
    }
);

element!(
    /// Codes and/or text for one concept.
    CodeableConcept {
        /// Extensions (a data-absent reason).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        extension: Vec<Extension>,
        /// Codes.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        coding: Vec<Coding>,
        /// Plain text.
        #[serde(skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    }
);

element!(
    /// A reference to another resource.
    Reference {
        /// `urn:uuid:…` or `Type/id`.
        #[serde(skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        /// Text for the target.
        #[serde(skip_serializing_if = "Option::is_none")]
        display: Option<String>,
    }
);

element!(
    /// A measured amount.
    Quantity {
        /// The number.
        #[serde(serialize_with = "number", skip_serializing_if = "Option::is_none")]
        value: Option<f64>,
        /// The unit for people.
        #[serde(skip_serializing_if = "Option::is_none")]
        unit: Option<String>,
        /// The unit's code system (UCUM).
        #[serde(skip_serializing_if = "Option::is_none")]
        system: Option<String>,
        /// The UCUM code.
        #[serde(skip_serializing_if = "Option::is_none")]
        code: Option<String>,
    }
);

element!(
    /// A note.
    Annotation {
        /// The note (markdown in FHIR; Haven writes and reads it as plain text).
        text: String,
    }
);

element!(
    /// A time span.
    Period {
        /// Its start (a `dateTime`).
        #[serde(skip_serializing_if = "Option::is_none")]
        start: Option<String>,
        /// Its end (a `dateTime`).
        #[serde(skip_serializing_if = "Option::is_none")]
        end: Option<String>,
    }
);

element!(
    /// A file, inline.
    Attachment {
        /// Its media type.
        #[serde(skip_serializing_if = "Option::is_none")]
        content_type: Option<String>,
        /// Its bytes in base64.
        #[serde(skip_serializing_if = "Option::is_none")]
        data: Option<String>,
        /// Its size in bytes.
        #[serde(skip_serializing_if = "Option::is_none")]
        size: Option<u64>,
        /// Its label (Haven: the file name).
        #[serde(skip_serializing_if = "Option::is_none")]
        title: Option<String>,
    }
);

element!(
    /// A person's name.
    HumanName {
        /// The whole name as text.
        #[serde(skip_serializing_if = "Option::is_none")]
        text: Option<String>,
        /// Family name (read only).
        #[serde(skip_serializing_if = "Option::is_none")]
        family: Option<String>,
        /// Given names (read only).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        given: Vec<String>,
    }
);

element!(
    /// A phone number or other contact detail.
    ContactPoint {
        /// `phone`, `email`, …
        #[serde(skip_serializing_if = "Option::is_none")]
        system: Option<String>,
        /// The number or address.
        #[serde(skip_serializing_if = "Option::is_none")]
        value: Option<String>,
    }
);

element!(
    /// Someone to contact for the patient.
    PatientContact {
        /// How they are related.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        relationship: Vec<CodeableConcept>,
        /// Their name.
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<HumanName>,
        /// Their phone number.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        telecom: Vec<ContactPoint>,
    }
);

element!(
    /// The patient: minimal, with no identifiers; the emergency contact if there is one.
    Patient {
        /// The resource id.
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        /// Names, if the patient chose to include one.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        name: Vec<HumanName>,
        /// The emergency contact.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        contact: Vec<PatientContact>,
    }
);

element!(
    /// `Condition`.
    Condition {
        /// The entry id.
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        /// `lastUpdated`.
        #[serde(skip_serializing_if = "Option::is_none")]
        meta: Option<Meta>,
        /// `created_at`.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        extension: Vec<Extension>,
        /// The entry id.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        identifier: Vec<Identifier>,
        /// Active or resolved.
        #[serde(skip_serializing_if = "Option::is_none")]
        clinical_status: Option<CodeableConcept>,
        /// Read only: refuted or entered-in-error conditions are skipped.
        #[serde(skip_serializing_if = "Option::is_none")]
        verification_status: Option<CodeableConcept>,
        /// The name.
        #[serde(skip_serializing_if = "Option::is_none")]
        code: Option<CodeableConcept>,
        /// The patient (required).
        #[serde(skip_serializing_if = "Option::is_none")]
        subject: Option<Reference>,
        /// Since when.
        #[serde(skip_serializing_if = "Option::is_none")]
        onset_date_time: Option<String>,
        /// The entry's date.
        #[serde(skip_serializing_if = "Option::is_none")]
        recorded_date: Option<String>,
        /// Notes.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        note: Vec<Annotation>,
    }
);

element!(
    /// `Dosage`.
    Dosage {
        /// The dose as text.
        #[serde(skip_serializing_if = "Option::is_none")]
        text: Option<String>,
        /// How often.
        #[serde(skip_serializing_if = "Option::is_none")]
        timing: Option<Timing>,
    }
);

element!(
    /// `Timing`, as text only.
    Timing {
        /// How often, as `text`.
        #[serde(skip_serializing_if = "Option::is_none")]
        code: Option<CodeableConcept>,
    }
);

element!(
    /// `MedicationStatement`.
    MedicationStatement {
        /// The entry id.
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        /// `lastUpdated`.
        #[serde(skip_serializing_if = "Option::is_none")]
        meta: Option<Meta>,
        /// `created_at`.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        extension: Vec<Extension>,
        /// The entry id.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        identifier: Vec<Identifier>,
        /// `active`, `completed`, `intended`, … (required).
        #[serde(skip_serializing_if = "Option::is_none")]
        status: Option<String>,
        /// The medication's name (one of the two `medication[x]` is required).
        #[serde(skip_serializing_if = "Option::is_none")]
        medication_codeable_concept: Option<CodeableConcept>,
        /// Read only: a `Medication` in the Bundle or a display name.
        #[serde(skip_serializing_if = "Option::is_none")]
        medication_reference: Option<Reference>,
        /// The patient (required).
        #[serde(skip_serializing_if = "Option::is_none")]
        subject: Option<Reference>,
        /// Read only: when taken, as one date.
        #[serde(skip_serializing_if = "Option::is_none")]
        effective_date_time: Option<String>,
        /// Start and stop.
        #[serde(skip_serializing_if = "Option::is_none")]
        effective_period: Option<Period>,
        /// The entry's date.
        #[serde(skip_serializing_if = "Option::is_none")]
        date_asserted: Option<String>,
        /// Why taken.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        reason_code: Vec<CodeableConcept>,
        /// Notes.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        note: Vec<Annotation>,
        /// Dose and frequency.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        dosage: Vec<Dosage>,
    }
);

element!(
    /// `AllergyIntolerance.reaction`.
    Reaction {
        /// What happens (required, 1..*).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        manifestation: Vec<CodeableConcept>,
        /// `mild`, `moderate`, `severe`.
        #[serde(skip_serializing_if = "Option::is_none")]
        severity: Option<String>,
    }
);

element!(
    /// `AllergyIntolerance`.
    AllergyIntolerance {
        /// The entry id.
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        /// `lastUpdated`.
        #[serde(skip_serializing_if = "Option::is_none")]
        meta: Option<Meta>,
        /// `created_at`.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        extension: Vec<Extension>,
        /// The entry id.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        identifier: Vec<Identifier>,
        /// Active.
        #[serde(skip_serializing_if = "Option::is_none")]
        clinical_status: Option<CodeableConcept>,
        /// Read only: refuted or entered-in-error ones are skipped.
        #[serde(skip_serializing_if = "Option::is_none")]
        verification_status: Option<CodeableConcept>,
        /// `allergy` or `intolerance`.
        #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
        kind: Option<String>,
        /// The substance.
        #[serde(skip_serializing_if = "Option::is_none")]
        code: Option<CodeableConcept>,
        /// The patient (required).
        #[serde(skip_serializing_if = "Option::is_none")]
        patient: Option<Reference>,
        /// The entry's date.
        #[serde(skip_serializing_if = "Option::is_none")]
        recorded_date: Option<String>,
        /// What happens and how badly.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        reaction: Vec<Reaction>,
    }
);

element!(
    /// `Observation.component`.
    ObservationComponent {
        /// What this part measures.
        code: CodeableConcept,
        /// Its value.
        #[serde(skip_serializing_if = "Option::is_none")]
        value_quantity: Option<Quantity>,
    }
);

element!(
    /// `Observation`.
    Observation {
        /// The entry id.
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        /// `lastUpdated`.
        #[serde(skip_serializing_if = "Option::is_none")]
        meta: Option<Meta>,
        /// `created_at`, the meal context.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        extension: Vec<Extension>,
        /// The entry id.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        identifier: Vec<Identifier>,
        /// `final` (required).
        #[serde(skip_serializing_if = "Option::is_none")]
        status: Option<String>,
        /// `vital-signs`, `laboratory` or `survey`.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        category: Vec<CodeableConcept>,
        /// What was measured (required).
        #[serde(skip_serializing_if = "Option::is_none")]
        code: Option<CodeableConcept>,
        /// The patient.
        #[serde(skip_serializing_if = "Option::is_none")]
        subject: Option<Reference>,
        /// When.
        #[serde(skip_serializing_if = "Option::is_none")]
        effective_date_time: Option<String>,
        /// A measured value.
        #[serde(skip_serializing_if = "Option::is_none")]
        value_quantity: Option<Quantity>,
        /// A score.
        #[serde(skip_serializing_if = "Option::is_none")]
        value_integer: Option<i64>,
        /// A coded value (the blood group).
        #[serde(skip_serializing_if = "Option::is_none")]
        value_codeable_concept: Option<CodeableConcept>,
        /// Why there is no value.
        #[serde(skip_serializing_if = "Option::is_none")]
        data_absent_reason: Option<CodeableConcept>,
        /// Notes.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        note: Vec<Annotation>,
        /// Parts (blood pressure).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        component: Vec<ObservationComponent>,
    }
);

element!(
    /// `Immunization.protocolApplied`.
    ProtocolApplied {
        /// The dose number.
        #[serde(skip_serializing_if = "Option::is_none")]
        dose_number_positive_int: Option<u32>,
        /// Read only: a dose number as text.
        #[serde(skip_serializing_if = "Option::is_none")]
        dose_number_string: Option<String>,
    }
);

element!(
    /// `Immunization`.
    Immunization {
        /// The entry id.
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        /// `lastUpdated`.
        #[serde(skip_serializing_if = "Option::is_none")]
        meta: Option<Meta>,
        /// `created_at`.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        extension: Vec<Extension>,
        /// The entry id.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        identifier: Vec<Identifier>,
        /// `completed` (required).
        #[serde(skip_serializing_if = "Option::is_none")]
        status: Option<String>,
        /// The vaccine (required).
        #[serde(skip_serializing_if = "Option::is_none")]
        vaccine_code: Option<CodeableConcept>,
        /// The patient (required).
        #[serde(skip_serializing_if = "Option::is_none")]
        patient: Option<Reference>,
        /// When given (one `occurrence[x]` is required).
        #[serde(skip_serializing_if = "Option::is_none")]
        occurrence_date_time: Option<String>,
        /// Read only: when given, as text.
        #[serde(skip_serializing_if = "Option::is_none")]
        occurrence_string: Option<String>,
        /// The dose number.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        protocol_applied: Vec<ProtocolApplied>,
    }
);

element!(
    /// `DocumentReference.content`.
    DocumentContent {
        /// The file.
        attachment: Attachment,
    }
);

element!(
    /// `DocumentReference.context`.
    DocumentContext {
        /// When the document's content is from.
        #[serde(skip_serializing_if = "Option::is_none")]
        period: Option<Period>,
    }
);

element!(
    /// `DocumentReference`.
    DocumentReference {
        /// The entry id.
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        /// `lastUpdated`.
        #[serde(skip_serializing_if = "Option::is_none")]
        meta: Option<Meta>,
        /// `created_at`.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        extension: Vec<Extension>,
        /// The entry id.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        identifier: Vec<Identifier>,
        /// `current` (required).
        #[serde(skip_serializing_if = "Option::is_none")]
        status: Option<String>,
        /// The title.
        #[serde(skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        /// The patient.
        #[serde(skip_serializing_if = "Option::is_none")]
        subject: Option<Reference>,
        /// The file (required, 1..*).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        content: Vec<DocumentContent>,
        /// The entry's date.
        #[serde(skip_serializing_if = "Option::is_none")]
        context: Option<DocumentContext>,
    }
);

element!(
    /// `Communication.payload`.
    CommunicationPayload {
        /// The text.
        #[serde(skip_serializing_if = "Option::is_none")]
        content_string: Option<String>,
    }
);

element!(
    /// `Communication`.
    Communication {
        /// The entry id.
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        /// `lastUpdated`.
        #[serde(skip_serializing_if = "Option::is_none")]
        meta: Option<Meta>,
        /// `created_at`.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        extension: Vec<Extension>,
        /// The entry id.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        identifier: Vec<Identifier>,
        /// `completed` or `preparation` (required).
        #[serde(skip_serializing_if = "Option::is_none")]
        status: Option<String>,
        /// `visit-note` or `question`.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        category: Vec<CodeableConcept>,
        /// The patient.
        #[serde(skip_serializing_if = "Option::is_none")]
        subject: Option<Reference>,
        /// The entry's date.
        #[serde(skip_serializing_if = "Option::is_none")]
        sent: Option<String>,
        /// The text.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        payload: Vec<CommunicationPayload>,
    }
);

impl CodeableConcept {
    /// A concept with text only.
    pub fn text(text: impl Into<String>) -> CodeableConcept {
        CodeableConcept {
            text: Some(text.into()),
            ..CodeableConcept::default()
        }
    }

    /// A concept with one code.
    pub fn code(system: &str, code: &str, display: Option<&str>) -> CodeableConcept {
        CodeableConcept {
            coding: vec![Coding {
                system: Some(system.to_owned()),
                code: Some(code.to_owned()),
                display: display.map(str::to_owned),
            }],
            ..CodeableConcept::default()
        }
    }

    /// Whether it has this code.
    pub fn has(&self, system: &str, code: &str) -> bool {
        self.coding
            .iter()
            .any(|c| c.system.as_deref() == Some(system) && c.code.as_deref() == Some(code))
    }

    /// The code it has in `system`, if any.
    pub fn code_in(&self, system: &str) -> Option<&str> {
        self.coding
            .iter()
            .find(|c| c.system.as_deref() == Some(system))
            .and_then(|c| c.code.as_deref())
    }

    /// What a person would read: the text, else the first coding's display, else its code.
    pub fn readable(&self) -> Option<&str> {
        let nonempty = |s: &&str| !s.trim().is_empty();
        self.text.as_deref().filter(nonempty).or_else(|| {
            self.coding.iter().find_map(|c| {
                c.display
                    .as_deref()
                    .filter(nonempty)
                    .or(c.code.as_deref().filter(nonempty))
            })
        })
    }
}

#[cfg(test)]
mod tests;
