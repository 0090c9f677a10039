//! Dates and times without a date-time crate and without reading the clock (used by the
//! record and by the education pack's review dates):
//! whoever needs "today" or "now" passes it in (the widget knows the patient's local date).
//!
//! - [`Date`]: a calendar date, `YYYY-MM-DD`.
//! - [`When`]: what an entry is dated by — a date, or a local date and time with the UTC
//!   offset it was taken at (`2025-03-01T07:30:00+07:00`), because a FHIR `dateTime` with a
//!   time must carry an offset and a blood-pressure reading's time of day matters.
//! - [`format_instant`] / [`parse_instant`]: Unix milliseconds as a FHIR `instant`.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The earliest year a record date may have; earlier years are typing mistakes ("0225").
pub const EARLIEST_YEAR: i32 = 1900;

/// A date on the proleptic Gregorian calendar, years 1 to 9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// A valid date, or `None`.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=9999).contains(&year) {
            return None;
        }
        let days = days_in_month(year, month)?;
        let month = u8::try_from(month).ok()?;
        let day = u8::try_from(day)
            .ok()
            .filter(|day| (1..=days).contains(day))?;
        Some(Date { year, month, day })
    }

    /// Parses exactly `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let year = i32::try_from(digits(bytes, 0, 4)?).ok()?;
        Date::new(year, digits(bytes, 5, 2)?, digits(bytes, 8, 2)?)
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u32 {
        u32::from(self.month)
    }

    /// The day of the month, from 1.
    pub fn day(self) -> u32 {
        u32::from(self.day)
    }

    /// The date `days` days after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: i32::try_from(year.clamp(1, 9999)).unwrap_or(1),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    pub fn days(self) -> i64 {
        let month = i64::from(self.month);
        let year = i64::from(self.year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let yoe = year.rem_euclid(400);
        let mp = (month + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The UTC date of a Unix-millisecond time.
    pub fn from_unix_ms(ms: i64) -> Date {
        Date::from_days(ms.div_euclid(MS_PER_DAY))
    }
}

const MS_PER_DAY: i64 = 86_400_000;

fn days_in_month(year: i32, month: u32) -> Option<u8> {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    Some(match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    })
}

/// `len` ASCII digits at `start` as a number (`None` if any is not a digit or out of range).
fn digits(bytes: &[u8], start: usize, len: usize) -> Option<u32> {
    let slice = bytes.get(start..start + len)?;
    slice.iter().try_fold(0u32, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Date::parse(&text).ok_or_else(|| serde::de::Error::custom("expected a date YYYY-MM-DD"))
    }
}

/// A local date and time to the second, with the offset from UTC it was recorded at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    date: Date,
    hour: u8,
    minute: u8,
    second: u8,
    offset_minutes: i16,
}

impl DateTime {
    /// A valid local date-time, or `None`. The offset is in minutes east of UTC (Vietnam:
    /// `+420`), at most ±14 hours.
    pub fn new(
        date: Date,
        hour: u32,
        minute: u32,
        second: u32,
        offset_minutes: i32,
    ) -> Option<Self> {
        (hour < 24 && minute < 60 && second < 60 && offset_minutes.abs() <= 14 * 60).then_some(
            DateTime {
                date,
                hour: hour as u8,
                minute: minute as u8,
                second: second as u8,
                offset_minutes: offset_minutes as i16,
            },
        )
    }

    /// The local calendar date.
    pub fn date(self) -> Date {
        self.date
    }

    /// The local time as (hour, minute, second).
    pub fn time(self) -> (u32, u32, u32) {
        (
            u32::from(self.hour),
            u32::from(self.minute),
            u32::from(self.second),
        )
    }

    /// Minutes east of UTC.
    pub fn offset_minutes(self) -> i32 {
        i32::from(self.offset_minutes)
    }

    /// The moment as Unix milliseconds.
    pub fn unix_ms(self) -> i64 {
        let local_seconds = self.date.days() * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second);
        (local_seconds - i64::from(self.offset_minutes) * 60) * 1000
    }

    /// Parses `YYYY-MM-DDThh:mm[:ss[.fff…]](Z|±hh:mm)`. Fractions of a second are dropped.
    pub fn parse(text: &str) -> Option<DateTime> {
        let (date, rest) = text.split_at_checked(10)?;
        let date = Date::parse(date)?;
        let rest = rest.as_bytes();
        if rest.first() != Some(&b'T') || rest.get(3) != Some(&b':') {
            return None;
        }
        let hour = digits(rest, 1, 2)?;
        let minute = digits(rest, 4, 2)?;
        let mut at = 6;
        let mut second = 0;
        if rest.get(at) == Some(&b':') {
            second = digits(rest, at + 1, 2)?;
            at += 3;
            if rest.get(at) == Some(&b'.') {
                at += 1;
                let fraction = rest[at..].iter().take_while(|b| b.is_ascii_digit()).count();
                if fraction == 0 {
                    return None;
                }
                at += fraction;
            }
        }
        let offset = parse_offset(&rest[at..])?;
        DateTime::new(date, hour, minute, second, offset)
    }
}

