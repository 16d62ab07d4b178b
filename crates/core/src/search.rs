//! Search: a full-text index over tickets, the query language, and their evaluation.
//!
//! - [`text`]: how text becomes terms: NFKC, case and width folding, words for space-separated
//!   scripts, character bigrams for Japanese and Chinese.
//! - [`query`]: the query language (words, "phrases", -negation, field filters, sort).
//! - [`Plan`]: a query resolved against a workspace, an agent, an instant and a time zone.
//! - [`SearchIndex`]: the index and its evaluation.
//!
//! # The index
//!
//! Two inverted indexes: one over ticket text (subject and tags in the title field; description
//! and every message, internal notes included, in the body field) and one over customers (name,
//! organisation, addresses), so "山田" finds the tickets Yamada sent without indexing the name
//! into each of them, and renaming a customer reindexes one document. Field filters (status,
//! assignee, dates, …) are checked on the ticket summaries every replica holds.
//!
//! The index is derived data: it is never stored or synced, and [`SearchIndex::index_ticket`]
//! takes a ticket's whole current state, so the index is the same whether it was built in one go
//! or kept up to date change by change (a property test checks exactly that). Updates carry the
//! ticket's op count as a version, so a late, older read never replaces newer text.
//!
//! # Ranking
//!
//! BM25F over the two fields (the title weighted 3× the body) with fixed typical field lengths, so
//! a document's weight for a term never depends on other documents; each word scores as its best
//! completion (a longer word it begins counts 0.7× an exact match), words add up, a customer match
//! counts 2×. Among equal scores the newest ticket comes first. A one-word query is answered from
//! the exact top lists of its terms without scoring every document; the rest score every match.

mod index;
pub(crate) mod plan;
pub mod query;
pub mod text;

use std::cell::RefCell;
use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};

pub use index::IndexStep;

use crate::directory::CustomerProfile;
use crate::id::{CustomerId, TicketId};
use crate::ticket::{Ticket, TicketSummary};
use crate::workspace::Workspace;

use index::{BODY, Cursor, FIELDS, TITLE, TextIndex};
use plan::{Matching, QueryTerm, TextClause};
pub use plan::{Plan, SearchContext, Snippet};
use query::{Sort, SortBy};
use text::Analyzer;

const PREFIX_WEIGHT: f32 = 0.7;
/// Proposals the threshold algorithm may look at before leaving the query to the full path.
const PROPOSAL_BUDGET: usize = 400;
const CUSTOMER_WEIGHT: f32 = 2.0;

/// One result: a ticket and how well it matched (0 for queries without words).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub ticket: TicketId,
    pub score: f32,
}

/// What a search found: the first matching tickets in order, and how many match in all when
/// that was known without extra work (else ask [`SearchIndex::count`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchResults {
    pub total: Option<usize>,
    pub hits: Vec<Hit>,
}

#[derive(Debug, Clone)]
struct TicketSlot {
    id: TicketId,
    /// The content document, once the ticket's text is indexed.
    doc: Option<u32>,
    /// How many ops the indexed text was folded from (newer texts have more).
    version: u32,
    text_hash: u64,
    requester: u32,
    number: u64,
    updated_at: u64,
    merged: bool,
}

#[derive(Debug, Clone)]
struct CustomerSlot {
    doc: Option<u32>,
    text_hash: u64,
    /// Ticket slots this customer is the requester of.
    tickets: Vec<u32>,
}

/// Where finishing a bulk build has got to (see [`SearchIndex::start_finish_bulk`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkStep {
    People(IndexStep),
    Content(IndexStep),
}

/// The full-text index of one workspace (see the module docs).
#[derive(Debug)]
pub struct SearchIndex {
    content: TextIndex,
    people: TextIndex,
    tickets: Vec<TicketSlot>,
    ticket_slots: FxHashMap<TicketId, u32>,
    customers: Vec<CustomerSlot>,
    customer_slots: FxHashMap<CustomerId, u32>,
    indexed: usize,
    analyzer: Analyzer,
    scratch: RefCell<Scratch>,
}

/// Characters a word needs before it also finds longer words: in ticket text two (`pa` →
/// `password`); in customers' names three, since two letters of a name find half the customers
/// (`ya` is not yet a search for Yamada; `yam` is).
const CONTENT_PREFIX_CHARS: usize = 2;
const PEOPLE_PREFIX_CHARS: usize = 3;

impl Default for SearchIndex {
    fn default() -> Self {
        SearchIndex {
            content: TextIndex::new(CONTENT_PREFIX_CHARS),
            people: TextIndex::new(PEOPLE_PREFIX_CHARS),
            tickets: Vec::new(),
            ticket_slots: FxHashMap::default(),
            customers: Vec::new(),
            customer_slots: FxHashMap::default(),
            indexed: 0,
            analyzer: Analyzer::default(),
            scratch: RefCell::new(Scratch::default()),
        }
    }
}

