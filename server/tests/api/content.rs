//! Education content: checking whole packs, overrides and fallbacks, `haven-server content`,
//! serving and reloading packs, and the missed-search counts.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Parser;
use haven_api::ErrorCode;
use haven_api::content::Pack;
use haven_api::insights::{ContentProblem, ContentStatus, SearchMiss};
use haven_api::lang::Lang;
use haven_api::staff::Role;
use haven_server::cli::{Cli, execute};
use haven_server::content::{CheckOptions, Date, Folders, Problem, Refresh, Severity, check};
use haven_server::{AppOptions, AppState, Config, StartError};
use reqwest::{Method, StatusCode};
use serde_json::json;
use tempfile::TempDir;

use crate::helpers::{TestApp, api_error, content_fixture, header};

fn demo_config() -> Config {
    Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../haven.toml")).unwrap()
}

fn options() -> CheckOptions {
    CheckOptions {
        today: Date::parse("2027-01-01").unwrap(),
        ..CheckOptions::with_config(&demo_config())
    }
}

fn folders(shipped: &Path, local: Option<&Path>) -> Folders {
    Folders {
        shipped: shipped.to_owned(),
        local: local.map(Path::to_owned),
    }
}

/// A copy of a fixture pack that a test may change.
fn copy_fixture(name: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().join(name);
    std::fs::create_dir_all(to.join("topics")).unwrap();
    for entry in std::fs::read_dir(content_fixture(name).join("topics")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join("topics").join(entry.file_name())).unwrap();
    }
    (dir, to)
}

/// Replaces `find` (which must be there) in a topic file.
fn edit(pack: &Path, file: &str, find: &str, replace: &str) {
    let path = pack.join("topics").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(find), "{file} has {find:?}");
    std::fs::write(&path, text.replacen(find, replace, 1)).unwrap();
}

fn line_in(pack: &Path, file: &str, find: &str) -> usize {
    let text = std::fs::read_to_string(pack.join("topics").join(file)).unwrap();
    text[..text.find(find).expect("in the file")]
        .matches('\n')
        .count()
        + 1
}

/// (file name, line, field, severity) of each problem.
fn summary(problems: &[Problem]) -> Vec<(String, Option<usize>, String, Severity)> {
    problems
        .iter()
        .map(|p| {
            let name = Path::new(&p.file)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (name, p.line, p.field.clone(), p.severity)
        })
        .collect()
}

fn pack(report: &haven_server::content::Report, lang: Lang) -> Pack {
    let packs = report.packs().expect("no errors");
    serde_json::from_slice(&packs.get(lang).body).unwrap()
}

#[test]
fn the_fixture_pack_is_valid_and_warns_only_of_its_missing_translation() {
    let report = check(&folders(&content_fixture("good"), None), &options());
    assert_eq!(report.errors(), 0, "{:#?}", report.problems);
    assert_eq!(
        summary(&report.problems),
        [(
            "common-cold.en.md".to_owned(),
            None,
            String::new(),
            Severity::Warning
        )]
    );
    assert!(
        report.problems[0]
            .message
            .starts_with("missing translation: there is no common-cold.vi.md"),
        "{}",
        report.problems[0]
    );
    assert_eq!(report.readings.len(), 5);
    let flu = report
        .readings
        .iter()
        .find(|r| r.id == "flu" && r.lang == Lang::En)
        .unwrap();
    assert!(
        flu.flesch.is_some() && flu.words > 20 && flu.sentences > 5,
        "{flu:?}"
    );
    let vi = report
        .readings
        .iter()
        .find(|r| r.id == "flu" && r.lang == Lang::Vi)
        .unwrap();
    assert_eq!(vi.flesch, None);
}

