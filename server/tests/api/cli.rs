//! The command line's staff commands, run in-process against the test database.

use clap::Parser;
use haven_api::staff::{AuditEntry, Role};
use haven_server::cli::{Cli, execute};
use reqwest::{Method, StatusCode};

use crate::helpers::{ADMIN, TestApp};

/// Runs `haven-server <args>` against the app's database; `Err` has the message printed.
async fn cli(app: &TestApp, args: &[&str]) -> Result<(), String> {
    let url = app.state.options().database_url.clone();
    let mut argv = vec!["haven-server", "--database-url", &url];
    argv.extend_from_slice(args);
    execute(Cli::try_parse_from(argv).expect("valid arguments"))
        .await
        .map_err(|e| e.to_string())
}

#[tokio::test]
async fn command_line_staff_changes_take_effect_and_are_audited_without_an_actor() {
    let app = TestApp::spawn().await;
    app.add_staff("lan@clinic.example", Role::FrontDesk).await;
    assert_eq!(
        cli(&app, &["staff", "disable", "--email", "Lan@Clinic.Example"]).await,
        Ok(())
    );
    assert_eq!(
        app.sign_in_with(&TestApp::new_client(), "lan@clinic.example")
            .await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        cli(&app, &["staff", "enable", "--email", "lan@clinic.example"]).await,
        Ok(())
    );
    assert_eq!(
        app.sign_in_with(&TestApp::new_client(), "lan@clinic.example")
            .await,
        StatusCode::OK
    );
    assert_eq!(
        cli(&app, &["staff", "delete", "--email", "lan@clinic.example"]).await,
        Ok(())
    );
    assert_eq!(
        cli(&app, &["staff", "delete", "--email", "lan@clinic.example"]).await,
        Err("there is no staff account for lan@clinic.example".to_owned())
    );
    assert_eq!(cli(&app, &["staff", "list"]).await, Ok(()));

    let admin = app.signed_in_admin().await;
    let entries: Vec<AuditEntry> = app
        .staff(Method::GET, "/api/staff/audit", &admin.csrf_token, None)
        .await
        .json()
        .await
        .unwrap();
    let by_cli: Vec<&str> = entries
        .iter()
        .filter(|e| {
            e.target.as_deref() == Some("lan@clinic.example") && e.action.starts_with("staff_")
        })
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(
        by_cli,
        [
            "staff_deleted",
            "staff_enabled",
            "staff_disabled",
            "staff_created"
        ]
    );
    assert!(
        entries
            .iter()
            .filter(|e| e.action.starts_with("staff_"))
            .all(|e| e.actor.is_none())
    );
    assert!(
        entries
            .iter()
            .any(|e| e.action == "sign_in" && e.actor.as_deref() == Some(ADMIN))
    );
}
