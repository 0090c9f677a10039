//! The sign-in page: email and password, with messages next to the fields and in a live region.

use std::collections::BTreeMap;

use haven_api::staff::{Email, SignInRequest};
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;

use crate::api::{self, Client};
use crate::auth::{Phase, use_session};
use crate::forms::{FormErrors, ShowPassword, TextField, password_kind};
use crate::layout::{GoTo, Loading, PageHeading};
use crate::routes::Page;

/// The form's fields, in the order they appear.
const FIELDS: [&str; 2] = ["email", "password"];

/// Checks what was typed before it is sent.
fn parse_sign_in(email: &str, password: &str) -> Result<SignInRequest, FormErrors> {
    let mut fields = BTreeMap::new();
    let email = Email::parse(email).map_err(|error| api::sentence(error.0) + ".");
    if let Err(message) = &email {
        fields.insert("email", message.clone());
    }
    if password.is_empty() {
        fields.insert("password", "Enter your password.".to_owned());
    }
    match email {
        Ok(email) if fields.is_empty() => Ok(SignInRequest {
            email: email.as_str().to_owned(),
            password: password.to_owned(),
        }),
        _ => Err(FormErrors::invalid(fields)),
    }
}

/// `/console/sign-in`. Once signed in, it sends the staff member to their first section.
#[component]
pub fn SignInPage() -> impl IntoView {
    let session = use_session();
    let phase = Memo::new(move |_| session.phase());
    view! {
        <main id="main" tabindex="-1" class="single">
            <p class="brand">"Haven · Clinic staff console"</p>
            {move || match phase.get() {
                Phase::Checking => view! { <Loading what="your session" /> }.into_any(),
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
                    errors.set(FormErrors::from_api(&error, &FIELDS));
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
        match parse_sign_in(&email.get_untracked(), &password.get_untracked()) {
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
            Some("Signing in…".to_owned())
        } else {
            errors.with(|errors| errors.summary.clone())
        }
    };
    let field_error =
        move |name: &'static str| Signal::derive(move || errors.with(|e| e.field(name)));

    view! {
        <PageHeading text="Sign in" />
        {move || session.notice().map(|notice| view! { <p class="notice">{notice}</p> })}
        <form class="form" novalidate=true on:submit=submit>
            <TextField
                id="email"
                label="Email address"
                kind="email"
                autocomplete="username"
                value=email
                error=field_error("email")
                node_ref=email_input
            />
            <TextField
                id="password"
                label="Password"
                kind=password_kind(show_password)
                autocomplete="current-password"
                value=password
                error=field_error("password")
                node_ref=password_input
            />
            <ShowPassword controls="password" shown=show_password />
            <div class="form-status" aria-live="polite" aria-atomic="true">{status}</div>
            <button type="submit" class="primary">
                "Sign in"
            </button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_email_is_trimmed_and_lower_cased_before_it_is_sent() {
        let request = parse_sign_in(" Lan@Clinic.Example ", "secret").unwrap();
        assert_eq!(request.email, "lan@clinic.example");
        assert_eq!(request.password, "secret");
    }

    #[test]
    fn empty_fields_each_get_their_own_message() {
        let errors = parse_sign_in("", "").unwrap_err();
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
        let errors = parse_sign_in("lan", "a password").unwrap_err();
        assert!(
            errors
                .field("email")
                .unwrap()
                .contains("name@clinic.example")
        );
        assert_eq!(errors.field("password"), None);
    }
}