#[test]
fn packs_are_ordered_by_group_then_title_and_fall_back_to_another_language() {
    let report = check(&folders(&content_fixture("good"), None), &options());
    let en = pack(&report, Lang::En);
    let ids: Vec<(&str, Lang)> = en.topics.iter().map(|t| (t.id.as_str(), t.lang)).collect();
    assert_eq!(
        ids,
        [
            ("anxiety", Lang::En),
            ("common-cold", Lang::En),
            ("flu", Lang::En)
        ]
    );
    assert_eq!((en.format, en.lang), (haven_api::content::FORMAT, Lang::En));
    assert_eq!(en.version.len(), 16);
    assert!(en.version.chars().all(|c| c.is_ascii_hexdigit()));

    let vi = pack(&report, Lang::Vi);
    let ids: Vec<(&str, Lang)> = vi.topics.iter().map(|t| (t.id.as_str(), t.lang)).collect();
    // "Cúm" sorts before "Common cold" by its folded title, and the cold is in English.
    assert_eq!(
        ids,
        [
            ("anxiety", Lang::Vi),
            ("common-cold", Lang::En),
            ("flu", Lang::Vi)
        ]
    );
    assert_ne!(vi.version, en.version);
    // The version depends only on the text.
    let again = check(&folders(&content_fixture("good"), None), &options());
    assert_eq!(pack(&again, Lang::Vi).version, vi.version);
}

#[test]
fn a_local_file_replaces_the_shipped_one_and_new_ids_are_added() {
    let report = check(
        &folders(&content_fixture("good"), Some(&content_fixture("local"))),
        &options(),
    );
    assert_eq!(report.errors(), 0, "{:#?}", report.problems);
    let vi = pack(&report, Lang::Vi);
    let flu = vi.topics.iter().find(|t| t.id == "flu").unwrap();
    assert_eq!(flu.title, "Cúm (phòng khám)");
    let en = pack(&report, Lang::En);
    assert_eq!(
        en.topics.iter().find(|t| t.id == "flu").unwrap().title,
        "Flu"
    );
    let sprain = en.topics.last().unwrap();
    assert_eq!(
        (sprain.id.as_str(), sprain.group.as_str()),
        ("sprain", "everyday")
    );
    assert!(
        vi.topics
            .iter()
            .any(|t| t.id == "sprain" && t.lang == Lang::En)
    );
    // A broken shipped file replaced by a good local one does not stop the pack.
    let (_dir, shipped) = copy_fixture("good");
    edit(&shipped, "flu.vi.md", "## Tổng quan", "## Lời mở đầu");
    let broken = check(&folders(&shipped, None), &options());
    // The unknown section, and so no overview.
    assert_eq!(broken.errors(), 2, "{:#?}", broken.problems);
    let fixed = check(
        &folders(&shipped, Some(&content_fixture("local"))),
        &options(),
    );
    assert_eq!(fixed.errors(), 0, "{:#?}", fixed.problems);
}

