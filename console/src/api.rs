//! The console's client for the Haven server's `/api/staff/…` endpoints: same origin, the
//! session in an HttpOnly cookie, and the CSRF token added in one place ([`Client::send`]).
//!
//! Endpoint methods are plain functions returning futures (not `async fn`) so that the abort
//! wiring happens when the request is created, inside the reactive scope that asked for it.

use std::future::Future;

use haven_api::appointments::{Inbox, RequestDetail, StaffAction};
use haven_api::config::PublicConfig;
use haven_api::insights::{ContentStatus, SearchMiss};
use haven_api::lang::Lang;
use haven_api::staff::{
    AuditEntry, CSRF_HEADER, CreateStaffRequest, SessionInfo, SignInRequest, StaffAccount,
    UpdateStaffRequest,
};
use haven_api::{ApiError, ErrorCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, Request, RequestCache, RequestCredentials, RequestInit};

use crate::i18n::{Catalog, catalog, fill};

/// Why a call did not return what was asked for. It displays as [`Error::text`] in English.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// No HTTP answer arrived: offline, server down, or the request was cancelled.
    #[error("{}", self.text(Lang::En))]
    Network(String),
    /// The server answered with its error body.
    #[error("{}", self.text(Lang::En))]
    Api {
        /// The HTTP status.
        status: u16,
        /// The server's explanation.
        error: ApiError,
    },
    /// The server answered with something the console cannot read, such as a proxy's HTML
    /// error page or a wire format from a newer server.
    #[error("{}", self.text(Lang::En))]
    Unreadable {
        /// The HTTP status.
        status: u16,
        /// What failed to parse, for the browser console.
        detail: String,
    },
    /// The request body could not be written; a bug in the console.
    #[error("{}", self.text(Lang::En))]
    Encode(String),
}

/// Capitalises the first letter, since server and shared messages are written to be embedded.
pub fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Error {
    /// The staff-facing sentence in the console's language `lang`, with the request id staff
    /// should quote. The server writes its messages in English, so in English they are shown
    /// as they are; in another language (or when the server gave none) the console words the
    /// error by its code.
    pub fn text(&self, lang: Lang) -> String {
        let t = catalog(lang);
        match self {
            Error::Api { error, .. } => {
                let text = match lang {
                    Lang::En if !error.message.trim().is_empty() => sentence(&error.message),
                    _ => code_text(error.code, t).to_owned(),
                };
                match &error.request_id {
                    Some(id) => fill(&fill(t.error_request_id, text), id),
                    None => text,
                }
            }
            Error::Network(detail) => fill(t.error_network, detail),
            Error::Unreadable { status, .. } => fill(t.error_unreadable, status),
            Error::Encode(detail) => fill(t.error_encode, detail),
        }
    }

    /// Whether the session is over (or never was): the console must sign in again.
    pub fn is_unauthorized(&self) -> bool {
        match self {
            Error::Api { status, error } => *status == 401 || error.code == ErrorCode::Unauthorized,
            Error::Unreadable { status, .. } => *status == 401,
            Error::Network(_) | Error::Encode(_) => false,
        }
    }

    /// The HTTP status of an answer that was an error; `None` when no answer arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::Unreadable { status, .. } => Some(*status),
            Error::Network(_) | Error::Encode(_) => None,
        }
    }

    /// The server's per-field messages, keyed by request field name.
    pub fn fields(&self) -> impl Iterator<Item = (&str, &str)> {
        let fields = match self {
            Error::Api { error, .. } => Some(&error.fields),
            _ => None,
        };
        fields
            .into_iter()
            .flatten()
            .map(|(field, message)| (field.as_str(), message.as_str()))
    }
}

/// What an error code means, as the catalogue words it.
fn code_text(code: ErrorCode, t: &'static Catalog) -> &'static str {
    match code {
        ErrorCode::BadRequest => t.error_bad_request,
        ErrorCode::Validation => t.error_validation,
        ErrorCode::Unauthorized => t.error_unauthorized,
        ErrorCode::Forbidden => t.error_forbidden,
        ErrorCode::NotFound => t.error_not_found,
        ErrorCode::Conflict => t.error_conflict,
        ErrorCode::IdempotencyMismatch => t.error_idempotency_mismatch,
        ErrorCode::PayloadTooLarge => t.error_payload_too_large,
        ErrorCode::UnsupportedMediaType => t.error_unsupported_media_type,
        ErrorCode::RateLimited => t.error_rate_limited,
        ErrorCode::Internal => t.error_internal,
    }
}

/// The HTTP methods the console uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Get,
    Post,
    Patch,
    Delete,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    fn changes_state(self) -> bool {
        self != Method::Get
    }
}

