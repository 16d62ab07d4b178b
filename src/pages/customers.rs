//! Customers: the people the team supports, found by name, organisation or address, each with
//! all of their tickets.

use helpdesk_core::{CustomerId, Tier};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::components::{PageHeader, StatusBadge};
use crate::format;
use crate::i18n::tr;
use crate::pages::inbox::ticket_path;
use crate::state::use_app_state;

/// How many customers the list shows at once; a search narrows the rest down.
const LISTED: usize = 200;

#[component]
pub fn CustomersPage() -> impl IntoView {
    let state = use_app_state();
    let query = RwSignal::new(String::new());
    let found = Memo::new(move |_| {
        let query = query.get();
        state
            .with_workspace(|ws| {
                let (listings, total) = ws.find_customers(&query, LISTED);
                let rows: Vec<(CustomerId, String, String, String, Tier, usize, usize)> = listings
                    .into_iter()
                    .filter_map(|listing| {
                        let entry = ws.customer(listing.id)?;
                        let profile = &entry.profile;
                        let email = profile.emails.first().map(ToString::to_string).unwrap_or_default();
                        Some((
                            listing.id,
                            profile.name.clone(),
                            email,
                            profile.organisation.clone(),
                            profile.tier,
                            listing.open_tickets,
                            listing.tickets,
                        ))
                    })
                    .collect();
                (rows, total)
            })
            .unwrap_or_default()
    });
    view! {
        <PageHeader title=|t| t.nav_customers intro=|t| t.customers_intro />
        <label class="field search-field">
            <span>{tr(|t| t.find_customer)}</span>
            <input type="search" prop:value=query on:input=move |ev| query.set(event_target_value(&ev)) />
        </label>
        <p class="hint" aria-live="polite">
            {move || {
                let lang = state.lang.get();
                let (rows, total) = found.get();
                (state.texts().customers_shown)(&format::count(lang, rows.len()), &format::count(lang, total))
            }}
        </p>
        <table class="data-table">
            <thead>
                <tr>
                    <th scope="col">{tr(|t| t.requester_name)}</th>
                    <th scope="col">{tr(|t| t.requester_email)}</th>
                    <th scope="col">{tr(|t| t.organisation)}</th>
                    <th scope="col">{tr(|t| t.tier)}</th>
                    <th scope="col" class="numeric">{tr(|t| t.open_tickets)}</th>
                    <th scope="col" class="numeric">{tr(|t| t.all_tickets)}</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    found
                        .get()
                        .0
                        .into_iter()
                        .map(|(id, name, email, organisation, tier, open, all)| {
                            view! {
                                <tr>
                                    <td><A href=format!("/customers/{id}")>{name}</A></td>
                                    <td>{email}</td>
                                    <td>{organisation}</td>
                                    <td>{move || (state.texts().tier_name)(tier)}</td>
                                    <td class="numeric">{open}</td>
                                    <td class="numeric">{all}</td>
                                </tr>
                            }
                        })
                        .collect_view()
                }}
            </tbody>
        </table>
    }
}

#[component]
pub fn CustomerPage() -> impl IntoView {
    let state = use_app_state();
    let params = use_params_map();
    let customer = Memo::new(move |_| {
        let id = params.with(|p| p.get("id").and_then(|id| id.parse::<CustomerId>().ok()))?;
        state
            .with_workspace(|ws| {
                let entry = ws.customer(id)?;
                let tickets: Vec<_> = ws
                    .tickets_of_customer(id)
                    .into_iter()
                    .map(|t| (ws.display_number(t), t.subject.clone(), t.status, t.updated_at))
                    .collect();
                Some((entry.profile.clone(), tickets))
            })
            .flatten()
    });
    view! {
        {move || match customer.get() {
            None => view! {
                <section class="empty-state">
                    <p>{tr(|t| t.customer_not_found)}</p>
                    <A href="/customers">{tr(|t| t.nav_customers)}</A>
                </section>
            }.into_any(),
            Some((profile, tickets)) => {
                let now = crate::platform::now_ms();
                view! {
                    <header class="page-header">
                        <p class="ticket-number"><A href="/customers">{tr(|t| t.nav_customers)}</A></p>
                        <h1>{profile.name.clone()}</h1>
                    </header>
                    <section class="card">
                        <dl class="profile">
                            <dt>{tr(|t| t.requester_email)}</dt>
                            <dd>{profile.emails.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")}</dd>
                            <dt>{tr(|t| t.phone)}</dt>
                            <dd>{profile.phone.clone()}</dd>
                            <dt>{tr(|t| t.organisation)}</dt>
                            <dd>{profile.organisation.clone()}</dd>
                            <dt>{tr(|t| t.tier)}</dt>
                            <dd>{move || (state.texts().tier_name)(profile.tier)}</dd>
                        </dl>
                    </section>
                    <section class="card">
                        <h2>{tr(|t| t.all_tickets)}</h2>
                        <ul class="other-tickets">
                            {tickets.into_iter().map(|(number, subject, status, updated)| view! {
                                <li>
                                    <A href=ticket_path(&number)>{number.clone()}" "{subject}</A>
                                    " "<StatusBadge status=status />
                                    " "<span class="hint">{move || format::relative(state.lang.get(), updated, now)}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                }.into_any()
            }
        }}
    }
}
