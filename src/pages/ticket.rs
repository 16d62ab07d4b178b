//! One ticket: the conversation, the composer, the fields, the requester, and the history.
//!
//! The page works from the ticket's number in the URL. Its conversation is loaded from storage on
//! first view (summaries of every ticket are in memory; conversations are not). Every change is a
//! core command committed before the page shows it.

use helpdesk_core::sorting;
use helpdesk_core::{
    Actor, AgentId, Change, DocKey, FieldId, FieldKind, FieldTarget, FieldValue, HistoryEntry, MessageKind, NewMessage,
    Priority, Status, StatusCause, Tag, Ticket, TicketEdit, TicketId, Workspace, check_transition,
};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::components::{PriorityBadge, StatusBadge, metric_summary};
use crate::format;
use crate::i18n::tr;
use crate::pages::inbox::{ticket_path, typing_in_field};
use crate::platform::now_ms;
use crate::state::{AppState, local_storage, use_app_state};

/// Where unsent text is kept, per ticket and kind, so a reload or a crash loses nothing.
fn draft_key(ticket: TicketId, kind: MessageKind) -> String {
    let kind = if kind == MessageKind::InternalNote { "note" } else { "reply" };
    format!("helpdesk.draft.{ticket}.{kind}")
}

fn load_draft(ticket: TicketId, kind: MessageKind) -> String {
    local_storage().and_then(|s| s.get_item(&draft_key(ticket, kind)).ok().flatten()).unwrap_or_default()
}

fn save_draft(ticket: TicketId, kind: MessageKind, text: &str) {
    if let Some(storage) = local_storage() {
        // A draft that cannot be kept (storage full) still sits in the text box.
        let _ = if text.is_empty() {
            storage.remove_item(&draft_key(ticket, kind))
        } else {
            storage.set_item(&draft_key(ticket, kind), text)
        };
    }
}

#[component]
pub fn TicketPage() -> impl IntoView {
    let state = use_app_state();
    let params = use_params_map();
    let ticket_id = Memo::new(move |_| {
        let number = params.with(|p| p.get("number").unwrap_or_default());
        state.with_workspace(|ws| ws.ticket_by_display_number(&number).map(|t| t.id)).flatten()
    });
    // Load the conversation the first time the ticket is shown in this tab, and the conversations
    // of tickets merged into it (their messages show in its thread). Each document is tried once
    // per page: an unreadable log shows what the summary knows, and the open report names it.
    let attempted = StoredValue::new(std::collections::HashSet::<DocKey>::new());
    Effect::new(move |_| {
        let Some(id) = ticket_id.get() else { return };
        let Some(session) = state.session() else { return };
        let missing: Vec<DocKey> = state
            .with_workspace(|ws| {
                let sources = ws.ticket(id).map(|t| t.merged_from.clone()).unwrap_or_default();
                std::iter::once(id)
                    .chain(sources)
                    .map(DocKey::Ticket)
                    .filter(|doc| !ws.has_loaded(*doc) && !attempted.with_value(|tried| tried.contains(doc)))
                    .collect()
            })
            .unwrap_or_default();
        if missing.is_empty() {
            return;
        }
        attempted.update_value(|tried| tried.extend(missing.iter().copied()));
        leptos::task::spawn_local(async move {
            let _ = session.desk.load(&missing).await;
            state.revision.update(|r| *r += 1);
        });
    });
    let ui = TicketUi::new();
    Effect::new(move |_| {
        ticket_id.track();
        ui.reset();
    });
    let ticket = Memo::new(move |_| {
        let id = ticket_id.get()?;
        state.with_workspace(|ws| ws.ticket(id).cloned()).flatten()
    });

    view! {
        {move || match (ticket_id.get(), ticket.get()) {
            (None, _) if state.is_ready() => view! {
                <section class="empty-state">
                    <p>{tr(|t| t.ticket_not_found)}</p>
                    <A href="/">{tr(|t| t.back_to_inbox)}</A>
                </section>
            }.into_any(),
            (Some(_), Some(ticket)) => view! { <TicketView ticket=ticket ui=ui /> }.into_any(),
            _ => view! { <p class="hint">{tr(|t| t.loading)}</p> }.into_any(),
        }}
    }
}

/// What the person is doing on the page, kept outside the view. The view is rebuilt whenever the
/// ticket changes, their own commits and other tabs' included. Leptos patches the page's elements
/// in place, so focus and text in a plain field stay, but state made inside the view starts over:
/// that must not close the tab they opened, turn their note back into a reply, empty the tag or
/// ticket number they are typing, or wipe the message of a refusal (a late commit of an earlier
/// change comes after it). Reset when another ticket is opened.
#[derive(Clone, Copy)]
struct TicketUi {
    error: RwSignal<Option<String>>,
    history_tab: RwSignal<bool>,
    composer_kind: RwSignal<MessageKind>,
    tag_text: RwSignal<String>,
    link_number: RwSignal<String>,
}

impl TicketUi {
    fn new() -> Self {
        Self {
            error: RwSignal::new(None),
            history_tab: RwSignal::new(false),
            composer_kind: RwSignal::new(MessageKind::PublicReply),
            tag_text: RwSignal::new(String::new()),
            link_number: RwSignal::new(String::new()),
        }
    }

    fn reset(self) {
        self.error.set(None);
        self.history_tab.set(false);
        self.composer_kind.set(MessageKind::PublicReply);
        self.tag_text.set(String::new());
        self.link_number.set(String::new());
    }
}

