//! Export snapshots, third-party and hostile imports, and the round trip.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::*;
use crate::record::date::{Date, When};
use crate::record::entry::Condition;
use crate::record::entry::*;
use crate::record::measure::*;
use crate::record::{Field, Problem};

const PATIENT: &str = "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d";
const SCRIPT: &str = "<script>alert('x')</script> & <b>đậm</b>";

fn id(n: u32) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

fn today() -> Date {
    Date::parse("2025-03-01").expect("valid")
}

fn on(text: &str) -> When {
    When::parse(text).expect(text)
}

fn pdf() -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n".to_vec();
    bytes.extend((0..=255u8).cycle().take(3000));
    bytes
}

/// One entry of every kind, Vietnamese text included, with distinct times.
fn record() -> Vec<Entry> {
    let mut n = 0;
    let mut entry = |date: &str, details: &dyn Fn(String, When, i64) -> Entry| {
        n += 1;
        let mut entry = details(id(n), on(date), 1_740_000_000_000 + i64::from(n) * 1_001);
        entry.updated_at += 60_000 + i64::from(n);
        entry
    };
    vec![
        entry("2025-01-10", &|i, d, t| {
            Entry::new(
                i,
                d,
                t,
                Condition {
                    name: "Đái tháo đường típ 2".into(),
                    since: Some(Date::parse("2019-05-01").expect("valid")),
                    status: ConditionStatus::Active,
                    notes: format!("Kiểm tra HbA1c mỗi 3 tháng. {SCRIPT}"),
                },
            )
        }),
        entry("2025-01-11", &|i, d, t| {
            Entry::new(
                i,
                d,
                t,
                Medication {
                    name: "Metformin".into(),
                    dose: "500 mg".into(),
                    frequency: "2 lần/ngày, sau ăn".into(),
                    start: Some(Date::parse("2019-05-02").expect("valid")),
                    stop: None,
                    reason: "Tiểu đường".into(),
                    notes: "Uống với nước".into(),
                },
            )
        }),
        entry("2025-01-12", &|i, d, t| {
            Entry::new(
                i,
                d,
                t,
                Allergy {
                    substance: "Tôm, cua".into(),
                    reaction: "Nổi mề đay".into(),
                    severity: Some(Severity::Moderate),
                    kind: AllergyKind::Allergy,
                },
            )
        }),
        entry("2025-02-01T07:30:00+07:00", &|i, d, t| {
            Entry::new(i, d, t, BloodPressure::new(128, 84).expect("valid"))
        }),
        entry("2025-02-01T07:35:00+07:00", &|i, d, t| {
            Entry::new(
                i,
                d,
                t,
                Glucose::parse("5,6", GlucoseUnit::MmolL, MealContext::Fasting).expect("valid"),
            )
        }),
        entry("2025-02-02T07:35:00+07:00", &|i, d, t| {
            Entry::new(
                i,
                d,
                t,
                Glucose::parse("162", GlucoseUnit::MgDl, MealContext::AfterMeal).expect("valid"),
            )
        }),
        entry("2025-02-03", &|i, d, t| {
            Entry::new(
                i,
                d,
                t,
                Weight::parse("154,3", MassUnit::Lb).expect("valid"),
            )
        }),
        entry("2025-02-03", &|i, d, t| {
            Entry::new(
                i,
                d,
                t,
                Height::parse("160,5", LengthUnit::Cm).expect("valid"),
            )
        }),
        entry("2025-02-04T21:00:00Z", &|i, d, t| {
            Entry::new(
                i,
                d,
                t,
                Temperature::parse("100,4", TemperatureUnit::Fahrenheit).expect("valid"),
            )
        }),
        entry("2025-02-04T21:00:00Z", &|i, d, t| {
            Entry::new(i, d, t, HeartRate::parse("72").expect("valid"))
        }),
        entry("2025-02-04T21:00:00Z", &|i, d, t| {
            Entry::new(i, d, t, OxygenSaturation::parse("97").expect("valid"))
        }),
        entry("2025-02-05", &|i, d, t| {
            Entry::new(
                i,
                d,
                t,
                Mood {
                    score: MoodScore::parse("2").expect("valid"),
                    note: "Mệt mỏi, khó ngủ".into(),
                },
            )
        }),
        entry("2021-07-01", &|i, d, t| {
            Entry::new(
                i,
                d,
                t,
                Vaccination {
                    vaccine: "Vắc-xin COVID-19 (AstraZeneca)".into(),
                    dose_number: Some(2),
                },
            )
        }),
        entry("2025-02-10", &|i, d, t| {
            Entry::new(
                i,
                d,
                t,
                VisitNote {
                    text: format!("Bác sĩ Lan: giảm muối.\nTái khám sau 3 tháng.\n{SCRIPT}"),
                },
            )
        }),
        entry("2025-02-11", &|i, d, t| {
            Entry::new(
                i,
                d,
                t,
                Question {
                    text: "Tôi có cần đổi thuốc không?".into(),
                    answered: true,
                },
            )
        }),
        entry("2025-02-12", &|i, d, t| {
            Entry::new(
                i,
                d,
                t,
                Document {
                    title: "Kết quả xét nghiệm máu".into(),
                    file_name: "xet-nghiem.pdf".into(),
                    media_type: "application/pdf".into(),
                    size_bytes: pdf().len() as u64,
                },
            )
        }),
        entry("2025-02-13", &|i, d, t| {
            Entry::new(
                i,
                d,
                t,
                Emergency {
                    blood_type: BloodType::ONegative,
                    contact_name: "Nguyễn Thị Hoa".into(),
                    contact_phone: "+84 90 123 4567".into(),
                    contact_relationship: "Vợ".into(),
                    notes: "Dùng insulin".into(),
                },
            )
        }),
    ]
}

