//! Rules: what the helpdesk does on its own when a ticket is created or changed, or when it has
//! waited long enough — set fields, tag, note, apply an SLA policy, assign, escalate.
//!
//! A [`Rule`] is a trigger, conditions (all of them must hold, and at least one of the "any"
//! list when it has any) and actions. Rules run in their `order` (then id).
//!
//! - **Event rules** (created, updated) run on the replica that made the change, planned with
//!   the change and committed in the same transaction. In one cycle a rule fires at most once;
//!   after a rule fires, the rules not yet fired are tried again from the top against the ticket
//!   as the rule left it. A cycle therefore ends after at most as many firings as there are rules:
//!   two rules that undo each other cannot loop.
//! - **Time-based rules** (hours since created/updated/pending/resolved, SLA warning, SLA breach)
//!   run in the one tab that holds the background lock. Each fires once per cause: the instant the
//!   condition became due is recorded on the ticket ([`TicketOp::TimerFired`]).
//!
//! Every op a rule makes has an id derived from the rule and its cause (the change's first op, or
//! the ticket and the due instant), so two browsers that run the same rule for the same cause
//! make the same ops, and the merge keeps one of each.
//!
//! Assignment picks among active, available agents ([`Workload`]): round-robin (whoever was
//! assigned longest ago), least-loaded against capacity, or by skills (the ticket's category and
//! language among the agent's skills and languages, then least-loaded).

use std::cmp::Ordering;
use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::command::{CommandError, CommandResult, Missing};
use crate::hlc::Clock;
use crate::id::{AgentId, CalendarId, CategoryId, MessageId, OpId, RuleId, SlaPolicyId, TeamId, TicketId};
use crate::id_map::IdMap;
use crate::lifecycle::{Status, check_transition};
use crate::model::{Actor, Channel, MessageKind, Priority, Tag, Tier};
use crate::op::{MessageDraft, Op, Payload, TicketField, TicketOp};
use crate::search::text::normalize as fold_for_match;
use crate::sla::{MetricStatus, SlaBook};
use crate::ticket::{TicketDoc, TicketSummary};
use crate::validate::limits;
use crate::workspace::Workspace;

/// The most rules a workspace holds (every change is checked against each).
pub const MAX_RULES: usize = 100;
/// The most conditions (all plus any) and actions in one rule.
pub const MAX_CONDITIONS: usize = 30;
pub const MAX_ACTIONS: usize = 20;
/// The longest wait a time-based rule can name: a year.
pub const MAX_TIMER_HOURS: u32 = 24 * 366;
/// The most escalation tiers.
pub const MAX_TIERS: usize = 10;

const HOUR_MS: u64 = 3_600_000;

/// One automation rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub name: String,
    /// Position among the rules (lower runs first); ties go by id.
    pub order: u32,
    /// A disabled rule is kept but never runs.
    pub enabled: bool,
    pub trigger: Trigger,
    /// Every one of these must hold.
    pub all: Vec<Condition>,
    /// At least one of these must hold, when there are any.
    pub any: Vec<Condition>,
    pub actions: Vec<Action>,
}

/// When a rule is considered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    Created,
    Updated,
    CreatedOrUpdated,
    /// Time-based: considered by the background sweep when the timer is due.
    Timer(Timer),
}

impl Trigger {
    pub fn is_timer(self) -> bool {
        matches!(self, Trigger::Timer(_))
    }
}

/// What a time-based rule waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timer {
    HoursSinceCreated(u32),
    HoursSinceUpdated(u32),
    /// Hours the ticket has been Pending (waiting for the customer).
    HoursPending(u32),
    /// Hours since the ticket was resolved (while it stays Resolved).
    HoursSinceResolved(u32),
    /// A running SLA target reached its warning point.
    SlaWarning,
    /// A running SLA target passed its due time.
    SlaBreached,
}

impl Timer {
    fn hours(self) -> Option<u32> {
        match self {
            Timer::HoursSinceCreated(h) | Timer::HoursSinceUpdated(h) | Timer::HoursPending(h) => Some(h),
            Timer::HoursSinceResolved(h) => Some(h),
            Timer::SlaWarning | Timer::SlaBreached => None,
        }
    }
}

/// A test of one ticket field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Test<V> {
    Is(V),
    IsNot(V),
    /// The change being handled changed the field (any value to any other).
    Changed,
    ChangedTo(V),
    ChangedFrom(V),
    /// Ordered fields only (priority, tier).
    Above(V),
    Below(V),
}

impl<V> Test<V> {
    fn is_about_change(&self) -> bool {
        matches!(self, Test::Changed | Test::ChangedTo(_) | Test::ChangedFrom(_))
    }

    fn is_comparison(&self) -> bool {
        matches!(self, Test::Above(_) | Test::Below(_))
    }

    fn value(&self) -> Option<&V> {
        match self {
            Test::Is(v)
            | Test::IsNot(v)
            | Test::ChangedTo(v)
            | Test::ChangedFrom(v)
            | Test::Above(v)
            | Test::Below(v) => Some(v),
            Test::Changed => None,
        }
    }
}

/// Which text a text condition reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextField {
    Subject,
    /// The messages added by the change being handled (event rules only).
    Comment,
}

/// One condition of a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    Status(Test<Status>),
    Priority(Test<Priority>),
    Category(Test<Option<CategoryId>>),
    Team(Test<Option<TeamId>>),
    Assignee(Test<Option<AgentId>>),
    Channel(Test<Channel>),
    /// The requester's customer tier.
    Tier(Test<Tier>),
    Tag {
        tag: Tag,
        present: bool,
    },
    /// Contains (or not) the text, compared as search does (case, width and NFKC folded).
    Text {
        field: TextField,
        text: String,
        contains: bool,
    },
    /// Whether now is inside (or outside) the working hours of a calendar.
    BusinessHours {
        calendar: CalendarId,
        inside: bool,
    },
}

/// How an assignment action chooses the agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignMethod {
    /// Whoever of the team was assigned a ticket longest ago (never assigned first).
    RoundRobin,
    /// Fewest open tickets for their capacity.
    LeastLoaded,
    /// Has the ticket's category among their skills and its language among their languages;
    /// least-loaded among those.
    Skills,
}

