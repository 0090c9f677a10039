//! One runtime, chunks per section: what Chromium downloads, offline use across a new
//! deployment, and a chunk that cannot be fetched.

use std::collections::BTreeMap;
use std::path::Path;

use base64::Engine;
use fantoccini::key::Key;
use serde_json::Value;
use sha2::{Digest, Sha384};

use crate::harness::{Haven, SessionCommand};

/// Opening the widget at Learn until its search box takes input (pack excluded), brotli as
/// the server sends it: the gate `cargo xtask test` also checks from the files on disk.
const LEARN_BUDGET: u64 = 200_000;
/// Opening any section other than Learn and My record (Settings here): the shell.
const SHELL_BUDGET: u64 = 150_000;

/// Learn's search box, found by its label.
const SEARCH_BOX: &str = "//input[@id=//label[normalize-space()='Search health topics']/@for]";

/// Every request of the page so far, from Chromium's resource timing (the document and each
/// file), with the body bytes as they came over the network (compressed).
async fn fetched(haven: &Haven) -> Vec<(String, u64)> {
    fetched_by(haven, "true").await
}

/// The requests of the page that started before `until` (a script expression over the list
/// of entries `all`, such as the end of one file's download, or `true` for every request).
async fn fetched_by(haven: &Haven, until: &str) -> Vec<(String, u64)> {
    let entries = haven
        .js(&format!(
            "const all = [...performance.getEntriesByType('navigation'),
                          ...performance.getEntriesByType('resource')];
             const until = {until};
             return all.filter(e => until === true || e.startTime <= until)
                 .map(e => [new URL(e.name).pathname, e.encodedBodySize])"
        ))
        .await;
    entries_of(&entries)
}

