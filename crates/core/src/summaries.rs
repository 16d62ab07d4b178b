//! The ticket summaries a workspace holds, in a table laid out for the inbox.
//!
//! Sorting or filtering 100,000 tickets by reading their summaries touches 100,000 boxed
//! records of over 400 bytes each, scattered over the heap; at that size the cost is the cache
//! misses, not the comparisons. The table therefore keeps, next to each summary, the few facts
//! the inbox's quick filters and numeric columns read ([`QueueFacts`], 64 bytes, one array), and
//! the order of the tickets by number (the tie-break of every sort), maintained as summaries
//! change. A sort then reads one compact array and starts from a list that is already in order.
//! It also knows each requester's tickets, so a requester panel does not scan them all, and,
//! once asked for it, the tickets in subject order (see [`SubjectOrder`]).

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use rustc_hash::FxHashMap;

use crate::case::lowercase;
use crate::id::{AgentId, CustomerId, TicketId};
use crate::lifecycle::Status;
use crate::model::Priority;
use crate::sorting::{TextOrder, order_by_text};
use crate::ticket::TicketSummary;

/// Stands for "no due date" in [`QueueFacts`] (no date is that far in the future).
const NO_DUE_DATE: u64 = u64::MAX;

/// What the inbox's quick filters and numeric sorts read of a ticket (64 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct QueueFacts {
    pub id: TicketId,
    pub number: u64,
    pub updated_at: u64,
    /// The due date, [`NO_DUE_DATE`] for none (an `Option` would take 8 bytes more).
    due: u64,
    pub assignee: Option<AgentId>,
    pub status: Status,
    pub priority: Priority,
    pub merged: bool,
}

impl QueueFacts {
    pub fn of(summary: &TicketSummary) -> QueueFacts {
        QueueFacts {
            id: summary.id,
            number: summary.number,
            updated_at: summary.updated_at,
            due: summary.due_ms.unwrap_or(NO_DUE_DATE),
            assignee: summary.assignee,
            status: summary.status,
            priority: summary.priority,
            merged: summary.merged_into.is_some(),
        }
    }

    pub fn due_ms(&self) -> Option<u64> {
        (self.due != NO_DUE_DATE).then_some(self.due)
    }

    fn number_key(&self) -> (u64, TicketId) {
        (self.number, self.id)
    }
}

/// Every ticket summary by id, with its [`QueueFacts`] and the tickets in number order.
///
/// A ticket lives in one slot (an index into the summaries and facts); the slot of a removed
/// ticket is taken by the last one, so the arrays stay dense.
#[derive(Debug, Clone, Default)]
pub(crate) struct SummaryTable {
    slot_of: FxHashMap<TicketId, u32>,
    /// Boxed, so that putting them in number order at start-up moves pointers, not 40 MB of
    /// summaries (the wasm memory keeps its high-water mark).
    #[allow(clippy::vec_box)]
    summaries: Vec<Box<TicketSummary>>,
    facts: Vec<QueueFacts>,
    /// The requester of every slot, for sorting by requester without reading 100,000 boxed
    /// summaries (they do not fit in [`QueueFacts`]'s 64 bytes).
    requesters: Vec<CustomerId>,
    /// Slots by (number, id), ascending: numbers are given out in increasing order, so a new
    /// ticket almost always goes at the end. Read backwards it is the inbox's "newest first".
    by_number: Vec<u32>,
    /// Slots added by [`SummaryTable::push_unordered`] sit at the end of `by_number` unsorted
    /// until [`SummaryTable::order`].
    unordered: bool,
    /// Built by the first sort by subject, then kept up to date by every change.
    by_subject: OnceLock<SubjectOrder>,
    /// Which table this is, for [`ChangeMark`]s.
    table: TableId,
    /// How many changes the table has seen; `changed[slot]` is the count at the slot's last one.
    changes: u64,
    changed: Vec<u64>,
}

/// Where a reader of [`SummaryTable::changed_since`] got to: tickets changed after it are new to
/// them. Marks of another table (a workspace replaced by an import, or a clone) mean nothing
/// there: everything is new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeMark {
    table: u64,
    changes: u64,
}

/// A table's identity: new for every table, and for every clone (a clone changes on its own).
#[derive(Debug)]
struct TableId(u64);

