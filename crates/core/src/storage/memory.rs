//! [`MemoryStore`]: the storage contract in memory, for tests, with failure injection.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::ops::Bound;

use super::codec::{decode_log_page, page_of};
use super::store::{Durability, Store, WriteTx};
use crate::op::DocKey;

/// Failures a [`MemoryStore`] can be told to produce, mirroring what browsers do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MemoryError {
    #[error("the browser's storage quota is exceeded")]
    QuotaExceeded,
    #[error("storage is not available")]
    Unavailable,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Records {
    log_pages: BTreeMap<String, Vec<u8>>,
    legacy_op_logs: BTreeMap<String, Vec<u8>>,
    chunks: BTreeMap<u32, Vec<u8>>,
    meta: BTreeMap<String, String>,
    quarantine: BTreeMap<String, (Vec<u8>, String)>,
}

/// An in-memory [`Store`]. Transactions buffer their writes and apply them at commit, so a
/// failed or dropped transaction leaves nothing behind, like IndexedDB.
#[derive(Debug, Default)]
pub struct MemoryStore {
    records: RefCell<Records>,
    /// How many upcoming commits fail, and with what.
    failing_commits: Cell<(u32, Option<MemoryError>)>,
    commits: Cell<u32>,
    chunk_reads: Cell<u32>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes the next `count` commits fail with `error` (writing nothing).
    pub fn fail_next_commits(&self, count: u32, error: MemoryError) {
        self.failing_commits.set((count, Some(error)));
    }

    /// How many transactions committed.
    pub fn commit_count(&self) -> u32 {
        self.commits.get()
    }

    /// How many snapshot chunk records were read, by any read: a measure of how much a refresh
    /// or an open copies.
    pub fn chunk_read_count(&self) -> u32 {
        self.chunk_reads.get()
    }

    fn count_chunk_reads(&self, count: usize) {
        self.chunk_reads.set(self.chunk_reads.get() + u32::try_from(count).unwrap_or(u32::MAX));
    }

    /// Overwrites one document's op log inside its page with arbitrary bytes, as disk corruption
    /// or a buggy old version might.
    pub fn corrupt_op_log(&self, doc: DocKey, garbage: &[u8]) {
        let key = page_of(doc);
        let mut records = self.records.borrow_mut();
        let mut page = records.log_pages.get(&key).and_then(|bytes| decode_log_page(bytes).ok()).unwrap_or_default();
        page.insert(doc.encode(), garbage.to_vec());
        records.log_pages.insert(key, super::codec::encode_log_page(&page));
    }

    /// Overwrites a whole log page with arbitrary bytes.
    pub fn corrupt_log_page(&self, doc: DocKey, garbage: &[u8]) {
        self.records.borrow_mut().log_pages.insert(page_of(doc), garbage.to_vec());
    }

    pub fn corrupt_chunk(&self, chunk: u32, garbage: &[u8]) {
        self.records.borrow_mut().chunks.insert(chunk, garbage.to_vec());
    }

    /// Stores a per-document op log the way schema versions 1–2 did (for migration tests).
    pub fn put_legacy_op_log(&self, doc: &str, bytes: &[u8]) {
        self.records.borrow_mut().legacy_op_logs.insert(doc.to_owned(), bytes.to_vec());
    }

    pub fn legacy_op_log_count(&self) -> usize {
        self.records.borrow().legacy_op_logs.len()
    }

    pub fn quarantined(&self) -> Vec<String> {
        self.records.borrow().quarantine.keys().cloned().collect()
    }

    /// Keys of every log page.
    pub fn log_page_keys(&self) -> Vec<String> {
        self.records.borrow().log_pages.keys().cloned().collect()
    }

    pub fn raw_meta(&self, key: &str) -> Option<String> {
        self.records.borrow().meta.get(key).cloned()
    }

    /// A copy of everything stored, to compare before and after a failure.
    pub fn dump(&self) -> impl PartialEq + std::fmt::Debug {
        self.records.borrow().clone()
    }
}

/// A transaction of a [`MemoryStore`]: writes are buffered until commit.
#[derive(Debug)]
pub struct MemoryTx<'a> {
    store: &'a MemoryStore,
    writes: Records,
    deleted_meta: Vec<String>,
    deleted_legacy: Vec<String>,
}

fn range_after(map: &BTreeMap<String, Vec<u8>>, after: Option<&str>, limit: usize) -> Vec<(String, Vec<u8>)> {
    let start = match after {
        Some(after) => Bound::Excluded(after.to_owned()),
        None => Bound::Unbounded,
    };
    map.range((start, Bound::Unbounded)).take(limit).map(|(key, value)| (key.clone(), value.clone())).collect()
}

impl Store for MemoryStore {
    type Error = MemoryError;
    type Tx<'a> = MemoryTx<'a>;

