//! The record's vault against the real IndexedDB, WebCrypto, Web Locks and BroadcastChannel
//! of headless Chromium. Each test opens its own database; the few that set a passphrase
//! derive as few keys as they can (Argon2id costs ~0.1–0.5 s each in the test build).

use std::cell::RefCell;
use std::rc::Rc;

use haven::store::{self, schema};
use haven::vault::{self, Change, LockState, Vault, VaultError};
use haven_api::record::entry::{Question, VisitNote};
use haven_api::record::{Date, DateTime, Entry, Kind, When};
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use super::{sleep_ms, unique_name};

fn day(year: i32, month: u32, d: u32) -> When {
    When::Date(Date::new(year, month, d).unwrap())
}

fn note(id: &str, when: When, text: &str) -> Entry {
    Entry::new(id, when, 1_740_000_000_000, VisitNote { text: text.into() })
}

fn question(id: &str, when: When, text: &str) -> Entry {
    Entry::new(
        id,
        when,
        1_740_000_000_000,
        Question {
            text: text.into(),
            answered: false,
        },
    )
}

fn ids(entries: &[Entry]) -> Vec<&str> {
    entries.iter().map(|entry| entry.id.as_str()).collect()
}

/// `n` visit notes on consecutive days, the note text naming the day.
fn many_notes(n: usize) -> Vec<Entry> {
    (0..n)
        .map(|i| {
            let date = Date::from_days(19_000 + i as i64);
            note(
                &format!("{:08}-0000-4000-8000-000000000000", i),
                When::Date(date),
                &format!("Ghi chú số {i}"),
            )
        })
        .collect()
}

/// The raw row `id` of `store_name`, read around the vault.
async fn raw_row(db_name: &str, store_name: &str, id: &str) -> JsValue {
    let db = store::open(db_name).await.expect("open");
    let tx = db.transaction(store_name).build().unwrap();
    let row: Option<JsValue> = tx
        .object_store(store_name)
        .unwrap()
        .get(id)
        .primitive()
        .unwrap()
        .await
        .unwrap();
    drop(tx);
    db.close();
    row.expect("row")
}

fn body_of(row: &JsValue) -> JsValue {
    js_sys::Reflect::get(row, &"body".into()).unwrap()
}

/// Asserts the row's body is sealed bytes that do not contain `secret`.
fn assert_sealed(row: &JsValue, secret: &str) {
    let body = body_of(row);
    assert!(body.as_string().is_none(), "the body is not text");
    let bytes = body
        .dyn_into::<js_sys::Uint8Array>()
        .expect("sealed bytes")
        .to_vec();
    assert!(bytes.len() > 12 + 16, "iv, ciphertext and tag");
    let secret = secret.as_bytes();
    assert!(
        !bytes.windows(secret.len()).any(|window| window == secret),
        "the sealed body contains the plain text"
    );
}

fn text_blob(text: &str, media_type: &str) -> web_sys::Blob {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(media_type);
    web_sys::Blob::new_with_str_sequence_and_options(&js_sys::Array::of1(&text.into()), &options)
        .unwrap()
}

async fn blob_text(blob: &web_sys::Blob) -> String {
    wasm_bindgen_futures::JsFuture::from(blob.text())
        .await
        .unwrap()
        .as_string()
        .unwrap()
}

