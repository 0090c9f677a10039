//! How values are written for people: role names, and times in the browser's own locale and
//! time zone through `Intl.DateTimeFormat`.

use std::cell::OnceCell;

use haven_api::lang::Lang;
use haven_api::staff::Role;
use js_sys::{Array, Date, Function, Intl, Object};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// The role's name as staff say it.
pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::Admin => "Admin",
        Role::Moderator => "Moderator",
        Role::Educator => "Educator",
        Role::FrontDesk => "Front desk",
    }
}

/// What the role may do, for the hint next to a role choice.
pub fn role_description(role: Role) -> &'static str {
    match role {
        Role::Admin => "manages staff accounts and sees everything, including the audit log",
        Role::Moderator => "reviews forum posts before they are published",
        Role::Educator => "writes education content and answers in the forum",
        Role::FrontDesk => "handles appointment requests",
    }
}

/// A language's name in the console's own language (English).
pub fn lang_label(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "English",
        Lang::Vi => "Vietnamese",
    }
}

/// An audit action code such as `sign_in_failed`, as a phrase: "Sign in failed".
pub fn action_label(code: &str) -> String {
    crate::api::sentence(&code.replace('_', " "))
}

thread_local! {
    /// One formatter, built on first use: the browser's locale, medium date, short time.
    static DATE_TIME: OnceCell<Function> = const { OnceCell::new() };
}

/// A time in milliseconds since the Unix epoch, such as "12 Mar 2025, 14:05" (the exact form
/// is the browser's).
pub fn date_time(millis: i64) -> String {
    let format = DATE_TIME.with(|cell| {
        cell.get_or_init(|| {
            let options = Intl::DateTimeFormatOptions::new();
            options.set_date_style(Intl::DateTimeStyle::Medium);
            options.set_time_style(Intl::DateTimeStyle::Short);
            let options: &Object = options.unchecked_ref();
            Intl::DateTimeFormat::new(&Array::new(), options).format()
        })
        .clone()
    });
    format
        .call1(&JsValue::UNDEFINED, &date(millis))
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_else(|| iso(millis))
}

/// The same time as ISO 8601 in UTC, for `<time datetime>`.
pub fn iso(millis: i64) -> String {
    String::from(date(millis).to_iso_string())
}

/// A `<time>` element for a moment, or "Never".
#[component]
pub fn Timestamp(
    /// Milliseconds since the Unix epoch, if it happened.
    millis: Option<i64>,
) -> impl IntoView {
    millis.map_or_else(
        || "Never".into_any(),
        |millis| view! { <time datetime=iso(millis)>{date_time(millis)}</time> }.into_any(),
    )
}

fn date(millis: i64) -> Date {
    // Milliseconds since 1970 fit in an f64 exactly for the next 285,000 years.
    #[allow(clippy::cast_precision_loss)]
    Date::new(&JsValue::from_f64(millis as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_codes_read_as_phrases() {
        assert_eq!(action_label("sign_in_failed"), "Sign in failed");
        assert_eq!(action_label("staff_created"), "Staff created");
        assert_eq!(action_label(""), "");
    }

    #[test]
    fn every_role_has_a_name_and_a_description() {
        for role in Role::ALL {
            assert!(!role_label(role).is_empty() && !role_description(role).is_empty());
        }
    }
}
