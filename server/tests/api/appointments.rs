//! Appointment requests through the real server and database: intake exactly once, the
//! patient's status by secret, the clinic's inbox and its actions, bad input, retention.

use std::time::Duration;

use haven_api::ErrorCode;
use haven_api::appointments::{Inbox, RequestDetail, RequestState, RequestStatus};
use haven_api::staff::Role;
use haven_server::appointments::store;
use haven_server::clock::Clock;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, api_error, header};

/// Tuesday 1 December 2026, 09:00 at the demo clinic (Asia/Ho_Chi_Minh, UTC+7).
const START: i64 = 1_796_090_400_000;
const DAY: Duration = Duration::from_secs(24 * 60 * 60);
const FRONT_DESK: &str = "desk@clinic.example";

async fn spawn() -> TestApp {
    TestApp::spawn_with(
        |options| {
            options.clock = Clock::manual(START);
            // These tests send many requests from one address.
            options.config.appointments.burst = 1_000;
        },
        |_| axum::Router::new(),
    )
    .await
}

fn uuid(n: u32) -> String {
    format!("0b8f3c52-6a1e-4f0e-9d3a-{n:012x}")
}

fn secret(n: u32) -> String {
    format!("{n:032x}")
}

/// A valid request: Thursday 3 December 2026, 09:00–11:00.
fn request(n: u32) -> Value {
    json!({
        "id": uuid(n),
        "secret": secret(n),
        "reason_id": "checkup",
        "reason_text": "",
        "windows": [{ "date": "2026-12-03", "from": "09:00", "to": "11:00" }],
        "visit_type": "in_person",
        "new_patient": true,
        "name": "Nguyễn Thị Lan",
        "birth_date": "1985-04-12",
        "phone": "091 234 5678",
        "email": "",
        "language": "vi",
        "consent": true,
        "notes": "",
        "attachments": []
    })
}

async fn send(app: &TestApp, key: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/appointment-requests"))
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn status(app: &TestApp, n: u32) -> reqwest::Response {
    app.client
        .get(app.url(&format!("/api/appointment-requests/{}", uuid(n))))
        .bearer_auth(secret(n))
        .send()
        .await
        .unwrap()
}

async fn answer(app: &TestApp, n: u32, action: &str) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/appointment-requests/{}/answer", uuid(n))))
        .bearer_auth(secret(n))
        .json(&json!({ "action": action }))
        .send()
        .await
        .unwrap()
}

