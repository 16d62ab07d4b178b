//! Commands: what a person asks for, checked against the workspace, turned into ops.
//!
//! A command never changes the workspace. It validates its input, checks the lifecycle table and
//! the actor's permissions, and returns the ops that carry out the change. The caller persists the
//! ops (one storage transaction) and then applies them, so nothing is shown as saved before it is.
//! Apply the ops of one command before planning the next: ticket numbers, for example, are chosen
//! from the current state.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::directory::{
    AgentField, AgentProfile, CategoryField, CategoryProfile, CustomerField, CustomerProfile, FieldDefField,
    FieldDefProfile, FieldTarget, TeamField, TeamProfile,
};
use crate::id::{
    AgentId, CalendarId, CategoryId, CustomerId, FieldId, MessageId, RuleId, SlaPolicyId, TeamId, TicketId, ViewId,
};
use crate::lifecycle::{Status, TransitionError, check_transition};
use crate::model::{
    Actor, Attachment, Channel, Email, EmailMeta, FieldKind, FieldValue, LinkKind, MessageKind, Priority, Role, Tag,
    Tier,
};
use crate::op::{EntityOp, Op, OpFactory, Payload, TicketDraft, TicketField, TicketOp, WorkspaceOp};
use crate::permission::Forbidden;
use crate::rules::{EscalationTier, MAX_RULES, Rule, RuleError, Skipped, Workload, check_tiers, plan_escalation};
use crate::settings::{SavedView, SettingsField};
use crate::sla::{Calendar, SlaError, SlaPolicy};
use crate::ticket::TicketSummary;
use crate::validate::{ValidationError, bounded_text, limits, required_text};
use crate::workspace::Workspace;

/// Why a command was refused. Each message says what to do instead.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum CommandError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error("{0} does not exist in this workspace")]
    NotFound(Missing),
    #[error("the ticket is closed; open a follow-up ticket instead")]
    TicketClosed,
    #[error("a ticket cannot be merged into itself")]
    MergeIntoSelf,
    #[error("the ticket was already merged into another ticket")]
    AlreadyMerged,
    #[error("a customer with the address {address} already exists")]
    DuplicateEmail { address: String },
    #[error("the handle @{handle} is already taken")]
    DuplicateHandle { handle: String },
    #[error("a handle may only contain letters a-z, digits, '.', '_' and '-'")]
    InvalidHandle,
    #[error("the agent is inactive and cannot be assigned")]
    AgentInactive,
    #[error("fill in the required field {name:?} before resolving")]
    RequiredFieldMissing { name: String },
    #[error("this custom field belongs to {target:?}, not here")]
    FieldTargetMismatch { target: FieldTarget },
    #[error("the language must be \"ja\" or \"en\"")]
    UnsupportedLanguage,
    #[error("{zone:?} is not a time zone name such as Asia/Tokyo or UTC")]
    InvalidTimeZone { zone: String },
    #[error("the workspace is already set up")]
    AlreadyInitialised,
    #[error("only an agent can set up a workspace")]
    SetupNeedsAgent,
    #[error("the view's query is not valid: {error}")]
    InvalidQuery { error: crate::search::query::QueryError },
    #[error(transparent)]
    Sla(#[from] SlaError),
    #[error("the calendar is used by the SLA policy {policy:?}; choose another calendar there first")]
    CalendarInUse { policy: String },
    #[error("a calendar can hold at most {max} holidays")]
    TooManyHolidays { max: usize },
    #[error(transparent)]
    Rule(#[from] RuleError),
    #[error("set up escalation tiers in Settings first")]
    NoEscalationTiers,
    #[error("the ticket is already at the highest escalation tier")]
    EscalationTop,
}

/// A reference that did not resolve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    Ticket(TicketId),
    Customer(CustomerId),
    Agent(AgentId),
    Team(TeamId),
    Category(CategoryId),
    Field(FieldId),
    View(ViewId),
    Calendar(CalendarId),
    SlaPolicy(SlaPolicyId),
    Rule(RuleId),
}

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Missing::Ticket(id) => write!(f, "ticket {id}"),
            Missing::Customer(id) => write!(f, "customer {id}"),
            Missing::Agent(id) => write!(f, "agent {id}"),
            Missing::Team(id) => write!(f, "team {id}"),
            Missing::Category(id) => write!(f, "category {id}"),
            Missing::Field(id) => write!(f, "custom field {id}"),
            Missing::View(id) => write!(f, "saved view {id}"),
            Missing::Calendar(id) => write!(f, "calendar {id}"),
            Missing::SlaPolicy(id) => write!(f, "SLA policy {id}"),
            Missing::Rule(id) => write!(f, "rule {id}"),
        }
    }
}

pub type CommandResult<T> = Result<T, CommandError>;

/// Input of [`Workspace::setup`]: the workspace and its first admin (the acting agent).
#[derive(Debug, Clone)]
pub struct WorkspaceSetup {
    pub name: String,
    pub language: String,
    pub time_zone: String,
    pub admin: NewAgent,
}

/// Input of [`Workspace::create_ticket`].
#[derive(Debug, Clone)]
pub struct NewTicket {
    pub subject: String,
    pub description: String,
    pub requester: CustomerId,
    pub channel: Channel,
    pub priority: Priority,
    pub category: Option<CategoryId>,
    /// Tags as typed; normalised by [`Tag::parse`].
    pub tags: Vec<String>,
    pub assignee: Option<AgentId>,
    pub team: Option<TeamId>,
    pub due_ms: Option<u64>,
    pub language: Option<String>,
    pub custom: Vec<(FieldId, FieldValue)>,
    /// The closed ticket this one continues.
    pub follow_up_of: Option<TicketId>,
}

impl NewTicket {
    /// A ticket with only the required parts; everything else default (medium priority, no tags).
    pub fn new(
        subject: impl Into<String>,
        description: impl Into<String>,
        requester: CustomerId,
        channel: Channel,
    ) -> Self {
        Self {
            subject: subject.into(),
            description: description.into(),
            requester,
            channel,
            priority: Priority::Medium,
            category: None,
            tags: Vec::new(),
            assignee: None,
            team: None,
            due_ms: None,
            language: None,
            custom: Vec::new(),
            follow_up_of: None,
        }
    }
}