/// Makes calls for one session (or for none, to sign in).
#[derive(Debug, Clone, Default)]
pub struct Client {
    csrf_token: Option<String>,
    abort_on_cleanup: bool,
}

impl Client {
    /// A client with no session, for signing in and checking for an existing session.
    pub fn anonymous() -> Self {
        Client::default()
    }

    /// A client that sends the session's CSRF token on state-changing requests.
    pub fn for_session(session: &SessionInfo) -> Self {
        Client {
            csrf_token: Some(session.csrf_token.clone()),
            abort_on_cleanup: false,
        }
    }

    /// Cancels the request when the reactive scope that creates it is cleaned up, e.g. when
    /// the page that is loading goes away. For reads; writes should finish once sent.
    pub fn abort_on_cleanup(mut self) -> Self {
        self.abort_on_cleanup = true;
        self
    }

    /// `POST /api/staff/sign-in`.
    pub fn sign_in(
        self,
        request: &SignInRequest,
    ) -> impl Future<Output = Result<SessionInfo, Error>> + use<> {
        let sent = self.send(Method::Post, "/api/staff/sign-in".into(), Some(request));
        async move { decode(&sent.await?) }
    }

    /// `GET /api/staff/session`: who is signed in, if anyone.
    pub fn session(self) -> impl Future<Output = Result<SessionInfo, Error>> + use<> {
        let sent = self.send(Method::Get, "/api/staff/session".into(), None::<&()>);
        async move { decode(&sent.await?) }
    }

    /// `POST /api/staff/sign-out`.
    pub fn sign_out(self) -> impl Future<Output = Result<(), Error>> + use<> {
        let sent = self.send(Method::Post, "/api/staff/sign-out".into(), None::<&()>);
        async move { sent.await.map(drop) }
    }

    /// `GET /api/staff/accounts`.
    pub fn accounts(self) -> impl Future<Output = Result<Vec<StaffAccount>, Error>> + use<> {
        let sent = self.send(Method::Get, "/api/staff/accounts".into(), None::<&()>);
        async move { decode(&sent.await?) }
    }

    /// `POST /api/staff/accounts`.
    pub fn create_account(
        self,
        request: &CreateStaffRequest,
    ) -> impl Future<Output = Result<StaffAccount, Error>> + use<> {
        let sent = self.send(Method::Post, "/api/staff/accounts".into(), Some(request));
        async move { decode(&sent.await?) }
    }

    /// `PATCH /api/staff/accounts/{id}`.
    pub fn update_account(
        self,
        id: &str,
        request: &UpdateStaffRequest,
    ) -> impl Future<Output = Result<StaffAccount, Error>> + use<> {
        let sent = self.send(Method::Patch, account_path(id), Some(request));
        async move { decode(&sent.await?) }
    }

    /// `DELETE /api/staff/accounts/{id}`.
    pub fn delete_account(self, id: &str) -> impl Future<Output = Result<(), Error>> + use<> {
        let sent = self.send(Method::Delete, account_path(id), None::<&()>);
        async move { sent.await.map(drop) }
    }

