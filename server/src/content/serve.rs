//! Serving the compiled packs, and reloading them when the files change.
//!
//! The packs are compiled and serialised once per change and kept behind an `RwLock<Arc<…>>`,
//! so a request only clones an `Arc`. A background task compares the folders' fingerprint
//! (file paths, sizes and modification times) every few seconds; on a change it rebuilds, and
//! a pack with errors is logged and ignored, so patients keep the last good one. The store
//! remembers the warnings of the packs served and the errors of a refused change, for the
//! console's Content page (`GET /api/staff/content`); on the first look of each day the files
//! are checked again even if unchanged, so reviews that fall due show up.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::SystemTime;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use haven_api::ApiError;
use haven_api::content::Pack;
use haven_api::insights::{self, ContentProblem, ContentStatus, PackStatus};
use haven_api::lang::Lang;
use haven_api::staff::Section;
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

use super::check::{check, list_topics};
use super::{CheckOptions, ContentError, Date, Folders, Packs, Problem, Report, Severity};
use crate::db;
use crate::error::AppError;
use crate::extract::Json;
use crate::staff::session::StaffSession;
use crate::state::AppState;

/// What the folders looked like: every topic file's path, size and modification time, and
/// the folders that could not be listed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Fingerprint(Vec<(PathBuf, u64, Option<SystemTime>)>);

impl Fingerprint {
    fn of(folders: &Folders) -> Fingerprint {
        let mut entries = Vec::new();
        for folder in std::iter::once(&folders.shipped).chain(folders.local.as_ref()) {
            match list_topics(folder) {
                Ok(files) => entries.extend(
                    files
                        .into_iter()
                        .map(|file| (file.path, file.len, file.modified)),
                ),
                Err(_) => entries.push((folder.clone(), u64::MAX, None)),
            }
        }
        Fingerprint(entries)
    }
}

/// The packs being served, and where they come from.
#[derive(Debug)]
pub struct ContentStore {
    folders: Folders,
    options: CheckOptions,
    served: RwLock<Served>,
    last_look: Mutex<LastLook>,
}

/// What is being served, and what became of the last change to the files.
#[derive(Debug, Clone)]
pub struct Served {
    /// The packs.
    pub packs: Arc<Packs>,
    /// When they were loaded (Unix ms).
    pub loaded_at: i64,
    /// The warnings of the files they were built from.
    pub warnings: Vec<Problem>,
    /// The last change to the files, if it was refused for its errors and not fixed since.
    pub refused: Option<RefusedChange>,
}

/// A change to the files that was not published.
#[derive(Debug, Clone)]
pub struct RefusedChange {
    /// When it was checked (Unix ms).
    pub at: i64,
    /// Its errors.
    pub errors: Vec<Problem>,
}

/// The folders as last looked at.
#[derive(Debug)]
struct LastLook {
    fingerprint: Fingerprint,
    /// The day they were last checked on, since reviews fall due without any file changing.
    checked_on: Date,
}

/// What a reload did.
#[derive(Debug)]
pub enum Refresh {
    /// No file changed.
    Unchanged,
    /// The files changed and the new packs are served.
    Updated(Report),
    /// The files changed but have errors; the last good packs are still served.
    Rejected(Report),
}

impl ContentStore {
    /// Reads, checks and compiles the folders. Errors refuse the content; warnings come back
    /// in the report.
    pub fn load(
        folders: Folders,
        options: CheckOptions,
    ) -> Result<(ContentStore, Report), ContentError> {
        let fingerprint = Fingerprint::of(&folders);
        let report = check(&folders, &options);
        let packs = report.packs()?;
        let store = ContentStore {
            served: RwLock::new(Served {
                packs: Arc::new(packs),
                loaded_at: db::now_ms(),
                warnings: warnings(&report),
                refused: None,
            }),
            last_look: Mutex::new(LastLook {
                fingerprint,
                checked_on: options.today,
            }),
            folders,
            options,
        };
        Ok((store, report))
    }

    /// The packs being served.
    pub fn packs(&self) -> Arc<Packs> {
        Arc::clone(&self.read().packs)
    }

