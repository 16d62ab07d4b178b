//! Shown for an address no page answers.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::state::use_app_state;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let state = use_app_state();
    let texts = move || state.texts();
    view! {
        <header class="page-header">
            <h1>{move || texts().not_found_title}</h1>
            <p class="page-intro">{move || texts().not_found_body}</p>
        </header>
        <A href="/">{move || texts().back_to_inbox}</A>
    }
}
