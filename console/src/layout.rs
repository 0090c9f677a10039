//! The signed-in shell (skip link, header, navigation, `<main>`), page headings that take focus
//! when the page changes, and the small pieces every page uses.

use std::cell::Cell;

use haven_api::staff::Section;
use leptos::ev::MouseEvent;
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::{A, Outlet};
use wasm_bindgen::JsCast;

use crate::auth::{Phase, use_session};
use crate::format::role_label;
use crate::i18n::{LanguageMenu, Text, fill, tr, use_i18n};
use crate::inbox::{InboxContext, NewRequestsBadge};
use crate::routes::{Page, SECTIONS, section_title, use_go};

thread_local! {
    /// Whether no page heading has been shown yet since the document loaded.
    static FIRST_HEADING: Cell<bool> = const { Cell::new(true) };
}

/// A page's `<h1>`. It names the document (followed by the console's name), and takes focus
/// when the page replaces another, so screen reader and keyboard users start at the new
/// page's top. On the first page after a load, focus stays at the start of the document,
/// where the browser put it. A change of language renames the document but moves no focus.
#[component]
pub fn PageHeading(
    /// The heading's text, in the console's language.
    #[prop(into)]
    text: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let heading = NodeRef::<html::H1>::new();
    // An effect talks to the outside world: the document's title and its focus. It returns
    // whether the heading has been shown, so focus moves on its first showing only.
    Effect::new(move |shown: Option<bool>| {
        let Some(element) = heading.get() else {
            return false;
        };
        let title = format!("{} · {}", text.get(), i18n.t().console_name);
        document().set_title(&title);
        if shown != Some(true) && !FIRST_HEADING.with(|first| first.replace(false)) {
            _ = element.focus();
        }
        true
    });
    view! {
        <h1 tabindex="-1" node_ref=heading>
            {text}
        </h1>
    }
}

/// Goes to a page as soon as it is shown, replacing the current history entry.
#[component]
pub fn GoTo(
    /// Where to go.
    page: Page,
) -> impl IntoView {
    let go = use_go();
    Effect::new(move |_| go(page, true));
}

/// The outcome of something the staff member did, announced politely.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The sentence to show and announce.
    pub text: String,
    /// Whether it reports a failure.
    pub is_error: bool,
}

impl Status {
    /// Something worked.
    pub fn done(text: impl Into<String>) -> Option<Status> {
        Some(Status {
            text: text.into(),
            is_error: false,
        })
    }

    /// Something failed.
    pub fn failed(text: impl Into<String>) -> Option<Status> {
        Some(Status {
            text: text.into(),
            is_error: true,
        })
    }
}

/// A live region that is always in the document, so screen readers announce what appears in it.
#[component]
pub fn StatusRegion(
    /// What to show.
    #[prop(into)]
    status: Signal<Option<Status>>,
) -> impl IntoView {
    let line = move || {
        status.get().map(|status| {
            let class = if status.is_error {
                "status error"
            } else {
                "status done"
            };
            view! { <p class=class>{status.text}</p> }
        })
    };
    view! {
        <div class="status-region" role="status" aria-atomic="true">
            {line}
        </div>
    }
}

/// A polite "Loading …" status.
#[component]
pub fn Loading(
    /// The sentence, such as "Loading the staff accounts…".
    text: Text,
) -> impl IntoView {
    view! {
        <p class="loading" role="status">
            {tr(text)}
        </p>
    }
}

/// The parent of every signed-in page: waits for the session check, sends a signed-out
/// browser to sign-in, and otherwise draws the shell around the page.
#[component]
pub fn Shell() -> impl IntoView {
    let session = use_session();
    let phase = Memo::new(move |_| session.phase());
    move || match phase.get() {
        Phase::Checking => view! {
            <main id="main" tabindex="-1" class="single">
                <Loading text={|t| t.loading_session} />
            </main>
        }
        .into_any(),
        Phase::SignedOut => view! { <GoTo page=Page::SignIn /> }.into_any(),
        Phase::SignedIn => view! { <SignedInShell /> }.into_any(),
    }
}

