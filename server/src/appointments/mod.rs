//! Appointment requests: intake from the widget (`/api/appointment-requests`), the patient's
//! view of their request by its secret, and the clinic's inbox (`/api/staff/appointment-requests`).
//!
//! Exactly once, by construction: the request's id is made on the device and is the table's
//! primary key, forever (retention blanks a request's personal data but keeps its row). The
//! request, its first event and its idempotency record are written in one transaction, so a
//! connection lost after the commit still leaves a complete key, and a retry with an expired
//! key still meets the id and gets the stored request back, never a second one.
//!
//! Status changes are conditional updates (`… WHERE status IN (…)`), so a withdrawal racing a
//! confirmation has one winner; a withdrawn request is never confirmed.

pub mod export;
pub mod fhir;
pub mod intake;
pub mod limit;
pub mod store;
pub mod validate;
pub mod webhook;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use haven_api::appointments::{
    Inbox, NewAppointmentRequest, PatientAction, PatientAnswer, RequestDetail, RequestState,
    RequestStatus, StaffAction, is_secret,
};
use haven_api::lang::Lang;
use haven_api::record::entry::is_uuid;
use haven_api::staff::Section;
use haven_api::{ApiError, ErrorCode};
use serde::Deserialize;
use tower_http::limit::RequestBodyLimitLayer;

use crate::audit::{Action, Actor};
use crate::error::AppError;
use crate::extract::{ClientIp, Json, Query, parse_json};
use crate::idempotency::{self, Answer, Claim, Completed};
use crate::staff::session::StaffSession;
use crate::state::AppState;
use store::{Change, Intake};

/// The idempotency scope of new requests.
const SCOPE: &str = "appointment_requests";

/// The routes of this module, each with its own body limit (intake allows attachments).
pub fn routes(state: &AppState) -> Router<AppState> {
    let intake_limit = state.config().appointments.max_body_bytes;
    let intake = Router::new()
        .route(
            "/api/appointment-requests",
            post(requests_create).layer(idempotency::require_owned(state, SCOPE)),
        )
        // Outside the idempotency layer: a limited request never touches its key.
        .layer(limit::layer(state.intake_limits()))
        .layer(RequestBodyLimitLayer::new(intake_limit));
    Router::new()
        .route("/api/appointment-requests/{id}", get(request_get))
        .route("/api/appointment-requests/{id}/answer", post(answer_create))
        .route("/api/staff/appointment-requests", get(inbox_list))
        .route("/api/staff/appointment-requests/{id}", get(detail_get))
        .route("/api/staff/appointment-requests/{id}/fhir", get(fhir_get))
        .route("/api/staff/appointment-requests.csv", get(csv_get))
        .route(
            "/api/staff/appointment-requests/{id}/actions",
            post(action_create),
        )
        .layer(RequestBodyLimitLayer::new(16 * 1024))
        .merge(intake)
}

/// Where a request is read back.
pub fn location(id: &str) -> String {
    format!("/api/appointment-requests/{id}")
}

/// The reader's language for messages: the first shipped language in `Accept-Language`, else
/// English (the patient's, for a body that could not be read; the staff member's console
/// language, for a staff action).
fn accepted_lang(headers: &HeaderMap) -> Lang {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            value
                .split(',')
                .find_map(|tag| Lang::from_tag(tag.split(';').next()?))
        })
        .unwrap_or(Lang::En)
}

fn json_response(status: StatusCode, body: String, location: Option<&str>) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(location) = location.and_then(|l| HeaderValue::try_from(l).ok()) {
        headers.insert(header::LOCATION, location);
    }
    response
}

