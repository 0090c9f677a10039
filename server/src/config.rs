//! `haven.toml`: the clinic's configuration, read and checked once at start-up.
//!
//! The server refuses to start on a bad file, and says exactly what is wrong and where: every
//! problem names the line and the key path, such as
//! `haven.toml line 7: clinic.brand_color: colour "red" must start with '#'…`. Unknown keys are
//! errors too, so a typo never silently falls back to a default.
//!
//! Only the public part (everything except `[embedding]` and `[server]`) leaves the server, as
//! [`PublicConfig`] at `GET /api/config`.

use std::collections::HashSet;
use std::fmt;
use std::net::SocketAddr;
use std::ops::Range;
use std::path::{Path, PathBuf};

use haven_api::appointments::VisitType;
use haven_api::color::Rgb;
use haven_api::config::{
    Choice, Clinic, CommunityGroup, CrisisLine, Localized, OpeningHours, PublicConfig, Weekday,
};
use haven_api::lang::Lang;
use serde::Deserialize;
use toml::de::{DeTable, DeValue};

/// Where the configuration is read from when no `--config` is given.
pub const DEFAULT_PATH: &str = "haven.toml";

/// The whole `haven.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Who the clinic is.
    pub clinic: ClinicConfig,
    /// Which sites may embed the widget.
    #[serde(default)]
    pub embedding: EmbeddingConfig,
    /// Server settings that command-line flags and environment variables override.
    #[serde(default)]
    pub server: ServerConfig,
    /// Crisis phone lines.
    #[serde(default)]
    pub crisis_lines: Vec<CrisisLineConfig>,
    /// Opening hours.
    #[serde(default)]
    pub opening_hours: Vec<OpeningHoursConfig>,
    /// Reasons offered on the appointment request form.
    #[serde(default)]
    pub appointment_reasons: Vec<ChoiceConfig>,
    /// Peer-support groups.
    #[serde(default)]
    pub community_groups: Vec<CommunityGroupConfig>,
    /// The education content packs.
    #[serde(default)]
    pub content: ContentConfig,
    /// How appointment requests are taken in and kept.
    #[serde(default)]
    pub appointments: AppointmentsConfig,
}

/// `[appointments]`: intake limits, the front desk's response target and retention.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AppointmentsConfig {
    /// The visit types patients may ask for (`in_person`, `phone`, `video`).
    pub visit_types: Vec<VisitType>,
    /// Requests still new after this many hours are highlighted in the inbox.
    pub response_target_hours: u32,
    /// Days after a request is settled (declined, withdrawn, or its confirmed day passed)
    /// before its personal data and attachments are deleted; the id stays, so it is never
    /// taken in twice.
    pub retention_days: u32,
    /// Days an idempotency key is remembered. Longer than the widget's automatic retries
    /// (7 days), after which the widget asks the patient before sending again.
    pub idempotency_days: u32,
    /// Requests one client address may send per minute.
    pub per_minute: u32,
    /// How many requests one client may send at once before the per-minute rate applies.
    pub burst: u32,
    /// The largest request body, in bytes (attachments included).
    pub max_body_bytes: usize,
    /// Where new requests are announced with a signed `POST` (see
    /// `haven_server::appointments::webhook`); none by default.
    pub webhook_url: Option<String>,
    /// The secret that signs webhooks, at least 16 characters; required with `webhook_url`.
    pub webhook_secret: Option<String>,
}

impl Default for AppointmentsConfig {
    fn default() -> Self {
        AppointmentsConfig {
            visit_types: VisitType::ALL.to_vec(),
            response_target_hours: 24,
            retention_days: 90,
            idempotency_days: 30,
            per_minute: 10,
            burst: 10,
            max_body_bytes: 256 * 1024,
            webhook_url: None,
            webhook_secret: None,
        }
    }
}

impl AppointmentsConfig {
    /// The widget stops retrying by itself after this many days.
    pub const OUTBOX_HORIZON_DAYS: u32 = 7;

