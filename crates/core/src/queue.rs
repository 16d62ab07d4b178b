//! Ticket queues: the inbox's quick filters and sort orders over ticket summaries, and the
//! customer list with each customer's ticket counts.
//!
//! A queue is computed from the summaries every replica holds for every ticket, so it needs no
//! conversation loaded and answers at 100,000 tickets in milliseconds. The app keeps the result
//! (a list of ids) and renders only the rows in view.

use std::cmp::Ordering;

use crate::id::{AgentId, CustomerId, TicketId};
use crate::lifecycle::Status;
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
        if self == QuickFilter::Any {
            return true;
        }
        if ticket.merged_into.is_some() {
            return false;
        }
        match self {
            QuickFilter::Mine => ticket.is_open() && me.is_some() && ticket.assignee == me,
            QuickFilter::Unassigned => ticket.is_open() && ticket.assignee.is_none(),
            QuickFilter::Open => ticket.is_open() && ticket.status != Status::Pending,
            QuickFilter::Pending => ticket.status == Status::Pending,
            QuickFilter::Overdue => ticket.is_open() && ticket.due_ms.is_some_and(|due| due < now_ms),
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
    pub fn sorted_queue(&self, sort: SortKey, descending: bool, me: Option<AgentId>, now_ms: u64) -> SortedQueue {
        let membership = |ticket: &TicketSummary| {
            QuickFilter::ALL
                .into_iter()
                .enumerate()
                .filter(|(_, filter)| filter.matches(ticket, me, now_ms))
                .fold(0u8, |mask, (bit, _)| mask | 1 << bit)
        };
        let rows = self.tickets();
        if let Some(value) = numeric_value(sort) {
            return numeric_queue(rows, value, descending, membership);
        }
        // Names: one keyed sort (names are looked up once per ticket, not once per comparison).
        let mut keyed: Vec<(Option<SortValue>, &TicketSummary)> =
            rows.map(|ticket| (self.sort_value(sort, ticket), ticket)).collect();
        keyed.sort_unstable_by(|(value_a, a), (value_b, b)| {
            let newest_first = || b.number.cmp(&a.number).then(b.id.cmp(&a.id));
            match (value_a, value_b) {
                (Some(x), Some(y)) => {
                    let ordering = x.cmp(y);
                    let ordering = if descending { ordering.reverse() } else { ordering };
                    ordering.then_with(newest_first)
                }
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => newest_first(),
            }
        });
        keyed.into_iter().map(|(_, ticket)| (ticket.id, membership(ticket))).collect()
    }

    /// How many tickets each quick filter holds (one pass over the summaries).
    pub fn queue_counts(&self, me: Option<AgentId>, now_ms: u64) -> QueueCounts {
        let mut counts = [0; 6];
        for ticket in self.tickets() {
            for (index, filter) in QuickFilter::ALL.into_iter().enumerate() {
                if filter.matches(ticket, me, now_ms) {
                    counts[index] += 1;
                }
            }
        }
        QueueCounts(counts)
    }

    fn sort_value(&self, key: SortKey, ticket: &TicketSummary) -> Option<SortValue> {
        let name = |name: &str| (!name.is_empty()).then(|| SortValue::Text(name.to_lowercase()));
        match key {
            SortKey::Number => Some(SortValue::Number(ticket.number)),
            SortKey::Subject => name(&ticket.subject),
            SortKey::Requester => self.customer(ticket.requester).and_then(|entry| name(&entry.profile.name)),
            SortKey::Status => Some(SortValue::Number(ticket.status as u64)),
            SortKey::Priority => Some(SortValue::Number(ticket.priority as u64)),
            SortKey::Assignee => {
                ticket.assignee.and_then(|agent| self.agent(agent)).and_then(|entry| name(&entry.profile.name))
            }
            SortKey::Updated => Some(SortValue::Number(ticket.updated_at)),
            SortKey::Due => ticket.due_ms.map(SortValue::Number),
        }
    }
}

