//! [`Desk`]: a workspace kept in step with a [`Store`] — what the browser app holds.

use std::cell::{Ref, RefCell};

use futures_util::lock::Mutex;

use super::codec::{SNAPSHOT_CHUNKS, chunk_of, decode_chunk, decode_op_log, encode_chunk};
use super::commit::{CommitError, CommitReport, commit, fold_snapshot};
use super::store::{Durability, Store, WriteTx, meta_keys};
use crate::command::CommandError;
use crate::hlc::{Clock, ReplicaId, Timestamp};
use crate::id::Entropy;
use crate::model::Actor;
use crate::op::{DocKey, Op, OpFactory};
use crate::replica::Planned;
use crate::workspace::{DocSnapshot, Workspace};

/// Why a desk operation failed. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum DeskError<E: std::error::Error + 'static> {
    #[error(transparent)]
    Command(#[from] CommandError),
    #[error(transparent)]
    Store(E),
}

impl<E: std::error::Error + 'static> From<CommitError<E>> for DeskError<E> {
    fn from(error: CommitError<E>) -> Self {
        match error {
            CommitError::Store(error) => DeskError::Store(error),
        }
    }
}

/// What opening a workspace found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenReport {
    pub tickets: usize,
    pub documents: usize,
    /// Snapshot chunks that could not be read (their documents were rebuilt from op logs).
    pub unreadable_chunks: usize,
    /// Op logs that could not be read during a rebuild: those documents are missing until the
    /// record is repaired or replaced by newer ops.
    pub unreadable_op_logs: Vec<String>,
    /// Whether snapshots were rebuilt from the op logs (slower open, then fast again).
    pub rebuilt_snapshots: bool,
    /// The progress marker of an import that did not finish (JSON `{file, total, done}`).
    pub interrupted_import: Option<String>,
}

struct Inner<E> {
    workspace: Workspace,
    clock: Clock,
    entropy: E,
}

/// A workspace backed by a store. Reads go to the in-memory [`Workspace`]; every change is
/// committed to the store first and then reflected in memory exactly as stored.
///
/// Changes run one at a time (an async lock), so a command is always planned against the state
/// the previous one left. The workspace is only borrowed between awaits, never across one.
pub struct Desk<S, E> {
    store: S,
    inner: RefCell<Inner<E>>,
    writer: Mutex<()>,
}

impl<S, E> std::fmt::Debug for Desk<S, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Desk").finish_non_exhaustive()
    }
}

/// How many op logs a rebuild reads per page.
const REBUILD_PAGE: usize = 1_000;

impl<S: Store, E: Entropy> Desk<S, E> {
    /// Opens the workspace in `store`: reads the snapshot chunks (rebuilding them from the op logs
    /// if any is unreadable or marked stale) and restores the clock.
    pub async fn open(store: S, replica: ReplicaId, entropy: E, wall_ms: u64) -> Result<(Self, OpenReport), S::Error> {
        let mut report = OpenReport::default();
        let mut snapshots = Vec::new();
        for (_, bytes) in store.snapshot_chunks().await? {
            match decode_chunk(&bytes) {
                Ok(decoded) => snapshots.extend(decoded),
                Err(_) => report.unreadable_chunks += 1,
            }
        }
        let stale = store.meta(meta_keys::SNAPSHOTS_STALE).await?.is_some();
        report.interrupted_import = store.meta(meta_keys::IMPORT).await?;
        let desk = Desk {
            store,
            inner: RefCell::new(Inner { workspace: Workspace::new(), clock: Clock::new(replica), entropy }),
            writer: Mutex::new(()),
        };
        if stale || report.unreadable_chunks > 0 {
            report.unreadable_op_logs = desk.rebuild_snapshots(wall_ms).await?;
            report.rebuilt_snapshots = true;
        } else {
            desk.inner.borrow_mut().workspace = Workspace::restore(snapshots);
        }
        desk.observe_stored_clock(wall_ms).await?;
        let inner = desk.inner.borrow();
        report.tickets = inner.workspace.ticket_count();
        report.documents = inner.workspace.doc_keys().count();
        drop(inner);
        Ok((desk, report))
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    pub fn replica(&self) -> ReplicaId {
        self.inner.borrow().clock.replica()
    }

    /// The workspace as stored. Do not hold the borrow across an await.
    pub fn workspace(&self) -> Ref<'_, Workspace> {
        Ref::map(self.inner.borrow(), |inner| &inner.workspace)
    }