    /// The packs being served, their warnings, and the last refused change.
    pub fn served(&self) -> Served {
        self.read().clone()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Served> {
        self.served.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Served> {
        self.served.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Where the topics are read from.
    pub fn folders(&self) -> &Folders {
        &self.folders
    }

    /// Rebuilds the packs if any file changed since the last look. Reads files: call it from
    /// a blocking task.
    pub fn refresh(&self) -> Refresh {
        self.refresh_on(super::today())
    }

    /// [`ContentStore::refresh`] as if today were `today`. On the first look of a new day the
    /// unchanged files are checked again too, so a review that has fallen due shows among the
    /// warnings.
    fn refresh_on(&self, today: Date) -> Refresh {
        let mut last = self.last_look.lock().unwrap_or_else(|e| e.into_inner());
        // Taken before reading, so a change made while reading is seen next time.
        let now = Fingerprint::of(&self.folders);
        let files_changed = last.fingerprint != now;
        if !files_changed && last.checked_on == today {
            return Refresh::Unchanged;
        }
        last.fingerprint = now;
        last.checked_on = today;
        let options = CheckOptions {
            today,
            ..self.options.clone()
        };
        let report = check(&self.folders, &options);
        if !files_changed {
            // The same files as the packs being served, unless a refused change is still
            // there (then the report has its errors and describes files not being served).
            if report.errors() == 0 {
                self.write().warnings = warnings(&report);
            }
            return Refresh::Unchanged;
        }
        match report.packs() {
            Ok(packs) => {
                *self.write() = Served {
                    packs: Arc::new(packs),
                    loaded_at: db::now_ms(),
                    warnings: warnings(&report),
                    refused: None,
                };
                Refresh::Updated(report)
            }
            Err(error) => {
                self.write().refused = Some(RefusedChange {
                    at: db::now_ms(),
                    errors: error.problems,
                });
                Refresh::Rejected(report)
            }
        }
    }
}

/// The warnings of a report.
fn warnings(report: &Report) -> Vec<Problem> {
    report
        .problems
        .iter()
        .filter(|problem| problem.severity == Severity::Warning)
        .cloned()
        .collect()
}

/// Logs a report's problems: errors as errors, warnings as warnings.
pub(crate) fn log_problems(report: &Report) {
    for problem in &report.problems {
        // The log level says which it is.
        let text = problem.to_string();
        let text = text.strip_prefix("warning: ").unwrap_or(&text);
        match problem.severity {
            Severity::Error => tracing::error!("content: {text}"),
            Severity::Warning => tracing::warn!("content: {text}"),
        }
    }
}

/// Logs the versions being served.
pub(crate) fn log_packs(packs: &Packs, what: &str) {
    for pack in packs.iter() {
        tracing::info!(
            lang = pack.lang.tag(),
            version = %pack.version,
            topics = pack.topics,
            "{what}"
        );
    }
}

/// Checks the content folders for changes every `AppOptions::content_reload`, until
/// aborted. `None` when reloading is off.
pub fn spawn_reloader(state: &AppState) -> Option<JoinHandle<()>> {
    let every = state.options().content_reload?;
    let state = state.clone();
    Some(tokio::spawn(async move {
        let mut interval = tokio::time::interval(every);
        interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
        // The first tick is immediate, and the packs were just loaded.
        interval.tick().await;
        loop {
            interval.tick().await;
            if let Err(error) = state.reload_content().await {
                tracing::error!(%error, "could not check the content folders");
            }
        }
    }))
}

/// Logs what a reload did.
pub(crate) fn log_refresh(refresh: &Refresh, store: &ContentStore) {
    match refresh {
        Refresh::Unchanged => {}
        Refresh::Updated(report) => {
            log_problems(report);
            log_packs(&store.packs(), "education content reloaded");
        }
        Refresh::Rejected(report) => {
            log_problems(report);
            tracing::error!(
                errors = report.errors(),
                "the changed education content has errors; still serving the last good pack"
            );
        }
    }
}

/// The education pack in one language: every topic, with topics not yet translated in
/// another language (their `lang` says which). Revalidate with `If-None-Match`.
#[utoipa::path(
    get,
    path = "/api/content/{lang}",
    tag = "education",
    params(("lang" = String, Path, description = "A shipped language: `en` or `vi`")),
    responses(
        (status = 200, description = "The pack", body = Pack,
            headers(("ETag" = String, description = "The pack's quoted version; changes whenever any text does"))),
        (status = 304, description = "Unchanged since the ETag sent in `If-None-Match`"),
        (status = 404, description = "Not a shipped language", body = ApiError),
    )
)]
pub async fn content_get(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let Some(lang) = Lang::ALL.into_iter().find(|l| l.tag() == lang) else {
        let tags: Vec<&str> = Lang::ALL.iter().map(|l| l.tag()).collect();
        return Err(AppError::not_found(format!(
            "there is no content in {lang:?}; the languages are {}",
            tags.join(", ")
        )));
    };
    let packs = state.content().packs();
    let pack = packs.get(lang);
    let takes_brotli = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|coding| coding.split(';').next().is_some_and(|c| c.trim() == "br"));
    if !takes_brotli {
        return Ok(crate::public::revalidated(
            &headers,
            &pack.etag,
            pack.body.clone(),
        ));
    }
    let mut response = crate::public::revalidated(&headers, &pack.etag, pack.body_br());
    if response.status() == StatusCode::OK {
        response
            .headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
    }
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    Ok(response)
}