    /// `GET /api/staff/audit`: up to `limit` entries older than `before`, newest first.
    pub fn audit(
        self,
        before: Option<i64>,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<AuditEntry>, Error>> + use<> {
        let sent = self.send(Method::Get, audit_path(before, limit), None::<&()>);
        async move { decode(&sent.await?) }
    }

    /// `GET /api/staff/content`: the education packs being served and what to fix in them.
    pub fn content_status(self) -> impl Future<Output = Result<ContentStatus, Error>> + use<> {
        let sent = self.send(Method::Get, "/api/staff/content".into(), None::<&()>);
        async move { decode(&sent.await?) }
    }

    /// `GET /api/staff/search-misses`: searches that often found nothing, most often first.
    pub fn search_misses(self) -> impl Future<Output = Result<Vec<SearchMiss>, Error>> + use<> {
        let sent = self.send(Method::Get, "/api/staff/search-misses".into(), None::<&()>);
        async move { decode(&sent.await?) }
    }

    /// `GET /api/config`: the clinic's public configuration (appointment reasons, time zone).
    pub fn public_config(self) -> impl Future<Output = Result<PublicConfig, Error>> + use<> {
        let sent = self.send(Method::Get, "/api/config".into(), None::<&()>);
        async move { decode(&sent.await?) }
    }

    /// `GET /api/staff/appointment-requests?…`: the inbox, newest first. `query` is the
    /// encoded filter query (without `?`), or empty for every request.
    pub fn inbox(self, query: &str) -> impl Future<Output = Result<Inbox, Error>> + use<> {
        let sent = self.send(Method::Get, inbox_path(query), None::<&()>);
        async move { decode(&sent.await?) }
    }

    /// `GET /api/staff/appointment-requests/{id}`: everything about one request.
    pub fn appointment_request(
        self,
        id: &str,
    ) -> impl Future<Output = Result<RequestDetail, Error>> + use<> {
        let sent = self.send(Method::Get, request_path(id), None::<&()>);
        async move { decode(&sent.await?) }
    }

    /// `POST /api/staff/appointment-requests/{id}/actions`: confirms, proposes, declines or
    /// marks as contacted; the answer is the request as it now stands.
    pub fn act_on_request(
        self,
        id: &str,
        action: &StaffAction,
    ) -> impl Future<Output = Result<RequestDetail, Error>> + use<> {
        let path = format!("{}/actions", request_path(id));
        let sent = self.send(Method::Post, path, Some(action));
        async move { decode(&sent.await?) }
    }

    /// Sends one request and returns the body of a successful answer. The only place that
    /// adds the CSRF header, and only to state-changing methods.
    fn send<B: Serialize>(
        self,
        method: Method,
        path: String,
        body: Option<&B>,
    ) -> impl Future<Output = Result<String, Error>> + use<B> {
        let body = body.map(serde_json::to_string).transpose();
        let csrf_token = self.csrf_token.filter(|_| method.changes_state());
        let abort = AbortOnDrop(AbortController::new().ok());
        if self.abort_on_cleanup
            && let Some(controller) = abort.0.clone()
        {
            let controller = send_wrapper::SendWrapper::new(controller);
            leptos::prelude::on_cleanup(move || controller.abort());
        }
        async move {
            let body = body.map_err(|e| Error::Encode(e.to_string()))?;
            let request = build_request(method, &path, body.as_deref(), csrf_token, &abort)
                .map_err(|e| Error::Encode(js_message(&e)))?;
            let window = web_sys::window().ok_or_else(|| Error::Network("no window".into()))?;
            let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
                .await
                .map_err(|e| Error::Network(js_message(&e)))?
                .unchecked_into();
            let text = JsFuture::from(
                response
                    .text()
                    .map_err(|e| Error::Network(js_message(&e)))?,
            )
            .await
            .map_err(|e| Error::Network(js_message(&e)))?
            .as_string()
            .unwrap_or_default();
            check_status(response.status(), text)
        }
    }
}

fn build_request(
    method: Method,
    path: &str,
    body: Option<&str>,
    csrf_token: Option<String>,
    abort: &AbortOnDrop,
) -> Result<Request, JsValue> {
    let headers = Headers::new()?;
    headers.set("Accept", "application/json")?;
    // The server words field messages in the console's language, which `<html lang>` names
    // (the language context keeps it in step).
    if let Some(lang) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element())
        .and_then(|root| root.get_attribute("lang"))
    {
        headers.set("Accept-Language", &lang)?;
    }
    let init = RequestInit::new();
    init.set_method(method.as_str());
    init.set_credentials(RequestCredentials::SameOrigin);
    // Staff data must not be served from the HTTP cache after sign-out or a change.
    init.set_cache(RequestCache::NoStore);
    if let Some(body) = body {
        headers.set("Content-Type", "application/json")?;
        init.set_body(&JsValue::from_str(body));
    }
    if let Some(token) = csrf_token {
        headers.set(CSRF_HEADER, &token)?;
    }
    init.set_headers(&headers);
    if let Some(controller) = &abort.0 {
        init.set_signal(Some(&controller.signal()));
    }
    Request::new_with_str_and_init(path, &init)
}

/// Aborts the fetch if its future is dropped before the answer has been read.
struct AbortOnDrop(Option<AbortController>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        // Aborting a request that has already completed does nothing.
        if let Some(controller) = self.0.take() {
            controller.abort();
        }
    }
}

/// The message of a JavaScript exception, such as `TypeError: Failed to fetch`.
fn js_message(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}

/// Turns an HTTP status and body into the body of a success or a typed error.
fn check_status(status: u16, body: String) -> Result<String, Error> {
    if (200..300).contains(&status) {
        return Ok(body);
    }
    match serde_json::from_str::<ApiError>(&body) {
        Ok(error) => Err(Error::Api { status, error }),
        Err(e) => Err(Error::Unreadable {
            status,
            detail: e.to_string(),
        }),
    }
}

fn decode<T: DeserializeOwned>(body: &str) -> Result<T, Error> {
    serde_json::from_str(body).map_err(|e| Error::Unreadable {
        status: 200,
        detail: e.to_string(),
    })
}

