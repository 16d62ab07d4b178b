//! Status and priority as small coloured labels (the colour is decoration; the text says it).

use helpdesk_core::{Priority, Status};
use leptos::prelude::*;

use crate::state::use_app_state;

#[component]
pub fn StatusBadge(status: Status) -> impl IntoView {
    let state = use_app_state();
    view! {
        <span class=format!("badge status-{}", status.as_str())>
            {move || (state.texts().status_name)(status)}
        </span>
    }
}

#[component]
pub fn PriorityBadge(priority: Priority) -> impl IntoView {
    let state = use_app_state();
    view! {
        <span class=format!("badge priority-{}", priority.as_str())>
            {move || (state.texts().priority_name)(priority)}
        </span>
    }
}