/// A field change of a ticket (status, assignee and tags have their own commands).
#[derive(Debug, Clone, PartialEq)]
pub enum TicketEdit {
    Subject(String),
    Description(String),
    Priority(Priority),
    Category(Option<CategoryId>),
    Team(Option<TeamId>),
    Due(Option<u64>),
    Requester(CustomerId),
    Language(Option<String>),
    Custom { field: FieldId, value: Option<FieldValue> },
}

/// Input of [`Workspace::add_message`].
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub kind: MessageKind,
    pub body: String,
    /// Who wrote it, when not the actor (a customer message typed in after a call).
    pub author: Option<Actor>,
    pub attachments: Vec<Attachment>,
    pub email: Option<EmailMeta>,
    pub channel: Option<Channel>,
}

impl NewMessage {
    pub fn new(kind: MessageKind, body: impl Into<String>) -> Self {
        Self { kind, body: body.into(), author: None, attachments: Vec::new(), email: None, channel: None }
    }
}

/// Input of [`Workspace::create_customer`].
#[derive(Debug, Clone, Default)]
pub struct NewCustomer {
    pub name: String,
    pub emails: Vec<String>,
    pub phone: String,
    pub organisation: String,
    pub tier: Option<Tier>,
    pub language: Option<String>,
    pub notes: String,
}

/// Input of [`Workspace::create_agent`].
#[derive(Debug, Clone)]
pub struct NewAgent {
    pub name: String,
    pub email: String,
    /// `@handle`; derived from the email address when `None`.
    pub handle: Option<String>,
    pub role: Role,
    pub teams: BTreeSet<TeamId>,
    pub skills: BTreeSet<String>,
    pub languages: BTreeSet<String>,
    pub capacity: u32,
}

impl NewAgent {
    pub fn new(name: impl Into<String>, email: impl Into<String>, role: Role) -> Self {
        Self {
            name: name.into(),
            email: email.into(),
            handle: None,
            role,
            teams: BTreeSet::new(),
            skills: BTreeSet::new(),
            languages: BTreeSet::new(),
            capacity: DEFAULT_CAPACITY,
        }
    }
}

/// Open tickets an agent carries unless told otherwise.
pub const DEFAULT_CAPACITY: u32 = 20;
/// Upper bound for an agent's capacity (a typo guard, not a policy).
pub const MAX_CAPACITY: u32 = 10_000;

/// Languages the product speaks.
pub const LANGUAGES: [&str; 2] = ["ja", "en"];

impl Workspace {
    /// Finishes planning: every op must be allowed for its actor, as the sync server will check.
    fn authorised(&self, ops: Vec<Op>) -> CommandResult<Vec<Op>> {
        for op in &ops {
            self.authorize(op)?;
        }
        Ok(ops)
    }

    // Commands read ticket summaries, which every replica holds for every ticket, so a bulk
    // action on 500 tickets does not have to load 500 conversations first.
    fn existing_ticket(&self, id: TicketId) -> CommandResult<&TicketSummary> {
        self.summary(id).ok_or(CommandError::NotFound(Missing::Ticket(id)))
    }

    fn editable_ticket(&self, id: TicketId) -> CommandResult<&TicketSummary> {
        let ticket = self.existing_ticket(id)?;
        if ticket.is_editable() { Ok(ticket) } else { Err(CommandError::TicketClosed) }
    }

    fn check_customer(&self, id: CustomerId) -> CommandResult<()> {
        self.customer(id).map(|_| ()).ok_or(CommandError::NotFound(Missing::Customer(id)))
    }

    fn check_assignable(&self, id: AgentId) -> CommandResult<()> {
        let agent = self.agent(id).ok_or(CommandError::NotFound(Missing::Agent(id)))?;
        if agent.profile.active { Ok(()) } else { Err(CommandError::AgentInactive) }
    }

    fn check_team(&self, id: Option<TeamId>) -> CommandResult<()> {
        match id {
            Some(id) if self.team(id).is_none() => Err(CommandError::NotFound(Missing::Team(id))),
            _ => Ok(()),
        }
    }

    fn check_category(&self, id: Option<CategoryId>) -> CommandResult<()> {
        match id {
            Some(id) if self.category(id).is_none() => Err(CommandError::NotFound(Missing::Category(id))),
            _ => Ok(()),
        }
    }

    fn check_field_value(&self, field: FieldId, value: Option<&FieldValue>, target: FieldTarget) -> CommandResult<()> {
        let def = self.field(field).ok_or(CommandError::NotFound(Missing::Field(field)))?;
        if def.profile.target != target {
            return Err(CommandError::FieldTargetMismatch { target: def.profile.target });
        }
        if let Some(value) = value {
            value.check(&def.profile.kind)?;
        }
        Ok(())
    }

    fn check_language(language: Option<&str>) -> CommandResult<Option<String>> {
        match language.map(str::trim) {
            None | Some("") => Ok(None),
            Some(code) => {
                let valid = code.len() <= 35 && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
                if valid {
                    Ok(Some(code.to_ascii_lowercase()))
                } else {
                    Err(ValidationError::TooLong { field: "language", max: 35, actual: code.chars().count() }.into())
                }
            }
        }
    }

    // --- workspace ---

    /// Sets up an empty workspace: its settings and the acting agent as first admin.
    pub fn setup(&self, factory: &mut OpFactory<'_>, setup: WorkspaceSetup) -> CommandResult<Vec<Op>> {
        if self.settings().is_initialised() {
            return Err(CommandError::AlreadyInitialised);
        }
        let Some(admin_id) = factory.actor().agent() else {
            return Err(CommandError::SetupNeedsAgent);
        };
        let name = required_text("workspace name", &setup.name, limits::NAME_CHARS)?;
        let language = check_ui_language(&setup.language)?;
        let time_zone = check_time_zone(&setup.time_zone)?;
        let admin = NewAgent { role: Role::Admin, ..setup.admin };
        let profile = self.agent_profile(admin)?;
        let ops = vec![
            factory.op(Payload::Workspace(WorkspaceOp::Set(SettingsField::Name(name)))),
            factory.op(Payload::Workspace(WorkspaceOp::Set(SettingsField::DefaultLanguage(language)))),
            factory.op(Payload::Workspace(WorkspaceOp::Set(SettingsField::TimeZone(time_zone)))),
            factory.op(Payload::Agent { agent: admin_id, op: EntityOp::Create(profile) }),
        ];
        // Setup is the one command allowed before any agent exists; nothing to authorise against.
        Ok(ops)
    }

