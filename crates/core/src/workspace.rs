//! A workspace replica: every document of the workspace, folded from the ops this replica holds.
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
//!
//! # Loaded and unloaded documents
//!
//! A browser with 100,000 tickets cannot keep every op in memory. A document is either *loaded*
//! (its ops are in memory; a ticket's whole conversation is available through
//! [`Workspace::ticket`]) or *unloaded* (only its snapshot is in memory: a ticket's
//! [`TicketSummary`], a customer's profile). [`Workspace::restore`] builds a workspace of unloaded
//! documents from snapshots; [`Workspace::load`] brings a document's ops in from storage. An op
//! applied to an unloaded document waits (nothing is lost) and is folded in when the document is
//! loaded. Summaries of all tickets are always in memory, so lists, search and reports never need
//! to load a ticket.

use std::hash::Hash;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::directory::{
    AgentProfile, CategoryProfile, CustomerProfile, EntityDoc, Entry, FieldDefProfile, Profile, TeamProfile,
};
use crate::history::HistoryEntry;
use crate::hlc::ReplicaId;
use crate::id::{AgentId, CategoryId, CustomerId, FieldId, OpId, TeamId, TicketId};
use crate::model::{Email, Tier};
use crate::numbering::{self, BLOCK_SIZE, NumberBlock};
use crate::op::{DocKey, Op};
use crate::settings::Settings;
use crate::sla::{SlaBook, SlaState};
use crate::summaries::SummaryTable;
use crate::ticket::{Ticket, TicketDoc, TicketSummary};

/// What [`Workspace::apply`] did with an op.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// The op was new and is now part of the state.
    New,
    /// The replica already had this op (or a version of it with an earlier timestamp).
    Duplicate,
    /// The replica had this op with a later timestamp; the earlier version replaced it.
    Replaced,
    /// The op's document is not loaded; the op waits and is folded in by [`Workspace::load`].
    Deferred,
}

impl Applied {
    /// Whether state may have changed (the op must be persisted and views refreshed).
    pub fn changed(self) -> bool {
        matches!(self, Applied::New | Applied::Replaced)
    }
}

/// The persisted form of one document's state: what [`Workspace::restore`] needs to show the
/// document without its ops. Rebuildable from the ops at any time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum DocSnapshot {
    /// Boxed as the workspace keeps summaries (and serialised the same as unboxed).
    Ticket(Box<TicketSummary>),
    Customer(CustomerId, Entry<CustomerProfile>),
    Agent(AgentId, Entry<AgentProfile>),
    Team(TeamId, Entry<TeamProfile>),
    Category(CategoryId, Entry<CategoryProfile>),
    Field(FieldId, Entry<FieldDefProfile>),
    Workspace(Settings),
}

