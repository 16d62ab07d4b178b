//! A workspace replica: every document folded from the ops this replica holds.
//!
//! [`Workspace::apply`] is idempotent and commutative: the same set of ops, delivered in any order
//! and with any duplicates, gives the same state. Each document keeps its ops sorted by
//! `(timestamp, op id)`. An op newer than everything the document has is folded in directly (the
//! common case); an older one — a colleague's offline edit arriving late — is inserted in place and
//! the document is folded again from its first op. Documents are small (a ticket has tens of ops),
//! so the replay is cheap, and it makes every merge rule a plain sequential rule.
//!
//! Two versions of one op id (the same op, clamped differently by two replicas, see
//! [`crate::hlc`]) resolve to the version with the smaller timestamp.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

use crate::directory::{
    AgentProfile, CategoryProfile, CustomerProfile, EntityDoc, Entry, FieldDefProfile, Profile, TeamProfile,
};
use crate::history::HistoryEntry;
use crate::hlc::ReplicaId;
use crate::id::{AgentId, CategoryId, CustomerId, FieldId, TeamId, TicketId};
use crate::model::Email;
use crate::numbering::{self, BLOCK_SIZE, NumberBlock};
use crate::op::{DocKey, Op};
use crate::settings::Settings;
use crate::ticket::{Ticket, TicketDoc};

/// What [`Workspace::apply`] did with an op.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// The op was new and is now part of the state.
    New,
    /// The replica already had this op (or a version of it with an earlier timestamp).
    Duplicate,
    /// The replica had this op with a later timestamp; the earlier version replaced it.
    Replaced,
}

impl Applied {
    /// Whether state may have changed (the op must be persisted and views refreshed).
    pub fn changed(self) -> bool {
        self != Applied::Duplicate
    }
}

/// A fold state that consumes ops of its document in timestamp order.
trait Fold: Default {
    fn fold(&mut self, op: &Op);
}

impl Fold for TicketDoc {
    fn fold(&mut self, op: &Op) {
        self.apply(op, None);
    }
}

impl<P: Profile> Fold for EntityDoc<P> {
    fn fold(&mut self, op: &Op) {
        self.apply(op);
    }
}

impl Fold for Settings {
    fn fold(&mut self, op: &Op) {
        self.apply(op);
    }
}

/// One document: its ops in fold order and the state they fold to.
#[derive(Debug, Clone, Default, PartialEq)]
struct Doc<S> {
    ops: Vec<Op>,
    state: S,
}

impl<S: Fold> Doc<S> {
    fn insert(&mut self, op: Op) -> Applied {
        if let Some(existing) = self.ops.iter().position(|held| held.id == op.id) {
            if self.ops[existing].ts <= op.ts {
                return Applied::Duplicate;
            }
            self.ops.remove(existing);
            self.insert_sorted(op);
            self.refold();
            return Applied::Replaced;
        }
        let is_newest = self.ops.last().is_none_or(|last| last.order_key() < op.order_key());
        if is_newest {
            self.state.fold(&op);
            self.ops.push(op);
        } else {
            self.insert_sorted(op);
            self.refold();
        }
        Applied::New
    }

    fn insert_sorted(&mut self, op: Op) {
        let at = self.ops.partition_point(|held| held.order_key() < op.order_key());
        self.ops.insert(at, op);
    }

    fn refold(&mut self) {
        let mut state = S::default();
        for op in &self.ops {
            state.fold(op);
        }
        self.state = state;
    }
}

fn entity_entries<I: Copy, P: Profile>(docs: &HashMap<I, Doc<EntityDoc<P>>>) -> impl Iterator<Item = (I, &Entry<P>)> {
    docs.iter().filter_map(|(id, doc)| doc.state.entry().map(|entry| (*id, entry)))
}

fn entity_entry<'a, I: Eq + Hash, P: Profile>(docs: &'a HashMap<I, Doc<EntityDoc<P>>>, id: &I) -> Option<&'a Entry<P>> {
    docs.get(id).and_then(|doc| doc.state.entry())
}

/// Every document of one workspace, as this replica knows it.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    tickets: HashMap<TicketId, Doc<TicketDoc>>,
    customers: HashMap<CustomerId, Doc<EntityDoc<CustomerProfile>>>,
    agents: HashMap<AgentId, Doc<EntityDoc<AgentProfile>>>,
    teams: HashMap<TeamId, Doc<EntityDoc<TeamProfile>>>,
    categories: HashMap<CategoryId, Doc<EntityDoc<CategoryProfile>>>,
    fields: HashMap<FieldId, Doc<EntityDoc<FieldDefProfile>>>,
    settings: Doc<Settings>,
    /// Ticket number → tickets with that number, ordered by ticket id (derived index).
    by_number: BTreeMap<u64, Vec<TicketId>>,
    op_count: usize,
}

/// Equality of what the ops mean: the same documents with the same ops and states.
impl PartialEq for Workspace {
    fn eq(&self, other: &Self) -> bool {
        self.tickets == other.tickets
            && self.customers == other.customers
            && self.agents == other.agents
            && self.teams == other.teams
            && self.categories == other.categories
            && self.fields == other.fields
            && self.settings == other.settings
            && self.by_number == other.by_number
    }
}

