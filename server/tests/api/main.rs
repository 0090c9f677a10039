//! The server's integration suite: the whole app on 127.0.0.1:0 per test, against SQLite, or
//! PostgreSQL when `HAVEN_TEST_POSTGRES_URL` is set.

mod appointments;
mod cli;
mod config;
mod content;
mod errors;
mod health;
mod helpers;
mod idempotency;
mod openapi;
mod staff;
mod static_files;
