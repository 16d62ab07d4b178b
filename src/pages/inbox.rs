//! The inbox: every ticket the team is working, as queues with sorting, bulk actions and
//! keyboard navigation; and the ticket table it is built from, which search results reuse.
//!
//! Only the rows in view are in the DOM (about 30 of 100,000): the list is a tall spacer, and
//! the rows under the viewport are re-rendered as it scrolls. Rows have a fixed height per
//! layout, which is what makes "which rows are visible" a division instead of a measurement.

use std::collections::HashSet;

use helpdesk_core::{
    AgentId, CommandError, OpFactory, Plan, Priority, QuickFilter, SortKey, SortedQueue, Status, Tag, TicketId,
    TicketSummary, Workspace,
};
use leptos::either::Either;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::components::{Highlighted, PriorityBadge, SlaBadge, StatusBadge};
use crate::format;
use crate::i18n::tr;
use crate::platform::now_ms;
use crate::state::{AppState, use_app_state};

/// Row heights in px; must match `.ticket-row` in style/main.css.
const ROW_HEIGHT_WIDE: f64 = 44.0;
const ROW_HEIGHT_NARROW: f64 = 76.0;
/// Below this viewport width the rows become two-line cards (the CSS breakpoint).
const NARROW_MAX_WIDTH: f64 = 720.0;
/// Rows rendered above and below the viewport so fast scrolling does not show blanks.
const OVERSCAN: usize = 8;
/// How long the list must be still before the conversations in view are read ahead.
const READ_AHEAD_AFTER: std::time::Duration = std::time::Duration::from_millis(300);

/// One rendered row: everything it shows, resolved from the workspace. Compared whole, so a
/// ticket changed by someone else (another tab, a rule) updates its row where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    index: usize,
    id: TicketId,
    number: String,
    subject: String,
    /// Byte ranges of the subject a search matched.
    subject_marks: Vec<std::ops::Range<usize>>,
    requester: String,
    status: Status,
    priority: Priority,
    assignee: Option<String>,
    category: Option<String>,
    updated_at: u64,
    due_ms: Option<u64>,
}

impl Row {
    fn new(ws: &Workspace, index: usize, ticket: &TicketSummary, marks: Option<&Plan>) -> Row {
        Row {
            index,
            id: ticket.id,
            number: ws.display_number(ticket),
            subject: ticket.subject.clone(),
            subject_marks: marks.map(|plan| plan.highlight(&ticket.subject)).unwrap_or_default(),
            requester: ws.customer(ticket.requester).map(|c| c.profile.name.clone()).unwrap_or_default(),
            status: ticket.status,
            priority: ticket.priority,
            assignee: ticket.assignee.and_then(|a| ws.agent(a)).map(|a| a.profile.name.clone()),
            category: ticket.category.and_then(|c| ws.category(c)).map(|c| c.profile.name.clone()),
            updated_at: ticket.updated_at,
            due_ms: ticket.due_ms,
        }
    }
}

/// The rows in view, and how many fit (the viewport plus overscan).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Visible {
    capacity: usize,
    rows: Vec<Row>,
}

impl Visible {
    /// Each row's slot: its index modulo the capacity. A slot keeps its DOM row while what it
    /// shows changes: switching queues or sorting rewrites the text of the rows in place, and a
    /// scroll by one row moves one row element from one end to the other (the row with slot
    /// `i % capacity` leaves as the one with `(i + capacity) % capacity` comes).
    fn slots(&self) -> Vec<(usize, Row)> {
        self.rows.iter().map(|row| (row.index % self.capacity, row.clone())).collect()
    }
}

/// What the row in `slot` shows now (`first`: what it showed when created; it keeps its last
/// row while it is on its way out).
fn visible_row(visible: Memo<Visible>, slot: usize, first: Row) -> Memo<Row> {
    Memo::new(move |previous: Option<&Row>| {
        visible
            .with(|v| v.rows.iter().find(|row| row.index % v.capacity == slot).cloned())
            .or_else(|| previous.cloned())
            .unwrap_or_else(|| first.clone())
    })
}

