//! Staff accounts in the database, and the changes the console and the command line make to
//! them. Both go through these functions, so both check the same rules and write the same
//! audit entries.

use std::collections::BTreeMap;

use haven_api::staff::{Email, Role, StaffAccount, UpdateStaffRequest, password_problems};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use crate::audit::{self, Action, Actor};
use crate::db;
use crate::error::{AppError, BoxError};
use crate::staff::password::Passwords;
use crate::staff::session;
use crate::staff::throttle::SignInPolicy;

/// A staff row, with the fields the wire never sees.
#[derive(Debug, Clone)]
pub struct StaffRecord {
    /// The account id.
    pub id: String,
    /// The email address.
    pub email: String,
    /// The role.
    pub role: Role,
    /// The Argon2id PHC hash.
    pub password_hash: String,
    /// Disabled accounts cannot sign in.
    pub disabled: bool,
    /// Creation time (Unix ms).
    pub created_at: i64,
    /// Last successful sign-in (Unix ms).
    pub last_sign_in_at: Option<i64>,
    /// Failed sign-ins since the last success.
    pub failed_attempts: i64,
    /// No sign-in is tried before this time (Unix ms).
    pub locked_until: Option<i64>,
}

impl StaffRecord {
    /// The account as the console sees it.
    pub fn account(&self) -> StaffAccount {
        StaffAccount {
            id: self.id.clone(),
            email: self.email.clone(),
            role: self.role,
            disabled: self.disabled,
            created_at: self.created_at,
            last_sign_in_at: self.last_sign_in_at,
        }
    }

    fn from_row(row: &AnyRow) -> Result<StaffRecord, sqlx::Error> {
        let role: String = row.try_get("role")?;
        Ok(StaffRecord {
            id: row.try_get("id")?,
            email: row.try_get("email")?,
            role: Role::parse(&role)
                .ok_or_else(|| sqlx::Error::Decode(format!("unknown role {role:?}").into()))?,
            password_hash: row.try_get("password_hash")?,
            disabled: row.try_get::<i64, _>("disabled")? != 0,
            created_at: row.try_get("created_at")?,
            last_sign_in_at: row.try_get("last_sign_in_at")?,
            failed_attempts: row.try_get("failed_attempts")?,
            locked_until: row.try_get("locked_until")?,
        })
    }
}

const SELECT: &str = "SELECT id, email, role, password_hash, disabled, created_at, last_sign_in_at, \
                      failed_attempts, locked_until FROM staff";

/// The account with this email.
pub async fn find_by_email(
    pool: &AnyPool,
    email: &Email,
) -> Result<Option<StaffRecord>, sqlx::Error> {
    let row = sqlx::query(&format!("{SELECT} WHERE email = $1"))
        .bind(email.as_str())
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(StaffRecord::from_row).transpose()
}

/// The account with this id.
pub async fn find_by_id(pool: &AnyPool, id: &str) -> Result<Option<StaffRecord>, sqlx::Error> {
    let row = sqlx::query(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(StaffRecord::from_row).transpose()
}

/// Every account, by email.
pub async fn list(pool: &AnyPool) -> Result<Vec<StaffRecord>, sqlx::Error> {
    let rows = sqlx::query(&format!("{SELECT} ORDER BY email"))
        .fetch_all(pool)
        .await?;
    rows.iter().map(StaffRecord::from_row).collect()
}

/// A new account's details, checked.
#[derive(Debug, Clone)]
pub struct NewStaff {
    /// The email address.
    pub email: Email,
    /// The role.
    pub role: Role,
    password: String,
}

impl NewStaff {
    /// Checks the details; the error maps each bad field (`email`, `password`) to every rule
    /// it breaks.
    pub fn parse(email: &str, role: Role, password: String) -> Result<NewStaff, FieldProblems> {
        let mut problems = FieldProblems::new();
        let email = Email::parse(email)
            .map_err(|error| problems.insert("email".to_owned(), vec![error.0.to_owned()]));
        let broken = password_problems(&password);
        if !broken.is_empty() {
            problems.insert("password".to_owned(), broken);
        }
        match email {
            Ok(email) if problems.is_empty() => Ok(NewStaff {
                email,
                role,
                password,
            }),
            _ => Err(problems),
        }
    }
}

/// Every rule each field breaks, by field name.
pub type FieldProblems = BTreeMap<String, Vec<String>>;

/// A 422 naming every broken rule of every field.
pub fn validation_error(problems: FieldProblems) -> AppError {
    AppError::validation(
        problems
            .into_iter()
            .map(|(field, rules)| (field, rules.join("; ")))
            .collect(),
    )
}

/// Why an account change failed.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// Another account has this email.
    #[error("there is already an account for {0}")]
    Duplicate(String),
    /// No account has this id or email.
    #[error("there is no such staff account")]
    NotFound,
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// Hashing failed.
    #[error("{0}")]
    Hashing(BoxError),
}

impl From<AccountError> for AppError {
    fn from(error: AccountError) -> Self {
        match error {
            AccountError::Duplicate(_) => AppError::validation(BTreeMap::new()).with_field(
                "email",
                "there is already an account with this email address",
            ),
            AccountError::NotFound => AppError::not_found("there is no staff account with this id"),
            AccountError::Database(error) => AppError::from(error),
            AccountError::Hashing(error) => AppError::Internal(error),
        }
    }
}

