//! Builds the patient widget and the staff console for release, without Trunk.
//!
//! Each app's `index.html` is the one Trunk reads for `trunk serve`; this pipeline reads the
//! same `<link data-trunk …>` tags (`rust`, `css`, `copy-file`, `copy-dir`) and does the
//! release build itself, because the widget's feature sections are split into chunks of one
//! wasm program, which Trunk cannot do:
//!
//! 1. `cargo build --release` for wasm32 with `--cfg haven_split` and `--emit-relocs`;
//! 2. the widget is split at its `split_section!` points (`wasm_split_cli_support`): a main
//!    module, one chunk per section, shared chunks, and a small link script that loads them;
//! 3. `wasm-bindgen --target web --keep-lld-exports` on the main module only;
//! 4. `wasm-opt -Oz` on every module; esbuild minifies the scripts and the stylesheets (a
//!    section's own stylesheet, `data-haven-lazy`, is loaded by that section, its URL given
//!    to the program at compile time);
//! 5. every file gets a content-hashed name, `index.html` gets the tags that load them (with
//!    integrity hashes) and a script that preloads Learn's chunks when the widget opens at
//!    Learn, and the service worker gets the list of files to precache;
//! 6. every file is written beside its `.br` and `.gz` versions, which the server sends as
//!    they are.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine;
use sha2::{Digest, Sha256, Sha384};

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

/// Flags for every release wasm build. Both apps get the same ones, so the shared
/// dependencies are compiled once.
const RUSTFLAGS: &str = "--cfg haven_split -Clink-args=--emit-relocs";

/// The widget's split sections, as named in its `split_section!` declarations. The build
/// checks the splitter found exactly these.
const SECTIONS: &[&str] = &[
    "appointments",
    "appointments_attach",
    "community",
    "learn",
    "learn_pages",
    "outbox",
    "records",
    "records_backup",
    "settings",
];

/// Where code needed by several sections goes. The splitter's default, one chunk per set of
/// sections that need the code, makes dozens of small chunks, and every file pays about
/// 100 B of brotli overhead; Learn (the home section) fetched 40 of them. So:
/// - code both Learn and Settings need goes into the main module: almost every patient fetches
///   it on the first open, and it compresses better in one large file;
/// - other code Settings shares goes into one chunk that every section except Learn loads
///   (Settings and Community stay one fetch each beside the main module);
/// - the rest keeps the default.
fn regroup(needed_by: &BTreeSet<String>) -> Option<BTreeSet<String>> {
    match (needed_by.contains("learn"), needed_by.contains("settings")) {
        (true, true) => None,
        (false, true) => Some(
            SECTIONS
                .iter()
                .filter(|name| **name != "learn")
                .map(|name| (*name).to_owned())
                .collect(),
        ),
        _ => Some(BTreeSet::new()),
    }
}

/// The module name the split main module imports its chunk loaders from; replaced by the
/// hashed link script's name.
const LINK_PLACEHOLDER: &str = "./__wasm_split.js";
/// The module name the link script imports the main module's glue from; likewise replaced.
const MAIN_PLACEHOLDER: &str = "./__haven_main.js";

/// One app to build.
struct App<'a> {
    /// The folder holding its `index.html` (and the files it names).
    dir: PathBuf,
    /// The cargo package and binary.
    package: &'a str,
    /// The URL path the app is served at: `/` or `/console/`.
    public: &'a str,
}

/// Builds everything into `dist/` and `console/dist/`.
pub fn all() -> Result {
    step("fetch crates");
    exec(cargo().arg("fetch"))?;
    step("build the patient widget");
    site(&App {
        dir: root(),
        package: "haven",
        public: "/",
    })?;
    step("build the staff console");
    site(&App {
        dir: root().join("console"),
        package: "haven-console",
        public: "/console/",
    })
}

/// What one app's build produced, before `index.html` is written.
#[derive(Default)]
struct Output {
    /// Tags for `<head>`, in order.
    head: Vec<String>,
    /// Files written to dist (URL paths), for the service worker's precache list.
    files: Vec<String>,
}

