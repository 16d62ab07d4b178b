//! The main navigation: a sidebar on wide screens, a bottom bar on phones; on wide screens also
//! the team's saved views with live counts.

use helpdesk_core::ViewId;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

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
            <SavedViews />
        </nav>
    }
}

/// How long counts wait for changes to settle: counting runs every view's query over every
/// ticket, which at 100,000 tickets is worth doing once per burst of changes, not per change.
const COUNT_DELAY: std::time::Duration = std::time::Duration::from_millis(250);

/// The saved views, each a link to its results with how many tickets it holds.
#[component]
fn SavedViews() -> impl IntoView {
    let state = use_app_state();
    let location = use_location();
    let views = Memo::new(move |_| {
        state
            .with_workspace(|ws| {
                let views = &ws.settings().views;
                // By name, with the app's one picker sort.
                let mut names: crate::options::Options =
                    views.iter().map(|(id, view)| (id.to_string(), view.name.clone())).collect();
                crate::options::sort(&mut names);
                names
                    .into_iter()
                    .filter_map(|(id, name)| {
                        let id: ViewId = id.parse().ok()?;
                        Some((id, name, views.get(&id)?.query.clone()))
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let counts = RwSignal::new(Vec::<(ViewId, usize)>::new());
    let pending = StoredValue::new_local(None::<TimeoutHandle>);
    Effect::new(move |_| {
        state.revision.track();
        state.search.track();
        let views = views.get();
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                let counted = views
                    .iter()
                    .filter_map(|(id, _, query)| crate::search::count(state, query).map(|n| (*id, n)))
                    .collect();
                counts.set(counted);
            },
            COUNT_DELAY,
        );
        pending.set_value(handle.ok());
    });
    let count_of = move |id: ViewId| counts.with(|counts| counts.iter().find(|(v, _)| *v == id).map(|(_, n)| *n));
    view! {
        <Show when=move || !views.with(Vec::is_empty)>
            <div class="nav-views">
                <h2 class="nav-heading" id="views-heading">{move || state.texts().search.views_heading}</h2>
                <ul aria-labelledby="views-heading">
                    <For each=move || views.get() key=|(id, name, _)| (*id, name.clone()) let((id, name, _))>
                        {
                            let current = move || {
                                location.query.with(|q| q.get("view")).is_some_and(|v| v == id.to_string())
                                    && location.pathname.with(|p| p.ends_with("/search"))
                            };
                            let label = {
                                let name = name.clone();
                                move || {
                                    let n = count_of(id).map(|n| crate::format::count(state.lang.get(), n)).unwrap_or_default();
                                    (state.texts().search.view_count)(&name, &n)
                                }
                            };
                            view! {
                                <li>
                                    <a
                                        href=crate::app::href(&crate::pages::search::view_path(id, None))
                                        aria-current=move || current().then_some("page")
                                        aria-label=label
                                    >
                                        <span class="nav-label">{name}</span>
                                        <span class="nav-count">
                                            {move || count_of(id).map(|n| crate::format::count(state.lang.get(), n))}
                                        </span>
                                    </a>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </div>
        </Show>
    }
}
