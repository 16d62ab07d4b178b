//! First run: create the workspace (or pick who you are in one that already exists here).

use helpdesk_core::sample::{SampleConfig, sample_ops};
use helpdesk_core::{Actor, AgentId, NewAgent, Role, WorkspaceSetup};
use leptos::prelude::*;

use crate::i18n::Lang;
use crate::i18n::tr;
use crate::pages::settings::TransferSection;
use crate::platform::{CryptoEntropy, now_ms};
use crate::state::{ActionError, AppState, use_app_state};

/// How many tickets the optional sample holds: enough to try filters, sorting and bulk actions.
const SAMPLE_TICKETS: usize = 300;
/// The same sample for everyone (dates follow the day it is loaded), so a walkthrough or a bug
/// report about the sample means the same tickets.
const SAMPLE_SEED: u64 = 2026;

/// Time zones offered next to the browser's own (the field also accepts any other IANA name).
const COMMON_TIME_ZONES: [&str; 10] = [
    "Asia/Tokyo",
    "UTC",
    "Asia/Seoul",
    "Asia/Shanghai",
    "Asia/Singapore",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Australia/Sydney",
];

#[component]
pub fn SetupPage() -> impl IntoView {
    let state = use_app_state();
    let name = RwSignal::new(String::new());
    let agent_name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let time_zone = RwSignal::new(browser_time_zone());
    let language = RwSignal::new(state.lang.get_untracked().code().to_owned());
    let with_sample = RwSignal::new(true);
    let busy = RwSignal::new(None::<&'static str>);
    let error = RwSignal::new(None::<String>);

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked().is_some() {
            return;
        }
        let t = state.lang.get_untracked().texts();
        busy.set(Some(t.creating_workspace));
        error.set(None);
        let setup = WorkspaceSetup {
            name: name.get_untracked(),
            language: language.get_untracked(),
            time_zone: time_zone.get_untracked(),
            admin: NewAgent::new(agent_name.get_untracked(), email.get_untracked(), Role::Admin),
        };
        leptos::task::spawn_local(async move {
            let me = AgentId::generate(now_ms(), &mut CryptoEntropy);
            let outcome = create_workspace(state, me, setup, with_sample.get_untracked(), busy).await;
            let t = state.lang.get_untracked().texts();
            busy.set(None);
            if let Err(failure) = outcome {
                error.set(Some(t.desk_error(&failure)));
            }
        });
    };

    view! {
        <header class="page-header">
            <h1>{tr(|t| t.setup_title)}</h1>
            <p class="page-intro">{tr(|t| t.setup_intro)}</p>
        </header>
        <form class="card form" on:submit=submit>
            <label class="field">
                <span>{tr(|t| t.workspace_name)}</span>
                <input
                    type="text"
                    required
                    autocomplete="organization"
                    placeholder=tr(|t| t.workspace_name_example)
                    prop:value=name
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
            </label>
            <div class="field-row">
                <label class="field">
                    <span>{tr(|t| t.your_name)}</span>
                    <input
                        type="text"
                        required
                        autocomplete="name"
                        prop:value=agent_name
                        on:input=move |ev| agent_name.set(event_target_value(&ev))
                    />
                </label>
                <label class="field">
                    <span>{tr(|t| t.your_email)}</span>
                    <input
                        type="email"
                        required
                        autocomplete="email"
                        prop:value=email
                        on:input=move |ev| email.set(event_target_value(&ev))
                    />
                </label>
            </div>
            <div class="field-row">
                <label class="field">
                    <span>{tr(|t| t.time_zone)}</span>
                    <input
                        type="text"
                        list="time-zones"
                        required
                        prop:value=time_zone
                        on:input=move |ev| time_zone.set(event_target_value(&ev))
                    />
                    <datalist id="time-zones">
                        {COMMON_TIME_ZONES.map(|zone| view! { <option value=zone></option> }).collect_view()}
                    </datalist>
                </label>
                <label class="field">
                    <span>{tr(|t| t.workspace_language)}</span>
                    <select prop:value=language on:change=move |ev| language.set(event_target_value(&ev))>
                        {Lang::ALL
                            .map(|lang| view! { <option value=lang.code()>{lang.native_name()}</option> })
                            .collect_view()}
                    </select>
                </label>
            </div>
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=with_sample
                    on:change=move |ev| with_sample.set(event_target_checked(&ev))
                />
                <span>{tr(|t| t.sample_data)}</span>
            </label>
            <div class="form-actions">
                <button type="submit" class="button" disabled=move || busy.get().is_some()>
                    {tr(|t| t.create_workspace)}
                </button>
                <span role="status" aria-live="polite" class="hint">{move || busy.get()}</span>
            </div>
            <p role="alert" class="status-error">{move || error.get()}</p>
        </form>
        <TransferSection />
    }
}

