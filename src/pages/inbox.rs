//! The inbox: every ticket the team is working.

use leptos::prelude::*;

use crate::components::{EmptyState, PageHeader};

#[component]
pub fn InboxPage() -> impl IntoView {
    view! {
        <PageHeader title=|t| t.nav_inbox intro=|t| t.inbox_intro />
        <EmptyState message=|t| t.empty_inbox />
    }
}
