//! The appointment tables: requests, their history, and the conditional updates that move a
//! request from one status to the next.

use axum::http::StatusCode;
use haven_api::appointments::{
    InboxItem, NewAppointmentRequest, RequestDetail, RequestEvent, RequestState, RequestStatus,
    Slot, VisitType,
};
use haven_api::config::pick;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, Row};

use super::InboxQuery;
use super::validate::{self, parse_date};
use crate::audit::{self, Action, Actor};
use crate::config::Config;
use crate::db;
use crate::error::AppError;
use crate::idempotency::{Answer, Claim};

/// The reason as the inbox lists it: the configured label in the clinic's first language, or
/// the start of the patient's words.
pub fn reason_label(config: &Config, request: &NewAppointmentRequest) -> String {
    let lang = config
        .clinic
        .languages
        .first()
        .copied()
        .unwrap_or(haven_api::lang::Lang::En);
    match request
        .reason_id
        .as_ref()
        .and_then(|id| config.appointment_reasons.iter().find(|r| &r.id == id))
    {
        Some(reason) => pick(&reason.label, lang).to_owned(),
        None => request.reason_text.chars().take(120).collect(),
    }
}

/// A checked request about to be stored.
#[derive(Debug)]
pub struct Intake<'a> {
    /// The request as stored (no secret).
    pub request: &'a NewAppointmentRequest,
    /// The hash of the secret.
    pub secret_hash: String,
    /// The hash of the body exactly as sent.
    pub body_hash: String,
    /// The inbox's reason label.
    pub reason: String,
    /// Now.
    pub now: i64,
    /// Whether to queue a webhook notification.
    pub notify: bool,
}

/// What [`insert`] came to.
#[derive(Debug)]
pub enum Inserted {
    /// Stored now; the body of the 201 answer.
    New(String),
    /// Stored before, with the same body: its current state.
    Again(RequestState),
    /// The id belongs to another request.
    Different,
}

const INSERT: &str = "INSERT INTO appointment_requests (id, secret_hash, body_hash, status, \
    reason_id, reason, name, visit_type, language, first_date, request_json, attachment_count, \
    received_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";

