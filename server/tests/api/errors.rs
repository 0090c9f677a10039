//! Every way a request can be wrong gets a specific 4xx with an `ApiError` body.

use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};
use haven_api::ErrorCode;
use haven_server::AppState;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, api_error, header};

const SIGN_IN: &str = "/api/staff/sign-in";

async fn post_raw(
    app: &TestApp,
    body: impl Into<reqwest::Body>,
    content_type: &str,
) -> reqwest::Response {
    app.client
        .post(app.url(SIGN_IN))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn malformed_json_gets_a_400_naming_the_problem() {
    let app = TestApp::spawn().await;
    let (status, error) = api_error(
        post_raw(
            &app,
            r#"{"email": "a@b.co", "password": "#,
            "application/json",
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error.code, ErrorCode::BadRequest);
    assert!(
        error
            .message
            .starts_with("the request body is not valid JSON: EOF while parsing"),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_wrong_type_gets_a_400_naming_the_field() {
    let app = TestApp::spawn().await;
    let (status, error) = api_error(
        app.post_json(SIGN_IN, &json!({ "email": 5, "password": "x" }))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        error.fields["email"].starts_with("invalid type: integer `5`, expected a string"),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_missing_field_gets_a_400_naming_it() {
    let app = TestApp::spawn().await;
    let (status, error) =
        api_error(app.post_json(SIGN_IN, &json!({ "email": "a@b.co" })).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        error.fields["password"].starts_with("missing field `password`"),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_unknown_field_gets_a_400_naming_it() {
    let app = TestApp::spawn().await;
    let body = json!({ "email": "a@b.co", "password": "x", "remember_me": true });
    let (status, error) = api_error(app.post_json(SIGN_IN, &body).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        error.fields["remember_me"].starts_with("unknown field `remember_me`"),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_body_that_is_not_utf8_gets_a_400() {
    let app = TestApp::spawn().await;
    let body = b"{\"email\": \"\xff\xfe\", \"password\": \"x\"}".to_vec();
    let (status, error) = api_error(post_raw(&app, body, "application/json").await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        error.message,
        "the request body is not valid UTF-8 text (bad byte at position 11)"
    );
}

#[tokio::test]
async fn a_body_that_is_not_declared_json_gets_a_415() {
    let app = TestApp::spawn().await;
    let (status, error) =
        api_error(post_raw(&app, r#"{"email":"a@b.co","password":"x"}"#, "text/plain").await).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(error.code, ErrorCode::UnsupportedMediaType);
    assert!(
        error.message.contains("Content-Type: application/json"),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_oversized_body_gets_a_413_in_json() {
    let app = TestApp::spawn().await;
    let body = json!({ "email": "a@b.co", "password": "x".repeat(70 * 1024) });
    let (status, error) = api_error(app.post_json(SIGN_IN, &body).await).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error.code, ErrorCode::PayloadTooLarge);
}

#[tokio::test]
async fn an_unknown_api_route_gets_a_json_404() {
    let app = TestApp::spawn().await;
    for path in ["/api/nope", "/api", "/api/staff/nope/deeper"] {
        let (status, error) = api_error(app.get(path).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(error.code, ErrorCode::NotFound);
        assert_eq!(error.message, format!("there is no API endpoint at {path}"));
    }
    let (status, _) = api_error(app.post_json("/api/nope", &json!({})).await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_wrong_method_gets_a_json_405_naming_the_allowed_ones() {
    let app = TestApp::spawn().await;
    let response = app.get(SIGN_IN).await;
    assert_eq!(header(&response, "allow"), "POST");
    let (status, error) = api_error(response).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        error.message,
        "this endpoint does not accept GET; the Allow header lists what it accepts"
    );
}

#[tokio::test]
async fn api_responses_are_not_cached_sniffed_or_shared_cross_origin() {
    let app = TestApp::spawn().await;
    for path in ["/api/staff/session", "/api/nope", "/api/openapi.json"] {
        let response = app
            .client
            .get(app.url(path))
            .header("Origin", "https://evil.example")
            .send()
            .await
            .unwrap();
        assert_eq!(header(&response, "cache-control"), "no-store", "{path}");
        assert_eq!(
            header(&response, "x-content-type-options"),
            "nosniff",
            "{path}"
        );
        assert_eq!(
            header(&response, "access-control-allow-origin"),
            "",
            "{path}"
        );
    }
    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, app.url(SIGN_IN))
        .header("Origin", "https://evil.example")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&preflight, "access-control-allow-origin"), "");
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_keeps_a_given_one() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/config").await;
    assert_eq!(header(&response, "x-request-id").len(), 36);
    let response = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "trace-me-123")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&response, "x-request-id"), "trace-me-123");
}

fn failing_routes(_: &AppState) -> Router<AppState> {
    async fn panics() -> &'static str {
        panic!("the test handler panics")
    }
    async fn slow() -> &'static str {
        tokio::time::sleep(Duration::from_secs(5)).await;
        "too late"
    }
    Router::new()
        .route("/api/test/panic", post(panics))
        .route("/api/test/slow", get(slow))
}

#[tokio::test]
async fn a_panicking_handler_gets_a_json_500_quoting_the_request_id() {
    let app = TestApp::spawn_with(|_| {}, failing_routes).await;
    let response = app
        .client
        .post(app.url("/api/test/panic"))
        .header("x-request-id", "req-42")
        .send()
        .await
        .unwrap();
    let (status, error) = api_error(response).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(error.code, ErrorCode::Internal);
    assert_eq!(error.request_id.as_deref(), Some("req-42"));
    assert!(!error.message.contains("panics"), "{error:?}");
    // The server is still up.
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_request_that_takes_too_long_gets_a_json_503() {
    let app = TestApp::spawn_with(
        |options| options.request_timeout = Duration::from_millis(200),
        failing_routes,
    )
    .await;
    let (status, error) = api_error(app.get("/api/test/slow").await).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(error.code, ErrorCode::Internal);
    assert!(error.message.contains("took too long"), "{error:?}");
}

#[tokio::test]
async fn responses_are_compressed_when_the_client_accepts_it() {
    let app = TestApp::spawn().await;
    for (accept, expected) in [("br", "br"), ("gzip", "gzip")] {
        let response = app
            .client
            .get(app.url("/api/openapi.json"))
            .header("accept-encoding", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(header(&response, "content-encoding"), expected);
    }
}
