//! The one error shape every API endpoint answers with.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A machine-readable error category. Clients branch on this, never on the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request body or query could not be read (malformed JSON, wrong types, bad UTF-8).
    BadRequest,
    /// The request was well-formed but some fields are invalid; see `fields`.
    Validation,
    /// Sign-in is required, or the session has expired.
    Unauthorized,
    /// The signed-in staff member may not do this, or the CSRF token is missing or wrong.
    Forbidden,
    /// The resource does not exist.
    NotFound,
    /// A request with the same idempotency key is still being processed.
    Conflict,
    /// The idempotency key was already used with a different request body.
    IdempotencyMismatch,
    /// The request body is larger than the endpoint accepts.
    PayloadTooLarge,
    /// The content type is not `application/json`.
    UnsupportedMediaType,
    /// Too many attempts; try again later.
    RateLimited,
    /// Something went wrong on the server; the `request_id` identifies it in the logs.
    Internal,
}

/// The error body of every non-2xx API response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    /// The error category.
    pub code: ErrorCode,
    /// A human-readable English sentence for developers and staff; patients see a
    /// translated message chosen by `code` and `fields`.
    pub message: String,
    /// Per-field messages, keyed by the field's name in the request body.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
    /// The request id to quote when reporting an internal error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl ApiError {
    /// An error with a code and message and no field details.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            fields: BTreeMap::new(),
            request_id: None,
        }
    }

    /// Adds a message for one field.
    pub fn with_field(mut self, field: impl Into<String>, message: impl Into<String>) -> Self {
        self.fields.insert(field.into(), message.into());
        self
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_without_fields_omits_them_on_the_wire() {
        let json = serde_json::to_string(&ApiError::new(ErrorCode::NotFound, "no such page"))
            .expect("serialise");
        assert_eq!(json, r#"{"code":"not_found","message":"no such page"}"#);
    }

    #[test]
    fn field_messages_round_trip() {
        let error = ApiError::new(ErrorCode::Validation, "check the form")
            .with_field("email", "enter an email address");
        let json = serde_json::to_string(&error).expect("serialise");
        let back: ApiError = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, error);
        assert_eq!(back.fields["email"], "enter an email address");
    }
}
