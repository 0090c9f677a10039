//! Learn end to end: search, topics, the crisis layer, self-checks, offline reading and
//! content updates, in Chromium against the real server and the shipped pack.

use std::path::Path;
use std::time::Duration;

use fantoccini::key::Key;

use crate::harness::{Haven, xpath_literal};

/// The search box, by its label.
fn search_box(label: &str) -> String {
    format!(
        "//input[@type='search'][@id=//label[normalize-space()={}]/@for]",
        xpath_literal(label)
    )
}

/// Opens Learn and waits for the pack to be searchable.
async fn open_learn(haven: &Haven, lang: &str) {
    haven.goto(&format!("/learn?lang={lang}")).await;
    let browse = if lang == "vi" {
        "Xem các chủ đề"
    } else {
        "Browse topics"
    };
    haven
        .find(&format!(
            "//h2[normalize-space()={}]",
            xpath_literal(browse)
        ))
        .await;
}

/// Reaches the search box from the top of the page (the skip link, then Tab), types, moves
/// to the first result with Tab and opens it with Enter: the keyboard only.
async fn search_and_open_first(haven: &Haven, query: &str) {
    haven.press(&[Key::Tab]).await;
    haven
        .until(
            "the skip link has focus",
            "return document.activeElement.classList.contains('skip-link')",
        )
        .await;
    haven.press(&[Key::Enter]).await;
    let in_search = "return document.activeElement.type === 'search'";
    for _ in 0..6 {
        haven.press(&[Key::Tab]).await;
        if haven.js(in_search).await == serde_json::Value::Bool(true) {
            break;
        }
    }
    haven.until("the search box has focus", in_search).await;
    haven
        .client
        .active_element()
        .await
        .unwrap()
        .send_keys(query)
        .await
        .unwrap();
    haven.find("//ul[@class='results']/li[1]/a").await;
    haven.press(&[Key::Tab]).await;
    haven
        .until(
            "the first result has focus",
            "return document.activeElement === document.querySelector('ul.results li a')",
        )
        .await;
    haven.press(&[Key::Enter]).await;
}

