//! My record end to end, by keyboard alone, in Chromium against the built widget: adding
//! readings and a medication and finding them in the timeline, the trend chart and its
//! table; working offline; export → outside FHIR validator → delete everything → import;
//! the passphrase lock; a Vietnamese message for an implausible reading; and axe on every
//! record view in English and Vietnamese.

use std::path::{Path, PathBuf};
use std::time::Duration;

use fantoccini::key::Key;
use serde_json::Value;

use crate::harness::{Haven, control, xpath_literal};

/// A link by its text.
fn link(text: &str) -> String {
    format!("//a[normalize-space()={}]", xpath_literal(text))
}

/// A link in the "Add to your record" menu.
fn add_link(text: &str) -> String {
    format!(
        "//section[@aria-labelledby='add-heading']//a[normalize-space()={}]",
        xpath_literal(text)
    )
}

/// A button by its text.
fn button(text: &str) -> String {
    format!("//button[normalize-space()={}]", xpath_literal(text))
}

/// Opens My record and waits until the whole record is read.
async fn open_records(haven: &Haven, lang: &str) {
    haven.goto(&format!("/records?lang={lang}")).await;
    wait_for_timeline(haven).await;
}

async fn wait_for_timeline(haven: &Haven) {
    haven.find("//h2[@id='timeline-heading']").await;
    haven
        .until(
            "the record is read",
            "const s = document.querySelector('#timeline-heading ~ p[role=status]');
             return !!s && !/Reading|Đang đọc/.test(s.textContent)",
        )
        .await;
}

/// Follows a link by keyboard: Tab to it, then Enter.
async fn follow(haven: &Haven, xpath: &str) {
    haven.tab_to(xpath).await;
    haven.press(&[Key::Enter]).await;
}

/// Fills the field labelled `label` by keyboard.
async fn fill(haven: &Haven, label: &str, text: &str) {
    haven.tab_to(&control(label)).await;
    haven.type_text(text).await;
}

/// Presses the button `text` by keyboard.
async fn press_button(haven: &Haven, text: &str) {
    haven.tab_to(&button(text)).await;
    haven.press(&[Key::Enter]).await;
}

/// Adds a blood pressure reading from the timeline, by keyboard.
async fn add_blood_pressure(haven: &Haven, systolic: &str, diastolic: &str) {
    follow(haven, &add_link("Blood pressure")).await;
    haven.heading("Add blood pressure").await;
    fill(haven, "Systolic (upper number, mmHg)", systolic).await;
    fill(haven, "Diastolic (lower number, mmHg)", diastolic).await;
    press_button(haven, "Save").await;
    wait_for_timeline(haven).await;
    haven
        .find(&link(&format!("{systolic}/{diastolic} mmHg")))
        .await;
}

/// Adds a medication from the timeline, by keyboard.
async fn add_medication(haven: &Haven, name: &str, dose: &str) {
    follow(haven, &add_link("Medication")).await;
    haven.heading("Add medication").await;
    fill(haven, "Medication name", name).await;
    fill(haven, "Dose (for example 500 mg) (optional)", dose).await;
    press_button(haven, "Save").await;
    wait_for_timeline(haven).await;
    haven.find(&link(name)).await;
}

/// The timeline rows' text, in order.
async fn timeline_rows(haven: &Haven) -> Vec<String> {
    let rows = haven
        .js("return [...document.querySelectorAll('.timeline-row')].map(r => r.innerText.replace(/\\s+/g, ' ').trim())")
        .await;
    rows.as_array()
        .unwrap()
        .iter()
        .map(|row| row.as_str().unwrap().to_owned())
        .collect()
}

/// Runs an async script (its result is passed to the last argument) and returns its value.
async fn js_async(haven: &Haven, body: &str) -> Value {
    let script = format!(
        "const done = arguments[arguments.length - 1]; (async () => {{ {body} }})().then(done, e => done('error: ' + e));"
    );
    haven
        .client
        .execute_async(&script, vec![])
        .await
        .unwrap_or_else(|e| panic!("{body}: {e}"))
}

