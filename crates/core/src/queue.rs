//! Ticket queues: the inbox's quick filters and sort orders over ticket summaries.
//!
//! A queue is computed from the summaries every replica holds for every ticket, so it needs no
//! conversation loaded and answers at 100,000 tickets in milliseconds. The app keeps the result
//! (a list of ids) and renders only the rows in view.

use std::cmp::Ordering;

use crate::id::{AgentId, TicketId};
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
        }
    }

    pub fn parse(text: &str) -> Option<QuickFilter> {
        QuickFilter::ALL.into_iter().find(|filter| filter.as_str() == text)
    }

    /// Whether `ticket` belongs in this queue for agent `me` at `now_ms`.
    pub fn matches(self, ticket: &TicketSummary, me: Option<AgentId>, now_ms: u64) -> bool {
        if ticket.merged_into.is_some() {
            return false;
        }
        match self {
            QuickFilter::Mine => ticket.is_open() && me.is_some() && ticket.assignee == me,
            QuickFilter::Unassigned => ticket.is_open() && ticket.assignee.is_none(),
            QuickFilter::Open => ticket.is_open() && ticket.status != Status::Pending,
            QuickFilter::Pending => ticket.status == Status::Pending,
            QuickFilter::Overdue => ticket.is_open() && ticket.due_ms.is_some_and(|due| due < now_ms),
            QuickFilter::All => true,
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
    /// The ids of the tickets in `query`'s queue, in its order. Ties (and equal names) fall back
    /// to the ticket number, newest first, so the order is total and stable across renders.
    pub fn queue(&self, query: QueueQuery, me: Option<AgentId>, now_ms: u64) -> Vec<TicketId> {
        let mut rows: Vec<&TicketSummary> =
            self.tickets().filter(|ticket| query.filter.matches(ticket, me, now_ms)).collect();
        let direction = |ordering: Ordering| if query.descending { ordering.reverse() } else { ordering };
        let newest_first = |a: &TicketSummary, b: &TicketSummary| b.number.cmp(&a.number).then(b.id.cmp(&a.id));
        match query.sort {
            SortKey::Subject | SortKey::Requester | SortKey::Assignee => {
                // Names are looked up once per ticket, not once per comparison.
                let mut keyed: Vec<(String, &TicketSummary)> =
                    rows.into_iter().map(|ticket| (self.sort_name(query.sort, ticket), ticket)).collect();
                keyed.sort_by(|(name_a, a), (name_b, b)| {
                    // Empty names (unassigned) go last in either direction.
                    match (name_a.is_empty(), name_b.is_empty()) {
                        (true, false) => Ordering::Greater,
                        (false, true) => Ordering::Less,
                        _ => direction(name_a.cmp(name_b)).then_with(|| newest_first(a, b)),
                    }
                });
                return keyed.into_iter().map(|(_, ticket)| ticket.id).collect();
            }
            SortKey::Due => rows.sort_by(|a, b| match (a.due_ms, b.due_ms) {
                (Some(due_a), Some(due_b)) => direction(due_a.cmp(&due_b)).then_with(|| newest_first(a, b)),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => newest_first(a, b),
            }),
            key => rows.sort_by(|a, b| {
                let ordering = match key {
                    SortKey::Status => a.status.cmp(&b.status),
                    SortKey::Priority => a.priority.cmp(&b.priority),
                    SortKey::Updated => a.updated_at.cmp(&b.updated_at),
                    _ => a.number.cmp(&b.number).then(a.id.cmp(&b.id)),
                };
                direction(ordering).then_with(|| newest_first(a, b))
            }),
        }
        rows.into_iter().map(|ticket| ticket.id).collect()
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

    fn sort_name(&self, key: SortKey, ticket: &TicketSummary) -> String {
        let name = match key {
            SortKey::Subject => ticket.subject.as_str(),
            SortKey::Requester => self.customer(ticket.requester).map_or("", |entry| entry.profile.name.as_str()),
            SortKey::Assignee => ticket
                .assignee
                .and_then(|agent| self.agent(agent))
                .map_or("", |entry| entry.profile.name.as_str()),
            _ => "",
        };
        name.to_lowercase()
    }
}
