//! Haven's patient widget entry point: mounts the app to `<body>`.
//! Build with `trunk build --release`; run everything with `cargo xtask dev`.

fn main() {
    leptos::mount::mount_to_body(haven::App);
}
