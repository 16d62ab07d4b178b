//! The ticket document: its state, and the fold that builds the state from ops.
//!
//! [`TicketDoc::apply`] is called with a ticket's ops in timestamp order (the workspace guarantees
//! the order, replaying from the start when an older op arrives late). Fields are last-writer-wins
//! because later ops simply overwrite; tags are add/remove per tag; messages are a set keyed by
//! message id, kept in timestamp order. Status changes are checked against the lifecycle table at
//! their place in the merged order, so concurrent offline edits can never produce an illegal
//! history. Lifecycle facts (first public reply, resolution, reopen count) are derived here.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::history::{Change, Rejection, StatusCause};
use crate::id::{AgentId, CategoryId, CustomerId, FieldId, MessageId, OpId, RuleId, SlaPolicyId, TeamId, TicketId};
use crate::lifecycle::{Status, TransitionError, check_transition, status_after_customer_reply};
use crate::model::{Actor, Attachment, Channel, EmailMeta, FieldValue, LinkKind, MessageKind, Priority, Tag};
use crate::op::{MessageDraft, Op, Payload, TicketDraft, TicketField, TicketOp};
use crate::validate::limits;

/// What lists, search, SLA timers and reports need of a ticket: everything but the conversation.
///
/// Kept in memory for every ticket of the workspace (and persisted as its snapshot), so it stays
/// small: no description, no message bodies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketSummary {
    pub id: TicketId,
    pub number: u64,
    pub subject: String,
    pub requester: CustomerId,
    pub channel: Channel,
    pub status: Status,
    pub priority: Priority,
    pub category: Option<CategoryId>,
    pub tags: BTreeSet<Tag>,
    pub assignee: Option<AgentId>,
    pub team: Option<TeamId>,
    pub due_ms: Option<u64>,
    pub language: Option<String>,
    pub custom: BTreeMap<FieldId, FieldValue>,
    pub merged_into: Option<TicketId>,
    pub created_at: u64,
    pub created_by: Actor,
    /// When anything last changed.
    pub updated_at: u64,
    /// When the status last changed (for "hours since pending" automations).
    pub status_changed_at: u64,
    pub first_public_reply_at: Option<u64>,
    pub last_public_reply_at: Option<u64>,
    pub last_customer_message_at: Option<u64>,
    /// The oldest customer message not yet answered by a public reply (the "next reply" clock).
    pub awaiting_reply_since: Option<u64>,
    pub first_resolved_at: Option<u64>,
    /// When the ticket was last resolved; cleared when it reopens.
    pub resolved_at: Option<u64>,
    pub closed_at: Option<u64>,
    /// How many times the ticket left Resolved for an open status.
    pub reopen_count: u32,
    /// Since when the resolution clock has been stopped (the ticket is Pending, Resolved or
    /// Closed); `None` while it runs.
    pub clock_stopped_since: Option<u64>,
    /// Earlier periods the resolution clock was stopped (waiting on the customer, resolved before
    /// a reopen), oldest first, as `[from, to)`.
    pub clock_stops: Vec<(u64, u64)>,
    /// The last customer wait answered after the first reply: when the oldest unanswered
    /// customer message came and when the public reply did (the last "next reply" measured).
    pub last_reply_wait: Option<(u64, u64)>,
    pub message_count: u32,
    pub has_attachments: bool,
    /// When the assignee last changed (round-robin assignment picks whoever waited longest).
    pub assigned_at: Option<u64>,
    /// An SLA policy a rule applied, which wins over the policies' own conditions.
    pub sla_policy: Option<SlaPolicyId>,
    /// How many escalation tiers the ticket has climbed (0: not escalated).
    pub escalation: u8,
    /// Time-based rules that have run on this ticket, with the instant each became due: a timer
    /// runs once per cause, on whichever replica gets there first.
    pub timers_fired: BTreeSet<(RuleId, u64)>,
}

impl TicketSummary {
    pub fn is_open(&self) -> bool {
        self.status.is_open()
    }

    /// Whether the ticket accepts field changes (Closed tickets are frozen).
    pub fn is_editable(&self) -> bool {
        self.status != Status::Closed
    }
}

/// A ticket as the fold of its ops: its summary plus the conversation. Read-only outside this
/// module: change it by making ops.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ticket {
    pub summary: TicketSummary,
    pub description: String,
    /// The conversation in timestamp order.
    pub messages: Vec<Message>,
    pub merged_from: Vec<TicketId>,
    pub links: BTreeMap<TicketId, LinkKind>,
}

