//! The console's root: the staff member's language, the session, the router under `/console`,
//! and one route per [`Page`].

use haven_api::staff::Section;
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{ParamSegment, StaticSegment};

use crate::accounts::AccountsPage;
use crate::audit::AuditPage;
use crate::auth::{Session, SignInPage, use_session};
use crate::content::ContentPage;
use crate::i18n::I18n;
use crate::inbox::{InboxPage, RequestDetailPage};
use crate::layout::{GoTo, NotFound, SectionPage, Shell};
use crate::routes::{BASE, Page, RequestPage};
use crate::sections::ModerationPage;

/// The whole console.
#[component]
pub fn App() -> impl IntoView {
    I18n::provide();
    Session::provide();
    view! {
        <Router base=BASE>
            <Routes fallback=NotFound>
                <Route path=StaticSegment(Page::SignIn.path()) view=SignInPage />
                <ParentRoute path=StaticSegment("") view=Shell>
                    <Route
                        path=StaticSegment(Page::Inbox.path())
                        view=|| section(Section::Inbox, InboxPage)
                    />
                    <Route
                        path=(
                            StaticSegment(Page::Inbox.path()),
                            ParamSegment(RequestPage::PARAM),
                        )
                        view=|| section(Section::Inbox, RequestDetailPage)
                    />
                    <Route
                        path=StaticSegment(Page::Moderation.path())
                        view=|| section(Section::Moderation, ModerationPage)
                    />
                    <Route
                        path=StaticSegment(Page::Content.path())
                        view=|| section(Section::Content, ContentPage)
                    />
                    <Route
                        path=StaticSegment(Page::Audit.path())
                        view=|| section(Section::Audit, AuditPage)
                    />
                    <Route
                        path=StaticSegment(Page::Staff.path())
                        view=|| section(Section::Staff, AccountsPage)
                    />
                    <Route path=StaticSegment(Page::Home.path()) view=Home />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// A section's page behind the role check.
fn section<V: IntoView + 'static>(section: Section, page: fn() -> V) -> impl IntoView {
    view! { <SectionPage section>{page()}</SectionPage> }
}

/// `/console/`: the signed-in staff member's first section (the shell has made sure there is
/// a session).
#[component]
fn Home() -> impl IntoView {
    let role = untrack(move || use_session().role());
    let page = role.map_or(Page::SignIn, Page::home_for);
    view! { <GoTo page /> }
}
