//! Settings for automation: rules (trigger, conditions, actions, order, on/off, a test against a
//! ticket) and the escalation ladder. Admins edit; everyone reads. The editor keeps each line as
//! plain keys and text while it is edited and builds the core's [`Rule`] when saving or testing,
//! so a half-filled line never reaches the core.

use helpdesk_core::rules::{
    Action, AssignMethod, Condition, EscalationTier, Outcome, Recipient, Rule, Test, TextField, Timer, Trigger,
};
use helpdesk_core::{AgentId, Channel, Priority, RuleId, SlaPolicyId, Status, Tag, TeamId, Tier, Workspace};
use leptos::prelude::*;

use crate::i18n::Texts;
use crate::options::{self, Options};
use crate::platform::now_ms;
use crate::state::{AppState, use_app_state};

use super::sla::{Editing, ItemActions, confirmed, is_admin, list_foot, moved};

#[component]
pub fn RulesSection() -> impl IntoView {
    view! {
        <RulesCard />
        <EscalationCard />
    }
}

const TRIGGERS: [&str; 9] = [
    "created",
    "updated",
    "created_or_updated",
    "hours_since_created",
    "hours_since_updated",
    "hours_pending",
    "hours_since_resolved",
    "sla_warning",
    "sla_breached",
];

const FIELDS: [&str; 11] = [
    "status",
    "priority",
    "category",
    "team",
    "assignee",
    "channel",
    "tier",
    "tag",
    "subject",
    "comment",
    "business_hours",
];

const ACTIONS: [&str; 12] = [
    "set_status",
    "set_priority",
    "set_category",
    "set_team",
    "set_assignee",
    "assign",
    "add_tag",
    "remove_tag",
    "add_note",
    "apply_sla",
    "escalate",
    "notify",
];

const METHODS: [AssignMethod; 3] = [AssignMethod::RoundRobin, AssignMethod::LeastLoaded, AssignMethod::Skills];

fn method_key(method: AssignMethod) -> &'static str {
    match method {
        AssignMethod::RoundRobin => "round_robin",
        AssignMethod::LeastLoaded => "least_loaded",
        AssignMethod::Skills => "skills",
    }
}

fn tests_for(field: &str) -> &'static [&'static str] {
    match field {
        "priority" | "tier" => &["is", "is_not", "above", "below", "changed", "changed_to", "changed_from"],
        "tag" => &["has", "has_not"],
        "subject" | "comment" => &["contains", "not_contains"],
        "business_hours" => &["inside", "outside"],
        _ => &["is", "is_not", "changed", "changed_to", "changed_from"],
    }
}

fn trigger_key(trigger: Trigger) -> (&'static str, u32) {
    match trigger {
        Trigger::Created => ("created", 0),
        Trigger::Updated => ("updated", 0),
        Trigger::CreatedOrUpdated => ("created_or_updated", 0),
        Trigger::Timer(Timer::HoursSinceCreated(h)) => ("hours_since_created", h),
        Trigger::Timer(Timer::HoursSinceUpdated(h)) => ("hours_since_updated", h),
        Trigger::Timer(Timer::HoursPending(h)) => ("hours_pending", h),
        Trigger::Timer(Timer::HoursSinceResolved(h)) => ("hours_since_resolved", h),
        Trigger::Timer(Timer::SlaWarning) => ("sla_warning", 0),
        Trigger::Timer(Timer::SlaBreached) => ("sla_breached", 0),
    }
}

fn has_hours(trigger: &str) -> bool {
    trigger.starts_with("hours_")
}

fn to_trigger(key: &str, hours: &str) -> Option<Trigger> {
    // Out-of-range hours reach the core, which says what the range is.
    let hours = || hours.trim().parse::<u32>().ok();
    Some(match key {
        "created" => Trigger::Created,
        "updated" => Trigger::Updated,
        "created_or_updated" => Trigger::CreatedOrUpdated,
        "hours_since_created" => Trigger::Timer(Timer::HoursSinceCreated(hours()?)),
        "hours_since_updated" => Trigger::Timer(Timer::HoursSinceUpdated(hours()?)),
        "hours_pending" => Trigger::Timer(Timer::HoursPending(hours()?)),
        "hours_since_resolved" => Trigger::Timer(Timer::HoursSinceResolved(hours()?)),
        "sla_warning" => Trigger::Timer(Timer::SlaWarning),
        "sla_breached" => Trigger::Timer(Timer::SlaBreached),
        _ => return None,
    })
}

fn optional_id<I: std::str::FromStr>(value: &str) -> Option<Option<I>> {
    if value.is_empty() { Some(None) } else { value.parse().ok().map(Some) }
}

