use std::time::Duration;

use axum::Router;
use axum::routing::get;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, header};

#[tokio::test]
async fn the_health_check_answers_ok_when_the_database_does() {
    let app = TestApp::spawn().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "cache-control"), "no-store");
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({ "status": "ok" })
    );
}

#[tokio::test]
async fn the_health_check_answers_503_when_the_database_is_gone() {
    let app = TestApp::spawn().await;
    app.state.pool().close().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({ "status": "unavailable" })
    );
}

#[tokio::test]
async fn the_server_stops_gracefully() {
    let app = TestApp::spawn().await;
    let address = app.address.clone();
    app.stop().await;
    assert!(reqwest::get(format!("{address}/healthz")).await.is_err());
}

#[tokio::test]
async fn requests_in_flight_finish_when_the_server_stops() {
    async fn slow() -> &'static str {
        tokio::time::sleep(Duration::from_millis(1000)).await;
        "finished"
    }
    let app =
        TestApp::spawn_with(|_| {}, |_| Router::new().route("/api/test/slow", get(slow))).await;
    let request = tokio::spawn(app.client.get(app.url("/api/test/slow")).send());
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.stop().await;
    let response = request
        .await
        .unwrap()
        .expect("the request in flight is answered");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap(), "finished");
}