#[component]
fn TicketView(ticket: Ticket, ui: TicketUi) -> impl IntoView {
    let state = use_app_state();
    let texts = move || state.texts();
    let id = ticket.id;
    let error = ui.error;
    let tab = ui.history_tab; // false: conversation, true: history
    let number = state.with_workspace(|ws| ws.display_number(&ticket)).unwrap_or_default();
    let channel = ticket.channel;
    let created_at = ticket.created_at;
    let subject = ticket.subject.clone();
    let status = ticket.status;
    let priority = ticket.priority;

    view! {
        <div class="ticket-page">
            <div class="ticket-main">
                <header class="ticket-header">
                    <p class="ticket-number">{number.clone()}</p>
                    <h1>{subject}</h1>
                    <p class="ticket-meta">
                        <StatusBadge status=status />
                        <PriorityBadge priority=priority />
                        <span class="hint">
                            {move || (texts().created_via)(
                                (texts().channel_name)(channel),
                                &format::date_time(state.lang.get(), created_at),
                            )}
                        </span>
                    </p>
                </header>
                <p role="alert" class="status-error">{move || error.get()}</p>
                <div class="tabs" role="tablist">
                    <button type="button" role="tab" id="tab-conversation" aria-controls="panel-conversation"
                        aria-selected=move || (!tab.get()).to_string() on:click=move |_| tab.set(false)>
                        {tr(|t| t.conversation)}
                    </button>
                    <button type="button" role="tab" id="tab-history" aria-controls="panel-history"
                        aria-selected=move || tab.get().to_string() on:click=move |_| tab.set(true)>
                        {tr(|t| t.history)}
                    </button>
                </div>
                <Show
                    when=move || tab.get()
                    fallback={
                        let ticket = ticket.clone();
                        move || view! {
                            <div role="tabpanel" id="panel-conversation" aria-labelledby="tab-conversation">
                                <Thread ticket=ticket.clone() />
                                <Composer ticket=id editable=ticket.is_editable() kind=ui.composer_kind />
                            </div>
                        }
                    }
                >
                    <div role="tabpanel" id="panel-history" aria-labelledby="tab-history">
                        <HistoryList ticket=id />
                    </div>
                </Show>
            </div>
            <aside class="ticket-side">
                <SlaPanel ticket=id />
                <Fields ticket=ticket.clone() ui=ui />
                <LinksPanel ticket=ticket.clone() ui=ui />
                <RequesterPanel ticket=ticket.clone() />
            </aside>
        </div>
    }
}

/// Who did something, by name.
fn actor_name(ws: &Workspace, actor: Actor, texts: &crate::i18n::Texts) -> String {
    match actor {
        Actor::Agent(id) => ws.agent(id).map_or_else(|| texts.someone.to_owned(), |a| a.profile.name.clone()),
        Actor::Customer(id) => ws.customer(id).map_or_else(|| texts.someone.to_owned(), |c| c.profile.name.clone()),
        Actor::Rule(id) => ws
            .settings()
            .rules
            .get(&id)
            .map_or_else(|| texts.automation.to_owned(), |rule| (texts.rules.rule_actor)(&rule.name)),
        Actor::System => texts.system.to_owned(),
    }
}

/// One entry of the thread: the ticket's own description and messages, and those of the tickets
/// merged into it (marked with where they came from), in time order.
struct ThreadEntry {
    at_ms: u64,
    author: Actor,
    kind: MessageKind,
    body: String,
    from: Option<String>,
}

fn thread_entries(ws: &Workspace, ticket: &Ticket, from: Option<String>) -> Vec<ThreadEntry> {
    let opening = ThreadEntry {
        at_ms: ticket.created_at,
        author: Actor::Customer(ticket.requester),
        kind: MessageKind::Customer,
        body: ticket.description.clone(),
        from: from.clone(),
    };
    std::iter::once(opening)
        .chain(ticket.messages.iter().map(|message| ThreadEntry {
            at_ms: message.at_ms,
            author: message.author,
            kind: message.kind,
            body: message.body.clone(),
            from: from.clone(),
        }))
        .chain(
            ticket
                .merged_from
                .iter()
                .filter_map(|source| {
                    let merged = ws.ticket(*source)?;
                    Some(thread_entries(ws, merged, Some(ws.display_number(merged))))
                })
                .flatten(),
        )
        .collect()
}

#[component]
fn Thread(ticket: Ticket) -> impl IntoView {
    let state = use_app_state();
    let lang = state.lang;
    let texts = state.texts_untracked();
    let mut entries = state.with_workspace(|ws| thread_entries(ws, &ticket, None)).unwrap_or_default();
    sorting::sort_by_key(&mut entries, |entry| entry.at_ms);
    let messages = entries
        .into_iter()
        .map(|entry| {
            let author = state.with_workspace(|ws| actor_name(ws, entry.author, texts)).unwrap_or_default();
            let kind = entry.kind;
            let class = match kind {
                MessageKind::Customer => "message message-customer",
                MessageKind::PublicReply => "message message-reply",
                MessageKind::InternalNote => "message message-note",
            };
            let at = entry.at_ms;
            view! {
                <article class=class>
                    <header>
                        <strong>{author}</strong>
                        <span class="message-kind">{move || (state.texts().message_kind_name)(kind)}</span>
                        <time class="hint">{move || format::date_time(lang.get(), at)}</time>
                        {entry.from.map(|number| view! { <span class="badge">{number}</span> })}
                    </header>
                    <div class="message-body">{entry.body}</div>
                </article>
            }
        })
        .collect_view();
    view! { <div class="thread">{messages}</div> }
}

