//! The `haven-server` command line: serve, migrate, check the configuration, manage staff.
//!
//! Settings come from flags, then environment variables, then the `[server]` table of the
//! configuration file, then defaults.

use std::io::{BufRead, IsTerminal, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use haven_api::staff::{Email, Role, UpdateStaffRequest};
use sqlx::AnyPool;
use tracing_subscriber::EnvFilter;

use crate::audit::Actor;
use crate::config::{self, Config};
use crate::content::{CheckOptions, Folders};
use crate::error::BoxError;
use crate::staff::accounts::{self, NewStaff, StaffRecord};
use crate::staff::password::Passwords;
use crate::{AppOptions, AppState, db};

/// Where the server listens by default.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// The Haven server: the API behind the patient widget and the staff console, and their files.
#[derive(Debug, Parser)]
#[command(name = "haven-server", version, about, long_about = None)]
pub struct Cli {
    /// The clinic configuration file.
    #[arg(long, global = true, env = "HAVEN_CONFIG", default_value = config::DEFAULT_PATH)]
    pub config: PathBuf,
    /// The database, `sqlite://path/to/file.db` or `postgres://…`
    /// [default: `[server] database_url`, else sqlite://data/haven.db].
    #[arg(long, global = true, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// A subcommand.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API, the widget and the console until Ctrl-C or SIGTERM.
    Serve(ServeArgs),
    /// Bring the database schema up to date, then exit.
    Migrate,
    /// Check the configuration file and exit (non-zero when it has problems).
    CheckConfig,
    /// Manage staff accounts.
    #[command(subcommand)]
    Staff(StaffCommand),
    /// Print the OpenAPI document (as served at /api/openapi.json) and exit.
    Openapi,
    /// Check or compile the education content.
    #[command(subcommand)]
    Content(ContentCommand),
}

/// `content` subcommands.
#[derive(Debug, Subcommand)]
pub enum ContentCommand {
    /// Check every topic file: prints each problem as `file:line: field: message`, a
    /// reading-level table and a summary; exits non-zero when there is an error.
    Check(ContentArgs),
    /// Check, then write `pack.en.json` and `pack.vi.json` (as served at /api/content/{lang})
    /// into --out; writes nothing when there is an error.
    Build {
        /// Which content.
        #[command(flatten)]
        content: ContentArgs,
        /// The folder to write the packs into (created if missing).
        #[arg(long)]
        out: PathBuf,
    },
}

/// Where the content is. Community group and appointment reason ids are checked against the
/// configuration file when it exists.
#[derive(Debug, Default, Args)]
pub struct ContentArgs {
    /// The content folder, holding `topics/` [default: `[content] path` of the configuration,
    /// else content].
    pub dir: Option<PathBuf>,
    /// The clinic's own topics, replacing shipped ones with the same id and language
    /// [default: `[content] local_path`].
    #[arg(long, env = "HAVEN_CONTENT_LOCAL")]
    pub local: Option<PathBuf>,
}

/// `serve` options.
#[derive(Debug, Default, Args)]
pub struct ServeArgs {
    /// The address to listen on [default: `[server] listen`, else 127.0.0.1:8080].
    #[arg(long, env = "HAVEN_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// The built widget [default: `[server] widget_dir`, else dist].
    #[arg(long, env = "HAVEN_WIDGET_DIR")]
    pub widget_dir: Option<PathBuf>,
    /// The built staff console [default: `[server] console_dir`, else console/dist].
    #[arg(long, env = "HAVEN_CONSOLE_DIR")]
    pub console_dir: Option<PathBuf>,
    /// The education content folder [default: `[content] path`, else content].
    #[arg(long, env = "HAVEN_CONTENT_DIR")]
    pub content_dir: Option<PathBuf>,
    /// The clinic's own topics, replacing shipped ones [default: `[content] local_path`].
    #[arg(long, env = "HAVEN_CONTENT_LOCAL")]
    pub content_local: Option<PathBuf>,
    /// Mark the session cookie `Secure`. `auto`: yes unless listening on a loopback address;
    /// say `always` behind a TLS proxy that connects over loopback.
    #[arg(long, env = "HAVEN_COOKIE_SECURE", value_enum, default_value_t = CookieSecure::Auto)]
    pub cookie_secure: CookieSecure,
}

/// When the session cookie is marked `Secure`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum CookieSecure {
    /// Unless listening on a loopback address.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never (plain-http development only).
    Never,
}