    /// Changes one workspace setting.
    pub fn change_setting(&self, factory: &mut OpFactory<'_>, field: SettingsField) -> CommandResult<Vec<Op>> {
        let field = match field {
            SettingsField::Name(name) => {
                SettingsField::Name(required_text("workspace name", &name, limits::NAME_CHARS)?)
            }
            SettingsField::DefaultLanguage(language) => SettingsField::DefaultLanguage(check_ui_language(&language)?),
            SettingsField::TimeZone(zone) => SettingsField::TimeZone(check_time_zone(&zone)?),
            SettingsField::View { id, view: Some(view) } => {
                return self.save_view(factory, Some(id), &view.name, &view.query).map(|(_, ops)| ops);
            }
            SettingsField::View { id, view: None } => return self.delete_view(factory, id),
            SettingsField::Calendar { id, calendar: Some(calendar) } => {
                return self.save_calendar(factory, Some(id), *calendar).map(|(_, ops)| ops);
            }
            SettingsField::Calendar { id, calendar: None } => return self.delete_calendar(factory, id),
            SettingsField::SlaPolicy { id, policy: Some(policy) } => {
                return self.save_sla_policy(factory, Some(id), *policy).map(|(_, ops)| ops);
            }
            SettingsField::SlaPolicy { id, policy: None } => return self.delete_sla_policy(factory, id),
            SettingsField::Rule { id, rule: Some(rule) } => {
                return self.save_rule(factory, Some(id), *rule).map(|(_, ops)| ops);
            }
            SettingsField::Rule { id, rule: None } => return self.delete_rule(factory, id),
            SettingsField::Escalation(tiers) => return self.save_escalation(factory, tiers),
        };
        let op = factory.op(Payload::Workspace(WorkspaceOp::Set(field)));
        self.authorised(vec![op])
    }

    /// Saves a view for the whole team: a new one (`id` `None`) or a change to an existing one.
    /// The query must parse; names it mentions (agents, teams) are resolved when the view is
    /// opened, since they may change. Returns the view's id.
    pub fn save_view(
        &self,
        factory: &mut OpFactory<'_>,
        id: Option<ViewId>,
        name: &str,
        query: &str,
    ) -> CommandResult<(ViewId, Vec<Op>)> {
        let name = required_text("view name", name, limits::NAME_CHARS)?;
        let query = query.trim().to_owned();
        crate::search::query::parse(&query).map_err(|error| CommandError::InvalidQuery { error })?;
        let id = match id {
            Some(id) if self.settings().views.contains_key(&id) => id,
            Some(id) => return Err(CommandError::NotFound(Missing::View(id))),
            None => ViewId::generate(factory.wall_ms(), factory.entropy()),
        };
        let view = SavedView { name, query };
        let op = factory.op(Payload::Workspace(WorkspaceOp::Set(SettingsField::View { id, view: Some(view) })));
        Ok((id, self.authorised(vec![op])?))
    }

    /// Deletes a saved view.
    pub fn delete_view(&self, factory: &mut OpFactory<'_>, id: ViewId) -> CommandResult<Vec<Op>> {
        if !self.settings().views.contains_key(&id) {
            return Err(CommandError::NotFound(Missing::View(id)));
        }
        let op = factory.op(Payload::Workspace(WorkspaceOp::Set(SettingsField::View { id, view: None })));
        self.authorised(vec![op])
    }

    /// Saves a business calendar: a new one (`id` `None`) or a change to an existing one. The
    /// working hours must check (a known zone, intervals in order); returns the calendar's id.
    pub fn save_calendar(
        &self,
        factory: &mut OpFactory<'_>,
        id: Option<CalendarId>,
        calendar: Calendar,
    ) -> CommandResult<(CalendarId, Vec<Op>)> {
        let name = required_text("calendar name", &calendar.name, limits::NAME_CHARS)?;
        calendar.hours.check().map_err(SlaError::from)?;
        if calendar.hours.holidays.len() > limits::HOLIDAYS_PER_CALENDAR {
            return Err(CommandError::TooManyHolidays { max: limits::HOLIDAYS_PER_CALENDAR });
        }
        let mut hours = calendar.hours;
        for holiday in hours.holidays.values_mut() {
            *holiday = bounded_text("holiday name", holiday, limits::NAME_CHARS)?;
        }
        let id = match id {
            Some(id) if self.settings().calendars.contains_key(&id) => id,
            Some(id) => return Err(CommandError::NotFound(Missing::Calendar(id))),
            None => CalendarId::generate(factory.wall_ms(), factory.entropy()),
        };
        let calendar = Calendar { name, hours };
        let op = factory.op(Payload::Workspace(WorkspaceOp::Set(SettingsField::Calendar {
            id,
            calendar: Some(Box::new(calendar)),
        })));
        Ok((id, self.authorised(vec![op])?))
    }

    /// Deletes a calendar no SLA policy uses.
    pub fn delete_calendar(&self, factory: &mut OpFactory<'_>, id: CalendarId) -> CommandResult<Vec<Op>> {
        if !self.settings().calendars.contains_key(&id) {
            return Err(CommandError::NotFound(Missing::Calendar(id)));
        }
        if let Some(policy) = self.settings().sla_policies.values().find(|policy| policy.calendar == Some(id)) {
            return Err(CommandError::CalendarInUse { policy: policy.name.clone() });
        }
        let op = factory.op(Payload::Workspace(WorkspaceOp::Set(SettingsField::Calendar { id, calendar: None })));
        self.authorised(vec![op])
    }

    /// Saves an SLA policy: a new one (`id` `None`) or a change to an existing one. Returns the
    /// policy's id.
    pub fn save_sla_policy(
        &self,
        factory: &mut OpFactory<'_>,
        id: Option<SlaPolicyId>,
        policy: SlaPolicy,
    ) -> CommandResult<(SlaPolicyId, Vec<Op>)> {
        let name = required_text("policy name", &policy.name, limits::NAME_CHARS)?;
        policy.check()?;
        if let Some(calendar) = policy.calendar.filter(|c| !self.settings().calendars.contains_key(c)) {
            return Err(CommandError::NotFound(Missing::Calendar(calendar)));
        }
        if let Some(category) = policy.conditions.categories.iter().find(|c| self.category(**c).is_none()) {
            return Err(CommandError::NotFound(Missing::Category(*category)));
        }
        let id = match id {
            Some(id) if self.settings().sla_policies.contains_key(&id) => id,
            Some(id) => return Err(CommandError::NotFound(Missing::SlaPolicy(id))),
            None => SlaPolicyId::generate(factory.wall_ms(), factory.entropy()),
        };
        let policy = SlaPolicy { name, ..policy };
        let op = factory
            .op(Payload::Workspace(WorkspaceOp::Set(SettingsField::SlaPolicy { id, policy: Some(Box::new(policy)) })));
        Ok((id, self.authorised(vec![op])?))
    }