    fn problems(&self, found: &mut Problems) {
        if self.visit_types.is_empty() {
            found.add(
                "appointments.visit_types",
                "list at least one visit type: \"in_person\", \"phone\" or \"video\"",
            );
        }
        if self.idempotency_days <= Self::OUTBOX_HORIZON_DAYS {
            found.add(
                "appointments.idempotency_days",
                format!(
                    "keep idempotency keys longer than the widget retries by itself ({} days), \
                     so a late retry is still recognised",
                    Self::OUTBOX_HORIZON_DAYS
                ),
            );
        }
        if self.per_minute == 0 || self.burst == 0 {
            found.add(
                "appointments.per_minute",
                "per_minute and burst must be at least 1",
            );
        }
        if self.max_body_bytes < 16 * 1024 {
            found.add(
                "appointments.max_body_bytes",
                "allow at least 16384 bytes, so a request with a few record items fits",
            );
        }
        if let Some(url) = &self.webhook_url {
            let local = ["http://localhost", "http://127.0.0.1", "http://[::1]"]
                .iter()
                .any(|prefix| url.starts_with(prefix));
            if !(url.starts_with("https://") || local) {
                found.add(
                    "appointments.webhook_url",
                    "use an https:// URL (plain http only to this machine)",
                );
            }
            if self
                .webhook_secret
                .as_ref()
                .is_none_or(|s| s.chars().count() < 16)
            {
                found.add(
                    "appointments.webhook_secret",
                    "a webhook needs a secret of at least 16 characters to sign it with",
                );
            }
        }
        if self.retention_days == 0 {
            found.add(
                "appointments.retention_days",
                "keep settled requests for at least one day",
            );
        }
    }
}

/// `[clinic]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClinicConfig {
    /// A short identifier, `[a-z0-9_-]`.
    pub id: String,
    /// The clinic's name, per language.
    pub name: Localized,
    /// Path or `https://` URL of the logo.
    pub logo: Option<String>,
    /// The brand colour, `#rrggbb`.
    pub brand_color: Rgb,
    /// Offered languages, the first being the default.
    pub languages: Vec<Lang>,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// The emergency services number.
    pub emergency_number: String,
    /// IANA time zone name.
    pub time_zone: String,
}

/// `[embedding]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmbeddingConfig {
    /// Origins (`scheme://host[:port]`) allowed to frame the widget.
    #[serde(default)]
    pub allowed_origins: Vec<String>,
}

/// `[server]`: defaults for settings also given by flags or environment variables.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// The address to listen on, such as `127.0.0.1:8080`.
    pub listen: Option<String>,
    /// The database URL, such as `sqlite://data/haven.db`.
    pub database_url: Option<String>,
    /// Where the built widget is.
    pub widget_dir: Option<PathBuf>,
    /// Where the built staff console is.
    pub console_dir: Option<PathBuf>,
    /// Reverse proxies (addresses or networks, such as `"10.0.0.0/8"`) whose
    /// `X-Forwarded-For` names the client; from anyone else the header is ignored.
    #[serde(default)]
    pub trusted_proxies: Vec<String>,
}

impl ServerConfig {
    /// The trusted proxies as networks (a single address is a /32 or /128); invalid entries
    /// are reported by the configuration check and left out here.
    pub fn trusted_networks(&self) -> Vec<ipnet::IpNet> {
        self.trusted_proxies
            .iter()
            .filter_map(|entry| parse_network(entry).ok())
            .collect()
    }
}

fn parse_network(entry: &str) -> Result<ipnet::IpNet, String> {
    let entry = entry.trim();
    entry
        .parse::<ipnet::IpNet>()
        .or_else(|_| entry.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("{entry:?} is not an IP address or network such as \"10.0.0.0/8\""))
}

/// `[content]`: where the education topics are and how they are served.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentConfig {
    /// The shipped pack (a folder with `topics/`). A relative path is relative to the
    /// configuration file's folder when the file is read with [`Config::load`].
    #[serde(default = "ContentConfig::default_path")]
    pub path: PathBuf,
    /// The clinic's own topics, in the same layout; a file with the same id and language
    /// replaces the shipped one. Relative like `path`.
    pub local_path: Option<PathBuf>,
    /// How often, in seconds, the folders are checked for changed files.
    #[serde(default = "ContentConfig::default_reload_seconds")]
    pub reload_seconds: u64,
    /// Whether the widget reports searches that found no topic, counted for educators.
    #[serde(default)]
    pub report_missed_searches: bool,
}

impl ContentConfig {
    /// The longest reload interval accepted: one day.
    pub const MAX_RELOAD_SECONDS: u64 = 24 * 60 * 60;

    fn default_path() -> PathBuf {
        PathBuf::from("content")
    }

    fn default_reload_seconds() -> u64 {
        10
    }

    /// Makes relative folders relative to `base` (the configuration file's folder), so the
    /// server finds them whatever its working directory.
    fn resolve_against(&mut self, base: &Path) {
        if self.path.is_relative() {
            self.path = base.join(&self.path);
        }
        if let Some(local) = self.local_path.as_mut().filter(|p| p.is_relative()) {
            *local = base.join(&*local);
        }
    }
}

impl Default for ContentConfig {
    fn default() -> ContentConfig {
        ContentConfig {
            path: ContentConfig::default_path(),
            local_path: None,
            reload_seconds: ContentConfig::default_reload_seconds(),
            report_missed_searches: false,
        }
    }
}