fn files(entries: &[Entry]) -> BTreeMap<String, Vec<u8>> {
    entries
        .iter()
        .filter(|entry| entry.kind == Kind::Document)
        .map(|entry| (entry.id.clone(), pdf()))
        .collect()
}

fn options() -> ExportOptions {
    ExportOptions {
        patient_id: PATIENT.into(),
        patient_name: String::new(),
        now_ms: 1_740_800_000_000,
        today: today(),
    }
}

fn import_options() -> ImportOptions {
    ImportOptions {
        today: today(),
        now_ms: 1_740_900_000_000,
        limits: ImportLimits::default(),
    }
}

fn exported() -> Value {
    let entries = record();
    serde_json::from_str(&to_json(&export(&entries, &files(&entries), options()))).expect("JSON")
}

/// Makes ids `10000000-…-0001`, `…-0002`, ….
fn ids() -> impl FnMut() -> String {
    let mut n = 0u32;
    move || {
        n += 1;
        format!("10000000-0000-4000-8000-{n:012}")
    }
}

fn read(text: &str) -> Result<Imported, ImportError> {
    import(text, &import_options(), &mut ids())
}

fn resource<'a>(bundle: &'a Value, entry_id: &str) -> &'a Value {
    bundle["entry"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|entry| &entry["resource"])
        .find(|resource| resource["id"] == entry_id)
        .unwrap_or_else(|| panic!("no resource {entry_id}"))
}

