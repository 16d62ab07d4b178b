//! Settings for the people and the shape of the work: agents (role, teams, skills, languages,
//! capacity, availability), teams, categories and custom fields. Admins edit; everyone reads.

use std::collections::BTreeSet;

use helpdesk_core::sorting;
use helpdesk_core::{
    AgentField, AgentId, CategoryField, CategoryId, CommandResult, FieldDefField, FieldId, FieldKind, FieldTarget,
    NewAgent, Op, OpFactory, Role, TeamId, Workspace,
};
use leptos::prelude::*;

use crate::i18n::tr;
use crate::state::{AppState, use_app_state};

type Command = Box<dyn FnOnce(&Workspace, &mut OpFactory<'_>) -> CommandResult<Vec<Op>>>;

/// Where a card shows why a change was refused.
type ErrorSlot = RwSignal<Option<String>>;
/// Adds an item by name.
type AddItem = Callback<(String, ErrorSlot)>;
/// Turns an item (by id) on or off.
type ToggleItem = Callback<(String, bool, ErrorSlot)>;

/// Runs a settings change; a refusal shows next to the section that made it.
fn run(state: AppState, error: RwSignal<Option<String>>, command: Command) {
    leptos::task::spawn_local(async move {
        match state.execute(command).await {
            Ok(_) => error.set(None),
            Err(failure) => error.set(Some(state.texts_untracked().desk_error(&failure))),
        }
    });
}

fn is_admin(state: AppState) -> bool {
    let me = state.me.get();
    state
        .with_workspace(|ws| me.and_then(|me| ws.agent(me)).is_some_and(|a| a.profile.role == Role::Admin))
        .unwrap_or(false)
}

/// `"a, b ,c"` → `{a, b, c}` (empty parts dropped).
fn word_set(text: &str) -> BTreeSet<String> {
    sorting::set_of(text.split([',', '、']).map(str::trim).filter(|word| !word.is_empty()).map(str::to_owned))
}

fn joined(words: &BTreeSet<String>) -> String {
    words.iter().cloned().collect::<Vec<_>>().join(", ")
}

#[component]
pub fn TeamSection() -> impl IntoView {
    view! {
        <AgentsCard />
        <TeamsCard />
        <CategoriesCard />
        <FieldsCard />
    }
}

#[derive(Debug, Clone, PartialEq)]
struct AgentRow {
    id: AgentId,
    name: String,
    email: String,
    role: Role,
    teams: BTreeSet<TeamId>,
    skills: String,
    languages: String,
    capacity: u32,
    active: bool,
    available: bool,
    open: usize,
}

#[component]
fn AgentsCard() -> impl IntoView {
    let state = use_app_state();
    let error = RwSignal::new(None::<String>);
    let admin = move || is_admin(state);
    let rows = Memo::new(move |_| {
        state
            .with_workspace(|ws| {
                let mut rows: Vec<AgentRow> = ws
                    .agents()
                    .map(|(id, entry)| {
                        let p = &entry.profile;
                        AgentRow {
                            id,
                            name: p.name.clone(),
                            email: p.email.to_string(),
                            role: p.role,
                            teams: p.teams.clone(),
                            skills: joined(&p.skills),
                            languages: joined(&p.languages),
                            capacity: p.capacity,
                            active: p.active,
                            available: p.available,
                            open: ws.open_tickets_of_agent(id),
                        }
                    })
                    .collect();
                sorting::sort_by(&mut rows, |a, b| a.name.cmp(&b.name));
                rows
            })
            .unwrap_or_default()
    });
    let teams = move || state.with_workspace(crate::options::teams).unwrap_or_default();
    let new_name = RwSignal::new(String::new());
    let new_email = RwSignal::new(String::new());
    let new_role = RwSignal::new(Role::Agent);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let agent = NewAgent::new(new_name.get_untracked(), new_email.get_untracked(), new_role.get_untracked());
        leptos::task::spawn_local(async move {
            match state.execute(move |ws, f| ws.create_agent(f, agent)).await {
                Ok(_) => {
                    error.set(None);
                    new_name.set(String::new());
                    new_email.set(String::new());
                }
                Err(failure) => error.set(Some(state.texts_untracked().desk_error(&failure))),
            }
        });
    };
    let set =
        move |id: AgentId, field: AgentField| run(state, error, Box::new(move |ws, f| ws.update_agent(f, id, field)));

    view! {
        <section class="card" aria-labelledby="agents-heading">
            <h2 id="agents-heading">{tr(|t| t.agents_heading)}</h2>
            <div class="table-scroll">
                <table class="data-table settings-table">
                    <thead>
                        <tr>
                            <th scope="col">{tr(|t| t.requester_name)}</th>
                            <th scope="col">{tr(|t| t.role)}</th>
                            <th scope="col">{tr(|t| t.team)}</th>
                            <th scope="col">{tr(|t| t.skills)}</th>
                            <th scope="col">{tr(|t| t.languages)}</th>
                            <th scope="col">{tr(|t| t.capacity)}</th>
                            <th scope="col">{tr(|t| t.available)}</th>
                            <th scope="col">{tr(|t| t.active)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        // A row per agent, built once (keyed by id alone) with each value read
                        // live: their own commits, another tab's and a ticket that changes their
                        // open count update the row in place. Rebuilding it would take the focus
                        // and the half-typed text of the field being edited; `value` is the
                        // attribute, so a field being edited keeps what is typed in it.
                        <For each=move || rows.get() key=|row| row.id let(row)>
                            {
                            let id = row.id;
                            let text = move |read: fn(&AgentRow) -> String| {
                                move || rows.with(|rows| rows.iter().find(|row| row.id == id).map(read).unwrap_or_default())
                            };
                            let is = move |test: fn(&AgentRow) -> bool| {
                                move || rows.with(|rows| rows.iter().any(|row| row.id == id && test(row)))
                            };
                            let member = text(|row| row.teams.iter().next().map(ToString::to_string).unwrap_or_default());
                            let disabled = move || !admin();
                            let name = row.name;
                            let label = move |what: fn(&crate::i18n::Texts) -> &'static str| {
                                let name = name.clone();
                                move || format!("{} ({})", what(state.texts()), name)
                            };
                            view! {
                                <tr>
                                    <td>
                                        <strong>{text(|row| row.name.clone())}</strong><br />
                                        <span class="hint">{text(|row| row.email.clone())}</span><br />
                                        <span class="hint">{move || {
                                            let open = rows.with(|rows| rows.iter().find(|row| row.id == id).map_or(0, |row| row.open));
                                            (state.texts().open_load)(open)
                                        }}</span>
                                    </td>
                                    <td>
                                        <select disabled=disabled aria-label=label(|t| t.role) on:change=move |ev| {
                                            if let Some(role) = Role::ALL.into_iter().find(|r| r.as_str() == event_target_value(&ev)) {
                                                set(id, AgentField::Role(role));
                                            }
                                        }>
                                            {Role::ALL.map(|role| view! {
                                                <option value=role.as_str()
                                                    selected=move || rows.with(|rows| rows.iter().any(|row| row.id == id && row.role == role))>
                                                    {move || (state.texts().role_name)(role)}
                                                </option>
                                            }).collect_view()}
                                        </select>
                                    </td>
                                    <td>
                                        <select disabled=disabled aria-label=label(|t| t.team) on:change=move |ev| {
                                            let teams = sorting::set_of(event_target_value(&ev).parse::<TeamId>().ok());
                                            set(id, AgentField::Teams(teams));
                                        }>
                                            <option value="" selected=move || member().is_empty()>{tr(|t| t.none)}</option>
                                            {move || teams().into_iter().map(|(value, team)| {
                                                let selected = value.clone();
                                                view! {
                                                    <option value=value selected=move || member() == selected>{team}</option>
                                                }
                                            }).collect_view()}
                                        </select>
                                    </td>
                                    <td>
                                        <input type="text" disabled=disabled aria-label=label(|t| t.skills) value=text(|row| row.skills.clone())
                                            on:change=move |ev| set(id, AgentField::Skills(word_set(&event_target_value(&ev)))) />
                                    </td>
                                    <td>
                                        <input type="text" disabled=disabled aria-label=label(|t| t.languages) value=text(|row| row.languages.clone())
                                            on:change=move |ev| set(id, AgentField::Languages(word_set(&event_target_value(&ev)))) />
                                    </td>
                                    <td>
                                        <input type="number" min="1" class="narrow" disabled=disabled aria-label=label(|t| t.capacity)
                                            value=text(|row| row.capacity.to_string())
                                            on:change=move |ev| {
                                                let capacity = event_target_value(&ev).trim().parse().unwrap_or(0);
                                                set(id, AgentField::Capacity(capacity));
                                            } />
                                    </td>
                                    <td>
                                        <input type="checkbox" disabled=disabled aria-label=label(|t| t.available) checked=is(|row| row.available)
                                            on:change=move |ev| set(id, AgentField::Available(event_target_checked(&ev))) />
                                    </td>
                                    <td>
                                        <input type="checkbox" disabled=disabled aria-label=label(|t| t.active) checked=is(|row| row.active)
                                            on:change=move |ev| set(id, AgentField::Active(event_target_checked(&ev))) />
                                    </td>
                                </tr>
                            }
                            }
                        </For>
                    </tbody>
                </table>
            </div>
            <Show when=admin>
                <form class="inline-form wrap" on:submit=add>
                    <input type="text" required aria-label=tr(|t| t.requester_name) placeholder=tr(|t| t.requester_name)
                        prop:value=new_name on:input=move |ev| new_name.set(event_target_value(&ev)) />
                    <input type="email" required aria-label=tr(|t| t.requester_email) placeholder=tr(|t| t.requester_email)
                        prop:value=new_email on:input=move |ev| new_email.set(event_target_value(&ev)) />
                    <select aria-label=tr(|t| t.role) on:change=move |ev| {
                        if let Some(role) = Role::ALL.into_iter().find(|r| r.as_str() == event_target_value(&ev)) {
                            new_role.set(role);
                        }
                    }>
                        {Role::ALL.map(|role| view! {
                            <option value=role.as_str() selected=role == Role::Agent>{move || (state.texts().role_name)(role)}</option>
                        }).collect_view()}
                    </select>
                    <button type="submit" class="button">{tr(|t| t.add_agent)}</button>
                </form>
            </Show>
            <p role="alert" class="status-error">{move || error.get()}</p>
        </section>
    }
}

