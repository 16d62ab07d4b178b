//! The inverted index: every term, and for each the documents it occurs in with its positions.
//!
//! A document is a list of text parts, each in one of two fields (the title: a ticket's subject
//! and tags, or a customer's name; the body: description and messages). Parts are analysed in
//! order with a gap in positions between them, so a phrase never matches across two messages.
//!
//! Postings are compact byte lists, one per term, in document order: for each document the gap
//! from the previous document id, the term's frequency in each field, and its positions, all as
//! LEB128 varints. At 100,000 tickets that is most of the index's memory, so it is kept tight.
//!
//! Documents are append-only. Changing a ticket's text adds a new document and marks the old one
//! dead ([`TextIndex::remove`]); dead documents are skipped when reading and dropped by
//! [`TextIndex::compact`], which rewrites the postings without them. Statistics that ranking uses
//! (document count, average lengths, document frequencies) only ever count live documents, so an
//! index that has seen many changes ranks exactly like one built afresh from the same texts.

use rustc_hash::FxHashMap;

use super::text::{Analyzer, Mode};

/// The two fields of a document.
pub(crate) const FIELDS: usize = 2;
pub(crate) const TITLE: usize = 0;
pub(crate) const BODY: usize = 1;

/// Terms added since the last sort of the dictionary are scanned linearly; past this many they
/// are merged in.
const UNSORTED_LIMIT: usize = 4096;

/// A document's numbers, as ranking needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DocInfo {
    /// What the document belongs to (a ticket or customer slot of the caller).
    pub owner: u32,
    /// Terms per field.
    pub lens: [u32; FIELDS],
    /// Positions below this are in the title field.
    pub title_end: u32,
    pub live: bool,
}

#[derive(Debug, Clone, Default)]
struct Postings {
    bytes: Vec<u8>,
    last_doc: u32,
}

/// An inverted index over documents made of text parts (see the module docs).
#[derive(Debug, Default)]
pub(crate) struct TextIndex {
    ids: FxHashMap<Box<str>, u32>,
    texts: Vec<Box<str>>,
    postings: Vec<Postings>,
    /// Term ids in text order, for prefix lookups.
    sorted: Vec<u32>,
    /// Term ids not yet in `sorted`.
    unsorted: Vec<u32>,
    docs: Vec<DocInfo>,
    live: u32,
    len_sums: [u64; FIELDS],
    /// Scratch for [`TextIndex::add`]: (term, position) of every occurrence in one document.
    occurrences: Vec<(u32, u32)>,
    positions: Vec<u8>,
}

