//! Exactly-once handling of retried requests, keyed by the `Idempotency-Key` header.
//!
//! The widget's outbox retries a request until the server has it, so the same request can
//! arrive several times. Wrap a route in [`require`] and it runs once per key:
//!
//! ```ignore
//! Router::new().route(
//!     "/api/appointments",
//!     post(appointments_create).layer(idempotency::require(&state, "appointments")),
//! )
//! ```
//!
//! For each request the layer:
//!
//! 1. answers **400** if the [`HEADER`] is missing, or malformed (see
//!    [`IdempotencyKey::parse`]), with a different message for each;
//! 2. inserts a row `(scope, key)` in state `in_flight` with the SHA-256 of method, path and
//!    body — the primary key makes concurrent first requests race safely: one insert wins and
//!    the others see a unique-constraint violation, meaning "exists";
//! 3. for the winner, runs the handler. A handler that writes its effect to the database
//!    completes the key **in the same transaction** through the [`Claim`] it finds in the
//!    request's extensions ([`Claim::complete_in`]), so once the effect is committed the key
//!    is complete whatever happens to the connection afterwards. For other handlers the layer
//!    stores the answer after the handler returns. Only answers that a retry would get again
//!    are stored: 2xx, and 4xx other than [`RETRYABLE`] (401, 403, 408, 409, 425, 429). On
//!    those, on a 5xx, a panic or a dropped connection before completion, the `in_flight` row
//!    is deleted instead, so a retry reaches the handler;
//! 4. for a repeat with the same request hash, replays the stored status, body, content type
//!    and `Location`, plus `Idempotent-Replayed: true`;
//! 5. for a repeat with a different hash, answers **422** `idempotency_mismatch`;
//! 6. for a repeat while the first is still running, answers **409** `conflict`.
//!
//! Keys expire after [`crate::AppOptions::idempotency_ttl`] (`[appointments]
//! idempotency_days`, 30 by default, longer than the widget retries by itself): an expired
//! row counts as absent, and [`spawn_purger`] deletes them hourly. An `in_flight` row older
//! than [`ABANDONED_AFTER`] (its server died mid-request) counts as absent too. Endpoints with
//! a lasting effect must still refuse a second copy by themselves (appointment requests carry
//! an id that is unique forever), because a key can expire.
//!
//! [`require_owned`] is the variant for a handler whose effect is unique by itself (an
//! appointment request's id): no `in_flight` row is written first; the handler writes the
//! complete key with its effect (in a batch with others, see `appointments::intake`).
//!
//! Times come from the server's [`crate::clock::Clock`].
//!
//! The layer keeps bodies as text: it is meant for JSON endpoints. A response whose body is
//! not UTF-8 is returned but not remembered.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use haven_api::idempotency::{HEADER, IdempotencyKey, KeyError};
use sha2::{Digest, Sha256};
use sqlx::{AnyPool, Row};
use tower::{Layer, Service};

use crate::db;
use crate::error::AppError;
use crate::state::AppState;

/// The response header marking a replayed response.
pub const REPLAYED_HEADER: &str = "idempotent-replayed";

/// Client errors that are not the handler's lasting answer, so they are never replayed: a
/// retry must reach the handler (signed in, allowed, in time, not in conflict, not too early,
/// no longer rate-limited).
pub const RETRYABLE: [StatusCode; 6] = [
    StatusCode::UNAUTHORIZED,
    StatusCode::FORBIDDEN,
    StatusCode::REQUEST_TIMEOUT,
    StatusCode::CONFLICT,
    StatusCode::TOO_EARLY,
    StatusCode::TOO_MANY_REQUESTS,
];

/// Whether an answer with `status` is stored and replayed to retries.
pub fn is_replayable(status: StatusCode) -> bool {
    status.is_success() || (status.is_client_error() && !RETRYABLE.contains(&status))
}

/// An `in_flight` row older than this is taken to be left by a server that stopped
/// mid-request; far longer than any request may run.
pub const ABANDONED_AFTER: Duration = Duration::from_secs(10 * 60);

/// How often expired keys are purged.
const PURGE_EVERY: Duration = Duration::from_secs(60 * 60);

/// A layer that makes the wrapped route idempotent within `scope` (usually the resource's
/// name; the same key may be used in different scopes).
pub fn require(state: &AppState, scope: &'static str) -> IdempotencyLayer {
    IdempotencyLayer {
        store: Store {
            pool: state.pool().clone(),
            ttl: state.options().idempotency_ttl,
            clock: state.options().clock.clone(),
        },
        scope,
        owned: false,
    }
}