    /// Deletes an SLA policy; the tickets it applied to fall to the next policy that matches.
    pub fn delete_sla_policy(&self, factory: &mut OpFactory<'_>, id: SlaPolicyId) -> CommandResult<Vec<Op>> {
        if !self.settings().sla_policies.contains_key(&id) {
            return Err(CommandError::NotFound(Missing::SlaPolicy(id)));
        }
        let op = factory.op(Payload::Workspace(WorkspaceOp::Set(SettingsField::SlaPolicy { id, policy: None })));
        self.authorised(vec![op])
    }

    /// Saves a rule: a new one (`id` `None`) or a change to an existing one. Returns its id.
    pub fn save_rule(
        &self,
        factory: &mut OpFactory<'_>,
        id: Option<RuleId>,
        rule: Rule,
    ) -> CommandResult<(RuleId, Vec<Op>)> {
        rule.check(self)?;
        let id = match id {
            Some(id) if self.settings().rules.contains_key(&id) => id,
            Some(id) => return Err(CommandError::NotFound(Missing::Rule(id))),
            None if self.settings().rules.len() >= MAX_RULES => return Err(RuleError::TooManyRules.into()),
            None => RuleId::generate(factory.wall_ms(), factory.entropy()),
        };
        let rule = Rule { name: rule.name.trim().to_owned(), ..rule };
        let op =
            factory.op(Payload::Workspace(WorkspaceOp::Set(SettingsField::Rule { id, rule: Some(Box::new(rule)) })));
        Ok((id, self.authorised(vec![op])?))
    }

    pub fn delete_rule(&self, factory: &mut OpFactory<'_>, id: RuleId) -> CommandResult<Vec<Op>> {
        if !self.settings().rules.contains_key(&id) {
            return Err(CommandError::NotFound(Missing::Rule(id)));
        }
        let op = factory.op(Payload::Workspace(WorkspaceOp::Set(SettingsField::Rule { id, rule: None })));
        self.authorised(vec![op])
    }

    /// Replaces the escalation ladder (lowest tier first).
    pub fn save_escalation(&self, factory: &mut OpFactory<'_>, tiers: Vec<EscalationTier>) -> CommandResult<Vec<Op>> {
        check_tiers(&tiers, self)?;
        let tiers =
            tiers.into_iter().map(|tier| EscalationTier { name: tier.name.trim().to_owned(), ..tier }).collect();
        let op = factory.op(Payload::Workspace(WorkspaceOp::Set(SettingsField::Escalation(tiers))));
        self.authorised(vec![op])
    }

    /// Moves a ticket up one escalation tier (the Escalate button): its team and agent follow.
    pub fn escalate(&self, factory: &mut OpFactory<'_>, id: TicketId) -> CommandResult<Vec<Op>> {
        let ticket = self.editable_ticket(id)?;
        if self.settings().escalation.is_empty() {
            return Err(CommandError::NoEscalationTiers);
        }
        let mut workload = Workload::default();
        let ops = plan_escalation(self, ticket, &mut workload, factory.wall_ms()).map_err(|skipped| match skipped {
            Skipped::TopTier => CommandError::EscalationTop,
            _ => CommandError::NoEscalationTiers,
        })?;
        let ops = ops.into_iter().map(|op| factory.op(Payload::Ticket { ticket: id, op })).collect();
        self.authorised(ops)
    }

    // --- tickets ---

    /// Opens a ticket. Returns its id and the ops (a number-block claim first, when needed).
    pub fn create_ticket(&self, factory: &mut OpFactory<'_>, new: NewTicket) -> CommandResult<(TicketId, Vec<Op>)> {
        let subject = required_text("subject", &new.subject, limits::SUBJECT_CHARS)?;
        let description = bounded_text("description", &new.description, limits::BODY_CHARS)?;
        self.check_customer(new.requester)?;
        if let Some(agent) = new.assignee {
            self.check_assignable(agent)?;
        }
        self.check_team(new.team)?;
        self.check_category(new.category)?;
        let tags = parse_tags(&new.tags)?;
        for (field, value) in &new.custom {
            self.check_field_value(*field, Some(value), FieldTarget::Ticket)?;
        }
        if let Some(original) = new.follow_up_of {
            self.existing_ticket(original)?;
        }
        let language = Self::check_language(new.language.as_deref())?;

        let mut ops = Vec::new();
        let (number, claim) = self.plan_ticket_number(factory.replica());
        if let Some(block) = claim {
            ops.push(factory.op(Payload::Workspace(WorkspaceOp::ClaimNumberBlock(block))));
        }
        let id = factory.new_ticket_id();
        let draft = TicketDraft {
            number,
            subject,
            description,
            requester: new.requester,
            channel: new.channel,
            priority: new.priority,
            category: new.category,
            tags,
            assignee: new.assignee,
            team: new.team,
            due_ms: new.due_ms,
            language,
            custom: new.custom,
            follow_up_of: new.follow_up_of,
        };
        ops.push(factory.op(Payload::Ticket { ticket: id, op: TicketOp::Create(Box::new(draft)) }));
        if let Some(original) = new.follow_up_of {
            let link = TicketOp::Link { other: id, kind: LinkKind::FollowedUpBy };
            ops.push(factory.op(Payload::Ticket { ticket: original, op: link }));
        }
        Ok((id, self.authorised(ops)?))
    }

