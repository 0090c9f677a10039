//! The audit log: who did what to which account, and when. Every sign-in attempt and every
//! change to staff accounts, from the API or the command line, writes one entry.

use std::net::IpAddr;

use haven_api::staff::AuditEntry;
use sqlx::{AnyPool, Row};

use crate::db;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// A staff member signed in.
    SignIn,
    /// A sign-in failed (unknown email, wrong password or disabled account).
    SignInFailed,
    /// Too many failed sign-ins locked an account.
    AccountLocked,
    /// A staff member signed out.
    SignOut,
    /// An account was created.
    StaffCreated,
    /// An account's role changed.
    StaffRoleChanged,
    /// An account was disabled.
    StaffDisabled,
    /// An account was enabled again.
    StaffEnabled,
    /// An account was deleted.
    StaffDeleted,
    /// An appointment request was confirmed for a time.
    RequestConfirmed,
    /// Another time was proposed for an appointment request.
    RequestProposed,
    /// An appointment request was declined.
    RequestDeclined,
    /// The patient of an appointment request was contacted.
    RequestContacted,
    /// Appointment requests were exported (CSV or FHIR).
    RequestsExported,
}

impl Action {
    /// The name stored and shown in the console.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::SignIn => "sign_in",
            Action::SignInFailed => "sign_in_failed",
            Action::AccountLocked => "account_locked",
            Action::SignOut => "sign_out",
            Action::StaffCreated => "staff_created",
            Action::StaffRoleChanged => "staff_role_changed",
            Action::StaffDisabled => "staff_disabled",
            Action::StaffEnabled => "staff_enabled",
            Action::StaffDeleted => "staff_deleted",
            Action::RequestConfirmed => "request_confirmed",
            Action::RequestProposed => "request_proposed",
            Action::RequestDeclined => "request_declined",
            Action::RequestContacted => "request_contacted",
            Action::RequestsExported => "requests_exported",
        }
    }
}

/// Who did it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actor {
    /// The signed-in staff member's email; `None` for the command line or someone not signed in.
    pub email: Option<String>,
    /// Where the request came from, when known.
    pub ip: Option<IpAddr>,
}

impl Actor {
    /// The command line (stored with no actor).
    pub fn cli() -> Actor {
        Actor::default()
    }

    /// A signed-in staff member.
    pub fn staff(email: &str, ip: Option<IpAddr>) -> Actor {
        Actor {
            email: Some(email.to_owned()),
            ip,
        }
    }
}

/// Writes one entry, now. `detail` is free text for staff reading the log.
pub async fn record(
    pool: &AnyPool,
    actor: &Actor,
    action: Action,
    target: Option<&str>,
    detail: Option<&str>,
) -> Result<(), sqlx::Error> {
    record_at(pool, db::now_ms(), actor, action, target, detail).await
}

/// Writes one entry at `at` (from the server's clock), on a pool or inside the transaction
/// that makes the change it records.
pub async fn record_at<'e, E>(
    executor: E,
    at: i64,
    actor: &Actor,
    action: Action,
    target: Option<&str>,
    detail: Option<&str>,
) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor, action, target, detail, ip) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(db::new_id())
    .bind(at)
    .bind(actor.email.clone())
    .bind(action.as_str())
    .bind(target.map(str::to_owned))
    .bind(detail.map(str::to_owned))
    .bind(actor.ip.map(|ip| ip.to_string()))
    .execute(executor)
    .await?;
    Ok(())
}

/// Up to `limit` entries older than `before` (all when `None`), newest first.
pub async fn list(
    pool: &AnyPool,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditEntry>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, at, actor, action, target FROM audit_log WHERE at < $1 \
         ORDER BY at DESC, id DESC LIMIT $2",
    )
    .bind(before.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(AuditEntry {
                id: row.try_get("id")?,
                at: row.try_get("at")?,
                actor: row.try_get("actor")?,
                action: row.try_get("action")?,
                target: row.try_get("target")?,
            })
        })
        .collect()
}