impl DocSnapshot {
    pub fn doc(&self) -> DocKey {
        match self {
            DocSnapshot::Ticket(summary) => DocKey::Ticket(summary.id),
            DocSnapshot::Customer(id, _) => DocKey::Customer(*id),
            DocSnapshot::Agent(id, _) => DocKey::Agent(*id),
            DocSnapshot::Team(id, _) => DocKey::Team(*id),
            DocSnapshot::Category(id, _) => DocKey::Category(*id),
            DocSnapshot::Field(id, _) => DocKey::Field(*id),
            DocSnapshot::Workspace(_) => DocKey::Workspace,
        }
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

/// Sorts ops into fold order and keeps, of several versions of one op id, the earliest.
pub(crate) fn normalize(mut ops: Vec<Op>) -> Vec<Op> {
    ops.sort_by_key(Op::order_key);
    let mut earliest: FxHashMap<OpId, crate::hlc::Timestamp> = FxHashMap::default();
    earliest.reserve(ops.len());
    for op in &ops {
        earliest.entry(op.id).or_insert(op.ts);
    }
    ops.retain(|op| earliest.get(&op.id) == Some(&op.ts) && earliest.remove(&op.id).is_some());
    ops
}

/// One document: its state, and its ops in fold order while loaded.
#[derive(Debug, Clone, PartialEq)]
struct Doc<S> {
    state: S,
    /// `None` while only the snapshot is in memory.
    ops: Option<Vec<Op>>,
    /// Ops applied while unloaded, folded in on load.
    pending: Vec<Op>,
}

impl<S: Default> Default for Doc<S> {
    /// A new, empty document: loaded (there is nothing in storage to wait for).
    fn default() -> Self {
        Self { state: S::default(), ops: Some(Vec::new()), pending: Vec::new() }
    }
}

impl<S: Fold> Doc<S> {
    fn unloaded(state: S) -> Self {
        Self { state, ops: None, pending: Vec::new() }
    }

    fn is_loaded(&self) -> bool {
        self.ops.is_some()
    }

    fn insert(&mut self, op: Op) -> Applied {
        let Some(ops) = self.ops.as_mut() else {
            self.pending.push(op);
            return Applied::Deferred;
        };
        if let Some(existing) = ops.iter().position(|held| held.id == op.id) {
            if ops[existing].ts <= op.ts {
                return Applied::Duplicate;
            }
            ops.remove(existing);
            let at = ops.partition_point(|held| held.order_key() < op.order_key());
            ops.insert(at, op);
            self.refold();
            return Applied::Replaced;
        }
        let is_newest = ops.last().is_none_or(|last| last.order_key() < op.order_key());
        if is_newest {
            self.state.fold(&op);
            ops.push(op);
        } else {
            let at = ops.partition_point(|held| held.order_key() < op.order_key());
            ops.insert(at, op);
            self.refold();
        }
        Applied::New
    }

    /// Takes the document's stored ops, folds them, then folds in what was pending. Returns the
    /// pending ops that changed the document (they are not in storage yet).
    fn load(&mut self, stored: Vec<Op>) -> Vec<Op> {
        self.ops = Some(normalize(stored));
        self.refold();
        let pending = std::mem::take(&mut self.pending);
        pending.into_iter().filter(|op| self.insert(op.clone()).changed()).collect()
    }

    fn refold(&mut self) {
        let mut state = S::default();
        for op in self.ops.iter().flatten() {
            state.fold(op);
        }
        self.state = state;
    }
}

fn entity_entries<I: Copy, P: Profile>(docs: &FxHashMap<I, Doc<EntityDoc<P>>>) -> impl Iterator<Item = (I, &Entry<P>)> {
    docs.iter().filter_map(|(id, doc)| doc.state.entry().map(|entry| (*id, entry)))
}

fn entity_entry<'a, I: Eq + Hash, P: Profile>(
    docs: &'a FxHashMap<I, Doc<EntityDoc<P>>>,
    id: &I,
) -> Option<&'a Entry<P>> {
    docs.get(id).and_then(|doc| doc.state.entry())
}

fn restore_entity<I: Eq + Hash, P: Profile>(docs: &mut FxHashMap<I, Doc<EntityDoc<P>>>, id: I, entry: Entry<P>) {
    docs.insert(id, Doc::unloaded(EntityDoc::from_entry(entry)));
}

/// Runs `change` on one person's document (created if new) and says whether their name changed:
/// the inbox sorts by customers' and agents' names, and most changes to them (a load, another
/// field) leave the names as they were.
fn renamed<I: Eq + Hash + Copy, P: Profile, T>(
    docs: &mut FxHashMap<I, Doc<EntityDoc<P>>>,
    id: I,
    name: fn(&P) -> &str,
    change: impl FnOnce(&mut Doc<EntityDoc<P>>) -> T,
) -> (T, bool) {
    let before = entity_entry(docs, &id).map(|entry| name(&entry.profile).to_owned());
    let out = change(docs.entry(id).or_default());
    let after = entity_entry(docs, &id).map(|entry| name(&entry.profile));
    (out, before.as_deref() != after)
}

/// A restore in progress (see [`Workspace::restore_batch`]).
#[derive(Debug)]
pub struct RestoreBatch<'a> {
    workspace: &'a mut Workspace,
}

