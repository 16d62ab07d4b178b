//! helpdesk-core: the helpdesk's ticket domain as pure Rust.
//!
//! Everything a helpdesk knows about tickets lives here: the data model, the lifecycle, and the
//! event-sourced merge that lets agents work offline and sync later without losing a write. The
//! browser app (`src/`) and the sync server (`crates/server`) are thin layers over this crate.
//!
//! What this crate deliberately does not do: IO of any kind. No clock, no random numbers, no
//! storage, no network, no web crates. Wall time and randomness are passed in ([`OpFactory`]), so
//! every behaviour is reproducible in a native test.
//!
//! # Model
//!
//! A workspace is a set of documents (tickets, customers, agents, teams, categories, custom field
//! definitions, settings). Every change is an [`Op`]: an id, the acting [`Actor`], a hybrid logical
//! clock [`Timestamp`], and a typed payload. A document's state is the fold of its ops in timestamp
//! order, so [`Workspace::apply`] is idempotent and commutative: replicas that hold the same ops
//! hold the same state, whatever order the ops arrived in. The audit trail is the op log itself
//! ([`Workspace::ticket_history`]).
//!
//! Changes are made through commands ([`Workspace::create_ticket`], [`Workspace::change_status`],
//! …) that validate input and permissions and return ops without touching the workspace; the
//! caller persists the ops, then applies them.
//!
//! # Two replicas
//!
//! Two agents work on the same ticket while offline; when their ops meet, both replicas agree.
//!
//! ```
//! use helpdesk_core::*;
//!
//! let admin = Actor::Agent(AgentId::from_u128(1));
//! let mut now = 1_700_000_000_000; // wall time in ms, handed in by the caller
//!
//! // Replica A sets the workspace up and opens a ticket for a new customer.
//! let mut a = Replica::new(ReplicaId(1), SeededEntropy::new(1));
//! let mut log = a.execute(admin, now, |ws, f| {
//!     ws.setup(f, WorkspaceSetup {
//!         name: "Support".into(),
//!         language: "ja".into(),
//!         time_zone: "Asia/Tokyo".into(),
//!         admin: NewAgent::new("Admin", "admin@example.com", Role::Admin),
//!     })
//! }).unwrap();
//! let (customer, ops) = a.execute(admin, now, |ws, f| {
//!     ws.create_customer(f, NewCustomer { name: "山田太郎".into(), ..Default::default() })
//! }).unwrap();
//! log.extend(ops);
//! let (ticket, ops) = a.execute(admin, now, |ws, f| {
//!     ws.create_ticket(f, NewTicket::new("ログインできません", "再設定しても入れません", customer, Channel::Email))
//! }).unwrap();
//! log.extend(ops);
//!
//! // Replica B receives everything so far; then both go offline.
//! let mut b = Replica::new(ReplicaId(2), SeededEntropy::new(2));
//! b.receive(log, now);
//!
//! // A raises the priority while B tags and resolves the same ticket.
//! now += 60_000;
//! let from_a = a.execute(admin, now, |ws, f| ws.edit_ticket(f, ticket, TicketEdit::Priority(Priority::High))).unwrap();
//! let mut from_b = b.execute(admin, now, |ws, f| ws.add_tags(f, ticket, &["パスワード".into()])).unwrap();
//! from_b.extend(b.execute(admin, now, |ws, f| ws.change_status(f, ticket, Status::Resolved)).unwrap());
//!
//! // Back online: each applies the other's ops, and they agree on state and history.
//! b.receive(from_a, now);
//! a.receive(from_b, now);
//! assert_eq!(a.workspace(), b.workspace());
//! let merged = a.workspace().ticket(ticket).unwrap();
//! assert_eq!((merged.priority, merged.status), (Priority::High, Status::Resolved));
//! assert!(merged.tags.contains(&Tag::parse("パスワード").unwrap()));
//! assert_eq!(a.workspace().ticket_history(ticket), b.workspace().ticket_history(ticket));
//! assert_eq!(a.workspace().display_number(merged), "#1");
//! ```

pub mod case;
mod command;
mod directory;
pub mod enum_set;
pub mod export;
mod history;
mod hlc;
mod id;
pub mod id_map;
mod lifecycle;
mod model;
pub mod notify;
pub mod numbering;
mod op;
mod permission;
mod queue;
mod replica;
pub mod rules;
pub mod sample;
pub mod search;
mod settings;
pub mod sla;
pub mod sorting;
pub mod storage;
mod summaries;
mod ticket;
pub mod time;
pub mod validate;
mod workspace;

pub use command::{
    CommandError, CommandResult, DEFAULT_CAPACITY, LANGUAGES, MAX_CAPACITY, Missing, NewAgent, NewCustomer, NewMessage,
    NewTicket, TicketEdit, WorkspaceSetup, mention_handles,
};
pub use directory::{
    AgentField, AgentProfile, CategoryField, CategoryProfile, CustomerField, CustomerProfile, EntityDoc, Entry,
    FieldDefField, FieldDefProfile, FieldTarget, Profile, TeamField, TeamProfile,
};
pub use history::{Change, HistoryEntry, Rejection, StatusCause};
pub use hlc::{Clock, MAX_CLOCK_SKEW_MS, ReplicaId, Timestamp};
pub use id::{
    AgentId, AttachmentId, CalendarId, CategoryId, CustomerId, Entropy, FieldId, IdParseError, MessageId, OpId, RuleId,
    SeededEntropy, SlaPolicyId, TeamId, TicketId, ViewId,
};
pub use lifecycle::{Status, TransitionError, check_transition, status_after_customer_reply, transition_allowed};
pub use model::{
    Actor, Attachment, Channel, Email, EmailMeta, FieldKind, FieldValue, LinkKind, MessageKind, Priority, Role, Tag,
    Tier,
};
pub use op::{DocKey, EntityOp, MessageDraft, Op, OpFactory, Payload, TicketDraft, TicketField, TicketOp, WorkspaceOp};
pub use permission::Forbidden;
pub use queue::{CustomerListing, QueueCounts, QueueQuery, QuickFilter, SortKey, SortedQueue};
pub use replica::{Planned, Replica};
pub use search::{Hit, Plan, SearchContext, SearchIndex, SearchResults, Snippet};
pub use settings::{SavedView, Settings, SettingsField};
pub use ticket::{Message, Ticket, TicketDoc, TicketSummary};
pub use validate::ValidationError;
pub use workspace::{AgentLoad, Applied, DocSnapshot, Workspace};