fn option_key<I: ToString>(value: &Option<I>) -> String {
    value.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn status_of(key: &str) -> Option<Status> {
    Status::ALL.into_iter().find(|s| s.as_str() == key)
}

fn priority_of(key: &str) -> Option<Priority> {
    Priority::ALL.into_iter().find(|p| p.as_str() == key)
}

fn channel_of(key: &str) -> Option<Channel> {
    Channel::ALL.into_iter().find(|c| c.as_str() == key)
}

fn tier_of(key: &str) -> Option<Tier> {
    Tier::ALL.into_iter().find(|t| t.as_str() == key)
}

fn make_test<V>(test: &str, value: impl FnOnce() -> Option<V>) -> Option<Test<V>> {
    Some(match test {
        "changed" => Test::Changed,
        "is" => Test::Is(value()?),
        "is_not" => Test::IsNot(value()?),
        "changed_to" => Test::ChangedTo(value()?),
        "changed_from" => Test::ChangedFrom(value()?),
        "above" => Test::Above(value()?),
        "below" => Test::Below(value()?),
        _ => return None,
    })
}

fn split_test<V>(test: &Test<V>, show: impl Fn(&V) -> String) -> (&'static str, String) {
    match test {
        Test::Is(v) => ("is", show(v)),
        Test::IsNot(v) => ("is_not", show(v)),
        Test::Changed => ("changed", String::new()),
        Test::ChangedTo(v) => ("changed_to", show(v)),
        Test::ChangedFrom(v) => ("changed_from", show(v)),
        Test::Above(v) => ("above", show(v)),
        Test::Below(v) => ("below", show(v)),
    }
}

fn to_condition(field: &str, test: &str, value: &str) -> Option<Condition> {
    let value = value.trim();
    Some(match field {
        "status" => Condition::Status(make_test(test, || status_of(value))?),
        "priority" => Condition::Priority(make_test(test, || priority_of(value))?),
        "category" => Condition::Category(make_test(test, || optional_id(value))?),
        "team" => Condition::Team(make_test(test, || optional_id::<TeamId>(value))?),
        "assignee" => Condition::Assignee(make_test(test, || optional_id::<AgentId>(value))?),
        "channel" => Condition::Channel(make_test(test, || channel_of(value))?),
        "tier" => Condition::Tier(make_test(test, || tier_of(value))?),
        "tag" => Condition::Tag { tag: Tag::parse(value).ok()?, present: test == "has" },
        "subject" | "comment" => Condition::Text {
            field: if field == "subject" { TextField::Subject } else { TextField::Comment },
            text: value.to_owned(),
            contains: test == "contains",
        },
        "business_hours" => Condition::BusinessHours { calendar: value.parse().ok()?, inside: test == "inside" },
        _ => return None,
    })
}

fn from_condition(condition: &Condition) -> (&'static str, &'static str, String) {
    match condition {
        Condition::Status(t) => {
            let (test, value) = split_test(t, |s| s.as_str().to_owned());
            ("status", test, value)
        }
        Condition::Priority(t) => {
            let (test, value) = split_test(t, |p| p.as_str().to_owned());
            ("priority", test, value)
        }
        Condition::Category(t) => {
            let (test, value) = split_test(t, option_key);
            ("category", test, value)
        }
        Condition::Team(t) => {
            let (test, value) = split_test(t, option_key);
            ("team", test, value)
        }
        Condition::Assignee(t) => {
            let (test, value) = split_test(t, option_key);
            ("assignee", test, value)
        }
        Condition::Channel(t) => {
            let (test, value) = split_test(t, |c| c.as_str().to_owned());
            ("channel", test, value)
        }
        Condition::Tier(t) => {
            let (test, value) = split_test(t, |t| t.as_str().to_owned());
            ("tier", test, value)
        }
        Condition::Tag { tag, present } => ("tag", if *present { "has" } else { "has_not" }, tag.as_str().to_owned()),
        Condition::Text { field, text, contains } => (
            if *field == TextField::Subject { "subject" } else { "comment" },
            if *contains { "contains" } else { "not_contains" },
            text.clone(),
        ),
        Condition::BusinessHours { calendar, inside } => {
            ("business_hours", if *inside { "inside" } else { "outside" }, calendar.to_string())
        }
    }
}

fn to_action(kind: &str, value: &str, extra: &str) -> Option<Action> {
    let value = value.trim();
    Some(match kind {
        "set_status" => Action::SetStatus(status_of(value)?),
        "set_priority" => Action::SetPriority(priority_of(value)?),
        "set_category" => Action::SetCategory(optional_id(value)?),
        "set_team" => Action::SetTeam(optional_id(value)?),
        "set_assignee" => Action::SetAssignee(optional_id(value)?),
        "assign" => {
            Action::Assign { method: METHODS.into_iter().find(|m| method_key(*m) == value)?, team: optional_id(extra)? }
        }
        "add_tag" => Action::AddTag(Tag::parse(value).ok()?),
        "remove_tag" => Action::RemoveTag(Tag::parse(value).ok()?),
        "add_note" => Action::AddNote(value.to_owned()),
        "apply_sla" => Action::ApplySla(optional_id::<SlaPolicyId>(value)?),
        "escalate" => Action::Escalate,
        "notify" => Action::Notify { to: recipient_of(extra)?, message: value.to_owned() },
        _ => return None,
    })
}

fn from_action(action: &Action) -> (&'static str, String, String) {
    let none = String::new;
    match action {
        Action::SetStatus(s) => ("set_status", s.as_str().to_owned(), none()),
        Action::SetPriority(p) => ("set_priority", p.as_str().to_owned(), none()),
        Action::SetCategory(c) => ("set_category", option_key(c), none()),
        Action::SetTeam(t) => ("set_team", option_key(t), none()),
        Action::SetAssignee(a) => ("set_assignee", option_key(a), none()),
        Action::Assign { team, method } => ("assign", method_key(*method).to_owned(), option_key(team)),
        Action::AddTag(tag) => ("add_tag", tag.as_str().to_owned(), none()),
        Action::RemoveTag(tag) => ("remove_tag", tag.as_str().to_owned(), none()),
        Action::AddNote(text) => ("add_note", text.clone(), none()),
        Action::ApplySla(p) => ("apply_sla", option_key(p), none()),
        Action::Escalate => ("escalate", none(), none()),
        Action::Notify { to, message } => ("notify", message.clone(), recipient_key(*to)),
    }
}

fn recipient_key(to: Recipient) -> String {
    match to {
        Recipient::Assignee => "assignee".to_owned(),
        Recipient::Agent(id) => format!("agent:{id}"),
        Recipient::Team(id) => format!("team:{id}"),
    }
}

fn recipient_of(key: &str) -> Option<Recipient> {
    match key.split_once(':') {
        None if key == "assignee" => Some(Recipient::Assignee),
        Some(("agent", id)) => id.parse().ok().map(Recipient::Agent),
        Some(("team", id)) => id.parse().ok().map(Recipient::Team),
        _ => None,
    }
}

/// Who a notify action can reach: the assignee, an agent, everyone of a team.
fn recipients(ws: &Workspace, t: &Texts) -> Options {
    let mut list = vec![("assignee".to_owned(), t.rules.the_assignee.to_owned())];
    list.extend(options::agents(ws).into_iter().map(|(id, name)| (format!("agent:{id}"), name)));
    list.extend(options::teams(ws).into_iter().map(|(id, name)| (format!("team:{id}"), (t.rules.whole_team)(&name))));
    list
}

/// The choices for a condition's or an action's value; `None` means free text.
fn value_options(ws: &Workspace, t: &Texts, key: &str) -> Option<Options> {
    let with_none = |mut list: Options, none: &str| {
        list.insert(0, (String::new(), none.to_owned()));
        list
    };
    Some(match key {
        "status" | "set_status" => {
            Status::ALL.iter().map(|s| (s.as_str().to_owned(), (t.status_name)(*s).to_owned())).collect()
        }
        "priority" | "set_priority" => {
            Priority::ALL.iter().map(|p| (p.as_str().to_owned(), (t.priority_name)(*p).to_owned())).collect()
        }
        "channel" => Channel::ALL.iter().map(|c| (c.as_str().to_owned(), (t.channel_name)(*c).to_owned())).collect(),
        "tier" => Tier::ALL.iter().map(|x| (x.as_str().to_owned(), (t.tier_name)(*x).to_owned())).collect(),
        "category" | "set_category" => with_none(options::categories(ws), t.none),
        "team" | "set_team" => with_none(options::teams(ws), t.none),
        "assignee" | "set_assignee" => with_none(options::agents(ws), t.rules.nobody),
        "business_hours" => {
            let mut list: Options =
                ws.settings().calendars.iter().map(|(id, c)| (id.to_string(), c.name.clone())).collect();
            options::sort(&mut list);
            list
        }
        "apply_sla" => {
            let mut list: Options =
                ws.settings().sla_policies.iter().map(|(id, p)| (id.to_string(), p.name.clone())).collect();
            options::sort(&mut list);
            with_none(list, t.rules.by_conditions)
        }
        "assign" => METHODS.iter().map(|m| (method_key(*m).to_owned(), (t.rules.method_name)(*m).to_owned())).collect(),
        _ => return None,
    })
}

/// A line of the editor: a condition (field, test, value) or an action (kind, value, extra).
#[derive(Debug, Clone, Copy)]
struct Line {
    key: u32,
    first: RwSignal<String>,
    second: RwSignal<String>,
    third: RwSignal<String>,
}

impl Line {
    fn new(key: u32, first: &str, second: &str, third: String) -> Line {
        Line {
            key,
            first: RwSignal::new(first.to_owned()),
            second: RwSignal::new(second.to_owned()),
            third: RwSignal::new(third),
        }
    }
}

/// The rule as edited.
#[derive(Debug, Clone, Copy)]
struct Draft {
    name: RwSignal<String>,
    trigger: RwSignal<String>,
    hours: RwSignal<String>,
    all: RwSignal<Vec<Line>>,
    any: RwSignal<Vec<Line>>,
    actions: RwSignal<Vec<Line>>,
    next_key: StoredValue<u32>,
    order: u32,
    enabled: bool,
}

impl Draft {
    fn of(rule: &Rule) -> Draft {
        let mut key = 0;
        let mut next = || {
            key += 1;
            key
        };
        let conditions = |list: &[Condition], next: &mut dyn FnMut() -> u32| {
            list.iter()
                .map(|c| {
                    let (field, test, value) = from_condition(c);
                    Line::new(next(), field, test, value)
                })
                .collect::<Vec<_>>()
        };
        let all = conditions(&rule.all, &mut next);
        let any = conditions(&rule.any, &mut next);
        let actions = rule
            .actions
            .iter()
            .map(|a| {
                let (kind, value, extra) = from_action(a);
                let line = Line::new(next(), kind, "", value);
                line.second.set(extra);
                line
            })
            .collect();
        let (trigger, hours) = trigger_key(rule.trigger);
        Draft {
            name: RwSignal::new(rule.name.clone()),
            trigger: RwSignal::new(trigger.to_owned()),
            hours: RwSignal::new(if hours == 0 { "24".to_owned() } else { hours.to_string() }),
            all: RwSignal::new(all),
            any: RwSignal::new(any),
            actions: RwSignal::new(actions),
            next_key: StoredValue::new(next()),
            order: rule.order,
            enabled: rule.enabled,
        }
    }

    fn key(&self) -> u32 {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        key
    }

    /// The rule, or which line to fix (1-based, conditions first, then actions).
    fn build(&self) -> Result<Rule, usize> {
        let trigger = to_trigger(&self.trigger.get_untracked(), &self.hours.get_untracked()).ok_or(0usize)?;
        let mut line = 0;
        let mut conditions = |lines: Vec<Line>| -> Result<Vec<Condition>, usize> {
            lines
                .into_iter()
                .map(|l| {
                    line += 1;
                    to_condition(&l.first.get_untracked(), &l.second.get_untracked(), &l.third.get_untracked())
                        .ok_or(line)
                })
                .collect()
        };
        let all = conditions(self.all.get_untracked())?;
        let any = conditions(self.any.get_untracked())?;
        let actions = self
            .actions
            .get_untracked()
            .into_iter()
            .map(|l| {
                line += 1;
                to_action(&l.first.get_untracked(), &l.third.get_untracked(), &l.second.get_untracked()).ok_or(line)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Rule {
            name: self.name.get_untracked(),
            order: self.order,
            enabled: self.enabled,
            trigger,
            all,
            any,
            actions,
        })
    }
}

fn rules_in_order(ws: &Workspace) -> Vec<(RuleId, Rule)> {
    ws.settings().rules_in_order().map(|(id, rule)| (id, rule.clone())).collect()
}

fn report(state: AppState, error: RwSignal<Option<String>>, outcome: Result<impl Sized, crate::state::ActionError>) {
    match outcome {
        Ok(_) => error.set(None),
        Err(failure) => error.set(Some(state.texts_untracked().desk_error(&failure))),
    }
}

#[component]
fn RulesCard() -> impl IntoView {
    let state = use_app_state();
    let editing = RwSignal::new(Editing::<RuleId>::Nothing);
    let error = RwSignal::new(None::<String>);
    let rules = move || state.with_workspace(rules_in_order).unwrap_or_default();
    // As with SLA policies, a move renumbers the list in its new order.
    let shift = move |index: usize, up: bool| {
        let Some(list) = moved(rules(), index, up) else { return };
        leptos::task::spawn_local(async move {
            let outcome = state
                .execute(move |ws, f| {
                    let mut ops = Vec::new();
                    for (position, (id, rule)) in list.into_iter().enumerate() {
                        let order = position as u32 + 1;
                        if rule.order != order {
                            ops.extend(ws.save_rule(f, Some(id), Rule { order, ..rule })?.1);
                        }
                    }
                    Ok(ops)
                })
                .await;
            report(state, error, outcome);
        });
    };
    let toggle = move |id: RuleId, rule: Rule, enabled: bool| {
        leptos::task::spawn_local(async move {
            let outcome = state.execute(move |ws, f| ws.save_rule(f, Some(id), Rule { enabled, ..rule })).await;
            report(state, error, outcome);
        });
    };
    let delete = move |id: RuleId, name: String| {
        if !confirmed(&(state.texts_untracked().rules.delete_confirm)(&name)) {
            return;
        }
        leptos::task::spawn_local(async move {
            let outcome = state.execute(move |ws, f| ws.delete_rule(f, id)).await;
            report(state, error, outcome);
        });
    };
    view! {
        <section class="card" aria-labelledby="rules-heading">
            <h2 id="rules-heading">{move || state.texts().rules.heading}</h2>
            <p class="hint">{move || state.texts().rules.intro}</p>
            {move || {
                let list = rules();
                let texts = state.texts().rules;
                if list.is_empty() {
                    return view! { <p class="hint">{texts.none_yet}</p> }.into_any();
                }
                let last = list.len() - 1;
                let admin = is_admin(state);
                view! {
                    <ol class="settings-list">
                        {list.into_iter().enumerate().map(|(index, (id, rule))| {
                            let name = rule.name.clone();
                            let (trigger, hours) = trigger_key(rule.trigger);
                            let trigger = if has_hours(trigger) {
                                format!("{} ≥ {hours}", (texts.trigger_name)(trigger))
                            } else {
                                (texts.trigger_name)(trigger).to_owned()
                            };
                            let summary = (texts.summary)(&trigger, rule.all.len() + rule.any.len(), rule.actions.len());
                            let actions = rule.actions.iter().map(|a| (texts.action_name)(from_action(a).0)).collect::<Vec<_>>().join(" · ");
                            let enabled = rule.enabled;
                            let for_toggle = rule.clone();
                            view! {
                                <li class="settings-item" data-rule=id.to_string() class:disabled=!enabled>
                                    <div>
                                        <strong>{rule.name.clone()}</strong>
                                        <p class="hint">{summary}</p>
                                        <p class="hint">{actions}</p>
                                    </div>
                                    <div class="item-actions">
                                        <label class="checkbox">
                                            <input type="checkbox" prop:checked=enabled disabled=!admin
                                                aria-label=(texts.enabled_label)(&name)
                                                on:change=move |ev| toggle(id, for_toggle.clone(), event_target_checked(&ev)) />
                                            <span aria-hidden="true">{texts.enabled}</span>
                                        </label>
                                    </div>
                                    {admin.then(|| ItemActions {
                                        name: name.clone(),
                                        order: Some((index, last, Callback::new(move |up| shift(index, up)))),
                                        edit: Callback::new(move |()| editing.set(Editing::Existing(id))),
                                        delete: Callback::new(move |()| delete(id, name.clone())),
                                        delete_text: texts.delete,
                                    }.view(state))}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            {list_foot(state, error, editing, |t| t.rules.new_rule, |id, editing| view! { <RuleEditor id=id editing=editing /> }.into_any())}
        </section>
    }
}

#[component]
fn RuleEditor(id: Option<RuleId>, editing: RwSignal<Editing<RuleId>>) -> impl IntoView {
    let state = use_app_state();
    let (rule, next_order) = state
        .with_workspace(|ws| {
            let next = ws.settings().rules.values().map(|r| r.order).max().unwrap_or(0) + 1;
            (id.and_then(|id| ws.settings().rules.get(&id).cloned()), next)
        })
        .unwrap_or_default();
    let rule = rule.unwrap_or_else(|| {
        let first = Action::AddTag(Tag::parse("auto").expect("a valid tag"));
        Rule::new(String::new(), next_order, Trigger::Created, Vec::new(), vec![first])
    });
    let draft = Draft::of(&rule);
    let error = RwSignal::new(None::<String>);
    let prefix = id.map_or_else(|| "new".to_owned(), |id| id.to_string());
    let field_id = move |name: &str| format!("rule-{prefix}-{name}");
    let build = move || -> Result<Rule, String> {
        draft.build().map_err(|line| (state.texts_untracked().rules.e_value)(&line.to_string()))
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let rule = match build() {
            Ok(rule) => rule,
            Err(message) => return error.set(Some(message)),
        };
        leptos::task::spawn_local(async move {
            match state.execute(move |ws, f| ws.save_rule(f, id, rule)).await {
                Ok(_) => editing.set(Editing::Nothing),
                Err(failure) => error.set(Some(state.texts_untracked().desk_error(&failure))),
            }
        });
    };
    let add = move |list: RwSignal<Vec<Line>>, first: &str, second: &str| {
        let line = Line::new(draft.key(), first, second, String::new());
        list.update(|lines| lines.push(line));
    };
    view! {
        <form class="editor rule-editor" on:submit=save>
            <div class="field-row">
                <label class="field">
                    <span>{move || state.texts().rules.rule_name}</span>
                    <input type="text" id=field_id("name") prop:value=draft.name on:input=move |ev| draft.name.set(event_target_value(&ev)) />
                </label>
                <label class="field">
                    <span>{move || state.texts().rules.trigger}</span>
                    <select on:change=move |ev| draft.trigger.set(event_target_value(&ev))>
                        {move || {
                            let texts = state.texts().rules;
                            let current = draft.trigger.get();
                            TRIGGERS.iter().map(|key| view! {
                                <option value=*key selected=current == *key>{(texts.trigger_name)(key)}</option>
                            }).collect_view()
                        }}
                    </select>
                </label>
                <Show when=move || has_hours(&draft.trigger.get())>
                    <label class="field">
                        <span>{move || state.texts().rules.hours}</span>
                        <input type="number" prop:value=draft.hours on:input=move |ev| draft.hours.set(event_target_value(&ev)) />
                    </label>
                </Show>
            </div>
            <ConditionList lines=draft.all heading=|t| t.rules.all_heading offset=Signal::stored(0) />
            <button type="button" class="button button-secondary" on:click=move |_| add(draft.all, "status", "is")>
                {move || format!("{} ({})", state.texts().rules.add_condition, state.texts().rules.all_heading)}
            </button>
            <ConditionList lines=draft.any heading=|t| t.rules.any_heading offset=Signal::derive(move || draft.all.with(Vec::len)) />
            <button type="button" class="button button-secondary" on:click=move |_| add(draft.any, "status", "is")>
                {move || format!("{} ({})", state.texts().rules.add_condition, state.texts().rules.any_heading)}
            </button>
            <ActionList lines=draft.actions offset=Signal::derive(move || draft.all.with(Vec::len) + draft.any.with(Vec::len)) />
            <button type="button" class="button button-secondary" on:click=move |_| add(draft.actions, "add_tag", "")>
                {move || state.texts().rules.add_action}
            </button>
            <Preview rule=build />
            {move || error.get().map(|e| view! { <p class="status-error" role="alert">{e}</p> })}
            <div class="form-actions">
                <button type="submit" class="button">{move || state.texts().rules.save}</button>
                <button type="button" class="button button-secondary" on:click=move |_| editing.set(Editing::Nothing)>
                    {move || state.texts().rules.cancel}
                </button>
            </div>
        </form>
    }
}

/// A `<select>` over `options` bound to `value`, named `label`.
fn picker(options: Options, value: RwSignal<String>, label: String) -> AnyView {
    let current = value.get_untracked();
    // A stored value no longer offered (a deleted team) must not silently become the first one.
    if !options.iter().any(|(v, _)| *v == current)
        && let Some((first, _)) = options.first()
    {
        value.set(first.clone());
    }
    let current = value.get_untracked();
    view! {
        <select aria-label=label on:change=move |ev| value.set(event_target_value(&ev))>
            {options.into_iter().map(|(v, name)| {
                let selected = v == current;
                view! { <option value=v selected=selected>{name}</option> }
            }).collect_view()}
        </select>
    }
    .into_any()
}

fn text_input(value: RwSignal<String>, label: String) -> AnyView {
    view! {
        <input type="text" aria-label=label prop:value=value on:input=move |ev| value.set(event_target_value(&ev)) />
    }
    .into_any()
}

fn remove_button(list: RwSignal<Vec<Line>>, key: u32, label: String) -> impl IntoView {
    view! {
        <button type="button" class="icon-button" aria-label=label
            on:click=move |_| list.update(|lines| lines.retain(|l| l.key != key))>
            "×"
        </button>
    }
}

#[component]
fn ConditionList(
    lines: RwSignal<Vec<Line>>,
    heading: fn(&Texts) -> &'static str,
    offset: Signal<usize>,
) -> impl IntoView {
    let state = use_app_state();
    view! {
        <fieldset class="rule-lines">
            <legend>{move || heading(state.texts())}</legend>
            {move || {
                let texts = state.texts();
                let rt = texts.rules;
                lines.get().into_iter().enumerate().map(|(index, line)| {
                    let n = offset.get() + index + 1;
                    let field = picker(
                        FIELDS.iter().map(|f| (f.to_string(), (rt.condition_field)(f).to_owned())).collect(),
                        line.first,
                        format!("{} {n}", rt.field_label),
                    );
                    view! {
                        <div class="rule-line" data-line=n>
                            {field}
                            {move || {
                                let texts = state.texts();
                                let rt = texts.rules;
                                let field = line.first.get();
                                let tests = tests_for(&field);
                                if !tests.contains(&line.second.get_untracked().as_str()) {
                                    line.second.set(tests[0].to_owned());
                                }
                                let test = picker(
                                    tests.iter().map(|k| (k.to_string(), (rt.test_name)(k).to_owned())).collect(),
                                    line.second,
                                    format!("{} {n}", rt.test_label),
                                );
                                let label = format!("{} {n}", rt.value_label);
                                let value = move || {
                                    if line.second.get() == "changed" {
                                        return None;
                                    }
                                    let options = state.with_workspace(|ws| value_options(ws, state.texts(), &line.first.get_untracked())).flatten();
                                    Some(match options {
                                        Some(options) => picker(options, line.third, label.clone()),
                                        None => text_input(line.third, label.clone()),
                                    })
                                };
                                view! { {test} {value} }
                            }}
                            {remove_button(lines, line.key, (rt.remove)(n))}
                        </div>
                    }
                }).collect_view()
            }}
        </fieldset>
    }
}

#[component]
fn ActionList(lines: RwSignal<Vec<Line>>, offset: Signal<usize>) -> impl IntoView {
    let state = use_app_state();
    view! {
        <fieldset class="rule-lines">
            <legend>{move || state.texts().rules.actions_heading}</legend>
            {move || {
                let rt = state.texts().rules;
                lines.get().into_iter().enumerate().map(|(index, line)| {
                    let n = offset.get() + index + 1;
                    let kind = picker(
                        ACTIONS.iter().map(|a| (a.to_string(), (rt.action_name)(a).to_owned())).collect(),
                        line.first,
                        format!("{} {n}", rt.action_label),
                    );
                    view! {
                        <div class="rule-line" data-line=n>
                            {kind}
                            {move || {
                                let texts = state.texts();
                                let rt = texts.rules;
                                let kind = line.first.get();
                                if kind == "escalate" {
                                    return None;
                                }
                                let label = format!("{} {n}", rt.value_label);
                                let options = state.with_workspace(|ws| value_options(ws, texts, &kind)).flatten();
                                let value = match options {
                                    Some(options) => picker(options, line.third, label),
                                    None => text_input(line.third, label),
                                };
                                let team = match kind.as_str() {
                                    "assign" => {
                                        let mut teams = state.with_workspace(options::teams).unwrap_or_default();
                                        teams.insert(0, (String::new(), rt.tickets_team.to_owned()));
                                        Some(picker(teams, line.second, format!("{} {n}", rt.team_label)))
                                    }
                                    "notify" => {
                                        let to = state.with_workspace(|ws| recipients(ws, texts)).unwrap_or_default();
                                        Some(picker(to, line.second, format!("{} {n}", rt.recipient_label)))
                                    }
                                    _ => None,
                                };
                                Some(view! { {value} {team} })
                            }}
                            {remove_button(lines, line.key, (rt.remove)(n))}
                        </div>
                    }
                }).collect_view()
            }}
        </fieldset>
    }
}

/// "Test this rule against a ticket": which conditions hold and what each action would do.
#[component]
fn Preview(rule: impl Fn() -> Result<Rule, String> + Copy + Send + Sync + 'static) -> impl IntoView {
    let state = use_app_state();
    let number = RwSignal::new(String::new());
    let result = RwSignal::new(None::<Result<Vec<(bool, String)>, String>>);
    let verdict = RwSignal::new(None::<bool>);
    let run = move |_| {
        let rule = match rule() {
            Ok(rule) => rule,
            Err(message) => return result.set(Some(Err(message))),
        };
        let texts = state.texts_untracked();
        let rt = texts.rules;
        let outcome = state
            .with_workspace(|ws| {
                let ticket = ws.ticket_by_display_number(number.get_untracked().trim().trim_start_matches('#'))?;
                let preview = ws.preview_rule(&rule, ticket.id, now_ms())?;
                let mut lines = Vec::new();
                for (condition, holds) in rule.all.iter().chain(&rule.any).zip(preview.all.iter().chain(&preview.any)) {
                    let (field, test, _) = from_condition(condition);
                    let verdict = if *holds { rt.holds } else { rt.fails };
                    lines.push((
                        *holds,
                        format!("{} {} — {verdict}", (rt.condition_field)(field), (rt.test_name)(test)),
                    ));
                }
                for (action, outcome) in rule.actions.iter().zip(&preview.actions) {
                    let name = (rt.action_name)(from_action(action).0);
                    lines.push(match outcome {
                        Outcome::Changes(_) => (true, format!("{name} — {}", rt.would_change)),
                        Outcome::Skipped(helpdesk_core::rules::Skipped::NotAllowed { from, to }) => (
                            false,
                            format!(
                                "{name} — {}",
                                (texts.e_transition)((texts.status_name)(*from), (texts.status_name)(*to))
                            ),
                        ),
                        Outcome::Skipped(skipped) => (false, format!("{name} — {}", (rt.skipped_reason)(skipped))),
                    });
                }
                Some((preview.fires, lines))
            })
            .flatten();
        match outcome {
            Some((fires, lines)) => {
                verdict.set(Some(fires));
                result.set(Some(Ok(lines)));
            }
            None => {
                verdict.set(None);
                result.set(Some(Err(rt.preview_unknown.to_owned())));
            }
        }
    };
    view! {
        <fieldset class="rule-preview">
            <legend>{move || state.texts().rules.preview_heading}</legend>
            <div class="inline-form">
                <label class="field">
                    <span>{move || state.texts().rules.preview_number}</span>
                    <input type="text" inputmode="numeric" prop:value=number on:input=move |ev| number.set(event_target_value(&ev)) />
                </label>
                <button type="button" class="button button-secondary" on:click=run>{move || state.texts().rules.preview_button}</button>
            </div>
            <div role="status" class="preview-result">
                {move || match result.get() {
                    None => None,
                    Some(Err(message)) => Some(view! { <p class="status-error">{message}</p> }.into_any()),
                    Some(Ok(lines)) => Some(view! {
                        <p><strong>{move || match verdict.get() {
                            Some(true) => state.texts().rules.preview_fires,
                            _ => state.texts().rules.preview_not,
                        }}</strong></p>
                        <ul class="preview-lines">
                            {lines.into_iter().map(|(ok, text)| view! {
                                <li class:ok=ok class:not-ok=!ok>{if ok { "✓ " } else { "✗ " }}{text}</li>
                            }).collect_view()}
                        </ul>
                    }.into_any()),
                }}
            </div>
        </fieldset>
    }
}

// --- escalation ---

/// A tier as edited: name, team id, agent id ("" for none).
#[derive(Debug, Clone, Copy)]
struct TierLine {
    key: u32,
    name: RwSignal<String>,
    team: RwSignal<String>,
    agent: RwSignal<String>,
}

#[component]
fn EscalationCard() -> impl IntoView {
    let state = use_app_state();
    let tiers = state.with_workspace(|ws| ws.settings().escalation.clone()).unwrap_or_default();
    let next = StoredValue::new(0u32);
    let line = move |tier: &EscalationTier| {
        let key = next.get_value();
        next.set_value(key + 1);
        TierLine {
            key,
            name: RwSignal::new(tier.name.clone()),
            team: RwSignal::new(option_key(&tier.team)),
            agent: RwSignal::new(option_key(&tier.agent)),
        }
    };
    let lines = RwSignal::new(tiers.iter().map(line).collect::<Vec<_>>());
    let message = RwSignal::new(None::<Result<String, String>>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let tiers: Vec<EscalationTier> = lines
            .get_untracked()
            .into_iter()
            .map(|l| EscalationTier {
                name: l.name.get_untracked(),
                team: l.team.get_untracked().parse::<TeamId>().ok(),
                agent: l.agent.get_untracked().parse::<AgentId>().ok(),
            })
            .collect();
        leptos::task::spawn_local(async move {
            match state.execute(move |ws, f| ws.save_escalation(f, tiers)).await {
                Ok(_) => message.set(Some(Ok(state.texts_untracked().rules.tiers_saved.to_owned()))),
                Err(failure) => message.set(Some(Err(state.texts_untracked().desk_error(&failure)))),
            }
        });
    };
    let add = move |_| {
        let tier = EscalationTier { name: String::new(), team: None, agent: None };
        lines.update(|list| list.push(line(&tier)));
    };
    view! {
        <section class="card" aria-labelledby="escalation-heading">
            <h2 id="escalation-heading">{move || state.texts().rules.escalation_heading}</h2>
            <p class="hint">{move || state.texts().rules.escalation_intro}</p>
            <form class="editor" on:submit=save>
                <Show when=move || lines.with(Vec::is_empty)>
                    <p class="hint">{move || state.texts().rules.no_tiers}</p>
                </Show>
                <ol class="tier-list">
                    {move || {
                        let list = lines.get();
                        let texts = state.texts();
                        let rt = texts.rules;
                        let mut teams = state.with_workspace(options::teams).unwrap_or_default();
                        teams.insert(0, (String::new(), texts.none.to_owned()));
                        let mut agents = state.with_workspace(options::agents).unwrap_or_default();
                        agents.insert(0, (String::new(), rt.least_loaded.to_owned()));
                        list.into_iter().enumerate().map(|(index, tier)| {
                            let n = index + 1;
                            view! {
                                <li class="rule-line" data-tier=n>
                                    <label class="field">
                                        <span>{format!("{} {n}", rt.tier_name)}</span>
                                        <input type="text" prop:value=tier.name on:input=move |ev| tier.name.set(event_target_value(&ev)) />
                                    </label>
                                    <label class="field">
                                        <span>{rt.tier_team}</span>
                                        {picker(teams.clone(), tier.team, format!("{} {n}", rt.tier_team))}
                                    </label>
                                    <label class="field">
                                        <span>{rt.tier_agent}</span>
                                        {picker(agents.clone(), tier.agent, format!("{} {n}", rt.tier_agent))}
                                    </label>
                                    <button type="button" class="icon-button" aria-label=(rt.remove)(n)
                                        on:click=move |_| lines.update(|l| l.retain(|t| t.key != tier.key))>"×"</button>
                                </li>
                            }
                        }).collect_view()
                    }}
                </ol>
                {move || message.get().map(|m| match m {
                    Ok(text) => view! { <p class="status-ok" role="status">{text}</p> }.into_any(),
                    Err(text) => view! { <p class="status-error" role="alert">{text}</p> }.into_any(),
                })}
                <Show when=move || is_admin(state)>
                    <div class="form-actions">
                        <button type="button" class="button button-secondary" on:click=add>{move || state.texts().rules.add_tier}</button>
                        <button type="submit" class="button">{move || state.texts().rules.save_tiers}</button>
                    </div>
                </Show>
            </form>
        </section>
    }
}