/// What is already stored under `id`: `None` when nothing (or only a withdrawal that came
/// first, which the request then fills in), else the same request or another one. Checked
/// before validation, so a copy that arrives after its preferred days have passed still
/// meets its stored request.
pub async fn lookup(
    pool: &AnyPool,
    id: &str,
    body_hash: &str,
) -> Result<Option<Inserted>, AppError> {
    let row = sqlx::query("SELECT body_hash FROM appointment_requests WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let stored: String = row.try_get("body_hash")?;
    if stored.is_empty() {
        return Ok(None);
    }
    if stored != body_hash {
        return Ok(Some(Inserted::Different));
    }
    let state = state(pool, id)
        .await?
        .ok_or_else(|| AppError::internal("an appointment request vanished while being read"))?;
    Ok(Some(Inserted::Again(state)))
}

/// The 201 answer's body, written as the key's stored answer in the same transaction.
async fn complete(
    connection: &mut AnyConnection,
    claim: Option<&Claim>,
    state: &RequestState,
    location: &str,
) -> Result<String, AppError> {
    let body = serde_json::to_string(state).map_err(AppError::internal)?;
    if let Some(claim) = claim {
        claim
            .complete_in(
                connection,
                Answer {
                    status: StatusCode::CREATED,
                    body: &body,
                    content_type: Some("application/json"),
                    location: Some(location),
                },
            )
            .await?;
    }
    Ok(body)
}

/// The id is taken: the same request again, a withdrawal that came first (the request is
/// then stored, as withdrawn), or another request.
pub async fn again(
    pool: &AnyPool,
    intake: &Intake<'_>,
    claim: Option<&Claim>,
    location: &str,
) -> Result<Inserted, AppError> {
    let json = serde_json::to_string(intake.request).map_err(AppError::internal)?;
    let json = json.as_str();
    let first_date = intake.request.windows.first().map(|w| w.date.clone());
    let id = &intake.request.id;
    let row = sqlx::query("SELECT secret_hash, body_hash FROM appointment_requests WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await?;
    let secret_hash: String = row.try_get("secret_hash")?;
    let body_hash: String = row.try_get("body_hash")?;
    if body_hash == intake.body_hash {
        let state = state(pool, id).await?.ok_or_else(|| {
            AppError::internal("an appointment request vanished while being read")
        })?;
        return Ok(Inserted::Again(state));
    }
    if !(body_hash.is_empty() && secret_hash == intake.secret_hash) {
        return Ok(Inserted::Different);
    }
    // The patient withdrew this request before it arrived: keep it, as withdrawn.
    let request = intake.request;
    let mut tx = db::begin_write(pool).await?;
    let filled = sqlx::query(
        "UPDATE appointment_requests SET body_hash = $1, reason_id = $2, reason = $3, name = $4, \
         visit_type = $5, language = $6, first_date = $7, request_json = $8, \
         attachment_count = $9 WHERE id = $10 AND body_hash = ''",
    )
    .bind(&intake.body_hash)
    .bind(request.reason_id.clone())
    .bind(&intake.reason)
    .bind(&request.name)
    .bind(request.visit_type.as_str())
    .bind(request.language.tag())
    .bind(first_date)
    .bind(json)
    .bind(request.attachments.len() as i64)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if filled.rows_affected() == 0 {
        // Filled in by a concurrent copy a moment ago.
        tx.rollback().await?;
        return Box::pin(again(pool, intake, claim, location)).await;
    }
    event(&mut tx, id, intake.now, "patient", "received", None).await?;
    let state = state_in(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::internal("an appointment request vanished while being read"))?;
    let body = complete(&mut tx, claim, &state, location).await?;
    tx.commit().await?;
    Ok(Inserted::New(body))
}

async fn event(
    connection: &mut AnyConnection,
    request_id: &str,
    at: i64,
    actor: &str,
    action: &str,
    detail: Option<String>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO appointment_events (id, request_id, at, actor, action, detail) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(db::new_id())
    .bind(request_id)
    .bind(at)
    .bind(actor)
    .bind(action)
    .bind(detail)
    .execute(connection)
    .await?;
    Ok(())
}

const STATE_COLUMNS: &str = "id, status, received_at, updated_at, confirmed_date, \
    confirmed_time, proposed_date, proposed_time, message";

fn slot(row: &AnyRow, date: &str, time: &str) -> Result<Option<Slot>, sqlx::Error> {
    let date: Option<String> = row.try_get(date)?;
    let time: Option<String> = row.try_get(time)?;
    Ok(date.zip(time).map(|(date, time)| Slot { date, time }))
}

fn status_of(row: &AnyRow) -> Result<RequestStatus, sqlx::Error> {
    let name: String = row.try_get("status")?;
    RequestStatus::parse(&name)
        .ok_or_else(|| sqlx::Error::Decode(format!("unknown request status {name:?}").into()))
}

fn state_from(row: &AnyRow) -> Result<RequestState, sqlx::Error> {
    Ok(RequestState {
        id: row.try_get("id")?,
        status: status_of(row)?,
        received_at: row.try_get("received_at")?,
        updated_at: row.try_get("updated_at")?,
        confirmed: slot(row, "confirmed_date", "confirmed_time")?,
        proposed: slot(row, "proposed_date", "proposed_time")?,
        message: row.try_get("message")?,
    })
}

async fn state(pool: &AnyPool, id: &str) -> Result<Option<RequestState>, sqlx::Error> {
    let mut connection = pool.acquire().await?;
    state_in(&mut connection, id).await
}

async fn state_in(
    connection: &mut AnyConnection,
    id: &str,
) -> Result<Option<RequestState>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {STATE_COLUMNS} FROM appointment_requests WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(connection)
    .await?
    .map(|row| state_from(&row))
    .transpose()
}

/// The state of a request, if `secret` is its secret.
pub async fn state_by_secret(
    pool: &AnyPool,
    id: &str,
    secret: &str,
) -> Result<Option<RequestState>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {STATE_COLUMNS}, secret_hash FROM appointment_requests WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let stored: String = row.try_get("secret_hash")?;
    if !same(&stored, &db::sha256_hex(secret.as_bytes())) {
        return Ok(None);
    }
    state_from(&row).map(Some)
}