impl SearchIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// An index of every loaded ticket and every customer of `workspace`.
    pub fn from_workspace(workspace: &Workspace) -> Self {
        let mut index = SearchIndex::new();
        for (id, entry) in workspace.customers() {
            index.index_customer(id, &entry.profile);
        }
        for summary in workspace.tickets() {
            match workspace.ticket(summary.id) {
                Some(ticket) => {
                    index.index_ticket(ticket, workspace.ops_of(crate::op::DocKey::Ticket(summary.id)).len())
                }
                None => index.observe_summary(summary),
            }
        }
        index.finish_bulk();
        index
    }

    /// How many tickets have their text in the index.
    pub fn indexed_tickets(&self) -> usize {
        self.indexed
    }

    /// Bytes the index holds on the heap (approximate), for benchmarks.
    pub fn heap_bytes(&self) -> usize {
        self.content.heap_bytes()
            + self.people.heap_bytes()
            + self.tickets.capacity() * size_of::<TicketSlot>()
            + self.customers.iter().map(|c| size_of::<CustomerSlot>() + c.tickets.capacity() * 4).sum::<usize>()
            + (self.ticket_slots.capacity() + self.customer_slots.capacity()) * 24
    }

    /// Records a ticket's summary: what ranking and the requester link need. Its text is indexed
    /// by [`SearchIndex::index_ticket`].
    pub fn observe_summary(&mut self, summary: &TicketSummary) {
        let requester = self.customer_slot(summary.requester);
        let slot = match self.ticket_slots.get(&summary.id) {
            Some(slot) => *slot,
            None => {
                let slot = self.tickets.len() as u32;
                self.tickets.push(TicketSlot {
                    id: summary.id,
                    doc: None,
                    version: 0,
                    text_hash: 0,
                    requester,
                    number: summary.number,
                    updated_at: summary.updated_at,
                    merged: false,
                });
                self.ticket_slots.insert(summary.id, slot);
                self.customers[requester as usize].tickets.push(slot);
                slot
            }
        };
        let ticket = &mut self.tickets[slot as usize];
        ticket.number = summary.number;
        ticket.updated_at = summary.updated_at;
        ticket.merged = summary.merged_into.is_some();
        if ticket.requester != requester {
            let before = std::mem::replace(&mut ticket.requester, requester);
            self.customers[before as usize].tickets.retain(|s| *s != slot);
            self.customers[requester as usize].tickets.push(slot);
        }
    }

    /// Indexes a ticket's text as of `version` (the number of ops it was folded from). An older
    /// version than the one indexed is ignored; unchanged text is not indexed again.
    pub fn index_ticket(&mut self, ticket: &Ticket, version: usize) {
        let version = u32::try_from(version).unwrap_or(u32::MAX);
        if self.ticket_slots.get(&ticket.id).is_some_and(|slot| self.tickets[*slot as usize].version > version) {
            return;
        }
        self.observe_summary(&ticket.summary);
        let slot = self.ticket_slots[&ticket.id];
        let mut parts: Vec<(usize, &str)> = Vec::with_capacity(2 + ticket.tags.len() + ticket.messages.len());
        parts.push((TITLE, &ticket.subject));
        parts.extend(ticket.tags.iter().map(|tag| (TITLE, tag.as_str())));
        parts.push((BODY, &ticket.description));
        parts.extend(ticket.messages.iter().map(|message| (BODY, message.body.as_str())));
        let hash = hash_parts(&parts);
        let entry = &mut self.tickets[slot as usize];
        entry.version = version;
        if entry.doc.is_some() && entry.text_hash == hash {
            return;
        }
        if let Some(old) = entry.doc.take() {
            self.content.remove(old);
        } else {
            self.indexed += 1;
        }
        let doc = self.content.add(slot, ticket.number, &mut self.analyzer, &parts);
        let entry = &mut self.tickets[slot as usize];
        entry.doc = Some(doc);
        entry.text_hash = hash;
    }

    /// Indexes (or re-indexes) a customer's name, organisation and addresses.
    pub fn index_customer(&mut self, id: CustomerId, profile: &CustomerProfile) {
        let slot = self.customer_slot(id);
        let mut parts: Vec<(usize, &str)> = vec![(TITLE, &profile.name), (TITLE, &profile.organisation)];
        parts.extend(profile.emails.iter().map(|email| (TITLE, email.as_str())));
        let hash = hash_parts(&parts);
        let entry = &mut self.customers[slot as usize];
        if entry.doc.is_some() && entry.text_hash == hash {
            return;
        }
        if let Some(old) = entry.doc.take() {
            self.people.remove(old);
        }
        let doc = self.people.add(slot, 0, &mut self.analyzer, &parts);
        let entry = &mut self.customers[slot as usize];
        entry.doc = Some(doc);
        entry.text_hash = hash;
    }

    /// Tidies up after many updates: sorts new terms into the dictionary and, when many
    /// documents have been replaced, drops the old versions.
    pub fn maintain(&mut self) {
        self.content.tidy(false);
        self.people.tidy(false);
        if self.content.wants_compaction() || self.people.wants_compaction() {
            self.compact();
        }
    }

    /// Drops the replaced versions of documents now (normally [`SearchIndex::maintain`] decides).
    pub fn compact(&mut self) {
        let remap = self.content.compact();
        for ticket in &mut self.tickets {
            ticket.doc = ticket.doc.and_then(|doc| remap[doc as usize]);
        }
        let remap = self.people.compact();
        for customer in &mut self.customers {
            customer.doc = customer.doc.and_then(|doc| remap[doc as usize]);
        }
    }

    /// Finishes a bulk build: dictionary sorted, spare capacity returned, top lists of common
    /// terms built.
    pub fn finish_bulk(&mut self) {
        let mut step = self.start_finish_bulk();
        while let Some(next) = step {
            step = self.finish_bulk_step(next);
        }
    }

    /// [`SearchIndex::finish_bulk`] in parts: this first part, then
    /// [`SearchIndex::finish_bulk_step`] with what it returns until that returns `None`. Each step
    /// is a few milliseconds of work (some postings shrunk, a slice of the dictionary's sort, one
    /// top list), so a page can answer its user between steps. Searching in between is fine
    /// (prefixes are found in the unsorted terms, a missing top list is built when a query
    /// needs it).
    pub fn start_finish_bulk(&mut self) -> Option<BulkStep> {
        if self.content.wants_compaction() || self.people.wants_compaction() {
            self.compact();
        }
        Some(BulkStep::People(IndexStep::Shrink(0)))
    }

    /// One step of finishing a bulk build (see [`SearchIndex::start_finish_bulk`]): the people
    /// index (names, organisations, addresses), then the conversations' with their top lists.
    pub fn finish_bulk_step(&mut self, step: BulkStep) -> Option<BulkStep> {
        match step {
            BulkStep::People(step) => Some(match self.people.finish_bulk_step(step, false) {
                Some(next) => BulkStep::People(next),
                None => BulkStep::Content(IndexStep::Shrink(0)),
            }),
            BulkStep::Content(step) => self.content.finish_bulk_step(step, true).map(BulkStep::Content),
        }
    }

    fn customer_slot(&mut self, id: CustomerId) -> u32 {
        if let Some(slot) = self.customer_slots.get(&id) {
            return *slot;
        }
        let slot = self.customers.len() as u32;
        self.customers.push(CustomerSlot { doc: None, text_hash: 0, tickets: Vec::new() });
        self.customer_slots.insert(id, slot);
        slot
    }

    /// Runs `plan`: the first `limit` matching tickets in the plan's order (`None`: all of them).
    /// `total` is the number of matches when it came for free; [`SearchIndex::count`] always
    /// knows it. Tickets whose text is not indexed yet match queries without words only.
    pub fn search(&self, plan: &Plan, workspace: &Workspace, limit: Option<usize>) -> SearchResults {
        if let Some(limit) = limit
            && let Some(hits) = self.search_top(plan, workspace, limit)
        {
            return SearchResults { total: None, hits };
        }
        let found = self.matches(plan, workspace);
        let total = found.len();
        // Ordering by plain integer keys keeps one compiled sort for every order (the shipped app
        // pays for each distinct comparator).
        let mut keys: Vec<(u64, u64, u64, u128, u32)> =
            found.iter().enumerate().map(|(index, candidate)| order_key(plan.sort, candidate, index as u32)).collect();
        if let Some(limit) = limit.filter(|limit| *limit < keys.len()) {
            if limit == 0 {
                keys.clear();
            } else {
                keys.select_nth_unstable(limit - 1);
                keys.truncate(limit);
            }
        }
        keys.sort_unstable();
        let hits = keys
            .into_iter()
            .map(|key| {
                let candidate = &found[key.4 as usize];
                Hit { ticket: candidate.id, score: candidate.score }
            })
            .collect();
        SearchResults { total: Some(total), hits }
    }

    /// How many tickets `plan` matches.
    pub fn count(&self, plan: &Plan, workspace: &Workspace) -> usize {
        self.matches(plan, workspace).len()
    }

    /// Every ticket the plan matches, unordered.
    fn matches<'w>(&self, plan: &Plan, workspace: &'w Workspace) -> Vec<Candidate<'w>> {
        self.matches_with(plan, workspace, true)
    }

    /// [`SearchIndex::matches`]; `conjunctive` chooses how several words are combined (both ways
    /// give the same numbers; a test checks they do).
    fn matches_with<'w>(&self, plan: &Plan, workspace: &'w Workspace, conjunctive: bool) -> Vec<Candidate<'w>> {
        let mut scratch = self.scratch.borrow_mut();
        let scratch = &mut *scratch;
        scratch.begin_query(self.tickets.len());
        let positive: Vec<&TextClause> = plan.texts.iter().filter(|c| !c.negated).collect();
        let all_bits = if positive.is_empty() { 0 } else { u64::MAX >> (64 - positive.len()) };
        if conjunctive && positive.len() >= 2 {
            self.score_conjunction(&positive, scratch, all_bits);
        } else {
            for (bit, clause) in positive.iter().enumerate() {
                self.score_clause(clause, scratch, 1 << bit);
            }
        }
        for clause in plan.texts.iter().filter(|c| c.negated) {
            self.score_clause(clause, scratch, EXCLUDED);
        }
        // requester: filters select customers through the customer index.
        let mut requesters: Vec<(Vec<bool>, bool)> = Vec::new();
        for (clause, negated) in &plan.requesters {
            let mut matched = vec![false; self.customers.len()];
            self.clause_scores(&self.people, clause, scratch, |slot, _| matched[slot as usize] = true);
            requesters.push((matched, *negated));
        }
        let requester_ok = |slot: Option<&TicketSlot>| {
            requesters.iter().all(|(matched, negated)| {
                let hit = slot.is_some_and(|s| matched.get(s.requester as usize).copied().unwrap_or(false));
                hit != *negated
            })
        };

        let mut found: Vec<Candidate<'w>> = Vec::new();
        let needs_summary = !plan.conditions.is_empty() || needs_summary_to_sort(plan.sort);
        if positive.is_empty() {
            for summary in workspace.tickets() {
                let slot = self.ticket_slots.get(&summary.id).copied();
                let excluded = slot.is_some_and(|s| scratch.is_excluded(s));
                if !excluded && plan.passes(summary) && requester_ok(slot.map(|s| &self.tickets[s as usize])) {
                    found.push(Candidate {
                        id: summary.id,
                        score: 0.0,
                        summary: Some(summary),
                        updated_at: summary.updated_at,
                        number: summary.number,
                    });
                }
            }
            return found;
        }
        for &slot in &scratch.slots {
            let index = slot as usize;
            if scratch.mask[index] != all_bits {
                continue;
            }
            let ticket = &self.tickets[index];
            if !requester_ok(Some(ticket)) {
                continue;
            }
            let summary = if needs_summary {
                match workspace.summary(ticket.id) {
                    Some(summary) if plan.passes(summary) => Some(summary),
                    _ => continue,
                }
            } else if ticket.merged && !plan.include_merged {
                continue;
            } else {
                None
            };
            found.push(Candidate {
                id: ticket.id,
                score: scratch.score[index],
                summary,
                updated_at: ticket.updated_at,
                number: ticket.number,
            });
        }
        found
    }

    /// The first `limit` results of a query of words and phrases ranked by relevance, found
    /// with the threshold algorithm (Fagin) over the top lists instead of scoring every match:
    /// each clause proposes documents best first; each proposal is scored exactly on every
    /// clause; the search stops once the results' worst beats the best any unseen document could
    /// still reach (the sum of the clauses' next proposals). `None` when the query is not of that
    /// shape or the lists run out before proving the answer; the caller then scores every match.
    fn search_top(&self, plan: &Plan, workspace: &Workspace, limit: usize) -> Option<Vec<Hit>> {
        let relevance = plan.sort.key == SortBy::Relevance && plan.sort.descending;
        if !relevance || !plan.requesters.is_empty() || limit == 0 || limit > index::TOP_SERVES || !plan.has_text() {
            return None;
        }
        // Each clause's customer side: the customers it matches, with what it adds to their
        // tickets (the full path adds the same numbers in the same order).
        let people: Vec<FxHashMap<u32, f32>> = {
            let mut scratch = self.scratch.borrow_mut();
            plan.texts
                .iter()
                .map(|clause| {
                    let mut matched = FxHashMap::default();
                    self.clause_scores(&self.people, clause, &mut scratch, |customer, score| {
                        matched.insert(customer, score * CUSTOMER_WEIGHT);
                    });
                    matched
                })
                .collect()
        };
        let n = self.content.live_docs();
        let expanded: Vec<Vec<Vec<(u32, f32)>>> = plan
            .texts
            .iter()
            .map(|clause| clause.tokens.iter().map(|token| expand(&self.content, token)).collect())
            .collect();
        // One borrow of the top lists for the whole search (built first where missing).
        let all_terms: Vec<u32> = expanded.iter().flatten().flatten().map(|(term, _)| *term).collect();
        let tops = self.content.top_lists(&all_terms);
        let mut clauses: Vec<Proposals<'_>> = Vec::new();
        let mut negated: Vec<(Vec<u32>, &Expanded, &FxHashMap<u32, f32>)> = Vec::new();
        for ((clause, terms), people) in plan.texts.iter().zip(&expanded).zip(&people) {
            let offsets: Vec<u32> = clause.tokens.iter().map(|token| token.offset).collect();
            if clause.negated {
                negated.push((offsets, terms, people));
                continue;
            }
            clauses.push(Proposals::new(self, &tops, clause, terms, people, n));
        }
        // Documents already scored are marked in the scratch's per-document epochs.
        let mut scratch = self.scratch.borrow_mut();
        scratch.begin_clause(self.content.doc_count());
        // Results best first: (score, order, doc).
        let mut best: Vec<(f32, u64, u32)> = Vec::with_capacity(limit + 1);
        let mut budget = PROPOSAL_BUDGET;
        loop {
            let mut proposed = false;
            for i in 0..clauses.len() {
                let Some(doc) = clauses[i].next(&self.content) else { continue };
                proposed = true;
                budget -= 1;
                if budget == 0 {
                    // Words that seldom meet (a Japanese word and an English letter): scoring
                    // everything is faster than proving it from the lists.
                    return None;
                }
                if !scratch.mark(doc) {
                    continue;
                }
                // Added part by part in the full path's order (content, then customer, clause by
                // clause), so the sums are the same to the last bit.
                let Some(score) = clauses.iter().try_fold(0.0f32, |sum, clause| {
                    let (content, customer) = clause.score(self, doc)?;
                    let sum = content.map_or(sum, |c| sum + c);
                    Some(customer.map_or(sum, |c| sum + c))
                }) else {
                    continue;
                };
                let requester = self.tickets[self.content.doc(doc).owner as usize].requester;
                if negated.iter().any(|(offsets, terms, people)| {
                    people.contains_key(&requester)
                        || self.phrase_at_offsets(&self.content, offsets, terms, doc).iter().any(|f| *f > 0)
                }) {
                    continue;
                }
                let info = self.content.doc(doc);
                let ticket = &self.tickets[info.owner as usize];
                let passes = if plan.conditions.is_empty() {
                    !ticket.merged || plan.include_merged
                } else {
                    workspace.summary(ticket.id).is_some_and(|summary| plan.passes(summary))
                };
                if passes {
                    let entry = (score, info.order, doc);
                    let better =
                        |a: &(f32, u64, u32), b: &(f32, u64, u32)| a.0 > b.0 || a.0 == b.0 && (a.1, a.2) > (b.1, b.2);
                    let at = best.partition_point(|kept| better(kept, &entry));
                    best.insert(at, entry);
                    best.truncate(limit);
                }
            }
            // The best an unseen document could score: every clause at its next proposal. A
            // clause that has shown all its documents bounds everything unseen at nothing.
            let threshold = clauses.iter().map(Proposals::frontier).try_fold(0.0f32, |sum, f| f.map(|f| sum + f));
            let Some(threshold) = threshold else { break };
            let proven = best.len() == limit
                && best.last().is_some_and(|worst| match clauses.as_slice() {
                    // One exact source: unseen documents come after its head in list order, so
                    // a tie in score is settled by order too.
                    [only] => match only.exact_head(&self.content) {
                        Some(head_order) => (worst.0, worst.1) > (threshold, head_order),
                        None => worst.0 > threshold,
                    },
                    _ => worst.0 > threshold,
                });
            if proven {
                break;
            }
            if !proposed {
                // Every list ran out without proving the answer.
                return None;
            }
        }
        Some(
            best.into_iter()
                .map(|(score, _, doc)| Hit { ticket: self.tickets[self.content.doc(doc).owner as usize].id, score })
                .collect(),
        )
    }

    /// How often a clause's terms occur in one document at their offsets, per field. `expanded`
    /// holds each token's index terms and, as the weight's place, nothing that matters here;
    /// offsets come from the clause.
    fn phrase_at_offsets(
        &self,
        index: &TextIndex,
        offsets: &[u32],
        expanded: &[Vec<(u32, f32)>],
        doc: u32,
    ) -> [u32; FIELDS] {
        let mut positions: Vec<Vec<u32>> = Vec::with_capacity(expanded.len());
        for terms in expanded {
            let mut list = Vec::new();
            for (term, _) in terms {
                let mut cursor = index.cursor(*term);
                if cursor.seek(doc) && cursor.doc == doc {
                    list.extend(cursor.positions());
                }
            }
            if list.is_empty() {
                return [0; FIELDS];
            }
            list.sort_unstable();
            positions.push(list);
        }
        let title_end = index.doc(doc).title_end;
        let mut tf = [0u32; FIELDS];
        for &start in &positions[0] {
            let matched = offsets
                .iter()
                .zip(&positions)
                .skip(1)
                .all(|(offset, list)| list.binary_search(&(start + offset)).is_ok());
            if matched {
                tf[usize::from(start >= title_end)] += 1;
            }
        }
        tf
    }

    /// Scores tickets that match every one of several words and phrases: the clauses' document
    /// sets are intersected first (each clause's terms skip along their postings to the next
    /// document they all share, or to a ticket of a customer the clause matches), and only the
    /// shared documents are scored, from the cursors already on them. Adds each ticket's parts in
    /// the order [`SearchIndex::score_clause`] would (clause by clause, text then customer), so
    /// the numbers are the same to the last bit; marks every match with `all_bits`.
    fn score_conjunction(&self, clauses: &[&TextClause], scratch: &mut Scratch, all_bits: u64) {
        let index = &self.content;
        let n = index.live_docs();
        let mut sets: Vec<ClauseSet<'_>> = Vec::with_capacity(clauses.len());
        for clause in clauses {
            let mut people = FxHashMap::default();
            self.clause_scores(&self.people, clause, scratch, |customer, score| {
                people.insert(customer, score * CUSTOMER_WEIGHT);
            });
            let mut people_docs: Vec<u32> = people
                .keys()
                .flat_map(|customer| self.customers[*customer as usize].tickets.iter())
                .filter_map(|slot| self.tickets[*slot as usize].doc)
                .collect();
            people_docs.sort_unstable();
            let expanded: Vec<Vec<(u32, f32)>> = clause.tokens.iter().map(|token| expand(index, token)).collect();
            let rarest = expanded
                .iter()
                .map(|terms| terms.iter().map(|(term, _)| u64::from(index.live_df(*term))).sum::<u64>())
                .min()
                .unwrap_or(0);
            let factors: Vec<f32> = match expanded.as_slice() {
                [terms] => terms.iter().map(|(term, weight)| weight * index::idf(index.live_df(*term), n)).collect(),
                _ => Vec::new(),
            };
            let tokens: Vec<TokenCursor<'_>> = if rarest == 0 {
                Vec::new()
            } else {
                expanded
                    .iter()
                    .map(|terms| TokenCursor::new(terms.iter().map(|(term, _)| index.cursor(*term)).collect()))
                    .collect()
            };
            sets.push(ClauseSet {
                tokens,
                factors,
                offsets: clause.tokens.iter().map(|token| token.offset).collect(),
                idf: index::idf(rarest.min(u64::from(n)) as u32, n),
                people,
                people_docs,
                people_at: 0,
            });
        }
        let mut positions: Vec<Vec<u32>> = Vec::new();
        let mut parts: Vec<(Option<f32>, Option<f32>)> = Vec::with_capacity(sets.len());
        let mut target = 0u32;
        'documents: loop {
            for set in &mut sets {
                let doc = set.seek(target);
                if doc == u32::MAX {
                    break 'documents;
                }
                if doc > target {
                    target = doc;
                    continue 'documents;
                }
            }
            let info = index.doc(target);
            if info.live {
                let requester = self.tickets[info.owner as usize].requester;
                parts.clear();
                for set in &mut sets {
                    let content = set.content_score(target, info, &mut positions);
                    let customer = set.people.get(&requester).copied();
                    if content.is_none() && customer.is_none() {
                        break;
                    }
                    parts.push((content, customer));
                }
                if parts.len() == sets.len() {
                    for &(content, customer) in &parts {
                        if let Some(score) = content {
                            scratch.add(info.owner, score, all_bits);
                        }
                        if let Some(score) = customer {
                            scratch.add(info.owner, score, all_bits);
                        }
                    }
                }
            }
            target += 1;
        }
    }

    /// Scores one word or phrase against ticket text and customers, adding to each matching
    /// ticket's score and marking it with `bit`.
    fn score_clause(&self, clause: &TextClause, scratch: &mut Scratch, bit: u64) {
        let mut hits: Vec<(u32, f32)> = std::mem::take(&mut scratch.hits);
        hits.clear();
        self.clause_scores(&self.content, clause, scratch, |slot, score| hits.push((slot, score)));
        for &(slot, score) in &hits {
            scratch.add(slot, score, bit);
        }
        hits.clear();
        self.clause_scores(&self.people, clause, scratch, |slot, score| hits.push((slot, score)));
        for &(customer, score) in &hits {
            for &ticket in &self.customers[customer as usize].tickets {
                scratch.add(ticket, score * CUSTOMER_WEIGHT, bit);
            }
        }
        scratch.hits = hits;
    }

    /// Calls `found(owner, score)` once for every live document of `index` the clause matches.
    /// A word scores as its best completion: weight × idf × impact of the best-matching term.
    fn clause_scores(
        &self,
        index: &TextIndex,
        clause: &TextClause,
        scratch: &mut Scratch,
        mut found: impl FnMut(u32, f32),
    ) {
        let n = index.live_docs();
        if let [token] = clause.tokens.as_slice() {
            scratch.begin_clause(index.doc_count());
            for (term, weight) in expand(index, token) {
                let df = index.live_df(term);
                if df == 0 {
                    continue;
                }
                let factor = weight * index::idf(df, n);
                let mut cursor = index.cursor(term);
                while cursor.advance() {
                    let info = index.doc(cursor.doc);
                    if info.live {
                        scratch.keep_best(cursor.doc, factor * index::impact(cursor.tf, info.weights));
                    }
                }
            }
            for &doc in &scratch.docs {
                found(index.doc(doc).owner, scratch.doc_score[doc as usize]);
            }
            return;
        }
        let (matches, rarest) = self.match_phrase(index, clause);
        if matches.is_empty() {
            return;
        }
        // A phrase is as rare as its rarest term (an upper bound of its own count, known
        // without finding every occurrence, so one-phrase queries can stop early).
        let idf = index::idf(rarest.min(u64::from(n)) as u32, n);
        for (doc, tf) in matches {
            let info = index.doc(doc);
            found(info.owner, idf * index::impact(tf, info.weights));
        }
    }

    /// The live documents where the clause's terms occur at their relative positions, with how
    /// often per field. The rarest term drives; the others seek to its documents.
    fn match_phrase(&self, index: &TextIndex, clause: &TextClause) -> (Vec<(u32, [u32; FIELDS])>, u64) {
        let mut tokens: Vec<TokenCursor<'_>> = clause
            .tokens
            .iter()
            .map(|token| {
                let terms = expand(index, token);
                let df: u64 = terms.iter().map(|(term, _)| u64::from(index.live_df(*term))).sum();
                (df, TokenCursor::new(terms.into_iter().map(|(term, _)| index.cursor(term)).collect()))
            })
            .map(|(df, cursor)| TokenCursor { df, ..cursor })
            .collect();
        let mut found = Vec::new();
        let rarest = tokens.iter().map(|t| t.df).min().unwrap_or(0);
        if rarest == 0 {
            return (found, 0);
        }
        let mut order: Vec<usize> = (0..tokens.len()).collect();
        crate::sorting::sort_by_key(&mut order, |&i| tokens[i].df);
        let mut positions: Vec<Vec<u32>> = vec![Vec::new(); tokens.len()];
        let mut target = 0u32;
        'documents: loop {
            for &i in &order {
                let token = &mut tokens[i];
                token.seek(target);
                let doc = token.doc();
                if doc == u32::MAX {
                    break 'documents;
                }
                if doc > target {
                    target = doc;
                    continue 'documents;
                }
            }
            let info = index.doc(target);
            if info.live {
                for (token, out) in tokens.iter_mut().zip(&mut positions) {
                    token.positions(target, out);
                }
                let mut tf = [0u32; FIELDS];
                for &start in &positions[0] {
                    let matched = clause
                        .tokens
                        .iter()
                        .zip(&positions)
                        .skip(1)
                        .all(|(token, list)| list.binary_search(&(start + token.offset)).is_ok());
                    if matched {
                        tf[usize::from(start >= info.title_end)] += 1;
                    }
                }
                if tf.iter().any(|f| *f > 0) {
                    found.push((target, tf));
                }
            }
            target += 1;
        }
        (found, rarest)
    }
}