/// Takes in a request from the widget, exactly once per id.
///
/// Field errors come back as 422 with one message per field in the request's `language`.
/// A second copy of a stored request (same id, same body) gets the stored request's current
/// state; the same id with another body gets 422 `idempotency_mismatch`.
#[utoipa::path(
    post,
    path = "/api/appointment-requests",
    tag = "appointments",
    params(("Idempotency-Key" = String, Header, description = "The request's id, sent again unchanged on every retry")),
    request_body = NewAppointmentRequest,
    responses(
        (status = 201, description = "Received; `Location` is where its status is read", body = RequestState,
            headers(("Location" = String, description = "`/api/appointment-requests/{id}`"))),
        (status = 200, description = "This request was already received; its current state", body = RequestState),
        (status = 400, description = "The body could not be read, or the Idempotency-Key is missing", body = ApiError),
        (status = 409, description = "The same key is being processed right now; retry shortly", body = ApiError),
        (status = 413, description = "The body is larger than the clinic accepts", body = ApiError),
        (status = 415, description = "The body is not JSON", body = ApiError),
        (status = 422, description = "Some fields are not acceptable (messages in the request's language), or the id was used for another request", body = ApiError),
        (status = 429, description = "Too many requests from this address; see `Retry-After`", body = ApiError),
    )
)]
pub async fn requests_create(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, AppError> {
    let (parts, body) = request.into_parts();
    let lang = accepted_lang(&parts.headers);
    if !crate::extract::is_json(&parts.headers) {
        return Err(AppError::unsupported_media_type(
            "send the body as JSON with the header Content-Type: application/json",
        ));
    }
    let bytes: Bytes = axum::body::to_bytes(body, usize::MAX).await.map_err(|_| {
        AppError::payload_too_large(match lang {
            Lang::Vi => "yêu cầu quá lớn; hãy bớt các mục hồ sơ đính kèm",
            Lang::En => "the request is too large; attach fewer record items",
        })
    })?;
    let sent: NewAppointmentRequest = parse_json(&bytes)?;
    let body_hash = crate::db::sha256_hex(&bytes);
    let location = self::location(&sent.id);
    let now = state.now_ms();
    let stored = match validate::check(&sent, state.config(), now) {
        Ok(stored) => stored,
        Err(problems) => {
            // A late copy of a stored request (its preferred days may have passed since) is
            // still that request.
            if let Some(found) = store::lookup(state.pool(), &sent.id, &body_hash).await? {
                return answer_again(found, &location, sent.language);
            }
            let mut error = ApiError::new(ErrorCode::Validation, validate::summary(sent.language));
            error.fields = problems.messages(sent.language);
            return Err(AppError::Api {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                error,
                retry_after: None,
            });
        }
    };
    let intake = Intake {
        request: &stored,
        secret_hash: crate::db::sha256_hex(sent.secret.as_bytes()),
        body_hash,
        reason: store::reason_label(state.config(), &stored),
        now,
        notify: state.config().appointments.webhook_url.is_some(),
    };
    let claim = parts.extensions.get::<Claim>().cloned();
    let answer = serde_json::to_string(&RequestState {
        id: stored.id.clone(),
        status: RequestStatus::New,
        received_at: now,
        updated_at: now,
        confirmed: None,
        proposed: None,
        message: None,
    })
    .map_err(AppError::internal)?;
    let key = claim.as_ref().and_then(|claim| {
        claim.row(Answer {
            status: StatusCode::CREATED,
            body: &answer,
            content_type: Some("application/json"),
            location: Some(&location),
        })
    });
    let completed = key.is_some() || claim.is_none();
    let job = intake::Job {
        id: stored.id.clone(),
        secret_hash: intake.secret_hash.clone(),
        body_hash: intake.body_hash.clone(),
        reason_id: stored.reason_id.clone(),
        reason: intake.reason.clone(),
        name: stored.name.clone(),
        visit_type: stored.visit_type.as_str(),
        language: stored.language.tag(),
        first_date: stored.windows.first().map(|w| w.date.clone()),
        request_json: serde_json::to_string(&stored).map_err(AppError::internal)?,
        attachments: stored.attachments.len() as i64,
        now,
        notify: intake.notify,
        key,
        reply: tokio::sync::oneshot::channel().0,
    };
    let taken = !state
        .intake()
        .store(job)
        .await
        .map_err(AppError::internal)?;
    if taken {
        let again = store::again(state.pool(), &intake, claim.as_ref(), &location).await?;
        return answer_again(again, &location, sent.language);
    }
    tracing::info!(location, "appointment request received");
    let mut response = json_response(StatusCode::CREATED, answer, Some(&location));
    if completed {
        response.extensions_mut().insert(Completed);
    }
    Ok(response)
}

/// The answer to an intake: 201 for a new request, 200 with the current state for a copy,
/// 422 for another request under the same id.
fn answer_again(
    inserted: store::Inserted,
    location: &str,
    lang: Lang,
) -> Result<Response, AppError> {
    match inserted {
        store::Inserted::New(body) => {
            tracing::info!(location, "appointment request received");
            let mut response = json_response(StatusCode::CREATED, body, Some(location));
            response.extensions_mut().insert(Completed);
            Ok(response)
        }
        store::Inserted::Again(current) => Ok(json_response(
            StatusCode::OK,
            serde_json::to_string(&current).map_err(AppError::internal)?,
            Some(location),
        )),
        store::Inserted::Different => Err(AppError::idempotency_mismatch(match lang {
            Lang::Vi => "mã yêu cầu này đã được dùng cho một yêu cầu khác; hãy tạo yêu cầu mới",
            Lang::En => {
                "this request id was already used for a different request; make a new request"
            }
        })),
    }
}

/// The secret from `Authorization: Bearer <secret>`.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

fn not_found() -> AppError {
    AppError::not_found("there is no request with this id and secret")
}

/// The patient's view of a request, read with its secret.
#[utoipa::path(
    get,
    path = "/api/appointment-requests/{id}",
    tag = "appointments",
    params(
        ("id" = String, Path, description = "The request's id"),
        ("Authorization" = String, Header, description = "`Bearer <secret>`: the secret sent with the request"),
    ),
    responses(
        (status = 200, description = "Where the request stands", body = RequestState),
        (status = 404, description = "No request with this id and secret", body = ApiError),
    )
)]
pub async fn request_get(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<RequestState>, AppError> {
    let secret = bearer(&headers).ok_or_else(not_found)?;
    store::state_by_secret(state.pool(), &id, secret)
        .await?
        .map(Json)
        .ok_or_else(not_found)
}

/// The patient withdraws their request, or accepts or declines the time the clinic proposed.
///
/// A withdrawal that arrives before its request (the network reordered them) is recorded, and
/// the request is stored as withdrawn when it arrives. Withdrawing twice is not an error.
#[utoipa::path(
    post,
    path = "/api/appointment-requests/{id}/answer",
    tag = "appointments",
    params(
        ("id" = String, Path, description = "The request's id"),
        ("Authorization" = String, Header, description = "`Bearer <secret>` (or `secret` in the body)"),
    ),
    request_body = PatientAnswer,
    responses(
        (status = 200, description = "The request's new state", body = RequestState),
        (status = 404, description = "No request with this id and secret", body = ApiError),
        (status = 422, description = "Not possible in the request's current state (for example withdrawing a confirmed request); `fields.status` names it", body = ApiError),
    )
)]
pub async fn answer_create(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(body): Json<PatientAnswer>,
) -> Result<Json<RequestState>, AppError> {
    let secret = bearer(&headers)
        .map(str::to_owned)
        .or(body.secret)
        .ok_or_else(not_found)?;
    if !is_uuid(&id) || !is_secret(&secret) {
        return Err(not_found());
    }
    let now = state.now_ms();
    let change = match body.action {
        PatientAction::Withdraw => Change::Withdraw,
        PatientAction::AcceptProposal => Change::AcceptProposal,
        PatientAction::DeclineProposal => Change::DeclineProposal,
    };
    match store::patient_change(state.pool(), &id, &secret, change, now).await? {
        store::Changed::Done(current) => Ok(Json(current)),
        store::Changed::NotFound => Err(not_found()),
        store::Changed::NotNow(current) => Err(not_now(current.status)),
    }
}

