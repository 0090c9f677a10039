//! The Idempotency-Key layer, on small routes mounted only for these tests.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Extension;
use axum::response::IntoResponse;
use haven_server::clock::Clock;
use haven_server::idempotency::{Answer, Claim, Completed};
use tokio::sync::Semaphore;

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

/// How many times the handlers really ran, and the gates the slow handlers wait at.
#[derive(Clone)]
struct Calls(Arc<AtomicUsize>, Gates);

/// `started` gets a permit when a slow handler has begun; it ends when `release` has one.
#[derive(Clone)]
struct Gates {
    started: Arc<Semaphore>,
    release: Arc<Semaphore>,
}

impl Default for Calls {
    fn default() -> Self {
        Calls(
            Arc::default(),
            Gates {
                started: Arc::new(Semaphore::new(0)),
                release: Arc::new(Semaphore::new(0)),
            },
        )
    }
}

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
            calls.1.started.add_permits(1);
            calls.1.release.acquire().await.unwrap().forget();
            (
                AxumStatus::CREATED,
                Json(json!({ "call": calls.next(), "echo": body })),
            )
        }
    };
    // Answers 429, 401, 409, 408, 425 and 403 in turn, then 201.
    let refused = {
        let calls = calls.clone();
        move || async move {
            let statuses = [429, 401, 409, 408, 425, 403];
            let call = calls.next();
            match statuses.get(call - 1) {
                Some(&code) => (
                    AxumStatus::from_u16(code).unwrap(),
                    Json(json!({ "code": "rate_limited", "message": "not now" })),
                ),
                None => (AxumStatus::CREATED, Json(json!({ "call": call }))),
            }
        }
    };
    let located = {
        let calls = calls.clone();
        move || async move {
            (
                AxumStatus::CREATED,
                [("location", "/api/test/things/1")],
                Json(json!({ "call": calls.next() })),
            )
        }
    };
    // Completes its key in its own "transaction", then hangs until the client goes away.
    let committed = {
        let calls = calls.clone();
        let state = state.clone();
        move |Extension(claim): Extension<Claim>| async move {
            let call = calls.next();
            let body = json!({ "call": call }).to_string();
            let mut connection = state.pool().acquire().await.unwrap();
            claim
                .complete_in(
                    &mut connection,
                    Answer {
                        status: AxumStatus::CREATED,
                        body: &body,
                        content_type: Some("application/json"),
                        location: None,
                    },
                )
                .await
                .unwrap();
            drop(connection);
            calls.1.started.add_permits(1);
            if call == 1 {
                std::future::pending::<()>().await;
            }
            let mut response = (AxumStatus::CREATED, body).into_response();
            response.extensions_mut().insert(Completed);
            response
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
        .route(
            "/api/test/refused",
            post(refused).layer(idempotency::require(state, "refused")),
        )
        .route(
            "/api/test/located",
            post(located).layer(idempotency::require(state, "located")),
        )
        .route(
            "/api/test/committed",
            post(committed).layer(idempotency::require(state, "committed")),
        )
}

/// The test clock's start: 1 December 2026.
const START: i64 = 1_796_083_200_000;

async fn spawn(ttl: Option<Duration>) -> (TestApp, Calls) {
    let calls = Calls::default();
    let app = TestApp::spawn_with(
        |options| {
            options.clock = Clock::manual(START);
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
    calls.1.started.acquire().await.unwrap().forget();
    let (status, error) = api_error(send(&app, "/api/test/slow", Some(KEY), &body).await).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(error.code, ErrorCode::Conflict);
    calls.1.release.add_permits(1);

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
    let first = send_in_background(&app, "/api/test/slow", &body);
    calls.1.started.acquire().await.unwrap().forget();
    let tasks: Vec<_> = (0..4)
        .map(|_| send_in_background(&app, "/api/test/slow", &body))
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap().status());
    }
    calls.1.release.add_permits(1);
    statuses.push(first.await.unwrap().status());
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
    let (app, calls) = spawn(Some(Duration::from_secs(30 * 24 * 60 * 60))).await;
    let body = json!({ "reason": "checkup" });
    send(&app, "/api/test/echo", Some(KEY), &body).await;
    app.state
        .options()
        .clock
        .advance(Duration::from_secs(30 * 24 * 60 * 60));
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
    let (app, _calls) = spawn(Some(Duration::from_secs(60))).await;
    send(&app, "/api/test/echo", Some(KEY), &json!({})).await;
    send(&app, "/api/test/other", Some(KEY), &json!({})).await;
    let ttl = app.state.options().idempotency_ttl;
    let clock = &app.state.options().clock;
    let purge = || idempotency::purge_expired(app.state.pool(), ttl, clock.now_ms());
    assert_eq!(purge().await.unwrap(), 0);
    clock.advance(Duration::from_secs(59));
    assert_eq!(purge().await.unwrap(), 0);
    clock.advance(Duration::from_secs(1));
    assert_eq!(purge().await.unwrap(), 2);
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

#[tokio::test]
async fn refusals_a_retry_could_overcome_are_not_replayed() {
    let (app, calls) = spawn(None).await;
    for expected in [429, 401, 409, 408, 425, 403] {
        let response = send(&app, "/api/test/refused", Some(KEY), &json!({})).await;
        assert_eq!(response.status().as_u16(), expected);
        assert_eq!(header(&response, "idempotent-replayed"), "");
    }
    let accepted = send(&app, "/api/test/refused", Some(KEY), &json!({})).await;
    assert_eq!(accepted.status(), StatusCode::CREATED);
    let replayed = send(&app, "/api/test/refused", Some(KEY), &json!({})).await;
    assert_eq!(header(&replayed, "idempotent-replayed"), "true");
    assert_eq!(calls.count(), 7);
}

#[tokio::test]
async fn a_replay_keeps_the_location_of_what_was_created() {
    let (app, calls) = spawn(None).await;
    let first = send(&app, "/api/test/located", Some(KEY), &json!({})).await;
    assert_eq!(header(&first, "location"), "/api/test/things/1");
    let replayed = send(&app, "/api/test/located", Some(KEY), &json!({})).await;
    assert_eq!(header(&replayed, "idempotent-replayed"), "true");
    assert_eq!(header(&replayed, "location"), "/api/test/things/1");
    assert_eq!(calls.count(), 1);
}

#[tokio::test]
async fn a_client_that_goes_away_after_the_handler_committed_gets_the_stored_answer() {
    let (app, calls) = spawn(None).await;
    let first = send_in_background(&app, "/api/test/committed", &json!({}));
    calls.1.started.acquire().await.unwrap().forget();
    // The connection drops after the commit, before any answer.
    first.abort();
    let _ = first.await;
    // The server notices the closed connection and drops the request; a retry then finds the
    // key complete (before, the drop deleted it and the handler ran again).
    let retry = loop {
        let retry = send(&app, "/api/test/committed", Some(KEY), &json!({})).await;
        if retry.status() != StatusCode::CONFLICT {
            break retry;
        }
        tokio::task::yield_now().await;
    };
    assert_eq!(retry.status(), StatusCode::CREATED);
    assert_eq!(header(&retry, "idempotent-replayed"), "true");
    assert_eq!(retry.json::<Value>().await.unwrap(), json!({ "call": 1 }));
    assert_eq!(calls.count(), 1);
}