/// The path of a ticket's page: `/tickets/1042` (`#1042-2` → `/tickets/1042-2`).
pub fn ticket_path(display_number: &str) -> String {
    format!("/tickets/{}", display_number.trim_start_matches('#'))
}

/// The inbox page. `active`: whether it is on screen; the app keeps it mounted while other pages
/// are open, and a hidden inbox freezes its lists (see `crate::app::KeptInbox`).
#[component]
pub fn InboxPage(#[prop(into)] active: Signal<bool>) -> impl IntoView {
    let state = use_app_state();
    let texts = move || state.texts();
    let query = state.inbox;
    // Sorting 100,000 tickets takes milliseconds; picking a quick filter's tickets out of a
    // sorted list that knows each ticket's filters takes one. The sorted list (and the counts)
    // change with the column, the agent and the data, and outlive this page; switching filters
    // only picks.
    let filter = Memo::new(move |_| query.with(|q| q.filter));
    let sorted = state.inbox_sorted;
    // (Hidden, the sorted list stays as it was: see `AppState::inbox_shown`.)
    let queue = Memo::new(move |_| {
        let filter = filter.get();
        sorted.with(|sorted| sorted.filter(filter))
    });
    let counts = Memo::new(move |_| sorted.with(SortedQueue::counts));
    let selected = RwSignal::new(HashSet::<TicketId>::new());
    // Changing the queue starts at its top, with nothing selected.
    let list_key = Signal::derive(move || filter.get().as_str().to_owned());

    view! {
        <div class="inbox">
            <header class="inbox-header">
                <h1>{tr(|t| t.nav_inbox)}</h1>
                <A href="/tickets/new" attr:class="button">
                    {tr(|t| t.new_ticket)}
                </A>
            </header>
            <nav class="queue-tabs" aria-label=tr(|t| t.queues)>
                {QuickFilter::ALL
                    .map(|filter| {
                        let current = move || query.with(|q| q.filter == filter);
                        view! {
                            <button
                                type="button"
                                class="queue-tab"
                                aria-pressed=move || current().to_string()
                                on:click=move |_| query.update(|q| q.filter = filter)
                            >
                                <span>{move || (texts().filter_name)(filter)}</span>
                                <span class="queue-count">
                                    {move || format::count(state.lang.get(), counts.get().get(filter))}
                                </span>
                            </button>
                        }
                    })
                    .collect_view()}
            </nav>
            <BulkBar selected=selected />
            <p class="hint inbox-summary" aria-live="polite">
                {move || (texts().tickets_shown)(&format::count(state.lang.get(), queue.with(Vec::len)))}
                <span class="keyboard-hint">" · "{tr(|t| t.keyboard_hint)}</span>
            </p>
            <TicketTable
                ids=queue
                selected=selected
                list_key=list_key
                label=tr(|t| t.ticket_list)
                headers=ColumnHeaders::Sortable
                active=active
            />
        </div>
    }
}

/// How a [`TicketTable`]'s column headers behave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnHeaders {
    /// Headers sort the inbox (its order lives in the app state).
    Sortable,
    /// Plain headers: the order comes from elsewhere (a search's sort).
    Fixed,
}