#[test]
fn problems_across_files_name_the_file_line_and_field() {
    let (_dir, pack) = copy_fixture("good");
    edit(
        &pack,
        "flu.en.md",
        "related = [\"common-cold\"]",
        "related = [\"common-cold\", \"measles\"]",
    );
    edit(
        &pack,
        "flu.en.md",
        "community_group = \"caregivers\"",
        "community_group = \"lungs\"",
    );
    edit(
        &pack,
        "flu.en.md",
        "appointment_reason = \"vaccination\"",
        "appointment_reason = \"flu_jab\"",
    );
    edit(
        &pack,
        "anxiety.vi.md",
        "next_review = 2099-01-01",
        "next_review = 2026-06-30",
    );
    // 149 words in one sentence: with the other 38 words in 5 sentences, 31.2 on average.
    let long = format!("A cold {}gone.", "really ".repeat(146));
    edit(
        &pack,
        "common-cold.en.md",
        "A cold usually gets better in a week or two.",
        &long,
    );
    std::fs::write(pack.join("topics/Measles.en.md"), "x").unwrap();
    std::fs::write(pack.join("topics/notes.txt"), "x").unwrap();
    let report = check(&folders(&pack, None), &options());
    let flu_related = line_in(&pack, "flu.en.md", "related");
    assert_eq!(
        summary(&report.problems),
        [
            ("Measles.en.md".into(), None, "".into(), Severity::Error),
            (
                "anxiety.vi.md".into(),
                Some(8),
                "next_review".into(),
                Severity::Warning
            ),
            (
                "common-cold.en.md".into(),
                None,
                "reading_level".into(),
                Severity::Warning
            ),
            (
                "common-cold.en.md".into(),
                None,
                "".into(),
                Severity::Warning
            ),
            (
                "flu.en.md".into(),
                Some(flu_related),
                "related[1]".into(),
                Severity::Error
            ),
            (
                "flu.en.md".into(),
                Some(flu_related + 1),
                "community_group".into(),
                Severity::Error
            ),
            (
                "flu.en.md".into(),
                Some(flu_related + 2),
                "appointment_reason".into(),
                Severity::Error
            ),
            ("notes.txt".into(), None, "".into(), Severity::Warning),
        ],
        "{:#?}",
        report.problems
    );
    let message = |field: &str| {
        report
            .problems
            .iter()
            .find(|p| p.field == field)
            .unwrap()
            .message
            .clone()
    };
    assert!(message("related[1]").contains("there is no topic \"measles\""));
    assert!(message("community_group").contains("use one of: diabetes, heart, mental_health"));
    assert!(message("next_review").starts_with("review due"));
    assert!(message("reading_level").contains("sentences average 31.2 words"));
    assert!(report.packs().is_err());

    // Without a configuration, ids are not checked against one.
    let unconfigured = CheckOptions {
        today: Date::parse("2027-01-01").unwrap(),
        ..CheckOptions::new()
    };
    let report = check(&folders(&pack, None), &unconfigured);
    assert!(!report.problems.iter().any(|p| p.field == "community_group"));
}

#[test]
fn a_missing_folder_is_an_error_and_a_local_folder_without_topics_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let report = check(&folders(&dir.path().join("nowhere"), None), &options());
    assert_eq!(report.errors(), 1);
    assert!(report.problems[0].message.contains("does not exist"));
    let report = check(&folders(dir.path(), None), &options());
    assert!(report.problems[0].message.contains("has no topics folder"));
    assert_eq!(report.errors(), 1);
    let report = check(
        &folders(&content_fixture("good"), Some(dir.path())),
        &options(),
    );
    assert_eq!(report.errors(), 0);
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.message.contains("has no topics folder"))
    );
}

