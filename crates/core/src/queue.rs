//! Ticket queues: the inbox's quick filters and sort orders over ticket summaries, and the
//! customer list with each customer's ticket counts.
//!
//! A queue is computed from the summaries every replica holds for every ticket, so it needs no
//! conversation loaded and answers at 100,000 tickets in milliseconds. The app keeps the result
//! (a list of ids) and renders only the rows in view.

use rustc_hash::FxHashMap;

use crate::case::lowercase;
use crate::id::{AgentId, CustomerId, TicketId};
use crate::lifecycle::Status;
use crate::model::Priority;
use crate::sorting::{TextOrder, order_by_text};
use crate::summaries::QueueFacts;
use crate::ticket::TicketSummary;
use crate::workspace::Workspace;

/// The inbox's quick filters. Merged tickets appear in none of them: they live on in the ticket
/// they were merged into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuickFilter {
    /// Open tickets assigned to the agent using this browser.
    Mine,
    /// Open tickets nobody is assigned to.
    Unassigned,
    /// Tickets waiting on the team: open and not pending.
    Open,
    /// Tickets waiting on the customer.
    Pending,
    /// Open tickets past their due date.
    Overdue,
    All,
    /// Every ticket, merged ones included (not offered in the inbox).
    Any,
}

impl QuickFilter {
    pub const ALL: [QuickFilter; 6] = [
        QuickFilter::Mine,
        QuickFilter::Unassigned,
        QuickFilter::Open,
        QuickFilter::Pending,
        QuickFilter::Overdue,
        QuickFilter::All,
    ];

    /// The stable name used in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            QuickFilter::Mine => "mine",
            QuickFilter::Unassigned => "unassigned",
            QuickFilter::Open => "open",
            QuickFilter::Pending => "pending",
            QuickFilter::Overdue => "overdue",
            QuickFilter::All => "all",
            QuickFilter::Any => "any",
        }
    }

    pub fn parse(text: &str) -> Option<QuickFilter> {
        QuickFilter::ALL.into_iter().find(|filter| filter.as_str() == text)
    }

    /// Whether `ticket` belongs in this queue for agent `me` at `now_ms`.
    pub fn matches(self, ticket: &TicketSummary, me: Option<AgentId>, now_ms: u64) -> bool {
        self.matches_facts(&QueueFacts::of(ticket), me, now_ms)
    }

    fn matches_facts(self, ticket: &QueueFacts, me: Option<AgentId>, now_ms: u64) -> bool {
        if self == QuickFilter::Any {
            return true;
        }
        if ticket.merged {
            return false;
        }
        match self {
            QuickFilter::Mine => ticket.status.is_open() && me.is_some() && ticket.assignee == me,
            QuickFilter::Unassigned => ticket.status.is_open() && ticket.assignee.is_none(),
            QuickFilter::Open => ticket.status.is_open() && ticket.status != Status::Pending,
            QuickFilter::Pending => ticket.status == Status::Pending,
            QuickFilter::Overdue => ticket.status.is_open() && ticket.due_ms().is_some_and(|due| due < now_ms),
            QuickFilter::All | QuickFilter::Any => true,
        }
    }
}

/// A column the inbox sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortKey {
    Number,
    Subject,
    Requester,
    Status,
    Priority,
    Assignee,
    Updated,
    /// Tickets without a due date come last in either direction.
    Due,
}

impl SortKey {
    pub const ALL: [SortKey; 8] = [
        SortKey::Number,
        SortKey::Subject,
        SortKey::Requester,
        SortKey::Status,
        SortKey::Priority,
        SortKey::Assignee,
        SortKey::Updated,
        SortKey::Due,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Number => "number",
            SortKey::Subject => "subject",
            SortKey::Requester => "requester",
            SortKey::Status => "status",
            SortKey::Priority => "priority",
            SortKey::Assignee => "assignee",
            SortKey::Updated => "updated",
            SortKey::Due => "due",
        }
    }

    pub fn parse(text: &str) -> Option<SortKey> {
        SortKey::ALL.into_iter().find(|key| key.as_str() == text)
    }

    /// The direction a click on the column header starts with: newest, most urgent and soonest
    /// first, names A→Z.
    pub fn default_descending(self) -> bool {
        matches!(self, SortKey::Number | SortKey::Priority | SortKey::Updated)
    }
}