fn site(app: &App) -> Result {
    let dist = app.dir.join("dist");
    if dist.exists() {
        fs::remove_dir_all(&dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    }
    fs::create_dir_all(&dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    let template = read(&app.dir.join("index.html"))?;
    let template = String::from_utf8(template).map_err(|_| "index.html is not UTF-8")?;
    let mut out = Output::default();
    // Stylesheets a section loads itself (`data-haven-lazy="records"`) are built first: the
    // program learns their hashed URLs at compile time (`HAVEN_CSS_RECORDS`).
    let mut lazy_css = Vec::new();
    for tag in template.split("<link data-trunk").skip(1) {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        if let (Some(name), Some(href)) =
            (attribute(tag, "data-haven-lazy"), attribute(tag, "href"))
        {
            let (url, _) = stylesheet(app, &dist, &href)?;
            out.files.push(url.clone());
            lazy_css.push((format!("HAVEN_CSS_{}", name.to_ascii_uppercase()), url));
        }
    }
    let mut html = String::new();
    let mut rest = template.as_str();
    while let Some(start) = rest.find("<link data-trunk") {
        html.push_str(&rest[..start]);
        let end = start
            + rest[start..]
                .find('>')
                .ok_or("an unclosed <link data-trunk")?
            + 1;
        let tag = &rest[start..end];
        let href = attribute(tag, "href");
        match attribute(tag, "rel").as_deref() {
            Some("rust") => rust(app, &dist, &lazy_css, &mut out)?,
            Some("css") if attribute(tag, "data-haven-lazy").is_some() => {}
            Some("css") => css(
                app,
                &dist,
                &href.ok_or("a css link without href")?,
                &mut out,
            )?,
            Some("copy-file") => {
                let from = app.dir.join(href.ok_or("a copy-file link without href")?);
                let name = from.file_name().ok_or("copy-file of a folder")?.to_owned();
                if name == "embed.js" {
                    // The loader every clinic page downloads: its readable source, minified.
                    esbuild(&from, &dist.join(&name), &["--legal-comments=none"])?;
                } else {
                    write(&dist.join(&name), &read(&from)?)?;
                }
                out.files
                    .push(format!("{}{}", app.public, name.to_string_lossy()));
            }
            Some("copy-dir") => {
                let from = app.dir.join(href.ok_or("a copy-dir link without href")?);
                let name = from.file_name().ok_or("copy-dir of nothing")?.to_owned();
                let prefix = format!("{}{}", app.public, name.to_string_lossy());
                out.files
                    .extend(copy_tree(&from, &dist.join(&name), &prefix)?);
            }
            other => return Err(format!("unknown data-trunk rel {other:?} in {tag}")),
        }
        // Keep the template's indentation for the next line.
        rest = rest[end..].strip_prefix('\n').unwrap_or(&rest[end..]);
        rest = rest.trim_start_matches(' ');
    }
    html.push_str(rest);
    let indent = "  ";
    let head = out
        .head
        .iter()
        .map(|tag| format!("{indent}{tag}\n"))
        .collect::<String>();
    let html = html.replacen("</head>", &format!("{head}</head>"), 1);
    write(&dist.join("index.html"), html.as_bytes())?;
    if dist.join("sw.js").exists() {
        stamp_service_worker(&dist, &out.files)?;
    }
    precompress(&dist)
}

/// The value of attribute `name` in a start tag written with double quotes.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = start + tag[start..].find('"')?;
    Some(tag[start..end].to_owned())
}

/// `integrity` value for `bytes`.
fn integrity(bytes: &[u8]) -> String {
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes))
    )
}

