//! Cross-cutting request handling: request ids, JSON bodies for every API error, API response
//! headers, and turning panics into a JSON 500.

use std::any::Any;

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{self, AppError};

/// Whether a path belongs to the JSON API.
pub(crate) fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// Makes the request's `x-request-id` (set by the layer before) the one internal errors quote.
pub(crate) async fn request_id_scope(request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    error::with_request_id(id, next.run(request)).await
}

/// For `/api` requests: gives every error an `ApiError` body (axum's own 405, tower-http's 413
/// and timeouts come with plain or empty bodies), and marks responses `no-store` unless the
/// handler chose a cache policy.
pub(crate) async fn api_responses(request: Request, next: Next) -> Response {
    if !is_api(request.uri().path()) {
        return next.run(request).await;
    }
    let method = request.method().clone();
    let mut response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"));
    if (status.is_client_error() || status.is_server_error()) && !is_json {
        // axum adds the `Allow` header of a 405 outside this layer, so it survives.
        let error = match status {
            StatusCode::METHOD_NOT_ALLOWED => AppError::method_not_allowed(format!(
                "this endpoint does not accept {method}; the Allow header lists what it accepts"
            )),
            _ => AppError::from_status(status),
        };
        response = error.into_response();
    }
    let headers = response.headers_mut();
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The response for a handler that panicked: a JSON 500 quoting the request id, with the
/// panic message in the log only.
pub(crate) fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("a panic without a message");
    AppError::internal(format!("a handler panicked: {message}")).into_response()
}