#[component]
fn Composer(ticket: TicketId, editable: bool, kind: RwSignal<MessageKind>) -> impl IntoView {
    let state = use_app_state();
    let texts = move || state.texts();
    let text = RwSignal::new(load_draft(ticket, kind.get_untracked()));
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let area = NodeRef::<leptos::html::Textarea>::new();
    let mention = RwSignal::new(None::<String>);

    let switch = move |to: MessageKind| {
        if kind.get_untracked() != to {
            save_draft(ticket, kind.get_untracked(), &text.get_untracked());
            kind.set(to);
            text.set(load_draft(ticket, to));
        }
        if let Some(area) = area.get_untracked() {
            let _ = area.focus();
        }
    };
    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        save_draft(ticket, kind.get_untracked(), &value);
        let caret = area.get_untracked().and_then(|a| a.selection_start().ok().flatten()).unwrap_or(0) as usize;
        mention.set(mention_prefix(&value, caret));
        text.set(value);
    };
    let suggestions = move || {
        let prefix = helpdesk_core::case::lowercase(&mention.get()?).into_owned();
        state.with_workspace(|ws| {
            let mut agents: Vec<(String, String)> = ws
                .agents()
                .filter(|(_, a)| a.profile.active)
                .filter(|(_, a)| {
                    a.profile.handle.starts_with(&prefix)
                        || helpdesk_core::case::lowercase(&a.profile.name).contains(&prefix)
                })
                .map(|(_, a)| (a.profile.handle.clone(), a.profile.name.clone()))
                .collect();
            crate::options::sort(&mut agents);
            agents.truncate(6);
            agents
        })
    };
    let insert_mention = move |handle: String| {
        let Some(area) = area.get_untracked() else { return };
        let value = text.get_untracked();
        let caret = area.selection_start().ok().flatten().unwrap_or(0) as usize;
        let caret = value
            .char_indices()
            .map(|(i, _)| i)
            .chain([value.len()])
            .find(|i| *i >= caret_byte(&value, caret))
            .unwrap_or(value.len());
        let start = value[..caret].rfind('@').unwrap_or(caret);
        let updated = format!("{}@{handle} {}", &value[..start], &value[caret..]);
        save_draft(ticket, kind.get_untracked(), &updated);
        text.set(updated);
        mention.set(None);
        let _ = area.focus();
    };
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let body = text.get_untracked();
        let message_kind = kind.get_untracked();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let outcome = state.execute(|ws, f| ws.add_message(f, ticket, NewMessage::new(message_kind, body))).await;
            busy.set(false);
            match outcome {
                Ok(_) => {
                    save_draft(ticket, message_kind, "");
                    text.set(String::new());
                    error.set(None);
                }
                Err(failure) => error.set(Some(state.lang.get_untracked().texts().desk_error(&failure))),
            }
        });
    };
    let keys = window_event_listener(leptos::ev::keydown, move |event| {
        if event.ctrl_key() || event.meta_key() || event.alt_key() || typing_in_field(&event) {
            return;
        }
        match event.key().as_str() {
            "r" => {
                event.prevent_default();
                switch(MessageKind::PublicReply);
            }
            "n" => {
                event.prevent_default();
                switch(MessageKind::InternalNote);
            }
            _ => {}
        }
    });
    on_cleanup(move || keys.remove());

    let is_note = move || kind.get() == MessageKind::InternalNote;
    view! {
        <Show when=move || editable fallback=move || view! { <p class="banner">{tr(|t| t.closed_note)}</p> }>
            <form class="composer" class:composer-note=is_note on:submit=send>
                <div class="composer-modes" role="group" aria-label=tr(|t| t.composer_label)>
                    <button type="button" aria-pressed=move || (!is_note()).to_string()
                        on:click=move |_| switch(MessageKind::PublicReply)>
                        {tr(|t| t.reply)}
                    </button>
                    <button type="button" aria-pressed=move || is_note().to_string()
                        on:click=move |_| switch(MessageKind::InternalNote)>
                        {tr(|t| t.note)}
                    </button>
                </div>
                <textarea
                    node_ref=area
                    id="composer-text"
                    rows="5"
                    aria-label=tr(|t| t.composer_label)
                    placeholder=move || if is_note() { texts().note_placeholder } else { texts().reply_placeholder }
                    prop:value=text
                    on:input=on_input
                    on:keydown=move |ev| {
                        if ev.key() == "Escape" {
                            mention.set(None);
                        }
                        if (ev.key() == "Tab" || ev.key() == "Enter")
                            && !ev.shift_key()
                            && let Some(first) = suggestions().and_then(|s| s.into_iter().next())
                        {
                            ev.prevent_default();
                            insert_mention(first.0);
                        }
                    }
                ></textarea>
                {move || suggestions().filter(|s| !s.is_empty()).map(|agents| view! {
                    <ul class="mention-list" aria-label=tr(|t| t.mention_suggestions)>
                        {agents.into_iter().map(|(handle, name)| {
                            let pick = handle.clone();
                            view! {
                                <li>
                                    <button type="button" on:click=move |_| insert_mention(pick.clone())>
                                        <strong>"@"{handle}</strong>" "{name}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })}
                <div class="form-actions">
                    <button type="submit" class="button" disabled=move || busy.get() || text.with(|t| t.trim().is_empty())>
                        {move || if is_note() { texts().add_note } else { texts().send_reply }}
                    </button>
                    <Show when=move || !text.with(String::is_empty)>
                        <span class="hint">{tr(|t| t.draft_kept)}</span>
                    </Show>
                </div>
                <p role="alert" class="status-error">{move || error.get()}</p>
            </form>
        </Show>
    }
}

/// The byte offset of UTF-16 code unit `caret` in `text` (textarea positions count UTF-16 units).
fn caret_byte(text: &str, caret: usize) -> usize {
    let mut units = 0;
    for (index, c) in text.char_indices() {
        if units >= caret {
            return index;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// The handle being typed after an `@` that ends at the caret, if any: `"hi @han|"` → `han`.
fn mention_prefix(text: &str, caret: usize) -> Option<String> {
    let before = &text[..caret_byte(text, caret)];
    let at = before.rfind('@')?;
    let prefix = &before[at + 1..];
    let starts_word = before[..at].chars().next_back().is_none_or(char::is_whitespace);
    let handle_like = prefix.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    (starts_word && handle_like && prefix.len() <= 40).then(|| prefix.to_owned())
}

#[component]
fn Fields(ticket: Ticket, ui: TicketUi) -> impl IntoView {
    let state = use_app_state();
    let texts = move || state.texts();
    let id = ticket.id;
    let editable = ticket.is_editable();
    let run = move |command: BoxedCommand| {
        leptos::task::spawn_local(run_command(state, command, ui.error));
    };
    let has_assignee = ticket.assignee.is_some();
    let moves: Vec<Status> =
        ticket.status.next_statuses().filter(|to| check_transition(ticket.status, *to, has_assignee).is_ok()).collect();
    let resolve_allowed = moves.contains(&Status::Resolved);
    let keys = window_event_listener(leptos::ev::keydown, move |event| {
        if event.key() == "e" && resolve_allowed && !typing_in_field(&event) && !event.ctrl_key() && !event.meta_key() {
            event.prevent_default();
            run(Box::new(move |ws, f| ws.change_status(f, id, Status::Resolved)));
        }
    });
    on_cleanup(move || keys.remove());
    let me = state.me.get_untracked();
    let agents = state.with_workspace(crate::options::agents).unwrap_or_default();
    let categories = state.with_workspace(crate::options::categories).unwrap_or_default();
    let teams = state.with_workspace(crate::options::teams).unwrap_or_default();
    let assignee = ticket.assignee.map(|a| a.to_string()).unwrap_or_default();
    let category = ticket.category.map(|c| c.to_string()).unwrap_or_default();
    let team = ticket.team.map(|t| t.to_string()).unwrap_or_default();
    let due = ticket.due_ms.map(format::date_input).unwrap_or_default();
    let tag_text = ui.tag_text;
    let custom_fields: Vec<(FieldId, String, FieldKind, Option<FieldValue>)> = state
        .with_workspace(|ws| {
            let mut fields: Vec<_> = ws
                .fields()
                .filter(|(_, def)| def.profile.active && def.profile.target == FieldTarget::Ticket)
                .map(|(field, def)| {
                    let name =
                        if def.profile.required { format!("{} *", def.profile.name) } else { def.profile.name.clone() };
                    (field, name, def.profile.kind.clone(), ticket.custom.get(&field).cloned())
                })
                .collect();
            sorting::sort_by(&mut fields, |a, b| a.1.cmp(&b.1));
            fields
        })
        .unwrap_or_default();
    let tags: Vec<Tag> = ticket.tags.iter().cloned().collect();
    let priority = ticket.priority;
    let tiers: Vec<String> = state
        .with_workspace(|ws| ws.settings().escalation.iter().map(|tier| tier.name.clone()).collect())
        .unwrap_or_default();
    let level = usize::from(ticket.escalation);
    let escalation = (!tiers.is_empty()).then(|| {
        let current = level.checked_sub(1).and_then(|i| tiers.get(i)).cloned();
        let can_escalate = editable && level < tiers.len();
        view! {
            <div class="escalation field-actions">
                <span class="hint" data-escalation=level>
                    {move || match &current {
                        Some(tier) => (texts().rules.escalated_to)(tier),
                        None => texts().rules.not_escalated.to_owned(),
                    }}
                </span>
                {can_escalate.then(|| view! {
                    <button type="button" class="button button-secondary"
                        on:click=move |_| run(Box::new(move |ws, f| ws.escalate(f, id)))>
                        {tr(|t| t.rules.escalate)}
                    </button>
                })}
            </div>
        }
    });

    view! {
        <section class="card side-card" aria-labelledby="details-heading">
            <h2 id="details-heading">{tr(|t| t.details)}</h2>
            <div class="lifecycle" role="group" aria-label=tr(|t| t.lifecycle)>
                {moves.into_iter().map(|to| view! {
                    <button type="button" class="button button-secondary" disabled=!editable
                        on:click=move |_| run(Box::new(move |ws, f| ws.change_status(f, id, to)))>
                        {move || (texts().move_to)(to)}
                    </button>
                }).collect_view()}
            </div>
            <label class="field">
                <span>{tr(|t| t.assignee)}</span>
                <select disabled=!editable on:change=move |ev| {
                    let agent = event_target_value(&ev).parse::<AgentId>().ok();
                    run(Box::new(move |ws, f| ws.assign(f, id, agent)));
                }>
                    <option value="" selected=assignee.is_empty()>{tr(|t| t.unassigned)}</option>
                    {agents.into_iter().map(|(value, name)| {
                        view! { <option selected=value == assignee value=value>{name}</option> }
                    }).collect_view()}
                </select>
            </label>
            <div class="field-actions">
                {(editable && ticket.assignee != me && me.is_some()).then(|| view! {
                    <button type="button" class="button button-secondary" on:click=move |_| run(Box::new(move |ws, f| ws.claim(f, id)))>
                        {tr(|t| t.claim)}
                    </button>
                })}
                {(editable && has_assignee).then(|| view! {
                    <button type="button" class="button button-secondary" on:click=move |_| run(Box::new(move |ws, f| ws.assign(f, id, None)))>
                        {tr(|t| t.unassign)}
                    </button>
                })}
            </div>
            {escalation}
            <label class="field">
                <span>{move || (texts().column_name)(helpdesk_core::SortKey::Priority)}</span>
                <select disabled=!editable on:change=move |ev| {
                    if let Some(p) = Priority::parse(&event_target_value(&ev)) {
                        run(Box::new(move |ws, f| ws.edit_ticket(f, id, TicketEdit::Priority(p))));
                    }
                }>
                    {Priority::ALL.map(|p| view! {
                        <option value=p.as_str() selected=p == priority>{move || (texts().priority_name)(p)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{tr(|t| t.category)}</span>
                <select disabled=!editable on:change=move |ev| {
                    let category = event_target_value(&ev).parse().ok();
                    run(Box::new(move |ws, f| ws.edit_ticket(f, id, TicketEdit::Category(category))));
                }>
                    <option value="" selected=category.is_empty()>{tr(|t| t.none)}</option>
                    {categories.into_iter().map(|(value, name)| view! {
                        <option selected=value == category value=value>{name}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{tr(|t| t.team)}</span>
                <select disabled=!editable on:change=move |ev| {
                    let team = event_target_value(&ev).parse().ok();
                    run(Box::new(move |ws, f| ws.edit_ticket(f, id, TicketEdit::Team(team))));
                }>
                    <option value="" selected=team.is_empty()>{tr(|t| t.none)}</option>
                    {teams.into_iter().map(|(value, name)| view! {
                        <option selected=value == team value=value>{name}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{tr(|t| t.due)}</span>
                <input type="datetime-local" disabled=!editable value=due on:change=move |ev| {
                    let due = format::parse_date_input(&event_target_value(&ev));
                    run(Box::new(move |ws, f| ws.edit_ticket(f, id, TicketEdit::Due(due))));
                } />
            </label>
            {custom_fields.into_iter().map(|(field, name, kind, value)| {
                let set = move |value: Option<FieldValue>| {
                    run(Box::new(move |ws, f| ws.edit_ticket(f, id, TicketEdit::Custom { field, value })))
                };
                let text = value.as_ref().map(FieldValue::display).unwrap_or_default();
                let input = match kind {
                    FieldKind::Checkbox => view! {
                        <input type="checkbox" disabled=!editable checked=matches!(value, Some(FieldValue::Checkbox(true)))
                            on:change=move |ev| set(Some(FieldValue::Checkbox(event_target_checked(&ev)))) />
                    }.into_any(),
                    FieldKind::Choice { options } => view! {
                        <select disabled=!editable on:change=move |ev| {
                            let choice = event_target_value(&ev);
                            set((!choice.is_empty()).then_some(FieldValue::Choice(choice)));
                        }>
                            <option value="" selected=text.is_empty()>{tr(|t| t.none)}</option>
                            {options.into_iter().map(|option| view! {
                                <option selected=option == text value=option.clone()>{option.clone()}</option>
                            }).collect_view()}
                        </select>
                    }.into_any(),
                    kind => {
                        let input_type = match kind {
                            FieldKind::Number => "number",
                            FieldKind::Date => "date",
                            _ => "text",
                        };
                        // Committed when the field is left: on `change`, and on `blur` too,
                        // because a rebuild of the view between typing and leaving (another
                        // change landing) makes Chrome skip the `change`. Core turns an
                        // unchanged value into no op, so the blur after a change adds nothing;
                        // leaving the field as it was shown runs no command at all (its success
                        // would clear a refusal shown for something else, "fill in Model").
                        let shown = text.clone();
                        let commit = move |ev: leptos::ev::Event| {
                            let raw = event_target_value(&ev);
                            let raw = raw.trim();
                            if raw == shown {
                                return;
                            }
                            let value = match input_type {
                                _ if raw.is_empty() => None,
                                // The browser has parsed the number field already: asking it
                                // (`valueAsNumber`) instead of `str::parse::<f64>` keeps core's
                                // float parser and its 10 KB table of powers of five out of
                                // the wasm (docs/size.md). NaN means the text is no number.
                                "number" => {
                                    let number = event_target::<web_sys::HtmlInputElement>(&ev).value_as_number();
                                    number.is_finite().then_some(FieldValue::Number(number))
                                }
                                "date" => Some(FieldValue::Date(raw.to_owned())),
                                _ => Some(FieldValue::Text(raw.to_owned())),
                            };
                            set(value);
                        };
                        view! {
                            <input type=input_type disabled=!editable value=text
                                on:change=commit.clone() on:blur=move |ev| commit(ev.into()) />
                        }.into_any()
                    }
                };
                view! {
                    <label class="field">
                        <span>{name}</span>
                        {input}
                    </label>
                }
            }).collect_view()}
            <div class="field">
                <span>{tr(|t| t.tags)}</span>
                <ul class="tag-list">
                    {tags.into_iter().map(|tag| {
                        let label = tag.to_string();
                        let remove_label = label.clone();
                        view! {
                            <li class="tag">
                                {label}
                                {editable.then(|| view! {
                                    <button type="button" class="tag-remove"
                                        aria-label=move || (texts().remove_tag)(&remove_label)
                                        on:click={
                                            let tag = tag.clone();
                                            move |_| {
                                                let tag = tag.clone();
                                                run(Box::new(move |ws, f| ws.remove_tag(f, id, &tag)))
                                            }
                                        }>
                                        "×"
                                    </button>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <Show when=move || editable>
                    <form class="inline-form" on:submit=move |ev| {
                        ev.prevent_default();
                        let raw = tag_text.get_untracked();
                        if raw.trim().is_empty() { return; }
                        tag_text.set(String::new());
                        run(Box::new(move |ws, f| ws.add_tags(f, id, &[raw])));
                    }>
                        <input type="text" aria-label=tr(|t| t.add_tag) placeholder=tr(|t| t.tag_placeholder)
                            prop:value=tag_text on:input=move |ev| tag_text.set(event_target_value(&ev)) />
                        <button type="submit" class="button button-secondary">{tr(|t| t.add_tag)}</button>
                    </form>
                </Show>
            </div>
        </section>
    }
}

type BoxedCommand = Box<
    dyn FnOnce(&Workspace, &mut helpdesk_core::OpFactory<'_>) -> helpdesk_core::CommandResult<Vec<helpdesk_core::Op>>,
>;

async fn run_command(state: AppState, command: BoxedCommand, error: RwSignal<Option<String>>) {
    match state.execute(command).await {
        Ok(_) => error.set(None),
        Err(failure) => error.set(Some(state.lang.get_untracked().texts().desk_error(&failure))),
    }
}

/// Merged and related tickets: where this one went, what came into it, what it is linked to, and
/// the form to link or merge by ticket number.
#[component]
fn LinksPanel(ticket: Ticket, ui: TicketUi) -> impl IntoView {
    let state = use_app_state();
    let id = ticket.id;
    let error = ui.error;
    let number_text = ui.link_number;
    let describe = move |other: TicketId| {
        state
            .with_workspace(|ws| ws.summary(other).map(|t| (ws.display_number(t), t.subject.clone())))
            .flatten()
            .unwrap_or_else(|| (other.to_string(), String::new()))
    };
    let merged_into = ticket.merged_into.map(describe);
    let merged_from: Vec<(String, String)> = ticket.merged_from.iter().map(|other| describe(*other)).collect();
    let links: Vec<(TicketId, helpdesk_core::LinkKind, String, String)> = ticket
        .links
        .iter()
        .map(|(other, kind)| {
            let (number, subject) = describe(*other);
            (*other, *kind, number, subject)
        })
        .collect();
    // Resolves the typed number; shows why not when it does not resolve.
    let target = move || -> Option<(TicketId, String)> {
        let typed = number_text.get_untracked();
        let found = state
            .with_workspace(|ws| ws.ticket_by_display_number(&typed).map(|t| (t.id, ws.display_number(t))))
            .flatten();
        if found.is_none() {
            error.set(Some((state.texts_untracked().number_unknown)(typed.trim())));
        }
        found
    };
    let link = move |_| {
        if let Some((other, _)) = target() {
            number_text.set(String::new());
            leptos::task::spawn_local(run_command(state, Box::new(move |ws, f| ws.link(f, id, other)), error));
        }
    };
    let merge = move |_| {
        let Some((other, number)) = target() else { return };
        let question = (state.texts_untracked().merge_confirm)(&number);
        let confirmed = web_sys::window().and_then(|w| w.confirm_with_message(&question).ok()).unwrap_or(false);
        if confirmed {
            number_text.set(String::new());
            leptos::task::spawn_local(run_command(state, Box::new(move |ws, f| ws.merge(f, id, other)), error));
        }
    };
    let editable = ticket.is_editable() && ticket.merged_into.is_none();
    view! {
        <section class="card side-card" aria-labelledby="links-heading">
            <h2 id="links-heading">{tr(|t| t.links_heading)}</h2>
            {merged_into.map(|(number, subject)| view! {
                <p class="banner banner-info">
                    {tr(|t| t.merged_into_banner)}" "
                    <A href=ticket_path(&number)>{number.clone()}" "{subject}</A>
                </p>
            })}
            {(!merged_from.is_empty()).then(|| view! {
                <p>{tr(|t| t.merged_from)}</p>
                <ul class="other-tickets">
                    {merged_from.into_iter().map(|(number, subject)| view! {
                        <li><A href=ticket_path(&number)>{number.clone()}" "{subject}</A></li>
                    }).collect_view()}
                </ul>
            })}
            <ul class="other-tickets">
                {links.into_iter().map(|(other, kind, number, subject)| {
                    let label = number.clone();
                    view! {
                        <li>
                            <A href=ticket_path(&number)>{number.clone()}" "{subject}</A>
                            " "<span class="hint">{move || (state.texts().link_kind_name)(kind)}</span>
                            <button type="button" class="tag-remove"
                                aria-label=move || (state.texts().unlink)(&label)
                                on:click=move |_| leptos::task::spawn_local(
                                    run_command(state, Box::new(move |ws, f| ws.unlink(f, id, other)), error)
                                )>
                                "×"
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || editable>
                <div class="inline-form">
                    <input type="text" inputmode="numeric" aria-label=tr(|t| t.ticket_number) placeholder="#"
                        prop:value=number_text on:input=move |ev| number_text.set(event_target_value(&ev)) />
                    <button type="button" class="button button-secondary" on:click=link>{tr(|t| t.link_button)}</button>
                </div>
                <button type="button" class="button button-secondary" on:click=merge>{tr(|t| t.merge_button)}</button>
            </Show>
        </section>
    }
}

/// The ticket's SLA: the policy that applies and each of its targets, counting down live.
#[component]
fn SlaPanel(ticket: TicketId) -> impl IntoView {
    let state = use_app_state();
    let sla = move || {
        state.now.track();
        let book = state.sla.get();
        let now = now_ms();
        state
            .with_workspace(|ws| {
                let summary = ws.summary(ticket)?;
                let sla = ws.sla_state(&book, summary, now)?;
                let name = ws.settings().sla_policies.get(&sla.policy).map(|p| p.name.clone()).unwrap_or_default();
                Some((name, sla, now))
            })
            .flatten()
    };
    let has_policies = move || !state.sla.get().is_empty();
    view! {
        <Show when=has_policies>
            <section class="card side-card sla-panel" aria-labelledby="sla-heading">
                <h2 id="sla-heading">{move || state.texts().sla.panel_heading}</h2>
                {move || {
                    let texts = state.texts().sla;
                    let lang = state.lang.get();
                    match sla() {
                        None => view! { <p class="hint">{texts.no_policy}</p> }.into_any(),
                        Some((name, sla, now)) => view! {
                            <p class="hint">{(texts.policy)(&name)}</p>
                            <ul class="sla-metrics">
                                {sla.metrics.into_iter().map(|metric| {
                                    let counting = if metric.target.business_hours { texts.business_hours } else { texts.calendar_time };
                                    let target = format!("{} ({counting})", (texts.duration)(metric.target.ms()));
                                    let when = match (metric.completed_at, metric.due_at, metric.status) {
                                        (Some(done), _, _) => (texts.done_at)(&format::date_time(lang, done)),
                                        (None, Some(due), helpdesk_core::sla::MetricStatus::Breached) => (texts.breached_at)(&format::date_time(lang, due)),
                                        (None, Some(due), _) => (texts.due_at)(&format::date_time(lang, due)),
                                        (None, None, _) => String::new(),
                                    };
                                    view! {
                                        <li class="sla-metric" data-metric=metric.metric.as_str()>
                                            <div class="sla-metric-head">
                                                <strong>{(texts.metric_name)(metric.metric)}</strong>
                                                <span class=format!("badge sla sla-{}", metric.status.as_str())>
                                                    {(texts.status_name)(metric.status)}
                                                </span>
                                            </div>
                                            // A finished or stopped metric is told by its badge alone.
                                            {(metric.is_running() || metric.status == helpdesk_core::sla::MetricStatus::Paused)
                                                .then(|| view! { <p>{metric_summary(texts, &metric, now)}</p> })}
                                            <p class="hint">{(texts.elapsed_of)(&(texts.duration)(metric.elapsed_ms), &target)}</p>
                                            {(!when.is_empty()).then(|| view! { <p class="hint">{when}</p> })}
                                            {(metric.paused_ms > 0).then(|| view! {
                                                <p class="hint">{(texts.paused_for)(&(texts.duration)(metric.paused_ms))}</p>
                                            })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                }}
            </section>
        </Show>
    }
}

#[component]
fn RequesterPanel(ticket: Ticket) -> impl IntoView {
    let state = use_app_state();
    let data = state.with_workspace(|ws| {
        let customer = ws.customer(ticket.requester).map(|c| c.profile.clone());
        let mut others: Vec<(String, String, Status)> = ws
            .tickets_of_customer(ticket.requester)
            .into_iter()
            .filter(|t| t.id != ticket.id)
            .map(|t| (ws.display_number(t), t.subject.clone(), t.status))
            .collect();
        // tickets_of_customer lists newest first.
        others.truncate(20);
        (customer, others)
    });
    let (customer, others) = data.unwrap_or_default();
    view! {
        <section class="card side-card" aria-labelledby="requester-heading">
            <h2 id="requester-heading">{tr(|t| t.requester)}</h2>
            {customer.map(|c| view! {
                <p class="requester-name">
                    <A href=format!("/customers/{}", ticket.requester)><strong>{c.name.clone()}</strong></A>
                </p>
                <p class="hint">{c.emails.iter().map(|e| e.to_string()).collect::<Vec<_>>().join(", ")}</p>
                {(!c.organisation.is_empty()).then(|| view! { <p class="hint">{c.organisation.clone()}</p> })}
            })}
            <h3>{tr(|t| t.other_tickets)}</h3>
            {if others.is_empty() {
                view! { <p class="hint">{tr(|t| t.no_other_tickets)}</p> }.into_any()
            } else {
                view! {
                    <ul class="other-tickets">
                        {others.into_iter().map(|(number, subject, status)| view! {
                            <li>
                                <A href=ticket_path(&number)>{number.clone()}" "{subject}</A>
                                " "<StatusBadge status=status />
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn HistoryList(ticket: TicketId) -> impl IntoView {
    let state = use_app_state();
    let entries = move || state.with_workspace(|ws| ws.ticket_history(ticket)).unwrap_or_default();
    view! {
        <ol class="history">
            {move || {
                let lang = state.lang.get();
                let texts = lang.texts();
                entries().into_iter().rev().map(|entry| {
                    let (who, what) = state
                        .with_workspace(|ws| (actor_name(ws, entry.actor, texts), describe(ws, texts, &entry)))
                        .unwrap_or_default();
                    view! {
                        <li>
                            <time class="hint">{format::date_time(lang, entry.at_ms)}</time>
                            " "<strong>{who}</strong>" "{what}
                        </li>
                    }
                }).collect_view()
            }}
        </ol>
    }
}

/// One audit-trail entry in words.
fn describe(ws: &Workspace, t: &crate::i18n::Texts, entry: &HistoryEntry) -> String {
    let none = || t.none.to_owned();
    let agent = |id: Option<AgentId>| id.and_then(|id| ws.agent(id)).map_or_else(none, |a| a.profile.name.clone());
    let number = |id: TicketId| ws.summary(id).map_or_else(|| id.to_string(), |s| ws.display_number(s));
    match &entry.change {
        Change::Created { .. } => t.h_created.to_owned(),
        Change::Subject { from, to } => (t.h_changed)(t.subject, from, to),
        Change::Description { .. } => (t.h_changed)(t.description, "…", "…"),
        Change::Status { from, to, cause } => {
            let mut text = (t.h_changed)(
                (t.column_name)(helpdesk_core::SortKey::Status),
                (t.status_name)(*from),
                (t.status_name)(*to),
            );
            match cause {
                StatusCause::CustomerReply => text = format!("{text} {}", t.h_by_reply),
                StatusCause::Assignment => text = format!("{text} {}", t.h_by_assignment),
                _ => {}
            }
            text
        }
        Change::Priority { from, to } => (t.h_changed)(
            (t.column_name)(helpdesk_core::SortKey::Priority),
            (t.priority_name)(*from),
            (t.priority_name)(*to),
        ),
        Change::Category { from, to } => {
            let name = |id: &Option<helpdesk_core::CategoryId>| {
                id.and_then(|id| ws.category(id)).map_or_else(none, |c| c.profile.name.clone())
            };
            (t.h_changed)(t.category, &name(from), &name(to))
        }
        Change::Assignee { from, to } => {
            (t.h_changed)((t.column_name)(helpdesk_core::SortKey::Assignee), &agent(*from), &agent(*to))
        }
        Change::Team { from, to } => {
            let name = |id: &Option<helpdesk_core::TeamId>| {
                id.and_then(|id| ws.team(id)).map_or_else(none, |x| x.profile.name.clone())
            };
            (t.h_changed)(t.team, &name(from), &name(to))
        }
        Change::Due { from, to } => {
            let date = |ms: &Option<u64>| ms.map_or_else(none, |ms| format::date_time(crate::i18n::Lang::En, ms));
            (t.h_changed)(t.due, &date(from), &date(to))
        }
        Change::Requester { from, to } => {
            let name = |id: &helpdesk_core::CustomerId| ws.customer(*id).map_or_else(none, |c| c.profile.name.clone());
            (t.h_changed)(t.requester, &name(from), &name(to))
        }
        Change::Language { from, to } => {
            (t.h_changed)(t.language_field, from.as_deref().unwrap_or(t.none), to.as_deref().unwrap_or(t.none))
        }
        Change::CustomField { field, from, to } => {
            let value = |value: &Option<FieldValue>| match value {
                None => none(),
                Some(FieldValue::Checkbox(on)) => (if *on { t.yes } else { t.no }).to_owned(),
                Some(value) => value.display(),
            };
            // Fields are switched off, never removed, so an old change still has its name.
            let name = ws.field(*field).map_or(t.custom_field, |def| def.profile.name.as_str());
            (t.h_changed)(name, &value(from), &value(to))
        }
        Change::TagAdded(tag) => (t.h_tag_added)(tag.as_str()),
        Change::TagRemoved(tag) => (t.h_tag_removed)(tag.as_str()),
        Change::Message { kind, .. } => (t.h_message)(*kind).to_owned(),
        Change::MergedInto(other) => (t.h_merged_into)(&number(*other)),
        Change::Absorbed(other) => (t.h_absorbed)(&number(*other)),
        Change::Linked { other, .. } => (t.h_linked)(&number(*other)),
        Change::Unlinked { other } => (t.h_unlinked)(&number(*other)),
        Change::SlaPolicy { to, .. } => {
            let name = to.and_then(|id| ws.settings().sla_policies.get(&id)).map_or_else(none, |p| p.name.clone());
            (t.rules.h_sla_policy)(&name)
        }
        Change::Escalation { to, .. } => {
            let tier = usize::from(*to).checked_sub(1).and_then(|i| ws.settings().escalation.get(i));
            (t.rules.h_escalation)(&tier.map_or_else(|| to.to_string(), |tier| tier.name.clone()))
        }
        Change::TimerFired { .. } => t.rules.h_timer.to_owned(),
        Change::Rejected(_) => t.h_rejected.to_owned(),
    }
}
