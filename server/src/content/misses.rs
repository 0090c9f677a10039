//! "What patients look for": counts of widget searches that found no topic, so educators see
//! which topics are missing. Off unless `[content] report_missed_searches = true`.
//!
//! Only the folded query, its language, a count and first/last times are stored: no address,
//! no session, nothing that links a search to a person. A query with self-harm language is
//! never stored (the widget shows crisis help for it instead), and staff only see queries
//! missed at least [`MIN_COUNT_SHOWN`] times, so a rare, possibly identifying search never
//! shows.

use axum::extract::State;
use axum::http::StatusCode;
use haven_api::ApiError;
use haven_api::crisis;
use haven_api::fold::fold;
use haven_api::insights::{MAX_QUERY_CHARS, MIN_COUNT_SHOWN, SearchMiss, SearchMissReport};
use haven_api::lang::Lang;
use haven_api::staff::Section;
use sqlx::{AnyPool, Row};
use unicode_normalization::UnicodeNormalization;

use super::parse::collapse_whitespace;
use crate::db;
use crate::error::AppError;
use crate::extract::Json;
use crate::staff::session::StaffSession;
use crate::state::AppState;

/// The most rows the staff view returns.
pub const MAX_LISTED: i64 = 500;

/// Why a query is not counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejected {
    /// Nothing left after trimming.
    Empty,
    /// Longer than [`MAX_QUERY_CHARS`] after normalising.
    TooLong,
    /// Self-harm language: dropped without a trace.
    Crisis,
}

/// The stored form of a query: NFC, trimmed, spaces collapsed, folded (lower case, no
/// diacritics), at most [`MAX_QUERY_CHARS`] characters.
pub fn normalize(query: &str) -> Result<String, Rejected> {
    let composed: String = query.nfc().collect();
    let collapsed = collapse_whitespace(&composed);
    if collapsed.is_empty() {
        return Err(Rejected::Empty);
    }
    let folded = collapse_whitespace(&fold(&collapsed));
    // Both forms: the detector matches accented words exactly and unaccented ones by their
    // folded form, and what would be stored is the folded one.
    if crisis::detect(&collapsed).is_some() || crisis::detect(&folded).is_some() {
        return Err(Rejected::Crisis);
    }
    if folded.chars().count() > MAX_QUERY_CHARS {
        return Err(Rejected::TooLong);
    }
    Ok(folded)
}

/// The most distinct queries kept. The endpoint takes anonymous reports, so a flood of
/// made-up queries must not grow the table without end: once it is full, queries already
/// counted still count and new ones are dropped.
pub const MAX_DISTINCT: i64 = 20_000;

/// Counts one miss of an already normalised query (see [`MAX_DISTINCT`]).
pub async fn record(pool: &AnyPool, lang: Lang, query: &str, now: i64) -> Result<(), sqlx::Error> {
    record_within(pool, lang, query, now, MAX_DISTINCT).await
}

/// [`record`] with a given limit on distinct queries.
pub async fn record_within(
    pool: &AnyPool,
    lang: Lang,
    query: &str,
    now: i64,
    max_distinct: i64,
) -> Result<(), sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE search_misses SET count = count + 1, last_seen = $3 \
         WHERE lang = $1 AND query = $2",
    )
    .bind(lang.tag())
    .bind(query)
    .bind(now)
    .execute(pool)
    .await?;
    if updated.rows_affected() > 0 {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO search_misses (lang, query, count, first_seen, last_seen) \
         SELECT $1, $2, 1, $3, $3 WHERE (SELECT COUNT(*) FROM search_misses) < $4 \
         ON CONFLICT (lang, query) DO UPDATE \
         SET count = search_misses.count + 1, last_seen = excluded.last_seen",
    )
    .bind(lang.tag())
    .bind(query)
    .bind(now)
    .bind(max_distinct)
    .execute(pool)
    .await?;
    Ok(())
}