    async fn snapshot_chunks(&self, each: &mut dyn FnMut(u32, Vec<u8>)) -> Result<(), MemoryError> {
        // Copied out first: `each` may be slow, and nothing else should see the records borrowed.
        let chunks: Vec<(u32, Vec<u8>)> =
            self.records.borrow().chunks.iter().map(|(id, bytes)| (*id, bytes.clone())).collect();
        self.count_chunk_reads(chunks.len());
        for (id, bytes) in chunks {
            each(id, bytes);
        }
        Ok(())
    }

    async fn snapshot_chunks_by_id(&self, chunks: &[u32]) -> Result<Vec<Option<Vec<u8>>>, MemoryError> {
        let records = self.records.borrow();
        let found: Vec<_> = chunks.iter().map(|chunk| records.chunks.get(chunk).cloned()).collect();
        self.count_chunk_reads(found.iter().flatten().count());
        Ok(found)
    }

    async fn log_pages(&self, pages: &[String]) -> Result<Vec<Option<Vec<u8>>>, MemoryError> {
        let records = self.records.borrow();
        Ok(pages.iter().map(|page| records.log_pages.get(page).cloned()).collect())
    }

    async fn log_page_range(&self, after: Option<&str>, limit: usize) -> Result<Vec<(String, Vec<u8>)>, MemoryError> {
        Ok(range_after(&self.records.borrow().log_pages, after, limit))
    }

    async fn legacy_op_logs(&self, limit: usize) -> Result<Vec<(String, Vec<u8>)>, MemoryError> {
        Ok(range_after(&self.records.borrow().legacy_op_logs, None, limit))
    }

    async fn meta(&self, key: &str) -> Result<Option<String>, MemoryError> {
        Ok(self.records.borrow().meta.get(key).cloned())
    }

    fn write(&self, _durability: Durability) -> Result<MemoryTx<'_>, MemoryError> {
        Ok(MemoryTx { store: self, writes: Records::default(), deleted_meta: Vec::new(), deleted_legacy: Vec::new() })
    }
}

impl WriteTx for MemoryTx<'_> {
    type Error = MemoryError;

    async fn log_pages(&mut self, pages: &[String]) -> Result<Vec<Option<Vec<u8>>>, MemoryError> {
        let committed = self.store.records.borrow();
        Ok(pages
            .iter()
            .map(|page| self.writes.log_pages.get(page).or_else(|| committed.log_pages.get(page)).cloned())
            .collect())
    }

    async fn snapshot_chunks(&mut self, chunks: &[u32]) -> Result<Vec<Option<Vec<u8>>>, MemoryError> {
        let committed = self.store.records.borrow();
        Ok(chunks
            .iter()
            .map(|chunk| self.writes.chunks.get(chunk).or_else(|| committed.chunks.get(chunk)).cloned())
            .collect())
    }

    async fn meta(&mut self, key: &str) -> Result<Option<String>, MemoryError> {
        if self.deleted_meta.iter().any(|deleted| deleted == key) {
            return Ok(None);
        }
        let committed = self.store.records.borrow();
        Ok(self.writes.meta.get(key).or_else(|| committed.meta.get(key)).cloned())
    }

    fn put_log_page(&mut self, page: &str, bytes: &[u8]) -> Result<(), MemoryError> {
        self.writes.log_pages.insert(page.to_owned(), bytes.to_vec());
        Ok(())
    }

    fn put_snapshot_chunk(&mut self, chunk: u32, bytes: &[u8]) -> Result<(), MemoryError> {
        self.writes.chunks.insert(chunk, bytes.to_vec());
        Ok(())
    }

    fn put_meta(&mut self, key: &str, value: &str) -> Result<(), MemoryError> {
        self.deleted_meta.retain(|deleted| deleted != key);
        self.writes.meta.insert(key.to_owned(), value.to_owned());
        Ok(())
    }

    fn delete_meta(&mut self, key: &str) -> Result<(), MemoryError> {
        self.writes.meta.remove(key);
        self.deleted_meta.push(key.to_owned());
        Ok(())
    }

    fn delete_legacy_op_log(&mut self, doc: &str) -> Result<(), MemoryError> {
        self.deleted_legacy.push(doc.to_owned());
        Ok(())
    }

    fn quarantine(&mut self, key: &str, raw: &[u8], reason: &str) -> Result<(), MemoryError> {
        self.writes.quarantine.insert(key.to_owned(), (raw.to_vec(), reason.to_owned()));
        Ok(())
    }

    async fn commit(self) -> Result<(), MemoryError> {
        let (remaining, error) = self.store.failing_commits.get();
        if remaining > 0 {
            self.store.failing_commits.set((remaining - 1, error));
            return Err(error.unwrap_or(MemoryError::Unavailable));
        }
        let mut records = self.store.records.borrow_mut();
        records.log_pages.extend(self.writes.log_pages);
        records.chunks.extend(self.writes.chunks);
        for key in &self.deleted_meta {
            records.meta.remove(key);
        }
        records.meta.extend(self.writes.meta);
        for key in &self.deleted_legacy {
            records.legacy_op_logs.remove(key);
        }
        records.quarantine.extend(self.writes.quarantine);
        self.store.commits.set(self.store.commits.get() + 1);
        Ok(())
    }
}
