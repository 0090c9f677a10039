//! Haven's wire format: the serde types that cross between the patient widget, the staff
//! console and the server, plus the small domain types both sides parse and check.
//!
//! This crate has no browser or server dependencies, so it compiles for `wasm32` and native
//! alike. OpenAPI schema derives sit behind the `openapi` feature, which only the server uses.

pub mod appointments;
pub mod color;
pub mod config;
pub mod content;
pub mod crisis;
pub mod date;
pub mod emergency;
pub mod error;
pub mod fold;
pub mod idempotency;
pub mod insights;
pub mod lang;
pub mod outbox;
pub mod record;
pub mod search;
pub mod staff;

pub use error::{ApiError, ErrorCode};