/// One action of a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    SetStatus(Status),
    SetPriority(Priority),
    SetCategory(Option<CategoryId>),
    SetTeam(Option<TeamId>),
    SetAssignee(Option<AgentId>),
    /// Picks an agent (of `team`, or of the ticket's team when `None`, or of everyone when the
    /// ticket has none) and, with a team given, moves the ticket to it.
    Assign {
        team: Option<TeamId>,
        method: AssignMethod,
    },
    AddTag(Tag),
    RemoveTag(Tag),
    /// An internal note by the rule.
    AddNote(String),
    /// An SLA policy that applies whatever the policies' conditions say; `None` returns to them.
    ApplySla(Option<SlaPolicyId>),
    /// Up one escalation tier (see [`EscalationTier`]).
    Escalate,
    /// An internal note that mentions the recipients, so it reaches their notifications.
    Notify {
        to: Recipient,
        message: String,
    },
}

/// Who a notify action reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    /// The ticket's assignee (nobody while it has none).
    Assignee,
    Agent(AgentId),
    /// Every active member of the team.
    Team(TeamId),
}

/// One step of the escalation ladder (for example agent → specialist team → manager).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationTier {
    pub name: String,
    /// The team the ticket moves to.
    pub team: Option<TeamId>,
    /// The agent who takes it; when `None`, the least-loaded available agent of the team.
    pub agent: Option<AgentId>,
}

/// Why a rule cannot be saved. Each message says what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RuleError {
    #[error("give the rule a name")]
    NoName,
    #[error("add at least one action")]
    NoActions,
    #[error("a rule can have at most {MAX_CONDITIONS} conditions and {MAX_ACTIONS} actions")]
    TooLarge,
    #[error("a workspace can have at most {MAX_RULES} rules")]
    TooManyRules,
    #[error("only priority and customer tier can be above or below a value")]
    NotOrdered,
    #[error("a time-based rule has no change to look at: use \"is\" or \"is not\"")]
    ChangeOnTimer,
    #[error("a time-based rule has no new message to read: test the subject instead")]
    CommentOnTimer,
    #[error("the wait must be between 1 and {MAX_TIMER_HOURS} hours")]
    HoursOutOfRange,
    #[error("a text condition needs some text")]
    EmptyText,
    #[error("the note is empty")]
    EmptyNote,
    #[error("set up escalation tiers before using an escalate action")]
    NoEscalationTiers,
    #[error("an escalation tier needs a name")]
    TierWithoutName,
    #[error("an escalation tier needs a team or an agent")]
    EmptyTier,
    #[error("at most {MAX_TIERS} escalation tiers")]
    TooManyTiers,
}

impl Rule {
    /// An enabled rule with only "all" conditions (add `any` afterwards when wanted).
    pub fn new(
        name: impl Into<String>,
        order: u32,
        trigger: Trigger,
        all: Vec<Condition>,
        actions: Vec<Action>,
    ) -> Rule {
        Rule { name: name.into(), order, enabled: true, trigger, all, any: Vec::new(), actions }
    }

    /// Checks the rule's shape and that everything it names exists in `workspace`.
    pub fn check(&self, workspace: &Workspace) -> CommandResult<()> {
        if self.name.trim().is_empty() {
            return Err(RuleError::NoName.into());
        }
        crate::validate::bounded_text("name", &self.name, limits::NAME_CHARS)?;
        if self.actions.is_empty() {
            return Err(RuleError::NoActions.into());
        }
        if self.all.len() + self.any.len() > MAX_CONDITIONS || self.actions.len() > MAX_ACTIONS {
            return Err(RuleError::TooLarge.into());
        }
        let timer = self.trigger.is_timer();
        if let Trigger::Timer(t) = self.trigger
            && t.hours().is_some_and(|h| !(1..=MAX_TIMER_HOURS).contains(&h))
        {
            return Err(RuleError::HoursOutOfRange.into());
        }
        for condition in self.all.iter().chain(&self.any) {
            check_condition(condition, timer, workspace)?;
        }
        for action in &self.actions {
            check_action(action, workspace)?;
        }
        Ok(())
    }
}

fn check_test<V>(test: &Test<V>, ordered: bool, timer: bool) -> CommandResult<()> {
    if test.is_comparison() && !ordered {
        return Err(RuleError::NotOrdered.into());
    }
    if test.is_about_change() && timer {
        return Err(RuleError::ChangeOnTimer.into());
    }
    Ok(())
}

fn check_condition(condition: &Condition, timer: bool, ws: &Workspace) -> CommandResult<()> {
    match condition {
        Condition::Status(test) => check_test(test, false, timer),
        Condition::Priority(test) => check_test(test, true, timer),
        Condition::Channel(test) => check_test(test, false, timer),
        Condition::Tier(test) => check_test(test, true, timer),
        Condition::Category(test) => {
            check_test(test, false, timer)?;
            match test.value() {
                Some(Some(id)) if ws.category(*id).is_none() => Err(CommandError::NotFound(Missing::Category(*id))),
                _ => Ok(()),
            }
        }
        Condition::Team(test) => {
            check_test(test, false, timer)?;
            match test.value() {
                Some(Some(id)) if ws.team(*id).is_none() => Err(CommandError::NotFound(Missing::Team(*id))),
                _ => Ok(()),
            }
        }
        Condition::Assignee(test) => {
            check_test(test, false, timer)?;
            match test.value() {
                Some(Some(id)) if ws.agent(*id).is_none() => Err(CommandError::NotFound(Missing::Agent(*id))),
                _ => Ok(()),
            }
        }
        Condition::Tag { .. } => Ok(()),
        Condition::Text { field, text, .. } => {
            if text.trim().is_empty() {
                return Err(RuleError::EmptyText.into());
            }
            if timer && *field == TextField::Comment {
                return Err(RuleError::CommentOnTimer.into());
            }
            crate::validate::bounded_text("text", text, limits::NAME_CHARS)?;
            Ok(())
        }
        Condition::BusinessHours { calendar, .. } => match ws.settings().calendars.contains_key(calendar) {
            true => Ok(()),
            false => Err(CommandError::NotFound(Missing::Calendar(*calendar))),
        },
    }
}

