//! Builds the patient widget (with the loader and service worker) and the staff console.

use std::fs;
use std::path::Path;
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::util::{Result, cargo, exec, root, step, tool_path};

/// Hex SHA-256 of the parts, shortened: a build or lockfile fingerprint.
pub fn digest(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher
        .finalize()
        .iter()
        .take(8)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Builds everything into `dist/` and `console/dist/`.
pub fn all() -> Result {
    step("fetch crates");
    exec(cargo().arg("fetch"))?;
    step("build the patient widget");
    trunk(&root())?;
    stamp_service_worker(&root().join("dist"))?;
    step("build the staff console");
    trunk(&root().join("console"))
}

/// `trunk build --release` in `dir`, touching no network (crates were fetched above).
fn trunk(dir: &Path) -> Result {
    exec(
        Command::new("trunk")
            .args(["build", "--release", "--offline"])
            .current_dir(dir)
            .env("PATH", tool_path())
            .env("CARGO_NET_OFFLINE", "true")
            .env("NO_COLOR", "true"),
    )
}

/// Writes a fingerprint of the build into `sw.js`, so each release is a new service worker
/// that replaces the old one and its cache.
fn stamp_service_worker(dist: &Path) -> Result {
    let mut names: Vec<_> = fs::read_dir(dist)
        .map_err(|e| format!("{}: {e}", dist.display()))?
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().is_file() && entry.file_name() != "sw.js")
        .map(|entry| entry.path())
        .collect();
    names.sort();
    let contents: Vec<Vec<u8>> = names
        .iter()
        .filter_map(|path| fs::read(path).ok())
        .collect();
    let parts: Vec<&[u8]> = contents.iter().map(Vec::as_slice).collect();
    let build = digest(&parts);
    let sw = dist.join("sw.js");
    let source = fs::read_to_string(&sw).map_err(|e| format!("{}: {e}", sw.display()))?;
    if !source.contains("__HAVEN_BUILD__") {
        return Err("dist/sw.js has no __HAVEN_BUILD__ placeholder".into());
    }
    fs::write(&sw, source.replace("__HAVEN_BUILD__", &build))
        .map_err(|e| format!("{}: {e}", sw.display()))?;
    println!("service worker build {build}");
    Ok(())
}