fn account_path(id: &str) -> String {
    format!("/api/staff/accounts/{}", encode_segment(id))
}

/// Where the inbox's requests are listed.
const REQUESTS_PATH: &str = "/api/staff/appointment-requests";

fn inbox_path(query: &str) -> String {
    if query.is_empty() {
        REQUESTS_PATH.to_owned()
    } else {
        format!("{REQUESTS_PATH}?{query}")
    }
}

fn request_path(id: &str) -> String {
    format!("{REQUESTS_PATH}/{}", encode_segment(id))
}

fn audit_path(before: Option<i64>, limit: usize) -> String {
    match before {
        Some(before) => format!("/api/staff/audit?before={before}&limit={limit}"),
        None => format!("/api/staff/audit?limit={limit}"),
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters, for one path segment or
/// one query value.
pub fn encode_segment(segment: &str) -> String {
    let mut encoded = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_success_returns_the_body() {
        assert_eq!(check_status(204, String::new()), Ok(String::new()));
    }

    #[test]
    fn an_error_body_becomes_an_api_error_with_its_fields() {
        let body = r#"{"code":"validation","message":"check the form","fields":{"email":"taken"}}"#;
        let error = check_status(422, body.into()).unwrap_err();
        assert!(!error.is_unauthorized());
        assert_eq!(error.fields().collect::<Vec<_>>(), [("email", "taken")]);
        assert_eq!(error.to_string(), "Check the form");
    }

    #[test]
    fn a_401_means_the_session_is_over() {
        let body = r#"{"code":"unauthorized","message":"sign in"}"#;
        assert!(
            check_status(401, body.into())
                .unwrap_err()
                .is_unauthorized()
        );
    }

    #[test]
    fn a_proxy_error_page_is_unreadable_not_an_api_error() {
        let error = check_status(502, "<html>Bad gateway</html>".into()).unwrap_err();
        assert!(matches!(error, Error::Unreadable { status: 502, .. }));
        assert!(error.to_string().contains("HTTP 502"));
        // Even a bare 401 (say, from a proxy) means the console must sign in again.
        assert!(
            check_status(401, String::new())
                .unwrap_err()
                .is_unauthorized()
        );
    }

    #[test]
    fn internal_errors_name_the_request_id_to_quote() {
        let body = r#"{"code":"internal","message":"something went wrong","request_id":"r-42"}"#;
        let message = check_status(500, body.into()).unwrap_err().to_string();
        assert_eq!(message, "Something went wrong (request id r-42)");
    }

    #[test]
    fn in_vietnamese_a_server_error_is_worded_by_its_code_with_its_request_id() {
        let body = r#"{"code":"internal","message":"something went wrong","request_id":"r-42"}"#;
        let error = check_status(500, body.into()).unwrap_err();
        assert_eq!(
            error.text(Lang::En),
            "Something went wrong (request id r-42)"
        );
        let vi = error.text(Lang::Vi);
        assert!(vi.starts_with(catalog(Lang::Vi).error_internal), "{vi}");
        assert!(vi.ends_with("r-42)"), "{vi}");
        let offline = Error::Network("Failed to fetch".into()).text(Lang::Vi);
        assert!(
            offline.contains("Failed to fetch") && !offline.contains("{}"),
            "{offline}"
        );
    }

    #[test]
    fn account_ids_are_encoded_as_one_path_segment() {
        assert_eq!(account_path("a1-B2_c.d~"), "/api/staff/accounts/a1-B2_c.d~");
        assert_eq!(account_path("../x y"), "/api/staff/accounts/..%2Fx%20y");
    }

    #[test]
    fn request_ids_are_one_path_segment_and_filters_follow_the_list_path() {
        assert_eq!(request_path("a/b"), "/api/staff/appointment-requests/a%2Fb");
        assert_eq!(inbox_path(""), "/api/staff/appointment-requests");
        assert_eq!(
            inbox_path("status=new"),
            "/api/staff/appointment-requests?status=new"
        );
    }

    #[test]
    fn the_audit_cursor_is_sent_only_when_there_is_one() {
        assert_eq!(audit_path(None, 50), "/api/staff/audit?limit=50");
        assert_eq!(
            audit_path(Some(1_700_000), 50),
            "/api/staff/audit?before=1700000&limit=50"
        );
    }

    #[test]
    fn only_state_changing_methods_carry_the_csrf_token() {
        assert!(!Method::Get.changes_state());
        assert!(Method::Post.changes_state() && Method::Patch.changes_state());
        assert!(Method::Delete.changes_state());
    }
}
