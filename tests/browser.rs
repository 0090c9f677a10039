//! Browser tests: the IndexedDB schema and the outbox against the real IndexedDB, fetch and
//! Web Locks of headless Chromium. Run by `cargo xtask test` (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use haven::outbox::{self, policy::State};
use haven::store::{self, schema};
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "browser/vault.rs"]
mod vault;

/// A form draft, as the widget stores one.
#[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
struct Draft {
    id: String,
    text: String,
}

/// Writes `draft` with strict durability.
async fn put_draft(db: &Database, draft: &Draft) {
    let tx = store::strict_write(db, &[schema::stores::DRAFTS]).expect("transaction");
    tx.object_store(schema::stores::DRAFTS)
        .unwrap()
        .put(draft)
        .serde()
        .unwrap()
        .await
        .unwrap();
    tx.commit().await.expect("commit");
}

/// Reads the draft `id`.
async fn get_draft(db: &Database, id: &str) -> Option<Draft> {
    let tx = db.transaction(schema::stores::DRAFTS).build().unwrap();
    tx.object_store(schema::stores::DRAFTS)
        .unwrap()
        .get(id)
        .serde()
        .unwrap()
        .await
        .unwrap()
}

fn unique_name(prefix: &str) -> String {
    format!(
        "{prefix}-{}",
        web_sys::window().unwrap().crypto().unwrap().random_uuid()
    )
}

#[wasm_bindgen_test]
async fn a_fresh_database_gets_every_store_of_the_latest_schema() {
    let db = store::open(&unique_name("schema")).await.expect("open");
    assert_eq!(db.version() as u32, schema::LATEST);
    let mut names: Vec<String> = db.object_store_names().collect();
    names.sort();
    assert_eq!(
        names,
        vec![
            "content",
            "drafts",
            "entries",
            "files",
            "outbox",
            "record_drafts",
            "settings",
            "vault"
        ]
    );
    let tx = db
        .transaction(schema::stores::OUTBOX)
        .build()
        .expect("transaction");
    let outbox = tx.object_store(schema::stores::OUTBOX).expect("store");
    assert!(
        outbox.index("by_created").is_ok(),
        "the outbox is indexed by creation time"
    );
}

#[wasm_bindgen_test]
async fn a_version_1_database_with_data_upgrades_to_the_latest_and_keeps_its_data() {
    // Version 1 as released, built by its own step, with a draft in it.
    let name = unique_name("upgrade");
    let v1 = Database::open(&name)
        .with_version(1u32)
        .with_on_upgrade_needed(|_, db| schema::apply(schema::Step::V1, &db))
        .await
        .expect("open version 1");
    let draft = Draft {
        id: "appointment".into(),
        text: "Khám răng".into(),
    };
    put_draft(&v1, &draft).await;
    v1.close();

    let db = store::open(&name).await.expect("upgrade");
    assert_eq!(db.version() as u32, schema::LATEST);
    assert!(
        db.object_store_names()
            .any(|store| store == schema::stores::CONTENT)
    );
    assert_eq!(get_draft(&db, "appointment").await, Some(draft));
}

#[wasm_bindgen_test]
async fn a_strict_write_survives_closing_and_reopening_the_database() {
    let name = unique_name("durable");
    let db = store::open(&name).await.expect("open");
    let draft = Draft {
        id: "appointment".into(),
        text: "Đau đầu từ hôm qua".into(),
    };
    put_draft(&db, &draft).await;
    db.close();

    let db = store::open(&name).await.expect("reopen");
    assert_eq!(get_draft(&db, "appointment").await, Some(draft));
}

/// Waits until the outbox item `id` reaches `state`, or gives up after about five seconds.
async fn wait_for_state(id: &str, state: State) -> outbox::OutboxItem {
    for _ in 0..100 {
        let items = outbox::list().await.expect("list");
        if let Some(item) = items
            .into_iter()
            .find(|item| item.id == id && item.state == state)
        {
            return item;
        }
        sleep_ms(50).await;
    }
    panic!("outbox item {id} never reached {state:?}");
}

/// A fresh idempotency key, as the widget makes them.
fn new_key() -> String {
    web_sys::window().unwrap().crypto().unwrap().random_uuid()
}

async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_send_the_server_refuses_is_kept_for_the_patient_with_its_reason_and_can_be_cancelled() {
    // The test runner's own server has no such endpoint and answers 404: a definite refusal.
    let item = outbox::enqueue(
        "test_kind",
        "/api/no-such-endpoint",
        new_key(),
        r#"{"note":"hello"}"#.into(),
        String::new(),
    )
    .await
    .expect("enqueue");
    assert_eq!(item.id.len(), 36, "the idempotency key is a UUID");
    let rejected = wait_for_state(&item.id, State::Rejected).await;
    assert_eq!(rejected.attempts, 1);
    assert_eq!(rejected.payload, r#"{"note":"hello"}"#);
    assert!(
        rejected
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("404")),
        "{rejected:?}"
    );

    // Refused, so it never reached the handler: cancelling removes it, no undo is sent.
    assert_eq!(
        outbox::cancel(&item.id).await.expect("cancel"),
        Some(outbox::policy::Cancel::Remove)
    );
    let left = outbox::list().await.expect("list");
    assert!(
        left.iter().all(|other| other.id != item.id),
        "a cancelled item leaves the device"
    );
}

#[wasm_bindgen_test]
async fn retrying_a_refused_send_sends_it_again_with_the_same_key() {
    let item = outbox::enqueue(
        "test_kind",
        "/api/still-missing",
        new_key(),
        "{}".into(),
        String::new(),
    )
    .await
    .expect("enqueue");
    wait_for_state(&item.id, State::Rejected).await;
    // "Retry now" makes the item due and asks this tab's sender (a chunk of its own, not
    // running in this test page) to send now; the test does what the sender does.
    let asked = std::rc::Rc::new(std::cell::Cell::new(false));
    let heard = asked.clone();
    let listener = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || heard.set(true));
    let window = web_sys::window().unwrap();
    window
        .add_event_listener_with_callback("haven-outbox-send", listener.as_ref().unchecked_ref())
        .unwrap();
    outbox::retry(&item.id).await.expect("retry");
    assert!(asked.get(), "the sender was asked to send now");
    window
        .remove_event_listener_with_callback("haven-outbox-send", listener.as_ref().unchecked_ref())
        .unwrap();
    outbox::drain().await;
    let again = outbox::list()
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.id == item.id)
        .unwrap();
    assert_eq!(again.attempts, 2, "retry made exactly one more attempt");
    assert_eq!(again.state, State::Rejected);
    outbox::cancel(&item.id).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_newer_version_in_another_tab_closes_this_connection_and_asks_for_a_reload() {
    let name = unique_name("versionchange");
    let _this_tab = store::connect(&name).await.expect("open");
    assert!(!store::outdated());
    // Another tab with a newer build opens the same database at a higher version. It is not
    // blocked, because this tab's connection closes itself.
    let other_tab = indexed_db_futures::database::Database::open(name.as_str())
        .with_version(schema::LATEST + 1)
        .await
        .expect("the newer tab's upgrade goes through");
    assert_eq!(other_tab.version() as u32, schema::LATEST + 1);
    for _ in 0..40 {
        if store::outdated() {
            return;
        }
        sleep_ms(25).await;
    }
    panic!("this tab was not told to reload");
}
