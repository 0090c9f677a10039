//! What the patient types, what is sent, and what stays on the device.
//!
//! - [`Draft`]: the form as typed, saved to IndexedDB (`drafts` store, row
//!   [`DRAFT_ID`]) on every change and restored after a reload or a crash; cleared only once
//!   the request is safely in the outbox.
//! - [`payload`]: the body of `POST /api/appointment-requests`, from a draft and the chosen
//!   record items. It is written through [`Outgoing`], a borrowed copy of
//!   [`NewAppointmentRequest`](haven_api::appointments::NewAppointmentRequest) without its attachments, so the section's chunk does not carry
//!   the record's serialisation code (the attachments arrive as JSON from the picker's own
//!   chunk); a test checks that the two agree.
//! - [`Keep`]: what the outbox keeps once the payload is delivered and dropped: the id, the
//!   secret and a one-line summary (reason, first window, visit type), no other health data.
//! - The last known [`RequestState`] of every request, so the status shows offline: one row
//!   ([`STATES_ID`]) in the `drafts` store, rewritten when a status is fetched. The `drafts`
//!   store rather than `settings`, because a clinic's message is the patient's, not a setting.

use haven_api::appointments::{RequestState, TimeWindow, VisitType};
use haven_api::lang::Lang;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use crate::store::schema::stores::DRAFTS;
use crate::store::{self, StoreError};

/// The outbox item kind of an appointment request.
pub const KIND: &str = "appointment_request";
/// The outbox item kind of the withdrawal that replaces a request cancelled after it may have
/// reached the clinic (the outbox names it after the request's kind).
pub const KIND_UNDO: &str = "appointment_request_undo";
/// Where requests are sent.
pub const ENDPOINT: &str = "/api/appointment-requests";
/// The draft's `reason_id` when the patient chose "something else" (no configured reason).
pub const OTHER_REASON: &str = "_other";
/// The `drafts` row of the form being typed.
pub const DRAFT_ID: &str = "appointment_request";
/// The `drafts` row of the last known status of every request.
pub const STATES_ID: &str = "appointment_states";
/// The longest reason kept in a request's summary, in characters.
const SUMMARY_CHARS: usize = 80;

/// The form as the patient typed it. Every field is kept as typed (a validation error never
/// clears one), so a reload or a language switch loses nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// The chosen configured reason's id, [`OTHER_REASON`], or empty until one is chosen.
    #[serde(default)]
    pub reason_id: String,
    /// The reason in the patient's words.
    #[serde(default)]
    pub reason_text: String,
    /// One to three preferred windows, as typed (`YYYY-MM-DD`, `HH:MM`, or empty).
    pub windows: Vec<TimeWindow>,
    /// How the patient would like to be seen.
    pub visit_type: VisitType,
    /// New (`true`) or returning (`false`) patient; `None` until chosen.
    #[serde(default)]
    pub new_patient: Option<bool>,
    /// The patient's name.
    #[serde(default)]
    pub name: String,
    /// `YYYY-MM-DD`, or empty.
    #[serde(default)]
    pub birth_date: String,
    /// The phone number as typed.
    #[serde(default)]
    pub phone: String,
    /// The email address as typed, or empty.
    #[serde(default)]
    pub email: String,
    /// The language the patient wants to be answered in.
    pub language: Lang,
    /// Agreement to be contacted about the request.
    #[serde(default)]
    pub consent: bool,
    /// Anything else the clinic should know.
    #[serde(default)]
    pub notes: String,
    /// The ids of the record items chosen to send.
    #[serde(default)]
    pub attachments: Vec<String>,
    /// The honeypot: people leave it empty.
    #[serde(default)]
    pub website: String,
}

impl Draft {
    /// An empty form with one empty window, answered in `language`.
    pub fn new(language: Lang) -> Draft {
        Draft {
            reason_id: String::new(),
            reason_text: String::new(),
            windows: vec![empty_window()],
            visit_type: VisitType::InPerson,
            new_patient: None,
            name: String::new(),
            birth_date: String::new(),
            phone: String::new(),
            email: String::new(),
            language,
            consent: false,
            notes: String::new(),
            attachments: Vec::new(),
            website: String::new(),
        }
    }

    /// Whether nothing has been typed or chosen (the defaults do not count): such a draft is
    /// not worth keeping.
    pub fn is_blank(&self) -> bool {
        let texts = [
            &self.reason_id,
            &self.reason_text,
            &self.name,
            &self.birth_date,
            &self.phone,
            &self.email,
            &self.notes,
        ];
        texts.iter().all(|text| text.trim().is_empty())
            && self
                .windows
                .iter()
                .all(|w| w.date.is_empty() && w.from.is_empty() && w.to.is_empty())
            && self.new_patient.is_none()
            && !self.consent
            && self.attachments.is_empty()
    }
}