/// 422 naming the request's status: a lasting answer, unlike 409 (which means "the same
/// request is still being processed; retry"), so the outbox does not retry it.
fn not_now(status: RequestStatus) -> AppError {
    let mut error = ApiError::new(
        ErrorCode::Validation,
        format!(
            "this is not possible while the request is {}",
            status.as_str()
        ),
    );
    error.fields.insert("status".into(), status.as_str().into());
    AppError::Api {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        error,
        retry_after: None,
    }
}

/// The inbox's filters.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboxQuery {
    /// Only requests with this status.
    pub status: Option<String>,
    /// Only requests with this configured reason.
    pub reason: Option<String>,
    /// Only requests received on or after this clinic-local day (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Only requests received on or before this clinic-local day (`YYYY-MM-DD`).
    pub to: Option<String>,
}

/// The clinic's inbox: new requests first, then newest first, with the count of new ones.
#[utoipa::path(
    get,
    path = "/api/staff/appointment-requests",
    tag = "appointments",
    security(("session_cookie" = [])),
    params(InboxQuery),
    responses(
        (status = 200, description = "The requests matching the filters (at most 500)", body = Inbox),
        (status = 400, description = "A filter is not valid", body = ApiError),
        (status = 401, description = "Not signed in", body = ApiError),
        (status = 403, description = "The role has no access to the inbox", body = ApiError),
    )
)]
pub async fn inbox_list(
    State(state): State<AppState>,
    session: StaffSession,
    Query(query): Query<InboxQuery>,
) -> Result<Json<Inbox>, AppError> {
    session.require(Section::Inbox)?;
    let filter = store::Filter::parse(&query, &state.config().clinic.time_zone)?;
    let items = store::list(state.pool(), &filter).await?;
    let new_count = store::new_count(state.pool()).await?;
    Ok(Json(Inbox {
        items,
        new_count,
        response_target_hours: state.config().appointments.response_target_hours,
    }))
}