fn codes(concept: &Value) -> Vec<(String, String)> {
    concept["coding"]
        .as_array()
        .map(|codings| {
            codings
                .iter()
                .map(|c| {
                    (
                        c["system"].as_str().unwrap_or("").to_owned(),
                        c["code"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn loinc(code: &str) -> (String, String) {
    (LOINC.to_owned(), code.to_owned())
}

#[test]
fn the_bundle_is_a_collection_with_the_patient_first() {
    let bundle = exported();
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["type"], "collection");
    assert_eq!(bundle["timestamp"], "2025-03-01T03:33:20.000Z");
    let first = &bundle["entry"][0];
    assert_eq!(first["fullUrl"], format!("urn:uuid:{PATIENT}"));
    assert_eq!(first["resource"]["resourceType"], "Patient");
    assert!(first["resource"].get("identifier").is_none());
    assert!(first["resource"].get("name").is_none());
    assert_eq!(
        bundle["entry"].as_array().expect("entries").len(),
        1 + record().len()
    );
}

#[test]
fn every_resource_carries_its_entry_id_times_and_required_elements() {
    let bundle = exported();
    let subject = json!({ "reference": format!("urn:uuid:{PATIENT}") });
    for entry in record() {
        let resource = resource(&bundle, &entry.id);
        assert_eq!(
            resource["identifier"],
            json!([{ "system": HAVEN_ENTRY, "value": entry.id }])
        );
        assert_eq!(
            resource["meta"]["lastUpdated"],
            crate::record::date::format_instant(entry.updated_at)
        );
        assert_eq!(resource["extension"][0]["url"], HAVEN_CREATED_AT);
        let required: &[&str] = match resource["resourceType"].as_str().expect("type") {
            "Condition" => &["subject", "code", "clinicalStatus"],
            "MedicationStatement" => &["status", "medicationCodeableConcept", "subject"],
            "AllergyIntolerance" => &["patient", "clinicalStatus"],
            "Observation" => &["status", "code", "subject", "effectiveDateTime"],
            "Immunization" => &["status", "vaccineCode", "patient", "occurrenceDateTime"],
            "DocumentReference" => &["status", "content"],
            "Communication" => &["status", "payload"],
            other => panic!("unexpected {other}"),
        };
        for element in required {
            assert!(
                resource.get(*element).is_some(),
                "{} lacks {element}",
                resource["resourceType"]
            );
        }
        for reference in ["subject", "patient"] {
            if let Some(value) = resource.get(reference) {
                assert_eq!(value, &subject);
            }
        }
    }
}

#[test]
fn measurements_have_loinc_codes_and_ucum_units() {
    let bundle = exported();
    let entries = record();
    let of = |kind: Kind, nth: usize| {
        let entry = entries
            .iter()
            .filter(|e| e.kind == kind)
            .nth(nth)
            .expect("entry");
        resource(&bundle, &entry.id)
    };
    let bp = of(Kind::BloodPressure, 0);
    assert_eq!(codes(&bp["code"]), [loinc("85354-9")]);
    assert_eq!(
        codes(&bp["category"][0]),
        [(OBSERVATION_CATEGORY.to_owned(), "vital-signs".to_owned())]
    );
    assert_eq!(codes(&bp["component"][0]["code"]), [loinc("8480-6")]);
    assert_eq!(
        bp["component"][0]["valueQuantity"],
        json!({ "value": 128, "unit": "mmHg", "system": UCUM, "code": "mm[Hg]" })
    );
    assert_eq!(codes(&bp["component"][1]["code"]), [loinc("8462-4")]);
    assert_eq!(bp["component"][1]["valueQuantity"]["value"], 84);
    assert!(bp.get("valueQuantity").is_none());

    for (kind, nth, code, value, unit) in [
        (Kind::Glucose, 0, "14771-0", json!(5.6), "mmol/L"),
        (Kind::Glucose, 1, "2339-0", json!(162), "mg/dL"),
        (Kind::Weight, 0, "29463-7", json!(154.3), "[lb_av]"),
        (Kind::Height, 0, "8302-2", json!(160.5), "cm"),
        (Kind::Temperature, 0, "8310-5", json!(100.4), "[degF]"),
        (Kind::HeartRate, 0, "8867-4", json!(72), "/min"),
        (Kind::OxygenSaturation, 0, "2708-6", json!(97), "%"),
    ] {
        let observation = of(kind, nth);
        assert_eq!(codes(&observation["code"])[0], loinc(code), "{kind}");
        assert_eq!(observation["valueQuantity"]["value"], value, "{kind}");
        assert_eq!(observation["valueQuantity"]["code"], unit, "{kind}");
        assert_eq!(observation["valueQuantity"]["system"], UCUM, "{kind}");
        assert_eq!(observation["status"], "final");
    }
    assert_eq!(
        codes(&of(Kind::OxygenSaturation, 0)["code"])[1],
        loinc("59408-5")
    );
    let glucose = of(Kind::Glucose, 1);
    assert_eq!(codes(&glucose["category"][0])[0].1, "laboratory");
    assert_eq!(
        glucose["extension"][1],
        json!({ "url": HAVEN_MEAL_CONTEXT, "valueCode": "after_meal" })
    );
    assert_eq!(glucose["effectiveDateTime"], "2025-02-02T07:35:00+07:00");

    let mood = of(Kind::Mood, 0);
    assert_eq!(
        codes(&mood["code"]),
        [(HAVEN_CODES.to_owned(), "mood".to_owned())]
    );
    assert_eq!(codes(&mood["category"][0])[0].1, "survey");
    assert_eq!(mood["valueInteger"], 2);
    assert_eq!(mood["note"][0]["text"], "Mệt mỏi, khó ngủ");
}

#[test]
fn other_kinds_map_to_their_resources() {
    let bundle = exported();
    let entries = record();
    let of = |kind: Kind| {
        resource(
            &bundle,
            &entries.iter().find(|e| e.kind == kind).expect("entry").id,
        )
    };

    let condition = of(Kind::Condition);
    assert_eq!(condition["code"], json!({ "text": "Đái tháo đường típ 2" }));
    assert_eq!(
        codes(&condition["clinicalStatus"]),
        [(CONDITION_CLINICAL.to_owned(), "active".to_owned())]
    );
    assert_eq!(condition["onsetDateTime"], "2019-05-01");
    assert_eq!(condition["recordedDate"], "2025-01-10");

    let medication = of(Kind::Medication);
    assert_eq!(medication["status"], "active");
    assert_eq!(medication["medicationCodeableConcept"]["text"], "Metformin");
    assert_eq!(
        medication["effectivePeriod"],
        json!({ "start": "2019-05-02" })
    );
    assert_eq!(medication["dosage"][0]["text"], "500 mg");
    assert_eq!(
        medication["dosage"][0]["timing"]["code"]["text"],
        "2 lần/ngày, sau ăn"
    );
    assert_eq!(medication["reasonCode"][0]["text"], "Tiểu đường");

    let allergy = of(Kind::Allergy);
    assert_eq!(allergy["type"], "allergy");
    assert_eq!(allergy["code"]["text"], "Tôm, cua");
    assert_eq!(allergy["reaction"][0]["severity"], "moderate");
    assert_eq!(
        allergy["reaction"][0]["manifestation"][0]["text"],
        "Nổi mề đay"
    );

    let vaccination = of(Kind::Vaccination);
    assert_eq!(vaccination["status"], "completed");
    assert_eq!(vaccination["occurrenceDateTime"], "2021-07-01");
    assert_eq!(
        vaccination["protocolApplied"][0]["doseNumberPositiveInt"],
        2
    );

    let note = of(Kind::VisitNote);
    assert_eq!(note["status"], "completed");
    assert!(
        note["payload"][0]["contentString"]
            .as_str()
            .expect("text")
            .ends_with(SCRIPT)
    );
    assert_eq!(codes(&of(Kind::Question)["category"][0])[0].1, "question");

    let document = of(Kind::Document);
    assert_eq!(document["status"], "current");
    let attachment = &document["content"][0]["attachment"];
    assert_eq!(attachment["contentType"], "application/pdf");
    assert_eq!(attachment["title"], "xet-nghiem.pdf");
    assert_eq!(attachment["size"], pdf().len());
    assert_eq!(attachment["data"], base64::encode(&pdf()));

    let blood = of(Kind::Emergency);
    assert_eq!(codes(&blood["code"]), [loinc("882-1")]);
    assert_eq!(
        codes(&blood["valueCodeableConcept"]),
        [(SNOMED.to_owned(), "278148006".to_owned())]
    );
    let contact = &bundle["entry"][0]["resource"]["contact"][0];
    assert_eq!(contact["name"]["text"], "Nguyễn Thị Hoa");
    assert_eq!(
        contact["telecom"][0],
        json!({ "system": "phone", "value": "+84 90 123 4567" })
    );
    assert_eq!(contact["relationship"][0]["text"], "Vợ");
}

#[test]
fn medication_status_follows_its_dates_and_today() {
    for (start, stop, status) in [
        (Some("2025-04-01"), None, "intended"),
        (Some("2024-01-01"), Some("2025-02-01"), "completed"),
        (None, Some("2025-03-01"), "active"),
    ] {
        let medication = Medication {
            name: "Amlodipine".into(),
            start: start.and_then(Date::parse),
            stop: stop.and_then(Date::parse),
            ..Medication::default()
        };
        let entry = Entry::new(id(1), on("2025-01-01"), 0, medication);
        let bundle = export(&[entry], &BTreeMap::new(), options());
        let json: Value = serde_json::from_str(&to_json(&bundle)).expect("JSON");
        assert_eq!(json["entry"][1]["resource"]["status"], status);
    }
}

#[test]
fn export_then_import_gives_back_the_same_record() {
    let entries = record();
    let files = files(&entries);
    let text = to_json(&export(&entries, &files, options()));
    let imported = read(&text).expect("imports");
    for line in &imported.lines {
        assert!(line.problems.is_empty(), "{line:?}");
    }
    assert_eq!(imported.lines[0].outcome, Outcome::Used);
    let back: Vec<Entry> = imported.entries().cloned().collect();
    assert_eq!(back, entries);
    assert_eq!(imported.files, files);

    // And the same again: a second export of what was imported is the same file.
    assert_eq!(to_json(&export(&back, &imported.files, options())), text);
}

#[test]
fn a_restored_export_is_all_duplicates_of_the_record_it_came_from() {
    let entries = record();
    let text = to_json(&export(&entries, &files(&entries), options()));
    let mut imported = read(&text).expect("imports");
    let ids: BTreeSet<String> = entries.iter().map(|entry| entry.id.clone()).collect();
    imported.mark_duplicates(&ids, &BTreeSet::new());
    assert_eq!(imported.entries().count(), 0);
    let duplicates = imported
        .lines
        .iter()
        .filter(|line| line.outcome == Outcome::Duplicate)
        .count();
    assert_eq!(duplicates, entries.len());
}

#[test]
fn an_allergy_with_a_severity_but_no_reaction_text_round_trips() {
    let entry = Entry::new(
        id(1),
        on("2025-01-01"),
        0,
        Allergy {
            substance: "Aspirin".into(),
            severity: Some(Severity::Severe),
            kind: AllergyKind::Intolerance,
            ..Allergy::default()
        },
    );
    let text = to_json(&export(
        std::slice::from_ref(&entry),
        &BTreeMap::new(),
        options(),
    ));
    let json: Value = serde_json::from_str(&text).expect("JSON");
    let manifestation = &json["entry"][1]["resource"]["reaction"][0]["manifestation"][0];
    assert_eq!(
        manifestation["extension"][0]["url"],
        DATA_ABSENT_REASON_EXTENSION
    );
    assert_eq!(
        read(&text)
            .expect("imports")
            .entries()
            .cloned()
            .collect::<Vec<_>>(),
        [entry]
    );
}

#[test]
fn a_document_exported_without_its_file_is_skipped_on_import() {
    let entries: Vec<Entry> = record()
        .into_iter()
        .filter(|e| e.kind == Kind::Document)
        .collect();
    let text = to_json(&export(&entries, &BTreeMap::new(), options()));
    let imported = read(&text).expect("imports");
    assert_eq!(imported.lines[1].outcome, Outcome::Skipped);
    assert_eq!(imported.lines[1].problems, [ImportProblem::NoFileData]);
}

fn third_party() -> Value {
    json!({
        "resourceType": "Bundle",
        "type": "searchset",
        "meta": { "profile": ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-bundle"] },
        "entry": [
            { "fullUrl": "https://clinic.example/Patient/p1", "resource": {
                "resourceType": "Patient", "id": "p1",
                "name": [{ "family": "Trần", "given": ["Văn", "An"] }],
                "contact": [{
                    "relationship": [{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v2-0131", "code": "N", "display": "Next-of-Kin" }] }],
                    "name": { "family": "Trần", "given": ["Thị", "Bình"] },
                    "telecom": [{ "system": "email", "value": "binh@example.org" }, { "system": "phone", "value": "0903 123 456" }]
                }]
            }},
            { "resource": {
                "resourceType": "Observation", "status": "final",
                "code": { "coding": [{ "system": "http://loinc.org", "code": "15074-8" }], "text": "Glucose" },
                "subject": { "reference": "Patient/p1" },
                "effectiveDateTime": "2024-11-02T08:15:00+07:00",
                "valueQuantity": { "value": 6.2, "unit": "mmol/L", "system": "http://unitsofmeasure.org", "code": "mmol/L" }
            }},
            { "resource": {
                "resourceType": "Condition",
                "clinicalStatus": { "coding": [{ "system": CONDITION_CLINICAL, "code": "remission" }] },
                "code": { "coding": [{ "system": "http://snomed.info/sct", "code": "44054006", "display": "Diabetes mellitus type 2" }], "text": "Đái tháo đường típ 2" },
                "subject": { "reference": "Patient/p1" },
                "onsetDateTime": "2018"
            }},
            { "fullUrl": "https://clinic.example/Medication/m1", "resource": {
                "resourceType": "Medication", "id": "m1",
                "code": { "coding": [{ "system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "860975", "display": "Metformin 500 MG Oral Tablet" }] }
            }},
            { "resource": {
                "resourceType": "MedicationStatement", "status": "active",
                "medicationReference": { "reference": "Medication/m1" },
                "subject": { "reference": "Patient/p1" },
                "effectivePeriod": { "start": "2023-01-15T09:00:00+07:00" },
                "dosage": [{ "text": "1 viên x 2 lần/ngày" }]
            }},
            { "resource": {
                "resourceType": "AllergyIntolerance",
                "code": { "coding": [{ "system": "http://snomed.info/sct", "code": "764146007", "display": "Penicillin" }] },
                "patient": { "reference": "Patient/p1" },
                "recordedDate": "2020-03-04",
                "reaction": [{ "manifestation": [{ "coding": [{ "display": "Hives" }] }, { "text": "Itching" }], "severity": "moderate" }]
            }},
            { "resource": {
                "resourceType": "Immunization", "status": "completed",
                "vaccineCode": { "coding": [{ "system": "http://hl7.org/fhir/sid/cvx", "code": "208", "display": "COVID-19, mRNA" }] },
                "patient": { "reference": "Patient/p1" },
                "occurrenceDateTime": "2021-07-01",
                "protocolApplied": [{ "doseNumberString": "2" }]
            }},
            { "resource": {
                "resourceType": "Observation", "status": "final",
                "code": { "coding": [{ "system": "http://loinc.org", "code": "2093-3" }] },
                "effectiveDateTime": "2024-11-02",
                "valueQuantity": { "value": 190, "unit": "mg/dL" }
            }},
            { "resource": {
                "resourceType": "Observation", "status": "final",
                "code": { "coding": [{ "system": "http://loinc.org", "code": "29463-7" }] },
                "effectiveDateTime": "2024-11-02",
                "valueQuantity": { "value": 154.35, "unit": "lbs" }
            }},
            { "resource": {
                "resourceType": "Observation", "status": "final",
                "code": { "coding": [{ "system": "http://loinc.org", "code": "85354-9" }] },
                "effectiveDateTime": "2024-11-02",
                "component": [
                    { "code": { "coding": [{ "system": "http://loinc.org", "code": "8480-6" }] }, "valueQuantity": { "value": 400, "code": "mm[Hg]", "system": UCUM } },
                    { "code": { "coding": [{ "system": "http://loinc.org", "code": "8462-4" }] }, "valueQuantity": { "value": 80, "code": "mm[Hg]", "system": UCUM } }
                ]
            }},
            { "resource": {
                "resourceType": "Observation", "status": "entered-in-error",
                "code": { "coding": [{ "system": "http://loinc.org", "code": "8867-4" }] },
                "effectiveDateTime": "2024-11-02",
                "valueQuantity": { "value": 70, "code": "/min", "system": UCUM }
            }},
            { "resource": {
                "resourceType": "Observation", "status": "final",
                "code": { "coding": [{ "system": "http://loinc.org", "code": "882-1" }] },
                "effectiveDateTime": "2015-06-01",
                "valueCodeableConcept": { "coding": [{ "system": "http://snomed.info/sct", "code": "278152006" }] }
            }},
            { "resource": {
                "resourceType": "Communication", "status": "completed",
                "payload": [{ "contentString": SCRIPT }]
            }},
            { "resource": { "resourceType": "Encounter", "status": "finished" } },
            { "resource": { "resourceType": "Condition", "code": "diabetes" } },
            { "fullUrl": "urn:uuid:nothing" },
            { "resource": {
                "resourceType": "Observation", "status": "final",
                "code": { "coding": [{ "system": "http://loinc.org", "code": "8310-5" }] },
                "effectiveDateTime": "2024-11-02",
                "valueQuantity": { "value": 310.15, "unit": "K", "system": UCUM, "code": "K" }
            }}
        ]
    })
}

#[test]
fn a_third_party_bundle_is_read_resource_by_resource() {
    let imported = read(&third_party().to_string()).expect("imports");
    let lines = &imported.lines;
    let outcome = |i: usize| (lines[i].resource_type.as_str(), lines[i].outcome);
    assert_eq!(outcome(0), ("Patient", Outcome::Used));

    let glucose = lines[1]
        .entry
        .as_ref()
        .and_then(|e| e.glucose)
        .expect("glucose");
    assert_eq!(
        (outcome(1).1, glucose.value(), glucose.unit()),
        (
            Outcome::New,
            Decimal::from_hundredths(620),
            GlucoseUnit::MmolL
        )
    );
    assert_eq!(glucose.context(), MealContext::Random);
    assert!(lines[1].problems.is_empty());
    let entry = lines[1].entry.as_ref().expect("entry");
    assert_eq!(entry.id, "10000000-0000-4000-8000-000000000001");
    assert_eq!(
        (entry.created_at, entry.updated_at),
        (1_740_900_000_000, 1_740_900_000_000)
    );

    let condition = lines[2]
        .entry
        .as_ref()
        .and_then(|e| e.condition.clone())
        .expect("condition");
    assert_eq!(condition.name, "Đái tháo đường típ 2");
    assert_eq!(condition.status, ConditionStatus::Resolved);
    assert_eq!(condition.since, Date::parse("2018-01-01"));
    assert_eq!(
        lines[2].problems,
        [ImportProblem::PartialDate {
            element: "onsetDateTime"
        }]
    );

    assert_eq!(outcome(3), ("Medication", Outcome::Used));
    let medication = lines[4]
        .entry
        .as_ref()
        .and_then(|e| e.medication.clone())
        .expect("medication");
    assert_eq!(medication.name, "Metformin 500 MG Oral Tablet");
    assert_eq!(medication.start, Date::parse("2023-01-15"));
    assert_eq!(medication.dose, "1 viên x 2 lần/ngày");
    assert_eq!(
        lines[4].entry.as_ref().map(|e| e.date),
        Some(on("2023-01-15"))
    );

    let allergy = lines[5]
        .entry
        .as_ref()
        .and_then(|e| e.allergy.clone())
        .expect("allergy");
    assert_eq!(
        (allergy.substance.as_str(), allergy.reaction.as_str()),
        ("Penicillin", "Hives; Itching")
    );
    assert_eq!(allergy.severity, Some(Severity::Moderate));

    let vaccination = lines[6]
        .entry
        .as_ref()
        .and_then(|e| e.vaccination.clone())
        .expect("vaccination");
    assert_eq!(
        (vaccination.vaccine.as_str(), vaccination.dose_number),
        ("COVID-19, mRNA", Some(2))
    );

    assert_eq!(outcome(7).1, Outcome::Skipped);
    assert_eq!(
        lines[7].problems,
        [ImportProblem::UnsupportedCode {
            code: "http://loinc.org|2093-3".into()
        }]
    );

    let weight = lines[8]
        .entry
        .as_ref()
        .and_then(|e| e.weight)
        .expect("weight");
    assert_eq!(
        (weight.value(), weight.unit()),
        (Decimal::from_hundredths(15_440), MassUnit::Lb)
    );
    assert_eq!(
        lines[8].problems,
        [ImportProblem::Rounded {
            field: Field::Value
        }]
    );

    assert_eq!(outcome(9).1, Outcome::Skipped);
    assert_eq!(
        lines[9].problems,
        [ImportProblem::Invalid(crate::record::FieldError::new(
            Field::Systolic,
            Problem::TooHigh {
                max: Decimal::whole(300)
            }
        ))]
    );
    assert_eq!(
        lines[10].problems,
        [ImportProblem::Withdrawn {
            status: "entered-in-error".into()
        }]
    );

    // The blood type and the patient's contact make one emergency card.
    let emergency = lines[11]
        .entry
        .as_ref()
        .and_then(|e| e.emergency.clone())
        .expect("emergency");
    assert_eq!(emergency.blood_type, BloodType::ANegative);
    assert_eq!(emergency.contact_name, "Thị Bình Trần");
    assert_eq!(emergency.contact_phone, "0903 123 456");
    assert_eq!(emergency.contact_relationship, "Next-of-Kin");

    // Script in text stays text, character for character.
    let note = lines[12]
        .entry
        .as_ref()
        .and_then(|e| e.visit_note.clone())
        .expect("note");
    assert_eq!(note.text, SCRIPT);
    assert_eq!(lines[12].problems, [ImportProblem::DatedToday]);

    assert_eq!(lines[13].problems, [ImportProblem::UnsupportedResourceType]);
    assert_eq!(lines[14].problems, [ImportProblem::Unreadable]);
    assert_eq!(
        (lines[15].resource_type.as_str(), &lines[15].problems[..]),
        ("", &[ImportProblem::NoResource][..])
    );
    assert_eq!(
        lines[16].problems,
        [ImportProblem::UnsupportedUnit { unit: "K".into() }]
    );
    assert_eq!(imported.entries().count(), 8);
}

#[test]
fn a_contact_without_a_blood_type_makes_its_own_emergency_card() {
    let bundle = json!({ "resourceType": "Bundle", "entry": [{ "resource": {
        "resourceType": "Patient",
        "contact": [{ "name": { "text": "Hoa" }, "telecom": [{ "value": "0903 123 456" }] }]
    }}, { "resource": { "resourceType": "Patient" } }]});
    let imported = read(&bundle.to_string()).expect("imports");
    assert_eq!(imported.lines[0].outcome, Outcome::New);
    let entry = imported.lines[0].entry.as_ref().expect("entry");
    assert_eq!(entry.date, When::Date(today()));
    let emergency = entry.emergency.as_ref().expect("emergency");
    assert_eq!(
        (emergency.contact_name.as_str(), emergency.blood_type),
        ("Hoa", BloodType::Unknown)
    );
    assert_eq!(imported.lines[1].problems, [ImportProblem::AnotherPatient]);
}

#[test]
fn the_same_item_imported_twice_is_a_duplicate() {
    let text = third_party().to_string();
    let first = read(&text).expect("imports");
    let fingerprints: BTreeSet<String> = first.entries().map(Entry::fingerprint).collect();
    let mut second = read(&text).expect("imports");
    second.mark_duplicates(&BTreeSet::new(), &fingerprints);
    assert_eq!(second.entries().count(), 0);

    // Within one file, the second copy of an item is the duplicate.
    let entries = record();
    let mut twice = entries.clone();
    twice.extend(entries.iter().filter(|e| e.kind == Kind::Mood).cloned());
    let text = to_json(&export(&twice, &files(&entries), options()));
    let imported = read(&text).expect("imports");
    assert_eq!(
        imported.lines.last().map(|l| l.outcome),
        Some(Outcome::Duplicate)
    );
    assert_eq!(imported.entries().count(), entries.len());
}

#[test]
fn a_second_blood_type_is_skipped() {
    let observation = json!({ "resourceType": "Observation", "status": "final",
        "code": { "coding": [{ "system": LOINC, "code": "882-1" }] },
        "valueCodeableConcept": { "text": "B+" } });
    let bundle = json!({ "resourceType": "Bundle", "entry": [{ "resource": observation }, { "resource": observation }] });
    let imported = read(&bundle.to_string()).expect("imports");
    let emergency = imported.lines[0]
        .entry
        .as_ref()
        .and_then(|e| e.emergency.as_ref())
        .expect("card");
    assert_eq!(emergency.blood_type, BloodType::BPositive);
    assert_eq!(imported.lines[1].problems, [ImportProblem::SecondEmergency]);
}

#[test]
fn whole_files_that_are_not_r4_bundles_are_refused() {
    for (text, expected) in [
        ("", ImportError::NotJson),
        ("hello", ImportError::NotJson),
        ("{\"resourceType\":\"Bundle\"", ImportError::NotJson),
        (
            "{\"resourceType\":\"Bundle\"} trailing",
            ImportError::NotJson,
        ),
        ("[]", ImportError::NotABundle),
        ("42", ImportError::NotABundle),
        (r#"{"resourceType":"Patient"}"#, ImportError::NotABundle),
        (r#"{"resourceType":"bundle"}"#, ImportError::NotABundle),
        (
            r#"{"resourceType":"Bundle","entry":{}}"#,
            ImportError::NotABundle,
        ),
        (
            r#"{"resourceType":"Bundle","fhirVersion":"5.0.0"}"#,
            ImportError::NotR4 {
                version: "5.0.0".into(),
            },
        ),
        (
            r#"{"resourceType":"Bundle","meta":{"profile":["http://hl7.org/fhir/StructureDefinition/Bundle|4.3.0"]}}"#,
            ImportError::NotR4 {
                version: "4.3.0".into(),
            },
        ),
        (
            r#"{"resourceType":"Bundle","meta":{"profile":["http://hl7.org/fhir/STU3/StructureDefinition/Bundle"]}}"#,
            ImportError::NotR4 {
                version: "STU3".into(),
            },
        ),
    ] {
        assert_eq!(read(text), Err(expected), "{text}");
    }
    for text in [
        "\u{feff}{\"resourceType\":\"Bundle\"}",
        r#"{"resourceType":"Bundle","fhirVersion":"4.0.1"}"#,
        r#"{"resourceType":"Bundle","meta":{"profile":["http://hl7.org/fhir/StructureDefinition/Bundle|4.0.1"]}}"#,
        r#"{"resourceType":"Bundle","entry":null}"#,
    ] {
        assert_eq!(
            read(text).map(|imported| imported.lines.len()),
            Ok(0),
            "{text}"
        );
    }
}

#[test]
fn deep_nesting_is_refused_by_a_scan_before_parsing() {
    let deep = "[".repeat(100_000);
    assert_eq!(
        read(&deep),
        Err(ImportError::TooDeep {
            max_depth: MAX_IMPORT_DEPTH
        })
    );
    let deep_objects = format!(
        "{{\"resourceType\":\"Bundle\",\"x\":{}",
        "{\"a\":".repeat(100_000)
    );
    assert_eq!(
        read(&deep_objects),
        Err(ImportError::TooDeep {
            max_depth: MAX_IMPORT_DEPTH
        })
    );
    for (text, depth, within) in [
        ("{}", 1, true),
        ("[[]]", 1, false),
        ("[{\"a\":[1]}]", 3, true),
        ("[{\"a\":[1]}]", 2, false),
        (r#"["[[[[[[", "\"[[[[", "\\"]"#, 1, true),
        (r#"{"a":"\\\"{{{{"}"#, 1, true),
    ] {
        assert_eq!(json_depth_within(text, depth), within, "{text}");
    }
}

#[test]
fn brackets_inside_text_do_not_count_as_nesting() {
    let name = "[{".repeat(1_000);
    let bundle = json!({ "resourceType": "Bundle", "entry": [{ "resource": {
        "resourceType": "Condition", "code": { "text": name }, "recordedDate": "2024-01-01"
    }}]});
    let imported = read(&bundle.to_string()).expect("imports");
    assert_eq!(imported.lines[0].outcome, Outcome::New);
}

#[test]
fn huge_texts_are_cut_and_huge_files_refused() {
    let name = "đ".repeat(1_000_000);
    let bundle = json!({ "resourceType": "Bundle", "entry": [{ "resource": {
        "resourceType": "Condition", "code": { "text": name }, "recordedDate": "2024-01-01"
    }}]});
    let imported = read(&bundle.to_string()).expect("imports");
    let line = &imported.lines[0];
    assert_eq!(line.outcome, Outcome::New);
    assert_eq!(
        line.problems,
        [ImportProblem::Truncated {
            field: Field::Name,
            max_chars: crate::record::MAX_LINE_CHARS
        }]
    );
    let kept = &line
        .entry
        .as_ref()
        .and_then(|e| e.condition.as_ref())
        .expect("condition")
        .name;
    assert_eq!(kept.chars().count(), crate::record::MAX_LINE_CHARS);

    let limits = ImportLimits {
        max_bytes: 100,
        ..ImportLimits::default()
    };
    let options = ImportOptions {
        limits,
        ..import_options()
    };
    assert_eq!(
        import(&bundle.to_string(), &options, &mut ids()),
        Err(ImportError::TooLarge { max_bytes: 100 })
    );
    let limits = ImportLimits {
        max_resources: 1,
        ..ImportLimits::default()
    };
    let options = ImportOptions {
        limits,
        ..import_options()
    };
    assert_eq!(
        import(&third_party().to_string(), &options, &mut ids()),
        Err(ImportError::TooManyResources { max: 1 })
    );
}

#[test]
fn documents_with_bad_or_oversized_data_are_skipped() {
    let document = |data: &str| {
        json!({ "resourceType": "Bundle", "entry": [{ "resource": {
            "resourceType": "DocumentReference", "status": "current",
            "content": [{ "attachment": { "contentType": "image/png", "data": data } }]
        }}]})
    };
    let imported = read(&document("not base64!").to_string()).expect("imports");
    assert_eq!(imported.lines[0].problems, [ImportProblem::FileNotBase64]);

    let oversized = "A".repeat((MAX_DOCUMENT_BYTES as usize).div_ceil(3) * 4 + 4);
    let imported = read(&document(&oversized).to_string()).expect("imports");
    assert_eq!(
        imported.lines[0].problems,
        [ImportProblem::Invalid(crate::record::FieldError::new(
            Field::Size,
            Problem::TooLarge {
                max_bytes: MAX_DOCUMENT_BYTES
            }
        ))]
    );

    let imported = read(&document(&base64::encode(b"\x89PNG")).to_string()).expect("imports");
    let entry = imported.lines[0].entry.as_ref().expect("entry");
    let details = entry.document.as_ref().expect("document");
    assert_eq!(
        (details.file_name.as_str(), details.size_bytes),
        ("document.png", 4)
    );
    assert_eq!(imported.files[&entry.id], b"\x89PNG");
    assert_eq!(imported.lines[0].problems, [ImportProblem::DatedToday]);

    let svg = json!({ "resourceType": "Bundle", "entry": [{ "resource": {
        "resourceType": "DocumentReference", "status": "current",
        "content": [{ "attachment": { "contentType": "image/svg+xml", "data": base64::encode(b"<svg onload=alert(1)>"), "title": "x.svg" } }]
    }}]});
    let imported = read(&svg.to_string()).expect("imports");
    assert_eq!(imported.lines[0].outcome, Outcome::Skipped);
    assert!(imported.files.is_empty());
}

#[test]
fn entries_of_the_wrong_json_type_are_reported_not_fatal() {
    let bundle = json!({ "resourceType": "Bundle", "entry": [1, "x", null, { "resource": 5 }, { "resource": {
        "resourceType": "Observation", "status": "final", "code": { "coding": "8867-4" }
    }}, { "resource": {
        "resourceType": "Immunization", "status": "completed", "vaccineCode": { "text": "BCG" },
        "occurrenceDateTime": "2020-01-01", "protocolApplied": [{ "doseNumberPositiveInt": -1 }]
    }}]});
    let imported = read(&bundle.to_string()).expect("imports");
    let problems: Vec<&[ImportProblem]> = imported
        .lines
        .iter()
        .map(|line| &line.problems[..])
        .collect();
    assert_eq!(
        problems,
        [
            &[ImportProblem::NoResource][..],
            &[ImportProblem::NoResource],
            &[ImportProblem::NoResource],
            &[ImportProblem::NoResource],
            &[ImportProblem::Unreadable],
            &[ImportProblem::Unreadable],
        ]
    );
}

#[test]
fn the_patients_own_entries_with_equal_contents_are_all_kept() {
    let entries = record();
    let mood = entries.iter().find(|e| e.kind == Kind::Mood).expect("mood");
    let mut again = mood.clone();
    again.id = id(500);
    let text = to_json(&export(
        &[mood.clone(), again.clone()],
        &BTreeMap::new(),
        options(),
    ));
    let mut imported = read(&text).expect("imports");
    assert_eq!(imported.entries().count(), 2);
    let fingerprints = BTreeSet::from([mood.fingerprint()]);
    imported.mark_duplicates(&BTreeSet::from([mood.id.clone()]), &fingerprints);
    let kept: Vec<&Entry> = imported.entries().collect();
    assert_eq!(kept, [&again]);
}

/// `cargo xtask test` runs this with `HAVEN_FHIR_SAMPLE` set to a path, then checks the file
/// with an outside FHIR validator (`tools/validate_fhir.py`, the `fhir.resources` models).
#[test]
fn the_sample_export_is_written_for_the_outside_validator() {
    let bundle = exported();
    assert_eq!(bundle["resourceType"], "Bundle");
    if let Some(path) = std::env::var_os("HAVEN_FHIR_SAMPLE") {
        std::fs::write(path, serde_json::to_string_pretty(&bundle).unwrap()).unwrap();
    }
}
