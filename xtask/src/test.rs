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
    // Debian's packages and the Python tools download while cargo compiles wasm-bindgen-cli.
    let downloads = std::thread::spawn(|| {
        crate::install::test_tools()?;
        // The end-to-end tests validate an export with it, before the validation steps below.
        crate::install::python_tools()
    });
    let built = crate::install::build_tools();
    let python = downloads
        .join()
        .map_err(|_| "installing the test tools panicked")??;
    built?;

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

    // The browser tests compile in the background, at a lower priority, while the native
    // tests run (most of that time the two cores wait on Chromium). They have a target folder
    // of their own so the two cargo runs do not wait for each other's lock.
    let mut browser_build = browser_tests();
    browser_build.arg("--no-run");
    let browser_build = nice(browser_build)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("could not start the browser tests' build: {e}"))?;

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

    step(
        "the record's and the appointment requests' FHIR validates with an outside FHIR R4 validator",
    );
    validate_fhir()?;

    step("browser tests (wasm-bindgen-test in headless Chromium)");
    // Whatever the background build did, this run builds what is missing and reports errors.
    let _ = browser_build.wait_with_output();
    exec_tests(&mut browser_tests(), tally)?;

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
        Command::new(&python)
            .arg(root().join("tools/validate_fhir.py"))
            .arg(&path)
            .arg("--every-type"),
    )?;
    // An appointment request as the clinic exports it: Appointment and Patient.
    let appointment = root().join("target/fhir-appointment.json");
    exec(
        cargo()
            .args(["test", "-q", "-p", "haven-server", "--test", "api"])
            .arg("a_request_exports_as_a_fhir_appointment_and_as_csv")
            .env("HAVEN_FHIR_APPOINTMENT_SAMPLE", &appointment),
    )?;
    exec(
        Command::new(&python)
            .arg(root().join("tools/validate_fhir.py"))
            .arg(&appointment),
    )
}

/// `cargo test` of the browser tests (wasm-bindgen-test in headless Chromium), in their own
/// target folder.
fn browser_tests() -> Command {
    let mut browser = cargo();
    browser
        .args(["test", "-p", "haven", "--target", "wasm32-unknown-unknown"])
        .args(["--test", "browser"])
        .env("CARGO_TARGET_DIR", root().join("target/browser-tests"))
        .env("PATH", tool_path())
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .env(
            "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
            root().join("webdriver.json"),
        )
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    browser
}

/// `command` run through `nice`, so it yields the processors to the tests in the foreground.
fn nice(command: Command) -> Command {
    let mut niced = Command::new("nice");
    niced.args(["-n", "15"]).arg(command.get_program());
    niced.args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => niced.env(key, value),
            None => niced.env_remove(key),
        };
    }
    if let Some(dir) = command.get_current_dir() {
        niced.current_dir(dir);
    }
    niced
}
