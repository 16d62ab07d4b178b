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
//! BM25F (k1 = 1.2) over the two fields, the title weighted 3× the body; a customer match counts
//! 2×; a word completed from a prefix counts 0.7× an exact one. Among equal scores the ticket
//! updated most recently comes first, then the higher number.

mod index;
pub(crate) mod plan;
pub mod query;
pub mod text;

use std::cell::RefCell;
use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};

use crate::directory::CustomerProfile;
use crate::id::{CustomerId, TicketId};
use crate::ticket::{Ticket, TicketSummary};
use crate::workspace::Workspace;

use index::{BODY, Cursor, FIELDS, TITLE, TextIndex};
use plan::{Matching, QueryTerm, TextClause};
pub use plan::{Plan, SearchContext};
use query::{Sort, SortBy};
use text::Analyzer;

const K1: f32 = 1.2;
/// Length normalisation per field: titles are short and similar, bodies vary a lot.
const B: [f32; FIELDS] = [0.5, 0.75];
const FIELD_WEIGHT: [f32; FIELDS] = [3.0, 1.0];
const PREFIX_WEIGHT: f32 = 0.7;
const CUSTOMER_WEIGHT: f32 = 2.0;

/// One result: a ticket and how well it matched (0 for queries without words).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub ticket: TicketId,
    pub score: f32,
}

/// What a search found: the total number of matching tickets and the first of them in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchResults {
    pub total: usize,
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