/// One clause's side of [`SearchIndex::search_top`]: its documents best first (as proposals
/// whose score is at least what the document will score), and its exact score for any document.
struct Proposals<'t> {
    offsets: Vec<u32>,
    /// Per token: its index terms, each with weight × idf (words) or its weight (phrases).
    terms: Vec<Vec<(u32, f32)>>,
    phrase: bool,
    /// For phrases: the idf of the rarest term.
    idf: f32,
    /// Where proposals come from: entries best first, a factor that turns an entry's impact into
    /// the proposal's score, and whether the entries are all of that term's documents.
    sources: Vec<(std::borrow::Cow<'t, [index::TopEntry]>, f32, bool)>,
    heads: Vec<usize>,
    /// The best score a document never proposed could have, once an incomplete source ran out.
    exhausted_bound: Option<f32>,
    /// The last proposal when its score is exact (a word with a single term).
    exact_last: Option<(u32, f32)>,
    /// The clause's customer side: matched customer slot → what it adds to each of their tickets,
    /// and those tickets' documents best first (every one of them: the list is complete).
    people: &'t FxHashMap<u32, f32>,
    people_entries: Vec<index::TopEntry>,
    people_head: usize,
}

impl<'t> Proposals<'t> {
    fn new(
        search: &SearchIndex,
        tops: &'t FxHashMap<u32, index::TopList>,
        clause: &TextClause,
        expanded: &[Vec<(u32, f32)>],
        people: &'t FxHashMap<u32, f32>,
        n: u32,
    ) -> Proposals<'t> {
        use std::borrow::Cow;
        let index = &search.content;
        let mut people_entries: Vec<index::TopEntry> = people
            .iter()
            .flat_map(|(customer, score)| {
                search.customers[*customer as usize]
                    .tickets
                    .iter()
                    .filter_map(|slot| search.tickets[*slot as usize].doc)
                    .map(|doc| index::TopEntry { impact: *score, doc })
            })
            .collect();
        index.sort_best_first(&mut people_entries);
        let offsets: Vec<u32> = clause.tokens.iter().map(|token| token.offset).collect();
        let source = |term: u32, factor: f32| match tops.get(&term) {
            Some(top) => (Cow::Borrowed(top.entries.as_slice()), factor, top.complete),
            None => (Cow::Owned(index.ranked_entries(term)), factor, true),
        };
        if let [terms] = expanded {
            let terms: Vec<(u32, f32)> = terms
                .iter()
                .filter(|(term, _)| index.live_df(*term) > 0)
                .map(|(term, weight)| (*term, weight * index::idf(index.live_df(*term), n)))
                .collect();
            let sources: Vec<_> = terms.iter().map(|(term, factor)| source(*term, *factor)).collect();
            let heads = vec![0; sources.len()];
            return Proposals {
                offsets,
                terms: vec![terms],
                phrase: false,
                idf: 0.0,
                sources,
                heads,
                exhausted_bound: None,
                exact_last: None,
                people,
                people_entries,
                people_head: 0,
            };
        }
        let dfs: Vec<u64> =
            expanded.iter().map(|terms| terms.iter().map(|(t, _)| u64::from(index.live_df(*t))).sum()).collect();
        let rarest = dfs.iter().copied().min().unwrap_or(0);
        let idf = index::idf(rarest.min(u64::from(n)) as u32, n);
        let driver = expanded
            .iter()
            .enumerate()
            .filter_map(|(i, terms)| match terms.as_slice() {
                [(term, _)] if tops.contains_key(term) => Some((i, *term)),
                _ => None,
            })
            .min_by_key(|(i, _)| dfs[*i])
            .map(|(_, term)| term);
        let sources = if rarest == 0 {
            Vec::new()
        } else if let Some(driver) = driver {
            vec![source(driver, idf)]
        } else {
            // No common term to drive: the phrase is rare, so find all of it.
            let (matches, _) = search.match_phrase(index, clause);
            let mut entries: Vec<index::TopEntry> = matches
                .into_iter()
                .map(|(doc, tf)| index::TopEntry { impact: index::impact(tf, index.doc(doc).weights), doc })
                .collect();
            index.sort_best_first(&mut entries);
            vec![(Cow::Owned(entries), idf, true)]
        };
        let heads = vec![0; sources.len()];
        Proposals {
            offsets,
            terms: expanded.to_vec(),
            phrase: true,
            idf,
            sources,
            heads,
            exhausted_bound: None,
            exact_last: None,
            people,
            people_entries,
            people_head: 0,
        }
    }

    /// The next document, best proposal first (from the content lists or the customer side).
    fn next(&mut self, index: &TextIndex) -> Option<u32> {
        let mut best: Option<(usize, f32)> = None;
        let head_of = |this: &Self, i: usize| -> Option<(index::TopEntry, f32)> {
            if i == this.sources.len() {
                return this.people_entries.get(this.people_head).map(|entry| (*entry, entry.impact));
            }
            let (entries, factor, _) = &this.sources[i];
            entries.get(this.heads[i]).map(|entry| (*entry, factor * entry.impact))
        };
        for i in 0..=self.sources.len() {
            let Some((entry, score)) = head_of(self, i) else { continue };
            let better = match best {
                None => true,
                Some((j, best_score)) => {
                    let (other, _) = head_of(self, j).expect("the best so far has a head");
                    score > best_score || score == best_score && index.best_first(&entry, &other).is_lt()
                }
            };
            if better {
                best = Some((i, score));
            }
        }
        let (i, score) = best?;
        if i == self.sources.len() {
            let doc = self.people_entries[self.people_head].doc;
            self.people_head += 1;
            self.exact_last = None;
            return Some(doc);
        }
        let doc = self.sources[i].0[self.heads[i]].doc;
        self.heads[i] += 1;
        if self.heads[i] == self.sources[i].0.len() && !self.sources[i].2 {
            self.exhausted_bound = Some(self.exhausted_bound.map_or(score, |bound| bound.max(score)));
        }
        let exact = !self.phrase && self.sources.len() == 1 && self.people.is_empty();
        self.exact_last = exact.then_some((doc, score));
        Some(doc)
    }

    /// The order of the next proposal when proposals come from one list (a word with a single
    /// term, or a phrase driven by one term): every unseen document then sorts after the head by
    /// (bound, order), and scores at most its bound, so a tie in score is settled by order too.
    fn exact_head(&self, index: &TextIndex) -> Option<u64> {
        match self.sources.as_slice() {
            [(entries, _, _)] if self.people.is_empty() => {
                entries.get(self.heads[0]).map(|entry| index.doc(entry.doc).order)
            }
            _ => None,
        }
    }

    /// The most a document not yet proposed could score; `None` when every document matching
    /// the clause has been proposed. An unproposed document can have both a content part (at
    /// most the best content proposal left) and a customer part (at most the best customer one).
    fn frontier(&self) -> Option<f32> {
        let next = self
            .sources
            .iter()
            .zip(&self.heads)
            .filter_map(|((entries, factor, _), head)| entries.get(*head).map(|entry| factor * entry.impact))
            .fold(None, |best: Option<f32>, score| Some(best.map_or(score, |b| b.max(score))));
        let content = match (next, self.exhausted_bound) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let customer = self.people_entries.get(self.people_head).map(|entry| entry.impact);
        match (content, customer) {
            (None, None) => None,
            (content, customer) => Some(content.unwrap_or(0.0) + customer.unwrap_or(0.0)),
        }
    }

    /// The clause's exact score for `doc` as its content part and its customer part, `None` if
    /// neither matches: the same numbers the full path adds.
    fn score(&self, search: &SearchIndex, doc: u32) -> Option<(Option<f32>, Option<f32>)> {
        let index = &search.content;
        let info = index.doc(doc);
        let customer = self.people.get(&search.tickets[info.owner as usize].requester).copied();
        let content = match self.exact_last {
            Some((last, score)) if last == doc => Some(score),
            _ if self.phrase => {
                let tf = search.phrase_at_offsets(index, &self.offsets, &self.terms, doc);
                tf.iter().any(|f| *f > 0).then(|| self.idf * index::impact(tf, info.weights))
            }
            _ => {
                let mut best: Option<f32> = None;
                for (term, factor) in &self.terms[0] {
                    let mut cursor = index.cursor(*term);
                    if cursor.seek(doc) && cursor.doc == doc {
                        let score = factor * index::impact(cursor.tf, info.weights);
                        best = Some(best.map_or(score, |b| b.max(score)));
                    }
                }
                best
            }
        };
        (content.is_some() || customer.is_some()).then_some((content, customer))
    }
}

