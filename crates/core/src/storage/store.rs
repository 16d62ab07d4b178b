//! The storage contract: what a persistent store must provide for [`super::Desk`].
//!
//! Implementations: IndexedDB in the browser app (`src/store/`), [`super::MemoryStore`] here.
//! Stores move opaque records; encoding, grouping, merging and folding are this crate's job.

// The futures are deliberately not `Send`: IndexedDB futures live on the browser's single thread.
#![allow(async_fn_in_trait)]

/// Names of the meta values core keeps.
pub mod meta_keys {
    /// The highest HLC timestamp stored (JSON), so a restarted replica's clock orders new ops
    /// after everything it wrote before, without reading every op.
    pub const CLOCK: &str = "clock";
    /// How many reasons there are to distrust the snapshot chunks (an unreadable chunk, a bulk
    /// job that has not flushed yet), as a decimal count. Above zero at open, snapshots are rebuilt
    /// from the op logs.
    pub const SNAPSHOTS_STALE: &str = "snapshots-stale";
    /// An import in progress (JSON `{file, total, done}`); cleared by its last batch.
    pub const IMPORT: &str = "import";
}

/// How hard a transaction must push its writes to disk before it counts as committed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Flushed to disk: survives a power cut. For what a person just did (a reply, a status).
    Strict,
    /// Handed to the operating system: survives the browser crashing, not the machine. For bulk
    /// batches (an import, a sync page), which are idempotent and can simply run again.
    Relaxed,
}

/// A workspace's persistent storage.
pub trait Store {
    /// Errors the store reports (quota exceeded, storage unavailable, …), with messages a person
    /// can act on.
    type Error: std::error::Error + 'static;
    type Tx<'a>: WriteTx<Error = Self::Error>
    where
        Self: 'a;

    /// Hands every snapshot chunk to `each` as `(chunk id, bytes)`, in any order, as they are
    /// read. A store that reads in the background goes on reading while `each` runs: start-up
    /// decodes the first chunks while the browser is still reading the rest.
    async fn snapshot_chunks(&self, each: &mut dyn FnMut(u32, Vec<u8>)) -> Result<(), Self::Error>;

    /// The chunks with these ids, in the same order; `None` where a chunk has no record. For
    /// reading a few documents another tab changed without copying every chunk.
    async fn snapshot_chunks_by_id(&self, chunks: &[u32]) -> Result<Vec<Option<Vec<u8>>>, Self::Error>;

    /// The log pages with these keys (from `page_of`), in the same order; `None` where a page has
    /// no record. A record that is not a byte array is returned as bytes that do not decode (so it
    /// gets quarantined, not lost).
    async fn log_pages(&self, pages: &[String]) -> Result<Vec<Option<Vec<u8>>>, Self::Error>;

    /// Log pages in key order, at most `limit`, starting after `after` (for export and rebuilds).
    async fn log_page_range(&self, after: Option<&str>, limit: usize) -> Result<Vec<(String, Vec<u8>)>, Self::Error>;

    /// Per-document op logs written by schema versions 1 and 2, the first `limit` in key order
    /// (text records as their UTF-8 bytes). They are moved into log pages after opening.
    async fn legacy_op_logs(&self, limit: usize) -> Result<Vec<(String, Vec<u8>)>, Self::Error>;

    async fn meta(&self, key: &str) -> Result<Option<String>, Self::Error>;

    /// Begins one read-write transaction over all records. Everything written through it lands
    /// at [`WriteTx::commit`], or not at all if the transaction is dropped or fails.
    fn write(&self, durability: Durability) -> Result<Self::Tx<'_>, Self::Error>;
}

/// One read-write transaction. Reads see what the transaction wrote.
///
/// The caller awaits nothing but the transaction's own futures between [`Store::write`] and
/// [`WriteTx::commit`] (IndexedDB commits a transaction by itself when it is left idle).
pub trait WriteTx {
    type Error;

