//! The clinic's public configuration, fetched once from `GET /api/config` (the service worker
//! keeps the last copy for offline use) and shared through context.

use haven_api::config::PublicConfig;
use leptos::prelude::*;

use crate::api::{self, ApiClientError};

/// The clinic configuration context.
#[derive(Clone, Copy)]
pub struct Clinic(pub LocalResource<Result<PublicConfig, ApiClientError>>);

/// Starts loading the configuration, applies the brand colour when it arrives, and provides
/// the [`Clinic`] context.
pub fn provide_clinic() -> Clinic {
    let resource = LocalResource::new(|| async {
        let config: Result<PublicConfig, _> = api::get("/api/config").await;
        if let Ok(config) = &config {
            crate::theme::apply_brand(config.clinic.brand_color);
        }
        config
    });
    let clinic = Clinic(resource);
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
        self.0.get().and_then(Result::ok)
    }

    /// True once loading finished without a configuration (tracked).
    pub fn unreachable(self) -> bool {
        matches!(self.0.get(), Some(Err(_)))
    }
}
