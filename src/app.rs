//! The application shell: header, navigation, language switch, and the router.

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::{LanguageSwitch, Navigation, NotificationBell, SearchBox, Shortcuts, StorageBanner};
use crate::i18n::tr;
use crate::pages::{
    ChooseAgentPage, CustomerPage, CustomersPage, InboxPage, KnowledgeBasePage, NewTicketPage, NotFoundPage,
    ReportsPage, SearchPage, SettingsPage, SetupPage, TicketPage,
};
use crate::state::{AppState, StorageState, use_app_state};

#[component]
pub fn App() -> impl IntoView {
    crate::platform::use_browser_normalizer();
    crate::platform::watch_input();
    let state = AppState::new();
    provide_context(state);
    state.open_storage();
    // Push the language outward: assistive technology and the browser's spell checking,
    // hyphenation and font choice (Japanese vs Chinese glyphs) all follow `<html lang>`.
    Effect::new(move |_| {
        let lang = state.lang.get();
        let document = document();
        if let Some(root) = document.document_element() {
            let _ = root.set_attribute("lang", lang.code());
        }
        document.set_title(lang.texts().app_name);
    });

    view! {
        <Router base=router_base()>
            <Shell />
        </Router>
    }
}

/// What the content area shows before the pages: the pages need a workspace and an agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    /// Storage is still opening (or waits for another tab): the banner says so, pages wait.
    Waiting,
    /// No workspace in this browser yet.
    Setup,
    /// A workspace, but this browser has not said which agent works here.
    ChooseAgent,
    /// Ready, or storage not open (the pages show their empty states under the storage banner).
    Open,
}

#[component]
fn Shell() -> impl IntoView {
    let state = use_app_state();
    let location = leptos_router::hooks::use_location();
    let gate = Memo::new(move |_| {
        let me = state.me.get();
        // Settings stay reachable before setup: storage health, and importing a colleague's
        // export instead of starting from scratch.
        if location.pathname.with(|path| path.trim_end_matches('/').ends_with("/settings")) {
            return Gate::Open;
        }
        if matches!(state.storage.get(), StorageState::Opening | StorageState::Blocked) {
            return Gate::Waiting;
        }
        state
            .with_workspace(|ws| {
                if !ws.settings().is_initialised() {
                    Gate::Setup
                } else if me.is_none_or(|me| ws.agent(me).is_none_or(|agent| !agent.profile.active)) {
                    Gate::ChooseAgent
                } else {
                    Gate::Open
                }
            })
            .unwrap_or(Gate::Open)
    });
    // The router intercepts clicks on same-page anchors, so the skip link moves focus itself.
    let skip_to_main = move |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        if let Some(main) = document().get_element_by_id("main")
            && let Ok(main) = main.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = main.focus();
        }
    };
    view! {
        <a class="skip-link" href="#main" on:click=skip_to_main>
            {tr(|t| t.skip_to_content)}
        </a>
        <div class="shell">
            <header class="topbar">
                <span class="brand">
                    <svg class="brand-mark" viewBox="0 0 24 24" aria-hidden="true">
                        <path d="M4 5h16v11H9l-5 4z" />
                    </svg>
                    <span class="brand-name">{tr(|t| t.app_name)}</span>
                </span>
                <Show when=move || gate.get() == Gate::Open>
                    <SearchBox />
                    <NotificationBell />
                </Show>
                <LanguageSwitch />
            </header>
            <Navigation />
            <Shortcuts />
            <main id="main" class="content" tabindex="-1">
                <StorageBanner />
                {move || match gate.get() {
                    Gate::Waiting => ().into_any(),
                    Gate::Setup => view! { <SetupPage /> }.into_any(),
                    Gate::ChooseAgent => view! { <ChooseAgentPage /> }.into_any(),
                    Gate::Open => view! {
                        <KeptInbox />
                        <Routes fallback=NotFoundPage>
                            <Route path=path!("") view=InboxRoute />
                            <Route path=path!("tickets/new") view=NewTicketPage />
                            <Route path=path!("tickets/:number") view=TicketPage />
                            <Route path=path!("search") view=SearchPage />
                            <Route path=path!("customers") view=CustomersPage />
                            <Route path=path!("customers/:id") view=CustomerPage />
                            <Route path=path!("knowledge-base") view=KnowledgeBasePage />
                            <Route path=path!("reports") view=ReportsPage />
                            <Route path=path!("settings") view=SettingsPage />
                        </Routes>
                    }.into_any(),
                }}
            </main>
        </div>
    }
}

/// The inbox, mounted the first time it is shown and then kept (hidden) while other pages are
/// open. Coming back from a ticket is the most frequent move an agent makes; rebuilding the page
/// and its rows took 27 ms at 100,000 tickets; showing it again is a change of style
/// (docs/benchmarks.md has the figures). It also
/// keeps the agent's place: the scroll position, the keyboard cursor and the selection. While
/// hidden the inbox does no work: its lists are frozen until it is shown again. Hidden means
/// `content-visibility: hidden` (style/main.css), not `display: none`: the browser keeps the
/// layout of the rows, and showing them again needs no new layout of the table (10–15 ms).
#[component]
fn KeptInbox() -> impl IntoView {
    let state = use_app_state();
    let location = leptos_router::hooks::use_location();
    let base = router_base();
    let shown = Memo::new(move |_| location.pathname.with(|path| path.trim_end_matches('/') == base));
    Effect::new(move |_| state.inbox_shown.set(shown.get()));
    let mounted = Memo::new(move |before: Option<&bool>| before.copied().unwrap_or(false) || shown.get());
    view! {
        <Show when=move || mounted.get()>
            <div class="kept-page" class:kept-away=move || !shown.get()>
                <InboxPage active=shown />
            </div>
        </Show>
    }
}

/// The inbox's route shows nothing itself: the inbox is kept mounted outside the routes
/// ([`KeptInbox`]). A component rather than `|| ()` so that the route has the view type of the
/// others (one instance of the router's view code instead of two).
#[component]
fn InboxRoute() -> impl IntoView {}

/// An app path as a plain link target (`/tickets/12` → `/repo/tickets/12` under a sub-folder).
/// For links rendered by the hundred (inbox rows): the router's `<A>` builds memos and effects
/// per link, a plain `<a>` is intercepted by the router just the same.
pub fn href(path: &str) -> String {
    thread_local! {
        static BASE: String = router_base();
    }
    BASE.with(|base| format!("{base}{path}"))
}

/// The path the app is served under, from the `<base href>` Trunk writes (`--public-url`), so the
/// same build works at `/` and in a sub-folder such as a GitHub Pages project site.
fn router_base() -> String {
    let base_uri = document().base_uri().ok().flatten().unwrap_or_default();
    base_path(&base_uri)
}

/// `https://host/repo/` → `/repo`; `https://host/` → `` (no base).
pub fn base_path(base_uri: &str) -> String {
    let after_scheme = base_uri.split_once("://").map_or(base_uri, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("", |slash| &after_scheme[slash..]);
    let path = path.split(['?', '#']).next().unwrap_or_default();
    // Drop a file name (`/repo/index.html`) and the trailing slash.
    let directory = path.rsplit_once('/').map_or("", |(directory, _)| directory);
    directory.to_owned()
}
