//! Staff sign-in, sessions, account administration and the audit log: `/api/staff/*`.

pub mod accounts;
pub mod password;
pub mod session;
pub mod throttle;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use haven_api::ApiError;
use haven_api::staff::{
    AuditEntry, CreateStaffRequest, Email, Section, SessionInfo, SignInRequest, StaffAccount,
    UpdateStaffRequest,
};
use serde::Deserialize;

use crate::audit::{self, Action, Actor};
use crate::db;
use crate::error::AppError;
use crate::extract::{ClientIp, Json, Query};
use crate::state::AppState;
use accounts::NewStaff;
use session::StaffSession;

/// The one answer to every failed sign-in, so it never tells which part was wrong or whether
/// the account exists.
const WRONG_CREDENTIALS: &str = "email or password is not right";

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/staff/sign-in", post(session_create))
        .route("/api/staff/session", get(session_get))
        .route("/api/staff/sign-out", post(session_delete))
        .route(
            "/api/staff/accounts",
            get(accounts_list).post(accounts_create),
        )
        .route(
            "/api/staff/accounts/{id}",
            patch(accounts_update).delete(accounts_delete),
        )
        .route("/api/staff/audit", get(audit_list))
}

fn too_many_attempts(wait_ms: i64) -> AppError {
    let wait = std::time::Duration::from_millis(wait_ms.max(0) as u64);
    let minutes = wait.as_secs().div_ceil(60);
    let when = if minutes > 1 {
        format!("in {minutes} minutes")
    } else {
        "in a moment".to_owned()
    };
    AppError::rate_limited(format!("too many sign-in attempts; try again {when}"), wait)
}

/// Signs in and sets the session cookie.
///
/// Unknown emails, wrong passwords and disabled accounts all get the same 401. After repeated
/// failures, attempts are delayed and then locked (429 with `Retry-After`), the same way for
/// unknown emails as for real accounts.
#[utoipa::path(
    post,
    path = "/api/staff/sign-in",
    tag = "staff",
    request_body = SignInRequest,
    responses(
        (status = 200, description = "Signed in; the `haven_session` cookie is set", body = SessionInfo,
            headers(("Set-Cookie" = String, description = "`haven_session=…; Path=/; HttpOnly; SameSite=Strict; Max-Age=…; Secure`"))),
        (status = 400, description = "The body could not be read", body = ApiError),
        (status = 401, description = "Email or password is not right", body = ApiError),
        (status = 403, description = "The request came from another origin", body = ApiError),
        (status = 429, description = "Too many attempts; see `Retry-After`", body = ApiError),
    )
)]
pub async fn session_create(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Json(request): Json<SignInRequest>,
) -> Result<Response, AppError> {
    session::check_same_origin(&headers)?;
    let pool = state.pool();
    let throttle = state.throttle();
    let policy = throttle.policy();
    let now = db::now_ms();
    throttle
        .attempt_from(ip, now)
        .map_err(|wait| too_many_attempts(db::ms(wait)))?;

    let email = Email::parse(&request.email).ok();
    // The throttle key for emails without an account; bounded so it cannot bloat memory or
    // the audit log.
    let attempted: String = request
        .email
        .trim()
        .to_lowercase()
        .chars()
        .take(254)
        .collect();
    let account = match &email {
        Some(email) => accounts::find_by_email(pool, email).await?,
        None => None,
    };
    let blocked_until = match &account {
        Some(account) => account.locked_until.filter(|until| *until > now),
        None => throttle.unknown_blocked_until(&attempted, now),
    };
    if let Some(until) = blocked_until {
        return Err(too_many_attempts(until - now));
    }

    let hash = account
        .as_ref()
        .map(|account| account.password_hash.clone());
    let matches = state
        .passwords()
        .verify(request.password, hash)
        .await
        .map_err(AppError::Internal)?;
    let anonymous = Actor { email: None, ip };
    let Some(account) = account else {
        throttle.unknown_failed(&attempted, now);
        audit::record(
            pool,
            &anonymous,
            Action::SignInFailed,
            Some(&attempted),
            Some("no such account"),
        )
        .await?;
        return Err(AppError::unauthorized(WRONG_CREDENTIALS));
    };
    if !matches || account.disabled {
        let failures = accounts::record_failed_sign_in(pool, &account.id, policy, now).await?;
        let detail = if account.disabled {
            "account disabled"
        } else {
            "wrong password"
        };
        audit::record(
            pool,
            &anonymous,
            Action::SignInFailed,
            Some(&account.email),
            Some(detail),
        )
        .await?;
        if policy.locks_at(failures) {
            let detail = format!(
                "{failures} failed sign-ins in a row; locked for {} minutes",
                policy.lock_for.as_secs().div_ceil(60)
            );
            audit::record(
                pool,
                &anonymous,
                Action::AccountLocked,
                Some(&account.email),
                Some(&detail),
            )
            .await?;
        }
        return Err(AppError::unauthorized(WRONG_CREDENTIALS));
    }

    accounts::record_sign_in(pool, &account.id, now).await?;
    let sessions = &state.options().sessions;
    let new = session::create(pool, &account.id, sessions).await?;
    audit::record(
        pool,
        &Actor::staff(&account.email, ip),
        Action::SignIn,
        Some(&account.email),
        None,
    )
    .await?;
    let cookie = session::cookie(&new.token, sessions.lifetime, state.options().cookie_secure);
    let info = SessionInfo {
        email: account.email,
        role: account.role,
        csrf_token: new.csrf_token,
        expires_at: new.expires_at,
    };
    Ok(([(header::SET_COOKIE, cookie)], Json(info)).into_response())
}