/// Like [`require`], for a handler that keeps its own effect unique (an appointment request's
/// id is its table's key): no `in_flight` row is written first. The layer replays a stored
/// answer; otherwise the handler runs and writes the complete key itself, in the transaction
/// of its effect, with [`Claim::complete_in`] (or [`Claim::row`] for batched writes). Two
/// concurrent first copies both reach the handler, whose unique effect lets one win. Saves a
/// write per request, which on SQLite is the request's cost.
pub fn require_owned(state: &AppState, scope: &'static str) -> IdempotencyLayer {
    IdempotencyLayer {
        owned: true,
        ..require(state, scope)
    }
}

/// The [`Layer`] returned by [`require`] and [`require_owned`].
#[derive(Debug, Clone)]
pub struct IdempotencyLayer {
    store: Store,
    scope: &'static str,
    owned: bool,
}

impl<S> Layer<S> for IdempotencyLayer {
    type Service = Idempotent<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Idempotent {
            inner,
            store: self.store.clone(),
            scope: self.scope,
            owned: self.owned,
        }
    }
}

/// The [`Service`] made by [`IdempotencyLayer`].
#[derive(Debug, Clone)]
pub struct Idempotent<S> {
    inner: S,
    store: Store,
    scope: &'static str,
    owned: bool,
}

impl<S> Service<Request> for Idempotent<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        // Take the service that was polled ready, leave a fresh clone in its place.
        let clone = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, clone);
        let store = self.store.clone();
        let scope = self.scope;
        let owned = self.owned;
        Box::pin(async move {
            let handled = if owned {
                handle_owned(store, scope, inner, request).await
            } else {
                handle(store, scope, inner, request).await
            };
            Ok(handled.unwrap_or_else(IntoResponse::into_response))
        })
    }
}

async fn handle<S>(
    store: Store,
    scope: &'static str,
    mut inner: S,
    request: Request,
) -> Result<Response, AppError>
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    let (key, parts, body, hash) = read(request).await?;
    let mut guard = match store.begin(scope, key.as_str(), &hash).await? {
        Begin::First(guard) => guard,
        Begin::Seen(stored) => return stored.answer(&hash),
    };
    let mut parts = parts;
    parts.extensions.insert(Claim {
        scope,
        key: key.as_str().to_owned(),
        owned: None,
    });
    let Ok(response) = inner
        .call(Request::from_parts(parts, Body::from(body)))
        .await;
    if response.extensions().get::<Completed>().is_some() {
        // The handler completed the key in its own transaction.
        guard.kept = true;
        return Ok(response);
    }
    let status = response.status();
    if !is_replayable(status) {
        guard.release().await;
        return Ok(response);
    }
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .map_err(AppError::internal)?;
    let answer = std::str::from_utf8(&bytes).ok().map(|text| Answer {
        status,
        body: text,
        content_type: header_text(&parts.headers, header::CONTENT_TYPE),
        location: header_text(&parts.headers, header::LOCATION),
    });
    match answer {
        Some(answer) => {
            let _turn = db::writer_turn(&store.pool).await;
            let mut connection = store.pool.acquire().await?;
            answer.store(&mut connection, scope, key.as_str()).await?;
            guard.kept = true;
        }
        None => {
            tracing::warn!(
                scope,
                "a response body is not UTF-8, so its idempotency key is not kept"
            );
            guard.release().await;
        }
    }
    Ok(Response::from_parts(parts, Body::from(bytes)))
}

/// The key, the request's parts and body, and its hash; 400 for a missing or malformed key.
async fn read(
    request: Request,
) -> Result<
    (
        IdempotencyKey,
        axum::http::request::Parts,
        axum::body::Bytes,
        String,
    ),
    AppError,
> {
    // A value that is not visible ASCII is malformed, not missing: "\0" fails the parse.
    let sent = request
        .headers()
        .get(HEADER)
        .map(|value| value.to_str().unwrap_or("\0"));
    let key = IdempotencyKey::parse(sent).map_err(|error| match error {
        KeyError::Missing => AppError::bad_request(format!(
            "this endpoint needs an {HEADER} header: a unique value per request, such as a UUID, \
             sent again unchanged when retrying"
        )),
        KeyError::Malformed => AppError::bad_request(format!(
            "the {HEADER} header must be 8 to 128 characters of letters, digits, '-', '_', '.' or ':'"
        )),
    })?;
    let (parts, body) = request.into_parts();
    // The API's body limit wraps this body, so buffering it here is bounded.
    let body = axum::body::to_bytes(body, usize::MAX).await.map_err(|_| {
        AppError::payload_too_large("the request body is larger than this endpoint accepts")
    })?;
    let hash = request_hash(&parts.method, &parts.uri, &body);
    Ok((key, parts, body, hash))
}