    /// Moves the clock past the highest timestamp in storage (written by any tab or session).
    async fn observe_stored_clock(&self, wall_ms: u64) -> Result<(), S::Error> {
        let stored: Option<Timestamp> =
            self.store.meta(meta_keys::CLOCK).await?.and_then(|text| serde_json::from_str(&text).ok());
        if let Some(stored) = stored {
            self.inner.borrow_mut().clock.observe(stored, wall_ms);
        }
        Ok(())
    }

    /// Reads these documents' ops from storage into memory (for a ticket: its conversation and
    /// history). Documents already loaded are read again: another tab may have written to them, and
    /// opening a ticket must show what is stored. Returns keys of op logs that could not be read.
    pub async fn load(&self, docs: &[DocKey]) -> Result<Vec<String>, S::Error> {
        if docs.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<String> = docs.iter().map(DocKey::encode).collect();
        let logs = self.store.op_logs(&keys).await?;
        let mut unreadable = Vec::new();
        let mut inner = self.inner.borrow_mut();
        for ((doc, key), log) in docs.iter().zip(keys).zip(logs) {
            match log.as_deref().map(decode_op_log) {
                Some(Ok(ops)) => {
                    inner.workspace.load(*doc, ops);
                }
                // Nothing stored: nothing to load (a document this replica knows only from memory
                // keeps its state).
                None => {}
                Some(Err(_)) => unreadable.push(key),
            }
        }
        Ok(unreadable)
    }

    /// Frees a ticket's conversation from memory (its summary stays). Loading it again reads storage.
    pub fn unload_ticket(&self, id: crate::id::TicketId) {
        self.inner.borrow_mut().workspace.unload_ticket(id);
    }