/// The full-text index of one workspace (see the module docs).
#[derive(Debug, Default)]
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
        let doc = self.content.add(slot, &mut self.analyzer, &parts);
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
        let doc = self.people.add(slot, &mut self.analyzer, &parts);
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

    /// Finishes a bulk build: dictionary sorted, spare capacity returned.
    pub fn finish_bulk(&mut self) {
        self.maintain();
        self.content.shrink();
        self.people.shrink();
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

    /// Runs `plan`: the number of matching tickets and the first `limit` of them in the plan's
    /// order (`None`: all of them). Tickets whose text is not indexed yet match queries without
    /// words only.
    pub fn search(&self, plan: &Plan, workspace: &Workspace, limit: Option<usize>) -> SearchResults {
        let mut scratch = self.scratch.borrow_mut();
        let scratch = &mut *scratch;
        scratch.begin_query(self.tickets.len());
        let positive: Vec<&TextClause> = plan.texts.iter().filter(|c| !c.negated).collect();
        let all_bits = if positive.is_empty() { 0 } else { u64::MAX >> (64 - positive.len()) };
        for (bit, clause) in positive.iter().enumerate() {
            self.score_clause(clause, scratch, 1 << bit);
        }
        for clause in plan.texts.iter().filter(|c| c.negated) {
            self.score_clause(clause, scratch, EXCLUDED);
        }
        // requester: filters select customers through the customer index.
        let mut requesters: Vec<(Vec<bool>, bool)> = Vec::new();
        for (clause, negated) in &plan.requesters {
            let mut matched = vec![false; self.customers.len()];
            self.for_each_match(&self.people, clause, scratch, |slot, _| matched[slot as usize] = true);
            requesters.push((matched, *negated));
        }
        let requester_ok = |slot: Option<&TicketSlot>| {
            requesters.iter().all(|(matched, negated)| {
                let hit = slot.is_some_and(|s| matched.get(s.requester as usize).copied().unwrap_or(false));
                hit != *negated
            })
        };

        let mut found: Vec<Candidate<'_>> = Vec::new();
        let needs_summary = !plan.conditions.is_empty() || needs_summary_to_sort(plan.sort);
        if positive.is_empty() {
            for summary in workspace.tickets() {
                let slot = self.ticket_slots.get(&summary.id).map(|s| &self.tickets[*s as usize]);
                let excluded = self.ticket_slots.get(&summary.id).is_some_and(|s| scratch.is_excluded(*s));
                if !excluded && plan.passes(summary) && requester_ok(slot) {
                    found.push(Candidate::new(summary.id, 0.0, Some(summary), summary.updated_at, summary.number));
                }
            }
        } else {
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
                found.push(Candidate::new(ticket.id, scratch.score[index], summary, ticket.updated_at, ticket.number));
            }
        }
        let total = found.len();
        let order = |a: &Candidate<'_>, b: &Candidate<'_>| compare(plan.sort, a, b);
        if let Some(limit) = limit.filter(|limit| *limit < found.len()) {
            if limit == 0 {
                found.clear();
            } else {
                found.select_nth_unstable_by(limit - 1, order);
                found.truncate(limit);
            }
        }
        found.sort_unstable_by(order);
        SearchResults { total, hits: found.into_iter().map(|c| Hit { ticket: c.id, score: c.score }).collect() }
    }

    /// Scores one word or phrase against ticket text and customers, adding to each matching
    /// ticket's score and marking it with `bit`.
    fn score_clause(&self, clause: &TextClause, scratch: &mut Scratch, bit: u64) {
        let mut hits: Vec<(u32, f32)> = std::mem::take(&mut scratch.hits);
        hits.clear();
        self.for_each_match(&self.content, clause, scratch, |slot, score| hits.push((slot, score)));
        for &(slot, score) in &hits {
            scratch.add(slot, score, bit);
        }
        hits.clear();
        self.for_each_match(&self.people, clause, scratch, |slot, score| hits.push((slot, score)));
        for &(customer, score) in &hits {
            for &ticket in &self.customers[customer as usize].tickets {
                scratch.add(ticket, score * CUSTOMER_WEIGHT, bit);
            }
        }
        scratch.hits = hits;
    }

    /// Calls `found(owner, score)` once for every live document of `index` the clause matches.
    fn for_each_match(
        &self,
        index: &TextIndex,
        clause: &TextClause,
        scratch: &mut Scratch,
        mut found: impl FnMut(u32, f32),
    ) {
        scratch.begin_clause(index_docs(index));
        if clause.tokens.len() == 1 {
            for (term, weight) in expand(index, &clause.tokens[0]) {
                let mut cursor = index.cursor(term);
                while cursor.advance() {
                    if index.doc(cursor.doc).live {
                        scratch.add_tf(cursor.doc, cursor.tf.map(|tf| tf as f32 * weight));
                    }
                }
            }
        } else {
            self.match_phrase(index, clause, scratch);
        }
        let df = scratch.docs.len() as f32;
        if df == 0.0 {
            return;
        }
        let n = index.live_docs() as f32;
        let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        let average = index.average_lens();
        for &doc in &scratch.docs {
            let info = index.doc(doc);
            let tf = scratch.doc_tf[doc as usize];
            let mut weighted = 0.0;
            for field in 0..FIELDS {
                let norm = 1.0 - B[field] + B[field] * info.lens[field] as f32 / average[field];
                weighted += FIELD_WEIGHT[field] * tf[field] / norm;
            }
            found(info.owner, idf * weighted * (K1 + 1.0) / (K1 + weighted));
        }
    }

    /// Finds the documents where the clause's terms occur at their relative positions, and how
    /// often per field.
    fn match_phrase(&self, index: &TextIndex, clause: &TextClause, scratch: &mut Scratch) {
        let mut tokens: Vec<TokenCursor<'_>> = clause
            .tokens
            .iter()
            .map(|token| {
                TokenCursor::new(expand(index, token).into_iter().map(|(term, _)| index.cursor(term)).collect())
            })
            .collect();
        if tokens.iter().any(TokenCursor::is_empty) {
            return;
        }
        let mut positions: Vec<Vec<u32>> = vec![Vec::new(); tokens.len()];
        let mut target = 0u32;
        'documents: loop {
            for token in &mut tokens {
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
                for (token, out) in tokens.iter().zip(&mut positions) {
                    token.positions(target, out);
                }
                let mut tf = [0.0f32; FIELDS];
                for &start in &positions[0] {
                    let matched = clause
                        .tokens
                        .iter()
                        .zip(&positions)
                        .skip(1)
                        .all(|(token, list)| list.binary_search(&(start + token.offset)).is_ok());
                    if matched {
                        tf[usize::from(start >= info.title_end)] += 1.0;
                    }
                }
                if tf.iter().any(|f| *f > 0.0) {
                    scratch.add_tf(target, tf);
                }
            }
            target += 1;
        }
    }
}