    /// Changes one field of a ticket. Returns no ops when the value is already what was asked.
    pub fn edit_ticket(&self, factory: &mut OpFactory<'_>, id: TicketId, edit: TicketEdit) -> CommandResult<Vec<Op>> {
        let ticket = self.editable_ticket(id)?;
        let field = match edit {
            TicketEdit::Subject(subject) => {
                let subject = required_text("subject", &subject, limits::SUBJECT_CHARS)?;
                (subject != ticket.subject).then_some(TicketField::Subject(subject))
            }
            TicketEdit::Description(text) => {
                let text = bounded_text("description", &text, limits::BODY_CHARS)?;
                // Only a loaded ticket knows its description; an unloaded one gets the op anyway
                // (setting the same text again changes nothing in the fold).
                let unchanged = self.ticket(id).is_some_and(|full| full.description == text);
                (!unchanged).then_some(TicketField::Description(text))
            }
            TicketEdit::Priority(priority) => (priority != ticket.priority).then_some(TicketField::Priority(priority)),
            TicketEdit::Category(category) => {
                self.check_category(category)?;
                (category != ticket.category).then_some(TicketField::Category(category))
            }
            TicketEdit::Team(team) => {
                self.check_team(team)?;
                (team != ticket.team).then_some(TicketField::Team(team))
            }
            TicketEdit::Due(due) => (due != ticket.due_ms).then_some(TicketField::Due(due)),
            TicketEdit::Requester(customer) => {
                self.check_customer(customer)?;
                (customer != ticket.requester).then_some(TicketField::Requester(customer))
            }
            TicketEdit::Language(language) => {
                let language = Self::check_language(language.as_deref())?;
                (language != ticket.language).then_some(TicketField::Language(language))
            }
            TicketEdit::Custom { field, value } => {
                self.check_field_value(field, value.as_ref(), FieldTarget::Ticket)?;
                (ticket.custom.get(&field) != value.as_ref()).then_some(TicketField::Custom { field, value })
            }
        };
        let ops = field.map(|field| factory.op(Payload::Ticket { ticket: id, op: TicketOp::Set(field) }));
        self.authorised(ops.into_iter().collect())
    }

    /// Moves a ticket through its lifecycle (see [`crate::lifecycle`]).
    pub fn change_status(&self, factory: &mut OpFactory<'_>, id: TicketId, to: Status) -> CommandResult<Vec<Op>> {
        let ticket = self.existing_ticket(id)?;
        check_transition(ticket.status, to, ticket.assignee.is_some())?;
        if matches!(to, Status::Resolved | Status::Closed) {
            self.check_required_fields(ticket)?;
        }
        let op = factory.op(Payload::Ticket { ticket: id, op: TicketOp::Set(TicketField::Status(to)) });
        self.authorised(vec![op])
    }

    fn check_required_fields(&self, ticket: &TicketSummary) -> CommandResult<()> {
        match self.missing_required_field(ticket) {
            Some(name) => Err(CommandError::RequiredFieldMissing { name }),
            None => Ok(()),
        }
    }

    /// The name of a required ticket field `ticket` leaves empty (it cannot be resolved then).
    pub fn missing_required_field(&self, ticket: &TicketSummary) -> Option<String> {
        self.fields()
            .find(|(id, def)| {
                def.profile.active
                    && def.profile.required
                    && def.profile.target == FieldTarget::Ticket
                    && !ticket.custom.contains_key(id)
            })
            .map(|(_, def)| def.profile.name.clone())
    }

    /// Assigns a ticket to an agent, or unassigns it with `None`. New ↔ Assigned follows.
    pub fn assign(&self, factory: &mut OpFactory<'_>, id: TicketId, agent: Option<AgentId>) -> CommandResult<Vec<Op>> {
        let ticket = self.editable_ticket(id)?;
        if let Some(agent) = agent {
            self.check_assignable(agent)?;
        }
        if ticket.assignee == agent {
            return Ok(Vec::new());
        }
        let op = factory.op(Payload::Ticket { ticket: id, op: TicketOp::Set(TicketField::Assignee(agent)) });
        self.authorised(vec![op])
    }

    /// The acting agent takes the ticket.
    pub fn claim(&self, factory: &mut OpFactory<'_>, id: TicketId) -> CommandResult<Vec<Op>> {
        let agent = factory.actor().agent().ok_or(Forbidden::NotAnAgent)?;
        self.assign(factory, id, Some(agent))
    }

    /// Adds tags (typed text, normalised). Tags already on the ticket are skipped.
    pub fn add_tags(&self, factory: &mut OpFactory<'_>, id: TicketId, raw: &[String]) -> CommandResult<Vec<Op>> {
        let ticket = self.editable_ticket(id)?;
        let new: Vec<Tag> = parse_tags(raw)?.into_iter().filter(|tag| !ticket.tags.contains(tag)).collect();
        if ticket.tags.len() + new.len() > limits::TAGS_PER_TICKET {
            return Err(ValidationError::TooManyTags { max: limits::TAGS_PER_TICKET }.into());
        }
        let ops = new.into_iter().map(|tag| factory.op(Payload::Ticket { ticket: id, op: TicketOp::AddTag(tag) }));
        let ops = ops.collect();
        self.authorised(ops)
    }

    pub fn remove_tag(&self, factory: &mut OpFactory<'_>, id: TicketId, tag: &Tag) -> CommandResult<Vec<Op>> {
        let ticket = self.editable_ticket(id)?;
        if !ticket.tags.contains(tag) {
            return Ok(Vec::new());
        }
        let op = factory.op(Payload::Ticket { ticket: id, op: TicketOp::RemoveTag(tag.clone()) });
        self.authorised(vec![op])
    }

    /// Adds a customer message, public reply or internal note. `@handle` mentions of agents in the
    /// body are recorded (for notifications). Closed tickets take no new messages: a customer
    /// writing again gets a follow-up ticket.
    pub fn add_message(
        &self,
        factory: &mut OpFactory<'_>,
        id: TicketId,
        new: NewMessage,
    ) -> CommandResult<(MessageId, Vec<Op>)> {
        let ticket = self.editable_ticket(id)?;
        let body = bounded_text("message", &new.body, limits::BODY_CHARS)?;
        if body.is_empty() && new.attachments.is_empty() {
            return Err(ValidationError::Empty { field: "message" }.into());
        }
        check_attachments(&new.attachments)?;
        let author = new.author.unwrap_or(factory.actor());
        if let Actor::Customer(customer) = author {
            self.check_customer(customer)?;
        }
        let mentions = if new.kind == MessageKind::Customer { Vec::new() } else { self.mentions_in(&body) };
        let message_id = factory.new_message_id();
        let draft = crate::op::MessageDraft {
            id: message_id,
            kind: new.kind,
            author,
            body,
            mentions,
            attachments: new.attachments,
            email: new.email,
            channel: new.channel.or(Some(ticket.channel)).filter(|_| new.kind != MessageKind::InternalNote),
        };
        let op = factory.op(Payload::Ticket { ticket: id, op: TicketOp::AddMessage(Box::new(draft)) });
        Ok((message_id, self.authorised(vec![op])?))
    }

