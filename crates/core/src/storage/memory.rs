//! [`MemoryStore`]: the storage contract in memory, for tests, with failure injection.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use super::store::{Durability, Store, WriteTx};

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
    op_logs: BTreeMap<String, String>,
    chunks: BTreeMap<u32, Vec<u8>>,
    meta: BTreeMap<String, String>,
    quarantine: BTreeMap<String, (String, String)>,
}

/// An in-memory [`Store`]. Transactions buffer their writes and apply them at commit, so a
/// failed or dropped transaction leaves nothing behind, like IndexedDB.
#[derive(Debug, Default)]
pub struct MemoryStore {
    records: RefCell<Records>,
    /// How many upcoming commits fail, and with what.
    failing_commits: Cell<(u32, Option<MemoryError>)>,
    commits: Cell<u32>,
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

    /// Overwrites a record with arbitrary text, as disk corruption or a buggy old version might.
    pub fn corrupt_op_log(&self, doc: &str, garbage: &str) {
        self.records.borrow_mut().op_logs.insert(doc.to_owned(), garbage.to_owned());
    }

    pub fn corrupt_chunk(&self, chunk: u32, garbage: &[u8]) {
        self.records.borrow_mut().chunks.insert(chunk, garbage.to_vec());
    }

    pub fn quarantined(&self) -> Vec<String> {
        self.records.borrow().quarantine.keys().cloned().collect()
    }

    pub fn op_log_keys(&self) -> Vec<String> {
        self.records.borrow().op_logs.keys().cloned().collect()
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
}

impl Store for MemoryStore {
    type Error = MemoryError;
    type Tx<'a> = MemoryTx<'a>;

    async fn snapshot_chunks(&self) -> Result<Vec<(u32, Vec<u8>)>, MemoryError> {
        Ok(self.records.borrow().chunks.iter().map(|(id, bytes)| (*id, bytes.clone())).collect())
    }

    async fn op_logs(&self, docs: &[String]) -> Result<Vec<Option<String>>, MemoryError> {
        let records = self.records.borrow();
        Ok(docs.iter().map(|doc| records.op_logs.get(doc).cloned()).collect())
    }

    async fn op_log_page(&self, after: Option<&str>, limit: usize) -> Result<Vec<(String, String)>, MemoryError> {
        let records = self.records.borrow();
        let start = match after {
            Some(after) => std::ops::Bound::Excluded(after.to_owned()),
            None => std::ops::Bound::Unbounded,
        };
        Ok(records
            .op_logs
            .range((start, std::ops::Bound::Unbounded))
            .take(limit)
            .map(|(key, log)| (key.clone(), log.clone()))
            .collect())
    }

    async fn meta(&self, key: &str) -> Result<Option<String>, MemoryError> {
        Ok(self.records.borrow().meta.get(key).cloned())
    }

    fn write(&self, _durability: Durability) -> Result<MemoryTx<'_>, MemoryError> {
        Ok(MemoryTx { store: self, writes: Records::default(), deleted_meta: Vec::new() })
    }
}

impl WriteTx for MemoryTx<'_> {
    type Error = MemoryError;

    async fn op_logs(&mut self, docs: &[String]) -> Result<Vec<Option<String>>, MemoryError> {
        let committed = self.store.records.borrow();
        Ok(docs
            .iter()
            .map(|doc| self.writes.op_logs.get(doc).or_else(|| committed.op_logs.get(doc)).cloned())
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

    fn put_op_log(&mut self, doc: &str, log: &str) -> Result<(), MemoryError> {
        self.writes.op_logs.insert(doc.to_owned(), log.to_owned());
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

    fn quarantine(&mut self, key: &str, raw: &str, reason: &str) -> Result<(), MemoryError> {
        self.writes.quarantine.insert(key.to_owned(), (raw.to_owned(), reason.to_owned()));
        Ok(())
    }

    async fn commit(self) -> Result<(), MemoryError> {
        let (remaining, error) = self.store.failing_commits.get();
        if remaining > 0 {
            self.store.failing_commits.set((remaining - 1, error));
            return Err(error.unwrap_or(MemoryError::Unavailable));
        }
        let mut records = self.store.records.borrow_mut();
        records.op_logs.extend(self.writes.op_logs);
        records.chunks.extend(self.writes.chunks);
        for key in &self.deleted_meta {
            records.meta.remove(key);
        }
        records.meta.extend(self.writes.meta);
        records.quarantine.extend(self.writes.quarantine);
        self.store.commits.set(self.store.commits.get() + 1);
        Ok(())
    }
}