/// The target folder cargo builds into.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// Compiles, splits, binds, optimises and names the app's wasm program and its scripts.
fn rust(app: &App, dist: &Path, lazy_css: &[(String, String)], out: &mut Output) -> Result {
    let mut build = cargo();
    build
        .args(["build", "--release", "--offline"])
        .args(["--target", "wasm32-unknown-unknown"])
        .args(["--package", app.package, "--bin", app.package])
        .env("RUSTFLAGS", RUSTFLAGS);
    for (variable, url) in lazy_css {
        build.env(variable, url);
    }
    exec(&mut build)?;
    let linked = target_dir().join(format!(
        "wasm32-unknown-unknown/release/{}.wasm",
        app.package
    ));
    let work = target_dir().join("site").join(app.package);
    if work.exists() {
        fs::remove_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    }
    fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;

    // Every program goes through the splitter, which also drops the relocations that
    // `--emit-relocs` left in it; one without split points comes out whole.
    let input = read(&linked)?;
    let main = work.join("main.wasm");
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(&input);
        options.output_dir = &work;
        options.main_out_path = &main;
        options.link_name = LINK_PLACEHOLDER;
        options.main_module = MAIN_PLACEHOLDER;
        options.regroup = Some(&regroup);
        options
    })
    .map_err(|e| format!("splitting {}: {e:#}", linked.display()))?;
    let chunks = split.split_modules;
    let prefetch: BTreeMap<_, _> = split.prefetch_map.into_iter().collect();
    let is_split = !chunks.is_empty();
    if is_split
        && !prefetch
            .keys()
            .map(String::as_str)
            .eq(SECTIONS.iter().copied())
    {
        return Err(format!(
            "the splitter found the sections {:?}; update SECTIONS in xtask/src/build.rs",
            prefetch.keys().collect::<Vec<_>>()
        ));
    }

    let bindgen = work.join("bindgen");
    let mut command = Command::new("wasm-bindgen");
    command
        .args(["--target", "web", "--no-typescript", "--out-name", "app"])
        .arg("--out-dir")
        .arg(&bindgen)
        .arg(&main)
        .env("PATH", tool_path());
    if is_split {
        // The chunks import the main module's functions by their linker names.
        command.arg("--keep-lld-exports");
    }
    exec(&mut command)?;
    if bindgen.join("snippets").exists() {
        return Err("wasm-bindgen wrote snippets/, which this pipeline does not ship".into());
    }
    let main_wasm = bindgen.join("app_bg.wasm");
    drop_unused_exports(&main_wasm)?;
    for module in std::iter::once(&main_wasm).chain(&chunks) {
        wasm_opt(module)?;
    }

    // Chunks first: their names go into the link script.
    let link_source = work.join(LINK_PLACEHOLDER.trim_start_matches("./"));
    let mut link = if is_split {
        String::from_utf8(read(&link_source)?).map_err(|_| "the link script is not UTF-8")?
    } else {
        String::new()
    };
    let mut chunk_urls = BTreeMap::new();
    for chunk in &chunks {
        let bytes = read(chunk)?;
        let stem = chunk
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or("a chunk without a name")?;
        let name = format!("{stem}-{}.wasm", digest(&[&bytes]));
        let literal = format!("\"./{stem}.wasm\"");
        if !link.contains(&literal) {
            return Err(format!("the link script does not load {literal}"));
        }
        link = link.replace(&literal, &format!("\"./{name}\""));
        write(&dist.join(&name), &bytes)?;
        let url = format!("{}{name}", app.public);
        out.files.push(url.clone());
        chunk_urls.insert(stem.to_owned(), url);
    }

    let glue_path = bindgen.join("app.js");
    let glue = String::from_utf8(read(&glue_path)?).map_err(|_| "the glue is not UTF-8")?;
    write(&glue_path, drop_unused_glue(&glue)?.as_bytes())?;
    let glue = minify_js(&glue_path, &work.join("app.min.js"))?;
    let link = if is_split {
        write(&link_source, link.as_bytes())?;
        minify_js(&link_source, &work.join("link.min.js"))?
    } else {
        String::new()
    };
    let wasm = read(&main_wasm)?;
    let hash = digest(&[&wasm, glue.as_bytes(), link.as_bytes()]);
    let stem = format!("{}-{hash}", app.package);
    let link_name = format!("split-{hash}.js");
    let glue = if is_split {
        replace_module(&glue, LINK_PLACEHOLDER, &format!("./{link_name}"))?
    } else {
        glue
    };
    write(&dist.join(format!("{stem}_bg.wasm")), &wasm)?;
    write(&dist.join(format!("{stem}.js")), glue.as_bytes())?;
    out.files.push(format!("{}{stem}.js", app.public));
    out.files.push(format!("{}{stem}_bg.wasm", app.public));
    if is_split {
        let link = replace_module(&link, MAIN_PLACEHOLDER, &format!("./{stem}.js"))?;
        write(&dist.join(&link_name), link.as_bytes())?;
        out.files.push(format!("{}{link_name}", app.public));
    }

    let js_url = format!("{}{stem}.js", app.public);
    let wasm_url = format!("{}{stem}_bg.wasm", app.public);
    let wasm_integrity = integrity(&wasm);
    out.head.push(format!(
        "<link rel=\"modulepreload\" href=\"{js_url}\" integrity=\"{}\">",
        integrity(glue.as_bytes())
    ));
    out.head.push(format!(
        "<link rel=\"preload\" href=\"{wasm_url}\" as=\"fetch\" type=\"application/wasm\" \
         crossorigin integrity=\"{wasm_integrity}\">"
    ));
    // Which files each section needs, for the size gates (`sizes.rs`).
    let mut manifest = serde_json::Map::new();
    for (split, stems) in &prefetch {
        let urls = stems
            .iter()
            .map(|stem| {
                chunk_urls
                    .get(stem)
                    .cloned()
                    .ok_or_else(|| format!("the {split} split needs {stem}, which was not built"))
            })
            .collect::<Result<Vec<_>>>()?;
        manifest.insert(split.clone(), urls.into());
    }
    write(
        &chunk_manifest(app.package),
        serde_json::Value::Object(manifest).to_string().as_bytes(),
    )?;
    if let Some(learn) = prefetch.get("learn") {
        // Learn is the home section: when the widget opens there, its chunks download beside
        // the main module instead of after it has started.
        let urls = learn
            .iter()
            .map(|stem| {
                chunk_urls
                    .get(stem)
                    .map(|url| format!("'{url}'"))
                    .ok_or_else(|| format!("the learn split needs {stem}, which was not built"))
            })
            .collect::<Result<Vec<_>>>()?;
        out.head.push(format!(
            "<script>if(/^\\/(learn(\\/|$)|index\\.html$|$)/.test(location.pathname))\
             for(const u of[{}]){{const l=document.createElement('link');l.rel='preload';\
             l.as='fetch';l.crossOrigin='';l.href=u;document.head.append(l)}}</script>",
            urls.join(",")
        ));
    }
    out.head.push(format!(
        "<script type=\"module\">import init from '{js_url}';\
         await init({{module_or_path:fetch('{wasm_url}',{{integrity:'{wasm_integrity}'}})}});\
         </script>"
    ));
    Ok(())
}

