//! The education pack in the browser: the last downloaded copy is kept in IndexedDB, shown
//! at once (also offline), and refreshed from `GET /api/content/{lang}` with its `ETag`, so
//! an unchanged pack costs one small `304` answer.

use std::rc::Rc;

use haven_api::content::{FORMAT, Pack, Topic};
use haven_api::lang::Lang;
use haven_api::search::{Index, Results};
use indexed_db_futures::prelude::*;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

use crate::store::{self, schema::stores::CONTENT};

/// A pack with its search index.
pub struct Library {
    /// The topics.
    pub pack: Pack,
    /// The index over them, in the same order.
    pub index: Index,
}

impl Library {
    /// Indexes a pack: title, synonyms, summary and all the prose of each topic.
    pub fn new(pack: Pack) -> Library {
        let bodies: Vec<String> = pack.topics.iter().map(Topic::body_text).collect();
        let synonyms: Vec<String> = pack.topics.iter().map(|t| t.synonyms.join(", ")).collect();
        let index = Index::new(
            pack.topics.iter().enumerate().map(|(i, topic)| {
                [
                    topic.title.as_str(),
                    synonyms[i].as_str(),
                    topic.summary.as_str(),
                    bodies[i].as_str(),
                ]
            }),
            pack.topics.iter().map(|topic| {
                let mut phrases = vec![topic.title.as_str()];
                phrases.extend(topic.synonyms.iter().map(String::as_str));
                phrases
            }),
            &normalize,
        );
        Library { pack, index }
    }

    /// Searches the topics.
    pub fn search(&self, query: &str) -> Results {
        self.index.search(query, 20, &normalize)
    }

    /// A topic by id.
    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.pack.topics.iter().find(|topic| topic.id == id)
    }
}

/// Unicode compatibility decomposition through the browser's `String.prototype.normalize`,
/// so that accents typed or stored in decomposed form fold like precomposed ones.
pub fn normalize(text: &str) -> String {
    if text.is_ascii() {
        return text.to_owned();
    }
    String::from(js_sys::JsString::from(text).normalize("NFKD"))
}

/// The pack's loading state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Nothing to show yet.
    Loading,
    /// A pack is shown (cached or fresh).
    Ready,
    /// No pack: offline with nothing cached, or the server failed.
    Failed,
}

/// The pack context of the Learn section.
#[derive(Clone, Copy)]
pub struct Content {
    library: RwSignal<Option<Rc<Library>>, LocalStorage>,
    status: RwSignal<Status>,
    lang: Lang,
}

/// What is kept in IndexedDB per language: the pack exactly as the server sent it.
#[derive(Serialize, Deserialize)]
struct Cached {
    lang: String,
    etag: String,
    body: String,
}

impl Content {
    /// Starts loading the pack for `lang` and provides the context.
    pub fn provide(lang: Lang) -> Content {
        let content = Content {
            library: RwSignal::new_local(None),
            status: RwSignal::new(Status::Loading),
            lang,
        };
        provide_context(content);
        content.load();
        content
    }

    /// The loaded library (tracked).
    pub fn library(self) -> Option<Rc<Library>> {
        self.library.get()
    }

    /// The loaded library, without tracking.
    pub fn library_untracked(self) -> Option<Rc<Library>> {
        self.library.get_untracked()
    }

    /// The loading state (tracked).
    pub fn status(self) -> Status {
        self.status.get()
    }

    /// The language asked for.
    pub fn lang(self) -> Lang {
        self.lang
    }

    /// Shows the cached pack, then refreshes it from the server.
    pub fn load(self) {
        self.status.set(Status::Loading);
        leptos::task::spawn_local(async move {
            let cached = read_cache(self.lang).await;
            let mut etag = None;
            if let Some(cached) = cached
                && let Some(pack) = parse(&cached.body)
            {
                self.show(pack);
                etag = Some(cached.etag);
            }
            // A 304 (current), offline or server trouble: the cached copy, if any, stays.
            if let Ok(Some((etag, body))) = fetch(self.lang, etag.as_deref()).await
                && let Some(pack) = parse(&body)
            {
                self.show(pack);
                write_cache(self.lang, etag, body).await;
            }
            if self.library.with_untracked(Option::is_none) {
                self.status.set(Status::Failed);
            }
        });
    }

    fn show(self, pack: Pack) {
        let _ = self.library.try_set(Some(Rc::new(Library::new(pack))));
        let _ = self.status.try_set(Status::Ready);
    }
}

/// The pack context.
pub fn use_content() -> Content {
    expect_context()
}

fn parse(body: &str) -> Option<Pack> {
    let value = js_sys::JSON::parse(body).ok()?;
    let pack: Pack = serde_wasm_bindgen::from_value(value).ok()?;
    (pack.format == FORMAT).then_some(pack)
}

async fn read_cache(lang: Lang) -> Option<Cached> {
    let db = store::db().await.ok()?;
    let tx = db.transaction(CONTENT).build().ok()?;
    let store = tx.object_store(CONTENT).ok()?;
    store.get(lang.tag()).serde().ok()?.await.ok()?
}

async fn write_cache(lang: Lang, etag: String, body: String) {
    let record = Cached {
        lang: lang.tag().to_owned(),
        etag,
        body,
    };
    // A cache: a lost write is fetched again next time, so default durability will do.
    let Ok(db) = store::db().await else { return };
    let Ok(tx) = db
        .transaction(CONTENT)
        .with_mode(indexed_db_futures::transaction::TransactionMode::Readwrite)
        .build()
    else {
        return;
    };
    if let Ok(store) = tx.object_store(CONTENT)
        && let Ok(put) = store.put(&record).serde()
        && put.await.is_ok()
    {
        let _ = tx.commit().await;
    }
}

/// Fetches the pack; `Ok(None)` when the cached copy (`etag`) is current.
async fn fetch(lang: Lang, etag: Option<&str>) -> Result<Option<(String, String)>, ()> {
    let init = RequestInit::new();
    init.set_method("GET");
    let url = format!("/api/content/{}", lang.tag());
    let request = Request::new_with_str_and_init(&url, &init).map_err(drop)?;
    let headers = request.headers();
    let _ = headers.set("Accept", "application/json");
    if let Some(etag) = etag {
        let _ = headers.set("If-None-Match", etag);
    }
    let response: Response = JsFuture::from(window().fetch_with_request(&request))
        .await
        .map_err(drop)?
        .unchecked_into();
    if response.status() == 304 {
        return Ok(None);
    }
    if !response.ok() {
        return Err(());
    }
    let etag = response
        .headers()
        .get("ETag")
        .ok()
        .flatten()
        .unwrap_or_default();
    let text = JsFuture::from(response.text().map_err(drop)?)
        .await
        .map_err(drop)?;
    let body = text.as_string().ok_or(())?;
    Ok(Some((etag, body)))
}
