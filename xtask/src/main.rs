//! Haven's task runner. Run from anywhere in the repository:
//!
//! - `cargo xtask dev`: install what is missing, build everything, and serve the widget with
//!   the API on http://127.0.0.1:8080 and a demo clinic page on http://localhost:8081/.
//! - `cargo xtask test`: install what is missing, then every check and test suite.
//! - `cargo xtask bench`: build, then print the benchmark table.
//! - `cargo xtask build`: build the widget, the console and the loader into `dist/`.
//! - `cargo xtask sizes`: print the bundle sizes of the last build.
//! - `cargo xtask soak`: the delivery simulation over 10,000 seeded runs (the test suite runs
//!   300); `HAVEN_SIM_RUNS` changes the count, `HAVEN_SIM_SEED` replays one run.

mod bench;
mod build;
mod dev;
mod install;
mod postgres;
mod sizes;
mod test;
mod util;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("dev") => dev::run(),
        Some("test") => test::run(),
        Some("bench") => bench::run(),
        Some("build") => install::build_tools().and_then(|()| build::all()),
        Some("install") => install::build_tools().and_then(|()| install::test_tools()),
        Some("sizes") => sizes::bundles().map(|bundles| sizes::print(&bundles)),
        Some("soak") => soak(),
        _ => {
            eprintln!(
                "usage: cargo xtask <dev|test|bench|build|install|sizes|soak>\n\n\
                 dev     build everything and serve the widget and a demo clinic page\n\
                 test    run every check and test suite (installs what is missing)\n\
                 bench   print bundle sizes and other benchmarks\n\
                 build   build the widget, console and loader into dist/\n\
                 install install the build and test tools only\n\
                 sizes   print the bundle sizes of the last build\n\
                 soak    the appointment delivery simulation over 10,000 seeded runs"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\nxtask: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask soak`: the delivery simulation, long (optimised build).
fn soak() -> util::Result {
    let runs = std::env::var("HAVEN_SIM_RUNS").unwrap_or_else(|_| "10000".to_owned());
    util::exec(
        util::cargo()
            .args([
                "test",
                "--release",
                "-p",
                "haven-server",
                "--test",
                "simulation",
            ])
            .args(["--", "--nocapture"])
            .env("HAVEN_SIM_RUNS", runs),
    )
}