/// A card listing named things (teams, categories) with an add form.
#[component]
fn NamedListCard(
    heading: fn(&crate::i18n::Texts) -> &'static str,
    add_label: fn(&crate::i18n::Texts) -> &'static str,
    id: &'static str,
    items: Signal<Vec<(String, String, bool)>>,
    add: AddItem,
    toggle: Option<ToggleItem>,
) -> impl IntoView {
    let state = use_app_state();
    let error = RwSignal::new(None::<String>);
    let name = RwSignal::new(String::new());
    let admin = move || is_admin(state);
    view! {
        <section class="card" aria-labelledby=id>
            <h2 id=id>{tr(heading)}</h2>
            <ul class="named-list">
                {move || items.get().into_iter().map(|(value, label, active)| {
                    let aria = label.clone();
                    view! {
                        <li class:muted=!active>
                            {label.clone()}
                            {toggle.map(|toggle| {
                                let value = value.clone();
                                let aria = aria.clone();
                                view! {
                                    <label class="check inline">
                                        <input type="checkbox" checked=active disabled=move || !admin()
                                            aria-label=move || format!("{} ({})", state.texts().active, aria)
                                            on:change=move |ev| toggle.run((value.clone(), event_target_checked(&ev), error)) />
                                        <span aria-hidden="true">{tr(|t| t.active)}</span>
                                    </label>
                                }
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=admin>
                <form class="inline-form" on:submit=move |ev| {
                    ev.prevent_default();
                    add.run((name.get_untracked(), error));
                    name.set(String::new());
                }>
                    <input type="text" required aria-label=tr(add_label) placeholder=tr(|t| t.requester_name)
                        prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
                    <button type="submit" class="button button-secondary">{tr(add_label)}</button>
                </form>
            </Show>
            <p role="alert" class="status-error">{move || error.get()}</p>
        </section>
    }
}

#[component]
fn TeamsCard() -> impl IntoView {
    let state = use_app_state();
    let items = Signal::derive(move || {
        state
            .with_workspace(|ws| crate::options::teams(ws).into_iter().map(|(v, l)| (v, l, true)).collect())
            .unwrap_or_default()
    });
    let add = Callback::new(move |(name, error): (String, ErrorSlot)| {
        run(state, error, Box::new(move |ws, f| ws.create_team(f, &name, "").map(|(_, ops)| ops)));
    });
    view! { <NamedListCard heading=|t| t.teams_heading add_label=|t| t.add_team id="teams-heading" items=items add=add toggle=None /> }
}

#[component]
fn CategoriesCard() -> impl IntoView {
    let state = use_app_state();
    let items = Signal::derive(move || {
        state
            .with_workspace(|ws| {
                let mut all: Vec<(String, String, bool)> =
                    ws.categories().map(|(id, c)| (id.to_string(), c.profile.name.clone(), c.profile.active)).collect();
                sorting::sort_by(&mut all, |a, b| a.1.cmp(&b.1));
                all
            })
            .unwrap_or_default()
    });
    let add = Callback::new(move |(name, error): (String, ErrorSlot)| {
        run(state, error, Box::new(move |ws, f| ws.create_category(f, &name, "").map(|(_, ops)| ops)));
    });
    let toggle = Callback::new(move |(value, active, error): (String, bool, ErrorSlot)| {
        if let Ok(id) = value.parse::<CategoryId>() {
            run(state, error, Box::new(move |ws, f| ws.update_category(f, id, CategoryField::Active(active))));
        }
    });
    view! {
        <NamedListCard heading=|t| t.categories_heading add_label=|t| t.add_category id="categories-heading"
            items=items add=add toggle=Some(toggle) />
    }
}

#[component]
fn FieldsCard() -> impl IntoView {
    let state = use_app_state();
    let error = RwSignal::new(None::<String>);
    let admin = move || is_admin(state);
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new("text".to_owned());
    let options = RwSignal::new(String::new());
    let required = RwSignal::new(false);
    let fields = move || {
        state
            .with_workspace(|ws| {
                let mut all: Vec<(FieldId, String, &'static str, bool, bool)> = ws
                    .fields()
                    .filter(|(_, f)| f.profile.target == FieldTarget::Ticket)
                    .map(|(id, f)| {
                        (id, f.profile.name.clone(), kind_code(&f.profile.kind), f.profile.required, f.profile.active)
                    })
                    .collect();
                sorting::sort_by(&mut all, |a, b| a.1.cmp(&b.1));
                all
            })
            .unwrap_or_default()
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let field_kind = match kind.get_untracked().as_str() {
            "number" => FieldKind::Number,
            "date" => FieldKind::Date,
            "checkbox" => FieldKind::Checkbox,
            "choice" => FieldKind::Choice {
                options: options
                    .get_untracked()
                    .split([',', '、'])
                    .map(|o| o.trim().to_owned())
                    .filter(|o| !o.is_empty())
                    .collect(),
            },
            _ => FieldKind::Text,
        };
        let field_name = name.get_untracked();
        let is_required = required.get_untracked();
        // The form starts over for the next field: a field left required by mistake would block
        // resolving every ticket.
        name.set(String::new());
        options.set(String::new());
        required.set(false);
        run(
            state,
            error,
            Box::new(move |ws, f| {
                ws.create_field(f, &field_name, field_kind, FieldTarget::Ticket, is_required).map(|(_, ops)| ops)
            }),
        );
    };
    view! {
        <section class="card" aria-labelledby="fields-heading">
            <h2 id="fields-heading">{tr(|t| t.fields_heading)}</h2>
            <ul class="named-list">
                {move || fields().into_iter().map(|(id, field_name, code, is_required, active)| {
                    let aria = field_name.clone();
                    view! {
                        <li class:muted=!active>
                            {field_name.clone()}" "
                            <span class="hint">{move || (state.texts().field_kind_name)(code)}</span>
                            {is_required.then(|| view! { " "<span class="badge">{tr(|t| t.required)}</span> })}
                            <label class="check inline">
                                <input type="checkbox" checked=active disabled=move || !admin()
                                    aria-label=move || format!("{} ({})", state.texts().active, aria)
                                    on:change=move |ev| {
                                        let active = event_target_checked(&ev);
                                        run(state, error, Box::new(move |ws, f| ws.update_field(f, id, FieldDefField::Active(active))));
                                    } />
                                <span aria-hidden="true">{tr(|t| t.active)}</span>
                            </label>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=admin>
                <form class="inline-form wrap" on:submit=add>
                    <input type="text" required aria-label=tr(|t| t.field_name) placeholder=tr(|t| t.field_name)
                        prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
                    <select aria-label=tr(|t| t.field_kind) on:change=move |ev| kind.set(event_target_value(&ev))>
                        {["text", "number", "date", "checkbox", "choice"].map(|code| view! {
                            <option value=code>{move || (state.texts().field_kind_name)(code)}</option>
                        }).collect_view()}
                    </select>
                    <Show when=move || kind.with(|k| k == "choice")>
                        <input type="text" aria-label=tr(|t| t.field_options) placeholder=tr(|t| t.field_options)
                            prop:value=options on:input=move |ev| options.set(event_target_value(&ev)) />
                    </Show>
                    <label class="check inline">
                        <input type="checkbox" prop:checked=required on:change=move |ev| required.set(event_target_checked(&ev)) />
                        <span>{tr(|t| t.required)}</span>
                    </label>
                    <button type="submit" class="button button-secondary">{tr(|t| t.add_field)}</button>
                </form>
            </Show>
            <p role="alert" class="status-error">{move || error.get()}</p>
        </section>
    }
}

/// The stable name of a field kind, for the picker and the labels.
pub fn kind_code(kind: &FieldKind) -> &'static str {
    match kind {
        FieldKind::Text => "text",
        FieldKind::Number => "number",
        FieldKind::Date => "date",
        FieldKind::Checkbox => "checkbox",
        FieldKind::Choice { .. } => "choice",
    }
}