/// `[[crisis_lines]]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrisisLineConfig {
    /// The service's name, per language.
    pub name: Localized,
    /// The number to call.
    pub phone: String,
    /// When it answers, per language.
    pub hours: Localized,
    /// Languages it answers in.
    pub languages: Vec<Lang>,
}

/// `[[opening_hours]]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpeningHoursConfig {
    /// The day.
    pub day: Weekday,
    /// `HH:MM`.
    pub opens: String,
    /// `HH:MM`, later than `opens`.
    pub closes: String,
}

/// `[[appointment_reasons]]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceConfig {
    /// A stable identifier, `[a-z0-9_-]`.
    pub id: String,
    /// The label, per language.
    pub label: Localized,
}

/// `[[community_groups]]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommunityGroupConfig {
    /// A stable identifier, `[a-z0-9_-]`.
    pub id: String,
    /// The group's name, per language.
    pub name: Localized,
    /// What the group is for, per language.
    pub description: Localized,
}

/// One thing wrong with a configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The 1-based line it is on, when known.
    pub line: Option<usize>,
    /// The key path, such as `crisis_lines[1].phone`; empty for TOML syntax errors.
    pub key: String,
    /// What is wrong, and how to put it right.
    pub message: String,
}

/// Why a configuration could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {file}: {source}")]
    Read {
        /// The file as named.
        file: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file was read but has problems.
    #[error("{}", render_problems(file, problems))]
    Invalid {
        /// The file as named.
        file: String,
        /// Every problem found.
        problems: Vec<Problem>,
    },
}

fn render_problems(file: &str, problems: &[Problem]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .map(|problem| {
            let place = match problem.line {
                Some(line) => format!("{file} line {line}"),
                None => file.to_owned(),
            };
            if problem.key.is_empty() {
                format!("{place}: {}", problem.message)
            } else {
                format!("{place}: {}: {}", problem.key, problem.message)
            }
        })
        .collect();
    lines.join("\n")
}