async fn focused_heading_text(haven: &Haven) -> String {
    haven
        .until(
            "a heading has focus once the page's code has arrived",
            "return /^H[12]$/.test(document.activeElement.tagName)
                && !document.querySelector('.section-loading')",
        )
        .await;
    haven
        .js("return document.activeElement.textContent")
        .await
        .as_str()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

#[tokio::test]
async fn unaccented_and_misspelt_searches_open_the_diabetes_topic_by_keyboard() {
    let haven = Haven::start().await;
    open_learn(&haven, "vi").await;
    search_and_open_first(&haven, "tieu duong").await;
    let title = focused_heading_text(&haven).await;
    assert!(
        title.contains("Tiểu đường") || title.contains("tiểu đường"),
        "\"tieu duong\" opens a diabetes topic, got {title:?}"
    );
    assert!(
        haven
            .client
            .current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/learn/topic/diabetes-type-")
    );
    // Back returns to the results for the same query.
    haven.client.back().await.unwrap();
    haven.find("//ul[@class='results']/li[1]/a").await;

    open_learn(&haven, "en").await;
    search_and_open_first(&haven, "diabetis").await;
    let title = focused_heading_text(&haven).await;
    assert!(
        title.contains("diabetes"),
        "\"diabetis\" opens a diabetes topic, got {title:?}"
    );
    // The care card sits at the top with the emergency number as a link.
    haven
        .find("//section[h2[normalize-space()='When to seek care']]//a[@href='tel:115']")
        .await;

    // A search can be linked to: the launch parameters go, the query stays.
    haven.goto("/learn?lang=en&q=can%27t%20sleep").await;
    haven
        .find("//ul[@class='results']/li[1]/a[starts-with(normalize-space(), 'Insomnia')]")
        .await;
    let url = haven.client.current_url().await.unwrap();
    assert_eq!(url.query(), Some("q=can%27t+sleep"));
    haven.finish().await;
}

async fn assert_crisis_panel_focused(haven: &Haven, heading: &str) {
    haven
        .until(
            "the crisis panel's heading has focus",
            "return document.activeElement && document.activeElement.id === 'crisis-heading'",
        )
        .await;
    let text = focused_heading_text(haven).await;
    assert_eq!(text, heading);
    let panel = format!(
        "//section[h2[normalize-space()={}]]",
        xpath_literal(heading)
    );
    haven
        .find(&format!("{panel}//a[@href='tel:19001267']"))
        .await;
    haven.find(&format!("{panel}//a[@href='tel:111']")).await;
    haven.find(&format!("{panel}//a[@href='tel:115']")).await;
}

#[tokio::test]
async fn self_harm_language_in_a_search_opens_the_crisis_panel_with_focus() {
    let haven = Haven::start().await;
    open_learn(&haven, "en").await;
    let input = haven.find(&search_box("Search health topics")).await;
    input.send_keys("I want to kill myself").await.unwrap();
    assert_crisis_panel_focused(&haven, "Need help now?").await;
    haven
        .assert_accessible("Learn with the crisis panel open")
        .await;

    open_learn(&haven, "vi").await;
    let input = haven.find(&search_box("Tìm chủ đề sức khỏe")).await;
    input.send_keys("muốn chết").await.unwrap();
    assert_crisis_panel_focused(&haven, "Cần giúp đỡ ngay?").await;
    haven.finish().await;
}

#[tokio::test]
async fn a_positive_answer_to_phq9_item_9_opens_the_crisis_panel_at_once() {
    let haven = Haven::start().await;
    haven.goto("/learn/check/phq-9?lang=en").await;
    haven.heading("Mood check (PHQ-9)").await;
    // Submitting with nothing answered names every missing question.
    haven
        .click("//button[normalize-space()='See my result']")
        .await;
    haven
        .find("//p[@role='alert'][contains(., '1, 2, 3, 4, 5, 6, 7, 8, 9')]")
        .await;
    haven
        .assert_accessible("PHQ-9 with every question missing")
        .await;
    for item in 0..8 {
        haven.click(&format!("//input[@id='q{item}-a0']")).await;
    }
    let item9 = haven
        .find("//fieldset[legend[starts-with(normalize-space(), '9.')]]//label[normalize-space()='Several days']")
        .await;
    item9.click().await.unwrap();
    assert_crisis_panel_focused(&haven, "Need help now?").await;
    haven
        .click("//button[normalize-space()='See my result']")
        .await;
    haven
        .find("//section[@id='check-result']//strong[normalize-space()='Minimal or none']")
        .await;
    haven.finish().await;
}

#[tokio::test]
async fn a_topic_read_once_can_be_read_and_searched_offline_after_a_reload() {
    let mut haven = Haven::start().await;
    haven.goto("/learn/topic/asthma?lang=en").await;
    haven.heading("Asthma").await;
    haven.until_offline_ready().await;
    haven.heading("Asthma").await;
    // Learn keeps the pack on the device after showing it; a reload before that write
    // commits would find nothing to show offline.
    haven
        .until(
            "the English pack is kept on the device",
            "const db = await new Promise((ok, no) => { const r = indexedDB.open('haven'); \
               r.onsuccess = () => ok(r.result); r.onerror = no; }); \
             const kept = await new Promise(ok => { \
               const get = db.transaction('content').objectStore('content').get('en'); \
               get.onsuccess = () => ok(!!get.result); get.onerror = () => ok(false); }); \
             db.close(); return kept;",
        )
        .await;

    haven.go_offline().await;
    haven.client.refresh().await.unwrap();
    haven.heading("Asthma").await;
    haven
        .find("//section[h2[normalize-space()='When to seek care']]")
        .await;
    haven
        .click("//a[normalize-space()='All health topics']")
        .await;
    let input = haven.find(&search_box("Search health topics")).await;
    input.send_keys("wheezing").await.unwrap();
    haven
        .find("//ul[@class='results']/li/a[normalize-space()='Asthma']")
        .await;
    haven.finish().await;
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[tokio::test]
async fn a_topic_changed_on_the_server_is_shown_after_reopening() {
    let pack = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content/topics"),
        &pack.path().join("topics"),
    );
    let path = pack.path().to_owned();
    let haven = Haven::start_with(move |config| {
        config.content.path = path;
        config.content.reload_seconds = 1;
    })
    .await;
    haven.goto("/learn/topic/gout?lang=en").await;
    haven.heading("Gout").await;

    let file = pack.path().join("topics/gout.en.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let changed = text.replacen("title = \"Gout\"", "title = \"Gout (updated)\"", 1);
    assert_ne!(
        text, changed,
        "the fixture topic has the expected title line"
    );
    std::fs::write(&file, changed).unwrap();
    tokio::time::sleep(Duration::from_millis(2500)).await;

    haven.client.refresh().await.unwrap();
    haven.heading("Gout (updated)").await;
    haven.finish().await;
}

#[tokio::test]
async fn every_learn_view_passes_axe_in_english_and_vietnamese() {
    let haven = Haven::start().await;
    let labels = [
        ("en", "Search health topics", "Get help now"),
        ("vi", "Tìm chủ đề sức khỏe", "Tìm trợ giúp ngay"),
    ];
    for (lang, label, help) in labels {
        open_learn(&haven, lang).await;
        haven
            .assert_accessible(&format!("Learn home in {lang}"))
            .await;

        let input = haven.find(&search_box(label)).await;
        input.send_keys("dau nguc").await.unwrap();
        haven.find("//ul[@class='results']/li[1]/a").await;
        haven
            .assert_accessible(&format!("search results in {lang}"))
            .await;

        input.clear().await.unwrap();
        input.send_keys("qqqzzzxx").await.unwrap();
        haven.find("//div[@class='no-results']").await;
        haven
            .assert_accessible(&format!("no results in {lang}"))
            .await;

        haven
            .click(&format!(
                "//button[normalize-space()={}]",
                xpath_literal(help)
            ))
            .await;
        haven.find("//*[@id='crisis-heading']").await;
        haven
            .assert_accessible(&format!("crisis panel in {lang}"))
            .await;

        haven
            .goto(&format!("/learn/topic/stroke?lang={lang}"))
            .await;
        haven.find("//section[@class='sources']").await;
        haven
            .click("//fieldset[@class='red-flags']//input[@type='checkbox']")
            .await;
        haven.find("//div[@role='alert']//a[@href='tel:115']").await;
        haven.assert_accessible(&format!("a topic in {lang}")).await;

        for check in ["phq-9", "gad-7"] {
            haven
                .goto(&format!("/learn/check/{check}?lang={lang}"))
                .await;
            haven.find("//form[@class='self-check']").await;
            let items = if check == "phq-9" { 9 } else { 7 };
            for item in 0..items {
                haven
                    .click(&format!("//input[@id='q{item}-a{}']", item % 3))
                    .await;
            }
            haven.click("//form//button[@type='submit']").await;
            haven.find("//section[@id='check-result']").await;
            haven
                .assert_accessible(&format!("{check} result in {lang}"))
                .await;
        }

        haven
            .goto(&format!("/learn/topic/no-such-topic?lang={lang}"))
            .await;
        haven.find("//p[@role='alert']").await;
        haven
            .assert_accessible(&format!("missing topic in {lang}"))
            .await;
    }
    haven.finish().await;
}

#[tokio::test]
async fn a_search_that_finds_nothing_is_counted_without_identifiers_and_crisis_searches_never() {
    let haven = Haven::start_with(|config| config.content.report_missed_searches = true).await;
    open_learn(&haven, "en").await;
    let input = haven.find(&search_box("Search health topics")).await;
    input.send_keys("Zzqy Xxwv").await.unwrap();
    haven.find("//div[@class='no-results']").await;
    // Reported after the patient pauses.
    tokio::time::sleep(Duration::from_millis(3000)).await;
    input.clear().await.unwrap();
    input.send_keys("I want to kill myself zzqy").await.unwrap();
    tokio::time::sleep(Duration::from_millis(3000)).await;

    let rows: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT lang, query, count FROM search_misses ORDER BY query")
            .fetch_all(haven.state.pool())
            .await
            .unwrap();
    assert_eq!(
        rows,
        vec![("en".to_owned(), "zzqy xxwv".to_owned(), 1)],
        "the folded query and a count only; never the crisis search"
    );
    haven.finish().await;
}
