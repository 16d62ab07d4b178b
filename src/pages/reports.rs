//! Reports: how the team is doing.

use leptos::prelude::*;

use crate::components::{EmptyState, PageHeader};

#[component]
pub fn ReportsPage() -> impl IntoView {
    view! {
        <PageHeader title=|t| t.nav_reports intro=|t| t.reports_intro />
        <EmptyState message=|t| t.empty_reports />
    }
}
