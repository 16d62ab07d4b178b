//! Whether the browser may evict the helpdesk's data, and how much space it uses.
//!
//! Browsers keep site data "best effort" unless the site asks for persistent storage; under
//! storage pressure they may delete it. A helpdesk whose data lives only in the browser must ask,
//! and must tell the team whether it was granted.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// What the browser says about this site's storage.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StorageStatus {
    /// `Some(true)` when the browser promised not to evict the data; `None` if it cannot say.
    pub persisted: Option<bool>,
    pub usage_bytes: Option<f64>,
    pub quota_bytes: Option<f64>,
}

fn storage_manager() -> Option<web_sys::StorageManager> {
    let navigator = web_sys::window()?.navigator();
    // `navigator.storage` is missing on insecure origins and old browsers.
    let storage = js_sys::Reflect::get(&navigator, &"storage".into()).ok()?;
    storage.dyn_into::<web_sys::StorageManager>().ok()
}

async fn promise_value(promise: Result<js_sys::Promise, wasm_bindgen::JsValue>) -> Option<wasm_bindgen::JsValue> {
    JsFuture::from(promise.ok()?).await.ok()
}

/// Reads persistence and usage without asking for anything.
pub async fn storage_status() -> StorageStatus {
    let Some(manager) = storage_manager() else { return StorageStatus::default() };
    let persisted = promise_value(manager.persisted()).await.and_then(|v| v.as_bool());
    // The estimate is a plain dictionary object: no class to check with `instanceof`.
    let estimate = promise_value(manager.estimate())
        .await
        .filter(|v| v.is_object())
        .map(|v| v.unchecked_into::<web_sys::StorageEstimate>());
    StorageStatus {
        persisted,
        usage_bytes: estimate.as_ref().and_then(|e| e.get_usage()),
        quota_bytes: estimate.as_ref().and_then(|e| e.get_quota()),
    }
}

/// Asks the browser to keep the data (it may decide silently, or prompt). Returns the answer.
pub async fn request_persistence() -> Option<bool> {
    let manager = storage_manager()?;
    promise_value(manager.persist()).await.and_then(|v| v.as_bool())
}