/// Compares two hashes in time independent of where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A change of status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The patient withdraws.
    Withdraw,
    /// The patient takes the proposed time.
    AcceptProposal,
    /// The patient refuses the proposed time.
    DeclineProposal,
    /// Staff book a time, with an optional note.
    Confirm(Slot, Option<String>),
    /// Staff offer a time, with an optional note.
    Propose(Slot, Option<String>),
    /// Staff decline, with a message.
    Decline(String),
    /// Staff contacted the patient.
    Contacted,
}

/// What a change came to.
#[derive(Debug)]
pub enum Changed {
    /// Done (or already done): the state now.
    Done(RequestState),
    /// No such request (or, for the patient, not with this secret).
    NotFound,
    /// Not possible in the current state.
    NotNow(RequestState),
}

/// The fields a change writes.
struct Update {
    status: RequestStatus,
    confirmed: Option<Slot>,
    proposed: Option<Slot>,
    message: Option<String>,
    action: &'static str,
    detail: Option<String>,
}

fn describe(slot: &Slot, message: &Option<String>) -> String {
    match message {
        Some(message) => format!("{} {} — {message}", slot.date, slot.time),
        None => format!("{} {}", slot.date, slot.time),
    }
}

/// What `change` does to a request in `current`: `Ok(None)` when it is already done.
fn plan(current: &RequestState, change: &Change) -> Result<Option<Update>, ()> {
    use RequestStatus::*;
    let open = matches!(current.status, New | Contacted | Proposed);
    let keep = |action, detail| Update {
        status: current.status,
        confirmed: current.confirmed.clone(),
        proposed: current.proposed.clone(),
        message: current.message.clone(),
        action,
        detail,
    };
    let update = match change {
        Change::Withdraw if current.status == Withdrawn => return Ok(None),
        Change::Withdraw if open => Update {
            status: Withdrawn,
            action: "withdrawn",
            detail: None,
            ..keep("", None)
        },
        Change::AcceptProposal if current.status == Confirmed && current.confirmed.is_some() => {
            return Ok(None);
        }
        Change::AcceptProposal if current.status == Proposed => Update {
            status: Confirmed,
            confirmed: current.proposed.clone(),
            proposed: None,
            action: "proposal_accepted",
            detail: current.proposed.as_ref().map(|s| describe(s, &None)),
            ..keep("", None)
        },
        Change::DeclineProposal if current.status == Proposed => Update {
            status: New,
            proposed: None,
            action: "proposal_declined",
            detail: current.proposed.as_ref().map(|s| describe(s, &None)),
            ..keep("", None)
        },
        Change::Confirm(slot, message) if open => Update {
            status: Confirmed,
            confirmed: Some(slot.clone()),
            proposed: None,
            message: message.clone(),
            action: "confirmed",
            detail: Some(describe(slot, message)),
        },
        Change::Propose(slot, message) if open => Update {
            status: Proposed,
            confirmed: None,
            proposed: Some(slot.clone()),
            message: message.clone(),
            action: "proposed",
            detail: Some(describe(slot, message)),
        },
        Change::Decline(message) if open || current.status == Confirmed => Update {
            status: Declined,
            confirmed: None,
            proposed: None,
            message: Some(message.clone()),
            action: "declined",
            detail: Some(message.clone()),
        },
        Change::Contacted if current.status == New => Update {
            status: Contacted,
            ..keep("contacted", None)
        },
        Change::Contacted if open => keep("contacted", None),
        _ => return Err(()),
    };
    Ok(Some(update))
}