/// A ticket reads as its summary (`ticket.status`, `ticket.subject`, …): the summary is the part
/// of the ticket every view shares, and spelling `ticket.summary.status` everywhere adds nothing.
impl std::ops::Deref for Ticket {
    type Target = TicketSummary;

    fn deref(&self) -> &TicketSummary {
        &self.summary
    }
}

impl Ticket {
    pub fn message(&self, id: MessageId) -> Option<&Message> {
        self.messages.iter().find(|m| m.id == id)
    }
}

/// A message of the conversation, as stored in the ticket.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    pub id: MessageId,
    pub kind: MessageKind,
    pub author: Actor,
    pub body: String,
    pub mentions: Vec<AgentId>,
    pub attachments: Vec<Attachment>,
    pub email: Option<EmailMeta>,
    pub channel: Option<Channel>,
    pub at_ms: u64,
    /// The op that added it.
    pub op: OpId,
}

/// Fold state of one ticket: nothing until its `Create` op has been applied.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TicketDoc {
    ticket: Option<Ticket>,
}

/// Receives history entries while folding; `None` when only the state is wanted.
type Recorder<'a> = Option<&'a mut Vec<Change>>;

fn record(recorder: &mut Recorder<'_>, change: impl FnOnce() -> Change) {
    if let Some(changes) = recorder {
        changes.push(change());
    }
}

impl TicketDoc {
    pub fn ticket(&self) -> Option<&Ticket> {
        self.ticket.as_ref()
    }

    /// Applies one op (the next in timestamp order). Ops of other documents are ignored.
    pub fn apply(&mut self, op: &Op, mut recorder: Recorder<'_>) {
        let Payload::Ticket { ticket: ticket_id, op: ticket_op } = &op.payload else {
            return;
        };
        let at = op.ts.ms;
        let Some(ticket) = self.ticket.as_mut() else {
            if let TicketOp::Create(draft) = ticket_op {
                let ticket = Ticket::create(*ticket_id, draft, op.actor, at);
                record(&mut recorder, || Change::Created {
                    number: ticket.number,
                    subject: ticket.subject.clone(),
                    channel: ticket.channel,
                    status: ticket.status,
                    priority: ticket.priority,
                });
                self.ticket = Some(ticket);
            } else {
                record(&mut recorder, || Change::Rejected(Rejection::BeforeCreate));
            }
            return;
        };
        let changed = ticket.apply(ticket_op, op.id, at, &mut recorder);
        if changed {
            ticket.summary.updated_at = at;
        }
    }
}

impl TicketDoc {
    /// A document holding only `summary` (no conversation), to fold further ops onto: how
    /// automation sees a ticket's fields after a change that is not applied yet.
    pub(crate) fn from_summary(summary: &TicketSummary) -> TicketDoc {
        let ticket = Ticket {
            summary: summary.clone(),
            description: String::new(),
            messages: Vec::new(),
            merged_from: Vec::new(),
            links: BTreeMap::new(),
        };
        TicketDoc { ticket: Some(ticket) }
    }
}

impl Ticket {
    fn create(id: TicketId, draft: &TicketDraft, actor: Actor, at: u64) -> Ticket {
        let status = if draft.assignee.is_some() { Status::Assigned } else { Status::New };
        let mut links = BTreeMap::new();
        if let Some(original) = draft.follow_up_of {
            links.insert(original, LinkKind::FollowUpOf);
        }
        let summary = TicketSummary {
            id,
            number: draft.number,
            subject: draft.subject.clone(),
            requester: draft.requester,
            channel: draft.channel,
            status,
            priority: draft.priority,
            category: draft.category,
            tags: crate::sorting::set_of(draft.tags.iter().take(limits::TAGS_PER_TICKET).cloned()),
            assignee: draft.assignee,
            team: draft.team,
            due_ms: draft.due_ms,
            language: draft.language.clone(),
            custom: crate::sorting::map_of(draft.custom.iter().cloned()),
            merged_into: None,
            created_at: at,
            created_by: actor,
            updated_at: at,
            status_changed_at: at,
            first_public_reply_at: None,
            last_public_reply_at: None,
            last_customer_message_at: None,
            awaiting_reply_since: None,
            first_resolved_at: None,
            resolved_at: None,
            closed_at: None,
            reopen_count: 0,
            clock_stopped_since: None,
            clock_stops: Vec::new(),
            last_reply_wait: None,
            message_count: 0,
            has_attachments: false,
            assigned_at: draft.assignee.map(|_| at),
            sla_policy: None,
            escalation: 0,
            timers_fired: BTreeSet::new(),
        };
        Ticket { summary, description: draft.description.clone(), messages: Vec::new(), merged_from: Vec::new(), links }
    }