#[test]
fn problems_print_as_file_line_field_message() {
    let (_dir, pack) = copy_fixture("good");
    edit(
        &pack,
        "flu.en.md",
        "group = \"infections-breathing\"",
        "group = \"lungs\"",
    );
    let report = check(&folders(&pack, None), &options());
    let mut out = Vec::new();
    report.render(&mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    let file = pack.join("topics/flu.en.md").display().to_string();
    assert!(
        out.contains(&format!("{file}:5: group: unknown group \"lungs\"")),
        "{out}"
    );
    let cold = pack.join("topics/common-cold.en.md").display().to_string();
    assert!(
        out.contains(&format!("warning: {cold}: missing translation")),
        "{out}"
    );
    assert!(
        out.contains("topic        lang  words  sentences  words/sentence  flesch"),
        "{out}"
    );
    assert!(
        out.trim_end()
            .ends_with("5 topic files (3 en, 2 vi): 1 error, 1 warning"),
        "{out}"
    );
}

/// Runs `haven-server <args>` with the demo configuration.
async fn cli(args: &[&str]) -> Result<(), String> {
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("../haven.toml");
    let config = config.display().to_string();
    let mut argv = vec!["haven-server", "--config", &config];
    argv.extend_from_slice(args);
    execute(Cli::try_parse_from(argv).expect("valid arguments"))
        .await
        .map_err(|e| e.to_string())
}

#[tokio::test]
async fn content_check_and_build_fail_on_errors_and_write_one_pack_per_language() {
    let good = content_fixture("good").display().to_string();
    let local = content_fixture("local").display().to_string();
    assert_eq!(
        cli(&["content", "check", &good, "--local", &local]).await,
        Ok(())
    );

    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("packs");
    let out_arg = out_dir.display().to_string();
    assert_eq!(
        cli(&["content", "build", &good, "--out", &out_arg]).await,
        Ok(())
    );
    for lang in Lang::ALL {
        let bytes = std::fs::read(out_dir.join(format!("pack.{}.json", lang.tag()))).unwrap();
        let pack: Pack = serde_json::from_slice(&bytes).unwrap();
        assert_eq!((pack.lang, pack.topics.len()), (lang, 3));
    }

    let (_dir, pack) = copy_fixture("good");
    edit(&pack, "flu.en.md", "title = \"Flu\"", "title = \"\"");
    let bad = pack.display().to_string();
    assert_eq!(
        cli(&["content", "check", &bad]).await,
        Err("the content has 1 error".to_owned())
    );
    let empty_out = out.path().join("none").display().to_string();
    assert_eq!(
        cli(&["content", "build", &bad, "--out", &empty_out]).await,
        Err("the content has 1 error; no pack was written".to_owned())
    );
    assert!(!out.path().join("none").exists());
}

#[tokio::test]
async fn each_language_is_served_with_an_etag_and_revalidated() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/content/vi").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "cache-control"), "no-cache");
    assert_eq!(header(&response, "content-type"), "application/json");
    let etag = header(&response, "etag").to_owned();
    let pack: Pack = response.json().await.unwrap();
    assert_eq!(etag, format!("\"{}\"", pack.version));
    assert_eq!(pack.lang, Lang::Vi);
    assert_eq!(pack.topics.len(), 3);

    let again = app
        .client
        .get(app.url("/api/content/vi"))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(header(&again, "etag"), etag);
    let english = app
        .client
        .get(app.url("/api/content/en"))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(english.status(), StatusCode::OK);
    assert_ne!(header(&english, "etag"), etag);

    for unknown in ["fr", "EN", "vi-VN"] {
        let (status, error) = api_error(app.get(&format!("/api/content/{unknown}")).await).await;
        assert_eq!(
            (status, error.code),
            (StatusCode::NOT_FOUND, ErrorCode::NotFound)
        );
        assert!(
            error.message.contains("the languages are en, vi"),
            "{error:?}"
        );
    }
}

#[tokio::test]
async fn the_server_refuses_to_start_with_content_errors() {
    let (_dir, pack) = copy_fixture("good");
    edit(&pack, "flu.vi.md", "## Dấu hiệu nguy hiểm", "## Cảnh báo");
    let db = tempfile::tempdir().unwrap();
    let mut options = AppOptions::new(
        format!("sqlite://{}/haven.db", db.path().display()),
        demo_config(),
    );
    options.content = folders(&pack, None);
    let error = AppState::new(options).await.unwrap_err();
    assert!(matches!(error, StartError::Content(_)), "{error}");
    let message = error.to_string();
    let line = line_in(&pack, "flu.vi.md", "## Cảnh báo");
    let file = pack.join("topics/flu.vi.md").display().to_string();
    assert!(
        message.starts_with("the education content has 2 errors:"),
        "{message}"
    );
    assert!(
        message.contains(&format!(
            "{file}:{line}: body: unknown section \"Cảnh báo\""
        )),
        "{message}"
    );
    let body = line_in(&pack, "flu.vi.md", "## Tổng quan") - 1;
    assert!(
        message.contains(&format!("{file}:{body}: red_flags: missing")),
        "{message}"
    );
}

#[test]
fn the_demo_configuration_finds_the_content_beside_it() {
    let config = demo_config();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    assert_eq!(config.content.path, root.join("content"));
    assert!(config.content.report_missed_searches);
    let options = AppOptions::new("sqlite::memory:", config);
    assert_eq!(options.content.shipped, root.join("content"));
    assert_eq!(options.content_reload, Some(Duration::from_secs(10)));
}