impl Default for TableId {
    fn default() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        TableId(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

impl Clone for TableId {
    fn clone(&self) -> Self {
        TableId::default()
    }
}

/// The subject order built in slices: the subjects read a few thousand at a time, then ordered
/// in one step (see [`SummaryTable::start_subject_order`]; [`order_by_text`] orders 100,000 of
/// them in 17–21 ms in the browser, where comparing them as strings took 800 slices). Holds ids
/// and copies of the subjects, not slots, so the table can change between slices.
#[derive(Debug)]
pub struct SubjectOrderBuild {
    mark: ChangeMark,
    /// Newest first, so that ties in the order, which stay in this order, are newest first.
    ids: Vec<TicketId>,
    /// The lowercased subject of `ids[i]`.
    keys: Vec<Box<str>>,
    /// Positions into `ids`, once sorted.
    order: Option<TextOrder>,
}

impl SubjectOrderBuild {
    /// Orders the subjects read. Call once every subject is read.
    pub fn sort(&mut self) {
        let texts: Vec<&str> = self.keys.iter().map(|key| &**key).collect();
        self.order = Some(order_by_text(&texts));
    }
}

/// The slots in subject order (case-insensitive), ties newest first, and where each distinct
/// subject begins.
///
/// Sorting 100,000 subjects takes over 100 ms (strings compared through the heap, many sharing a
/// template's first words); a new or edited ticket moves one entry. So the order is built once,
/// on the first sort by subject (or when the app is idle, [`SummaryTable::prepare_subject_order`]),
/// and then maintained, and a sort by subject in either direction is a walk over it.
#[derive(Debug, Clone, Default)]
struct SubjectOrder {
    slots: Vec<u32>,
    /// `starts[i]`: the subject at `slots[i]` differs from the one before it.
    starts: Vec<bool>,
}

impl SubjectOrder {
    /// Places `slot` (not in the order yet) by its subject, after the newer tickets of the same
    /// subject.
    fn insert(&mut self, slot: u32, summaries: &[Box<TicketSummary>], facts: &[QueueFacts]) {
        let subject = |slot: u32| lowercase(&summaries[slot as usize].subject);
        let newest_first = |slot: u32| std::cmp::Reverse(facts[slot as usize].number_key());
        let key = (subject(slot), newest_first(slot));
        let at = self.slots.partition_point(|other| (subject(*other), newest_first(*other)) < key);
        let same_as_before = at > 0 && subject(self.slots[at - 1]) == key.0;
        if let Some(next) = self.slots.get(at) {
            self.starts[at] = subject(*next) != key.0;
        }
        self.slots.insert(at, slot);
        self.starts.insert(at, !same_as_before);
    }

    fn remove(&mut self, slot: u32) {
        let Some(at) = self.slots.iter().position(|other| *other == slot) else {
            return;
        };
        if self.starts[at] && self.starts.get(at + 1) == Some(&false) {
            self.starts[at + 1] = true;
        }
        self.slots.remove(at);
        self.starts.remove(at);
    }

    fn renumber_slot(&mut self, from: u32, to: u32) {
        if let Some(entry) = self.slots.iter_mut().find(|entry| **entry == from) {
            *entry = to;
        }
    }
}

/// Equal when the same tickets have the same summaries, whatever their slots.
impl PartialEq for SummaryTable {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.values().all(|summary| other.get(summary.id) == Some(summary))
    }
}

impl SummaryTable {
    pub fn len(&self) -> usize {
        self.summaries.len()
    }

    pub fn reserve(&mut self, additional: usize) {
        self.slot_of.reserve(additional);
        self.summaries.reserve(additional);
        self.facts.reserve(additional);
        self.requesters.reserve(additional);
        self.changed.reserve(additional);
        self.by_number.reserve(additional);
    }

    pub fn contains(&self, id: TicketId) -> bool {
        self.slot_of.contains_key(&id)
    }

    pub fn get(&self, id: TicketId) -> Option<&TicketSummary> {
        self.slot_of.get(&id).map(|slot| &*self.summaries[*slot as usize])
    }

    /// Every summary, in no particular order.
    pub fn values(&self) -> impl Iterator<Item = &TicketSummary> {
        self.summaries.iter().map(|summary| &**summary)
    }

