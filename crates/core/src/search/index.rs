//! The inverted index: every term, and for each the documents it occurs in with its positions.
//!
//! A document is a list of text parts, each in one of two fields (the title: a ticket's subject
//! and tags, or a customer's name; the body: description and messages). Parts are analysed in
//! order with a gap in positions between them, so a phrase never matches across two messages.
//!
//! # Postings
//!
//! Each term's postings are three byte streams in document order, so a scan reads only what it
//! needs: document id gaps (LEB128 varints, with the three commonest frequency pairs folded into
//! their two low bits), other frequencies (one byte for small counts: title frequency × 32 + body
//! frequency, else an escape and two varints), and positions (varint gaps, as many as the two
//! frequencies add up to). Every [`SKIP_EVERY`] documents a skip entry records where each stream
//! stands, so a phrase check can jump ahead. Streams grow by a quarter at a time, not double:
//! at 100,000 tickets the slack of doubling was tens of megabytes of the page's memory.
//!
//! # Impacts and top lists
//!
//! A document's impact for a term is BM25F's term-frequency part with fixed average field lengths
//! (see [`impact`]): it depends on that document alone, never on the rest of the index. That is
//! what lets a common term keep a [`TopList`]: its best documents by impact (newest first among
//! equals), kept exact as documents come and go, so a one-word query reads the first few entries
//! instead of scoring thousands of documents.
//!
//! # Changes
//!
//! Documents are append-only. Changing a ticket's text adds a new document and marks the old one
//! dead ([`TextIndex::remove`]). Each document keeps a compact list of its distinct terms, so a
//! removal lowers exactly the document counts of the terms it had: ranking only ever counts live
//! documents, and an index that has seen many changes ranks exactly like one built afresh.
//! [`TextIndex::compact`] drops dead documents from the postings.

use std::cell::RefCell;

use rustc_hash::FxHashMap;

use super::text::{Analyzer, Mode};
use crate::sorting::order_by_text;

/// The two fields of a document.
pub(crate) const FIELDS: usize = 2;
pub(crate) const TITLE: usize = 0;
pub(crate) const BODY: usize = 1;

/// BM25F parameters.
const K1: f32 = 1.2;
/// Length normalisation per field: titles are short and similar, bodies vary a lot.
const B: [f32; FIELDS] = [0.5, 0.75];
const FIELD_WEIGHT: [f32; FIELDS] = [3.0, 1.0];
/// Typical field lengths in terms (a subject and a couple of tags; a description and a few
/// messages). Fixed, rather than the index's current averages, so that an impact never changes
/// once computed.
const AVERAGE_LEN: [f32; FIELDS] = [12.0, 150.0];

/// Terms added since the last sort of the dictionary are scanned linearly; past this many they
/// are merged in.
const UNSORTED_LIMIT: usize = 4096;
/// Documents between skip entries. Phrase checks and the threshold algorithm seek into postings
/// at random; measured at 100,000 tickets, 32 instead of 64 made those queries about a quarter
/// faster for 3 MB more (16: a third faster for 9 MB).
const SKIP_EVERY: u32 = 32;
/// Entries a top list keeps (room for filters that pass a few in ten); queries for up to
/// [`TOP_SERVES`] results are answered from it.
const TOP_CAPACITY: usize = 512;
pub(crate) const TOP_SERVES: usize = 64;
/// Terms in fewer live documents than this are scanned rather than given a top list.
const TOP_MIN_DOCS: u32 = 256;

/// The term-frequency part of BM25F for one document: how well it matches a term, before the
/// term's rarity (idf) is applied. `weights` are the document's [`field_weights`].
#[inline]
pub(crate) fn impact(tf: [u32; FIELDS], weights: [f32; FIELDS]) -> f32 {
    let weighted = weights[TITLE] * tf[TITLE] as f32 + weights[BODY] * tf[BODY] as f32;
    weighted * (K1 + 1.0) / (K1 + weighted)
}

/// Each field's weight divided by its length normalisation, for a document of these lengths.
pub(crate) fn field_weights(lens: [u32; FIELDS]) -> [f32; FIELDS] {
    std::array::from_fn(|field| {
        FIELD_WEIGHT[field] / (1.0 - B[field] + B[field] * lens[field] as f32 / AVERAGE_LEN[field])
    })
}

