//! The form that adds a staff account, checked with the same rules the server applies.

use std::collections::BTreeMap;

use haven_api::staff::{
    CreateStaffRequest, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, Role, password_problems,
};
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;

use super::AccountsContext;
use crate::auth::use_session;
use crate::format::{role_description, role_label};
use crate::forms::{
    FieldError, FormErrors, ShowPassword, TextField, described_by, parse_email, password_kind,
};
use crate::i18n::{Catalog, catalog, fill, tr, use_i18n};
use crate::layout::Status;

/// The form's fields, in the order they appear, named as on the wire.
const FIELDS: [&str; 3] = ["email", "role", "password"];

/// The password rule, with the length of the password that broke it.
fn password_rule(chars: usize, t: &Catalog) -> String {
    let rule = fill(
        &fill(t.password_rule, MIN_PASSWORD_CHARS),
        MAX_PASSWORD_CHARS,
    );
    fill(&rule, chars)
}

/// Checks the form as the server will, so most mistakes are explained before anything is sent
/// (in `t`'s language).
fn parse_new_account(
    email: &str,
    role: &str,
    password: &str,
    t: &Catalog,
) -> Result<CreateStaffRequest, FormErrors> {
    let mut fields = BTreeMap::new();
    let email = parse_email(email, t);
    if let Err(message) = &email {
        fields.insert("email", message.clone());
    }
    let role = Role::parse(role);
    if role.is_none() {
        fields.insert("role", t.choose_role_error.to_owned());
    }
    // The shared rules decide; the console states them whole, in its own language.
    if !password_problems(password).is_empty() {
        fields.insert("password", password_rule(password.chars().count(), t));
    }
    match (email, role) {
        (Ok(email), Some(role)) if fields.is_empty() => Ok(CreateStaffRequest {
            email: email.as_str().to_owned(),
            role,
            password: password.to_owned(),
        }),
        _ => Err(FormErrors::invalid(fields, t)),
    }
}

/// The form; a new account appears in the table above once the server has it.
#[component]
pub(super) fn NewAccountForm(context: AccountsContext) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let show_password = RwSignal::new(false);
    let errors = RwSignal::new(FormErrors::default());
    let inputs = [NodeRef::<html::Input>::new(), NodeRef::new()];
    let role_select = NodeRef::<html::Select>::new();

    let focus_first_invalid = move |errors: &FormErrors| {
        let focused = match errors.first_invalid(&FIELDS) {
            Some("email") => inputs[0].get_untracked().map(|input| input.focus()),
            Some("role") => role_select.get_untracked().map(|select| select.focus()),
            Some(_) => inputs[1].get_untracked().map(|input| input.focus()),
            None => None,
        };
        drop(focused);
    };

    let create = Action::new_local(move |request: &CreateStaffRequest| {
        let pending = session.guard(session.client().create_account(request));
        let lang = i18n.lang_untracked();
        async move {
            let t = catalog(lang);
            match pending.await {
                Ok(account) => {
                    email.set(String::new());
                    role.set(String::new());
                    password.set(String::new());
                    errors.set(FormErrors::default());
                    let added = fill(t.account_added, &account.email);
                    context
                        .status
                        .set(Status::done(fill(&added, role_label(account.role, t))));
                    context.reload();
                }
                Err(error) => {
                    let found = FormErrors::from_api(&error, &FIELDS, lang);
                    focus_first_invalid(&found);
                    errors.set(found);
                }
            }
        }
    });
    let pending = create.pending();

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let parsed = parse_new_account(
            &email.get_untracked(),
            &role.get_untracked(),
            &password.get_untracked(),
            i18n.t_untracked(),
        );
        match parsed {
            Ok(request) => {
                errors.set(FormErrors::default());
                create.dispatch_local(request);
            }
            Err(invalid) => {
                focus_first_invalid(&invalid);
                errors.set(invalid);
            }
        }
    };

    let status = move || {
        if pending.get() {
            Some(i18n.t().adding_account.to_owned())
        } else {
            errors.with(|errors| errors.summary.clone())
        }
    };
    let field_error =
        move |name: &'static str| Signal::derive(move || errors.with(|e| e.field(name)));
    let password_hint = move || fill(i18n.t().password_hint, MIN_PASSWORD_CHARS);

    view! {
        <form class="form" novalidate=true on:submit=submit>
            <TextField
                id="new-email"
                label=tr(|t| t.email_address)
                kind="email"
                autocomplete="off"
                value=email
                error=field_error("email")
                node_ref=inputs[0]
            />
            <RoleField value=role error=field_error("role") node_ref=role_select />
            <TextField
                id="new-password"
                label=tr(|t| t.first_password)
                kind=password_kind(show_password)
                autocomplete="new-password"
                value=password
                hint=password_hint
                error=field_error("password")
                node_ref=inputs[1]
            />
            <ShowPassword controls="new-password" shown=show_password />
            <div class="form-status" aria-live="polite" aria-atomic="true">{status}</div>
            <button type="submit" class="primary">{tr(|t| t.add_account)}</button>
        </form>
    }
}

