//! The search page: every ticket a query matches, in the ticket table with bulk actions, plus
//! saving the query as a view for the team, and the query language's help.
//!
//! `/search?q=…` shows a query; `/search?view=<id>` a saved view (with `&q=…` while its query is
//! being changed).

use std::collections::HashSet;

use helpdesk_core::{Plan, TicketId, ViewId};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::components::Highlighted;
use crate::format;
use crate::i18n::tr;
use crate::pages::inbox::{BulkBar, ColumnHeaders, TicketTable};
use crate::search::{results_path, sort_of, with_sort};
use crate::state::use_app_state;

/// The page of one saved view (its query may be edited in `q`).
pub fn view_path(id: ViewId, query: Option<&str>) -> String {
    match query {
        Some(query) => format!("/search?view={id}&q={}", String::from(js_sys::encode_uri_component(query))),
        None => format!("/search?view={id}"),
    }
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let state = use_app_state();
    let texts = move || state.texts();
    let params = use_query_map();
    let navigate = use_navigate();
    let view_id = Memo::new(move |_| params.with(|p| p.get("view").and_then(|id| id.parse::<ViewId>().ok())));
    let view = Memo::new(move |_| {
        let id = view_id.get()?;
        state.with_workspace(|ws| ws.settings().views.get(&id).cloned()).flatten()
    });
    // The query the results show: the one in the address, else the view's.
    let submitted =
        Memo::new(move |_| params.with(|p| p.get("q")).or_else(|| view.get().map(|v| v.query)).unwrap_or_default());
    let text = RwSignal::new(String::new());
    Effect::new(move |_| text.set(submitted.get()));

    let found = Memo::new(move |_| {
        let query = submitted.get();
        crate::search::run(state, &query, None)
    });
    let ids = Memo::new(move |_| match found.get() {
        Some(Ok(found)) => found.hits.into_iter().map(|hit| hit.ticket).collect::<Vec<TicketId>>(),
        _ => Vec::new(),
    });
    let marks = Signal::derive(move || match found.get() {
        Some(Ok(found)) => Some::<Plan>(found.plan),
        _ => None,
    });
    let error = move || match found.get() {
        Some(Err(error)) => Some(texts().search.query_error(&error)),
        _ => None,
    };
    // The query as typed with the part the error is about marked (spans count characters).
    let error_at = move || match found.get() {
        Some(Err(error)) => {
            let query = submitted.get();
            let byte = |char_index: usize| query.char_indices().nth(char_index).map_or(query.len(), |(at, _)| at);
            let marks = std::iter::once(byte(error.span.start)..byte(error.span.end)).collect();
            Some(view! { <code class="query-echo"><Highlighted text=query marks=marks /></code> })
        }
        _ => None,
    };
    let selected = RwSignal::new(HashSet::<TicketId>::new());
    let list_key = Signal::derive(move || submitted.get());

    let run = {
        let navigate = navigate.clone();
        move |query: String| {
            let path = match view_id.get_untracked() {
                Some(id) if view.get_untracked().is_some() => view_path(id, Some(&query)),
                _ => results_path(&query),
            };
            navigate(&path, Default::default());
        }
    };
    let submit = {
        let run = run.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            run(text.get_untracked().trim().to_owned());
        }
    };
    let sort_change = {
        let run = run.clone();
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            let sort = (!value.is_empty()).then_some(value.as_str());
            run(with_sort(&submitted.get_untracked(), sort));
        }
    };
    let current_sort = move || sort_of(&submitted.get()).unwrap_or_default();
    let sorts = move || {
        let t = texts().search;
        [
            ("", t.sort_relevance),
            ("updated", t.sort_updated),
            ("created", t.sort_created),
            ("priority", t.sort_priority),
            ("due-asc", t.sort_due),
            ("number", t.sort_number),
        ]
    };
    let title = move || match (view_id.get(), view.get()) {
        (Some(_), Some(view)) => view.name,
        _ => texts().search.page_title.to_owned(),
    };

    view! {
        <div class="search-page">
            <header class="inbox-header">
                <h1>{title}</h1>
            </header>
            <Show when=move || view_id.get().is_some() && view.get().is_none()>
                <p class="status-error" role="alert">{move || texts().search.view_missing}</p>
            </Show>
            <p class="page-intro">{move || texts().search.page_intro}</p>
            <form class="search-form" role="search" on:submit=submit>
                <input
                    type="search"
                    class="search-query"
                    aria-label=move || texts().search.query_label
                    aria-describedby="search-error"
                    aria-invalid=move || error().is_some().to_string()
                    spellcheck="false"
                    autocomplete="off"
                    prop:value=text
                    on:input=move |ev| text.set(event_target_value(&ev))
                />
                <button type="submit" class="button">{move || texts().search.search_button}</button>
                <label class="search-sort">
                    <span>{move || texts().search.sort_label}</span>
                    <select on:change=sort_change prop:value=current_sort>
                        {move || {
                            let current = current_sort();
                            sorts()
                                .into_iter()
                                .map(|(value, label)| view! { <option value=value selected=current == value>{label}</option> })
                                .collect_view()
                        }}
                    </select>
                </label>
            </form>
            <p id="search-error" class="status-error" aria-live="polite">{error} {error_at}</p>
            <ViewActions view_id=view_id submitted=submitted />
            <BulkBar selected=selected />
            <p class="hint inbox-summary" aria-live="polite">
                {move || (texts().search.found)(&format::count(state.lang.get(), ids.with(Vec::len)))}
                <span class="keyboard-hint">" · "{tr(|t| t.keyboard_hint)}</span>
            </p>
            <TicketTable
                ids=ids
                selected=selected
                list_key=list_key
                label=Signal::derive(move || texts().search.results_label)
                headers=ColumnHeaders::Fixed
                marks=marks
            />
            <SearchHelp />
        </div>
    }
}

