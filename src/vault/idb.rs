//! Small helpers over raw IndexedDB requests (inside transactions built with
//! `indexed_db_futures`), for the two things the vault needs to be fast: reading a page of
//! an index with a reverse cursor in one go (no Rust future per row), and issuing many puts
//! before awaiting only the commit. Also the Web Lock that serialises the record's writers
//! across tabs.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Promise};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbCursorDirection, IdbCursorWithValue, IdbIndex, IdbRequest};

use super::js_message;
use crate::store::StoreError;

type Settle = Rc<RefCell<Option<(Function, Function)>>>;

/// Runs `request` to its end: `step` is called on every success event (a cursor fires one
/// per row) and returns true when done. Rejects with the request's error.
async fn drive(
    request: &IdbRequest,
    mut step: impl FnMut(&IdbRequest) -> bool + 'static,
) -> Result<(), StoreError> {
    let settle: Settle = Rc::new(RefCell::new(None));
    let promise = Promise::new(&mut |resolve, reject| {
        *settle.borrow_mut() = Some((resolve, reject));
    });
    let handler = {
        let settle = settle.clone();
        let request = request.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            if event.type_() == "success" {
                if step(&request)
                    && let Some((resolve, _)) = settle.borrow_mut().take()
                {
                    let _ = resolve.call0(&JsValue::NULL);
                }
            } else if let Some((_, reject)) = settle.borrow_mut().take() {
                let error = request
                    .error()
                    .ok()
                    .flatten()
                    .map_or(JsValue::from_str("request failed"), JsValue::from);
                let _ = reject.call1(&JsValue::NULL, &error);
            }
        })
    };
    request.set_onsuccess(Some(handler.as_ref().unchecked_ref()));
    request.set_onerror(Some(handler.as_ref().unchecked_ref()));
    let outcome = JsFuture::from(promise).await;
    request.set_onsuccess(None);
    request.set_onerror(None);
    drop(handler);
    outcome
        .map(drop)
        .map_err(|error| StoreError::Failed(js_message(&error)))
}

/// The result of one request.
pub(super) async fn result(request: Result<IdbRequest, JsValue>) -> Result<JsValue, StoreError> {
    let request = request.map_err(|error| StoreError::Failed(js_message(&error)))?;
    let out = Rc::new(RefCell::new(JsValue::UNDEFINED));
    let slot = out.clone();
    drive(&request, move |request| {
        *slot.borrow_mut() = request.result().unwrap_or(JsValue::UNDEFINED);
        true
    })
    .await?;
    Ok(out.take())
}

/// The values of an array result (`getAll`).
pub(super) async fn all(request: Result<IdbRequest, JsValue>) -> Result<Vec<JsValue>, StoreError> {
    let array: Array = result(request).await?.unchecked_into();
    Ok(array.iter().collect())
}

/// Up to `limit` values of `index` in `range`, highest key first, read with one reverse
/// cursor whose rows are collected inside the success events.
pub(super) async fn newest(
    index: &IdbIndex,
    range: &JsValue,
    limit: usize,
) -> Result<Vec<JsValue>, StoreError> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    let request = index
        .open_cursor_with_range_and_direction(range, IdbCursorDirection::Prev)
        .map_err(|error| StoreError::Failed(js_message(&error)))?;
    let rows = Rc::new(RefCell::new(Vec::with_capacity(limit.min(1024))));
    let collected = rows.clone();
    drive(&request, move |request| {
        let Some(cursor) = request
            .result()
            .ok()
            .and_then(|cursor| cursor.dyn_into::<IdbCursorWithValue>().ok())
        else {
            return true;
        };
        let mut rows = collected.borrow_mut();
        rows.push(cursor.value().unwrap_or(JsValue::UNDEFINED));
        rows.len() >= limit || cursor.continue_().is_err()
    })
    .await?;
    Ok(rows.take())
}

#[wasm_bindgen]
extern "C" {
    // `navigator.locks.request(name, callback)`; declared here because web-sys marks the Web
    // Locks API unstable.
    #[wasm_bindgen(catch, js_namespace = ["navigator", "locks"], js_name = request)]
    fn request_lock(name: &str, callback: &JsValue) -> Result<Promise, JsValue>;
}

/// Holds a Web Lock until dropped.
pub(super) struct Exclusive {
    release: Option<Function>,
}

impl Drop for Exclusive {
    fn drop(&mut self) {
        if let Some(release) = self.release.take() {
            let _ = release.call0(&JsValue::NULL);
        }
    }
}

/// Waits for the Web Lock `name` (across this origin's tabs) and holds it until the guard is
/// dropped. Where the browser has no Web Locks, goes ahead without one.
pub(super) async fn exclusive(name: &str) -> Exclusive {
    let granted: Rc<RefCell<Option<Function>>> = Rc::new(RefCell::new(None));
    let acquired = Promise::new(&mut |resolve, _| {
        *granted.borrow_mut() = Some(resolve);
    });
    let callback = Closure::once_into_js(move |_lock: JsValue| -> Promise {
        // The lock is held until this promise settles; its resolver is handed to the guard.
        Promise::new(&mut |release, _| {
            if let Some(granted) = granted.borrow_mut().take() {
                let _ = granted.call1(&JsValue::NULL, &release);
            }
        })
    });
    match request_lock(name, &callback) {
        Ok(_) => Exclusive {
            release: JsFuture::from(acquired)
                .await
                .ok()
                .and_then(|release| release.dyn_into().ok()),
        },
        Err(_) => Exclusive { release: None },
    }
}