/// The education content as patients get it now: each language's pack version and topic
/// count, the warnings to fix, and the last change to the files if it was refused for its
/// errors (educators and admins).
#[utoipa::path(
    get,
    path = "/api/staff/content",
    tag = "education",
    security(("session_cookie" = [])),
    responses(
        (status = 200, description = "The packs being served and what to fix", body = ContentStatus),
        (status = 401, description = "Not signed in", body = ApiError),
        (status = 403, description = "Not an educator or admin", body = ApiError),
    )
)]
pub async fn content_status_get(
    State(state): State<AppState>,
    session: StaffSession,
) -> Result<Json<ContentStatus>, AppError> {
    session.require(Section::Content)?;
    let store = state.content();
    let served = store.served();
    let problems = |problems: &[Problem]| {
        problems
            .iter()
            .map(|problem| wire_problem(problem, store.folders()))
            .collect()
    };
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(Json(ContentStatus {
        packs: served
            .packs
            .iter()
            .map(|pack| PackStatus {
                lang: pack.lang,
                version: pack.version.clone(),
                topics: count(pack.topics),
                fallbacks: count(pack.fallbacks),
            })
            .collect(),
        loaded_at: served.loaded_at,
        warnings: problems(&served.warnings),
        refused: served.refused.map(|refused| insights::RefusedChange {
            at: refused.at,
            errors: problems(&refused.errors),
        }),
        report_missed_searches: state.config().content.report_missed_searches,
    }))
}

/// A problem as staff see it, with the file named from its content folder.
fn wire_problem(problem: &Problem, folders: &Folders) -> ContentProblem {
    ContentProblem {
        file: shown_path(&problem.file, folders),
        line: problem
            .line
            .map(|line| u32::try_from(line).unwrap_or(u32::MAX)),
        field: problem.field.clone(),
        message: problem.message.clone(),
    }
}

/// A file under a content folder named from that folder (`content/topics/flu.en.md`), so the
/// console neither shows where the server keeps its files nor gets lost in long paths.
/// Anything else is shown as it is.
fn shown_path(file: &str, folders: &Folders) -> String {
    let path = std::path::Path::new(file);
    std::iter::once(&folders.shipped)
        .chain(folders.local.as_ref())
        .filter_map(|folder| {
            let rest = path.strip_prefix(folder).ok()?;
            let mut shown = PathBuf::from(folder.file_name()?);
            if !rest.as_os_str().is_empty() {
                shown.push(rest);
            }
            // The deepest folder wins, should one content folder be inside the other.
            Some((folder.components().count(), shown))
        })
        .max_by_key(|(depth, _)| *depth)
        .map_or_else(|| file.to_owned(), |(_, shown)| shown.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/content/good")
    }

    #[test]
    fn files_are_named_from_their_content_folder() {
        let folders = Folders {
            shipped: PathBuf::from("/srv/haven/content"),
            local: Some(PathBuf::from("/srv/haven/content/clinic")),
        };
        let shown = |file: &str| shown_path(file, &folders);
        assert_eq!(
            shown("/srv/haven/content/topics/flu.en.md"),
            "content/topics/flu.en.md"
        );
        assert_eq!(
            shown("/srv/haven/content/clinic/topics/flu.vi.md"),
            "clinic/topics/flu.vi.md"
        );
        assert_eq!(shown("/srv/haven/content"), "content");
        assert_eq!(shown("/elsewhere/flu.en.md"), "/elsewhere/flu.en.md");
    }

    #[test]
    fn a_new_day_checks_the_same_files_again_for_reviews_that_fell_due() {
        let options = CheckOptions {
            today: Date::parse("2027-01-01").unwrap(),
            ..CheckOptions::new()
        };
        let folders = Folders {
            shipped: fixture(),
            local: None,
        };
        let (store, _) = ContentStore::load(folders, options).unwrap();
        let fields = |store: &ContentStore| -> Vec<String> {
            let served = store.served();
            served.warnings.iter().map(|w| w.field.clone()).collect()
        };
        // Only the missing translation (a problem of the file as a whole).
        assert_eq!(fields(&store), [""]);
        let version = store.packs().get(Lang::En).version.clone();
        let loaded_at = store.served().loaded_at;

        let later = Date::parse("2100-01-01").unwrap();
        assert!(matches!(store.refresh_on(later), Refresh::Unchanged));
        let due = fields(&store)
            .iter()
            .filter(|field| *field == "next_review")
            .count();
        assert_eq!(due, 5, "{:?}", store.served().warnings);
        // Nothing patients get has changed.
        assert_eq!(store.packs().get(Lang::En).version, version);
        assert_eq!(store.served().loaded_at, loaded_at);
        assert!(matches!(store.refresh_on(later), Refresh::Unchanged));
    }
}
