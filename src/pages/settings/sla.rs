//! Settings for service levels: business calendars (working hours per weekday, holidays typed in
//! or imported from an .ics file) and SLA policies (conditions, targets, order). Admins edit;
//! everyone reads. Each editor works on a draft and saves it as one change, since a policy is only
//! valid as a whole (a business-hours target needs its calendar).

use std::collections::BTreeSet;

use helpdesk_core::sla::{Calendar, SlaConditions, SlaPolicy, Target};
use helpdesk_core::sorting;
use helpdesk_core::time::business::{WorkingHours, format_intervals, parse_intervals};
use helpdesk_core::time::ics::holidays_from_ics;
use helpdesk_core::time::{Date, Weekday, Zone};
use helpdesk_core::{CalendarId, CategoryId, Channel, Priority, Role, SlaPolicyId, Tier};
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

use crate::platform::now_ms;
use crate::state::{AppState, use_app_state};

pub(super) fn is_admin(state: AppState) -> bool {
    let me = state.me.get();
    state
        .with_workspace(|ws| me.and_then(|me| ws.agent(me)).is_some_and(|a| a.profile.role == Role::Admin))
        .unwrap_or(false)
}

pub(super) fn confirmed(question: &str) -> bool {
    web_sys::window().and_then(|w| w.confirm_with_message(question).ok()).unwrap_or(false)
}

#[component]
pub fn SlaSection() -> impl IntoView {
    view! {
        <CalendarsCard />
        <PoliciesCard />
    }
}

/// The buttons of an item in a settings list: move up and down (for ordered lists: the item's
/// position and the last one), edit, delete. `name` goes into each button's accessible name.
pub(super) struct ItemActions {
    pub name: String,
    pub order: Option<(usize, usize, Callback<bool>)>,
    pub edit: Callback<()>,
    pub delete: Callback<()>,
    pub delete_text: &'static str,
}

impl ItemActions {
    pub(super) fn view(self, state: AppState) -> AnyView {
        let texts = state.texts_untracked().sla;
        let ItemActions { name, order, edit, delete, delete_text } = self;
        view! {
            <div class="item-actions">
                {order.map(|(index, last, shift)| view! {
                    <button type="button" class="button button-secondary" disabled=index == 0
                        aria-label=(texts.move_up)(&name) on:click=move |_| shift.run(true)>"↑"</button>
                    <button type="button" class="button button-secondary" disabled=index == last
                        aria-label=(texts.move_down)(&name) on:click=move |_| shift.run(false)>"↓"</button>
                })}
                <button type="button" class="button button-secondary" aria-label=(texts.edit)(&name)
                    on:click=move |_| edit.run(())>
                    {texts.edit_button}
                </button>
                <button type="button" class="button button-secondary danger"
                    aria-label=format!("{delete_text} ({name})") on:click=move |_| delete.run(())>
                    {delete_text}
                </button>
            </div>
        }
        .into_any()
    }
}

/// `list` with the item at `index` moved one place up or down; `None` at either end.
pub(super) fn moved<T>(mut list: Vec<T>, index: usize, up: bool) -> Option<Vec<T>> {
    let other = if up { index.checked_sub(1)? } else { index + 1 };
    (other < list.len()).then(|| {
        list.swap(index, other);
        list
    })
}

/// The foot of a settings list: its error, the "new" button (admins, while no editor is open)
/// and the editor that is open, if any.
pub(super) fn list_foot<Id: Copy + PartialEq + Send + Sync + 'static>(
    state: AppState,
    error: RwSignal<Option<String>>,
    editing: RwSignal<Editing<Id>>,
    new_label: fn(&crate::i18n::Texts) -> &'static str,
    editor: fn(Option<Id>, RwSignal<Editing<Id>>) -> AnyView,
) -> impl IntoView {
    view! {
        {move || error.get().map(|e| view! { <p class="status-error" role="alert">{e}</p> })}
        <Show when=move || is_admin(state) && editing.get() == Editing::Nothing>
            <button type="button" class="button" on:click=move |_| editing.set(Editing::New)>
                {move || new_label(state.texts())}
            </button>
        </Show>
        {move || match editing.get() {
            Editing::Nothing => None,
            Editing::New => Some(editor(None, editing)),
            Editing::Existing(id) => Some(editor(Some(id), editing)),
        }}
    }
}

