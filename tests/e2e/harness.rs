//! The end-to-end harness: the real server (in-process, on a temporary SQLite file) serving
//! the real built widget, a clinic page on a second origin that embeds it with the real
//! script tag, and Chromium driven through WebDriver.

use std::collections::HashMap;
use std::net::TcpListener as StdListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path as UrlPath, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use haven_server::{AppOptions, AppState, Config, RunningServer};
use serde_json::{Value, json};

/// The origin written in the demo page's script tag, replaced by the test server's.
const DEMO_WIDGET_ORIGIN: &str = "http://127.0.0.1:8080";

/// One browser at a time: the machine has two cores, and Chromium is the heavy part. An async
/// mutex, because each test holds its turn across awaits on its own runtime.
static BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Extra pages the clinic site serves for one test, by path.
type Pages = Arc<Mutex<HashMap<String, String>>>;

/// A running Haven: server, clinic site, browser.
pub struct Haven {
    /// The widget's origin, such as `http://127.0.0.1:41234`.
    pub widget: String,
    /// The clinic site's origin, such as `http://localhost:41235`.
    pub host: String,
    /// The browser.
    pub client: Client,
    /// The server's state, for setting up data.
    pub state: AppState,
    options: AppOptions,
    server: Option<RunningServer>,
    /// How many appointment requests still to answer by dropping the connection after the
    /// server has stored them (see [`Haven::drop_answers`]).
    drops: Arc<AtomicU32>,
    pages: Pages,
    driver: Child,
    dir: tempfile::TempDir,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

/// Serves the whole app on `addr`, with a layer that drops the connection after the server
/// answered an appointment request, while `drops` is above zero.
async fn serve(
    state: &AppState,
    addr: &str,
    drops: &Arc<AtomicU32>,
) -> std::io::Result<RunningServer> {
    let app = haven_server::app(state.clone()).layer(axum::middleware::from_fn_with_state(
        drops.clone(),
        drop_answer,
    ));
    haven_server::spawn_router(state.clone(), app, addr).await
}

async fn drop_answer(
    State(drops): State<Arc<AtomicU32>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let intake = request.method() == axum::http::Method::POST
        && request.uri().path() == "/api/appointment-requests";
    let response = next.run(request).await;
    let take = intake
        && drops
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
    if !take {
        return response;
    }
    // The request was handled and stored; the answer never arrives: the body fails, and the
    // server closes the connection.
    let (parts, _) = response.into_parts();
    Response::from_parts(parts, axum::body::Body::new(Broken))
}

/// A response body that fails at once.
struct Broken;

impl http_body::Body for Broken {
    type Data = axum::body::Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::task::Poll::Ready(Some(Err(std::io::Error::other("connection dropped"))))
    }
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The built widget: `dist/`, or the folder in `HAVEN_WIDGET_DIR` (to measure another build).
fn built_widget() -> PathBuf {
    let dist = std::env::var_os("HAVEN_WIDGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("dist"));
    assert!(
        dist.join("index.html").is_file() && dist.join("embed.js").is_file(),
        "the end-to-end tests need the built widget in dist/: run `cargo xtask test` \
         (or `cargo xtask build` first)"
    );
    dist
}

impl Haven {
    /// Starts everything. The clinic site may embed the widget (its origin is allowed).
    pub async fn start() -> Haven {
        Haven::start_with(|_| {}).await
    }

    /// Starts everything with the demo configuration changed by `edit`.
    pub async fn start_with(edit: impl FnOnce(&mut Config)) -> Haven {
        Haven::start_browser_with(edit, &[]).await
    }

    /// Starts everything with extra Chromium flags, such as
    /// `--disable-features=site-per-process` so that DevTools emulation covers the widget's
    /// cross-origin frame.
    #[allow(dead_code, reason = "used by the time-to-Learn benchmark only")]
    pub async fn start_with_browser_flags(flags: &[&str]) -> Haven {
        Haven::start_browser_with(|_| {}, flags).await
    }

    async fn start_browser_with(edit: impl FnOnce(&mut Config), flags: &[&str]) -> Haven {
        let turn = BROWSER.lock().await;
        let dir = tempfile::tempdir().unwrap();

        let pages: Pages = Arc::default();
        let host_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let host = format!(
            "http://localhost:{}",
            host_listener.local_addr().unwrap().port()
        );

        let mut config =
            Config::load(&root().join("haven.toml")).expect("the demo haven.toml is valid");
        config.embedding.allowed_origins = vec![host.clone()];
        edit(&mut config);
        let database = format!("sqlite://{}", dir.path().join("haven.db").display());
        let mut options = AppOptions::new(database, config);
        options.widget_dir = built_widget();
        options.console_dir = root().join("console/dist");
        options.cookie_secure = false;
        let state = AppState::new(options.clone()).await.expect("server state");
        let drops = Arc::new(AtomicU32::new(0));
        let server = serve(&state, "127.0.0.1:0", &drops).await.unwrap();
        let widget = server.url();

        let site = axum::Router::new()
            .route("/", axum::routing::get(site_index))
            .route("/{*path}", axum::routing::get(site_file))
            .with_state((pages.clone(), widget.clone()));
        tokio::spawn(async move { axum::serve(host_listener, site).await });

        let (driver, client) = browser(dir.path(), flags).await;
        Haven {
            widget,
            host,
            client,
            state,
            options,
            server: Some(server),
            drops,
            pages,
            driver,
            dir,
            _turn: turn,
        }
    }

    /// Creates a staff account directly in the server's database.
    pub async fn add_staff(&self, email: &str, role: &str, password: &str) {
        use haven_server::staff::accounts::{self, NewStaff};
        use haven_server::staff::password::Passwords;
        let role = haven_api::staff::Role::parse(role).expect("a known role");
        let passwords = Passwords::new(Passwords::owasp_params()).await.unwrap();
        let new = NewStaff::parse(email, role, password.to_owned()).expect("valid account details");
        let actor = haven_server::audit::Actor {
            email: None,
            ip: None,
        };
        accounts::create(self.state.pool(), &passwords, new, &actor)
            .await
            .expect("account created");
    }

    /// Signs in through the staff console's sign-in page (in English, the browser's language),
    /// as a staff member types it.
    pub async fn sign_in_to_console(&self, email: &str, password: &str) {
        self.goto("/console/").await;
        self.heading("Sign in").await;
        self.find(&control("Email address"))
            .await
            .send_keys(email)
            .await
            .unwrap();
        let typed = self.find(&control("Password")).await;
        typed.send_keys(password).await.unwrap();
        typed.send_keys(&Key::Enter.to_string()).await.unwrap();
    }

    /// Serves `html` at `path` on the clinic site; `WIDGET` in it becomes the widget origin.
    pub fn host_page(&self, path: &str, html: &str) {
        let html = html.replace("WIDGET", &self.widget);
        self.pages
            .lock()
            .unwrap()
            .insert(path.trim_start_matches('/').to_owned(), html);
    }

    /// Starts the Haven server again on the same address, after [`Haven::stop_server`].
    pub async fn restart_server(&mut self) {
        assert!(self.server.is_none(), "the server is already running");
        let addr = self.widget.trim_start_matches("http://").to_owned();
        self.server = Some(
            serve(&self.state, &addr, &self.drops)
                .await
                .unwrap_or_else(|e| panic!("restarting the server on {addr}: {e}")),
        );
    }

    /// The next `count` appointment requests are stored by the server, and then their
    /// connection is dropped instead of answered, as when the network fails on the way back.
    pub fn drop_answers(&self, count: u32) {
        self.drops.store(count, Ordering::SeqCst);
    }

    /// Deploys another build of the widget: the server stops and starts again on the same
    /// address and database, serving the widget from `widget_dir`.
    pub async fn redeploy(&mut self, widget_dir: &Path) {
        self.stop_server().await;
        let mut options = self.options.clone();
        options.widget_dir = widget_dir.to_owned();
        self.state = AppState::new(options).await.expect("server state");
        self.restart_server().await;
    }

    /// A folder that lives as long as this test, for files it makes.
    pub fn scratch(&self) -> PathBuf {
        self.dir.path().join("scratch")
    }

    /// Stops the Haven server (the widget's origin then refuses connections).
    pub async fn stop_server(&mut self) {
        if let Some(server) = self.server.take() {
            server.stop().await.unwrap();
        }
    }

    /// Takes the widget offline: the server stops and the browser's network is cut.
    pub async fn go_offline(&mut self) {
        self.stop_server().await;
        self.client
            .issue_cmd(SessionCommand::network(true))
            .await
            .unwrap();
    }

    /// Closes the browser and stops everything.
    pub async fn finish(mut self) {
        let _ = self.client.clone().close().await;
        self.stop_server().await;
    }

    /// Where the browser saves downloads.
    pub fn downloads(&self) -> PathBuf {
        self.dir.path().join("downloads")
    }

    /// Presses Tab until the element at `xpath` has focus (at most 120 presses), as a
    /// keyboard user moves through the page.
    pub async fn tab_to(&self, xpath: &str) {
        self.move_focus_to(xpath, &[Key::Tab]).await;
    }

    /// Presses Shift+Tab until the element at `xpath` has focus, as a keyboard user goes
    /// back up the page (a new page's heading takes focus; the header comes before it).
    pub async fn shift_tab_to(&self, xpath: &str) {
        self.move_focus_to(xpath, &[Key::Shift, Key::Tab]).await;
    }

    async fn move_focus_to(&self, xpath: &str, keys: &[Key]) {
        self.find(xpath).await;
        let focused = format!(
            "return document.activeElement === document.evaluate({}, document, null, \
             XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue",
            serde_json::to_string(xpath).unwrap()
        );
        for _ in 0..120 {
            if self.js(&focused).await == Value::Bool(true) {
                return;
            }
            self.press(keys).await;
        }
        panic!("{keys:?} never reached {xpath}\n{}", self.page_text().await);
    }

    /// Types into whatever has focus.
    pub async fn type_text(&self, text: &str) {
        self.client
            .active_element()
            .await
            .unwrap()
            .send_keys(text)
            .await
            .unwrap();
    }

    /// Finds an element by XPath, waiting for it to appear.
    pub async fn find(&self, xpath: &str) -> Element {
        match self
            .client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::XPath(xpath))
            .await
        {
            Ok(element) => element,
            Err(error) => panic!("no element {xpath}: {error}\n{}", self.page_text().await),
        }
    }

    /// Opens `path` on the widget's origin.
    pub async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.widget))
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"));
    }

    /// Finds an element by XPath, waiting for it, and clicks it.
    pub async fn click(&self, xpath: &str) {
        self.find(xpath)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("clicking {xpath}: {e}"));
    }

    /// Waits until the service worker controls the page (reloading once when it installed
    /// after the page loaded), so the shell and modules are cached for offline use.
    pub async fn until_offline_ready(&self) {
        self.until(
            "the service worker controls the page",
            "return !!navigator.serviceWorker.controller ||
                    (navigator.serviceWorker.ready.then(() => location.reload()), false)",
        )
        .await;
    }

    /// Waits for the page's `<h1>` to read `text`.
    pub async fn heading(&self, text: &str) -> Element {
        self.find(&format!("//h1[normalize-space()={}]", xpath_literal(text)))
            .await
    }

    /// The visible text of the current document, for failure messages.
    pub async fn page_text(&self) -> String {
        self.client
            .execute(
                "return document.body ? document.body.innerText : ''",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// Runs a script and returns its value.
    pub async fn js(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("{script}: {e}"))
    }

    /// Polls a script until it returns `true`, for up to ten seconds.
    pub async fn until(&self, what: &str, script: &str) {
        for _ in 0..100 {
            if self.client.execute(script, vec![]).await.ok() == Some(Value::Bool(true)) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("timed out waiting until {what}\n{}", self.page_text().await);
    }

    /// Presses keys as a person would (with modifiers held in order), wherever focus is.
    pub async fn press(&self, keys: &[Key]) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut actions = KeyActions::new("keyboard".into());
        for key in keys {
            actions = actions.then(KeyAction::Down {
                value: char::from(*key),
            });
        }
        for key in keys.iter().rev() {
            actions = actions.then(KeyAction::Up {
                value: char::from(*key),
            });
        }
        self.client.perform_actions(actions).await.unwrap();
    }

    /// The loader's launcher button on the clinic page (inside its shadow root).
    pub async fn launcher(&self) -> Element {
        let root = self
            .client
            .wait()
            .for_element(Locator::Css("haven-root"))
            .await
            .unwrap();
        let shadow = root.shadow_root().await.unwrap();
        shadow
            .find(Locator::Css("button[aria-controls]"))
            .await
            .unwrap()
    }

    /// Moves WebDriver into the widget's iframe on the clinic page.
    pub async fn enter_widget(&self) {
        let root = self.client.find(Locator::Css("haven-root")).await.unwrap();
        let shadow = root.shadow_root().await.unwrap();
        let frame = shadow.find(Locator::Css("iframe")).await.unwrap();
        frame.enter_frame().await.unwrap();
    }

    /// The computed accessible name of an element, as assistive technology gets it.
    pub async fn accessible_name(&self, element: &Element) -> String {
        let value = self
            .client
            .issue_cmd(SessionCommand::computed_label(element))
            .await
            .unwrap();
        value.as_str().unwrap_or_default().to_owned()
    }

    /// Runs axe-core on the current document and fails listing every violation.
    pub async fn assert_accessible(&self, context: &str) {
        let axe = std::fs::read_to_string(root().join("node_modules/axe-core/axe.min.js"))
            .expect("axe-core is installed by `cargo xtask test` (npm ci)");
        self.client
            .execute(&axe, vec![])
            .await
            .expect("load axe-core");
        let violations = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] })
                    .then(r => done(r.violations.map(v => ({
                        id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.map(n => n.target.join(' ') + ' — ' + n.failureSummary)
                    }))))
                    .catch(e => done([{ id: 'axe-error', help: String(e) }]));",
                vec![],
            )
            .await
            .expect("run axe-core");
        let list = violations.as_array().cloned().unwrap_or_default();
        assert!(
            list.is_empty(),
            "{context}: {} accessibility violation(s):\n{}",
            list.len(),
            serde_json::to_string_pretty(&list).unwrap()
        );
    }
}