/// Waits (up to five seconds) for the pack's ETag to differ from `old`.
async fn changed_etag(app: &TestApp, path: &str, old: &str) -> String {
    for _ in 0..100 {
        let etag = header(&app.get(path).await, "etag").to_owned();
        if etag != old {
            return etag;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the pack was not reloaded");
}

#[tokio::test]
async fn a_changed_file_is_picked_up_by_the_reloader() {
    let (dir, pack) = copy_fixture("good");
    let shipped = pack.clone();
    let app = TestApp::spawn_with(
        move |options| {
            options.content = folders(&shipped, None);
            options.content_reload = Some(Duration::from_millis(50));
        },
        |_| axum::Router::new(),
    )
    .await;
    let old = header(&app.get("/api/content/en").await, "etag").to_owned();
    edit(
        &pack,
        "flu.en.md",
        "title = \"Flu\"",
        "title = \"Influenza (flu)\"",
    );
    let new = changed_etag(&app, "/api/content/en", &old).await;
    let pack: Pack = app.get("/api/content/en").await.json().await.unwrap();
    assert_eq!(format!("\"{}\"", pack.version), new);
    assert!(pack.topics.iter().any(|t| t.title == "Influenza (flu)"));
    // A new file is picked up too.
    let before = header(&app.get("/api/content/vi").await, "etag").to_owned();
    std::fs::copy(
        content_fixture("local").join("topics/sprain.en.md"),
        dir.path().join("good/topics/sprain.en.md"),
    )
    .unwrap();
    changed_etag(&app, "/api/content/vi", &before).await;
    app.stop().await;
}

#[tokio::test]
async fn an_invalid_change_keeps_the_last_good_pack() {
    let (_dir, pack) = copy_fixture("good");
    let shipped = pack.clone();
    let app = TestApp::spawn_with(
        move |options| options.content = folders(&shipped, None),
        |_| axum::Router::new(),
    )
    .await;
    let good = app.get("/api/content/en").await.text().await.unwrap();
    assert!(matches!(
        app.state.reload_content().await.unwrap(),
        Refresh::Unchanged
    ));

    edit(
        &pack,
        "flu.en.md",
        "- Chest pain\n",
        "- Chest pain\n\n<script>alert(1)</script>\n",
    );
    let Refresh::Rejected(report) = app.state.reload_content().await.unwrap() else {
        panic!("the invalid change was not rejected");
    };
    assert_eq!(report.errors(), 1, "{:#?}", report.problems);
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.message.contains("HTML is not allowed"))
    );
    assert_eq!(app.get("/api/content/en").await.text().await.unwrap(), good);
    // Unchanged again until the next edit.
    assert!(matches!(
        app.state.reload_content().await.unwrap(),
        Refresh::Unchanged
    ));

    edit(&pack, "flu.en.md", "<script>alert(1)</script>\n", "");
    edit(&pack, "flu.en.md", "title = \"Flu\"", "title = \"Flu!\"");
    assert!(matches!(
        app.state.reload_content().await.unwrap(),
        Refresh::Updated(_)
    ));
    let pack: Pack = app.get("/api/content/en").await.json().await.unwrap();
    assert!(pack.topics.iter().any(|t| t.title == "Flu!"));
}

async fn report_miss(app: &TestApp, lang: &str, query: &str) -> reqwest::Response {
    app.post_json(
        "/api/search-misses",
        &json!({ "lang": lang, "query": query }),
    )
    .await
}

