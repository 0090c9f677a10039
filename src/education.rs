//! Learn: symptom and condition education. The section lives in its own wasm module
//! ([`crate::learn`], built by `cargo xtask build`), imported when the patient opens Learn so
//! it does not weigh on the first load. Until it is ready (or if it cannot load) this page
//! shows the heading and the crisis panel, so help is always one tap away.

use haven_api::config::{CrisisLine, pick};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::clinic::{tel_href, use_clinic};
use crate::i18n::{fill, tr, use_i18n};
use crate::shell::PageHeading;

/// The Learn module's script, named by its content hash in a release build
/// (`cargo xtask build` sets `HAVEN_LEARN_MODULE`).
const MODULE: &str = match option_env!("HAVEN_LEARN_MODULE") {
    Some(url) => url,
    None => "/learn.js",
};

#[wasm_bindgen(inline_js = "export function importModule(url) { return import(url); }")]
extern "C" {
    /// A dynamic `import()`, which Rust cannot write directly.
    #[wasm_bindgen(js_name = importModule)]
    fn import_module(url: &str) -> js_sys::Promise;
}

/// Loads the Learn module (once per page; later calls reuse it) and mounts it into `root`.
async fn mount_module(root: &web_sys::HtmlElement, tag: &str) -> Result<JsValue, JsValue> {
    let module = JsFuture::from(import_module(MODULE)).await?;
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
enum Module {
    Loading,
    Mounted,
    Failed,
}

/// The Learn section: its module, mounted in the patient's language (and mounted again
/// when the language changes).
#[component]
pub fn LearnPage() -> impl IntoView {
    let i18n = use_i18n();
    let clinic = use_clinic();
    let root = NodeRef::<leptos::html::Div>::new();
    let state = RwSignal::new(Module::Loading);
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
            let had_focus = document()
                .active_element()
                .is_some_and(|active| active.tag_name() == "H1");
            match mount_module(&element, tag).await {
                // Mounted into a page that is still shown.
                Ok(mounted) if element.is_connected() => {
                    let _ = app.try_set_value(Some(mounted));
                    let _ = state.try_set(Module::Mounted);
                    if had_focus {
                        crate::shell::focus_heading();
                    }
                }
                Ok(mounted) => unmount(&mounted),
                Err(_) => {
                    let _ = state.try_set(Module::Failed);
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
        <Show when=move || state.get() != Module::Mounted>
            <PageHeading text=Signal::derive(tr(|t| t.learn))/>
            <p>{tr(|t| t.learn_intro)}</p>
            {move || match state.get() {
                Module::Failed => view! {
                    <div class="banner banner-warning" role="alert">
                        <p>{tr(|t| t.learn_unavailable)}</p>
                        <button type="button" on:click=move |_| {
                            state.set(Module::Loading);
                            attempt.update(|n| *n += 1);
                        }>{tr(|t| t.reload)}</button>
                    </div>
                }.into_any(),
                _ => view! { <p class="muted" role="status">{tr(|t| t.loading)}</p> }.into_any(),
            }}
            {move || clinic.config().map(|config| view! {
                <CrisisPanel lines=config.crisis_lines emergency_number=config.clinic.emergency_number/>
            })}
        </Show>
        <div class="learn-root" node_ref=root></div>
    }
}

/// The crisis panel: a supportive message, the clinic's crisis lines with tap-to-call links,
/// and the emergency number. With no line configured it shows only the emergency number and
/// says to call it: it never invents a number.
#[component]
pub fn CrisisPanel(
    /// The clinic's crisis lines.
    lines: Vec<CrisisLine>,
    /// The emergency services number for the clinic's country.
    emergency_number: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let no_lines = lines.is_empty();
    let emergency_href = tel_href(&emergency_number);
    view! {
        <section class="crisis" aria-labelledby="crisis-heading">
            <h2 id="crisis-heading" tabindex="-1">{tr(|t| t.crisis_heading)}</h2>
            <p>{tr(|t| t.crisis_intro)}</p>
            {no_lines.then(|| {
                let number = emergency_number.clone();
                view! { <p>{move || fill(i18n.t().crisis_no_lines, &number)}</p> }
            })}
            <ul class="crisis-lines">
                {lines.into_iter().map(|line| {
                    let href = tel_href(&line.phone);
                    let lang = move || i18n.locale().lang();
                    let name = line.name.clone();
                    let hours = line.hours.clone();
                    let phone = line.phone.clone();
                    view! {
                        <li>
                            <strong>{move || pick(&name, lang()).to_owned()}</strong>
                            <span>{move || fill(i18n.t().crisis_hours, pick(&hours, lang()))}</span>
                            <a class="call-button" href=href>{move || fill(i18n.t().call, &phone)}</a>
                        </li>
                    }
                }).collect_view()}
                <li>
                    <strong>{move || fill(i18n.t().emergency_call, &emergency_number)}</strong>
                    <a class="call-button" href=emergency_href>{tr(|t| t.call_emergency)}</a>
                </li>
            </ul>
        </section>
    }
}