impl Workspace {
    pub fn new() -> Self {
        Self::default()
    }

    /// A workspace folded from `ops` (any order, duplicates allowed).
    pub fn from_ops(ops: impl IntoIterator<Item = Op>) -> Self {
        let mut workspace = Self::new();
        workspace.apply_all(ops);
        workspace
    }

    /// Folds one op into the state. Idempotent; the order of calls does not matter.
    ///
    /// Ops from outside this replica should first pass [`crate::hlc::Clock::admit`] so a clock far
    /// in the future cannot win every write.
    pub fn apply(&mut self, op: Op) -> Applied {
        let applied = match op.doc() {
            DocKey::Ticket(id) => {
                let doc = self.tickets.entry(id).or_default();
                let number_before = doc.state.ticket().map(|t| t.number);
                let applied = doc.insert(op);
                let number_after = doc.state.ticket().map(|t| t.number);
                // The number is fixed at creation, so this only runs when a ticket first appears
                // (or, with a forged duplicate create, when its number changes).
                if number_before != number_after {
                    self.reindex_number(id, number_before, number_after);
                }
                applied
            }
            DocKey::Customer(id) => self.customers.entry(id).or_default().insert(op),
            DocKey::Agent(id) => self.agents.entry(id).or_default().insert(op),
            DocKey::Team(id) => self.teams.entry(id).or_default().insert(op),
            DocKey::Category(id) => self.categories.entry(id).or_default().insert(op),
            DocKey::Field(id) => self.fields.entry(id).or_default().insert(op),
            DocKey::Workspace => self.settings.insert(op),
        };
        if applied == Applied::New {
            self.op_count += 1;
        }
        applied
    }

    fn reindex_number(&mut self, id: TicketId, before: Option<u64>, after: Option<u64>) {
        if let Some(number) = before
            && let Some(ids) = self.by_number.get_mut(&number)
        {
            ids.retain(|held| *held != id);
            if ids.is_empty() {
                self.by_number.remove(&number);
            }
        }
        if let Some(number) = after {
            let ids = self.by_number.entry(number).or_default();
            let at = ids.partition_point(|held| *held < id);
            ids.insert(at, id);
        }
    }

    /// Applies many ops; returns how many were new or replaced an older version.
    pub fn apply_all(&mut self, ops: impl IntoIterator<Item = Op>) -> usize {
        ops.into_iter().map(|op| self.apply(op)).filter(|applied| applied.changed()).count()
    }

    /// How many distinct ops this replica holds.
    pub fn op_count(&self) -> usize {
        self.op_count
    }

    /// Every op this replica holds, document by document (each in fold order).
    pub fn ops(&self) -> impl Iterator<Item = &Op> {
        let tickets = self.tickets.values().flat_map(|doc| &doc.ops);
        let customers = self.customers.values().flat_map(|doc| &doc.ops);
        let agents = self.agents.values().flat_map(|doc| &doc.ops);
        let teams = self.teams.values().flat_map(|doc| &doc.ops);
        let categories = self.categories.values().flat_map(|doc| &doc.ops);
        let fields = self.fields.values().flat_map(|doc| &doc.ops);
        self.settings
            .ops
            .iter()
            .chain(agents)
            .chain(teams)
            .chain(categories)
            .chain(fields)
            .chain(customers)
            .chain(tickets)
    }

    /// The ops of one document in fold order (its raw audit log).
    pub fn ops_of(&self, doc: DocKey) -> &[Op] {
        let ops = match doc {
            DocKey::Ticket(id) => self.tickets.get(&id).map(|d| &d.ops),
            DocKey::Customer(id) => self.customers.get(&id).map(|d| &d.ops),
            DocKey::Agent(id) => self.agents.get(&id).map(|d| &d.ops),
            DocKey::Team(id) => self.teams.get(&id).map(|d| &d.ops),
            DocKey::Category(id) => self.categories.get(&id).map(|d| &d.ops),
            DocKey::Field(id) => self.fields.get(&id).map(|d| &d.ops),
            DocKey::Workspace => Some(&self.settings.ops),
        };
        ops.map_or(&[], Vec::as_slice)
    }

    // --- tickets ---

    pub fn ticket(&self, id: TicketId) -> Option<&Ticket> {
        self.tickets.get(&id).and_then(|doc| doc.state.ticket())
    }

    /// All tickets, in no particular order.
    pub fn tickets(&self) -> impl Iterator<Item = &Ticket> {
        self.tickets.values().filter_map(|doc| doc.state.ticket())
    }

    pub fn ticket_count(&self) -> usize {
        self.tickets.values().filter(|doc| doc.state.ticket().is_some()).count()
    }

    /// Tickets whose number is `number` (normally one; more only after overlapping offline claims).
    pub fn tickets_by_number(&self, number: u64) -> impl Iterator<Item = &Ticket> {
        self.by_number.get(&number).into_iter().flatten().filter_map(|id| self.ticket(*id))
    }