async fn inbox(app: &TestApp, query: &str) -> Inbox {
    let response = app
        .get(&format!("/api/staff/appointment-requests{query}"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn act(app: &TestApp, csrf: &str, n: u32, action: Value) -> reqwest::Response {
    app.staff(
        Method::POST,
        &format!("/api/staff/appointment-requests/{}/actions", uuid(n)),
        csrf,
        Some(action),
    )
    .await
}

#[tokio::test]
async fn a_request_is_received_once_and_its_status_read_with_its_secret() {
    let app = spawn().await;
    let first = send(&app, &uuid(1), &request(1)).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let location = format!("/api/appointment-requests/{}", uuid(1));
    assert_eq!(header(&first, "location"), location);
    let state: RequestState = first.json().await.unwrap();
    assert_eq!(state.status, RequestStatus::New);
    assert_eq!(state.received_at, START);

    // The answer was lost: the outbox sends it again with the same key.
    let replay = send(&app, &uuid(1), &request(1)).await;
    assert_eq!(replay.status(), StatusCode::CREATED);
    assert_eq!(header(&replay, "idempotent-replayed"), "true");
    assert_eq!(header(&replay, "location"), location);

    let read = status(&app, 1).await;
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(read.json::<RequestState>().await.unwrap(), state);

    let wrong = app
        .client
        .get(app.url(&location))
        .bearer_auth(secret(2))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
    let none = app.get(&location).await;
    assert_eq!(none.status(), StatusCode::NOT_FOUND);

    app.signed_in_as(FRONT_DESK, Role::FrontDesk).await;
    let listed = inbox(&app, "").await;
    assert_eq!(listed.items.len(), 1);
    assert_eq!(listed.new_count, 1);
    assert_eq!(listed.items[0].reason, "General check-up");
}

#[tokio::test]
async fn a_resend_after_the_key_expired_returns_the_stored_request_not_a_second_one() {
    let app = spawn().await;
    assert_eq!(
        send(&app, &uuid(1), &request(1)).await.status(),
        StatusCode::CREATED
    );
    // Far past the key's retention; the widget asked the patient and sends again.
    app.state.options().clock.advance(DAY * 40);
    haven_server::idempotency::purge_expired(
        app.state.pool(),
        app.state.options().idempotency_ttl,
        app.state.now_ms(),
    )
    .await
    .unwrap();
    let again = send(&app, &uuid(1), &request(1)).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(
        again.json::<RequestState>().await.unwrap().status,
        RequestStatus::New
    );
    // Another key, same id: still the one request.
    let other_key = send(&app, "another-key-1234", &request(1)).await;
    assert_eq!(other_key.status(), StatusCode::OK);

    app.signed_in_as(FRONT_DESK, Role::FrontDesk).await;
    assert_eq!(inbox(&app, "").await.items.len(), 1);
}

#[tokio::test]
async fn the_same_id_or_key_with_a_changed_body_is_refused() {
    let app = spawn().await;
    send(&app, &uuid(1), &request(1)).await;
    let mut changed = request(1);
    changed["notes"] = json!("one more thing");
    let (status, error) = api_error(send(&app, &uuid(1), &changed).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error.code, ErrorCode::IdempotencyMismatch);
    let (status, error) = api_error(send(&app, "fresh-key-5678", &changed).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error.code, ErrorCode::IdempotencyMismatch);
    assert!(error.message.contains("yêu cầu"), "{}", error.message);
}

#[tokio::test]
async fn a_request_without_an_idempotency_key_is_refused() {
    let app = spawn().await;
    let response = app
        .post_json("/api/appointment-requests", &request(1))
        .await;
    let (status, error) = api_error(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        error.message.contains("Idempotency-Key"),
        "{}",
        error.message
    );
}

/// Sends `request(n)` changed by `change`, expecting a 422 whose field `field` has a message
/// containing `words`.
async fn refused(app: &TestApp, n: u32, change: impl FnOnce(&mut Value), field: &str, words: &str) {
    let mut body = request(n);
    change(&mut body);
    let (status, error) = api_error(send(app, &uuid(n), &body).await).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{field}: {error:?}"
    );
    assert_eq!(error.code, ErrorCode::Validation);
    let message = error
        .fields
        .get(field)
        .unwrap_or_else(|| panic!("no message for {field}: {error:?}"));
    assert!(message.contains(words), "{field}: {message}");
}

#[tokio::test]
async fn bad_input_gets_a_specific_message_per_field_in_the_patients_language() {
    let app = spawn().await;
    refused(
        &app,
        1,
        |b| b["windows"][0]["date"] = json!("2026-11-30"),
        "windows.0.date",
        "đã qua",
    )
    .await;
    refused(
        &app,
        2,
        |b| b["windows"][0]["from"] = json!("06:00"),
        "windows.0.from",
        "07:30",
    )
    .await;
    refused(
        &app,
        3,
        |b| b["windows"][0]["date"] = json!("2026-12-06"),
        "windows.0.date",
        "đóng cửa",
    )
    .await;
    refused(
        &app,
        4,
        |b| b["birth_date"] = json!("2027-01-01"),
        "birth_date",
        "tương lai",
    )
    .await;
    refused(
        &app,
        5,
        |b| b["phone"] = json!("12345"),
        "phone",
        "không gọi được",
    )
    .await;
    refused(
        &app,
        6,
        |b| b["reason_id"] = json!("astrology"),
        "reason_id",
        "không có lý do",
    )
    .await;
    refused(&app, 7, |b| b["notes"] = json!("a\u{0}b"), "notes", "ký tự").await;
    refused(
        &app,
        8,
        |b| b["consent"] = json!(false),
        "consent",
        "đồng ý",
    )
    .await;
    refused(
        &app,
        9,
        |b| b["website"] = json!("https://spam.example"),
        "website",
        "để trống",
    )
    .await;
    refused(
        &app,
        10,
        |b| {
            b["reason_id"] = Value::Null;
            b["reason_text"] = json!("x".repeat(100_000));
        },
        "reason_text",
        "2000",
    )
    .await;
    refused(
        &app,
        11,
        |b| {
            b["language"] = json!("en");
            b["phone"] = json!("not a number");
        },
        "phone",
        "cannot be dialled",
    )
    .await;

    // Nothing was stored, so the patient may fix and resend with the same id and a new key.
    let fixed = send(&app, "fixed-and-resent-5", &request(5)).await;
    assert_eq!(fixed.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn the_front_desk_confirms_and_the_patient_sees_the_time() {
    let app = spawn().await;
    send(&app, &uuid(1), &request(1)).await;
    let session = app.signed_in_as(FRONT_DESK, Role::FrontDesk).await;
    let confirm = json!({
        "action": "confirm",
        "slot": { "date": "2026-12-08", "time": "14:30" },
        "message": "Please bring your insurance card."
    });
    let response = act(&app, &session.csrf_token, 1, confirm).await;
    assert_eq!(response.status(), StatusCode::OK);
    let detail: RequestDetail = response.json().await.unwrap();
    assert_eq!(detail.state.status, RequestStatus::Confirmed);
    let actions: Vec<_> = detail.events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["received", "confirmed"]);
    assert_eq!(detail.events[1].actor, FRONT_DESK);

    let seen: RequestState = status(&app, 1).await.json().await.unwrap();
    assert_eq!(seen.status, RequestStatus::Confirmed);
    let slot = seen.confirmed.expect("a time");
    assert_eq!(
        (slot.date.as_str(), slot.time.as_str()),
        ("2026-12-08", "14:30")
    );
    assert_eq!(
        seen.message.as_deref(),
        Some("Please bring your insurance card.")
    );

    // A confirmed request can no longer be withdrawn by the patient.
    let (code, error) = api_error(answer(&app, 1, "withdraw").await).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error.fields["status"], "confirmed");

    let audit: Value = app
        .get("/api/staff/audit")
        .await
        .json()
        .await
        .unwrap_or(Value::Null);
    // Front desk cannot read the audit log; an admin can, and finds the confirmation.
    assert!(audit.get("code").is_some());
    let admin = TestApp::new_client();
    app.add_staff("boss@clinic.example", Role::Admin).await;
    assert_eq!(
        app.sign_in_with(&admin, "boss@clinic.example").await,
        StatusCode::OK
    );
    let entries: Value = admin
        .get(app.url("/api/staff/audit"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let text = entries.to_string();
    assert!(
        text.contains("request_confirmed") && text.contains(&uuid(1)),
        "{text}"
    );
}

#[tokio::test]
async fn the_patient_accepts_a_proposed_time_or_declines_it() {
    let app = spawn().await;
    send(&app, &uuid(1), &request(1)).await;
    send(&app, &uuid(2), &request(2)).await;
    let session = app.signed_in_as(FRONT_DESK, Role::FrontDesk).await;
    let propose = |date: &str| json!({ "action": "propose", "slot": { "date": date, "time": "10:00" }, "message": "" });
    assert_eq!(
        act(&app, &session.csrf_token, 1, propose("2026-12-04"))
            .await
            .status(),
        StatusCode::OK
    );
    let accepted: RequestState = answer(&app, 1, "accept_proposal")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(accepted.status, RequestStatus::Confirmed);
    assert_eq!(accepted.confirmed.unwrap().date, "2026-12-04");
    assert!(accepted.proposed.is_none());

    act(&app, &session.csrf_token, 2, propose("2026-12-05")).await;
    let declined: RequestState = answer(&app, 2, "decline_proposal")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(declined.status, RequestStatus::New);
    let listed = inbox(&app, "?status=new").await;
    assert_eq!(listed.items.len(), 1);
    assert_eq!(listed.items[0].id, uuid(2));
}

#[tokio::test]
async fn a_withdrawal_that_arrives_first_keeps_the_request_withdrawn() {
    let app = spawn().await;
    let withdrawn: RequestState = answer(&app, 1, "withdraw").await.json().await.unwrap();
    assert_eq!(withdrawn.status, RequestStatus::Withdrawn);
    let late = send(&app, &uuid(1), &request(1)).await;
    assert_eq!(late.status(), StatusCode::CREATED);
    let state: RequestState = late.json().await.unwrap();
    assert_eq!(state.status, RequestStatus::Withdrawn);

    let session = app.signed_in_as(FRONT_DESK, Role::FrontDesk).await;
    let confirm = json!({ "action": "confirm", "slot": { "date": "2026-12-08", "time": "14:30" } });
    let (code, error) = api_error(act(&app, &session.csrf_token, 1, confirm).await).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error.fields["status"], "withdrawn");
    let listed = inbox(&app, "?status=withdrawn").await;
    assert_eq!(listed.items.len(), 1);
    assert_eq!(listed.items[0].name, "Nguyễn Thị Lan");
}

#[tokio::test]
async fn staff_actions_check_their_input_and_roles() {
    let app = spawn().await;
    send(&app, &uuid(1), &request(1)).await;
    let session = app
        .signed_in_as("mod@clinic.example", Role::Moderator)
        .await;
    let (code, _) = api_error(app.get("/api/staff/appointment-requests").await).await;
    assert_eq!(code, StatusCode::FORBIDDEN);

    let desk = TestApp::new_client();
    app.add_staff(FRONT_DESK, Role::FrontDesk).await;
    app.sign_in_with(&desk, FRONT_DESK).await;
    let csrf: Value = desk
        .get(app.url("/api/staff/session"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let csrf = csrf["csrf_token"].as_str().unwrap().to_owned();
    let post = |body: Value| {
        desk.post(app.url(&format!(
            "/api/staff/appointment-requests/{}/actions",
            uuid(1)
        )))
        .header("X-CSRF-Token", &csrf)
        .json(&body)
        .send()
    };
    let past =
        post(json!({ "action": "confirm", "slot": { "date": "2026-11-01", "time": "10:00" } }))
            .await
            .unwrap();
    let (code, error) = api_error(past).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error.fields.contains_key("slot.date"), "{error:?}");
    let empty = post(json!({ "action": "decline", "message": "  " }))
        .await
        .unwrap();
    let (code, error) = api_error(empty).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error.fields.contains_key("message"));
    // A console in Vietnamese asks for its messages in Vietnamese.
    let in_vietnamese = desk
        .post(app.url(&format!(
            "/api/staff/appointment-requests/{}/actions",
            uuid(1)
        )))
        .header("X-CSRF-Token", &csrf)
        .header("Accept-Language", "vi")
        .json(&json!({ "action": "decline", "message": "" }))
        .send()
        .await
        .unwrap();
    let (code, error) = api_error(in_vietnamese).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error.fields["message"],
        "hãy viết tin nhắn cho bệnh nhân (tối đa 2.000 ký tự)"
    );
    let contacted = post(json!({ "action": "mark_contacted" })).await.unwrap();
    assert_eq!(contacted.status(), StatusCode::OK);
    let detail: RequestDetail = contacted.json().await.unwrap();
    assert_eq!(detail.state.status, RequestStatus::Contacted);
    drop(session);
}

#[tokio::test]
async fn the_inbox_lists_new_requests_first_and_filters() {
    let app = spawn().await;
    send(&app, &uuid(1), &request(1)).await;
    app.state.options().clock.advance(Duration::from_secs(60));
    let mut dental = request(2);
    dental["reason_id"] = json!("dental");
    send(&app, &uuid(2), &dental).await;
    app.state.options().clock.advance(DAY);
    send(&app, &uuid(3), &request(3)).await;
    let session = app.signed_in_as(FRONT_DESK, Role::FrontDesk).await;
    act(
        &app,
        &session.csrf_token,
        3,
        json!({ "action": "mark_contacted" }),
    )
    .await;

    let all = inbox(&app, "").await;
    let ids: Vec<_> = all.items.iter().map(|i| i.id.clone()).collect();
    assert_eq!(ids, [uuid(2), uuid(1), uuid(3)]);
    assert_eq!(all.new_count, 2);
    assert_eq!(all.response_target_hours, 24);
    assert_eq!(inbox(&app, "?reason=dental").await.items.len(), 1);
    assert_eq!(inbox(&app, "?from=2026-12-02").await.items.len(), 1);
    assert_eq!(inbox(&app, "?to=2026-12-01").await.items.len(), 2);
    let (code, error) =
        api_error(app.get("/api/staff/appointment-requests?status=lost").await).await;
    assert_eq!(code, StatusCode::BAD_REQUEST);
    assert!(error.fields.contains_key("status"));
}

#[tokio::test]
async fn settled_requests_lose_their_personal_data_after_the_retention_period_but_keep_their_id() {
    let app = spawn().await;
    send(&app, &uuid(1), &request(1)).await;
    let withdrawn = answer(&app, 1, "withdraw").await;
    assert_eq!(
        withdrawn.status(),
        StatusCode::OK,
        "{:?}",
        withdrawn.text().await
    );
    let clock = &app.state.options().clock;
    let days = app.state.config().appointments.retention_days;
    let purge = || store::purge_settled(app.state.pool(), days, clock.now_ms());
    assert_eq!(purge().await.unwrap(), 0);
    clock.advance(DAY * days);
    assert_eq!(purge().await.unwrap(), 1);
    app.signed_in_as(FRONT_DESK, Role::FrontDesk).await;
    assert!(inbox(&app, "").await.items.is_empty());
    // The id is still taken: a very late copy is never stored again.
    let late = send(&app, "late-copy-of-one", &request(1)).await;
    assert_eq!(late.status(), StatusCode::OK);
    let state: RequestState = late.json().await.unwrap();
    assert_eq!(state.status, RequestStatus::Withdrawn);
}

async fn spawn_limited(trusted: &[&str]) -> TestApp {
    let trusted: Vec<String> = trusted.iter().map(|s| (*s).to_owned()).collect();
    TestApp::spawn_with(
        move |options| {
            options.clock = Clock::manual(START);
            options.config.appointments.burst = 2;
            options.config.appointments.per_minute = 1;
            options.config.server.trusted_proxies = trusted;
        },
        |_| axum::Router::new(),
    )
    .await
}

#[tokio::test]
async fn a_client_over_its_rate_gets_429_with_retry_after_and_its_key_stays_unused() {
    let app = spawn_limited(&[]).await;
    for n in 1..=2 {
        assert_eq!(
            send(&app, &uuid(n), &request(n)).await.status(),
            StatusCode::CREATED
        );
    }
    let limited = send(&app, &uuid(3), &request(3)).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = header(&limited, "retry-after").parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let (_, error) = api_error(limited).await;
    assert_eq!(error.code, ErrorCode::RateLimited);
    // Forwarding headers from an untrusted peer do not buy a new allowance.
    let forged = app
        .client
        .post(app.url("/api/appointment-requests"))
        .header("Idempotency-Key", uuid(4))
        .header("X-Forwarded-For", "198.51.100.4")
        .json(&request(4))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::TOO_MANY_REQUESTS);
    let keys = sqlx::query("SELECT key FROM idempotency_keys")
        .fetch_all(app.state.pool())
        .await
        .unwrap();
    assert_eq!(keys.len(), 2, "the limited requests left no key behind");
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_allowance() {
    let app = spawn_limited(&["127.0.0.1"]).await;
    for n in 1..=6 {
        let response = app
            .client
            .post(app.url("/api/appointment-requests"))
            .header("Idempotency-Key", uuid(n))
            .header("X-Forwarded-For", format!("198.51.100.{n}"))
            .json(&request(n))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED, "client {n}");
    }
}

/// A blood-pressure reading from the patient's record, as the widget attaches it.
fn blood_pressure() -> Value {
    json!({
        "id": "5d0c1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f",
        "kind": "blood_pressure",
        "date": "2026-11-28",
        "created_at": 1_796_000_000_000_i64,
        "updated_at": 1_796_000_000_000_i64,
        "blood_pressure": { "systolic": 128, "diastolic": 82 }
    })
}

#[tokio::test]
async fn a_request_exports_as_a_fhir_appointment_and_as_csv() {
    let app = spawn().await;
    let mut body = request(1);
    body["attachments"] = json!([blood_pressure()]);
    body["email"] = json!("lan@example.com");
    body["notes"] = json!("=cmd|' /C calc'!A0");
    let sent = send(&app, &uuid(1), &body).await;
    assert_eq!(
        sent.status(),
        StatusCode::CREATED,
        "{:?}",
        sent.text().await
    );
    let session = app.signed_in_as(FRONT_DESK, Role::FrontDesk).await;
    let confirm = json!({ "action": "confirm", "slot": { "date": "2026-12-08", "time": "14:30" } });
    act(&app, &session.csrf_token, 1, confirm).await;

    let response = app
        .get(&format!("/api/staff/appointment-requests/{}/fhir", uuid(1)))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), "application/fhir+json");
    let bundle: Value = response.json().await.unwrap();
    let appointment = &bundle["entry"][0]["resource"];
    assert_eq!(appointment["status"], "booked");
    assert_eq!(appointment["start"], "2026-12-08T14:30:00+07:00");
    assert_eq!(appointment["end"], "2026-12-08T15:00:00+07:00");
    assert_eq!(bundle["entry"][1]["resource"]["birthDate"], "1985-04-12");
    if let Ok(path) = std::env::var("HAVEN_FHIR_APPOINTMENT_SAMPLE") {
        std::fs::write(path, bundle.to_string()).unwrap();
    }

    let csv = app.get("/api/staff/appointment-requests.csv").await;
    assert_eq!(csv.status(), StatusCode::OK);
    let text = csv.text().await.unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert!(text.contains("Nguyễn Thị Lan"), "{text}");
    assert!(text.contains("'=cmd"), "formulas are neutralised: {text}");
    assert!(text.contains("2026-12-08 14:30"));

    let detail: RequestDetail = app
        .get(&format!("/api/staff/appointment-requests/{}", uuid(1)))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail.request.attachments.len(), 1);
    assert!(
        detail.request.secret.is_empty(),
        "the secret never leaves the server"
    );
}

