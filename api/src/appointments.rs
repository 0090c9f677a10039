//! Appointment requests: what the widget sends (`POST /api/appointment-requests`), what the
//! patient reads back with the request's secret, and what the clinic's inbox shows and does.
//!
//! A request is made on the patient's device with its own id (a UUID) and a 128-bit secret.
//! The id is unique forever on the server, so a retry at any delay can never make a second
//! request; the secret (kept only on the device, stored hashed on the server) lets the patient
//! read the status and withdraw without an account.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::record::Entry;

/// The longest reason, notes or clinic message, in characters.
pub const MAX_TEXT_CHARS: usize = 2_000;
/// The longest name, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// At most this many preferred windows.
pub const MAX_WINDOWS: usize = 3;
/// At most this many record items attached.
pub const MAX_ATTACHMENTS: usize = 20;
/// The widest window a patient can book ahead, in days.
pub const MAX_DAYS_AHEAD: i64 = 180;

/// How the patient would like to be seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VisitType {
    /// At the clinic.
    InPerson,
    /// A phone call.
    Phone,
    /// A video call.
    Video,
}

impl VisitType {
    /// Every visit type, in the order forms list them.
    pub const ALL: [VisitType; 3] = [VisitType::InPerson, VisitType::Phone, VisitType::Video];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            VisitType::InPerson => "in_person",
            VisitType::Phone => "phone",
            VisitType::Video => "video",
        }
    }
}

/// A preferred time: a day and a span of clinic-local time on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimeWindow {
    /// `YYYY-MM-DD`, in the clinic's time zone.
    pub date: String,
    /// `HH:MM`, 24-hour clock, clinic-local.
    pub from: String,
    /// `HH:MM`, later than `from`.
    pub to: String,
}

/// A definite time the clinic offers or confirms: a day and a clinic-local time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Slot {
    /// `YYYY-MM-DD`, in the clinic's time zone.
    pub date: String,
    /// `HH:MM`, 24-hour clock, clinic-local.
    pub time: String,
}

/// The body of `POST /api/appointment-requests`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAppointmentRequest {
    /// The request's id, a lower-case UUID made on the device; unique forever.
    pub id: String,
    /// 32 lower-case hex digits (128 random bits) made on the device; needed to read the
    /// status or withdraw. The server keeps only its hash.
    pub secret: String,
    /// One of the clinic's configured reasons, or none.
    #[serde(default)]
    pub reason_id: Option<String>,
    /// The reason in the patient's words (required when no reason is chosen).
    #[serde(default)]
    pub reason_text: String,
    /// One to three preferred times, inside the clinic's opening hours.
    pub windows: Vec<TimeWindow>,
    /// How the patient would like to be seen.
    pub visit_type: VisitType,
    /// Whether the patient has not been seen at this clinic before.
    pub new_patient: bool,
    /// The patient's name.
    pub name: String,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
    /// A phone number the clinic can call: national (for the clinic's country) or
    /// international with `+`.
    pub phone: String,
    /// An email address, or empty.
    #[serde(default)]
    pub email: String,
    /// The language the patient wants to be answered in (also the language of error messages).
    pub language: Lang,
    /// The patient agrees to be contacted about this request; must be true.
    pub consent: bool,
    /// Anything else the clinic should know.
    #[serde(default)]
    pub notes: String,
    /// Items of the patient's record they chose to share.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub attachments: Vec<Entry>,
    /// Left empty by people; a form filler that fills every field is refused.
    #[serde(default)]
    pub website: String,
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// Received; no one at the clinic has acted on it yet.
    New,
    /// Staff contacted the patient.
    Contacted,
    /// The clinic offers another time; the patient may accept or decline it.
    Proposed,
    /// Booked for a time.
    Confirmed,
    /// The clinic cannot book it; see the message.
    Declined,
    /// The patient withdrew it.
    Withdrawn,
}

impl RequestStatus {
    /// Every status, in the order the inbox's filter lists them.
    pub const ALL: [RequestStatus; 6] = [
        RequestStatus::New,
        RequestStatus::Contacted,
        RequestStatus::Proposed,
        RequestStatus::Confirmed,
        RequestStatus::Declined,
        RequestStatus::Withdrawn,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::New => "new",
            RequestStatus::Contacted => "contacted",
            RequestStatus::Proposed => "proposed",
            RequestStatus::Confirmed => "confirmed",
            RequestStatus::Declined => "declined",
            RequestStatus::Withdrawn => "withdrawn",
        }
    }

    /// Back from [`RequestStatus::as_str`].
    pub fn parse(name: &str) -> Option<RequestStatus> {
        RequestStatus::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Whether the request is settled: nothing more will happen to it.
    pub fn is_final(self) -> bool {
        matches!(self, RequestStatus::Declined | RequestStatus::Withdrawn)
    }

    /// Whether the patient may still withdraw it.
    pub fn can_withdraw(self) -> bool {
        matches!(
            self,
            RequestStatus::New | RequestStatus::Contacted | RequestStatus::Proposed
        )
    }
}

