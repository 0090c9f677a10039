//! Entries to a FHIR R4 `collection` Bundle.

use std::collections::BTreeMap;

use super::base64;
use super::*;
use crate::record::date::{Date, format_instant};
use crate::record::entry::{
    AllergyKind, BloodType, ConditionStatus, Emergency, Entry, Payload, Severity,
};
use crate::record::measure::{Decimal, GlucoseUnit, MealContext};

/// What a Bundle needs besides the entries.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportOptions {
    /// The `Patient` resource's id: a lower-case UUID (the widget may keep one per record or
    /// make a new one per export).
    pub patient_id: String,
    /// The patient's name, if they chose to include it (empty: none).
    pub patient_name: String,
    /// When the export is made, in Unix milliseconds (`Bundle.timestamp`).
    pub now_ms: i64,
    /// The patient's local date, which decides whether a medication is `active`.
    pub today: Date,
}

/// Builds a Bundle one entry at a time, so the widget can show progress and yield between
/// entries of a large record.
#[derive(Debug, Clone)]
pub struct Exporter {
    options: ExportOptions,
    entries: Vec<BundleEntry>,
    contact: Option<PatientContact>,
}

/// Exports `entries`, with each document's bytes taken from `files` by entry id (a
/// document whose bytes are absent is written without `data`; an import skips it).
pub fn export(
    entries: &[Entry],
    files: &BTreeMap<String, Vec<u8>>,
    options: ExportOptions,
) -> Bundle {
    let mut exporter = Exporter::new(options);
    for entry in entries {
        exporter.add(entry, files.get(&entry.id).map(Vec::as_slice));
    }
    exporter.finish()
}

/// The Bundle as JSON text.
pub fn to_json(bundle: &Bundle) -> String {
    // Serialising these structs cannot fail: every map key is a string.
    serde_json::to_string(bundle).unwrap_or_default()
}

fn some(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_owned())
}

fn notes(text: &str) -> Vec<Annotation> {
    some(text)
        .map(|text| Annotation { text })
        .into_iter()
        .collect()
}

fn quantity(value: Decimal, unit: &str, ucum: &str) -> Option<Quantity> {
    Some(Quantity {
        value: Some(value.to_f64()),
        unit: Some(unit.to_owned()),
        system: Some(UCUM.to_owned()),
        code: Some(ucum.to_owned()),
    })
}

fn whole(value: impl Into<i64>, unit: &str, ucum: &str) -> Option<Quantity> {
    quantity(Decimal::whole(value.into()), unit, ucum)
}

fn category(code: &str) -> Vec<CodeableConcept> {
    vec![CodeableConcept::code(OBSERVATION_CATEGORY, code, None)]
}

fn loinc(codes: &[(&str, &str)]) -> CodeableConcept {
    CodeableConcept {
        coding: codes
            .iter()
            .map(|(code, display)| Coding {
                system: Some(LOINC.to_owned()),
                code: Some((*code).to_owned()),
                display: Some((*display).to_owned()),
            })
            .collect(),
        ..CodeableConcept::default()
    }
}

/// The SNOMED CT concept for a blood group with its Rh(D) type.
pub(super) fn blood_group_code(blood_type: BloodType) -> Option<(&'static str, &'static str)> {
    Some(match blood_type {
        BloodType::APositive => ("278149003", "Blood group A Rh(D) positive"),
        BloodType::ANegative => ("278152006", "Blood group A Rh(D) negative"),
        BloodType::BPositive => ("278150003", "Blood group B Rh(D) positive"),
        BloodType::BNegative => ("278153001", "Blood group B Rh(D) negative"),
        BloodType::AbPositive => ("278151004", "Blood group AB Rh(D) positive"),
        BloodType::AbNegative => ("278154007", "Blood group AB Rh(D) negative"),
        BloodType::OPositive => ("278147001", "Blood group O Rh(D) positive"),
        BloodType::ONegative => ("278148006", "Blood group O Rh(D) negative"),
        BloodType::Unknown => return None,
    })
}

/// The LOINC code for a glucose reading: by the unit's property and whether fasting.
pub(super) fn glucose_code(mass: bool, fasting: bool) -> (&'static str, &'static str) {
    match (mass, fasting) {
        (true, true) => ("1558-6", "Fasting glucose [Mass/volume] in Serum or Plasma"),
        (false, true) => (
            "14771-0",
            "Fasting glucose [Moles/volume] in Serum or Plasma",
        ),
        (true, false) => ("2339-0", "Glucose [Mass/volume] in Blood"),
        (false, false) => ("15074-8", "Glucose [Moles/volume] in Blood"),
    }
}