/// `[[path, bytes], …]` from a script, as pairs.
fn entries_of(entries: &Value) -> Vec<(String, u64)> {
    entries
        .as_array()
        .expect("a list of entries")
        .iter()
        .map(|entry| {
            (
                entry[0].as_str().unwrap_or_default().to_owned(),
                entry[1].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

/// The bytes of the widget's code in `entries`: the page, scripts, wasm and stylesheets (not
/// the API, icons or manifest).
fn code_bytes(entries: &[(String, u64)]) -> u64 {
    entries
        .iter()
        .filter(|(path, _)| {
            !path.starts_with("/api/")
                && (!path.contains('.')
                    || [".html", ".js", ".wasm", ".css"]
                        .iter()
                        .any(|ext| path.ends_with(ext)))
        })
        .map(|(_, bytes)| bytes)
        .sum()
}

/// Opens `path` in a fresh browser and waits for `ready`; returns what was fetched until the
/// section's chunk (`/split_{chunk}-…`) had arrived (what the patient waited for; the offline
/// worker's precache and the outbox's sender start after it), and everything fetched by the
/// time `then` shows.
async fn first_visit(
    path: &str,
    chunk: &str,
    ready: &str,
    then: &str,
) -> (Vec<(String, u64)>, Vec<(String, u64)>) {
    let haven = Haven::start().await;
    haven
        .client
        .goto(&format!("{}{path}", haven.widget))
        .await
        .unwrap();
    haven.find(ready).await;
    let entries = fetched_by(
        &haven,
        &format!(
            "all.find(e => new URL(e.name).pathname.startsWith('/split_{chunk}-')).responseEnd"
        ),
    )
    .await;
    haven.find(then).await;
    let later = fetched(&haven).await;
    haven.finish().await;
    (entries, later)
}

#[tokio::test]
async fn bundle_bytes_as_chromium_fetches_them_stay_within_the_gates() {
    let (learn, results_ready) = first_visit(
        "/learn",
        "learn",
        SEARCH_BOX,
        "//h2[normalize-space()='Browse topics']",
    )
    .await;
    let pack: u64 = results_ready
        .iter()
        .filter(|(path, _)| path.starts_with("/api/content/"))
        .map(|(_, bytes)| bytes)
        .sum();
    let waiting = "//h2[normalize-space()='Waiting to send']";
    let (settings, _) = first_visit("/settings", "settings", waiting, waiting).await;
    let record_nav = "//nav[contains(@class, 'record-nav')]";
    let (records, _) = first_visit("/records", "records", record_nav, record_nav).await;
    println!(
        "BYTES|learn ready|{}\nBYTES|education pack|{pack}\nBYTES|settings ready|{}\n\
         BYTES|my record ready|{}",
        code_bytes(&learn),
        code_bytes(&settings),
        code_bytes(&records)
    );
    assert!(
        learn
            .iter()
            .any(|(path, _)| path.starts_with("/split_learn-")),
        "Learn's chunk was fetched: {learn:?}"
    );
    assert!(
        code_bytes(&learn) <= LEARN_BUDGET,
        "Learn ready is {} B, over {LEARN_BUDGET}: {learn:?}",
        code_bytes(&learn)
    );
    assert!(
        code_bytes(&settings) <= SHELL_BUDGET,
        "Settings ready is {} B, over {SHELL_BUDGET}: {settings:?}",
        code_bytes(&settings)
    );
    assert!(
        !settings
            .iter()
            .any(|(path, _)| path.starts_with("/split_learn-")
                || path.starts_with("/split_records-")),
        "opening Settings fetches no other section's chunk: {settings:?}"
    );
}

#[tokio::test]
async fn learn_then_my_record_then_settings_by_keyboard_download_the_runtime_once() {
    let haven = Haven::start().await;
    haven
        .client
        .goto(&format!("{}/learn", haven.widget))
        .await
        .unwrap();
    haven.find(SEARCH_BOX).await;
    for (name, ready) in [
        ("My record", "//nav[contains(@class, 'record-nav')]"),
        (
            "Settings & privacy",
            "//h2[normalize-space()='Waiting to send']",
        ),
    ] {
        let link = haven
            .find(&format!(
                "//nav[@aria-label='Sections']//a[normalize-space()='{name}']"
            ))
            .await;
        link.send_keys(&Key::Enter.to_string()).await.unwrap();
        haven.heading(name).await;
        haven.find(ready).await;
    }
    let entries = fetched(&haven).await;
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (path, _) in &entries {
        *counts.entry(path.as_str()).or_default() += 1;
    }
    let runtime: Vec<_> = counts
        .iter()
        .filter(|(path, _)| path.ends_with("_bg.wasm"))
        .collect();
    assert_eq!(
        runtime.len(),
        1,
        "one main module, shared by every section: {counts:?}"
    );
    for (path, count) in &counts {
        if path.ends_with(".wasm") || path.ends_with(".js") {
            assert_eq!(*count, 1, "{path} was downloaded once: {counts:?}");
        }
    }
    for chunk in ["/split_learn-", "/split_records-", "/split_settings-"] {
        assert!(
            counts.keys().any(|path| path.starts_with(chunk)),
            "{chunk} was loaded: {counts:?}"
        );
    }
    haven.finish().await;
}

#[tokio::test]
async fn a_chunk_that_cannot_be_fetched_offers_a_retry_that_works_once_the_server_is_back() {
    let mut haven = Haven::start().await;
    haven
        .client
        .goto(&format!("{}/learn", haven.widget))
        .await
        .unwrap();
    haven.find(SEARCH_BOX).await;
    // Nothing cached: neither the offline worker nor the browser's cache hides the failure.
    for (command, params) in [
        ("Network.enable", serde_json::json!({})),
        (
            "Network.setBypassServiceWorker",
            serde_json::json!({ "bypass": true }),
        ),
        ("Network.clearBrowserCache", serde_json::json!({})),
    ] {
        haven
            .client
            .issue_cmd(SessionCommand::cdp(command, params))
            .await
            .unwrap();
    }
    haven.stop_server().await;
    let link = haven
        .find("//nav[@aria-label='Sections']//a[normalize-space()='Community']")
        .await;
    link.send_keys(&Key::Enter.to_string()).await.unwrap();
    haven.heading("Community").await;
    let alert = haven
        .find("//*[@role='alert'][contains(., 'cannot be loaded right now')]")
        .await;
    let retry = alert
        .find(fantoccini::Locator::XPath(
            ".//button[normalize-space()='Reload']",
        ))
        .await
        .unwrap();
    haven.restart_server().await;
    retry.send_keys(&Key::Enter.to_string()).await.unwrap();
    haven.find("//h2[normalize-space()='Groups']").await;
    haven.finish().await;
}

/// A copy of the built widget as a new deployment would be: every content-hashed file gets
/// a new name (the old names are gone from the server), the scripts and pages that name them
/// follow, and the service worker is a new build.
/// Returns the new main script's path.
fn new_build(dist: &Path, to: &Path) -> String {
    let mut renames = BTreeMap::new();
    for entry in std::fs::read_dir(dist).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let Some((stem, rest)) = name.split_once('-') else {
            continue;
        };
        let hash = &rest[..16.min(rest.len())];
        if hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()) {
            let fresh: String = hash.chars().rev().collect();
            renames.insert(format!("{stem}-{hash}"), format!("{stem}-{fresh}"));
        }
    }
    std::fs::create_dir_all(to).unwrap();
    let rename = |text: &str| {
        renames
            .iter()
            .fold(text.to_owned(), |text, (old, new)| text.replace(old, new))
    };
    for entry in std::fs::read_dir(dist).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            let target = to.join(&name);
            std::fs::create_dir_all(&target).unwrap();
            for file in std::fs::read_dir(&path).unwrap() {
                let file = file.unwrap().path();
                std::fs::copy(&file, target.join(file.file_name().unwrap())).unwrap();
            }
            continue;
        }
        if name.ends_with(".br") || name.ends_with(".gz") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let bytes = if name.ends_with(".js") || name.ends_with(".html") {
            rename(&String::from_utf8(bytes).unwrap()).into_bytes()
        } else {
            bytes
        };
        std::fs::write(to.join(rename(&name)), bytes).unwrap();
    }
    // The main script changed (it names the new link script): its integrity hash follows.
    let index = to.join("index.html");
    let mut html = std::fs::read_to_string(&index).unwrap();
    let glue = html
        .split('"')
        .find(|piece| piece.starts_with("/haven-") && piece.ends_with(".js"))
        .unwrap()
        .to_owned();
    let digest = Sha384::digest(std::fs::read(to.join(&glue[1..])).unwrap());
    let integrity = format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    );
    let start = html.find("modulepreload").unwrap();
    let at = start + html[start..].find("integrity=\"").unwrap() + "integrity=\"".len();
    let end = at + html[at..].find('"').unwrap();
    html.replace_range(at..end, &integrity);
    std::fs::write(&index, html).unwrap();
    let sw = to.join("sw.js");
    let worker = std::fs::read_to_string(&sw).unwrap();
    let marker = "const BUILD = '";
    let at = worker.find(marker).expect("sw.js names its build") + marker.len();
    let build = worker[at..at + worker[at..].find('\'').unwrap()].to_owned();
    std::fs::write(&sw, worker.replace(&build, "0a0a0a0a0a0a0a0a")).unwrap();
    glue
}