/// How rare a term is among `docs` documents, `df` of which contain it.
pub(crate) fn idf(df: u32, docs: u32) -> f32 {
    let (df, n) = (df as f32, docs as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// A document's numbers, as ranking needs them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DocInfo {
    /// What the document belongs to (a ticket or customer slot of the caller).
    pub owner: u32,
    /// Breaks ties among equal impacts, higher first (a ticket's number: newest first).
    pub order: u64,
    /// Terms per field.
    pub lens: [u32; FIELDS],
    /// [`field_weights`] of `lens`, computed once.
    pub weights: [f32; FIELDS],
    /// Positions below this are in the title field.
    pub title_end: u32,
    pub live: bool,
    /// This document's distinct term ids, ascending, as varint gaps: what its removal must
    /// count down. One allocation per document, so no single buffer ever doubles.
    terms: Box<[u8]>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Skip {
    /// The document before this block (the gaps in the block count from it).
    doc: u32,
    docs_at: u32,
    freqs_at: u32,
    positions_at: u32,
}

#[derive(Debug, Clone, Default)]
struct Postings {
    docs: Vec<u8>,
    freqs: Vec<u8>,
    positions: Vec<u8>,
    skips: Vec<Skip>,
    /// Documents listed, dead ones included.
    count: u32,
    /// Live documents containing the term.
    live: u32,
    last_doc: u32,
}

impl Postings {
    fn push(&mut self, doc: u32, tf: [u32; FIELDS], positions: &[u8]) {
        if self.count.is_multiple_of(SKIP_EVERY) {
            self.skips.push(Skip {
                doc: self.last_doc,
                docs_at: self.docs.len() as u32,
                freqs_at: self.freqs.len() as u32,
                positions_at: self.positions.len() as u32,
            });
        }
        let code = PACKED_FREQS.iter().position(|packed| *packed == tf).unwrap_or(3) as u32;
        grow(&mut self.docs, 5);
        write_varint(&mut self.docs, (doc - self.last_doc) << 2 | code);
        if code == 3 {
            grow(&mut self.freqs, 11);
            write_freqs(&mut self.freqs, tf);
        }
        grow(&mut self.positions, positions.len());
        self.positions.extend_from_slice(positions);
        self.last_doc = doc;
        self.count += 1;
    }

    fn shrink(&mut self) {
        self.docs.shrink_to_fit();
        self.freqs.shrink_to_fit();
        self.positions.shrink_to_fit();
        self.skips.shrink_to_fit();
    }

    fn heap_bytes(&self) -> usize {
        self.docs.capacity() + self.freqs.capacity() + self.positions.capacity() + self.skips.capacity() * 16
    }
}

/// A term's best live documents, best first: the exact top `entries.len()` of all its live
/// documents by (impact, order, document). `complete` when it holds every live document.
#[derive(Debug, Clone, Default)]
pub(crate) struct TopList {
    pub entries: Vec<TopEntry>,
    pub complete: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TopEntry {
    pub impact: f32,
    pub doc: u32,
}

/// The order of top list entries: impact, then the document's order, then its id, all higher
/// first. Positive floats order like their bits.
fn rank(docs: &[DocInfo], entry: &TopEntry) -> (u32, u64, u32) {
    (entry.impact.to_bits(), docs[entry.doc as usize].order, entry.doc)
}

impl TopList {
    /// Adds a new live document, keeping the list exact.
    fn insert(&mut self, docs: &[DocInfo], entry: TopEntry) {
        let key = rank(docs, &entry);
        let below_last = self.entries.last().is_none_or(|last| key < rank(docs, last));
        if !self.complete && below_last {
            // Below an incomplete list's last entry: documents not in the list may rank between.
            return;
        }
        let at = self.entries.partition_point(|e| rank(docs, e) > key);
        self.entries.insert(at, entry);
        if self.entries.len() > TOP_CAPACITY {
            self.entries.pop();
            self.complete = false;
        }
    }

    /// Removes a document that died; the rest is still the exact top of what is left.
    fn remove(&mut self, doc: u32) {
        self.entries.retain(|e| e.doc != doc);
    }
}

/// Where finishing a bulk build of one index has got to (see [`TextIndex::finish_bulk_step`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexStep {
    /// Returning spare capacity, from this term on.
    Shrink(u32),
    /// Sorting the dictionary, a slice at a time.
    SortDictionary,
    /// Building top lists, from this term on.
    TopLists(u32),
}

/// An inverted index over documents made of text parts (see the module docs).
#[derive(Debug, Default)]
pub(crate) struct TextIndex {
    /// A word shorter than this matches only itself, not the longer words it begins.
    min_prefix_chars: usize,
    ids: FxHashMap<Box<str>, u32>,
    texts: Vec<Box<str>>,
    postings: Vec<Postings>,
    /// Term ids in text order, for prefix lookups.
    sorted: Vec<u32>,
    /// Term ids not yet in `sorted`.
    unsorted: Vec<u32>,
    /// A sort of `unsorted` in slices ([`TextIndex::sort_dictionary_step`]), by place in it.
    dictionary_sort: Option<crate::sorting::SlicedOrder>,
    docs: Vec<DocInfo>,
    live: u32,
    /// Top lists of common terms, built when first needed and kept exact afterwards.
    tops: RefCell<FxHashMap<u32, TopList>>,
    /// Scratch for [`TextIndex::add`]: (term, position) of every occurrence in one document.
    occurrences: Vec<(u32, u32)>,
    scratch_positions: Vec<u8>,
    scratch_terms: Vec<u8>,
}

impl TextIndex {
    /// An empty index where words of at least `min_prefix_chars` characters also find the
    /// longer words they begin.
    pub fn new(min_prefix_chars: usize) -> Self {
        TextIndex { min_prefix_chars, ..TextIndex::default() }
    }

    pub fn min_prefix_chars(&self) -> usize {
        self.min_prefix_chars
    }

    /// Adds a document of `parts` (field, text), title parts first. Returns its id.
    pub fn add(&mut self, owner: u32, order: u64, analyzer: &mut Analyzer, parts: &[(usize, &str)]) -> u32 {
        let doc = self.docs.len() as u32;
        self.occurrences.clear();
        let mut position = 0;
        let mut lens = [0u32; FIELDS];
        let mut title_end = 0;
        for &(field, text) in parts {
            let (terms, next) = analyzer.analyze(text, Mode::Index, position);
            for term in terms {
                let id = self.intern(term.text);
                self.occurrences.push((id, term.position));
                lens[field] += 1;
            }
            // The gap: a phrase cannot continue from one part into the next.
            position = next + 1;
            if field == TITLE {
                title_end = position;
            }
        }
        self.occurrences.sort_unstable();
        let weights = field_weights(lens);
        self.scratch_terms.clear();
        // Top list insertions need this document's info, so they wait until it is pushed.
        let mut pending_tops: Vec<(u32, TopEntry)> = Vec::new();
        let mut previous_term = 0;
        let tops = self.tops.get_mut();
        let mut start = 0;
        while start < self.occurrences.len() {
            let term = self.occurrences[start].0;
            let end = self.occurrences[start..]
                .iter()
                .position(|(t, _)| *t != term)
                .map_or(self.occurrences.len(), |n| start + n);
            self.scratch_positions.clear();
            let mut tf = [0u32; FIELDS];
            let mut previous = 0;
            for &(_, position) in &self.occurrences[start..end] {
                tf[usize::from(position >= title_end)] += 1;
                write_varint(&mut self.scratch_positions, position - previous);
                previous = position;
            }
            let postings = &mut self.postings[term as usize];
            postings.push(doc, tf, &self.scratch_positions);
            postings.live += 1;
            if tops.contains_key(&term) {
                pending_tops.push((term, TopEntry { impact: impact(tf, weights), doc }));
            }
            write_varint(&mut self.scratch_terms, term - previous_term);
            previous_term = term;
            start = end;
        }
        let terms = self.scratch_terms.as_slice().into();
        self.docs.push(DocInfo { owner, order, lens, weights, title_end, live: true, terms });
        self.live += 1;
        let tops = self.tops.get_mut();
        for (term, entry) in pending_tops {
            if let Some(top) = tops.get_mut(&term) {
                top.insert(&self.docs, entry);
            }
        }
        doc
    }

    /// Marks a document dead: it no longer matches or counts.
    pub fn remove(&mut self, doc: u32) {
        let Some(info) = self.docs.get_mut(doc as usize) else { return };
        if !info.live {
            return;
        }
        info.live = false;
        self.live -= 1;
        let bytes = &info.terms;
        let tops = self.tops.get_mut();
        let mut at = 0;
        let mut term = 0;
        while at < bytes.len() {
            term += read_varint(bytes, &mut at);
            self.postings[term as usize].live -= 1;
            if let Some(top) = tops.get_mut(&term) {
                top.remove(doc);
            }
        }
    }

    pub fn doc(&self, doc: u32) -> &DocInfo {
        &self.docs[doc as usize]
    }

    /// Documents ever added and not yet compacted away (document ids are below this).
    pub fn doc_count(&self) -> usize {
        self.docs.len()
    }

    pub fn live_docs(&self) -> u32 {
        self.live
    }

    pub fn dead_docs(&self) -> usize {
        self.docs.len() - self.live as usize
    }

    /// Live documents containing `term`.
    pub fn live_df(&self, term: u32) -> u32 {
        self.postings[term as usize].live
    }

    /// Drops dead documents: rewrites every postings list and renumbers the live documents in
    /// order. Returns each old document's new id (`None` for dead ones).
    pub fn compact(&mut self) -> Vec<Option<u32>> {
        let mut remap = Vec::with_capacity(self.docs.len());
        let mut next = 0u32;
        for info in &self.docs {
            remap.push(info.live.then(|| {
                next += 1;
                next - 1
            }));
        }
        for postings in &mut self.postings {
            let mut rewritten = Postings { live: postings.live, ..Postings::default() };
            let mut cursor = Cursor::new(postings);
            while cursor.advance() {
                let Some(new_doc) = remap[cursor.doc as usize] else { continue };
                let positions = cursor.position_bytes();
                rewritten.push(new_doc, cursor.tf, positions);
            }
            rewritten.shrink();
            *postings = rewritten;
        }
        self.docs.retain(|info| info.live);
        self.docs.shrink_to_fit();
        for top in self.tops.get_mut().values_mut() {
            for entry in &mut top.entries {
                entry.doc = remap[entry.doc as usize].expect("top lists hold live documents only");
            }
        }
        remap
    }

    /// Whether enough documents are dead that [`TextIndex::compact`] is worth its time.
    pub fn wants_compaction(&self) -> bool {
        let dead = self.dead_docs();
        dead > 1_000 && dead * 4 > self.docs.len()
    }

    /// [`TextIndex::finish_bulk_step`] to the end in one go.
    #[cfg(test)]
    pub fn finish_bulk(&mut self, with_top_lists: bool) {
        let mut step = Some(IndexStep::Shrink(0));
        while let Some(next) = step {
            step = self.finish_bulk_step(next, with_top_lists);
        }
    }

    /// Builds the top list of the first term from `from` on that is common enough to have one,
    /// and returns where to go on from (`None`: no terms left). One term is at most a few
    /// milliseconds of work, so a caller can spread all of them over many turns of the page.
    pub fn build_next_top(&mut self, from: u32) -> Option<u32> {
        let term =
            (from..self.postings.len() as u32).find(|term| self.postings[*term as usize].live >= TOP_MIN_DOCS)?;
        let top = self.build_top(term);
        self.tops.get_mut().insert(term, top);
        Some(term + 1)
    }

    /// Bytes the index holds on the heap (postings, dictionary, documents, top lists).
    pub fn heap_bytes(&self) -> usize {
        let postings: usize = self.postings.iter().map(|p| p.heap_bytes() + size_of::<Postings>()).sum();
        let texts: usize = self.texts.iter().map(|t| t.len() * 2 + 40).sum();
        let docs =
            self.docs.capacity() * size_of::<DocInfo>() + self.docs.iter().map(|d| d.terms.len() + 8).sum::<usize>();
        let tops: usize = self.tops.borrow().values().map(|t| t.entries.capacity() * size_of::<TopEntry>() + 48).sum();
        postings + texts + docs + tops + (self.sorted.capacity() + self.unsorted.capacity()) * 4
    }

    pub fn term(&self, text: &str) -> Option<u32> {
        self.ids.get(text).copied()
    }

    /// Terms that start with `prefix` (including `prefix` itself), in text order.
    pub fn terms_with_prefix(&self, prefix: &str) -> Vec<u32> {
        let start = self.sorted.partition_point(|id| *self.texts[*id as usize] < *prefix);
        let mut found: Vec<u32> = self.sorted[start..]
            .iter()
            .take_while(|id| self.texts[**id as usize].starts_with(prefix))
            .copied()
            .collect();
        let before = found.len();
        found.extend(self.unsorted.iter().copied().filter(|id| self.texts[*id as usize].starts_with(prefix)));
        if found.len() > before {
            sort_by_text(&self.texts, &mut found);
        }
        found
    }

    pub fn term_text(&self, term: u32) -> &str {
        &self.texts[term as usize]
    }

    pub fn cursor(&self, term: u32) -> Cursor<'_> {
        Cursor::new(&self.postings[term as usize])
    }

    /// The top lists of `terms` (those common enough to have one: see
    /// [`TextIndex::has_top_list`]), built or refreshed first where needed.
    pub fn top_lists(&self, terms: &[u32]) -> std::cell::Ref<'_, FxHashMap<u32, TopList>> {
        {
            let mut tops = self.tops.borrow_mut();
            for &term in terms.iter().filter(|term| self.has_top_list(**term)) {
                let usable = tops.get(&term).is_some_and(|top| top.complete || top.entries.len() >= TOP_SERVES);
                if !usable {
                    let fresh = self.build_top(term);
                    tops.insert(term, fresh);
                }
            }
        }
        self.tops.borrow()
    }

    /// The term's live documents as top list entries, best first (for terms without a list).
    pub fn ranked_entries(&self, term: u32) -> Vec<TopEntry> {
        self.build_top(term).entries
    }

    /// Compares two entries in top list order (best first).
    pub fn best_first(&self, a: &TopEntry, b: &TopEntry) -> std::cmp::Ordering {
        rank(&self.docs, b).cmp(&rank(&self.docs, a))
    }

    /// Whether the term is common enough that a top list beats a scan.
    pub fn has_top_list(&self, term: u32) -> bool {
        self.postings[term as usize].live >= TOP_MIN_DOCS
    }

    /// The exact top [`TOP_CAPACITY`] of a term's live documents, from a scan.
    ///
    /// Every live document is collected and the best selected in linear time: inserting them one
    /// by one into the sorted list moved the whole list for nearly every document of a common
    /// term (newer documents rank higher and arrive last), over 100 ms for a term in most of
    /// 100,000 tickets.
    fn build_top(&self, term: u32) -> TopList {
        let mut entries = Vec::with_capacity(self.postings[term as usize].live as usize);
        let mut cursor = self.cursor(term);
        while cursor.advance() {
            let info = &self.docs[cursor.doc as usize];
            if info.live {
                entries.push(TopEntry { impact: impact(cursor.tf, info.weights), doc: cursor.doc });
            }
        }
        let complete = entries.len() <= TOP_CAPACITY;
        if !complete {
            let docs = &self.docs;
            entries.select_nth_unstable_by_key(TOP_CAPACITY - 1, |entry| std::cmp::Reverse(rank(docs, entry)));
            entries.truncate(TOP_CAPACITY);
        }
        self.sort_best_first(&mut entries);
        entries.shrink_to_fit();
        TopList { entries, complete }
    }

    /// Sorts entries best first (top list order).
    pub fn sort_best_first(&self, entries: &mut [TopEntry]) {
        let docs = &self.docs;
        entries.sort_unstable_by_key(|entry| std::cmp::Reverse(rank(docs, entry)));
    }

    /// Merges newly added terms into the sorted dictionary once there are many (or `always`).
    pub fn tidy(&mut self, always: bool) {
        if self.unsorted.is_empty() || (!always && self.unsorted.len() < UNSORTED_LIMIT) {
            return;
        }
        // A sort in slices refers to places in `unsorted`, which this empties.
        self.dictionary_sort = None;
        let mut unsorted = std::mem::take(&mut self.unsorted);
        sort_by_text(&self.texts, &mut unsorted);
        self.merge_into_dictionary(&unsorted);
    }

    /// Starts sorting the terms added since the dictionary was last sorted, in slices: at
    /// 100,000 tickets they are hundreds of thousands, about 50 ms in one go.
    pub fn start_dictionary_sort(&mut self) {
        self.dictionary_sort = Some(crate::sorting::SlicedOrder::new(self.unsorted.len()));
    }

    /// About `work` comparisons of the sort [`TextIndex::start_dictionary_sort`] started; true
    /// when it is done and its terms are in the dictionary (terms added meanwhile wait for the
    /// next tidy, and prefix lookups find them all along).
    pub fn sort_dictionary_step(&mut self, work: usize) -> bool {
        let Some(sort) = self.dictionary_sort.as_mut() else {
            return true;
        };
        let (texts, unsorted) = (&self.texts, &self.unsorted);
        let less = &mut |a: u32, b: u32| texts[unsorted[a as usize] as usize] < texts[unsorted[b as usize] as usize];
        if !sort.step(work, less) {
            return false;
        }
        let order = self.dictionary_sort.take().map(crate::sorting::SlicedOrder::into_order).unwrap_or_default();
        let sorted: Vec<u32> = order.iter().map(|at| self.unsorted[*at as usize]).collect();
        self.unsorted.drain(..sorted.len());
        self.merge_into_dictionary(&sorted);
        true
    }

    /// Merges term ids in text order into the dictionary.
    fn merge_into_dictionary(&mut self, new: &[u32]) {
        let texts = &self.texts;
        let mut merged = Vec::with_capacity(self.sorted.len() + new.len());
        let (mut left, mut right) = (self.sorted.iter().peekable(), new.iter().peekable());
        loop {
            let next = match (left.peek(), right.peek()) {
                (Some(a), Some(b)) => {
                    if texts[**a as usize] <= texts[**b as usize] {
                        left.next()
                    } else {
                        right.next()
                    }
                }
                (Some(_), None) => left.next(),
                (None, Some(_)) => right.next(),
                (None, None) => break,
            };
            merged.extend(next.copied());
        }
        self.sorted = merged;
        self.unsorted.shrink_to_fit();
    }

    /// One step of finishing a bulk build, a few milliseconds of work; the next, or `None` when
    /// done: spare capacity returned, the dictionary sorted, then (if asked) top lists built.
    pub fn finish_bulk_step(&mut self, step: IndexStep, with_top_lists: bool) -> Option<IndexStep> {
        /// Terms whose postings one step shrinks, and comparisons of one slice of the sort.
        const TERMS_PER_STEP: u32 = 4_096;
        const COMPARISONS_PER_STEP: usize = 16_384;
        match step {
            IndexStep::Shrink(from) => Some(match self.shrink_postings(from, TERMS_PER_STEP) {
                Some(next) => IndexStep::Shrink(next),
                None => {
                    self.start_dictionary_sort();
                    IndexStep::SortDictionary
                }
            }),
            IndexStep::SortDictionary if !self.sort_dictionary_step(COMPARISONS_PER_STEP) => {
                Some(IndexStep::SortDictionary)
            }
            IndexStep::SortDictionary => with_top_lists.then_some(IndexStep::TopLists(0)),
            IndexStep::TopLists(from) => self.build_next_top(from).map(IndexStep::TopLists),
        }
    }

    /// Returns the spare capacity of the postings of up to `count` terms from `from` on; the
    /// next term to go on from, or `None` when all are done.
    fn shrink_postings(&mut self, from: u32, count: u32) -> Option<u32> {
        let end = (from + count).min(self.postings.len() as u32);
        for postings in &mut self.postings[from as usize..end as usize] {
            postings.shrink();
        }
        if end as usize == self.postings.len() {
            self.docs.shrink_to_fit();
            return None;
        }
        Some(end)
    }

    fn intern(&mut self, text: &str) -> u32 {
        if let Some(id) = self.ids.get(text) {
            return *id;
        }
        let id = self.texts.len() as u32;
        self.ids.insert(text.into(), id);
        self.texts.push(text.into());
        self.postings.push(Postings::default());
        self.unsorted.push(id);
        id
    }
}