/// Each token's index terms with their weights (see [`expand`]).
type Expanded = Vec<Vec<(u32, f32)>>;

/// The index terms a query term stands for, each with its weight, in text order.
fn expand(index: &TextIndex, token: &QueryTerm) -> Vec<(u32, f32)> {
    let short = token.matching == Matching::WordPrefix && token.text.chars().count() < index.min_prefix_chars();
    match token.matching {
        Matching::Exact => index.term(&token.text).map(|term| (term, 1.0)).into_iter().collect(),
        Matching::WordPrefix if short => index.term(&token.text).map(|term| (term, 1.0)).into_iter().collect(),
        Matching::Character => index.terms_with_prefix(&token.text).into_iter().map(|term| (term, 1.0)).collect(),
        Matching::WordPrefix => index
            .terms_with_prefix(&token.text)
            .into_iter()
            .map(|term| (term, if index.term_text(term) == token.text { 1.0 } else { PREFIX_WEIGHT }))
            .collect(),
    }
}

fn hash_parts(parts: &[(usize, &str)]) -> u64 {
    let mut hasher = FxHasher::default();
    for (field, text) in parts {
        field.hash(&mut hasher);
        text.hash(&mut hasher);
    }
    hasher.finish()
}

/// The cursors of every index term one query term stands for, read as one.
struct TokenCursor<'a> {
    cursors: Vec<Cursor<'a>>,
    /// Live documents over all its terms (an upper bound of its own document count).
    df: u64,
}

