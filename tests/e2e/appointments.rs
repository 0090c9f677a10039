//! Appointment requests end to end, by keyboard alone, in Chromium against the built widget
//! and the real server: a request filled in, sent while offline, kept through a reload and
//! delivered once the connection returns; specific messages for a wrong phone number and a
//! day in the past, in English and Vietnamese; the emergency alert; a request the server
//! refuses, fixed and resent, then withdrawn; the note for an unknown reason in a link; and axe
//! on the form, its error state and the status view in both languages.

use std::time::Duration;

use fantoccini::key::Key;
use haven_api::date::Date;
use serde_json::Value;

use crate::harness::{Haven, SessionCommand, control, xpath_literal};

const DESK: &str = "desk@clinic.example";
const DESK_PASSWORD: &str = "front desk password 2026";

/// A front-desk member signed in through the staff API, as the console does it; returns the
/// client (with its session cookie) and the CSRF token.
async fn front_desk(haven: &Haven) -> (reqwest::Client, String) {
    haven.add_staff(DESK, "front_desk", DESK_PASSWORD).await;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let session: Value = client
        .post(format!("{}/api/staff/sign-in", haven.widget))
        .header("origin", &haven.widget)
        .json(&serde_json::json!({ "email": DESK, "password": DESK_PASSWORD }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let csrf = session["csrf_token"]
        .as_str()
        .expect("signed in")
        .to_owned();
    (client, csrf)
}

/// What the console reads at `path` (under `/api/staff/appointment-requests`).
async fn staff_read(haven: &Haven, desk: &(reqwest::Client, String), path: &str) -> Value {
    desk.0
        .get(format!(
            "{}/api/staff/appointment-requests{path}",
            haven.widget
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The clinic's inbox, as the console reads it.
async fn inbox(haven: &Haven, desk: &(reqwest::Client, String)) -> Vec<Value> {
    let inbox = staff_read(haven, desk, "").await;
    inbox["items"].as_array().cloned().unwrap_or_default()
}

/// The id of the newest request in the inbox with `status`.
async fn newest(haven: &Haven, desk: &(reqwest::Client, String), status: &str) -> String {
    inbox(haven, desk)
        .await
        .iter()
        .find(|item| item["status"] == status)
        .and_then(|item| item["id"].as_str())
        .expect("a request with that status")
        .to_owned()
}

/// A staff action on request `id`, as the console sends it.
async fn act(haven: &Haven, desk: &(reqwest::Client, String), id: &str, action: Value) {
    let response = desk
        .0
        .post(format!(
            "{}/api/staff/appointment-requests/{id}/actions",
            haven.widget
        ))
        .header("origin", &haven.widget)
        .header("x-csrf-token", &desk.1)
        .json(&action)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
}

/// How many requests and "received" events the server stored.
async fn stored(haven: &Haven) -> (i64, i64) {
    use sqlx::Row;
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM appointment_requests) AS requests, \
         (SELECT COUNT(*) FROM appointment_events WHERE action = 'received') AS received",
    )
    .fetch_one(haven.state.pool())
    .await
    .unwrap();
    (row.get("requests"), row.get("received"))
}

/// A button by its text.
fn button(text: &str) -> String {
    format!("//button[normalize-space()={}]", xpath_literal(text))
}

/// Text anywhere in the main content.
fn text(text: &str) -> String {
    format!(
        "//main//*[contains(normalize-space(.), {})]",
        xpath_literal(text)
    )
}

/// The clinic's date `offset` days from today (UTC, then moved to a Monday at least that far
/// ahead, when the demo clinic is open from 07:30 to 17:00).
fn a_monday_from_now(offset: i64) -> Date {
    let today = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        / 86_400;
    let mut day = today + offset;
    while (day + 3).rem_euclid(7) != 0 {
        day += 1;
    }
    Date::from_days(day)
}

fn days_ago(days: i64) -> Date {
    let today = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        / 86_400;
    Date::from_days(today - days)
}

/// Types into whatever has focus, one key at a time, as a person does.
async fn keys(haven: &Haven, text: &str) {
    haven.type_text(text).await;
}

/// Fills the field labelled `label` by keyboard.
async fn fill(haven: &Haven, label: &str, text: &str) {
    haven.tab_to(&control(label)).await;
    keys(haven, text).await;
}

/// Tabs to the radio button or checkbox labelled `label` and ticks it with Space.
async fn tick(haven: &Haven, label: &str) {
    haven.tab_to(&control(label)).await;
    haven.press(&[Key::Space]).await;
}

/// Presses the button `text` by keyboard.
async fn press_button(haven: &Haven, text: &str) {
    haven.tab_to(&button(text)).await;
    haven.press(&[Key::Enter]).await;
}

/// The order in which this browser's date inputs take the day, month and year.
async fn date_order(haven: &Haven) -> Vec<String> {
    let order = haven
        .js("return new Intl.DateTimeFormat(navigator.language)
                .formatToParts(new Date(2020, 11, 31))
                .filter(p => ['day', 'month', 'year'].includes(p.type)).map(p => p.type)")
        .await;
    order
        .as_array()
        .unwrap()
        .iter()
        .map(|part| part.as_str().unwrap().to_owned())
        .collect()
}

/// Types a date into the date input labelled `label`, in the browser's own field order.
async fn fill_date(haven: &Haven, label: &str, date: Date) {
    haven.tab_to(&control(label)).await;
    for part in date_order(haven).await {
        let typed = match part.as_str() {
            "day" => format!("{:02}", date.day()),
            "month" => format!("{:02}", date.month()),
            _ => format!("{:04}", date.year()),
        };
        keys(haven, &typed).await;
    }
    let value = haven
        .js(&format!(
            "return document.activeElement.value === {}",
            serde_json::to_string(&date.to_string()).unwrap()
        ))
        .await;
    assert_eq!(value, Value::Bool(true), "typing {date} into {label}");
}

/// Types a time of day into the time input labelled `label`, with AM/PM where the browser's
/// time inputs use a 12-hour clock.
async fn fill_time(haven: &Haven, label: &str, hour: u32, minute: u32) {
    haven.tab_to(&control(label)).await;
    let twelve = haven
        .js(
            "return new Intl.DateTimeFormat(navigator.language, { hour: 'numeric' })
                .resolvedOptions().hour12 === true",
        )
        .await
        == Value::Bool(true);
    let typed = if twelve {
        let shown = if hour.is_multiple_of(12) {
            12
        } else {
            hour % 12
        };
        let half = if hour < 12 { "A" } else { "P" };
        format!("{shown:02}{minute:02}{half}")
    } else {
        format!("{hour:02}{minute:02}")
    };
    keys(haven, &typed).await;
    let value = haven
        .js(&format!(
            "return document.activeElement.value === '{hour:02}:{minute:02}'"
        ))
        .await;
    assert_eq!(
        value,
        Value::Bool(true),
        "typing {hour}:{minute} into {label}"
    );
}

/// Opens the Appointments section and waits for its form.
async fn open(haven: &Haven, lang: &str, form_heading: &str) {
    haven.goto(&format!("/appointments?lang={lang}")).await;
    haven
        .find(&format!(
            "//h2[normalize-space()={}]",
            xpath_literal(form_heading)
        ))
        .await;
}

/// Fills the whole English form for a Monday, 09:00 to 11:00, by keyboard.
async fn fill_the_form(haven: &Haven, phone: &str, day: Date) {
    tick(haven, "General check-up").await;
    fill_date(haven, "Date", day).await;
    fill_time(haven, "From", 9, 0).await;
    fill_time(haven, "To", 11, 0).await;
    tick(haven, "No, I am a new patient").await;
    fill(haven, "Your full name", "Lan Nguyen").await;
    fill_date(
        haven,
        "Date of birth",
        Date::new(1980, 5, 1).expect("a date"),
    )
    .await;
    fill(haven, "Phone number", phone).await;
    tick(
        haven,
        "I agree that the clinic may contact me about this request by phone, text or email.",
    )
    .await;
}

/// Waits up to `seconds` for an element.
async fn find_within(haven: &Haven, xpath: &str, seconds: u64) {
    for _ in 0..seconds * 4 {
        let found = haven
            .js(&format!(
                "return !!document.evaluate({}, document, null, \
                 XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue",
                serde_json::to_string(xpath).unwrap()
            ))
            .await;
        if found == Value::Bool(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("no {xpath} after {seconds} s\n{}", haven.page_text().await);
}

#[tokio::test]
async fn a_request_sent_offline_waits_survives_a_reload_and_reaches_the_clinic_when_back_online() {
    let mut haven = Haven::start().await;
    open(&haven, "en", "Request an appointment").await;
    haven.until_offline_ready().await;
    open(&haven, "en", "Request an appointment").await;
    haven.find(&text("You have not sent any request")).await;
    haven.assert_accessible("the appointment form in en").await;

    fill_the_form(&haven, "0901 234 567", a_monday_from_now(7)).await;
    haven.go_offline().await;
    press_button(&haven, "Send request").await;
    haven
        .find(&format!(
            "//*[@role='status'][contains(., {})]",
            xpath_literal("your request is saved on this device and will be sent")
        ))
        .await;
    let waiting = "Waiting to send — you're offline; we'll send it when you're back.";
    haven.find(&text(waiting)).await;
    haven.find(&text("General check-up")).await;
    haven
        .until(
            "focus moves to My requests",
            "return document.activeElement.id === 'requests-heading'",
        )
        .await;

    // A reload while offline: the form is empty again (its draft was cleared once the request
    // was in the outbox), and the request is still shown.
    haven.client.refresh().await.unwrap();
    haven.heading("Appointments").await;
    haven.find(&text(waiting)).await;
    haven.find(&control("Your full name")).await;
    let empty = haven
        .js("return document.getElementById('appt-name').value === '' &&
                    !document.body.innerText.includes('We kept what you typed')")
        .await;
    assert_eq!(empty, Value::Bool(true), "the draft was cleared");

    // Back online: the outbox sends it, and the clinic's answer is shown.
    haven.restart_server().await;
    haven
        .client
        .issue_cmd(SessionCommand::network(false))
        .await
        .unwrap();
    find_within(&haven, &text("Received by the clinic"), 45).await;
    haven.find(&button("Withdraw request")).await;
    haven.assert_accessible("My requests in en").await;

    open(&haven, "vi", "Yêu cầu đặt lịch hẹn").await;
    haven.find(&text("Phòng khám đã nhận")).await;
    haven
        .assert_accessible("the form and My requests in vi")
        .await;

    // The clinic's inbox has it exactly once.
    let desk = front_desk(&haven).await;
    let items = inbox(&haven, &desk).await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["name"], "Lan Nguyen");
    assert_eq!(stored(&haven).await, (1, 1));
    haven.finish().await;
}

#[tokio::test]
async fn a_request_whose_answer_is_lost_after_the_server_stored_it_is_stored_once_and_shown_received()
 {
    let haven = Haven::start().await;
    open(&haven, "en", "Request an appointment").await;
    fill_the_form(&haven, "0901 234 567", a_monday_from_now(7)).await;
    // The server stores the request, then the connection drops before the answer.
    haven.drop_answers(1);
    press_button(&haven, "Send request").await;
    // The outbox retries with the same key and gets the stored answer.
    find_within(&haven, &text("Received by the clinic"), 60).await;
    let desk = front_desk(&haven).await;
    assert_eq!(inbox(&haven, &desk).await.len(), 1);
    assert_eq!(stored(&haven).await, (1, 1));
    haven.finish().await;
}

#[tokio::test]
async fn the_clinic_confirms_and_then_proposes_and_the_patient_sees_it_in_vietnamese_and_accepts() {
    let haven = Haven::start().await;
    open(&haven, "en", "Request an appointment").await;
    fill_the_form(&haven, "0901 234 567", a_monday_from_now(7)).await;
    press_button(&haven, "Send request").await;
    find_within(&haven, &text("Received by the clinic"), 45).await;

    let desk = front_desk(&haven).await;
    let day = a_monday_from_now(14);
    let slot = |time: &str| serde_json::json!({ "date": day.to_string(), "time": time });
    let first = newest(&haven, &desk, "new").await;
    act(
        &haven,
        &desk,
        &first,
        serde_json::json!({ "action": "confirm", "slot": slot("14:30"), "message": "Mang theo thẻ bảo hiểm." }),
    )
    .await;
    open(&haven, "vi", "Yêu cầu đặt lịch hẹn").await;
    find_within(&haven, &text("Đã xác nhận lịch hẹn:"), 45).await;
    haven.find(&text("14:30")).await;
    haven.find(&text("Mang theo thẻ bảo hiểm.")).await;
    haven.assert_accessible("a confirmed request in vi").await;

    // The clinic has to move it: it declines and the patient sends a new request, which the
    // clinic answers with another time.
    act(
        &haven,
        &desk,
        &first,
        serde_json::json!({ "action": "decline", "message": "Bác sĩ nghỉ ngày hôm đó." }),
    )
    .await;
    haven.client.refresh().await.unwrap();
    find_within(&haven, &text("Bác sĩ nghỉ ngày hôm đó."), 45).await;
    open(&haven, "en", "Request an appointment").await;
    fill_the_form(&haven, "0901 234 567", a_monday_from_now(8)).await;
    press_button(&haven, "Send request").await;
    find_within(&haven, &text("Received by the clinic"), 45).await;
    let id = newest(&haven, &desk, "new").await;
    act(
        &haven,
        &desk,
        &id,
        serde_json::json!({ "action": "propose", "slot": slot("10:00") }),
    )
    .await;
    open(&haven, "vi", "Yêu cầu đặt lịch hẹn").await;
    find_within(&haven, &text("Phòng khám đề xuất thời gian khác:"), 45).await;
    haven.assert_accessible("a proposed time in vi").await;
    haven.tab_to(&button("Đồng ý thời gian này")).await;
    haven.press(&[Key::Enter]).await;
    find_within(&haven, &text("Bạn đã đồng ý thời gian."), 30).await;
    let accepted = inbox(&haven, &desk).await;
    assert!(
        accepted
            .iter()
            .any(|item| item["id"] == id.as_str() && item["status"] == "confirmed"),
        "{accepted:?}"
    );
    haven.finish().await;
}

#[tokio::test]
async fn a_wrong_phone_number_and_a_past_day_get_specific_messages_in_english_and_vietnamese() {
    let haven = Haven::start().await;
    open(&haven, "en", "Request an appointment").await;
    fill_the_form(&haven, "12345", days_ago(3)).await;
    press_button(&haven, "Send request").await;
    let summary = haven
        .find("//div[@role='alert'][h3[normalize-space()='Please check these fields']]")
        .await;
    haven
        .until(
            "the summary has focus",
            "return document.activeElement.classList.contains('error-summary')",
        )
        .await;
    let listed = summary.text().await.unwrap();
    for message in [
        "Phone number: This does not look like a phone number.",
        "Preferred time 1, Date: This date has already passed. Choose today or a later day.",
    ] {
        assert!(listed.contains(message), "{message:?} in {listed}");
    }
    let phone = haven.find(&control("Phone number")).await;
    assert_eq!(
        phone.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    let described = phone.attr("aria-describedby").await.unwrap().unwrap();
    assert!(described.contains("appt-phone-error"), "{described}");
    haven
        .find("//p[@id='appt-phone-error'][starts-with(normalize-space(), 'This does not look like a phone number')]")
        .await;
    // The summary's link moves focus to the field.
    haven
        .tab_to("//div[@role='alert']//a[@href='#appt-phone']")
        .await;
    haven.press(&[Key::Enter]).await;
    haven
        .until(
            "the phone field has focus",
            "return document.activeElement.id === 'appt-phone'",
        )
        .await;
    haven.assert_accessible("the form's errors in en").await;

    // Emergency words bring the alert with the emergency number at once.
    fill(
        &haven,
        "Describe the reason in your own words",
        "I have chest pain",
    )
    .await;
    haven
        .find("//div[@role='alert'][contains(., 'Do not wait for an appointment.')]//a[@href='tel:115']")
        .await;
    haven.assert_accessible("the emergency alert in en").await;

    // In Vietnamese the typed form comes back from its draft, and the messages are Vietnamese.
    open(&haven, "vi", "Yêu cầu đặt lịch hẹn").await;
    haven
        .find(&text("Những gì bạn đã nhập trước đó vẫn được giữ"))
        .await;
    haven.assert_accessible("the restored form in vi").await;
    press_button(&haven, "Gửi yêu cầu").await;
    let summary = haven
        .find("//div[@role='alert'][h3[normalize-space()='Vui lòng kiểm tra các ô sau']]")
        .await;
    let listed = summary.text().await.unwrap();
    for message in [
        "Số điện thoại: Đây không giống số điện thoại.",
        "Thời gian mong muốn 1, Ngày: Ngày này đã qua.",
    ] {
        assert!(listed.contains(message), "{message:?} in {listed}");
    }
    haven.assert_accessible("the form's errors in vi").await;
    haven.finish().await;
}

#[tokio::test]
async fn a_reading_from_a_locked_record_is_unlocked_previewed_sent_and_seen_by_the_clinic() {
    let haven = Haven::start().await;
    haven.goto("/records/add/blood_pressure?lang=en").await;
    haven.heading("Add blood pressure").await;
    fill(&haven, "Systolic (upper number, mmHg)", "128").await;
    fill(&haven, "Diastolic (lower number, mmHg)", "84").await;
    press_button(&haven, "Save").await;
    haven.find("//a[normalize-space()='128/84 mmHg']").await;

    // The record is locked with a passphrase, and the page reloaded: it is closed.
    haven
        .tab_to("//a[normalize-space()='Lock and settings']")
        .await;
    haven.press(&[Key::Enter]).await;
    haven.heading("Lock and settings").await;
    fill(&haven, "New passphrase", "river lantern orbit").await;
    fill(&haven, "Type it again", "river lantern orbit").await;
    tick(
        &haven,
        "I understand that a forgotten passphrase cannot be recovered",
    )
    .await;
    press_button(&haven, "Set a passphrase").await;
    haven
        .find("//p[contains(., 'Your record is now locked with your passphrase.')]")
        .await;
    haven.client.refresh().await.unwrap();

    open(&haven, "en", "Request an appointment").await;
    fill_the_form(&haven, "0901 234 567", a_monday_from_now(7)).await;
    press_button(&haven, "Choose items from my record").await;
    // The picker asks for the passphrase first.
    fill(&haven, "Passphrase", "river lantern orbit").await;
    haven.press(&[Key::Enter]).await;
    let reading = "//input[@type='checkbox'][@id=//label[contains(., '128/84 mmHg')]/@for]";
    find_within(&haven, reading, 30).await;
    haven.tab_to(reading).await;
    haven.press(&[Key::Space]).await;
    haven
        .find("//section[contains(@class, 'preview')]//li[contains(., '128/84 mmHg')]")
        .await;
    // The preview says where the items go: to the clinic, not into a file.
    haven
        .find("//section[contains(@class, 'preview')]/h3[normalize-space()='What the clinic will receive']")
        .await;
    let claims_nothing_leaves = haven
        .js("return document.body.innerText.includes('Haven does not send it anywhere')")
        .await;
    assert_eq!(claims_nothing_leaves, Value::Bool(false));
    haven
        .assert_accessible("the record picker in a request")
        .await;
    press_button(&haven, "Send request").await;
    find_within(&haven, &text("Received by the clinic"), 30).await;

    // The clinic sees the same values.
    let desk = front_desk(&haven).await;
    let items = inbox(&haven, &desk).await;
    assert_eq!(items[0]["attachments"], 1);
    let id = items[0]["id"].as_str().unwrap();
    let detail = staff_read(&haven, &desk, &format!("/{id}")).await;
    let reading = &detail["request"]["attachments"][0];
    assert_eq!(reading["kind"], "blood_pressure", "{detail}");
    assert_eq!(reading["blood_pressure"]["systolic"], 128, "{detail}");
    assert_eq!(reading["blood_pressure"]["diastolic"], 84, "{detail}");
    // And on the console's page for the request, as the front desk reads it.
    haven.sign_in_to_console(DESK, DESK_PASSWORD).await;
    let open_request = "//table//th[@scope='row']//a[normalize-space()='Lan Nguyen']";
    haven.tab_to(open_request).await;
    haven.press(&[Key::Enter]).await;
    haven.heading("Request from Lan Nguyen").await;
    haven
        .find("//main//*[contains(normalize-space(.), '128/84 mmHg')]")
        .await;
    haven.finish().await;
}

#[tokio::test]
async fn a_refused_request_is_fixed_and_resent_then_withdrawn_and_an_unknown_reason_gets_a_note() {
    let haven = Haven::start().await;
    // A link from a topic with a reason this clinic does not offer: ignored, with a note.
    haven
        .goto("/appointments?lang=en&reason=not-a-reason-here")
        .await;
    haven
        .find(&format!(
            "//*[@role='note'][contains(., {})]",
            xpath_literal("The reason in the link you followed is not one this clinic offers.")
        ))
        .await;

    // A number the form's quick check lets through but no Vietnamese line has: the server
    // refuses the request, which stays on the device with the server's reason.
    open(&haven, "en", "Request an appointment").await;
    fill_the_form(&haven, "0101 234 567", a_monday_from_now(7)).await;
    fill(
        &haven,
        "Anything else the clinic should know (optional)",
        "Morning is best.",
    )
    .await;
    press_button(&haven, "Send request").await;
    find_within(&haven, &text("Not accepted by the clinic's system"), 45).await;
    haven
        .find(&text(
            "Nothing was booked. Fix the request and send it again, or call the clinic.",
        ))
        .await;
    haven
        .find(&text("This phone number cannot be dialled"))
        .await;
    haven.assert_accessible("a refused request in en").await;
    assert_eq!(stored(&haven).await, (0, 0), "nothing was stored");

    // Fix and resend: the typed values come back, the phone number is corrected.
    press_button(&haven, "Fix and resend").await;
    haven
        .until(
            "the form has the refused request's values",
            "return document.getElementById('appt-name').value === 'Lan Nguyen' && \
             document.getElementById('appt-phone').value === '0101 234 567' && \
             document.getElementById('appt-notes').value === 'Morning is best.'",
        )
        .await;
    // Tabbing into a field selects its text, so typing replaces it.
    fill(&haven, "Phone number", "0901 234 567").await;
    press_button(&haven, "Send request").await;
    find_within(&haven, &text("Received by the clinic"), 45).await;
    haven
        .until(
            "the refused request is replaced by the new one",
            "return !document.body.innerText.includes(\"Not accepted by the clinic's system\")",
        )
        .await;
    let desk = front_desk(&haven).await;
    let items = inbox(&haven, &desk).await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(stored(&haven).await, (1, 1));
    let stored_json: String = sqlx::query_scalar("SELECT request_json FROM appointment_requests")
        .fetch_one(haven.state.pool())
        .await
        .unwrap();
    let stored_request: Value = serde_json::from_str(&stored_json).unwrap();
    assert_eq!(stored_request["phone"], "+84901234567", "{stored_request}");
    assert_eq!(
        stored_request["notes"], "Morning is best.",
        "{stored_request}"
    );

    // The patient withdraws it, confirming first; the clinic's inbox shows it withdrawn.
    press_button(&haven, "Withdraw request").await;
    haven
        .find(&text("Withdraw this request? The clinic will not book it."))
        .await;
    press_button(&haven, "Yes, withdraw it").await;
    find_within(&haven, &text("Your request was withdrawn."), 30).await;
    haven.find(&text("Withdrawn")).await;
    haven.assert_accessible("a withdrawn request in en").await;
    let items = inbox(&haven, &desk).await;
    assert_eq!(items[0]["status"], "withdrawn", "{items:?}");
    haven.finish().await;
}