/// [`require_owned`]'s handling: replay what is stored, else let the handler write the key.
async fn handle_owned<S>(
    store: Store,
    scope: &'static str,
    mut inner: S,
    request: Request,
) -> Result<Response, AppError>
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    let (key, mut parts, body, hash) = read(request).await?;
    let now = store.clock.now_ms();
    if let Some(stored) = store.find(scope, key.as_str()).await? {
        let expired = stored.created_at <= now - db::ms(store.ttl);
        if !expired && stored.state == "complete" {
            return stored.answer(&hash);
        }
    }
    parts.extensions.insert(Claim {
        scope,
        key: key.as_str().to_owned(),
        owned: Some((hash.clone(), now)),
    });
    let Ok(response) = inner
        .call(Request::from_parts(parts, Body::from(body)))
        .await;
    if response.extensions().get::<Completed>().is_some() || !is_replayable(response.status()) {
        return Ok(response);
    }
    // A lasting answer the handler did not store itself (a refusal): keep it for replays.
    let status = response.status();
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .map_err(AppError::internal)?;
    if let Ok(text) = std::str::from_utf8(&bytes) {
        let row = KeyRow {
            scope,
            key: key.as_str().to_owned(),
            request_hash: hash,
            created_at: now,
            status,
            body: text.to_owned(),
            content_type: header_text(&parts.headers, header::CONTENT_TYPE).map(str::to_owned),
            location: header_text(&parts.headers, header::LOCATION).map(str::to_owned),
        };
        let _turn = db::writer_turn(&store.pool).await;
        let mut connection = store.pool.acquire().await?;
        insert_rows(&mut connection, std::slice::from_ref(&row)).await?;
    }
    Ok(Response::from_parts(parts, Body::from(bytes)))
}

/// A complete key, written by a handler with its effect (see [`require_owned`]).
#[derive(Debug, Clone)]
pub struct KeyRow {
    scope: &'static str,
    key: String,
    request_hash: String,
    created_at: i64,
    status: StatusCode,
    body: String,
    content_type: Option<String>,
    location: Option<String>,
}

/// Writes complete keys in one statement; a key already there (a concurrent copy) is kept.
pub async fn insert_rows(
    connection: &mut sqlx::AnyConnection,
    rows: &[KeyRow],
) -> Result<(), sqlx::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut sql = String::from(
        "INSERT INTO idempotency_keys (scope, key, request_hash, state, status, response_body, \
         content_type, location, created_at) VALUES ",
    );
    for (i, _) in rows.iter().enumerate() {
        let n = i * 8;
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!(
            "(${}, ${}, ${}, 'complete', ${}, ${}, ${}, ${}, ${})",
            n + 1,
            n + 2,
            n + 3,
            n + 4,
            n + 5,
            n + 6,
            n + 7,
            n + 8
        ));
    }
    sql.push_str(" ON CONFLICT (scope, key) DO NOTHING");
    let mut query = sqlx::query(&sql);
    for row in rows {
        query = query
            .bind(row.scope)
            .bind(row.key.clone())
            .bind(row.request_hash.clone())
            .bind(i64::from(row.status.as_u16()))
            .bind(row.body.clone())
            .bind(row.content_type.clone())
            .bind(row.location.clone())
            .bind(row.created_at);
    }
    query.execute(connection).await?;
    Ok(())
}

fn header_text(headers: &axum::http::HeaderMap, name: HeaderName) -> Option<&str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// The key a handler runs under, in the request's extensions: a handler with a lasting effect
/// completes it in the transaction that writes the effect ([`Claim::complete_in`]).
#[derive(Debug, Clone)]
pub struct Claim {
    scope: &'static str,
    key: String,
    /// For [`require_owned`]: the request's hash and when it arrived; the handler writes the
    /// whole key.
    owned: Option<(String, i64)>,
}

/// The response extension that tells the layer the handler completed the key itself.
#[derive(Debug, Clone, Copy)]
pub struct Completed;

/// An answer to keep for replay.
#[derive(Debug, Clone, Copy)]
pub struct Answer<'a> {
    /// The status; see [`is_replayable`].
    pub status: StatusCode,
    /// The body, as sent.
    pub body: &'a str,
    /// The `Content-Type`, if any.
    pub content_type: Option<&'a str>,
    /// The `Location`, if any.
    pub location: Option<&'a str>,
}

