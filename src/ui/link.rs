//! Links inside the widget: real `<a href>` elements (so they can be opened in a new tab or
//! copied) that navigate in place on a plain click.

use leptos::prelude::*;

use crate::routes::{Route, go, use_router};

/// Whether a click on a link is a plain one, to handle in place; with a modifier key or
/// another button the browser keeps its behaviour (new tab, new window, and so on).
pub fn is_plain_click(event: &leptos::ev::MouseEvent) -> bool {
    event.button() == 0
        && !(event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key())
}

/// A click handler for an in-widget link to `url` (a section's inner page): a plain
/// click navigates in place with [`go`].
pub fn follow(url: String) -> impl Fn(leptos::ev::MouseEvent) + Clone + 'static {
    move |event: leptos::ev::MouseEvent| {
        if is_plain_click(&event) {
            event.prevent_default();
            go(&url);
        }
    }
}

/// A link to a route: a real `<a href>` (so it can be opened in a new tab or copied), handled
/// in place on a plain click.
#[component]
pub fn Link(
    /// Where the link goes.
    to: Route,
    /// The link's content.
    children: Children,
    /// Marks the link as the current page when its route is active.
    #[prop(optional)]
    nav: bool,
) -> impl IntoView {
    let router = use_router();
    let href = to.path();
    let target = to.clone();
    let current = move || (nav && router.route() == target).then_some("page");
    let on_click = move |event: leptos::ev::MouseEvent| {
        if is_plain_click(&event) {
            event.prevent_default();
            router.navigate(to.clone());
        }
    };
    view! { <a href=href aria-current=current on:click=on_click>{children()}</a> }
}
