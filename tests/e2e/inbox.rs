//! The clinic's appointment-request inbox end to end: two requests sent through the real
//! HTTP API (one in English, one in Vietnamese with a blood-pressure reading attached), found
//! in the staff console by role and name with the count of new requests on the Inbox link,
//! one opened by keyboard and confirmed with a day and a time, the patient's view of it read
//! back with the request's secret; axe on the list and on the request's page. Then the same
//! inbox with the console switched to Vietnamese by keyboard: found by Vietnamese names, axe
//! on both pages, the choice kept through reloads.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use fantoccini::elements::Element;
use fantoccini::key::Key;
use haven_api::appointments::{
    NewAppointmentRequest, RequestState, RequestStatus, Slot, TimeWindow, VisitType,
};
use haven_api::date::Date;
use haven_api::lang::Lang;
use haven_api::record::measure::BloodPressure;
use haven_api::record::{Entry, When};

use crate::harness::{Haven, control, xpath_literal};

/// The demo clinic's zone, `Asia/Ho_Chi_Minh`: UTC+7 all year.
const CLINIC_OFFSET_MS: i64 = 7 * 60 * 60 * 1000;

fn now_ms() -> i64 {
    let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    i64::try_from(since.as_millis()).unwrap()
}

/// Today in the clinic.
fn clinic_today() -> Date {
    Date::from_unix_ms(now_ms() + CLINIC_OFFSET_MS)
}

/// The first Monday-to-Friday day at least `days` days after `from`: the demo clinic is open
/// 07:30–17:00 on those days.
fn weekday_after(from: Date, days: i64) -> Date {
    let mut day = from.days() + days;
    // 1970-01-01 was a Thursday: (days + 3) mod 7 counts from Monday.
    while (day + 3).rem_euclid(7) >= 5 {
        day += 1;
    }
    Date::from_days(day)
}

/// A fresh lower-case UUID (version 4 layout), as the widget makes with `crypto.randomUUID()`.
fn uuid() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let mixed = (nanos as u64) ^ (u64::from(std::process::id()) << 32) ^ (n << 48);
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        (mixed >> 32) as u32,
        (mixed >> 16) & 0xffff,
        mixed & 0xfff,
        n & 0xfff,
        (nanos as u64 ^ n.rotate_left(17)) & 0xffff_ffff_ffff
    )
}

/// A request's secret: 32 lower-case hex digits.
fn secret(id: &str) -> String {
    let digits: String = id.chars().filter(char::is_ascii_hexdigit).collect();
    format!("{digits:0<32}")[..32].to_owned()
}

fn window(date: Date, from: &str, to: &str) -> TimeWindow {
    TimeWindow {
        date: date.to_string(),
        from: from.into(),
        to: to.into(),
    }
}

/// Lan's request, in Vietnamese: a follow-up about her blood pressure, with yesterday's
/// reading attached, to be answered by phone.
fn lans_request(today: Date, windows: Vec<TimeWindow>) -> NewAppointmentRequest {
    let reading = Entry::new(
        uuid(),
        When::Date(Date::from_days(today.days() - 1)),
        now_ms() - 86_400_000,
        BloodPressure::new(128, 82).unwrap(),
    );
    let id = uuid();
    NewAppointmentRequest {
        secret: secret(&id),
        id,
        reason_id: Some("follow_up".into()),
        reason_text: "Kiểm tra lại huyết áp".into(),
        windows,
        visit_type: VisitType::Phone,
        new_patient: false,
        name: "Nguyễn Thị Lan".into(),
        birth_date: "1962-09-03".into(),
        phone: "0912 345 678".into(),
        email: String::new(),
        language: Lang::Vi,
        consent: true,
        notes: "Buổi sáng tôi hay bị chóng mặt.".into(),
        attachments: vec![reading],
        website: String::new(),
    }
}