    async fn log_pages(&mut self, pages: &[String]) -> Result<Vec<Option<Vec<u8>>>, Self::Error>;
    /// The chunks with these ids, in the same order; `None` where a chunk has no record.
    async fn snapshot_chunks(&mut self, chunks: &[u32]) -> Result<Vec<Option<Vec<u8>>>, Self::Error>;
    async fn meta(&mut self, key: &str) -> Result<Option<String>, Self::Error>;

    fn put_log_page(&mut self, page: &str, bytes: &[u8]) -> Result<(), Self::Error>;
    fn put_snapshot_chunk(&mut self, chunk: u32, bytes: &[u8]) -> Result<(), Self::Error>;
    fn put_meta(&mut self, key: &str, value: &str) -> Result<(), Self::Error>;
    fn delete_meta(&mut self, key: &str) -> Result<(), Self::Error>;
    /// Removes a per-document op log of schema versions 1–2 (once moved into a page).
    fn delete_legacy_op_log(&mut self, doc: &str) -> Result<(), Self::Error>;
    /// Sets an unreadable record aside under `key`, with a note of why.
    fn quarantine(&mut self, key: &str, raw: &[u8], reason: &str) -> Result<(), Self::Error>;

    /// Makes everything written durable, atomically.
    async fn commit(self) -> Result<(), Self::Error>;
}

/// Desks (browser tabs, tests) share one store by reference.
impl<S: Store> Store for &S {
    type Error = S::Error;
    type Tx<'a>
        = S::Tx<'a>
    where
        Self: 'a;

    async fn snapshot_chunks(&self, each: &mut dyn FnMut(u32, Vec<u8>)) -> Result<(), Self::Error> {
        (**self).snapshot_chunks(each).await
    }

    async fn snapshot_chunks_by_id(&self, chunks: &[u32]) -> Result<Vec<Option<Vec<u8>>>, Self::Error> {
        (**self).snapshot_chunks_by_id(chunks).await
    }

    async fn log_pages(&self, pages: &[String]) -> Result<Vec<Option<Vec<u8>>>, Self::Error> {
        (**self).log_pages(pages).await
    }

    async fn log_page_range(&self, after: Option<&str>, limit: usize) -> Result<Vec<(String, Vec<u8>)>, Self::Error> {
        (**self).log_page_range(after, limit).await
    }

    async fn legacy_op_logs(&self, limit: usize) -> Result<Vec<(String, Vec<u8>)>, Self::Error> {
        (**self).legacy_op_logs(limit).await
    }

    async fn meta(&self, key: &str) -> Result<Option<String>, Self::Error> {
        (**self).meta(key).await
    }

    fn write(&self, durability: Durability) -> Result<Self::Tx<'_>, Self::Error> {
        (**self).write(durability)
    }
}

impl<S: Store> Store for std::rc::Rc<S> {
    type Error = S::Error;
    type Tx<'a>
        = S::Tx<'a>
    where
        Self: 'a;

    async fn snapshot_chunks(&self, each: &mut dyn FnMut(u32, Vec<u8>)) -> Result<(), Self::Error> {
        (**self).snapshot_chunks(each).await
    }

    async fn snapshot_chunks_by_id(&self, chunks: &[u32]) -> Result<Vec<Option<Vec<u8>>>, Self::Error> {
        (**self).snapshot_chunks_by_id(chunks).await
    }

    async fn log_pages(&self, pages: &[String]) -> Result<Vec<Option<Vec<u8>>>, Self::Error> {
        (**self).log_pages(pages).await
    }

    async fn log_page_range(&self, after: Option<&str>, limit: usize) -> Result<Vec<(String, Vec<u8>)>, Self::Error> {
        (**self).log_page_range(after, limit).await
    }

    async fn legacy_op_logs(&self, limit: usize) -> Result<Vec<(String, Vec<u8>)>, Self::Error> {
        (**self).legacy_op_logs(limit).await
    }

    async fn meta(&self, key: &str) -> Result<Option<String>, Self::Error> {
        (**self).meta(key).await
    }

    fn write(&self, durability: Durability) -> Result<Self::Tx<'_>, Self::Error> {
        (**self).write(durability)
    }
}
