//! Checking an appointment request field by field, with messages in the patient's language.
//!
//! Every check names the field at fault (`windows.1.from`, `phone`…) so the widget puts the
//! message next to the right control; the messages are in the language the patient asked to
//! be answered in (English or Vietnamese).

use std::collections::BTreeMap;

use haven_api::appointments::{
    MAX_ATTACHMENTS, MAX_DAYS_AHEAD, MAX_NAME_CHARS, MAX_TEXT_CHARS, MAX_WINDOWS,
    NewAppointmentRequest, Slot, TimeWindow, is_secret,
};
use haven_api::config::Weekday;
use haven_api::lang::Lang;
use haven_api::record::Kind;
use haven_api::record::entry::is_uuid;
use haven_api::staff::Email;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;

use crate::config::Config;

/// The earliest birth year accepted.
const EARLIEST_BIRTH_YEAR: i16 = 1900;

/// What is wrong with one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The field is empty and must not be.
    Required,
    /// The text is longer than `max` characters.
    TooLong {
        /// The limit.
        max: usize,
    },
    /// The text contains a control character (such as NUL).
    ControlCharacter,
    /// The id is not a lower-case UUID.
    NotAnId,
    /// The secret is not 32 lower-case hex digits.
    NotASecret,
    /// The reason id is not one the clinic offers.
    UnknownReason,
    /// No preferred time was given.
    NoWindow,
    /// More preferred times than allowed.
    TooManyWindows,
    /// Not a date (`YYYY-MM-DD`).
    NotADate,
    /// Not a time (`HH:MM`).
    NotATime,
    /// The end is not after the start.
    EndsBeforeStart,
    /// The day or time has passed.
    InThePast,
    /// Further ahead than the clinic books.
    TooFarAhead,
    /// The clinic is closed that day.
    ClosedThatDay,
    /// Outside the opening hours of that day.
    OutsideOpeningHours {
        /// When the clinic opens that day.
        opens: String,
        /// When it closes.
        closes: String,
    },
    /// A date of birth in the future.
    BornInTheFuture,
    /// A date of birth before 1900.
    BornTooLongAgo,
    /// A phone number that cannot be dialled.
    NotAPhoneNumber,
    /// An email address that is not one.
    NotAnEmail,
    /// Consent was not given.
    ConsentNeeded,
    /// The clinic does not offer this kind of visit.
    VisitTypeNotOffered,
    /// More record items than allowed.
    TooManyAttachments,
    /// A record item of a kind that cannot be sent.
    DocumentNotAccepted,
    /// A record item that is not valid.
    InvalidAttachment,
    /// The honeypot was filled in.
    LeaveEmpty,
}

