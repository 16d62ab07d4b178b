//! Operations: every change to a workspace is one [`Op`], and state is a fold of ops.
//!
//! An op names the document it changes (a ticket, a customer, an agent, …), who made it, and when
//! (a hybrid logical clock [`Timestamp`]). Ops are immutable and identified by [`OpId`]; the op log
//! is the audit trail. The serialised form (JSON, externally tagged, snake_case) is the format of
//! exports and of the sync protocol, so changing it needs a migration.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::directory::{AgentProfile, CategoryProfile, CustomerProfile, FieldDefProfile, Profile, TeamProfile};
use crate::hlc::{Clock, Timestamp};
use crate::id::{
    AgentId, CategoryId, CustomerId, Entropy, FieldId, MessageId, OpId, RuleId, SlaPolicyId, TeamId, TicketId,
};
use crate::lifecycle::Status;
use crate::model::{Actor, Attachment, Channel, EmailMeta, FieldValue, LinkKind, MessageKind, Priority, Tag};
use crate::numbering::NumberBlock;
use crate::settings::SettingsField;

/// One change, made by one actor at one instant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Op {
    pub id: OpId,
    pub ts: Timestamp,
    pub actor: Actor,
    pub payload: Payload,
}

impl Op {
    /// The document this op belongs to.
    pub fn doc(&self) -> DocKey {
        self.payload.doc()
    }

    /// The key ops of one document are folded in: timestamp, then id to break exact ties (which
    /// only happen when two versions of a clamped op meet).
    pub fn order_key(&self) -> (Timestamp, OpId) {
        (self.ts, self.id)
    }
}

/// What an op changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Payload {
    Ticket { ticket: TicketId, op: TicketOp },
    Customer { customer: CustomerId, op: EntityOp<CustomerProfile> },
    Agent { agent: AgentId, op: EntityOp<AgentProfile> },
    Team { team: TeamId, op: EntityOp<TeamProfile> },
    Category { category: CategoryId, op: EntityOp<CategoryProfile> },
    Field { field: FieldId, op: EntityOp<FieldDefProfile> },
    Workspace(WorkspaceOp),
}

impl Payload {
    pub fn doc(&self) -> DocKey {
        match self {
            Payload::Ticket { ticket, .. } => DocKey::Ticket(*ticket),
            Payload::Customer { customer, .. } => DocKey::Customer(*customer),
            Payload::Agent { agent, .. } => DocKey::Agent(*agent),
            Payload::Team { team, .. } => DocKey::Team(*team),
            Payload::Category { category, .. } => DocKey::Category(*category),
            Payload::Field { field, .. } => DocKey::Field(*field),
            Payload::Workspace(_) => DocKey::Workspace,
        }
    }
}

/// Names one document of a workspace. Ops of different documents commute trivially; ops of one
/// document are folded in timestamp order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKey {
    Ticket(TicketId),
    Customer(CustomerId),
    Agent(AgentId),
    Team(TeamId),
    Category(CategoryId),
    Field(FieldId),
    Workspace,
}

impl DocKey {
    /// The document's key as text: `t:<uuid>` for a ticket, `c:` customer, `a:` agent, `m:` team
    /// (members), `g:` category (group), `f:` custom field, `w` the workspace settings. Used as the
    /// storage key of the document and in messages between browser tabs.
    pub fn encode(&self) -> String {
        match self {
            DocKey::Ticket(id) => format!("t:{id}"),
            DocKey::Customer(id) => format!("c:{id}"),
            DocKey::Agent(id) => format!("a:{id}"),
            DocKey::Team(id) => format!("m:{id}"),
            DocKey::Category(id) => format!("g:{id}"),
            DocKey::Field(id) => format!("f:{id}"),
            DocKey::Workspace => "w".to_owned(),
        }
    }

    /// The inverse of [`DocKey::encode`]; `None` for text that is not a document key.
    pub fn decode(text: &str) -> Option<DocKey> {
        if text == "w" {
            return Some(DocKey::Workspace);
        }
        let (kind, id) = text.split_once(':')?;
        Some(match kind {
            "t" => DocKey::Ticket(id.parse().ok()?),
            "c" => DocKey::Customer(id.parse().ok()?),
            "a" => DocKey::Agent(id.parse().ok()?),
            "m" => DocKey::Team(id.parse().ok()?),
            "g" => DocKey::Category(id.parse().ok()?),
            "f" => DocKey::Field(id.parse().ok()?),
            _ => return None,
        })
    }
}

