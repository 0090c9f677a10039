//! The record benchmark, run by `cargo xtask bench` in headless Chromium with a release
//! build: the vault's bulk write against Dexie's `bulkPut` in the same browser run, the
//! first timeline page after the store opens, search per keystroke, export and import of
//! 10,000 entries with their memory, and unlocking with Argon2id. It prints one
//! `BENCH|name|value` line per measurement.
#![cfg(target_arch = "wasm32")]

use haven::records::{Filter, matching, search_text};
use haven::vault::{LockState, Vault, at_ms};
use haven_api::record::fhir::{self, ExportOptions, Exporter, ImportOptions};
use haven_api::record::form::{Context, Form};
use haven_api::record::{Date, DateTime, Entry, Field, Kind};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

// Dexie's ES module from npm, copied by `cargo xtask bench` under a `.js` name: the test
// server serves `.mjs` files with a MIME type browsers refuse for modules.
#[wasm_bindgen(module = "/target/bench/dexie.js")]
extern "C" {
    #[wasm_bindgen(js_name = default)]
    type Dexie;
    #[wasm_bindgen(constructor, js_class = "default")]
    fn new(name: &str) -> Dexie;
    #[wasm_bindgen(method, js_class = "default")]
    fn version(this: &Dexie, number: u32) -> JsValue;
    #[wasm_bindgen(method, js_class = "default")]
    fn table(this: &Dexie, name: &str) -> JsValue;
    #[wasm_bindgen(method, js_class = "default")]
    fn open(this: &Dexie) -> js_sys::Promise;
    #[wasm_bindgen(method, js_class = "default")]
    fn close(this: &Dexie);
}

/// Entries in the large record.
const ENTRIES: usize = 10_000;
/// Runs of each timed write; the median is reported.
const RUNS: usize = 3;

fn now() -> f64 {
    web_sys::window().unwrap().performance().unwrap().now()
}

fn report(name: &str, value: impl std::fmt::Display) {
    web_sys::console::log_1(&format!("BENCH|{name}|{value}").into());
}

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}-{}",
        web_sys::window().unwrap().crypto().unwrap().random_uuid()
    )
}