/// The numeric value of a column, for the columns that have one.
fn numeric_value(key: SortKey) -> Option<fn(&TicketSummary) -> Option<u64>> {
    Some(match key {
        SortKey::Number => |t| Some(t.number),
        SortKey::Status => |t| Some(t.status as u64),
        SortKey::Priority => |t| Some(t.priority as u64),
        SortKey::Updated => |t| Some(t.updated_at),
        SortKey::Due => |t| t.due_ms,
        SortKey::Subject | SortKey::Requester | SortKey::Assignee => return None,
    })
}

/// The queue for a numeric column as a sort of plain integer tuples: direction and the
/// newest-first tie-break are folded into the numbers (`!x` reverses an order), which sorts
/// 100,000 tickets several times faster than comparing through a closure. Tickets without a
/// value follow, newest first.
fn numeric_queue<'a>(
    rows: impl Iterator<Item = &'a TicketSummary>,
    value: fn(&TicketSummary) -> Option<u64>,
    descending: bool,
    membership: impl Fn(&TicketSummary) -> u8,
) -> SortedQueue {
    // The mask rides along last: ids are unique, so it never decides the order.
    let mut present: Vec<(u64, u64, u128, u8)> = Vec::new();
    let mut missing: Vec<(u64, u128, u8)> = Vec::new();
    for ticket in rows {
        let (number, id, mask) = (!ticket.number, !ticket.id.to_u128(), membership(ticket));
        match value(ticket) {
            Some(value) => present.push((if descending { !value } else { value }, number, id, mask)),
            None => missing.push((number, id, mask)),
        }
    }
    present.sort_unstable();
    missing.sort_unstable();
    present
        .into_iter()
        .map(|(_, _, id, mask)| (id, mask))
        .chain(missing.into_iter().map(|(_, id, mask)| (id, mask)))
        .map(|(id, mask)| (TicketId::from_u128(!id), mask))
        .collect()
}

/// Every ticket in one order, with the quick filters each belongs to (bit `i` for
/// `QuickFilter::ALL[i]`). Built by [`Workspace::sorted_queue`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SortedQueue {
    ids: Vec<TicketId>,
    masks: Vec<u8>,
}

impl FromIterator<(TicketId, u8)> for SortedQueue {
    fn from_iter<I: IntoIterator<Item = (TicketId, u8)>>(iter: I) -> Self {
        let (ids, masks) = iter.into_iter().unzip();
        SortedQueue { ids, masks }
    }
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

/// What a ticket is sorted by in one column (one column never mixes the two kinds).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum SortValue {
    Number(u64),
    Text(String),
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
        let needle = query.trim().to_lowercase();
        let mut matches: Vec<(String, CustomerId)> = self
            .customers()
            .filter(|(_, entry)| {
                let profile = &entry.profile;
                needle.is_empty()
                    || profile.name.to_lowercase().contains(&needle)
                    || profile.organisation.to_lowercase().contains(&needle)
                    || profile.emails.iter().any(|email| email.as_str().to_lowercase().contains(&needle))
            })
            .map(|(id, entry)| (entry.profile.name.to_lowercase(), id))
            .collect();
        let total = matches.len();
        matches.sort_unstable();
        matches.truncate(limit);
        let mut counts: rustc_hash::FxHashMap<CustomerId, (usize, usize)> =
            matches.iter().map(|(_, id)| (*id, (0, 0))).collect();
        for ticket in self.tickets().filter(|t| t.merged_into.is_none()) {
            if let Some((open, all)) = counts.get_mut(&ticket.requester) {
                *all += 1;
                if ticket.is_open() {
                    *open += 1;
                }
            }
        }
        let listings = matches
            .into_iter()
            .map(|(_, id)| {
                let (open_tickets, tickets) = counts[&id];
                CustomerListing { id, open_tickets, tickets }
            })
            .collect();
        (listings, total)
    }
}