impl RestoreBatch<'_> {
    /// See [`Workspace::reserve`].
    pub fn reserve(&mut self, documents: usize) {
        self.workspace.reserve(documents);
    }

    pub fn add(&mut self, snapshot: DocSnapshot) {
        match snapshot {
            DocSnapshot::Ticket(summary) => {
                account(&mut self.workspace.loads, None, Some(&summary));
                if let Some(previous) = self.workspace.summaries.push_unordered(summary) {
                    account(&mut self.workspace.loads, Some(&previous), None);
                }
            }
            other => self.workspace.restore_snapshot(other),
        }
    }

    /// Builds the number order from everything added.
    pub fn finish(self) {
        self.workspace.summaries.order();
    }
}

/// Every document of one workspace, as this replica knows it.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    /// Ticket documents that are loaded or have pending ops. Unloaded tickets live in `summaries`.
    tickets: FxHashMap<TicketId, Doc<TicketDoc>>,
    /// The summary of every ticket this replica knows (derived from `tickets` when loaded), with
    /// the number index and the facts the inbox sorts by.
    summaries: SummaryTable,
    customers: FxHashMap<CustomerId, Doc<EntityDoc<CustomerProfile>>>,
    agents: FxHashMap<AgentId, Doc<EntityDoc<AgentProfile>>>,
    teams: FxHashMap<TeamId, Doc<EntityDoc<TeamProfile>>>,
    categories: FxHashMap<CategoryId, Doc<EntityDoc<CategoryProfile>>>,
    fields: FxHashMap<FieldId, Doc<EntityDoc<FieldDefProfile>>>,
    settings: Doc<Settings>,
    /// Each agent's open tickets and latest assignment (derived from `summaries`, kept in step
    /// with every summary change), so automatic assignment does not count 100,000 tickets.
    loads: FxHashMap<AgentId, AgentLoad>,
    /// The customers' names ranked for sorting by requester (25,000 names at 100,000 tickets),
    /// built by the first such sort and dropped by any change to a customer.
    customer_ranks: std::sync::OnceLock<crate::queue::NameRanks>,
    /// Counts changes to customers' and agents' names (the inbox sorts by them).
    people_changes: u64,
    /// Customers whose tier changed, in the order it happened (the background job's timer
    /// schedule re-plans their tickets: the tier picks SLA policies and rules). A customer
    /// first seen with a tier other than standard counts too, as their tickets counted as
    /// standard until then.
    tier_changes: Vec<CustomerId>,
}

/// What automatic assignment needs to know about an agent's work.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AgentLoad {
    /// Open tickets assigned to the agent.
    pub open: u32,
    /// When the agent was last assigned a ticket (0: never); it stays when that ticket moves on.
    pub last_assigned: u64,
}

/// Moves `loads` from what `before` counted to what `after` counts.
fn account(loads: &mut FxHashMap<AgentId, AgentLoad>, before: Option<&TicketSummary>, after: Option<&TicketSummary>) {
    if let Some(agent) = before.filter(|t| t.is_open()).and_then(|t| t.assignee)
        && let Some(load) = loads.get_mut(&agent)
    {
        load.open = load.open.saturating_sub(1);
    }
    if let Some(ticket) = after
        && let Some(agent) = ticket.assignee
    {
        let load = loads.entry(agent).or_default();
        if ticket.is_open() {
            load.open += 1;
        }
        load.last_assigned = load.last_assigned.max(ticket.assigned_at.unwrap_or(0));
    }
}

/// Equality of what the replicas hold: the same documents with the same ops and states.
impl PartialEq for Workspace {
    fn eq(&self, other: &Self) -> bool {
        self.tickets == other.tickets
            && self.summaries == other.summaries
            && self.customers == other.customers
            && self.agents == other.agents
            && self.teams == other.teams
            && self.categories == other.categories
            && self.fields == other.fields
            && self.settings == other.settings
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

    /// A workspace of unloaded documents, from their snapshots (see the module docs).
    pub fn restore(snapshots: impl IntoIterator<Item = DocSnapshot>) -> Self {
        let mut workspace = Self::new();
        for snapshot in snapshots {
            workspace.restore_snapshot(snapshot);
        }
        workspace
    }

    /// Makes room for about `documents` more snapshots, so a start-up restoring 100,000 of them
    /// does not rehash its maps a dozen times on the way.
    pub fn reserve(&mut self, documents: usize) {
        // Most documents of a large workspace are tickets; customers come about one to four.
        self.summaries.reserve(documents);
        self.customers.reserve(documents / 4);
    }

    /// Starts restoring many snapshots at once (start-up): like [`Workspace::restore_snapshot`]
    /// for each, but the ticket number index is built once, in [`RestoreBatch::finish`], from
    /// sorted pairs instead of one insert at a time. For documents this workspace does not hold yet.
    pub fn restore_batch(&mut self) -> RestoreBatch<'_> {
        RestoreBatch { workspace: self }
    }

