//! The search box in the top bar: results as you type (the best few, with what matched marked),
//! arrow keys to choose, Enter to open, and a link to all results. `/` focuses it from anywhere.
//!
//! It follows the ARIA combobox pattern: the input owns a listbox of options and points at the
//! active one with `aria-activedescendant`, so a screen reader announces the choice while focus
//! stays in the input.

use helpdesk_core::storage::SearchStatus;
use helpdesk_core::{DocKey, Snippet, Status, TicketId};
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos_router::hooks::use_navigate;

use crate::components::{Highlighted, StatusBadge};
use crate::format;
use crate::pages::inbox::ticket_path;
use crate::state::use_app_state;

/// Results shown under the box.
const SUGGESTIONS: usize = 6;
/// Characters of conversation shown for a result found there.
const SNIPPET_CHARS: usize = 90;
/// The id the `/` shortcut focuses.
pub const SEARCH_INPUT_ID: &str = "search-input";

/// One result under the box, resolved for display.
#[derive(Debug, Clone, PartialEq)]
struct Suggestion {
    id: TicketId,
    number: String,
    subject: String,
    subject_marks: Vec<std::ops::Range<usize>>,
    requester: String,
    requester_marks: Vec<std::ops::Range<usize>>,
    status: Status,
}

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Found(Vec<Suggestion>),
    Invalid(String),
}

