//! Serving the built widget (at `/`) and staff console (at `/console/`), with strict security
//! headers and cache headers that suit the build's hashed file names. The build writes a
//! brotli (`.br`) and a gzip (`.gz`) copy beside every text and wasm file; they are sent as
//! they are to browsers that accept them, so nothing static is compressed per request.
//!
//! Both are single-page apps: a path with no file extension that matches no file (such as
//! `/records`) gets `index.html`, so client-side routes survive a reload; a missing file with an
//! extension (such as `/missing.js`) is a plain 404.
//!
//! The Content-Security-Policy allows no inline script except the exact ones in the built
//! `index.html` (the build writes one that starts the wasm), by their SHA-256 hashes, computed when
//! the server starts.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::state::AppState;

/// Where the console is mounted.
pub const CONSOLE_PREFIX: &str = "/console";

const NO_CACHE: HeaderValue = HeaderValue::from_static("no-cache");
const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");

/// Which app a [`StaticSite`] serves; they differ in who may frame them.
#[derive(Debug, Clone)]
pub enum SiteKind {
    /// The patient widget, framed by the clinic sites listed here.
    Widget {
        /// Origins allowed in `frame-ancestors`, besides the widget's own.
        frame_ancestors: Vec<String>,
    },
    /// The staff console, which nobody may frame.
    Console,
}

/// One built single-page app on disk and the headers it is served with.
#[derive(Debug, Clone)]
pub struct StaticSite {
    dir: PathBuf,
    headers: HeaderMap,
}

impl StaticSite {
    /// Prepares to serve `dir`, reading its `index.html` for inline-script hashes. A missing
    /// folder is not fatal (a developer may start the server before building the widget): it is
    /// logged, and requests get 404 until it exists.
    pub fn load(dir: &Path, kind: SiteKind) -> StaticSite {
        let index = dir.join("index.html");
        let html = match std::fs::read_to_string(&index) {
            Ok(html) => html,
            Err(error) => {
                tracing::warn!(
                    "cannot read {}: {error}; it will be served as 404 until it is built",
                    index.display()
                );
                String::new()
            }
        };
        let policy = content_security_policy(&html, &kind);
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::try_from(policy).expect("origins are checked ASCII"),
        );
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        headers.insert(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static(
                "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
            ),
        );
        if matches!(kind, SiteKind::Console) {
            headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
            // The widget lives in clinic pages' iframes and popups, so only the console opts in.
            headers.insert(
                HeaderName::from_static("cross-origin-opener-policy"),
                HeaderValue::from_static("same-origin"),
            );
        }
        StaticSite {
            dir: dir.to_owned(),
            headers,
        }
    }

    /// Answers a request whose path is relative to the site's root.
    async fn serve(&self, request: Request) -> Response {
        if request.method() != Method::GET && request.method() != Method::HEAD {
            let mut response = StatusCode::METHOD_NOT_ALLOWED.into_response();
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
            return response;
        }
        let path = request.uri().path().to_owned();
        let (parts, _) = request.into_parts();
        let again = || {
            let mut request = Request::new(Body::empty());
            *request.method_mut() = parts.method.clone();
            *request.uri_mut() = parts.uri.clone();
            *request.headers_mut() = parts.headers.clone();
            request
        };
        let served = ServeDir::new(&self.dir)
            .precompressed_br()
            .precompressed_gzip()
            .oneshot(again())
            .await;
        let Ok(mut response) = served.map(IntoResponse::into_response);
        let mut file = file_name(&path);
        if response.status() == StatusCode::NOT_FOUND && is_client_route(&path) {
            let index = ServeFile::new(self.dir.join("index.html"))
                .precompressed_br()
                .precompressed_gzip()
                .oneshot(again())
                .await;
            let Ok(index) = index.map(IntoResponse::into_response);
            response = index;
            file = "index.html";
        }
        let headers = response.headers_mut();
        headers.extend(self.headers.clone());
        if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
            let cache = if is_hashed_asset(file) {
                IMMUTABLE
            } else {
                NO_CACHE
            };
            response.headers_mut().insert(header::CACHE_CONTROL, cache);
        }
        response
    }
}