/// The JavaScript heap in use (Chromium's `performance.memory`) plus the wasm memory, in
/// bytes.
fn memory_in_use() -> f64 {
    let performance = web_sys::window().unwrap().performance().unwrap();
    let js = js_sys::Reflect::get(&performance, &"memory".into())
        .and_then(|memory| js_sys::Reflect::get(&memory, &"usedJSHeapSize".into()))
        .ok()
        .and_then(|used| used.as_f64())
        .unwrap_or(0.0);
    let wasm = wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length();
    js + f64::from(wasm)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// A record of `count` entries of every kind but documents, made through the same forms a
/// patient fills in, over about three years.
fn record(count: usize) -> Vec<Entry> {
    let today = Date::new(2026, 11, 20).unwrap();
    let words = [
        "metformin",
        "lisinopril",
        "tiểu đường",
        "huyết áp cao",
        "đau đầu",
        "penicillin",
        "tôm",
        "cúm",
        "hen suyễn",
        "amlodipine",
        "vitamin D",
        "khám định kỳ",
    ];
    (0..count)
        .map(|i| {
            let kinds = [
                Kind::BloodPressure,
                Kind::Glucose,
                Kind::Weight,
                Kind::HeartRate,
                Kind::Mood,
                Kind::Temperature,
                Kind::OxygenSaturation,
                Kind::Medication,
                Kind::Condition,
                Kind::VisitNote,
                Kind::Question,
                Kind::Vaccination,
                Kind::Allergy,
            ];
            let kind = kinds[i % kinds.len()];
            let day = Date::from_days(today.days() - (i as i64 * 97 % 1_100));
            let at = DateTime::new(day, 7 + (i % 12) as u32, (i % 60) as u32, 0, 420).unwrap();
            let mut form = Form::new(kind, at);
            let word = words[i % words.len()];
            match kind {
                Kind::BloodPressure => {
                    form.set(Field::Systolic, (105 + i % 50).to_string());
                    form.set(Field::Diastolic, (65 + i % 30).to_string());
                }
                Kind::Glucose => form.set(Field::Value, format!("{}.{}", 4 + i % 6, i % 10)),
                Kind::Weight => form.set(Field::Value, format!("{}.{}", 55 + i % 30, i % 10)),
                Kind::HeartRate => form.set(Field::Value, (55 + i % 50).to_string()),
                Kind::Mood => {
                    form.set(Field::Score, (1 + i % 5).to_string());
                    form.set(Field::Note, format!("ngày {word}"));
                }
                Kind::Temperature => form.set(Field::Value, format!("36.{}", i % 10)),
                Kind::OxygenSaturation => form.set(Field::Value, (93 + i % 7).to_string()),
                Kind::Medication => {
                    form.set(Field::Name, format!("{word} {i}"));
                    form.set(Field::Dose, "500 mg");
                    form.set(Field::Frequency, "twice a day");
                }
                Kind::Condition => form.set(Field::Name, format!("{word} {i}")),
                Kind::VisitNote => form.set(
                    Field::Text,
                    format!("Bác sĩ dặn theo dõi {word} và tái khám sau 3 tháng. Note {i}."),
                ),
                Kind::Question => form.set(Field::Text, format!("Hỏi bác sĩ về {word}?")),
                Kind::Vaccination => form.set(Field::Vaccine, format!("{word} vaccine")),
                Kind::Allergy => form.set(Field::Substance, format!("{word} {i}")),
                _ => {}
            }
            // The end of `today`, so no reading is in the future.
            let now_ms = (today.days() + 1) * 86_400_000 - 1;
            let context = Context {
                id: web_sys::window().unwrap().crypto().unwrap().random_uuid(),
                created_at: now_ms - i as i64,
                now_ms,
                today,
                offset_minutes: 420,
            };
            form.to_entry(&context)
                .unwrap_or_else(|errors| panic!("{kind:?}: {errors:?}"))
        })
        .collect()
}

/// The rows Haven stores for `entries` while no passphrase is set, as JavaScript objects:
/// what Dexie is given to store.
fn rows(entries: &[Entry]) -> js_sys::Array {
    entries
        .iter()
        .map(|entry| {
            let row = js_sys::Object::new();
            let set = |key: &str, value: JsValue| {
                js_sys::Reflect::set(&row, &key.into(), &value).unwrap();
            };
            set("id", entry.id.as_str().into());
            set("kind", entry.kind.as_str().into());
            set("at", at_ms(entry.date).into());
            set("body", serde_json::to_string(entry).unwrap().into());
            JsValue::from(row)
        })
        .collect()
}

async fn call(target: &JsValue, method: &str, args: &[JsValue]) -> JsValue {
    let function: js_sys::Function = js_sys::Reflect::get(target, &method.into())
        .unwrap()
        .unchecked_into();
    let result = function
        .apply(target, &args.iter().collect::<js_sys::Array>())
        .unwrap();
    JsFuture::from(js_sys::Promise::resolve(&result))
        .await
        .unwrap()
}

#[wasm_bindgen_test]
async fn record_benchmark() {
    let entries = record(ENTRIES);

    // Bulk write: Haven's vault (serialising every entry itself) against Dexie's bulkPut of
    // the same rows, with the same indexes, each into a fresh database.
    let mut haven_ms = Vec::new();
    let mut dexie_ms = Vec::new();
    for _ in 0..RUNS {
        let vault = Vault::open(&unique("bench-haven")).await.unwrap();
        let start = now();
        vault.put_many(&entries).await.unwrap();
        haven_ms.push(now() - start);

        let dexie = Dexie::new(&unique("bench-dexie"));
        let stores = js_sys::Object::new();
        js_sys::Reflect::set(&stores, &"entries".into(), &"id, at, [kind+at]".into()).unwrap();
        call(&dexie.version(1), "stores", &[stores.into()]).await;
        JsFuture::from(dexie.open()).await.unwrap();
        let prepared = rows(&entries);
        let start = now();
        call(&dexie.table("entries"), "bulkPut", &[prepared.into()]).await;
        dexie_ms.push(now() - start);
        dexie.close();
    }
    let (haven, dexie) = (median(haven_ms), median(dexie_ms));
    report(
        "bulk write 10,000 entries, Haven vault (ms)",
        format!("{haven:.0}"),
    );
    report(
        "bulk write 10,000 entries, Dexie bulkPut (ms)",
        format!("{dexie:.0}"),
    );
    report(
        "bulk write ratio Haven / Dexie (target ≤ 1.2)",
        format!("{:.2}", haven / dexie),
    );

    // The first timeline page after the store opens.
    let name = unique("bench-open");
    Vault::open(&name)
        .await
        .unwrap()
        .put_many(&entries)
        .await
        .unwrap();
    // Each time with a new connection, as a page load has.
    let mut first_ms = Vec::new();
    for _ in 0..5 {
        let vault = Vault::open(&name).await.unwrap();
        let start = now();
        let first = vault.newest(None, 50).await.unwrap();
        first_ms.push(now() - start);
        assert_eq!(first.len(), 50);
    }
    let slowest = first_ms.iter().copied().fold(0.0, f64::max);
    report(
        "first 50 timeline rows of 10,000 after open, median of 5 (ms, target < 10)",
        format!("{:.2}", median(first_ms)),
    );
    report(
        "first 50 timeline rows, slowest of 5 (ms)",
        format!("{slowest:.2}"),
    );
    let vault = Vault::open(&name).await.unwrap();
    let start = now();
    let all = vault.all().await.unwrap();
    report(
        "read all 10,000 entries (ms)",
        format!("{:.0}", now() - start),
    );
    assert_eq!(all.len(), ENTRIES);

    // Search as the patient types, over the whole record, as the timeline does it.
    let start = now();
    let texts: Vec<String> = all.iter().map(|e| search_text(e, "")).collect();
    report(
        "search text of 10,000 entries, once (ms)",
        format!("{:.0}", now() - start),
    );
    let mut keystrokes = 0;
    let mut slowest: f64 = 0.0;
    let start = now();
    for query in [
        "metformin",
        "tieu duong",
        "huyet ap cao",
        "kham dinh ky",
        "penicilin",
    ] {
        for end in query.char_indices().map(|(at, c)| at + c.len_utf8()) {
            let filter = Filter {
                query: query[..end].to_owned(),
                ..Filter::default()
            };
            let one = now();
            let found = matching(&all, &texts, &filter);
            slowest = slowest.max(now() - one);
            keystrokes += 1;
            std::hint::black_box(found);
        }
    }
    report(
        "search per keystroke over 10,000 entries, mean (ms, target < 16)",
        format!("{:.2}", (now() - start) / f64::from(keystrokes)),
    );
    report(
        "search per keystroke, slowest (ms)",
        format!("{slowest:.2}"),
    );

    // Export and import of the whole record.
    let before = memory_in_use();
    let start = now();
    let mut exporter = Exporter::new(ExportOptions {
        patient_id: "0b6f1c52-3c1e-4a8e-9b55-1f1f8a3c2d10".into(),
        patient_name: String::new(),
        now_ms: 1_764_000_000_000,
        today: Date::new(2026, 11, 20).unwrap(),
    });
    for entry in &all {
        exporter.add(entry, None);
    }
    let json = fhir::to_json(&exporter.finish());
    let export_ms = now() - start;
    let export_peak = memory_in_use() - before;
    report(
        "export 10,000 entries to FHIR JSON (ms)",
        format!("{export_ms:.0}"),
    );
    report(
        "export file size (MB)",
        format!("{:.1}", json.len() as f64 / 1e6),
    );
    report(
        "export memory growth (MB)",
        format!("{:.1}", export_peak / 1e6),
    );
    let before = memory_in_use();
    let start = now();
    let mut next = 0_u32;
    let imported = fhir::import(
        &json,
        &ImportOptions {
            today: Date::new(2026, 11, 20).unwrap(),
            now_ms: 1_764_000_000_000,
            limits: Default::default(),
        },
        &mut || {
            next += 1;
            format!("00000000-0000-4000-8000-{next:012}")
        },
    )
    .unwrap();
    report("import the same file (ms)", format!("{:.0}", now() - start));
    report(
        "import memory growth (MB)",
        format!("{:.1}", (memory_in_use() - before) / 1e6),
    );
    assert_eq!(imported.entries().count(), ENTRIES);

    // Unlocking: Argon2id (19 MiB, 2 passes) and opening the data key.
    let vault = Vault::open(&unique("bench-lock")).await.unwrap();
    vault
        .set_passphrase("river lantern orbit", &|_, _| {})
        .await
        .unwrap();
    vault.lock();
    assert_eq!(vault.state(), LockState::Locked);
    let start = now();
    vault.unlock("river lantern orbit").await.unwrap();
    assert_eq!(vault.state(), LockState::Unlocked);
    report(
        "unlock with Argon2id (ms, target ≤ 1,000)",
        format!("{:.0}", now() - start),
    );
}
