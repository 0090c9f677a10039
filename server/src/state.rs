//! What every request handler shares: the database pool, the configuration, the static sites
//! and the security machinery, built once from [`AppOptions`].

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::HeaderValue;
use sha2::{Digest, Sha256};
use sqlx::AnyPool;

use crate::clock::Clock;
use crate::config::{Config, ConfigError};
use crate::content::{self, CheckOptions, ContentError, ContentStore, Folders, Refresh};
use crate::db;
use crate::error::BoxError;
use crate::staff::password::Passwords;
use crate::staff::session::SessionPolicy;
use crate::staff::throttle::{SignInPolicy, SignInThrottle};
use crate::static_files::{SiteKind, StaticSite};

/// Where the built widget is looked for by default.
pub const DEFAULT_WIDGET_DIR: &str = "dist";
/// Where the built console is looked for by default.
pub const DEFAULT_CONSOLE_DIR: &str = "console/dist";

/// Everything needed to build an [`AppState`]. Start from [`AppOptions::new`] and change the
/// public fields you need.
#[derive(Debug, Clone)]
pub struct AppOptions {
    /// `sqlite://path/to/file.db` or `postgres://…`.
    pub database_url: String,
    /// The parsed clinic configuration (it is checked again by [`AppState::new`], so fields
    /// such as `config.embedding.allowed_origins` may be changed in code).
    pub config: Config,
    /// The built widget (Trunk's `dist`).
    pub widget_dir: PathBuf,
    /// The built staff console.
    pub console_dir: PathBuf,
    /// How long idempotency keys are remembered (from `[appointments] idempotency_days`).
    pub idempotency_ttl: Duration,
    /// Where "now" comes from: the system clock, or a manual one in tests and simulations.
    pub clock: Clock,
    /// How often due webhooks are sent; `None` leaves it to the caller of
    /// [`crate::appointments::webhook::deliver_due`] (tests).
    pub webhook_every: Option<Duration>,
    /// Whether the session cookie is marked `Secure`; see [`cookie_secure_for`].
    pub cookie_secure: bool,
    /// Session lifetime and idle timeout.
    pub sessions: SessionPolicy,
    /// Sign-in throttling.
    pub sign_in: SignInPolicy,
    /// Argon2id cost for new password hashes.
    pub password_params: argon2::Params,
    /// The longest a request may take before it is answered with 503.
    pub request_timeout: Duration,
    /// The largest request body the API accepts, in bytes.
    pub api_body_limit: usize,
    /// The education content: the shipped folder and the clinic's local one (from
    /// `[content]` by default).
    pub content: Folders,
    /// How often the content folders are checked for changes; `None` turns reloading off.
    pub content_reload: Option<Duration>,
}

impl AppOptions {
    /// Defaults: widget in `dist`, console in `console/dist`, idempotency keys kept as the
    /// configuration says (30 days unless changed), the system clock,
    /// `Secure` cookies, 8-hour sessions with a 30-minute idle timeout, OWASP Argon2id
    /// parameters, 30-second request timeout, 64 KiB API bodies, and the content folders and
    /// reload interval of the configuration's `[content]`.
    pub fn new(database_url: impl Into<String>, config: Config) -> AppOptions {
        let content = Folders {
            shipped: config.content.path.clone(),
            local: config.content.local_path.clone(),
        };
        let content_reload = Some(Duration::from_secs(config.content.reload_seconds));
        let idempotency_ttl =
            Duration::from_secs(u64::from(config.appointments.idempotency_days) * 24 * 60 * 60);
        AppOptions {
            database_url: database_url.into(),
            config,
            widget_dir: PathBuf::from(DEFAULT_WIDGET_DIR),
            console_dir: PathBuf::from(DEFAULT_CONSOLE_DIR),
            idempotency_ttl,
            clock: Clock::system(),
            webhook_every: Some(Duration::from_secs(5)),
            cookie_secure: true,
            sessions: SessionPolicy::default(),
            sign_in: SignInPolicy::default(),
            password_params: Passwords::owasp_params(),
            request_timeout: Duration::from_secs(30),
            api_body_limit: 64 * 1024,
            content,
            content_reload,
        }
    }
}