    /// Replaces one document by its snapshot, unloaded. Any loaded ops of it are dropped from
    /// memory (they are in storage).
    pub fn restore_snapshot(&mut self, snapshot: DocSnapshot) {
        match snapshot {
            DocSnapshot::Ticket(summary) => {
                let id = summary.id;
                self.tickets.remove(&id);
                self.set_summary(id, Some(*summary));
            }
            DocSnapshot::Customer(id, entry) => {
                self.change_customer(id, |doc| *doc = Doc::unloaded(EntityDoc::from_entry(entry)));
            }
            DocSnapshot::Agent(id, entry) => {
                self.change_agent(id, |doc| *doc = Doc::unloaded(EntityDoc::from_entry(entry)));
            }
            DocSnapshot::Team(id, entry) => restore_entity(&mut self.teams, id, entry),
            DocSnapshot::Category(id, entry) => restore_entity(&mut self.categories, id, entry),
            DocSnapshot::Field(id, entry) => restore_entity(&mut self.fields, id, entry),
            DocSnapshot::Workspace(settings) => self.settings = Doc::unloaded(settings),
        }
    }

    /// The snapshot that represents this document's current state, if it has one (a document
    /// whose creating op has not arrived yet has none).
    pub fn snapshot(&self, doc: DocKey) -> Option<DocSnapshot> {
        match doc {
            DocKey::Ticket(id) => self.summaries.get(id).map(|summary| DocSnapshot::Ticket(Box::new(summary.clone()))),
            DocKey::Customer(id) => self.customer(id).cloned().map(|e| DocSnapshot::Customer(id, e)),
            DocKey::Agent(id) => self.agent(id).cloned().map(|e| DocSnapshot::Agent(id, e)),
            DocKey::Team(id) => self.team(id).cloned().map(|e| DocSnapshot::Team(id, e)),
            DocKey::Category(id) => self.category(id).cloned().map(|e| DocSnapshot::Category(id, e)),
            DocKey::Field(id) => self.field(id).cloned().map(|e| DocSnapshot::Field(id, e)),
            DocKey::Workspace => Some(DocSnapshot::Workspace(self.settings.state.clone())),
        }
    }

    /// Whether the document's ops are in memory. Documents this replica has never seen count as
    /// loaded (there is nothing to load).
    pub fn is_loaded(&self, doc: DocKey) -> bool {
        match doc {
            DocKey::Ticket(id) => match self.tickets.get(&id) {
                Some(doc) => doc.is_loaded(),
                None => !self.summaries.contains(id),
            },
            DocKey::Customer(id) => self.customers.get(&id).is_none_or(Doc::is_loaded),
            DocKey::Agent(id) => self.agents.get(&id).is_none_or(Doc::is_loaded),
            DocKey::Team(id) => self.teams.get(&id).is_none_or(Doc::is_loaded),
            DocKey::Category(id) => self.categories.get(&id).is_none_or(Doc::is_loaded),
            DocKey::Field(id) => self.fields.get(&id).is_none_or(Doc::is_loaded),
            DocKey::Workspace => self.settings.is_loaded(),
        }
    }

    /// Whether this replica holds the document's ops in memory (unlike [`Workspace::is_loaded`],
    /// documents it has never seen count as not loaded).
    pub fn has_loaded(&self, doc: DocKey) -> bool {
        match doc {
            DocKey::Ticket(id) => self.tickets.get(&id).is_some_and(Doc::is_loaded),
            DocKey::Customer(id) => self.customers.get(&id).is_some_and(Doc::is_loaded),
            DocKey::Agent(id) => self.agents.get(&id).is_some_and(Doc::is_loaded),
            DocKey::Team(id) => self.teams.get(&id).is_some_and(Doc::is_loaded),
            DocKey::Category(id) => self.categories.get(&id).is_some_and(Doc::is_loaded),
            DocKey::Field(id) => self.fields.get(&id).is_some_and(Doc::is_loaded),
            DocKey::Workspace => self.settings.is_loaded() && !self.settings.ops.as_ref().is_some_and(Vec::is_empty),
        }
    }