impl TextIndex {
    /// Adds a document of `parts` (field, text), title parts first. Returns its id.
    pub fn add(&mut self, owner: u32, analyzer: &mut Analyzer, parts: &[(usize, &str)]) -> u32 {
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
        let mut start = 0;
        while start < self.occurrences.len() {
            let term = self.occurrences[start].0;
            let end = self.occurrences[start..]
                .iter()
                .position(|(t, _)| *t != term)
                .map_or(self.occurrences.len(), |n| start + n);
            self.positions.clear();
            let mut tf = [0u32; FIELDS];
            let mut previous = 0;
            for &(_, position) in &self.occurrences[start..end] {
                tf[usize::from(position >= title_end)] += 1;
                write_varint(&mut self.positions, position - previous);
                previous = position;
            }
            let postings = &mut self.postings[term as usize];
            let gap = if postings.bytes.is_empty() { doc } else { doc - postings.last_doc };
            write_varint(&mut postings.bytes, gap);
            write_varint(&mut postings.bytes, tf[TITLE]);
            write_varint(&mut postings.bytes, tf[BODY]);
            write_varint(&mut postings.bytes, self.positions.len() as u32);
            postings.bytes.extend_from_slice(&self.positions);
            postings.last_doc = doc;
            start = end;
        }
        self.docs.push(DocInfo { owner, lens, title_end, live: true });
        self.live += 1;
        for (sum, len) in self.len_sums.iter_mut().zip(lens) {
            *sum += u64::from(len);
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
        for (sum, len) in self.len_sums.iter_mut().zip(info.lens) {
            *sum -= u64::from(len);
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

    /// Average length of each field over live documents (at least 1).
    pub fn average_lens(&self) -> [f32; FIELDS] {
        let live = self.live.max(1) as f64;
        self.len_sums.map(|sum| ((sum as f64 / live) as f32).max(1.0))
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
            let mut rewritten = Postings::default();
            let mut cursor = Cursor::new(&postings.bytes);
            while cursor.advance() {
                let Some(new_doc) = remap[cursor.doc as usize] else { continue };
                let gap = if rewritten.bytes.is_empty() { new_doc } else { new_doc - rewritten.last_doc };
                write_varint(&mut rewritten.bytes, gap);
                write_varint(&mut rewritten.bytes, cursor.tf[TITLE]);
                write_varint(&mut rewritten.bytes, cursor.tf[BODY]);
                let positions = &postings.bytes[cursor.positions.0..cursor.positions.1];
                write_varint(&mut rewritten.bytes, positions.len() as u32);
                rewritten.bytes.extend_from_slice(positions);
                rewritten.last_doc = new_doc;
            }
            rewritten.bytes.shrink_to_fit();
            *postings = rewritten;
        }
        self.docs.retain(|info| info.live);
        self.docs.shrink_to_fit();
        remap
    }

    /// Whether enough documents are dead that [`TextIndex::compact`] is worth its time.
    pub fn wants_compaction(&self) -> bool {
        let dead = self.dead_docs();
        dead > 1_000 && dead * 4 > self.docs.len()
    }

    /// Returns spare capacity to the allocator (after a bulk build).
    pub fn shrink(&mut self) {
        for postings in &mut self.postings {
            postings.bytes.shrink_to_fit();
        }
        self.docs.shrink_to_fit();
        self.tidy(true);
    }

    /// Bytes the index holds on the heap (postings, dictionary, documents), for benchmarks.
    pub fn heap_bytes(&self) -> usize {
        let postings: usize = self.postings.iter().map(|p| p.bytes.capacity() + size_of::<Postings>()).sum();
        let texts: usize = self.texts.iter().map(|t| t.len() * 2 + 32).sum();
        let docs = self.docs.capacity() * size_of::<DocInfo>();
        postings + texts + docs + (self.sorted.capacity() + self.unsorted.capacity()) * 4
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
            found.sort_unstable_by(|a, b| self.texts[*a as usize].cmp(&self.texts[*b as usize]));
        }
        found
    }

    pub fn term_text(&self, term: u32) -> &str {
        &self.texts[term as usize]
    }

    pub fn cursor(&self, term: u32) -> Cursor<'_> {
        Cursor::new(&self.postings[term as usize].bytes)
    }

    /// Merges newly added terms into the sorted dictionary once there are many (or `always`).
    pub fn tidy(&mut self, always: bool) {
        if self.unsorted.is_empty() || (!always && self.unsorted.len() < UNSORTED_LIMIT) {
            return;
        }
        let texts = &self.texts;
        self.unsorted.sort_unstable_by(|a, b| texts[*a as usize].cmp(&texts[*b as usize]));
        let mut merged = Vec::with_capacity(self.sorted.len() + self.unsorted.len());
        let (mut left, mut right) = (self.sorted.iter().peekable(), self.unsorted.iter().peekable());
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
        self.unsorted.clear();
        self.unsorted.shrink_to_fit();
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

/// Reads one term's postings in document order.
#[derive(Debug, Clone)]
pub(crate) struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
    started: bool,
    pub doc: u32,
    pub tf: [u32; FIELDS],
    positions: (usize, usize),
}

impl<'a> Cursor<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Cursor { bytes, at: 0, started: false, doc: 0, tf: [0; FIELDS], positions: (0, 0) }
    }

    /// Moves to the next document; `false` at the end.
    pub fn advance(&mut self) -> bool {
        if self.at >= self.bytes.len() {
            self.doc = u32::MAX;
            return false;
        }
        let gap = read_varint(self.bytes, &mut self.at);
        self.doc = if self.started { self.doc + gap } else { gap };
        self.started = true;
        self.tf[TITLE] = read_varint(self.bytes, &mut self.at);
        self.tf[BODY] = read_varint(self.bytes, &mut self.at);
        let len = read_varint(self.bytes, &mut self.at) as usize;
        self.positions = (self.at, self.at + len);
        self.at += len;
        true
    }

    /// Moves to the first document at or after `target`; `false` if there is none.
    pub fn seek(&mut self, target: u32) -> bool {
        while !self.started || self.doc < target {
            if !self.advance() {
                return false;
            }
        }
        true
    }

    /// Whether the cursor has moved past its last document.
    pub fn is_done(&self) -> bool {
        self.doc == u32::MAX
    }

    /// The term's positions in the current document, ascending.
    pub fn positions(&self) -> impl Iterator<Item = u32> + '_ {
        let bytes = &self.bytes[self.positions.0..self.positions.1];
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

