//! Sections loaded on demand: each feature folder's page is a split point, a chunk of the
//! same wasm program that is fetched the first time the patient opens that section. The
//! chunk shares the shell's runtime, contexts, store and outbox; only its own code is new.
//!
//! [`split_section!`](crate::split_section) declares a section's entry. In the release
//! build (`cargo xtask build`, which compiles with `--cfg haven_split` and splits the linked
//! program) the entry and everything only it reaches move into the chunk; elsewhere
//! (`trunk serve`, the browser tests) it is an ordinary function, so nothing is split.
//! [`Section`] shows a placeholder until the chunk is there, and a retry message if it
//! cannot be fetched.

use leptos::prelude::*;

use crate::i18n::{tr, use_i18n};

/// Why a section's code could not be loaded (the chunk's fetch or instantiation failed).
pub use leptos::wasm_split::SplitLoaderError as ChunkError;

/// Builds a section's view; returned by a section's entry once its chunk is loaded.
pub type Build = fn() -> AnyView;

/// Declares `async fn $name() -> Result<$ty, ChunkError>`, the entry of chunk `$chunk`, which
/// returns `$value` (a section's builder, or another function of the chunk) once the chunk is
/// loaded.
#[macro_export]
macro_rules! split_section {
    ($(#[$attr:meta])* $chunk:ident: $vis:vis fn $name:ident() -> $ty:ty => $value:expr) => {
        $(#[$attr])*
        #[cfg(haven_split)]
        #[::leptos::wasm_split::wasm_split($chunk, fallible, wasm_split_path = ::leptos::wasm_split)]
        $vis fn $name() -> ::core::result::Result<$ty, $crate::ui::ChunkError> {
            ::core::result::Result::Ok($value)
        }
        $(#[$attr])*
        #[cfg(not(haven_split))]
        $vis async fn $name() -> ::core::result::Result<$ty, $crate::ui::ChunkError> {
            ::core::result::Result::Ok($value)
        }
    };
}

thread_local! {
    static STARTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Once the first section's code has arrived (loaded or not): registers the offline worker
/// (see [`crate::register_service_worker`]) and starts the outbox's sender, so neither
/// competes with what the patient is waiting for.
pub(crate) fn after_first_section() {
    if !STARTED.with(|done| done.replace(true)) {
        crate::register_service_worker();
        crate::outbox::start_later();
    }
}

#[derive(Clone, Copy)]
enum State {
    Loading,
    Ready(Build),
    Failed,
}

/// A section whose code is a chunk. Until the chunk is loaded (or when it cannot load, for
/// example offline before the first visit) it shows `children`, which should hold the
/// section's heading, with a loading status or a retry button. The section is built again
/// when the language changes.
#[component]
pub fn Section<L, F>(
    /// The section's entry, declared with [`split_section!`](crate::split_section).
    load: L,
    /// What to show until the section is ready.
    children: ChildrenFn,
) -> impl IntoView
where
    L: Fn() -> F + Copy + 'static,
    F: Future<Output = Result<Build, ChunkError>> + 'static,
{
    let i18n = use_i18n();
    let state = RwSignal::new(State::Loading);
    let attempt = RwSignal::new(0u32);
    Effect::new(move |_| {
        attempt.track();
        leptos::task::spawn_local(async move {
            let loaded = load().await;
            after_first_section();
            let had_focus = document()
                .active_element()
                .is_some_and(|active| active.tag_name() == "H1");
            let _ = state.try_set(match loaded {
                Ok(build) => State::Ready(build),
                Err(_) => State::Failed,
            });
            // Focus on the placeholder's heading (after a navigation) moves to the section's
            // heading when the placeholder goes.
            if had_focus && loaded.is_ok() {
                super::focus_heading();
            }
        });
    });
    let placeholder = move || {
        let status = match state.get() {
            State::Ready(_) => return None,
            State::Failed => view! {
                <div class="banner banner-warning" role="alert">
                    <p>{tr(|t| t.module_unavailable)}</p>
                    <button type="button" on:click=move |_| {
                        state.set(State::Loading);
                        attempt.update(|n| *n += 1);
                    }>{tr(|t| t.reload)}</button>
                </div>
            }
            .into_any(),
            State::Loading => {
                view! { <p class="muted section-loading" role="status">{tr(|t| t.loading)}</p> }
                    .into_any()
            }
        };
        Some(view! { {children()} {status} })
    };
    let section = move || match state.get() {
        State::Ready(build) => {
            i18n.locale();
            Some(build())
        }
        _ => None,
    };
    view! { {placeholder} {section} }
}