impl Drop for Haven {
    /// Ends chromedriver (and with it the browser) even when a test fails part-way.
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// A WebDriver command that fantoccini has no method for: `method` on
/// `/session/{id}/{path}`, with an optional JSON body.
#[derive(Debug)]
pub struct SessionCommand {
    method: http::Method,
    path: String,
    body: Option<String>,
}

impl SessionCommand {
    /// `GET element/{id}/computedlabel`: the accessible name assistive technology gets.
    fn computed_label(element: &Element) -> Self {
        let path = format!("element/{}/computedlabel", element.element_id());
        SessionCommand {
            method: http::Method::GET,
            path,
            body: None,
        }
    }

    /// A Chrome DevTools Protocol command, such as `Emulation.setCPUThrottlingRate`.
    pub fn cdp(command: &str, params: Value) -> Self {
        SessionCommand {
            method: http::Method::POST,
            path: "goog/cdp/execute".to_owned(),
            body: Some(json!({ "cmd": command, "params": params }).to_string()),
        }
    }

    /// Chromium's network emulation: `offline` cuts every connection from the page.
    pub fn network(offline: bool) -> Self {
        Self::network_conditions(json!({
            "offline": offline, "latency": 0, "download_throughput": -1, "upload_throughput": -1
        }))
    }

