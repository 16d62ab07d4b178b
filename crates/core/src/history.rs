//! The audit trail: who changed what, when, from what to what.
//!
//! History is not stored. It is recomputed by folding a document's ops with recording switched on
//! ([`crate::Workspace::ticket_history`]), so it is always exactly what the op log says and is
//! identical on every replica that holds the same ops. Concurrent edits that lost (a status change
//! the merged order made illegal, a tag over the limit) appear as [`Change::Rejected`] entries, so
//! a team can see why an edit made offline did not stick.

use serde::{Deserialize, Serialize};

use crate::id::{AgentId, CategoryId, CustomerId, FieldId, MessageId, OpId, RuleId, SlaPolicyId, TeamId, TicketId};
use crate::lifecycle::{Status, TransitionError};
use crate::model::{Actor, Channel, FieldValue, LinkKind, MessageKind, Priority, Tag};

/// One line of a ticket's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEntry {
    /// The op that made the change (several entries can share one op).
    pub op: OpId,
    pub at_ms: u64,
    pub actor: Actor,
    pub change: Change,
}

/// What one op did to a ticket.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Created {
        number: u64,
        subject: String,
        channel: Channel,
        status: Status,
        priority: Priority,
    },
    Subject {
        from: String,
        to: String,
    },
    Description {
        from: String,
        to: String,
    },
    Status {
        from: Status,
        to: Status,
        cause: StatusCause,
    },
    Priority {
        from: Priority,
        to: Priority,
    },
    Category {
        from: Option<CategoryId>,
        to: Option<CategoryId>,
    },
    Assignee {
        from: Option<AgentId>,
        to: Option<AgentId>,
    },
    Team {
        from: Option<TeamId>,
        to: Option<TeamId>,
    },
    Due {
        from: Option<u64>,
        to: Option<u64>,
    },
    Requester {
        from: CustomerId,
        to: CustomerId,
    },
    Language {
        from: Option<String>,
        to: Option<String>,
    },
    CustomField {
        field: FieldId,
        from: Option<FieldValue>,
        to: Option<FieldValue>,
    },
    TagAdded(Tag),
    TagRemoved(Tag),
    Message {
        id: MessageId,
        kind: MessageKind,
    },
    MergedInto(TicketId),
    Absorbed(TicketId),
    Linked {
        other: TicketId,
        kind: LinkKind,
    },
    Unlinked {
        other: TicketId,
    },
    SlaPolicy {
        from: Option<SlaPolicyId>,
        to: Option<SlaPolicyId>,
    },
    Escalation {
        from: u8,
        to: u8,
    },
    /// A time-based rule ran (its changes follow as their own entries, by the rule).
    TimerFired {
        rule: RuleId,
    },
    /// The op had no effect at its place in the merged order.
    Rejected(Rejection),
}

/// Why a status changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusCause {
    /// An agent (or rule) set it.
    Manual,
    /// Assigning or unassigning moved New ↔ Assigned.
    Assignment,
    /// The customer wrote while the ticket was Pending or Resolved.
    CustomerReply,
    /// The ticket was merged into another.
    Merge,
}

/// Why an op was not applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rejection {
    /// The status change was illegal from the status the merged history had reached.
    Transition(TransitionError),
    /// The ticket was already closed (or merged) when this edit came in order.
    TicketClosed,
    /// The edit is ordered before the ticket's creation (only while a clamped clock is settling).
    BeforeCreate,
    /// A second creation of the same ticket id.
    DuplicateCreate,
    /// Adding the tag would exceed the per-ticket limit.
    TooManyTags,
}