/// The configured reason a draft's `reason_id` names, if it names one.
pub fn configured(reason_id: &str) -> Option<&str> {
    Some(reason_id).filter(|id| !id.is_empty() && *id != OTHER_REASON)
}

/// A window with nothing typed yet.
pub fn empty_window() -> TimeWindow {
    TimeWindow {
        date: String::new(),
        from: String::new(),
        to: String::new(),
    }
}

/// The body of `POST /api/appointment-requests` without its attachments: the same fields and
/// names as [`NewAppointmentRequest`](haven_api::appointments::NewAppointmentRequest), borrowed from a [`Draft`] and trimmed.
#[derive(Debug, Serialize)]
pub struct Outgoing<'a> {
    id: &'a str,
    secret: &'a str,
    reason_id: Option<&'a str>,
    reason_text: &'a str,
    windows: &'a [TimeWindow],
    visit_type: VisitType,
    new_patient: bool,
    name: &'a str,
    birth_date: &'a str,
    phone: &'a str,
    email: &'a str,
    language: Lang,
    consent: bool,
    notes: &'a str,
    website: &'a str,
}

impl<'a> Outgoing<'a> {
    /// The request made of `draft` with its `id` and `secret` (a checked draft: the new or
    /// returning question is answered).
    pub fn new(draft: &'a Draft, id: &'a str, secret: &'a str) -> Outgoing<'a> {
        Outgoing {
            id,
            secret,
            reason_id: configured(&draft.reason_id),
            reason_text: draft.reason_text.trim(),
            windows: &draft.windows,
            visit_type: draft.visit_type,
            new_patient: draft.new_patient.unwrap_or(false),
            name: draft.name.trim(),
            birth_date: draft.birth_date.trim(),
            phone: draft.phone.trim(),
            email: draft.email.trim(),
            language: draft.language,
            consent: draft.consent,
            notes: draft.notes.trim(),
            website: &draft.website,
        }
    }
}

/// The JSON body for `draft`, with `attachments` (a JSON array of record entries, from the
/// picker's chunk) added.
pub fn payload(
    draft: &Draft,
    id: &str,
    secret: &str,
    attachments: &JsValue,
) -> Result<String, crate::api::ApiClientError> {
    use serde::Serialize as _;
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let body = Outgoing::new(draft, id, secret)
        .serialize(&serializer)
        .map_err(|e| crate::api::ApiClientError::Decode(e.to_string()))?;
    let _ = js_sys::Reflect::set(&body, &JsValue::from_str("attachments"), attachments);
    js_sys::JSON::stringify(&body)
        .map(String::from)
        .map_err(|_| crate::api::ApiClientError::Decode("payload".into()))
}

/// A sent body read back (a request the server refused, to fix and send again): the typed
/// values, and only the ids of the attached items (they are read again from the record).
#[derive(Debug, Clone, Deserialize)]
pub struct Incoming {
    #[serde(default)]
    reason_id: Option<String>,
    #[serde(default)]
    reason_text: String,
    #[serde(default)]
    windows: Vec<TimeWindow>,
    visit_type: VisitType,
    new_patient: bool,
    #[serde(default)]
    name: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    language: Lang,
    #[serde(default)]
    consent: bool,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    attachments: Vec<IdOnly>,
}

/// An attached entry, of which only the id is read.
#[derive(Debug, Clone, Deserialize)]
struct IdOnly {
    id: String,
}

impl From<Incoming> for Draft {
    fn from(sent: Incoming) -> Draft {
        let mut windows = sent.windows;
        if windows.is_empty() {
            windows.push(empty_window());
        }
        Draft {
            reason_id: sent.reason_id.unwrap_or_else(|| OTHER_REASON.to_owned()),
            reason_text: sent.reason_text,
            windows,
            visit_type: sent.visit_type,
            new_patient: Some(sent.new_patient),
            name: sent.name,
            birth_date: sent.birth_date,
            phone: sent.phone,
            email: sent.email,
            language: sent.language,
            consent: sent.consent,
            notes: sent.notes,
            attachments: sent.attachments.into_iter().map(|a| a.id).collect(),
            website: String::new(),
        }
    }
}

/// What the device keeps of a request once the server has it: its id and secret (to read
/// the status and answer) and a one-line summary. No other health data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Keep {
    /// The request's id.
    pub id: String,
    /// The request's secret.
    pub secret: String,
    /// The configured reason's id, if one was chosen.
    #[serde(default)]
    pub reason_id: Option<String>,
    /// The patient's own words for the reason, cut to one short line, when no configured
    /// reason was chosen.
    #[serde(default)]
    pub reason: String,
    /// The first preferred window.
    #[serde(default)]
    pub window: Option<TimeWindow>,
    /// How the patient asked to be seen.
    pub visit_type: VisitType,
}