/// `Z`, `+hh:mm` or `-hh:mm` as minutes east of UTC.
fn parse_offset(text: &[u8]) -> Option<i32> {
    match text {
        [b'Z'] => Some(0),
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let hours = digits(text, 1, 2)?;
            let minutes = digits(text, 4, 2)?;
            if hours > 14 || minutes > 59 {
                return None;
            }
            let total = i32::try_from(hours * 60 + minutes).ok()?;
            Some(if *sign == b'-' { -total } else { total })
        }
        _ => None,
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}T{:02}:{:02}:{:02}",
            self.date, self.hour, self.minute, self.second
        )?;
        match self.offset_minutes {
            0 => f.write_str("Z"),
            offset => {
                let sign = if offset < 0 { '-' } else { '+' };
                let offset = offset.unsigned_abs();
                write!(f, "{sign}{:02}:{:02}", offset / 60, offset % 60)
            }
        }
    }
}

/// What an entry is dated by: a calendar date, or a local date and time with its offset.
///
/// Written as ISO 8601 text in the canonical form FHIR's `dateTime` also uses: `2025-03-01`
/// or `2025-03-01T07:30:00+07:00` (`Z` for UTC). Entries order by the patient's local
/// wall-clock time, a date alone before any time on that day, so the canonical texts of two
/// entries with the same offset sort the same way as the values (handy for an IndexedDB
/// index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum When {
    /// A whole day.
    Date(Date),
    /// A moment on a day.
    DateTime(DateTime),
}

impl When {
    /// Parses `YYYY-MM-DD` or a date-time with a UTC offset (see [`DateTime::parse`]).
    pub fn parse(text: &str) -> Option<When> {
        if text.len() == 10 {
            Date::parse(text).map(When::Date)
        } else {
            DateTime::parse(text).map(When::DateTime)
        }
    }

    /// The local calendar date.
    pub fn date(self) -> Date {
        match self {
            When::Date(date) => date,
            When::DateTime(date_time) => date_time.date,
        }
    }

    fn key(self) -> (Date, Option<(u8, u8, u8)>, i16) {
        match self {
            When::Date(date) => (date, None, 0),
            When::DateTime(t) => (t.date, Some((t.hour, t.minute, t.second)), t.offset_minutes),
        }
    }
}

impl From<Date> for When {
    fn from(date: Date) -> When {
        When::Date(date)
    }
}

impl Ord for When {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

impl PartialOrd for When {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            When::Date(date) => date.fmt(f),
            When::DateTime(date_time) => date_time.fmt(f),
        }
    }
}

impl Serialize for When {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for When {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        When::parse(&text).ok_or_else(|| {
            serde::de::Error::custom("expected YYYY-MM-DD or YYYY-MM-DDThh:mm:ss with an offset")
        })
    }
}