/// Where the build records which chunk files each split section loads: a JSON object from
/// the section's name to its files' URL paths.
pub fn chunk_manifest(package: &str) -> PathBuf {
    target_dir().join("site").join(package).join("chunks.json")
}

/// Replaces the module specifier `from` in the script's `import … from` statements with `to`
/// (other mentions, such as the key of the wasm imports object, stay).
fn replace_module(source: &str, from: &str, to: &str) -> Result<String> {
    let mut replaced = source.to_owned();
    for space in ["", " "] {
        for quote in ['"', '\''] {
            let import = format!("from{space}{quote}{from}{quote}");
            replaced = replaced.replace(&import, &format!("from{space}{quote}{to}{quote}"));
        }
    }
    if replaced == source {
        return Err(format!("a script does not import {from}"));
    }
    Ok(replaced)
}

/// Exports that nothing calls: the stream adapters `server_fn` (a Leptos dependency) exports
/// to JavaScript for streaming server functions, which Haven does not use. Their glue stays
/// in the script (a few hundred bytes, never constructed); without the exports, wasm-opt
/// removes their code.
const UNUSED_EXPORT: &str = "intounderlying";

/// Removes the [`UNUSED_EXPORT`] exports from a bound module, in place.
fn drop_unused_exports(path: &Path) -> Result {
    use wasm_encoder::{ExportKind, ExportSection, Module, RawSection};
    use wasmparser::{ExternalKind, Parser, Payload};
    let bytes = read(path)?;
    let mut module = Module::new();
    let mut dropped = 0;
    for payload in Parser::new(0).parse_all(&bytes) {
        let payload = payload.map_err(|e| format!("{}: {e}", path.display()))?;
        if let Payload::ExportSection(reader) = &payload {
            let mut exports = ExportSection::new();
            for export in reader.clone() {
                let export = export.map_err(|e| format!("{}: {e}", path.display()))?;
                if export.name.contains(UNUSED_EXPORT) {
                    dropped += 1;
                    continue;
                }
                let kind = match export.kind {
                    ExternalKind::Func | ExternalKind::FuncExact => ExportKind::Func,
                    ExternalKind::Table => ExportKind::Table,
                    ExternalKind::Memory => ExportKind::Memory,
                    ExternalKind::Global => ExportKind::Global,
                    ExternalKind::Tag => ExportKind::Tag,
                };
                exports.export(export.name, kind, export.index);
            }
            module.section(&exports);
        } else if let Some((id, range)) = payload.as_section() {
            module.section(&RawSection {
                id,
                data: &bytes[range.start as usize..range.end as usize],
            });
        }
    }
    println!("dropped {dropped} unused exports from {}", path.display());
    write(path, &module.finish())
}

