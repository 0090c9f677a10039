//! The accounts table. Rows stay in the document while the list reloads after a change, so
//! the control that was used keeps focus.

use haven_api::staff::{Role, StaffAccount, UpdateStaffRequest};
use leptos::html;
use leptos::prelude::*;

use super::AccountsContext;
use crate::api;
use crate::auth::use_session;
use crate::format::{Timestamp, role_label};
use crate::i18n::{Catalog, catalog, fill, tr, use_i18n};
use crate::layout::{Loading, Status};

/// Where the list stands, without the rows themselves.
#[derive(Debug, Clone, PartialEq)]
enum ListState {
    Loading,
    Failed(api::Error),
    Ready,
}

/// What a change did, in a sentence that names the account.
fn describe_change(email: &str, change: &UpdateStaffRequest, t: &'static Catalog) -> String {
    match (change.role, change.disabled) {
        (Some(role), _) => fill(&fill(t.now_has_role, email), role_label(role, t)),
        (None, Some(true)) => fill(t.now_disabled, email),
        (None, Some(false)) => fill(t.now_enabled, email),
        (None, None) => fill(t.nothing_changed_for, email),
    }
}

/// An id safe to use in the document for something that belongs to an account.
fn dom_id(prefix: &str, account_id: &str) -> String {
    let safe: String = account_id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{prefix}-{safe}")
}

