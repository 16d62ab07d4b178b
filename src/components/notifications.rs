//! The signed-in agent's notifications in this browser: tickets assigned to them, mentions
//! (rules' notify actions included) and SLA alerts of their tickets (see
//! [`helpdesk_core::notify`]), in a list behind the bell in the top bar, and as browser
//! notifications once the agent allows them.
//!
//! The list lives in `localStorage`, per agent, shared by the browser's tabs: each tab adds what
//! its own commits bring (and the background tab the SLA alerts), merging with what is stored, so
//! no tab overwrites another's; the others reload on the `storage` event.

use helpdesk_core::notify::{Notification, NotificationKind};
use helpdesk_core::{AgentId, Workspace};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::format;
use crate::i18n::{Texts, tr};
use crate::pages::inbox::ticket_path;
use crate::state::{local_storage, use_app_state};

/// The most notifications kept; older ones fall off.
const KEEP: usize = 200;

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct Stored {
    items: Vec<Notification>,
    /// Keys of the items not read yet. (Not a "read up to" instant: an SLA alert can be found
    /// after later notifications were read, and must still count as new.)
    unread: Vec<String>,
}

/// Newest first; one comparator for every sort of notifications (each is another sort's code).
fn newest_first(a: &Notification, b: &Notification) -> std::cmp::Ordering {
    b.at_ms.cmp(&a.at_ms).then_with(|| a.key.cmp(&b.key))
}

/// This tab's view of the agent's notifications.
#[derive(Debug, Clone, Copy)]
pub struct Notifications {
    pub items: RwSignal<Vec<Notification>>,
    /// Keys of the notifications not read yet.
    pub unread: RwSignal<Vec<String>>,
    agent: RwSignal<Option<AgentId>>,
}

fn storage_key(agent: AgentId) -> String {
    format!("helpdesk.notifications.{agent}")
}

