//! The main navigation: a sidebar on wide screens, a bottom bar on phones.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::{Icon, IconName};
use crate::i18n::Texts;
use crate::state::use_app_state;

/// One entry of the navigation: where it goes, its icon, and its label.
struct NavItem {
    href: &'static str,
    icon: IconName,
    label: fn(&Texts) -> &'static str,
}

const ITEMS: [NavItem; 5] = [
    NavItem { href: "/", icon: IconName::Inbox, label: |t| t.nav_inbox },
    NavItem { href: "/customers", icon: IconName::Customers, label: |t| t.nav_customers },
    NavItem { href: "/knowledge-base", icon: IconName::KnowledgeBase, label: |t| t.nav_knowledge_base },
    NavItem { href: "/reports", icon: IconName::Reports, label: |t| t.nav_reports },
    NavItem { href: "/settings", icon: IconName::Settings, label: |t| t.nav_settings },
];

#[component]
pub fn Navigation() -> impl IntoView {
    let state = use_app_state();
    view! {
        <nav class="sidenav" aria-label=move || state.texts().main_navigation>
            <ul>
                {ITEMS
                    .iter()
                    .map(|item| {
                        let label = item.label;
                        // The inbox lives at "/", which every path starts with: match it exactly.
                        let exact = item.href == "/";
                        view! {
                            <li>
                                <A href=item.href exact=exact>
                                    <Icon name=item.icon />
                                    <span class="nav-label">{move || label(state.texts())}</span>
                                </A>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
