//! Customers: the people the team supports.

use leptos::prelude::*;

use crate::components::{EmptyState, PageHeader};

#[component]
pub fn CustomersPage() -> impl IntoView {
    view! {
        <PageHeader title=|t| t.nav_customers intro=|t| t.customers_intro />
        <EmptyState message=|t| t.empty_customers />
    }
}