async fn stored(app: &TestApp) -> Vec<(String, String, i64)> {
    use sqlx::Row;
    sqlx::query("SELECT lang, query, count FROM search_misses ORDER BY lang, query")
        .fetch_all(app.state.pool())
        .await
        .unwrap()
        .iter()
        .map(|row| {
            (
                row.try_get("lang").unwrap(),
                row.try_get("query").unwrap(),
                row.try_get("count").unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn missed_searches_are_normalised_and_counted_and_crisis_queries_never_stored() {
    let app = TestApp::spawn().await;
    for query in ["Tiểu đường", "  tieu   DUONG ", "TIỂU ĐƯỜNG\n"] {
        assert_eq!(
            report_miss(&app, "vi", query).await.status(),
            StatusCode::NO_CONTENT
        );
    }
    assert_eq!(
        report_miss(&app, "en", "tieu duong").await.status(),
        StatusCode::NO_CONTENT
    );
    for crisis in ["I want to die", "muốn chết", "tu tu", "cách tự tử"] {
        assert_eq!(
            report_miss(&app, "vi", crisis).await.status(),
            StatusCode::NO_CONTENT,
            "{crisis}"
        );
    }
    assert_eq!(
        stored(&app).await,
        [
            ("en".to_owned(), "tieu duong".to_owned(), 1),
            ("vi".to_owned(), "tieu duong".to_owned(), 3)
        ]
    );
}

#[tokio::test]
async fn once_the_table_is_full_known_queries_still_count_and_new_ones_are_dropped() {
    use haven_server::content::misses::record_within;
    let app = TestApp::spawn().await;
    let pool = app.state.pool();
    record_within(pool, Lang::En, "sunburn", 1, 2)
        .await
        .unwrap();
    record_within(pool, Lang::Vi, "chay nang", 2, 2)
        .await
        .unwrap();
    // Full at two distinct queries: a third is dropped, the first two keep counting.
    record_within(pool, Lang::En, "made up query", 3, 2)
        .await
        .unwrap();
    record_within(pool, Lang::En, "sunburn", 4, 2)
        .await
        .unwrap();
    assert_eq!(
        stored(&app).await,
        [
            ("en".to_owned(), "sunburn".to_owned(), 2),
            ("vi".to_owned(), "chay nang".to_owned(), 1)
        ]
    );
}

#[tokio::test]
async fn empty_and_overlong_queries_are_refused() {
    let app = TestApp::spawn().await;
    for query in ["", "   \n"] {
        let (status, error) = api_error(report_miss(&app, "en", query).await).await;
        assert_eq!(
            (status, error.code),
            (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Validation)
        );
        assert_eq!(error.fields["query"], "the query is empty");
    }
    let (status, error) = api_error(report_miss(&app, "en", &"a".repeat(101)).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error.fields["query"],
        "the query is longer than 100 characters"
    );
    assert_eq!(
        report_miss(&app, "en", &"a".repeat(100)).await.status(),
        StatusCode::NO_CONTENT
    );
    let (status, _) = api_error(report_miss(&app, "fr", "grippe").await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn missed_searches_are_refused_when_the_clinic_does_not_collect_them() {
    let app = TestApp::spawn_with(
        |options| options.config.content.report_missed_searches = false,
        |_| axum::Router::new(),
    )
    .await;
    let (status, error) = api_error(report_miss(&app, "en", "gout").await).await;
    assert_eq!(
        (status, error.code),
        (StatusCode::NOT_FOUND, ErrorCode::NotFound)
    );
    assert!(
        error.message.contains("report_missed_searches is off"),
        "{error:?}"
    );
    assert!(stored(&app).await.is_empty());
    let config: serde_json::Value = app.get("/api/config").await.json().await.unwrap();
    assert_eq!(config["report_missed_searches"], false);
    app.signed_in_as("edu@clinic.example", Role::Educator).await;
    assert!(!content_status(&app).await.report_missed_searches);
}

#[tokio::test]
async fn staff_see_only_queries_missed_five_times_most_frequent_first() {
    let app = TestApp::spawn().await;
    for (query, times) in [("gout", 5), ("shingles", 7), ("rare thing", 4)] {
        for _ in 0..times {
            report_miss(&app, "en", query).await;
        }
    }
    for _ in 0..6 {
        report_miss(&app, "vi", "Zona").await;
    }
    let educator = app.signed_in_as("edu@clinic.example", Role::Educator).await;
    let response = app
        .staff(
            Method::GET,
            "/api/staff/search-misses",
            &educator.csrf_token,
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let misses: Vec<SearchMiss> = response.json().await.unwrap();
    let seen: Vec<(Lang, &str, i64)> = misses
        .iter()
        .map(|m| (m.lang, m.query.as_str(), m.count))
        .collect();
    assert_eq!(
        seen,
        [
            (Lang::En, "shingles", 7),
            (Lang::Vi, "zona", 6),
            (Lang::En, "gout", 5)
        ]
    );
    assert!(misses.iter().all(|m| m.last_seen > 0));
}

#[tokio::test]
async fn only_educators_and_admins_see_missed_searches() {
    let app = TestApp::spawn().await;
    let (status, _) = api_error(app.get("/api/staff/search-misses").await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    for (email, role, allowed) in [
        ("desk@clinic.example", Role::FrontDesk, false),
        ("mod@clinic.example", Role::Moderator, false),
        ("admin@clinic.example", Role::Admin, true),
    ] {
        let client = TestApp::new_client();
        app.add_staff(email, role).await;
        assert_eq!(app.sign_in_with(&client, email).await, StatusCode::OK);
        let response = client
            .get(app.url("/api/staff/search-misses"))
            .send()
            .await
            .unwrap();
        let expected = if allowed {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(response.status(), expected, "{role:?}");
    }
}

/// `GET /api/staff/content` as the signed-in client.
async fn content_status(app: &TestApp) -> ContentStatus {
    let response = app.get("/api/staff/content").await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// The version in the pack patients get.
async fn served_version(app: &TestApp, lang: &str) -> String {
    let pack: Pack = app
        .get(&format!("/api/content/{lang}"))
        .await
        .json()
        .await
        .unwrap();
    pack.version
}

#[tokio::test]
async fn staff_see_each_languages_version_topics_fallbacks_and_warnings() {
    let app = TestApp::spawn().await;
    app.signed_in_as("edu@clinic.example", Role::Educator).await;
    let before = haven_server::db::now_ms();
    let status = content_status(&app).await;
    let packs: Vec<(Lang, u32, u32)> = status
        .packs
        .iter()
        .map(|p| (p.lang, p.topics, p.fallbacks))
        .collect();
    // The common cold has no Vietnamese text, so the Vietnamese pack shows it in English.
    assert_eq!(packs, [(Lang::En, 3, 0), (Lang::Vi, 3, 1)]);
    for pack in &status.packs {
        assert_eq!(pack.version, served_version(&app, pack.lang.tag()).await);
    }
    assert!(status.loaded_at > 0 && status.loaded_at <= before);
    assert_eq!(status.warnings.len(), 1, "{:#?}", status.warnings);
    let warning = &status.warnings[0];
    // Named from the content folder, not from the server's file system.
    assert_eq!(
        (warning.file.as_str(), warning.line, warning.field.as_str()),
        ("good/topics/common-cold.en.md", None, "")
    );
    assert!(
        warning.message.starts_with("missing translation"),
        "{warning:?}"
    );
    assert_eq!(status.refused, None);
    assert!(status.report_missed_searches);
}

#[tokio::test]
async fn a_refused_change_shows_its_errors_while_the_last_good_pack_is_served_until_fixed() {
    let (_dir, pack) = copy_fixture("good");
    let shipped = pack.clone();
    let app = TestApp::spawn_with(
        move |options| options.content = folders(&shipped, None),
        |_| axum::Router::new(),
    )
    .await;
    app.signed_in_as("edu@clinic.example", Role::Educator).await;
    let good = content_status(&app).await;

    edit(
        &pack,
        "flu.en.md",
        "- Chest pain\n",
        "- Chest pain\n\n<script>alert(1)</script>\n",
    );
    let line = line_in(&pack, "flu.en.md", "<script>");
    let before = haven_server::db::now_ms();
    assert!(matches!(
        app.state.reload_content().await.unwrap(),
        Refresh::Rejected(_)
    ));
    let status = content_status(&app).await;
    let refused = status.refused.clone().expect("the refused change");
    assert!(refused.at >= before, "{refused:?}");
    let errors: Vec<(&str, Option<u32>)> = refused
        .errors
        .iter()
        .map(|e| (e.file.as_str(), e.line))
        .collect();
    assert_eq!(
        errors,
        [("good/topics/flu.en.md", Some(u32::try_from(line).unwrap()))]
    );
    assert!(
        refused.errors[0].message.contains("HTML is not allowed"),
        "{refused:?}"
    );
    // Patients keep the last good pack, and staff see that it is the one served.
    assert_eq!(
        (status.packs, status.loaded_at, status.warnings),
        (good.packs.clone(), good.loaded_at, good.warnings)
    );
    assert_eq!(served_version(&app, "en").await, good.packs[0].version);
    // Still refused while the files stay as they are.
    app.state.reload_content().await.unwrap();
    assert_eq!(content_status(&app).await.refused, Some(refused));

    edit(&pack, "flu.en.md", "<script>alert(1)</script>\n", "");
    edit(&pack, "flu.en.md", "title = \"Flu\"", "title = \"Flu!\"");
    edit(
        &pack,
        "anxiety.vi.md",
        "next_review = 2099-01-01",
        "next_review = 2020-06-30",
    );
    assert!(matches!(
        app.state.reload_content().await.unwrap(),
        Refresh::Updated(_)
    ));
    let fixed = content_status(&app).await;
    assert_eq!(fixed.refused, None);
    assert_ne!(fixed.packs[0].version, good.packs[0].version);
    assert_eq!(fixed.packs[0].version, served_version(&app, "en").await);
    assert!(fixed.loaded_at >= before);
    let due: Vec<&ContentProblem> = fixed
        .warnings
        .iter()
        .filter(|w| w.field == "next_review")
        .collect();
    assert_eq!(due.len(), 1, "{:#?}", fixed.warnings);
    assert_eq!(
        (due[0].file.as_str(), due[0].line),
        ("good/topics/anxiety.vi.md", Some(8))
    );
    assert!(due[0].message.starts_with("review due"), "{:?}", due[0]);
}

#[tokio::test]
async fn only_educators_and_admins_see_the_content_status() {
    let app = TestApp::spawn().await;
    let (status, error) = api_error(app.get("/api/staff/content").await).await;
    assert_eq!(
        (status, error.code),
        (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized)
    );
    for (email, role, expected) in [
        (
            "desk@clinic.example",
            Role::FrontDesk,
            StatusCode::FORBIDDEN,
        ),
        ("mod@clinic.example", Role::Moderator, StatusCode::FORBIDDEN),
        ("edu@clinic.example", Role::Educator, StatusCode::OK),
        ("admin@clinic.example", Role::Admin, StatusCode::OK),
    ] {
        let client = TestApp::new_client();
        app.add_staff(email, role).await;
        assert_eq!(app.sign_in_with(&client, email).await, StatusCode::OK);
        let response = client
            .get(app.url("/api/staff/content"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), expected, "{role:?}");
        if expected == StatusCode::FORBIDDEN {
            let (_, error) = api_error(response).await;
            assert_eq!(error.code, ErrorCode::Forbidden, "{role:?}");
        }
    }
}

/// The pack shipped with Haven must always pass.
#[test]
fn the_shipped_pack_has_no_errors() {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let options = CheckOptions::with_config(&demo_config());
    let report = check(&folders(&shipped, None), &options);
    let errors: Vec<String> = report
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(ToString::to_string)
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let packs = report.packs().unwrap();
    for lang in Lang::ALL {
        assert!(packs.get(lang).topics > 0);
    }
}

#[tokio::test]
async fn a_pack_is_sent_compressed_once_at_brotlis_highest_quality_to_browsers_that_take_it() {
    let app = TestApp::spawn().await;
    let plain = app.get("/api/content/en").await;
    assert_eq!(plain.headers().get("content-encoding"), None);
    let json = plain.bytes().await.unwrap();

    let compressed = app
        .client
        .get(app.url("/api/content/en"))
        .header("Accept-Encoding", "gzip, deflate, br, zstd")
        .send()
        .await
        .unwrap();
    assert_eq!(compressed.status(), StatusCode::OK);
    assert_eq!(header(&compressed, "content-encoding"), "br");
    assert_eq!(header(&compressed, "vary"), "accept-encoding");
    let body = compressed.bytes().await.unwrap();
    let mut decoded = Vec::new();
    brotli::BrotliDecompress(&mut body.as_ref(), &mut decoded).unwrap();
    assert_eq!(decoded, json.as_ref(), "the same pack");
    let mut best = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut json.as_ref(), &mut best, &params).unwrap();
    assert_eq!(body.len(), best.len(), "compressed at quality 11");
}