/// Reads one term's postings in document order. Positions are only read for the documents that
/// ask for them: moving on just counts how many position varints to skip later.
#[derive(Debug, Clone)]
pub(crate) struct Cursor<'a> {
    postings: &'a Postings,
    /// Postings read so far.
    read: u32,
    docs_at: usize,
    freqs_at: usize,
    /// Position varints of earlier documents between `positions_at` and the current document's.
    positions_at: usize,
    pending: u32,
    pub doc: u32,
    pub tf: [u32; FIELDS],
    /// Whether `doc` is a document (not before the first or after a jump).
    on_doc: bool,
}

impl<'a> Cursor<'a> {
    fn new(postings: &'a Postings) -> Self {
        Cursor {
            postings,
            read: 0,
            docs_at: 0,
            freqs_at: 0,
            positions_at: 0,
            pending: 0,
            doc: 0,
            tf: [0; FIELDS],
            on_doc: false,
        }
    }

    /// Moves to the next document; `false` (and `doc` = `u32::MAX`) at the end.
    #[inline]
    pub fn advance(&mut self) -> bool {
        let postings = self.postings;
        if self.on_doc {
            self.pending += self.tf[TITLE] + self.tf[BODY];
        }
        if self.read >= postings.count {
            self.doc = u32::MAX;
            self.on_doc = false;
            return false;
        }
        let previous = if self.read == 0 { 0 } else { self.doc };
        let packed = read_varint(&postings.docs, &mut self.docs_at);
        self.doc = previous + (packed >> 2);
        let code = (packed & 3) as usize;
        // A table, not a match: the codes come in no order, and a four-way branch mispredicts.
        self.tf = if code < 3 { PACKED_FREQS[code] } else { read_freqs(&postings.freqs, &mut self.freqs_at) };
        self.read += 1;
        self.on_doc = true;
        true
    }

