//! What the browser says about this site's storage: how much is used and allowed, and
//! whether it is kept when space runs low (`navigator.storage`).

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

fn manager() -> web_sys::StorageManager {
    leptos::prelude::window().navigator().storage()
}

/// Bytes used and the site's quota, each if the browser says.
pub async fn estimate() -> (Option<f64>, Option<f64>) {
    let Ok(promise) = manager().estimate() else {
        return (None, None);
    };
    match JsFuture::from(promise).await {
        Ok(value) => {
            let estimate: web_sys::StorageEstimate = value.unchecked_into();
            (estimate.get_usage(), estimate.get_quota())
        }
        Err(_) => (None, None),
    }
}

/// Bytes the browser still lets this site use, if it says.
pub async fn free_bytes() -> Option<f64> {
    let (usage, quota) = estimate().await;
    Some(quota? - usage.unwrap_or(0.0))
}

/// Whether the browser keeps this site's data when space runs low.
pub async fn persisted() -> bool {
    match manager().persisted() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|value| value.as_bool())
            .unwrap_or(false),
        Err(_) => false,
    }
}

/// Asks the browser to keep this site's data (it may ask the patient, or decide itself).
pub async fn persist() {
    if let Ok(promise) = manager().persist() {
        let _ = JsFuture::from(promise).await;
    }
}