fn check_action(action: &Action, ws: &Workspace) -> CommandResult<()> {
    let team_exists = |team: &Option<TeamId>| match team {
        Some(id) if ws.team(*id).is_none() => Err(CommandError::NotFound(Missing::Team(*id))),
        _ => Ok(()),
    };
    match action {
        Action::SetCategory(Some(id)) if ws.category(*id).is_none() => {
            Err(CommandError::NotFound(Missing::Category(*id)))
        }
        Action::SetTeam(team) | Action::Assign { team, .. } => team_exists(team),
        Action::SetAssignee(Some(id)) if ws.agent(*id).is_none() => Err(CommandError::NotFound(Missing::Agent(*id))),
        Action::AddNote(text) | Action::Notify { message: text, .. } => {
            if text.trim().is_empty() {
                return Err(RuleError::EmptyNote.into());
            }
            crate::validate::bounded_text("note", text, limits::BODY_CHARS)?;
            match action {
                Action::Notify { to: Recipient::Agent(id), .. } if ws.agent(*id).is_none() => {
                    Err(CommandError::NotFound(Missing::Agent(*id)))
                }
                Action::Notify { to: Recipient::Team(id), .. } => team_exists(&Some(*id)),
                _ => Ok(()),
            }
        }
        Action::ApplySla(Some(id)) if !ws.settings().sla_policies.contains_key(id) => {
            Err(CommandError::NotFound(Missing::SlaPolicy(*id)))
        }
        Action::Escalate if ws.settings().escalation.is_empty() => Err(RuleError::NoEscalationTiers.into()),
        _ => Ok(()),
    }
}

/// Checks an escalation ladder before it is saved.
pub fn check_tiers(tiers: &[EscalationTier], ws: &Workspace) -> CommandResult<()> {
    if tiers.len() > MAX_TIERS {
        return Err(RuleError::TooManyTiers.into());
    }
    for tier in tiers {
        if tier.name.trim().is_empty() {
            return Err(RuleError::TierWithoutName.into());
        }
        crate::validate::bounded_text("name", &tier.name, limits::NAME_CHARS)?;
        if tier.team.is_none() && tier.agent.is_none() {
            return Err(RuleError::EmptyTier.into());
        }
        if let Some(team) = tier.team
            && ws.team(team).is_none()
        {
            return Err(CommandError::NotFound(Missing::Team(team)));
        }
        if let Some(agent) = tier.agent
            && ws.agent(agent).is_none()
        {
            return Err(CommandError::NotFound(Missing::Agent(agent)));
        }
    }
    Ok(())
}

/// The ticket a condition is tested on.
struct Facts<'a> {
    /// The ticket before the change: `None` when the change created it.
    before: Before<'a>,
    after: &'a TicketSummary,
    tier: Tier,
    /// The folded text of the messages the change added.
    comment: &'a str,
    now: u64,
    sla: &'a SlaBook,
}

#[derive(Clone, Copy)]
enum Before<'a> {
    Created,
    Was(&'a TicketSummary),
    /// A timer or a preview: no change is being handled.
    NoChange,
}

fn test<V: PartialEq>(
    test: &Test<V>,
    facts: &Facts<'_>,
    field: impl Fn(&TicketSummary) -> V,
    compare: impl Fn(&V, &V) -> Option<Ordering>,
) -> bool {
    let now = field(facts.after);
    match test {
        Test::Is(v) => now == *v,
        Test::IsNot(v) => now != *v,
        Test::Above(v) => compare(&now, v) == Some(Ordering::Greater),
        Test::Below(v) => compare(&now, v) == Some(Ordering::Less),
        Test::Changed => match facts.before {
            Before::Created => true,
            Before::Was(before) => field(before) != now,
            Before::NoChange => false,
        },
        Test::ChangedTo(v) => match facts.before {
            Before::Created => now == *v,
            Before::Was(before) => now == *v && field(before) != now,
            Before::NoChange => false,
        },
        Test::ChangedFrom(v) => match facts.before {
            Before::Was(before) => field(before) == *v && now != *v,
            Before::Created | Before::NoChange => false,
        },
    }
}

fn unordered<V>(_: &V, _: &V) -> Option<Ordering> {
    None
}

fn holds(condition: &Condition, facts: &Facts<'_>) -> bool {
    match condition {
        Condition::Status(t) => test(t, facts, |s| s.status, unordered),
        Condition::Priority(t) => test(t, facts, |s| s.priority, |a, b| Some(a.cmp(b))),
        Condition::Category(t) => test(t, facts, |s| s.category, unordered),
        Condition::Team(t) => test(t, facts, |s| s.team, unordered),
        Condition::Assignee(t) => test(t, facts, |s| s.assignee, unordered),
        Condition::Channel(t) => test(t, facts, |s| s.channel, unordered),
        Condition::Tier(t) => test(t, facts, |_| facts.tier, |a, b| Some(a.cmp(b))),
        Condition::Tag { tag, present } => facts.after.tags.contains(tag) == *present,
        Condition::Text { field, text, contains } => {
            let needle = fold_for_match(text);
            let found = match field {
                TextField::Subject => fold_for_match(&facts.after.subject).contains(&needle),
                TextField::Comment => facts.comment.contains(&needle),
            };
            found == *contains
        }
        Condition::BusinessHours { calendar, inside } => {
            facts.sla.clock(*calendar).is_some_and(|clock| clock.is_working(facts.now)) == *inside
        }
    }
}

fn matches(rule: &Rule, facts: &Facts<'_>) -> bool {
    rule.all.iter().all(|c| holds(c, facts)) && (rule.any.is_empty() || rule.any.iter().any(|c| holds(c, facts)))
}

/// Why an action of a firing rule changed nothing (shown by the rule preview).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Skipped {
    /// The ticket already is that way.
    NoChange,
    /// The lifecycle does not allow the status from where the ticket is.
    NotAllowed { from: Status, to: Status },
    /// A required custom field is empty, so the ticket cannot be resolved.
    RequiredField { name: String },
    /// No active, available agent fits (team, capacity, skills).
    NoAgent,
    /// The agent named is inactive.
    AgentInactive,
    /// The ticket is at the top of the escalation ladder.
    TopTier,
    /// The ticket has the most tags it can carry.
    TooManyTags,
}

