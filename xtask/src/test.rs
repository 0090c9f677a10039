//! `cargo xtask test`: every check and test suite, cheapest first.

use std::process::Command;

use crate::util::{Result, Tally, cargo, exec, exec_tests, root, step, tool_path};

/// Runs everything; stops at the first failure, and ends with the number of tests run.
pub fn run() -> Result {
    let mut tally = Tally::default();
    let result = run_all(&mut tally);
    println!("\ntests: {} passed, {} failed", tally.passed, tally.failed);
    result
}

fn run_all(tally: &mut Tally) -> Result {
    crate::install::build_tools()?;
    crate::install::test_tools()?;
    // The end-to-end tests validate an export with it, before the validation steps below.
    let python = crate::install::python_tools()?;

    step("format");
    exec(cargo().args(["fmt", "--all", "--check"]))?;

    step("clippy (native)");
    exec(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    step("clippy (wasm32, with the release build's split sections)");
    exec(
        cargo()
            .args(["clippy", "--target", "wasm32-unknown-unknown"])
            .env("RUSTFLAGS", "--cfg haven_split")
            .args([
                "-p",
                "haven",
                "-p",
                "haven-console",
                "-p",
                "haven-api",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
    )?;

    crate::build::all()?;

    step("size gates");
    let bundles = crate::sizes::bundles()?;
    crate::sizes::print(&bundles);
    crate::sizes::gate(&bundles)?;

    step("native tests: unit, server integration (SQLite), end-to-end in Chromium");
    let mut native = cargo();
    native
        .args(["test", "--workspace"])
        .env("HAVEN_CHROMEDRIVER", "/usr/bin/chromedriver")
        .env("HAVEN_CHROME", "/usr/bin/chromium")
        .env("HAVEN_PYTHON", &python);
    exec_tests(&mut native, tally)?;

    step("server integration tests on PostgreSQL");
    let cluster = crate::postgres::Cluster::start()?;
    let mut postgres = cargo();
    postgres
        .args(["test", "-p", "haven-server", "--test", "api"])
        .env("HAVEN_TEST_POSTGRES_URL", &cluster.url);
    exec_tests(&mut postgres, tally)?;
    drop(cluster);

    step("OpenAPI document validates as OpenAPI 3");
    validate_openapi()?;

    step("the record's FHIR export validates with an outside FHIR R4 validator");
    validate_fhir()?;

    step("browser tests (wasm-bindgen-test in headless Chromium)");
    let mut browser = cargo();
    browser
        .args([
            "test",
            "-p",
            "haven",
            "--target",
            "wasm32-unknown-unknown",
            "--test",
            "browser",
        ])
        .env("PATH", tool_path())
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .env(
            "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
            root().join("webdriver.json"),
        )
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    exec_tests(&mut browser, tally)?;

    step("all checks passed");
    Ok(())
}

/// Writes the server's OpenAPI document (the one it serves at `/api/openapi.json`) and checks
/// it with an outside validator.
fn validate_openapi() -> Result {
    let python = crate::install::python_tools()?;
    let document =
        crate::util::output(cargo().args(["run", "-q", "-p", "haven-server", "--", "openapi"]))
            .ok_or("`haven-server openapi` failed")?;
    let path = root().join("target/openapi.json");
    std::fs::write(&path, document).map_err(|e| format!("{}: {e}", path.display()))?;
    exec(
        Command::new(python)
            .args(["-m", "openapi_spec_validator"])
            .arg(&path),
    )
}

/// Writes the record's sample FHIR export (one entry of every kind) and checks it with the
/// `fhir.resources` models.
fn validate_fhir() -> Result {
    let python = crate::install::python_tools()?;
    let path = root().join("target/fhir-sample.json");
    exec(
        cargo()
            .args([
                "test",
                "-q",
                "-p",
                "haven-api",
                "--lib",
                "the_sample_export_is_written_for_the_outside_validator",
            ])
            .env("HAVEN_FHIR_SAMPLE", &path),
    )?;
    exec(
        Command::new(python)
            .arg(root().join("tools/validate_fhir.py"))
            .arg(&path)
            .arg("--every-type"),
    )
}
