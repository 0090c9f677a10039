//! The Haven staff console, mounted on `<body>`. Build it with `trunk build --release` in
//! `console/`; the Haven server serves `console/dist` at `/console/`.

fn main() {
    console_panic_hook();
    leptos::mount::mount_to_body(haven_console::App);
}

/// Sends panics to the browser console instead of an opaque `unreachable` trap.
fn console_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        leptos::logging::error!("{info}");
    }));
}