    /// Loads a document's stored ops (any order, duplicates allowed). Ops applied while it was
    /// unloaded are folded in too; those that changed it are returned, for persisting.
    pub fn load(&mut self, doc: DocKey, stored: Vec<Op>) -> Vec<Op> {
        match doc {
            DocKey::Ticket(id) => {
                let changed =
                    self.tickets.entry(id).or_insert_with(|| Doc::unloaded(TicketDoc::default())).load(stored);
                self.refresh_summary(id);
                changed
            }
            DocKey::Customer(id) => self.change_customer(id, |doc| doc.load(stored)),
            DocKey::Agent(id) => self.change_agent(id, |doc| doc.load(stored)),
            DocKey::Team(id) => self.teams.entry(id).or_default().load(stored),
            DocKey::Category(id) => self.categories.entry(id).or_default().load(stored),
            DocKey::Field(id) => self.fields.entry(id).or_default().load(stored),
            DocKey::Workspace => self.settings.load(stored),
        }
    }

    /// Changes a customer's document; a new name drops the ranks of names and is a new
    /// [`Workspace::queue_version`].
    fn change_customer<T>(
        &mut self,
        id: CustomerId,
        change: impl FnOnce(&mut Doc<EntityDoc<CustomerProfile>>) -> T,
    ) -> T {
        // As `tier_of` sees it: standard without a profile.
        let tier = |customers: &FxHashMap<CustomerId, Doc<EntityDoc<CustomerProfile>>>| {
            entity_entry(customers, &id).map_or(Tier::Standard, |entry| entry.profile.tier)
        };
        let tier_before = tier(&self.customers);
        let (out, renamed) = renamed(&mut self.customers, id, |profile| &profile.name, change);
        if renamed {
            self.customer_ranks.take();
            self.people_changes += 1;
        }
        if tier_before != tier(&self.customers) {
            self.tier_changes.push(id);
        }
        out
    }

    /// The customers whose tier changed after `mark`, and the mark to pass next time. Without a
    /// mark, or with one of another workspace (replaced by an import; a clone), nothing is new:
    /// the reader starts by looking at every ticket, which covers every tier.
    pub(crate) fn tier_changes_since(&self, mark: Option<(u64, usize)>) -> (&[CustomerId], (u64, usize)) {
        let table = self.summaries.version().0;
        let seen = mark.filter(|(of, _)| *of == table).map_or(self.tier_changes.len(), |(_, seen)| seen);
        (self.tier_changes.get(seen..).unwrap_or_default(), (table, self.tier_changes.len()))
    }

    /// Changes an agent's document; a new name is a new [`Workspace::queue_version`].
    fn change_agent<T>(&mut self, id: AgentId, change: impl FnOnce(&mut Doc<EntityDoc<AgentProfile>>) -> T) -> T {
        let (out, renamed) = renamed(&mut self.agents, id, |profile| &profile.name, change);
        if renamed {
            self.people_changes += 1;
        }
        out
    }

    /// Drops a loaded ticket's ops and conversation from memory, keeping its summary. Other
    /// documents are small and stay loaded.
    pub fn unload_ticket(&mut self, id: TicketId) {
        if self.tickets.get(&id).is_some_and(|doc| doc.pending.is_empty()) {
            self.tickets.remove(&id);
        }
    }