impl Problem {
    /// The message for the patient, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        use Problem::*;
        let vi = lang == Lang::Vi;
        match self {
            Required if vi => "Vui lòng điền mục này.".into(),
            Required => "Please fill this in.".into(),
            TooLong { max } if vi => format!("Quá dài: tối đa {max} ký tự."),
            TooLong { max } => format!("This is too long: at most {max} characters."),
            ControlCharacter if vi => "Có ký tự không hợp lệ; vui lòng gõ lại.".into(),
            ControlCharacter => "This contains a character that is not allowed; please retype it.".into(),
            NotAnId if vi => "Mã yêu cầu không hợp lệ.".into(),
            NotAnId => "The request's id is not valid.".into(),
            NotASecret if vi => "Mã bí mật của yêu cầu không hợp lệ.".into(),
            NotASecret => "The request's secret is not valid.".into(),
            UnknownReason if vi => "Phòng khám không có lý do khám này; vui lòng chọn lại.".into(),
            UnknownReason => "The clinic does not offer this reason; please choose another.".into(),
            NoWindow if vi => "Vui lòng chọn ít nhất một thời gian bạn muốn đến.".into(),
            NoWindow => "Please give at least one time that suits you.".into(),
            TooManyWindows if vi => format!("Tối đa {MAX_WINDOWS} khung giờ."),
            TooManyWindows => format!("Give at most {MAX_WINDOWS} times."),
            NotADate if vi => "Ngày không hợp lệ.".into(),
            NotADate => "This is not a date.".into(),
            NotATime if vi => "Giờ không hợp lệ.".into(),
            NotATime => "This is not a time.".into(),
            EndsBeforeStart if vi => "Giờ kết thúc phải sau giờ bắt đầu.".into(),
            EndsBeforeStart => "The end must be later than the start.".into(),
            InThePast if vi => "Thời gian này đã qua; vui lòng chọn một ngày sắp tới.".into(),
            InThePast => "This time has passed; please choose one that is still to come.".into(),
            TooFarAhead if vi => format!("Phòng khám chỉ nhận đặt trước tối đa {MAX_DAYS_AHEAD} ngày."),
            TooFarAhead => format!("The clinic books at most {MAX_DAYS_AHEAD} days ahead."),
            ClosedThatDay if vi => "Phòng khám đóng cửa ngày này.".into(),
            ClosedThatDay => "The clinic is closed on that day.".into(),
            OutsideOpeningHours { opens, closes } if vi => {
                format!("Ngày này phòng khám mở cửa từ {opens} đến {closes}.")
            }
            OutsideOpeningHours { opens, closes } => {
                format!("On that day the clinic is open from {opens} to {closes}.")
            }
            BornInTheFuture if vi => "Ngày sinh không thể ở tương lai.".into(),
            BornInTheFuture => "A date of birth cannot be in the future.".into(),
            BornTooLongAgo if vi => format!("Ngày sinh phải từ năm {EARLIEST_BIRTH_YEAR} trở đi."),
            BornTooLongAgo => format!("A date of birth must be in {EARLIEST_BIRTH_YEAR} or later."),
            NotAPhoneNumber if vi => {
                "Số điện thoại này không gọi được; kiểm tra lại các chữ số, hoặc thêm mã quốc gia (ví dụ +84).".into()
            }
            NotAPhoneNumber => {
                "This phone number cannot be dialled; check the digits, or add the country code (such as +84).".into()
            }
            NotAnEmail if vi => "Địa chỉ email không hợp lệ, ví dụ: ten@example.com.".into(),
            NotAnEmail => "This is not an email address, such as name@example.com.".into(),
            ConsentNeeded if vi => "Phòng khám cần bạn đồng ý để liên hệ về yêu cầu này.".into(),
            ConsentNeeded => "The clinic needs your agreement to contact you about this request.".into(),
            VisitTypeNotOffered if vi => "Phòng khám không có hình thức khám này.".into(),
            VisitTypeNotOffered => "The clinic does not offer this kind of visit.".into(),
            TooManyAttachments if vi => format!("Đính kèm tối đa {MAX_ATTACHMENTS} mục."),
            TooManyAttachments => format!("Attach at most {MAX_ATTACHMENTS} items."),
            DocumentNotAccepted if vi => "Chưa thể gửi tài liệu kèm yêu cầu; hãy mang theo khi đến khám.".into(),
            DocumentNotAccepted => "Documents cannot be sent with a request yet; please bring them to your visit.".into(),
            InvalidAttachment if vi => "Mục hồ sơ này không đọc được; hãy bỏ nó ra.".into(),
            InvalidAttachment => "This record item could not be read; please remove it.".into(),
            LeaveEmpty if vi => "Hãy để trống mục này.".into(),
            LeaveEmpty => "Leave this field empty.".into(),
        }
    }
}

/// The summary line above the field messages, in `lang`.
pub fn summary(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "Vui lòng kiểm tra lại các mục được đánh dấu.",
        Lang::En => "Please check the marked fields.",
    }
}

/// The problems found, by field.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Problems(pub BTreeMap<String, Problem>);

impl Problems {
    fn add(&mut self, field: impl Into<String>, problem: Problem) {
        self.0.entry(field.into()).or_insert(problem);
    }