/// A change to a ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketOp {
    Create(Box<TicketDraft>),
    Set(TicketField),
    AddTag(Tag),
    RemoveTag(Tag),
    AddMessage(Box<MessageDraft>),
    /// This ticket was merged into `target`: it closes and points there.
    MergeInto {
        target: TicketId,
    },
    /// `source` was merged into this ticket.
    Absorb {
        source: TicketId,
    },
    Link {
        other: TicketId,
        kind: LinkKind,
    },
    Unlink {
        other: TicketId,
    },
    /// A time-based rule ran on this ticket for the cause that became due at `due_at`. Its id is
    /// derived from rule, ticket and `due_at`, so two browsers running it collapse into one.
    TimerFired {
        rule: RuleId,
        due_at: u64,
    },
}

/// Everything a ticket starts with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketDraft {
    /// The human number, unique per workspace (see [`crate::numbering`]).
    pub number: u64,
    pub subject: String,
    pub description: String,
    pub requester: CustomerId,
    pub channel: Channel,
    pub priority: Priority,
    pub category: Option<CategoryId>,
    pub tags: BTreeSet<Tag>,
    pub assignee: Option<AgentId>,
    pub team: Option<TeamId>,
    pub due_ms: Option<u64>,
    /// The language the customer writes in (BCP 47, e.g. `ja`), for routing and replies.
    pub language: Option<String>,
    pub custom: Vec<(FieldId, FieldValue)>,
    pub follow_up_of: Option<TicketId>,
}

/// One last-writer-wins field of a ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketField {
    Subject(String),
    Description(String),
    Status(Status),
    Priority(Priority),
    Category(Option<CategoryId>),
    Assignee(Option<AgentId>),
    Team(Option<TeamId>),
    Due(Option<u64>),
    Requester(CustomerId),
    Language(Option<String>),
    Custom {
        field: FieldId,
        value: Option<FieldValue>,
    },
    /// An SLA policy applied by a rule, overriding the policies' conditions; `None` lets them decide.
    SlaPolicy(Option<SlaPolicyId>),
    /// The escalation tier reached (0: none).
    Escalation(u8),
}

/// A message added to a ticket's conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessageDraft {
    pub id: MessageId,
    pub kind: MessageKind,
    /// Who wrote it: for a customer message typed in by an agent after a call, the customer.
    pub author: Actor,
    /// Markdown source. Rendered sanitised, never as raw HTML.
    pub body: String,
    pub mentions: Vec<AgentId>,
    pub attachments: Vec<Attachment>,
    pub email: Option<EmailMeta>,
    pub channel: Option<Channel>,
}

/// A change to one directory entity (customer, agent, team, category, custom field).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
// `Profile` already requires (de)serialisable profiles and fields, so no extra bounds.
#[serde(rename_all = "snake_case", bound = "")]
pub enum EntityOp<P: Profile> {
    Create(P),
    Set(P::Field),
}

/// A change to the workspace-wide settings document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkspaceOp {
    Set(SettingsField),
    ClaimNumberBlock(NumberBlock),
}

/// Makes ops for one actor on one replica: stamps ids and HLC timestamps.
///
/// Build one per command with the current wall time; it never reads a clock itself.
pub struct OpFactory<'a> {
    actor: Actor,
    clock: &'a mut Clock,
    entropy: &'a mut dyn Entropy,
    wall_ms: u64,
}

impl std::fmt::Debug for OpFactory<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpFactory").field("actor", &self.actor).field("wall_ms", &self.wall_ms).finish_non_exhaustive()
    }
}

impl<'a> OpFactory<'a> {
    pub fn new(actor: Actor, clock: &'a mut Clock, entropy: &'a mut dyn Entropy, wall_ms: u64) -> Self {
        Self { actor, clock, entropy, wall_ms }
    }

    pub fn actor(&self) -> Actor {
        self.actor
    }

    pub fn wall_ms(&self) -> u64 {
        self.wall_ms
    }

    pub fn replica(&self) -> crate::hlc::ReplicaId {
        self.clock.replica()
    }

    /// A fresh op with a new id and the next timestamp.
    pub fn op(&mut self, payload: Payload) -> Op {
        let ts = self.clock.tick(self.wall_ms);
        Op { id: OpId::generate(self.wall_ms, self.entropy), ts, actor: self.actor, payload }
    }

    /// A fresh op whose id is derived from its cause (automation), so replicas agree on it.
    pub fn derived_op(&mut self, id: OpId, payload: Payload) -> Op {
        let ts = self.clock.tick(self.wall_ms);
        Op { id, ts, actor: self.actor, payload }
    }

    /// Fresh random bits for a new entity id.
    pub fn entropy(&mut self) -> &mut dyn Entropy {
        self.entropy
    }

    pub fn new_ticket_id(&mut self) -> TicketId {
        TicketId::generate(self.wall_ms, self.entropy)
    }

    pub fn new_message_id(&mut self) -> MessageId {
        MessageId::generate(self.wall_ms, self.entropy)
    }
}
