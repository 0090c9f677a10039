//! Bundle sizes as the server sends them: the `.br` files the build writes beside every
//! file (brotli at quality 11), which the server serves as they are. Printed by `cargo xtask
//! bench` and gated by `cargo xtask test`; the end-to-end test `bundle_bytes_as_chromium_
//! fetches_them` checks the same gates against Chromium's own count of the bytes it fetched.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::Path;

use crate::util::{Result, root};

/// The loader's budget, brotli-compressed.
pub const LOADER_BUDGET: usize = 2_048;
/// Opening the widget at Learn until its search box takes input (pack excluded).
pub const LEARN_BUDGET: usize = 200_000;
/// Opening any section other than Learn and My record (Settings, Community): the shell.
pub const SHELL_BUDGET: usize = 150_000;
/// Opening Appointments with its request form: the shell and what the appointment chunk adds.
/// No target of its own; the form (Leptos views for every field, the draft, the status list)
/// is at 264,473 today, and this gate holds the line until the form is lighter or loads
/// when the patient starts a request.
pub const APPOINTMENTS_BUDGET: usize = 265_500;

/// `bytes` compressed with brotli at quality 11, as the build pre-compresses them.
pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        writer
            .write_all(bytes)
            .expect("compressing to memory cannot fail");
    }
    out
}

/// Raw and brotli sizes of a set of files.
#[derive(Debug, Clone, Copy, Default)]
pub struct Size {
    /// Bytes on disk.
    pub raw: usize,
    /// Bytes of the `.br` copy the server sends.
    pub brotli: usize,
}

fn measure<'a>(dist: &Path, urls: impl IntoIterator<Item = &'a String>) -> Result<Size> {
    urls.into_iter().try_fold(Size::default(), |sum, url| {
        let path = dist.join(url.trim_start_matches('/').trim_start_matches("console/"));
        let raw = fs::metadata(&path)
            .map_err(|e| format!("{}: {e} (run `cargo xtask build`)", path.display()))?
            .len() as usize;
        let mut br = path.clone().into_os_string();
        br.push(".br");
        let brotli = fs::metadata(&br)
            .map_err(|e| format!("{}.br: {e} (run `cargo xtask build`)", path.display()))?
            .len() as usize;
        Ok(Size {
            raw: sum.raw + raw,
            brotli: sum.brotli + brotli,
        })
    })
}

/// The URL paths of the files `index.html` loads at start, whatever the section: itself and
/// the scripts, wasm and stylesheet its `href="…"` attributes name (not the icons or the
/// manifest, and not the chunks its preload script names for Learn only).
fn start_files(dist: &Path, public: &str) -> Result<Vec<String>> {
    let html = read_text(&dist.join("index.html"))?;
    let mut files = vec![format!("{public}index.html")];
    for piece in html.split("href=\"").skip(1) {
        let url = piece.split('"').next().unwrap_or_default().to_owned();
        let is_code = [".js", ".wasm", ".css"]
            .iter()
            .any(|ext| url.ends_with(ext));
        if is_code && url.starts_with(public) && !files.contains(&url) {
            files.push(url);
        }
    }
    Ok(files)
}

fn read_text(path: &Path) -> Result<String> {
    fs::read_to_string(path)
        .map_err(|e| format!("{}: {e} (run `cargo xtask build`)", path.display()))
}

/// The chunk files the split section `name` needs, from the build's manifest.
fn split_files(name: &str) -> Result<Vec<String>> {
    let path = crate::build::chunk_manifest("haven");
    let manifest: serde_json::Value =
        serde_json::from_str(&read_text(&path)?).map_err(|e| format!("{}: {e}", path.display()))?;
    manifest[name]
        .as_array()
        .ok_or_else(|| format!("{} lists no section {name}", path.display()))?
        .iter()
        .map(|url| {
            url.as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("{}: not a path: {url}", path.display()))
        })
        .collect()
}

/// The URL paths of the section stylesheets in dist whose names start with `prefix`.
fn stylesheets(dist: &Path, prefix: &str) -> Result<Vec<String>> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dist).map_err(|e| format!("{}: {e}", dist.display()))? {
        let name = entry.map_err(|e| e.to_string())?.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(prefix) && name.ends_with(".css") {
            found.push(format!("/{name}"));
        }
    }
    Ok(found)
}

