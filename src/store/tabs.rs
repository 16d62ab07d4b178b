//! Several tabs of one workspace: they tell each other what they changed (BroadcastChannel), and
//! only one of them runs background jobs at a time (Web Locks).

use std::rc::Rc;

use helpdesk_core::DocKey;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;

/// The channel tabs of one workspace talk on. Each message is the list of documents a commit
/// changed, as `DocKey::encode` strings; receivers re-read those documents from storage.
pub struct TabChannel {
    channel: web_sys::BroadcastChannel,
    // Keeps the message handler alive as long as the channel.
    _on_message: Closure<dyn Fn(web_sys::MessageEvent)>,
}

impl std::fmt::Debug for TabChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TabChannel").finish_non_exhaustive()
    }
}

impl TabChannel {
    /// Joins the channel of database `name`. `on_changed` gets the documents another tab changed.
    /// `None` where BroadcastChannel is unavailable (then tabs see each other's changes on reload).
    pub fn join(name: &str, on_changed: impl Fn(Vec<DocKey>) + 'static) -> Option<TabChannel> {
        let channel = web_sys::BroadcastChannel::new(&format!("helpdesk-tabs:{name}")).ok()?;
        let on_changed = Rc::new(on_changed);
        let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let keys: Vec<DocKey> = js_sys::Array::from(&event.data())
                .iter()
                .filter_map(|key| key.as_string().and_then(|key| DocKey::decode(&key)))
                .collect();
            if !keys.is_empty() {
                on_changed(keys);
            }
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Some(TabChannel { channel, _on_message: on_message })
    }

    /// Tells the other tabs which documents this tab just committed.
    pub fn announce(&self, docs: &[DocKey]) {
        if docs.is_empty() {
            return;
        }
        let keys: js_sys::Array = docs.iter().map(|doc| JsValue::from_str(&doc.encode())).collect();
        // A failed post only delays the other tabs until their next reload; nothing is lost.
        let _ = self.channel.post_message(&keys);
    }
}

impl Drop for TabChannel {
    fn drop(&mut self) {
        self.channel.close();
    }
}

/// Queues for the workspace's background-jobs lock and calls `on_acquired` when this tab gets it.
/// The lock is held until the tab closes; then the next tab in the queue gets it. Returns `false`
/// where the Web Locks API is unavailable (this tab then runs the jobs itself).
pub fn hold_background_lock(name: &str, on_acquired: impl FnOnce() + 'static) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let navigator = window.navigator();
    let Ok(locks) = js_sys::Reflect::get(&navigator, &"locks".into()) else { return false };
    if locks.is_undefined() {
        return false;
    }
    let Ok(request) = js_sys::Reflect::get(&locks, &"request".into()) else { return false };
    let Ok(request) = request.dyn_into::<js_sys::Function>() else { return false };
    // The callback returns a promise that never settles: the lock stays with this tab until the
    // tab goes away, which is exactly when another tab should take over.
    let callback = Closure::once_into_js(move |_lock: JsValue| -> JsValue {
        on_acquired();
        js_sys::Promise::new(&mut |_, _| {}).into()
    });
    request.call2(&locks, &JsValue::from_str(&format!("helpdesk-jobs:{name}")), &callback).is_ok()
}