#[tokio::test]
async fn a_new_request_is_announced_by_a_signed_webhook_retried_until_received() {
    use std::sync::{Arc, Mutex};

    use haven_server::appointments::webhook;

    type Seen = Arc<Mutex<Vec<(axum::http::HeaderMap, String)>>>;
    let seen: Seen = Arc::default();
    let receiver = {
        let seen = seen.clone();
        axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
                let seen = seen.clone();
                async move {
                    let mut seen = seen.lock().unwrap();
                    seen.push((headers, body));
                    // The receiver is down the first time.
                    if seen.len() == 1 {
                        axum::http::StatusCode::SERVICE_UNAVAILABLE
                    } else {
                        axum::http::StatusCode::NO_CONTENT
                    }
                }
            }),
        )
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, receiver).await });
    const SECRET: &str = "a-long-webhook-secret";
    let app = TestApp::spawn_with(
        |options| {
            options.clock = Clock::manual(START);
            options.config.appointments.webhook_url = Some(hook);
            options.config.appointments.webhook_secret = Some(SECRET.into());
            // This test sends them itself.
            options.webhook_every = None;
        },
        |_| axum::Router::new(),
    )
    .await;
    assert_eq!(
        send(&app, &uuid(1), &request(1)).await.status(),
        StatusCode::CREATED
    );
    let client = reqwest::Client::new();
    assert_eq!(webhook::deliver_due(&app.state, &client).await.unwrap(), 0);
    assert_eq!(seen.lock().unwrap().len(), 1);
    // Not due again until the wait has passed.
    assert_eq!(webhook::deliver_due(&app.state, &client).await.unwrap(), 0);
    assert_eq!(seen.lock().unwrap().len(), 1);
    app.state.options().clock.advance(Duration::from_secs(30));
    assert_eq!(webhook::deliver_due(&app.state, &client).await.unwrap(), 1);
    assert_eq!(webhook::deliver_due(&app.state, &client).await.unwrap(), 0);

    let seen = seen.lock().unwrap();
    let (headers, body) = &seen[1];
    let text = |name: &str| headers[name].to_str().unwrap().to_owned();
    let timestamp: i64 = text("haven-webhook-timestamp").parse().unwrap();
    assert_eq!(timestamp, (START + 30_000) / 1000);
    assert_eq!(
        text("haven-webhook-signature"),
        webhook::signature(SECRET, &text("haven-webhook-id"), timestamp, body)
    );
    let event: Value = serde_json::from_str(body).unwrap();
    assert_eq!(event["type"], "appointment_request.received");
    assert_eq!(event["id"], uuid(1));
    assert!(
        !body.contains("Lan"),
        "no personal data in the webhook: {body}"
    );
}