/// Sends a request as the widget's outbox does, and returns what the patient reads back.
async fn send(haven: &Haven, request: &NewAppointmentRequest) -> RequestState {
    let response = reqwest::Client::new()
        .post(format!("{}/api/appointment-requests", haven.widget))
        .header(haven_api::idempotency::HEADER, &request.id)
        .json(request)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body = response.text().await.unwrap();
    assert!(
        status.is_success(),
        "sending {}: {status} {body}",
        request.name
    );
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// What the patient's device reads about its request, with the request's secret.
async fn patient_view(haven: &Haven, id: &str, secret: &str) -> RequestState {
    let response = reqwest::Client::new()
        .get(format!("{}/api/appointment-requests/{id}", haven.widget))
        .bearer_auth(secret)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body = response.text().await.unwrap();
    assert!(status.is_success(), "reading {id}: {status} {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// The link that opens a patient's request, in the row headers of the list whose caption
/// starts with `caption`.
fn request_link_in(caption: &str, name: &str) -> String {
    format!(
        "//table[caption[starts-with(normalize-space(), {})]]\
         //th[@scope='row']//a[normalize-space()={}]",
        xpath_literal(caption),
        xpath_literal(name)
    )
}

/// The link that opens a patient's request, in the English console's list.
fn request_link(name: &str) -> String {
    request_link_in("Appointment requests", name)
}

/// Adds a front-desk account and signs it in through the console's sign-in page, in English
/// (the browser's language).
async fn sign_in_as_front_desk(haven: &Haven) {
    haven
        .add_staff(
            "desk@riverside.example",
            "front_desk",
            "a long enough passphrase",
        )
        .await;
    haven
        .sign_in_to_console("desk@riverside.example", "a long enough passphrase")
        .await;
}

/// Types a day into a date input as a person does, in the browser's field order, and checks
/// the value the page reads.
async fn type_date(haven: &Haven, input: &Element, date: Date) {
    // Chromium's date field for en-US is month / day / year; typing moves between them.
    let keys = format!("{:02}{:02}{:04}", date.month(), date.day(), date.year());
    input.send_keys(&keys).await.unwrap();
    let value = input.prop("value").await.unwrap().unwrap_or_default();
    assert_eq!(
        value,
        date.to_string(),
        "the day typed is the day entered\n{}",
        haven.page_text().await
    );
}

/// Types 14:30 into a time input as a person does (hour, minute, then PM on a 12-hour field).
async fn type_half_past_two(haven: &Haven, input: &Element) {
    input.send_keys("0230PM").await.unwrap();
    let value = input.prop("value").await.unwrap().unwrap_or_default();
    assert_eq!(
        value,
        "14:30",
        "the time typed is the time entered\n{}",
        haven.page_text().await
    );
}

#[tokio::test]
async fn the_front_desk_finds_two_new_requests_and_confirms_the_vietnamese_one_by_keyboard() {
    let haven = Haven::start().await;
    let today = clinic_today();
    let first_day = weekday_after(today, 3);
    let second_day = weekday_after(first_day, 1);
    let booked_day = weekday_after(second_day, 1);

    let english = NewAppointmentRequest {
        id: uuid(),
        secret: String::new(),
        reason_id: Some("checkup".into()),
        reason_text: String::new(),
        windows: vec![window(first_day, "09:00", "11:00")],
        visit_type: VisitType::InPerson,
        new_patient: true,
        name: "Sam Carter".into(),
        birth_date: "1980-04-12".into(),
        phone: "0901 234 567".into(),
        email: "sam.carter@example.com".into(),
        language: Lang::En,
        consent: true,
        notes: "I feel dizzy when I stand up.".into(),
        attachments: Vec::new(),
        website: String::new(),
    };
    let english = NewAppointmentRequest {
        secret: secret(&english.id),
        ..english
    };
    let vietnamese = lans_request(
        today,
        vec![
            window(second_day, "14:00", "16:00"),
            window(booked_day, "08:00", "10:00"),
        ],
    );
    let first = send(&haven, &english).await;
    assert_eq!(first.status, RequestStatus::New);
    // The second arrives later (in a later millisecond), so it is the newest.
    while haven.state.now_ms() <= first.received_at {
        tokio::task::yield_now().await;
    }
    assert_eq!(send(&haven, &vietnamese).await.status, RequestStatus::New);

    sign_in_as_front_desk(&haven).await;

    // The front desk lands on the inbox; the Inbox link says how many requests are new.
    haven.heading("Request inbox").await;
    let inbox_link = haven
        .find(
            "//nav[@aria-label='Console']//a[starts-with(normalize-space(), 'Request inbox')]\
             [.//*[contains(@class, 'badge')][contains(normalize-space(), '2 new')]]",
        )
        .await;
    assert_eq!(
        haven.accessible_name(&inbox_link).await,
        "Request inbox 2 new"
    );

    // Both are listed, new first and the newest first, with what they are about.
    let lan = haven.find(&request_link("Nguyễn Thị Lan")).await;
    haven.find(&request_link("Sam Carter")).await;
    let order = haven
        .js(
            "return [...document.querySelectorAll('table.inbox tbody th[scope=row]')]
                 .map(th => th.textContent.trim())",
        )
        .await;
    assert_eq!(
        order,
        serde_json::json!(["Nguyễn Thị Lan", "Sam Carter"]),
        "newest first"
    );
    let lan_row = haven
        .find("//table[contains(@class, 'inbox')]//tr[th[normalize-space()='Nguyễn Thị Lan']]")
        .await;
    let row_text = lan_row.text().await.unwrap();
    for expected in ["New", "Phone call", "14:00–16:00"] {
        assert!(row_text.contains(expected), "{expected} in {row_text}");
    }
    let attached = haven
        .find(
            "//table[contains(@class, 'inbox')]//tr[th[normalize-space()='Nguyễn Thị Lan']]\
             /td[last()]",
        )
        .await;
    assert_eq!(attached.text().await.unwrap().trim(), "1");
    haven
        .find("//*[@role='status'][contains(., '2 new requests are waiting')]")
        .await;
    haven.assert_accessible("console: the request inbox").await;

    // Opened by keyboard: Tab to the patient's name, then Enter.
    assert_eq!(haven.accessible_name(&lan).await, "Nguyễn Thị Lan");
    haven.tab_to(&request_link("Nguyễn Thị Lan")).await;
    haven.press(&[Key::Enter]).await;
    haven.heading("Request from Nguyễn Thị Lan").await;

    // Everything the patient sent, the attached reading in words, their text marked as
    // Vietnamese.
    haven
        .find("//ul[contains(@class, 'attachments')]/li[starts-with(normalize-space(), 'Blood pressure 128/82 mmHg, ')]")
        .await;
    haven
        .find("//a[@href='tel:+84912345678'][normalize-space()='+84912345678']")
        .await;
    haven
        .find("//p[@lang='vi'][contains(., 'Buổi sáng tôi hay bị chóng mặt.')]")
        .await;
    haven
        .find("//p[@lang='vi'][contains(., 'Kiểm tra lại huyết áp')]")
        .await;
    haven
        .find("//dt[normalize-space()='Answer in']/following-sibling::dd[normalize-space()='Vietnamese']")
        .await;
    haven
        .find("//ol[contains(@class, 'history')]/li[contains(., 'Request received')]")
        .await;
    haven
        .assert_accessible("console: an appointment request")
        .await;

    // Confirm a time (the choice offered first), on the clinic's clock, with a note that
    // starts from a template in the patient's language.
    let confirm = haven.find(&control("Confirm a time")).await;
    assert_eq!(
        confirm.prop("checked").await.unwrap().as_deref(),
        Some("true")
    );
    let day = haven.find(&control("Day")).await;
    let time = haven.find(&control("Time, on the clinic's clock")).await;
    type_half_past_two(&haven, &time).await;

    // A day beyond what the clinic books: the server's message appears next to the Day field,
    // which describes it and takes focus.
    type_date(&haven, &day, Date::from_days(today.days() + 365)).await;
    haven
        .tab_to("//button[normalize-space()='Confirm the appointment']")
        .await;
    haven.press(&[Key::Enter]).await;
    let error = haven
        .find("//p[contains(@class, 'field-error')][contains(., 'at most 180 days ahead')]")
        .await;
    let error_id = error.attr("id").await.unwrap().unwrap_or_default();
    let described = day
        .attr("aria-describedby")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(
        described.split(' ').any(|id| id == error_id),
        "{described} names {error_id}"
    );
    assert_eq!(
        day.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    assert_eq!(
        haven.js("return document.activeElement.id").await,
        day.attr("id").await.unwrap().unwrap_or_default()
    );
    type_date(&haven, &day, booked_day).await;
    let language = haven.find(&control("Language")).await;
    assert_eq!(language.prop("value").await.unwrap().as_deref(), Some("vi"));
    haven.find(&control("Start from a template")).await;
    haven
        .click(
            "//select[@id=//label[normalize-space()='Start from a template']/@for]\
             /option[normalize-space()='Arrive early with your papers']",
        )
        .await;
    let note = haven.find(&control("Note")).await;
    assert_eq!(note.attr("lang").await.unwrap().as_deref(), Some("vi"));
    let note_text = note.prop("value").await.unwrap().unwrap_or_default();
    assert!(
        note_text.starts_with("Vui lòng đến sớm 15 phút"),
        "{note_text}"
    );

    haven
        .tab_to("//button[normalize-space()='Confirm the appointment']")
        .await;
    haven.press(&[Key::Enter]).await;
    haven
        .find("//*[@role='status'][contains(., 'Confirmed for')][contains(., '14:30')]")
        .await;
    haven
        .find("//dt[normalize-space()='Status']/following-sibling::dd[contains(., 'Confirmed')]")
        .await;
    haven
        .find("//ol[contains(@class, 'history')]/li[contains(., 'Confirmed')][contains(., 'desk@riverside.example')]")
        .await;
    // One request is still new.
    haven
        .find("//nav[@aria-label='Console']//*[contains(@class, 'badge')][contains(normalize-space(), '1 new')]")
        .await;
    haven
        .assert_accessible("console: a confirmed appointment request")
        .await;

    // The patient's device reads the booking with the request's secret.
    let state = patient_view(&haven, &vietnamese.id, &vietnamese.secret).await;
    assert_eq!(state.status, RequestStatus::Confirmed);
    assert_eq!(
        state.confirmed,
        Some(Slot {
            date: booked_day.to_string(),
            time: "14:30".into()
        })
    );
    assert!(
        state
            .message
            .as_deref()
            .is_some_and(|message| message.starts_with("Vui lòng đến sớm")),
        "{state:?}"
    );
    let english_state = patient_view(&haven, &english.id, &english.secret).await;
    assert_eq!(english_state.status, RequestStatus::New);

    // Back in the list, a status filter is kept in the address through a reload.
    haven
        .click("//a[normalize-space()='Back to the request inbox']")
        .await;
    haven.heading("Request inbox").await;
    haven
        .find("//select[@id=//label[normalize-space()='Status']/@for]/option[normalize-space()='Confirmed']")
        .await
        .click()
        .await
        .unwrap();
    haven
        .click("//button[normalize-space()='Apply filters']")
        .await;
    haven
        .until(
            "the list shows only the confirmed request",
            "return location.search === '?status=confirmed' &&
                 [...document.querySelectorAll('table.inbox tbody th[scope=row]')]
                     .map(th => th.textContent.trim()).join() === 'Nguyễn Thị Lan'",
        )
        .await;
    haven.client.refresh().await.unwrap();
    haven.heading("Request inbox").await;
    haven.find(&request_link("Nguyễn Thị Lan")).await;
    let status_filter = haven.find(&control("Status")).await;
    assert_eq!(
        status_filter.prop("value").await.unwrap().as_deref(),
        Some("confirmed")
    );
    assert_eq!(
        haven
            .js("return document.querySelectorAll('table.inbox tbody tr').length")
            .await,
        1
    );
    haven.finish().await;
}

/// Waits until the document's language is `tag`.
async fn until_document_lang(haven: &Haven, tag: &str) {
    haven
        .until(
            &format!("the document's language is {tag}"),
            &format!("return document.documentElement.lang === '{tag}'"),
        )
        .await;
}

#[tokio::test]
async fn the_front_desk_switches_the_console_to_vietnamese_by_keyboard_and_it_stays_vietnamese() {
    let haven = Haven::start().await;
    let today = clinic_today();
    let first_day = weekday_after(today, 3);
    let lan = lans_request(today, vec![window(first_day, "14:00", "16:00")]);
    assert_eq!(send(&haven, &lan).await.status, RequestStatus::New);

    // The browser speaks English, so the console starts in English.
    sign_in_as_front_desk(&haven).await;
    haven.heading("Request inbox").await;
    until_document_lang(&haven, "en").await;

    // From the heading, which has focus, back to the header's language menu; Tiếng Việt is
    // chosen with the arrow key, and the page changes language at once, without a reload.
    haven.shift_tab_to(&control("Console language")).await;
    haven.press(&[Key::Down]).await;
    haven.heading("Hộp thư yêu cầu").await;
    until_document_lang(&haven, "vi").await;
    haven
        .until(
            "the document's title is Vietnamese",
            "return document.title === 'Hộp thư yêu cầu · Bảng điều khiển nhân viên Haven'",
        )
        .await;

    // The list, found by role and its Vietnamese name.
    let inbox_link = haven
        .find(
            "//nav[@aria-label='Bảng điều khiển']//a[starts-with(normalize-space(), 'Hộp thư yêu cầu')]",
        )
        .await;
    assert_eq!(
        haven.accessible_name(&inbox_link).await,
        "Hộp thư yêu cầu 1 mới"
    );
    let table = haven
        .find("//table[caption[starts-with(normalize-space(), 'Yêu cầu hẹn khám')]]")
        .await;
    assert_eq!(
        haven.accessible_name(&table).await,
        "Yêu cầu hẹn khám, yêu cầu mới trước (1 yêu cầu)"
    );
    let lan_link = haven
        .find(&request_link_in("Yêu cầu hẹn khám", "Nguyễn Thị Lan"))
        .await;
    assert_eq!(haven.accessible_name(&lan_link).await, "Nguyễn Thị Lan");
    // The status, the clinic's reason and the visit type in Vietnamese words.
    for cell in ["Mới", "Tái khám", "Gọi điện thoại"] {
        haven
            .find(&format!(
                "//table[contains(@class, 'inbox')]//tr[th[normalize-space()='Nguyễn Thị Lan']]\
                 /td[normalize-space()={}]",
                xpath_literal(cell)
            ))
            .await;
    }
    haven
        .find("//*[@role='status'][contains(., '1 yêu cầu mới đang chờ trả lời')]")
        .await;
    haven.find("//button[normalize-space()='Đăng xuất']").await;
    haven
        .assert_accessible("console in Vietnamese: the request inbox")
        .await;

    // The choice is remembered: a reload comes back in Vietnamese.
    haven.client.refresh().await.unwrap();
    haven.heading("Hộp thư yêu cầu").await;
    until_document_lang(&haven, "vi").await;
    let menu_element = haven.find(&control("Ngôn ngữ giao diện")).await;
    assert_eq!(
        menu_element.prop("value").await.unwrap().as_deref(),
        Some("vi")
    );
    assert_eq!(
        haven
            .js("return localStorage.getItem('haven.console.lang')")
            .await,
        "vi"
    );

    // The request's page, opened by keyboard and found by its Vietnamese heading.
    haven
        .tab_to(&request_link_in("Yêu cầu hẹn khám", "Nguyễn Thị Lan"))
        .await;
    haven.press(&[Key::Enter]).await;
    let heading = haven.heading("Yêu cầu của Nguyễn Thị Lan").await;
    assert_eq!(
        haven.accessible_name(&heading).await,
        "Yêu cầu của Nguyễn Thị Lan"
    );
    // The attached reading in Vietnamese words; the patient's own text as she wrote it.
    haven
        .find("//ul[contains(@class, 'attachments')]/li[starts-with(normalize-space(), 'Huyết áp 128/82 mmHg, ')]")
        .await;
    haven
        .find("//dt[normalize-space()='Trả lời bằng']/following-sibling::dd[normalize-space()='Tiếng Việt']")
        .await;
    haven
        .find("//dt[normalize-space()='Lý do']/following-sibling::dd[normalize-space()='Tái khám']")
        .await;
    haven
        .find("//p[@lang='vi'][contains(., 'Kiểm tra lại huyết áp')]")
        .await;
    haven
        .find("//ol[contains(@class, 'history')]/li[contains(., 'Đã nhận yêu cầu')][contains(., 'do bệnh nhân thực hiện')]")
        .await;
    // Dates follow the console's language (Vietnamese months read "thg").
    let preferred = haven
        .find("//dt[normalize-space()='Thời gian mong muốn']/following-sibling::dd//time")
        .await
        .text()
        .await
        .unwrap();
    assert!(preferred.contains("thg"), "a Vietnamese date: {preferred}");
    let confirm = haven.find(&control("Xác nhận giờ hẹn")).await;
    assert_eq!(
        confirm.prop("checked").await.unwrap().as_deref(),
        Some("true")
    );
    haven
        .find(
            "//select[@id=//label[normalize-space()='Bắt đầu từ mẫu']/@for]\
             /option[normalize-space()='Đến sớm và mang theo giấy tờ']",
        )
        .await;
    haven
        .assert_accessible("console in Vietnamese: an appointment request")
        .await;

    // A decline without a message is explained next to the field, in Vietnamese.
    haven.click(&control("Từ chối yêu cầu")).await;
    haven
        .tab_to("//button[normalize-space()='Từ chối và gửi tin nhắn']")
        .await;
    haven.press(&[Key::Enter]).await;
    haven
        .find(
            "//p[contains(@class, 'field-error')][contains(., 'Hãy viết tin nhắn cho bệnh nhân')]",
        )
        .await;
    haven
        .find("//*[@aria-live='polite'][contains(., 'Có một mục cần sửa.')]")
        .await;

    // Marking the contact is announced in Vietnamese.
    haven.click(&control("Đánh dấu đã liên hệ")).await;
    haven
        .tab_to("//button[normalize-space()='Đánh dấu đã liên hệ']")
        .await;
    haven.press(&[Key::Enter]).await;
    haven
        .find(
            "//*[@role='status'][contains(., 'Lần liên hệ đã được ghi vào lịch sử của yêu cầu.')]",
        )
        .await;
    haven
        .find(
            "//dt[normalize-space()='Trạng thái']/following-sibling::dd[contains(., 'Đã liên hệ')]",
        )
        .await;
    haven
        .assert_accessible("console in Vietnamese: a request marked as contacted")
        .await;

    // Still Vietnamese after a reload of the request's page.
    haven.client.refresh().await.unwrap();
    haven.heading("Yêu cầu của Nguyễn Thị Lan").await;
    until_document_lang(&haven, "vi").await;

    // Signing out leads to the sign-in page, in Vietnamese too; its own language menu goes
    // back to English by keyboard, again without a reload.
    haven
        .tab_to("//button[normalize-space()='Đăng xuất']")
        .await;
    haven.press(&[Key::Enter]).await;
    haven.heading("Đăng nhập").await;
    haven
        .find("//p[contains(@class, 'notice')][normalize-space()='Bạn đã đăng xuất.']")
        .await;
    haven.find(&control("Địa chỉ email")).await;
    haven.find(&control("Mật khẩu")).await;
    haven
        .assert_accessible("console in Vietnamese: the sign-in page")
        .await;
    haven.shift_tab_to(&control("Ngôn ngữ giao diện")).await;
    haven.press(&[Key::Up]).await;
    haven.heading("Sign in").await;
    until_document_lang(&haven, "en").await;
    haven
        .find("//p[contains(@class, 'notice')][normalize-space()='You have signed out.']")
        .await;
    haven.finish().await;
}
