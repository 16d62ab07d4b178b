//! Shown for an address no page answers.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::tr;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <header class="page-header">
            <h1>{tr(|t| t.not_found_title)}</h1>
            <p class="page-intro">{tr(|t| t.not_found_body)}</p>
        </header>
        <A href="/">{tr(|t| t.back_to_inbox)}</A>
    }
}