/// What one action of a firing rule does.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Changes(Vec<TicketOp>),
    Skipped(Skipped),
}

/// Open tickets and the last assignment of every agent, for choosing whom to assign: the
/// workspace's counts plus the assignments planned in this run and not applied yet.
#[derive(Debug, Clone, Default)]
pub struct Workload {
    planned: FxHashMap<AgentId, crate::AgentLoad>,
}

impl Workload {
    fn load(&self, ws: &Workspace, agent: AgentId) -> crate::AgentLoad {
        self.planned.get(&agent).copied().unwrap_or_else(|| ws.agent_load(agent))
    }

    /// Records an assignment planned but not yet applied, so the next pick in the same batch
    /// sees it.
    fn assigned(&mut self, ws: &Workspace, agent: AgentId, at: u64) {
        let mut load = self.load(ws, agent);
        load.open += 1;
        load.last_assigned = load.last_assigned.max(at);
        self.planned.insert(agent, load);
    }

    /// The agent `method` picks for `ticket` among the active, available agents (of `team` when
    /// given) with room under their capacity.
    pub fn pick(
        &self,
        ws: &Workspace,
        team: Option<TeamId>,
        method: AssignMethod,
        ticket: &TicketSummary,
    ) -> Option<AgentId> {
        let category = ticket.category.and_then(|id| ws.category(id)).map(|c| fold_for_match(&c.profile.name));
        let candidates = ws
            .agents()
            .filter(|(_, agent)| {
                let p = &agent.profile;
                p.active && p.available && team.is_none_or(|team| p.teams.contains(&team))
            })
            .filter(|(id, agent)| self.load(ws, *id).open < agent.profile.capacity)
            .filter(|(_, agent)| {
                method != AssignMethod::Skills || {
                    let p = &agent.profile;
                    let has_skill = category
                        .as_ref()
                        .is_none_or(|category| p.skills.iter().any(|skill| fold_for_match(skill) == *category));
                    let speaks = ticket.language.as_ref().is_none_or(|language| {
                        p.languages.iter().any(|known| primary_language(known) == primary_language(language))
                    });
                    has_skill && speaks
                }
            })
            .map(|(id, agent)| (id, self.load(ws, id).open, agent.profile.capacity));
        // Ties settle on the id, so every replica that sees the same state picks the same agent.
        // (A minimum, not a sort: every sort is another copy of the sorting code in the app.)
        // 0 for never assigned, so newcomers come first in round-robin.
        let last = |id: &AgentId| self.load(ws, *id).last_assigned;
        let by_load = |(a, a_open, a_cap): &(AgentId, u32, u32), (b, b_open, b_cap): &(AgentId, u32, u32)| {
            if method == AssignMethod::RoundRobin {
                return (last(a), *a).cmp(&(last(b), *b));
            }
            // open / capacity compared without division: a/b < c/d ⇔ a·d < c·b.
            (u64::from(*a_open) * u64::from(*b_cap))
                .cmp(&(u64::from(*b_open) * u64::from(*a_cap)))
                .then_with(|| (last(a), *a).cmp(&(last(b), *b)))
        };
        candidates.min_by(by_load).map(|(id, _, _)| id)
    }
}

fn primary_language(tag: &str) -> String {
    tag.split(['-', '_']).next().unwrap_or(tag).to_ascii_lowercase()
}

/// Plans one action against `ticket` (as the firing rule found it).
fn plan_action(action: &Action, ticket: &TicketSummary, ws: &Workspace, workload: &mut Workload, now: u64) -> Outcome {
    let set = |field: TicketField| Outcome::Changes(vec![TicketOp::Set(field)]);
    let unchanged = || Outcome::Skipped(Skipped::NoChange);
    match action {
        Action::SetStatus(to) => {
            if ticket.status == *to {
                return unchanged();
            }
            if check_transition(ticket.status, *to, ticket.assignee.is_some()).is_err() {
                return Outcome::Skipped(Skipped::NotAllowed { from: ticket.status, to: *to });
            }
            if matches!(to, Status::Resolved | Status::Closed)
                && let Some(name) = ws.missing_required_field(ticket)
            {
                return Outcome::Skipped(Skipped::RequiredField { name });
            }
            set(TicketField::Status(*to))
        }
        Action::SetPriority(p) if ticket.priority != *p => set(TicketField::Priority(*p)),
        Action::SetCategory(c) if ticket.category != *c => set(TicketField::Category(*c)),
        Action::SetTeam(t) if ticket.team != *t => set(TicketField::Team(*t)),
        Action::SetAssignee(a) if ticket.assignee != *a => {
            if let Some(agent) = a
                && !ws.agent(*agent).is_some_and(|entry| entry.profile.active)
            {
                return Outcome::Skipped(Skipped::AgentInactive);
            }
            if let Some(agent) = a {
                workload.assigned(ws, *agent, now);
            }
            set(TicketField::Assignee(*a))
        }
        Action::Assign { team, method } => {
            let team = team.or(ticket.team);
            let load = &mut *workload;
            let Some(agent) = load.pick(ws, team, *method, ticket) else {
                return Outcome::Skipped(Skipped::NoAgent);
            };
            let mut ops = Vec::new();
            if team.is_some() && ticket.team != team {
                ops.push(TicketOp::Set(TicketField::Team(team)));
            }
            if ticket.assignee != Some(agent) {
                load.assigned(ws, agent, now);
                ops.push(TicketOp::Set(TicketField::Assignee(Some(agent))));
            }
            if ops.is_empty() { unchanged() } else { Outcome::Changes(ops) }
        }
        Action::AddTag(tag) if !ticket.tags.contains(tag) => {
            if ticket.tags.len() >= limits::TAGS_PER_TICKET {
                return Outcome::Skipped(Skipped::TooManyTags);
            }
            Outcome::Changes(vec![TicketOp::AddTag(tag.clone())])
        }
        Action::RemoveTag(tag) if ticket.tags.contains(tag) => Outcome::Changes(vec![TicketOp::RemoveTag(tag.clone())]),
        Action::AddNote(text) => Outcome::Changes(vec![note(text, Vec::new())]),
        Action::Notify { to, message } => {
            let active = |id: &AgentId| ws.agent(*id).is_some_and(|a| a.profile.active);
            let mut agents: Vec<AgentId> = match to {
                Recipient::Assignee => ticket.assignee.into_iter().collect(),
                Recipient::Agent(id) => vec![*id],
                Recipient::Team(team) => {
                    ws.agents().filter(|(_, a)| a.profile.teams.contains(team)).map(|(id, _)| id).collect()
                }
            };
            agents.retain(active);
            crate::sorting::sort_by(&mut agents, AgentId::cmp);
            if agents.is_empty() {
                return Outcome::Skipped(Skipped::NoAgent);
            }
            Outcome::Changes(vec![note(message, agents)])
        }
        Action::ApplySla(p) if ticket.sla_policy != *p => set(TicketField::SlaPolicy(*p)),
        Action::Escalate => {
            let load = &mut *workload;
            match plan_escalation(ws, ticket, load, now) {
                Ok(ops) => Outcome::Changes(ops),
                Err(skipped) => Outcome::Skipped(skipped),
            }
        }
        _ => unchanged(),
    }
}