    /// Finds a ticket by what a person types: `1042`, `#1042` or `#1042-2`.
    pub fn ticket_by_display_number(&self, text: &str) -> Option<&Ticket> {
        let text = text.trim().trim_start_matches('#');
        let (number, rank) = match text.split_once('-') {
            Some((number, rank)) => (number.parse().ok()?, rank.parse::<usize>().ok()?),
            None => (text.parse().ok()?, 1),
        };
        let id = self.by_number.get(&number)?.get(rank.checked_sub(1)?)?;
        self.ticket(*id)
    }

    /// The number people see for this ticket (`#1042`, or `#1042-2` after a collision).
    pub fn display_number(&self, ticket: &Ticket) -> String {
        let rank = self
            .by_number
            .get(&ticket.number)
            .and_then(|ids| ids.iter().position(|id| *id == ticket.id))
            .map_or(1, |index| index + 1);
        numbering::display_number(ticket.number, rank)
    }

    /// The ticket's audit trail, oldest first.
    pub fn ticket_history(&self, id: TicketId) -> Vec<HistoryEntry> {
        let Some(doc) = self.tickets.get(&id) else {
            return Vec::new();
        };
        let mut state = TicketDoc::default();
        let mut history = Vec::new();
        let mut changes = Vec::new();
        for op in &doc.ops {
            state.apply(op, Some(&mut changes));
            history.extend(changes.drain(..).map(|change| HistoryEntry {
                op: op.id,
                at_ms: op.ts.ms,
                actor: op.actor,
                change,
            }));
        }
        history
    }

    /// All tickets of one requester, newest first.
    pub fn tickets_of_customer(&self, customer: CustomerId) -> Vec<&Ticket> {
        let mut tickets: Vec<_> = self.tickets().filter(|t| t.requester == customer).collect();
        tickets.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        tickets
    }

    /// Open tickets currently assigned to `agent` (its load, for capacity-aware assignment).
    pub fn open_tickets_of_agent(&self, agent: AgentId) -> usize {
        self.tickets().filter(|t| t.assignee == Some(agent) && t.is_open()).count()
    }

    /// The number a new ticket from `replica` gets, and the block it must claim first if its
    /// blocks are used up (see [`crate::numbering`]).
    pub fn plan_ticket_number(&self, replica: ReplicaId) -> (u64, Option<NumberBlock>) {
        let highest_used_in =
            |start: u64, end: u64| self.by_number.range(start..end).next_back().map(|(number, _)| *number);
        match numbering::next_number(self.settings.state.blocks(), replica, highest_used_in) {
            Some(number) => (number, None),
            None => {
                let start = numbering::next_block_start(self.settings.state.blocks());
                (start, Some(NumberBlock { owner: replica, start, size: BLOCK_SIZE }))
            }
        }
    }

    // --- directory ---

    pub fn settings(&self) -> &Settings {
        &self.settings.state
    }

    pub fn customer(&self, id: CustomerId) -> Option<&Entry<CustomerProfile>> {
        entity_entry(&self.customers, &id)
    }

    pub fn customers(&self) -> impl Iterator<Item = (CustomerId, &Entry<CustomerProfile>)> {
        entity_entries(&self.customers)
    }

    /// The customer with this address (case-insensitive), if any.
    pub fn customer_by_email(&self, email: &Email) -> Option<(CustomerId, &Entry<CustomerProfile>)> {
        let key = email.key();
        self.customers().find(|(_, entry)| entry.profile.emails.iter().any(|e| e.key() == key))
    }

    pub fn agent(&self, id: AgentId) -> Option<&Entry<AgentProfile>> {
        entity_entry(&self.agents, &id)
    }

    pub fn agents(&self) -> impl Iterator<Item = (AgentId, &Entry<AgentProfile>)> {
        entity_entries(&self.agents)
    }

    /// The agent colleagues reach with `@handle` (case-insensitive).
    pub fn agent_by_handle(&self, handle: &str) -> Option<(AgentId, &Entry<AgentProfile>)> {
        self.agents().find(|(_, entry)| entry.profile.handle.eq_ignore_ascii_case(handle))
    }

    pub fn team(&self, id: TeamId) -> Option<&Entry<TeamProfile>> {
        entity_entry(&self.teams, &id)
    }

    pub fn teams(&self) -> impl Iterator<Item = (TeamId, &Entry<TeamProfile>)> {
        entity_entries(&self.teams)
    }

    pub fn category(&self, id: CategoryId) -> Option<&Entry<CategoryProfile>> {
        entity_entry(&self.categories, &id)
    }

    pub fn categories(&self) -> impl Iterator<Item = (CategoryId, &Entry<CategoryProfile>)> {
        entity_entries(&self.categories)
    }

    pub fn field(&self, id: FieldId) -> Option<&Entry<FieldDefProfile>> {
        entity_entry(&self.fields, &id)
    }

    pub fn fields(&self) -> impl Iterator<Item = (FieldId, &Entry<FieldDefProfile>)> {
        entity_entries(&self.fields)
    }
}