/// Queries missed at least `min_count` times, most often first.
pub async fn list(pool: &AnyPool, min_count: i64) -> Result<Vec<SearchMiss>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT lang, query, count, last_seen FROM search_misses WHERE count >= $1 \
         ORDER BY count DESC, last_seen DESC, query ASC LIMIT $2",
    )
    .bind(min_count)
    .bind(MAX_LISTED)
    .fetch_all(pool)
    .await?;
    let mut misses = Vec::with_capacity(rows.len());
    for row in rows {
        let tag: String = row.try_get("lang")?;
        // A language no longer shipped is left out rather than failing the whole list.
        let Some(lang) = Lang::ALL.into_iter().find(|l| l.tag() == tag) else {
            continue;
        };
        misses.push(SearchMiss {
            lang,
            query: row.try_get("query")?,
            count: row.try_get("count")?,
            last_seen: row.try_get("last_seen")?,
        });
    }
    Ok(misses)
}

/// Reports a search in the widget that found no topic. Only the folded query and a count are
/// kept; queries with self-harm language are accepted and dropped.
#[utoipa::path(
    post,
    path = "/api/search-misses",
    tag = "education",
    request_body = SearchMissReport,
    responses(
        (status = 204, description = "Counted (or, for self-harm language, dropped unseen)"),
        (status = 400, description = "The body could not be read", body = ApiError),
        (status = 404, description = "This clinic does not collect missed searches", body = ApiError),
        (status = 422, description = "The query is empty or longer than 100 characters; see `fields`", body = ApiError),
    )
)]
pub async fn search_misses_create(
    State(state): State<AppState>,
    Json(report): Json<SearchMissReport>,
) -> Result<StatusCode, AppError> {
    if !state.config().content.report_missed_searches {
        return Err(AppError::not_found(
            "this clinic does not collect missed searches ([content] report_missed_searches is off)",
        ));
    }
    let invalid =
        |message: &str| AppError::validation(Default::default()).with_field("query", message);
    let query = match normalize(&report.query) {
        Ok(query) => query,
        Err(Rejected::Crisis) => return Ok(StatusCode::NO_CONTENT),
        Err(Rejected::Empty) => return Err(invalid("the query is empty")),
        Err(Rejected::TooLong) => {
            return Err(invalid(&format!(
                "the query is longer than {MAX_QUERY_CHARS} characters"
            )));
        }
    };
    record(state.pool(), report.lang, &query, db::now_ms()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Searches that found no topic at least 5 times, most often first (educators and admins).
#[utoipa::path(
    get,
    path = "/api/staff/search-misses",
    tag = "education",
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "Up to 500 queries, most often missed first", body = [SearchMiss]),
        (status = 401, description = "Not signed in", body = ApiError),
        (status = 403, description = "Not an educator or admin", body = ApiError),
    )
)]
pub async fn search_misses_list(
    State(state): State<AppState>,
    session: StaffSession,
) -> Result<Json<Vec<SearchMiss>>, AppError> {
    session.require(Section::Content)?;
    Ok(Json(list(state.pool(), MIN_COUNT_SHOWN).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_trimmed_collapsed_and_folded() {
        assert_eq!(normalize("  Tiểu   ĐƯỜNG \n"), Ok("tieu duong".to_owned()));
        // Decomposed input folds the same as composed.
        assert_eq!(normalize("Ti\u{65}\u{302}\u{309}u"), Ok("tieu".to_owned()));
        assert_eq!(normalize("Back\u{a0}Pain"), Ok("back pain".to_owned()));
    }

    #[test]
    fn empty_long_and_crisis_queries_are_not_counted() {
        assert_eq!(normalize(" \t "), Err(Rejected::Empty));
        assert_eq!(
            normalize(&"a".repeat(MAX_QUERY_CHARS)).map(|q| q.len()),
            Ok(100)
        );
        assert_eq!(
            normalize(&"a".repeat(MAX_QUERY_CHARS + 1)),
            Err(Rejected::TooLong)
        );
        // Collapsing spaces comes before counting.
        assert!(normalize(&format!("{}     b", "a".repeat(98))).is_ok());
        for crisis in [
            "I want to die",
            "muốn chết",
            "muon chet",
            "how to kill myself",
        ] {
            assert_eq!(normalize(crisis), Err(Rejected::Crisis), "{crisis}");
        }
        let long_crisis = format!("{} suicide", "x".repeat(200));
        assert_eq!(normalize(&long_crisis), Err(Rejected::Crisis));
    }
}