/// Applies `change` if the request is still in the state it was read in; `None` if another
/// change came first (the caller reads again).
async fn apply(
    pool: &AnyPool,
    id: &str,
    change: &Change,
    actor: &str,
    audit_entry: Option<(&Actor, Action)>,
    now: i64,
) -> Result<Option<Changed>, AppError> {
    let mut tx = db::begin_write(pool).await?;
    let Some(current) = state_in(&mut tx, id).await? else {
        return Ok(Some(Changed::NotFound));
    };
    let update = match plan(&current, change) {
        Ok(Some(update)) => update,
        Ok(None) => return Ok(Some(Changed::Done(current))),
        Err(()) => return Ok(Some(Changed::NotNow(current))),
    };
    let settled = update.status.is_final().then_some(now);
    let (confirmed_date, confirmed_time) = split(&update.confirmed);
    let (proposed_date, proposed_time) = split(&update.proposed);
    let done = sqlx::query(
        "UPDATE appointment_requests SET status = $1, confirmed_date = $2, confirmed_time = $3, \
         proposed_date = $4, proposed_time = $5, message = $6, updated_at = $7, \
         settled_at = $8 WHERE id = $9 AND status = $10 AND updated_at = $11",
    )
    .bind(update.status.as_str())
    .bind(confirmed_date)
    .bind(confirmed_time)
    .bind(proposed_date)
    .bind(proposed_time)
    .bind(update.message.clone())
    .bind(now)
    .bind(settled)
    .bind(id)
    .bind(current.status.as_str())
    .bind(current.updated_at)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        tx.rollback().await?;
        return Ok(None);
    }
    event(
        &mut tx,
        id,
        now,
        actor,
        update.action,
        update.detail.clone(),
    )
    .await?;
    if let Some((who, action)) = audit_entry {
        audit::record_at(
            &mut *tx,
            now,
            who,
            action,
            Some(id),
            update.detail.as_deref(),
        )
        .await?;
    }
    let state = state_in(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::internal("an appointment request vanished while changing"))?;
    tx.commit().await?;
    Ok(Some(Changed::Done(state)))
}

fn split(slot: &Option<Slot>) -> (Option<String>, Option<String>) {
    slot.as_ref()
        .map(|s| (Some(s.date.clone()), Some(s.time.clone())))
        .unwrap_or_default()
}

async fn apply_until_settled(
    pool: &AnyPool,
    id: &str,
    change: &Change,
    actor: &str,
    audit_entry: Option<(&Actor, Action)>,
    now: i64,
) -> Result<Changed, AppError> {
    // Each round loses only to a change that committed in between; a few rounds always do.
    for _ in 0..8 {
        if let Some(changed) = apply(pool, id, change, actor, audit_entry, now).await? {
            return Ok(changed);
        }
    }
    Err(AppError::conflict(
        "the request is being changed by someone else right now; try again",
    ))
}

/// The patient's change, checked against the secret. A withdrawal of a request that has not
/// arrived yet is recorded, so the request is stored as withdrawn when it comes.
pub async fn patient_change(
    pool: &AnyPool,
    id: &str,
    secret: &str,
    change: Change,
    now: i64,
) -> Result<Changed, AppError> {
    let secret_hash = db::sha256_hex(secret.as_bytes());
    let row = sqlx::query("SELECT secret_hash FROM appointment_requests WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await?;
    match row {
        Some(row) => {
            let stored: String = row.try_get("secret_hash")?;
            if !same(&stored, &secret_hash) {
                return Ok(Changed::NotFound);
            }
        }
        None if change == Change::Withdraw => {
            let placed = sqlx::query(INSERT)
                .bind(id)
                .bind(&secret_hash)
                .bind("")
                .bind(RequestStatus::Withdrawn.as_str())
                .bind(None::<String>)
                .bind("")
                .bind("")
                .bind(VisitType::InPerson.as_str())
                .bind("en")
                .bind(None::<String>)
                .bind("{}")
                .bind(0_i64)
                .bind(now)
                .bind(now)
                .execute(pool)
                .await;
            match placed {
                Ok(_) => {
                    let mut connection = pool.acquire().await?;
                    event(&mut connection, id, now, "patient", "withdrawn", None).await?;
                    let state = state_in(&mut connection, id).await?.ok_or_else(|| {
                        AppError::internal("a withdrawal vanished while being read")
                    })?;
                    return Ok(Changed::Done(state));
                }
                // The request arrived meanwhile: withdraw it the ordinary way.
                Err(error) if db::is_unique_violation(&error) => {
                    return Box::pin(patient_change(pool, id, secret, change, now)).await;
                }
                Err(error) => return Err(error.into()),
            }
        }
        None => return Ok(Changed::NotFound),
    }
    apply_until_settled(pool, id, &change, "patient", None, now).await
}

/// A staff member's change, written to the request's history and the audit log.
pub async fn staff_change(
    pool: &AnyPool,
    id: &str,
    change: Change,
    actor: &Actor,
    action: Action,
    now: i64,
) -> Result<Changed, AppError> {
    let who = actor.email.clone().unwrap_or_else(|| "staff".to_owned());
    apply_until_settled(pool, id, &change, &who, Some((actor, action)), now).await
}

/// The inbox's filters, checked.
#[derive(Debug, Default)]
pub struct Filter {
    status: Option<RequestStatus>,
    reason: Option<String>,
    from_ms: Option<i64>,
    until_ms: Option<i64>,
}

impl Filter {
    /// Reads the query; days are the clinic's (`zone`).
    pub fn parse(query: &InboxQuery, zone: &str) -> Result<Filter, AppError> {
        let status = match query.status.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(name) => Some(RequestStatus::parse(name).ok_or_else(|| {
                AppError::bad_request(format!("{name:?} is not a request status"))
                    .with_field("status", "not a request status")
            })?),
        };
        let day =
            |name: &str, text: &Option<String>, next: bool| -> Result<Option<i64>, AppError> {
                let Some(text) = text.as_deref().filter(|t| !t.is_empty()) else {
                    return Ok(None);
                };
                let date = parse_date(text).ok_or_else(|| {
                    AppError::bad_request(format!("{name} must be a date such as 2026-12-08"))
                        .with_field(name, "not a date (YYYY-MM-DD)")
                })?;
                let date = if next {
                    date.tomorrow().unwrap_or(date)
                } else {
                    date
                };
                let zone = validate::time_zone(zone);
                Ok(date
                    .to_zoned_datetime(zone)
                    .ok()
                    .map(|start| start.timestamp().as_millisecond()))
            };
        Ok(Filter {
            status,
            reason: query.reason.clone().filter(|r| !r.is_empty()),
            from_ms: day("from", &query.from, false)?,
            until_ms: day("to", &query.to, true)?,
        })
    }
}