    /// Agents mentioned as `@handle` in `body`, in order of first mention.
    pub fn mentions_in(&self, body: &str) -> Vec<AgentId> {
        let mut found = Vec::new();
        for handle in mention_handles(body) {
            if let Some((id, _)) = self.agent_by_handle(handle)
                && !found.contains(&id)
            {
                found.push(id);
            }
        }
        found
    }

    /// Merges `source` into `target`: the source closes and points at the target, whose thread
    /// then shows the source's conversation.
    pub fn merge(&self, factory: &mut OpFactory<'_>, source: TicketId, target: TicketId) -> CommandResult<Vec<Op>> {
        if source == target {
            return Err(CommandError::MergeIntoSelf);
        }
        let source_ticket = self.existing_ticket(source)?;
        if source_ticket.merged_into.is_some() {
            return Err(CommandError::AlreadyMerged);
        }
        if !source_ticket.is_editable() {
            return Err(CommandError::TicketClosed);
        }
        let target_ticket = self.editable_ticket(target)?;
        if target_ticket.merged_into.is_some() {
            return Err(CommandError::AlreadyMerged);
        }
        let ops = vec![
            factory.op(Payload::Ticket { ticket: source, op: TicketOp::MergeInto { target } }),
            factory.op(Payload::Ticket { ticket: target, op: TicketOp::Absorb { source } }),
        ];
        self.authorised(ops)
    }

    /// Links two tickets as related (both sides record the link).
    pub fn link(&self, factory: &mut OpFactory<'_>, a: TicketId, b: TicketId) -> CommandResult<Vec<Op>> {
        if a == b {
            return Ok(Vec::new());
        }
        self.existing_ticket(a)?;
        self.existing_ticket(b)?;
        if self.ticket(a).is_some_and(|first| first.links.get(&b) == Some(&LinkKind::Related)) {
            return Ok(Vec::new());
        }
        let ops = vec![
            factory.op(Payload::Ticket { ticket: a, op: TicketOp::Link { other: b, kind: LinkKind::Related } }),
            factory.op(Payload::Ticket { ticket: b, op: TicketOp::Link { other: a, kind: LinkKind::Related } }),
        ];
        self.authorised(ops)
    }

    pub fn unlink(&self, factory: &mut OpFactory<'_>, a: TicketId, b: TicketId) -> CommandResult<Vec<Op>> {
        self.existing_ticket(a)?;
        self.existing_ticket(b)?;
        if self.ticket(a).is_some_and(|first| !first.links.contains_key(&b)) {
            return Ok(Vec::new());
        }
        let ops = vec![
            factory.op(Payload::Ticket { ticket: a, op: TicketOp::Unlink { other: b } }),
            factory.op(Payload::Ticket { ticket: b, op: TicketOp::Unlink { other: a } }),
        ];
        self.authorised(ops)
    }

    // --- customers ---

    pub fn create_customer(
        &self,
        factory: &mut OpFactory<'_>,
        new: NewCustomer,
    ) -> CommandResult<(CustomerId, Vec<Op>)> {
        let profile = CustomerProfile {
            name: required_text("name", &new.name, limits::NAME_CHARS)?,
            emails: self.unused_emails(&new.emails, None)?,
            phone: bounded_text("phone", &new.phone, limits::FIELD_TEXT_CHARS)?,
            organisation: bounded_text("organisation", &new.organisation, limits::FIELD_TEXT_CHARS)?,
            tier: new.tier.unwrap_or(Tier::Standard),
            language: Self::check_language(new.language.as_deref())?,
            notes: bounded_text("notes", &new.notes, limits::FIELD_TEXT_CHARS)?,
            custom: Default::default(),
        };
        let id = CustomerId::generate(factory.wall_ms(), factory.entropy());
        let op = factory.op(Payload::Customer { customer: id, op: EntityOp::Create(profile) });
        Ok((id, self.authorised(vec![op])?))
    }

    /// Parses addresses and refuses any that another customer already has.
    fn unused_emails(&self, raw: &[String], owner: Option<CustomerId>) -> CommandResult<Vec<Email>> {
        let mut emails: Vec<Email> = Vec::new();
        for text in raw.iter().filter(|text| !text.trim().is_empty()) {
            let email = Email::parse(text)?;
            if let Some((other, _)) = self.customer_by_email(&email)
                && Some(other) != owner
            {
                return Err(CommandError::DuplicateEmail { address: email.to_string() });
            }
            if !emails.iter().any(|held| held.key() == email.key()) {
                emails.push(email);
            }
        }
        Ok(emails)
    }

    pub fn update_customer(
        &self,
        factory: &mut OpFactory<'_>,
        id: CustomerId,
        field: CustomerField,
    ) -> CommandResult<Vec<Op>> {
        self.check_customer(id)?;
        let field = match field {
            CustomerField::Name(v) => CustomerField::Name(required_text("name", &v, limits::NAME_CHARS)?),
            CustomerField::Emails(v) => {
                let raw: Vec<String> = v.iter().map(|e| e.to_string()).collect();
                CustomerField::Emails(self.unused_emails(&raw, Some(id))?)
            }
            CustomerField::Phone(v) => CustomerField::Phone(bounded_text("phone", &v, limits::FIELD_TEXT_CHARS)?),
            CustomerField::Organisation(v) => {
                CustomerField::Organisation(bounded_text("organisation", &v, limits::FIELD_TEXT_CHARS)?)
            }
            CustomerField::Notes(v) => CustomerField::Notes(bounded_text("notes", &v, limits::FIELD_TEXT_CHARS)?),
            CustomerField::Language(v) => CustomerField::Language(Self::check_language(v.as_deref())?),
            CustomerField::Custom { field, value } => {
                self.check_field_value(field, value.as_ref(), FieldTarget::Customer)?;
                CustomerField::Custom { field, value }
            }
            tier @ CustomerField::Tier(_) => tier,
        };
        let op = factory.op(Payload::Customer { customer: id, op: EntityOp::Set(field) });
        self.authorised(vec![op])
    }

