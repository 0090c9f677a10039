//! Installs what the build and the tests need, skipping whatever is already present at the
//! right version. Everything comes from the package registries: crates.io, npm, Debian.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{Result, cargo, exec, output, root, step};

/// Trunk 0.22 needs a newer rustc than these machines have; 0.21.14 builds with `--locked`.
const TRUNK_VERSION: &str = "0.21.14";

/// Debian packages for the browser tests, size measurement, the PostgreSQL suite and the
/// native TLS used by the WebDriver client.
const APT_PACKAGES: [&str; 6] = [
    "chromium",
    "chromium-driver",
    "brotli",
    "postgresql",
    "libssl-dev",
    "pkg-config",
];

/// Trunk, for `trunk serve` (front-end work with live reload). Release builds and the tests
/// do not use it: `cargo xtask build` splits the widget into chunks, which Trunk cannot do.
pub fn trunk() -> Result {
    cargo_tool("trunk", "trunk", TRUNK_VERSION, true)
}

/// The wasm target, wasm-bindgen-cli (at the version in Cargo.lock) and the npm tools
/// (wasm-opt, esbuild, axe-core) from the committed lockfile.
pub fn build_tools() -> Result {
    step("build tools");
    let targets = output(Command::new("rustup").args(["target", "list", "--installed"]));
    if !targets.is_some_and(|t| {
        t.lines()
            .any(|line| line.trim() == "wasm32-unknown-unknown")
    }) {
        exec(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    let bindgen = wasm_bindgen_version()?;
    // wasm-bindgen-cli installs without --locked: with it, a yanked transitive crate failed.
    cargo_tool("wasm-bindgen", "wasm-bindgen-cli", &bindgen, false)?;
    npm_tools()
}

/// Chromium, its driver and the other Debian packages the tests use.
pub fn test_tools() -> Result {
    step("test tools");
    let missing: Vec<&str> = APT_PACKAGES
        .into_iter()
        .filter(|package| {
            !output(Command::new("dpkg-query").args(["-W", "-f=${Status}", package]))
                .is_some_and(|status| status.contains("install ok installed"))
        })
        .collect();
    if missing.is_empty() {
        println!("Debian packages present: {}", APT_PACKAGES.join(", "));
        return Ok(());
    }
    let sudo = if crate::util::is_root() {
        vec![]
    } else {
        vec!["sudo"]
    };
    let apt = |args: &[&str]| {
        let mut command = Command::new(sudo.first().copied().unwrap_or("apt-get"));
        if !sudo.is_empty() {
            command.arg("apt-get");
        }
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    exec(&mut apt(&["update"]))?;
    exec(apt(&["install", "-y", "--no-install-recommends"]).args(&missing))
}

/// The `wasm-bindgen` version pinned in Cargo.lock; the CLI must match it exactly.
fn wasm_bindgen_version() -> Result<String> {
    let lock =
        fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(version.trim_end_matches('"').to_owned());
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

/// Installs a cargo binary unless `<binary> --version` already reports `version`.
fn cargo_tool(binary: &str, krate: &str, version: &str, locked: bool) -> Result {
    let path = crate::util::tool_path();
    let current = output(Command::new(binary).arg("--version").env("PATH", &path));
    if current
        .as_deref()
        .is_some_and(|v| v.split_whitespace().any(|word| word == version))
    {
        println!("{binary} {version} present");
        return Ok(());
    }
    let mut install = cargo();
    install.args(["install", krate, "--version", version]);
    if locked {
        install.arg("--locked");
    }
    exec(&mut install)
}

/// Runs `install` unless `marker` exists and `stamp` records the fingerprint of `lockfile`
/// from the last successful install; then records it.
fn install_once(
    lockfile: &Path,
    stamp: &Path,
    marker: &Path,
    install: impl FnOnce() -> Result,
) -> Result<bool> {
    let lock = fs::read(lockfile).map_err(|e| format!("{}: {e}", lockfile.display()))?;
    let wanted = crate::build::digest(&[&lock]);
    if marker.exists() && fs::read_to_string(stamp).is_ok_and(|found| found == wanted) {
        return Ok(false);
    }
    install()?;
    fs::write(stamp, wanted).map_err(|e| format!("{}: {e}", stamp.display()))?;
    Ok(true)
}

/// A virtual environment in `.tools/venv` with `tools/requirements.txt` installed; returns its
/// Python.
pub fn python_tools() -> Result<PathBuf> {
    let requirements = root().join("tools/requirements.txt");
    let venv = root().join(".tools/venv");
    let python = venv.join("bin/python");
    install_once(
        &requirements,
        &venv.join(".haven-requirements-stamp"),
        &python,
        || {
            exec(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
            exec(
                Command::new(&python)
                    .args([
                        "-m",
                        "pip",
                        "install",
                        "--quiet",
                        "--disable-pip-version-check",
                        "-r",
                    ])
                    .arg(&requirements),
            )
        },
    )?;
    Ok(python)
}

/// `npm ci` when node_modules does not match the committed lockfile.
fn npm_tools() -> Result {
    let modules = root().join("node_modules");
    let installed = install_once(
        &root().join("package-lock.json"),
        &modules.join(".haven-lock-stamp"),
        &modules.join(".bin/wasm-opt"),
        || {
            exec(
                Command::new("npm")
                    .args(["ci", "--no-audit", "--no-fund"])
                    .current_dir(root()),
            )
        },
    )?;
    if !installed {
        println!("npm tools present");
    }
    Ok(())
}