/// Everything about one request.
#[utoipa::path(
    get,
    path = "/api/staff/appointment-requests/{id}",
    tag = "appointments",
    security(("session_cookie" = [])),
    params(("id" = String, Path, description = "The request's id")),
    responses(
        (status = 200, description = "The request, its state and history", body = RequestDetail),
        (status = 401, description = "Not signed in", body = ApiError),
        (status = 403, description = "The role has no access to the inbox", body = ApiError),
        (status = 404, description = "No such request", body = ApiError),
    )
)]
pub async fn detail_get(
    State(state): State<AppState>,
    session: StaffSession,
    Path(id): Path<String>,
) -> Result<Json<RequestDetail>, AppError> {
    session.require(Section::Inbox)?;
    store::detail(state.pool(), &id)
        .await?
        .map(Json)
        .ok_or_else(|| AppError::not_found("there is no request with this id"))
}

/// One request as a FHIR R4 Bundle: its `Appointment` (proposed, booked or cancelled) and
/// `Patient`. Written to the audit log.
#[utoipa::path(
    get,
    path = "/api/staff/appointment-requests/{id}/fhir",
    tag = "appointments",
    security(("session_cookie" = [])),
    params(("id" = String, Path, description = "The request's id")),
    responses(
        (status = 200, description = "A FHIR R4 `collection` Bundle (`application/fhir+json`)", body = Object),
        (status = 401, description = "Not signed in", body = ApiError),
        (status = 403, description = "The role has no access to the inbox", body = ApiError),
        (status = 404, description = "No such request", body = ApiError),
    )
)]
pub async fn fhir_get(
    State(state): State<AppState>,
    session: StaffSession,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    session.require(Section::Inbox)?;
    let detail = store::detail(state.pool(), &id)
        .await?
        .ok_or_else(|| AppError::not_found("there is no request with this id"))?;
    let bundle = fhir::bundle(&detail, &state.config().clinic.time_zone);
    let actor = Actor::staff(&session.email, ip);
    crate::audit::record_at(
        state.pool(),
        state.now_ms(),
        &actor,
        Action::RequestsExported,
        Some(&id),
        Some("FHIR"),
    )
    .await?;
    let mut response = Json(bundle).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/fhir+json"),
    );
    Ok(response)
}

