//! Endpoints anyone may call: the clinic configuration and the health check.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use haven_api::config::PublicConfig;
use serde::Serialize;

use crate::extract::Json;
use crate::state::AppState;

/// The clinic's public configuration. It changes only when the server restarts, so clients
/// may keep it and revalidate with `If-None-Match`.
#[utoipa::path(
    get,
    path = "/api/config",
    tag = "clinic",
    responses(
        (status = 200, description = "The clinic's public configuration", body = PublicConfig,
            headers(("ETag" = String, description = "Changes whenever the configuration does"))),
        (status = 304, description = "Unchanged since the ETag sent in `If-None-Match`"),
    )
)]
pub async fn config_get(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let cached = state.public_config();
    revalidated(&headers, &cached.etag, cached.body.clone())
}

/// A JSON body with its `ETag` and `Cache-Control: no-cache`, or 304 when `If-None-Match`
/// names the same `ETag` (or `*`).
pub(crate) fn revalidated(headers: &HeaderMap, etag: &HeaderValue, body: Bytes) -> Response {
    let unchanged = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|tag| tag.trim().trim_start_matches("W/") == etag || tag.trim() == "*");
    let cache_headers = [
        (header::ETAG, etag.clone()),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
    ];
    if unchanged {
        return (StatusCode::NOT_MODIFIED, cache_headers).into_response();
    }
    let json = [(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    )];
    (cache_headers, json, body).into_response()
}

/// The health check's answer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok`, or `unavailable` when the database does not answer.
    pub status: &'static str,
}

/// Whether the server and its database answer. For load balancers and uptime checks.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "system",
    responses(
        (status = 200, description = "The server and its database are up", body = Health),
        (status = 503, description = "The database does not answer", body = Health),
    )
)]
pub async fn health_get(State(state): State<AppState>) -> Response {
    let no_store = [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))];
    match sqlx::query("SELECT 1").execute(state.pool()).await {
        Ok(_) => (no_store, Json(Health { status: "ok" })).into_response(),
        Err(error) => {
            tracing::error!(%error, "health check: the database does not answer");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                no_store,
                Json(Health {
                    status: "unavailable",
                }),
            )
                .into_response()
        }
    }
}