impl Keep {
    /// The summary of `draft`, sent as request `id` with `secret`.
    pub fn of(draft: &Draft, id: &str, secret: &str) -> Keep {
        let reason_id = configured(&draft.reason_id).map(str::to_owned);
        let reason = if reason_id.is_some() {
            String::new()
        } else {
            one_line(&draft.reason_text, SUMMARY_CHARS)
        };
        Keep {
            id: id.to_owned(),
            secret: secret.to_owned(),
            reason_id,
            reason,
            window: draft.windows.first().cloned(),
            visit_type: draft.visit_type,
        }
    }
}

/// `text` on one line, cut to `max` characters with an ellipsis.
pub fn one_line(text: &str, max: usize) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= max {
        return line;
    }
    let mut cut: String = line.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// The newer of two known states of one request (the server's first answer, kept in the
/// outbox, and the last one fetched); on a tie the fetched one.
pub fn latest(answer: Option<RequestState>, fetched: Option<RequestState>) -> Option<RequestState> {
    match (answer, fetched) {
        (Some(answer), Some(fetched)) if answer.updated_at > fetched.updated_at => Some(answer),
        (answer, fetched) => fetched.or(answer),
    }
}

/// JSON text (an outbox field) read as `T`, through the browser's `JSON.parse`.
pub fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    let value = js_sys::JSON::parse(text).ok()?;
    serde_wasm_bindgen::from_value(value).ok()
}

/// A `drafts` row: the form being typed, and the rejected request it replaces, if any.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DraftRow {
    id: String,
    /// The form.
    pub draft: Draft,
    /// The outbox id of a refused request this draft fixes; removed once this one is sent.
    #[serde(default)]
    pub replaces: Option<String>,
}

/// The `drafts` row of last known states.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct StatesRow {
    id: String,
    states: Vec<RequestState>,
}

/// The saved draft, if any.
pub async fn load_draft() -> Result<Option<DraftRow>, StoreError> {
    let db = store::db().await?;
    let tx = db.transaction(DRAFTS).build()?;
    Ok(tx.object_store(DRAFTS)?.get(DRAFT_ID).serde()?.await?)
}

/// Saves the draft (or forgets it, when blank).
pub async fn save_draft(draft: Draft, replaces: Option<String>) -> Result<(), StoreError> {
    if draft.is_blank() && replaces.is_none() {
        return clear_draft().await;
    }
    let row = DraftRow {
        id: DRAFT_ID.to_owned(),
        draft,
        replaces,
    };
    let db = store::db().await?;
    let tx = db
        .transaction(DRAFTS)
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    tx.object_store(DRAFTS)?.put(&row).serde()?.await?;
    tx.commit().await?;
    Ok(())
}

/// Forgets the draft: the request is safely in the outbox.
pub async fn clear_draft() -> Result<(), StoreError> {
    let db = store::db().await?;
    let tx = store::strict_write(&db, &[DRAFTS])?;
    tx.object_store(DRAFTS)?.delete(DRAFT_ID).await?;
    tx.commit().await?;
    Ok(())
}

/// The last known state of every request, as last fetched.
pub async fn load_states() -> Result<Vec<RequestState>, StoreError> {
    let db = store::db().await?;
    let tx = db.transaction(DRAFTS).build()?;
    let row: Option<StatesRow> = tx.object_store(DRAFTS)?.get(STATES_ID).serde()?.await?;
    Ok(row.map(|row| row.states).unwrap_or_default())
}

