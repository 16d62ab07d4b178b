//! A ticket typed in by an agent: a phone call, a walk-in, an email pasted in, a chat, or a
//! request from inside the team. The requester is found by name, organisation or address, or
//! added on the spot.

use helpdesk_core::{Channel, CustomerId, Email, NewCustomer, NewTicket, Priority};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::i18n::tr;
use crate::pages::inbox::ticket_path;
use crate::state::{ActionError, AppState, use_app_state};

/// How many matching customers the lookup lists.
const MATCHES_SHOWN: usize = 8;

#[derive(Debug, Clone, Default)]
struct Form {
    channel: Option<Channel>,
    requester: Option<CustomerId>,
    new_name: String,
    new_email: String,
    subject: String,
    description: String,
    priority: Option<Priority>,
}

#[component]
pub fn NewTicketPage() -> impl IntoView {
    let state = use_app_state();
    let texts = move || state.texts();
    let form = RwSignal::new(Form { channel: Some(Channel::Phone), ..Form::default() });
    let lookup = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();

    let matches = move || {
        let needle = lookup.get();
        if needle.trim().is_empty() {
            return Vec::new();
        }
        state
            .with_workspace(|ws| {
                let (found, _) = ws.match_customers(&needle, MATCHES_SHOWN);
                found
                    .into_iter()
                    .filter_map(|id| {
                        let c = ws.customer(id)?;
                        let email = c.profile.emails.first().map(ToString::to_string).unwrap_or_default();
                        Some((id, c.profile.name.clone(), email))
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let chosen = move || {
        let id = form.with(|f| f.requester)?;
        state.with_workspace(|ws| ws.customer(id).map(|c| c.profile.name.clone())).flatten()
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let outcome = create(state, form).await;
            busy.set(false);
            match outcome {
                Ok(number) => {
                    error.set(None);
                    navigate(&ticket_path(&number), Default::default());
                }
                Err(message) => error.set(Some(message)),
            }
        });
    };

    view! {
        <header class="page-header">
            <h1>{tr(|t| t.new_ticket)}</h1>
            <p class="page-intro">{tr(|t| t.new_ticket_intro)}</p>
        </header>
        <form class="card form" on:submit=submit>
            <label class="field">
                <span>{tr(|t| t.channel)}</span>
                <select on:change=move |ev| form.update(|f| f.channel = Channel::parse(&event_target_value(&ev)))>
                    {Channel::ALL.map(|c| view! {
                        <option value=c.as_str() selected=c == Channel::Phone>{move || (texts().channel_name)(c)}</option>
                    }).collect_view()}
                </select>
            </label>
            <fieldset class="field requester-field">
                <legend>{tr(|t| t.requester)}</legend>
                {move || chosen().map(|name| view! {
                    <p class="chosen-requester">
                        <strong>{name}</strong>" "
                        <button type="button" class="button button-secondary"
                            on:click=move |_| form.update(|f| f.requester = None)>
                            {tr(|t| t.change)}
                        </button>
                    </p>
                })}
                <Show when=move || form.with(|f| f.requester.is_none())>
                    <label class="field">
                        <span>{tr(|t| t.find_requester)}</span>
                        <input type="search" prop:value=lookup on:input=move |ev| lookup.set(event_target_value(&ev)) />
                    </label>
                    <ul class="requester-matches">
                        {move || matches().into_iter().map(|(id, name, email)| view! {
                            <li>
                                <button type="button" class="link-button" on:click=move |_| {
                                    form.update(|f| f.requester = Some(id));
                                    lookup.set(String::new());
                                }>
                                    <strong>{name}</strong>" "<span class="hint">{email}</span>
                                </button>
                            </li>
                        }).collect_view()}
                    </ul>
                    <p class="hint">{tr(|t| t.new_requester)}</p>
                    <div class="field-row">
                        <label class="field">
                            <span>{tr(|t| t.requester_name)}</span>
                            <input type="text" autocomplete="off" prop:value=move || form.with(|f| f.new_name.clone())
                                on:input=move |ev| form.update(|f| f.new_name = event_target_value(&ev)) />
                        </label>
                        <label class="field">
                            <span>{tr(|t| t.requester_email)}</span>
                            <input type="email" autocomplete="off" prop:value=move || form.with(|f| f.new_email.clone())
                                on:input=move |ev| form.update(|f| f.new_email = event_target_value(&ev)) />
                        </label>
                    </div>
                </Show>
            </fieldset>
            <label class="field">
                <span>{tr(|t| t.subject)}</span>
                <input type="text" required prop:value=move || form.with(|f| f.subject.clone())
                    on:input=move |ev| form.update(|f| f.subject = event_target_value(&ev)) />
            </label>
            <label class="field">
                <span>{tr(|t| t.description)}</span>
                <textarea rows="6" prop:value=move || form.with(|f| f.description.clone())
                    on:input=move |ev| form.update(|f| f.description = event_target_value(&ev))></textarea>
            </label>
            <label class="field">
                <span>{move || (texts().column_name)(helpdesk_core::SortKey::Priority)}</span>
                <select on:change=move |ev| form.update(|f| f.priority = Priority::parse(&event_target_value(&ev)))>
                    {Priority::ALL.map(|p| view! {
                        <option value=p.as_str() selected=p == Priority::Medium>{move || (texts().priority_name)(p)}</option>
                    }).collect_view()}
                </select>
            </label>
            <div class="form-actions">
                <button type="submit" class="button" disabled=move || busy.get()>{tr(|t| t.create_ticket)}</button>
            </div>
            <p role="alert" class="status-error">{move || error.get()}</p>
        </form>
    }
}

/// Creates the requester if needed (remembering them in the form, so a retry after fixing the
/// subject does not create them twice), then the ticket. Returns the ticket's display number.
async fn create(state: AppState, form: RwSignal<Form>) -> Result<String, String> {
    let t = state.lang.get_untracked().texts();
    let input = form.get_untracked();
    let requester = match input.requester {
        Some(id) => id,
        None if input.new_name.trim().is_empty() && input.new_email.trim().is_empty() => {
            return Err(t.requester_required.to_owned());
        }
        None => {
            // An address the workspace already knows means that customer, not a new one.
            let known = Email::parse(input.new_email.trim())
                .ok()
                .and_then(|email| state.with_workspace(|ws| ws.customer_by_email(&email).map(|(id, _)| id)).flatten());
            let id = match known {
                Some(id) => id,
                None => {
                    let name =
                        if input.new_name.trim().is_empty() { input.new_email.clone() } else { input.new_name.clone() };
                    let new = NewCustomer {
                        name,
                        emails: vec![input.new_email.clone()],
                        language: Some(state.lang.get_untracked().code().to_owned()),
                        ..NewCustomer::default()
                    };
                    state.execute(|ws, f| ws.create_customer(f, new)).await.map_err(|e| t.desk_error(&e))?.0
                }
            };
            form.update(|f| f.requester = Some(id));
            id
        }
    };
    let channel = input.channel.unwrap_or(Channel::Phone);
    let mut new = NewTicket::new(input.subject, input.description, requester, channel);
    new.priority = input.priority.unwrap_or(Priority::Medium);
    let (id, _) =
        state.execute(|ws, f| ws.create_ticket(f, new)).await.map_err(|error: ActionError| t.desk_error(&error))?;
    Ok(state.with_workspace(|ws| ws.summary(id).map(|s| ws.display_number(s))).flatten().unwrap_or_default())
}
