//! The clinic's public configuration, fetched once from `GET /api/config` (the service worker
//! keeps the last copy for offline use) and shared through context.

use haven_api::config::PublicConfig;
use leptos::prelude::*;

use crate::api::{self, ApiClientError};

/// The clinic configuration context: `None` while loading, then the answer.
#[derive(Clone, Copy)]
pub struct Clinic(ReadSignal<Option<Result<PublicConfig, ApiClientError>>>);

/// Starts loading the configuration, applies the brand colour when it arrives, and provides
/// the [`Clinic`] context. A signal filled by a task rather than a resource: one fetch at
/// start-up needs no suspense machinery in the patient bundle.
pub fn provide_clinic() -> Clinic {
    let (config, set_config) = signal(None);
    leptos::task::spawn_local(async move {
        let answer: Result<PublicConfig, _> = api::get("/api/config").await;
        if let Ok(config) = &answer {
            crate::theme::apply_brand(config.clinic.brand_color);
        }
        set_config.set(Some(answer));
    });
    let clinic = Clinic(config);
    provide_context(clinic);
    clinic
}

/// The clinic configuration context.
pub fn use_clinic() -> Clinic {
    expect_context()
}

impl Clinic {
    /// The configuration once loaded (tracked); `None` while loading or when unreachable.
    pub fn config(self) -> Option<PublicConfig> {
        self.0.with(|answer| {
            answer
                .as_ref()
                .and_then(|answer| answer.as_ref().ok().cloned())
        })
    }

    /// The configuration once loaded, without tracking.
    pub fn config_untracked(self) -> Option<PublicConfig> {
        self.0.with_untracked(|answer| {
            answer
                .as_ref()
                .and_then(|answer| answer.as_ref().ok().cloned())
        })
    }

    /// True once loading finished without a configuration (tracked).
    pub fn unreachable(self) -> bool {
        self.0.with(|answer| matches!(answer, Some(Err(_))))
    }
}

/// A `tel:` link for a number as the clinic wrote it ("1900 1267" → `tel:19001267`).
pub fn tel_href(number: &str) -> String {
    let dialled: String = number
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    format!("tel:{dialled}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tel_link_keeps_only_what_is_dialled() {
        assert_eq!(tel_href("1900 1267"), "tel:19001267");
        assert_eq!(tel_href("+84 28-3822-1234"), "tel:+842838221234");
        assert_eq!(tel_href("115"), "tel:115");
    }
}
