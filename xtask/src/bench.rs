//! `cargo xtask bench`: bundle sizes, appointment intake throughput (the real server against a
//! bare insert, on SQLite and PostgreSQL), then three benchmarks in headless Chromium: search
//! (Haven against MiniSearch on the shipped pack and a synthetic 2,000-topic pack, and recall
//! and top-1 on the labelled patient queries), the record (the vault against Dexie, the
//! timeline, search, export and import of 10,000 entries, and unlocking), and the time from
//! the launcher to Learn's search box on a slow network and CPU.

use std::fs;
use std::path::Path;

use serde_json::{Value, json};

use crate::util::{Result, cargo, root, step, tool_path};

/// Topics in the synthetic pack.
const SYNTHETIC_TOPICS: usize = 2_000;

/// One benchmark: prepares its data, runs, prints its rows.
type Benchmark = fn() -> Result;

/// Runs every benchmark and prints the results. Each benchmark prepares its own data and
/// runs on its own, so one that fails does not hide the others; the failures are printed
/// with their output and end the task with an error.
pub fn run() -> Result {
    crate::install::build_tools()?;
    crate::install::test_tools()?;
    crate::build::all()?;
    step("bundle sizes");
    crate::sizes::print(&crate::sizes::bundles()?);
    let benchmarks: [(&str, Benchmark); 4] = [
        (
            "appointment intake: the real server against a bare insert, SQLite and PostgreSQL",
            intake,
        ),
        (
            "search: Haven against MiniSearch in headless Chromium",
            search,
        ),
        (
            "record: 10,000 entries in headless Chromium, against Dexie",
            record,
        ),
        ("time to Learn on a slow network and CPU", time_to_learn),
    ];
    let mut failed = Vec::new();
    for (name, benchmark) in benchmarks {
        step(name);
        if let Err(error) = benchmark() {
            eprintln!("{error}");
            failed.push(name);
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("benchmarks failed: {}", failed.join("; ")))
    }
}

/// Requests per second and latency of appointment intake under 64 concurrent clients, beside
/// a bare handler inserting the same row (`server/tests/intake_bench.rs`), on SQLite and on a
/// throwaway PostgreSQL cluster.
fn intake() -> Result {
    let command = || {
        let mut command = cargo();
        command
            .args(["test", "--release", "-p", "haven-server"])
            .args(["--test", "intake_bench", "--", "--ignored", "--nocapture"]);
        command
    };
    print_rows(
        "intake on SQLite",
        &bench_rows("intake_bench", &mut command())?,
    );
    let cluster = crate::postgres::Cluster::start()?;
    let mut postgres = command();
    postgres.env("HAVEN_TEST_POSTGRES_URL", &cluster.url);
    print_rows(
        "intake on PostgreSQL",
        &bench_rows("intake_bench", &mut postgres)?,
    );
    Ok(())
}

fn record() -> Result {
    let dir = root().join("target/bench");
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let dexie = root().join("node_modules/dexie/dist/modern/dexie.mjs");
    fs::copy(&dexie, dir.join("dexie.js")).map_err(|e| format!("{}: {e}", dexie.display()))?;
    print_rows("record measurement", &browser_bench("record_bench", None)?);
    Ok(())
}

/// The launcher-to-search-box time on the demo page, with the real server and the built
/// widget (`tests/learn_time_bench.rs`).
fn time_to_learn() -> Result {
    let mut command = cargo();
    command
        .args(["test", "-p", "haven", "--features", "bench"])
        .args(["--test", "learn_time_bench", "--", "--nocapture"])
        .env("HAVEN_CHROMEDRIVER", "/usr/bin/chromedriver")
        .env("HAVEN_CHROME", "/usr/bin/chromium");
    print_rows(
        "time to Learn",
        &bench_rows("learn_time_bench", &mut command)?,
    );
    Ok(())
}

fn search() -> Result {
    let dir = root().join("target/bench");
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    crate::util::exec(
        cargo()
            .args(["run", "-q", "-p", "haven-server", "--", "content", "build"])
            .arg(root().join("content"))
            .arg("--out")
            .arg(&dir),
    )?;
    let english = read_json(&dir.join("pack.en.json"))?;
    write_json(
        &dir.join("synthetic.json"),
        &synthetic(&english, SYNTHETIC_TOPICS),
    )?;
    write_json(
        &dir.join("queries.json"),
        &queries(&root().join("content/queries"))?,
    )?;
    print_rows(
        "search measurement",
        &browser_bench("search_bench", Some(&dir))?,
    );
    Ok(())
}

