//! How values are written for people: role names, and times in the browser's own locale and
//! time zone (or the clinic's) through `Intl.DateTimeFormat`.

use std::cell::{OnceCell, RefCell};

use haven_api::date::Date as Day;
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
    /// The same in a named time zone, for the last zone asked for (the console knows one).
    static DATE_TIME_IN: RefCell<Option<(String, Function)>> = const { RefCell::new(None) };
    /// Calendar days, with and without the weekday.
    static DAY: OnceCell<(Function, Function)> = const { OnceCell::new() };
}

/// Builds `Intl.DateTimeFormat(locale, options).format` (the browser's locale when `locale`
/// is empty), or `None` when the browser refuses the options (an unknown time zone).
fn formatter(locale: &str, options: &Intl::DateTimeFormatOptions) -> Option<Function> {
    let locales = Array::new();
    if !locale.is_empty() {
        locales.push(&JsValue::from_str(locale));
    }
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

fn call(format: &Function, date: &Date) -> Option<String> {
    format
        .call1(&JsValue::UNDEFINED, date)
        .ok()
        .and_then(|text| text.as_string())
}

/// A moment as [`date_time`] writes it, but in the IANA `time_zone` (such as the clinic's
/// `Asia/Ho_Chi_Minh`); in the browser's zone when there is none or the browser does not
/// know it.
pub fn date_time_in(millis: i64, time_zone: Option<&str>) -> String {
    let Some(zone) = time_zone.filter(|zone| !zone.is_empty()) else {
        return date_time(millis);
    };
    let format = DATE_TIME_IN.with(|cell| {
        let mut cell = cell.borrow_mut();
        match &*cell {
            Some((cached, format)) if cached == zone => Some(format.clone()),
            _ => {
                let options = Intl::DateTimeFormatOptions::new();
                options.set_date_style(Intl::DateTimeStyle::Medium);
                options.set_time_style(Intl::DateTimeStyle::Short);
                options.set_time_zone(zone);
                let format = formatter("", &options)?;
                *cell = Some((zone.to_owned(), format.clone()));
                Some(format)
            }
        }
    });
    format
        .and_then(|format| call(&format, &date(millis)))
        .unwrap_or_else(|| date_time(millis))
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
    formatter("en-CA", &options)
        .and_then(|format| call(&format, &Date::new(&JsValue::from_f64(now))))
        .and_then(|text| Day::parse(&text))
        .unwrap_or_else(|| {
            // Unix milliseconds fit in an i64; `Date.now()` has no fraction worth keeping.
            #[allow(clippy::cast_possible_truncation)]
            Day::from_unix_ms(now as i64)
        })
}

/// A calendar day such as "8 Dec 2026", or "Tue, 8 Dec 2026" with its weekday, in the
/// browser's locale. The day is a date, not a moment, so no time zone can shift it.
pub fn day(value: Day, weekday: bool) -> String {
    let formats = DAY.with(|cell| {
        cell.get_or_init(|| {
            let build = |weekday: bool| {
                let options = Intl::DateTimeFormatOptions::new();
                options.set_day(Intl::DayFormat::Numeric);
                options.set_month(Intl::MonthFormat::Short);
                options.set_year(Intl::YearFormat::Numeric);
                options.set_time_zone("UTC");
                if weekday {
                    options.set_weekday(Intl::WeekdayFormat::Short);
                }
                let options: &Object = options.unchecked_ref();
                Intl::DateTimeFormat::new(&Array::new(), options).format()
            };
            (build(false), build(true))
        })
        .clone()
    });
    let format = if weekday { &formats.1 } else { &formats.0 };
    call(format, &date(value.days() * 86_400_000)).unwrap_or_else(|| value.to_string())
}

/// A `<time>` element for a calendar day, as [`day`] writes it.
#[component]
pub fn DayTime(
    /// The day.
    day: Day,
    /// Whether to name the weekday.
    #[prop(optional)]
    weekday: bool,
) -> impl IntoView {
    let text = self::day(day, weekday);
    view! { <time datetime=day.to_string()>{text}</time> }
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
