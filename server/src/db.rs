//! The database: one [`AnyPool`] over SQLite (the embedded default) or PostgreSQL, and one set
//! of migrations written in SQL both accept.
//!
//! Portable SQL here means: `TEXT` ids generated in Rust, `BIGINT` for every integer and
//! timestamp (Unix milliseconds), `0`/`1` instead of booleans, no auto-increment, and `$1`
//! placeholders (SQLite reads `$N` as the N-th parameter too). Migrations only ever gain new
//! files; a released one is never edited.

use std::path::Path;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{MigrateError, Migrator};
use sqlx::{AnyPool, Connection, Executor};

/// The embedded migrations in `server/migrations`.
pub static MIGRATOR: Migrator = sqlx::migrate!();

/// The database used when none is configured.
pub const DEFAULT_URL: &str = "sqlite://data/haven.db";

/// How long a statement waits for SQLite's write lock before failing.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Opens a pool. For SQLite, creates the file and its folder if missing and turns on WAL mode,
/// foreign keys and a busy timeout on every connection.
pub async fn connect(url: &str) -> Result<AnyPool, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let url = prepare_sqlite_url(url).map_err(sqlx::Error::Io)?;
    let options = AnyConnectOptions::from_str(&url)?;
    AnyPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(|connection, _meta| {
            Box::pin(async move {
                if connection.backend_name().eq_ignore_ascii_case("sqlite") {
                    // WAL lets readers work while one request writes; the busy timeout makes
                    // concurrent writers wait instead of failing with "database is locked".
                    connection.execute("PRAGMA journal_mode = WAL").await?;
                    connection.execute("PRAGMA foreign_keys = ON").await?;
                    let timeout =
                        format!("PRAGMA busy_timeout = {}", SQLITE_BUSY_TIMEOUT.as_millis());
                    connection.execute(timeout.as_str()).await?;
                    connection.execute("PRAGMA synchronous = NORMAL").await?;
                }
                Ok(())
            })
        })
        .after_release(|connection, _meta| {
            Box::pin(async move {
                // A request dropped mid-transaction (its client went away) leaves a rollback
                // queued, which a round trip flushes. A transaction that is still open after
                // that has lost its owner (a BEGIN whose answer was never read): close the
                // connection, which ends it, instead of lending it out holding SQLite's lock.
                if connection.is_in_transaction() {
                    connection.ping().await?;
                }
                Ok(!connection.is_in_transaction())
            })
        })
        .connect_with(options)
        .await
}

/// Brings the schema up to date.
pub async fn migrate(pool: &AnyPool) -> Result<(), MigrateError> {
    MIGRATOR.run(pool).await
}

/// For a SQLite URL: creates the file's folder and asks SQLite to create the file
/// (`mode=rwc`) unless the URL already says otherwise. Other URLs are returned unchanged.
fn prepare_sqlite_url(url: &str) -> std::io::Result<String> {
    let Some(rest) = url.strip_prefix("sqlite:") else {
        return Ok(url.to_owned());
    };
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let (path, query) = rest
        .split_once('?')
        .map_or((rest, None), |(p, q)| (p, Some(q)));
    if path.is_empty() || path == ":memory:" {
        return Ok(url.to_owned());
    }
    if let Some(parent) = Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)?;
    }
    Ok(match query {
        Some(query) if query.split('&').any(|pair| pair.starts_with("mode=")) => url.to_owned(),
        Some(_) => format!("{url}&mode=rwc"),
        None => format!("{url}?mode=rwc"),
    })
}

/// SQLite takes one writer at a time. Writers in this process queue here, in order, instead
/// of polling SQLite's lock with its sleeping busy handler, which under load makes every
/// waiting request sleep for milliseconds. (Other processes still meet the busy timeout.)
static SQLITE_WRITER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Whether `pool` is SQLite.
pub fn is_sqlite(pool: &AnyPool) -> bool {
    pool.connect_options().database_url.scheme() == "sqlite"
}

/// The writer's turn: hold it across a write to SQLite; `None` (no waiting) for PostgreSQL.
pub async fn writer_turn(pool: &AnyPool) -> Option<tokio::sync::MutexGuard<'static, ()>> {
    if is_sqlite(pool) {
        Some(SQLITE_WRITER.lock().await)
    } else {
        None
    }
}

/// A transaction that reads and then writes; see [`begin_write`].
pub struct WriteTx {
    // Declared first, so it is dropped (rolled back) before the turn is given up.
    tx: sqlx::Transaction<'static, sqlx::Any>,
    _turn: Option<tokio::sync::MutexGuard<'static, ()>>,
}

impl WriteTx {
    /// Commits.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    /// Rolls back.
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

impl std::ops::Deref for WriteTx {
    type Target = sqlx::AnyConnection;

    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

/// Starts a transaction that reads and then writes. On SQLite it waits for this process's
/// writer turn and then takes the write lock at once (`BEGIN IMMEDIATE`): a deferred
/// transaction that read before another connection committed would fail its first write
/// with "database is locked" instead of waiting its turn. PostgreSQL needs neither.
pub async fn begin_write(pool: &AnyPool) -> Result<WriteTx, sqlx::Error> {
    let turn = writer_turn(pool).await;
    let tx = if turn.is_some() {
        pool.begin_with("BEGIN IMMEDIATE").await?
    } else {
        pool.begin().await?
    };
    Ok(WriteTx { tx, _turn: turn })
}

/// Whether an error is a unique-constraint violation (a duplicate key).
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// Now, in milliseconds since the Unix epoch, the unit of every timestamp column.
pub fn now_ms() -> i64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}

/// A duration in milliseconds, for timestamp arithmetic.
pub fn ms(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// `bytes` in lower-case hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of `bytes` in lower-case hex: how secrets, tokens and bodies are stored and
/// compared.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}

/// A new id for a row: a UUIDv7, so ids made by one server sort in creation order and break
/// ties between rows written in the same millisecond (the audit log lists newest first).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sqlite_file_url_gets_its_folder_and_create_mode() {
        let dir = std::env::temp_dir().join(format!("haven-db-test-{}", new_id()));
        let url = format!("sqlite://{}/nested/haven.db", dir.display());
        assert_eq!(prepare_sqlite_url(&url).unwrap(), format!("{url}?mode=rwc"));
        assert!(dir.join("nested").is_dir());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn an_explicit_mode_and_other_databases_are_left_alone() {
        assert_eq!(
            prepare_sqlite_url("sqlite::memory:").unwrap(),
            "sqlite::memory:"
        );
        assert_eq!(
            prepare_sqlite_url("sqlite:x.db?mode=ro").unwrap(),
            "sqlite:x.db?mode=ro"
        );
        assert_eq!(
            prepare_sqlite_url("sqlite:x.db?cache=shared").unwrap(),
            "sqlite:x.db?cache=shared&mode=rwc"
        );
        let pg = "postgres://haven@127.0.0.1/haven";
        assert_eq!(prepare_sqlite_url(pg).unwrap(), pg);
    }
}