fn write_varint(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn read_varint(bytes: &[u8], at: &mut usize) -> u32 {
    let mut value = 0u32;
    let mut shift = 0;
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

    #[test]
    fn postings_record_fields_and_positions() {
        let mut index = TextIndex::default();
        let mut analyzer = Analyzer::new();
        let doc = index.add(
            7,
            &mut analyzer,
            &[(TITLE, "Password reset"), (BODY, "my password, my account"), (BODY, "reset done")],
        );
        assert_eq!(doc, 0);
        assert_eq!(index.doc(0).owner, 7);
        assert_eq!(index.doc(0).lens, [2, 6]);
        // Title at 0–1, gap, body part one at 3–6, gap, part two at 8–9.
        assert_eq!(postings(&index, "password"), [(0, [1, 1], vec![0, 4])]);
        assert_eq!(postings(&index, "reset"), [(0, [1, 1], vec![1, 8])]);
        assert_eq!(postings(&index, "my"), [(0, [0, 2], vec![3, 5])]);
        index.add(8, &mut analyzer, &[(BODY, "password")]);
        assert_eq!(postings(&index, "password").len(), 2);
    }

    #[test]
    fn prefixes_find_new_and_old_terms_in_order() {
        let mut index = TextIndex::default();
        let mut analyzer = Analyzer::new();
        index.add(0, &mut analyzer, &[(BODY, "pass password passage")]);
        index.tidy(true);
        index.add(1, &mut analyzer, &[(BODY, "passport pasta")]);
        let found: Vec<&str> = index.terms_with_prefix("pass").into_iter().map(|t| index.term_text(t)).collect();
        assert_eq!(found, ["pass", "passage", "passport", "password"]);
        assert!(index.terms_with_prefix("zzz").is_empty());
    }

    #[test]
    fn compaction_drops_dead_documents_and_keeps_the_rest() {
        let mut index = TextIndex::default();
        let mut analyzer = Analyzer::new();
        for n in 0..5 {
            index.add(n, &mut analyzer, &[(BODY, &format!("common word{n}"))]);
        }
        index.remove(1);
        index.remove(3);
        index.remove(3);
        assert_eq!((index.live_docs(), index.dead_docs()), (3, 2));
        let remap = index.compact();
        assert_eq!(remap, [Some(0), None, Some(1), None, Some(2)]);
        assert_eq!(postings(&index, "common").iter().map(|p| p.0).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(postings(&index, "word4"), [(2, [0, 1], vec![1])]);
        assert!(postings(&index, "word1").is_empty());
        assert_eq!(index.doc(2).owner, 4);
    }

    #[test]
    fn cursors_seek_forward() {
        let mut index = TextIndex::default();
        let mut analyzer = Analyzer::new();
        for n in 0..300 {
            let text = if n % 3 == 0 { "fizz" } else { "buzz" };
            index.add(n, &mut analyzer, &[(BODY, text)]);
        }
        let mut cursor = index.cursor(index.term("fizz").unwrap());
        assert!(cursor.seek(100));
        assert_eq!(cursor.doc, 102);
        assert!(cursor.seek(102));
        assert_eq!(cursor.doc, 102);
        assert!(!cursor.seek(300));
        assert!(cursor.is_done());
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
    }
}