/// Stores the last known states, keeping only those of requests in `alive` (still in the
/// outbox).
pub async fn save_states(
    mut states: Vec<RequestState>,
    alive: &[String],
) -> Result<(), StoreError> {
    states.retain(|state| alive.contains(&state.id));
    let row = StatesRow {
        id: STATES_ID.to_owned(),
        states,
    };
    let db = store::db().await?;
    let tx = db
        .transaction(DRAFTS)
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    tx.object_store(DRAFTS)?.put(&row).serde()?.await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use haven_api::appointments::{NewAppointmentRequest, RequestStatus};

    use super::*;

    fn filled() -> Draft {
        Draft {
            reason_id: "checkup".into(),
            reason_text: "  Yearly check\nplease ".into(),
            windows: vec![TimeWindow {
                date: "2026-12-08".into(),
                from: "09:00".into(),
                to: "11:00".into(),
            }],
            visit_type: VisitType::Phone,
            new_patient: Some(true),
            name: " Lan Nguyen ".into(),
            birth_date: "1980-02-29".into(),
            phone: "090 123 4567".into(),
            email: String::new(),
            language: Lang::Vi,
            consent: true,
            notes: "Mornings are best".into(),
            attachments: vec!["a".into()],
            website: String::new(),
        }
    }

    #[test]
    fn the_outgoing_body_is_what_the_server_reads_as_a_new_request() {
        let draft = filled();
        let secret = "0123456789abcdef0123456789abcdef";
        let mut json = serde_json::to_value(Outgoing::new(&draft, "id-1", secret)).unwrap();
        json["attachments"] = serde_json::json!([]);
        let request: NewAppointmentRequest = serde_json::from_value(json).unwrap();
        assert_eq!(request.id, "id-1");
        assert_eq!(request.secret, secret);
        assert_eq!(request.reason_id.as_deref(), Some("checkup"));
        assert_eq!(request.reason_text, "Yearly check\nplease");
        assert_eq!(request.windows, draft.windows);
        assert_eq!(request.visit_type, VisitType::Phone);
        assert!(request.new_patient && request.consent);
        assert_eq!(request.name, "Lan Nguyen");
        assert_eq!(request.language, Lang::Vi);
        assert!(request.attachments.is_empty() && request.website.is_empty());
    }

    #[test]
    fn something_else_is_sent_as_no_reason() {
        for reason_id in ["", OTHER_REASON] {
            let draft = Draft {
                reason_id: reason_id.into(),
                ..filled()
            };
            let json = serde_json::to_value(Outgoing::new(&draft, "id", "s")).unwrap();
            assert!(json["reason_id"].is_null());
            assert_eq!(Keep::of(&draft, "id", "s").reason_id, None);
        }
    }

    #[test]
    fn a_refused_body_comes_back_as_the_typed_form_with_the_attached_ids() {
        let draft = filled();
        let mut json = serde_json::to_value(Outgoing::new(&draft, "id", "s")).unwrap();
        json["attachments"] =
            serde_json::json!([{ "id": "a", "kind": "condition", "date": "2025-01-01" }]);
        let back: Draft = serde_json::from_value::<Incoming>(json).unwrap().into();
        assert_eq!(
            back,
            Draft {
                reason_text: "Yearly check\nplease".into(),
                name: "Lan Nguyen".into(),
                ..draft
            }
        );
    }

    #[test]
    fn the_summary_keeps_the_reason_first_window_and_visit_type_only() {
        let keep = Keep::of(&filled(), "id", "secret");
        assert_eq!(keep.reason_id.as_deref(), Some("checkup"));
        assert_eq!(keep.reason, "", "a configured reason needs no words");
        assert_eq!(keep.window.unwrap().date, "2026-12-08");
        let own_words = Draft {
            reason_id: String::new(),
            reason_text: "a ".repeat(100),
            ..filled()
        };
        let keep = Keep::of(&own_words, "id", "secret");
        assert_eq!(keep.reason.chars().count(), SUMMARY_CHARS);
        assert!(keep.reason.ends_with('…'));
        let json = serde_json::to_string(&keep).unwrap();
        for private in ["Lan", "090", "1980", "Mornings"] {
            assert!(!json.contains(private), "{json}");
        }
    }

    #[test]
    fn a_blank_form_is_one_with_only_defaults() {
        assert!(Draft::new(Lang::En).is_blank());
        assert!(!filled().is_blank());
        let mut one_field = Draft::new(Lang::En);
        one_field.windows[0].from = "09:00".into();
        assert!(!one_field.is_blank());
    }

    #[test]
    fn the_newer_state_wins_and_a_fetched_one_on_a_tie() {
        let state = |status, updated_at| RequestState {
            id: "id".into(),
            status,
            received_at: 1,
            updated_at,
            confirmed: None,
            proposed: None,
            message: None,
        };
        let answer = state(RequestStatus::New, 5);
        let fetched = state(RequestStatus::Contacted, 5);
        assert_eq!(
            latest(Some(answer.clone()), Some(fetched.clone())),
            Some(fetched.clone())
        );
        let newer = state(RequestStatus::Withdrawn, 9);
        assert_eq!(latest(Some(newer.clone()), Some(fetched)), Some(newer));
        assert_eq!(latest(Some(answer.clone()), None), Some(answer));
        assert_eq!(latest(None, None), None);
    }
}
