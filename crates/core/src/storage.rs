//! Persistence of a workspace, without doing any IO: the layout, the codecs, the storage contract
//! ([`Store`]), the commit algorithm, and [`Desk`], which keeps a [`crate::Workspace`] in step
//! with a store. The browser implements [`Store`] over IndexedDB; [`MemoryStore`] implements it
//! for tests.
//!
//! # Layout
//!
//! - **Log pages**: the durable record of everything that happened. Each document's ops, in fold
//!   order, are one op log (a format byte plus postcard); op logs are grouped into pages by
//!   document kind and creation time ([`page_of`]), because IndexedDB pays per record far more
//!   than per byte. Schema versions 1–2 kept one JSON record per document; those are moved into
//!   pages after opening.
//! - **Snapshot chunks**: the state of every document ([`crate::DocSnapshot`]: a ticket's
//!   summary, a customer's profile, …), packed into [`SNAPSHOT_CHUNKS`] binary records by a hash
//!   of the document key. Start-up reads only these — 128 records, not one per ticket — and shows
//!   the workspace without reading a single op. Snapshots are a cache: they can always be rebuilt
//!   from the op logs, so a compact binary encoding (postcard) with a format byte is fine.
//! - **Meta**: small named values (the clock's high-water mark, an interrupted import, …).
//! - **Quarantine**: records that could not be read, kept for support instead of being deleted.
//!
//! # Commits
//!
//! Every change goes through [`commit`]: in one read-write transaction it reads the log pages of
//! the touched documents, merges the new ops in (the same dedupe rule as the in-memory workspace),
//! writes each changed page back with the documents' new snapshots, and updates the snapshot chunks. Reading
//! inside the transaction is what keeps two browser tabs writing the same ticket from overwriting
//! each other's ops; doing it all in one transaction is what makes a user action, an import batch
//! or a sync page land completely or not at all.

mod codec;
mod commit;
mod desk;
mod memory;
mod store;

pub use codec::{
    ChunkEntry, CodecError, LogPage, SNAPSHOT_CHUNKS, chunk_of, decode_chunk, decode_log_page, decode_op_log,
    encode_chunk, encode_log_page, encode_op_log, page_of,
};
pub use commit::{CommitError, CommitOptions, CommitReport, CommittedDoc, Snapshots, commit, write_snapshot_entries};
pub use desk::{Desk, DeskError, NoPause, OpenReport, Pacer, SearchStatus};
pub use memory::{MemoryError, MemoryStore};
pub use store::{Durability, Store, WriteTx, meta_keys};
