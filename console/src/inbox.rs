//! The appointment-request inbox (front desk and admins): the list of requests with its
//! filters, one request's page with everything the patient sent and what staff can do about
//! it, and the count of new requests the navigation shows on the Inbox link.

mod actions;
mod describe;
mod detail;
mod filters;
mod list;
mod templates;

use std::time::Duration;

use haven_api::appointments::Inbox;
use haven_api::config::{PublicConfig, pick};
use haven_api::lang::Lang;
use haven_api::staff::{Role, Section};
use leptos::prelude::*;

use crate::api;
use crate::auth::use_session;
use crate::i18n::{fill, use_i18n};
use crate::routes::Page;

pub use detail::RequestDetailPage;
pub use list::InboxPage;

/// How often the new-request count and an open list are fetched again.
const REFRESH_EVERY: Duration = Duration::from_secs(60);

/// What the inbox's pages and the navigation share while a staff member who may open the
/// inbox is signed in. Provided by the shell with [`InboxContext::provide`].
#[derive(Clone, Copy)]
pub struct InboxContext {
    /// New requests, fetched every minute and after each action, for the badge.
    new_requests: LocalResource<Result<Inbox, api::Error>>,
    /// The clinic's public configuration: appointment reasons, time zone, emergency number.
    config: LocalResource<Result<PublicConfig, api::Error>>,
    /// The list's query as it was when a request was opened from it, so the way back keeps
    /// the filters.
    list_query: StoredValue<String>,
}

/// The inbox's shared state, when the signed-in role may open the inbox.
pub fn use_inbox() -> Option<InboxContext> {
    use_context::<InboxContext>()
}

impl InboxContext {
    /// Provides the context when `role` may open the inbox, and starts the badge's refresh.
    pub fn provide(role: Option<Role>) {
        if !role.is_some_and(|role| role.can_open(Section::Inbox)) {
            return;
        }
        let session = use_session();
        let new_requests = LocalResource::new(move || {
            session.guard(
                session
                    .reader()
                    .inbox(&filters::Filters::new_only().to_query()),
            )
        });
        let config = LocalResource::new(move || session.guard(session.reader().public_config()));
        every_minute(move || new_requests.refetch());
        provide_context(InboxContext {
            new_requests,
            config,
            list_query: StoredValue::new(String::new()),
        });
    }

    /// How many requests are new, once known (tracked). `None` while loading or after a
    /// failure: the badge is left out rather than showing a wrong number.
    pub fn new_count(self) -> Option<u64> {
        self.new_requests.with(|loaded| {
            loaded
                .as_ref()
                .and_then(|r| r.as_ref().ok())
                .map(|inbox| inbox.new_count)
        })
    }

    /// Fetches the count again, after something changed a request.
    pub fn refresh(self) {
        self.new_requests.refetch();
    }

    /// The clinic's response target in hours, once known (tracked).
    fn target_hours(self) -> Option<u32> {
        self.new_requests.with(|loaded| {
            loaded
                .as_ref()
                .and_then(|r| r.as_ref().ok())
                .map(|inbox| inbox.response_target_hours)
        })
    }

    /// The list's address with the filters it had when a request was opened from it.
    fn list_href(self) -> String {
        let query = self.list_query.get_value();
        if query.is_empty() {
            Page::Inbox.href()
        } else {
            format!("{}?{query}", Page::Inbox.href())
        }
    }

    /// The clinic's configuration, once loaded (tracked).
    fn config(self) -> Option<PublicConfig> {
        self.config
            .with(|loaded| loaded.as_ref().and_then(|r| r.as_ref().ok()).cloned())
    }

    /// A configured reason's label in `lang` (tracked); `None` until the configuration is
    /// loaded, or when it no longer has the reason.
    fn reason_label(self, id: &str, lang: Lang) -> Option<String> {
        self.config.with(|loaded| {
            let config = loaded.as_ref()?.as_ref().ok()?;
            config
                .appointment_reasons
                .iter()
                .find(|choice| choice.id == id)
                .map(|choice| pick(&choice.label, lang).to_owned())
        })
    }

    /// The configured reasons as `(id, label in lang)` (tracked), empty until loaded.
    fn reasons(self, lang: Lang) -> Vec<(String, String)> {
        self.config()
            .map(|config| {
                config
                    .appointment_reasons
                    .iter()
                    .map(|choice| (choice.id.clone(), pick(&choice.label, lang).to_owned()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The clinic's IANA time zone, once known (tracked).
    fn time_zone(self) -> Option<String> {
        self.config.with(|loaded| {
            loaded
                .as_ref()
                .and_then(|r| r.as_ref().ok())
                .map(|config| config.clinic.time_zone.clone())
        })
    }
}

/// Runs `tick` every [`REFRESH_EVERY`] while the page is visible, until the calling scope is
/// cleaned up. A hidden tab does not poll the server.
fn every_minute(tick: impl Fn() + 'static) {
    let handle = set_interval_with_handle(
        move || {
            if !document().hidden() {
                tick();
            }
        },
        REFRESH_EVERY,
    );
    if let Ok(handle) = handle {
        on_cleanup(move || handle.clear());
    }
}

/// The badge on the Inbox navigation link: the number of new requests, in words ("3 new"),
/// so it does not rely on colour or on being seen; the link's name reads "Request inbox 3
/// new". Left out when nothing is new.
#[component]
pub fn NewRequestsBadge() -> impl IntoView {
    let inbox = use_inbox();
    let i18n = use_i18n();
    let count = move || inbox.and_then(InboxContext::new_count).filter(|n| *n > 0);
    move || {
        count().map(|count| {
            view! {
                <span class="badge">{fill(i18n.t().badge_new, count)}</span>
            }
        })
    }
}
