//! The audit log page (admins): who did what, newest first, a page at a time.

use std::collections::HashSet;
use std::iter;

use haven_api::lang::Lang;
use haven_api::staff::AuditEntry;
use leptos::prelude::*;

use crate::api;
use crate::auth::use_session;
use crate::format::{Timestamp, action_label};
use crate::i18n::{catalog, fill, plural, tr, use_i18n};
use crate::layout::{Loading, PageHeading, Status, StatusRegion};

/// How many entries one request asks for.
const PAGE_SIZE: usize = 50;

/// The entries loaded so far, newest first, each once.
#[derive(Debug, Clone, Default, PartialEq)]
struct AuditLog {
    entries: Vec<AuditEntry>,
    /// No older entries exist.
    exhausted: bool,
}

impl AuditLog {
    /// Joins pages in the order they were loaded (each older than the one before).
    fn from_pages<'a>(pages: impl IntoIterator<Item = &'a [AuditEntry]>) -> AuditLog {
        let mut log = AuditLog::default();
        let mut seen = HashSet::new();
        for page in pages {
            let before = log.entries.len();
            // Entries on a page boundary that share a millisecond may come twice, depending on
            // whether the server's `before` is inclusive; show them once.
            log.entries.extend(
                page.iter()
                    .filter(|entry| seen.insert(entry.id.clone()))
                    .cloned(),
            );
            // A short page is the last; a page of nothing new would repeat forever.
            log.exhausted = page.len() < PAGE_SIZE || log.entries.len() == before;
        }
        log
    }

    /// The `before` cursor for the next, older page.
    fn cursor(&self) -> Option<i64> {
        self.entries.last().map(|entry| entry.at)
    }
}

/// Where the first page stands.
#[derive(Debug, Clone, PartialEq)]
enum LogState {
    Loading,
    Failed(api::Error),
    Ready,
}

/// What loading an older page did, for the status line, in the console's language `lang`.
fn older_status(result: &Result<usize, api::Error>, exhausted: bool, lang: Lang) -> Option<Status> {
    let t = catalog(lang);
    match result {
        Ok(0) => Status::done(t.no_older_entries_loaded),
        Ok(count) if exhausted => Status::done(plural(
            *count as u64,
            t.loaded_older_oldest_one,
            t.loaded_older_oldest_many,
        )),
        Ok(count) => Status::done(plural(
            *count as u64,
            t.loaded_older_one,
            t.loaded_older_many,
        )),
        Err(error) => Status::failed(fill(t.older_failed, error.text(lang))),
    }
}

/// `/console/audit`.
#[component]
pub fn AuditPage() -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let newest = LocalResource::new(move || session.guard(session.reader().audit(None, PAGE_SIZE)));
    let older_pages = RwSignal::new(Vec::<Vec<AuditEntry>>::new());
    let state = Memo::new(move |_| {
        newest.with(|loaded| match loaded {
            None => LogState::Loading,
            Some(Err(error)) => LogState::Failed(error.clone()),
            Some(Ok(_)) => LogState::Ready,
        })
    });
    let log = Memo::new(move |_| {
        newest.with(|loaded| {
            let first = match loaded {
                Some(Ok(page)) => page.as_slice(),
                _ => &[],
            };
            older_pages.with(|older| {
                AuditLog::from_pages(iter::once(first).chain(older.iter().map(Vec::as_slice)))
            })
        })
    });

    let load_older = Action::new_local(move |before: &i64| {
        let pending = session.guard(session.client().audit(Some(*before), PAGE_SIZE));
        async move {
            let page = pending.await?;
            let count = page.len();
            older_pages.update(|pages| pages.push(page));
            Ok::<usize, api::Error>(count)
        }
    });
    let loading_older = load_older.pending();
    let status = Signal::derive(move || {
        if loading_older.get() {
            return Status::done(i18n.t().loading_older);
        }
        let exhausted = log.with(|log| log.exhausted);
        let lang = i18n.lang();
        load_older.value().with(|result| {
            result
                .as_ref()
                .and_then(|r| older_status(r, exhausted, lang))
        })
    });
    let on_load_older = move |_| {
        let (exhausted, cursor) = log.with_untracked(|log| (log.exhausted, log.cursor()));
        if let (false, false, Some(before)) = (exhausted, loading_older.get_untracked(), cursor) {
            load_older.dispatch_local(before);
        }
    };

    let body = move || match state.get() {
        LogState::Loading => view! { <Loading text={|t| t.loading_audit} /> }.into_any(),
        LogState::Failed(error) => view! {
            <div class="load-error">
                <p>{move || fill(i18n.t().audit_failed, error.text(i18n.lang()))}</p>
                <button type="button" on:click=move |_| newest.refetch()>
                    {tr(|t| t.try_again)}
                </button>
            </div>
        }
        .into_any(),
        LogState::Ready => view! { <AuditTable log /> }.into_any(),
    };
    // `aria-disabled` rather than `disabled`, so the button keeps focus when the end is reached.
    let exhausted = move || log.with(|log| log.exhausted);
    view! {
        <PageHeading text=move || i18n.t().section_audit.to_owned() />
        <p>{tr(|t| t.audit_intro)}</p>
        {body}
        <StatusRegion status />
        <Show when=move || state.get() == LogState::Ready>
            <button
                type="button"
                class="load-more"
                aria-disabled=move || exhausted().then_some("true")
                on:click=on_load_older
            >
                {move || {
                    let t = i18n.t();
                    if exhausted() { t.no_older_entries } else { t.load_older }
                }}
            </button>
        </Show>
    }
}

