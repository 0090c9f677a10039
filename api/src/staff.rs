//! Staff accounts, sign-in and the audit log, as the console and server exchange them.

use serde::{Deserialize, Serialize};

/// The request header that carries the session's CSRF token on state-changing requests.
pub const CSRF_HEADER: &str = "X-CSRF-Token";

/// The shortest password a staff account may have.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The longest password accepted (long inputs would only make hashing slow).
pub const MAX_PASSWORD_CHARS: usize = 256;

/// What a staff member may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages staff accounts and sees everything, including the audit log.
    Admin,
    /// Reviews forum posts before they are published.
    Moderator,
    /// Writes education content and answers in the forum.
    Educator,
    /// Handles appointment requests.
    FrontDesk,
}

/// A section of the staff console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// Appointment requests from patients.
    Inbox,
    /// Forum posts waiting for review.
    Moderation,
    /// Education content packs.
    Content,
    /// Who did what, when.
    Audit,
    /// Staff accounts.
    Staff,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 4] = [
        Role::Admin,
        Role::Moderator,
        Role::Educator,
        Role::FrontDesk,
    ];

    /// The wire name, as in `--role front_desk`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Moderator => "moderator",
            Role::Educator => "educator",
            Role::FrontDesk => "front_desk",
        }
    }

    /// Parses a wire name.
    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == name.trim())
    }

    /// Whether this role may open a console section.
    pub fn can_open(self, section: Section) -> bool {
        matches!(
            (self, section),
            (Role::Admin, _)
                | (Role::FrontDesk, Section::Inbox)
                | (Role::Moderator, Section::Moderation)
                | (Role::Educator, Section::Moderation | Section::Content)
        )
    }
}

/// Why an email address was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailError(pub &'static str);

/// A staff member's email address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    /// Parses an address: one `@`, a non-empty local part, a dotted domain, no spaces.
    pub fn parse(input: &str) -> Result<Email, EmailError> {
        let email = input.trim().to_lowercase();
        if email.is_empty() {
            return Err(EmailError("enter an email address"));
        }
        if email.len() > 254 || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(EmailError(
                "an email address has no spaces and at most 254 characters",
            ));
        }
        match email.split_once('@') {
            Some((local, domain))
                if !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.') =>
            {
                Ok(Email(email))
            }
            _ => Err(EmailError(
                "enter an email address like name@clinic.example",
            )),
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Checks a new password against the rules, returning every rule it breaks.
pub fn password_problems(password: &str) -> Vec<String> {
    let chars = password.chars().count();
    let mut problems = Vec::new();
    if chars < MIN_PASSWORD_CHARS {
        problems.push(format!(
            "the password must be at least {MIN_PASSWORD_CHARS} characters long (it has {chars})"
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        problems.push(format!(
            "the password must be at most {MAX_PASSWORD_CHARS} characters long"
        ));
    }
    if chars > 0 && password.chars().all(|c| password.starts_with(c)) {
        problems.push("the password must not repeat one character".to_owned());
    }
    problems
}

/// `POST /api/staff/sign-in`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    /// The account's email address.
    pub email: String,
    /// The account's password.
    pub password: String,
}

/// The signed-in staff member, returned by sign-in and `GET /api/staff/session`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    /// The staff member's email address.
    pub email: String,
    /// Their role.
    pub role: Role,
    /// Send this in the `X-CSRF-Token` header on every state-changing request.
    pub csrf_token: String,
    /// When the session ends, in milliseconds since the Unix epoch.
    pub expires_at: i64,
}

/// A staff account as the console lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffAccount {
    /// The account's identifier.
    pub id: String,
    /// The email address.
    pub email: String,
    /// The role.
    pub role: Role,
    /// Disabled accounts cannot sign in.
    pub disabled: bool,
    /// When the account was created, in milliseconds since the Unix epoch.
    pub created_at: i64,
    /// The last successful sign-in, in milliseconds since the Unix epoch.
    pub last_sign_in_at: Option<i64>,
}

/// `POST /api/staff/accounts`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateStaffRequest {
    /// The new account's email address.
    pub email: String,
    /// Its role.
    pub role: Role,
    /// Its first password.
    pub password: String,
}

/// `PATCH /api/staff/accounts/{id}`: the fields to change.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateStaffRequest {
    /// A new role.
    pub role: Option<Role>,
    /// Disable (true) or re-enable (false) the account.
    pub disabled: Option<bool>,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// The entry's identifier.
    pub id: String,
    /// When it happened, in milliseconds since the Unix epoch.
    pub at: i64,
    /// The staff member's email, or `None` for the command line or an unknown user.
    pub actor: Option<String>,
    /// What happened, such as `sign_in`, `sign_in_failed`, `staff_created`.
    pub action: String,
    /// What it happened to, such as an account's email.
    pub target: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(
            Email::parse("  Lan@Clinic.Example ").unwrap().as_str(),
            "lan@clinic.example"
        );
    }

    #[test]
    fn addresses_without_a_dotted_domain_are_rejected() {
        for bad in [
            "",
            "lan",
            "lan@",
            "@clinic.example",
            "lan@clinic",
            "lan@.example",
            "a b@c.d",
            "a@b@c.d",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_short_password_is_refused_with_its_length() {
        let problems = password_problems("short pass");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("at least 12") && problems[0].contains("it has 10"));
    }

    #[test]
    fn a_repeated_character_password_is_refused() {
        assert_eq!(password_problems("aaaaaaaaaaaaaaaa").len(), 1);
        assert!(password_problems("correct horse battery").is_empty());
    }

    #[test]
    fn only_admins_open_the_staff_and_audit_sections() {
        for role in Role::ALL {
            assert_eq!(role.can_open(Section::Staff), role == Role::Admin);
            assert_eq!(role.can_open(Section::Audit), role == Role::Admin);
        }
        assert!(Role::FrontDesk.can_open(Section::Inbox));
        assert!(!Role::FrontDesk.can_open(Section::Moderation));
    }

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("owner"), None);
    }
}