/// Removes the script side of the [`UNUSED_EXPORT`] classes from wasm-bindgen's glue: each
/// `export class IntoUnderlying… { … }` with its `Symbol.dispose` line, its
/// `FinalizationRegistry`, and the enum only they use. Fails when the glue no longer has
/// that shape (a new wasm-bindgen), rather than ship something half-removed.
fn drop_unused_glue(glue: &str) -> Result<String> {
    let mut kept = String::with_capacity(glue.len());
    let mut lines = glue.lines();
    let mut dropped = 0;
    while let Some(line) = lines.next() {
        let class = line
            .strip_prefix("export class ")
            .and_then(|rest| rest.strip_suffix(" {"))
            .filter(|name| name.to_ascii_lowercase().contains(UNUSED_EXPORT));
        if let Some(name) = class {
            let end = format!("if (Symbol.dispose) {name}.prototype[Symbol.dispose]");
            if !lines.by_ref().any(|line| line.starts_with(&end)) {
                return Err(format!(
                    "the glue's class {name} has no Symbol.dispose line"
                ));
            }
            dropped += 1;
            continue;
        }
        let registry = line
            .strip_prefix("const ")
            .and_then(|rest| rest.split_once("Finalization = "))
            .filter(|(name, _)| name.to_ascii_lowercase().contains(UNUSED_EXPORT));
        if registry.is_some() {
            if !lines.by_ref().any(|line| line.trim_end().ends_with(");")) {
                return Err(format!("the glue's {line} does not end"));
            }
            continue;
        }
        if line.starts_with("const __wbindgen_enum_ReadableStreamType") {
            continue;
        }
        kept.push_str(line);
        kept.push('\n');
    }
    if dropped == 0 {
        return Err("the glue has no stream adapter classes to drop".into());
    }
    if kept.contains("IntoUnderlying") || kept.contains("ReadableStreamType") {
        return Err("the glue still names the stream adapters after dropping them".into());
    }
    Ok(kept)
}

/// `wasm-opt -Oz` in place, with the features Rust's wasm32 target emits.
fn wasm_opt(path: &Path) -> Result {
    exec(
        Command::new("wasm-opt")
            .args([
                "-Oz",
                "--strip-debug",
                "--strip-producers",
                "--strip-target-features",
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-mutable-globals",
                "--enable-reference-types",
                "--enable-multivalue",
                "-o",
            ])
            .arg(path)
            .arg(path)
            .env("PATH", tool_path()),
    )
}

/// Minifies an ES module with esbuild; returns the minified text.
fn minify_js(from: &Path, to: &Path) -> Result<String> {
    // wasm-bindgen names the link script once per imported function in one object literal;
    // the repeated keys all hold the same module.
    esbuild(
        from,
        to,
        &[
            "--format=esm",
            "--target=es2022",
            "--log-override:duplicate-object-key=silent",
        ],
    )
}

fn esbuild(from: &Path, to: &Path, args: &[&str]) -> Result<String> {
    exec(
        Command::new("esbuild")
            .arg(from)
            .arg("--minify")
            .arg("--log-level=warning")
            .args(args)
            .arg(format!("--outfile={}", to.display()))
            .env("PATH", tool_path()),
    )?;
    String::from_utf8(read(to)?).map_err(|_| format!("{} is not UTF-8", to.display()))
}

/// Minifies a stylesheet and links it with its integrity hash.
fn css(app: &App, dist: &Path, href: &str, out: &mut Output) -> Result {
    let (url, css) = stylesheet(app, dist, href)?;
    out.head.push(format!(
        "<link rel=\"stylesheet\" href=\"{url}\" integrity=\"{}\">",
        integrity(css.as_bytes())
    ));
    out.files.push(url);
    Ok(())
}

