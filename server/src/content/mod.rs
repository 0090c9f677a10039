//! Education content: the Markdown topics of `content/topics` (plus a clinic's local folder),
//! checked and compiled into one [`Pack`] per language, served at `GET /api/content/{lang}`
//! and reloaded when the files change. Also the "what patients look for" counts of searches
//! that found nothing.
//!
//! The same checker runs at start-up, on every reload and in `haven-server content check`, so
//! a clinic sees exactly the problems that would stop the server, each with its file, line and
//! field.

pub mod check;
pub mod misses;
pub mod parse;
pub mod serve;

use std::fmt;
use std::path::PathBuf;

use axum::Router;
use axum::body::Bytes;
use axum::http::HeaderValue;
use axum::routing::{get, post};
use haven_api::content::{FORMAT, GROUPS, Pack, Topic};
use haven_api::fold::fold;
use haven_api::lang::Lang;
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::state::AppState;

pub use check::{Reading, check};
pub use haven_api::date::Date;
pub use serve::{ContentStore, Refresh, spawn_reloader};
pub(crate) use serve::{log_packs, log_problems, log_refresh};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/content/{lang}", get(serve::content_get))
        .route("/api/search-misses", post(misses::search_misses_create))
        .route("/api/staff/search-misses", get(misses::search_misses_list))
        .route("/api/staff/content", get(serve::content_status_get))
}

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The pack cannot be used: the server will not start with it, nor reload it.
    Error,
    /// Worth fixing, but the pack works.
    Warning,
}

/// One thing wrong in the content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file (or folder) as named from the folder given, such as
    /// `content/topics/flu.en.md`.
    pub file: String,
    /// The 1-based line, when the problem has one.
    pub line: Option<usize>,
    /// The front matter key (`sources[0].url`) or body part (`overview`, `care.urgent`,
    /// `red_flags`, `body`); empty for syntax errors.
    pub field: String,
    /// What is wrong, and how to put it right.
    pub message: String,
    /// Whether it stops the pack.
    pub severity: Severity,
}

impl fmt::Display for Problem {
    /// `file:line: field: message`, with `warning: ` before warnings.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.severity == Severity::Warning {
            f.write_str("warning: ")?;
        }
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if !self.field.is_empty() {
            write!(f, ": {}", self.field)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Where the topics are: the shipped pack and, optionally, the clinic's own folder whose
/// files replace shipped ones with the same id and language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folders {
    /// The shipped pack; it has a `topics` folder.
    pub shipped: PathBuf,
    /// The clinic's own topics, in the same layout.
    pub local: Option<PathBuf>,
}

/// What topics are checked against besides themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOptions {
    /// Review dates before this are due.
    pub today: Date,
    /// The configured community group ids; `None` when no configuration was given.
    pub community_groups: Option<Vec<String>>,
    /// The configured appointment reason ids; `None` when no configuration was given.
    pub appointment_reasons: Option<Vec<String>>,
}

impl CheckOptions {
    /// Today, without a configuration to check ids against.
    pub fn new() -> CheckOptions {
        CheckOptions {
            today: today(),
            community_groups: None,
            appointment_reasons: None,
        }
    }

    /// Today, checking community group and appointment reason ids against `config`.
    pub fn with_config(config: &Config) -> CheckOptions {
        CheckOptions {
            today: today(),
            community_groups: Some(
                config
                    .community_groups
                    .iter()
                    .map(|g| g.id.clone())
                    .collect(),
            ),
            appointment_reasons: Some(
                config
                    .appointment_reasons
                    .iter()
                    .map(|r| r.id.clone())
                    .collect(),
            ),
        }
    }
}

impl Default for CheckOptions {
    fn default() -> CheckOptions {
        CheckOptions::new()
    }
}

/// What checking the folders found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Every problem, by file and line.
    pub problems: Vec<Problem>,
    /// Reading-level statistics per topic file.
    pub readings: Vec<Reading>,
    /// The topics after local files replaced shipped ones, every language; complete only
    /// when there are no errors.
    pub topics: Vec<Topic>,
}

impl Report {
    /// How many errors.
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    /// How many warnings.
    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.problems
            .iter()
            .filter(|problem| problem.severity == severity)
            .count()
    }

    /// The compiled packs, or the errors that prevent them.
    pub fn packs(&self) -> Result<Packs, ContentError> {
        if self.errors() > 0 {
            return Err(ContentError {
                problems: self
                    .problems
                    .iter()
                    .filter(|p| p.severity == Severity::Error)
                    .cloned()
                    .collect(),
            });
        }
        Ok(Packs::build(&self.topics))
    }

    /// Writes what `haven-server content check` prints: every problem, a reading-level table
    /// and a summary line.
    pub fn render(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        for problem in &self.problems {
            writeln!(out, "{problem}")?;
        }
        if !self.problems.is_empty() {
            writeln!(out)?;
        }
        if !self.readings.is_empty() {
            let width = self
                .readings
                .iter()
                .map(|r| r.id.chars().count())
                .max()
                .unwrap_or(0)
                .max("topic".len());
            writeln!(
                out,
                "{:<width$}  lang  words  sentences  words/sentence  flesch",
                "topic"
            )?;
            for reading in &self.readings {
                let flesch = reading
                    .flesch
                    .map_or_else(|| "-".to_owned(), |score| format!("{score:.0}"));
                writeln!(
                    out,
                    "{:<width$}  {:<4}  {:>5}  {:>9}  {:>14.1}  {:>6}",
                    reading.id,
                    reading.lang.tag(),
                    reading.words,
                    reading.sentences,
                    reading.words_per_sentence(),
                    flesch,
                )?;
            }
            writeln!(out)?;
        }
        let per_lang: Vec<String> = Lang::ALL
            .iter()
            .map(|lang| {
                let n = self.topics.iter().filter(|t| t.lang == *lang).count();
                format!("{n} {}", lang.tag())
            })
            .collect();
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        writeln!(
            out,
            "{} ({}): {}, {}",
            plural(self.topics.len(), "topic file"),
            per_lang.join(", "),
            plural(self.errors(), "error"),
            plural(self.warnings(), "warning"),
        )
    }
}