/// Unix milliseconds as a FHIR `instant` in UTC: `2025-03-01T00:30:00.250Z`.
pub fn format_instant(ms: i64) -> String {
    let date = Date::from_unix_ms(ms);
    let in_day = ms.rem_euclid(MS_PER_DAY);
    let (seconds, millis) = (in_day / 1000, in_day % 1000);
    format!(
        "{date}T{:02}:{:02}:{:02}.{millis:03}Z",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// Parses a FHIR `instant` (a date-time with seconds and an offset) into Unix
/// milliseconds; digits beyond milliseconds are dropped.
pub fn parse_instant(text: &str) -> Option<i64> {
    let date_time = DateTime::parse(text)?;
    let millis = text
        .find('.')
        .filter(|&dot| dot > 10)
        .map(|dot| {
            let fraction: Vec<u8> = text.as_bytes()[dot + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .take(3)
                .copied()
                .collect();
            let value = fraction
                .iter()
                .fold(0i64, |n, b| n * 10 + i64::from(b - b'0'));
            value * 10i64.pow(3 - fraction.len() as u32)
        })
        .unwrap_or(0);
    Some(date_time.unix_ms() + millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).expect(text)
    }

    #[test]
    fn valid_dates_parse_and_print_back() {
        for text in [
            "2027-11-01",
            "2024-02-29",
            "2000-02-29",
            "1999-12-31",
            "0001-01-01",
        ] {
            assert_eq!(Date::parse(text).expect(text).to_string(), text);
        }
    }

    #[test]
    fn impossible_and_oddly_written_dates_do_not_parse() {
        for text in [
            "2027-02-29",
            "1900-02-29",
            "2027-13-01",
            "2027-04-31",
            "2027-00-10",
            "0000-01-01",
            "2027-1-01",
            "27-11-01",
            "2027/11/01",
            "２０２７-11-01",
            "2027-11-0a",
            "",
        ] {
            assert_eq!(Date::parse(text), None, "{text}");
        }
    }

    #[test]
    fn days_since_the_epoch_convert_both_ways() {
        for (days, text) in [
            (0, "1970-01-01"),
            (20_513, "2026-03-01"),
            (11_016, "2000-02-29"),
            (-1, "1969-12-31"),
            (-25_567, "1900-01-01"),
        ] {
            assert_eq!(Date::from_days(days).to_string(), text);
            assert_eq!(date(text).days(), days);
        }
    }

    #[test]
    fn date_times_need_an_offset_and_print_canonically() {
        for (text, canonical) in [
            ("2025-03-01T07:30:00+07:00", "2025-03-01T07:30:00+07:00"),
            ("2025-03-01T07:30+07:00", "2025-03-01T07:30:00+07:00"),
            ("2025-03-01T07:30:15.123Z", "2025-03-01T07:30:15Z"),
            ("2025-03-01T23:59:59-09:30", "2025-03-01T23:59:59-09:30"),
            ("2025-03-01T00:00:00+00:00", "2025-03-01T00:00:00Z"),
            ("2025-03-01", "2025-03-01"),
        ] {
            assert_eq!(When::parse(text).expect(text).to_string(), canonical);
        }
        for text in [
            "2025-03-01T07:30:00",
            "2025-03-01T24:00:00Z",
            "2025-03-01T07:60:00Z",
            "2025-03-01T07:30:00+15:00",
            "2025-03-01T07:30:00.Z",
            "2025-03-01 07:30:00Z",
            "2025-03-01T7:30:00Z",
            "2025-03",
        ] {
            assert_eq!(When::parse(text), None, "{text}");
        }
    }

    #[test]
    fn entries_order_by_local_wall_clock_with_the_bare_date_first() {
        let mut whens: Vec<When> = [
            "2025-03-02",
            "2025-03-01T21:00:00+07:00",
            "2025-03-01",
            "2025-03-01T06:00:00+07:00",
        ]
        .iter()
        .map(|text| When::parse(text).expect(text))
        .collect();
        whens.sort();
        let texts: Vec<String> = whens.iter().map(When::to_string).collect();
        assert_eq!(
            texts,
            [
                "2025-03-01",
                "2025-03-01T06:00:00+07:00",
                "2025-03-01T21:00:00+07:00",
                "2025-03-02"
            ]
        );
        let mut sorted_text = texts.clone();
        sorted_text.sort();
        assert_eq!(sorted_text, texts);
    }

    #[test]
    fn instants_round_trip_to_the_millisecond() {
        for (ms, text) in [
            (0, "1970-01-01T00:00:00.000Z"),
            (1_740_789_000_250, "2025-03-01T00:30:00.250Z"),
            (-1, "1969-12-31T23:59:59.999Z"),
        ] {
            assert_eq!(format_instant(ms), text);
            assert_eq!(parse_instant(text), Some(ms));
        }
        assert_eq!(
            parse_instant("2025-03-01T07:30:00.25+07:00"),
            Some(1_740_789_000_250)
        );
        assert_eq!(
            parse_instant("2025-03-01T07:30:00+07:00"),
            Some(1_740_789_000_000)
        );
        assert_eq!(parse_instant("2025-03-01"), None);
    }

    #[test]
    fn dates_are_serialised_as_text() {
        let when = When::parse("2025-03-01T07:30:00+07:00").expect("valid");
        let json = serde_json::to_string(&when).expect("serialise");
        assert_eq!(json, "\"2025-03-01T07:30:00+07:00\"");
        assert_eq!(serde_json::from_str::<When>(&json).expect("parse"), when);
        assert!(serde_json::from_str::<Date>("\"2025-02-30\"").is_err());
    }
}