#[component]
pub fn SearchBox() -> impl IntoView {
    let state = use_app_state();
    let query = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let wrapper = NodeRef::<leptos::html::Div>::new();
    let navigate = use_navigate();

    let outcome = Memo::new(move |_| {
        let text = query.get();
        if text.trim().is_empty() {
            return None;
        }
        let texts = state.texts();
        match crate::search::run(state, &text, Some(SUGGESTIONS))? {
            Err(error) => Some(Outcome::Invalid(texts.search.query_error(&error))),
            Ok(found) => state.with_workspace(|ws| {
                let rows = found
                    .hits
                    .iter()
                    .filter_map(|hit| ws.summary(hit.ticket))
                    .map(|ticket| {
                        let requester =
                            ws.customer(ticket.requester).map(|c| c.profile.name.clone()).unwrap_or_default();
                        Suggestion {
                            id: ticket.id,
                            number: ws.display_number(ticket),
                            subject_marks: found.plan.highlight(&ticket.subject),
                            subject: ticket.subject.clone(),
                            requester_marks: found.plan.highlight(&requester),
                            requester,
                            status: ticket.status,
                        }
                    })
                    .collect();
                Outcome::Found(rows)
            }),
        }
    });
    // Passages of the conversation that matched, for results whose subject does not show why.
    // The index holds no text, so the few suggested tickets are read from storage (and dropped
    // from memory again if they were not open already).
    let snippets = RwSignal::new((String::new(), Vec::<(TicketId, Snippet)>::new()));
    Effect::new(move |_| {
        let Some(Outcome::Found(rows)) = outcome.get() else { return };
        let text = query.get_untracked();
        let wanted: Vec<TicketId> = rows.iter().filter(|row| row.subject_marks.is_empty()).map(|row| row.id).collect();
        if wanted.is_empty() {
            return;
        }
        let Some(session) = state.session() else { return };
        leptos::task::spawn_local(async move {
            let missing: Vec<DocKey> = {
                let workspace = session.desk.workspace();
                wanted.iter().map(|id| DocKey::Ticket(*id)).filter(|doc| !workspace.has_loaded(*doc)).collect()
            };
            // A failed read only means no passage is shown.
            let _ = session.desk.load(&missing).await;
            if query.get_untracked() != text {
                return;
            }
            let Ok(plan) = crate::search::plan(state, &session.desk.workspace(), &text) else { return };
            let found = {
                let workspace = session.desk.workspace();
                wanted
                    .iter()
                    .filter_map(|id| Some((*id, plan.ticket_snippet(workspace.ticket(*id)?, SNIPPET_CHARS)?)))
                    .collect()
            };
            for doc in missing {
                if let DocKey::Ticket(id) = doc {
                    session.desk.unload_ticket(id);
                }
            }
            snippets.set((text, found));
        });
    });
    let snippet_of = move |id: TicketId| {
        snippets.with(|(text, found)| {
            (*text == query.get()).then(|| found.iter().find(|(t, _)| *t == id).map(|(_, s)| s.clone())).flatten()
        })
    };
    // What the list shows, with the text it is for: a new keystroke re-renders the list even when
    // the results are the same, so its data-query marker always belongs to the rows on screen.
    let shown = Memo::new(move |_| (query.get(), outcome.get()));
    let row_count = move || match outcome.get() {
        Some(Outcome::Found(rows)) => rows.len(),
        _ => 0,
    };
    // The options: every result, then "all results".
    let option_count = move || if outcome.with(Option::is_some) { row_count() + 1 } else { 0 };
    let expanded = move || open.get() && outcome.with(Option::is_some);

    let go = {
        let navigate = navigate.clone();
        move |path: String| {
            open.set(false);
            active.set(None);
            navigate(&path, Default::default());
        }
    };
    // A Callback is Copy, so every option's handler can hold it.
    let choose = Callback::new({
        let go = go.clone();
        move |index: Option<usize>| {
            let text = query.get_untracked();
            let row = index.and_then(|i| match outcome.get_untracked() {
                Some(Outcome::Found(rows)) => rows.get(i).cloned(),
                _ => None,
            });
            match row {
                Some(row) => go(ticket_path(&row.number)),
                None if !text.trim().is_empty() => go(crate::search::results_path(text.trim())),
                None => {}
            }
        }
    });
    let keydown = {
        move |event: leptos::ev::KeyboardEvent| {
            let count = option_count();
            match event.key().as_str() {
                "ArrowDown" if count > 0 => {
                    event.prevent_default();
                    open.set(true);
                    active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % count)));
                }
                "ArrowUp" if count > 0 => {
                    event.prevent_default();
                    open.set(true);
                    active.update(|a| *a = Some(a.map_or(count - 1, |i| (i + count - 1) % count)));
                }
                "Enter" => {
                    event.prevent_default();
                    let index = active.get_untracked().filter(|i| *i < row_count());
                    choose.run(index);
                }
                "Escape" => {
                    if open.get_untracked() {
                        open.set(false);
                        active.set(None);
                    } else {
                        query.set(String::new());
                    }
                }
                _ => {}
            }
        }
    };
    // Leaving the box (and its results) closes the results.
    let focusout = move |event: leptos::ev::FocusEvent| {
        let inside = event
            .related_target()
            .and_then(|target| target.dyn_into::<web_sys::Node>().ok())
            .zip(wrapper.get_untracked())
            .is_some_and(|(target, wrapper)| wrapper.contains(Some(&target)));
        if !inside {
            open.set(false);
            active.set(None);
        }
    };
    let option_id = |index: usize| format!("search-option-{index}");
    let status_line = move || match state.search.get() {
        SearchStatus::Building { indexed, total } => {
            let lang = state.lang.get();
            Some((state.texts().search.preparing)(&format::count(lang, indexed), &format::count(lang, total)))
        }
        _ => None,
    };

    view! {
        // data-index (off, building, ready) and data-query (the query the rows are for) let tests
        // and benchmarks see when results are in.
        <div class="search-box" node_ref=wrapper on:focusout=focusout data-index=move || match state.search.get() {
            SearchStatus::Off => "off",
            SearchStatus::Building { .. } => "building",
            SearchStatus::Ready => "ready",
        }>
            <input
                id=SEARCH_INPUT_ID
                type="search"
                role="combobox"
                autocomplete="off"
                spellcheck="false"
                aria-autocomplete="list"
                aria-controls="search-results"
                aria-expanded=move || expanded().to_string()
                aria-activedescendant=move || active.get().filter(|_| expanded()).map(option_id)
                aria-label=move || state.texts().search.label
                placeholder=move || state.texts().search.placeholder
                prop:value=query
                on:input=move |ev| {
                    query.set(event_target_value(&ev));
                    open.set(true);
                    active.set(None);
                }
                on:focus=move |_| open.set(true)
                on:keydown=keydown
            />
            <Show when=expanded>
            <div class="search-results">
                <p class="search-status" aria-live="polite">
                    {status_line}
                    {move || match outcome.get() {
                        Some(Outcome::Invalid(message)) => Some(view! { <span class="status-error">{message}</span> }.into_any()),
                        Some(Outcome::Found(rows)) if rows.is_empty() => Some(state.texts().search.no_results.into_any()),
                        _ => None,
                    }}
                </p>
                <ul id="search-results" role="listbox" aria-label=move || state.texts().search.results_label>
                    {move || {
                        let (shown_for, outcome) = shown.get();
                        let rows = match outcome {
                            Some(Outcome::Found(rows)) => rows,
                            _ => Vec::new(),
                        };
                        let see_all = rows.len();
                        let items = rows
                            .into_iter()
                            .enumerate()
                            .map(|(index, row)| {
                                let Suggestion { id, number, subject, subject_marks, requester, requester_marks, status } = row;
                                view! {
                                    <li
                                        id=option_id(index)
                                        role="option"
                                        class="search-option"
                                        aria-selected=move || (active.get() == Some(index)).to_string()
                                        on:mousedown=move |ev| ev.prevent_default()
                                        on:click=move |_| choose.run(Some(index))
                                    >
                                        <span class="search-number">{number}</span>
                                        <span class="search-subject">
                                            <Highlighted text=subject marks=subject_marks />
                                        </span>
                                        <span class="search-requester">
                                            <Highlighted text=requester marks=requester_marks />
                                        </span>
                                        {move || snippet_of(id).map(|Snippet { text, marks }| view! {
                                            <span class="search-snippet"><Highlighted text=text marks=marks /></span>
                                        })}
                                        <StatusBadge status=status />
                                    </li>
                                }
                            })
                            .collect_view();
                        view! {
                            {items}
                            <li
                                id=option_id(see_all)
                                role="option"
                                class="search-option search-all"
                                data-query=shown_for
                                aria-selected=move || (active.get() == Some(see_all)).to_string()
                                on:mousedown=move |ev| ev.prevent_default()
                                on:click=move |_| choose.run(None)
                            >
                                {move || (state.texts().search.see_all)(query.get().trim())}
                            </li>
                        }
                    }}
                </ul>
            </div>
            </Show>
        </div>
    }
}