/// The columns a request is read with: its state, its inbox line and what the patient sent.
const REQUEST_COLUMNS: &str = "id, status, received_at, updated_at, confirmed_date, \
    confirmed_time, proposed_date, proposed_time, message, reason_id, reason, name, \
    visit_type, language, request_json, attachment_count";

/// The rows of the requests matching `filter`: new ones first, then newest first; at most 500.
async fn filtered(pool: &AnyPool, filter: &Filter) -> Result<Vec<AnyRow>, sqlx::Error> {
    let mut sql = format!(
        "SELECT {REQUEST_COLUMNS} FROM appointment_requests \
         WHERE body_hash <> '' AND purged_at IS NULL"
    );
    let mut texts = Vec::new();
    let mut numbers = Vec::new();
    let mut next = 1;
    if let Some(status) = filter.status {
        sql.push_str(&format!(" AND status = ${next}"));
        texts.push(status.as_str().to_owned());
        next += 1;
    }
    if let Some(reason) = &filter.reason {
        sql.push_str(&format!(" AND reason_id = ${next}"));
        texts.push(reason.clone());
        next += 1;
    }
    if let Some(from) = filter.from_ms {
        sql.push_str(&format!(" AND received_at >= ${next}"));
        numbers.push(from);
        next += 1;
    }
    if let Some(until) = filter.until_ms {
        sql.push_str(&format!(" AND received_at < ${next}"));
        numbers.push(until);
    }
    sql.push_str(
        " ORDER BY CASE WHEN status = 'new' THEN 0 ELSE 1 END, received_at DESC, id DESC \
         LIMIT 500",
    );
    let mut query = sqlx::query(&sql);
    for text in texts {
        query = query.bind(text);
    }
    for number in numbers {
        query = query.bind(number);
    }
    query.fetch_all(pool).await
}

/// The inbox's lines for `filter`: new ones first, then newest first; at most 500.
pub async fn list(pool: &AnyPool, filter: &Filter) -> Result<Vec<InboxItem>, AppError> {
    filtered(pool, filter)
        .await?
        .iter()
        .map(item_from)
        .collect()
}

/// A request as exported: its inbox line, its state and what the patient sent.
#[derive(Debug, Clone)]
pub struct Exported {
    /// The inbox line.
    pub summary: InboxItem,
    /// Where it stands.
    pub state: RequestState,
    /// What the patient sent.
    pub request: NewAppointmentRequest,
}