/// What the inbox shows: one quick filter, one sort order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct QueueQuery {
    pub filter: QuickFilter,
    pub sort: SortKey,
    pub descending: bool,
}

impl Default for QueueQuery {
    /// Work waiting on the team, most recently changed first.
    fn default() -> Self {
        Self { filter: QuickFilter::Open, sort: SortKey::Updated, descending: true }
    }
}

/// How many tickets each quick filter holds, in [`QuickFilter::ALL`] order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueueCounts(pub [usize; 6]);

impl QueueCounts {
    pub fn get(&self, filter: QuickFilter) -> usize {
        let index = QuickFilter::ALL.iter().position(|f| *f == filter).unwrap_or_default();
        self.0[index]
    }
}

impl Workspace {
    /// The ids of the tickets in `query`'s queue, in its order. Tickets without a value for the
    /// column (no due date, nobody assigned) come last in either direction; ties fall back to the
    /// ticket number, newest first, so the order is total and stable across renders.
    pub fn queue(&self, query: QueueQuery, me: Option<AgentId>, now_ms: u64) -> Vec<TicketId> {
        self.sorted_queue(query.sort, query.descending, me, now_ms).filter(query.filter)
    }

    /// Every ticket in the order of one column, each with the quick filters it belongs to, so an
    /// inbox switching between filters picks from one sorted list (no sorting, no lookups) and
    /// reads the counts off the same pass.
    ///
    /// Every order starts from the tickets newest first (the tie-break, kept by the summary
    /// table) and reads the compact [`QueueFacts`]: the number column is that order itself,
    /// status and priority (a handful of values) are a counting sort of it, dates sort as plain
    /// integers, people by their names' ranks, and subjects come from an order the table keeps.
    pub fn sorted_queue(&self, sort: SortKey, descending: bool, me: Option<AgentId>, now_ms: u64) -> SortedQueue {
        let table = self.summary_table();
        let facts = table.facts();
        let newest: Vec<u32> = table.newest_first().collect();
        let order = match sort {
            SortKey::Number if descending => newest,
            SortKey::Number => oldest_first(newest, facts),
            SortKey::Status => {
                bucket_order(&newest, Status::ALL.len(), &|slot| facts[slot as usize].status as usize, descending)
            }
            SortKey::Priority => {
                bucket_order(&newest, Priority::ALL.len(), &|slot| facts[slot as usize].priority as usize, descending)
            }
            SortKey::Updated => integer_order(&newest, &|slot| Some(facts[slot as usize].updated_at), descending),
            SortKey::Due => integer_order(&newest, &|slot| facts[slot as usize].due_ms(), descending),
            // Kept in order by the table (built by the first sort by subject).
            SortKey::Subject => table.by_subject(descending),
            // People: their names ranked once (thousands of customers, not 100,000 tickets),
            // then the tickets in a counting sort by rank.
            SortKey::Requester => {
                let ranks = self.customer_ranks();
                let requesters = table.requesters();
                rank_order(&newest, ranks.count, &|slot| ranks.of_id(requesters[slot as usize].to_u128()), descending)
            }
            SortKey::Assignee => {
                let ranks =
                    NameRanks::of(&mut self.agents().map(|(id, entry)| (id.to_u128(), entry.profile.name.as_str())));
                rank_order(
                    &newest,
                    ranks.count,
                    &|slot| ranks.of_id(facts[slot as usize].assignee?.to_u128()),
                    descending,
                )
            }
        };
        // Masks slot by slot (one pass front to back), then picked in order.
        let masks: Vec<u8> = facts
            .iter()
            .map(|facts| {
                QuickFilter::ALL
                    .into_iter()
                    .enumerate()
                    .filter(|(_, filter)| filter.matches_facts(facts, me, now_ms))
                    .fold(0u8, |mask, (bit, _)| mask | 1 << bit)
            })
            .collect();
        let (ids, masks) = order.into_iter().map(|slot| (facts[slot as usize].id, masks[slot as usize])).unzip();
        SortedQueue { ids, masks }
    }