/// Moves focus to `<main>` (the router would otherwise treat `#main` as a navigation).
fn skip_to_main(ev: MouseEvent) {
    ev.prevent_default();
    let main = document()
        .get_element_by_id("main")
        .and_then(|main| main.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(main) = main {
        _ = main.focus();
    }
}

#[component]
fn SignedInShell() -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    // The role cannot change within a session; a new sign-in draws a new shell.
    InboxContext::provide(untrack(move || session.role()));
    let sign_out = Action::new_local(move |_: &()| {
        let pending = session.guard(session.client().sign_out());
        async move {
            match pending.await {
                Ok(()) => {
                    session.signed_out();
                    None
                }
                // The session had already ended; the sign-in page says so.
                Err(error) if error.is_unauthorized() => None,
                Err(error) => Some(error),
            }
        }
    });
    let signing_out = sign_out.pending();
    let sign_out_status = move || {
        let t = i18n.t();
        if signing_out.get() {
            Some(t.signing_out.to_owned())
        } else {
            let failed = sign_out.value().get().flatten();
            failed.map(|error| fill(t.still_signed_in, error.text(i18n.lang())))
        }
    };
    let role = move || session.role().map(|role| role_label(role, i18n.t()));
    let sections = move || {
        let role = session.role();
        SECTIONS
            .into_iter()
            .filter(|section| role.is_some_and(|role| role.can_open(*section)))
            .map(|section| {
                let badge = (section == Section::Inbox).then(|| view! { <NewRequestsBadge /> });
                view! {
                    <li>
                        <A href=Page::of(section).href()>
                            {move || section_title(section, i18n.t())} {badge}
                        </A>
                    </li>
                }
            })
            .collect_view()
    };

    view! {
        <a class="skip-link" href="#main" on:click=skip_to_main>
            {tr(|t| t.skip_to_main)}
        </a>
        <header class="console-header">
            <p class="brand">{tr(|t| t.brand)}</p>
            <div class="who">
                <p>
                    {tr(|t| t.signed_in_as)} <strong>{move || session.email()}</strong> " · "
                    {role}
                </p>
                <LanguageMenu id="console-language" />
                <button type="button" on:click=move |_| {
                    sign_out.dispatch_local(());
                }>{tr(|t| t.sign_out)}</button>
            </div>
            <p class="header-status" aria-live="polite">
                {sign_out_status}
            </p>
        </header>
        <div class="console-body">
            <nav aria-label=tr(|t| t.nav_label)>
                <ul>{sections}</ul>
            </nav>
            <main id="main" tabindex="-1">
                <Outlet />
            </main>
        </div>
    }
}

/// A section's page, or an explanation when the signed-in role may not open it.
#[component]
pub fn SectionPage(
    /// The section the page belongs to.
    section: Section,
    /// The page itself.
    children: Children,
) -> impl IntoView {
    // A role cannot change within a session (nobody may change their own), so check once.
    let role = untrack(move || use_session().role());
    if role.is_some_and(|role| role.can_open(section)) {
        children().into_any()
    } else {
        let i18n = use_i18n();
        let why = move || {
            let t = i18n.t();
            fill(
                t.role_cannot_open,
                role.map_or(t.no_role, |role| role_label(role, t)),
            )
        };
        view! {
            <PageHeading text=move || section_title(section, i18n.t()).to_owned() />
            <p>{why}</p>
        }
        .into_any()
    }
}

/// Shown for any address under `/console/` that is not a page.
#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <main id="main" tabindex="-1" class="single">
            <PageHeading text=move || i18n.t().not_found.to_owned() />
            <p>{tr(|t| t.not_found_body)}</p>
            <p>
                <A href=Page::Home.href()>{tr(|t| t.go_to_console)}</A>
            </p>
        </main>
    }
}