/// A virtualised table of tickets: only the rows in view are in the DOM, j/k/Enter/x work on
/// it, and the selection feeds the bulk actions. `list_key` names the list: when it changes the
/// table starts again at the top with nothing selected. With `marks`, subjects show what a
/// search matched. While not `active` (a kept page that is hidden) it ignores the keyboard and
/// keeps its rows; shown again, it puts the scroll position back and focuses the cursor row.
#[component]
pub fn TicketTable(
    ids: Memo<Vec<TicketId>>,
    selected: RwSignal<HashSet<TicketId>>,
    #[prop(into)] list_key: Signal<String>,
    #[prop(into)] label: Signal<&'static str>,
    headers: ColumnHeaders,
    #[prop(optional, into)] marks: Option<Signal<Option<Plan>>>,
    #[prop(optional, into)] active: Option<Signal<bool>>,
) -> impl IntoView {
    let state = use_app_state();
    let active = active.unwrap_or(Signal::stored(true));
    let cursor = RwSignal::new(0usize);
    let scroll_top = RwSignal::new(0.0f64);
    let viewport_height = RwSignal::new(600.0f64);
    let narrow = RwSignal::new(is_narrow());
    let scroller = NodeRef::<leptos::html::Div>::new();
    let row_height = move || if narrow.get() { ROW_HEIGHT_NARROW } else { ROW_HEIGHT_WIDE };

    Effect::new(move |previous: Option<String>| {
        let current = list_key.get();
        if previous.is_some_and(|previous| previous != current) {
            selected.set(HashSet::new());
            cursor.set(0);
            // Setting scrollTop forces a layout in the middle of the update; at the top already
            // (the usual case) that layout is wasted.
            if scroll_top.get_untracked() > 0.0
                && let Some(scroller) = scroller.get_untracked()
            {
                scroller.set_scroll_top(0);
            }
        }
        current
    });

    let measure = move || {
        // Hidden, the scroller measures 0 × 0; the last real measurements stay.
        if !active.get_untracked() {
            return;
        }
        if let Some(scroller) = scroller.get_untracked() {
            scroll_top.set(f64::from(scroller.scroll_top()));
            viewport_height.set(f64::from(scroller.client_height()).max(1.0));
        }
        narrow.set(is_narrow());
    };
    Effect::new(move |_| {
        if scroller.get().is_some() {
            measure();
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());
    // Shown again: put the scroll position back (a browser without content-visibility hides the
    // page with `display: none`, which forgets it), then measure for a window resized meanwhile.
    Effect::new(move |before: Option<bool>| {
        let now = active.get();
        if now
            && before == Some(false)
            && let Some(scroller) = scroller.get_untracked()
        {
            let top = scroll_top.get_untracked();
            if top > 0.0 {
                scroller.set_scroll_top(top as i32);
            }
            measure();
            focus_row(&scroller, cursor.get_untracked());
        }
        now
    });

    let visible = Memo::new(move |_| {
        let height = row_height();
        let top = (scroll_top.get() / height) as usize;
        let in_view = (viewport_height.get() / height).ceil() as usize;
        // Slots for the most rows ever rendered at once (overscan on both sides)...
        let capacity = in_view + 2 * OVERSCAN;
        // ...but none above the first row: at the top of the list, where every list starts,
        // that saves a quarter of the first render.
        let first = top.saturating_sub(OVERSCAN);
        let plan = marks.and_then(|marks| marks.get());
        ids.with(|ids| {
            let last = (top + in_view + OVERSCAN).min(ids.len());
            let first = first.min(last);
            let rows = state
                .with_workspace(|ws| {
                    ids[first..last]
                        .iter()
                        .enumerate()
                        .filter_map(|(offset, id)| {
                            ws.summary(*id).map(|ticket| Row::new(ws, first + offset, ticket, plan.as_ref()))
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            Visible { capacity, rows }
        })
    });

    // Once the list has been still for a moment, read the conversations of the rows in view
    // (top first): opening a ticket from the list then renders at once.
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        let first_in_view = (scroll_top.get() / row_height()) as usize;
        let in_view = (viewport_height.get() / row_height()).ceil() as usize;
        let tickets: Vec<TicketId> = visible
            .with(|v| v.rows.iter().filter(|row| row.index >= first_in_view).take(in_view).map(|row| row.id).collect());
        generation.update_value(|g| *g += 1);
        let this = generation.get_value();
        set_timeout(
            move || {
                let Some(session) = state.session() else { return };
                let still_wanted = move || generation.try_get_value() == Some(this);
                if still_wanted() {
                    leptos::task::spawn_local(async move { session.read_ahead(tickets, still_wanted).await });
                }
            },
            READ_AHEAD_AFTER,
        );
    });

    let navigate = use_navigate();
    let open_at = move |index: usize| {
        let id = ids.with_untracked(|ids| ids.get(index).copied());
        let path = id.and_then(|id| state.with_workspace(|ws| ws.summary(id).map(|t| ws.display_number(t))).flatten());
        if let Some(number) = path {
            navigate(&ticket_path(&number), Default::default());
        }
    };
    let move_cursor = move |to: usize| {
        let len = ids.with_untracked(Vec::len);
        if len == 0 {
            return;
        }
        let to = to.min(len - 1);
        cursor.set(to);
        // Keep the cursor row in view, and give it the focus.
        if let Some(scroller) = scroller.get_untracked() {
            let height = row_height();
            let top = to as f64 * height;
            let view_top = f64::from(scroller.scroll_top());
            let view_height = f64::from(scroller.client_height());
            if top < view_top {
                scroller.set_scroll_top(top as i32);
            } else if top + height > view_top + view_height {
                scroller.set_scroll_top((top + height - view_height) as i32);
            }
            focus_row(&scroller, to);
        }
    };
    let toggle = move |id: TicketId| {
        selected.update(|selected| {
            if !selected.remove(&id) {
                selected.insert(id);
            }
        })
    };
    let keys = window_event_listener(leptos::ev::keydown, {
        let open_at = open_at.clone();
        move |event| {
            if !active.get_untracked()
                || event.ctrl_key()
                || event.meta_key()
                || event.alt_key()
                || typing_in_field(&event)
            {
                return;
            }
            match event.key().as_str() {
                "j" | "ArrowDown" => {
                    event.prevent_default();
                    move_cursor(cursor.get_untracked() + 1);
                }
                "k" | "ArrowUp" => {
                    event.prevent_default();
                    move_cursor(cursor.get_untracked().saturating_sub(1));
                }
                "Enter" if on_row(&event) || !focus_in_control(&event) => {
                    event.prevent_default();
                    open_at(cursor.get_untracked());
                }
                "x" => {
                    if let Some(id) = ids.with_untracked(|ids| ids.get(cursor.get_untracked()).copied()) {
                        toggle(id);
                    }
                }
                _ => {}
            }
        }
    });
    on_cleanup(move || keys.remove());

    let total_height = move || ids.with(Vec::len) as f64 * row_height();
    let offset = move || visible.with(|v| v.rows.first().map_or(0.0, |row| row.index as f64 * row_height()));
    let all_selected = move || {
        let count = selected.with(HashSet::len);
        count > 0 && count == ids.with(Vec::len)
    };
    let select_all = move |ev: leptos::ev::Event| {
        if event_target_checked(&ev) {
            selected.set(ids.get_untracked().into_iter().collect());
        } else {
            selected.set(HashSet::new());
        }
    };
    let header = move |key: SortKey, class: &'static str| match headers {
        ColumnHeaders::Sortable => view! { <SortHeader key=key class=class /> }.into_any(),
        ColumnHeaders::Fixed => view! {
            <span class=class role="columnheader">{move || (state.texts().column_name)(key)}</span>
        }
        .into_any(),
    };

    view! {
        <div
            class="ticket-table"
            role="table"
            aria-label=label
            aria-rowcount=move || (ids.with(Vec::len) + 1).to_string()
        >
            <div class="ticket-row ticket-head" role="row" aria-rowindex="1">
                <span class="cell-select" role="columnheader">
                    <input
                        type="checkbox"
                        aria-label=tr(|t| t.select_all)
                        prop:checked=all_selected
                        on:change=select_all
                    />
                </span>
                {[
                    (SortKey::Number, "cell-number"),
                    (SortKey::Subject, "cell-subject"),
                    (SortKey::Requester, "cell-requester"),
                    (SortKey::Status, "cell-status"),
                    (SortKey::Priority, "cell-priority"),
                    (SortKey::Assignee, "cell-assignee"),
                ]
                    .map(|(key, class)| header(key, class))
                    .collect_view()}
                <span class="cell-category" role="columnheader">{tr(|t| t.category)}</span>
                {header(SortKey::Updated, "cell-updated")}
                {header(SortKey::Due, "cell-due")}
                <span class="cell-sla" role="columnheader">{move || state.texts().sla.column}</span>
            </div>
            <div
                class="ticket-scroller"
                node_ref=scroller
                on:scroll=move |_| measure()
            >
                <div class="ticket-spacer" style:height=move || format!("{}px", whole_px(total_height()))>
                    <div
                        class="ticket-rows"
                        role=move || if ids.with(Vec::is_empty) { "presentation" } else { "rowgroup" }
                        style:transform=move || format!("translateY({}px)", whole_px(offset()))
                    >
                        <For each=move || visible.with(Visible::slots) key=|(slot, _)| *slot let((slot, first))>
                            <TicketRow row=visible_row(visible, slot, first) selected=selected cursor=cursor toggle=toggle />
                        </For>
                    </div>
                </div>
                <Show when=move || ids.with(Vec::is_empty)>
                    <p class="empty-state queue-empty">{tr(|t| t.empty_queue)}</p>
                </Show>
            </div>
        </div>
    }
}

#[component]
fn SortHeader(key: SortKey, class: &'static str) -> impl IntoView {
    let state = use_app_state();
    let query = state.inbox;
    let sorted = move || query.with(|q| (q.sort == key).then_some(q.descending));
    let aria_sort = move || match sorted() {
        Some(true) => "descending",
        Some(false) => "ascending",
        None => "none",
    };
    let click = move |_| {
        query.update(|q| {
            if q.sort == key {
                q.descending = !q.descending;
            } else {
                q.sort = key;
                q.descending = key.default_descending();
            }
        })
    };
    view! {
        <span class=class role="columnheader" aria-sort=aria_sort>
            <button type="button" class="sort-button" on:click=click>
                {move || (state.texts().column_name)(key)}
                <span aria-hidden="true" class="sort-mark">
                    {move || match sorted() {
                        Some(true) => "↓",
                        Some(false) => "↑",
                        None => "",
                    }}
                </span>
            </button>
        </span>
    }
}

#[component]
fn TicketRow(
    row: Memo<Row>,
    selected: RwSignal<HashSet<TicketId>>,
    cursor: RwSignal<usize>,
    toggle: impl Fn(TicketId) + Copy + 'static,
) -> impl IntoView {
    let state = use_app_state();
    let texts = move || state.texts();
    // Every cell reads its own field of the slot's row: a slot showing another ticket re-runs
    // them, and the DOM changes only where a text or attribute differs (text is compared first).
    let index = move || row.with(|r| r.index);
    let id = Signal::derive(move || row.with(|r| r.id));
    let number = move || row.with(|r| r.number.clone());
    let status = Signal::derive(move || row.with(|r| r.status));
    let priority = Signal::derive(move || row.with(|r| r.priority));
    let requester = move || row.with(|r| r.requester.clone());
    let assignee_text = move || row.with(|r| r.assignee.clone()).unwrap_or_else(|| texts().unassigned.to_owned());
    let updated_at = move || row.with(|r| r.updated_at);
    let due_ms = move || row.with(|r| r.due_ms);
    let is_selected = move || selected.with(|s| s.contains(&id.get()));
    let is_cursor = move || cursor.get() == index();
    // The row outlives many tickets, so relative dates follow the app's clock tick.
    let now = move || {
        state.now.track();
        now_ms()
    };
    let overdue = move || status.get().is_open() && due_ms().is_some_and(|due| due < now());
    let subject = move || {
        row.with(|r| {
            if r.subject_marks.is_empty() {
                Either::Left(r.subject.clone())
            } else {
                Either::Right(view! { <Highlighted text=r.subject.clone() marks=r.subject_marks.clone() /> })
            }
        })
    };
    view! {
        <div
            class="ticket-row"
            class:selected=is_selected
            class:cursor=is_cursor
            role="row"
            aria-rowindex=move || (index() + 2).to_string()
            aria-selected=move || is_selected().to_string()
            data-row=move || index().to_string()
            tabindex=move || if is_cursor() { "0" } else { "-1" }
            on:focus=move |_| cursor.set(row.with_untracked(|r| r.index))
        >
            <span class="cell-select" role="cell">
                <input
                    type="checkbox"
                    aria-label=move || (texts().select_ticket)(&number())
                    prop:checked=is_selected
                    on:change=move |_| toggle(id.get_untracked())
                />
            </span>
            <span class="cell-number" role="cell">{number}</span>
            // Titles show the whole text of cells cut off at narrow widths.
            <span class="cell-subject" role="cell">
                <a
                    href=move || crate::app::href(&ticket_path(&number()))
                    tabindex="-1"
                    title=move || row.with(|r| r.subject.clone())
                >
                    {subject}
                </a>
            </span>
            <span class="cell-requester" role="cell" title=requester>
                {requester}
            </span>
            <span class="cell-status" role="cell"><StatusBadge status=status /></span>
            <span class="cell-priority" role="cell"><PriorityBadge priority=priority /></span>
            <span
                class="cell-assignee"
                role="cell"
                class:muted=move || row.with(|r| r.assignee.is_none())
                title=assignee_text
            >
                {assignee_text}
            </span>
            <span class="cell-category" role="cell">{move || row.with(|r| r.category.clone())}</span>
            <span class="cell-updated" role="cell" title=move || format::date_time(state.lang.get(), updated_at())>
                {move || format::relative(state.lang.get(), updated_at(), now())}
            </span>
            <span class="cell-due" role="cell" class:overdue=overdue>
                {move || due_ms().map(|due| format::short_date(state.lang.get(), due, now()))}
            </span>
            <span class="cell-sla" role="cell"><SlaBadge ticket=id /></span>
        </div>
    }
}

/// The actions on the selected tickets. Each action is one transaction: tickets the change does
/// not apply to (a closed ticket, an illegal move) are left as they were and counted.
#[component]
pub fn BulkBar(selected: RwSignal<HashSet<TicketId>>) -> impl IntoView {
    let state = use_app_state();
    let texts = move || state.texts();
    let message = RwSignal::new(None::<(bool, String)>);
    let tag = RwSignal::new(String::new());
    let agents = move || state.with_workspace(crate::options::agents).unwrap_or_default();
    let run = move |action: BulkAction| {
        let ids: Vec<TicketId> = selected.get_untracked().into_iter().collect();
        leptos::task::spawn_local(bulk(state, ids, action, message));
    };
    view! {
        <Show when=move || !selected.with(HashSet::is_empty)>
            <div class="bulk-bar" role="region" aria-label=tr(|t| t.bulk_actions)>
                <strong>{move || (texts().selected)(&format::count(state.lang.get(), selected.with(HashSet::len)))}</strong>
                <select
                    aria-label=tr(|t| t.set_assignee)
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        let agent = value.parse::<AgentId>().ok();
                        if !value.is_empty() {
                            run(BulkAction::Assign(agent));
                        }
                    }
                >
                    <option value="" selected>{tr(|t| t.set_assignee)}</option>
                    <option value="none">{tr(|t| t.unassigned)}</option>
                    <For each=agents key=|a| a.0.clone() let((id, name))>
                        <option value=id>{name}</option>
                    </For>
                </select>
                <select
                    aria-label=tr(|t| t.set_status)
                    on:change=move |ev| {
                        if let Some(status) = Status::parse(&event_target_value(&ev)) {
                            run(BulkAction::Status(status));
                        }
                    }
                >
                    <option value="" selected>{tr(|t| t.set_status)}</option>
                    {Status::ALL
                        .map(|s| view! { <option value=s.as_str()>{move || (texts().status_name)(s)}</option> })
                        .collect_view()}
                </select>
                <select
                    aria-label=tr(|t| t.set_priority)
                    on:change=move |ev| {
                        if let Some(priority) = Priority::parse(&event_target_value(&ev)) {
                            run(BulkAction::Priority(priority));
                        }
                    }
                >
                    <option value="" selected>{tr(|t| t.set_priority)}</option>
                    {Priority::ALL
                        .map(|p| view! { <option value=p.as_str()>{move || (texts().priority_name)(p)}</option> })
                        .collect_view()}
                </select>
                <form
                    class="inline-form"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        let value = tag.get_untracked();
                        if !value.trim().is_empty() {
                            tag.set(String::new());
                            run(BulkAction::Tag(value));
                        }
                    }
                >
                    <input
                        type="text"
                        aria-label=tr(|t| t.add_tag)
                        placeholder=tr(|t| t.tag_placeholder)
                        prop:value=tag
                        on:input=move |ev| tag.set(event_target_value(&ev))
                    />
                    <button type="submit" class="button button-secondary">{tr(|t| t.add_tag)}</button>
                </form>
                <button type="button" class="button button-secondary" on:click=move |_| selected.set(HashSet::new())>
                    {tr(|t| t.clear_selection)}
                </button>
            </div>
        </Show>
        <p role="status" aria-live="polite" class="bulk-message">
            {move || message.get().map(|(ok, text)| view! { <span class:status-ok=ok class:status-error=!ok>{text}</span> })}
        </p>
    }
}

#[derive(Debug, Clone)]
enum BulkAction {
    Assign(Option<AgentId>),
    Status(Status),
    Priority(Priority),
    Tag(String),
}

async fn bulk(state: AppState, ids: Vec<TicketId>, action: BulkAction, message: RwSignal<Option<(bool, String)>>) {
    let outcome = state
        .execute(move |ws: &Workspace, f: &mut OpFactory<'_>| {
            let mut ops = Vec::new();
            let mut done = 0usize;
            let mut first_error: Option<CommandError> = None;
            for id in &ids {
                let planned = match &action {
                    BulkAction::Assign(agent) => ws.assign(f, *id, *agent),
                    BulkAction::Status(status) => match ws.summary(*id) {
                        Some(ticket) if ticket.status == *status => Ok(Vec::new()),
                        _ => ws.change_status(f, *id, *status),
                    },
                    BulkAction::Priority(priority) => {
                        ws.edit_ticket(f, *id, helpdesk_core::TicketEdit::Priority(*priority))
                    }
                    BulkAction::Tag(tag) => {
                        if let Err(error) = Tag::parse(tag) {
                            return Err(CommandError::Invalid(error));
                        }
                        ws.add_tags(f, *id, std::slice::from_ref(tag))
                    }
                };
                match planned {
                    Ok(planned) => {
                        done += 1;
                        ops.extend(planned);
                    }
                    Err(error) => {
                        first_error.get_or_insert(error);
                    }
                }
            }
            Ok(((done, ids.len() - done, first_error), ops))
        })
        .await;
    let lang = state.lang.get_untracked();
    let t = lang.texts();
    message.set(Some(match outcome {
        Ok(((done, 0, _), _)) => (true, (t.bulk_done)(&format::count(lang, done))),
        Ok(((done, failed, error), _)) => {
            let why = error.map(|e| t.command_error(&e)).unwrap_or_default();
            (false, (t.bulk_partly)(&format::count(lang, done), &format::count(lang, failed), &why))
        }
        Err(error) => (false, t.desk_error(&error)),
    }));
}