    /// Moves to the first document at or after `target`, jumping whole skip blocks where it
    /// can; `false` if there is none.
    pub fn seek(&mut self, target: u32) -> bool {
        if self.on_doc && self.doc >= target {
            return true;
        }
        if self.read > 0 && !self.on_doc {
            return false;
        }
        let skips = &self.postings.skips;
        // Jump only when `target` lies beyond the next block: to the last block whose preceding
        // document is before `target` (it holds `target` or the first document after it).
        let next_block = (self.read / SKIP_EVERY + 1) as usize;
        if next_block < skips.len() && skips[next_block].doc < target {
            let block = next_block + skips[next_block..].partition_point(|skip| skip.doc < target) - 1;
            let block_start = block as u32 * SKIP_EVERY;
            let skip = skips[block];
            self.read = block_start;
            self.docs_at = skip.docs_at as usize;
            self.freqs_at = skip.freqs_at as usize;
            self.positions_at = skip.positions_at as usize;
            self.pending = 0;
            self.doc = skip.doc;
            self.on_doc = false;
        }
        while self.advance() {
            if self.doc >= target {
                return true;
            }
        }
        false
    }

    /// Whether the cursor has moved past its last document.
    pub fn is_done(&self) -> bool {
        self.doc == u32::MAX
    }