    // --- agents and teams ---

    fn agent_profile(&self, new: NewAgent) -> CommandResult<AgentProfile> {
        let email = Email::parse(&new.email)?;
        let handle = match new.handle {
            Some(handle) => check_handle(&handle)?,
            None => self.free_handle(&default_handle(&email)),
        };
        if self.agent_by_handle(&handle).is_some() {
            return Err(CommandError::DuplicateHandle { handle });
        }
        for team in &new.teams {
            self.check_team(Some(*team))?;
        }
        Ok(AgentProfile {
            name: required_text("name", &new.name, limits::NAME_CHARS)?,
            email,
            handle,
            role: new.role,
            teams: new.teams,
            skills: crate::sorting::set_of(
                new.skills.iter().map(|s| crate::case::lowercase(s.trim()).into_owned()).filter(|s| !s.is_empty()),
            ),
            languages: new.languages,
            capacity: check_capacity(new.capacity)?,
            active: true,
            available: true,
        })
    }

    /// `base`, or `base2`, `base3`, … whichever no agent has yet.
    fn free_handle(&self, base: &str) -> String {
        (1..)
            .map(|n| if n == 1 { base.to_owned() } else { format!("{base}{n}") })
            .find(|candidate| self.agent_by_handle(candidate).is_none())
            .unwrap_or_else(|| base.to_owned())
    }

    pub fn create_agent(&self, factory: &mut OpFactory<'_>, new: NewAgent) -> CommandResult<(AgentId, Vec<Op>)> {
        let profile = self.agent_profile(new)?;
        let id = AgentId::generate(factory.wall_ms(), factory.entropy());
        let op = factory.op(Payload::Agent { agent: id, op: EntityOp::Create(profile) });
        Ok((id, self.authorised(vec![op])?))
    }

    pub fn update_agent(&self, factory: &mut OpFactory<'_>, id: AgentId, field: AgentField) -> CommandResult<Vec<Op>> {
        self.agent(id).ok_or(CommandError::NotFound(Missing::Agent(id)))?;
        let field = match field {
            AgentField::Name(v) => AgentField::Name(required_text("name", &v, limits::NAME_CHARS)?),
            AgentField::Handle(v) => {
                let handle = check_handle(&v)?;
                if self.agent_by_handle(&handle).is_some_and(|(other, _)| other != id) {
                    return Err(CommandError::DuplicateHandle { handle });
                }
                AgentField::Handle(handle)
            }
            AgentField::Capacity(v) => AgentField::Capacity(check_capacity(v)?),
            AgentField::Teams(teams) => {
                for team in &teams {
                    self.check_team(Some(*team))?;
                }
                AgentField::Teams(teams)
            }
            other => other,
        };
        let op = factory.op(Payload::Agent { agent: id, op: EntityOp::Set(field) });
        self.authorised(vec![op])
    }

    pub fn create_team(
        &self,
        factory: &mut OpFactory<'_>,
        name: &str,
        description: &str,
    ) -> CommandResult<(TeamId, Vec<Op>)> {
        let profile = TeamProfile {
            name: required_text("team name", name, limits::NAME_CHARS)?,
            description: bounded_text("description", description, limits::FIELD_TEXT_CHARS)?,
        };
        let id = TeamId::generate(factory.wall_ms(), factory.entropy());
        let op = factory.op(Payload::Team { team: id, op: EntityOp::Create(profile) });
        Ok((id, self.authorised(vec![op])?))
    }

    pub fn update_team(&self, factory: &mut OpFactory<'_>, id: TeamId, field: TeamField) -> CommandResult<Vec<Op>> {
        self.check_team(Some(id))?;
        let field = match field {
            TeamField::Name(v) => TeamField::Name(required_text("team name", &v, limits::NAME_CHARS)?),
            TeamField::Description(v) => {
                TeamField::Description(bounded_text("description", &v, limits::FIELD_TEXT_CHARS)?)
            }
        };
        let op = factory.op(Payload::Team { team: id, op: EntityOp::Set(field) });
        self.authorised(vec![op])
    }

    // --- categories and custom fields ---

    pub fn create_category(
        &self,
        factory: &mut OpFactory<'_>,
        name: &str,
        description: &str,
    ) -> CommandResult<(CategoryId, Vec<Op>)> {
        let profile = CategoryProfile {
            name: required_text("category name", name, limits::NAME_CHARS)?,
            description: bounded_text("description", description, limits::FIELD_TEXT_CHARS)?,
            active: true,
        };
        let id = CategoryId::generate(factory.wall_ms(), factory.entropy());
        let op = factory.op(Payload::Category { category: id, op: EntityOp::Create(profile) });
        Ok((id, self.authorised(vec![op])?))
    }

    pub fn update_category(
        &self,
        factory: &mut OpFactory<'_>,
        id: CategoryId,
        field: CategoryField,
    ) -> CommandResult<Vec<Op>> {
        self.check_category(Some(id))?;
        let field = match field {
            CategoryField::Name(v) => CategoryField::Name(required_text("category name", &v, limits::NAME_CHARS)?),
            CategoryField::Description(v) => {
                CategoryField::Description(bounded_text("description", &v, limits::FIELD_TEXT_CHARS)?)
            }
            active @ CategoryField::Active(_) => active,
        };
        let op = factory.op(Payload::Category { category: id, op: EntityOp::Set(field) });
        self.authorised(vec![op])
    }

    pub fn create_field(
        &self,
        factory: &mut OpFactory<'_>,
        name: &str,
        kind: FieldKind,
        target: FieldTarget,
        required: bool,
    ) -> CommandResult<(FieldId, Vec<Op>)> {
        let kind = match kind {
            FieldKind::Choice { options } => FieldKind::Choice { options: check_options(&options)? },
            other => other,
        };
        let profile = FieldDefProfile {
            name: required_text("field name", name, limits::NAME_CHARS)?,
            kind,
            target,
            required,
            active: true,
        };
        let id = FieldId::generate(factory.wall_ms(), factory.entropy());
        let op = factory.op(Payload::Field { field: id, op: EntityOp::Create(profile) });
        Ok((id, self.authorised(vec![op])?))
    }