/// `staff` subcommands. Each writes the audit log, with the command line as the actor.
#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Create an account. Asks for the password twice, or reads one line from standard input
    /// with --password-stdin (or when standard input is not a terminal).
    Add {
        /// The email address.
        #[arg(long)]
        email: String,
        /// The role: admin, moderator, educator or front_desk.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Read the password from standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List accounts.
    List,
    /// Disable an account and end its sessions.
    Disable {
        /// The account's email address.
        #[arg(long)]
        email: String,
    },
    /// Enable an account again (also lifts a sign-in lock).
    Enable {
        /// The account's email address.
        #[arg(long)]
        email: String,
    },
    /// Delete an account and end its sessions.
    Delete {
        /// The account's email address.
        #[arg(long)]
        email: String,
    },
}

fn parse_role(name: &str) -> Result<Role, String> {
    Role::parse(name).ok_or_else(|| {
        let names: Vec<&str> = Role::ALL.iter().map(|role| role.as_str()).collect();
        format!("unknown role {name:?}; choose one of {}", names.join(", "))
    })
}

/// Runs a parsed command line; the exit code is non-zero on failure, with the reason on
/// standard error.
pub async fn run(cli: Cli) -> ExitCode {
    let serving = matches!(cli.command, None | Some(Command::Serve(_)));
    let default_level = if serving { "info" } else { "warn" };
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    // Ignored if a subscriber is already set (as in tests that call `run` twice).
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
    match execute(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Runs a parsed command line without setting up logging; for tests and embedding.
pub async fn execute(cli: Cli) -> Result<(), BoxError> {
    match cli.command {
        None => serve(&cli.config, cli.database_url, ServeArgs::default()).await,
        Some(Command::Serve(args)) => serve(&cli.config, cli.database_url, args).await,
        Some(Command::Openapi) => {
            println!(
                "{}",
                serde_json::to_string_pretty(&crate::openapi::document())?
            );
            Ok(())
        }
        Some(Command::CheckConfig) => {
            let config = Config::load(&cli.config)?;
            println!(
                "{} is valid: clinic {:?}, {} languages, {} allowed origins",
                cli.config.display(),
                config.clinic.id,
                config.clinic.languages.len(),
                config.embedding.allowed_origins.len()
            );
            Ok(())
        }
        Some(Command::Migrate) => {
            let url = database_url(&cli.config, cli.database_url)?;
            let pool = db::connect(&url).await?;
            db::migrate(&pool).await?;
            println!("the database schema is up to date");
            Ok(())
        }
        Some(Command::Staff(command)) => {
            let url = database_url(&cli.config, cli.database_url)?;
            let pool = db::connect(&url).await?;
            db::migrate(&pool).await?;
            staff(&pool, command).await
        }
        Some(Command::Content(command)) => content(&cli.config, command),
    }
}

/// `content check` and `content build`.
fn content(config_path: &Path, command: ContentCommand) -> Result<(), BoxError> {
    let (args, out) = match command {
        ContentCommand::Check(args) => (args, None),
        ContentCommand::Build { content, out } => (content, Some(out)),
    };
    // The configuration is optional here: a content writer may check a pack without one.
    let config = if config_path.exists() {
        Some(Config::load(config_path)?)
    } else {
        None
    };
    let folders = Folders {
        shipped: args
            .dir
            .or_else(|| config.as_ref().map(|c| c.content.path.clone()))
            .unwrap_or_else(|| PathBuf::from("content")),
        local: args
            .local
            .or_else(|| config.as_ref().and_then(|c| c.content.local_path.clone())),
    };
    let options = match &config {
        Some(config) => CheckOptions::with_config(config),
        None => CheckOptions::new(),
    };
    let report = crate::content::check(&folders, &options);
    // Printed with `print!` so that tests capture it.
    let mut output = Vec::new();
    if config.is_none() {
        writeln!(
            output,
            "note: no configuration file at {}; community_group and appointment_reason ids are not checked",
            config_path.display()
        )?;
    }
    report.render(&mut output)?;
    print!("{}", String::from_utf8_lossy(&output));
    let packs = match report.packs() {
        Ok(packs) => packs,
        Err(error) => {
            let n = error.problems.len();
            let plural = if n == 1 { "" } else { "s" };
            return Err(match out {
                Some(_) => format!("the content has {n} error{plural}; no pack was written"),
                None => format!("the content has {n} error{plural}"),
            }
            .into());
        }
    };
    if let Some(out) = out {
        std::fs::create_dir_all(&out)?;
        for pack in packs.iter() {
            let file = out.join(format!("pack.{}.json", pack.lang.tag()));
            std::fs::write(&file, &pack.body)?;
            println!(
                "wrote {} ({} topics, version {})",
                file.display(),
                pack.topics,
                pack.version
            );
        }
    }
    Ok(())
}

/// The database URL for commands that need only the database: the configuration file is
/// read for `[server] database_url` only if it exists.
fn database_url(config_path: &Path, flag: Option<String>) -> Result<String, BoxError> {
    if let Some(url) = flag {
        return Ok(url);
    }
    let from_file = if config_path.exists() {
        Config::load(config_path)?.server.database_url
    } else {
        None
    };
    Ok(from_file.unwrap_or_else(|| db::DEFAULT_URL.to_owned()))
}

async fn serve(
    config_path: &Path,
    database_url: Option<String>,
    args: ServeArgs,
) -> Result<(), BoxError> {
    let config = Config::load(config_path)?;
    let server = config.server.clone();
    let listen = match (args.listen, &server.listen) {
        (Some(listen), _) => listen,
        (None, Some(listen)) => listen.parse()?,
        (None, None) => DEFAULT_LISTEN.parse()?,
    };
    let url = database_url
        .or(server.database_url)
        .unwrap_or_else(|| db::DEFAULT_URL.to_owned());
    let mut options = AppOptions::new(url, config);
    if let Some(dir) = args.widget_dir.or(server.widget_dir) {
        options.widget_dir = dir;
    }
    if let Some(dir) = args.console_dir.or(server.console_dir) {
        options.console_dir = dir;
    }
    if let Some(dir) = args.content_dir {
        options.content.shipped = dir;
    }
    if let Some(dir) = args.content_local {
        options.content.local = Some(dir);
    }
    options.cookie_secure = match args.cookie_secure {
        CookieSecure::Auto => crate::cookie_secure_for(&listen),
        CookieSecure::Always => true,
        CookieSecure::Never => false,
    };
    if !options.cookie_secure {
        tracing::warn!(
            "session cookies are not marked Secure; use --cookie-secure always behind TLS"
        );
    }
    let state = AppState::new(options).await?;
    let listener = tokio::net::TcpListener::bind(listen).await?;
    tracing::info!("Haven is listening on http://{}", listener.local_addr()?);
    crate::serve(listener, state, crate::shutdown_signal()).await?;
    Ok(())
}

async fn staff(pool: &AnyPool, command: StaffCommand) -> Result<(), BoxError> {
    let actor = Actor::cli();
    match command {
        StaffCommand::Add {
            email,
            role,
            password_stdin,
        } => {
            let password = read_new_password(password_stdin)?;
            let new = NewStaff::parse(&email, role, password).map_err(|problems| {
                let lines: Vec<String> = problems
                    .iter()
                    .flat_map(|(field, rules)| {
                        rules.iter().map(move |rule| format!("  {field}: {rule}"))
                    })
                    .collect();
                format!("the account was not created:\n{}", lines.join("\n"))
            })?;
            let passwords = Passwords::new(Passwords::owasp_params()).await?;
            let account = accounts::create(pool, &passwords, new, &actor).await?;
            println!("created {} ({})", account.email, account.role.as_str());
        }
        StaffCommand::List => {
            let records = accounts::list(pool).await?;
            if records.is_empty() {
                println!(
                    "no staff accounts yet; add one with: haven-server staff add --email … --role admin"
                );
            }
            for record in records {
                println!("{}", describe(&record));
            }
        }
        StaffCommand::Disable { email } => {
            let email = set_disabled(pool, &email, true, &actor).await?;
            println!("disabled {email} and ended its sessions");
        }
        StaffCommand::Enable { email } => {
            let email = set_disabled(pool, &email, false, &actor).await?;
            println!("enabled {email}");
        }
        StaffCommand::Delete { email } => {
            let record = find(pool, &email).await?;
            accounts::delete(pool, &record.id, &actor).await?;
            println!("deleted {}", record.email);
        }
    }
    Ok(())
}

/// Disables or re-enables the account with `email`; returns its stored address.
async fn set_disabled(
    pool: &AnyPool,
    email: &str,
    disabled: bool,
    actor: &Actor,
) -> Result<String, BoxError> {
    let change = UpdateStaffRequest {
        disabled: Some(disabled),
        ..Default::default()
    };
    let record = find(pool, email).await?;
    accounts::update(pool, &record.id, &change, actor).await?;
    Ok(record.email)
}

async fn find(pool: &AnyPool, email: &str) -> Result<StaffRecord, BoxError> {
    let email = Email::parse(email).map_err(|error| error.0)?;
    accounts::find_by_email(pool, &email)
        .await?
        .ok_or_else(|| format!("there is no staff account for {}", email.as_str()).into())
}

/// One line of `staff list`.
fn describe(record: &StaffRecord) -> String {
    let status = if record.disabled {
        "disabled"
    } else if record
        .locked_until
        .is_some_and(|until| until > db::now_ms())
    {
        "locked"
    } else {
        "active"
    };
    let last = record.last_sign_in_at.map_or_else(
        || "never signed in".to_owned(),
        |at| format!("last sign-in {}", format_utc(at)),
    );
    format!(
        "{:<40} {:<11} {:<9} {last}",
        record.email,
        record.role.as_str(),
        status
    )
}

/// `YYYY-MM-DD HH:MM UTC` for a Unix-millisecond time.
fn format_utc(ms: i64) -> String {
    let seconds = ms.div_euclid(1000);
    let (days, in_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let date = haven_api::date::Date::from_days(days);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} UTC",
        date.year(),
        date.month(),
        date.day(),
        in_day / 3600,
        in_day % 3600 / 60
    )
}

/// Reads a new password: one line from standard input when asked or when it is not a
/// terminal (scripts), otherwise prompted twice without echo.
fn read_new_password(from_stdin: bool) -> Result<String, BoxError> {
    let stdin = std::io::stdin();
    if from_stdin || !stdin.is_terminal() {
        let mut line = String::new();
        stdin.lock().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_owned());
    }
    std::io::stdout().flush()?;
    let first = rpassword::prompt_password("Password (at least 12 characters): ")?;
    let second = rpassword::prompt_password("The same password again: ")?;
    if first != second {
        return Err("the two passwords are not the same; nothing was changed".into());
    }
    Ok(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn staff_add_takes_a_role_by_its_wire_name() {
        let cli = Cli::try_parse_from([
            "haven-server",
            "staff",
            "add",
            "--email",
            "a@b.co",
            "--role",
            "front_desk",
        ])
        .unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Staff(StaffCommand::Add {
                role: Role::FrontDesk,
                ..
            }))
        ));
        let error = Cli::try_parse_from([
            "haven-server",
            "staff",
            "add",
            "--email",
            "a@b.co",
            "--role",
            "owner",
        ])
        .unwrap_err()
        .to_string();
        assert!(
            error.contains("choose one of admin, moderator, educator, front_desk"),
            "{error}"
        );
    }

    #[test]
    fn global_options_go_before_or_after_the_subcommand() {
        let cli =
            Cli::try_parse_from(["haven-server", "migrate", "--database-url", "sqlite://x.db"])
                .unwrap();
        assert_eq!(cli.database_url.as_deref(), Some("sqlite://x.db"));
        let cli =
            Cli::try_parse_from(["haven-server", "--config", "c.toml", "check-config"]).unwrap();
        assert_eq!(cli.config, PathBuf::from("c.toml"));
    }

    #[test]
    fn times_are_shown_in_utc() {
        assert_eq!(format_utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_utc(1_735_787_045_000), "2025-01-02 03:04 UTC");
        assert_eq!(format_utc(951_782_400_000), "2000-02-29 00:00 UTC");
    }
}
