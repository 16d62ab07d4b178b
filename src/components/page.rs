//! The frame every page shares: a heading with a one-line introduction, and the empty state.

use leptos::prelude::*;

use crate::i18n::Texts;
use crate::state::use_app_state;

/// The page heading. Takes the strings as functions of the translation table so that they follow
/// the language switch.
#[component]
pub fn PageHeader(title: fn(&Texts) -> &'static str, intro: fn(&Texts) -> &'static str) -> impl IntoView {
    let state = use_app_state();
    view! {
        <header class="page-header">
            <h1>{move || title(state.texts())}</h1>
            <p class="page-intro">{move || intro(state.texts())}</p>
        </header>
    }
}

/// What a page shows while it has nothing to list.
#[component]
pub fn EmptyState(message: fn(&Texts) -> &'static str) -> impl IntoView {
    let state = use_app_state();
    view! {
        <section class="empty-state">
            <p>{move || message(state.texts())}</p>
        </section>
    }
}