/// The bundle measurements.
pub struct Bundles {
    /// `embed.js`.
    pub loader: Size,
    /// Opening the widget at Learn until its search box takes input (pack excluded).
    pub learn: Size,
    /// Opening Settings or Community: the shell and that section's chunks (the larger).
    pub shell: Size,
    /// Opening Appointments: the shell and the section's chunks.
    pub appointments: Size,
    /// Opening the widget at My record until the timeline is usable.
    pub records: Size,
    /// Every file of every section: the shell, the link script and all chunks.
    pub whole: Size,
    /// The staff console's first load.
    pub console: Size,
}

/// Measures the built bundles.
pub fn bundles() -> Result<Bundles> {
    let dist = root().join("dist");
    let mut start = start_files(&dist, "/")?;
    // The link script that loads the chunks is imported by the main script.
    let glue = start
        .iter()
        .find(|url| url.ends_with(".js"))
        .ok_or("dist/index.html loads no script (run `cargo xtask build`)")?;
    let glue_source = read_text(&dist.join(glue.trim_start_matches('/')))?;
    let link = glue_source
        .split(['"', '\''])
        .find_map(|piece| piece.strip_prefix("./").filter(|f| f.starts_with("split-")))
        .map(|file| format!("/{file}"))
        .ok_or_else(|| format!("{glue} imports no split link script"))?;
    start.push(link.clone());
    let with = |split: &str| -> Result<Vec<String>> {
        let mut files: BTreeSet<String> = start.iter().cloned().collect();
        files.extend(split_files(split)?);
        Ok(files.into_iter().collect())
    };
    let mut shell = Size::default();
    for section in ["community", "settings"] {
        let size = measure(&dist, &with(section)?)?;
        if size.brotli > shell.brotli {
            shell = size;
        }
    }
    let mut whole: BTreeSet<String> = start.iter().cloned().collect();
    for entry in fs::read_dir(&dist).map_err(|e| format!("{}: {e}", dist.display()))? {
        let name = entry.map_err(|e| e.to_string())?.file_name();
        let name = name.to_string_lossy();
        if name.ends_with(".wasm") {
            whole.insert(format!("/{name}"));
        }
    }
    let console = root().join("console/dist");
    Ok(Bundles {
        loader: measure(&dist, &["/embed.js".to_owned()])?,
        learn: measure(&dist, &with("learn")?)?,
        shell,
        appointments: measure(&dist, &with("appointments")?)?,
        records: measure(&dist, &{
            let mut files = with("records")?;
            files.extend(stylesheets(&dist, "records-")?);
            files
        })?,
        whole: measure(&dist, &whole)?,
        console: measure(&console, &start_files(&console, "/console/")?)?,
    })
}

fn row(name: &str, size: Size, budget: Option<usize>) {
    let budget = budget.map_or_else(String::new, |b| format!("≤ {b}"));
    println!(
        "| {name:<40} | {:>10} | {:>10} | {budget:>10} |",
        size.raw, size.brotli
    );
}

/// Prints the size table.
pub fn print(bundles: &Bundles) {
    println!(
        "| {:<40} | {:>10} | {:>10} | {:>10} |",
        "bundle (as the server sends it)", "raw B", "brotli B", "budget"
    );
    println!("|{:-<42}|{:-<12}|{:-<12}|{:-<12}|", "", "", "", "");
    row("embed.js (loader)", bundles.loader, Some(LOADER_BUDGET));
    row(
        "Learn ready (pack excluded)",
        bundles.learn,
        Some(LEARN_BUDGET),
    );
    row(
        "shell + Settings or Community",
        bundles.shell,
        Some(SHELL_BUDGET),
    );
    row(
        "shell + Appointments (with its form)",
        bundles.appointments,
        Some(APPOINTMENTS_BUDGET),
    );
    row("My record ready (aim 300,000)", bundles.records, None);
    row("whole widget (aim 480,000)", bundles.whole, None);
    row("staff console (not for patients)", bundles.console, None);
}

/// Fails when a bundle is over its budget.
pub fn gate(bundles: &Bundles) -> Result {
    let mut over = Vec::new();
    for (name, size, budget) in [
        ("embed.js", bundles.loader, LOADER_BUDGET),
        ("Learn ready", bundles.learn, LEARN_BUDGET),
        (
            "the shell with Settings or Community",
            bundles.shell,
            SHELL_BUDGET,
        ),
        (
            "the shell with Appointments",
            bundles.appointments,
            APPOINTMENTS_BUDGET,
        ),
    ] {
        if size.brotli > budget {
            over.push(format!(
                "{name} is {} B brotli, over its {budget} B budget",
                size.brotli
            ));
        }
    }
    if over.is_empty() {
        Ok(())
    } else {
        Err(over.join("; "))
    }
}