impl Config {
    /// Reads and checks a configuration file. Relative `[content]` folders are resolved
    /// against the file's folder.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let file = path.display().to_string();
        let source = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            file: file.clone(),
            source,
        })?;
        let mut config = Config::parse(&source, &file)?;
        let base = path.parent().unwrap_or(Path::new(""));
        config.content.resolve_against(base);
        Ok(config)
    }

    /// Parses and checks configuration text; `file` names it in messages.
    pub fn parse(source: &str, file: &str) -> Result<Config, ConfigError> {
        let invalid = |problems| ConfigError::Invalid {
            file: file.to_owned(),
            problems,
        };
        // The spanned tree maps error positions to key paths and key paths to lines.
        let tree = DeTable::parse(source).map_err(|error| {
            invalid(vec![Problem {
                line: error.span().map(|span| line_of(source, span.start)),
                key: String::new(),
                message: format!("this is not valid TOML: {}", error.message()),
            }])
        })?;
        let config: Config = toml::from_str(source).map_err(|error| {
            let span = error.span();
            invalid(vec![Problem {
                line: span.clone().map(|span| line_of(source, span.start)),
                key: span
                    .map(|span| key_at(tree.get_ref(), span))
                    .unwrap_or_default(),
                message: error.message().trim().to_owned(),
            }])
        })?;
        let problems: Vec<Problem> = config
            .problems()
            .into_iter()
            .map(|(key, message)| Problem {
                line: span_of(tree.get_ref(), &key).map(|span| line_of(source, span.start)),
                key,
                message,
            })
            .collect();
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(invalid(problems))
        }
    }

    /// Checks a configuration built or changed in code (for example with other allowed
    /// origins), reporting problems without line numbers.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let problems: Vec<Problem> = self
            .problems()
            .into_iter()
            .map(|(key, message)| Problem {
                line: None,
                key,
                message,
            })
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ConfigError::Invalid {
                file: "configuration".to_owned(),
                problems,
            })
        }
    }

    /// The part of the configuration the widget may see.
    pub fn public(&self) -> PublicConfig {
        let clinic = &self.clinic;
        PublicConfig {
            clinic: Clinic {
                id: clinic.id.clone(),
                name: clinic.name.clone(),
                logo: clinic.logo.clone(),
                brand_color: clinic.brand_color,
                languages: clinic.languages.clone(),
                country: clinic.country.clone(),
                emergency_number: clinic.emergency_number.clone(),
                time_zone: clinic.time_zone.clone(),
            },
            crisis_lines: self
                .crisis_lines
                .iter()
                .map(|line| CrisisLine {
                    name: line.name.clone(),
                    phone: line.phone.clone(),
                    hours: line.hours.clone(),
                    languages: line.languages.clone(),
                })
                .collect(),
            opening_hours: self
                .opening_hours
                .iter()
                .map(|hours| OpeningHours {
                    day: hours.day,
                    opens: hours.opens.clone(),
                    closes: hours.closes.clone(),
                })
                .collect(),
            appointment_reasons: self
                .appointment_reasons
                .iter()
                .map(|reason| Choice {
                    id: reason.id.clone(),
                    label: reason.label.clone(),
                })
                .collect(),
            community_groups: self
                .community_groups
                .iter()
                .map(|group| CommunityGroup {
                    id: group.id.clone(),
                    name: group.name.clone(),
                    description: group.description.clone(),
                })
                .collect(),
            visit_types: self.appointments.visit_types.clone(),
            report_missed_searches: self.content.report_missed_searches,
        }
    }

    /// Every rule the types alone do not enforce, as (key path, message) pairs.
    fn problems(&self) -> Vec<(String, String)> {
        let mut found = Problems::default();
        let clinic = &self.clinic;
        let first_language = clinic.languages.first().copied();

        found.check("clinic.id", check_id(&clinic.id));
        found.localized("clinic.name", &clinic.name, first_language);
        if let Some(logo) = &clinic.logo
            && !(logo.starts_with('/') || logo.starts_with("https://"))
        {
            found.add(
                "clinic.logo",
                "the logo must be a path such as \"/icons/logo.svg\" or an https:// URL",
            );
        }
        if clinic.languages.is_empty() {
            found.add(
                "clinic.languages",
                "list at least one language, such as [\"en\"]",
            );
        }
        found.check(
            "clinic.languages",
            check_unique(clinic.languages.iter().map(|l| l.tag())),
        );
        if !(clinic.country.len() == 2 && clinic.country.chars().all(|c| c.is_ascii_uppercase())) {
            found.add(
                "clinic.country",
                format!(
                    "{:?} is not a two-letter upper-case country code such as \"VN\"",
                    clinic.country
                ),
            );
        }
        found.check(
            "clinic.emergency_number",
            check_phone(&clinic.emergency_number),
        );
        found.check("clinic.time_zone", check_time_zone(&clinic.time_zone));
        self.appointments.problems(&mut found);
        for (i, entry) in self.server.trusted_proxies.iter().enumerate() {
            found.check(
                &format!("server.trusted_proxies[{i}]"),
                parse_network(entry).map(drop),
            );
        }

        for (i, origin) in self.embedding.allowed_origins.iter().enumerate() {
            found.check(
                &format!("embedding.allowed_origins[{i}]"),
                check_origin(origin),
            );
        }
        found.check(
            "embedding.allowed_origins",
            check_unique(self.embedding.allowed_origins.iter().map(String::as_str)),
        );

        if let Some(listen) = &self.server.listen
            && listen.parse::<SocketAddr>().is_err()
        {
            found.add(
                "server.listen",
                format!("{listen:?} is not an address such as \"127.0.0.1:8080\""),
            );
        }

        for (i, line) in self.crisis_lines.iter().enumerate() {
            let at = format!("crisis_lines[{i}]");
            found.localized(&format!("{at}.name"), &line.name, first_language);
            found.localized(&format!("{at}.hours"), &line.hours, first_language);
            found.check(&format!("{at}.phone"), check_phone(&line.phone));
            if line.languages.is_empty() {
                found.add(
                    &format!("{at}.languages"),
                    "list the languages the line answers in",
                );
            }
        }

        for (i, hours) in self.opening_hours.iter().enumerate() {
            let at = format!("opening_hours[{i}]");
            let opens = parse_time(&hours.opens);
            let closes = parse_time(&hours.closes);
            if let Err(message) = &opens {
                found.add(&format!("{at}.opens"), message);
            }
            if let Err(message) = &closes {
                found.add(&format!("{at}.closes"), message);
            }
            if let (Ok(opens), Ok(closes)) = (opens, closes)
                && closes <= opens
            {
                found.add(
                    &format!("{at}.closes"),
                    format!(
                        "closing time {} must be later than opening time {}",
                        hours.closes, hours.opens
                    ),
                );
            }
        }

        for (i, reason) in self.appointment_reasons.iter().enumerate() {
            found.check(
                &format!("appointment_reasons[{i}].id"),
                check_id(&reason.id),
            );
            found.localized(
                &format!("appointment_reasons[{i}].label"),
                &reason.label,
                first_language,
            );
        }
        found.check(
            "appointment_reasons",
            check_unique(self.appointment_reasons.iter().map(|r| r.id.as_str())),
        );

        for (i, group) in self.community_groups.iter().enumerate() {
            let at = format!("community_groups[{i}]");
            found.check(&format!("{at}.id"), check_id(&group.id));
            found.localized(&format!("{at}.name"), &group.name, first_language);
            found.localized(
                &format!("{at}.description"),
                &group.description,
                first_language,
            );
        }
        found.check(
            "community_groups",
            check_unique(self.community_groups.iter().map(|g| g.id.as_str())),
        );

        let content = &self.content;
        if content.path.as_os_str().is_empty() {
            found.add(
                "content.path",
                "give the folder of the education topics, such as \"content\"",
            );
        }
        if content
            .local_path
            .as_ref()
            .is_some_and(|p| p.as_os_str().is_empty())
        {
            found.add(
                "content.local_path",
                "give a folder, or leave local_path out",
            );
        }
        if !(1..=ContentConfig::MAX_RELOAD_SECONDS).contains(&content.reload_seconds) {
            found.add(
                "content.reload_seconds",
                format!(
                    "{} is out of range: check for changes every 1 to {} seconds",
                    content.reload_seconds,
                    ContentConfig::MAX_RELOAD_SECONDS
                ),
            );
        }
        found.0
    }
}