    /// Whether nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The messages, by field, in `lang`.
    pub fn messages(&self, lang: Lang) -> BTreeMap<String, String> {
        self.0
            .iter()
            .map(|(field, problem)| (field.clone(), problem.message(lang)))
            .collect()
    }
}

/// The clinic's local day and time now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalNow {
    /// Today, in the clinic's time zone.
    pub date: Date,
    /// The time of day there.
    pub time: Time,
}

/// The time zone named `name` (UTC if unknown, which the configuration check prevents),
/// looked up once: reading it from the time zone database costs more than the rest of a
/// request's checks.
pub fn time_zone(name: &str) -> TimeZone {
    static KNOWN: std::sync::RwLock<Vec<(String, TimeZone)>> = std::sync::RwLock::new(Vec::new());
    if let Some((_, zone)) = KNOWN
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .iter()
        .find(|(known, _)| known == name)
    {
        return zone.clone();
    }
    let zone = TimeZone::get(name).unwrap_or(TimeZone::UTC);
    KNOWN
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push((name.to_owned(), zone.clone()));
    zone
}

impl LocalNow {
    /// `now_ms` in the clinic's time zone (UTC if the zone is unknown, which the
    /// configuration check prevents).
    pub fn at(now_ms: i64, zone: &str) -> LocalNow {
        let zone = time_zone(zone);
        let stamp =
            jiff::Timestamp::from_millisecond(now_ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let zoned = stamp.to_zoned_datetime(zone);
        LocalNow {
            date: zoned.date(),
            time: zoned.time(),
        }
    }
}

/// `YYYY-MM-DD`, strictly.
pub fn parse_date(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    let shape = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape {
        return None;
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<i16>().ok();
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

/// `HH:MM` on a 24-hour clock, strictly.
pub fn parse_time(text: &str) -> Option<Time> {
    let (hours, minutes) = text.split_once(':')?;
    let two = |part: &str| part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit());
    if !two(hours) || !two(minutes) {
        return None;
    }
    Time::new(hours.parse().ok()?, minutes.parse().ok()?, 0, 0).ok()
}

fn weekday_of(date: Date) -> Weekday {
    match date.weekday() {
        jiff::civil::Weekday::Monday => Weekday::Mon,
        jiff::civil::Weekday::Tuesday => Weekday::Tue,
        jiff::civil::Weekday::Wednesday => Weekday::Wed,
        jiff::civil::Weekday::Thursday => Weekday::Thu,
        jiff::civil::Weekday::Friday => Weekday::Fri,
        jiff::civil::Weekday::Saturday => Weekday::Sat,
        jiff::civil::Weekday::Sunday => Weekday::Sun,
    }
}

fn check_text(found: &mut Problems, field: &str, text: &str, max: usize, required: bool) {
    if required && text.trim().is_empty() {
        found.add(field, Problem::Required);
    } else if text.chars().count() > max {
        found.add(field, Problem::TooLong { max });
    } else if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        found.add(field, Problem::ControlCharacter);
    }
}

/// Checks a date that must be today or later (and not too far ahead); `None` if it is fine.
fn check_day(date: &str, now: LocalNow) -> Result<Date, Problem> {
    let day = parse_date(date).ok_or(Problem::NotADate)?;
    if day < now.date {
        return Err(Problem::InThePast);
    }
    if (day - now.date).get_days() > i32::try_from(MAX_DAYS_AHEAD).unwrap_or(i32::MAX) {
        return Err(Problem::TooFarAhead);
    }
    Ok(day)
}

fn check_window(
    found: &mut Problems,
    at: usize,
    window: &TimeWindow,
    config: &Config,
    now: LocalNow,
) {
    let field = |name: &str| format!("windows.{at}.{name}");
    let day = match check_day(&window.date, now) {
        Ok(day) => Some(day),
        Err(problem) => {
            found.add(field("date"), problem);
            None
        }
    };
    let from = parse_time(&window.from);
    let to = parse_time(&window.to);
    if from.is_none() {
        found.add(field("from"), Problem::NotATime);
    }
    if to.is_none() {
        found.add(field("to"), Problem::NotATime);
    }
    let (Some(day), Some(from), Some(to)) = (day, from, to) else {
        return;
    };
    if to <= from {
        found.add(field("to"), Problem::EndsBeforeStart);
        return;
    }
    if day == now.date && to <= now.time {
        found.add(field("to"), Problem::InThePast);
        return;
    }
    let weekday = weekday_of(day);
    let open: Vec<_> = config
        .opening_hours
        .iter()
        .filter(|hours| hours.day == weekday)
        .collect();
    if open.is_empty() {
        found.add(field("date"), Problem::ClosedThatDay);
        return;
    }
    let inside =
        open.iter().any(
            |hours| match (parse_time(&hours.opens), parse_time(&hours.closes)) {
                (Some(opens), Some(closes)) => from >= opens && to <= closes,
                _ => false,
            },
        );
    if !inside {
        let hours = open[0];
        let problem = Problem::OutsideOpeningHours {
            opens: hours.opens.clone(),
            closes: hours.closes.clone(),
        };
        let at_fault = match (parse_time(&hours.opens), parse_time(&hours.closes)) {
            (Some(opens), _) if from < opens => "from",
            _ => "to",
        };
        found.add(field(at_fault), problem);
    }
}

/// Checks a phone number, dialled from the clinic's country unless it starts with `+`;
/// returns it in international (E.164) form.
pub fn check_phone(text: &str, country: &str) -> Result<String, Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::Required);
    }
    if text.chars().count() > 40 {
        return Err(Problem::NotAPhoneNumber);
    }
    let region = country.parse::<phonenumber::country::Id>().ok();
    let number = phonenumber::parse(region, text).map_err(|_| Problem::NotAPhoneNumber)?;
    if !phonenumber::is_valid(&number) {
        return Err(Problem::NotAPhoneNumber);
    }
    Ok(number.format().mode(phonenumber::Mode::E164).to_string())
}

