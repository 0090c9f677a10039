//! Every page of the console as one typed enum, so paths are written in one place.

use haven_api::staff::{Role, Section};
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use crate::i18n::Catalog;

/// Where the Haven server mounts the console; the router's base.
pub const BASE: &str = "/console";

/// The console's sections, in the order the navigation lists them.
pub const SECTIONS: [Section; 5] = [
    Section::Inbox,
    Section::Moderation,
    Section::Content,
    Section::Audit,
    Section::Staff,
];

/// A page of the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// `/console/`: sends the signed-in staff member to their first section.
    Home,
    /// The sign-in form.
    SignIn,
    /// Appointment requests.
    Inbox,
    /// Forum posts waiting for review.
    Moderation,
    /// Education content packs.
    Content,
    /// The audit log.
    Audit,
    /// Staff accounts.
    Staff,
}

impl Page {
    /// The path under [`BASE`], as the router matches it.
    pub fn path(self) -> &'static str {
        match self {
            Page::Home => "/",
            Page::SignIn => "/sign-in",
            Page::Inbox => "/inbox",
            Page::Moderation => "/moderation",
            Page::Content => "/content",
            Page::Audit => "/audit",
            Page::Staff => "/staff",
        }
    }

    /// The absolute path, for links and navigation.
    pub fn href(self) -> String {
        format!("{BASE}{}", self.path())
    }

    /// The page that shows a section.
    pub fn of(section: Section) -> Page {
        match section {
            Section::Inbox => Page::Inbox,
            Section::Moderation => Page::Moderation,
            Section::Content => Page::Content,
            Section::Audit => Page::Audit,
            Section::Staff => Page::Staff,
        }
    }

    /// Where a role lands after signing in: the first section it may open.
    pub fn home_for(role: Role) -> Page {
        SECTIONS
            .into_iter()
            .find(|section| role.can_open(*section))
            .map_or(Page::Home, Page::of)
    }
}

/// One appointment request's page, `/console/inbox/{id}`: a page of the inbox section that
/// carries the request's id, so it is not one of the [`Page`]s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestPage<'a>(pub &'a str);

impl RequestPage<'_> {
    /// The route's parameter that holds the request's id.
    pub const PARAM: &'static str = "id";

    /// The absolute path, for links: the inbox's path with the id as one more segment.
    pub fn href(&self) -> String {
        format!(
            "{}/{}",
            Page::Inbox.href(),
            crate::api::encode_segment(self.0)
        )
    }
}

/// The section's name, as the navigation and its page heading show it.
pub fn section_title(section: Section, t: &'static Catalog) -> &'static str {
    match section {
        Section::Inbox => t.section_inbox,
        Section::Moderation => t.section_moderation,
        Section::Content => t.section_content,
        Section::Audit => t.section_audit,
        Section::Staff => t.section_staff,
    }
}

/// Returns a function that goes to a page, replacing the current history entry when asked
/// (redirects should not leave a page that bounces the Back button).
pub fn use_go() -> impl Fn(Page, bool) + Clone + 'static {
    let navigate = use_navigate();
    move |page: Page, replace: bool| {
        // `resolve: false`: the href already carries the base, and resolving would add it twice.
        let options = NavigateOptions {
            resolve: false,
            replace,
            ..NavigateOptions::default()
        };
        navigate(&page.href(), options);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_lives_under_the_console_base() {
        assert_eq!(Page::Staff.href(), "/console/staff");
        assert_eq!(Page::SignIn.href(), "/console/sign-in");
        assert_eq!(Page::Home.href(), "/console/");
    }

    #[test]
    fn each_role_lands_on_the_first_section_it_may_open() {
        assert_eq!(Page::home_for(Role::Admin), Page::Inbox);
        assert_eq!(Page::home_for(Role::FrontDesk), Page::Inbox);
        assert_eq!(Page::home_for(Role::Moderator), Page::Moderation);
        assert_eq!(Page::home_for(Role::Educator), Page::Moderation);
    }

    #[test]
    fn a_request_page_lives_under_the_inbox_with_its_id_encoded() {
        assert_eq!(
            RequestPage("1b4e28ba-2fa1-11d2-883f-0016d3cca427").href(),
            "/console/inbox/1b4e28ba-2fa1-11d2-883f-0016d3cca427"
        );
        assert_eq!(RequestPage("a/b").href(), "/console/inbox/a%2Fb");
    }

    #[test]
    fn every_section_has_its_own_page_and_path() {
        let mut paths: Vec<&str> = SECTIONS.into_iter().map(|s| Page::of(s).path()).collect();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(paths.len(), SECTIONS.len());
    }
}