fn read(agent: AgentId) -> Stored {
    local_storage()
        .and_then(|s| s.get_item(&storage_key(agent)).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn write(agent: AgentId, stored: &Stored) {
    // A full or unavailable localStorage loses only notifications: the tickets themselves are
    // in IndexedDB, so there is nothing to tell the person.
    if let (Some(storage), Ok(text)) = (local_storage(), serde_json::to_string(stored)) {
        let _ = storage.set_item(&storage_key(agent), &text);
    }
}

impl Default for Notifications {
    fn default() -> Self {
        Self::new()
    }
}

impl Notifications {
    pub fn new() -> Self {
        Notifications {
            items: RwSignal::new(Vec::new()),
            unread: RwSignal::new(Vec::new()),
            agent: RwSignal::new(None),
        }
    }

    /// Shows `agent`'s stored notifications (at sign-in, and when another tab changed them).
    pub fn load(&self, agent: AgentId) {
        let stored = read(agent);
        self.agent.set(Some(agent));
        self.unread.set(stored.unread);
        self.items.set(stored.items);
    }

    /// Reloads when another tab wrote the agent's list.
    pub fn follow_other_tabs(self) {
        let handle = window_event_listener(leptos::ev::storage, move |event| {
            if let Some(agent) = self.agent.get_untracked()
                && event.key().as_deref() == Some(storage_key(agent).as_str())
            {
                self.load(agent);
            }
        });
        // The listener lives as long as the page.
        std::mem::forget(handle);
    }

    /// Adds what is not known yet (by key); returns the new ones, newest first.
    pub fn add(&self, found: Vec<Notification>) -> Vec<Notification> {
        let Some(agent) = self.agent.get_untracked() else { return Vec::new() };
        if found.is_empty() {
            return Vec::new();
        }
        let mut stored = read(agent);
        let mut added: Vec<Notification> =
            found.into_iter().filter(|n| !stored.items.iter().any(|held| held.key == n.key)).collect();
        helpdesk_core::sorting::sort_by(&mut added, newest_first);
        added.dedup_by(|a, b| a.key == b.key);
        if added.is_empty() {
            return added;
        }
        stored.items.extend(added.iter().cloned());
        stored.unread.extend(added.iter().map(|n| n.key.clone()));
        helpdesk_core::sorting::sort_by(&mut stored.items, newest_first);
        stored.items.truncate(KEEP);
        let kept = &stored.items;
        stored.unread.retain(|key| kept.iter().any(|n| n.key == *key));
        write(agent, &stored);
        self.unread.set(stored.unread);
        self.items.set(stored.items);
        added
    }

    pub fn unread(&self) -> usize {
        self.unread.with(Vec::len)
    }

    pub fn mark_all_read(&self) {
        self.mark_read(None);
    }

    /// Marks one notification read (`Some(key)`: opening it), or all of them.
    pub fn mark_read(&self, key: Option<&str>) {
        let Some(agent) = self.agent.get_untracked() else { return };
        let mut stored = read(agent);
        stored.unread.retain(|held| key.is_some_and(|key| held != key));
        write(agent, &stored);
        self.unread.set(stored.unread);
    }
}

/// A notification in words, and the ticket it leads to.
pub fn describe(ws: &Workspace, t: &Texts, n: &Notification) -> (String, Option<String>) {
    let ticket = ws.summary(n.ticket);
    let label = ticket.map_or_else(String::new, |s| format!("{} {}", ws.display_number(s), s.subject));
    let who = match n.by {
        helpdesk_core::Actor::Agent(id) => ws.agent(id).map(|a| a.profile.name.clone()),
        helpdesk_core::Actor::Rule(id) => ws.settings().rules.get(&id).map(|r| (t.rules.rule_actor)(&r.name)),
        _ => None,
    }
    .unwrap_or_else(|| t.someone.to_owned());
    let rt = t.rules;
    let text = match n.kind {
        NotificationKind::Assigned => (rt.n_assigned)(&who, &label),
        NotificationKind::Mentioned => (rt.n_mentioned)(&who, &label),
        NotificationKind::SlaWarning(metric) => (rt.n_sla_warning)((t.sla.metric_name)(metric), &label),
        NotificationKind::SlaBreached(metric) => (rt.n_sla_breached)((t.sla.metric_name)(metric), &label),
    };
    (text, ticket.map(|s| ticket_path(&ws.display_number(s))))
}

/// The browser's notification permission; `None` where there is no Notifications API (iOS
/// Safari outside a home-screen app, some embedded browsers), where calling it would throw.
fn permission() -> Option<web_sys::NotificationPermission> {
    let window = web_sys::window()?;
    js_sys::Reflect::has(&window, &"Notification".into()).unwrap_or(false).then(web_sys::Notification::permission)
}

/// Shows `added` as browser notifications when the agent allowed them.
pub fn tell_browser(ws: &Workspace, t: &Texts, added: &[Notification]) {
    if permission() != Some(web_sys::NotificationPermission::Granted) {
        return;
    }
    // A burst (a bulk change, the first sweep after a long time offline) is one notification.
    let body = match added {
        [] => return,
        [one] => describe(ws, t, one).0,
        many => (t.rules.n_many)(many.len()),
    };
    let options = web_sys::NotificationOptions::new();
    options.set_body(&body);
    options.set_tag("helpdesk");
    let _ = web_sys::Notification::new_with_options(t.app_name, &options);
}

/// The bell in the top bar and its panel.
#[component]
pub fn NotificationBell() -> impl IntoView {
    let state = use_app_state();
    let notifications = state.notifications;
    let open = RwSignal::new(false);
    let allowed = RwSignal::new(permission());
    let ask = move |_| {
        if let Ok(promise) = web_sys::Notification::request_permission() {
            leptos::task::spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
                allowed.set(permission());
            });
        }
    };
    let close_on_escape = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Escape" {
            open.set(false);
        }
    };
    view! {
        <div class="notifications" on:keydown=close_on_escape>
            <button type="button" class="bell" aria-expanded=move || open.get().to_string()
                aria-controls="notification-panel"
                aria-label=move || (state.texts().rules.n_label)(notifications.unread())
                on:click=move |_| open.update(|o| *o = !*o)>
                <svg viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M12 3a6 6 0 0 0-6 6v4l-2 3h16l-2-3V9a6 6 0 0 0-6-6zm-2 15a2 2 0 0 0 4 0z" />
                </svg>
            </button>
            // Beside the button, not in it: the button's name already says the count in words.
            <Show when=move || { notifications.unread() > 0 }>
                <span class="bell-count" aria-hidden="true">{move || notifications.unread().to_string()}</span>
            </Show>
            <Show when=move || open.get()>
                <section id="notification-panel" class="notification-panel" aria-labelledby="notification-heading">
                    <div class="panel-head">
                        <h2 id="notification-heading">{tr(|t| t.rules.n_heading)}</h2>
                        <button type="button" class="button button-secondary" on:click=move |_| notifications.mark_all_read()>
                            {tr(|t| t.rules.n_mark_read)}
                        </button>
                    </div>
                    {move || match allowed.get() {
                        Some(web_sys::NotificationPermission::Default) => Some(view! {
                            <button type="button" class="link-button" on:click=ask>{tr(|t| t.rules.n_enable)}</button>
                        }.into_any()),
                        Some(web_sys::NotificationPermission::Denied) => Some(view! {
                            <p class="hint">{tr(|t| t.rules.n_blocked)}</p>
                        }.into_any()),
                        _ => None,
                    }}
                    {move || {
                        let items = notifications.items.get();
                        let unread = notifications.unread.get();
                        let texts = state.texts();
                        let lang = state.lang.get();
                        if items.is_empty() {
                            return view! { <p class="hint">{texts.rules.n_none}</p> }.into_any();
                        }
                        let rows = state
                            .with_workspace(|ws| {
                                items
                                    .iter()
                                    .map(|n| (describe(ws, texts, n), n.at_ms, n.key.clone(), unread.contains(&n.key)))
                                    .collect::<Vec<_>>()
                            })
                            .unwrap_or_default();
                        view! {
                            <ul class="notification-list">
                                {rows.into_iter().map(|((text, path), at, key, unread)| {
                                    let body = match path {
                                        Some(path) => view! {
                                            <a href=crate::app::href(&path) on:click=move |_| {
                                                notifications.mark_read(Some(&key));
                                                open.set(false);
                                            }>{text}</a>
                                        }.into_any(),
                                        None => view! { <span>{text}</span> }.into_any(),
                                    };
                                    view! {
                                        <li class:unread=unread>
                                            {body}
                                            <time class="hint">{format::date_time(lang, at)}</time>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>
            </Show>
        </div>
    }
}