#[wasm_bindgen_test]
async fn entries_come_back_newest_first_and_filtered_by_kind() {
    let vault = Vault::open(&unique_name("vault-basic"))
        .await
        .expect("open");
    assert_eq!(vault.state(), LockState::Open);
    let morning =
        When::DateTime(DateTime::new(Date::new(2025, 3, 2).unwrap(), 7, 30, 0, 420).unwrap());
    let entries = [
        note(
            "a0000000-0000-4000-8000-000000000001",
            day(2025, 3, 1),
            "first",
        ),
        question(
            "a0000000-0000-4000-8000-000000000002",
            day(2025, 3, 3),
            "ask about sleep",
        ),
        note("a0000000-0000-4000-8000-000000000003", morning, "second"),
        note(
            "a0000000-0000-4000-8000-000000000004",
            day(2024, 12, 31),
            "oldest",
        ),
    ];
    for entry in &entries {
        vault.put(entry).await.expect("put");
    }
    assert_eq!(vault.count().await.unwrap(), 4);
    assert_eq!(
        vault.get(&entries[2].id).await.unwrap().as_ref(),
        Some(&entries[2])
    );
    assert_eq!(vault.get("missing").await.unwrap(), None);

    let newest = vault.newest(None, 3).await.unwrap();
    assert_eq!(
        ids(&newest),
        ids(&[entries[1].clone(), entries[2].clone(), entries[0].clone()])
    );
    let notes = vault.newest(Some(Kind::VisitNote), 10).await.unwrap();
    assert_eq!(
        ids(&notes),
        ids(&[entries[2].clone(), entries[0].clone(), entries[3].clone()])
    );
    assert!(vault.newest(Some(Kind::Mood), 10).await.unwrap().is_empty());
    let all = vault.all().await.unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!(all[0], entries[1]);
    assert_eq!(all[3], entries[3]);

    // A changed entry replaces the old one; a deleted one is gone.
    let mut changed = entries[0].clone();
    changed.visit_note = Some(VisitNote {
        text: "first, edited".into(),
    });
    vault.put(&changed).await.unwrap();
    assert_eq!(vault.get(&changed.id).await.unwrap(), Some(changed.clone()));
    vault.delete(&entries[3].id).await.unwrap();
    assert_eq!(vault.count().await.unwrap(), 3);

    // Stored in clear while no passphrase is set, with the index keys beside the body.
    let row = raw_row(vault.db_name(), "entries", &changed.id).await;
    assert!(body_of(&row).as_string().unwrap().contains("first, edited"));
    assert_eq!(
        js_sys::Reflect::get(&row, &"kind".into())
            .unwrap()
            .as_string()
            .as_deref(),
        Some("visit_note")
    );

    // Drafts and settings.
    vault
        .save_draft("note-form", r#"{"text":"half"}"#)
        .await
        .unwrap();
    assert_eq!(
        vault.draft("note-form").await.unwrap().as_deref(),
        Some(r#"{"text":"half"}"#)
    );
    vault.clear_draft("note-form").await.unwrap();
    assert_eq!(vault.draft("note-form").await.unwrap(), None);
    assert_eq!(
        vault.get_setting("record.idle_minutes").await.unwrap(),
        None
    );
    vault.set_setting("record.idle_minutes", "7").await.unwrap();
    assert_eq!(
        vault
            .get_setting("record.idle_minutes")
            .await
            .unwrap()
            .as_deref(),
        Some("7")
    );
}

#[wasm_bindgen_test]
async fn a_thousand_entries_are_put_in_one_go_and_the_newest_page_is_quick() {
    let vault = Vault::open(&unique_name("vault-bulk")).await.expect("open");
    let entries = many_notes(1_000);
    let performance = web_sys::window().unwrap().performance().unwrap();
    let start = performance.now();
    vault.put_many(&entries).await.expect("put_many");
    let put_ms = performance.now() - start;
    assert_eq!(vault.count().await.unwrap(), 1_000);

    let start = performance.now();
    let newest = vault.newest(None, 50).await.unwrap();
    let newest_ms = performance.now() - start;
    assert_eq!(newest.len(), 50);
    assert_eq!(newest[0], entries[999]);
    assert_eq!(newest[49], entries[950]);
    web_sys::console::log_1(
        &format!("vault: put_many(1000) {put_ms:.1} ms, newest(50) {newest_ms:.1} ms").into(),
    );
    assert!(newest_ms < 100.0, "newest(50) took {newest_ms} ms");

    let all = vault.all().await.unwrap();
    assert_eq!(all.len(), 1_000);
    assert_eq!(all.first(), entries.last());
}

#[wasm_bindgen_test]
async fn a_file_comes_back_with_its_media_type_and_goes_with_its_entry() {
    let vault = Vault::open(&unique_name("vault-files"))
        .await
        .expect("open");
    let entry = note(
        "b0000000-0000-4000-8000-000000000001",
        day(2025, 1, 2),
        "scan",
    );
    vault.put(&entry).await.unwrap();
    vault
        .put_file(
            &entry.id,
            &text_blob("%PDF-1.7 kết quả xét nghiệm", "application/pdf"),
        )
        .await
        .unwrap();
    let file = vault.file(&entry.id).await.unwrap().expect("file");
    assert_eq!(file.type_(), "application/pdf");
    assert_eq!(blob_text(&file).await, "%PDF-1.7 kết quả xét nghiệm");
    assert!(vault.file("missing").await.unwrap().is_none());

    vault.delete(&entry.id).await.unwrap();
    assert!(
        vault.file(&entry.id).await.unwrap().is_none(),
        "deleting an entry deletes its file"
    );
}

#[wasm_bindgen_test]
async fn a_passphrase_seals_the_record_and_only_the_right_one_opens_it() {
    let name = unique_name("vault-lock");
    let vault = Vault::open(&name).await.expect("open");
    let secret = "Đau ngực khi leo cầu thang";
    let entry = note(
        "c0000000-0000-4000-8000-000000000001",
        day(2025, 2, 1),
        secret,
    );
    vault.put(&entry).await.unwrap();
    vault
        .put_file(&entry.id, &text_blob(secret, "image/png"))
        .await
        .unwrap();
    vault.save_draft("note-form", secret).await.unwrap();

    let calls = Rc::new(RefCell::new(Vec::new()));
    let seen = calls.clone();
    vault
        .set_passphrase("mèo con 2025", &move |done, total| {
            seen.borrow_mut().push((done, total))
        })
        .await
        .expect("set passphrase");
    assert_eq!(vault.state(), LockState::Unlocked);
    assert_eq!(
        calls.borrow().last(),
        Some(&(3, 3)),
        "progress reaches every row"
    );

    // Nothing of the note is left in clear: entry, file (with its media type) and draft.
    let row = raw_row(&name, "entries", &entry.id).await;
    assert_sealed(&row, secret);
    assert_eq!(
        js_sys::Reflect::get(&row, &"kind".into())
            .unwrap()
            .as_string()
            .as_deref(),
        Some("visit_note")
    );
    assert_sealed(&raw_row(&name, "files", &entry.id).await, secret);
    assert_sealed(&raw_row(&name, "files", &entry.id).await, "image/png");
    assert_sealed(&raw_row(&name, "record_drafts", "note-form").await, secret);

    // Unlocked, everything reads as before; new writes are sealed too.
    assert_eq!(vault.get(&entry.id).await.unwrap(), Some(entry.clone()));
    let later = note(
        "c0000000-0000-4000-8000-000000000002",
        day(2025, 2, 2),
        "Huyết áp cao",
    );
    vault.put(&later).await.unwrap();
    assert_sealed(&raw_row(&name, "entries", &later.id).await, "Huyết áp cao");
    assert_eq!(
        ids(&vault.newest(None, 5).await.unwrap()),
        vec![later.id.as_str(), entry.id.as_str()]
    );

    vault.lock();
    assert_eq!(vault.state(), LockState::Locked);
    assert_eq!(vault.get(&entry.id).await, Err(VaultError::Locked));
    assert_eq!(vault.newest(None, 5).await, Err(VaultError::Locked));
    assert_eq!(vault.put(&entry).await, Err(VaultError::Locked));

    // A wrong passphrase, then a too early try; the delay survives a reload.
    assert_eq!(
        vault.unlock("mèo con 2024").await,
        Err(VaultError::WrongPassphrase { wait_ms: 1000 })
    );
    assert!(
        matches!(vault.unlock("mèo con 2025").await, Err(VaultError::TooSoon { wait_ms }) if wait_ms <= 1000)
    );
    let reloaded = Vault::open(&name).await.unwrap();
    assert_eq!(reloaded.state(), LockState::Locked);
    assert!(matches!(
        reloaded.unlock("mèo con 2025").await,
        Err(VaultError::TooSoon { .. })
    ));
    sleep_ms(1_050).await;

    vault
        .unlock("mèo con 2025")
        .await
        .expect("the right passphrase");
    assert_eq!(vault.state(), LockState::Unlocked);
    assert_eq!(vault.get(&entry.id).await.unwrap(), Some(entry.clone()));
    let file = vault.file(&entry.id).await.unwrap().unwrap();
    assert_eq!(file.type_(), "image/png");
    assert_eq!(blob_text(&file).await, secret);
    assert_eq!(
        vault.draft("note-form").await.unwrap().as_deref(),
        Some(secret)
    );
    assert_eq!(
        reloaded.state(),
        LockState::Locked,
        "another tab still needs the passphrase"
    );
}

#[wasm_bindgen_test]
async fn an_interrupted_passphrase_change_is_finished_by_the_new_passphrase_and_then_removed() {
    let name = unique_name("vault-change");
    let vault = Vault::open(&name).await.expect("open");
    let entries = many_notes(450);
    vault.put_many(&entries).await.unwrap();
    vault
        .put_file(&entries[0].id, &text_blob("ảnh", "image/jpeg"))
        .await
        .unwrap();
    vault.set_passphrase("cũ", &|_, _| {}).await.unwrap();

    // The change stops after the first batch, as if the tab had closed.
    vault.interrupt_after(200);
    assert!(matches!(
        vault.set_passphrase("mới", &|_, _| {}).await,
        Err(VaultError::Store(_))
    ));

    // A fresh tab: locked; the new passphrase opens it and finishes the change.
    let tab = Vault::open(&name).await.unwrap();
    assert_eq!(tab.state(), LockState::Locked);
    tab.unlock("mới").await.expect("the new passphrase");
    assert_eq!(tab.count().await.unwrap(), 450);
    assert_eq!(tab.all().await.unwrap().len(), 450);
    assert_eq!(
        tab.get(&entries[17].id).await.unwrap().as_ref(),
        Some(&entries[17])
    );
    assert_eq!(
        blob_text(&tab.file(&entries[0].id).await.unwrap().unwrap()).await,
        "ảnh"
    );

    // Finished: a third tab opens with the new passphrase alone, and not with the old one.
    let third = Vault::open(&name).await.unwrap();
    assert!(matches!(
        third.unlock("cũ").await,
        Err(VaultError::WrongPassphrase { .. })
    ));

    // Removing the passphrase stores everything in clear again.
    let progress = Rc::new(RefCell::new((0, 0)));
    let seen = progress.clone();
    tab.remove_passphrase(&move |done, total| *seen.borrow_mut() = (done, total))
        .await
        .expect("remove");
    assert_eq!(*progress.borrow(), (451, 451));
    assert_eq!(tab.state(), LockState::Open);
    let row = raw_row(&name, "entries", &entries[300].id).await;
    assert!(
        body_of(&row)
            .as_string()
            .unwrap()
            .contains("Ghi chú số 300")
    );
    assert!(
        js_sys::Reflect::get(&row, &"g".into())
            .unwrap()
            .is_undefined()
    );
    assert!(
        body_of(&raw_row(&name, "files", &entries[0].id).await).is_instance_of::<web_sys::Blob>()
    );
    let reopened = Vault::open(&name).await.unwrap();
    assert_eq!(reopened.state(), LockState::Open);
    assert_eq!(
        reopened.get(&entries[449].id).await.unwrap().as_ref(),
        Some(&entries[449])
    );
}

#[wasm_bindgen_test]
async fn an_interrupted_change_is_undone_by_the_old_passphrase() {
    let name = unique_name("vault-undo");
    let vault = Vault::open(&name).await.expect("open");
    let entries = many_notes(250);
    vault.put_many(&entries).await.unwrap();
    vault.set_passphrase("cũ", &|_, _| {}).await.unwrap();
    vault.interrupt_after(200);
    assert!(vault.set_passphrase("mới", &|_, _| {}).await.is_err());

    let tab = Vault::open(&name).await.unwrap();
    tab.unlock("cũ")
        .await
        .expect("the old passphrase still opens it");
    assert_eq!(tab.all().await.unwrap().len(), 250);
    assert_eq!(
        tab.get(&entries[249].id).await.unwrap().as_ref(),
        Some(&entries[249])
    );
}

/// A version `version` database built by its own released steps, with `entry`-less fixture
/// data: a shell draft, a setting and (from version 2) a content pack.
async fn old_database(name: &str, version: u32) {
    let steps: Vec<schema::Step> = schema::plan(0, version).unwrap();
    let db = Database::open(name)
        .with_version(version)
        .with_on_upgrade_needed(move |_, db| {
            for step in &steps {
                schema::apply(*step, &db)?;
            }
            Ok(())
        })
        .await
        .expect("open the old version");
    let mut names = vec![schema::stores::DRAFTS, schema::stores::SETTINGS];
    if version >= 2 {
        names.push(schema::stores::CONTENT);
    }
    let tx = store::strict_write(&db, &names).unwrap();
    let put = |store: &str, json: &str| {
        let value = js_sys::JSON::parse(json).unwrap();
        tx.object_store(store)
            .unwrap()
            .put(value)
            .primitive()
            .unwrap()
    };
    put(
        schema::stores::DRAFTS,
        r#"{"id":"appointment","text":"Khám răng"}"#,
    )
    .await
    .unwrap();
    put(schema::stores::SETTINGS, r#"{"key":"lang","value":"vi"}"#)
        .await
        .unwrap();
    if version >= 2 {
        put(
            schema::stores::CONTENT,
            r#"{"lang":"vi","etag":"x","body":"{}"}"#,
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    db.close();
}

async fn assert_upgraded_with_data(name: &str, version: u32) {
    let vault = Vault::open(name).await.expect("upgrade");
    assert_eq!(vault.state(), LockState::Open);
    assert_eq!(
        vault.get_setting("lang").await.unwrap().as_deref(),
        Some("vi")
    );
    let draft = raw_row(name, schema::stores::DRAFTS, "appointment").await;
    assert_eq!(
        js_sys::Reflect::get(&draft, &"text".into())
            .unwrap()
            .as_string()
            .as_deref(),
        Some("Khám răng")
    );
    if version >= 2 {
        raw_row(name, schema::stores::CONTENT, "vi").await;
    }
    let db = store::open(name).await.unwrap();
    assert_eq!(db.version() as u32, schema::LATEST);
    db.close();
    let entry = note(
        "d0000000-0000-4000-8000-000000000001",
        day(2025, 5, 5),
        "after the upgrade",
    );
    vault.put(&entry).await.unwrap();
    assert_eq!(vault.newest(None, 1).await.unwrap(), vec![entry]);
}

#[wasm_bindgen_test]
async fn version_1_and_2_databases_gain_the_record_and_keep_their_data() {
    for version in [1, 2] {
        let name = unique_name(&format!("vault-upgrade-v{version}"));
        old_database(&name, version).await;
        assert_upgraded_with_data(&name, version).await;
    }
}

#[wasm_bindgen_test]
async fn delete_everything_leaves_no_database_cache_or_storage_behind() {
    let name = unique_name("vault-wipe");
    let vault = Vault::open(&name).await.expect("open");
    vault
        .put(&note(
            "e0000000-0000-4000-8000-000000000001",
            day(2025, 1, 1),
            "x",
        ))
        .await
        .unwrap();
    let window = web_sys::window().unwrap();
    let caches = window.caches().unwrap();
    wasm_bindgen_futures::JsFuture::from(caches.open("haven-test-cache"))
        .await
        .unwrap();
    let local = window.local_storage().unwrap().unwrap();
    local.set_item("haven.lang", "vi").unwrap();
    window
        .session_storage()
        .unwrap()
        .unwrap()
        .set_item("x", "y")
        .unwrap();
    let changes = Rc::new(RefCell::new(Vec::new()));
    let seen = changes.clone();
    // Another tab on the same database, holding its connection.
    let other = Vault::open(&name).await.unwrap();
    let _subscription =
        other.subscribe(move |change: &Change| seen.borrow_mut().push(change.clone()));

    vault::delete_everything(&name)
        .await
        .expect("delete everything");

    // `indexedDB.databases()`, which web-sys does not bind.
    let factory = window.indexed_db().unwrap().unwrap();
    let databases: js_sys::Function = js_sys::Reflect::get(&factory, &"databases".into())
        .unwrap()
        .unchecked_into();
    let databases = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(
        databases.call0(&factory).unwrap(),
    ))
    .await
    .unwrap();
    let names: Vec<String> = js_sys::Array::from(&databases)
        .iter()
        .filter_map(|db| js_sys::Reflect::get(&db, &"name".into()).ok()?.as_string())
        .collect();
    assert!(!names.contains(&name), "{names:?}");
    let keys = js_sys::Array::from(
        &wasm_bindgen_futures::JsFuture::from(caches.keys())
            .await
            .unwrap(),
    );
    assert_eq!(keys.length(), 0);
    assert_eq!(local.length().unwrap(), 0);
    assert_eq!(
        window.session_storage().unwrap().unwrap().length().unwrap(),
        0
    );
    assert!(!changes.borrow().is_empty(), "the other tab was told");
    assert_eq!(other.state(), LockState::Open);
}

#[wasm_bindgen_test]
async fn a_change_in_one_tab_reaches_the_other_through_the_broadcast_channel() {
    let name = unique_name("vault-tabs");
    let this_tab = Vault::open(&name).await.expect("open");
    let other_tab = Vault::open(&name).await.expect("open again");
    let unrelated = Vault::open(&unique_name("vault-unrelated")).await.unwrap();
    let changes = Rc::new(RefCell::new(Vec::<Change>::new()));
    let seen = changes.clone();
    let _subscription =
        other_tab.subscribe(move |change: &Change| seen.borrow_mut().push(change.clone()));
    let stray = Rc::new(RefCell::new(0));
    let counted = stray.clone();
    let _unrelated = unrelated.subscribe(move |_: &Change| *counted.borrow_mut() += 1);

    let entry = note(
        "f0000000-0000-4000-8000-000000000001",
        day(2025, 4, 4),
        "from the first tab",
    );
    this_tab.put(&entry).await.unwrap();
    for _ in 0..40 {
        if !changes.borrow().is_empty() {
            break;
        }
        sleep_ms(25).await;
    }
    assert_eq!(
        changes.borrow().first(),
        Some(&Change {
            ids: vec![entry.id.clone()],
            locked: false
        })
    );
    assert_eq!(
        other_tab.get(&entry.id).await.unwrap(),
        Some(entry.clone()),
        "read fresh"
    );
    this_tab.delete(&entry.id).await.unwrap();
    sleep_ms(100).await;
    assert_eq!(changes.borrow().len(), 2);
    assert_eq!(other_tab.get(&entry.id).await.unwrap(), None);
    assert_eq!(*stray.borrow(), 0, "other databases' vaults are not told");
}