/// The requests matching the inbox's filters as CSV (UTF-8 with a byte-order mark, so
/// spreadsheet programs read Vietnamese names right). Written to the audit log.
#[utoipa::path(
    get,
    path = "/api/staff/appointment-requests.csv",
    tag = "appointments",
    security(("session_cookie" = [])),
    params(InboxQuery),
    responses(
        (status = 200, description = "`text/csv`, one row per request", body = String),
        (status = 400, description = "A filter is not valid", body = ApiError),
        (status = 401, description = "Not signed in", body = ApiError),
        (status = 403, description = "The role has no access to the inbox", body = ApiError),
    )
)]
pub async fn csv_get(
    State(state): State<AppState>,
    session: StaffSession,
    ClientIp(ip): ClientIp,
    Query(query): Query<InboxQuery>,
) -> Result<Response, AppError> {
    session.require(Section::Inbox)?;
    let filter = store::Filter::parse(&query, &state.config().clinic.time_zone)?;
    let details = store::export(state.pool(), &filter).await?;
    let body = export::csv(&details).map_err(AppError::internal)?;
    let actor = Actor::staff(&session.email, ip);
    let count = format!("CSV, {} requests", details.len());
    crate::audit::record_at(
        state.pool(),
        state.now_ms(),
        &actor,
        Action::RequestsExported,
        None,
        Some(&count),
    )
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"appointment-requests.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

/// Confirms, proposes another time, declines or marks a request as contacted; written to the
/// request's history and the audit log.
#[utoipa::path(
    post,
    path = "/api/staff/appointment-requests/{id}/actions",
    tag = "appointments",
    security(("session_cookie" = [], "csrf_token" = [])),
    params(("id" = String, Path, description = "The request's id")),
    request_body = StaffAction,
    responses(
        (status = 200, description = "The request after the change", body = RequestDetail),
        (status = 401, description = "Not signed in", body = ApiError),
        (status = 403, description = "No access to the inbox, or the CSRF token is missing", body = ApiError),
        (status = 404, description = "No such request", body = ApiError),
        (status = 422, description = "The time or message is not acceptable, or the change is not possible in the request's current state (`fields.status` names it)", body = ApiError),
    )
)]
pub async fn action_create(
    State(state): State<AppState>,
    session: StaffSession,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(action): Json<StaffAction>,
) -> Result<Json<RequestDetail>, AppError> {
    session.require(Section::Inbox)?;
    let now = state.now_ms();
    let zone = &state.config().clinic.time_zone;
    // The field messages are in the console's language (it sends `Accept-Language`).
    let lang = accepted_lang(&headers);
    let message_needed = match lang {
        Lang::En => "write a message for the patient (up to 2,000 characters)",
        Lang::Vi => "hãy viết tin nhắn cho bệnh nhân (tối đa 2.000 ký tự)",
    };
    let (change, audit_action) = match &action {
        StaffAction::Confirm { slot, message } | StaffAction::Propose { slot, message } => {
            let problems = validate::check_slot(slot, now, zone);
            let mut fields = problems.messages(lang);
            let max = haven_api::appointments::MAX_TEXT_CHARS;
            if message.chars().count() > max {
                let too_long = validate::Problem::TooLong { max }.message(lang);
                fields.insert("message".into(), too_long);
            }
            if !fields.is_empty() {
                return Err(AppError::validation(fields));
            }
            let message = Some(message.trim().to_owned()).filter(|m| !m.is_empty());
            if matches!(action, StaffAction::Confirm { .. }) {
                (
                    Change::Confirm(slot.clone(), message),
                    Action::RequestConfirmed,
                )
            } else {
                (
                    Change::Propose(slot.clone(), message),
                    Action::RequestProposed,
                )
            }
        }
        StaffAction::Decline { message } => {
            let message = message.trim();
            if message.is_empty()
                || message.chars().count() > haven_api::appointments::MAX_TEXT_CHARS
            {
                return Err(AppError::validation(
                    [("message".to_owned(), message_needed.to_owned())].into(),
                ));
            }
            (Change::Decline(message.to_owned()), Action::RequestDeclined)
        }
        StaffAction::MarkContacted => (Change::Contacted, Action::RequestContacted),
    };
    let actor = Actor::staff(&session.email, ip);
    match store::staff_change(state.pool(), &id, change, &actor, audit_action, now).await? {
        store::Changed::Done(_) => {}
        store::Changed::NotFound => {
            return Err(AppError::not_found("there is no request with this id"));
        }
        store::Changed::NotNow(current) => return Err(not_now(current.status)),
    }
    store::detail(state.pool(), &id)
        .await?
        .map(Json)
        .ok_or_else(|| AppError::not_found("there is no request with this id"))
}

/// Starts the background tasks of this module (retention, forgetting idle rate-limit
/// clients); abort the handles to stop them.
pub fn spawn_tasks(state: &AppState) -> [tokio::task::JoinHandle<()>; 3] {
    [
        spawn_retention(state),
        limit::spawn_cleaner(state.intake_limits()),
        webhook::spawn_sender(state),
    ]
}

/// Starts the hourly deletion of settled requests' personal data, until aborted.
pub fn spawn_retention(state: &AppState) -> tokio::task::JoinHandle<()> {
    let state = state.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(60 * 60));
        loop {
            every.tick().await;
            let days = state.config().appointments.retention_days;
            match store::purge_settled(state.pool(), days, state.now_ms()).await {
                Ok(0) => {}
                Ok(purged) => tracing::info!(purged, "deleted settled appointment requests' data"),
                Err(error) => tracing::error!(%error, "could not delete settled requests' data"),
            }
        }
    })
}