    /// Does now what the first sort by subject or requester would otherwise do (order 100,000
    /// subjects, over 100 ms; rank 25,000 names), so that a click on the column answers at once:
    /// for a moment the app is idle.
    /// In a browser, [`crate::storage::Desk::prepare_sorts`] does the same in slices.
    pub fn prepare_sorts(&self) {
        self.summary_table().prepare_subject_order();
        self.customer_ranks();
    }

    /// Whether a sort by subject answers from the order the table keeps (built by
    /// [`Workspace::prepare_sorts`], its sliced form, or the first such sort) rather than
    /// building it first.
    pub fn subject_order_ready(&self) -> bool {
        self.summary_table().has_subject_order()
    }

    /// How many tickets each quick filter holds (one pass over the summaries).
    pub fn queue_counts(&self, me: Option<AgentId>, now_ms: u64) -> QueueCounts {
        let mut counts = [0; 6];
        for facts in self.summary_table().facts() {
            for (index, filter) in QuickFilter::ALL.into_iter().enumerate() {
                if filter.matches_facts(facts, me, now_ms) {
                    counts[index] += 1;
                }
            }
        }
        QueueCounts(counts)
    }
}

/// Number ascending from number descending: reversed, with tickets that share a number (after
/// overlapping offline claims) kept newest first among themselves.
fn oldest_first(mut newest: Vec<u32>, facts: &[QueueFacts]) -> Vec<u32> {
    newest.reverse();
    let mut start = 0;
    while start < newest.len() {
        let number = facts[newest[start] as usize].number;
        let end = start + newest[start..].iter().take_while(|slot| facts[**slot as usize].number == number).count();
        newest[start..end].reverse();
        start = end;
    }
    newest
}

/// A stable counting sort of `newest` by a small value (`0..buckets`): O(n), no comparisons.
fn bucket_order(newest: &[u32], buckets: usize, bucket: &dyn Fn(u32) -> usize, descending: bool) -> Vec<u32> {
    // Each ticket's bucket once: for requesters it is a hash lookup of the customer's rank,
    // which both passes below would otherwise make again.
    let ranks: Vec<u32> =
        newest.iter().map(|slot| if descending { buckets - 1 - bucket(*slot) } else { bucket(*slot) } as u32).collect();
    let mut starts = vec![0usize; buckets + 1];
    for rank in &ranks {
        starts[*rank as usize + 1] += 1;
    }
    for index in 1..starts.len() {
        starts[index] += starts[index - 1];
    }
    let mut order = vec![0u32; newest.len()];
    for (slot, rank) in newest.iter().zip(&ranks) {
        let at = &mut starts[*rank as usize];
        order[*at] = *slot;
        *at += 1;
    }
    order
}

/// `newest` in a counting sort by a rank below `count` (descending if asked); tickets without
/// one follow, newest first.
fn rank_order(newest: &[u32], count: usize, rank: &dyn Fn(u32) -> Option<usize>, descending: bool) -> Vec<u32> {
    let bucket = |slot| match rank(slot) {
        Some(rank) if descending => count - 1 - rank,
        Some(rank) => rank,
        None => count,
    };
    bucket_order(newest, count + 1, &bucket, false)
}