impl<'a> TokenCursor<'a> {
    fn new(mut cursors: Vec<Cursor<'a>>) -> Self {
        for cursor in &mut cursors {
            cursor.advance();
        }
        TokenCursor { cursors, df: 0 }
    }

    fn doc(&self) -> u32 {
        self.cursors.iter().map(|c| c.doc).min().unwrap_or(u32::MAX)
    }

    fn seek(&mut self, target: u32) {
        for cursor in &mut self.cursors {
            if !cursor.is_done() && cursor.doc < target {
                cursor.seek(target);
            }
        }
    }

    fn positions(&mut self, doc: u32, out: &mut Vec<u32>) {
        out.clear();
        for cursor in self.cursors.iter_mut().filter(|c| c.doc == doc) {
            out.extend(cursor.positions());
        }
        if self.cursors.len() > 1 {
            out.sort_unstable();
        }
    }
}

/// One clause of [`SearchIndex::score_conjunction`]: cursors over its terms, the customers it
/// matches, and how to score a document it holds.
struct ClauseSet<'a> {
    tokens: Vec<TokenCursor<'a>>,
    /// For a one-term clause: each of its index terms' weight × idf, in [`expand`] order.
    factors: Vec<f32>,
    offsets: Vec<u32>,
    /// For a phrase: the idf of its rarest term.
    idf: f32,
    people: FxHashMap<u32, f32>,
    /// The documents of the matched customers' tickets, ascending.
    people_docs: Vec<u32>,
    people_at: usize,
}