#[derive(Default)]
struct Problems(Vec<(String, String)>);

impl Problems {
    fn add(&mut self, key: &str, message: impl Into<String>) {
        self.0.push((key.to_owned(), message.into()));
    }

    fn check(&mut self, key: &str, result: Result<(), String>) {
        if let Err(message) = result {
            self.add(key, message);
        }
    }

    /// Localized text needs an entry the widget can always fall back to: English or the
    /// clinic's first language.
    fn localized(&mut self, key: &str, text: &Localized, first: Option<Lang>) {
        if let Some((lang, _)) = text.iter().find(|(_, value)| value.trim().is_empty()) {
            self.add(&format!("{key}.{}", lang.tag()), "the text is empty");
        }
        let has_fallback =
            text.contains_key(&Lang::En) || first.is_some_and(|l| text.contains_key(&l));
        if !has_fallback {
            let first = first
                .filter(|l| *l != Lang::En)
                .map_or_else(String::new, |l| format!(" or {:?}", l.tag()));
            self.add(
                key,
                format!("give the text in \"en\"{first}, such as {{ en = \"…\" }}"),
            );
        }
    }
}

/// Identifiers travel in URLs and on the wire, so they stay plain.
fn check_id(id: &str) -> Result<(), String> {
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-';
    if !id.is_empty() && id.len() <= 64 && id.chars().all(allowed) {
        Ok(())
    } else {
        Err(format!(
            "{id:?} is not an identifier: use 1 to 64 lower-case letters, digits, '_' or '-'"
        ))
    }
}

fn check_unique<'a>(items: impl Iterator<Item = &'a str>) -> Result<(), String> {
    let mut seen = HashSet::new();
    for item in items {
        if !seen.insert(item) {
            return Err(format!("{item:?} is listed twice"));
        }
    }
    Ok(())
}

/// Phone numbers are shown to patients and dialled with `tel:` links.
fn check_phone(phone: &str) -> Result<(), String> {
    let allowed = |c: char| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-');
    if phone.chars().all(allowed) && phone.chars().any(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!(
            "{phone:?} is not a phone number: use only digits, spaces, '+' and '-'"
        ))
    }
}

fn check_time_zone(zone: &str) -> Result<(), String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+');
    if !zone.is_empty()
        && zone.chars().all(allowed)
        && !zone.starts_with('/')
        && jiff::tz::TimeZone::get(zone).is_ok()
    {
        Ok(())
    } else {
        Err(format!(
            "{zone:?} is not an IANA time zone name such as \"Asia/Ho_Chi_Minh\""
        ))
    }
}

/// `HH:MM` on a 24-hour clock, as minutes after midnight.
fn parse_time(text: &str) -> Result<u32, String> {
    crate::appointments::validate::parse_time(text)
        .map(|time| {
            u32::from(time.hour().unsigned_abs()) * 60 + u32::from(time.minute().unsigned_abs())
        })
        .ok_or_else(|| {
            format!("{text:?} is not a time: write HH:MM on a 24-hour clock, such as \"07:30\"")
        })
}