/// Creates an account.
pub async fn create(
    pool: &AnyPool,
    passwords: &Passwords,
    new: NewStaff,
    actor: &Actor,
) -> Result<StaffAccount, AccountError> {
    let password_hash = passwords
        .hash(new.password)
        .await
        .map_err(AccountError::Hashing)?;
    let record = StaffRecord {
        id: db::new_id(),
        email: new.email.as_str().to_owned(),
        role: new.role,
        password_hash,
        disabled: false,
        created_at: db::now_ms(),
        last_sign_in_at: None,
        failed_attempts: 0,
        locked_until: None,
    };
    let inserted = sqlx::query(
        "INSERT INTO staff (id, email, role, password_hash, disabled, created_at, failed_attempts) \
         VALUES ($1, $2, $3, $4, 0, $5, 0)",
    )
    .bind(&record.id)
    .bind(&record.email)
    .bind(record.role.as_str())
    .bind(&record.password_hash)
    .bind(record.created_at)
    .execute(pool)
    .await;
    match inserted {
        Err(error) if db::is_unique_violation(&error) => {
            return Err(AccountError::Duplicate(record.email));
        }
        other => other?,
    };
    let detail = format!("role {}", record.role.as_str());
    audit::record(
        pool,
        actor,
        Action::StaffCreated,
        Some(&record.email),
        Some(&detail),
    )
    .await?;
    Ok(record.account())
}

/// Changes an account's role and/or disabled flag. Disabling ends its sessions; enabling also
/// lifts a sign-in lock.
pub async fn update(
    pool: &AnyPool,
    id: &str,
    change: &UpdateStaffRequest,
    actor: &Actor,
) -> Result<StaffAccount, AccountError> {
    let mut record = find_by_id(pool, id).await?.ok_or(AccountError::NotFound)?;
    if let Some(role) = change.role.filter(|role| *role != record.role) {
        sqlx::query("UPDATE staff SET role = $1 WHERE id = $2")
            .bind(role.as_str())
            .bind(id)
            .execute(pool)
            .await?;
        let detail = format!("from {} to {}", record.role.as_str(), role.as_str());
        audit::record(
            pool,
            actor,
            Action::StaffRoleChanged,
            Some(&record.email),
            Some(&detail),
        )
        .await?;
        record.role = role;
    }
    match change.disabled {
        Some(true) if !record.disabled => {
            sqlx::query("UPDATE staff SET disabled = 1 WHERE id = $1")
                .bind(id)
                .execute(pool)
                .await?;
            session::revoke_all(pool, id).await?;
            audit::record(
                pool,
                actor,
                Action::StaffDisabled,
                Some(&record.email),
                None,
            )
            .await?;
            record.disabled = true;
        }
        Some(false) => {
            let was_locked = record
                .locked_until
                .is_some_and(|until| until > db::now_ms());
            sqlx::query("UPDATE staff SET disabled = 0, failed_attempts = 0, locked_until = NULL WHERE id = $1")
                .bind(id)
                .execute(pool)
                .await?;
            if record.disabled || was_locked {
                let detail = was_locked.then_some("sign-in lock lifted");
                audit::record(
                    pool,
                    actor,
                    Action::StaffEnabled,
                    Some(&record.email),
                    detail,
                )
                .await?;
            }
            record.disabled = false;
        }
        _ => {}
    }
    Ok(record.account())
}

/// Deletes an account and its sessions.
pub async fn delete(pool: &AnyPool, id: &str, actor: &Actor) -> Result<(), AccountError> {
    let record = find_by_id(pool, id).await?.ok_or(AccountError::NotFound)?;
    // Explicit, not only ON DELETE CASCADE, so it does not depend on SQLite's foreign_keys pragma.
    sqlx::query("DELETE FROM sessions WHERE staff_id = $1")
        .bind(id)
        .execute(pool)
        .await?;
    sqlx::query("DELETE FROM staff WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await?;
    audit::record(pool, actor, Action::StaffDeleted, Some(&record.email), None).await?;
    Ok(())
}

/// Records a successful sign-in and clears the failure count.
pub async fn record_sign_in(pool: &AnyPool, id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE staff SET last_sign_in_at = $1, failed_attempts = 0, locked_until = NULL WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Records a failed sign-in and sets the wait the policy asks for; returns the failures in a
/// row, counted in the database so concurrent attempts are all counted.
pub async fn record_failed_sign_in(
    pool: &AnyPool,
    id: &str,
    policy: &SignInPolicy,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let failures: i64 =
        sqlx::query("UPDATE staff SET failed_attempts = failed_attempts + 1 WHERE id = $1 RETURNING failed_attempts")
            .bind(id)
            .fetch_one(pool)
            .await?
            .try_get("failed_attempts")?;
    sqlx::query("UPDATE staff SET locked_until = $1 WHERE id = $2")
        .bind(policy.blocked_until(failures, now))
        .bind(id)
        .execute(pool)
        .await?;
    Ok(failures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bad_field_is_reported_with_every_broken_rule() {
        let problems = NewStaff::parse("not an email", Role::Admin, "aaaa".into()).unwrap_err();
        assert_eq!(
            problems["email"],
            ["an email address has no spaces and at most 254 characters"]
        );
        assert_eq!(problems["password"].len(), 2, "{problems:?}");
        assert!(
            problems["password"][0].contains("at least 12 characters"),
            "{problems:?}"
        );
        assert!(
            problems["password"][1].contains("must not repeat one character"),
            "{problems:?}"
        );
    }

    #[test]
    fn good_details_are_accepted_and_the_email_normalised() {
        let new = NewStaff::parse(
            " Lan@Clinic.Example ",
            Role::Moderator,
            "correct horse battery".into(),
        )
        .unwrap();
        assert_eq!(new.email.as_str(), "lan@clinic.example");
    }
}