#[tokio::test]
async fn sections_open_offline_across_a_new_deployment_until_the_new_worker_takes_over() {
    let mut haven = Haven::start().await;
    haven
        .client
        .goto(&format!("{}/learn", haven.widget))
        .await
        .unwrap();
    haven.find(SEARCH_BOX).await;
    haven.until_offline_ready().await;
    haven.find(SEARCH_BOX).await;

    // A new build replaces the old files on the server; this page still runs the old one.
    let next = haven.scratch().join("next");
    let new_script = new_build(&crate::harness::root().join("dist"), &next);
    haven.redeploy(&next).await;
    haven
        .js("navigator.serviceWorker.getRegistration().then(r => r.update())")
        .await;
    haven
        .until(
            "the new worker has taken over",
            "return (async () => {
                const registration = await navigator.serviceWorker.getRegistration();
                return (await caches.keys()).includes('haven-shell-0a0a0a0a0a0a0a0a')
                    && !registration.installing && !registration.waiting
                    && registration.active?.state === 'activated'
                    && navigator.serviceWorker.controller === registration.active;
            })()",
        )
        .await;

    // The old page opens a section it never opened: its chunk is no longer on the server.
    let link = haven
        .find("//nav[@aria-label='Sections']//a[normalize-space()='Community']")
        .await;
    link.send_keys(&Key::Enter.to_string()).await.unwrap();
    haven.find("//h2[normalize-space()='Groups']").await;

    // Offline, a reload starts the new build from the new worker's cache.
    haven.go_offline().await;
    haven
        .client
        .goto(&format!("{}/records", haven.widget))
        .await
        .unwrap();
    haven.find("//nav[contains(@class, 'record-nav')]").await;
    let script = haven
        .js("return new URL(document.querySelector('link[rel=modulepreload]').href).pathname")
        .await;
    assert_eq!(
        script,
        Value::String(new_script),
        "the reload runs the new build"
    );
    haven.finish().await;
}