/// The signed-in staff member.
#[utoipa::path(
    get,
    path = "/api/staff/session",
    tag = "staff",
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The current session", body = SessionInfo),
        (status = 401, description = "Not signed in, or the session has ended", body = ApiError),
    )
)]
pub async fn session_get(session: StaffSession) -> Json<SessionInfo> {
    Json(session.info())
}

/// Signs out: ends the session and clears the cookie.
#[utoipa::path(
    post,
    path = "/api/staff/sign-out",
    tag = "staff",
    security(("session_cookie" = [], "csrf_token" = [])),
    responses(
        (status = 204, description = "Signed out; the cookie is cleared"),
        (status = 401, description = "Not signed in", body = ApiError),
        (status = 403, description = "CSRF token missing or wrong", body = ApiError),
    )
)]
pub async fn session_delete(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    session: StaffSession,
) -> Result<Response, AppError> {
    session::revoke(state.pool(), &session.id).await?;
    let actor = Actor::staff(&session.email, ip);
    audit::record(
        state.pool(),
        &actor,
        Action::SignOut,
        Some(&session.email),
        None,
    )
    .await?;
    let cookie = session::clearing_cookie(state.options().cookie_secure);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

/// Every staff account (admins only).
#[utoipa::path(
    get,
    path = "/api/staff/accounts",
    tag = "staff",
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "All accounts, by email", body = [StaffAccount]),
        (status = 401, description = "Not signed in", body = ApiError),
        (status = 403, description = "Not an admin", body = ApiError),
    )
)]
pub async fn accounts_list(
    State(state): State<AppState>,
    session: StaffSession,
) -> Result<Json<Vec<StaffAccount>>, AppError> {
    session.require(Section::Staff)?;
    let records = accounts::list(state.pool()).await?;
    Ok(Json(
        records.iter().map(accounts::StaffRecord::account).collect(),
    ))
}

