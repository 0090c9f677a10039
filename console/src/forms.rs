//! What every console form shares: per-field error messages from the console's own checks or
//! from the server, and labelled inputs that point at their hint and error.

use std::collections::BTreeMap;

use haven_api::lang::Lang;
use haven_api::staff::Email;
use leptos::html;
use leptos::prelude::*;

use crate::api;
use crate::i18n::{Catalog, fill, tr};

/// What is wrong with a submitted form: a summary for the live region, and a message per field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormErrors {
    /// A sentence about the whole form, such as "Email or password is incorrect."
    pub summary: Option<String>,
    /// Messages keyed by the field's name on the wire (`email`, `password`, `role`).
    pub fields: BTreeMap<&'static str, String>,
}

impl FormErrors {
    /// Messages for fields the console itself found wrong, with a summary naming how many.
    pub fn invalid(fields: BTreeMap<&'static str, String>, t: &Catalog) -> Self {
        let summary = match fields.len() {
            0 => None,
            1 => Some(t.one_field_needs_attention.to_owned()),
            n => Some(fill(t.fields_need_attention, n)),
        };
        FormErrors { summary, fields }
    }

    /// The server's error, with messages for the form's `known` fields placed next to them and
    /// any other field's message added to the summary so nothing is hidden. The summary is in
    /// the console's language `lang`; field messages are the server's.
    pub fn from_api(error: &api::Error, known: &[&'static str], lang: Lang) -> Self {
        let mut fields = BTreeMap::new();
        let mut summary = error.text(lang);
        for (name, message) in error.fields() {
            match known.iter().find(|field| **field == name) {
                Some(field) => {
                    fields.insert(*field, api::sentence(message));
                }
                None => {
                    end_sentence(&mut summary);
                    summary.push_str(&format!(" {}: {message}", api::sentence(name)));
                    end_sentence(&mut summary);
                }
            }
        }
        FormErrors {
            summary: Some(summary),
            fields,
        }
    }

    /// The message for one field.
    pub fn field(&self, name: &str) -> Option<String> {
        self.fields.get(name).cloned()
    }

    /// The first field with a message, in the form's order, to move focus to.
    pub fn first_invalid(&self, order: &[&'static str]) -> Option<&'static str> {
        order
            .iter()
            .copied()
            .find(|name| self.fields.contains_key(name))
    }
}

/// A typed email address, or why it was refused in the console's language (the shared
/// parser's reasons are English, so the console words them from what was typed).
pub fn parse_email(input: &str, t: &Catalog) -> Result<Email, String> {
    Email::parse(input).map_err(|_| {
        if input.trim().is_empty() {
            t.enter_email
        } else {
            t.email_invalid
        }
        .to_owned()
    })
}

/// Adds a full stop unless the text already ends a sentence.
fn end_sentence(text: &mut String) {
    if !text.ends_with(['.', '!', '?', ')']) {
        text.push('.');
    }
}

/// The ids an input's `aria-describedby` should list: its hint, then its error if it has one.
pub fn described_by(hint: Option<&str>, error_id: &str, has_error: bool) -> Option<String> {
    let ids: Vec<&str> = hint
        .into_iter()
        .chain(has_error.then_some(error_id))
        .collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// Keeps an input's value in step with `value`, writing it only when the input shows
/// something else. A date or time input being typed into loses its place when its value is
/// set, even to the text it already holds, so `prop:value` cannot be used for one.
pub fn sync_value(input: NodeRef<html::Input>, value: impl Fn() -> String + 'static) {
    // An effect talks to the outside world: the input element's own value.
    Effect::new(move |_| {
        let wanted = value();
        if let Some(input) = input.get()
            && input.value() != wanted
        {
            input.set_value(&wanted);
        }
    });
}

/// A labelled text input with an optional hint and an error shown next to it.
#[component]
pub fn TextField(
    /// The input's id; the hint and error ids derive from it.
    id: &'static str,
    /// The visible label.
    #[prop(into)]
    label: Signal<&'static str>,
    /// The input's `type`, such as `email` or `password` (a signal, for "Show password").
    #[prop(into)]
    kind: Signal<&'static str>,
    /// The `autocomplete` token.
    autocomplete: &'static str,
    /// The value, kept in sync both ways.
    value: RwSignal<String>,
    /// The error to show, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// A hint shown under the label, such as a password rule.
    #[prop(optional, into)]
    hint: Option<Signal<String>>,
    /// Lets the form move focus here.
    #[prop(optional)]
    node_ref: NodeRef<html::Input>,
) -> impl IntoView {
    let hint_id = hint.map(|_| format!("{id}-hint"));
    let error_id = format!("{id}-error");
    sync_value(node_ref, move || value.get());
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || described_by(hint_id.as_deref(), &error_id, error.with(Option::is_some))
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            <input
                id=id
                name=id
                type=move || kind.get()
                autocomplete=autocomplete
                required=true
                spellcheck="false"
                autocapitalize="off"
                node_ref=node_ref
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=described
            />
            <FieldError id=error_id error />
        </div>
    }
}

/// A field's error message, rendered only when there is one.
#[component]
pub fn FieldError(
    /// The id the field's `aria-describedby` points at.
    id: String,
    /// The message.
    #[prop(into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    move || {
        error.get().map(|message| {
            view! {
                <p class="field-error" id=id.clone()>
                    <span class="visually-hidden">{tr(|t| t.error_prefix)}</span>
                    {message}
                </p>
            }
        })
    }
}

/// A "Show password" checkbox that switches an input between hidden and visible text.
#[component]
pub fn ShowPassword(
    /// The id of the password input it controls.
    controls: &'static str,
    /// Whether the password is shown.
    shown: RwSignal<bool>,
) -> impl IntoView {
    let id = format!("{controls}-show");
    view! {
        <div class="checkbox">
            <input
                type="checkbox"
                id=id.clone()
                aria-controls=controls
                prop:checked=move || shown.get()
                on:change=move |ev| shown.set(event_target_checked(&ev))
            />
            <label for=id>{tr(|t| t.show_password)}</label>
        </div>
    }
}

/// The input type for a password field that may be shown.
pub fn password_kind(shown: RwSignal<bool>) -> Signal<&'static str> {
    Signal::derive(move || if shown.get() { "text" } else { "password" })
}

#[cfg(test)]
mod tests {
    use haven_api::{ApiError, ErrorCode};

