//! Status and priority as small coloured labels (the colour is decoration; the text says it).
//! They follow a signal, so a recycled inbox row changes its badges in place.

use helpdesk_core::{Priority, Status};
use leptos::prelude::*;

use crate::state::use_app_state;

#[component]
pub fn StatusBadge(#[prop(into)] status: Signal<Status>) -> impl IntoView {
    let state = use_app_state();
    view! {
        <span class=move || format!("badge status-{}", status.get().as_str())>
            {move || (state.texts().status_name)(status.get())}
        </span>
    }
}

#[component]
pub fn PriorityBadge(#[prop(into)] priority: Signal<Priority>) -> impl IntoView {
    let state = use_app_state();
    view! {
        <span class=move || format!("badge priority-{}", priority.get().as_str())>
            {move || (state.texts().priority_name)(priority.get())}
        </span>
    }
}
