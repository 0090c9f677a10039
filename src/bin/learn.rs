//! The Learn module's entry points. `cargo xtask build` compiles this binary to its own wasm
//! module (`dist/learn-{hash}.js`), which the shell imports when the patient opens Learn.
//! Keeping the exports here, not in the library, keeps Learn's code out of the shell's
//! module: the shell never references it, so it is not linked there.

use wasm_bindgen::prelude::*;

/// A mounted Learn app; `unmount()` removes it from the page.
#[wasm_bindgen]
pub struct LearnApp(Option<haven::learn::Mounted>);

#[wasm_bindgen]
impl LearnApp {
    /// Removes the app and stops its effects and listeners.
    pub fn unmount(&mut self) {
        self.0.take();
    }
}

/// Mounts Learn into `root` in the locale `tag`.
#[wasm_bindgen]
pub fn mount(root: web_sys::HtmlElement, tag: &str) -> LearnApp {
    LearnApp(Some(haven::learn::mount(root, tag)))
}

fn main() {}