impl ClauseSet<'_> {
    /// The first document at or after `target` the clause may match: one holding all its terms
    /// (not yet checked for order), or a matched customer's ticket. `u32::MAX` if none.
    fn seek(&mut self, target: u32) -> u32 {
        self.people_at += self.people_docs[self.people_at..].partition_point(|doc| *doc < target);
        let customer = self.people_docs.get(self.people_at).copied().unwrap_or(u32::MAX);
        customer.min(self.content_seek(target))
    }

    fn content_seek(&mut self, mut target: u32) -> u32 {
        if self.tokens.is_empty() {
            return u32::MAX;
        }
        'documents: loop {
            for token in &mut self.tokens {
                token.seek(target);
                let doc = token.doc();
                if doc == u32::MAX {
                    return u32::MAX;
                }
                if doc > target {
                    target = doc;
                    continue 'documents;
                }
            }
            return target;
        }
    }

    /// The clause's text score for `doc` (where the cursors stand), `None` if its text does not
    /// match there: a word's best term, or a phrase found at its offsets.
    fn content_score(&mut self, doc: u32, info: &index::DocInfo, positions: &mut Vec<Vec<u32>>) -> Option<f32> {
        if self.tokens.is_empty() || self.tokens.iter().any(|token| token.doc() != doc) {
            return None;
        }
        if let [token] = self.tokens.as_slice() {
            return token
                .cursors
                .iter()
                .zip(&self.factors)
                .filter(|(cursor, _)| cursor.doc == doc)
                .map(|(cursor, factor)| factor * index::impact(cursor.tf, info.weights))
                .fold(None, |best: Option<f32>, score| Some(best.map_or(score, |b| b.max(score))));
        }
        positions.resize_with(self.tokens.len(), Vec::new);
        for (token, out) in self.tokens.iter_mut().zip(positions.iter_mut()) {
            token.positions(doc, out);
        }
        let mut tf = [0u32; FIELDS];
        for &start in &positions[0] {
            let matched = self
                .offsets
                .iter()
                .zip(positions.iter())
                .skip(1)
                .all(|(offset, list)| list.binary_search(&(start + offset)).is_ok());
            if matched {
                tf[usize::from(start >= info.title_end)] += 1;
            }
        }
        tf.iter().any(|f| *f > 0).then(|| self.idf * index::impact(tf, info.weights))
    }
}

