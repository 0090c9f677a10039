//! `haven-server`: serves Haven's API, patient widget and staff console, and manages its
//! database and staff accounts.
//!
//! Run `cargo run -p haven-server -- serve` from the repository root (it reads `haven.toml`,
//! stores data in `sqlite://data/haven.db` and serves the widget from `dist`), or
//! `cargo run -p haven-server -- --help` for every command and option.

use clap::Parser;
use haven_server::cli::{Cli, run};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    run(Cli::parse()).await
}