    /// The current document's position bytes.
    fn position_bytes(&mut self) -> &'a [u8] {
        let bytes = &self.postings.positions;
        self.positions_at = skip_varints(bytes, self.positions_at, self.pending);
        self.pending = 0;
        let end = skip_varints(bytes, self.positions_at, self.tf[TITLE] + self.tf[BODY]);
        &bytes[self.positions_at..end]
    }

    /// The term's positions in the current document, ascending.
    pub fn positions(&mut self) -> impl Iterator<Item = u32> + 'a {
        let bytes = self.position_bytes();
        let mut at = 0;
        let mut position = 0;
        std::iter::from_fn(move || {
            (at < bytes.len()).then(|| {
                position += read_varint(bytes, &mut at);
                position
            })
        })
    }
}

/// Makes room for `extra` more bytes, growing by a quarter (not doubling) when full.
#[inline]
fn grow(bytes: &mut Vec<u8>, extra: usize) {
    if bytes.capacity() - bytes.len() < extra {
        bytes.reserve_exact(extra.max(bytes.capacity() / 4).max(16));
    }
}

/// Sorts term ids by their text (one compiled sort for every such list).
/// Puts term ids in the order of their texts, through the one text ordering the app has
/// ([`crate::sorting::order_by_text`]) rather than another instance of the string sort.
fn sort_by_text(texts: &[Box<str>], ids: &mut [u32]) {
    let words: Vec<&str> = ids.iter().map(|id| &*texts[*id as usize]).collect();
    let sorted: Vec<u32> = order_by_text(&words).positions.iter().map(|at| ids[*at as usize]).collect();
    ids.copy_from_slice(&sorted);
}

