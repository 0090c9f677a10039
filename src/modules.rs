//! Feature modules: sections whose code is a wasm module of its own (a binary of this crate,
//! built by `cargo xtask build` as `dist/{name}-{hash}.js`), imported with a dynamic
//! `import()` when the section opens, so they do not weigh on the first load.
//!
//! A module exports `mount(root, localeTag)`, returning an object with `unmount()`; see
//! `src/bin/learn.rs`. [`FeatureModule`] loads it (once per page; later mounts reuse it),
//! mounts it in the patient's language, mounts it again when the language changes, and
//! unmounts it when the section closes.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::i18n::{tr, use_i18n};

#[wasm_bindgen(inline_js = "export function importModule(url) { return import(url); }")]
extern "C" {
    /// A dynamic `import()`, which Rust cannot write directly.
    #[wasm_bindgen(js_name = importModule)]
    fn import_module(url: &str) -> js_sys::Promise;
}

/// Loads the module at `url`, initialises its wasm and mounts it into `root`.
async fn mount_module(
    url: &str,
    root: &web_sys::HtmlElement,
    tag: &str,
) -> Result<JsValue, JsValue> {
    let module = JsFuture::from(import_module(url)).await?;
    let init: js_sys::Function = js_sys::Reflect::get(&module, &"default".into())?.dyn_into()?;
    JsFuture::from(js_sys::Promise::resolve(&init.call0(&JsValue::NULL)?)).await?;
    let mount: js_sys::Function = js_sys::Reflect::get(&module, &"mount".into())?.dyn_into()?;
    mount.call2(&JsValue::NULL, root, &tag.into())
}

fn unmount(app: &JsValue) {
    if let Ok(unmount) = js_sys::Reflect::get(app, &"unmount".into())
        && let Ok(unmount) = unmount.dyn_into::<js_sys::Function>()
    {
        let _ = unmount.call0(app);
    }
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    Loading,
    Mounted,
    Failed,
}

/// A section served by a feature module. Until the module is mounted (or when it cannot
/// load, for example offline before the first visit) it shows `children`, which should
/// hold the section's heading, with a loading status or a retry button.
#[component]
pub fn FeatureModule(
    /// The module's script.
    url: &'static str,
    /// What to show until the module is ready.
    children: ChildrenFn,
) -> impl IntoView {
    let i18n = use_i18n();
    let root = NodeRef::<leptos::html::Div>::new();
    let state = RwSignal::new(State::Loading);
    let attempt = RwSignal::new(0u32);
    let app = StoredValue::new_local(None::<JsValue>);
    Effect::new(move |_| {
        attempt.track();
        let tag = i18n.locale().tag();
        let Some(element) = root.get() else { return };
        if let Some(previous) = app.try_update_value(Option::take).flatten() {
            unmount(&previous);
        }
        leptos::task::spawn_local(async move {
            let element: web_sys::HtmlElement = element.into();
            match mount_module(url, &element, tag).await {
                // Mounted into a page that is still shown.
                Ok(mounted) if element.is_connected() => {
                    // Focus on the placeholder's heading (after a navigation) moves to the
                    // module's heading when the placeholder goes.
                    let had_focus = document()
                        .active_element()
                        .is_some_and(|active| active.tag_name() == "H1");
                    let _ = app.try_set_value(Some(mounted));
                    let _ = state.try_set(State::Mounted);
                    if had_focus {
                        crate::shell::focus_heading();
                    }
                }
                Ok(mounted) => unmount(&mounted),
                Err(_) => {
                    let _ = state.try_set(State::Failed);
                }
            }
        });
    });
    on_cleanup(move || {
        if let Some(mounted) = app.try_update_value(Option::take).flatten() {
            unmount(&mounted);
        }
    });
    view! {
        <Show when=move || state.get() != State::Mounted>
            {children()}
            {move || match state.get() {
                State::Failed => view! {
                    <div class="banner banner-warning" role="alert">
                        <p>{tr(|t| t.module_unavailable)}</p>
                        <button type="button" on:click=move |_| {
                            state.set(State::Loading);
                            attempt.update(|n| *n += 1);
                        }>{tr(|t| t.reload)}</button>
                    </div>
                }.into_any(),
                _ => view! { <p class="muted" role="status">{tr(|t| t.loading)}</p> }.into_any(),
            }}
        </Show>
        <div class="module-root" node_ref=root></div>
    }
}