    use super::*;
    use crate::i18n::catalog;

    #[test]
    fn server_field_messages_go_next_to_known_fields_and_into_the_summary_otherwise() {
        let error = api::Error::Api {
            status: 422,
            error: ApiError::new(ErrorCode::Validation, "check the form")
                .with_field("email", "an account with this email already exists")
                .with_field("nickname", "unknown field"),
        };
        let errors = FormErrors::from_api(&error, &["email", "password"], Lang::En);
        assert_eq!(
            errors.field("email").as_deref(),
            Some("An account with this email already exists")
        );
        assert_eq!(
            errors.summary.as_deref(),
            Some("Check the form. Nickname: unknown field.")
        );
        assert_eq!(errors.first_invalid(&["password", "email"]), Some("email"));
    }

    #[test]
    fn the_summary_counts_the_fields_that_need_attention() {
        let t = catalog(Lang::En);
        assert_eq!(
            FormErrors::invalid(BTreeMap::new(), t),
            FormErrors::default()
        );
        let two = FormErrors::invalid([("email", "x".into()), ("role", "y".into())].into(), t);
        assert_eq!(two.summary.as_deref(), Some("2 fields need attention."));
    }

    #[test]
    fn an_input_is_described_by_its_hint_and_then_its_error() {
        assert_eq!(described_by(None, "e", false), None);
        assert_eq!(described_by(Some("h"), "e", false).as_deref(), Some("h"));
        assert_eq!(described_by(Some("h"), "e", true).as_deref(), Some("h e"));
        assert_eq!(described_by(None, "e", true).as_deref(), Some("e"));
    }
}