fn write_varint(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

#[inline]
fn read_varint(bytes: &[u8], at: &mut usize) -> u32 {
    let first = bytes[*at];
    *at += 1;
    if first < 0x80 {
        return u32::from(first);
    }
    let mut value = u32::from(first & 0x7F);
    let mut shift = 7;
    loop {
        let byte = bytes[*at];
        *at += 1;
        value |= u32::from(byte & 0x7F) << shift;
        if byte < 0x80 {
            return value;
        }
        shift += 7;
    }
}

/// The offset after `count` varints starting at `at`.
#[inline]
fn skip_varints(bytes: &[u8], mut at: usize, mut count: u32) -> usize {
    while count > 0 {
        if bytes[at] < 0x80 {
            count -= 1;
        }
        at += 1;
    }
    at
}

/// The frequency pairs folded into the document gap's low bits (code 3: in the frequency stream).
const PACKED_FREQS: [[u32; FIELDS]; 3] = [[0, 1], [1, 0], [1, 1]];

/// The escape byte of [`write_freqs`]: the frequencies follow as two varints.
const FREQ_ESCAPE: u8 = 0xFF;

fn write_freqs(out: &mut Vec<u8>, tf: [u32; FIELDS]) {
    if tf[TITLE] < 7 && tf[BODY] < 32 {
        out.push((tf[TITLE] as u8) << 5 | tf[BODY] as u8);
    } else {
        out.push(FREQ_ESCAPE);
        write_varint(out, tf[TITLE]);
        write_varint(out, tf[BODY]);
    }
}

#[inline]
fn read_freqs(bytes: &[u8], at: &mut usize) -> [u32; FIELDS] {
    let byte = bytes[*at];
    *at += 1;
    if byte == FREQ_ESCAPE {
        let title = read_varint(bytes, at);
        let body = read_varint(bytes, at);
        [title, body]
    } else {
        [u32::from(byte >> 5), u32::from(byte & 31)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn postings(index: &TextIndex, term: &str) -> Vec<(u32, [u32; 2], Vec<u32>)> {
        let Some(term) = index.term(term) else { return Vec::new() };
        let mut cursor = index.cursor(term);
        let mut out = Vec::new();
        while cursor.advance() {
            out.push((cursor.doc, cursor.tf, cursor.positions().collect()));
        }
        out
    }

    fn add(index: &mut TextIndex, owner: u32, parts: &[(usize, &str)]) -> u32 {
        index.add(owner, u64::from(owner), &mut Analyzer::new(), parts)
    }

    /// The dictionary sorted in slices, with terms added between slices and a tidy in the
    /// middle of one sort: always every term findable by prefix, and sorted at the end.
    #[test]
    fn the_dictionary_sorted_in_slices_stays_complete() {
        let mut index = TextIndex::new(2);
        let words = |from: u32, to: u32| (from..to).map(|n| format!("w{}x{n}", n * 7919 % 1000)).collect::<Vec<_>>();
        let everything = |index: &TextIndex| {
            let mut found: Vec<&str> = index.terms_with_prefix("w").iter().map(|t| index.term_text(*t)).collect();
            found.sort_unstable();
            found.len()
        };
        for (round, tidy_midway) in [false, true].into_iter().enumerate() {
            let from = round as u32 * 600;
            for (owner, word) in (from..).zip(words(from, from + 600)) {
                add(&mut index, owner, &[(BODY, &word)]);
            }
            index.start_dictionary_sort();
            let mut slices = 0;
            while !index.sort_dictionary_step(64) {
                slices += 1;
                let owner = 10_000 * (round as u32 + 1) + slices;
                add(&mut index, owner, &[(BODY, &format!("w{owner}late"))]);
                if tidy_midway && slices == 5 {
                    index.tidy(true);
                }
                assert_eq!(everything(&index), index.texts.len(), "every term found during the sort");
            }
            if tidy_midway {
                assert_eq!(slices, 5, "the tidy sorted everything; the sort in slices stops");
            } else {
                assert!(slices > 10, "{slices} slices");
            }
            index.tidy(true);
            let texts: Vec<&str> = index.sorted.iter().map(|t| index.term_text(*t)).collect();
            assert!(texts.is_sorted(), "in text order");
            assert_eq!(texts.len(), index.texts.len());
            assert_eq!(everything(&index), index.texts.len());
        }
    }

    #[test]
    fn postings_record_fields_and_positions() {
        let mut index = TextIndex::default();
        let doc =
            add(&mut index, 7, &[(TITLE, "Password reset"), (BODY, "my password, my account"), (BODY, "reset done")]);
        assert_eq!(doc, 0);
        assert_eq!(index.doc(0).owner, 7);
        assert_eq!(index.doc(0).lens, [2, 6]);
        // Title at 0–1, gap, body part one at 3–6, gap, part two at 8–9.
        assert_eq!(postings(&index, "password"), [(0, [1, 1], vec![0, 4])]);
        assert_eq!(postings(&index, "reset"), [(0, [1, 1], vec![1, 8])]);
        assert_eq!(postings(&index, "my"), [(0, [0, 2], vec![3, 5])]);
        add(&mut index, 8, &[(BODY, "password")]);
        assert_eq!(postings(&index, "password").len(), 2);
        assert_eq!(index.live_df(index.term("password").unwrap()), 2);
    }

    #[test]
    fn large_frequencies_escape() {
        let mut index = TextIndex::default();
        let title = "spam ".repeat(9);
        let body = "spam ".repeat(40);
        add(&mut index, 0, &[(TITLE, &title), (BODY, &body)]);
        add(&mut index, 1, &[(BODY, "spam")]);
        let found = postings(&index, "spam");
        assert_eq!(found[0].1, [9, 40]);
        assert_eq!(found[0].2.len(), 49);
        assert_eq!(found[1], (1, [0, 1], vec![0]));
    }

    #[test]
    fn prefixes_find_new_and_old_terms_in_order() {
        let mut index = TextIndex::default();
        add(&mut index, 0, &[(BODY, "pass password passage")]);
        index.tidy(true);
        add(&mut index, 1, &[(BODY, "passport pasta")]);
        let found: Vec<&str> = index.terms_with_prefix("pass").into_iter().map(|t| index.term_text(t)).collect();
        assert_eq!(found, ["pass", "passage", "passport", "password"]);
        assert!(index.terms_with_prefix("zzz").is_empty());
    }

    #[test]
    fn removal_lowers_document_counts_exactly() {
        let mut index = TextIndex::default();
        let a = add(&mut index, 0, &[(BODY, "common alpha alpha")]);
        add(&mut index, 1, &[(BODY, "common beta")]);
        let common = index.term("common").unwrap();
        assert_eq!(index.live_df(common), 2);
        index.remove(a);
        index.remove(a);
        assert_eq!(index.live_df(common), 1);
        assert_eq!(index.live_df(index.term("alpha").unwrap()), 0);
        assert_eq!(index.live_docs(), 1);
    }

    #[test]
    fn compaction_drops_dead_documents_and_keeps_the_rest() {
        let mut index = TextIndex::default();
        for n in 0..5 {
            add(&mut index, n, &[(BODY, &format!("common word{n}"))]);
        }
        index.remove(1);
        index.remove(3);
        assert_eq!((index.live_docs(), index.dead_docs()), (3, 2));
        let remap = index.compact();
        assert_eq!(remap, [Some(0), None, Some(1), None, Some(2)]);
        assert_eq!(postings(&index, "common").iter().map(|p| p.0).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(postings(&index, "word4"), [(2, [0, 1], vec![1])]);
        assert!(postings(&index, "word1").is_empty());
        assert_eq!(index.doc(2).owner, 4);
        // Removal after compaction still finds the right terms.
        index.remove(2);
        assert_eq!(index.live_df(index.term("common").unwrap()), 2);
        assert_eq!(index.live_df(index.term("word4").unwrap()), 0);
    }

    #[test]
    fn cursors_seek_forward_across_skip_blocks() {
        let mut index = TextIndex::default();
        for n in 0..1_000 {
            let text = if n % 3 == 0 { "fizz buzz" } else { "buzz" };
            add(&mut index, n, &[(BODY, text)]);
        }
        let fizz = index.term("fizz").unwrap();
        let mut cursor = index.cursor(fizz);
        assert!(cursor.seek(100));
        assert_eq!((cursor.doc, cursor.positions().collect::<Vec<_>>()), (102, vec![0]));
        assert!(cursor.seek(102));
        assert_eq!(cursor.doc, 102);
        assert!(cursor.seek(700));
        assert_eq!((cursor.doc, cursor.tf), (702, [0, 1]));
        assert!(!cursor.seek(1_000));
        assert!(cursor.is_done());
        // Every document is reachable by seeking to it.
        let buzz = index.term("buzz").unwrap();
        for target in [0, 63, 64, 65, 127, 128, 500, 999] {
            let mut cursor = index.cursor(buzz);
            assert!(cursor.seek(target));
            assert_eq!(cursor.doc, target);
            let expected = if target % 3 == 0 { 1 } else { 0 };
            assert_eq!(cursor.positions().collect::<Vec<_>>(), [expected]);
        }
    }

    #[test]
    fn top_lists_stay_exact_as_documents_come_and_go() {
        let mut index = TextIndex::default();
        let mut docs = Vec::new();
        for n in 0..1_500u32 {
            // Vary the impact: some have the word in the title, bodies of different lengths.
            let title = if n % 7 == 0 { "word" } else { "other" };
            let body = format!("word {}", "filler ".repeat((n % 13) as usize));
            docs.push(add(&mut index, n, &[(TITLE, title), (BODY, &body)]));
        }
        index.finish_bulk(true);
        let word = index.term("word").unwrap();
        let mut removed = std::collections::HashSet::new();
        for (step, doc) in docs.iter().enumerate().filter(|(i, _)| i % 3 == 0) {
            index.remove(*doc);
            removed.insert(*doc);
            if step % 3 == 0 {
                let owner = 1_000 + step as u32;
                add(&mut index, owner, &[(TITLE, "word word"), (BODY, "word")]);
            }
        }
        let from_top: Vec<u32> = index.top_lists(&[word])[&word].entries.iter().take(40).map(|e| e.doc).collect();
        // The same order from a scan of every live document.
        let mut all = Vec::new();
        let mut cursor = index.cursor(word);
        while cursor.advance() {
            let info = index.doc(cursor.doc);
            if info.live {
                all.push(TopEntry { impact: impact(cursor.tf, info.weights), doc: cursor.doc });
            }
        }
        index.sort_best_first(&mut all);
        let expected: Vec<u32> = all.iter().take(40).map(|e| e.doc).collect();
        assert_eq!(from_top, expected);
    }

    #[test]
    fn varints_round_trip() {
        let mut bytes = Vec::new();
        let values = [0, 1, 127, 128, 16_383, 16_384, u32::MAX];
        for value in values {
            write_varint(&mut bytes, value);
        }
        let mut at = 0;
        let read: Vec<u32> = values.iter().map(|_| read_varint(&bytes, &mut at)).collect();
        assert_eq!(read, values);
        assert_eq!(skip_varints(&bytes, 0, 7), bytes.len());
    }
}