/// The last path segment, or `index.html` for a directory.
fn file_name(path: &str) -> &str {
    match path.rsplit('/').next() {
        Some("") | None => "index.html",
        Some(name) => name,
    }
}

/// Client-side routes have no file extension; missing asset files do.
fn is_client_route(path: &str) -> bool {
    !path.rsplit('/').next().unwrap_or_default().contains('.')
}

/// Whether a file name carries the build's content hash, like `haven-3f2a9c1b0d4e5f67_bg.wasm`,
/// `split_learn-0a1b2c3d4e5f6789.wasm` or `main-9f8e7d6c5b4a3921.css`: such a file never changes, so it may be cached for a year.
fn is_hashed_asset(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(base, hash)| {
        !base.is_empty()
            && (8..=64).contains(&hash.len())
            && hash.chars().all(|c| c.is_ascii_hexdigit())
    })
}

/// The policy for an app whose built `index.html` is `html`.
fn content_security_policy(html: &str, kind: &SiteKind) -> String {
    let hashes = |tag| {
        inline_contents(html, tag)
            .into_iter()
            .map(|text| {
                let digest = Sha256::digest(text.as_bytes());
                format!(
                    " 'sha256-{}'",
                    base64::engine::general_purpose::STANDARD.encode(digest)
                )
            })
            .collect::<String>()
    };
    let frame_ancestors = match kind {
        SiteKind::Widget { frame_ancestors } => std::iter::once("'self'")
            .chain(frame_ancestors.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" "),
        SiteKind::Console => "'none'".to_owned(),
    };
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; style-src 'self'{styles}; \
         img-src 'self' data: blob:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors {frame_ancestors}",
        scripts = hashes("script"),
        styles = hashes("style"),
    )
}

/// The exact text of every inline `<tag>` element (for scripts, those without `src`), as the
/// browser hashes it for CSP.
fn inline_contents<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let lower = html.to_ascii_lowercase();
    let open = format!("<{tag}");
    let close = format!("</{tag}");
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(start) = lower[at..].find(&open).map(|i| at + i) {
        let after_name = start + open.len();
        // `<scripts>` or `<style-x>` are other elements.
        if !lower[after_name..]
            .starts_with(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
        {
            at = after_name;
            continue;
        }
        let Some(tag_end) = end_of_tag(&lower, after_name) else {
            break;
        };
        let attributes = &lower[after_name..tag_end];
        let Some(content_end) = lower[tag_end + 1..].find(&close).map(|i| tag_end + 1 + i) else {
            break;
        };
        if !has_attribute(attributes, "src") {
            found.push(&html[tag_end + 1..content_end]);
        }
        at = content_end + close.len();
    }
    found
}

/// The index of the `>` closing a start tag, skipping `>` inside quoted attribute values.
fn end_of_tag(html: &str, from: usize) -> Option<usize> {
    let mut quote = None;
    for (i, c) in html[from..].char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(from + i),
            _ => {}
        }
    }
    None
}

/// Whether a start tag's attribute text has attribute `name` (names only, not values).
fn has_attribute(attributes: &str, name: &str) -> bool {
    let mut rest = attributes.trim_start_matches('/');
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if rest.is_empty() {
            return false;
        }
        let name_end = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        if &rest[..name_end] == name {
            return true;
        }
        rest = rest[name_end..].trim_start();
        if let Some(value) = rest.strip_prefix('=') {
            let value = value.trim_start();
            rest = match value.chars().next() {
                Some(q @ ('"' | '\'')) => value[1..].find(q).map_or("", |end| &value[end + 2..]),
                _ => value
                    .find(|c: char| c.is_ascii_whitespace())
                    .map_or("", |end| &value[end..]),
            };
        }
    }
}