    pub fn update_field(
        &self,
        factory: &mut OpFactory<'_>,
        id: FieldId,
        field: FieldDefField,
    ) -> CommandResult<Vec<Op>> {
        self.field(id).ok_or(CommandError::NotFound(Missing::Field(id)))?;
        let field = match field {
            FieldDefField::Name(v) => FieldDefField::Name(required_text("field name", &v, limits::NAME_CHARS)?),
            FieldDefField::Options(options) => FieldDefField::Options(check_options(&options)?),
            other => other,
        };
        let op = factory.op(Payload::Field { field: id, op: EntityOp::Set(field) });
        self.authorised(vec![op])
    }
}

fn parse_tags(raw: &[String]) -> Result<BTreeSet<Tag>, ValidationError> {
    let tags = crate::sorting::set_of(raw.iter().map(|text| Tag::parse(text)).collect::<Result<Vec<_>, _>>()?);
    if tags.len() > limits::TAGS_PER_TICKET {
        return Err(ValidationError::TooManyTags { max: limits::TAGS_PER_TICKET });
    }
    Ok(tags)
}

fn check_attachments(attachments: &[Attachment]) -> Result<(), ValidationError> {
    if attachments.len() > limits::ATTACHMENTS_PER_MESSAGE {
        return Err(ValidationError::TooManyAttachments { max: limits::ATTACHMENTS_PER_MESSAGE });
    }
    match attachments.iter().find(|a| a.size_bytes > limits::ATTACHMENT_BYTES) {
        Some(big) => Err(ValidationError::AttachmentTooLarge {
            file_name: big.file_name.clone(),
            max_bytes: limits::ATTACHMENT_BYTES,
        }),
        None => Ok(()),
    }
}

fn check_options(options: &[String]) -> Result<Vec<String>, ValidationError> {
    let mut checked: Vec<String> = Vec::new();
    for option in options {
        let option = required_text("option", option, limits::NAME_CHARS)?;
        if !checked.contains(&option) {
            checked.push(option);
        }
    }
    if checked.is_empty() {
        return Err(ValidationError::Empty { field: "option list" });
    }
    Ok(checked)
}

fn check_capacity(capacity: u32) -> Result<u32, ValidationError> {
    if (1..=MAX_CAPACITY).contains(&capacity) {
        Ok(capacity)
    } else {
        Err(ValidationError::CapacityOutOfRange { max: MAX_CAPACITY })
    }
}

fn check_ui_language(language: &str) -> CommandResult<String> {
    let language = language.trim().to_ascii_lowercase();
    if LANGUAGES.contains(&language.as_str()) { Ok(language) } else { Err(CommandError::UnsupportedLanguage) }
}

/// Accepts `UTC` and `Area/Location` names. Whether the zone exists is checked by the calendar
/// code that uses it; this catches typing mistakes early.
/// A zone tzdata knows (see [`crate::time`]), so business hours and date filters can use it.
fn check_time_zone(zone: &str) -> CommandResult<String> {
    let zone = zone.trim();
    match crate::time::Zone::named(zone) {
        Some(_) => Ok(zone.to_owned()),
        None => Err(CommandError::InvalidTimeZone { zone: zone.to_owned() }),
    }
}

fn is_handle_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
}

fn check_handle(raw: &str) -> CommandResult<String> {
    let handle = raw.trim().trim_start_matches('@').to_ascii_lowercase();
    let valid =
        !handle.is_empty() && handle.len() <= 40 && handle.chars().all(is_handle_char) && !handle.ends_with('.');
    if valid { Ok(handle) } else { Err(CommandError::InvalidHandle) }
}

/// The email's local part without a `+tag`, lowercased and cut to handle characters
/// (`Taro.Yamada+support@…` → `taro.yamada`).
fn default_handle(email: &Email) -> String {
    let local = email.as_str().split(['@', '+']).next().unwrap_or_default().to_ascii_lowercase();
    let handle: String = local.chars().filter(|c| is_handle_char(*c)).collect();
    let handle = handle.trim_end_matches('.').to_owned();
    if handle.is_empty() { "agent".to_owned() } else { handle }
}

/// The handles written as `@handle` in a text. An `@` right after a letter, digit or `.`/`_`/`-`/`+`
/// is part of an email address, not a mention.
pub fn mention_handles(body: &str) -> Vec<&str> {
    let mut handles = Vec::new();
    let mut previous: Option<char> = None;
    for (at, ch) in body.char_indices() {
        let starts_mention = ch == '@' && !previous.is_some_and(|p| p.is_ascii_alphanumeric() || "._-+".contains(p));
        previous = Some(ch);
        if !starts_mention {
            continue;
        }
        let rest = &body[at + 1..];
        let end = rest.find(|c: char| !is_handle_char(c)).unwrap_or(rest.len());
        let handle = rest[..end].trim_end_matches('.');
        if !handle.is_empty() {
            handles.push(handle);
        }
    }
    handles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_found_but_emails_are_not_mentions() {
        assert_eq!(mention_handles("@taro please check"), vec!["taro"]);
        assert_eq!(mention_handles("cc @taro.yamada, @hanako."), vec!["taro.yamada", "hanako"]);
        assert_eq!(mention_handles("mail taro@example.com"), Vec::<&str>::new());
        assert_eq!(mention_handles("山田さん@taro確認お願いします"), vec!["taro"]);
        assert_eq!(mention_handles("@ alone"), Vec::<&str>::new());
    }

    #[test]
    fn handles_are_checked_and_derived() {
        assert_eq!(check_handle("@Taro_Y"), Ok("taro_y".into()));
        assert_eq!(check_handle("taro yamada"), Err(CommandError::InvalidHandle));
        assert_eq!(check_handle(""), Err(CommandError::InvalidHandle));
        assert_eq!(default_handle(&Email::parse("Taro.Yamada+x@example.com").unwrap()), "taro.yamada");
    }

    #[test]
    fn time_zones_and_languages() {
        assert!(check_time_zone("Asia/Tokyo").is_ok());
        assert!(check_time_zone("America/Argentina/Buenos_Aires").is_ok());
        assert!(check_time_zone("UTC").is_ok());
        assert!(check_time_zone("Tokyo").is_err());
        assert!(check_time_zone("Asia//Tokyo").is_err());
        assert_eq!(check_ui_language(" JA "), Ok("ja".into()));
        assert_eq!(check_ui_language("fr"), Err(CommandError::UnsupportedLanguage));
    }
}