/// Saving the query as a view, or changing and deleting the view being shown.
#[component]
fn ViewActions(view_id: Memo<Option<ViewId>>, submitted: Memo<String>) -> impl IntoView {
    let state = use_app_state();
    let texts = move || state.texts();
    let navigate = use_navigate();
    let name = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let view = Memo::new(move |_| {
        let id = view_id.get()?;
        state.with_workspace(|ws| ws.settings().views.get(&id).cloned()).flatten().map(|view| (id, view))
    });
    let report = move |outcome: Result<(), crate::state::ActionError>, done: &'static str| {
        message.set(Some(match outcome {
            Ok(()) => (true, done.to_owned()),
            Err(error) => (false, state.texts_untracked().desk_error(&error)),
        }));
    };
    let save_new = {
        let navigate = navigate.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let (view_name, query) = (name.get_untracked(), submitted.get_untracked());
            let navigate = navigate.clone();
            leptos::task::spawn_local(async move {
                let saved = state.execute(move |ws, f| ws.save_view(f, None, &view_name, &query)).await;
                let done = state.texts_untracked().search.view_saved;
                match saved {
                    Ok((id, _)) => {
                        name.set(String::new());
                        navigate(&view_path(id, None), Default::default());
                        report(Ok(()), done);
                    }
                    Err(error) => report(Err(error), done),
                }
            });
        }
    };
    let update = move |_| {
        let Some((id, view)) = view.get_untracked() else { return };
        let query = submitted.get_untracked();
        leptos::task::spawn_local(async move {
            let saved = state.execute(move |ws, f| ws.save_view(f, Some(id), &view.name, &query)).await;
            report(saved.map(|_| ()), state.texts_untracked().search.view_updated);
        });
    };
    let delete = move |_: leptos::ev::MouseEvent| {
        let Some((id, view)) = view.get_untracked() else { return };
        let confirmed = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(&(state.texts_untracked().search.delete_view_confirm)(&view.name)).ok()
            })
            .unwrap_or(false);
        if !confirmed {
            return;
        }
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let deleted = state.execute(move |ws, f| ws.delete_view(f, id)).await;
            if deleted.is_ok() {
                navigate(&results_path(&view.query), Default::default());
            }
            report(deleted.map(|_| ()), state.texts_untracked().search.view_deleted);
        });
    };
    let changed = move || view.get().is_some_and(|(_, view)| view.query != submitted.get());
    view! {
        <div class="view-actions">
            {move || match view.get() {
                Some(_) => view! {
                    <button type="button" class="button button-secondary" disabled=move || !changed() on:click=update>
                        {move || texts().search.update_view}
                    </button>
                    <button type="button" class="button button-secondary" on:click=delete.clone()>
                        {move || texts().search.delete_view}
                    </button>
                }
                .into_any(),
                None => view! {
                    <form class="inline-form" on:submit=save_new.clone()>
                        <input
                            type="text"
                            aria-label=move || texts().search.view_name
                            placeholder=move || texts().search.view_name
                            prop:value=name
                            on:input=move |ev| name.set(event_target_value(&ev))
                        />
                        <button type="submit" class="button button-secondary">{move || texts().search.save_view}</button>
                    </form>
                }
                .into_any(),
            }}
            <p role="status" aria-live="polite" class="bulk-message">
                {move || message.get().map(|(ok, text)| view! { <span class:status-ok=ok class:status-error=!ok>{text}</span> })}
            </p>
        </div>
    }
}

/// The query language, explained with examples.
#[component]
fn SearchHelp() -> impl IntoView {
    let state = use_app_state();
    view! {
        <details class="card search-help">
            <summary>{move || state.texts().search.help_title}</summary>
            <p>{move || state.texts().search.help_intro}</p>
            <dl class="search-help-list">
                {move || {
                    state
                        .texts()
                        .search
                        .help
                        .iter()
                        .map(|(example, meaning)| view! {
                            <div>
                                <dt><code>{*example}</code></dt>
                                <dd>{*meaning}</dd>
                            </div>
                        })
                        .collect_view()
                }}
            </dl>
        </details>
    }
}