/// Whether session cookies should be `Secure` for a server listening on `listen` over plain
/// HTTP: yes, unless it listens on a loopback address, where browsers treat plain
/// `http://localhost` as secure but would drop a `Secure` cookie in some clients. Behind a TLS
/// proxy that connects over loopback, set [`AppOptions::cookie_secure`] to `true` yourself.
pub fn cookie_secure_for(listen: &SocketAddr) -> bool {
    !listen.ip().is_loopback()
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The configuration is invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The education content has errors.
    #[error(transparent)]
    Content(#[from] ContentError),
    /// The database could not be opened.
    #[error("cannot open the database: {0}")]
    Database(#[from] sqlx::Error),
    /// The migrations failed.
    #[error("cannot bring the database schema up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Something else failed while preparing.
    #[error("cannot start: {0}")]
    Other(BoxError),
}

/// The shared state of the app. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState(Arc<Shared>);

#[derive(Debug)]
struct Shared {
    pool: AnyPool,
    options: AppOptions,
    public_config: CachedJson,
    widget: StaticSite,
    console: StaticSite,
    passwords: Passwords,
    throttle: SignInThrottle,
    content: ContentStore,
    trusted_proxies: Vec<ipnet::IpNet>,
    intake_limits: crate::appointments::limit::Limits,
    intake: crate::appointments::intake::Writer,
}

/// A JSON body computed once, with its ETag.
#[derive(Debug, Clone)]
pub(crate) struct CachedJson {
    pub(crate) body: Bytes,
    pub(crate) etag: HeaderValue,
}

impl CachedJson {
    fn new(value: &impl serde::Serialize) -> Result<CachedJson, serde_json::Error> {
        let body = serde_json::to_vec(value)?;
        let digest = Sha256::digest(&body);
        let hex = db::hex(&digest[..12]);
        let etag = HeaderValue::try_from(format!("\"{hex}\"")).expect("hex is a valid header");
        Ok(CachedJson {
            body: Bytes::from(body),
            etag,
        })
    }
}

impl AppState {
    /// Checks the configuration and the education content, opens the database (creating a
    /// SQLite file if needed), runs the migrations and prepares the static sites.
    pub async fn new(options: AppOptions) -> Result<AppState, StartError> {
        options.config.validate()?;
        let pool = db::connect(&options.database_url).await?;
        db::migrate(&pool).await?;
        AppState::with_pool(pool, options).await
    }

    /// Like [`AppState::new`], with a pool that is already open and migrated.
    pub async fn with_pool(pool: AnyPool, options: AppOptions) -> Result<AppState, StartError> {
        options.config.validate()?;
        let content = load_content(&options).await?;
        let public_config =
            CachedJson::new(&options.config.public()).map_err(|e| StartError::Other(e.into()))?;
        let widget = StaticSite::load(
            &options.widget_dir,
            SiteKind::Widget {
                frame_ancestors: options.config.embedding.allowed_origins.clone(),
            },
        );
        let console = StaticSite::load(&options.console_dir, SiteKind::Console);
        let passwords = Passwords::new(options.password_params.clone())
            .await
            .map_err(StartError::Other)?;
        let throttle = SignInThrottle::new(options.sign_in.clone());
        Ok(AppState(Arc::new(Shared {
            pool: pool.clone(),
            public_config,
            widget,
            console,
            passwords,
            throttle,
            content,
            trusted_proxies: options.config.server.trusted_networks(),
            intake_limits: crate::appointments::limit::limits(
                &options.config.appointments,
                &options.config.server.trusted_networks(),
            ),
            intake: crate::appointments::intake::Writer::start(pool.clone()),
            options,
        })))
    }

    /// Now, in Unix milliseconds, from [`AppOptions::clock`].
    pub fn now_ms(&self) -> i64 {
        self.0.options.clock.now_ms()
    }

    /// The database pool.
    pub fn pool(&self) -> &AnyPool {
        &self.0.pool
    }

    /// The clinic configuration.
    pub fn config(&self) -> &Config {
        &self.0.options.config
    }

    /// The options the state was built with.
    pub fn options(&self) -> &AppOptions {
        &self.0.options
    }

    /// Where the built widget is served from.
    pub fn widget_dir(&self) -> &Path {
        &self.0.options.widget_dir
    }

    /// Where the built console is served from.
    pub fn console_dir(&self) -> &Path {
        &self.0.options.console_dir
    }

    pub(crate) fn public_config(&self) -> &CachedJson {
        &self.0.public_config
    }

    pub(crate) fn widget(&self) -> &StaticSite {
        &self.0.widget
    }

    pub(crate) fn console(&self) -> &StaticSite {
        &self.0.console
    }

    pub(crate) fn passwords(&self) -> &Passwords {
        &self.0.passwords
    }

    /// The writer that stores new appointment requests in batches.
    pub(crate) fn intake(&self) -> &crate::appointments::intake::Writer {
        &self.0.intake
    }

    /// The rate limits of appointment intake.
    pub(crate) fn intake_limits(&self) -> &crate::appointments::limit::Limits {
        &self.0.intake_limits
    }

    /// The reverse proxies whose forwarding header names the client.
    pub fn trusted_proxies(&self) -> &[ipnet::IpNet] {
        &self.0.trusted_proxies
    }

    pub(crate) fn throttle(&self) -> &SignInThrottle {
        &self.0.throttle
    }

    /// The education packs being served.
    pub fn content(&self) -> &ContentStore {
        &self.0.content
    }

    /// Rebuilds the education packs if a content file changed, logging what happened; a pack
    /// with errors is not served. The background reloader calls this every
    /// [`AppOptions::content_reload`].
    pub async fn reload_content(&self) -> Result<Refresh, tokio::task::JoinError> {
        let state = self.clone();
        let refresh = tokio::task::spawn_blocking(move || state.content().refresh()).await?;
        content::log_refresh(&refresh, self.content());
        Ok(refresh)
    }
}

/// Reads, checks and compiles the content folders (on a blocking thread), logging warnings.
async fn load_content(options: &AppOptions) -> Result<ContentStore, StartError> {
    let folders = options.content.clone();
    let check = CheckOptions::with_config(&options.config);
    let (store, report) = tokio::task::spawn_blocking(move || ContentStore::load(folders, check))
        .await
        .map_err(|e| StartError::Other(e.into()))??;
    content::log_problems(&report);
    content::log_packs(&store.packs(), "education content loaded");
    Ok(store)
}
