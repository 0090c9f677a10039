//! A request as FHIR R4: a `collection` Bundle with an `Appointment` (proposed while the
//! clinic works on it, booked once confirmed, cancelled when declined or withdrawn) and the
//! `Patient` it is for, for the clinic's own systems.

use haven_api::appointments::{RequestDetail, RequestStatus, Slot, TimeWindow, VisitType};
use serde_json::{Value, json};

use super::validate::{parse_date, parse_time};

/// How long a booked visit is taken to last, for the Appointment's `end`.
const VISIT_MINUTES: i64 = 30;

/// `date` at `time` in `zone`, as a FHIR `instant` with the clinic's offset.
fn instant(date: &str, time: &str, zone: &str, plus_minutes: i64) -> Option<String> {
    let date = parse_date(date)?;
    let time = parse_time(time)?;
    let zone = super::validate::time_zone(zone);
    let zoned = date
        .to_datetime(time)
        .to_zoned_datetime(zone)
        .ok()?
        .checked_add(jiff::Span::new().minutes(plus_minutes))
        .ok()?;
    Some(zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
}

fn period(window: &TimeWindow, zone: &str) -> Option<Value> {
    Some(json!({
        "start": instant(&window.date, &window.from, zone, 0)?,
        "end": instant(&window.date, &window.to, zone, 0)?,
    }))
}

fn visit_text(visit: VisitType) -> &'static str {
    match visit {
        VisitType::InPerson => "In person",
        VisitType::Phone => "Phone call",
        VisitType::Video => "Video call",
    }
}

/// The Bundle for one request; `zone` is the clinic's time zone.
pub fn bundle(detail: &RequestDetail, zone: &str) -> Value {
    let request = &detail.request;
    let state = &detail.state;
    let patient_url = format!("urn:uuid:{}", patient_id(&request.id));
    let (status, slot): (&str, Option<&Slot>) = match state.status {
        RequestStatus::Confirmed => ("booked", state.confirmed.as_ref()),
        RequestStatus::Declined | RequestStatus::Withdrawn => ("cancelled", None),
        RequestStatus::New | RequestStatus::Contacted | RequestStatus::Proposed => {
            ("proposed", None)
        }
    };
    let mut telecom = vec![json!({ "system": "phone", "value": request.phone, "use": "mobile" })];
    if !request.email.is_empty() {
        telecom.push(json!({ "system": "email", "value": request.email }));
    }
    let patient = json!({
        "resourceType": "Patient",
        "id": patient_id(&request.id),
        "name": [{ "text": request.name }],
        "birthDate": request.birth_date,
        "telecom": telecom,
        "communication": [{
            "language": {
                "coding": [{ "system": "urn:ietf:bcp:47", "code": request.language.tag() }]
            },
            "preferred": true
        }]
    });
    let mut appointment = json!({
        "resourceType": "Appointment",
        "id": request.id,
        "status": status,
        "appointmentType": { "text": visit_text(request.visit_type) },
        "reasonCode": [{ "text": detail.summary.reason }],
        "created": haven_api::date::format_instant(state.received_at).get(..10).unwrap_or_default(),
        "requestedPeriod": request
            .windows
            .iter()
            .filter_map(|window| period(window, zone))
            .collect::<Vec<_>>(),
        "participant": [{
            "actor": { "reference": patient_url, "display": request.name },
            "required": "required",
            "status": if status == "booked" { "accepted" } else { "needs-action" }
        }]
    });
    let object = appointment.as_object_mut().expect("an object");
    if let Some(slot) = slot
        && let (Some(start), Some(end)) = (
            instant(&slot.date, &slot.time, zone, 0),
            instant(&slot.date, &slot.time, zone, VISIT_MINUTES),
        )
    {
        object.insert("start".into(), json!(start));
        object.insert("end".into(), json!(end));
    }
    if !request.notes.is_empty() {
        object.insert("comment".into(), json!(request.notes));
    }
    if let Some(message) = &state.message {
        object.insert("patientInstruction".into(), json!(message));
    }
    if status == "cancelled" {
        let reason = match state.status {
            RequestStatus::Withdrawn => "Withdrawn by the patient",
            _ => "Declined by the clinic",
        };
        object.insert("cancelationReason".into(), json!({ "text": reason }));
    }
    json!({
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            { "fullUrl": format!("urn:uuid:{}", request.id), "resource": appointment },
            { "fullUrl": patient_url, "resource": patient },
        ]
    })
}

/// The Patient's id: derived from the request's, so the same request always names the same
/// Patient, and never the patient's own identifiers.
fn patient_id(request_id: &str) -> String {
    let hash = crate::db::sha256_hex(format!("patient:{request_id}").as_bytes());
    format!(
        "{}-{}-4{}-8{}-{}",
        &hash[0..8],
        &hash[8..12],
        &hash[13..16],
        &hash[17..20],
        &hash[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clinic_local_times_carry_the_clinics_offset() {
        assert_eq!(
            instant("2026-12-08", "14:30", "Asia/Ho_Chi_Minh", 0).unwrap(),
            "2026-12-08T14:30:00+07:00"
        );
        assert_eq!(
            instant("2026-12-08", "14:30", "Asia/Ho_Chi_Minh", 30).unwrap(),
            "2026-12-08T15:00:00+07:00"
        );
        assert_eq!(instant("2026-02-30", "14:30", "UTC", 0), None);
    }
}