/// An internal note by a rule (its id and author are set in `RuleRun::push`).
fn note(text: &str, mentions: Vec<AgentId>) -> TicketOp {
    TicketOp::AddMessage(Box::new(MessageDraft {
        id: MessageId::from_u128(0),
        kind: MessageKind::InternalNote,
        author: Actor::System,
        body: text.to_owned(),
        mentions,
        attachments: Vec::new(),
        email: None,
        channel: None,
    }))
}

/// The ops that move `ticket` up one escalation tier: the tier number, its team, and its agent
/// (named, or the least-loaded available one of the team).
pub fn plan_escalation(
    ws: &Workspace,
    ticket: &TicketSummary,
    workload: &mut Workload,
    now: u64,
) -> Result<Vec<TicketOp>, Skipped> {
    let tiers = &ws.settings().escalation;
    let Some(tier) = tiers.get(usize::from(ticket.escalation)) else {
        return Err(Skipped::TopTier);
    };
    let mut ops = vec![TicketOp::Set(TicketField::Escalation(ticket.escalation + 1))];
    if tier.team.is_some() && ticket.team != tier.team {
        ops.push(TicketOp::Set(TicketField::Team(tier.team)));
    }
    let agent = match tier.agent {
        Some(agent) if ws.agent(agent).is_some_and(|a| a.profile.active) => Some(agent),
        Some(_) => None,
        None => workload.pick(ws, tier.team, AssignMethod::LeastLoaded, ticket),
    };
    match agent {
        Some(agent) if ticket.assignee != Some(agent) => {
            workload.assigned(ws, agent, now);
            ops.push(TicketOp::Set(TicketField::Assignee(Some(agent))));
        }
        Some(_) => {}
        // Nobody free in the tier's team: the ticket waits there unassigned rather than staying
        // with someone of the tier below.
        None if tier.team.is_some() && ticket.assignee.is_some() => {
            ops.push(TicketOp::Set(TicketField::Assignee(None)));
        }
        None => {}
    }
    Ok(ops)
}

/// When each ticket next needs the time-based rules, kept between runs of the background job so
/// that a run looks only at tickets that changed and tickets whose time has come, not at all of
/// them (100,000 SLA evaluations take seconds). Rebuilt from scratch when the rules, SLA policies
/// or calendars change. A ticket counts as changed when its last update or its fired timers do.
#[derive(Debug, Default)]
pub struct TimerSchedule {
    fingerprint: Option<ScheduleFingerprint>,
    /// The version of each ticket the schedule was computed from.
    seen: FxHashMap<TicketId, (u64, usize)>,
    /// Every change of the workspace's tickets up to this mark has been looked at.
    changes_seen: Option<crate::summaries::ChangeMark>,
    /// Every tier change of the workspace's customers up to this mark has been looked at (the
    /// first pass, which looks at every ticket, covers those made before it).
    tiers_seen: Option<(u64, usize)>,
    /// Due instants, earliest first.
    queue: std::collections::BTreeSet<(u64, TicketId)>,
    at: FxHashMap<TicketId, u64>,
}

type ScheduleFingerprint =
    (IdMap<RuleId, Rule>, IdMap<SlaPolicyId, crate::sla::SlaPolicy>, IdMap<CalendarId, crate::sla::Calendar>);

impl TimerSchedule {
    fn version(ticket: &TicketSummary) -> (u64, usize) {
        (ticket.updated_at, ticket.timers_fired.len())
    }

    fn set(&mut self, ticket: &TicketSummary, next: Option<u64>) {
        self.forget(ticket.id);
        self.seen.insert(ticket.id, Self::version(ticket));
        if let Some(at) = next {
            self.queue.insert((at, ticket.id));
            self.at.insert(ticket.id, at);
        }
    }

    fn forget(&mut self, ticket: TicketId) {
        self.seen.remove(&ticket);
        if let Some(at) = self.at.remove(&ticket) {
            self.queue.remove(&(at, ticket));
        }
    }

    /// How many tickets have a timer ahead (or due).
    pub fn scheduled(&self) -> usize {
        self.queue.len()
    }
}

/// See [`Workspace::timer_anchors`].
#[derive(Debug, Clone, Copy, Default)]
struct Anchors {
    earliest: Option<u64>,
    ahead: Option<u64>,
}

/// The enabled rules of a workspace in run order, with what they need to run.
#[derive(Debug, Clone)]
pub struct RuleBook {
    rules: Vec<(RuleId, Rule)>,
    sla: SlaBook,
}

