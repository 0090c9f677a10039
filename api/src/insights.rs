//! "What patients look for": searches in the widget that found no topic, counted so the
//! clinic's educators can see which topics are missing. Only the folded query and a count are
//! kept: no identifiers, no addresses, and never a query with self-harm language.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// The longest query accepted, in characters, after normalisation.
pub const MAX_QUERY_CHARS: usize = 100;

/// How many times a query must have been missed before staff see it, so a rare (and possibly
/// identifying) search never shows.
pub const MIN_COUNT_SHOWN: i64 = 5;

/// `POST /api/search-misses`: a search in the widget that found no topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SearchMissReport {
    /// The language the patient searched in.
    pub lang: Lang,
    /// What the patient typed. The server trims it, collapses spaces and folds it (lower case,
    /// no diacritics) before counting it; at most [`MAX_QUERY_CHARS`] characters.
    pub query: String,
}

/// One often-missed search, as staff see it at `GET /api/staff/search-misses`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchMiss {
    /// The language searched in.
    pub lang: Lang,
    /// The folded query.
    pub query: String,
    /// How many times it found nothing.
    pub count: i64,
    /// When it last found nothing (Unix ms).
    pub last_seen: i64,
}

/// `GET /api/staff/content`: the education content as patients get it now, and what the
/// clinic's educators should fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContentStatus {
    /// One pack per shipped language, in [`Lang::ALL`] order.
    pub packs: Vec<PackStatus>,
    /// When the packs being served were loaded (Unix ms).
    pub loaded_at: i64,
    /// What is worth fixing in the packs being served (they work as they are), by file and
    /// line: a review that is due, a missing translation, text that is hard to read.
    pub warnings: Vec<ContentProblem>,
    /// The last change to the files, when it was refused because of errors; patients keep
    /// getting the packs above until the errors are fixed. `None` when the files being served
    /// are the latest.
    pub refused: Option<RefusedChange>,
    /// Whether the clinic counts searches that found nothing (`[content]
    /// report_missed_searches`); when it does not, no new ones are counted.
    pub report_missed_searches: bool,
}

/// One language's pack as served.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PackStatus {
    /// The language.
    pub lang: Lang,
    /// The pack's version, as in `GET /api/content/{lang}`: it changes whenever any text does.
    pub version: String,
    /// How many topics patients see in this language's pack.
    pub topics: u32,
    /// How many of those are shown in another language because they have no translation.
    pub fallbacks: u32,
}

/// One problem in a content file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContentProblem {
    /// The file, from the content folder's name: `content/topics/flu.en.md`.
    pub file: String,
    /// The 1-based line, when the problem has one.
    pub line: Option<u32>,
    /// The front matter key (`sources[0].url`) or body part (`overview`, `red_flags`); empty
    /// when the problem is with the file as a whole.
    pub field: String,
    /// What is wrong, and how to put it right.
    pub message: String,
}

/// A change to the content files that was not published because it has errors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefusedChange {
    /// When the change was checked and refused (Unix ms).
    pub at: i64,
    /// The errors that must be fixed before it is published.
    pub errors: Vec<ContentProblem>,
}