    /// Folds one op into the state. Idempotent; the order of calls does not matter.
    ///
    /// Ops from outside this replica should first pass [`crate::hlc::Clock::admit`] so a clock far
    /// in the future cannot win every write.
    pub fn apply(&mut self, op: Op) -> Applied {
        match op.doc() {
            DocKey::Ticket(id) => {
                let known = self.summaries.contains(id);
                let doc = self
                    .tickets
                    .entry(id)
                    .or_insert_with(|| if known { Doc::unloaded(TicketDoc::default()) } else { Doc::default() });
                let applied = doc.insert(op);
                if applied.changed() {
                    self.refresh_summary(id);
                }
                applied
            }
            DocKey::Customer(id) => self.change_customer(id, |doc| doc.insert(op)),
            DocKey::Agent(id) => self.change_agent(id, |doc| doc.insert(op)),
            DocKey::Team(id) => self.teams.entry(id).or_default().insert(op),
            DocKey::Category(id) => self.categories.entry(id).or_default().insert(op),
            DocKey::Field(id) => self.fields.entry(id).or_default().insert(op),
            DocKey::Workspace => self.settings.insert(op),
        }
    }

    /// Applies many ops; returns how many were new or replaced an older version.
    pub fn apply_all(&mut self, ops: impl IntoIterator<Item = Op>) -> usize {
        ops.into_iter().map(|op| self.apply(op)).filter(|applied| applied.changed()).count()
    }

    /// Re-derives a ticket's summary (and the number index) from its loaded document.
    fn refresh_summary(&mut self, id: TicketId) {
        let summary = self.tickets.get(&id).and_then(|doc| doc.state.ticket()).map(|ticket| ticket.summary.clone());
        if summary.is_some() {
            self.set_summary(id, summary);
        }
    }

    fn set_summary(&mut self, id: TicketId, summary: Option<TicketSummary>) {
        // One table operation: insert and remove hand back the previous summary.
        account(&mut self.loads, None, summary.as_ref());
        let previous = match summary {
            Some(summary) => self.summaries.insert(Box::new(summary)),
            None => self.summaries.remove(id),
        };
        account(&mut self.loads, previous.as_deref(), None);
    }

