//! Installs what the build and the tests need, skipping whatever is already present at the
//! right version. Everything comes from the package registries: crates.io, npm, Debian.

use std::fs;
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

/// The wasm target, Trunk, wasm-bindgen-cli (at the version in Cargo.lock) and the npm tools
/// (wasm-opt, axe-core) from the committed lockfile.
pub fn build_tools() -> Result {
    step("build tools");
    let targets = output(Command::new("rustup").args(["target", "list", "--installed"]));
    if !targets.is_some_and(|t| {
        t.lines()
            .any(|line| line.trim() == "wasm32-unknown-unknown")
    }) {
        exec(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    cargo_tool("trunk", "trunk", TRUNK_VERSION, true)?;
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
    let sudo = if is_root() { vec![] } else { vec!["sudo"] };
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

fn is_root() -> bool {
    output(Command::new("id").arg("-u")).is_some_and(|id| id.trim() == "0")
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

/// A virtual environment in `.tools/venv` with `tools/requirements.txt` installed; returns its
/// Python.
pub fn python_tools() -> Result<std::path::PathBuf> {
    let requirements = root().join("tools/requirements.txt");
    let wanted = crate::build::digest(&[
        &fs::read(&requirements).map_err(|e| format!("{}: {e}", requirements.display()))?
    ]);
    let venv = root().join(".tools/venv");
    let python = venv.join("bin/python");
    let stamp_path = venv.join(".haven-requirements-stamp");
    if python.exists() && fs::read_to_string(&stamp_path).is_ok_and(|stamp| stamp == wanted) {
        return Ok(python);
    }
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
    )?;
    fs::write(&stamp_path, wanted).map_err(|e| format!("{}: {e}", stamp_path.display()))?;
    Ok(python)
}

/// `npm ci` when node_modules does not match the committed lockfile.
fn npm_tools() -> Result {
    let lock = fs::read(root().join("package-lock.json"))
        .map_err(|e| format!("package-lock.json: {e}"))?;
    let stamp_path = root().join("node_modules/.haven-lock-stamp");
    let wanted = crate::build::digest(&[&lock]);
    if fs::read_to_string(&stamp_path).is_ok_and(|stamp| stamp == wanted)
        && root().join("node_modules/.bin/wasm-opt").exists()
    {
        println!("npm tools present");
        return Ok(());
    }
    exec(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(root()),
    )?;
    fs::write(&stamp_path, wanted).map_err(|e| format!("{}: {e}", stamp_path.display()))
}