    pub fn ids(&self) -> impl Iterator<Item = TicketId> + '_ {
        self.facts.iter().map(|facts| facts.id)
    }

    /// The facts of every slot (index = slot).
    pub fn facts(&self) -> &[QueueFacts] {
        &self.facts
    }

    /// The tickets inserted or changed after `mark` (every ticket for `None` or another table's
    /// mark), in no particular order, and the mark to pass next time. Reads one integer per
    /// ticket, so a background job can find the few changed tickets of 100,000 in well under a
    /// millisecond.
    pub fn changed_since(&self, mark: Option<ChangeMark>) -> (impl Iterator<Item = &TicketSummary>, ChangeMark) {
        let after = mark.filter(|mark| mark.table == self.table.0).map_or(0, |mark| mark.changes);
        let changed = self
            .changed
            .iter()
            .zip(&self.summaries)
            .filter(move |(changed, _)| **changed > after)
            .map(|(_, summary)| &**summary);
        (changed, ChangeMark { table: self.table.0, changes: self.changes })
    }

    /// The open tickets assigned to `agent`, found in the compact facts (no summary is read but
    /// theirs).
    pub fn open_assigned_to(&self, agent: AgentId) -> impl Iterator<Item = &TicketSummary> {
        self.facts
            .iter()
            .zip(&self.summaries)
            .filter(move |(facts, _)| facts.assignee == Some(agent) && facts.status.is_open())
            .map(|(_, summary)| &**summary)
    }

    /// Which table this is and how many changes it has seen.
    pub fn version(&self) -> (u64, u64) {
        (self.table.0, self.changes)
    }

    /// The requester of every slot (index = slot).
    pub fn requesters(&self) -> &[CustomerId] {
        &self.requesters
    }

