//! Settings: the workspace, its agents and its automation, and the data kept in this browser.

mod rules;
mod sla;
mod storage;
mod team;
mod transfer;

use leptos::prelude::*;

use crate::components::{EmptyState, PageHeader};
use crate::state::use_app_state;
use rules::RulesSection;
use sla::SlaSection;
use storage::StorageSection;
use team::TeamSection;
pub use transfer::TransferSection;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let state = use_app_state();
    let initialised = move || state.with_workspace(|ws| ws.settings().is_initialised()).unwrap_or(false);
    view! {
        <PageHeader title=|t| t.nav_settings intro=|t| t.settings_intro />
        <Show when=move || !initialised()>
            <EmptyState message=|t| t.empty_settings />
        </Show>
        <Show when=initialised>
            <TeamSection />
            <SlaSection />
            <RulesSection />
        </Show>
        <StorageSection />
        <TransferSection />
    }
}