/// Checks a request against the clinic's configuration at `now`. On success, returns the
/// request as it is stored: texts trimmed, the phone number in international form, the secret
/// and honeypot left out.
pub fn check(
    request: &NewAppointmentRequest,
    config: &Config,
    now_ms: i64,
) -> Result<NewAppointmentRequest, Problems> {
    let mut found = Problems::default();
    let now = LocalNow::at(now_ms, &config.clinic.time_zone);

    if !is_uuid(&request.id) {
        found.add("id", Problem::NotAnId);
    }
    if !is_secret(&request.secret) {
        found.add("secret", Problem::NotASecret);
    }
    if !request.website.is_empty() {
        found.add("website", Problem::LeaveEmpty);
    }
    match &request.reason_id {
        Some(id) if !config.appointment_reasons.iter().any(|r| &r.id == id) => {
            found.add("reason_id", Problem::UnknownReason);
        }
        _ => {}
    }
    check_text(
        &mut found,
        "reason_text",
        &request.reason_text,
        MAX_TEXT_CHARS,
        request.reason_id.is_none(),
    );
    if request.windows.is_empty() {
        found.add("windows", Problem::NoWindow);
    } else if request.windows.len() > MAX_WINDOWS {
        found.add("windows", Problem::TooManyWindows);
    } else {
        for (at, window) in request.windows.iter().enumerate() {
            check_window(&mut found, at, window, config, now);
        }
    }
    if !config
        .appointments
        .visit_types
        .contains(&request.visit_type)
    {
        found.add("visit_type", Problem::VisitTypeNotOffered);
    }
    check_text(&mut found, "name", &request.name, MAX_NAME_CHARS, true);
    match parse_date(&request.birth_date) {
        None if request.birth_date.trim().is_empty() => found.add("birth_date", Problem::Required),
        None => found.add("birth_date", Problem::NotADate),
        Some(born) if born > now.date => found.add("birth_date", Problem::BornInTheFuture),
        Some(born) if born.year() < EARLIEST_BIRTH_YEAR => {
            found.add("birth_date", Problem::BornTooLongAgo)
        }
        Some(_) => {}
    }
    let phone = check_phone(&request.phone, &config.clinic.country)
        .map_err(|problem| found.add("phone", problem))
        .ok();
    let email = request.email.trim();
    if !email.is_empty() && Email::parse(email).is_err() {
        found.add("email", Problem::NotAnEmail);
    }
    if !request.consent {
        found.add("consent", Problem::ConsentNeeded);
    }
    check_text(&mut found, "notes", &request.notes, MAX_TEXT_CHARS, false);
    if request.attachments.len() > MAX_ATTACHMENTS {
        found.add("attachments", Problem::TooManyAttachments);
    } else {
        let today = haven_api::record::Date::parse(&now.date.to_string());
        for (at, entry) in request.attachments.iter().enumerate() {
            if entry.kind == Kind::Document {
                found.add(format!("attachments.{at}"), Problem::DocumentNotAccepted);
            } else if today.is_none_or(|today| !entry.validate(today).is_empty()) {
                found.add(format!("attachments.{at}"), Problem::InvalidAttachment);
            }
        }
    }

    if !found.is_empty() {
        return Err(found);
    }
    Ok(NewAppointmentRequest {
        secret: String::new(),
        website: String::new(),
        reason_text: request.reason_text.trim().to_owned(),
        name: request.name.trim().to_owned(),
        phone: phone.unwrap_or_default(),
        email: email.to_owned(),
        notes: request.notes.trim().to_owned(),
        ..request.clone()
    })
}

