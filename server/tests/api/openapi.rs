use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::TestApp;

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/openapi.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    let document: Value = response.json().await.unwrap();
    assert!(
        document["openapi"].as_str().unwrap().starts_with("3."),
        "{}",
        document["openapi"]
    );
    let routes = [
        ("/api/config", "get"),
        ("/healthz", "get"),
        ("/api/openapi.json", "get"),
        ("/api/staff/sign-in", "post"),
        ("/api/staff/session", "get"),
        ("/api/staff/sign-out", "post"),
        ("/api/staff/accounts", "get"),
        ("/api/staff/accounts", "post"),
        ("/api/staff/accounts/{id}", "patch"),
        ("/api/staff/accounts/{id}", "delete"),
        ("/api/staff/audit", "get"),
        ("/api/content/{lang}", "get"),
        ("/api/search-misses", "post"),
        ("/api/staff/search-misses", "get"),
        ("/api/staff/content", "get"),
        ("/api/appointment-requests", "post"),
        ("/api/appointment-requests/{id}", "get"),
        ("/api/appointment-requests/{id}/answer", "post"),
        ("/api/staff/appointment-requests", "get"),
        ("/api/staff/appointment-requests/{id}", "get"),
        ("/api/staff/appointment-requests/{id}/actions", "post"),
        ("/api/staff/appointment-requests/{id}/fhir", "get"),
        ("/api/staff/appointment-requests.csv", "get"),
    ];
    for (path, method) in routes {
        assert!(
            document["paths"][path][method].is_object(),
            "{method} {path} is documented"
        );
    }
    let documented: usize = document["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|item| item.as_object().unwrap().len())
        .sum();
    assert_eq!(
        documented,
        routes.len(),
        "no undocumented extras or missing routes"
    );

    let sign_in_401 = &document["paths"]["/api/staff/sign-in"]["post"]["responses"]["401"];
    assert_eq!(
        sign_in_401["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ApiError"
    );
    assert_eq!(
        document["components"]["securitySchemes"]["session_cookie"]["name"],
        "haven_session"
    );
    assert_eq!(
        document["components"]["securitySchemes"]["csrf_token"]["name"],
        "X-CSRF-Token"
    );
    assert_eq!(
        document["components"]["parameters"]["IdempotencyKey"]["name"],
        "Idempotency-Key"
    );
    let sign_out_security = &document["paths"]["/api/staff/sign-out"]["post"]["security"][0];
    assert!(
        sign_out_security.get("csrf_token").is_some(),
        "{sign_out_security}"
    );
    assert_eq!(
        document["components"]["schemas"]["PublicConfig"]["type"],
        "object"
    );
}
