//! `TestApp`: the whole server on 127.0.0.1:0 with its own database and built-file folders.
//!
//! The database is a fresh SQLite file, or, when `HAVEN_TEST_POSTGRES_URL` is set (such as
//! `postgres://haven@127.0.0.1:55432/postgres`), a fresh PostgreSQL database created on that
//! server for this one test and dropped afterwards.

use std::path::{Path, PathBuf};

use axum::Router;
use haven_api::ApiError;
use haven_api::staff::{Role, SessionInfo, StaffAccount};
use haven_server::audit::Actor;
use haven_server::content::Folders;
use haven_server::staff::accounts::{self, NewStaff};
use haven_server::staff::password::Passwords;
use haven_server::{AppOptions, AppState, Config, RunningServer};
use reqwest::{Method, Response, StatusCode};
use serde_json::Value;
use sqlx::Connection;
use tempfile::TempDir;

/// The inline script of the test widget's `index.html`, like the one Trunk injects.
pub const WIDGET_INLINE_SCRIPT: &str =
    "import init from '/haven-0123456789abcdef.js';init('/haven-0123456789abcdef_bg.wasm');";
/// The inline script of the test console's `index.html`.
pub const CONSOLE_INLINE_SCRIPT: &str =
    "import init from '/console/console-89abcdef01234567.js';init();";
/// A password every test account uses.
pub const PASSWORD: &str = "correct horse battery staple";
/// The test admin.
pub const ADMIN: &str = "admin@clinic.example";

pub struct TestApp {
    pub address: String,
    /// Keeps cookies, like a browser.
    pub client: reqwest::Client,
    pub state: AppState,
    server: Option<RunningServer>,
    database: TestDatabase,
    /// Holds the database file and built-file folders until the test ends.
    _dir: TempDir,
}

enum TestDatabase {
    Sqlite,
    Postgres { admin_url: String, name: String },
}

impl TestApp {
    /// The app with test defaults.
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(|_| {}, |_| Router::new()).await
    }

    /// The app with changed options and extra routes (built with the state, so they can use
    /// layers such as idempotency).
    pub async fn spawn_with(
        configure: impl FnOnce(&mut AppOptions),
        routes: impl FnOnce(&AppState) -> Router<AppState>,
    ) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        write_widget(&dir.path().join("dist"));
        write_console(&dir.path().join("console"));
        let (database_url, database) = match std::env::var("HAVEN_TEST_POSTGRES_URL") {
            Ok(admin_url) => create_postgres_database(&admin_url).await,
            Err(_) => (
                format!("sqlite://{}/haven.db", dir.path().display()),
                TestDatabase::Sqlite,
            ),
        };
        let config = Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../haven.toml"))
            .expect("the demo configuration is valid");
        let mut options = AppOptions::new(database_url, config);
        options.widget_dir = dir.path().join("dist");
        options.console_dir = dir.path().join("console");
        options.cookie_secure = false;
        // Cheap hashing keeps the suite fast; one test checks the real parameters.
        options.password_params = Passwords::test_params();
        // A small valid pack: the shipped one is written by others and may be incomplete.
        options.content = Folders {
            shipped: content_fixture("good"),
            local: None,
        };
        options.content_reload = None;
        configure(&mut options);
        let state = AppState::new(options).await.expect("the app starts");
        let extra = routes(&state);
        let server = haven_server::spawn_with_routes(state.clone(), extra, "127.0.0.1:0")
            .await
            .expect("the server binds");
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        TestApp {
            address: server.url(),
            client,
            state,
            server: Some(server),
            database,
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// A staff request with the CSRF token, as the console sends it.
    pub async fn staff(
        &self,
        method: Method,
        path: &str,
        csrf: &str,
        body: Option<Value>,
    ) -> Response {
        let mut request = self
            .client
            .request(method, self.url(path))
            .header("X-CSRF-Token", csrf);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("request")
    }

    /// Creates an account directly, as `haven-server staff add` would.
    pub async fn add_staff(&self, email: &str, role: Role) -> StaffAccount {
        let passwords = Passwords::new(self.state.options().password_params.clone())
            .await
            .unwrap();
        let new = NewStaff::parse(email, role, PASSWORD.to_owned()).expect("valid account");
        accounts::create(self.state.pool(), &passwords, new, &Actor::cli())
            .await
            .expect("created")
    }

    /// The id of an existing account.
    pub async fn account_id(&self, email: &str) -> String {
        let email = haven_api::staff::Email::parse(email).expect("an email");
        accounts::find_by_email(self.state.pool(), &email)
            .await
            .unwrap()
            .expect("an account")
            .id
    }

    /// Signs in another browser (client) as an existing account, returning the status.
    pub async fn sign_in_with(&self, client: &reqwest::Client, email: &str) -> StatusCode {
        let body = serde_json::json!({ "email": email, "password": PASSWORD });
        client
            .post(self.url("/api/staff/sign-in"))
            .json(&body)
            .send()
            .await
            .unwrap()
            .status()
    }

    /// Signs this client in as an existing account.
    pub async fn sign_in_as(&self, email: &str) -> SessionInfo {
        let response = self.sign_in(email, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.expect("session info")
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Response {
        self.post_json(
            "/api/staff/sign-in",
            &serde_json::json!({ "email": email, "password": password }),
        )
        .await
    }

    /// Adds an account with `role` and signs this client in as it.
    pub async fn signed_in_as(&self, email: &str, role: Role) -> SessionInfo {
        self.add_staff(email, role).await;
        self.sign_in_as(email).await
    }

    pub async fn signed_in_admin(&self) -> SessionInfo {
        self.signed_in_as(ADMIN, Role::Admin).await
    }

    /// Another browser: a client with its own cookie jar.
    pub fn new_client() -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .expect("client")
    }

    pub async fn stop(mut self) {
        if let Some(server) = self.server.take() {
            server.stop().await.expect("clean shutdown");
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let TestDatabase::Postgres { admin_url, name } = &self.database {
            // Drop cannot await; drop the database from a thread with its own runtime.
            let (admin_url, database) = (admin_url.clone(), name.clone());
            let dropped = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                runtime.block_on(async {
                    let mut admin = sqlx::AnyConnection::connect(&admin_url).await?;
                    sqlx::query(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
                        .execute(&mut admin)
                        .await?;
                    Ok::<(), sqlx::Error>(())
                })
            })
            .join();
            if !matches!(dropped, Ok(Ok(()))) {
                eprintln!("could not drop test database {name}: {dropped:?}");
            }
        }
    }
}

async fn create_postgres_database(admin_url: &str) -> (String, TestDatabase) {
    sqlx::any::install_default_drivers();
    let name = format!("test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::AnyConnection::connect(admin_url)
        .await
        .expect("connect to PostgreSQL");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create database");
    // Swap the path of `postgres://user@host:port/db?params` for the new database.
    let (base, query) = admin_url
        .split_once('?')
        .map_or((admin_url, None), |(b, q)| (b, Some(q)));
    let authority_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_end..]
        .find('/')
        .map_or(base.len(), |i| authority_end + i);
    let mut url = format!("{}/{name}", &base[..path_start]);
    if let Some(query) = query {
        url = format!("{url}?{query}");
    }
    (
        url,
        TestDatabase::Postgres {
            admin_url: admin_url.to_owned(),
            name,
        },
    )
}

/// A content pack under `tests/fixtures/content`.
pub fn content_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/content")
        .join(name)
}

