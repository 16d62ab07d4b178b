//! The knowledge base: articles agents reuse in replies.

use leptos::prelude::*;

use crate::components::{EmptyState, PageHeader};

#[component]
pub fn KnowledgeBasePage() -> impl IntoView {
    view! {
        <PageHeader title=|t| t.nav_knowledge_base intro=|t| t.knowledge_base_intro />
        <EmptyState message=|t| t.empty_knowledge_base />
    }
}