/// Errors that keep a pack from being used.
#[derive(Debug, Clone, thiserror::Error)]
#[error(
    "the education content has {} error{}:\n{}",
    problems.len(),
    if problems.len() == 1 { "" } else { "s" },
    problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n")
)]
pub struct ContentError {
    /// The errors.
    pub problems: Vec<Problem>,
}

/// One language's pack, serialised once.
#[derive(Debug, Clone)]
pub struct CompiledPack {
    /// The language asked for.
    pub lang: Lang,
    /// The pack's version (see [`Pack::version`]).
    pub version: String,
    /// How many topics it has.
    pub topics: usize,
    /// How many of them are in another language, for want of a translation.
    pub fallbacks: usize,
    /// The JSON body.
    pub body: Bytes,
    /// The JSON body compressed with brotli at quality 11, made on first use: the pack is
    /// most of what a patient waits for before Learn's first results, and the server's
    /// per-request compression uses a lower quality.
    body_br: std::sync::Arc<std::sync::OnceLock<Bytes>>,
    /// The quoted version, as an `ETag`.
    pub etag: HeaderValue,
}

impl CompiledPack {
    /// The body compressed with brotli at quality 11.
    pub fn body_br(&self) -> Bytes {
        self.body_br
            .get_or_init(|| {
                let mut out = Vec::new();
                let params = brotli::enc::BrotliEncoderParams {
                    quality: 11,
                    lgwin: 22,
                    ..Default::default()
                };
                brotli::BrotliCompress(&mut self.body.as_ref(), &mut out, &params)
                    .expect("compressing to memory cannot fail");
                Bytes::from(out)
            })
            .clone()
    }
}

/// One compiled pack per shipped language.
#[derive(Debug, Clone)]
pub struct Packs(Vec<CompiledPack>);

impl Packs {
    /// Compiles topics (every language) into one pack per shipped language. A topic missing
    /// in a language appears in another, with its own `lang`.
    pub fn build(topics: &[Topic]) -> Packs {
        let mut ids: Vec<&str> = topics.iter().map(|t| t.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        let packs = Lang::ALL
            .into_iter()
            .map(|lang| {
                let find =
                    |id: &str, lang: Lang| topics.iter().find(|t| t.id == id && t.lang == lang);
                let mut chosen: Vec<Topic> = ids
                    .iter()
                    .filter_map(|id| {
                        find(id, lang)
                            .or_else(|| Lang::ALL.into_iter().find_map(|other| find(id, other)))
                            .cloned()
                    })
                    .collect();
                chosen.sort_by_cached_key(|topic| {
                    let group = GROUPS
                        .iter()
                        .position(|g| *g == topic.group)
                        .unwrap_or(GROUPS.len());
                    (
                        group,
                        fold(&topic.title),
                        topic.title.clone(),
                        topic.id.clone(),
                    )
                });
                compile(lang, chosen)
            })
            .collect();
        Packs(packs)
    }

    /// The pack for `lang`.
    pub fn get(&self, lang: Lang) -> &CompiledPack {
        self.0
            .iter()
            .find(|pack| pack.lang == lang)
            .expect("a pack for every shipped language")
    }

    /// Every pack, in [`Lang::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = &CompiledPack> {
        self.0.iter()
    }
}

fn compile(lang: Lang, topics: Vec<Topic>) -> CompiledPack {
    // Plain structs with string keys: serialising cannot fail.
    let serialized = serde_json::to_vec(&topics).expect("topics serialise");
    let digest = Sha256::digest(&serialized);
    let version = crate::db::hex(&digest[..8]);
    let count = topics.len();
    let fallbacks = topics.iter().filter(|topic| topic.lang != lang).count();
    let pack = Pack {
        format: FORMAT,
        version: version.clone(),
        lang,
        topics,
    };
    let body = serde_json::to_vec(&pack).expect("a pack serialises");
    let etag = HeaderValue::try_from(format!("\"{version}\"")).expect("hex is a valid header");
    CompiledPack {
        lang,
        version,
        topics: count,
        fallbacks,
        body: Bytes::from(body),
        body_br: Default::default(),
        etag,
    }
}

/// Today's date in UTC, for review-due checks.
pub fn today() -> Date {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| {
            i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
        });
    Date::from_unix_ms(ms)
}
