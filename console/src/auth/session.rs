//! Who is signed in, shared with every page through context. The session itself lives in an
//! HttpOnly cookie the console never sees; this is what the server said about it.

use std::future::Future;

use haven_api::lang::Lang;
use haven_api::staff::{Role, SessionInfo};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, Client};
use crate::i18n::{catalog, fill};

/// What the console knows about the session.
#[derive(Debug, Clone, PartialEq)]
enum SessionState {
    /// Asking the server whether the browser already has a session.
    Checking,
    /// No session: only the sign-in page can be shown.
    SignedOut,
    /// Signed in.
    SignedIn(SessionInfo),
}

/// The session's state without its details, for views that only switch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Asking the server.
    Checking,
    /// No session.
    SignedOut,
    /// Signed in.
    SignedIn,
}

/// Why the sign-in page is shown, when there is something to say about it.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// The staff member signed out.
    SignedOut,
    /// The server no longer accepts the session.
    Expired,
    /// The server could not say whether there is a session.
    CheckFailed(api::Error),
}

impl Notice {
    /// The sentence for the sign-in page, in the console's language `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let t = catalog(lang);
        match self {
            Notice::SignedOut => t.notice_signed_out.to_owned(),
            Notice::Expired => t.notice_expired.to_owned(),
            Notice::CheckFailed(error) => fill(t.notice_check_failed, error.text(lang)),
        }
    }
}

/// The signed-in staff member, and a notice for the sign-in page when they have to go there.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    state: RwSignal<SessionState>,
    notice: RwSignal<Option<Notice>>,
}

/// The session provided by [`Session::provide`].
pub fn use_session() -> Session {
    expect_context::<Session>()
}

impl Session {
    /// Provides the session to the app and asks the server whether one already exists.
    pub fn provide() -> Session {
        let session = Session {
            state: RwSignal::new(SessionState::Checking),
            notice: RwSignal::new(None),
        };
        provide_context(session);
        let existing = Client::anonymous().session();
        spawn_local(async move {
            match existing.await {
                Ok(info) => session.state.set(SessionState::SignedIn(info)),
                Err(error) => {
                    if !error.is_unauthorized() {
                        session.notice.set(Some(Notice::CheckFailed(error)));
                    }
                    session.state.set(SessionState::SignedOut);
                }
            }
        });
        session
    }

    /// Where the session stands (tracked).
    pub fn phase(self) -> Phase {
        self.state.with(|state| match state {
            SessionState::Checking => Phase::Checking,
            SessionState::SignedOut => Phase::SignedOut,
            SessionState::SignedIn(_) => Phase::SignedIn,
        })
    }

    /// The signed-in staff member's email (tracked), empty when signed out.
    pub fn email(self) -> String {
        self.state.with(|state| match state {
            SessionState::SignedIn(info) => info.email.clone(),
            _ => String::new(),
        })
    }

    /// The signed-in staff member's role (tracked).
    pub fn role(self) -> Option<Role> {
        self.state.with(|state| match state {
            SessionState::SignedIn(info) => Some(info.role),
            _ => None,
        })
    }

    /// Why the sign-in page is shown, if there is something to say (tracked).
    pub fn notice(self) -> Option<Notice> {
        self.notice.get()
    }

    /// Records a successful sign-in.
    pub fn signed_in(self, info: SessionInfo) {
        self.notice.set(None);
        self.state.set(SessionState::SignedIn(info));
    }

    /// Records a sign-out the staff member asked for.
    pub fn signed_out(self) {
        self.notice.set(Some(Notice::SignedOut));
        self.state.set(SessionState::SignedOut);
    }

    /// Records that the server no longer accepts the session.
    pub fn expire(self) {
        self.notice.set(Some(Notice::Expired));
        self.state.set(SessionState::SignedOut);
    }

    /// A client carrying this session's CSRF token.
    pub fn client(self) -> Client {
        self.state.with_untracked(|state| match state {
            SessionState::SignedIn(info) => Client::for_session(info),
            _ => Client::anonymous(),
        })
    }

    /// A client for a page's reads: the request is cancelled if the page goes away first.
    pub fn reader(self) -> Client {
        self.client().abort_on_cleanup()
    }

    /// Awaits a request made with [`Session::client`] or [`Session::reader`]. This is the one
    /// place a 401 from any call sends the console back to sign-in.
    pub async fn guard<T>(
        self,
        pending: impl Future<Output = Result<T, api::Error>>,
    ) -> Result<T, api::Error> {
        let result = pending.await;
        if let Err(error) = &result
            && error.is_unauthorized()
        {
            self.expire();
        }
        result
    }
}