#[component]
pub(super) fn AccountsTable(context: AccountsContext) -> impl IntoView {
    let i18n = use_i18n();
    let accounts = context.accounts;
    let state = Memo::new(move |_| {
        accounts.with(|loaded| match loaded {
            None => ListState::Loading,
            Some(Err(error)) => ListState::Failed(error.clone()),
            Some(Ok(_)) => ListState::Ready,
        })
    });
    let rows = Memo::new(move |_| {
        accounts.with(|loaded| match loaded {
            Some(Ok(rows)) => rows.clone(),
            _ => Vec::new(),
        })
    });
    move || match state.get() {
        ListState::Loading => view! { <Loading text={|t| t.loading_accounts} /> }.into_any(),
        ListState::Failed(error) => view! {
            <div class="load-error">
                <p>{move || fill(i18n.t().accounts_failed, error.text(i18n.lang()))}</p>
                <button type="button" on:click=move |_| context.reload()>
                    {tr(|t| t.try_again)}
                </button>
            </div>
        }
        .into_any(),
        ListState::Ready => view! {
            <div
                class="table-scroll"
                role="region"
                aria-labelledby="accounts-caption"
                tabindex="0"
                node_ref=context.table
            >
                <table>
                    <caption id="accounts-caption">
                        {tr(|t| t.section_staff)} " (" {move || rows.with(Vec::len)} ")"
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col">{tr(|t| t.email)}</th>
                            <th scope="col">{tr(|t| t.role)}</th>
                            <th scope="col">{tr(|t| t.status)}</th>
                            <th scope="col">{tr(|t| t.created)}</th>
                            <th scope="col">{tr(|t| t.last_sign_in)}</th>
                            <th scope="col">{tr(|t| t.actions)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=move || rows.get()
                            key=|account| account.id.clone()
                            children=move |account| {
                                view! { <AccountRow initial=account rows context /> }
                            }
                        />
                    </tbody>
                </table>
            </div>
        }
        .into_any(),
    }
}

#[component]
fn AccountRow(
    initial: StaffAccount,
    rows: Memo<Vec<StaffAccount>>,
    context: AccountsContext,
) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let id = initial.id.clone();
    let email = initial.email.clone();
    // An account's creation time never changes.
    let created = initial.created_at;
    let is_me = context.me.with_value(|me| me.eq_ignore_ascii_case(&email));
    // The row's latest data; it keeps the last known values while the row is being removed.
    let account = Memo::new({
        let id = id.clone();
        move |_| {
            rows.with(|rows| rows.iter().find(|account| account.id == id).cloned())
                .unwrap_or_else(|| initial.clone())
        }
    });
    let chosen_role = RwSignal::new(None::<Role>);
    let shown_role = move || {
        chosen_role
            .get()
            .unwrap_or_else(|| account.with(|a| a.role))
    };
    let confirming = RwSignal::new(false);
    let delete_button = NodeRef::<html::Button>::new();

    let update = Action::new_local({
        let (id, email) = (id.clone(), email.clone());
        move |change: &UpdateStaffRequest| {
            let pending = session.guard(session.client().update_account(&id, change));
            let lang = i18n.lang_untracked();
            let done = describe_change(&email, change, catalog(lang));
            let email = email.clone();
            async move {
                match pending.await {
                    // The choice stays selected: it is now the account's role.
                    Ok(_) => {
                        context.status.set(Status::done(done));
                        context.reload();
                    }
                    Err(error) => {
                        let failed = fill(catalog(lang).could_not_change, email);
                        context
                            .status
                            .set(Status::failed(fill(&failed, error.text(lang))));
                    }
                }
            }
        }
    });
    let delete = Action::new_local({
        let (id, email) = (id.clone(), email.clone());
        move |_: &()| {
            let pending = session.guard(session.client().delete_account(&id));
            let email = email.clone();
            let lang = i18n.lang_untracked();
            async move {
                let t = catalog(lang);
                match pending.await {
                    Ok(()) => {
                        context.status.set(Status::done(fill(t.deleted, &email)));
                        // The row, and the button that had focus, are about to go.
                        if let Some(table) = context.table.get_untracked() {
                            _ = table.focus();
                        }
                        context.reload();
                    }
                    Err(error) => {
                        let failed = fill(t.could_not_delete, &email);
                        context
                            .status
                            .set(Status::failed(fill(&failed, error.text(lang))));
                    }
                }
            }
        }
    });
    let (updating, deleting) = (update.pending(), delete.pending());
    let busy = move || updating.get_untracked() || deleting.get_untracked();

    let change_role = {
        let email = email.clone();
        move |_| {
            if busy() {
                return;
            }
            let current = account.with_untracked(|a| a.role);
            match chosen_role.get_untracked().filter(|role| *role != current) {
                Some(role) => {
                    update.dispatch_local(UpdateStaffRequest {
                        role: Some(role),
                        disabled: None,
                    });
                }
                None => {
                    let t = i18n.t_untracked();
                    let text = fill(&fill(t.already_has_role, &email), role_label(current, t));
                    context.status.set(Status::failed(text));
                }
            }
        }
    };
    let toggle_disabled = move |_| {
        if !busy() {
            let disabled = !account.with_untracked(|a| a.disabled);
            update.dispatch_local(UpdateStaffRequest {
                role: None,
                disabled: Some(disabled),
            });
        }
    };
    let ask_delete = move |_| confirming.set(true);
    let cancel_delete = move |_| {
        confirming.set(false);
        if let Some(button) = delete_button.get_untracked() {
            _ = button.focus();
        }
    };
    let confirm_delete = move |_| {
        if !busy() {
            delete.dispatch_local(());
        }
    };

    let (email_for_label, email_for_button) = (email.clone(), email.clone());
    let select_id = dom_id("role", &id);
    let self_note_id = dom_id("self", &id);
    let self_note = is_me.then(|| self_note_id.clone());
    let role_options = Role::ALL
        .into_iter()
        .map(|role| {
            view! {
                <option value=role.as_str() prop:selected=move || shown_role() == role>
                    {move || role_label(role, i18n.t())}
                </option>
            }
        })
        .collect_view();
    let on_role_chosen = move |ev| chosen_role.set(Role::parse(&event_target_value(&ev)));
    let role = move || role_label(account.with(|a| a.role), i18n.t());
    let status = move || {
        let t = i18n.t();
        if account.with(|a| a.disabled) {
            t.account_disabled
        } else {
            t.account_active
        }
    };
    let toggle_label = move || {
        let t = i18n.t();
        if account.with(|a| a.disabled) {
            t.enable
        } else {
            t.disable
        }
    };
    let last_sign_in = move || {
        let millis = account.with(|a| a.last_sign_in_at);
        view! { <Timestamp millis /> }
    };

    view! {
        <tr>
            <th scope="row">{email.clone()}</th>
            <td>{role}</td>
            <td>{status}</td>
            <td>
                <Timestamp millis=Some(created) />
            </td>
            <td>{last_sign_in}</td>
            <td class="actions">
                {is_me.then(|| view! {
                    <p class="hint" id=self_note_id.clone()>
                        {tr(|t| t.your_account)}
                    </p>
                })}
                <div class="inline-controls">
                    <label for=select_id.clone() class="visually-hidden">
                        {move || fill(i18n.t().role_for, &email_for_label)}
                    </label>
                    <select
                        id=select_id
                        disabled=is_me
                        aria-describedby=self_note.clone()
                        on:change=on_role_chosen
                    >
                        {role_options}
                    </select>
                    <button
                        type="button"
                        disabled=is_me
                        aria-describedby=self_note.clone()
                        on:click=change_role
                    >
                        {tr(|t| t.change_role)}
                        <span class="visually-hidden">
                            {move || fill(i18n.t().for_account, &email_for_button)}
                        </span>
                    </button>
                </div>
                <div class="inline-controls">
                    <button
                        type="button"
                        disabled=is_me
                        aria-describedby=self_note.clone()
                        on:click=toggle_disabled
                    >
                        {toggle_label}
                        <span class="visually-hidden">" " {email.clone()}</span>
                    </button>
                    <button
                        type="button"
                        class="danger"
                        disabled=is_me
                        aria-describedby=self_note
                        aria-expanded=move || confirming.get().to_string()
                        node_ref=delete_button
                        on:click=ask_delete
                    >
                        {tr(|t| t.delete)}
                        <span class="visually-hidden">" " {email.clone()}</span>
                    </button>
                </div>
                <Show when=move || confirming.get()>
                    <ConfirmDelete
                        email=email.clone()
                        id=dom_id("confirm", &id)
                        on_confirm=confirm_delete
                        on_cancel=cancel_delete
                    />
                </Show>
            </td>
        </tr>
    }
}

