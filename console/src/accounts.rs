//! The staff accounts page (admins): every account in a table with its actions, and a form to
//! add one.

mod form;
mod table;

use haven_api::staff::StaffAccount;
use leptos::html;
use leptos::prelude::*;

use crate::api;
use crate::auth::use_session;
use crate::i18n::{tr, use_i18n};
use crate::layout::{PageHeading, Status, StatusRegion};

use form::NewAccountForm;
use table::AccountsTable;

/// What the page's parts share: the list, its reload, and the page's status line.
#[derive(Clone, Copy)]
struct AccountsContext {
    /// The list as last loaded.
    accounts: LocalResource<Result<Vec<StaffAccount>, api::Error>>,
    /// What the last action did.
    status: RwSignal<Option<Status>>,
    /// The table's scroll region, where focus goes when a row it was in disappears.
    table: NodeRef<html::Div>,
    /// The signed-in admin's email: their own row cannot be acted on.
    me: StoredValue<String>,
}

impl AccountsContext {
    /// Reloads the list after a change.
    fn reload(self) {
        self.accounts.refetch();
    }
}

/// `/console/staff`.
#[component]
pub fn AccountsPage() -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let context = AccountsContext {
        accounts: LocalResource::new(move || session.guard(session.reader().accounts())),
        status: RwSignal::new(None),
        table: NodeRef::new(),
        me: StoredValue::new(untrack(move || session.email())),
    };
    view! {
        <PageHeading text=move || i18n.t().section_staff.to_owned() />
        <p>{tr(|t| t.accounts_intro)}</p>
        <StatusRegion status=context.status />
        <AccountsTable context />
        <section aria-labelledby="add-account">
            <h2 id="add-account">{tr(|t| t.add_account_heading)}</h2>
            <NewAccountForm context />
        </section>
    }
}