/// The requests matching `filter` in full, in the inbox's order, read in one query.
pub async fn export(pool: &AnyPool, filter: &Filter) -> Result<Vec<Exported>, AppError> {
    filtered(pool, filter)
        .await?
        .iter()
        .map(|row| {
            let json: String = row.try_get("request_json")?;
            Ok(Exported {
                summary: item_from(row)?,
                state: state_from(row)?,
                request: serde_json::from_str(&json).map_err(AppError::internal)?,
            })
        })
        .collect()
}

fn item_from(row: &AnyRow) -> Result<InboxItem, AppError> {
    let json: String = row.try_get("request_json")?;
    let request: Option<NewAppointmentRequest> = serde_json::from_str(&json).ok();
    let visit: String = row.try_get("visit_type")?;
    let visit_type = VisitType::ALL
        .into_iter()
        .find(|v| v.as_str() == visit)
        .unwrap_or(VisitType::InPerson);
    let attachments: i64 = row.try_get("attachment_count")?;
    let language: String = row.try_get("language")?;
    Ok(InboxItem {
        id: row.try_get("id")?,
        status: status_of(row)?,
        received_at: row.try_get("received_at")?,
        updated_at: row.try_get("updated_at")?,
        reason_id: row.try_get("reason_id")?,
        reason: row.try_get("reason")?,
        name: row.try_get("name")?,
        language: haven_api::lang::Lang::from_tag(&language).unwrap_or(haven_api::lang::Lang::En),
        visit_type,
        first_window: request.and_then(|r| r.windows.into_iter().next()),
        attachments: usize::try_from(attachments).unwrap_or(0),
    })
}

/// How many requests are new.
pub async fn new_count(pool: &AnyPool) -> Result<u64, sqlx::Error> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM appointment_requests WHERE status = 'new' AND body_hash <> ''",
    )
    .fetch_one(pool)
    .await?;
    let count: i64 = row.try_get("n")?;
    Ok(u64::try_from(count).unwrap_or(0))
}

/// Everything about one request.
pub async fn detail(pool: &AnyPool, id: &str) -> Result<Option<RequestDetail>, AppError> {
    let row = sqlx::query(&format!(
        "SELECT {REQUEST_COLUMNS} FROM appointment_requests WHERE id = $1 AND body_hash <> ''"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let json: String = row.try_get("request_json")?;
    let request: NewAppointmentRequest = serde_json::from_str(&json).map_err(AppError::internal)?;
    let events = sqlx::query(
        "SELECT at, actor, action, detail FROM appointment_events WHERE request_id = $1 \
         ORDER BY at, id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|row| {
        Ok(RequestEvent {
            at: row.try_get("at")?,
            actor: row.try_get("actor")?,
            action: row.try_get("action")?,
            detail: row.try_get("detail")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Some(RequestDetail {
        summary: item_from(&row)?,
        state: state_from(&row)?,
        request,
        events,
    }))
}

/// Deletes the personal data of requests settled more than `days` ago (declined or withdrawn,
/// or confirmed for a day that long past); their ids stay. Returns how many.
pub async fn purge_settled(pool: &AnyPool, days: u32, now: i64) -> Result<u64, sqlx::Error> {
    let cutoff = now - i64::from(days) * 24 * 60 * 60 * 1000;
    let cutoff_day = validate::LocalNow::at(cutoff, "UTC").date.to_string();
    let mut tx = db::begin_write(pool).await?;
    let purged = sqlx::query(
        "UPDATE appointment_requests SET request_json = '{}', name = '', reason = '', \
         message = NULL, purged_at = $1 WHERE purged_at IS NULL AND body_hash <> '' AND \
         ((status IN ('declined', 'withdrawn') AND settled_at <= $2) OR \
          (status = 'confirmed' AND confirmed_date <= $3))",
    )
    .bind(now)
    .bind(cutoff)
    .bind(cutoff_day)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE appointment_events SET detail = NULL WHERE request_id IN \
         (SELECT id FROM appointment_requests WHERE purged_at = $1)",
    )
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(purged.rows_affected())
}