#[tokio::test]
async fn readings_and_a_medication_added_by_keyboard_show_in_the_timeline_trends_and_offline() {
    let mut haven = Haven::start().await;
    open_records(&haven, "en").await;
    haven.find("//p[contains(., 'Your record is empty')]").await;
    add_blood_pressure(&haven, "128", "84").await;
    add_blood_pressure(&haven, "142", "91").await;
    add_medication(&haven, "Metformin", "500 mg").await;

    let rows = timeline_rows(&haven).await;
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(
        rows.iter()
            .any(|r| r.contains("Metformin") && r.contains("500 mg"))
    );
    haven
        .find("//section[@aria-labelledby='current-heading']//a[normalize-space()='Metformin']")
        .await;

    follow(&haven, &link("Trends")).await;
    haven.heading("Trends").await;
    haven
        .find("//*[local-name()='svg'][@role='img'][*[local-name()='title'][normalize-space()='Blood pressure over time']]")
        .await;
    let points = haven
        .js("return document.querySelectorAll('svg.chart circle').length")
        .await;
    assert_eq!(
        points,
        Value::from(4),
        "two readings, systolic and diastolic"
    );
    let table = haven
        .find("//table[caption[normalize-space()='Blood pressure: every reading']]")
        .await;
    let table_text = table.text().await.unwrap();
    for value in ["128", "84", "142", "91"] {
        assert!(table_text.contains(value), "{value} in {table_text}");
    }
    haven
        .find("//p[contains(., 'Your average systolic pressure over the last 3 months was 135 mmHg')]")
        .await;

    // Offline: the module and the record are on this device.
    haven.until_offline_ready().await;
    haven.go_offline().await;
    haven.goto("/records").await;
    wait_for_timeline(&haven).await;
    assert_eq!(timeline_rows(&haven).await.len(), 3);
    follow(&haven, &add_link("Weight")).await;
    haven.heading("Add weight").await;
    fill(&haven, "Weight", "72,5").await;
    press_button(&haven, "Save").await;
    wait_for_timeline(&haven).await;
    haven.find(&link("72.5 kg")).await;
    haven.finish().await;
}

