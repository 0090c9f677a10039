//! The one client for Haven's API. Every call goes to the widget's own origin; errors are
//! typed so callers can tell a lost connection (keep the data, retry later) from an answer
//! the server gave (show its message, maybe fix the input).

use haven_api::{ApiError, ErrorCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestCredentials, RequestInit, Response};

/// Why an API call did not succeed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiClientError {
    /// The request never got an answer: offline, DNS, connection refused, aborted.
    #[error("network error: {0}")]
    Network(String),
    /// The server answered with an error status and body.
    #[error("HTTP {status}: {error}")]
    Api {
        /// The HTTP status.
        status: u16,
        /// The server's error.
        error: ApiError,
        /// The server's `Retry-After`, in milliseconds (with 429 and 503).
        retry_after_ms: Option<f64>,
    },
    /// The server's answer could not be read as the expected type.
    #[error("unexpected response: {0}")]
    Decode(String),
}

impl ApiClientError {
    /// Whether sending the same request again later may succeed: connection problems,
    /// timeouts, rate limits, a request still in flight, and server errors.
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiClientError::Network(_) => true,
            ApiClientError::Api { status, .. } => {
                matches!(status, 408 | 409 | 425 | 429) || *status >= 500
            }
            ApiClientError::Decode(_) => false,
        }
    }
}

fn js_error(value: JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

/// Turns a body value into JSON text, with maps as JSON objects.
pub fn to_json<T: Serialize>(value: &T) -> Result<String, ApiClientError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let js = value
        .serialize(&serializer)
        .map_err(|e| ApiClientError::Decode(e.to_string()))?;
    js_sys::JSON::stringify(&js)
        .map(String::from)
        .map_err(|e| ApiClientError::Decode(js_error(e)))
}

/// Sends a request and decodes a JSON answer, checking the status first.
async fn send(request: Request) -> Result<JsValue, ApiClientError> {
    let window = web_sys::window().ok_or_else(|| ApiClientError::Network("no window".into()))?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|e| ApiClientError::Network(js_error(e)))?
        .unchecked_into();
    let status = response.status();
    let body = match response.json() {
        Ok(promise) => JsFuture::from(promise).await.ok(),
        Err(_) => None,
    };
    if response.ok() {
        return match body {
            Some(body) => Ok(body),
            None if status == 204 => Ok(JsValue::NULL),
            // The answer was cut off on the way (the connection dropped mid-body): the request
            // may have been handled, so this is a lost answer, retried like any other.
            None => Err(ApiClientError::Network(format!(
                "the answer (HTTP {status}) was cut off"
            ))),
        };
    }
    let retry_after_ms = response
        .headers()
        .get("Retry-After")
        .ok()
        .flatten()
        // Whole seconds, as Haven's server sends them: an integer parse keeps the float
        // parser out of the bundle.
        .and_then(|seconds| seconds.trim().parse::<u32>().ok())
        .map(|seconds| f64::from(seconds) * 1000.0);
    let error = body
        .and_then(|body| serde_wasm_bindgen::from_value::<ApiError>(body).ok())
        .unwrap_or_else(|| {
            let code = if status >= 500 {
                ErrorCode::Internal
            } else {
                ErrorCode::BadRequest
            };
            ApiError::new(code, format!("HTTP {status}"))
        });
    Err(ApiClientError::Api {
        status,
        error,
        retry_after_ms,
    })
}

fn request(method: &str, path: &str, body: Option<&str>) -> Result<Request, ApiClientError> {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(RequestCredentials::SameOrigin);
    if let Some(body) = body {
        init.set_body(&JsValue::from_str(body));
    }
    let request = Request::new_with_str_and_init(path, &init)
        .map_err(|e| ApiClientError::Network(js_error(e)))?;
    let headers = request.headers();
    let _ = headers.set("Accept", "application/json");
    if body.is_some() {
        let _ = headers.set("Content-Type", "application/json");
    }
    Ok(request)
}

fn decode<T: DeserializeOwned>(value: JsValue) -> Result<T, ApiClientError> {
    serde_wasm_bindgen::from_value(value).map_err(|e| ApiClientError::Decode(e.to_string()))
}

/// `GET path` and decode the JSON answer.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiClientError> {
    decode(send(request("GET", path, None)?).await?)
}

/// `POST path` with a JSON body (already serialised) and an idempotency key, returning the
/// raw JSON answer as text so it can be stored as it came. `signal` ends the request early
/// (a timeout, or the patient deleting everything); that counts as a network error.
pub async fn post_idempotent(
    path: &str,
    json_body: &str,
    idempotency_key: &str,
    signal: &web_sys::AbortSignal,
) -> Result<String, ApiClientError> {
    let request = request("POST", path, Some(json_body))?;
    let request = Request::new_with_request_and_init(&request, &{
        let init = RequestInit::new();
        init.set_signal(Some(signal));
        init
    })
    .map_err(|e| ApiClientError::Network(js_error(e)))?;
    let _ = request
        .headers()
        .set(haven_api::idempotency::HEADER, idempotency_key);
    let answer = send(request).await?;
    js_sys::JSON::stringify(&answer)
        .map(String::from)
        .map_err(|e| ApiClientError::Decode(js_error(e)))
}

/// `POST path` with a JSON body (already serialised), for requests whose answer does not
/// matter beyond success.
pub async fn post(path: &str, json_body: &str) -> Result<(), ApiClientError> {
    send(request("POST", path, Some(json_body))?)
        .await
        .map(drop)
}

/// Adds `Authorization: Bearer <token>` to a request.
fn with_bearer(request: Request, token: &str) -> Request {
    let _ = request
        .headers()
        .set("Authorization", &format!("Bearer {token}"));
    request
}

/// `GET path` with `Authorization: Bearer <token>` (a capability the device holds, such as an
/// appointment request's secret) and decode the JSON answer.
pub async fn get_with_bearer<T: DeserializeOwned>(
    path: &str,
    token: &str,
) -> Result<T, ApiClientError> {
    decode(send(with_bearer(request("GET", path, None)?, token)).await?)
}

/// `POST path` with a JSON body (already serialised) and `Authorization: Bearer <token>`, and
/// decode the JSON answer.
pub async fn post_with_bearer<T: DeserializeOwned>(
    path: &str,
    json_body: &str,
    token: &str,
) -> Result<T, ApiClientError> {
    decode(send(with_bearer(request("POST", path, Some(json_body))?, token)).await?)
}