/// Checks a time staff confirm or propose: a real day, today or later, and a time.
pub fn check_slot(slot: &Slot, now_ms: i64, zone: &str) -> Problems {
    let mut found = Problems::default();
    let now = LocalNow::at(now_ms, zone);
    let day = check_day(&slot.date, now)
        .map_err(|problem| found.add("slot.date", problem))
        .ok();
    match parse_time(&slot.time) {
        None => found.add("slot.time", Problem::NotATime),
        Some(time) if day == Some(now.date) && time <= now.time => {
            found.add("slot.time", Problem::InThePast)
        }
        Some(_) => {}
    }
    found
}

#[cfg(test)]
mod tests {
    use haven_api::appointments::VisitType;

    use super::*;

    const DEMO: &str = include_str!("../../../haven.toml");

    fn config() -> Config {
        Config::parse(DEMO, "haven.toml").expect("the demo configuration")
    }

    /// Tuesday 1 December 2026, 09:00 in Ho Chi Minh City (02:00 UTC).
    const NOW: i64 = 1_764_554_400_000 + 365 * 86_400_000;

    fn request() -> NewAppointmentRequest {
        NewAppointmentRequest {
            id: "0b8f3c52-6a1e-4f0e-9d3a-2f6c1b7e9a10".into(),
            secret: "0123456789abcdef0123456789abcdef".into(),
            reason_id: None,
            reason_text: "Knee pain after running".into(),
            windows: vec![TimeWindow {
                date: "2026-12-03".into(),
                from: "09:00".into(),
                to: "11:00".into(),
            }],
            visit_type: VisitType::InPerson,
            new_patient: true,
            name: "Nguyễn Thị Lan".into(),
            birth_date: "1985-04-12".into(),
            phone: "091 234 5678".into(),
            email: String::new(),
            language: Lang::Vi,
            consent: true,
            notes: String::new(),
            attachments: Vec::new(),
            website: String::new(),
        }
    }

    fn problems(change: impl FnOnce(&mut NewAppointmentRequest)) -> BTreeMap<String, Problem> {
        let mut request = request();
        change(&mut request);
        match check(&request, &config(), NOW) {
            Ok(_) => BTreeMap::new(),
            Err(found) => found.0,
        }
    }

