//! The banner under the header that says when storage is not ready or has failed.

use leptos::prelude::*;

use crate::state::{StorageState, use_app_state};

#[component]
pub fn StorageBanner() -> impl IntoView {
    let state = use_app_state();
    move || {
        let texts = state.texts();
        let reload = move |_| {
            if let Some(window) = web_sys::window() {
                let _ = window.location().reload();
            }
        };
        match state.storage.get() {
            StorageState::Ready => None,
            StorageState::Opening => Some(
                view! {
                    <div class="banner banner-info" role="status">{texts.storage_opening}</div>
                }
                .into_any(),
            ),
            StorageState::Blocked => Some(
                view! {
                    <div class="banner banner-warning" role="alert">{texts.storage_blocked}</div>
                }
                .into_any(),
            ),
            StorageState::Replaced => Some(
                view! {
                    <div class="banner banner-warning" role="alert">
                        <span>{texts.storage_replaced}</span>
                        <button type="button" class="button" on:click=reload>{texts.reload}</button>
                    </div>
                }
                .into_any(),
            ),
            StorageState::Failed(error) => Some(
                view! {
                    <div class="banner banner-error" role="alert">{texts.store_error(&error)}</div>
                }
                .into_any(),
            ),
        }
    }
}