/// The role choice, with what each role may do.
#[component]
fn RoleField(
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    node_ref: NodeRef<html::Select>,
) -> impl IntoView {
    const ID: &str = "new-role";
    let i18n = use_i18n();
    let described = move || {
        described_by(
            Some("new-role-hint"),
            "new-role-error",
            error.with(Option::is_some),
        )
    };
    let options = Role::ALL
        .into_iter()
        .map(|role| {
            view! {
                <option
                    value=role.as_str()
                    prop:selected=move || value.with(|v| v == role.as_str())
                >
                    {move || role_label(role, i18n.t())}
                </option>
            }
        })
        .collect_view();
    let descriptions = Role::ALL
        .into_iter()
        .map(|role| {
            view! {
                <li>
                    <strong>{move || role_label(role, i18n.t())}</strong>
                    ": "
                    {move || role_description(role, i18n.t())}
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=ID>{tr(|t| t.role)}</label>
            <ul class="hint" id="new-role-hint">{descriptions}</ul>
            <select
                id=ID
                name="role"
                required=true
                node_ref=node_ref
                on:change=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=described
            >
                <option value="" prop:selected=move || value.with(String::is_empty)>
                    {tr(|t| t.choose_role)}
                </option>
                {options}
            </select>
            <FieldError id="new-role-error".to_owned() error />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use haven_api::lang::Lang;

    use super::*;

    fn parse_new_account(
        email: &str,
        role: &str,
        password: &str,
    ) -> Result<CreateStaffRequest, FormErrors> {
        super::parse_new_account(email, role, password, catalog(Lang::En))
    }

    #[test]
    fn a_complete_form_becomes_a_request_with_a_normalised_email() {
        let request =
            parse_new_account(" Lan@Clinic.Example", "moderator", "correct horse battery").unwrap();
        assert_eq!(request.email, "lan@clinic.example");
        assert_eq!(request.role, Role::Moderator);
    }

    #[test]
    fn a_role_must_be_chosen() {
        let errors =
            parse_new_account("lan@clinic.example", "", "correct horse battery").unwrap_err();
        assert_eq!(errors.field("role").as_deref(), Some("Choose a role."));
        assert_eq!(errors.fields.len(), 1);
    }

    #[test]
    fn a_short_password_is_explained_with_the_twelve_character_rule() {
        let errors = parse_new_account("lan@clinic.example", "admin", "short").unwrap_err();
        let message = errors.field("password").unwrap();
        assert!(
            message.starts_with("The password must be at least 12 characters"),
            "{message}"
        );
        assert!(message.contains("it has 5"), "{message}");
    }

    #[test]
    fn every_problem_is_reported_at_once_in_form_order() {
        let errors = parse_new_account("not an email", "owner", "").unwrap_err();
        assert_eq!(errors.fields.len(), 3);
        assert_eq!(errors.first_invalid(&FIELDS), Some("email"));
        assert_eq!(errors.summary.as_deref(), Some("3 fields need attention."));
    }
}