#[component]
fn AuditTable(log: Memo<AuditLog>) -> impl IntoView {
    let entries = move || log.with(|log| log.entries.clone());
    let empty = move || {
        log.with(|log| log.entries.is_empty())
            .then(|| view! { <p>{tr(|t| t.audit_empty)}</p> })
    };
    view! {
        <div class="table-scroll" role="region" aria-labelledby="audit-caption" tabindex="0">
            <table>
                <caption id="audit-caption">{tr(|t| t.audit_caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(|t| t.when)}</th>
                        <th scope="col">{tr(|t| t.who)}</th>
                        <th scope="col">{tr(|t| t.what)}</th>
                        <th scope="col">{tr(|t| t.affected)}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=entries key=|entry| entry.id.clone() let(entry)>
                        <AuditRow entry />
                    </For>
                </tbody>
            </table>
        </div>
        {empty}
    }
}

#[component]
fn AuditRow(entry: AuditEntry) -> impl IntoView {
    let i18n = use_i18n();
    let (actor, target, action) = (entry.actor, entry.target, entry.action);
    let actor = move || {
        actor
            .clone()
            .unwrap_or_else(|| i18n.t().unknown_actor.to_owned())
    };
    let target = move || target.clone().unwrap_or_else(|| i18n.t().none.to_owned());
    let action = move || action_label(&action, i18n.t());
    view! {
        <tr>
            <th scope="row">
                <Timestamp millis=Some(entry.at) />
            </th>
            <td>{actor}</td>
            <td>{action}</td>
            <td>{target}</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, at: i64) -> AuditEntry {
        AuditEntry {
            id: id.into(),
            at,
            actor: None,
            action: "sign_in".into(),
            target: None,
        }
    }

    fn full_page(newest: i64) -> Vec<AuditEntry> {
        (0..PAGE_SIZE as i64)
            .map(|i| entry(&format!("e{}", newest - i), newest - i))
            .collect()
    }

    #[test]
    fn the_next_page_starts_before_the_oldest_entry_shown() {
        let first = full_page(1000);
        let log = AuditLog::from_pages([first.as_slice()]);
        assert_eq!(log.cursor(), Some(1000 - PAGE_SIZE as i64 + 1));
        assert!(!log.exhausted);
    }

    #[test]
    fn a_short_page_means_the_oldest_entry_is_shown() {
        let first = full_page(1000);
        let last = [entry("old", 3)];
        let log = AuditLog::from_pages([first.as_slice(), &last]);
        assert!(log.exhausted);
        assert_eq!(log.entries.last().unwrap().id, "old");
    }

    #[test]
    fn entries_repeated_across_a_page_boundary_are_shown_once() {
        let first = full_page(1000);
        let mut second = full_page(1000 - PAGE_SIZE as i64 + 1);
        second.truncate(3);
        let log = AuditLog::from_pages([first.as_slice(), &second]);
        assert_eq!(log.entries.len(), PAGE_SIZE + 2);
    }

    #[test]
    fn a_full_page_of_nothing_new_ends_the_log_instead_of_looping() {
        let first = full_page(1000);
        let log = AuditLog::from_pages([first.as_slice(), first.as_slice()]);
        assert!(log.exhausted);
        assert_eq!(log.entries.len(), PAGE_SIZE);
    }

    #[test]
    fn the_status_says_how_many_older_entries_arrived() {
        let text = |result, exhausted| older_status(&result, exhausted, Lang::En).unwrap().text;
        assert_eq!(text(Ok(0), true), "There are no older entries.");
        assert_eq!(text(Ok(50), false), "Loaded 50 older entries.");
        assert_eq!(
            text(Ok(7), true),
            "Loaded 7 older entries, down to the oldest."
        );
    }
}
