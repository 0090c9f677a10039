//! The Haven server: the JSON API behind the patient widget and the staff console, and the
//! static files of both, with strict security headers.
//!
//! To run it in-process (tests, an end-to-end harness):
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use haven_server::{AppOptions, AppState, Config};
//!
//! let config = Config::load("haven.toml".as_ref())?;
//! let mut options = AppOptions::new("sqlite:///tmp/haven-test.db", config);
//! options.widget_dir = "dist".into();
//! options.cookie_secure = false; // plain http on 127.0.0.1
//! let server = haven_server::spawn(AppState::new(options).await?, "127.0.0.1:0").await?;
//! println!("listening on {}", server.url());
//! server.stop().await?;
//! # Ok(()) }
//! ```

pub mod appointments;
pub mod audit;
pub mod cli;
pub mod clock;
pub mod config;
pub mod content;
pub mod db;
pub mod error;
pub mod extract;
pub mod idempotency;
mod middleware;
pub mod openapi;
pub mod public;
pub mod staff;
mod state;
mod static_files;

use std::net::SocketAddr;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

pub use config::Config;
pub use error::AppError;
pub use state::{
    AppOptions, AppState, DEFAULT_CONSOLE_DIR, DEFAULT_WIDGET_DIR, StartError, cookie_secure_for,
};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole app: API, health check, `embed.js`, console and widget, with every layer.
pub fn app(state: AppState) -> Router {
    app_with_routes(state, Router::new())
}

/// [`app`] with `extra` routes mounted beside the built-in API routes, under the same layers
/// (body limit, JSON errors, request ids, timeouts…). Give them full paths, such as
/// `/api/things`; tests use this to mount routes that exercise shared layers.
pub fn app_with_routes(state: AppState, extra: Router<AppState>) -> Router {
    let options = state.options();
    let api = Router::new()
        .route("/api/config", get(public::config_get))
        .route("/api/openapi.json", get(openapi::openapi_get))
        .merge(content::routes())
        .merge(staff::routes())
        .merge(extra)
        .layer(RequestBodyLimitLayer::new(options.api_body_limit))
        // Its own body limits: a request may carry record items.
        .merge(appointments::routes(&state));
    // Outermost first. Every response, even a panic's or a timeout's, gets a request id and a
    // log line; compression sees final bodies; the API error layer sits inside the panic
    // catcher (which answers JSON itself) and outside the timeout, whose bare 503 it turns
    // into an `ApiError`.
    let layers = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request| {
                    let id = request
                        .headers()
                        .get(REQUEST_ID)
                        .and_then(|v| v.to_str().ok());
                    // The path only: query strings may carry search terms patients typed.
                    tracing::info_span!(
                        "request",
                        method = %request.method(),
                        path = request.uri().path(),
                        request_id = id.unwrap_or("-"),
                    )
                })
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(axum::middleware::from_fn(middleware::request_id_scope))
        .layer(CompressionLayer::new().compress_when(compress_predicate()))
        .layer(CatchPanicLayer::custom(middleware::panic_response))
        .layer(axum::middleware::from_fn(middleware::api_responses))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            options.request_timeout,
        ));
    Router::new()
        .route("/healthz", get(public::health_get))
        .route("/embed.js", get(static_files::embed_js))
        .merge(api)
        .fallback(fallback)
        .layer(layers)
        .with_state(state)
}

/// What is compressed per request: API answers, not wasm (the build writes pre-compressed
/// copies of every static file, which pass through as they are).
fn compress_predicate() -> impl tower_http::compression::Predicate {
    use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
    DefaultPredicate::new().and(NotForContentType::const_new("application/wasm"))
}

/// Unknown API paths get a JSON 404; everything else is the console or the widget.
async fn fallback(state: axum::extract::State<AppState>, request: Request) -> Response {
    let path = request.uri().path();
    if middleware::is_api(path) {
        return AppError::not_found(format!("there is no API endpoint at {path}")).into_response();
    }
    static_files::site(state, request).await
}

/// Serves the app on `listener` until `shutdown` completes, then finishes the requests in
/// flight and returns. Also runs the hourly purge of expired idempotency keys and the reload
/// of changed education content.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with_routes(listener, state, Router::new(), shutdown).await
}

/// [`serve`] for [`app_with_routes`].
pub async fn serve_with_routes(
    listener: TcpListener,
    state: AppState,
    extra: Router<AppState>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = app_with_routes(state.clone(), extra);
    serve_router(listener, state, router, shutdown).await
}

/// Serves `router` (built from `state` by [`app`], perhaps wrapped in more layers by a test
/// harness), with the background jobs of `state`: the purge of expired idempotency keys, the
/// content reload, and the appointment jobs (retention, rate-limit cleanup, webhooks).
pub async fn serve_router(
    listener: TcpListener,
    state: AppState,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let purger = idempotency::spawn_purger(&state);
    let appointment_tasks = appointments::spawn_tasks(&state);
    let reloader = content::spawn_reloader(&state);
    let service = router.into_make_service_with_connect_info::<SocketAddr>();
    let served = axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await;
    purger.abort();
    for task in appointment_tasks {
        task.abort();
    }
    if let Some(reloader) = reloader {
        reloader.abort();
    }
    served
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// A server started by [`spawn`].
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// The address it listens on (with the real port when bound to port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<addr>`, without a trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting connections, waits for requests in flight, and returns.
    pub async fn stop(self) -> std::io::Result<()> {
        let _ = self.stop.send(());
        self.task.await.map_err(std::io::Error::other)?
    }
}

/// Binds `addr` (such as `127.0.0.1:0`) and serves the app in a background task.
pub async fn spawn(state: AppState, addr: &str) -> std::io::Result<RunningServer> {
    spawn_with_routes(state, Router::new(), addr).await
}

/// Serves `router` (an [`app`] of `state`, perhaps wrapped in more layers by a test harness,
/// such as one that drops connections) in a background task, with `state`'s background jobs.
pub async fn spawn_router(
    state: AppState,
    router: Router,
    addr: &str,
) -> std::io::Result<RunningServer> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(serve_router(listener, state, router, async {
        let _ = stopped.await;
    }));
    Ok(RunningServer { addr, stop, task })
}

/// [`spawn`] for [`app_with_routes`].
pub async fn spawn_with_routes(
    state: AppState,
    extra: Router<AppState>,
    addr: &str,
) -> std::io::Result<RunningServer> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(serve_with_routes(listener, state, extra, async {
        let _ = stopped.await;
    }));
    Ok(RunningServer { addr, stop, task })
}
