//! The one error type every handler returns, and how it becomes an [`ApiError`] response.
//!
//! Client mistakes carry their status and a specific message. Anything else is
//! [`AppError::Internal`]: the client gets a generic 500 with the request id, and the full error
//! goes to the log under that same id, so nothing internal (SQL, paths, stack traces) leaks.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use haven_api::{ApiError, ErrorCode};

/// Any error a handler or layer may end with.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

tokio::task_local! {
    /// The id of the request being handled, set by the request-id layer.
    static REQUEST_ID: String;
}

/// Runs `future` with `id` as the current request id, which internal errors quote.
pub(crate) async fn with_request_id<F: Future>(id: String, future: F) -> F::Output {
    REQUEST_ID.scope(id, future).await
}

/// The current request's id, if called while handling one.
pub(crate) fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// An error answered with an [`ApiError`] body.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Something the client can put right; answered as is.
    #[error("{status}: {}", error.message)]
    Api {
        /// The HTTP status.
        status: StatusCode,
        /// The body.
        error: ApiError,
        /// For 429 and 503: how long the client should wait.
        retry_after: Option<Duration>,
    },
    /// A failure on the server's side; logged in full, answered with a generic 500.
    #[error("internal error: {0}")]
    Internal(#[source] BoxError),
}

impl AppError {
    fn api(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError::Api {
            status,
            error: ApiError::new(code, message),
            retry_after: None,
        }
    }

    /// 400: the request could not be read.
    pub fn bad_request(message: impl Into<String>) -> AppError {
        AppError::api(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, message)
    }

    /// 422: the request was read but some fields are not acceptable.
    pub fn validation(fields: BTreeMap<String, String>) -> AppError {
        let mut error = ApiError::new(ErrorCode::Validation, "some fields need attention");
        error.fields = fields;
        AppError::Api {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            error,
            retry_after: None,
        }
    }

    /// 401: sign-in is needed.
    pub fn unauthorized(message: impl Into<String>) -> AppError {
        AppError::api(StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized, message)
    }

    /// 403: not allowed.
    pub fn forbidden(message: impl Into<String>) -> AppError {
        AppError::api(StatusCode::FORBIDDEN, ErrorCode::Forbidden, message)
    }

    /// 404: nothing here.
    pub fn not_found(message: impl Into<String>) -> AppError {
        AppError::api(StatusCode::NOT_FOUND, ErrorCode::NotFound, message)
    }

    /// 405: the path exists but not with this method.
    pub fn method_not_allowed(message: impl Into<String>) -> AppError {
        // The wire format has no code of its own for this; it is a malformed request.
        AppError::api(
            StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::BadRequest,
            message,
        )
    }

    /// 409: the same idempotency key is still being processed.
    pub fn conflict(message: impl Into<String>) -> AppError {
        AppError::api(StatusCode::CONFLICT, ErrorCode::Conflict, message)
    }

    /// 422: the idempotency key was used with another request.
    pub fn idempotency_mismatch(message: impl Into<String>) -> AppError {
        AppError::api(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::IdempotencyMismatch,
            message,
        )
    }

    /// 413: the body is too large.
    pub fn payload_too_large(message: impl Into<String>) -> AppError {
        AppError::api(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
            message,
        )
    }

    /// 415: the body is not JSON.
    pub fn unsupported_media_type(message: impl Into<String>) -> AppError {
        AppError::api(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            message,
        )
    }

    /// 429: too many attempts; `retry_after` is sent as the `Retry-After` header.
    pub fn rate_limited(message: impl Into<String>, retry_after: Duration) -> AppError {
        AppError::Api {
            status: StatusCode::TOO_MANY_REQUESTS,
            error: ApiError::new(ErrorCode::RateLimited, message),
            retry_after: Some(retry_after),
        }
    }

    /// 503: the server cannot answer right now (a timeout, the database is down).
    pub fn unavailable(message: impl Into<String>) -> AppError {
        AppError::api(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Internal,
            message,
        )
    }