    #[test]
    fn the_clock_in_these_tests_is_tuesday_morning_in_the_clinic() {
        let now = LocalNow::at(NOW, "Asia/Ho_Chi_Minh");
        assert_eq!(now.date.to_string(), "2026-12-01");
        assert_eq!(now.time.hour(), 9);
    }

    #[test]
    fn a_good_request_passes_and_its_phone_number_is_made_international() {
        let stored = check(&request(), &config(), NOW).expect("valid");
        assert_eq!(stored.phone, "+84912345678");
        assert!(stored.secret.is_empty());
    }

    #[test]
    fn a_window_in_the_past_or_outside_opening_hours_names_its_field() {
        let found = problems(|r| r.windows[0].date = "2026-11-30".into());
        assert_eq!(found["windows.0.date"], Problem::InThePast);
        let found = problems(|r| {
            r.windows[0].from = "05:00".into();
        });
        assert!(matches!(
            found["windows.0.from"],
            Problem::OutsideOpeningHours { .. }
        ));
        let found = problems(|r| r.windows[0].to = "08:00".into());
        assert_eq!(found["windows.0.to"], Problem::EndsBeforeStart);
        let found = problems(|r| r.windows[0].date = "2026-13-01".into());
        assert_eq!(found["windows.0.date"], Problem::NotADate);
    }

    #[test]
    fn earlier_today_has_passed() {
        let found = problems(|r| {
            r.windows[0] = TimeWindow {
                date: "2026-12-01".into(),
                from: "07:30".into(),
                to: "08:30".into(),
            }
        });
        assert_eq!(found["windows.0.to"], Problem::InThePast);
    }

    #[test]
    fn phone_numbers_are_checked_for_the_clinics_country_or_with_a_country_code() {
        assert_eq!(check_phone("0912345678", "VN").unwrap(), "+84912345678");
        assert_eq!(
            check_phone("+84 28 3822 1234", "VN").unwrap(),
            "+842838221234"
        );
        assert_eq!(
            check_phone("+1 415 555 0132", "VN").unwrap(),
            "+14155550132"
        );
        assert_eq!(check_phone("12", "VN"), Err(Problem::NotAPhoneNumber));
        assert_eq!(check_phone("call me", "VN"), Err(Problem::NotAPhoneNumber));
        assert_eq!(check_phone(" ", "VN"), Err(Problem::Required));
    }

    #[test]
    fn long_text_nul_characters_and_unknown_reasons_get_their_own_problems() {
        let found = problems(|r| r.reason_text = "x".repeat(100_000));
        assert_eq!(
            found["reason_text"],
            Problem::TooLong {
                max: MAX_TEXT_CHARS
            }
        );
        let found = problems(|r| r.notes = "a\0b".into());
        assert_eq!(found["notes"], Problem::ControlCharacter);
        let found = problems(|r| r.reason_id = Some("no-such-reason".into()));
        assert_eq!(found["reason_id"], Problem::UnknownReason);
        let found = problems(|r| r.birth_date = "2030-01-01".into());
        assert_eq!(found["birth_date"], Problem::BornInTheFuture);
        let found = problems(|r| r.consent = false);
        assert_eq!(found["consent"], Problem::ConsentNeeded);
        let found = problems(|r| r.website = "https://spam.example".into());
        assert_eq!(found["website"], Problem::LeaveEmpty);
    }

    #[test]
    fn every_message_exists_in_english_and_vietnamese() {
        let all = [
            Problem::Required,
            Problem::TooLong { max: 5 },
            Problem::ControlCharacter,
            Problem::InThePast,
            Problem::NotAPhoneNumber,
            Problem::OutsideOpeningHours {
                opens: "08:00".into(),
                closes: "17:00".into(),
            },
        ];
        for problem in all {
            let (en, vi) = (problem.message(Lang::En), problem.message(Lang::Vi));
            assert!(!en.is_empty() && !vi.is_empty());
            assert_ne!(en, vi, "{problem:?}");
        }
    }
}