/// A length in whole pixels for CSS (rows are whole pixels high): integer formatting is shared
/// with the rest of the app, each formatted f64 is code of its own.
fn whole_px(length: f64) -> i64 {
    length.round() as i64
}

fn is_narrow() -> bool {
    web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|w| w.as_f64())
        .is_some_and(|width| width <= NARROW_MAX_WIDTH)
}

/// Focuses row `index` of the table whose scroller is `scroller` (another table, the kept inbox
/// under the search page, has rows with the same indexes).
fn focus_row(scroller: &web_sys::HtmlDivElement, index: usize) {
    // The row renders on the next frame when it scrolled into view; try now and after a frame.
    let scroller = scroller.clone();
    let focus = move || {
        if let Some(row) = scroller.query_selector(&format!("[data-row=\"{index}\"]")).ok().flatten()
            && let Ok(row) = row.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = row.focus();
        }
    };
    focus();
    request_animation_frame(focus);
}

/// Whether a key press belongs to a text field (shortcuts must not steal typing).
pub fn typing_in_field(event: &web_sys::KeyboardEvent) -> bool {
    let Some(target) = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return false };
    let tag = target.tag_name().to_ascii_lowercase();
    matches!(tag.as_str(), "input" | "textarea" | "select")
        || target.get_attribute("contenteditable").is_some_and(|v| v != "false")
}

fn on_row(event: &web_sys::KeyboardEvent) -> bool {
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|element| element.has_attribute("data-row"))
}

fn focus_in_control(event: &web_sys::KeyboardEvent) -> bool {
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|element| matches!(element.tag_name().to_ascii_lowercase().as_str(), "a" | "button"))
}