/// Marks a ticket matched by a negated word.
const EXCLUDED: u64 = 1 << 63;

/// Per-query working memory, reused across queries so a keystroke allocates almost nothing.
/// Epoch counters stand in for clearing the arrays.
#[derive(Debug, Default)]
struct Scratch {
    query_epoch: u32,
    slot_epoch: Vec<u32>,
    score: Vec<f32>,
    mask: Vec<u64>,
    slots: Vec<u32>,
    clause_epoch: u32,
    doc_epoch: Vec<u32>,
    doc_score: Vec<f32>,
    docs: Vec<u32>,
    hits: Vec<(u32, f32)>,
}

impl Scratch {
    fn begin_query(&mut self, slots: usize) {
        self.query_epoch = self.query_epoch.wrapping_add(1);
        if self.query_epoch == 0 {
            self.slot_epoch.iter_mut().for_each(|e| *e = u32::MAX);
            self.query_epoch = 1;
        }
        if self.slot_epoch.len() < slots {
            self.slot_epoch.resize(slots, 0);
            self.score.resize(slots, 0.0);
            self.mask.resize(slots, 0);
        }
        self.slots.clear();
    }

    fn begin_clause(&mut self, docs: usize) {
        self.clause_epoch = self.clause_epoch.wrapping_add(1);
        if self.clause_epoch == 0 {
            self.doc_epoch.iter_mut().for_each(|e| *e = u32::MAX);
            self.clause_epoch = 1;
        }
        if self.doc_epoch.len() < docs {
            self.doc_epoch.resize(docs, 0);
            self.doc_score.resize(docs, 0.0);
        }
        self.docs.clear();
    }