/// The index terms a query term stands for, each with its weight, in text order.
fn expand(index: &TextIndex, token: &QueryTerm) -> Vec<(u32, f32)> {
    match token.matching {
        Matching::Exact => index.term(&token.text).map(|term| (term, 1.0)).into_iter().collect(),
        Matching::Character => index.terms_with_prefix(&token.text).into_iter().map(|term| (term, 1.0)).collect(),
        Matching::WordPrefix => index
            .terms_with_prefix(&token.text)
            .into_iter()
            .map(|term| (term, if index.term_text(term) == token.text { 1.0 } else { PREFIX_WEIGHT }))
            .collect(),
    }
}

fn index_docs(index: &TextIndex) -> usize {
    index.doc_count()
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
}

impl<'a> TokenCursor<'a> {
    fn new(mut cursors: Vec<Cursor<'a>>) -> Self {
        for cursor in &mut cursors {
            cursor.advance();
        }
        TokenCursor { cursors }
    }

    fn is_empty(&self) -> bool {
        self.cursors.iter().all(Cursor::is_done)
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

    fn positions(&self, doc: u32, out: &mut Vec<u32>) {
        out.clear();
        for cursor in self.cursors.iter().filter(|c| c.doc == doc) {
            out.extend(cursor.positions());
        }
        if self.cursors.len() > 1 {
            out.sort_unstable();
        }
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
    doc_tf: Vec<[f32; FIELDS]>,
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
            self.doc_tf.resize(docs, [0.0; FIELDS]);
        }
        self.docs.clear();
    }

    fn add_tf(&mut self, doc: u32, tf: [f32; FIELDS]) {
        let index = doc as usize;
        if self.doc_epoch[index] != self.clause_epoch {
            self.doc_epoch[index] = self.clause_epoch;
            self.doc_tf[index] = [0.0; FIELDS];
            self.docs.push(doc);
        }
        for (sum, value) in self.doc_tf[index].iter_mut().zip(tf) {
            *sum += value;
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

impl<'a> Candidate<'a> {
    fn new(id: TicketId, score: f32, summary: Option<&'a TicketSummary>, updated_at: u64, number: u64) -> Self {
        Candidate { id, score, summary, updated_at, number }
    }
}

fn needs_summary_to_sort(sort: Sort) -> bool {
    matches!(sort.key, SortBy::Created | SortBy::Priority | SortBy::Due | SortBy::Status)
}

/// The plan's order; ties go to the ticket updated last, then to the higher number, then the id,
/// so the order is total and the same on every run.
fn compare(sort: Sort, a: &Candidate<'_>, b: &Candidate<'_>) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let directed = |ordering: Ordering| if sort.descending { ordering.reverse() } else { ordering };
    let summary_key = |c: &Candidate<'_>, key: fn(&TicketSummary) -> Option<u64>| c.summary.and_then(key);
    let primary = match sort.key {
        SortBy::Relevance => directed(a.score.total_cmp(&b.score)),
        SortBy::Updated => directed(a.updated_at.cmp(&b.updated_at)),
        SortBy::Number => directed(a.number.cmp(&b.number)),
        SortBy::Created => {
            directed(summary_key(a, |s| Some(s.created_at)).cmp(&summary_key(b, |s| Some(s.created_at))))
        }
        SortBy::Priority => {
            directed(summary_key(a, |s| Some(s.priority as u64)).cmp(&summary_key(b, |s| Some(s.priority as u64))))
        }
        SortBy::Status => {
            directed(summary_key(a, |s| Some(s.status as u64)).cmp(&summary_key(b, |s| Some(s.status as u64))))
        }
        SortBy::Due => match (summary_key(a, |s| s.due_ms), summary_key(b, |s| s.due_ms)) {
            (Some(x), Some(y)) => directed(x.cmp(&y)),
            // Tickets without a due date come last either way.
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
    };
    primary
        .then_with(|| b.updated_at.cmp(&a.updated_at))
        .then_with(|| b.number.cmp(&a.number))
        .then_with(|| b.id.cmp(&a.id))
}