/// The elements every resource made from an entry shares.
struct Common {
    id: Option<String>,
    meta: Option<Meta>,
    extension: Vec<Extension>,
    identifier: Vec<Identifier>,
    subject: Option<Reference>,
    date: Option<String>,
}

impl Exporter {
    /// An exporter with no entries yet.
    pub fn new(options: ExportOptions) -> Exporter {
        Exporter {
            options,
            entries: Vec::new(),
            contact: None,
        }
    }

    /// How many resources have been added so far (the `Patient` is added by `finish`).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing has been added yet.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn common(&self, entry: &Entry) -> Common {
        Common {
            id: Some(entry.id.clone()),
            meta: Some(Meta {
                last_updated: Some(format_instant(entry.updated_at)),
                profile: Vec::new(),
            }),
            extension: vec![Extension {
                url: HAVEN_CREATED_AT.to_owned(),
                value_instant: Some(format_instant(entry.created_at)),
                value_code: None,
            }],
            identifier: vec![Identifier {
                system: Some(HAVEN_ENTRY.to_owned()),
                value: Some(entry.id.clone()),
            }],
            subject: Some(Reference {
                reference: Some(format!("urn:uuid:{}", self.options.patient_id)),
                display: None,
            }),
            date: Some(entry.date.to_string()),
        }
    }

    fn observation(
        &self,
        entry: &Entry,
        category_code: &str,
        code: CodeableConcept,
    ) -> Observation {
        let common = self.common(entry);
        Observation {
            id: common.id,
            meta: common.meta,
            extension: common.extension,
            identifier: common.identifier,
            status: Some("final".to_owned()),
            category: category(category_code),
            code: Some(code),
            subject: common.subject,
            effective_date_time: common.date,
            ..Observation::default()
        }
    }

    fn vital(&self, entry: &Entry, code: &str, display: &str, value: Option<Quantity>) -> Resource {
        Resource::Observation(Observation {
            value_quantity: value,
            ..self.observation(entry, "vital-signs", loinc(&[(code, display)]))
        })
    }

    /// Adds one entry (and, for a document, its file's bytes). An entry without its
    /// details is skipped: [`Entry::validate`] reports it.
    pub fn add(&mut self, entry: &Entry, file: Option<&[u8]>) {
        let Some(payload) = entry.payload() else {
            return;
        };
        let resource = match payload {
            Payload::Condition(condition) => {
                let common = self.common(entry);
                let status = match condition.status {
                    ConditionStatus::Active => "active",
                    ConditionStatus::Resolved => "resolved",
                };
                Resource::Condition(Condition {
                    id: common.id,
                    meta: common.meta,
                    extension: common.extension,
                    identifier: common.identifier,
                    clinical_status: Some(CodeableConcept::code(CONDITION_CLINICAL, status, None)),
                    verification_status: None,
                    code: Some(CodeableConcept::text(&condition.name)),
                    subject: common.subject,
                    onset_date_time: condition.since.map(|since| since.to_string()),
                    recorded_date: common.date,
                    note: notes(&condition.notes),
                })
            }
            Payload::Medication(medication) => {
                let common = self.common(entry);
                let today = self.options.today;
                let status = if medication.start.is_some_and(|start| start > today) {
                    "intended"
                } else if medication.is_current(today) {
                    "active"
                } else {
                    "completed"
                };
                let period =
                    (medication.start.is_some() || medication.stop.is_some()).then(|| Period {
                        start: medication.start.map(|date| date.to_string()),
                        end: medication.stop.map(|date| date.to_string()),
                    });
                let dosage = (!medication.dose.is_empty() || !medication.frequency.is_empty())
                    .then(|| Dosage {
                        text: some(&medication.dose),
                        timing: some(&medication.frequency).map(|frequency| Timing {
                            code: Some(CodeableConcept::text(frequency)),
                        }),
                    });
                Resource::MedicationStatement(MedicationStatement {
                    id: common.id,
                    meta: common.meta,
                    extension: common.extension,
                    identifier: common.identifier,
                    status: Some(status.to_owned()),
                    medication_codeable_concept: Some(CodeableConcept::text(&medication.name)),
                    medication_reference: None,
                    subject: common.subject,
                    effective_date_time: None,
                    effective_period: period,
                    date_asserted: common.date,
                    reason_code: some(&medication.reason)
                        .map(CodeableConcept::text)
                        .into_iter()
                        .collect(),
                    note: notes(&medication.notes),
                    dosage: dosage.into_iter().collect(),
                })
            }
            Payload::Allergy(allergy) => {
                let common = self.common(entry);
                let manifestation = match some(&allergy.reaction) {
                    Some(text) => CodeableConcept::text(text),
                    // A reaction needs a manifestation; say it is unknown rather than invent.
                    None => CodeableConcept {
                        extension: vec![Extension {
                            url: DATA_ABSENT_REASON_EXTENSION.to_owned(),
                            value_code: Some("unknown".to_owned()),
                            value_instant: None,
                        }],
                        ..CodeableConcept::default()
                    },
                };
                let reaction =
                    (!allergy.reaction.is_empty() || allergy.severity.is_some()).then(|| {
                        Reaction {
                            manifestation: vec![manifestation],
                            severity: allergy.severity.map(|severity| {
                                match severity {
                                    Severity::Mild => "mild",
                                    Severity::Moderate => "moderate",
                                    Severity::Severe => "severe",
                                }
                                .to_owned()
                            }),
                        }
                    });
                Resource::AllergyIntolerance(AllergyIntolerance {
                    id: common.id,
                    meta: common.meta,
                    extension: common.extension,
                    identifier: common.identifier,
                    clinical_status: Some(CodeableConcept::code(ALLERGY_CLINICAL, "active", None)),
                    verification_status: None,
                    kind: Some(
                        match allergy.kind {
                            AllergyKind::Allergy => "allergy",
                            AllergyKind::Intolerance => "intolerance",
                        }
                        .to_owned(),
                    ),
                    code: Some(CodeableConcept::text(&allergy.substance)),
                    patient: common.subject,
                    recorded_date: common.date,
                    reaction: reaction.into_iter().collect(),
                })
            }
            Payload::BloodPressure(reading) => {
                let part = |code, display, value: u16| ObservationComponent {
                    code: loinc(&[(code, display)]),
                    value_quantity: whole(value, "mmHg", "mm[Hg]"),
                };
                Resource::Observation(Observation {
                    component: vec![
                        part("8480-6", "Systolic blood pressure", reading.systolic()),
                        part("8462-4", "Diastolic blood pressure", reading.diastolic()),
                    ],
                    ..self.observation(
                        entry,
                        "vital-signs",
                        loinc(&[("85354-9", "Blood pressure panel with all children optional")]),
                    )
                })
            }
            Payload::Glucose(reading) => {
                let unit = reading.unit();
                let mass = unit == GlucoseUnit::MgDl;
                let code = glucose_code(mass, reading.context() == MealContext::Fasting);
                let mut observation = self.observation(entry, "laboratory", loinc(&[code]));
                observation.extension.push(Extension {
                    url: HAVEN_MEAL_CONTEXT.to_owned(),
                    value_code: Some(reading.context().as_str().to_owned()),
                    value_instant: None,
                });
                observation.value_quantity = quantity(reading.value(), unit.symbol(), unit.ucum());
                Resource::Observation(observation)
            }
            Payload::Weight(reading) => {
                let unit = reading.unit();
                self.vital(
                    entry,
                    "29463-7",
                    "Body weight",
                    quantity(reading.value(), unit.symbol(), unit.ucum()),
                )
            }
            Payload::Height(reading) => {
                let unit = reading.unit();
                self.vital(
                    entry,
                    "8302-2",
                    "Body height",
                    quantity(reading.value(), unit.symbol(), unit.ucum()),
                )
            }
            Payload::Temperature(reading) => {
                let unit = reading.unit();
                self.vital(
                    entry,
                    "8310-5",
                    "Body temperature",
                    quantity(reading.value(), unit.symbol(), unit.ucum()),
                )
            }
            Payload::HeartRate(reading) => self.vital(
                entry,
                "8867-4",
                "Heart rate",
                whole(reading.bpm(), "beats/minute", "/min"),
            ),
            Payload::OxygenSaturation(reading) => Resource::Observation(Observation {
                value_quantity: whole(reading.percent(), "%", "%"),
                ..self.observation(
                    entry,
                    "vital-signs",
                    loinc(&[
                        ("2708-6", "Oxygen saturation in Arterial blood"),
                        (
                            "59408-5",
                            "Oxygen saturation in Arterial blood by Pulse oximetry",
                        ),
                    ]),
                )
            }),
            Payload::Mood(mood) => Resource::Observation(Observation {
                value_integer: Some(i64::from(mood.score.score())),
                note: notes(&mood.note),
                ..self.observation(
                    entry,
                    "survey",
                    CodeableConcept::code(
                        HAVEN_CODES,
                        "mood",
                        Some("Mood, 1 (very low) to 5 (very good)"),
                    ),
                )
            }),
            Payload::Vaccination(vaccination) => {
                let common = self.common(entry);
                Resource::Immunization(Immunization {
                    id: common.id,
                    meta: common.meta,
                    extension: common.extension,
                    identifier: common.identifier,
                    status: Some("completed".to_owned()),
                    vaccine_code: Some(CodeableConcept::text(&vaccination.vaccine)),
                    patient: common.subject,
                    occurrence_date_time: common.date,
                    occurrence_string: None,
                    protocol_applied: vaccination
                        .dose_number
                        .map(|dose| ProtocolApplied {
                            dose_number_positive_int: Some(dose),
                            dose_number_string: None,
                        })
                        .into_iter()
                        .collect(),
                })
            }
            Payload::VisitNote(note) => {
                self.communication(entry, "visit-note", "completed", &note.text)
            }
            Payload::Question(question) => {
                let status = if question.answered {
                    "completed"
                } else {
                    "preparation"
                };
                self.communication(entry, "question", status, &question.text)
            }
            Payload::Document(document) => {
                let common = self.common(entry);
                Resource::DocumentReference(DocumentReference {
                    id: common.id,
                    meta: common.meta,
                    extension: common.extension,
                    identifier: common.identifier,
                    status: Some("current".to_owned()),
                    description: some(&document.title),
                    subject: common.subject,
                    content: vec![DocumentContent {
                        attachment: Attachment {
                            content_type: Some(document.media_type.clone()),
                            data: file.map(base64::encode),
                            size: Some(
                                file.map_or(document.size_bytes, |bytes| bytes.len() as u64),
                            ),
                            title: some(&document.file_name),
                        },
                    }],
                    context: Some(DocumentContext {
                        period: Some(Period {
                            start: common.date,
                            end: None,
                        }),
                    }),
                })
            }
            Payload::Emergency(emergency) => {
                self.contact = contact(emergency);
                let mut observation = self.observation(
                    entry,
                    "laboratory",
                    loinc(&[("882-1", "ABO and Rh group [Type] in Blood")]),
                );
                match blood_group_code(emergency.blood_type) {
                    Some((code, display)) => {
                        let mut concept = CodeableConcept::code(SNOMED, code, Some(display));
                        concept.text = Some(emergency.blood_type.as_str().to_owned());
                        observation.value_codeable_concept = Some(concept);
                    }
                    None => {
                        observation.data_absent_reason = Some(CodeableConcept::code(
                            DATA_ABSENT_REASON,
                            "unknown",
                            Some("Unknown"),
                        ));
                    }
                }
                observation.note = notes(&emergency.notes);
                Resource::Observation(observation)
            }
        };
        self.entries.push(BundleEntry {
            full_url: format!("urn:uuid:{}", entry.id),
            resource,
        });
    }

    fn communication(&self, entry: &Entry, code: &str, status: &str, text: &str) -> Resource {
        let common = self.common(entry);
        Resource::Communication(Communication {
            id: common.id,
            meta: common.meta,
            extension: common.extension,
            identifier: common.identifier,
            status: Some(status.to_owned()),
            category: vec![CodeableConcept::code(HAVEN_CODES, code, None)],
            subject: common.subject,
            sent: common.date,
            payload: vec![CommunicationPayload {
                content_string: Some(text.to_owned()),
            }],
        })
    }

    /// The Bundle: the `Patient` first, then the entries in the order added.
    pub fn finish(self) -> Bundle {
        let patient = Patient {
            id: Some(self.options.patient_id.clone()),
            name: some(&self.options.patient_name)
                .map(|text| HumanName {
                    text: Some(text),
                    ..HumanName::default()
                })
                .into_iter()
                .collect(),
            contact: self.contact.into_iter().collect(),
        };
        let mut entry = Vec::with_capacity(self.entries.len() + 1);
        entry.push(BundleEntry {
            full_url: format!("urn:uuid:{}", self.options.patient_id),
            resource: Resource::Patient(patient),
        });
        entry.extend(self.entries);
        Bundle {
            kind: "collection".to_owned(),
            timestamp: format_instant(self.options.now_ms),
            entry,
        }
    }
}

/// The emergency contact as a `Patient.contact`, if there is a name or a phone number
/// (a contact needs one of them: cpt-2).
fn contact(emergency: &Emergency) -> Option<PatientContact> {
    if emergency.contact_name.is_empty() && emergency.contact_phone.is_empty() {
        return None;
    }
    Some(PatientContact {
        relationship: some(&emergency.contact_relationship)
            .map(CodeableConcept::text)
            .into_iter()
            .collect(),
        name: some(&emergency.contact_name).map(|text| HumanName {
            text: Some(text),
            ..HumanName::default()
        }),
        telecom: some(&emergency.contact_phone)
            .map(|value| ContactPoint {
                system: Some("phone".to_owned()),
                value: Some(value),
            })
            .into_iter()
            .collect(),
    })
}
