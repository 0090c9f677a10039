//! How values are written for people: role and language names in the console's language, and
//! times through `Intl.DateTimeFormat` in the console's language and the browser's time zone
//! (or the clinic's).

use std::cell::{OnceCell, RefCell};

use haven_api::date::Date as Day;
use haven_api::lang::Lang;
use haven_api::staff::Role;
use js_sys::{Array, Date, Function, Intl, Object};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::i18n::{Catalog, browser_languages, intl_locales, use_i18n};

/// The role's name as staff say it.
pub fn role_label(role: Role, t: &'static Catalog) -> &'static str {
    match role {
        Role::Admin => t.role_admin,
        Role::Moderator => t.role_moderator,
        Role::Educator => t.role_educator,
        Role::FrontDesk => t.role_front_desk,
    }
}

/// What the role may do, for the hint next to a role choice.
pub fn role_description(role: Role, t: &'static Catalog) -> &'static str {
    match role {
        Role::Admin => t.role_admin_does,
        Role::Moderator => t.role_moderator_does,
        Role::Educator => t.role_educator_does,
        Role::FrontDesk => t.role_front_desk_does,
    }
}

/// A language's name in the console's language.
pub fn lang_label(lang: Lang, t: &'static Catalog) -> &'static str {
    match lang {
        Lang::En => t.lang_en,
        Lang::Vi => t.lang_vi,
    }
}

/// An audit action code such as `sign_in_failed`, as a phrase: "Sign in failed". A code the
/// console does not know yet reads as its own words.
pub fn action_label(code: &str, t: &'static Catalog) -> String {
    let known = match code {
        "sign_in" => t.audit_sign_in,
        "sign_in_failed" => t.audit_sign_in_failed,
        "account_locked" => t.audit_account_locked,
        "sign_out" => t.audit_sign_out,
        "staff_created" => t.audit_staff_created,
        "staff_role_changed" => t.audit_staff_role_changed,
        "staff_disabled" => t.audit_staff_disabled,
        "staff_enabled" => t.audit_staff_enabled,
        "staff_deleted" => t.audit_staff_deleted,
        "request_confirmed" => t.audit_request_confirmed,
        "request_proposed" => t.audit_request_proposed,
        "request_declined" => t.audit_request_declined,
        "request_contacted" => t.audit_request_contacted,
        "requests_exported" => t.audit_requests_exported,
        other => return crate::api::sentence(&other.replace('_', " ")),
    };
    known.to_owned()
}

/// The kinds of `Intl.DateTimeFormat` the console uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// A moment: medium date, short time.
    Moment,
    /// A calendar day: "8 Dec 2026".
    Day,
    /// A calendar day with its weekday: "Tue, 8 Dec 2026".
    DayWithWeekday,
}

/// A formatter's identity: its style, language and IANA time zone (`None`: the browser's).
type FormatKey = (Style, Lang, Option<String>);

thread_local! {
    /// The browser's preferred languages, read once.
    static BROWSER: OnceCell<Vec<String>> = const { OnceCell::new() };
    /// Formatters built so far (a handful: styles × languages × the clinic's zone), with
    /// `None` for one the browser refused.
    static FORMATS: RefCell<Vec<(FormatKey, Option<Function>)>> = const { RefCell::new(Vec::new()) };
}

/// Builds `Intl.DateTimeFormat(locales, options).format` (the browser's locale when `locales`
/// is empty), or `None` when the browser refuses the options (an unknown time zone).
fn formatter(locales: &[String], options: &Intl::DateTimeFormatOptions) -> Option<Function> {
    let locales: Array = locales.iter().map(|tag| JsValue::from_str(tag)).collect();
    let options: &Object = options.unchecked_ref();
    // `new Intl.DateTimeFormat` throws a RangeError for a time zone it does not know;
    // `Reflect.construct` turns that into an `Err`.
    let intl = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("Intl")).ok()?;
    let constructor: Function = js_sys::Reflect::get(&intl, &JsValue::from_str("DateTimeFormat"))
        .ok()?
        .dyn_into()
        .ok()?;
    let format: Intl::DateTimeFormat =
        js_sys::Reflect::construct(&constructor, &Array::of2(&locales, options))
            .ok()?
            .unchecked_into();
    Some(format.format())
}

/// The formatter for `style` in `lang` and `time_zone`, built on first use.
fn cached(style: Style, lang: Lang, time_zone: Option<&str>) -> Option<Function> {
    FORMATS.with(|cell| {
        let found = cell
            .borrow()
            .iter()
            .find(|((s, l, z), _)| *s == style && *l == lang && z.as_deref() == time_zone)
            .map(|(_, format)| format.clone());
        if let Some(format) = found {
            return format;
        }
        let options = Intl::DateTimeFormatOptions::new();
        match style {
            Style::Moment => {
                options.set_date_style(Intl::DateTimeStyle::Medium);
                options.set_time_style(Intl::DateTimeStyle::Short);
            }
            Style::Day | Style::DayWithWeekday => {
                options.set_day(Intl::DayFormat::Numeric);
                options.set_month(Intl::MonthFormat::Short);
                options.set_year(Intl::YearFormat::Numeric);
                if style == Style::DayWithWeekday {
                    options.set_weekday(Intl::WeekdayFormat::Short);
                }
            }
        }
        if let Some(zone) = time_zone {
            options.set_time_zone(zone);
        }
        let locales =
            BROWSER.with(|browser| intl_locales(lang, browser.get_or_init(browser_languages)));
        let format = formatter(&locales, &options);
        cell.borrow_mut()
            .push(((style, lang, time_zone.map(str::to_owned)), format.clone()));
        format
    })
}

fn call(format: &Function, date: &Date) -> Option<String> {
    format
        .call1(&JsValue::UNDEFINED, date)
        .ok()
        .and_then(|text| text.as_string())
}

/// A moment in milliseconds since the Unix epoch, such as "12 Mar 2025, 14:05" or
/// "12 thg 3, 2025 14:05" (the exact form is the browser's for `lang`), in the IANA
/// `time_zone` (such as the clinic's `Asia/Ho_Chi_Minh`); in the browser's zone when there is
/// none or the browser does not know it.
pub fn date_time_in(millis: i64, time_zone: Option<&str>, lang: Lang) -> String {
    let zone = time_zone.filter(|zone| !zone.is_empty());
    zone.and_then(|zone| cached(Style::Moment, lang, Some(zone)))
        .or_else(|| cached(Style::Moment, lang, None))
        .and_then(|format| call(&format, &date(millis)))
        .unwrap_or_else(|| iso(millis))
}

/// Today's date in the IANA `time_zone` (the browser's when `None`), as the clinic counts
/// days.
pub fn today_in(time_zone: Option<&str>) -> Day {
    let now = Date::now();
    let options = Intl::DateTimeFormatOptions::new();
    options.set_year(Intl::YearFormat::Numeric);
    options.set_month(Intl::MonthFormat::TwoDigit);
    options.set_day(Intl::DayFormat::TwoDigit);
    if let Some(zone) = time_zone.filter(|zone| !zone.is_empty()) {
        options.set_time_zone(zone);
    }
    // Canadian English writes dates as ISO 8601, `2026-12-08`.
    formatter(&["en-CA".to_owned()], &options)
        .and_then(|format| call(&format, &Date::new(&JsValue::from_f64(now))))
        .and_then(|text| Day::parse(&text))
        .unwrap_or_else(|| {
            // Unix milliseconds fit in an i64; `Date.now()` has no fraction worth keeping.
            #[allow(clippy::cast_possible_truncation)]
            Day::from_unix_ms(now as i64)
        })
}

/// A calendar day such as "8 Dec 2026", or "Tue, 8 Dec 2026" with its weekday, as `lang`
/// writes it. The day is a date, not a moment, so no time zone can shift it.
pub fn day(value: Day, weekday: bool, lang: Lang) -> String {
    let style = if weekday {
        Style::DayWithWeekday
    } else {
        Style::Day
    };
    cached(style, lang, Some("UTC"))
        .and_then(|format| call(&format, &date(value.days() * 86_400_000)))
        .unwrap_or_else(|| value.to_string())
}

/// A `<time>` element for a calendar day, as [`day`] writes it in the console's language.
#[component]
pub fn DayTime(
    /// The day.
    day: Day,
    /// Whether to name the weekday.
    #[prop(optional)]
    weekday: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || self::day(day, weekday, i18n.lang());
    view! { <time datetime=day.to_string()>{text}</time> }
}

/// The same time as ISO 8601 in UTC, for `<time datetime>`.
pub fn iso(millis: i64) -> String {
    String::from(date(millis).to_iso_string())
}

/// A `<time>` element for a moment in the browser's time zone, or "Never".
#[component]
pub fn Timestamp(
    /// Milliseconds since the Unix epoch, if it happened.
    millis: Option<i64>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || match millis {
        None => i18n.t().never.into_any(),
        Some(millis) => view! {
            <time datetime=iso(millis)>{date_time_in(millis, None, i18n.lang())}</time>
        }
        .into_any(),
    }
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
        let en = crate::i18n::catalog(Lang::En);
        assert_eq!(action_label("sign_in_failed", en), "Sign in failed");
        assert_eq!(action_label("staff_created", en), "Staff created");
        assert_eq!(action_label("something_new", en), "Something new");
        assert_eq!(action_label("", en), "");
        let vi = crate::i18n::catalog(Lang::Vi);
        assert_eq!(action_label("sign_out", vi), "Đăng xuất");
    }

    #[test]
    fn every_role_has_a_name_and_a_description_in_every_language() {
        for t in Lang::ALL.map(crate::i18n::catalog) {
            for role in Role::ALL {
                assert!(!role_label(role, t).is_empty() && !role_description(role, t).is_empty());
            }
        }
    }
}