/// Runs the wasm-bindgen-test benchmark `test` (a release build, in headless Chromium) and
/// returns its `BENCH|name|value` lines.
fn browser_bench(test: &str, data: Option<&Path>) -> Result<Vec<(String, String)>> {
    let mut command = cargo();
    command
        .args([
            "test",
            "-p",
            "haven",
            "--profile",
            "bench-wasm",
            "--features",
            "bench",
            "--target",
            "wasm32-unknown-unknown",
            "--test",
            test,
            "--",
            "--nocapture",
        ])
        .env("PATH", tool_path())
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .env(
            "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
            root().join("webdriver.json"),
        )
        .env("WASM_BINDGEN_TEST_TIMEOUT", "600");
    if let Some(dir) = data {
        command.env("HAVEN_BENCH_DIR", dir);
    }
    bench_rows(test, &mut command)
}

/// Runs a benchmark command and returns its `BENCH|name|value` lines; when it fails, the
/// error carries the end of what it printed.
fn bench_rows(test: &str, command: &mut std::process::Command) -> Result<Vec<(String, String)>> {
    println!("$ cargo test … --test {test}");
    let out = command
        .output()
        .map_err(|e| format!("could not run the {test} benchmark: {e}"))?;
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let tail = || {
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(60)..].join("\n")
    };
    if !out.status.success() {
        return Err(format!(
            "the {test} benchmark failed ({}):\n{}",
            out.status,
            tail()
        ));
    }
    let rows: Vec<(String, String)> = log
        .lines()
        .filter_map(|line| line.split_once("BENCH|"))
        .filter_map(|(_, rest)| rest.split_once('|'))
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
    if rows.is_empty() {
        return Err(format!(
            "the {test} benchmark printed no results:\n{}",
            tail()
        ));
    }
    Ok(rows)
}

fn print_rows(heading: &str, rows: &[(String, String)]) {
    println!("| {heading:<64} | {:>12} |", "value");
    println!("|{:-<66}|{:-<14}|", "", "");
    for (name, value) in rows {
        println!("| {name:<64} | {value:>12} |");
    }
}

fn read_json(path: &Path) -> Result<Value> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn write_json(path: &Path, value: &Value) -> Result {
    fs::write(path, value.to_string()).map_err(|e| format!("{}: {e}", path.display()))
}

/// A pack of `count` topics made from the shipped ones: each copy keeps a real topic's text
/// and gains a title suffix and a sentence of invented words, so the vocabulary grows with
/// the pack as it would with real topics.
fn synthetic(pack: &Value, count: usize) -> Value {
    let topics = pack["topics"].as_array().cloned().unwrap_or_default();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let syllables = [
        "ka", "lo", "mi", "ren", "tu", "sa", "vel", "dor", "pri", "an", "xe", "qu", "bo", "ni",
        "st", "ph", "or", "ul", "ez", "ia",
    ];
    let mut word = || {
        let length = 2 + (next() % 3) as usize;
        (0..length)
            .map(|_| syllables[(next() % syllables.len() as u64) as usize])
            .collect::<String>()
    };
    let out: Vec<Value> = (0..count)
        .map(|i| {
            let mut topic = topics[i % topics.len()].clone();
            let id = format!("{}-{i}", topic["id"].as_str().unwrap_or("topic"));
            let title = format!("{} {}", topic["title"].as_str().unwrap_or(""), word());
            let extra: Vec<String> = (0..12).map(|_| word()).collect();
            let summary = format!(
                "{} {}",
                topic["summary"].as_str().unwrap_or(""),
                extra.join(" ")
            );
            topic["id"] = json!(id);
            topic["title"] = json!(title);
            topic["summary"] = json!(summary);
            topic
        })
        .collect();
    let mut synthetic = pack.clone();
    synthetic["topics"] = json!(out);
    synthetic
}

/// Every labelled query in `content/queries/*.toml`, as JSON.
fn queries(dir: &Path) -> Result<Value> {
    let mut all = Vec::new();
    let mut files: Vec<_> = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    for path in files {
        let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let table: toml::Table =
            toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let list = table
            .get("query")
            .and_then(|q| q.as_array())
            .cloned()
            .unwrap_or_default();
        for query in list {
            all.push(json!({
                "lang": query.get("lang").and_then(|v| v.as_str()).unwrap_or("en"),
                "text": query.get("text").and_then(|v| v.as_str()).unwrap_or(""),
                "expect": query.get("expect").and_then(|v| v.as_array()).map(|list| {
                    list.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>()
                }).unwrap_or_default(),
            }));
        }
    }
    Ok(json!(all))
}
