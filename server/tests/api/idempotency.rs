//! The Idempotency-Key layer, on small routes mounted only for these tests.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode as AxumStatus;
use axum::routing::post;
use haven_api::ErrorCode;
use haven_server::extract::Json;
use haven_server::{AppState, idempotency};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, api_error, header};

const KEY: &str = "3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b";

/// How many times the handlers really ran.
#[derive(Clone, Default)]
struct Calls(Arc<AtomicUsize>);

impl Calls {
    fn next(&self) -> usize {
        self.0.fetch_add(1, Ordering::SeqCst) + 1
    }

    fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

fn routes(state: &AppState, calls: &Calls) -> Router<AppState> {
    let echo = {
        let calls = calls.clone();
        move |Json(body): Json<Value>| async move {
            (
                AxumStatus::CREATED,
                Json(json!({ "call": calls.next(), "echo": body })),
            )
        }
    };
    let slow = {
        let calls = calls.clone();
        move |Json(body): Json<Value>| async move {
            tokio::time::sleep(Duration::from_millis(1500)).await;
            (
                AxumStatus::CREATED,
                Json(json!({ "call": calls.next(), "echo": body })),
            )
        }
    };
    let flaky = {
        let calls = calls.clone();
        move || async move {
            match calls.next() {
                1 => (
                    AxumStatus::INTERNAL_SERVER_ERROR,
                    Json(json!({ "code": "internal", "message": "try again" })),
                ),
                call => (AxumStatus::CREATED, Json(json!({ "call": call }))),
            }
        }
    };
    let reject = {
        let calls = calls.clone();
        move || async move {
            calls.next();
            (
                AxumStatus::UNPROCESSABLE_ENTITY,
                Json(json!({ "code": "validation", "message": "no" })),
            )
        }
    };
    Router::new()
        .route(
            "/api/test/echo",
            post(echo.clone()).layer(idempotency::require(state, "echo")),
        )
        .route(
            "/api/test/other",
            post(echo).layer(idempotency::require(state, "other")),
        )
        .route(
            "/api/test/slow",
            post(slow).layer(idempotency::require(state, "slow")),
        )
        .route(
            "/api/test/flaky",
            post(flaky).layer(idempotency::require(state, "flaky")),
        )
        .route(
            "/api/test/reject",
            post(reject).layer(idempotency::require(state, "reject")),
        )
}

async fn spawn(ttl: Option<Duration>) -> (TestApp, Calls) {
    let calls = Calls::default();
    let app = TestApp::spawn_with(
        |options| {
            if let Some(ttl) = ttl {
                options.idempotency_ttl = ttl;
            }
        },
        |state| routes(state, &calls),
    )
    .await;
    (app, calls)
}

async fn send(app: &TestApp, path: &str, key: Option<&str>, body: &Value) -> reqwest::Response {
    let mut request = app.client.post(app.url(path)).json(body);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn a_request_sent_twice_is_answered_once_from_the_store() {
    let (app, calls) = spawn(None).await;
    let body = json!({ "reason": "checkup" });
    let first = send(&app, "/api/test/echo", Some(KEY), &body).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    assert_eq!(header(&first, "idempotent-replayed"), "");
    let first_body = first.text().await.unwrap();

    let second = send(&app, "/api/test/echo", Some(KEY), &body).await;
    assert_eq!(second.status(), StatusCode::CREATED);
    assert_eq!(header(&second, "idempotent-replayed"), "true");
    assert_eq!(header(&second, "content-type"), "application/json");
    assert_eq!(second.text().await.unwrap(), first_body);
    assert_eq!(calls.count(), 1);
}

#[tokio::test]
async fn a_request_without_a_key_is_refused_with_a_400() {
    let (app, calls) = spawn(None).await;
    let (status, error) = api_error(send(&app, "/api/test/echo", None, &json!({})).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error.code, ErrorCode::BadRequest);
    assert!(
        error
            .message
            .starts_with("this endpoint needs an Idempotency-Key header"),
        "{error:?}"
    );
    assert_eq!(calls.count(), 0);
}

#[tokio::test]
async fn a_malformed_key_is_refused_with_its_own_400() {
    let (app, calls) = spawn(None).await;
    for bad in ["short", "has spaces in it", &"k".repeat(129)] {
        let (status, error) =
            api_error(send(&app, "/api/test/echo", Some(bad), &json!({})).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(
            error
                .message
                .starts_with("the Idempotency-Key header must be 8 to 128 characters"),
            "{error:?}"
        );
    }
    assert_eq!(calls.count(), 0);
}

#[tokio::test]
async fn the_same_key_with_another_body_gets_422_idempotency_mismatch() {
    let (app, calls) = spawn(None).await;
    send(
        &app,
        "/api/test/echo",
        Some(KEY),
        &json!({ "reason": "checkup" }),
    )
    .await;
    let (status, error) = api_error(
        send(
            &app,
            "/api/test/echo",
            Some(KEY),
            &json!({ "reason": "dental" }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error.code, ErrorCode::IdempotencyMismatch);
    assert_eq!(calls.count(), 1);
}

/// Sends in a task of its own, so several requests overlap.
fn send_in_background(
    app: &TestApp,
    path: &str,
    body: &Value,
) -> tokio::task::JoinHandle<reqwest::Response> {
    let (client, url, body) = (app.client.clone(), app.url(path), body.clone());
    tokio::spawn(async move {
        client
            .post(url)
            .header("Idempotency-Key", KEY)
            .json(&body)
            .send()
            .await
            .unwrap()
    })
}

#[tokio::test]
async fn a_repeat_while_the_first_is_in_flight_gets_409_conflict() {
    let (app, calls) = spawn(None).await;
    let body = json!({ "reason": "checkup" });
    let first = send_in_background(&app, "/api/test/slow", &body);
    tokio::time::sleep(Duration::from_millis(250)).await;
    let (status, error) = api_error(send(&app, "/api/test/slow", Some(KEY), &body).await).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(error.code, ErrorCode::Conflict);

    assert_eq!(first.await.unwrap().status(), StatusCode::CREATED);
    let after = send(&app, "/api/test/slow", Some(KEY), &body).await;
    assert_eq!(after.status(), StatusCode::CREATED);
    assert_eq!(header(&after, "idempotent-replayed"), "true");
    assert_eq!(calls.count(), 1);
}

#[tokio::test]
async fn concurrent_first_requests_run_the_handler_once() {
    let (app, calls) = spawn(None).await;
    let body = json!({ "reason": "checkup" });
    let tasks: Vec<_> = (0..5)
        .map(|_| send_in_background(&app, "/api/test/slow", &body))
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap().status());
    }
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CONFLICT)
            .count(),
        4,
        "{statuses:?}"
    );
    assert_eq!(calls.count(), 1);
}

#[tokio::test]
async fn a_server_error_releases_the_key_so_the_client_may_retry() {
    let (app, calls) = spawn(None).await;
    let (status, _) = api_error(send(&app, "/api/test/flaky", Some(KEY), &json!({})).await).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    let retry = send(&app, "/api/test/flaky", Some(KEY), &json!({})).await;
    assert_eq!(retry.status(), StatusCode::CREATED);
    assert_eq!(header(&retry, "idempotent-replayed"), "");
    let again = send(&app, "/api/test/flaky", Some(KEY), &json!({})).await;
    assert_eq!(header(&again, "idempotent-replayed"), "true");
    assert_eq!(again.json::<Value>().await.unwrap(), json!({ "call": 2 }));
    assert_eq!(calls.count(), 2);
}

#[tokio::test]
async fn a_client_error_is_stored_and_replayed_too() {
    let (app, calls) = spawn(None).await;
    let first = send(&app, "/api/test/reject", Some(KEY), &json!({})).await;
    assert_eq!(first.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let second = send(&app, "/api/test/reject", Some(KEY), &json!({})).await;
    assert_eq!(second.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(header(&second, "idempotent-replayed"), "true");
    assert_eq!(calls.count(), 1);
}

#[tokio::test]
async fn an_expired_key_counts_as_new() {
    let (app, calls) = spawn(Some(Duration::from_millis(300))).await;
    let body = json!({ "reason": "checkup" });
    send(&app, "/api/test/echo", Some(KEY), &body).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    let later = send(
        &app,
        "/api/test/echo",
        Some(KEY),
        &json!({ "reason": "dental" }),
    )
    .await;
    assert_eq!(later.status(), StatusCode::CREATED);
    assert_eq!(header(&later, "idempotent-replayed"), "");
    assert_eq!(later.json::<Value>().await.unwrap()["call"], 2);
    assert_eq!(calls.count(), 2);
}

#[tokio::test]
async fn expired_keys_are_purged() {
    let (app, _calls) = spawn(Some(Duration::from_secs(1))).await;
    send(&app, "/api/test/echo", Some(KEY), &json!({})).await;
    send(&app, "/api/test/other", Some(KEY), &json!({})).await;
    let ttl = app.state.options().idempotency_ttl;
    assert_eq!(
        idempotency::purge_expired(app.state.pool(), ttl)
            .await
            .unwrap(),
        0
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(
        idempotency::purge_expired(app.state.pool(), ttl)
            .await
            .unwrap(),
        2
    );
}

#[tokio::test]
async fn the_same_key_in_another_scope_is_a_new_request() {
    let (app, calls) = spawn(None).await;
    send(&app, "/api/test/echo", Some(KEY), &json!({})).await;
    let other = send(&app, "/api/test/other", Some(KEY), &json!({})).await;
    assert_eq!(other.status(), StatusCode::CREATED);
    assert_eq!(header(&other, "idempotent-replayed"), "");
    assert_eq!(calls.count(), 2);
}

#[tokio::test]
async fn a_bad_body_is_answered_by_the_handler_and_remembered() {
    let (app, calls) = spawn(None).await;
    let send_bad = || {
        app.client
            .post(app.url("/api/test/echo"))
            .header("Idempotency-Key", KEY)
            .header("content-type", "application/json")
            .body("{not json")
            .send()
    };
    let (status, error) = api_error(send_bad().await.unwrap()).await;
    assert_eq!(
        (status, error.code),
        (StatusCode::BAD_REQUEST, ErrorCode::BadRequest)
    );
    let again = send_bad().await.unwrap();
    assert_eq!(header(&again, "idempotent-replayed"), "true");
    assert_eq!(api_error(again).await.1, error);
    assert_eq!(calls.count(), 0);
}