/// `GET /embed.js`: the loader script clinic pages include. Any site may load it, so it is
/// the one response with a permissive `Access-Control-Allow-Origin`.
pub async fn embed_js(State(state): State<AppState>, request: Request) -> Response {
    let path = state.widget_dir().join("embed.js");
    let Ok(mut response) = ServeFile::new(path)
        .precompressed_br()
        .precompressed_gzip()
        .oneshot(request)
        .await
        .map(IntoResponse::into_response);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("cross-origin"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if !response.status().is_success() && response.status() != StatusCode::NOT_MODIFIED {
        response.headers_mut().remove(header::CONTENT_TYPE);
    }
    response
}

/// Everything that is not an API route: the console under [`CONSOLE_PREFIX`], else the widget.
pub async fn site(State(state): State<AppState>, mut request: Request) -> Response {
    let path = request.uri().path();
    if path == CONSOLE_PREFIX {
        return Redirect::permanent(&format!("{CONSOLE_PREFIX}/")).into_response();
    }
    let Some(rest) = path
        .strip_prefix(CONSOLE_PREFIX)
        .filter(|rest| rest.starts_with('/'))
    else {
        return state.widget().serve(request).await;
    };
    // ServeDir resolves paths from its own root, so strip the mount point.
    let mut uri = rest.to_owned();
    if let Some(query) = request.uri().query() {
        uri.push('?');
        uri.push_str(query);
    }
    match uri.parse() {
        Ok(uri) => {
            *request.uri_mut() = uri;
            state.console().serve(request).await
        }
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_hashed_names_are_recognised() {
        for hashed in [
            "haven-3f2a9c1b0d4e5f67_bg.wasm",
            "haven-3f2a9c1b0d4e5f67.js",
            "main-9f8e7d6c5b4a3921.css",
            "split_learn-0a1b2c3d4e5f6789.wasm",
            "chunk_3-0a1b2c3d4e5f6789.wasm",
            "split-0a1b2c3d4e5f6789.js",
        ] {
            assert!(is_hashed_asset(hashed), "{hashed}");
        }
        for plain in [
            "index.html",
            "sw.js",
            "manifest.webmanifest",
            "embed.js",
            "clinic-logo.svg",
            "-abcdef12.js",
        ] {
            assert!(!is_hashed_asset(plain), "{plain}");
        }
    }

    #[test]
    fn only_extensionless_paths_are_client_routes() {
        assert!(is_client_route("/records"));
        assert!(is_client_route("/learn/diabetes"));
        assert!(is_client_route("/"));
        assert!(!is_client_route("/missing.js"));
        assert!(!is_client_route("/icons/logo.svg"));
    }

    #[test]
    fn inline_scripts_are_found_and_external_ones_skipped() {
        let html = r#"<html><head>
<script src="/x.js"></script>
<script type="module" data-x='a>b'>import init from '/haven.js';init();</script>
<SCRIPT>one()</SCRIPT><scripts>not</scripts>
<style>body{}</style>
<script nosrc="1">two()</script>
</head></html>"#;
        assert_eq!(
            inline_contents(html, "script"),
            ["import init from '/haven.js';init();", "one()", "two()"]
        );
        assert_eq!(inline_contents(html, "style"), ["body{}"]);
    }

    #[test]
    fn the_policy_hashes_inline_scripts_and_lists_frame_ancestors() {
        let html = "<script type=\"module\">init()</script>";
        let digest = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"init()"));
        let widget = content_security_policy(
            html,
            &SiteKind::Widget {
                frame_ancestors: vec!["https://clinic.example".into()],
            },
        );
        assert!(
            widget.contains(&format!(
                "script-src 'self' 'wasm-unsafe-eval' 'sha256-{digest}';"
            )),
            "{widget}"
        );
        assert!(
            widget.ends_with("frame-ancestors 'self' https://clinic.example"),
            "{widget}"
        );
        assert!(widget.contains("style-src 'self';"), "{widget}");
        let console = content_security_policy("", &SiteKind::Console);
        assert!(console.ends_with("frame-ancestors 'none'"), "{console}");
    }
}