/// An origin as browsers send it and CSP `frame-ancestors` matches it: exactly
/// `scheme://host[:port]`, nothing more.
fn check_origin(origin: &str) -> Result<(), String> {
    let example = "write it as scheme://host[:port], such as \"https://clinic.example\"";
    let Some((scheme, rest)) = origin.split_once("://") else {
        return Err(format!("{origin:?} is not an origin: {example}"));
    };
    if scheme != "http" && scheme != "https" {
        return Err(format!("{origin:?} must start with https:// or http://"));
    }
    if let Some(extra) = rest.find(['/', '?', '#']) {
        return Err(format!(
            "{origin:?} has a path or query ({:?}); an origin has none: {example}",
            &rest[extra..]
        ));
    }
    if rest.contains(['@', '*']) || rest.chars().any(|c| c.is_whitespace()) {
        return Err(format!("{origin:?} is not an origin: {example}"));
    }
    let (host, port) = match rest.strip_prefix('[') {
        // An IPv6 literal keeps its brackets in an origin.
        Some(v6) => match v6.split_once(']') {
            Some((_, tail)) => (&rest[..rest.len() - tail.len()], tail.strip_prefix(':')),
            None => return Err(format!("{origin:?} has an unclosed '[': {example}")),
        },
        None => match rest.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (rest, None),
        },
    };
    let host_ok = host.starts_with('[')
        || (!host.is_empty()
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            }));
    if !host_ok {
        return Err(format!(
            "{origin:?} has an invalid host (use lower case): {example}"
        ));
    }
    if let Some(port) = port
        && !port.parse::<u16>().is_ok_and(|p| p > 0)
    {
        return Err(format!("{origin:?} has an invalid port {port:?}"));
    }
    Ok(())
}

fn line_of(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())].matches('\n').count() + 1
}

/// One step of a key path.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

impl fmt::Display for Step<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Key(key) => f.write_str(key),
            Step::Index(i) => write!(f, "[{i}]"),
        }
    }
}

fn render_path(steps: &[Step<'_>]) -> String {
    let mut out = String::new();
    for step in steps {
        if matches!(step, Step::Key(_)) && !out.is_empty() {
            out.push('.');
        }
        out.push_str(&step.to_string());
    }
    out
}

/// Splits `crisis_lines[1].phone` into its steps.
fn parse_path(path: &str) -> Vec<Step<'_>> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (key, indexes) = part
            .split_once('[')
            .map_or((part, ""), |(k, rest)| (k, rest));
        if !key.is_empty() {
            steps.push(Step::Key(key));
        }
        for index in indexes.split('[') {
            if let Ok(i) = index.trim_end_matches(']').parse() {
                steps.push(Step::Index(i));
            }
        }
    }
    steps
}

/// The span of the deepest value that exists along `path`.
fn span_of(table: &DeTable<'_>, path: &str) -> Option<Range<usize>> {
    let mut steps = parse_path(path).into_iter();
    let Some(Step::Key(first)) = steps.next() else {
        return None;
    };
    let mut current = table.get(first)?;
    for step in steps {
        let next = match (step, current.get_ref()) {
            (Step::Key(key), DeValue::Table(table)) => table.get(key),
            (Step::Index(i), DeValue::Array(array)) => array.get(i),
            _ => None,
        };
        match next {
            Some(next) => current = next,
            None => break,
        }
    }
    Some(current.span())
}

