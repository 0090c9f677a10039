//! `cargo xtask test`: every check and test suite, cheapest first.

use crate::util::{Result, cargo, exec, root, step, tool_path};

/// Runs everything; stops at the first failure.
pub fn run() -> Result {
    crate::install::build_tools()?;
    crate::install::test_tools()?;

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
    step("clippy (wasm32)");
    exec(cargo().args([
        "clippy",
        "--target",
        "wasm32-unknown-unknown",
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
    ]))?;

    crate::build::all()?;

    step("size gates");
    let bundles = crate::sizes::bundles()?;
    crate::sizes::print(&bundles);
    crate::sizes::gate(&bundles)?;

    step("native tests: unit, server integration (SQLite), end-to-end in Chromium");
    exec(
        cargo()
            .args(["test", "--workspace"])
            .env("HAVEN_CHROMEDRIVER", "/usr/bin/chromedriver")
            .env("HAVEN_CHROME", "/usr/bin/chromium"),
    )?;

    step("server integration tests on PostgreSQL");
    let cluster = crate::postgres::Cluster::start()?;
    exec(
        cargo()
            .args(["test", "-p", "haven-server", "--test", "api"])
            .env("HAVEN_TEST_POSTGRES_URL", &cluster.url),
    )?;
    drop(cluster);

    step("browser tests (wasm-bindgen-test in headless Chromium)");
    exec(
        cargo()
            .args(["test", "-p", "haven", "--target", "wasm32-unknown-unknown"])
            .env("PATH", tool_path())
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env(
                "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
                root().join("webdriver.json"),
            )
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    )?;

    step("all checks passed");
    Ok(())
}