    /// Marks a document as seen in the current clause; `false` if it already was.
    #[inline]
    fn mark(&mut self, doc: u32) -> bool {
        let index = doc as usize;
        let fresh = self.doc_epoch[index] != self.clause_epoch;
        self.doc_epoch[index] = self.clause_epoch;
        fresh
    }

    /// Records `score` for a document of the current clause, keeping the best one seen.
    #[inline]
    fn keep_best(&mut self, doc: u32, score: f32) {
        let index = doc as usize;
        if self.doc_epoch[index] != self.clause_epoch {
            self.doc_epoch[index] = self.clause_epoch;
            self.doc_score[index] = score;
            self.docs.push(doc);
        } else if score > self.doc_score[index] {
            self.doc_score[index] = score;
        }
    }

    fn add(&mut self, slot: u32, score: f32, bit: u64) {
        let index = slot as usize;
        if self.slot_epoch[index] != self.query_epoch {
            self.slot_epoch[index] = self.query_epoch;
            self.score[index] = 0.0;
            self.mask[index] = 0;
            self.slots.push(slot);
        }
        if bit != EXCLUDED {
            self.score[index] += score;
        }
        self.mask[index] |= bit;
    }

    fn is_excluded(&self, slot: u32) -> bool {
        let index = slot as usize;
        self.slot_epoch.get(index) == Some(&self.query_epoch) && self.mask[index] & EXCLUDED != 0
    }
}

/// A matching ticket with what ordering needs.
struct Candidate<'a> {
    id: TicketId,
    score: f32,
    summary: Option<&'a TicketSummary>,
    updated_at: u64,
    number: u64,
}

fn needs_summary_to_sort(sort: Sort) -> bool {
    matches!(sort.key, SortBy::Created | SortBy::Priority | SortBy::Due | SortBy::Status)
}

/// A candidate's place in the plan's order as integers, smallest first: the column (direction
/// folded in: `!x` reverses), then ties to the higher number (relevance) or the ticket updated
/// last (other columns), then the higher number, then the id. Total and the same on every run.
fn order_key(sort: Sort, candidate: &Candidate<'_>, index: u32) -> (u64, u64, u64, u128, u32) {
    let directed = |value: u64| if sort.descending { !value } else { value };
    let summary = candidate.summary;
    let primary = match sort.key {
        // Scores are positive, and positive floats order like their bits.
        SortBy::Relevance => directed(u64::from(candidate.score.to_bits())),
        SortBy::Updated => directed(candidate.updated_at),
        SortBy::Number => directed(candidate.number),
        SortBy::Created => directed(summary.map_or(0, |s| s.created_at)),
        SortBy::Priority => directed(summary.map_or(0, |s| s.priority as u64)),
        SortBy::Status => directed(summary.map_or(0, |s| s.status as u64)),
        // Tickets without a due date come last either way.
        SortBy::Due => summary.and_then(|s| s.due_ms).map_or(u64::MAX, directed),
    };
    let (secondary, tertiary) =
        if sort.key == SortBy::Relevance { (!candidate.number, 0) } else { (!candidate.updated_at, !candidate.number) };
    (primary, secondary, tertiary, !candidate.id.to_u128(), index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hlc::ReplicaId;
    use crate::sample::{SampleConfig, sample_ops};
    use crate::time::Zone;

    /// Combining several words by intersecting first gives exactly what scoring each word over
    /// all of its documents and keeping the tickets that match all of them gives.
    #[test]
    fn conjunctions_equal_clause_by_clause_scoring() {
        let config = SampleConfig::new(3_000, 17, 1_767_225_600_000);
        let (directory, ops) = sample_ops(&config, ReplicaId(1));
        let workspace = Workspace::from_ops(ops);
        let index = SearchIndex::from_workspace(&workspace);
        let zone = Zone::named("Asia/Tokyo").unwrap();
        let context = SearchContext { me: Some(directory.admin), now_ms: config.now_ms, zone: &zone };
        for input in [
            "password reset",
            "請求書 再発行",
            "請求書 s",
            "請求書 st",
            "error dashboard mobile",
            "\"reset my password\" chrome",
            "山田 ログイン",
            "customer1 password",
            "pa re",
            "invoice -order tag:vip",
            "ロ グ",
        ] {
            let plan = Plan::new(&query::parse(input).unwrap(), &workspace, &context).unwrap();
            let key = |candidates: Vec<Candidate<'_>>| {
                let mut found: Vec<(TicketId, u32)> = candidates.iter().map(|c| (c.id, c.score.to_bits())).collect();
                found.sort_unstable();
                found
            };
            let together = key(index.matches_with(&plan, &workspace, true));
            let apart = key(index.matches_with(&plan, &workspace, false));
            assert_eq!(together, apart, "{input}");
        }
    }
}