/// `newest` sorted by an integer column: each ticket as one `u128` (the value, reversed for
/// descending, above its place in `newest`), so the sort compares plain integers and ties keep
/// the newest-first order. Tickets without a value follow, newest first.
fn integer_order(newest: &[u32], value: &dyn Fn(u32) -> Option<u64>, descending: bool) -> Vec<u32> {
    let mut keyed = Vec::with_capacity(newest.len());
    let mut missing = Vec::new();
    for (place, slot) in newest.iter().enumerate() {
        match value(*slot) {
            Some(value) => {
                let value = if descending { !value } else { value };
                keyed.push(u128::from(value) << 32 | place as u128);
            }
            None => missing.push(*slot),
        }
    }
    keyed.sort_unstable();
    keyed.into_iter().map(|key| newest[(key as u32) as usize]).chain(missing).collect()
}

/// Each named entity's place among the names in case-insensitive order (equal names share
/// one), and how many places there are; entities without a name have none. Keyed by the id's
/// bits, so customers and agents share one copy of the code.
#[derive(Debug, Clone, Default)]
pub(crate) struct NameRanks {
    ranks: FxHashMap<u128, usize>,
    count: usize,
}

impl NameRanks {
    pub fn of(names: &mut dyn Iterator<Item = (u128, &str)>) -> NameRanks {
        let mut build = NameRanksBuild::default();
        for (id, name) in names {
            build.add(id, name);
        }
        build.sort();
        build.finish()
    }

    fn of_id(&self, id: u128) -> Option<usize> {
        self.ranks.get(&id).copied()
    }
}

/// [`NameRanks`] built a slice at a time: 25,000 customers' names lowercased are too long for
/// one turn of a page that is answering its user (see [`crate::storage::Desk::prepare_sorts`]),
/// so they are read in slices; then they are ordered in one step ([`order_by_text`], about
/// 3 ms natively, where comparing them as strings took about 180 slices).
#[derive(Debug, Default)]
pub(crate) struct NameRanksBuild {
    /// The names read so far, lowercased, with the id's bits.
    named: Vec<(String, u128)>,
    order: Option<TextOrder>,
    /// What the caller needs to know to go on: which entities are still to read, and the count
    /// of name changes when the build began (a build that saw a change is thrown away).
    pub(crate) unread: Vec<CustomerId>,
    pub(crate) people_changes: u64,
}

impl NameRanksBuild {
    pub(crate) fn new(unread: Vec<CustomerId>, people_changes: u64) -> NameRanksBuild {
        NameRanksBuild { unread, people_changes, ..NameRanksBuild::default() }
    }

    pub(crate) fn add(&mut self, id: u128, name: &str) {
        if !name.is_empty() {
            self.named.push((lowercase(name).into_owned(), id));
        }
    }

    /// Orders the names read. Call once every name is added.
    pub(crate) fn sort(&mut self) {
        let names: Vec<&str> = self.named.iter().map(|(name, _)| name.as_str()).collect();
        self.order = Some(order_by_text(&names));
    }

    pub(crate) fn finish(self) -> NameRanks {
        let TextOrder { positions, starts } = self.order.unwrap_or_default();
        let mut ranks = FxHashMap::default();
        ranks.reserve(positions.len());
        let mut count = 0;
        for (at, starts) in positions.iter().zip(starts) {
            count += usize::from(starts);
            ranks.insert(self.named[*at as usize].1, count - 1);
        }
        NameRanks { ranks, count }
    }
}

/// Every ticket in one order, with the quick filters each belongs to (bit `i` for
/// `QuickFilter::ALL[i]`). Built by [`Workspace::sorted_queue`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SortedQueue {
    ids: Vec<TicketId>,
    masks: Vec<u8>,
}

impl SortedQueue {
    /// The tickets in `filter`'s queue, in order.
    pub fn filter(&self, filter: QuickFilter) -> Vec<TicketId> {
        let Some(bit) = QuickFilter::ALL.iter().position(|f| *f == filter) else {
            return self.ids.clone();
        };
        self.ids.iter().zip(&self.masks).filter(|(_, mask)| *mask & (1 << bit) != 0).map(|(id, _)| *id).collect()
    }