impl RuleBook {
    pub fn new(ws: &Workspace) -> RuleBook {
        let settings = ws.settings();
        let rules = settings.rules_in_order().filter(|(_, r)| r.enabled).map(|(id, r)| (id, r.clone())).collect();
        RuleBook { rules, sla: SlaBook::new(settings) }
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

/// The ops of one run of the rules on one ticket: each with the rule as actor and an id derived
/// from the rule, the cause and its place in the run.
struct RuleRun<'a> {
    clock: &'a mut Clock,
    wall_ms: u64,
    ticket: TicketId,
    /// Identifies the cause: the change's first op, or the timer and its due instant.
    cause: [u8; 24],
    /// The instant the derived ids carry: the change's time, or the instant the timer became due
    /// (not when a browser got round to it, which differs between browsers).
    id_ms: u64,
    ops: Vec<Op>,
}

impl RuleRun<'_> {
    fn push(&mut self, rule: RuleId, mut op: TicketOp) -> &Op {
        let index = (self.ops.len() as u32).to_be_bytes();
        let id = OpId::derived("rule", &[&rule.to_u128().to_be_bytes(), &self.cause, &index], self.id_ms);
        if let TicketOp::AddMessage(draft) = &mut op {
            draft.id = MessageId::from_u128(id.to_u128());
            draft.author = Actor::Rule(rule);
        }
        let ts = self.clock.tick(self.wall_ms);
        self.ops.push(Op { id, ts, actor: Actor::Rule(rule), payload: Payload::Ticket { ticket: self.ticket, op } });
        self.ops.last().expect("just pushed")
    }
}

fn cause_bytes(first: u128, second: u64) -> [u8; 24] {
    let mut bytes = [0u8; 24];
    bytes[..16].copy_from_slice(&first.to_be_bytes());
    bytes[16..].copy_from_slice(&second.to_be_bytes());
    bytes
}

/// Runs the event cycle on a ticket (see the module docs) and returns the rules that fired.
#[allow(clippy::too_many_arguments)]
fn run_cycle(
    ws: &Workspace,
    book: &RuleBook,
    run: &mut RuleRun<'_>,
    doc: &mut TicketDoc,
    before: Before<'_>,
    comment: &str,
    workload: &mut Workload,
    eligible: impl Fn(Trigger) -> bool,
) -> Vec<RuleId> {
    let mut fired: Vec<RuleId> = Vec::new();
    loop {
        let Some(after) = doc.ticket().map(|t| t.summary.clone()) else { return fired };
        if !after.is_editable() || after.merged_into.is_some() {
            return fired;
        }
        let facts =
            Facts { before, after: &after, tier: ws.tier_of(&after), comment, now: run.wall_ms, sla: &book.sla };
        let next =
            book.rules.iter().find(|(id, rule)| eligible(rule.trigger) && !fired.contains(id) && matches(rule, &facts));
        let Some((id, rule)) = next else { return fired };
        fired.push(*id);
        for action in &rule.actions {
            let current = doc.ticket().map(|t| t.summary.clone()).expect("the ticket exists");
            if let Outcome::Changes(ops) = plan_action(action, &current, ws, workload, run.wall_ms) {
                for op in ops {
                    let op = run.push(*id, op);
                    doc.apply(op, None);
                }
            }
        }
    }
}

impl Workspace {
    /// The ops the event rules add to `change` (the ops of one command, not yet applied): for
    /// every ticket it creates or updates, the cycle described in the module docs. Ops made by
    /// rules are not causes themselves (they were handled where they were made).
    pub fn rule_ops_for_change(&self, clock: &mut Clock, wall_ms: u64, change: &[Op]) -> Vec<Op> {
        if self.settings().rules.is_empty() {
            return Vec::new();
        }
        let book = RuleBook::new(self);
        if book.is_empty() {
            return Vec::new();
        }
        let mut by_ticket: BTreeMap<TicketId, Vec<&Op>> = BTreeMap::new();
        for op in change {
            if let (Payload::Ticket { ticket, .. }, false) = (&op.payload, matches!(op.actor, Actor::Rule(_))) {
                by_ticket.entry(*ticket).or_default().push(op);
            }
        }
        let mut workload = Workload::default();
        let mut out = Vec::new();
        for (ticket, ops) in by_ticket {
            let before = self.summary(ticket);
            let mut doc = before.map(TicketDoc::from_summary).unwrap_or_default();
            let mut comment = String::new();
            for op in &ops {
                doc.apply(op, None);
                if let Payload::Ticket { op: TicketOp::AddMessage(message), .. } = &op.payload {
                    comment.push_str(&fold_for_match(&message.body));
                    comment.push('\n');
                }
            }
            let created = before.is_none();
            let eligible = |trigger: Trigger| match trigger {
                Trigger::Created => created,
                Trigger::Updated => !created,
                Trigger::CreatedOrUpdated => true,
                Trigger::Timer(_) => false,
            };
            let mut run = RuleRun {
                clock: &mut *clock,
                wall_ms,
                ticket,
                cause: cause_bytes(ops[0].id.to_u128(), 0),
                id_ms: wall_ms,
                ops: Vec::new(),
            };
            let before = before.map_or(Before::Created, Before::Was);
            run_cycle(self, &book, &mut run, &mut doc, before, &comment, &mut workload, eligible);
            out.append(&mut run.ops);
        }
        out
    }

    /// The ops of the time-based rules due at `now`, for every ticket: a [`TicketOp::TimerFired`]
    /// for each rule that fires, its actions, and what the event rules do after them (as for an
    /// update). Looks at every ticket; the background job uses [`Workspace::rule_ops_scheduled`].
    pub fn rule_ops_due(&self, clock: &mut Clock, now: u64) -> Vec<Op> {
        let mut schedule = TimerSchedule::default();
        let mut out = Vec::new();
        loop {
            let (mut ops, complete) = self.rule_ops_scheduled(&mut schedule, clock, now, usize::MAX);
            out.append(&mut ops);
            if complete {
                return out;
            }
        }
    }