/// Minifies the stylesheet `href` into dist under a content-hashed name; returns its URL and
/// the minified text.
fn stylesheet(app: &App, dist: &Path, href: &str) -> Result<(String, String)> {
    let from = app.dir.join(href);
    let stem = from
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or("a stylesheet without a name")?
        .to_owned();
    let work = target_dir().join("site").join(app.package);
    fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let css = esbuild(&from, &work.join(format!("{stem}.min.css")), &[])?;
    let name = format!("{stem}-{}.css", digest(&[css.as_bytes()]));
    write(&dist.join(&name), css.as_bytes())?;
    Ok((format!("{}{name}", app.public), css))
}

fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result {
    fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// Copies the files under `from` into `to`, returning their URL paths (`{prefix}/b.js`).
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
            write(&to.join(&name), &read(&path)?)?;
            urls.push(url);
        }
    }
    Ok(urls)
}

/// Writes a fingerprint of the build into `sw.js`, so each release is a new service worker
/// that replaces the old one, and the list of files it precaches, so every section works
/// offline after the first visit.
fn stamp_service_worker(dist: &Path, files: &[String]) -> Result {
    let sw = dist.join("sw.js");
    let mut contents = Vec::new();
    for url in files.iter().filter(|url| !url.ends_with("/sw.js")) {
        contents.push(read(&dist.join(url.trim_start_matches('/')))?);
    }
    contents.push(read(&dist.join("index.html"))?);
    let parts: Vec<&[u8]> = contents.iter().map(Vec::as_slice).collect();
    let build = digest(&parts);
    let source = String::from_utf8(read(&sw)?).map_err(|_| "sw.js is not UTF-8")?;
    for placeholder in ["__HAVEN_BUILD__", "'__HAVEN_FILES__'"] {
        if !source.contains(placeholder) {
            return Err(format!("dist/sw.js has no {placeholder} placeholder"));
        }
    }
    let list: Vec<String> = files
        .iter()
        .filter(|url| !url.ends_with("/sw.js") && !url.ends_with("/embed.js"))
        .map(|url| format!("'{url}'"))
        .collect();
    let source = source
        .replace("__HAVEN_BUILD__", &build)
        .replace("'__HAVEN_FILES__'", &list.join(", "));
    write(&sw, source.as_bytes())?;
    println!("service worker build {build}");
    Ok(())
}

/// File types worth compressing (images in PNG are compressed already).
const COMPRESSIBLE: [&str; 8] = [
    "html",
    "js",
    "wasm",
    "css",
    "svg",
    "json",
    "webmanifest",
    "txt",
];

/// Writes `name.br` (brotli, quality 11) and `name.gz` (gzip, level 9) beside every
/// compressible file under `dir`, for the server to send as they are.
pub fn precompress(dir: &Path) -> Result {
    for entry in fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            precompress(&path)?;
            continue;
        }
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !COMPRESSIBLE.contains(&extension) {
            continue;
        }
        let bytes = read(&path)?;
        let mut name = path.clone().into_os_string();
        name.push(".br");
        write(Path::new(&name), &crate::sizes::brotli(&bytes))?;
        let mut name = path.into_os_string();
        name.push(".gz");
        write(Path::new(&name), &gzip(&bytes))?;
    }
    Ok(())
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder
        .write_all(bytes)
        .expect("compressing to memory cannot fail");
    encoder.finish().expect("compressing to memory cannot fail")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn code_learn_and_settings_share_is_the_main_module_s() {
        assert_eq!(regroup(&set(&["learn", "settings"])), None);
        assert_eq!(regroup(&set(&["learn", "records", "settings"])), None);
    }

    #[test]
    fn code_settings_shares_without_learn_is_one_chunk_for_every_section_but_learn() {
        let common: BTreeSet<String> = set(SECTIONS)
            .into_iter()
            .filter(|name| name != "learn")
            .collect();
        assert_eq!(
            regroup(&set(&["appointments", "settings"])),
            Some(common.clone())
        );
        assert_eq!(
            regroup(&set(&["outbox", "records", "settings"])),
            Some(common)
        );
    }

    #[test]
    fn other_shared_code_keeps_its_own_chunk() {
        assert_eq!(
            regroup(&set(&["learn", "learn_pages"])),
            Some(BTreeSet::new())
        );
        assert_eq!(
            regroup(&set(&["records", "records_backup"])),
            Some(BTreeSet::new())
        );
    }
}
