//! Small inline SVG icons. Decorative only: the text next to them carries the meaning, so they
//! are hidden from assistive technology.

use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IconName {
    Inbox,
    Customers,
    KnowledgeBase,
    Reports,
    Settings,
}

impl IconName {
    /// Stroke paths on a 24×24 grid.
    fn path(self) -> &'static str {
        match self {
            IconName::Inbox => "M3 13l3-8h12l3 8v6H3zM3 13h5l1 3h6l1-3h5",
            IconName::Customers => {
                "M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21c0-4 3-6 7-6s7 2 7 6M16 3a4 4 0 0 1 0 8M22 21c0-3-2-5-4-6"
            }
            IconName::KnowledgeBase => {
                "M4 4h6a2 2 0 0 1 2 2v14a2 2 0 0 0-2-2H4zM20 4h-6a2 2 0 0 0-2 2v14a2 2 0 0 1 2-2h6z"
            }
            IconName::Reports => "M4 20V10M10 20V4M16 20v-7M22 20H2",
            IconName::Settings => {
                "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19 12l2-1-1-3-2 .5-1.5-1.5.5-2-3-1-1 2h-2l-1-2-3 1 .5 2L6 7.5 4 7 3 10l2 1v2l-2 1 1 3 2-.5L7.5 18 7 20l3 1 1-2h2l1 2 3-1-.5-2 1.5-1.5 2 .5 1-3-2-1z"
            }
        }
    }
}

#[component]
pub fn Icon(name: IconName) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d=name.path() />
        </svg>
    }
}
