//! Serving the compiled packs, and reloading them when the files change.
//!
//! The packs are compiled and serialised once per change and kept behind an `RwLock<Arc<…>>`,
//! so a request only clones an `Arc`. A background task compares the folders' fingerprint
//! (file paths, sizes and modification times) every few seconds; on a change it rebuilds, and
//! a pack with errors is logged and ignored, so patients keep the last good one.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::SystemTime;

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use haven_api::ApiError;
use haven_api::content::Pack;
use haven_api::lang::Lang;
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

use super::check::{check, list_topics};
use super::{CheckOptions, ContentError, Date, Folders, Packs, Report, Severity};
use crate::error::AppError;
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
    packs: RwLock<Arc<Packs>>,
    fingerprint: Mutex<Fingerprint>,
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
            folders,
            options,
            packs: RwLock::new(Arc::new(packs)),
            fingerprint: Mutex::new(fingerprint),
        };
        Ok((store, report))
    }

    /// The packs being served.
    pub fn packs(&self) -> Arc<Packs> {
        Arc::clone(&self.packs.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Where the topics are read from.
    pub fn folders(&self) -> &Folders {
        &self.folders
    }

    /// Rebuilds the packs if any file changed since the last look. Reads files: call it from
    /// a blocking task.
    pub fn refresh(&self) -> Refresh {
        let mut last = self.fingerprint.lock().unwrap_or_else(|e| e.into_inner());
        // Taken before reading, so a change made while reading is seen next time.
        let now = Fingerprint::of(&self.folders);
        if *last == now {
            return Refresh::Unchanged;
        }
        *last = now;
        let options = CheckOptions {
            today: Date::today(),
            ..self.options.clone()
        };
        let report = check(&self.folders, &options);
        match report.packs() {
            Ok(packs) => {
                *self.packs.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(packs);
                Refresh::Updated(report)
            }
            Err(_) => Refresh::Rejected(report),
        }
    }
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
    Ok(crate::public::revalidated(
        &headers,
        &pack.etag,
        pack.body.clone(),
    ))
}