    /// Applies one op to an existing ticket; returns whether anything changed.
    fn apply(&mut self, op: &TicketOp, op_id: OpId, at: u64, recorder: &mut Recorder<'_>) -> bool {
        // Closed tickets are frozen, but facts that must not be lost still land: messages written
        // concurrently, links, and the record of a ticket merged into this one.
        let allowed_when_closed = matches!(
            op,
            TicketOp::AddMessage(_) | TicketOp::Link { .. } | TicketOp::Unlink { .. } | TicketOp::Absorb { .. }
        );
        if !self.is_editable() && !allowed_when_closed {
            let is_noop_status = matches!(op, TicketOp::Set(TicketField::Status(Status::Closed)));
            if !is_noop_status {
                record(recorder, || Change::Rejected(Rejection::TicketClosed));
            }
            return false;
        }
        match op {
            TicketOp::Create(_) => {
                record(recorder, || Change::Rejected(Rejection::DuplicateCreate));
                false
            }
            TicketOp::Set(field) => self.set_field(field, at, recorder),
            TicketOp::AddTag(tag) => {
                if self.tags.contains(tag) {
                    false
                } else if self.tags.len() >= limits::TAGS_PER_TICKET {
                    record(recorder, || Change::Rejected(Rejection::TooManyTags));
                    false
                } else {
                    self.summary.tags.insert(tag.clone());
                    record(recorder, || Change::TagAdded(tag.clone()));
                    true
                }
            }
            TicketOp::RemoveTag(tag) => {
                let removed = self.summary.tags.remove(tag);
                if removed {
                    record(recorder, || Change::TagRemoved(tag.clone()));
                }
                removed
            }
            TicketOp::AddMessage(draft) => self.add_message(draft, op_id, at, recorder),
            TicketOp::MergeInto { target } => {
                if self.merged_into.is_some() {
                    return false;
                }
                self.summary.merged_into = Some(*target);
                record(recorder, || Change::MergedInto(*target));
                let from = self.status;
                self.move_status(from, Status::Closed, StatusCause::Merge, at, recorder);
                true
            }
            TicketOp::Absorb { source } => {
                if self.merged_from.contains(source) {
                    return false;
                }
                self.merged_from.push(*source);
                record(recorder, || Change::Absorbed(*source));
                true
            }
            TicketOp::Link { other, kind } => {
                if self.links.get(other) == Some(kind) {
                    return false;
                }
                self.links.insert(*other, *kind);
                record(recorder, || Change::Linked { other: *other, kind: *kind });
                true
            }
            TicketOp::Unlink { other } => {
                let removed = self.links.remove(other).is_some();
                if removed {
                    record(recorder, || Change::Unlinked { other: *other });
                }
                removed
            }
            TicketOp::TimerFired { rule, due_at } => {
                if self.summary.timers_fired.insert((*rule, *due_at)) {
                    record(recorder, || Change::TimerFired { rule: *rule });
                }
                // Bookkeeping, not an update: "hours since updated" must not restart because of it.
                false
            }
        }
    }