    /// How many tickets each quick filter holds.
    pub fn counts(&self) -> QueueCounts {
        let mut counts = [0; 6];
        for mask in &self.masks {
            for (bit, count) in counts.iter_mut().enumerate() {
                *count += usize::from(mask & (1 << bit) != 0);
            }
        }
        QueueCounts(counts)
    }

    /// Every ticket, merged ones included.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// One line of the customer list: who, and how many tickets they have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerListing {
    pub id: CustomerId,
    pub open_tickets: usize,
    pub tickets: usize,
}

impl Workspace {
    /// Customers whose name, organisation or an address contains `query` (case-insensitive;
    /// everyone for an empty query), by name, at most `limit` of them, with the total number of
    /// matches. Ticket counts come from one pass over the summaries.
    pub fn find_customers(&self, query: &str, limit: usize) -> (Vec<CustomerListing>, usize) {
        let (shown, total) = self.match_customers(query, limit);
        let mut counts: rustc_hash::FxHashMap<CustomerId, (usize, usize)> =
            shown.iter().map(|id| (*id, (0, 0))).collect();
        for ticket in self.tickets().filter(|t| t.merged_into.is_none()) {
            if let Some((open, all)) = counts.get_mut(&ticket.requester) {
                *all += 1;
                if ticket.is_open() {
                    *open += 1;
                }
            }
        }
        let listings = shown
            .into_iter()
            .map(|id| {
                let (open_tickets, tickets) = counts[&id];
                CustomerListing { id, open_tickets, tickets }
            })
            .collect();
        (listings, total)
    }

    /// The customers [`Workspace::find_customers`] lists, without their ticket counts: for a
    /// requester picker, which runs on every keystroke and has no use for a pass over the tickets.
    pub fn match_customers(&self, query: &str, limit: usize) -> (Vec<CustomerId>, usize) {
        let needle = lowercase(query.trim());
        let matches: Vec<(String, CustomerId)> = self
            .customers()
            .filter_map(|(id, entry)| {
                let profile = &entry.profile;
                // Lowercased once: it is both matched and ordered by.
                let name = lowercase(&profile.name);
                let found = needle.is_empty()
                    || name.contains(&*needle)
                    || lowercase(&profile.organisation).contains(&*needle)
                    || profile.emails.iter().any(|email| lowercase(email.as_str()).contains(&*needle));
                found.then(|| (name.into_owned(), id))
            })
            .collect();
        (first_by_name(&matches, limit), matches.len())
    }
}

/// The first `limit` customers by lowercased name, then by id (the map they come from has no
/// order). Ordered by [`crate::sorting::order_by_text`], already in the app for the inbox, rather
/// than by a sort of these pairs, which compiled another copy of the sort (1.3 KB of the gzipped
/// app). Names shared by several customers are few, so their ids go through the shared short sort.
fn first_by_name(matches: &[(String, CustomerId)], limit: usize) -> Vec<CustomerId> {
    let names: Vec<&str> = matches.iter().map(|(name, _)| name.as_str()).collect();
    let order = crate::sorting::order_by_text(&names);
    let mut shown = Vec::with_capacity(limit.min(matches.len()));
    let mut place = 0;
    while place < order.positions.len() && shown.len() < limit {
        let end = (place + 1..order.positions.len()).find(|&next| order.starts[next]).unwrap_or(order.positions.len());
        let mut same_name: Vec<CustomerId> =
            order.positions[place..end].iter().map(|&at| matches[at as usize].1).collect();
        crate::sorting::sort_by_key(&mut same_name, |id| *id);
        let room = limit - shown.len();
        shown.extend(same_name.into_iter().take(room));
        place = end;
    }
    shown
}