/// Which item an editor is open for: none, a new one, or an existing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Editing<Id> {
    Nothing,
    New,
    Existing(Id),
}

// --- calendars ---

#[component]
fn CalendarsCard() -> impl IntoView {
    let state = use_app_state();
    let editing = RwSignal::new(Editing::<CalendarId>::Nothing);
    let calendars = move || {
        state
            .with_workspace(|ws| {
                let mut list: Vec<(CalendarId, Calendar)> =
                    ws.settings().calendars.iter().map(|(id, c)| (*id, c.clone())).collect();
                sorting::sort_by(&mut list, |a, b| a.1.name.cmp(&b.1.name).then(a.0.cmp(&b.0)));
                list
            })
            .unwrap_or_default()
    };
    let error = RwSignal::new(None::<String>);
    let delete = move |id: CalendarId, name: String| {
        if !confirmed(&(state.texts_untracked().sla.delete_calendar_confirm)(&name)) {
            return;
        }
        leptos::task::spawn_local(async move {
            match state.execute(move |ws, f| ws.delete_calendar(f, id)).await {
                Ok(_) => error.set(None),
                Err(failure) => error.set(Some(state.texts_untracked().desk_error(&failure))),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="calendars-heading">
            <h2 id="calendars-heading">{move || state.texts().sla.calendars_heading}</h2>
            <p class="hint">{move || state.texts().sla.calendars_intro}</p>
            {move || {
                let list = calendars();
                let texts = state.texts().sla;
                if list.is_empty() {
                    return view! { <p class="hint">{texts.no_calendars}</p> }.into_any();
                }
                view! {
                    <ul class="settings-list">
                        {list.into_iter().map(|(id, calendar)| {
                            let name = calendar.name.clone();
                            let week = Weekday::ALL
                                .iter()
                                .zip(&calendar.hours.week)
                                .filter(|(_, hours)| !hours.is_empty())
                                .map(|(day, hours)| format!("{} {}", (texts.weekday_short)(*day), format_intervals(hours)))
                                .collect::<Vec<_>>()
                                .join(" · ");
                            view! {
                                <li class="settings-item" data-calendar=id.to_string()>
                                    <div>
                                        <strong>{calendar.name.clone()}</strong>
                                        <span class="hint">" "{calendar.hours.time_zone.clone()}</span>
                                        <p class="hint">{week}</p>
                                        <p class="hint">{format!("{}: {}", texts.holidays_heading, calendar.hours.holidays.len())}</p>
                                    </div>
                                    {is_admin(state).then(|| ItemActions {
                                        name: name.clone(),
                                        order: None,
                                        edit: Callback::new(move |()| editing.set(Editing::Existing(id))),
                                        delete: Callback::new(move |()| delete(id, name.clone())),
                                        delete_text: texts.delete_calendar,
                                    }.view(state))}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {list_foot(state, error, editing, |t| t.sla.new_calendar, |id, editing| view! { <CalendarEditor id=id editing=editing /> }.into_any())}
        </section>
    }
}

/// The window of holidays an import keeps: from a year back (tickets still open from then)
/// to five years ahead.
fn import_window(zone: &Zone) -> (Date, Date) {
    let today = zone.today(now_ms());
    (today.add_days(-366), today.add_days(5 * 366))
}

async fn read_file(file: web_sys::File) -> Option<Vec<u8>> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await.ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}

#[component]
fn CalendarEditor(id: Option<CalendarId>, editing: RwSignal<Editing<CalendarId>>) -> impl IntoView {
    let state = use_app_state();
    let existing = state
        .with_workspace(|ws| {
            let zone = ws.settings().time_zone.clone();
            (id.and_then(|id| ws.settings().calendars.get(&id).cloned()), zone)
        })
        .unwrap_or_default();
    let (calendar, default_zone) = existing;
    let calendar = calendar.unwrap_or_else(|| Calendar {
        name: String::new(),
        hours: WorkingHours::weekdays(if default_zone.is_empty() { "UTC" } else { &default_zone }, 9 * 60, 18 * 60),
    });
    let name = RwSignal::new(calendar.name.clone());
    let zone = RwSignal::new(calendar.hours.time_zone.clone());
    let days: [RwSignal<String>; 7] =
        std::array::from_fn(|day| RwSignal::new(format_intervals(&calendar.hours.week[day])));
    let holidays = RwSignal::new(calendar.hours.holidays.clone());
    let new_date = RwSignal::new(String::new());
    let new_holiday = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let import_report = RwSignal::new(None::<(String, Vec<String>)>);
    let prefix = id.map_or_else(|| "new".to_owned(), |id| id.to_string());

    let add_holiday = move |_| {
        let Some(date) = Date::parse(new_date.get_untracked().trim()) else {
            error.set(Some(state.texts_untracked().sla.holiday_date.to_owned()));
            return;
        };
        holidays.update(|h| {
            h.insert(date, new_holiday.get_untracked().trim().to_owned());
        });
        new_date.set(String::new());
        new_holiday.set(String::new());
        error.set(None);
    };
    let import = move |event: leptos::ev::Event| {
        let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        input.set_value("");
        leptos::task::spawn_local(async move {
            let texts = state.texts_untracked().sla;
            let Some(bytes) = read_file(file).await else {
                error.set(Some(texts.e_unreadable.to_owned()));
                return;
            };
            let calendar_zone = Zone::named(zone.get_untracked().trim()).unwrap_or_else(Zone::utc);
            match holidays_from_ics(&bytes, &calendar_zone, import_window(&calendar_zone)) {
                Ok(found) => {
                    let count = found.holidays.len();
                    holidays.update(|h| h.extend(found.holidays));
                    let skipped: Vec<String> = found
                        .skipped
                        .iter()
                        .map(|s| (texts.skipped_event)(&s.summary, &texts.skip_reason(&s.reason)))
                        .collect();
                    import_report.set(Some(((texts.imported)(count, skipped.len()), skipped)));
                    error.set(None);
                }
                Err(failure) => {
                    import_report.set(None);
                    error.set(Some(texts.ics_error(&failure)));
                }
            }
        });
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let texts = state.texts_untracked().sla;
        let mut week: [Vec<(u16, u16)>; 7] = Default::default();
        for (index, day) in Weekday::ALL.into_iter().enumerate() {
            match parse_intervals(&days[index].get_untracked()) {
                Ok(intervals) => week[index] = intervals,
                Err(failure) => {
                    error.set(Some(texts.intervals_error(day, &failure)));
                    return;
                }
            }
        }
        let calendar = Calendar {
            name: name.get_untracked(),
            hours: WorkingHours {
                time_zone: zone.get_untracked().trim().to_owned(),
                week,
                holidays: holidays.get_untracked(),
            },
        };
        leptos::task::spawn_local(async move {
            match state.execute(move |ws, f| ws.save_calendar(f, id, calendar)).await {
                Ok(_) => {
                    error.set(None);
                    editing.set(Editing::Nothing);
                }
                Err(failure) => error.set(Some(state.texts_untracked().desk_error(&failure))),
            }
        });
    };

    let field_id = move |what: &str| format!("calendar-{prefix}-{what}");
    view! {
        <form class="editor calendar-editor" on:submit=save>
            <div class="field-row">
                <label class="field">
                    <span>{move || state.texts().sla.calendar_name}</span>
                    <input type="text" required prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
                </label>
                <label class="field">
                    <span>{move || state.texts().sla.time_zone}</span>
                    <input type="text" list="calendar-zones" prop:value=zone on:input=move |ev| zone.set(event_target_value(&ev)) />
                </label>
                <datalist id="calendar-zones">
                    {helpdesk_core::time::zone_names().map(|zone| view! { <option value=zone></option> }).collect_view()}
                </datalist>
            </div>
            <fieldset class="week-hours">
                <legend>{move || state.texts().sla.week_heading}</legend>
                <p class="hint" id=field_id("hours-hint")>{move || state.texts().sla.hours_hint}</p>
                {Weekday::ALL.into_iter().enumerate().map(|(index, day)| {
                    let value = days[index];
                    view! {
                        <label class="week-day">
                            <span>{move || (state.texts().sla.weekday_name)(day)}</span>
                            <input type="text" prop:value=value aria-describedby=field_id("hours-hint")
                                on:input=move |ev| value.set(event_target_value(&ev)) />
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <fieldset class="holidays">
                <legend>{move || state.texts().sla.holidays_heading}</legend>
                {move || {
                    let list = holidays.get();
                    let texts = state.texts().sla;
                    if list.is_empty() {
                        return view! { <p class="hint">{texts.no_holidays}</p> }.into_any();
                    }
                    view! {
                        <ul class="holiday-list">
                            {list.into_iter().map(|(date, holiday)| {
                                let label = (texts.remove_holiday)(&date.to_string());
                                view! {
                                    <li>
                                        <span class="holiday-date">{date.to_string()}</span>
                                        <span>{holiday}</span>
                                        <button type="button" class="icon-button" aria-label=label
                                            on:click=move |_| holidays.update(|h| { h.remove(&date); })>
                                            "×"
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <div class="field-row">
                    <label class="field">
                        <span>{move || state.texts().sla.holiday_date}</span>
                        <input type="date" prop:value=new_date on:input=move |ev| new_date.set(event_target_value(&ev)) />
                    </label>
                    <label class="field">
                        <span>{move || state.texts().sla.holiday_name}</span>
                        <input type="text" prop:value=new_holiday on:input=move |ev| new_holiday.set(event_target_value(&ev)) />
                    </label>
                    <button type="button" class="button button-secondary" on:click=add_holiday>
                        {move || state.texts().sla.add_holiday}
                    </button>
                </div>
                <label class="field">
                    <span>{move || state.texts().sla.import_ics}</span>
                    <input type="file" accept=".ics,text/calendar" on:change=import />
                </label>
                <p class="hint">{move || state.texts().sla.import_ics_hint}</p>
                {move || import_report.get().map(|(headline, skipped)| view! {
                    <div class="import-report" role="status">
                        <p>{headline}</p>
                        {(!skipped.is_empty()).then(|| view! {
                            <ul>{skipped.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                        })}
                    </div>
                })}
            </fieldset>
            {move || error.get().map(|e| view! { <p class="status-error" role="alert">{e}</p> })}
            <div class="form-actions">
                <button type="submit" class="button">{move || state.texts().sla.save_calendar}</button>
                <button type="button" class="button button-secondary" on:click=move |_| editing.set(Editing::Nothing)>
                    {move || state.texts().sla.cancel}
                </button>
            </div>
        </form>
    }
}

// --- policies ---

#[component]
fn PoliciesCard() -> impl IntoView {
    let state = use_app_state();
    let editing = RwSignal::new(Editing::<SlaPolicyId>::Nothing);
    let error = RwSignal::new(None::<String>);
    let policies = move || {
        state
            .with_workspace(|ws| {
                let mut list: Vec<(SlaPolicyId, SlaPolicy)> =
                    ws.settings().sla_policies.iter().map(|(id, p)| (*id, p.clone())).collect();
                sorting::sort_by_key(&mut list, |(id, policy)| (policy.order, *id));
                list
            })
            .unwrap_or_default()
    };
    // Moving a policy renumbers the whole list in its new order (one op per policy whose place
    // changed), so concurrent moves elsewhere still leave a total order.
    let shift = move |index: usize, up: bool| {
        let Some(list) = moved(policies(), index, up) else { return };
        leptos::task::spawn_local(async move {
            let outcome = state
                .execute(move |ws, f| {
                    let mut ops = Vec::new();
                    for (position, (id, policy)) in list.into_iter().enumerate() {
                        let order = position as u32 + 1;
                        if policy.order != order {
                            ops.extend(ws.save_sla_policy(f, Some(id), SlaPolicy { order, ..policy })?.1);
                        }
                    }
                    Ok(ops)
                })
                .await;
            match outcome {
                Ok(_) => error.set(None),
                Err(failure) => error.set(Some(state.texts_untracked().desk_error(&failure))),
            }
        });
    };
    let delete = move |id: SlaPolicyId, name: String| {
        if !confirmed(&(state.texts_untracked().sla.delete_policy_confirm)(&name)) {
            return;
        }
        leptos::task::spawn_local(async move {
            match state.execute(move |ws, f| ws.delete_sla_policy(f, id)).await {
                Ok(_) => error.set(None),
                Err(failure) => error.set(Some(state.texts_untracked().desk_error(&failure))),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="policies-heading">
            <h2 id="policies-heading">{move || state.texts().sla.policies_heading}</h2>
            <p class="hint">{move || state.texts().sla.policies_intro}</p>
            {move || {
                let list = policies();
                let texts = state.texts().sla;
                if list.is_empty() {
                    return view! { <p class="hint">{texts.no_policies}</p> }.into_any();
                }
                let last = list.len() - 1;
                view! {
                    <ol class="settings-list">
                        {list.into_iter().enumerate().map(|(index, (id, policy))| {
                            let name = policy.name.clone();
                            let targets = [
                                (helpdesk_core::sla::Metric::FirstReply, policy.first_reply),
                                (helpdesk_core::sla::Metric::NextReply, policy.next_reply),
                                (helpdesk_core::sla::Metric::Resolution, policy.resolution),
                            ]
                            .into_iter()
                            .filter_map(|(metric, target)| {
                                let target = target?;
                                let counting = if target.business_hours { texts.business_hours } else { texts.calendar_time };
                                Some(format!("{} {} ({counting})", (texts.metric_name)(metric), (texts.duration)(target.ms())))
                            })
                            .collect::<Vec<_>>()
                            .join(" · ");
                            view! {
                                <li class="settings-item" data-policy=id.to_string()>
                                    <div>
                                        <strong>{policy.name.clone()}</strong>
                                        <p class="hint">{(texts.summary_targets)(&targets)}</p>
                                    </div>
                                    {is_admin(state).then(|| ItemActions {
                                        name: name.clone(),
                                        order: Some((index, last, Callback::new(move |up| shift(index, up)))),
                                        edit: Callback::new(move |()| editing.set(Editing::Existing(id))),
                                        delete: Callback::new(move |()| delete(id, name.clone())),
                                        delete_text: texts.delete_policy,
                                    }.view(state))}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            {list_foot(state, error, editing, |t| t.sla.new_policy, |id, editing| view! { <PolicyEditor id=id editing=editing /> }.into_any())}
        </section>
    }
}

/// One target as edited: hours and minutes (both empty for no target) and how it counts.
#[derive(Debug, Clone, Copy)]
struct TargetDraft {
    hours: RwSignal<String>,
    minutes: RwSignal<String>,
    business: RwSignal<bool>,
}

impl TargetDraft {
    fn new(target: Option<Target>, business_default: bool) -> TargetDraft {
        let (hours, minutes) = target
            .map_or((String::new(), String::new()), |t| ((t.minutes / 60).to_string(), (t.minutes % 60).to_string()));
        TargetDraft {
            hours: RwSignal::new(hours),
            minutes: RwSignal::new(minutes),
            business: RwSignal::new(target.map_or(business_default, |t| t.business_hours)),
        }
    }

    /// The target, `Ok(None)` when both parts are empty, `Err` for what is not a number.
    fn target(self) -> Result<Option<Target>, ()> {
        let (hours, minutes) = (self.hours.get_untracked(), self.minutes.get_untracked());
        let (hours, minutes) = (hours.trim(), minutes.trim());
        if hours.is_empty() && minutes.is_empty() {
            return Ok(None);
        }
        let number = |text: &str| if text.is_empty() { Ok(0) } else { text.parse::<u32>().map_err(|_| ()) };
        let total = number(hours)?.saturating_mul(60).saturating_add(number(minutes)?);
        Ok(Some(Target { minutes: total, business_hours: self.business.get_untracked() }))
    }
}

/// A group of checkboxes over a set: none checked means any value.
fn toggle<T: Ord + Send + Sync + 'static>(set: RwSignal<BTreeSet<T>>, value: T, on: bool) {
    set.update(|set| {
        if on {
            set.insert(value);
        } else {
            set.remove(&value);
        }
    });
}

#[component]
fn PolicyEditor(id: Option<SlaPolicyId>, editing: RwSignal<Editing<SlaPolicyId>>) -> impl IntoView {
    let state = use_app_state();
    let (policy, calendars, categories, next_order) = state
        .with_workspace(|ws| {
            let settings = ws.settings();
            let calendars: Vec<(CalendarId, String)> = {
                let mut list: Vec<_> = settings.calendars.iter().map(|(id, c)| (*id, c.name.clone())).collect();
                sorting::sort_by(&mut list, |a, b| a.1.cmp(&b.1));
                list
            };
            let next_order = settings.sla_policies.values().map(|p| p.order).max().map_or(1, |max| max + 1);
            let categories: Vec<(CategoryId, String)> =
                ws.categories().map(|(id, c)| (id, c.profile.name.clone())).collect();
            (id.and_then(|id| settings.sla_policies.get(&id).cloned()), calendars, categories, next_order)
        })
        .unwrap_or_default();
    let first_calendar = calendars.first().map(|(id, _)| *id);
    let policy = policy.unwrap_or_else(|| SlaPolicy {
        name: String::new(),
        order: next_order,
        conditions: SlaConditions::default(),
        calendar: first_calendar,
        first_reply: None,
        next_reply: None,
        resolution: None,
        warn_at_percent: 75,
    });
    let order = policy.order;
    let name = RwSignal::new(policy.name.clone());
    let calendar = RwSignal::new(policy.calendar);
    let priorities = RwSignal::new(policy.conditions.priorities);
    let tiers = RwSignal::new(policy.conditions.tiers);
    let channels = RwSignal::new(policy.conditions.channels);
    let chosen_categories = RwSignal::new(policy.conditions.categories.clone());
    let business_default = policy.calendar.is_some();
    let targets = [
        (helpdesk_core::sla::Metric::FirstReply, TargetDraft::new(policy.first_reply, business_default)),
        (helpdesk_core::sla::Metric::NextReply, TargetDraft::new(policy.next_reply, business_default)),
        (helpdesk_core::sla::Metric::Resolution, TargetDraft::new(policy.resolution, business_default)),
    ];
    let warn = RwSignal::new(policy.warn_at_percent.to_string());
    let error = RwSignal::new(None::<String>);

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let texts = state.texts_untracked().sla;
        let mut parsed = [None; 3];
        for (slot, (_, draft)) in parsed.iter_mut().zip(targets) {
            match draft.target() {
                Ok(target) => *slot = target,
                Err(()) => {
                    error.set(Some(texts.e_target_range.to_owned()));
                    return;
                }
            }
        }
        let Ok(warn_at_percent) = warn.get_untracked().trim().parse::<u8>() else {
            error.set(Some(texts.e_warning_range.to_owned()));
            return;
        };
        let [first_reply, next_reply, resolution] = parsed;
        let policy = SlaPolicy {
            name: name.get_untracked(),
            order,
            conditions: SlaConditions {
                priorities: priorities.get_untracked(),
                categories: chosen_categories.get_untracked(),
                tiers: tiers.get_untracked(),
                channels: channels.get_untracked(),
            },
            calendar: calendar.get_untracked(),
            first_reply,
            next_reply,
            resolution,
            warn_at_percent,
        };
        leptos::task::spawn_local(async move {
            match state.execute(move |ws, f| ws.save_sla_policy(f, id, policy)).await {
                Ok(_) => {
                    error.set(None);
                    editing.set(Editing::Nothing);
                }
                Err(failure) => error.set(Some(state.texts_untracked().desk_error(&failure))),
            }
        });
    };

    let choice_group = move |legend: fn(&crate::i18n::SlaTexts) -> &'static str,
                             options: Vec<(String, AnyView, Signal<bool>, Callback<bool>)>| {
        view! {
            <fieldset class="choice-group">
                <legend>{move || legend(state.texts().sla)}" "<span class="hint">{move || format!("({})", state.texts().sla.any)}</span></legend>
                {options.into_iter().map(|(key, label, checked, set)| view! {
                    <label class="choice" data-choice=key>
                        <input type="checkbox" prop:checked=checked on:change=move |ev| set.run(event_target_checked(&ev)) />
                        {label}
                    </label>
                }).collect_view()}
            </fieldset>
        }
    };
    let priority_options = Priority::ALL
        .into_iter()
        .map(|p| {
            (
                p.as_str().to_owned(),
                view! { <span>{move || (state.texts().priority_name)(p)}</span> }.into_any(),
                Signal::derive(move || priorities.with(|s| s.contains(p))),
                Callback::new(move |on| priorities.update(|set| set.set(p, on))),
            )
        })
        .collect();
    let tier_options = Tier::ALL
        .into_iter()
        .map(|t| {
            (
                t.as_str().to_owned(),
                view! { <span>{move || (state.texts().tier_name)(t)}</span> }.into_any(),
                Signal::derive(move || tiers.with(|s| s.contains(t))),
                Callback::new(move |on| tiers.update(|set| set.set(t, on))),
            )
        })
        .collect();
    let channel_options = Channel::ALL
        .into_iter()
        .map(|c| {
            (
                c.as_str().to_owned(),
                view! { <span>{move || (state.texts().channel_name)(c)}</span> }.into_any(),
                Signal::derive(move || channels.with(|s| s.contains(c))),
                Callback::new(move |on| channels.update(|set| set.set(c, on))),
            )
        })
        .collect();
    let category_options = categories
        .into_iter()
        .map(|(c, label)| {
            (
                c.to_string(),
                view! { <span>{label}</span> }.into_any(),
                Signal::derive(move || chosen_categories.with(|s| s.contains(&c))),
                Callback::new(move |on| toggle(chosen_categories, c, on)),
            )
        })
        .collect::<Vec<_>>();
    let has_categories = !category_options.is_empty();

    view! {
        <form class="editor policy-editor" on:submit=save>
            <div class="field-row">
                <label class="field">
                    <span>{move || state.texts().sla.policy_name}</span>
                    <input type="text" required prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
                </label>
                <label class="field">
                    <span>{move || state.texts().sla.calendar}</span>
                    <select on:change=move |ev| calendar.set(event_target_value(&ev).parse::<CalendarId>().ok())>
                        <option value="" selected=move || calendar.get().is_none()>{move || state.texts().sla.no_calendar}</option>
                        {calendars.into_iter().map(|(id, label)| view! {
                            <option value=id.to_string() selected=move || calendar.get() == Some(id)>{label}</option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <fieldset class="conditions">
                <legend>{move || state.texts().sla.conditions}</legend>
                {choice_group(|t| t.priorities, priority_options)}
                {choice_group(|t| t.tiers, tier_options)}
                {choice_group(|t| t.channels, channel_options)}
                {has_categories.then(|| choice_group(|t| t.categories, category_options))}
            </fieldset>
            <fieldset class="targets">
                <legend>{move || state.texts().sla.targets}</legend>
                <p class="hint">{move || state.texts().sla.target_off}</p>
                {targets.map(|(metric, draft)| {
                    let metric_name = move || (state.texts().sla.metric_name)(metric);
                    view! {
                        <div class="target-row" data-metric=metric.as_str()>
                            <span class="target-name">{metric_name}</span>
                            <input type="number" min="0" inputmode="numeric" class="target-hours"
                                aria-label=move || (state.texts().sla.target_hours)(metric_name())
                                prop:value=draft.hours on:input=move |ev| draft.hours.set(event_target_value(&ev)) />
                            <span aria-hidden="true">"h"</span>
                            <input type="number" min="0" max="59" inputmode="numeric" class="target-minutes"
                                aria-label=move || (state.texts().sla.target_minutes)(metric_name())
                                prop:value=draft.minutes on:input=move |ev| draft.minutes.set(event_target_value(&ev)) />
                            <span aria-hidden="true">"m"</span>
                            <label class="choice">
                                <input type="checkbox" prop:checked=draft.business
                                    aria-label=move || (state.texts().sla.target_business)(metric_name())
                                    on:change=move |ev| draft.business.set(event_target_checked(&ev)) />
                                <span aria-hidden="true">{move || state.texts().sla.business_hours}</span>
                            </label>
                        </div>
                    }
                }).collect_view()}
                <label class="field">
                    <span>{move || state.texts().sla.warn_at}</span>
                    <input type="number" min="1" max="99" prop:value=warn on:input=move |ev| warn.set(event_target_value(&ev)) />
                </label>
            </fieldset>
            {move || error.get().map(|e| view! { <p class="status-error" role="alert">{e}</p> })}
            <div class="form-actions">
                <button type="submit" class="button">{move || state.texts().sla.save_policy}</button>
                <button type="button" class="button button-secondary" on:click=move |_| editing.set(Editing::Nothing)>
                    {move || state.texts().sla.cancel}
                </button>
            </div>
        </form>
    }
}