    /// A slow network: `latency_ms` added to each round trip, throughputs in bytes a second.
    #[allow(dead_code, reason = "used by the time-to-Learn benchmark only")]
    pub fn slow_network(latency_ms: u64, down: u64, up: u64) -> Self {
        Self::network_conditions(json!({
            "offline": false, "latency": latency_ms, "download_throughput": down,
            "upload_throughput": up
        }))
    }

    fn network_conditions(conditions: Value) -> Self {
        let body = json!({ "network_conditions": conditions });
        let path = "chromium/network_conditions".to_owned();
        SessionCommand {
            method: http::Method::POST,
            path,
            body: Some(body.to_string()),
        }
    }
}

impl WebDriverCompatibleCommand for SessionCommand {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (self.method.clone(), self.body.clone())
    }
}

/// The form control (input, select or text area) labelled `label`, as a person finds it.
pub fn control(label: &str) -> String {
    format!(
        "//*[self::input or self::select or self::textarea][@id=//label[normalize-space()={}]/@for]",
        xpath_literal(label)
    )
}

/// Quotes text for an XPath string literal.
pub fn xpath_literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else {
        format!("concat('{}')", text.replace('\'', "', \"'\", '"))
    }
}

async fn browser(profile: &Path, flags: &[&str]) -> (Child, Client) {
    let chromedriver =
        std::env::var("HAVEN_CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    let chrome = std::env::var("HAVEN_CHROME").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let port = free_port();
    let mut driver = Command::new(&chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot start {chromedriver}: {e} (`cargo xtask test` installs it)")
        });
    let mut args: Vec<String> = [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
    ]
    .iter()
    .chain(flags)
    .map(|flag| (*flag).to_owned())
    .collect();
    args.push(format!(
        "--user-data-dir={}",
        profile.join("chrome").display()
    ));
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chrome,
            "args": args,
            "prefs": {
                "download.default_directory": profile.join("downloads").display().to_string(),
                "download.prompt_for_download": false,
            },
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if let Ok(client) = ClientBuilder::native()
            .capabilities(capabilities.clone())
            .connect(&url)
            .await
        {
            return (driver, client);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = driver.kill();
    let _ = driver.wait();
    panic!("chromedriver on port {port} did not accept a session");
}

type SiteState = State<(Pages, String)>;

async fn site_index(state: SiteState) -> Response {
    site_file(state, UrlPath("index.html".into())).await
}

/// Serves the demo clinic site from `demo/`, with the widget origin in its script tag
/// pointed at the test server; test pages take precedence.
async fn site_file(State((pages, widget)): SiteState, UrlPath(path): UrlPath<String>) -> Response {
    if let Some(html) = pages.lock().unwrap().get(&path).cloned() {
        return ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
    }
    if path.split('/').any(|part| part == "..") {
        return StatusCode::NOT_FOUND.into_response();
    }
    let Ok(text) = std::fs::read_to_string(root().join("demo").join(&path)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let kind = match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("css") => "text/css",
        _ => "application/octet-stream",
    };
    (
        [(header::CONTENT_TYPE, kind)],
        text.replace(DEMO_WIDGET_ORIGIN, &widget),
    )
        .into_response()
}
