//! Staff sessions: an opaque cookie, a CSRF token, and the [`StaffSession`] extractor that
//! checks both.
//!
//! The cookie holds 32 random bytes; the database keeps only their SHA-256, so a copy of the
//! table cannot be turned back into cookies. A session ends after [`SessionPolicy::lifetime`],
//! or earlier after [`SessionPolicy::idle_timeout`] without requests, or on sign-out, or when
//! its account is disabled or deleted.
//!
//! State-changing requests (anything but GET, HEAD and OPTIONS) must also carry the session's
//! CSRF token in [`CSRF_HEADER`], and, when the browser sends an `Origin`, come from the
//! server's own origin.

use std::time::Duration;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use base64::Engine;
use haven_api::staff::{CSRF_HEADER, Role, Section, SessionInfo};
use rand::RngCore;
use sqlx::{AnyPool, Row};

use crate::db;
use crate::error::AppError;
use crate::state::AppState;

/// The session cookie's name.
pub const COOKIE_NAME: &str = "haven_session";

/// How long sessions last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionPolicy {
    /// The longest a session lasts, however active.
    pub lifetime: Duration,
    /// A session unused for this long ends.
    pub idle_timeout: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            lifetime: Duration::from_secs(8 * 60 * 60),
            idle_timeout: Duration::from_secs(30 * 60),
        }
    }
}

/// A session just created: the cookie token is only ever seen here.
#[derive(Debug)]
pub struct NewSession {
    /// The value for the cookie.
    pub token: String,
    /// The CSRF token to hand to the console.
    pub csrf_token: String,
    /// When the session ends at the latest (Unix ms).
    pub expires_at: i64,
}

/// 32 random bytes from the operating system's CSPRNG, base64url without padding.
fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The stored id for a cookie token.
fn session_id(token: &str) -> String {
    db::sha256_hex(token.as_bytes())
}

/// Starts a session for `staff_id`.
pub async fn create(
    pool: &AnyPool,
    staff_id: &str,
    policy: &SessionPolicy,
) -> Result<NewSession, sqlx::Error> {
    let token = random_token();
    let csrf_token = random_token();
    let now = db::now_ms();
    let expires_at = now + db::ms(policy.lifetime);
    sqlx::query(
        "INSERT INTO sessions (id, staff_id, csrf_token, created_at, expires_at, last_seen_at, revoked) \
         VALUES ($1, $2, $3, $4, $5, $4, 0)",
    )
    .bind(session_id(&token))
    .bind(staff_id)
    .bind(&csrf_token)
    .bind(now)
    .bind(expires_at)
    .execute(pool)
    .await?;
    Ok(NewSession {
        token,
        csrf_token,
        expires_at,
    })
}