/// Sets up the workspace with `me` as its admin, remembers `me` in this browser, and optionally
/// fills the workspace with sample tickets (one bulk commit, like an import).
async fn create_workspace(
    state: AppState,
    me: AgentId,
    setup: WorkspaceSetup,
    with_sample: bool,
    busy: RwSignal<Option<&'static str>>,
) -> Result<(), ActionError> {
    let session = state.session().ok_or(ActionError::Store(crate::store::StoreError::Unavailable))?;
    let language = setup.language.clone();
    let workspace_name = setup.name.clone();
    state.execute_as(Actor::Agent(me), |ws, f| ws.setup(f, setup)).await?;
    session.set_me(me).await.map_err(ActionError::Store)?;
    if with_sample {
        busy.set(Some(state.lang.get_untracked().texts().loading_sample));
        let config = SampleConfig {
            joining: Some(me),
            workspace_name,
            language,
            ..SampleConfig::new(SAMPLE_TICKETS, SAMPLE_SEED, now_ms())
        };
        let (_, ops) = sample_ops(&config, session.desk.replica());
        let ops: Vec<_> = ops.collect();
        let result = session.desk.receive_bulk(ops, now_ms(), &[]).await;
        // Flush even after a failed batch: what was committed must get its snapshots.
        let flushed = session.desk.flush_snapshots().await;
        result.map_err(ActionError::Store)?;
        flushed.map_err(ActionError::Store)?;
    }
    state.me.set(Some(me));
    state.changed(&[]);
    Ok(())
}

/// Shown when the workspace exists in this browser but nobody here has said who they are (it was
/// imported, or set up in another tab before this one).
#[component]
pub fn ChooseAgentPage() -> impl IntoView {
    let state = use_app_state();
    let texts = move || state.texts();
    let error = RwSignal::new(None::<String>);
    // Value: the agent id; label: name and address (two agents may share a name).
    let agents = move || {
        state
            .with_workspace(|ws| {
                let mut options: crate::options::Options = ws
                    .agents()
                    .filter(|(_, entry)| entry.profile.active)
                    .map(|(id, entry)| (id.to_string(), format!("{} <{}>", entry.profile.name, entry.profile.email)))
                    .collect();
                crate::options::sort(&mut options);
                options
            })
            .unwrap_or_default()
    };
    let choose = move |agent: AgentId| {
        let Some(session) = state.session() else { return };
        leptos::task::spawn_local(async move {
            match session.set_me(agent).await {
                Ok(()) => state.me.set(Some(agent)),
                Err(failure) => error.set(Some(state.lang.get_untracked().texts().store_error(&failure))),
            }
        });
    };
    view! {
        <header class="page-header">
            <h1>{tr(|t| t.who_title)}</h1>
            <p class="page-intro">{tr(|t| t.who_intro)}</p>
        </header>
        <ul class="card agent-choices">
            <For each=agents key=|agent| agent.0.clone() let((id, label))>
                <li>
                    <button
                        type="button"
                        class="button button-secondary"
                        on:click=move |_| {
                            if let Ok(agent) = id.parse() {
                                choose(agent)
                            }
                        }
                    >
                        {
                            let label = label.clone();
                            move || (texts().continue_as)(&label)
                        }
                    </button>
                </li>
            </For>
        </ul>
        <p role="alert" class="status-error">{move || error.get()}</p>
    }
}

/// The browser's time zone (`Intl.DateTimeFormat().resolvedOptions().timeZone`), else Asia/Tokyo.
fn browser_time_zone() -> String {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&format.resolved_options(), &"timeZone".into())
        .ok()
        .and_then(|zone| zone.as_string())
        .unwrap_or_else(|| "Asia/Tokyo".to_owned())
}
