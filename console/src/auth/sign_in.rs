//! The sign-in page: email and password, with messages next to the fields and in a live region.

use std::collections::BTreeMap;

use haven_api::staff::SignInRequest;
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;

use crate::api::Client;
use crate::auth::{Phase, use_session};
use crate::forms::{FormErrors, ShowPassword, TextField, parse_email, password_kind};
use crate::i18n::{Catalog, LanguageMenu, tr, use_i18n};
use crate::layout::{GoTo, Loading, PageHeading};
use crate::routes::Page;

/// The form's fields, in the order they appear.
const FIELDS: [&str; 2] = ["email", "password"];

/// Checks what was typed before it is sent.
fn parse_sign_in(email: &str, password: &str, t: &Catalog) -> Result<SignInRequest, FormErrors> {
    let mut fields = BTreeMap::new();
    let email = parse_email(email, t);
    if let Err(message) = &email {
        fields.insert("email", message.clone());
    }
    if password.is_empty() {
        fields.insert("password", t.enter_password.to_owned());
    }
    match email {
        Ok(email) if fields.is_empty() => Ok(SignInRequest {
            email: email.as_str().to_owned(),
            password: password.to_owned(),
        }),
        _ => Err(FormErrors::invalid(fields, t)),
    }
}

/// `/console/sign-in`. Once signed in, it sends the staff member to their first section.
#[component]
pub fn SignInPage() -> impl IntoView {
    let session = use_session();
    let phase = Memo::new(move |_| session.phase());
    view! {
        <main id="main" tabindex="-1" class="single">
            <div class="sign-in-top">
                <p class="brand">{tr(|t| t.brand)}</p>
                <LanguageMenu id="sign-in-language" />
            </div>
            {move || match phase.get() {
                Phase::Checking => view! { <Loading text={|t| t.loading_session} /> }.into_any(),
                Phase::SignedIn => {
                    let home = session.role().map_or(Page::Home, Page::home_for);
                    view! { <GoTo page=home /> }.into_any()
                }
                Phase::SignedOut => view! { <SignInForm /> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn SignInForm() -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let show_password = RwSignal::new(false);
    let errors = RwSignal::new(FormErrors::default());
    let email_input = NodeRef::<html::Input>::new();
    let password_input = NodeRef::<html::Input>::new();

    let sign_in = Action::new_local(move |request: &SignInRequest| {
        let pending = Client::anonymous().sign_in(request);
        async move {
            match pending.await {
                // The page switches to the staff member's first section on its own.
                Ok(info) => session.signed_in(info),
                Err(error) => {
                    password.set(String::new());
                    let mut found = FormErrors::from_api(&error, &FIELDS, i18n.lang_untracked());
                    if error.is_unauthorized() {
                        found.summary = Some(i18n.t_untracked().sign_in_wrong.to_owned());
                    }
                    errors.set(found);
                    if let Some(input) = password_input.get_untracked() {
                        _ = input.focus();
                    }
                }
            }
        }
    });
    let pending = sign_in.pending();

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let t = i18n.t_untracked();
        match parse_sign_in(&email.get_untracked(), &password.get_untracked(), t) {
            Ok(request) => {
                errors.set(FormErrors::default());
                sign_in.dispatch_local(request);
            }
            Err(invalid) => {
                let first = match invalid.first_invalid(&FIELDS) {
                    Some("email") => email_input,
                    _ => password_input,
                };
                errors.set(invalid);
                if let Some(input) = first.get_untracked() {
                    _ = input.focus();
                }
            }
        }
    };

    let status = move || {
        if pending.get() {
            Some(i18n.t().signing_in.to_owned())
        } else {
            errors.with(|errors| errors.summary.clone())
        }
    };
    let field_error =
        move |name: &'static str| Signal::derive(move || errors.with(|e| e.field(name)));

    view! {
        <PageHeading text=move || i18n.t().sign_in.to_owned() />
        {move || {
            session
                .notice()
                .map(|notice| view! { <p class="notice">{notice.text(i18n.lang())}</p> })
        }}
        <form class="form" novalidate=true on:submit=submit>
            <TextField
                id="email"
                label=tr(|t| t.email_address)
                kind="email"
                autocomplete="username"
                value=email
                error=field_error("email")
                node_ref=email_input
            />
            <TextField
                id="password"
                label=tr(|t| t.password)
                kind=password_kind(show_password)
                autocomplete="current-password"
                value=password
                error=field_error("password")
                node_ref=password_input
            />
            <ShowPassword controls="password" shown=show_password />
            <div class="form-status" aria-live="polite" aria-atomic="true">{status}</div>
            <button type="submit" class="primary">
                {tr(|t| t.sign_in)}
            </button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use haven_api::lang::Lang;

    use super::*;
    use crate::i18n::catalog;

    fn parse(email: &str, password: &str) -> Result<SignInRequest, FormErrors> {
        parse_sign_in(email, password, catalog(Lang::En))
    }

    #[test]
    fn a_typed_email_is_trimmed_and_lower_cased_before_it_is_sent() {
        let request = parse(" Lan@Clinic.Example ", "secret").unwrap();
        assert_eq!(request.email, "lan@clinic.example");
        assert_eq!(request.password, "secret");
    }

    #[test]
    fn empty_fields_each_get_their_own_message() {
        let errors = parse("", "").unwrap_err();
        assert_eq!(
            errors.field("email").as_deref(),
            Some("Enter an email address.")
        );
        assert_eq!(
            errors.field("password").as_deref(),
            Some("Enter your password.")
        );
        assert_eq!(errors.first_invalid(&FIELDS), Some("email"));
    }

    #[test]
    fn a_malformed_email_is_explained_with_an_example() {
        let errors = parse("lan", "a password").unwrap_err();
        assert!(
            errors
                .field("email")
                .unwrap()
                .contains("name@clinic.example")
        );
        assert_eq!(errors.field("password"), None);
    }
}
