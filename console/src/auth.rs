//! Signing in and out, and the session every other page reads.

mod session;
mod sign_in;

pub use session::{Phase, Session, use_session};
pub use sign_in::SignInPage;