#[tokio::test]
async fn an_implausible_reading_gets_a_specific_message_in_vietnamese_and_nothing_typed_is_lost() {
    let haven = Haven::start().await;
    open_records(&haven, "vi").await;
    follow(&haven, &add_link("Huyết áp")).await;
    haven.heading("Thêm huyết áp").await;
    fill(&haven, "Tâm thu (số trên, mmHg)", "400").await;
    fill(&haven, "Tâm trương (số dưới, mmHg)", "80").await;
    press_button(&haven, "Lưu").await;
    let summary = haven
        .find("//div[@role='alert'][h2[normalize-space()='Vui lòng kiểm tra các ô sau']]")
        .await;
    let message =
        "Số này cao hơn mọi số đo thực tế (tối đa 300 mmHg). Hãy kiểm tra lại số và đơn vị.";
    assert!(
        summary.text().await.unwrap().contains(message),
        "{}",
        summary.text().await.unwrap()
    );
    haven
        .until(
            "focus moves to the list of problems",
            "return document.activeElement.classList.contains('error-summary')",
        )
        .await;
    let field = haven.find(&control("Tâm thu (số trên, mmHg)")).await;
    assert_eq!(
        field.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    assert_eq!(field.prop("value").await.unwrap().as_deref(), Some("400"));
    haven
        .find(&format!(
            "//p[@class='field-error'][normalize-space()={}]",
            xpath_literal(message)
        ))
        .await;

    // A reload keeps what was typed.
    tokio::time::sleep(Duration::from_millis(700)).await;
    haven.goto("/records/add/blood_pressure?lang=vi").await;
    haven.heading("Thêm huyết áp").await;
    haven
        .find("//p[contains(., 'Chúng tôi đã giữ những gì bạn gõ lần trước')]")
        .await;
    let field = haven.find(&control("Tâm thu (số trên, mmHg)")).await;
    assert_eq!(field.prop("value").await.unwrap().as_deref(), Some("400"));
    haven.finish().await;
}

/// Every database of this origin, with the number of rows in each store; every cache; and
/// the sizes of local and session storage.
const STORAGE_CENSUS: &str = "
    const out = { rows: {}, caches: (await caches.keys()).length,
                  local: localStorage.length, session: sessionStorage.length };
    for (const info of await indexedDB.databases()) {
        const db = await new Promise((ok, no) => {
            const r = indexedDB.open(info.name); r.onsuccess = () => ok(r.result); r.onerror = no;
        });
        for (const name of db.objectStoreNames) {
            out.rows[info.name + '/' + name] = await new Promise(ok => {
                const r = db.transaction(name).objectStore(name).count(); r.onsuccess = () => ok(r.result);
            });
        }
        db.close();
    }
    return out;";

/// Waits for a downloaded file whose name starts with `prefix`.
async fn downloaded(dir: &Path, prefix: &str) -> PathBuf {
    for _ in 0..100 {
        if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with(prefix) && name.ends_with(".json") {
                    return entry.path();
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no download named {prefix}* in {}", dir.display());
}

#[tokio::test]
async fn export_validates_delete_everything_leaves_nothing_and_import_restores_the_same_record() {
    let haven = Haven::start().await;
    open_records(&haven, "en").await;
    add_blood_pressure(&haven, "131", "86").await;
    add_medication(&haven, "Amlodipine", "5 mg").await;
    follow(&haven, &add_link("Condition")).await;
    fill(&haven, "Condition", "High blood pressure").await;
    press_button(&haven, "Save").await;
    wait_for_timeline(&haven).await;
    // A document, picked through the file input.
    let picture = haven.downloads().with_file_name("lab-report.png");
    std::fs::write(&picture, PNG).unwrap();
    follow(&haven, &add_link("Document")).await;
    fill(&haven, "Title (optional)", "Cholesterol results").await;
    haven.tab_to("//input[@type='file']").await;
    haven.type_text(picture.to_str().unwrap()).await;
    press_button(&haven, "Save").await;
    wait_for_timeline(&haven).await;
    let before = timeline_rows(&haven).await;
    assert_eq!(before.len(), 4, "{before:?}");

    // Export the whole record.
    follow(&haven, &link("Backup and import")).await;
    haven.heading("Backup and import").await;
    haven.find("//section[h3[normalize-space()='What the file will contain']]//li[normalize-space()='Document: 1']").await;
    press_button(&haven, "Download the file").await;
    let file = downloaded(&haven.downloads(), "haven-record-").await;
    haven
        .find("//p[contains(., 'The file with 4 items was downloaded')]")
        .await;
    // `cargo xtask test` installs the validator's virtual environment and names its Python.
    let python = std::env::var_os("HAVEN_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::harness::root().join(".tools/venv/bin/python"));
    let validator = crate::harness::root().join("tools/validate_fhir.py");
    let status = std::process::Command::new(&python)
        .arg(&validator)
        .arg(&file)
        .status()
        .unwrap_or_else(|e| panic!("{}: {e} (`cargo xtask test` installs it)", python.display()));
    assert!(status.success(), "the export validates as FHIR R4");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("Amlodipine") && text.contains("\"resourceType\":\"Bundle\""));

    // Delete everything.
    follow(&haven, &link("Lock and settings")).await;
    haven.heading("Lock and settings").await;
    press_button(&haven, "Delete everything").await;
    haven
        .find("//div[@role='alert'][contains(., 'will be lost for good')]")
        .await;
    press_button(&haven, "Yes, delete everything").await;
    haven
        .find("//p[normalize-space()='Everything was deleted from this browser.']")
        .await;
    let census = js_async(&haven, STORAGE_CENSUS).await;
    let rows: u64 = census["rows"]
        .as_object()
        .unwrap_or_else(|| panic!("{census}"))
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(rows, 0, "no row left in any database: {census}");
    assert_eq!(census["caches"], 0, "no cache left: {census}");
    assert_eq!(census["local"], 0, "{census}");
    assert_eq!(census["session"], 0, "{census}");

    // Import the file into the new, empty record.
    press_button(&haven, "Start a new record").await;
    wait_for_timeline(&haven).await;
    assert!(timeline_rows(&haven).await.is_empty());
    follow(&haven, &link("Backup and import")).await;
    haven.tab_to(&control("FHIR file (.json)")).await;
    haven.type_text(file.to_str().unwrap()).await;
    haven
        .find("//p[normalize-space()='4 new items to add, 0 already in your record, 0 that cannot be read.']")
        .await;
    press_button(&haven, "Add 4 items to my record").await;
    haven
        .find("//p[contains(., '4 items were added to your record.')]")
        .await;
    follow(&haven, &link("Timeline")).await;
    wait_for_timeline(&haven).await;
    assert_eq!(timeline_rows(&haven).await, before);
    // The document's file came back too.
    follow(&haven, &link("Cholesterol results")).await;
    haven.find(&button("Download the file")).await;
    haven.finish().await;
}

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

#[tokio::test]
async fn a_locked_record_is_unreadable_at_rest_refuses_a_wrong_passphrase_and_opens_with_the_right_one()
 {
    let haven = Haven::start().await;
    open_records(&haven, "en").await;
    add_medication(&haven, "Lisinopril", "10 mg").await;

    follow(&haven, &link("Lock and settings")).await;
    haven.heading("Lock and settings").await;
    haven
        .find(
            "//p[contains(., 'If you forget your passphrase, your record cannot be opened again')]",
        )
        .await;
    fill(&haven, "New passphrase", "river lantern orbit").await;
    fill(&haven, "Type it again", "river lantern orbit").await;
    haven
        .tab_to(&control(
            "I understand that a forgotten passphrase cannot be recovered",
        ))
        .await;
    haven.press(&[Key::Space]).await;
    press_button(&haven, "Set a passphrase").await;
    haven
        .find("//p[contains(., 'Your record is now locked with your passphrase.')]")
        .await;

    // At rest: only ids, kinds and dates are readable; the medication is sealed bytes.
    let rows = js_async(
        &haven,
        "const db = await new Promise((ok, no) => { const r = indexedDB.open('haven'); r.onsuccess = () => ok(r.result); r.onerror = no; });
         const rows = await new Promise(ok => { const r = db.transaction('entries').objectStore('entries').getAll(); r.onsuccess = () => ok(r.result); });
         db.close();
         return rows.map(row => ({ plain: typeof row.body === 'string',
             text: JSON.stringify(row) + (row.body instanceof Uint8Array || row.body instanceof ArrayBuffer
                 ? new TextDecoder('latin1').decode(row.body) : '') }));",
    )
    .await;
    let rows = rows.as_array().unwrap_or_else(|| panic!("{rows}"));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["plain"], false, "{rows:?}");
    let stored = rows[0]["text"].as_str().unwrap();
    assert!(
        !stored.contains("Lisinopril") && !stored.contains("10 mg"),
        "{stored}"
    );

    // Reload: locked.
    haven.client.refresh().await.unwrap();
    haven.heading("Your record is locked").await;
    assert!(!haven.page_text().await.contains("Lisinopril"));
    fill(&haven, "Passphrase", "river lantern orbiT").await;
    haven.press(&[Key::Enter]).await;
    haven
        .find("//p[@role='alert'][starts-with(normalize-space(), 'That passphrase is not right')]")
        .await;
    // The right one, after any wait the wrong one started.
    for _ in 0..30 {
        let input = haven.find(&control("Passphrase")).await;
        input.clear().await.unwrap();
        input.send_keys("river lantern orbit").await.unwrap();
        haven.press(&[Key::Enter]).await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        if haven.page_text().await.contains("Your record is unlocked.") {
            break;
        }
    }
    follow(&haven, &link("Timeline")).await;
    wait_for_timeline(&haven).await;
    haven.find(&link("Lisinopril")).await;

    // Left alone for the chosen idle time, it locks itself.
    follow(&haven, &link("Lock and settings")).await;
    haven
        .tab_to(&control("Lock after this long without use"))
        .await;
    haven.press(&[Key::Up]).await;
    haven
        .until(
            "one minute is chosen",
            "return document.activeElement.selectedOptions[0].textContent === '1 minute'",
        )
        .await;
    tokio::time::sleep(Duration::from_secs(60)).await;
    haven.heading("Your record is locked").await;
    assert!(!haven.page_text().await.contains("Lisinopril"));
    haven.finish().await;
}

/// Every record view, with something in it, in English and Vietnamese.
#[tokio::test]
async fn every_record_view_passes_axe_in_english_and_vietnamese() {
    let haven = Haven::start().await;
    open_records(&haven, "en").await;
    add_blood_pressure(&haven, "125", "82").await;
    add_medication(&haven, "Metformin", "500 mg").await;
    let id = haven
        .js("return document.querySelector('.timeline-row a').getAttribute('href')")
        .await;
    let entry = id.as_str().unwrap().to_owned();
    for lang in ["en", "vi"] {
        let mut pages: Vec<String> = [
            "/records",
            "/records/trends",
            "/records/summary",
            "/records/emergency",
            "/records/backup",
            "/records/settings",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect();
        pages.extend(
            [
                "condition",
                "medication",
                "allergy",
                "blood_pressure",
                "glucose",
                "weight",
                "height",
                "temperature",
                "heart_rate",
                "oxygen_saturation",
                "mood",
                "vaccination",
                "visit_note",
                "question",
                "document",
                "emergency",
            ]
            .iter()
            .map(|kind| format!("/records/add/{kind}")),
        );
        pages.push(entry.clone());
        for page in &pages {
            haven.goto(&format!("{page}?lang={lang}")).await;
            haven.find("//nav[contains(@class, 'record-nav')]").await;
            haven.find("//h1").await;
            if page == "/records" {
                wait_for_timeline(&haven).await;
            }
            haven.assert_accessible(&format!("{page} in {lang}")).await;
        }
        // A form with errors.
        haven
            .goto(&format!("/records/add/blood_pressure?lang={lang}"))
            .await;
        haven
            .find("//form//button[@type='submit']")
            .await
            .click()
            .await
            .unwrap();
        haven
            .find("//div[contains(@class, 'error-summary')][not(@hidden)]//li")
            .await;
        haven
            .assert_accessible(&format!("form errors in {lang}"))
            .await;
    }
    // Locked.
    haven.goto("/records/settings?lang=vi").await;
    fill(&haven, "Cụm mật khẩu mới", "river lantern orbit").await;
    fill(&haven, "Nhập lại", "river lantern orbit").await;
    haven
        .tab_to(&control(
            "Tôi hiểu rằng cụm mật khẩu bị quên thì không thể khôi phục",
        ))
        .await;
    haven.press(&[Key::Space]).await;
    press_button(&haven, "Đặt cụm mật khẩu").await;
    haven
        .find("//p[contains(., 'Hồ sơ đã được khóa bằng cụm mật khẩu.')]")
        .await;
    for lang in ["en", "vi"] {
        haven.goto(&format!("/records?lang={lang}")).await;
        haven.find("//input[@type='password']").await;
        haven.assert_accessible(&format!("locked in {lang}")).await;
    }
    haven.finish().await;
}