impl Answer<'_> {
    async fn store(
        self,
        connection: &mut sqlx::AnyConnection,
        scope: &str,
        key: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE idempotency_keys SET state = 'complete', status = $1, response_body = $2, \
             content_type = $3, location = $4 WHERE scope = $5 AND key = $6",
        )
        .bind(i64::from(self.status.as_u16()))
        .bind(self.body)
        .bind(self.content_type.map(str::to_owned))
        .bind(self.location.map(str::to_owned))
        .bind(scope)
        .bind(key)
        .execute(connection)
        .await?;
        Ok(())
    }
}

impl Claim {
    /// Completes the key with `answer` on `connection` (the handler's open transaction), so
    /// the key is complete exactly when the handler's effect is committed. Mark the response
    /// with [`Completed`] so the layer does not store it again. A request that reached the
    /// handler without the layer has no claim; then there is nothing to complete.
    pub async fn complete_in(
        &self,
        connection: &mut sqlx::AnyConnection,
        answer: Answer<'_>,
    ) -> Result<(), sqlx::Error> {
        match self.row(answer) {
            Some(row) => insert_rows(connection, &[row]).await,
            None => answer.store(connection, self.scope, &self.key).await,
        }
    }

    /// For [`require_owned`]: the complete key to write with the effect (in a batch with
    /// others, through [`insert_rows`]); `None` under [`require`], whose row already exists.
    pub fn row(&self, answer: Answer<'_>) -> Option<KeyRow> {
        let (request_hash, created_at) = self.owned.clone()?;
        Some(KeyRow {
            scope: self.scope,
            key: self.key.clone(),
            request_hash,
            created_at,
            status: answer.status,
            body: answer.body.to_owned(),
            content_type: answer.content_type.map(str::to_owned),
            location: answer.location.map(str::to_owned),
        })
    }
}

/// What identifies "the same request": method, path with query, and the exact body.
fn request_hash(method: &Method, uri: &Uri, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(method.as_str());
    hasher.update(b"\n");
    hasher.update(uri.path_and_query().map_or("", |pq| pq.as_str()));
    hasher.update(b"\n");
    hasher.update(body);
    db::hex(&hasher.finalize())
}

/// The idempotency table.
#[derive(Debug, Clone)]
struct Store {
    pool: AnyPool,
    ttl: Duration,
    clock: crate::clock::Clock,
}

/// A row that was already there.
#[derive(Debug)]
struct Stored {
    request_hash: String,
    state: String,
    status: Option<i64>,
    body: Option<String>,
    content_type: Option<String>,
    location: Option<String>,
    created_at: i64,
}

impl Stored {
    /// The answer to a repeat of this key.
    fn answer(self, hash: &str) -> Result<Response, AppError> {
        if self.request_hash != hash {
            return Err(AppError::idempotency_mismatch(format!(
                "this {HEADER} was already used for a different request; use a new key for a new request"
            )));
        }
        if self.state != "complete" {
            return Err(AppError::conflict(
                "the first request with this key is still being processed; try again shortly",
            ));
        }
        let status = self
            .status
            .and_then(|status| u16::try_from(status).ok())
            .and_then(|status| StatusCode::from_u16(status).ok())
            .ok_or_else(|| {
                AppError::internal("a stored idempotent response has no valid status")
            })?;
        let mut response = (status, self.body.unwrap_or_default()).into_response();
        let headers = response.headers_mut();
        match self
            .content_type
            .and_then(|value| HeaderValue::try_from(value).ok())
        {
            Some(content_type) => headers.insert(header::CONTENT_TYPE, content_type),
            None => headers.remove(header::CONTENT_TYPE),
        };
        if let Some(location) = self
            .location
            .and_then(|value| HeaderValue::try_from(value).ok())
        {
            headers.insert(header::LOCATION, location);
        }
        headers.insert(
            HeaderName::from_static(REPLAYED_HEADER),
            HeaderValue::from_static("true"),
        );
        Ok(response)
    }
}

enum Begin {
    /// This request is the first: it owns the key until the guard is kept or dropped.
    First(InFlight),
    /// The key was already there.
    Seen(Stored),
}

