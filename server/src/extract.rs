//! Request extractors whose rejections are [`AppError`]s, so a bad request always gets a
//! specific JSON [`haven_api::ApiError`] instead of axum's plain-text rejection.

use std::net::{IpAddr, SocketAddr};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// A JSON request body (with specific errors for every way it can be wrong) or response body.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(request.headers()) {
            return Err(AppError::unsupported_media_type(
                "send the body as JSON with the header Content-Type: application/json",
            ));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(body_rejection)?;
        parse_json(&bytes).map(Json)
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

pub(crate) fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Why a body could not be read: too large, or the connection failed.
pub(crate) fn body_rejection(rejection: BytesRejection) -> AppError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::payload_too_large("the request body is larger than this endpoint accepts")
    } else {
        AppError::bad_request(format!(
            "the request body could not be read: {}",
            rejection.body_text()
        ))
    }
}

/// Parses a JSON body, naming what is wrong: not UTF-8, not JSON, or not the expected shape
/// (with the path of the field at fault).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(AppError::bad_request(
            "the request body is empty; send a JSON object",
        ));
    }
    if let Err(error) = std::str::from_utf8(bytes) {
        return Err(AppError::bad_request(format!(
            "the request body is not valid UTF-8 text (bad byte at position {})",
            error.valid_up_to()
        )));
    }
    let not_json = |error: serde_json::Error| {
        AppError::bad_request(format!("the request body is not valid JSON: {error}"))
    };
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if !inner.is_data() {
            return not_json(inner);
        }
        // serde_path_to_error stops at the parent of a missing field; the message names it.
        let field = missing_field(&inner.to_string())
            .map(|name| {
                if path == "." {
                    name
                } else {
                    format!("{path}.{name}")
                }
            })
            .unwrap_or(path);
        let message =
            format!("the request body does not match what this endpoint expects: {field}: {inner}");
        AppError::bad_request(message).with_field(field, inner.to_string())
    })?;
    deserializer.end().map_err(not_json)?;
    Ok(value)
}

/// The field name in "missing field `email` at line …".
fn missing_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `")?;
    rest.split_once('`').map(|(name, _)| name.to_owned())
}

/// Query-string parameters, with a 400 [`AppError`] naming the bad parameter.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| Query(value))
            .map_err(|rejection| {
                AppError::bad_request(format!(
                    "the query string is not right: {}",
                    rejection.body_text()
                ))
            })
    }
}

/// The client's IP address: the peer's, when the server was started with connection info (as
/// [`crate::serve`] does); `None` otherwise, for example in a bare `axum::serve`.
///
/// Forwarding headers are trusted only from the proxies the configuration names
/// (`[server] trusted_proxies`): then the client is the nearest address in `X-Forwarded-For`
/// that is not one of them. Anyone else can send the header, so from them it is ignored.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<IpAddr>);

impl FromRequestParts<crate::AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &crate::AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(
            &parts.headers,
            &parts.extensions,
            state.trusted_proxies(),
        )))
    }
}

/// The client's address for a request's headers and extensions; see [`ClientIp`].
pub fn client_ip(
    headers: &HeaderMap,
    extensions: &axum::http::Extensions,
    trusted: &[ipnet::IpNet],
) -> Option<IpAddr> {
    let peer = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip())?;
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return Some(peer);
    }
    // Each proxy appends the address it received from; read from the nearest one back.
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    for hop in forwarded.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(ip) if is_trusted(&ip) => continue,
            Ok(ip) => return Some(ip),
            // A malformed hop: nothing before it can be trusted.
            Err(_) => return Some(peer),
        }
    }
    Some(peer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use haven_api::ErrorCode;
    use haven_api::staff::{CreateStaffRequest, SignInRequest};

    fn api_error(result: Result<impl Sized, AppError>) -> haven_api::ApiError {
        match result {
            Err(AppError::Api { error, .. }) => error,
            Err(other) => panic!("not a client error: {other}"),
            Ok(_) => panic!("parsed"),
        }
    }

    fn connected(from: &str) -> axum::http::Extensions {
        let mut extensions = axum::http::Extensions::new();
        extensions.insert(ConnectInfo(SocketAddr::new(from.parse().unwrap(), 4000)));
        extensions
    }

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", value.parse().unwrap());
        headers
    }

    #[test]
    fn forwarding_headers_count_only_from_trusted_proxies() {
        let trusted: Vec<ipnet::IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        // Directly connected: the header is anyone's to forge.
        assert_eq!(
            client_ip(&forwarded("1.2.3.4"), &connected("203.0.113.9"), &trusted),
            ip("203.0.113.9")
        );
        // Through the clinic's proxy: the nearest untrusted hop.
        assert_eq!(
            client_ip(
                &forwarded("6.6.6.6, 198.51.100.7, 10.1.2.3"),
                &connected("10.0.0.2"),
                &trusted
            ),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_ip(&HeaderMap::new(), &connected("10.0.0.2"), &trusted),
            ip("10.0.0.2")
        );
        assert_eq!(
            client_ip(&forwarded("nonsense"), &connected("10.0.0.2"), &trusted),
            ip("10.0.0.2")
        );
        assert_eq!(
            client_ip(&forwarded("1.2.3.4"), &connected("10.0.0.2"), &[]),
            ip("10.0.0.2")
        );
    }

    #[test]
    fn a_missing_field_is_named() {
        let error = api_error(parse_json::<SignInRequest>(br#"{"email":"a@b.c"}"#));
        assert_eq!(error.code, ErrorCode::BadRequest);
        assert!(
            error.fields["password"].contains("missing field `password`"),
            "{error:?}"
        );
    }

    #[test]
    fn an_unknown_field_is_named() {
        let error = api_error(parse_json::<SignInRequest>(
            br#"{"email":"a@b.c","password":"x","remember":true}"#,
        ));
        assert!(error.fields.contains_key("remember"), "{error:?}");
    }

    #[test]
    fn a_wrong_type_is_named_by_its_path() {
        let error = api_error(parse_json::<CreateStaffRequest>(
            br#"{"email":"a@b.c","role":"owner","password":"x"}"#,
        ));
        assert!(
            error.fields["role"].contains("unknown variant `owner`"),
            "{error:?}"
        );
        assert!(error.message.contains("role"), "{error:?}");
    }

    #[test]
    fn broken_json_trailing_text_and_bad_utf8_each_say_what_is_wrong() {
        let broken = api_error(parse_json::<SignInRequest>(br#"{"email":"#));
        assert!(
            broken
                .message
                .starts_with("the request body is not valid JSON"),
            "{broken:?}"
        );
        let trailing = api_error(parse_json::<SignInRequest>(
            br#"{"email":"a","password":"b"} x"#,
        ));
        assert!(
            trailing.message.contains("trailing characters"),
            "{trailing:?}"
        );
        let utf8 = api_error(parse_json::<SignInRequest>(b"{\"email\":\"\xff\"}"));
        assert!(utf8.message.contains("not valid UTF-8"), "{utf8:?}");
        let empty = api_error(parse_json::<SignInRequest>(b" "));
        assert!(empty.message.contains("empty"), "{empty:?}");
    }

    #[test]
    fn json_content_types_are_recognised() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, value.parse().unwrap());
            is_json(&headers)
        };
        assert!(with("application/json"));
        assert!(with("Application/JSON; charset=utf-8"));
        assert!(with("application/problem+json"));
        assert!(!with("text/plain"));
        assert!(!is_json(&HeaderMap::new()));
    }
}