/// The key path of the deepest key or value whose span holds `span.start`.
fn key_at(table: &DeTable<'_>, span: Range<usize>) -> String {
    fn search<'a>(value: &'a DeValue<'a>, at: usize, path: &mut Vec<Step<'a>>) -> bool {
        match value {
            DeValue::Table(table) => {
                for (key, value) in table {
                    path.push(Step::Key(key.get_ref()));
                    let here = key.span().contains(&at) || value.span().contains(&at);
                    if search(value.get_ref(), at, path) || here {
                        return true;
                    }
                    path.pop();
                }
                false
            }
            DeValue::Array(array) => {
                for (i, value) in array.iter().enumerate() {
                    path.push(Step::Index(i));
                    if search(value.get_ref(), at, path) || value.span().contains(&at) {
                        return true;
                    }
                    path.pop();
                }
                false
            }
            _ => false,
        }
    }
    let mut path = Vec::new();
    let root = DeValue::Table(table.clone());
    search(&root, span.start, &mut path);
    render_path(&path)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEMO: &str = include_str!("../../haven.toml");

    fn problems(source: &str) -> Vec<String> {
        match Config::parse(source, "haven.toml") {
            Ok(_) => Vec::new(),
            Err(error) => error.to_string().lines().map(str::to_owned).collect(),
        }
    }

    /// The demo file with one line replaced.
    fn demo_with(find: &str, replace: &str) -> String {
        assert!(DEMO.contains(find), "the demo file has {find:?}");
        DEMO.replacen(find, replace, 1)
    }

    fn demo_line(find: &str) -> usize {
        line_of(DEMO, DEMO.find(find).expect("in demo"))
    }

    #[test]
    fn the_demo_configuration_is_valid() {
        let config = Config::parse(DEMO, "haven.toml").expect("valid");
        assert_eq!(config.clinic.id, "demo");
        assert_eq!(config.embedding.allowed_origins, ["http://localhost:8081"]);
        assert_eq!(config.public().community_groups.len(), 5);
    }

    #[test]
    fn a_bad_brand_colour_is_reported_with_its_line_and_key() {
        let found = problems(&demo_with(
            "brand_color = \"#0b6e75\"",
            "brand_color = \"red\"",
        ));
        let line = demo_line("brand_color");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with(&format!(
                "haven.toml line {line}: clinic.brand_color: colour \"red\" must start with '#'"
            )),
            "{found:?}"
        );
    }

    #[test]
    fn an_unknown_key_is_named_with_its_line() {
        let found = problems(&demo_with(
            "country = \"VN\"",
            "country = \"VN\"\ncolour = \"blue\"",
        ));
        let line = demo_line("country") + 1;
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with(&format!("haven.toml line {line}: clinic")),
            "{found:?}"
        );
        assert!(found[0].contains("unknown field `colour`"), "{found:?}");
    }

    #[test]
    fn an_unknown_section_is_named() {
        let found = problems(&format!("{DEMO}\n[extras]\nfoo = 1\n"));
        assert!(found[0].contains("unknown field `extras`"), "{found:?}");
    }

    #[test]
    fn an_unknown_language_is_named_with_its_line() {
        let found = problems(&demo_with(
            "languages = [\"en\", \"vi\"]",
            "languages = [\"en\", \"fr\"]",
        ));
        let line = demo_line("languages = [\"en\", \"vi\"]");
        assert!(
            found[0].starts_with(&format!("haven.toml line {line}: clinic.languages")),
            "{found:?}"
        );
        assert!(found[0].contains("unknown variant `fr`"), "{found:?}");
    }

    #[test]
    fn an_empty_language_list_is_refused() {
        let found = problems(&demo_with("languages = [\"en\", \"vi\"]", "languages = []"));
        let line = demo_line("languages = [\"en\", \"vi\"]");
        assert_eq!(
            found,
            [format!(
                "haven.toml line {line}: clinic.languages: list at least one language, such as [\"en\"]"
            )]
        );
    }

    #[test]
    fn an_origin_with_a_path_is_refused() {
        let found = problems(&demo_with(
            "\"http://localhost:8081\"",
            "\"https://clinic.example/widget\"",
        ));
        let line = demo_line("allowed_origins = [");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with(&format!(
                "haven.toml line {line}: embedding.allowed_origins[0]: "
            )),
            "{found:?}"
        );
        assert!(found[0].contains("has a path"), "{found:?}");
    }

    #[test]
    fn exact_origins_pass_and_others_fail() {
        for good in [
            "https://clinic.example",
            "http://localhost:8081",
            "https://[::1]:8443",
            "http://127.0.0.1",
        ] {
            assert_eq!(check_origin(good), Ok(()), "{good}");
        }
        for bad in [
            "clinic.example",
            "ftp://clinic.example",
            "https://clinic.example/",
            "https://clinic.example?x",
            "https://*.clinic.example",
            "https://Clinic.example",
            "https://clinic.example:0",
            "https://clinic.example:99999",
            "https://user@clinic.example",
            "https://",
        ] {
            assert!(check_origin(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn closing_before_opening_is_refused_on_the_closes_line() {
        let source = demo_with(
            "opens = \"08:00\"\ncloses = \"12:00\"",
            "opens = \"08:00\"\ncloses = \"07:00\"",
        );
        let found = problems(&source);
        let line = line_of(&source, source.find("closes = \"07:00\"").unwrap());
        assert_eq!(
            found,
            [format!(
                "haven.toml line {line}: opening_hours[5].closes: closing time 07:00 must be later than opening time 08:00"
            )]
        );
    }

    #[test]
    fn times_must_be_hh_mm() {
        assert_eq!(parse_time("07:30"), Ok(450));
        for bad in ["7:30", "24:00", "07:60", "0730", "07:3a", ""] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn duplicate_and_odd_ids_are_refused() {
        let found = problems(&demo_with("id = \"follow_up\"", "id = \"checkup\""));
        assert!(
            found
                .iter()
                .any(|p| p.contains("appointment_reasons: \"checkup\" is listed twice")),
            "{found:?}"
        );
        let found = problems(&demo_with("id = \"heart\"", "id = \"Heart Health\""));
        let line = demo_line("id = \"heart\"");
        assert!(
            found.iter().any(|p| p.starts_with(&format!("haven.toml line {line}: community_groups[1].id: \"Heart Health\" is not an identifier"))),
            "{found:?}"
        );
    }

    #[test]
    fn localized_text_needs_english_or_the_first_language() {
        let found = problems(&demo_with(
            "label = { en = \"Dental care\", vi = \"Chăm sóc răng miệng\" }",
            "label = {}",
        ));
        let line = demo_line("label = { en = \"Dental care\"");
        assert_eq!(
            found,
            [format!(
                "haven.toml line {line}: appointment_reasons[4].label: give the text in \"en\", such as {{ en = \"…\" }}"
            )]
        );
        // Vietnamese alone is fine when Vietnamese is the clinic's first language.
        let vi_first = demo_with(
            "languages = [\"en\", \"vi\"]",
            "languages = [\"vi\", \"en\"]",
        );
        let vi_first = vi_first.replace(
            "label = { en = \"Dental care\", vi = \"Chăm sóc răng miệng\" }",
            "label = { vi = \"Chăm sóc răng miệng\" }",
        );
        assert_eq!(problems(&vi_first), Vec::<String>::new());
    }

    #[test]
    fn phone_numbers_allow_only_digits_spaces_plus_and_dash() {
        assert_eq!(check_phone("+84 1900-1267"), Ok(()));
        let found = problems(&demo_with("phone = \"111\"", "phone = \"call 111\""));
        let line = demo_line("phone = \"111\"");
        assert_eq!(
            found,
            [format!(
                "haven.toml line {line}: crisis_lines[1].phone: \"call 111\" is not a phone number: use only digits, spaces, '+' and '-'"
            )]
        );
    }

    #[test]
    fn a_syntax_error_names_its_line() {
        let found = problems("[clinic]\nid = \"demo\"\nname = {\n");
        assert!(
            found[0].starts_with("haven.toml line 3: this is not valid TOML"),
            "{found:?}"
        );
    }

    #[test]
    fn a_missing_key_is_named() {
        let found = problems(&demo_with("time_zone = \"Asia/Ho_Chi_Minh\"\n", ""));
        assert!(
            found[0].contains("clinic") && found[0].contains("missing field `time_zone`"),
            "{found:?}"
        );
    }

    #[test]
    fn several_problems_are_reported_together() {
        let source = demo_with("country = \"VN\"", "country = \"Vietnam\"")
            .replace("phone = \"111\"", "phone = \"x\"");
        assert_eq!(problems(&source).len(), 2);
    }

    #[test]
    fn the_public_part_leaves_out_embedding_and_server() {
        let public =
            serde_json::to_value(Config::parse(DEMO, "haven.toml").unwrap().public()).unwrap();
        assert!(public.get("embedding").is_none() && public.get("server").is_none());
        assert_eq!(public["clinic"]["brand_color"], "#0b6e75");
    }

    #[test]
    fn the_content_table_has_defaults_and_checked_values() {
        let config = Config::parse(DEMO, "haven.toml").unwrap();
        assert_eq!(config.content.path, Path::new("content"));
        assert!(config.content.report_missed_searches);
        assert!(config.public().report_missed_searches);

        let without = demo_with("report_missed_searches = true\n", "");
        let config = Config::parse(&without, "haven.toml").unwrap();
        assert_eq!(config.content.reload_seconds, 10);
        assert_eq!(config.content.local_path, None);
        assert!(!config.public().report_missed_searches);

        let source = demo_with(
            "path = \"content\"",
            "path = \"content\"\nreload_seconds = 0",
        );
        let line = line_of(&source, source.find("reload_seconds = 0").unwrap());
        assert_eq!(
            problems(&source),
            [format!(
                "haven.toml line {line}: content.reload_seconds: 0 is out of range: check for changes every 1 to 86400 seconds"
            )]
        );
        let found = problems(&demo_with("path = \"content\"", "paths = \"content\""));
        assert!(found[0].contains("unknown field `paths`"), "{found:?}");
    }

    #[test]
    fn relative_content_folders_are_found_beside_the_configuration_file() {
        let dir = std::env::temp_dir().join(format!("haven-config-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("haven.toml");
        let source = demo_with(
            "# local_path = \"content-local\"",
            "local_path = \"/srv/local\"",
        );
        std::fs::write(&file, source).unwrap();
        let config = Config::load(&file).unwrap();
        assert_eq!(config.content.path, dir.join("content"));
        assert_eq!(
            config.content.local_path.as_deref(),
            Some(Path::new("/srv/local"))
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn key_paths_round_trip() {
        assert_eq!(
            render_path(&parse_path("crisis_lines[1].phone")),
            "crisis_lines[1].phone"
        );
        assert_eq!(render_path(&parse_path("clinic.name.vi")), "clinic.name.vi");
    }
}
