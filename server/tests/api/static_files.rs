//! The widget, the console and `embed.js`: fallbacks, cache headers and security headers.

use base64::Engine;
use reqwest::StatusCode;
use sha2::{Digest, Sha256};

use crate::helpers::{CONSOLE_INLINE_SCRIPT, TestApp, WIDGET_INLINE_SCRIPT, api_error, header};

fn csp_hash(script: &str) -> String {
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes()))
    )
}

/// The CSP's directives, by name.
fn directives(csp: &str) -> Vec<(String, String)> {
    csp.split(';')
        .map(|directive| {
            let directive = directive.trim();
            let (name, value) = directive.split_once(' ').unwrap_or((directive, ""));
            (name.to_owned(), value.to_owned())
        })
        .collect()
}

fn directive(csp: &str, name: &str) -> String {
    directives(csp)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
        .unwrap_or_default()
}

#[tokio::test]
async fn the_widget_csp_allows_exactly_the_inline_script_by_its_hash() {
    let app = TestApp::spawn().await;
    let response = app.get("/").await;
    assert_eq!(response.status(), StatusCode::OK);
    let csp = header(&response, "content-security-policy").to_owned();
    assert_eq!(
        directive(&csp, "script-src"),
        format!(
            "'self' 'wasm-unsafe-eval' {}",
            csp_hash(WIDGET_INLINE_SCRIPT)
        )
    );
    let expected = [
        ("default-src", "'self'"),
        ("style-src", "'self'"),
        ("img-src", "'self' data: blob:"),
        ("connect-src", "'self'"),
        ("worker-src", "'self'"),
        ("manifest-src", "'self'"),
        ("object-src", "'none'"),
        ("base-uri", "'none'"),
        ("form-action", "'self'"),
    ];
    for (name, value) in expected {
        assert_eq!(directive(&csp, name), value, "{name} in {csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains(WIDGET_INLINE_SCRIPT)
    );
}

#[tokio::test]
async fn the_widget_may_be_framed_only_by_itself_and_the_configured_origins() {
    let origins = vec![
        "https://clinic.example".to_owned(),
        "https://www.clinic.example:8443".to_owned(),
    ];
    let app = TestApp::spawn_with(
        |options| options.config.embedding.allowed_origins = origins,
        |_| Default::default(),
    )
    .await;
    for path in ["/", "/records", "/main-0123456789abcdef.css"] {
        let response = app.get(path).await;
        let csp = header(&response, "content-security-policy");
        assert_eq!(
            directive(csp, "frame-ancestors"),
            "'self' https://clinic.example https://www.clinic.example:8443",
            "{path}"
        );
        assert_eq!(header(&response, "x-frame-options"), "", "{path}");
        assert_eq!(
            header(&response, "cross-origin-opener-policy"),
            "",
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_demo_configuration_lets_its_own_origin_frame_the_widget() {
    let app = TestApp::spawn().await;
    let response = app.get("/").await;
    assert_eq!(
        directive(
            header(&response, "content-security-policy"),
            "frame-ancestors"
        ),
        "'self' http://localhost:8081"
    );
}

#[tokio::test]
async fn the_widget_sends_privacy_and_sniffing_headers() {
    let app = TestApp::spawn().await;
    let response = app.get("/").await;
    assert_eq!(header(&response, "referrer-policy"), "no-referrer");
    assert_eq!(header(&response, "x-content-type-options"), "nosniff");
    assert_eq!(
        header(&response, "permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
    );
}

#[tokio::test]
async fn the_console_may_not_be_framed_at_all() {
    let app = TestApp::spawn().await;
    let response = app.get("/console/").await;
    assert_eq!(response.status(), StatusCode::OK);
    let csp = header(&response, "content-security-policy").to_owned();
    assert_eq!(directive(&csp, "frame-ancestors"), "'none'");
    assert_eq!(
        directive(&csp, "script-src"),
        format!(
            "'self' 'wasm-unsafe-eval' {}",
            csp_hash(CONSOLE_INLINE_SCRIPT)
        )
    );
    assert_eq!(header(&response, "x-frame-options"), "DENY");
    assert_eq!(
        header(&response, "cross-origin-opener-policy"),
        "same-origin"
    );
    assert!(response.text().await.unwrap().contains("console index"));
}

#[tokio::test]
async fn the_console_has_its_own_client_route_fallback() {
    let app = TestApp::spawn().await;
    let response = app.get("/console/accounts/new").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("console index"));
    let asset = app.get("/console/console-89abcdef01234567.js").await;
    assert_eq!(asset.status(), StatusCode::OK);
    assert_eq!(
        header(&asset, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(
        app.get("/console/missing.js").await.status(),
        StatusCode::NOT_FOUND
    );
    let bare = app.get("/console").await;
    assert_eq!(bare.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(header(&bare, "location"), "/console/");
}

#[tokio::test]
async fn index_html_is_revalidated_and_hashed_assets_are_cached_for_a_year() {
    let app = TestApp::spawn().await;
    for path in [
        "/",
        "/index.html",
        "/sw.js",
        "/manifest.webmanifest",
        "/records",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(header(&response, "cache-control"), "no-cache", "{path}");
    }
    for path in [
        "/haven-0123456789abcdef_bg.wasm",
        "/haven-0123456789abcdef.js",
        "/main-0123456789abcdef.css",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(
            header(&response, "cache-control"),
            "public, max-age=31536000, immutable",
            "{path}"
        );
    }
}

#[tokio::test]
async fn wasm_is_served_as_application_wasm() {
    let app = TestApp::spawn().await;
    let response = app.get("/haven-0123456789abcdef_bg.wasm").await;
    assert_eq!(header(&response, "content-type"), "application/wasm");
    assert_eq!(response.bytes().await.unwrap().as_ref(), b"\0asm\x01\0\0\0");
}

#[tokio::test]
async fn embed_js_may_be_loaded_from_any_site() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .get(app.url("/embed.js"))
        .header("Origin", "https://clinic.example")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "access-control-allow-origin"), "*");
    assert_eq!(
        header(&response, "cross-origin-resource-policy"),
        "cross-origin"
    );
    assert_eq!(header(&response, "cache-control"), "public, max-age=300");
    assert_eq!(
        header(&response, "content-type"),
        "text/javascript; charset=utf-8"
    );
    assert!(response.text().await.unwrap().contains("Haven loader"));
    // Nothing else is shared cross-origin.
    let index = app
        .client
        .get(app.url("/"))
        .header("Origin", "https://clinic.example")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&index, "access-control-allow-origin"), "");
}

#[tokio::test]
async fn client_routes_fall_back_to_index_html() {
    let app = TestApp::spawn().await;
    for path in ["/records", "/learn/diabetes", "/community/heart?page=2"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(header(&response, "content-type"), "text/html", "{path}");
        assert!(
            response.text().await.unwrap().contains("widget index"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn missing_assets_and_api_paths_do_not_fall_back() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/missing.js").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/icons/missing.svg").await.status(),
        StatusCode::NOT_FOUND
    );
    let (status, _) = api_error(app.get("/api/nope").await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn static_files_accept_only_get_and_head() {
    let app = TestApp::spawn().await;
    let response = app.client.post(app.url("/records")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        app.client.head(app.url("/")).send().await.unwrap().status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_server_starts_before_the_widget_is_built_and_answers_404() {
    let app = TestApp::spawn_with(
        |options| {
            options.widget_dir = options.widget_dir.join("not-built-yet");
            options.console_dir = options.console_dir.join("not-built-yet");
        },
        |_| Default::default(),
    )
    .await;
    assert_eq!(app.get("/").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get("/records").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get("/console/").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get("/embed.js").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/config").await.status(), StatusCode::OK);
}