    /// Any server-side failure.
    pub fn internal(error: impl Into<BoxError>) -> AppError {
        AppError::Internal(error.into())
    }

    /// Adds a per-field message (to a client error).
    pub fn with_field(mut self, field: impl Into<String>, message: impl Into<String>) -> AppError {
        if let AppError::Api { error, .. } = &mut self {
            error.fields.insert(field.into(), message.into());
        }
        self
    }

    /// The error a bare status code (from a tower layer or axum itself) stands for, so that
    /// every `/api` response has an [`ApiError`] body.
    pub fn from_status(status: StatusCode) -> AppError {
        match status {
            StatusCode::NOT_FOUND => AppError::not_found("there is no API endpoint at this path"),
            StatusCode::METHOD_NOT_ALLOWED => {
                AppError::method_not_allowed("this endpoint does not accept this method")
            }
            StatusCode::PAYLOAD_TOO_LARGE => {
                AppError::payload_too_large("the request body is larger than this endpoint accepts")
            }
            StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::unsupported_media_type(
                "send the body as JSON with the header Content-Type: application/json",
            ),
            StatusCode::TOO_MANY_REQUESTS => AppError::rate_limited(
                "too many requests; try again later",
                Duration::from_secs(60),
            ),
            StatusCode::REQUEST_TIMEOUT | StatusCode::SERVICE_UNAVAILABLE => {
                AppError::unavailable("the server took too long to answer; please try again")
            }
            StatusCode::UNAUTHORIZED => AppError::unauthorized("sign in first"),
            StatusCode::FORBIDDEN => AppError::forbidden("this is not allowed"),
            status if status.is_client_error() => AppError::Api {
                status,
                error: ApiError::new(
                    ErrorCode::BadRequest,
                    status
                        .canonical_reason()
                        .unwrap_or("the request could not be handled"),
                ),
                retry_after: None,
            },
            status => AppError::internal(format!("a layer answered {status} with no body")),
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        AppError::internal(error)
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(error: tokio::task::JoinError) -> Self {
        AppError::internal(error)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, error, retry_after) = match self {
            AppError::Api {
                status,
                error,
                retry_after,
            } => (status, error, retry_after),
            AppError::Internal(source) => {
                let request_id = current_request_id();
                tracing::error!(
                    request_id = request_id.as_deref().unwrap_or("-"),
                    error = %error_chain(source.as_ref()),
                    "request failed"
                );
                let mut error = ApiError::new(
                    ErrorCode::Internal,
                    "something went wrong on the server; please try again, and quote the \
                     request id if it keeps happening",
                );
                error.request_id = request_id;
                (StatusCode::INTERNAL_SERVER_ERROR, error, None)
            }
        };
        let mut response = (status, axum::Json(error)).into_response();
        if let Some(wait) = retry_after {
            // Whole seconds, rounded up so a client never retries too early.
            let seconds = wait.as_millis().div_ceil(1000).max(1);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds as u64));
        }
        response
    }
}

/// `outer: inner: innermost`, for the log.
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body(response: Response) -> ApiError {
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[tokio::test]
    async fn an_internal_error_hides_its_cause_and_quotes_the_request_id() {
        let response = with_request_id("req-1".into(), async {
            AppError::internal("SELECT failed: table staff is locked").into_response()
        })
        .await;
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let error = body(response).await;
        assert_eq!(error.code, ErrorCode::Internal);
        assert_eq!(error.request_id.as_deref(), Some("req-1"));
        assert!(!error.message.contains("SELECT"));
    }

    #[tokio::test]
    async fn rate_limited_sends_retry_after_in_whole_seconds() {
        let response = AppError::rate_limited("wait", Duration::from_millis(1500)).into_response();
        assert_eq!(response.headers()[header::RETRY_AFTER], "2");
        assert_eq!(body(response).await.code, ErrorCode::RateLimited);
    }

    #[tokio::test]
    async fn field_messages_reach_the_body() {
        let response = AppError::validation(BTreeMap::new())
            .with_field("email", "enter an email address")
            .into_response();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            body(response).await.fields["email"],
            "enter an email address"
        );
    }
}