/// Creates a staff account (admins only).
#[utoipa::path(
    post,
    path = "/api/staff/accounts",
    tag = "staff",
    security(("session_cookie" = [], "csrf_token" = [])),
    request_body = CreateStaffRequest,
    responses(
        (status = 201, description = "Created", body = StaffAccount),
        (status = 400, description = "The body could not be read", body = ApiError),
        (status = 401, description = "Not signed in", body = ApiError),
        (status = 403, description = "Not an admin, or CSRF token missing or wrong", body = ApiError),
        (status = 422, description = "Invalid email or password, or the email is taken; see `fields`", body = ApiError),
    )
)]
pub async fn accounts_create(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    session: StaffSession,
    Json(request): Json<CreateStaffRequest>,
) -> Result<(StatusCode, Json<StaffAccount>), AppError> {
    session.require(Section::Staff)?;
    let new = NewStaff::parse(&request.email, request.role, request.password)
        .map_err(accounts::validation_error)?;
    let actor = Actor::staff(&session.email, ip);
    let account = accounts::create(state.pool(), state.passwords(), new, &actor).await?;
    Ok((StatusCode::CREATED, Json(account)))
}

/// Changes an account's role or disables/enables it (admins only; not their own).
#[utoipa::path(
    patch,
    path = "/api/staff/accounts/{id}",
    tag = "staff",
    security(("session_cookie" = [], "csrf_token" = [])),
    params(("id" = String, Path, description = "The account id")),
    request_body = UpdateStaffRequest,
    responses(
        (status = 200, description = "The account after the change", body = StaffAccount),
        (status = 400, description = "The body could not be read", body = ApiError),
        (status = 401, description = "Not signed in", body = ApiError),
        (status = 403, description = "Not an admin, CSRF token missing or wrong, or an admin disabling or demoting themselves", body = ApiError),
        (status = 404, description = "No such account", body = ApiError),
    )
)]
pub async fn accounts_update(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    session: StaffSession,
    Path(id): Path<String>,
    Json(change): Json<UpdateStaffRequest>,
) -> Result<Json<StaffAccount>, AppError> {
    session.require(Section::Staff)?;
    if id == session.staff_id {
        if change.disabled == Some(true) {
            return Err(AppError::forbidden("you cannot disable your own account"));
        }
        if change.role.is_some_and(|role| role != session.role) {
            return Err(AppError::forbidden("you cannot change your own role"));
        }
    }
    let actor = Actor::staff(&session.email, ip);
    Ok(Json(
        accounts::update(state.pool(), &id, &change, &actor).await?,
    ))
}

/// Deletes an account and ends its sessions (admins only; not their own).
#[utoipa::path(
    delete,
    path = "/api/staff/accounts/{id}",
    tag = "staff",
    security(("session_cookie" = [], "csrf_token" = [])),
    params(("id" = String, Path, description = "The account id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = ApiError),
        (status = 403, description = "Not an admin, CSRF token missing or wrong, or deleting oneself", body = ApiError),
        (status = 404, description = "No such account", body = ApiError),
    )
)]
pub async fn accounts_delete(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    session: StaffSession,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    session.require(Section::Staff)?;
    if id == session.staff_id {
        return Err(AppError::forbidden("you cannot delete your own account"));
    }
    accounts::delete(state.pool(), &id, &Actor::staff(&session.email, ip)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/staff/audit` query parameters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only entries strictly older than this (Unix ms); for the next page, pass the `at` of
    /// the last entry received.
    pub before: Option<i64>,
    /// How many entries, 1 to 200 (default 50).
    pub limit: Option<i64>,
}

/// The audit log, newest first (admins only).
#[utoipa::path(
    get,
    path = "/api/staff/audit",
    tag = "staff",
    security(("session_cookie" = [])),
    params(AuditQuery),
    responses(
        (status = 200, description = "Entries, newest first", body = [AuditEntry]),
        (status = 400, description = "A bad query parameter", body = ApiError),
        (status = 401, description = "Not signed in", body = ApiError),
        (status = 403, description = "Not an admin", body = ApiError),
    )
)]
pub async fn audit_list(
    State(state): State<AppState>,
    session: StaffSession,
    Query(query): Query<AuditQuery>,
) -> Result<Json<Vec<AuditEntry>>, AppError> {
    session.require(Section::Audit)?;
    let limit = query.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(AppError::bad_request("limit must be between 1 and 200")
            .with_field("limit", "between 1 and 200"));
    }
    Ok(Json(audit::list(state.pool(), query.before, limit).await?))
}
