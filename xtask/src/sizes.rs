//! Bundle sizes, raw and brotli-compressed: printed by `cargo xtask bench` and gated by
//! `cargo xtask test`.

use std::fs;
use std::io::Write;
use std::path::Path;

use crate::util::{Result, root};

/// The loader's budget, brotli-compressed.
pub const LOADER_BUDGET: usize = 2_048;
/// The patient first-load budget (index.html, JS, wasm, CSS), brotli-compressed.
pub const FIRST_LOAD_BUDGET: usize = 150_000;

/// Raw and brotli sizes of a set of files.
#[derive(Debug, Clone, Copy, Default)]
pub struct Size {
    /// Bytes on disk.
    pub raw: usize,
    /// Bytes after brotli at quality 11, as a server would pre-compress them.
    pub brotli: usize,
}

fn brotli_len(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        writer
            .write_all(bytes)
            .expect("compressing to memory cannot fail");
    }
    out.len()
}

fn measure(files: &[std::path::PathBuf]) -> Result<Size> {
    files.iter().try_fold(Size::default(), |sum, path| {
        let bytes = fs::read(path)
            .map_err(|e| format!("{}: {e} (run `cargo xtask build`)", path.display()))?;
        Ok(Size {
            raw: sum.raw + bytes.len(),
            brotli: sum.brotli + brotli_len(&bytes),
        })
    })
}

/// `index.html` and every script, wasm module and stylesheet it loads before the first
/// interaction.
fn first_load_files(dist: &Path) -> Result<Vec<std::path::PathBuf>> {
    let index = dist.join("index.html");
    let html = fs::read_to_string(&index)
        .map_err(|e| format!("{}: {e} (run `cargo xtask build`)", index.display()))?;
    let mut files = vec![index];
    for piece in html.split(['"', '\'', ' ', '>', '=']) {
        // Asset URLs carry the public path (`/` or `/console/`); the files sit at dist's top.
        let name = piece.rsplit('/').next().unwrap_or_default();
        let is_asset = [".js", ".wasm", ".css"]
            .iter()
            .any(|ext| name.ends_with(ext));
        let path = dist.join(name);
        if is_asset && path.is_file() && !files.contains(&path) {
            files.push(path);
        }
    }
    Ok(files)
}

/// The bundle measurements.
pub struct Bundles {
    /// `embed.js`.
    pub loader: Size,
    /// The patient widget's first load.
    pub first_load: Size,
    /// The Learn module, imported when the patient opens Learn.
    pub learn: Size,
    /// The My record module, imported when the patient opens My record.
    pub records: Size,
    /// The staff console's first load.
    pub console: Size,
}

/// The files of the feature module `name` in `dist/` (its script and wasm).
fn module_files(dist: &Path, name: &str) -> Result<Vec<std::path::PathBuf>> {
    let prefix = format!("{name}-");
    let mut files: Vec<_> = fs::read_dir(dist)
        .map_err(|e| format!("{}: {e} (run `cargo xtask build`)", dist.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with(&prefix) && (n.ends_with(".js") || n.ends_with(".wasm"))
            })
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!(
            "no {name} module in {} (run `cargo xtask build`)",
            dist.display()
        ));
    }
    Ok(files)
}

/// Measures the built bundles.
pub fn bundles() -> Result<Bundles> {
    let dist = root().join("dist");
    Ok(Bundles {
        loader: measure(&[dist.join("embed.js")])?,
        first_load: measure(&first_load_files(&dist)?)?,
        learn: measure(&module_files(&dist, "learn")?)?,
        records: measure(&module_files(&dist, "records")?)?,
        console: measure(&first_load_files(&root().join("console/dist"))?)?,
    })
}

fn row(name: &str, size: Size, budget: Option<usize>) {
    let budget = budget.map_or_else(String::new, |b| format!("≤ {b}"));
    println!(
        "| {name:<34} | {:>10} | {:>10} | {budget:>10} |",
        size.raw, size.brotli
    );
}

/// Prints the size table.
pub fn print(bundles: &Bundles) {
    println!(
        "| {:<34} | {:>10} | {:>10} | {:>10} |",
        "bundle", "raw B", "brotli B", "budget"
    );
    println!("|{:-<36}|{:-<12}|{:-<12}|{:-<12}|", "", "", "", "");
    row("embed.js (loader)", bundles.loader, Some(LOADER_BUDGET));
    row(
        "patient first load",
        bundles.first_load,
        Some(FIRST_LOAD_BUDGET),
    );
    row("Learn module (when Learn opens)", bundles.learn, None);
    row("My record module (when it opens)", bundles.records, None);
    row("staff console (not for patients)", bundles.console, None);
}

/// Fails when a bundle is over its budget.
pub fn gate(bundles: &Bundles) -> Result {
    let mut over = Vec::new();
    if bundles.loader.brotli > LOADER_BUDGET {
        over.push(format!(
            "embed.js is {} B brotli, over its {LOADER_BUDGET} B budget",
            bundles.loader.brotli
        ));
    }
    if bundles.first_load.brotli > FIRST_LOAD_BUDGET {
        over.push(format!(
            "the patient first load is {} B brotli, over its {FIRST_LOAD_BUDGET} B budget",
            bundles.first_load.brotli
        ));
    }
    if over.is_empty() {
        Ok(())
    } else {
        Err(over.join("; "))
    }
}
