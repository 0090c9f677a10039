//! The My record module's entry points. `cargo xtask build` compiles this binary to its own
//! wasm module (`dist/records-{hash}.js`), which the shell imports when the patient opens My
//! record. Keeping the exports here keeps the record's code out of the shell's module.

use wasm_bindgen::prelude::*;

/// A mounted My record app; `unmount()` removes it from the page.
#[wasm_bindgen]
pub struct RecordsApp(Option<haven::record::Mounted>);

#[wasm_bindgen]
impl RecordsApp {
    /// Removes the app and stops its effects, timers and listeners.
    pub fn unmount(&mut self) {
        self.0.take();
    }
}

/// Mounts My record into `root` in the locale `tag`.
#[wasm_bindgen]
pub fn mount(root: web_sys::HtmlElement, tag: &str) -> RecordsApp {
    RecordsApp(Some(haven::record::mount(root, tag)))
}

fn main() {}
