//! The search benchmark, run by `cargo xtask bench` in headless Chromium: Haven's index
//! (exactly as the Learn module builds it) against MiniSearch, configured with fuzzy and
//! prefix search over the same fields, in the same browser run.
//!
//! - Latency per keystroke: every labelled query typed one character at a time, over the
//!   shipped pack and over a synthetic 2,000-topic pack.
//! - Recall@5 and top-1 accuracy (the expected topic first) on the labelled patient-style
//!   queries (`content/queries/*.toml`), per language.
//!
//! Between rounds it yields to the browser's event loop, so the page's main thread is never
//! held for the whole run (on a small machine Chromium would give up on the page).
//!
//! `cargo xtask bench` writes the packs and queries to `$HAVEN_BENCH_DIR` before compiling
//! this test; it prints one `BENCH|name|value` line per measurement.
#![cfg(target_arch = "wasm32")]

use haven::learn::pack::Library;
use haven_api::content::Pack;
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(module = "/node_modules/minisearch/dist/es/index.js")]
extern "C" {
    #[wasm_bindgen(js_name = default)]
    type MiniSearch;
    #[wasm_bindgen(constructor, js_class = "default")]
    fn new(options: &JsValue) -> MiniSearch;
    #[wasm_bindgen(method, js_class = "default", js_name = addAll)]
    fn add_all(this: &MiniSearch, documents: &JsValue);
    #[wasm_bindgen(method, js_class = "default")]
    fn search(this: &MiniSearch, query: &str) -> js_sys::Array;
}

const PACK_EN: &str = include_str!(concat!(env!("HAVEN_BENCH_DIR"), "/pack.en.json"));
const PACK_VI: &str = include_str!(concat!(env!("HAVEN_BENCH_DIR"), "/pack.vi.json"));
const SYNTHETIC: &str = include_str!(concat!(env!("HAVEN_BENCH_DIR"), "/synthetic.json"));
const QUERIES: &str = include_str!(concat!(env!("HAVEN_BENCH_DIR"), "/queries.json"));

#[derive(Deserialize)]
struct Query {
    lang: String,
    text: String,
    expect: Vec<String>,
}

fn parse<T: serde::de::DeserializeOwned>(json: &str) -> T {
    serde_wasm_bindgen::from_value(js_sys::JSON::parse(json).unwrap()).unwrap()
}

fn now() -> f64 {
    web_sys::window().unwrap().performance().unwrap().now()
}

fn report(name: &str, value: impl std::fmt::Display) {
    web_sys::console::log_1(&format!("BENCH|{name}|{value}").into());
}

/// Lets the browser run its event loop (a `setTimeout(0)` task, not a microtask, so that
/// timers, rendering and the test runner's messages get their turn) before going on.
async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// MiniSearch over the same fields with the same boosts, fuzzy (20% of the word's length,
/// its documented setting) and prefix search. With `folded`, it also gets Unicode folding
/// like Haven's (NFKD, combining marks removed, "đ" to "d"), so both engines get the same
/// chance with unaccented Vietnamese; without, it is MiniSearch as documented.
fn minisearch(pack: &Pack, folded: bool) -> MiniSearch {
    let options = js_sys::JSON::parse(
        r#"{"fields":["title","synonyms","summary","body"],"storeFields":["id"],
            "searchOptions":{"boost":{"title":4,"synonyms":3,"summary":1.5},
                             "fuzzy":0.2,"prefix":true}}"#,
    )
    .unwrap();
    if folded {
        let fold = js_sys::Function::new_with_args(
            "term",
            "return term.normalize('NFKD').replace(/[\\u0300-\\u036f]/g, '').replace(/đ/gi, 'd').toLowerCase()",
        );
        js_sys::Reflect::set(&options, &"processTerm".into(), &fold).unwrap();
    }
    let index = MiniSearch::new(&options);
    let documents = js_sys::Array::new();
    for (position, topic) in pack.topics.iter().enumerate() {
        let document = js_sys::Object::new();
        let set = |key: &str, value: &str| {
            js_sys::Reflect::set(&document, &key.into(), &value.into()).unwrap();
        };
        set("id", &position.to_string());
        set("title", &topic.title);
        set("synonyms", &topic.synonyms.join(", "));
        set("summary", &topic.summary);
        set("body", &topic.body_text());
        documents.push(&document);
    }
    index.add_all(&documents);
    index
}

fn minisearch_top(index: &MiniSearch, query: &str, limit: usize) -> Vec<usize> {
    index
        .search(query)
        .iter()
        .take(limit)
        .filter_map(|hit| {
            js_sys::Reflect::get(&hit, &"id".into())
                .ok()?
                .as_string()?
                .parse()
                .ok()
        })
        .collect()
}

/// Milliseconds per keystroke over every prefix of every query, for both engines.
async fn keystrokes(library: &Library, mini: &MiniSearch, queries: &[&str]) -> (f64, f64, usize) {
    let typed: Vec<String> = queries
        .iter()
        .flat_map(|query| {
            let chars: Vec<char> = query.chars().collect();
            (1..=chars.len()).map(move |n| chars[..n].iter().collect::<String>())
        })
        .collect();
    // Warm both up once (JIT, caches), then time three rounds of each.
    for text in &typed {
        let _ = library.search(text);
    }
    yield_to_browser().await;
    for text in &typed {
        let _ = mini.search(text);
    }
    // Each round starts with an empty expansion cache: within a round, a query's earlier
    // words are reused as they are when a patient types, but nothing carries over.
    let rounds = 3;
    let mut haven = 0.0;
    for _ in 0..rounds {
        yield_to_browser().await;
        library.index.clear_cache();
        let start = now();
        for text in &typed {
            let _ = library.search(text);
        }
        haven += now() - start;
    }
    let mut mini_ms = 0.0;
    for _ in 0..rounds {
        yield_to_browser().await;
        let start = now();
        for text in &typed {
            let _ = mini.search(text);
        }
        mini_ms += now() - start;
    }
    let timed = (rounds * typed.len()) as f64;
    (haven / timed, mini_ms / timed, typed.len())
}