impl Store {
    async fn begin(&self, scope: &'static str, key: &str, hash: &str) -> Result<Begin, AppError> {
        // Two rounds: the second after clearing an expired or abandoned row.
        for _ in 0..2 {
            let now = self.clock.now_ms();
            let turn = db::writer_turn(&self.pool).await;
            let inserted = sqlx::query(
                "INSERT INTO idempotency_keys (scope, key, request_hash, state, created_at) \
                 VALUES ($1, $2, $3, 'in_flight', $4)",
            )
            .bind(scope)
            .bind(key)
            .bind(hash)
            .bind(now)
            .execute(&self.pool)
            .await;
            drop(turn);
            match inserted {
                Ok(_) => {
                    return Ok(Begin::First(InFlight {
                        store: self.clone(),
                        scope,
                        key: key.to_owned(),
                        kept: false,
                    }));
                }
                Err(error) if db::is_unique_violation(&error) => {}
                Err(error) => return Err(error.into()),
            }
            let Some(stored) = self.find(scope, key).await? else {
                continue;
            };
            let expired = stored.created_at <= now - db::ms(self.ttl);
            let abandoned =
                stored.state != "complete" && stored.created_at <= now - db::ms(ABANDONED_AFTER);
            if !(expired || abandoned) {
                return Ok(Begin::Seen(stored));
            }
            // Only delete the row we looked at, not one a concurrent request just made.
            sqlx::query(
                "DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND created_at = $3",
            )
            .bind(scope)
            .bind(key)
            .bind(stored.created_at)
            .execute(&self.pool)
            .await?;
        }
        Err(AppError::conflict(
            "this key is being used by another request right now; try again shortly",
        ))
    }

    async fn find(&self, scope: &str, key: &str) -> Result<Option<Stored>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT request_hash, state, status, response_body, content_type, location, created_at \
             FROM idempotency_keys WHERE scope = $1 AND key = $2",
        )
        .bind(scope)
        .bind(key)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(Stored {
                request_hash: row.try_get("request_hash")?,
                state: row.try_get("state")?,
                status: row.try_get("status")?,
                body: row.try_get("response_body")?,
                content_type: row.try_get("content_type")?,
                location: row.try_get("location")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .transpose()
    }
}

/// Owns an `in_flight` row; unless kept or released, dropping it deletes the row in the
/// background, so a panicked or abandoned request never blocks its retry.
struct InFlight {
    store: Store,
    scope: &'static str,
    key: String,
    kept: bool,
}

impl InFlight {
    /// Deletes the row now, so an immediate retry finds the key free.
    async fn release(mut self) {
        self.kept = true;
        delete_in_flight(&self.store.pool, self.scope, &self.key).await;
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if self.kept {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let pool = self.store.pool.clone();
        let (scope, key) = (self.scope, std::mem::take(&mut self.key));
        runtime.spawn(async move { delete_in_flight(&pool, scope, &key).await });
    }
}

async fn delete_in_flight(pool: &AnyPool, scope: &str, key: &str) {
    let deleted = sqlx::query(
        "DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND state = 'in_flight'",
    )
    .bind(scope)
    .bind(key)
    .execute(pool)
    .await;
    if let Err(error) = deleted {
        tracing::error!(scope, %error, "could not release an idempotency key");
    }
}

/// Deletes keys older than `ttl` at `now_ms`; returns how many.
pub async fn purge_expired(pool: &AnyPool, ttl: Duration, now_ms: i64) -> Result<u64, sqlx::Error> {
    let cutoff = now_ms - db::ms(ttl);
    let done = sqlx::query("DELETE FROM idempotency_keys WHERE created_at <= $1")
        .bind(cutoff)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}

/// Starts a task that purges expired keys every hour, until the returned handle is aborted.
pub fn spawn_purger(state: &AppState) -> tokio::task::JoinHandle<()> {
    let pool = state.pool().clone();
    let ttl = state.options().idempotency_ttl;
    let clock = state.options().clock.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(PURGE_EVERY);
        loop {
            every.tick().await;
            match purge_expired(&pool, ttl, clock.now_ms()).await {
                Ok(0) => {}
                Ok(purged) => tracing::info!(purged, "purged expired idempotency keys"),
                Err(error) => tracing::error!(%error, "could not purge idempotency keys"),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_covers_method_path_and_body() {
        let uri: Uri = "/api/x?a=1".parse().unwrap();
        let base = request_hash(&Method::POST, &uri, b"{}");
        assert_eq!(base, request_hash(&Method::POST, &uri, b"{}"));
        assert_ne!(base, request_hash(&Method::PUT, &uri, b"{}"));
        assert_ne!(
            base,
            request_hash(&Method::POST, &"/api/y?a=1".parse().unwrap(), b"{}")
        );
        assert_ne!(base, request_hash(&Method::POST, &uri, b"{ }"));
    }
}