/// The step that makes sure the right account is deleted: it names the account, and takes
/// focus so the question is read out.
#[component]
fn ConfirmDelete(
    email: String,
    id: String,
    on_confirm: impl Fn(leptos::ev::MouseEvent) + 'static,
    on_cancel: impl Fn(leptos::ev::MouseEvent) + 'static,
) -> impl IntoView {
    let question = NodeRef::<html::P>::new();
    let i18n = use_i18n();
    let asked = email.clone();
    let yes = move || fill(i18n.t().yes_delete, &email);
    Effect::new(move |_| {
        if let Some(question) = question.get() {
            _ = question.focus();
        }
    });
    view! {
        <div class="confirm" role="group" aria-labelledby=id.clone()>
            <p id=id.clone() tabindex="-1" node_ref=question>
                {tr(|t| t.delete_question)} <strong>{asked}</strong> {tr(|t| t.delete_warning)}
            </p>
            <div class="inline-controls">
                <button type="button" class="danger" on:click=on_confirm>
                    {yes}
                </button>
                <button type="button" on:click=on_cancel>{tr(|t| t.cancel)}</button>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use haven_api::lang::Lang;

    use super::*;

    fn en() -> &'static Catalog {
        catalog(Lang::En)
    }

    #[test]
    fn each_change_is_described_with_the_account_it_changed() {
        let role = UpdateStaffRequest {
            role: Some(Role::Admin),
            disabled: None,
        };
        assert_eq!(
            describe_change("lan@c.example", &role, en()),
            "lan@c.example now has the Admin role."
        );
        let off = UpdateStaffRequest {
            role: None,
            disabled: Some(true),
        };
        assert!(describe_change("lan@c.example", &off, en()).contains("can no longer sign in"));
    }

    #[test]
    fn account_ids_become_safe_document_ids() {
        assert_eq!(dom_id("role", "a1 b/2"), "role-a1-b-2");
    }
}
