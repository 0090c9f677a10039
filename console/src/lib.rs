//! The Haven staff console, in English or Vietnamese: sign-in, the shell that lists the
//! sections a role may open, the appointment-request inbox, the staff accounts, audit log and
//! content pages, and placeholders for the sections that arrive with their features. It talks
//! to the Haven server's `/api/staff/…` endpoints on the same origin.

mod accounts;
mod api;
mod app;
mod audit;
mod auth;
mod content;
mod format;
mod forms;
mod i18n;
mod inbox;
mod layout;
mod routes;
mod sections;

pub use app::App;