    /// The ids of the tickets numbered `number`, in id order.
    fn ids_numbered(&self, number: u64) -> impl Iterator<Item = TicketId> + '_ {
        self.summaries.numbered(number)
    }

    /// The summaries with the inbox's facts and number order (see [`crate::summaries`]).
    pub(crate) fn summary_table(&self) -> &SummaryTable {
        &self.summaries
    }

    /// Changes whenever anything an inbox order is computed from may have changed (a ticket's
    /// summary, a customer's or agent's name), and only then: loading a ticket's conversation,
    /// say, leaves it as it is. Equal versions of one workspace give equal [`Workspace::sorted_queue`]s
    /// (for one order, agent and instant).
    pub fn queue_version(&self) -> (u64, u64, u64) {
        let (table, changes) = self.summaries.version();
        (table, changes, self.people_changes)
    }

    /// The open tickets assigned to `agent`, in no particular order (without reading the
    /// summaries of everyone else's).
    pub fn open_tickets_assigned_to(&self, agent: AgentId) -> impl Iterator<Item = &TicketSummary> {
        self.summaries.open_assigned_to(agent)
    }

    /// See [`SummaryTable::start_subject_order`] (used by [`crate::storage::Desk::prepare_sorts`]).
    pub(crate) fn start_subject_order(&self) -> Option<crate::summaries::SubjectOrderBuild> {
        self.summaries.start_subject_order()
    }

    pub(crate) fn read_subjects(&self, build: &mut crate::summaries::SubjectOrderBuild, count: usize) -> bool {
        self.summaries.read_subjects(build, count)
    }

    pub(crate) fn finish_subject_order(&self, build: crate::summaries::SubjectOrderBuild) {
        self.summaries.finish_subject_order(build);
    }

    /// The tickets changed after `mark`, and the mark for next time (see
    /// [`SummaryTable::changed_since`]).
    pub(crate) fn tickets_changed_since(
        &self,
        mark: Option<crate::summaries::ChangeMark>,
    ) -> (impl Iterator<Item = &TicketSummary>, crate::summaries::ChangeMark) {
        self.summaries.changed_since(mark)
    }

    /// Begins ranking the customers' names a slice at a time (`None` when they are ranked).
    pub(crate) fn start_customer_ranks(&self) -> Option<crate::queue::NameRanksBuild> {
        if self.customer_ranks.get().is_some() {
            return None;
        }
        let unread = self.customers.keys().copied().collect();
        Some(crate::queue::NameRanksBuild::new(unread, self.people_changes))
    }

    /// Reads up to `count` more names into `build`; true when every name is read.
    pub(crate) fn read_customer_names(&self, build: &mut crate::queue::NameRanksBuild, count: usize) -> bool {
        for _ in 0..count {
            let Some(id) = build.unread.pop() else { break };
            if let Some(entry) = self.customer(id) {
                build.add(id.to_u128(), &entry.profile.name);
            }
        }
        build.unread.is_empty()
    }

    /// Keeps the ranks of a finished build, unless a customer changed meanwhile (their name
    /// may have) or a sort by requester ranked them first.
    pub(crate) fn finish_customer_ranks(&self, build: crate::queue::NameRanksBuild) {
        if build.people_changes == self.people_changes && build.unread.is_empty() && self.customer_ranks.get().is_none()
        {
            let _ = self.customer_ranks.set(build.finish());
        }
    }

    /// Whether a sort by requester answers from ranks already made (by
    /// [`Workspace::prepare_sorts`], its sliced form, or the first such sort).
    pub fn requester_order_ready(&self) -> bool {
        self.customer_ranks.get().is_some()
    }

    /// The customers' names ranked (see [`crate::queue::NameRanks`]), kept until a customer changes.
    pub(crate) fn customer_ranks(&self) -> &crate::queue::NameRanks {
        self.customer_ranks.get_or_init(|| {
            crate::queue::NameRanks::of(
                &mut self.customers().map(|(id, entry)| (id.to_u128(), entry.profile.name.as_str())),
            )
        })
    }

    /// Every op this replica holds in memory (of loaded documents), document by document, each in
    /// fold order.
    pub fn ops(&self) -> impl Iterator<Item = &Op> {
        fn loaded<S>(doc: &Doc<S>) -> &[Op] {
            doc.ops.as_deref().unwrap_or_default()
        }
        let tickets = self.tickets.values().flat_map(loaded);
        let customers = self.customers.values().flat_map(loaded);
        let agents = self.agents.values().flat_map(loaded);
        let teams = self.teams.values().flat_map(loaded);
        let categories = self.categories.values().flat_map(loaded);
        let fields = self.fields.values().flat_map(loaded);
        loaded(&self.settings)
            .iter()
            .chain(agents)
            .chain(teams)
            .chain(categories)
            .chain(fields)
            .chain(customers)
            .chain(tickets)
    }

    /// The ops of one document in fold order (its raw audit log), if it is loaded.
    pub fn ops_of(&self, doc: DocKey) -> &[Op] {
        let ops = match doc {
            DocKey::Ticket(id) => self.tickets.get(&id).and_then(|d| d.ops.as_ref()),
            DocKey::Customer(id) => self.customers.get(&id).and_then(|d| d.ops.as_ref()),
            DocKey::Agent(id) => self.agents.get(&id).and_then(|d| d.ops.as_ref()),
            DocKey::Team(id) => self.teams.get(&id).and_then(|d| d.ops.as_ref()),
            DocKey::Category(id) => self.categories.get(&id).and_then(|d| d.ops.as_ref()),
            DocKey::Field(id) => self.fields.get(&id).and_then(|d| d.ops.as_ref()),
            DocKey::Workspace => self.settings.ops.as_ref(),
        };
        ops.map_or(&[], Vec::as_slice)
    }

    /// Every document key this replica knows, loaded or not.
    pub fn doc_keys(&self) -> impl Iterator<Item = DocKey> + '_ {
        let tickets = self.summaries.ids().map(DocKey::Ticket);
        let customers = self.customers.keys().map(|id| DocKey::Customer(*id));
        let agents = self.agents.keys().map(|id| DocKey::Agent(*id));
        let teams = self.teams.keys().map(|id| DocKey::Team(*id));
        let categories = self.categories.keys().map(|id| DocKey::Category(*id));
        let fields = self.fields.keys().map(|id| DocKey::Field(*id));
        std::iter::once(DocKey::Workspace)
            .chain(agents)
            .chain(teams)
            .chain(categories)
            .chain(fields)
            .chain(customers)
            .chain(tickets)
    }

    // --- tickets ---

    /// A ticket with its conversation, if its document is loaded ([`Workspace::summary`] works
    /// for every ticket).
    pub fn ticket(&self, id: TicketId) -> Option<&Ticket> {
        self.tickets.get(&id).and_then(|doc| doc.state.ticket())
    }

    /// The summary of any ticket this replica knows.
    pub fn summary(&self, id: TicketId) -> Option<&TicketSummary> {
        self.summaries.get(id)
    }

    /// Every ticket's summary, in no particular order.
    pub fn tickets(&self) -> impl Iterator<Item = &TicketSummary> {
        self.summaries.values()
    }

    pub fn ticket_count(&self) -> usize {
        self.summaries.len()
    }

    /// Tickets whose number is `number` (normally one; more only after overlapping offline claims).
    pub fn tickets_by_number(&self, number: u64) -> impl Iterator<Item = &TicketSummary> {
        self.ids_numbered(number).filter_map(|id| self.summary(id))
    }

    /// Finds a ticket by what a person types: `1042`, `#1042` or `#1042-2`.
    pub fn ticket_by_display_number(&self, text: &str) -> Option<&TicketSummary> {
        let text = text.trim().trim_start_matches('#');
        let (number, rank) = match text.split_once('-') {
            Some((number, rank)) => (number.parse().ok()?, rank.parse::<usize>().ok()?),
            None => (text.parse().ok()?, 1),
        };
        let id = self.ids_numbered(number).nth(rank.checked_sub(1)?)?;
        self.summary(id)
    }

    /// The number people see for this ticket (`#1042`, or `#1042-2` after a collision).
    pub fn display_number(&self, ticket: &TicketSummary) -> String {
        let rank = self.ids_numbered(ticket.number).position(|id| id == ticket.id).map_or(1, |index| index + 1);
        numbering::display_number(ticket.number, rank)
    }

    /// The ticket's audit trail, oldest first (empty unless the ticket is loaded).
    pub fn ticket_history(&self, id: TicketId) -> Vec<HistoryEntry> {
        let mut state = TicketDoc::default();
        let mut history = Vec::new();
        let mut changes = Vec::new();
        for op in self.ops_of(DocKey::Ticket(id)) {
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
    pub fn tickets_of_customer(&self, customer: CustomerId) -> Vec<&TicketSummary> {
        let mut tickets: Vec<_> = self.summaries_of_requester(customer).collect();
        crate::sorting::sort_by(&mut tickets, |a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        tickets
    }

    /// All tickets of one requester, in no particular order.
    pub(crate) fn summaries_of_requester(&self, customer: CustomerId) -> impl Iterator<Item = &TicketSummary> {
        self.summaries.of_requester(customer)
    }

    /// The SLA state of a ticket at `now` under `book` (made once from [`Workspace::settings`]
    /// with [`SlaBook::new`] for a whole list). A requester no longer in the directory counts as
    /// the standard tier.
    pub fn sla_state(&self, book: &SlaBook, ticket: &TicketSummary, now: u64) -> Option<SlaState> {
        book.evaluate(ticket, self.tier_of(ticket), now)
    }

    /// The requester's tier (standard when the requester left the directory).
    pub fn tier_of(&self, ticket: &TicketSummary) -> Tier {
        self.customer(ticket.requester).map_or(Tier::Standard, |entry| entry.profile.tier)
    }

    /// Open tickets currently assigned to `agent` (its load, for capacity-aware assignment).
    pub fn open_tickets_of_agent(&self, agent: AgentId) -> usize {
        self.agent_load(agent).open as usize
    }

    /// `agent`'s open tickets and latest assignment.
    pub fn agent_load(&self, agent: AgentId) -> AgentLoad {
        self.loads.get(&agent).copied().unwrap_or_default()
    }

    /// The number a new ticket from `replica` gets, and the block it must claim first if its
    /// blocks are used up (see [`crate::numbering`]).
    pub fn plan_ticket_number(&self, replica: ReplicaId) -> (u64, Option<NumberBlock>) {
        let highest_used_in = |start: u64, end: u64| self.summaries.highest_number_in(start, end);
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