#[wasm_bindgen_test]
async fn search_latency_and_recall_against_minisearch() {
    let queries: Vec<Query> = parse(QUERIES);
    let mut all_haven = 0.0;
    let mut all_mini = 0.0;
    for (lang, json) in [("en", PACK_EN), ("vi", PACK_VI)] {
        yield_to_browser().await;
        let pack: Pack = parse(json);
        let start = now();
        let library = Library::new(pack.clone());
        report(
            &format!("index build ms, shipped {lang}"),
            format!("{:.2}", now() - start),
        );
        report(
            &format!("index terms, shipped {lang}"),
            library.index.vocabulary(),
        );
        yield_to_browser().await;
        let start = now();
        let mini = minisearch(&pack, true);
        let plain = minisearch(&pack, false);
        report(
            &format!("minisearch build ms, shipped {lang}"),
            format!("{:.2}", now() - start),
        );

        let mine: Vec<&Query> = queries.iter().filter(|q| q.lang == lang).collect();
        let texts: Vec<&str> = mine.iter().map(|q| q.text.as_str()).collect();
        yield_to_browser().await;
        let (haven, minisearch_ms, count) = keystrokes(&library, &mini, &texts).await;
        all_haven += haven;
        all_mini += minisearch_ms;
        report(
            &format!("keystroke ms, shipped {lang}, haven"),
            format!("{haven:.4}"),
        );
        report(
            &format!("keystroke ms, shipped {lang}, minisearch folded"),
            format!("{minisearch_ms:.4}"),
        );
        report(&format!("keystrokes timed, shipped {lang}"), count);

        yield_to_browser().await;
        let position = |id: &str| pack.topics.iter().position(|t| t.id == id);
        let engines = ["haven", "minisearch folded", "minisearch plain"];
        // Per engine: queries with an expected topic in the top five, and first.
        let mut found = [0usize; 3];
        let mut first = [0usize; 3];
        for query in &mine {
            let expected: Vec<usize> = query.expect.iter().filter_map(|id| position(id)).collect();
            let ours: Vec<usize> = library
                .search(&query.text)
                .hits
                .iter()
                .take(5)
                .map(|h| h.doc)
                .collect();
            let tops = [
                ours,
                minisearch_top(&mini, &query.text, 5),
                minisearch_top(&plain, &query.text, 5),
            ];
            for (engine, top) in tops.iter().enumerate() {
                if top.iter().any(|doc| expected.contains(doc)) {
                    found[engine] += 1;
                } else if engine == 0 {
                    report(&format!("haven missed ({lang})"), &query.text);
                }
                if top.first().is_some_and(|doc| expected.contains(doc)) {
                    first[engine] += 1;
                }
            }
        }
        let total = mine.len().max(1) as f64;
        for (engine, name) in engines.iter().enumerate() {
            report(
                &format!("recall@5 {lang} ({} queries), {name}", mine.len()),
                format!("{:.3}", found[engine] as f64 / total),
            );
        }
        for (engine, name) in engines.iter().enumerate() {
            report(
                &format!("top-1 {lang} ({} queries), {name}", mine.len()),
                format!("{:.3}", first[engine] as f64 / total),
            );
        }
    }
    report(
        "keystroke ratio haven/minisearch folded, shipped",
        format!("{:.3}", all_haven / all_mini),
    );

    yield_to_browser().await;
    let synthetic: Pack = parse(SYNTHETIC);
    let topics = synthetic.topics.len();
    let start = now();
    let library = Library::new(synthetic.clone());
    report(
        &format!("index build ms, synthetic {topics} topics"),
        format!("{:.1}", now() - start),
    );
    yield_to_browser().await;
    let start = now();
    let mini = minisearch(&synthetic, true);
    report(
        &format!("minisearch build ms, synthetic {topics} topics"),
        format!("{:.1}", now() - start),
    );
    let texts: Vec<&str> = queries
        .iter()
        .filter(|q| q.lang == "en")
        .map(|q| q.text.as_str())
        .collect();
    yield_to_browser().await;
    let (haven, minisearch_ms, _) = keystrokes(&library, &mini, &texts).await;
    report(
        &format!("keystroke ms, synthetic {topics}, haven"),
        format!("{haven:.4}"),
    );
    report(
        &format!("keystroke ms, synthetic {topics}, minisearch folded"),
        format!("{minisearch_ms:.4}"),
    );
    report(
        "keystroke ratio haven/minisearch folded, synthetic",
        format!("{:.3}", haven / minisearch_ms),
    );
    let long = "x".repeat(10_000);
    yield_to_browser().await;
    let start = now();
    let _ = library.search(&long);
    report(
        "10,000-character query ms, synthetic",
        format!("{:.3}", now() - start),
    );
}
