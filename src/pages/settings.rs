//! Settings: the workspace, its agents and its automation.

use leptos::prelude::*;

use crate::components::{EmptyState, PageHeader};

#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <PageHeader title=|t| t.nav_settings intro=|t| t.settings_intro />
        <EmptyState message=|t| t.empty_settings />
    }
}
