use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{TestApp, header};

#[tokio::test]
async fn the_public_configuration_is_served_without_embedding_or_server_settings() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/config").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "cache-control"), "no-cache");
    assert!(!header(&response, "etag").is_empty());
    let config: Value = response.json().await.unwrap();
    assert_eq!(config["clinic"]["id"], "demo");
    assert_eq!(config["clinic"]["brand_color"], "#0b6e75");
    assert_eq!(config["crisis_lines"][0]["phone"], "1900 1267");
    assert_eq!(config["community_groups"].as_array().unwrap().len(), 5);
    assert!(config.get("embedding").is_none(), "{config}");
    assert!(config.get("server").is_none(), "{config}");
    assert!(!config.to_string().contains("localhost:8081"));
}

#[tokio::test]
async fn the_configuration_is_revalidated_with_its_etag() {
    let app = TestApp::spawn().await;
    let etag = header(&app.get("/api/config").await, "etag").to_owned();
    let again = app
        .client
        .get(app.url("/api/config"))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(header(&again, "etag"), etag);
    let stale = app
        .client
        .get(app.url("/api/config"))
        .header("If-None-Match", "\"other\"")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::OK);
}