    fn set_field(&mut self, field: &TicketField, at: u64, recorder: &mut Recorder<'_>) -> bool {
        /// Last-writer-wins assignment that records `from → to` when the value really changes.
        macro_rules! lww {
            ($slot:expr, $value:expr, $variant:ident) => {{
                let value = $value;
                if $slot == value {
                    false
                } else {
                    let from = std::mem::replace(&mut $slot, value);
                    record(recorder, || Change::$variant { from, to: $slot.clone() });
                    true
                }
            }};
        }
        match field {
            TicketField::Subject(subject) => lww!(self.summary.subject, subject.clone(), Subject),
            TicketField::Description(text) => lww!(self.description, text.clone(), Description),
            TicketField::Priority(priority) => lww!(self.summary.priority, *priority, Priority),
            TicketField::Category(category) => lww!(self.summary.category, *category, Category),
            TicketField::Team(team) => lww!(self.summary.team, *team, Team),
            TicketField::Due(due) => lww!(self.summary.due_ms, *due, Due),
            TicketField::Requester(requester) => lww!(self.summary.requester, *requester, Requester),
            TicketField::Language(language) => lww!(self.summary.language, language.clone(), Language),
            TicketField::Custom { field, value } => {
                let current = self.custom.get(field);
                if current == value.as_ref() {
                    return false;
                }
                let from = match value {
                    Some(value) => self.summary.custom.insert(*field, value.clone()),
                    None => self.summary.custom.remove(field),
                };
                record(recorder, || Change::CustomField { field: *field, from, to: value.clone() });
                true
            }
            TicketField::SlaPolicy(policy) => lww!(self.summary.sla_policy, *policy, SlaPolicy),
            TicketField::Escalation(level) => lww!(self.summary.escalation, *level, Escalation),
            TicketField::Assignee(assignee) => {
                let changed = lww!(self.summary.assignee, *assignee, Assignee);
                if changed {
                    self.summary.assigned_at = Some(at);
                }
                // Assignment and the New/Assigned statuses move together, in the fold itself, so
                // that no merge of concurrent edits can leave an assigned ticket in New.
                match (self.status, self.assignee) {
                    (Status::New, Some(_)) => {
                        self.move_status(Status::New, Status::Assigned, StatusCause::Assignment, at, recorder);
                    }
                    (Status::Assigned, None) => {
                        self.move_status(Status::Assigned, Status::New, StatusCause::Assignment, at, recorder);
                    }
                    _ => {}
                }
                changed
            }
            TicketField::Status(to) => {
                let from = self.status;
                match check_transition(from, *to, self.assignee.is_some()) {
                    Ok(()) => {
                        self.move_status(from, *to, StatusCause::Manual, at, recorder);
                        true
                    }
                    // Two agents choosing the same status concurrently is agreement, not conflict.
                    Err(TransitionError::Unchanged(_)) => false,
                    Err(error) => {
                        record(recorder, || Change::Rejected(Rejection::Transition(error)));
                        false
                    }
                }
            }
        }
    }

    fn add_message(&mut self, draft: &MessageDraft, op_id: OpId, at: u64, recorder: &mut Recorder<'_>) -> bool {
        // The same message can arrive twice with different op ids (an email fetched by two
        // browsers derives its message id from its Message-ID): keep the first.
        if self.message(draft.id).is_some() {
            return false;
        }
        self.messages.push(Message {
            id: draft.id,
            kind: draft.kind,
            author: draft.author,
            body: draft.body.clone(),
            mentions: draft.mentions.clone(),
            attachments: draft.attachments.clone(),
            email: draft.email.clone(),
            channel: draft.channel,
            at_ms: at,
            op: op_id,
        });
        record(recorder, || Change::Message { id: draft.id, kind: draft.kind });
        let summary = &mut self.summary;
        summary.message_count += 1;
        summary.has_attachments |= !draft.attachments.is_empty();
        match draft.kind {
            MessageKind::PublicReply => {
                if let (Some(_), Some(since)) = (summary.first_public_reply_at, summary.awaiting_reply_since) {
                    summary.last_reply_wait = Some((since, at));
                }
                summary.first_public_reply_at.get_or_insert(at);
                summary.last_public_reply_at = Some(at);
                summary.awaiting_reply_since = None;
            }
            MessageKind::Customer => {
                summary.last_customer_message_at = Some(at);
                summary.awaiting_reply_since.get_or_insert(at);
                if matches!(self.status, Status::Pending | Status::Resolved) {
                    let to = status_after_customer_reply(self.assignee.is_some());
                    let from = self.status;
                    self.move_status(from, to, StatusCause::CustomerReply, at, recorder);
                }
            }
            MessageKind::InternalNote => {}
        }
        true
    }

    /// Moves to `to` (already checked) and keeps the derived lifecycle facts in step.
    fn move_status(&mut self, from: Status, to: Status, cause: StatusCause, at: u64, recorder: &mut Recorder<'_>) {
        let summary = &mut self.summary;
        summary.status = to;
        summary.status_changed_at = at;
        match to {
            Status::Resolved => {
                summary.first_resolved_at.get_or_insert(at);
                summary.resolved_at = Some(at);
            }
            Status::Closed => summary.closed_at = Some(at),
            _ => {}
        }
        if from == Status::Resolved && to.is_open() {
            summary.reopen_count += 1;
            summary.resolved_at = None;
        }
        match (from.runs_resolution_clock(), to.runs_resolution_clock()) {
            (true, false) => summary.clock_stopped_since = Some(at),
            (false, true) => {
                if let Some(since) = summary.clock_stopped_since.take() {
                    summary.clock_stops.push((since, at));
                }
            }
            _ => {}
        }
        record(recorder, || Change::Status { from, to, cause });
    }
}
