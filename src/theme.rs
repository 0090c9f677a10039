//! The clinic's brand colour as CSS custom properties, darkened where needed so white text
//! on it meets WCAG AA contrast.

use haven_api::color::Rgb;
use leptos::prelude::*;

/// Sets `--brand` (safe behind white text) and `--brand-configured` on the document root.
/// Uses the CSSOM, which the strict CSP allows, rather than a `style` attribute.
pub fn apply_brand(color: Rgb) {
    let Some(root) = document().document_element() else {
        return;
    };
    let Ok(root) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(root) else {
        return;
    };
    let style = root.style();
    let _ = style.set_property("--brand", &color.accessible_background().to_hex());
    let _ = style.set_property("--brand-configured", &color.to_hex());
}