fn write(path: &Path, contents: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

fn write_widget(dir: &Path) {
    let index = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <link rel=\"stylesheet\" href=\"/main-0123456789abcdef.css\">\
         <script type=\"module\">{WIDGET_INLINE_SCRIPT}</script></head>\
         <body><p>widget index</p></body></html>\n"
    );
    write(&dir.join("index.html"), index.as_bytes());
    write(
        &dir.join("haven-0123456789abcdef.js"),
        b"export default function init() {}\n",
    );
    write(
        &dir.join("haven-0123456789abcdef_bg.wasm"),
        b"\0asm\x01\0\0\0",
    );
    write(
        &dir.join("main-0123456789abcdef.css"),
        b"body { margin: 0; }\n",
    );
    write(
        &dir.join("sw.js"),
        b"self.addEventListener('fetch', () => {});\n",
    );
    write(&dir.join("manifest.webmanifest"), b"{\"name\":\"Haven\"}\n");
    write(
        &dir.join("embed.js"),
        b"(function () { /* Haven loader */ })();\n",
    );
    write(
        &dir.join("icons/clinic-logo.svg"),
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    );
}

fn write_console(dir: &Path) {
    let index = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><script type=\"module\">{CONSOLE_INLINE_SCRIPT}</script>\
         </head><body><p>console index</p></body></html>\n"
    );
    write(&dir.join("index.html"), index.as_bytes());
    write(
        &dir.join("console-89abcdef01234567.js"),
        b"export default function init() {}\n",
    );
}

/// The status and `ApiError` body of an error response, checking it is JSON.
pub async fn api_error(response: Response) -> (StatusCode, ApiError) {
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(
        content_type.as_deref(),
        Some("application/json"),
        "status {status}"
    );
    (status, response.json().await.expect("an ApiError body"))
}

/// The value of a response header, or "" when absent.
pub fn header<'a>(response: &'a Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .map_or("", |value| value.to_str().unwrap())
}