    /// One step of the background job: brings `schedule` up to date for tickets that changed
    /// since the last step (at most `budget` of them), then runs the rules on the tickets whose
    /// timers are due (at most an eighth of `budget` of those). Returns the ops and whether the step got
    /// through everything; when it did not, call again soon (each step stays short so the page
    /// keeps responding) without applying anything twice: the ops returned are not planned again
    /// once applied.
    pub fn rule_ops_scheduled(
        &self,
        schedule: &mut TimerSchedule,
        clock: &mut Clock,
        now: u64,
        budget: usize,
    ) -> (Vec<Op>, bool) {
        let settings = self.settings();
        let fingerprint = (settings.rules.clone(), settings.sla_policies.clone(), settings.calendars.clone());
        if schedule.fingerprint.as_ref() != Some(&fingerprint) {
            *schedule = TimerSchedule { fingerprint: Some(fingerprint), ..TimerSchedule::default() };
        }
        let book = RuleBook::new(self);
        let timers: Vec<(RuleId, &Rule, Timer)> = book
            .rules
            .iter()
            .filter_map(|(id, rule)| match rule.trigger {
                Trigger::Timer(timer) => Some((*id, rule, timer)),
                _ => None,
            })
            .collect();
        if timers.is_empty() {
            return (Vec::new(), true);
        }
        // 1. Tickets that changed since they were last scheduled (all of them the first time).
        // Only tickets changed since the last complete pass can be new; of those, a ticket the
        // schedule already saw in this version (an earlier step that ran out of budget, or the
        // schedule's own ops coming back) is skipped.
        let mut complete = true;
        let mut recomputed = 0;
        // A customer's new tier changes which SLA policies and rules apply to their tickets,
        // though the tickets themselves did not change. A few changes (a person editing
        // customers) re-plan each one's tickets at once, a scan of the requester column each;
        // more (a customer import, another tab's bulk change) start the schedule over, a full
        // pass in budgeted steps like the first, rather than one scan per customer in this step.
        const TIER_CHANGES_PLANNED_ONE_BY_ONE: usize = 8;
        let (tier_changed, tiers_mark) = self.tier_changes_since(schedule.tiers_seen);
        if tier_changed.len() > TIER_CHANGES_PLANNED_ONE_BY_ONE {
            *schedule = TimerSchedule { fingerprint: schedule.fingerprint.take(), ..TimerSchedule::default() };
        } else {
            for customer in tier_changed {
                for ticket in self.summaries_of_requester(*customer) {
                    let next = self.timer_anchors(&book.sla, ticket, &timers, now).earliest;
                    schedule.set(ticket, next);
                }
            }
        }
        schedule.tiers_seen = Some(tiers_mark);
        let (changed, mark) = self.tickets_changed_since(schedule.changes_seen);
        for ticket in changed {
            if schedule.seen.get(&ticket.id) == Some(&TimerSchedule::version(ticket)) {
                continue;
            }
            if recomputed == budget {
                complete = false;
                break;
            }
            recomputed += 1;
            let next = self.timer_anchors(&book.sla, ticket, &timers, now).earliest;
            schedule.set(ticket, next);
        }
        if complete {
            schedule.changes_seen = Some(mark);
        }
        // 2. The tickets due now, in id order (assignment depends on the order, not the map's).
        let mut due: Vec<TicketId> = Vec::new();
        for (at, id) in &schedule.queue {
            if *at > now {
                break;
            }
            // Running rules on a ticket costs several times scheduling one.
            if due.len() == budget.div_ceil(8) {
                complete = false;
                break;
            }
            due.push(*id);
        }
        due.sort_unstable();
        let mut workload = Workload::default();
        let mut out = Vec::new();
        for ticket in due {
            let Some(summary) = self.summary(ticket) else {
                schedule.forget(ticket);
                continue;
            };
            let (mut ops, doc) = self.run_timers_on(&book, &timers, summary, clock, now, &mut workload);
            out.append(&mut ops);
            // Scheduled as the ops leave it: a due timer whose conditions did not hold waits for a
            // change to the ticket, or an hour (conditions such as business hours move with time).
            let after = doc.ticket().map_or(summary, |t| &t.summary);
            let anchors = self.timer_anchors(&book.sla, after, &timers, now);
            let waiting = anchors.earliest.is_some_and(|at| at <= now);
            let next = match (anchors.ahead, waiting) {
                (Some(at), true) => Some(at.min(now + HOUR_MS)),
                (None, true) => Some(now + HOUR_MS),
                (ahead, false) => ahead,
            };
            schedule.set(after, next);
        }
        (out, complete)
    }

    /// When the time-based rules not yet fired on `ticket` are (or were) due: the earliest such
    /// instant, and the earliest still ahead of `now`. One pass, one SLA evaluation.
    fn timer_anchors(
        &self,
        sla: &SlaBook,
        ticket: &TicketSummary,
        timers: &[(RuleId, &Rule, Timer)],
        now: u64,
    ) -> Anchors {
        let mut anchors = Anchors::default();
        if !ticket.is_editable() || ticket.merged_into.is_some() {
            return anchors;
        }
        let mut sla_state = None;
        for (rule, _, timer) in timers {
            let mut note = |at: u64| {
                if !ticket.timers_fired.contains(&(*rule, at)) {
                    anchors.earliest = Some(anchors.earliest.map_or(at, |e| e.min(at)));
                    if at > now {
                        anchors.ahead = Some(anchors.ahead.map_or(at, |a| a.min(at)));
                    }
                }
            };
            match timer {
                Timer::SlaWarning | Timer::SlaBreached => {
                    // Computed once per ticket; targets have fixed due instants while they run.
                    let state = sla_state.get_or_insert_with(|| self.sla_state(sla, ticket, now));
                    let Some(state) = state.as_ref() else { continue };
                    for m in state.metrics.iter().filter(|m| m.is_running()) {
                        let at = match timer {
                            // A target already breached no longer warns.
                            Timer::SlaWarning if m.status != MetricStatus::Breached => m.warn_at,
                            Timer::SlaBreached => m.due_at,
                            _ => None,
                        };
                        if let Some(at) = at {
                            note((at & !3) | m.metric as u64);
                        }
                    }
                }
                hours => {
                    if let Some(at) = self.timer_due(sla, ticket, *rule, *hours, now) {
                        note(at);
                    }
                }
            }
        }
        anchors
    }