/// What the patient sees of a request: the answer to the first `POST` (201, with `Location`)
/// and to `GET /api/appointment-requests/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestState {
    /// The request's id.
    pub id: String,
    /// Where it stands.
    pub status: RequestStatus,
    /// When the clinic received it, milliseconds since the epoch.
    pub received_at: i64,
    /// When its status last changed.
    pub updated_at: i64,
    /// The confirmed time, when `confirmed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed: Option<Slot>,
    /// The time the clinic suggests, when `proposed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposed: Option<Slot>,
    /// The clinic's message to the patient (with a decline or a proposal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// What the patient does to their request: `POST /api/appointment-requests/{id}/answer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PatientAction {
    /// Withdraw the request (before it is confirmed).
    Withdraw,
    /// Take the time the clinic proposed.
    AcceptProposal,
    /// Refuse the time the clinic proposed; the clinic looks again.
    DeclineProposal,
}

/// The body of `POST /api/appointment-requests/{id}/answer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PatientAnswer {
    /// What the patient does.
    pub action: PatientAction,
    /// The request's secret, when it is not sent as `Authorization: Bearer <secret>` (the
    /// outbox sends withdrawals with the secret in the body).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// One line of the clinic's inbox: `GET /api/staff/appointment-requests`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InboxItem {
    /// The request's id.
    pub id: String,
    /// Where it stands.
    pub status: RequestStatus,
    /// When it arrived.
    pub received_at: i64,
    /// When its status last changed.
    pub updated_at: i64,
    /// The configured reason's id, if one was chosen.
    pub reason_id: Option<String>,
    /// The reason's label in the clinic's first language, or the patient's words.
    pub reason: String,
    /// The patient's name.
    pub name: String,
    /// The language the patient writes in and wants to be answered in.
    pub language: Lang,
    /// How the patient would like to be seen.
    pub visit_type: VisitType,
    /// The first preferred window.
    pub first_window: Option<TimeWindow>,
    /// How many record items are attached.
    pub attachments: usize,
}

/// The inbox page: newest first, with the count of new requests for the badge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Inbox {
    /// The requests matching the filters.
    pub items: Vec<InboxItem>,
    /// How many requests are `new`, whatever the filters.
    pub new_count: u64,
    /// The clinic's response target, in hours: requests waiting longer are highlighted.
    pub response_target_hours: u32,
}

/// One change in a request's life, for the detail view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestEvent {
    /// When.
    pub at: i64,
    /// Who: a staff member's email, or `patient`.
    pub actor: String,
    /// What: `received`, `confirmed`, `proposed`, `declined`, `contacted`, `withdrawn`,
    /// `proposal_accepted`, `proposal_declined`.
    pub action: String,
    /// The time or message that went with it.
    pub detail: Option<String>,
}

/// Everything about one request: `GET /api/staff/appointment-requests/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestDetail {
    /// The line shown in the inbox.
    pub summary: InboxItem,
    /// What the patient sent (the secret and honeypot are never shown).
    pub request: NewAppointmentRequest,
    /// Where it stands now, as the patient sees it.
    pub state: RequestState,
    /// Its history, oldest first.
    pub events: Vec<RequestEvent>,
}

/// What staff do to a request: `POST /api/staff/appointment-requests/{id}/actions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum StaffAction {
    /// Book it for a time.
    Confirm {
        /// The booked time.
        slot: Slot,
        /// A note for the patient, or empty.
        #[serde(default)]
        message: String,
    },
    /// Offer another time.
    Propose {
        /// The offered time.
        slot: Slot,
        /// A note for the patient, or empty.
        #[serde(default)]
        message: String,
    },
    /// Say no, with a reason the patient reads.
    Decline {
        /// The message for the patient.
        message: String,
    },
    /// Note that the patient was contacted.
    MarkContacted,
}

/// Whether `text` is a request secret: 32 lower-case hex digits.
pub fn is_secret(text: &str) -> bool {
    text.len() == 32 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_their_names() {
        for status in RequestStatus::ALL {
            assert_eq!(RequestStatus::parse(status.as_str()), Some(status));
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
        assert!(RequestStatus::Proposed.can_withdraw());
        assert!(!RequestStatus::Confirmed.can_withdraw());
    }

    #[test]
    fn staff_actions_are_tagged_by_action() {
        let json = r#"{"action":"confirm","slot":{"date":"2026-12-08","time":"14:30"}}"#;
        let action: StaffAction = serde_json::from_str(json).unwrap();
        assert_eq!(
            action,
            StaffAction::Confirm {
                slot: Slot {
                    date: "2026-12-08".into(),
                    time: "14:30".into()
                },
                message: String::new()
            }
        );
        let contacted: StaffAction =
            serde_json::from_str(r#"{"action":"mark_contacted"}"#).unwrap();
        assert_eq!(contacted, StaffAction::MarkContacted);
    }

    #[test]
    fn a_secret_is_32_lower_case_hex_digits() {
        assert!(is_secret("0123456789abcdef0123456789abcdef"));
        assert!(!is_secret("0123456789ABCDEF0123456789abcdef"));
        assert!(!is_secret("0123"));
    }
}