    /// Runs a command as `actor` at `wall_ms`: plans it against the current state, commits its ops
    /// in one transaction, then reflects them in memory. On any error nothing changed.
    pub async fn execute<P: Planned>(
        &self,
        actor: Actor,
        wall_ms: u64,
        command: impl FnOnce(&Workspace, &mut OpFactory<'_>) -> Result<P, CommandError>,
    ) -> Result<P, DeskError<S::Error>> {
        let _turn = self.writer.lock().await;
        let planned = {
            let mut inner = self.inner.borrow_mut();
            let Inner { workspace, clock, entropy } = &mut *inner;
            let mut factory = OpFactory::new(actor, clock, entropy, wall_ms);
            command(workspace, &mut factory)?
        };
        if !planned.ops().is_empty() {
            let report = commit(&self.store, planned.ops().to_vec(), &[], Durability::Strict).await?;
            self.reconcile(&report);
        }
        Ok(planned)
    }

    /// Admits ops from elsewhere (sync, a file), clamping far-future timestamps, and commits them
    /// with `meta` in one transaction.
    pub async fn receive(
        &self,
        ops: Vec<Op>,
        wall_ms: u64,
        meta: &[(&str, Option<String>)],
    ) -> Result<CommitReport, S::Error> {
        let _turn = self.writer.lock().await;
        let admitted: Vec<Op> = {
            let mut inner = self.inner.borrow_mut();
            ops.into_iter().map(|op| Op { ts: inner.clock.admit(op.ts, wall_ms), ..op }).collect()
        };
        let report =
            commit(&self.store, admitted, meta, Durability::Relaxed).await.map_err(|CommitError::Store(error)| error)?;
        self.reconcile(&report);
        Ok(report)
    }

    /// Re-reads documents another tab changed: loaded ones from their op logs, the rest from
    /// their snapshot chunks; and moves the clock past what that tab stored.
    pub async fn refresh(&self, docs: &[DocKey], wall_ms: u64) -> Result<(), S::Error> {
        let _turn = self.writer.lock().await;
        let (loaded, unloaded): (Vec<DocKey>, Vec<DocKey>) = {
            let inner = self.inner.borrow();
            docs.iter().partition(|doc| inner.workspace.has_loaded(**doc))
        };
        if !loaded.is_empty() {
            let keys: Vec<String> = loaded.iter().map(DocKey::encode).collect();
            let logs = self.store.op_logs(&keys).await?;
            let mut inner = self.inner.borrow_mut();
            for (doc, log) in loaded.into_iter().zip(logs) {
                if let Some(Ok(ops)) = log.as_deref().map(decode_op_log) {
                    inner.workspace.load(doc, ops);
                }
            }
        }
        if !unloaded.is_empty() {
            let wanted_chunks: std::collections::BTreeSet<u32> = unloaded.iter().map(|doc| chunk_of(*doc)).collect();
            let chunks = self.store.snapshot_chunks().await?;
            let mut inner = self.inner.borrow_mut();
            for (_, bytes) in chunks.into_iter().filter(|(id, _)| wanted_chunks.contains(id)) {
                for snapshot in decode_chunk(&bytes).unwrap_or_default() {
                    if unloaded.contains(&snapshot.doc()) {
                        inner.workspace.restore_snapshot(snapshot);
                    }
                }
            }
        }
        self.observe_stored_clock(wall_ms).await
    }

    /// Makes memory match what a commit stored: documents that were loaded take the stored op
    /// log; the others take the stored snapshot (a bulk import leaves 100,000 new tickets as
    /// summaries, not as 100,000 conversations in memory).
    fn reconcile(&self, report: &CommitReport) {
        let mut inner = self.inner.borrow_mut();
        for committed in &report.docs {
            if inner.workspace.has_loaded(committed.doc) {
                inner.workspace.load(committed.doc, committed.ops.clone());
            } else if let Some(snapshot) = committed.snapshot.clone() {
                inner.workspace.restore_snapshot(snapshot);
            }
        }
    }

    /// Rebuilds every snapshot chunk from the op logs, in one transaction, and restores the
    /// workspace from the result. Returns the keys of op logs that could not be read.
    pub async fn rebuild_snapshots(&self, wall_ms: u64) -> Result<Vec<String>, S::Error> {
        let _turn = self.writer.lock().await;
        let mut snapshots: Vec<DocSnapshot> = Vec::new();
        let mut unreadable = Vec::new();
        let mut highest: Option<Timestamp> = None;
        let mut after: Option<String> = None;
        loop {
            let page = self.store.op_log_page(after.as_deref(), REBUILD_PAGE).await?;
            let Some((last, _)) = page.last() else { break };
            after = Some(last.clone());
            for (key, log) in page {
                let (Some(doc), Ok(ops)) = (DocKey::decode(&key), decode_op_log(&log)) else {
                    unreadable.push(key);
                    continue;
                };
                highest = ops.iter().map(|op| op.ts).chain(highest).max();
                snapshots.extend(fold_snapshot(doc, &ops));
            }
        }
        let mut chunks: Vec<Vec<DocSnapshot>> = vec![Vec::new(); SNAPSHOT_CHUNKS as usize];
        for snapshot in &snapshots {
            chunks[chunk_of(snapshot.doc()) as usize].push(snapshot.clone());
        }
        let mut tx = self.store.write(Durability::Strict)?;
        for (id, mut chunk) in chunks.into_iter().enumerate() {
            chunk.sort_by_key(DocSnapshot::doc);
            tx.put_snapshot_chunk(id as u32, &encode_chunk(&chunk))?;
        }
        tx.delete_meta(meta_keys::SNAPSHOTS_STALE)?;
        if let Some(highest) = highest {
            tx.put_meta(meta_keys::CLOCK, &serde_json::to_string(&highest).expect("timestamps serialise"))?;
        }
        tx.commit().await?;
        let mut inner = self.inner.borrow_mut();
        inner.workspace = Workspace::restore(snapshots);
        if let Some(highest) = highest {
            inner.clock.observe(highest, wall_ms);
        }
        Ok(unreadable)
    }
}
