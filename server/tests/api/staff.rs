//! Staff sign-in, sessions, CSRF, throttling, account administration and the audit log.

use std::time::Duration;

use haven_api::ErrorCode;
use haven_api::staff::{AuditEntry, Role, SessionInfo, StaffAccount};
use haven_server::staff::accounts;
use haven_server::staff::throttle::SignInPolicy;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{ADMIN, PASSWORD, TestApp, api_error, header};

const WRONG: &str = "email or password is not right";

async fn audit(app: &TestApp, csrf_session: &SessionInfo) -> Vec<AuditEntry> {
    let response = app
        .staff(
            Method::GET,
            "/api/staff/audit?limit=200",
            &csrf_session.csrf_token,
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

fn actions(entries: &[AuditEntry]) -> Vec<(&str, Option<&str>, Option<&str>)> {
    entries
        .iter()
        .map(|e| (e.action.as_str(), e.actor.as_deref(), e.target.as_deref()))
        .collect()
}

#[tokio::test]
async fn signing_in_sets_a_strict_http_only_session_cookie() {
    let app = TestApp::spawn().await;
    app.add_staff(ADMIN, Role::Admin).await;
    let response = app.sign_in("  Admin@Clinic.Example ", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = header(&response, "set-cookie").to_owned();
    assert!(cookie.starts_with("haven_session="), "{cookie}");
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=28800"] {
        assert!(
            cookie.split("; ").any(|part| part == flag),
            "{flag} in {cookie}"
        );
    }
    assert!(
        !cookie.contains("Secure"),
        "plain http on 127.0.0.1: {cookie}"
    );
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("haven_session=");
    assert_eq!(token.len(), 43);
    let info: SessionInfo = response.json().await.unwrap();
    assert_eq!((info.email.as_str(), info.role), (ADMIN, Role::Admin));
    assert!(!info.csrf_token.is_empty());

    let session = app.get("/api/staff/session").await;
    assert_eq!(session.status(), StatusCode::OK);
    assert_eq!(session.json::<SessionInfo>().await.unwrap(), info);
}

#[tokio::test]
async fn the_cookie_is_secure_when_the_server_says_so() {
    let app = TestApp::spawn_with(
        |options| options.cookie_secure = true,
        |_| Default::default(),
    )
    .await;
    app.add_staff(ADMIN, Role::Admin).await;
    let response = app.sign_in(ADMIN, PASSWORD).await;
    assert!(header(&response, "set-cookie").ends_with("; Secure"));
}

#[tokio::test]
async fn without_a_session_the_session_endpoint_answers_401() {
    let app = TestApp::spawn().await;
    let (status, error) = api_error(app.get("/api/staff/session").await).await;
    assert_eq!(
        (status, error.code),
        (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized)
    );
    let forged = app
        .client
        .get(app.url("/api/staff/session"))
        .header("cookie", "haven_session=forged")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_unknown_email_and_a_wrong_password_get_the_same_answer() {
    let app = TestApp::spawn().await;
    app.add_staff(ADMIN, Role::Admin).await;
    let (unknown_status, unknown) =
        api_error(app.sign_in("nobody@clinic.example", PASSWORD).await).await;
    let (wrong_status, wrong) =
        api_error(app.sign_in(ADMIN, "not the password at all").await).await;
    let (bad_status, bad) = api_error(app.sign_in("not an email", PASSWORD).await).await;
    for (status, error) in [
        (unknown_status, unknown),
        (wrong_status, wrong),
        (bad_status, bad),
    ] {
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(error.code, ErrorCode::Unauthorized);
        assert_eq!(error.message, WRONG);
        assert!(error.fields.is_empty());
    }
}

#[tokio::test]
async fn a_disabled_account_cannot_sign_in_even_with_the_right_password() {
    let app = TestApp::spawn().await;
    let account = app.add_staff("lan@clinic.example", Role::Moderator).await;
    let change = haven_api::staff::UpdateStaffRequest {
        disabled: Some(true),
        ..Default::default()
    };
    accounts::update(app.state.pool(), &account.id, &change, &Default::default())
        .await
        .unwrap();
    let (status, error) = api_error(app.sign_in("lan@clinic.example", PASSWORD).await).await;
    assert_eq!(
        (status, error.message.as_str()),
        (StatusCode::UNAUTHORIZED, WRONG)
    );
}

#[tokio::test]
async fn repeated_failures_are_slowed_down_with_retry_after() {
    let policy = SignInPolicy {
        first_delay: Duration::from_secs(2),
        ..SignInPolicy::default()
    };
    let app = TestApp::spawn_with(|options| options.sign_in = policy, |_| Default::default()).await;
    app.add_staff(ADMIN, Role::Admin).await;
    for _ in 0..5 {
        assert_eq!(
            app.sign_in(ADMIN, "wrong password here").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    // Even the right password waits out the delay.
    let response = app.sign_in(ADMIN, PASSWORD).await;
    assert_eq!(header(&response, "retry-after"), "2");
    let (status, error) = api_error(response).await;
    assert_eq!(
        (status, error.code),
        (StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited)
    );
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(app.sign_in(ADMIN, PASSWORD).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn unknown_emails_are_slowed_down_exactly_like_real_accounts() {
    let app = TestApp::spawn().await;
    app.add_staff(ADMIN, Role::Admin).await;
    let mut answers = Vec::new();
    for email in [ADMIN, "ghost@clinic.example"] {
        for _ in 0..5 {
            app.sign_in(email, "wrong password here").await;
        }
        let response = app.sign_in(email, "wrong password here").await;
        let retry_after = header(&response, "retry-after").to_owned();
        let (status, error) = api_error(response).await;
        answers.push((status, error.message, retry_after));
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0].0, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn ten_failures_lock_the_account_and_the_audit_log_says_so() {
    let policy = SignInPolicy {
        first_delay: Duration::from_millis(1),
        ..SignInPolicy::default()
    };
    let app = TestApp::spawn_with(|options| options.sign_in = policy, |_| Default::default()).await;
    app.add_staff("lan@clinic.example", Role::Moderator).await;
    for _ in 0..10 {
        // Outwait the (1 ms, doubling) delays; the lock comes with the tenth failure.
        tokio::time::sleep(Duration::from_millis(20)).await;
        let (status, error) = api_error(
            app.sign_in("lan@clinic.example", "wrong password here")
                .await,
        )
        .await;
        assert_eq!(
            (status, error.message.as_str()),
            (StatusCode::UNAUTHORIZED, WRONG)
        );
    }
    let response = app.sign_in("lan@clinic.example", PASSWORD).await;
    assert_eq!(header(&response, "retry-after"), "900");
    let (status, error) = api_error(response).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        error.message,
        "too many sign-in attempts; try again in 15 minutes"
    );

    let admin = app.signed_in_admin().await;
    let entries = audit(&app, &admin).await;
    let locked: Vec<_> = entries
        .iter()
        .filter(|e| e.action == "account_locked")
        .collect();
    assert_eq!(locked.len(), 1);
    assert_eq!(locked[0].target.as_deref(), Some("lan@clinic.example"));
    assert_eq!(
        entries
            .iter()
            .filter(|e| e.action == "sign_in_failed")
            .count(),
        10
    );

    // An admin lifts the lock by enabling the account.
    let id = app.account_id("lan@clinic.example").await;
    let enabled = app
        .staff(
            Method::PATCH,
            &format!("/api/staff/accounts/{id}"),
            &admin.csrf_token,
            Some(json!({ "disabled": false })),
        )
        .await;
    assert_eq!(enabled.status(), StatusCode::OK);
    assert_eq!(
        app.sign_in_with(&TestApp::new_client(), "lan@clinic.example")
            .await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn too_many_attempts_from_one_address_are_refused() {
    let policy = SignInPolicy {
        attempts_per_ip_per_minute: 3,
        ..SignInPolicy::default()
    };
    let app = TestApp::spawn_with(|options| options.sign_in = policy, |_| Default::default()).await;
    for i in 0..3 {
        app.sign_in(&format!("person{i}@clinic.example"), "wrong password here")
            .await;
    }
    let (status, error) = api_error(
        app.sign_in("other@clinic.example", "wrong password here")
            .await,
    )
    .await;
    assert_eq!(
        (status, error.code),
        (StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited)
    );
}

#[tokio::test]
async fn a_state_change_without_the_csrf_token_is_forbidden() {
    let app = TestApp::spawn().await;
    app.signed_in_admin().await;
    let missing = app
        .client
        .post(app.url("/api/staff/sign-out"))
        .send()
        .await
        .unwrap();
    let (status, error) = api_error(missing).await;
    assert_eq!(
        (status, error.code),
        (StatusCode::FORBIDDEN, ErrorCode::Forbidden)
    );
    assert!(error.message.contains("X-CSRF-Token"), "{error:?}");
    let wrong = app
        .staff(Method::POST, "/api/staff/sign-out", "not-the-token", None)
        .await;
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    let create = app
        .client
        .post(app.url("/api/staff/accounts"))
        .json(&json!({ "email": "x@clinic.example", "role": "educator", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(create.status(), StatusCode::FORBIDDEN);
    // Still signed in.
    assert_eq!(app.get("/api/staff/session").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_state_change_from_another_origin_is_forbidden() {
    let app = TestApp::spawn().await;
    let session = app.signed_in_admin().await;
    let response = app
        .client
        .post(app.url("/api/staff/sign-out"))
        .header("X-CSRF-Token", &session.csrf_token)
        .header("Origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    let (status, error) = api_error(response).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(error.message.contains("another site"), "{error:?}");
    let own_origin = app
        .client
        .post(app.url("/api/staff/sign-out"))
        .header("X-CSRF-Token", &session.csrf_token)
        .header("Origin", &app.address)
        .send()
        .await
        .unwrap();
    assert_eq!(own_origin.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let app = TestApp::spawn().await;
    let session = app.signed_in_admin().await;
    let response = app
        .staff(
            Method::POST,
            "/api/staff/sign-out",
            &session.csrf_token,
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(header(&response, "set-cookie").contains("Max-Age=0"));
    assert_eq!(
        app.get("/api/staff/session").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn an_idle_session_ends() {
    let app = TestApp::spawn_with(
        |options| options.sessions.idle_timeout = Duration::from_millis(1000),
        |_| Default::default(),
    )
    .await;
    app.signed_in_admin().await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    // Activity keeps it alive…
    assert_eq!(app.get("/api/staff/session").await.status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(app.get("/api/staff/session").await.status(), StatusCode::OK);
    // …and idleness ends it.
    tokio::time::sleep(Duration::from_millis(1300)).await;
    assert_eq!(
        app.get("/api/staff/session").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn admins_create_list_update_and_delete_accounts() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in_admin().await;
    let csrf = &admin.csrf_token;
    let created = app
        .staff(
            Method::POST,
            "/api/staff/accounts",
            csrf,
            Some(
                json!({ "email": "Mai@Clinic.Example", "role": "educator", "password": PASSWORD }),
            ),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let mai: StaffAccount = created.json().await.unwrap();
    assert_eq!(
        (mai.email.as_str(), mai.role, mai.disabled),
        ("mai@clinic.example", Role::Educator, false)
    );

    let list: Vec<StaffAccount> = app
        .staff(Method::GET, "/api/staff/accounts", csrf, None)
        .await
        .json()
        .await
        .unwrap();
    let emails: Vec<&str> = list.iter().map(|a| a.email.as_str()).collect();
    assert_eq!(emails, [ADMIN, "mai@clinic.example"]);
    assert!(list[0].last_sign_in_at.is_some());

    let path = format!("/api/staff/accounts/{}", mai.id);
    let updated: StaffAccount = app
        .staff(
            Method::PATCH,
            &path,
            csrf,
            Some(json!({ "role": "moderator", "disabled": true })),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((updated.role, updated.disabled), (Role::Moderator, true));

    assert_eq!(
        app.staff(Method::DELETE, &path, csrf, None).await.status(),
        StatusCode::NO_CONTENT
    );
    let (status, error) = api_error(app.staff(Method::DELETE, &path, csrf, None).await).await;
    assert_eq!(
        (status, error.code),
        (StatusCode::NOT_FOUND, ErrorCode::NotFound)
    );
    let (status, _) = api_error(
        app.staff(
            Method::PATCH,
            &path,
            csrf,
            Some(json!({ "disabled": false })),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let entries = audit(&app, &admin).await;
    let mine: Vec<_> = actions(&entries)
        .into_iter()
        .filter(|(_, _, target)| *target == Some("mai@clinic.example"))
        .collect();
    assert_eq!(
        mine,
        [
            ("staff_deleted", Some(ADMIN), Some("mai@clinic.example")),
            ("staff_disabled", Some(ADMIN), Some("mai@clinic.example")),
            (
                "staff_role_changed",
                Some(ADMIN),
                Some("mai@clinic.example")
            ),
            ("staff_created", Some(ADMIN), Some("mai@clinic.example")),
        ]
    );
}

#[tokio::test]
async fn creating_an_account_names_every_broken_rule() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in_admin().await;
    let response = app
        .staff(
            Method::POST,
            "/api/staff/accounts",
            &admin.csrf_token,
            Some(json!({ "email": "mai@", "role": "educator", "password": "aaaa" })),
        )
        .await;
    let (status, error) = api_error(response).await;
    assert_eq!(
        (status, error.code),
        (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Validation)
    );
    assert_eq!(
        error.fields["email"],
        "enter an email address like name@clinic.example"
    );
    assert_eq!(
        error.fields["password"],
        "the password must be at least 12 characters long (it has 4); the password must not repeat one character"
    );
    let (status, error) = api_error(
        app.staff(
            Method::POST,
            "/api/staff/accounts",
            &admin.csrf_token,
            Some(json!({ "email": "x@clinic.example", "role": "owner", "password": PASSWORD })),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        error.fields["role"].starts_with("unknown variant `owner`"),
        "{error:?}"
    );
}

#[tokio::test]
async fn creating_a_second_account_with_the_same_email_is_refused_on_the_email_field() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in_admin().await;
    let body = json!({ "email": "ADMIN@clinic.example", "role": "educator", "password": PASSWORD });
    let (status, error) = api_error(
        app.staff(
            Method::POST,
            "/api/staff/accounts",
            &admin.csrf_token,
            Some(body),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error.fields["email"],
        "there is already an account with this email address"
    );
}

#[tokio::test]
async fn an_admin_cannot_disable_demote_or_delete_themselves() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in_admin().await;
    let id = app.account_id(ADMIN).await;
    let path = format!("/api/staff/accounts/{id}");
    for (body, message) in [
        (
            json!({ "disabled": true }),
            "you cannot disable your own account",
        ),
        (
            json!({ "role": "moderator" }),
            "you cannot change your own role",
        ),
    ] {
        let (status, error) = api_error(
            app.staff(Method::PATCH, &path, &admin.csrf_token, Some(body))
                .await,
        )
        .await;
        assert_eq!(
            (status, error.message.as_str()),
            (StatusCode::FORBIDDEN, message)
        );
    }
    let (status, error) = api_error(
        app.staff(Method::DELETE, &path, &admin.csrf_token, None)
            .await,
    )
    .await;
    assert_eq!(
        (status, error.message.as_str()),
        (StatusCode::FORBIDDEN, "you cannot delete your own account")
    );
    // Changing nothing about oneself is fine.
    assert_eq!(
        app.staff(
            Method::PATCH,
            &path,
            &admin.csrf_token,
            Some(json!({ "role": "admin" }))
        )
        .await
        .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_non_admin_is_forbidden_from_administration() {
    let app = TestApp::spawn().await;
    let moderator = app
        .signed_in_as("mod@clinic.example", Role::Moderator)
        .await;
    let csrf = &moderator.csrf_token;
    let other = app.add_staff("lan@clinic.example", Role::Educator).await;
    let requests = [
        (Method::GET, "/api/staff/accounts".to_owned(), None),
        (Method::GET, "/api/staff/audit".to_owned(), None),
        (
            Method::POST,
            "/api/staff/accounts".to_owned(),
            Some(json!({ "email": "x@clinic.example", "role": "admin", "password": PASSWORD })),
        ),
        (
            Method::PATCH,
            format!("/api/staff/accounts/{}", other.id),
            Some(json!({ "role": "admin" })),
        ),
        (
            Method::DELETE,
            format!("/api/staff/accounts/{}", other.id),
            None,
        ),
    ];
    for (method, path, body) in requests {
        let (status, error) = api_error(app.staff(method.clone(), &path, csrf, body).await).await;
        assert_eq!(
            (status, error.code),
            (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            "{method} {path}"
        );
        assert_eq!(
            error.message,
            "your role (moderator) does not give access to this part of the console"
        );
    }
}

#[tokio::test]
async fn disabling_or_deleting_an_account_ends_its_sessions() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in_admin().await;
    for (change, method) in [
        (Some(json!({ "disabled": true })), Method::PATCH),
        (None, Method::DELETE),
    ] {
        let email = format!("lan-{method}@clinic.example").to_lowercase();
        let account = app.add_staff(&email, Role::FrontDesk).await;
        let browser = TestApp::new_client();
        assert_eq!(app.sign_in_with(&browser, &email).await, StatusCode::OK);
        let path = format!("/api/staff/accounts/{}", account.id);
        let done = app.staff(method, &path, &admin.csrf_token, change).await;
        assert!(done.status().is_success());
        let session = browser
            .get(app.url("/api/staff/session"))
            .send()
            .await
            .unwrap();
        assert_eq!(session.status(), StatusCode::UNAUTHORIZED, "{email}");
    }
}

#[tokio::test]
async fn the_audit_log_records_sign_ins_and_failures_newest_first_in_pages() {
    let app = TestApp::spawn().await;
    app.add_staff(ADMIN, Role::Admin).await;
    app.sign_in("ghost@clinic.example", PASSWORD).await;
    app.sign_in(ADMIN, "wrong password here").await;
    let admin = app.sign_in_as(ADMIN).await;
    let entries = audit(&app, &admin).await;
    assert_eq!(
        actions(&entries),
        [
            ("sign_in", Some(ADMIN), Some(ADMIN)),
            ("sign_in_failed", None, Some(ADMIN)),
            ("sign_in_failed", None, Some("ghost@clinic.example")),
            ("staff_created", None, Some(ADMIN)),
        ]
    );
    assert!(entries.windows(2).all(|pair| pair[0].at >= pair[1].at));

    let page = |query: String| {
        let app = &app;
        let csrf = admin.csrf_token.clone();
        async move {
            let response = app
                .staff(
                    Method::GET,
                    &format!("/api/staff/audit?{query}"),
                    &csrf,
                    None,
                )
                .await;
            response.json::<Vec<AuditEntry>>().await.unwrap()
        }
    };
    let first = page("limit=2".into()).await;
    assert_eq!(first.len(), 2);
    let rest = page(format!("limit=50&before={}", first[1].at)).await;
    assert!(rest.iter().all(|entry| entry.at < first[1].at));

    for bad in [
        "limit=0",
        "limit=201",
        "limit=ten",
        "before=yesterday",
        "colour=red",
    ] {
        let (status, error) = api_error(
            app.staff(
                Method::GET,
                &format!("/api/staff/audit?{bad}"),
                &admin.csrf_token,
                None,
            )
            .await,
        )
        .await;
        assert_eq!(
            (status, error.code),
            (StatusCode::BAD_REQUEST, ErrorCode::BadRequest),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn sign_out_is_audited() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in_admin().await;
    app.staff(Method::POST, "/api/staff/sign-out", &admin.csrf_token, None)
        .await;
    let again = app.sign_in_as(ADMIN).await;
    let entries = audit(&app, &again).await;
    assert_eq!(actions(&entries)[1], ("sign_out", Some(ADMIN), Some(ADMIN)));
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id_with_owasp_parameters() {
    let app = TestApp::spawn_with(
        |options| {
            options.password_params = haven_server::staff::password::Passwords::owasp_params()
        },
        |_| Default::default(),
    )
    .await;
    let new = accounts::NewStaff::parse(ADMIN, Role::Admin, PASSWORD.to_owned()).unwrap();
    let passwords =
        haven_server::staff::password::Passwords::new(app.state.options().password_params.clone())
            .await
            .unwrap();
    accounts::create(app.state.pool(), &passwords, new, &Default::default())
        .await
        .unwrap();
    let email = haven_api::staff::Email::parse(ADMIN).unwrap();
    let record = accounts::find_by_email(app.state.pool(), &email)
        .await
        .unwrap()
        .unwrap();
    assert!(
        record
            .password_hash
            .starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{}",
        record.password_hash
    );
    assert!(!record.password_hash.contains(PASSWORD));
    assert_eq!(app.sign_in(ADMIN, PASSWORD).await.status(), StatusCode::OK);
}
