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