    /// Runs the due timers of one ticket, then the event rules on what they changed. Returns the
    /// ops and the ticket as they leave it.
    fn run_timers_on(
        &self,
        book: &RuleBook,
        timers: &[(RuleId, &Rule, Timer)],
        summary: &TicketSummary,
        clock: &mut Clock,
        now: u64,
        workload: &mut Workload,
    ) -> (Vec<Op>, TicketDoc) {
        let ticket = summary.id;
        let mut doc = TicketDoc::from_summary(summary);
        let mut fired_any = None;
        let mut ops = Vec::new();
        for (rule_id, rule, timer) in timers {
            let Some(current) = doc.ticket().map(|t| t.summary.clone()) else { break };
            if !current.is_editable() || current.merged_into.is_some() {
                break;
            }
            let Some(due_at) = self.timer_due(&book.sla, &current, *rule_id, *timer, now) else { continue };
            if due_at > now || current.timers_fired.contains(&(*rule_id, due_at)) {
                continue;
            }
            let facts = Facts {
                before: Before::NoChange,
                after: &current,
                tier: self.tier_of(&current),
                comment: "",
                now,
                sla: &book.sla,
            };
            if !matches(rule, &facts) {
                continue;
            }
            let mut run = RuleRun {
                clock: &mut *clock,
                wall_ms: now,
                ticket,
                cause: cause_bytes(ticket.to_u128(), due_at),
                id_ms: due_at,
                ops: Vec::new(),
            };
            let fired = run.push(*rule_id, TicketOp::TimerFired { rule: *rule_id, due_at });
            fired_any.get_or_insert(fired.id);
            doc.apply(fired, None);
            for action in &rule.actions {
                let state = doc.ticket().map(|t| t.summary.clone()).expect("the ticket exists");
                if let Outcome::Changes(planned) = plan_action(action, &state, self, workload, now) {
                    for op in planned {
                        let op = run.push(*rule_id, op);
                        doc.apply(op, None);
                    }
                }
            }
            ops.append(&mut run.ops);
        }
        if let Some(cause) = fired_any {
            // What the timers changed is an update like any other: event rules follow.
            let mut run = RuleRun {
                clock: &mut *clock,
                wall_ms: now,
                ticket,
                cause: cause_bytes(cause.to_u128(), 0),
                id_ms: cause.timestamp_ms(),
                ops: Vec::new(),
            };
            let eligible = |trigger: Trigger| matches!(trigger, Trigger::Updated | Trigger::CreatedOrUpdated);
            run_cycle(self, book, &mut run, &mut doc, Before::Was(summary), "", workload, eligible);
            ops.append(&mut run.ops);
        }
        (ops, doc)
    }

    /// When `timer` becomes (or became) due for `ticket`; `None` when it does not apply to the
    /// ticket as it is (a pending timer on a ticket that is not pending).
    fn timer_due(&self, sla: &SlaBook, ticket: &TicketSummary, rule: RuleId, timer: Timer, now: u64) -> Option<u64> {
        let after = |from: u64, hours: u32| from.saturating_add(u64::from(hours) * HOUR_MS);
        match timer {
            Timer::HoursSinceCreated(h) => ticket.is_open().then(|| after(ticket.created_at, h)),
            Timer::HoursSinceUpdated(h) => ticket.is_open().then(|| after(ticket.updated_at, h)),
            Timer::HoursPending(h) => (ticket.status == Status::Pending).then(|| after(ticket.status_changed_at, h)),
            Timer::HoursSinceResolved(h) => {
                ticket.resolved_at.filter(|_| ticket.status == Status::Resolved).map(|at| after(at, h))
            }
            Timer::SlaWarning | Timer::SlaBreached => {
                if sla.is_empty() {
                    return None;
                }
                let state = self.sla_state(sla, ticket, now)?;
                let wanted = if timer == Timer::SlaWarning { MetricStatus::Warning } else { MetricStatus::Breached };
                // The earliest target in that state, still running, that this rule has not fired
                // for; its due instant (or warning instant) names the cause, with the metric in
                // the low bits so two targets due at the same millisecond stay two causes.
                state
                    .metrics
                    .iter()
                    .filter(|m| m.status == wanted && m.is_running())
                    .filter_map(|m| {
                        let at = if wanted == MetricStatus::Warning { m.warn_at } else { m.due_at }?;
                        Some((at & !3) | m.metric as u64)
                    })
                    .filter(|at| !ticket.timers_fired.contains(&(rule, *at)))
                    .min()
            }
        }
    }

    /// What `rule` would do to `ticket` now: which conditions hold, whether it fires, and what
    /// each action would change or why it would not. Changes are not treated as happening (a
    /// "changed" condition does not hold), so the preview shows the ticket as it stands.
    pub fn preview_rule(&self, rule: &Rule, ticket: TicketId, now: u64) -> Option<RulePreview> {
        let summary = self.summary(ticket)?;
        let sla = SlaBook::new(self.settings());
        let facts = Facts {
            before: Before::NoChange,
            after: summary,
            tier: self.tier_of(summary),
            comment: "",
            now,
            sla: &sla,
        };
        let all: Vec<bool> = rule.all.iter().map(|c| holds(c, &facts)).collect();
        let any: Vec<bool> = rule.any.iter().map(|c| holds(c, &facts)).collect();
        let fires = matches(rule, &facts);
        let mut doc = TicketDoc::from_summary(summary);
        let mut workload = Workload::default();
        let mut actions = Vec::new();
        for action in &rule.actions {
            let state = doc.ticket().map(|t| t.summary.clone()).expect("the ticket exists");
            let outcome = plan_action(action, &state, self, &mut workload, now);
            if let Outcome::Changes(ops) = &outcome {
                for op in ops {
                    let op = Op {
                        id: OpId::from_u128(0),
                        ts: crate::hlc::Timestamp { ms: now, counter: 0, replica: crate::hlc::ReplicaId(0) },
                        actor: Actor::System,
                        payload: Payload::Ticket { ticket, op: op.clone() },
                    };
                    doc.apply(&op, None);
                }
            }
            actions.push(outcome);
        }
        Some(RulePreview { all, any, fires, actions })
    }
}

/// The result of [`Workspace::preview_rule`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RulePreview {
    /// For each "all" condition, whether it holds.
    pub all: Vec<bool>,
    /// For each "any" condition, whether it holds.
    pub any: Vec<bool>,
    /// Whether the rule's conditions hold, so it would fire.
    pub fires: bool,
    /// For each action, what it would do.
    pub actions: Vec<Outcome>,
}