    /// Every slot, newest ticket first: number descending, then id descending.
    pub fn newest_first(&self) -> impl ExactSizeIterator<Item = u32> + '_ {
        debug_assert!(!self.unordered, "order() after push_unordered");
        self.by_number.iter().rev().copied()
    }

    /// Inserts or replaces a ticket's summary; returns the one it replaces.
    pub fn insert(&mut self, summary: Box<TicketSummary>) -> Option<Box<TicketSummary>> {
        // Ordering moves tickets between slots: first, before any slot is looked up.
        self.order();
        let facts = QueueFacts::of(&summary);
        if let Some(&slot) = self.slot_of.get(&summary.id) {
            let index = slot as usize;
            let renumbered = self.facts[index].number != facts.number;
            if renumbered {
                self.unindex(slot);
            }
            self.facts[index] = facts;
            if renumbered {
                self.index(slot);
            }
            // A summary derived again without a difference (a conversation loaded) is no change.
            if *self.summaries[index] != *summary {
                self.changes += 1;
                self.changed[index] = self.changes;
            }
            let requester = summary.requester;
            let previous = std::mem::replace(&mut self.summaries[index], summary);
            if previous.requester != requester {
                self.requesters[index] = requester;
            }
            if (renumbered || previous.subject != self.summaries[index].subject)
                && let Some(order) = self.by_subject.get_mut()
            {
                order.remove(slot);
                order.insert(slot, &self.summaries, &self.facts);
            }
            return Some(previous);
        }
        let slot = self.push(summary, facts);
        self.index(slot);
        if let Some(order) = self.by_subject.get_mut() {
            order.insert(slot, &self.summaries, &self.facts);
        }
        None
    }

    /// Every slot by subject, case-insensitively (descending if asked), ties newest first;
    /// tickets without a subject follow, newest first.
    pub fn by_subject(&self, descending: bool) -> Vec<u32> {
        let SubjectOrder { slots, starts } = self.subject_order();
        // The tickets without a subject sort first in the kept order: the group they form.
        let untitled = match slots.first() {
            Some(first) if self.summaries[*first as usize].subject.is_empty() => {
                starts.iter().skip(1).position(|starts| *starts).map_or(slots.len(), |at| at + 1)
            }
            _ => 0,
        };
        let mut sorted = Vec::with_capacity(slots.len());
        if descending {
            let mut end = slots.len();
            for start in (untitled..slots.len()).rev() {
                if starts[start] {
                    sorted.extend_from_slice(&slots[start..end]);
                    end = start;
                }
            }
        } else {
            sorted.extend_from_slice(&slots[untitled..]);
        }
        sorted.extend_from_slice(&slots[..untitled]);
        sorted
    }

    /// Builds the subject order now if no sort has yet, so that the first sort by subject does
    /// not wait for it.
    pub fn prepare_subject_order(&self) {
        self.subject_order();
    }

    pub fn has_subject_order(&self) -> bool {
        self.by_subject.get().is_some()
    }

    /// Starts building the subject order in slices ([`SubjectOrderBuild`]), unless it is built.
    pub fn start_subject_order(&self) -> Option<SubjectOrderBuild> {
        if self.by_subject.get().is_some() {
            return None;
        }
        Some(SubjectOrderBuild {
            mark: self.changed_since(None).1,
            ids: self.newest_first().map(|slot| self.facts[slot as usize].id).collect(),
            keys: Vec::with_capacity(self.len()),
            order: None,
        })
    }

    /// Reads the subjects of up to `count` more tickets; true when all are read.
    pub fn read_subjects(&self, build: &mut SubjectOrderBuild, count: usize) -> bool {
        let from = build.keys.len();
        let to = from.saturating_add(count).min(build.ids.len());
        for id in &build.ids[from..to] {
            // A ticket gone meanwhile keeps its place in `ids` with an empty key; `finish` drops it.
            build.keys.push(self.get(*id).map_or_else(Box::default, |summary| lowercase(&summary.subject).into()));
        }
        to == build.ids.len()
    }

    /// Puts the built order in place, with the tickets changed since the build started moved
    /// to their current places. Does nothing if a sort built the order meanwhile, or if so much
    /// changed (another table, a large import) that a fresh build is cheaper: then the first
    /// sort by subject builds it.
    pub fn finish_subject_order(&self, build: SubjectOrderBuild) {
        if self.by_subject.get().is_none()
            && let Some(order) = self.finished_order(build)
        {
            let _ = self.by_subject.set(order);
        }
    }

    /// The order a finished build gives, brought up to date (see
    /// [`SummaryTable::finish_subject_order`]).
    fn finished_order(&self, build: SubjectOrderBuild) -> Option<SubjectOrder> {
        let sorted = build.order?;
        if build.mark.table != self.table.0 {
            return None;
        }
        let changed: rustc_hash::FxHashSet<TicketId> =
            self.changed_since(Some(build.mark)).0.map(|summary| summary.id).collect();
        if changed.len() > self.len() / 8 + 64 {
            return None;
        }
        let mut order = SubjectOrder::default();
        // A run of equal subjects whose first ticket is left out begins at its next one.
        let mut run_begins = false;
        for (at, starts) in sorted.positions.iter().zip(&sorted.starts) {
            run_begins |= *starts;
            let id = build.ids[*at as usize];
            let Some(slot) = self.slot_of.get(&id).filter(|_| !changed.contains(&id)) else {
                continue;
            };
            order.slots.push(*slot);
            order.starts.push(std::mem::take(&mut run_begins));
        }
        for id in changed {
            if let Some(slot) = self.slot_of.get(&id) {
                order.insert(*slot, &self.summaries, &self.facts);
            }
        }
        Some(order)
    }

    /// The kept order, built in one go if there is none: this build runs while someone waits on
    /// a click (the sliced build had not finished). Much of its time goes to reading 100,000
    /// subjects spread over the heap; the ordering itself sorts integers ([`order_by_text`]).
    fn subject_order(&self) -> &SubjectOrder {
        self.by_subject.get_or_init(|| {
            let newest: Vec<u32> = self.newest_first().collect();
            let lowered: Vec<_> =
                newest.iter().map(|slot| lowercase(&self.summaries[*slot as usize].subject)).collect();
            // Ties stay in position order, which is newest first.
            let texts: Vec<&str> = lowered.iter().map(|text| &**text).collect();
            let TextOrder { positions, starts } = order_by_text(&texts);
            let slots = positions.iter().map(|place| newest[*place as usize]).collect();
            SubjectOrder { slots, starts }
        })
    }

    /// `customer`'s tickets, in no particular order. A scan of the requester column (about a
    /// millisecond at 100,000 tickets) rather than a map kept per customer: the map cost every
    /// start-up 25,000 small lists, for the one requester panel or customer page open.
    pub fn of_requester(&self, customer: CustomerId) -> impl Iterator<Item = &TicketSummary> {
        self.requesters
            .iter()
            .zip(&self.summaries)
            .filter(move |(requester, _)| **requester == customer)
            .map(|(_, summary)| &**summary)
    }

    /// Like [`SummaryTable::insert`] for a ticket the table does not hold, without placing it in
    /// number order yet: a start-up adding 100,000 summaries orders them once, in
    /// [`SummaryTable::order`]. Returns the summary it replaced if the ticket was there after all.
    pub fn push_unordered(&mut self, summary: Box<TicketSummary>) -> Option<Box<TicketSummary>> {
        if self.contains(summary.id) {
            return self.insert(summary);
        }
        let facts = QueueFacts::of(&summary);
        let slot = self.push(summary, facts);
        self.by_number.push(slot);
        self.unordered = true;
        // Ordering moves tickets between slots; the next sort by subject builds it anew.
        self.by_subject = OnceLock::new();
        None
    }

    /// Puts everything added by [`SummaryTable::push_unordered`] in number order, and moves
    /// every ticket to the slot of its place in that order: sorts read the facts newest first,
    /// and reading an array front to back is several times faster than jumping around it (at
    /// 100,000 tickets the facts are 6 MB, far more than the processor's caches).
    pub fn order(&mut self) {
        if !std::mem::take(&mut self.unordered) {
            return;
        }
        self.by_subject = OnceLock::new();
        // Sorting the keys themselves: a comparison that looked them up through the slots
        // would jump around 6 MB of facts millions of times. Each key is one integer, the number
        // above the slot (half the size of a (number, id, slot) tuple, compared in one step);
        // tickets that share a number (two browsers numbered offline alike) then go by id.
        let mut keys: Vec<u128> = self
            .by_number
            .iter()
            .map(|slot| u128::from(self.facts[*slot as usize].number) << 64 | u128::from(*slot))
            .collect();
        keys.sort_unstable();
        let mut order: Vec<u32> = keys.iter().map(|key| *key as u32).collect();
        let mut start = 0;
        while start < keys.len() {
            let end = start + keys[start..].iter().take_while(|key| *key >> 64 == keys[start] >> 64).count();
            if end - start > 1 {
                let facts = &self.facts;
                crate::sorting::sort_by(&mut order[start..end], |a, b| {
                    facts[*a as usize].id.cmp(&facts[*b as usize].id)
                });
            }
            start = end;
        }
        drop(keys);
        // Move every ticket to its new slot in place, cycle by cycle (no second copy of the
        // facts: at start-up the wasm memory keeps its high-water mark for good).
        let mut moved_to = vec![0u32; order.len()];
        for (new_slot, old_slot) in order.iter().enumerate() {
            moved_to[*old_slot as usize] = new_slot as u32;
        }
        drop(order);
        let mapping = moved_to.clone();
        for start in 0..moved_to.len() {
            while moved_to[start] as usize != start {
                let target = moved_to[start] as usize;
                self.summaries.swap(start, target);
                self.facts.swap(start, target);
                self.requesters.swap(start, target);
                self.changed.swap(start, target);
                moved_to.swap(start, target);
            }
        }
        for (place, slot) in self.by_number.iter_mut().enumerate() {
            *slot = place as u32;
        }
        for slot in self.slot_of.values_mut() {
            *slot = mapping[*slot as usize];
        }
    }

    pub fn remove(&mut self, id: TicketId) -> Option<Box<TicketSummary>> {
        self.order();
        let slot = self.slot_of.remove(&id)?;
        self.changes += 1;
        self.unindex(slot);
        let last = (self.summaries.len() - 1) as u32;
        if let Some(order) = self.by_subject.get_mut() {
            order.remove(slot);
            if slot != last {
                order.renumber_slot(last, slot);
            }
        }
        let removed = self.summaries.swap_remove(slot as usize);
        self.facts.swap_remove(slot as usize);
        self.requesters.swap_remove(slot as usize);
        self.changed.swap_remove(slot as usize);
        if slot != last {
            // The last ticket moved into the freed slot.
            self.slot_of.insert(self.facts[slot as usize].id, slot);
            if let Some(entry) = self.by_number.iter_mut().find(|entry| **entry == last) {
                *entry = slot;
            }
        }
        Some(removed)
    }

    /// The ids of the tickets numbered `number`, in id order.
    pub fn numbered(&self, number: u64) -> impl Iterator<Item = TicketId> + '_ {
        debug_assert!(!self.unordered, "order() after push_unordered");
        let start = self.by_number.partition_point(|slot| self.facts[*slot as usize].number < number);
        self.by_number[start..]
            .iter()
            .map(|slot| &self.facts[*slot as usize])
            .take_while(move |facts| facts.number == number)
            .map(|facts| facts.id)
    }

    /// The highest ticket number in `start..end`, if any ticket has one.
    pub fn highest_number_in(&self, start: u64, end: u64) -> Option<u64> {
        debug_assert!(!self.unordered, "order() after push_unordered");
        let below_end = self.by_number.partition_point(|slot| self.facts[*slot as usize].number < end);
        let number = self.facts[*self.by_number[..below_end].last()? as usize].number;
        (number >= start).then_some(number)
    }

    fn push(&mut self, summary: Box<TicketSummary>, facts: QueueFacts) -> u32 {
        let slot = u32::try_from(self.summaries.len()).expect("fewer than 4 billion tickets");
        self.slot_of.insert(summary.id, slot);
        self.requesters.push(summary.requester);
        self.changes += 1;
        self.changed.push(self.changes);
        self.summaries.push(summary);
        self.facts.push(facts);
        slot
    }

    /// Places `slot` in number order (at the end, for a ticket with the newest number). The
    /// table must be ordered.
    fn index(&mut self, slot: u32) {
        let key = self.facts[slot as usize].number_key();
        let at = match self.by_number.last() {
            Some(last) if self.facts[*last as usize].number_key() < key => self.by_number.len(),
            _ => self.by_number.partition_point(|other| self.facts[*other as usize].number_key() < key),
        };
        self.by_number.insert(at, slot);
    }

    fn unindex(&mut self, slot: u32) {
        let key = self.facts[slot as usize].number_key();
        let at = self.by_number.partition_point(|other| self.facts[*other as usize].number_key() < key);
        if self.by_number.get(at) == Some(&slot) {
            self.by_number.remove(at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kept subject order after removals, edits and new tickets equals one built afresh.
    #[test]
    fn the_subject_order_follows_every_change() {
        use crate::hlc::ReplicaId;
        use crate::sample::{SampleConfig, sample_ops};
        use crate::workspace::Workspace;

        let config = SampleConfig::new(80, 7, 1_700_000_000_000);
        let (_, ops) = sample_ops(&config, ReplicaId(1));
        let summaries: Vec<TicketSummary> = Workspace::from_ops(ops).tickets().cloned().collect();
        let mut table = SummaryTable::default();
        summaries.iter().for_each(|summary| drop(table.insert(Box::new(summary.clone()))));
        table.prepare_subject_order();
        let ids = |table: &SummaryTable, descending| -> Vec<TicketId> {
            table.by_subject(descending).into_iter().map(|slot| table.facts[slot as usize].id).collect()
        };
        let afresh = |table: &SummaryTable, descending| {
            let mut fresh = SummaryTable::default();
            table.values().for_each(|summary| drop(fresh.insert(Box::new(summary.clone()))));
            ids(&fresh, descending)
        };
        for (step, summary) in summaries.iter().enumerate() {
            match step % 4 {
                0 => drop(table.remove(summary.id)),
                1 => {
                    let mut edited = summary.clone();
                    edited.subject = ["", "Same", "same", "Ωmega"][step % 3].to_string();
                    table.insert(Box::new(edited));
                }
                2 => {
                    let mut renumbered = summary.clone();
                    renumbered.number = 3;
                    table.insert(Box::new(renumbered));
                }
                _ => {
                    let mut new = summary.clone();
                    new.id = TicketId::from_u128(step as u128 + 1);
                    new.subject = "same".into();
                    table.insert(Box::new(new));
                }
            }
            for descending in [false, true] {
                assert_eq!(ids(&table, descending), afresh(&table, descending), "step {step}, {descending}");
            }
        }
        assert!(table.by_subject.get().is_some(), "kept, not rebuilt");
    }

    /// A build in slices that finishes after tickets changed equals one built afresh, also
    /// when the first ticket of a run of equal subjects changed meanwhile (the run then begins
    /// at its second ticket).
    #[test]
    fn a_finished_build_takes_in_changes_to_the_first_of_equal_subjects() {
        use crate::hlc::ReplicaId;
        use crate::sample::{SampleConfig, sample_ops};
        use crate::workspace::Workspace;

        let config = SampleConfig::new(1, 1, 1_700_000_000_000);
        let (_, ops) = sample_ops(&config, ReplicaId(1));
        let template = Workspace::from_ops(ops).tickets().next().cloned().expect("a sample ticket");
        let summary_with = |number: u64, subject: &str| {
            let mut summary = template.clone();
            summary.id = TicketId::from_u128(u128::from(number));
            summary.number = number;
            summary.subject = subject.to_string();
            summary
        };
        let subjects = ["Same", "other", "same", "SAME", "other", "Ωmega", ""];
        let mut table = SummaryTable::default();
        for (at, subject) in subjects.iter().enumerate() {
            table.insert(Box::new(summary_with(at as u64 + 1, subject)));
        }
        let mut build = table.start_subject_order().expect("no order yet");
        assert!(table.read_subjects(&mut build, usize::MAX));
        build.sort();
        // The newest "same" (number 4) and the newest "other" (5) change; a new "same" comes.
        table.insert(Box::new(summary_with(4, "Zzz")));
        table.remove(TicketId::from_u128(5));
        table.insert(Box::new(summary_with(8, "same")));
        table.finish_subject_order(build);
        assert!(table.has_subject_order(), "the build was kept");
        let mut fresh = SummaryTable::default();
        table.values().for_each(|summary| drop(fresh.insert(Box::new(summary.clone()))));
        let numbers = |table: &SummaryTable, descending| -> Vec<u64> {
            table.by_subject(descending).into_iter().map(|slot| table.facts[slot as usize].number).collect()
        };
        // "ωmega" sorts after "zzz" (by bytes); untitled tickets come last either way.
        assert_eq!(numbers(&table, true), [6, 4, 8, 3, 1, 2, 7]);
        for descending in [false, true] {
            assert_eq!(numbers(&table, descending), numbers(&fresh, descending), "{descending}");
        }
    }

    /// A start-up's tickets, added in any order, end up in (number, id) order, including
    /// tickets that share a number, and every lookup follows them to their new slots.
    #[test]
    fn ordering_after_start_up_sorts_by_number_then_id() {
        use crate::hlc::ReplicaId;
        use crate::sample::{SampleConfig, sample_ops};
        use crate::workspace::Workspace;

        let config = SampleConfig::new(60, 3, 1_700_000_000_000);
        let (_, ops) = sample_ops(&config, ReplicaId(1));
        let mut summaries: Vec<TicketSummary> = Workspace::from_ops(ops).tickets().cloned().collect();
        // Pairs of tickets numbered alike, with ids in either order.
        for (at, summary) in summaries.iter_mut().enumerate() {
            summary.number = (at as u64 * 7919 % 61) / 2;
            summary.id = TicketId::from_u128(((at as u128 * 104_729) % 97) << 64 | at as u128);
        }
        let mut table = SummaryTable::default();
        for summary in summaries.iter().rev() {
            assert!(table.push_unordered(Box::new(summary.clone())).is_none());
        }
        table.order();
        let mut expected: Vec<(u64, TicketId)> = summaries.iter().map(|s| (s.number, s.id)).collect();
        expected.sort();
        let found: Vec<(u64, TicketId)> = table
            .by_number
            .iter()
            .map(|slot| (table.facts[*slot as usize].number, table.facts[*slot as usize].id))
            .collect();
        assert_eq!(found, expected);
        assert!(expected.windows(2).any(|pair| pair[0].0 == pair[1].0), "the test has shared numbers");
        for summary in &summaries {
            assert_eq!(table.get(summary.id).map(|found| found.number), Some(summary.number));
        }
    }

    #[test]
    fn queue_facts_stay_one_cache_line() {
        assert!(size_of::<QueueFacts>() <= 64, "{} bytes", size_of::<QueueFacts>());
    }
}