/// Ends one session.
pub async fn revoke(pool: &AnyPool, session_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET revoked = 1 WHERE id = $1")
        .bind(session_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Ends every session of one account.
pub async fn revoke_all(pool: &AnyPool, staff_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET revoked = 1 WHERE staff_id = $1")
        .bind(staff_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// The `Set-Cookie` value that stores a session in the browser.
pub fn cookie(token: &str, max_age: Duration, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let value = format!(
        "{COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        max_age.as_secs()
    );
    HeaderValue::try_from(value).expect("the token is base64url")
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clearing_cookie(secure: bool) -> HeaderValue {
    cookie("", Duration::ZERO, secure)
}

fn token_from(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}

/// Refuses a request whose `Origin` header names another site. Browsers send `Origin` on
/// cross-site and most same-site state-changing requests; its absence (curl, old browsers) is
/// left to the CSRF token and the `SameSite=Strict` cookie.
///
/// The origin must match `Host`, or `X-Forwarded-Host` for a reverse proxy that rewrites
/// `Host`. Trusting the latter is safe here: a cross-site page cannot set it without a CORS
/// preflight, which this server never approves.
pub fn check_same_origin(headers: &HeaderMap) -> Result<(), AppError> {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let authority = origin.to_str().ok().and_then(|o| {
        o.strip_prefix("https://")
            .or_else(|| o.strip_prefix("http://"))
    });
    let host = |name: &str| {
        let value = headers.get(name).and_then(|value| value.to_str().ok());
        value
            .and_then(|value| value.split(',').next())
            .map(str::trim)
    };
    let hosts = [host(header::HOST.as_str()), host("x-forwarded-host")];
    match authority {
        Some(authority)
            if hosts
                .iter()
                .flatten()
                .any(|h| authority.eq_ignore_ascii_case(h)) =>
        {
            Ok(())
        }
        _ => Err(AppError::forbidden(
            "this request came from another site; staff actions must come from the console",
        )),
    }
}

/// Compares secrets in time that does not depend on where they differ.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// The signed-in staff member making a request. Extracting it answers 401 when there is no
/// live session, and 403 when a state-changing request lacks the CSRF token or comes from
/// another origin.
#[derive(Debug, Clone)]
pub struct StaffSession {
    /// The session's stored id (the hash of the cookie token).
    pub id: String,
    /// The account's id.
    pub staff_id: String,
    /// The account's email.
    pub email: String,
    /// The account's role.
    pub role: Role,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// When the session ends at the latest (Unix ms).
    pub expires_at: i64,
}

impl StaffSession {
    /// What the console is told about the session.
    pub fn info(&self) -> SessionInfo {
        SessionInfo {
            email: self.email.clone(),
            role: self.role,
            csrf_token: self.csrf_token.clone(),
            expires_at: self.expires_at,
        }
    }

    /// 403 unless the role may open `section`.
    pub fn require(&self, section: Section) -> Result<(), AppError> {
        if self.role.can_open(section) {
            Ok(())
        } else {
            Err(AppError::forbidden(format!(
                "your role ({}) does not give access to this part of the console",
                self.role.as_str()
            )))
        }
    }
}

impl FromRequestParts<AppState> for StaffSession {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ended = || {
            AppError::unauthorized(
                "you are not signed in, or your session has ended; sign in again",
            )
        };
        let token = token_from(&parts.headers).ok_or_else(ended)?;
        let id = session_id(token);
        let now = db::now_ms();
        let idle_since = now - db::ms(state.options().sessions.idle_timeout);
        let row = sqlx::query(
            "SELECT s.staff_id, s.csrf_token, s.expires_at, st.email, st.role \
             FROM sessions s JOIN staff st ON st.id = s.staff_id \
             WHERE s.id = $1 AND s.revoked = 0 AND st.disabled = 0 \
             AND s.expires_at > $2 AND s.last_seen_at > $3",
        )
        .bind(&id)
        .bind(now)
        .bind(idle_since)
        .fetch_optional(state.pool())
        .await?
        .ok_or_else(ended)?;
        let role: String = row.try_get("role")?;
        let session = StaffSession {
            id,
            staff_id: row.try_get("staff_id")?,
            email: row.try_get("email")?,
            role: Role::parse(&role).ok_or_else(|| {
                AppError::internal(format!("unknown role {role:?} in the database"))
            })?,
            csrf_token: row.try_get("csrf_token")?,
            expires_at: row.try_get("expires_at")?,
        };
        if !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
            check_same_origin(&parts.headers)?;
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .map(HeaderValue::as_bytes)
                .unwrap_or_default();
            if !same_secret(sent, session.csrf_token.as_bytes()) {
                return Err(AppError::forbidden(format!(
                    "the {CSRF_HEADER} header is missing or wrong; send the csrf_token from the session"
                )));
            }
        }
        // Sliding idle timeout: every request by the session keeps it alive.
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
            .bind(now)
            .bind(&session.id)
            .execute(state.pool())
            .await?;
        Ok(session)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_http_only_strict_and_secure_when_asked() {
        let secure = cookie("abc", Duration::from_secs(60), true);
        assert_eq!(
            secure,
            "haven_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=60; Secure"
        );
        let plain = cookie("abc", Duration::from_secs(60), false);
        assert!(!plain.to_str().unwrap().contains("Secure"));
    }

    #[test]
    fn the_token_is_found_among_other_cookies() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("theme=dark; haven_session=tok; x=y"),
        );
        assert_eq!(token_from(&headers), Some("tok"));
        headers.insert(header::COOKIE, HeaderValue::from_static("haven_session="));
        assert_eq!(token_from(&headers), None);
    }

    #[test]
    fn tokens_are_long_random_and_stored_only_as_hashes() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(session_id(&a).len(), 64);
        assert_ne!(session_id(&a), a);
    }

    #[test]
    fn an_origin_must_match_the_host() {
        let headers = |origin: &'static str, host: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ORIGIN, HeaderValue::from_static(origin));
            headers.insert(header::HOST, HeaderValue::from_static(host));
            headers
        };
        assert!(check_same_origin(&headers("http://127.0.0.1:8080", "127.0.0.1:8080")).is_ok());
        assert!(check_same_origin(&headers("https://clinic.example", "clinic.example")).is_ok());
        assert!(check_same_origin(&headers("https://evil.example", "clinic.example")).is_err());
        assert!(check_same_origin(&headers("null", "clinic.example")).is_err());
        assert!(check_same_origin(&HeaderMap::new()).is_ok());
        let mut proxied = headers("https://clinic.example", "127.0.0.1:8080");
        proxied.insert(
            "x-forwarded-host",
            HeaderValue::from_static("clinic.example"),
        );
        assert!(check_same_origin(&proxied).is_ok());
    }

    #[test]
    fn secrets_compare_by_content() {
        assert!(same_secret(b"abc", b"abc"));
        assert!(!same_secret(b"abc", b"abd"));
        assert!(!same_secret(b"abc", b"ab"));
    }
}
