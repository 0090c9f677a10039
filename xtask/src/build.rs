//! Builds the patient widget (with the loader and service worker) and the staff console.

use std::fs;
use std::path::{Path, PathBuf};
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

/// Feature modules built beside the shell and imported when their section opens: the
/// binary name in the root crate.
const MODULES: [&str; 2] = ["learn", "records"];

/// Builds everything into `dist/` and `console/dist/`.
pub fn all() -> Result {
    step("fetch crates");
    exec(cargo().arg("fetch"))?;
    let mut modules = Vec::new();
    for name in MODULES {
        step(&format!("build the {name} module"));
        modules.push(module(name)?);
    }
    step("build the patient widget");
    let mut trunk_build = trunk_command(&root());
    for built in &modules {
        trunk_build.env(&built.env, format!("/{}.js", built.stem));
    }
    exec(&mut trunk_build)?;
    let dist = root().join("dist");
    let mut files = Vec::new();
    for built in &modules {
        files.extend(copy_tree(&built.dir, &dist, "")?);
    }
    stamp_service_worker(&dist, &files)?;
    step("build the staff console");
    trunk(&root().join("console"))
}

/// `trunk build --release` in `dir`, touching no network (crates were fetched above).
fn trunk(dir: &Path) -> Result {
    exec(&mut trunk_command(dir))
}

fn trunk_command(dir: &Path) -> Command {
    let mut command = Command::new("trunk");
    command
        .args(["build", "--release", "--offline"])
        .current_dir(dir)
        .env("PATH", tool_path())
        .env("CARGO_NET_OFFLINE", "true")
        .env("NO_COLOR", "true");
    command
}

/// A feature module built for the browser.
struct Module {
    /// Where its files are (`{stem}.js`, `{stem}_bg.wasm`, `snippets/`).
    dir: PathBuf,
    /// `learn-{hash}`: named by content, so it may be cached for ever.
    stem: String,
    /// The variable that tells the shell the module's URL at compile time.
    env: String,
}

/// Builds the root crate's binary `name` as a browser module: cargo, wasm-bindgen
/// (`--target web`, for a dynamic `import()`), then wasm-opt, as Trunk does for the shell.
fn module(name: &str) -> Result<Module> {
    exec(cargo().args([
        "build",
        "--release",
        "--offline",
        "--target",
        "wasm32-unknown-unknown",
        "--bin",
        name,
    ]))?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let wasm = target.join(format!("wasm32-unknown-unknown/release/{name}.wasm"));
    let bytes = fs::read(&wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
    let stem = format!("{name}-{}", digest(&[&bytes]));
    let dir = target.join("modules").join(name);
    if dir.exists() {
        fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    exec(
        Command::new("wasm-bindgen")
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--out-name",
                &stem,
                "--out-dir",
            ])
            .arg(&dir)
            .arg(&wasm)
            .env("PATH", tool_path()),
    )?;
    let optimised = dir.join(format!("{stem}_bg.wasm"));
    exec(
        Command::new("wasm-opt")
            .args([
                "-Oz",
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-mutable-globals",
                "--enable-reference-types",
                "--enable-multivalue",
                "-o",
            ])
            .arg(&optimised)
            .arg(&optimised)
            .env("PATH", tool_path()),
    )?;
    Ok(Module {
        dir,
        stem,
        env: format!("HAVEN_{}_MODULE", name.to_ascii_uppercase()),
    })
}

/// Copies the files under `from` into `to`, returning their URL paths (`/a/b.js`).
fn copy_tree(from: &Path, to: &Path, prefix: &str) -> Result<Vec<String>> {
    let mut urls = Vec::new();
    fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let url = format!("{prefix}/{name}");
        if path.is_dir() {
            urls.extend(copy_tree(&path, &to.join(&name), &url)?);
        } else {
            fs::copy(&path, to.join(&name)).map_err(|e| format!("{}: {e}", path.display()))?;
            urls.push(url);
        }
    }
    Ok(urls)
}

/// Writes a fingerprint of the build into `sw.js`, so each release is a new service worker
/// that replaces the old one and its cache, and the feature modules' files, which it
/// precaches so every section works offline after the first visit.
fn stamp_service_worker(dist: &Path, modules: &[String]) -> Result {
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
    if !source.contains("'__HAVEN_MODULES__'") {
        return Err("dist/sw.js has no '__HAVEN_MODULES__' placeholder".into());
    }
    let list: Vec<String> = modules.iter().map(|url| format!("'{url}'")).collect();
    let source = source
        .replace("__HAVEN_BUILD__", &build)
        .replace("'__HAVEN_MODULES__'", &list.join(", "));
    fs::write(&sw, source).map_err(|e| format!("{}: {e}", sw.display()))?;
    println!("service worker build {build}");
    Ok(())
}
