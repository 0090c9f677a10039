//! Dates, times, numbers and sizes formatted by the browser's `Intl` APIs, so no locale
//! tables ship in the bundle.

use js_sys::{Array, Date, Function, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

fn options(pairs: &[(&str, &str)]) -> Object {
    let object = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&object, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    object
}

fn locales(tag: &str) -> Array {
    Array::of1(&JsValue::from_str(tag))
}

fn call_format(formatter: &JsValue, value: &JsValue) -> String {
    Reflect::get(formatter, &JsValue::from_str("format"))
        .ok()
        .and_then(|format| Function::from(format).call1(formatter, value).ok())
        .and_then(|text| text.as_string())
        .unwrap_or_default()
}

fn format_date(tag: &str, date: &Date, pairs: &[(&str, &str)]) -> String {
    let formatter = Intl::DateTimeFormat::new(&locales(tag), &options(pairs));
    call_format(&formatter, date)
}

/// A moment (milliseconds since the epoch) as a medium date with a short time.
pub fn date_time(tag: &str, epoch_ms: f64) -> String {
    format_date(
        tag,
        &Date::new(&JsValue::from_f64(epoch_ms)),
        &[("dateStyle", "medium"), ("timeStyle", "short")],
    )
}

/// A calendar date (`month` from 1) as a medium date, such as `12 Mar 2026`.
pub fn date(tag: &str, year: i32, month: u32, day: u32) -> String {
    let date = Date::new_with_year_month_day(year as u32, month as i32 - 1, day as i32);
    format_date(tag, &date, &[("dateStyle", "medium")])
}

/// A calendar date (`month` from 1) as a short day and month, such as `12 Mar`, for chart
/// axes.
pub fn short_date(tag: &str, year: i32, month: u32, day: u32) -> String {
    let date = Date::new_with_year_month_day(year as u32, month as i32 - 1, day as i32);
    format_date(tag, &date, &[("day", "numeric"), ("month", "short")])
}

/// A wall-clock time such as `07:30`, as the locale writes it.
pub fn clock_time(tag: &str, hour: u32, minute: u32) -> String {
    let date = Date::new_with_year_month_day_hr_min(2024, 0, 1, hour as i32, minute as i32);
    format_date(tag, &date, &[("hour", "numeric"), ("minute", "2-digit")])
}

/// The weekday's long name; `index` 0 is Monday.
pub fn weekday(tag: &str, index: u32) -> String {
    // 1 January 2024 was a Monday.
    let date = Date::new_with_year_month_day(2024, 0, 1 + index as i32);
    format_date(tag, &date, &[("weekday", "long")])
}

/// A byte count in the largest fitting unit, such as `1.2 MB`.
pub fn bytes(tag: &str, bytes: f64) -> String {
    let (value, unit) = [("gigabyte", 1e9), ("megabyte", 1e6), ("kilobyte", 1e3)]
        .into_iter()
        .find(|(_, size)| bytes >= *size)
        .map_or((bytes, "byte"), |(unit, size)| (bytes / size, unit));
    let formatter = Intl::NumberFormat::new(
        &locales(tag),
        &options(&[
            ("style", "unit"),
            ("unit", unit),
            ("maximumFractionDigits", "1"),
        ]),
    );
    call_format(&formatter, &JsValue::from_f64(value))
}
