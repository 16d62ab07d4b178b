//! [`Desk`]: a workspace kept in step with a [`Store`] — what the browser app holds.

use std::cell::{Ref, RefCell};
use std::collections::BTreeMap;

use futures_util::lock::Mutex;

use super::codec::{
    ChunkEntry, SNAPSHOT_CHUNKS, chunk_of, decode_chunk, decode_log_page, decode_op_log, encode_chunk, page_of,
};
use super::commit::{
    CommitError, CommitOptions, CommitReport, Snapshots, add_to_stale_count, commit, fold_snapshot,
    write_snapshot_entries,
};
use super::store::{Durability, Store, WriteTx, meta_keys};
use crate::command::CommandError;
use crate::hlc::{Clock, ReplicaId, Timestamp};
use crate::id::Entropy;
use crate::model::Actor;
use crate::op::{DocKey, Op, OpFactory};
use crate::replica::Planned;
use crate::search::SearchIndex;
use crate::ticket::TicketDoc;
use crate::workspace::{DocSnapshot, Workspace};

/// Folds a ticket's stored ops and indexes it.
fn index_ops(index: &mut SearchIndex, ops: &[Op]) {
    let mut doc = TicketDoc::default();
    for op in ops {
        doc.apply(op, None);
    }
    if let Some(ticket) = doc.ticket() {
        index.index_ticket(ticket, ops.len());
    }
}

/// Brings one changed document into the index: a ticket from the workspace when it is loaded
/// there, else from `stored` (its stored ops); a customer from the workspace.
fn reindex(index: &mut SearchIndex, workspace: &Workspace, doc: DocKey, stored: Option<&[Op]>) {
    match doc {
        DocKey::Ticket(id) => match (workspace.ticket(id), stored) {
            (Some(ticket), _) => index.index_ticket(ticket, workspace.ops_of(doc).len()),
            (None, Some(ops)) => index_ops(index, ops),
            (None, None) => {
                if let Some(summary) = workspace.summary(id) {
                    index.observe_summary(summary);
                }
            }
        },
        DocKey::Customer(id) => {
            if let Some(entry) = workspace.customer(id) {
                index.index_customer(id, &entry.profile);
            }
        }
        _ => {}
    }
}

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
    /// Per-document op logs of schema versions 1–2 moved into log pages during this open.
    pub migrated_op_logs: usize,
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

/// See [`Desk::observe`].
type CommitObserver = Box<dyn Fn(&[Op])>;

/// A workspace backed by a store. Reads go to the in-memory [`Workspace`]; every change is
/// committed to the store first and then reflected in memory exactly as stored.
///
/// Changes run one at a time (an async lock), so a command is always planned against the state
/// the previous one left. The workspace is only borrowed between awaits, never across one.
pub struct Desk<S, E> {
    store: S,
    inner: RefCell<Inner<E>>,
    writer: Mutex<()>,
    /// Snapshots a bulk job has not flushed yet: document → (snapshot, version).
    deferred: RefCell<BTreeMap<DocKey, (Option<DocSnapshot>, u32)>>,
    /// The search index, once [`Desk::build_search_index`] started; kept in step with every
    /// change from then on.
    search: RefCell<Option<SearchIndex>>,
    search_status: std::cell::Cell<SearchStatus>,
    /// Told of every op this desk commits that storage did not have (see [`Desk::observe`]).
    observer: RefCell<Option<CommitObserver>>,
    /// When each ticket next needs the time-based rules (see [`Desk::run_due_rules`]).
    timers: RefCell<crate::rules::TimerSchedule>,
}

/// Where the search index stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchStatus {
    /// Not started: search finds nothing yet.
    Off,
    /// Reading the stored conversations: `indexed` of `total` tickets are searchable.
    Building { indexed: usize, total: usize },
    /// Every ticket is searchable.
    Ready,
}

/// How a long job ([`Desk::build_search_index`]) lets a browser page answer its user: the job
/// asks [`Pacer::due`] after each small unit of work and, when it is, awaits [`Pacer::rest`],
/// which gives the page's event loop a turn (input, rendering) before the job goes on. The core
/// has no clock; the app's pacer measures its slices with the browser's.
pub trait Pacer {
    type Rest: std::future::Future<Output = ()>;
    /// Whether the work since the last rest has run long enough.
    fn due(&mut self) -> bool;
    /// A turn for everything else; the job resumes when it completes.
    fn rest(&mut self) -> Self::Rest;
}

/// A pacer that never rests: for native callers and tests, where nobody waits on the thread.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoPause;

impl Pacer for NoPause {
    type Rest = std::future::Ready<()>;

    fn due(&mut self) -> bool {
        false
    }

    fn rest(&mut self) -> Self::Rest {
        std::future::ready(())
    }
}

async fn pace(pacer: &mut impl Pacer) {
    if pacer.due() {
        pacer.rest().await;
    }
}

impl<S, E> std::fmt::Debug for Desk<S, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Desk").finish_non_exhaustive()
    }
}

/// How many log pages a rebuild reads at a time.
const REBUILD_PAGES: usize = 200;
/// How many log pages the search index build reads at a time: small enough that the work between
/// two reads stays well under a frame's worth of a busy page's time on a slow machine.
const SEARCH_PAGES: usize = 8;
/// Every ticket page's key starts with this, and sorts after it (see `page_of`).
const TICKET_PAGES_AFTER: &str = "t:";
/// How many per-document op logs of schema versions 1–2 one migration transaction moves.
const MIGRATION_BATCH: usize = 500;

impl<S: Store, E: Entropy> Desk<S, E> {
    /// Opens the workspace in `store`: reads the snapshot chunks (rebuilding them from the op logs
    /// if any is unreadable or marked stale) and restores the clock.
    pub async fn open(store: S, replica: ReplicaId, entropy: E, wall_ms: u64) -> Result<(Self, OpenReport), S::Error> {
        let mut report = OpenReport::default();
        // Decode and restore chunk by chunk, dropping each chunk's bytes as soon as it is in the
        // workspace: at 100,000 tickets, holding every chunk and every decoded snapshot at once
        // would double start-up memory.
        // The store goes on reading later chunks while earlier ones are decoded here.
        let mut restored = Workspace::new();
        let mut reserved = false;
        let mut batch = restored.restore_batch();
        store
            .snapshot_chunks(&mut |_, bytes| match decode_chunk(&bytes) {
                Ok(decoded) => {
                    drop(bytes);
                    if !reserved {
                        // Chunks are filled evenly (by hash): the first tells how big the maps get.
                        batch.reserve(decoded.len() * (SNAPSHOT_CHUNKS as usize + 1));
                        reserved = true;
                    }
                    for entry in decoded {
                        batch.add(entry.snapshot);
                    }
                }
                Err(_) => report.unreadable_chunks += 1,
            })
            .await?;
        batch.finish();
        // Any count above zero: a chunk was unreadable, or a bulk job never flushed.
        let stale = store.meta(meta_keys::SNAPSHOTS_STALE).await?.is_some_and(|count| count != "0");
        report.interrupted_import = store.meta(meta_keys::IMPORT).await?;
        let desk = Desk {
            store,
            inner: RefCell::new(Inner { workspace: Workspace::new(), clock: Clock::new(replica), entropy }),
            writer: Mutex::new(()),
            deferred: RefCell::new(BTreeMap::new()),
            search: RefCell::new(None),
            search_status: std::cell::Cell::new(SearchStatus::Off),
            observer: RefCell::new(None),
            timers: RefCell::new(crate::rules::TimerSchedule::default()),
        };
        if stale || report.unreadable_chunks > 0 {
            report.unreadable_op_logs = desk.rebuild_snapshots(wall_ms).await?;
            report.rebuilt_snapshots = true;
        } else {
            desk.inner.borrow_mut().workspace = restored;
        }
        let (migrated, unreadable) = desk.migrate_legacy_op_logs().await?;
        report.migrated_op_logs = migrated;
        report.unreadable_op_logs.extend(unreadable);
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

    /// The search index (`None` before [`Desk::build_search_index`]). Do not hold the borrow
    /// across an await.
    pub fn search(&self) -> Ref<'_, Option<SearchIndex>> {
        self.search.borrow()
    }

    pub fn search_status(&self) -> SearchStatus {
        self.search_status.get()
    }

    /// Builds the search index from the stored op logs, a few pages at a time, calling
    /// `progress(indexed, total)` after each. Changes committed meanwhile go into the index as
    /// they happen; a page read before such a change carries an older version of the ticket and
    /// does not overwrite it. Returns when every ticket is searchable.
    ///
    /// The build asks `pacer` after every few documents whether to rest: at 100,000 tickets it
    /// is seconds of work, and a page that runs it in slices of tens of milliseconds makes its
    /// user wait that long for every click.
    pub async fn build_search_index(
        &self,
        mut progress: impl FnMut(usize, usize),
        pacer: &mut impl Pacer,
    ) -> Result<(), S::Error> {
        /// How many names or summaries go into the index between two questions to the pacer.
        const BETWEEN_CHECKS: usize = 32;
        if self.search.borrow().is_some() {
            return Ok(());
        }
        let (customers, tickets) = {
            let workspace = self.workspace();
            let customers: Vec<_> = workspace.customers().map(|(id, _)| id).collect();
            let tickets: Vec<_> = workspace.tickets().map(|summary| summary.id).collect();
            (customers, tickets)
        };
        *self.search.borrow_mut() = Some(SearchIndex::new());
        let total = tickets.len();
        self.search_status.set(SearchStatus::Building { indexed: 0, total });
        // Names and fields first (filters and customer names work from here on), then the
        // conversations. Each item is looked up again: it may have changed during a rest, and
        // then the index has the change already and indexing it again changes nothing.
        for chunk in customers.chunks(BETWEEN_CHECKS) {
            self.with_search(|index, workspace| {
                for id in chunk {
                    if let Some(entry) = workspace.customer(*id) {
                        index.index_customer(*id, &entry.profile);
                    }
                }
            });
            pace(pacer).await;
        }
        for chunk in tickets.chunks(BETWEEN_CHECKS) {
            self.with_search(|index, workspace| {
                for summary in chunk.iter().filter_map(|id| workspace.summary(*id)) {
                    index.observe_summary(summary);
                }
            });
            pace(pacer).await;
        }
        // Only ticket pages hold conversations, and their keys sort together (see `page_of`):
        // the range starts just before them and ends at the first key past them. Decoding the
        // other pages only to skip them cost a 100 ms task per customer page (25,000 customers
        // imported at once share four pages).
        let mut after: Option<String> = Some(TICKET_PAGES_AFTER.to_owned());
        let mut past_tickets = false;
        while !past_tickets {
            let pages = self.store.log_page_range(after.as_deref(), SEARCH_PAGES).await?;
            let Some((last, _)) = pages.last() else { break };
            after = Some(last.clone());
            for (key, bytes) in pages {
                if !key.starts_with(TICKET_PAGES_AFTER) {
                    past_tickets = true;
                    break;
                }
                // Unreadable pages are reported by the desk's other paths; here they are skipped.
                let Ok(page) = decode_log_page(&bytes) else { continue };
                for (key, log) in page {
                    if !key.starts_with("t:") {
                        continue;
                    }
                    if let Ok(ops) = decode_op_log(&log) {
                        self.with_search(|index, _| index_ops(index, &ops));
                        pace(pacer).await;
                    }
                }
            }
            let indexed = self.search.borrow().as_ref().map_or(0, SearchIndex::indexed_tickets);
            let total = self.workspace().ticket_count();
            self.search_status.set(SearchStatus::Building { indexed, total });
            progress(indexed, total);
        }
        let mut step = self.with_search(|index, _| index.start_finish_bulk()).flatten();
        while let Some(next) = step {
            pace(pacer).await;
            step = self.with_search(|index, _| index.finish_bulk_step(next)).flatten();
        }
        self.search_status.set(SearchStatus::Ready);
        Ok(())
    }

    /// Prepares what the first sort by requester or subject would otherwise compute on the
    /// click (ranking 25,000 names; ordering 100,000 subjects, about 100 ms), in slices the
    /// `pacer` bounds, with the workspace borrowed only within a slice: changes made between
    /// slices are taken into account at the end. The app runs it just before building the search
    /// index.
    pub async fn prepare_sorts(&self, pacer: &mut impl Pacer) {
        /// Names or subjects read between two questions to the pacer (which rests only when
        /// its time is up).
        const SUBJECTS_PER_SLICE: usize = 128;
        // Bound first: the workspace must not stay borrowed across the rests.
        let ranks = self.workspace().start_customer_ranks();
        if let Some(mut build) = ranks {
            while !self.workspace().read_customer_names(&mut build, SUBJECTS_PER_SLICE) {
                pace(pacer).await;
            }
            pace(pacer).await;
            // One step, like the subjects below (25,000 names: about 3 ms natively).
            build.sort();
            pace(pacer).await;
            self.workspace().finish_customer_ranks(build);
        }
        pace(pacer).await;
        let Some(mut build) = self.workspace().start_subject_order() else {
            return;
        };
        while !self.workspace().read_subjects(&mut build, SUBJECTS_PER_SLICE) {
            pace(pacer).await;
        }
        // One step: ordering the subjects read sorts integers (17–21 ms at 100,000 in profiles).
        build.sort();
        pace(pacer).await;
        self.workspace().finish_subject_order(build);
    }

    /// Runs `work` on the search index (while it exists) and the workspace, borrowed only for
    /// the call.
    fn with_search<T>(&self, work: impl FnOnce(&mut SearchIndex, &Workspace) -> T) -> Option<T> {
        let mut search = self.search.borrow_mut();
        let workspace = self.workspace();
        search.as_mut().map(|index| work(index, &workspace))
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
        let (logs, mut unreadable) = self.read_op_logs(docs).await?;
        let mut inner = self.inner.borrow_mut();
        for (doc, log) in docs.iter().zip(logs) {
            match log {
                Some(Ok(ops)) => {
                    inner.workspace.load(*doc, ops);
                }
                // Nothing stored: nothing to load (a document this replica knows only from memory
                // keeps its state).
                None => {}
                Some(Err(())) => unreadable.push(doc.encode()),
            }
        }
        crate::sorting::sort_by(&mut unreadable, String::cmp);
        unreadable.dedup();
        Ok(unreadable)
    }

    /// The stored op logs of `docs`, in order: `None` if a document has none, `Err` if it cannot be
    /// read. Also returns the keys of unreadable pages.
    #[allow(clippy::type_complexity)]
    async fn read_op_logs(&self, docs: &[DocKey]) -> Result<(Vec<Option<Result<Vec<Op>, ()>>>, Vec<String>), S::Error> {
        let mut page_keys: Vec<String> = docs.iter().map(|doc| page_of(*doc)).collect();
        crate::sorting::sort_by(&mut page_keys, String::cmp);
        page_keys.dedup();
        let raw = self.store.log_pages(&page_keys).await?;
        let mut unreadable = Vec::new();
        let pages: BTreeMap<String, Option<super::codec::LogPage>> =
            crate::sorting::map_of(page_keys.into_iter().zip(raw).map(|(key, bytes)| {
                let page = bytes.map(|bytes| decode_log_page(&bytes));
                let page = match page {
                    Some(Ok(page)) => Some(page),
                    Some(Err(_)) => {
                        unreadable.push(key.clone());
                        None
                    }
                    None => None,
                };
                (key, page)
            }));
        let logs = docs
            .iter()
            .map(|doc| {
                let page = pages.get(&page_of(*doc))?.as_ref()?;
                let bytes = page.get(&doc.encode())?;
                Some(decode_op_log(bytes).map_err(|_| ()))
            })
            .collect();
        Ok((logs, unreadable))
    }

    /// Frees a ticket's conversation from memory (its summary stays). Loading it again reads storage.
    pub fn unload_ticket(&self, id: crate::id::TicketId) {
        self.inner.borrow_mut().workspace.unload_ticket(id);
    }

    /// Runs a command as `actor` at `wall_ms`: plans it against the current state, adds what the
    /// event rules do about it (see [`crate::rules`]), commits all of it in one transaction, then
    /// reflects it in memory. On any error nothing changed.
    pub async fn execute<P: Planned>(
        &self,
        actor: Actor,
        wall_ms: u64,
        command: impl FnOnce(&Workspace, &mut OpFactory<'_>) -> Result<P, CommandError>,
    ) -> Result<P, DeskError<S::Error>> {
        let _turn = self.writer.lock().await;
        let (planned, rule_ops) = {
            let mut inner = self.inner.borrow_mut();
            let Inner { workspace, clock, entropy } = &mut *inner;
            let mut factory = OpFactory::new(actor, clock, entropy, wall_ms);
            let planned = command(workspace, &mut factory)?;
            let rule_ops = workspace.rule_ops_for_change(clock, wall_ms, planned.ops());
            (planned, rule_ops)
        };
        if !planned.ops().is_empty() {
            let mut ops = planned.ops().to_vec();
            ops.extend(rule_ops);
            let report = commit(&self.store, ops, CommitOptions::ACTION).await?;
            self.reconcile(&report);
        }
        Ok(planned)
    }

    /// Runs one step of the time-based rules due at `now` (see [`Workspace::rule_ops_scheduled`],
    /// at most `budget` tickets looked at) and commits what they do in one transaction. Returns
    /// the documents changed and whether the step got through everything (if not, call again
    /// soon). The app calls it on a timer in the tab that holds the background lock.
    pub async fn run_due_rules(&self, now: u64, budget: usize) -> Result<(Vec<DocKey>, bool), S::Error> {
        let _turn = self.writer.lock().await;
        let (ops, complete) = {
            let mut inner = self.inner.borrow_mut();
            let Inner { workspace, clock, .. } = &mut *inner;
            workspace.rule_ops_scheduled(&mut self.timers.borrow_mut(), clock, now, budget)
        };
        if ops.is_empty() {
            return Ok((Vec::new(), complete));
        }
        let mut docs: Vec<DocKey> = ops.iter().map(Op::doc).collect();
        docs.dedup();
        let report =
            commit(&self.store, ops, CommitOptions::ACTION).await.map_err(|CommitError::Store(error)| error)?;
        self.reconcile(&report);
        Ok((docs, complete))
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
        let options = CommitOptions { meta, durability: Durability::Relaxed, ..CommitOptions::ACTION };
        let report = commit(&self.store, admitted, options).await.map_err(|CommitError::Store(error)| error)?;
        self.reconcile(&report);
        Ok(report)
    }

    /// [`Desk::receive`] for one batch of a bulk job (an import, a large sync): commits op logs
    /// only and keeps the snapshots for [`Desk::flush_snapshots`], which the job must call at the
    /// end (also when it stops early). Rewriting every snapshot chunk once per job instead of once
    /// per batch is what makes importing 100,000 tickets take seconds, not minutes.
    pub async fn receive_bulk(
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
        let first = self.deferred.borrow().is_empty();
        let options = CommitOptions {
            meta,
            durability: Durability::Relaxed,
            snapshots: Snapshots::Defer { first },
            legacy_deletes: &[],
        };
        let report = commit(&self.store, admitted, options).await.map_err(|CommitError::Store(error)| error)?;
        let mut deferred = self.deferred.borrow_mut();
        for committed in &report.docs {
            deferred.insert(committed.doc, (committed.snapshot.clone(), committed.version()));
        }
        if first && report.docs.is_empty() {
            // Nothing deferred after all, but the count was raised: the flush still lowers it.
            deferred.insert(DocKey::Workspace, (None, 0));
        }
        drop(deferred);
        self.reconcile(&report);
        Ok(report)
    }

    /// Writes the snapshots a bulk job deferred, in one transaction, and lowers the stale count.
    pub async fn flush_snapshots(&self) -> Result<usize, S::Error> {
        let _turn = self.writer.lock().await;
        let pending = self.deferred.borrow().clone();
        if pending.is_empty() {
            return Ok(0);
        }
        let mut tx = self.store.write(Durability::Strict)?;
        let mut quarantined = Vec::new();
        let entries = pending
            .iter()
            // The placeholder for an empty first batch carries no snapshot to write.
            .filter(|(doc, (snapshot, version))| !(**doc == DocKey::Workspace && snapshot.is_none() && *version == 0))
            .map(|(doc, (snapshot, version))| (*doc, snapshot.clone(), *version));
        let unreadable = write_snapshot_entries(&mut tx, entries, &mut quarantined)
            .await
            .map_err(|CommitError::Store(error)| error)?;
        // An unreadable chunk keeps the count raised: the next open rebuilds.
        add_to_stale_count(&mut tx, if unreadable { 0 } else { -1 })
            .await
            .map_err(|CommitError::Store(error)| error)?;
        tx.commit().await?;
        self.deferred.borrow_mut().clear();
        Ok(pending.len())
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
            let (logs, _) = self.read_op_logs(&loaded).await?;
            let mut inner = self.inner.borrow_mut();
            for (doc, log) in loaded.into_iter().zip(logs) {
                if let Some(Ok(ops)) = log {
                    inner.workspace.load(doc, ops);
                }
            }
        }
        if !unloaded.is_empty() {
            // Only the chunks holding these documents: reading all of them would copy about
            // 10 MB at 100,000 tickets for every change another tab makes.
            let wanted_chunks: Vec<u32> =
                crate::sorting::set_of(unloaded.iter().map(|doc| chunk_of(*doc))).into_iter().collect();
            let chunks = self.store.snapshot_chunks_by_id(&wanted_chunks).await?;
            let mut inner = self.inner.borrow_mut();
            for bytes in chunks.into_iter().flatten() {
                for ChunkEntry { snapshot, .. } in decode_chunk(&bytes).unwrap_or_default() {
                    if unloaded.contains(&snapshot.doc()) {
                        inner.workspace.restore_snapshot(snapshot);
                    }
                }
            }
        }
        if self.search.borrow().is_some() {
            // The index needs the conversations of the tickets the other tab changed.
            let tickets: Vec<DocKey> =
                unloaded.iter().copied().filter(|doc| matches!(doc, DocKey::Ticket(_))).collect();
            let (logs, _) =
                if tickets.is_empty() { (Vec::new(), Vec::new()) } else { self.read_op_logs(&tickets).await? };
            let inner = self.inner.borrow();
            let mut search = self.search.borrow_mut();
            if let Some(index) = search.as_mut() {
                for (doc, log) in tickets.iter().zip(&logs) {
                    if let Some(Ok(ops)) = log {
                        reindex(index, &inner.workspace, *doc, Some(ops));
                    }
                }
                let read = crate::sorting::set_of(tickets.iter().copied());
                for doc in docs.iter().filter(|doc| !read.contains(doc)) {
                    reindex(index, &inner.workspace, *doc, None);
                }
                index.maintain();
            }
        }
        self.observe_stored_clock(wall_ms).await
    }

    /// Makes memory match what a commit stored: documents that were loaded take the stored op
    /// log; the others take the stored snapshot (a bulk import leaves 100,000 new tickets as
    /// summaries, not as 100,000 conversations in memory).
    /// Calls `observer` with the new ops of every later commit of this desk (commands, the rules
    /// they set off, timers, received ops), after they are in storage and in memory. For what
    /// follows from a change rather than what it is, such as notifications.
    pub fn observe(&self, observer: impl Fn(&[Op]) + 'static) {
        *self.observer.borrow_mut() = Some(Box::new(observer));
    }

    fn reconcile(&self, report: &CommitReport) {
        self.reflect(report);
        if let Some(observer) = self.observer.borrow().as_ref()
            && !report.new_ops.is_empty()
        {
            observer(&report.new_ops);
        }
    }

    fn reflect(&self, report: &CommitReport) {
        let mut inner = self.inner.borrow_mut();
        for committed in &report.docs {
            if inner.workspace.has_loaded(committed.doc) {
                inner.workspace.load(committed.doc, committed.ops.clone());
            } else if let Some(snapshot) = committed.snapshot.clone() {
                inner.workspace.restore_snapshot(snapshot);
            }
        }
        let mut search = self.search.borrow_mut();
        if let Some(index) = search.as_mut() {
            for committed in &report.docs {
                reindex(index, &inner.workspace, committed.doc, Some(&committed.ops));
            }
            index.maintain();
        }
    }

    /// Moves per-document op logs of schema versions 1–2 into log pages, a batch per transaction;
    /// each batch deletes what it moved in the same transaction, so an interrupted migration
    /// resumes where it stopped. Returns how many logs moved and the keys of unreadable ones
    /// (quarantined, so they stop blocking the migration).
    async fn migrate_legacy_op_logs(&self) -> Result<(usize, Vec<String>), S::Error> {
        let mut moved = 0;
        let mut unreadable = Vec::new();
        loop {
            let legacy = self.store.legacy_op_logs(MIGRATION_BATCH).await?;
            if legacy.is_empty() {
                break;
            }
            let keys: Vec<String> = legacy.iter().map(|(key, _)| key.clone()).collect();
            let mut ops = Vec::new();
            let mut bad = Vec::new();
            for (key, bytes) in legacy {
                match decode_op_log(&bytes) {
                    Ok(decoded) => ops.extend(decoded),
                    Err(error) => bad.push((key, bytes, error.to_string())),
                }
            }
            if !bad.is_empty() {
                // Set the unreadable ones aside first, in their own transaction.
                let mut tx = self.store.write(Durability::Strict)?;
                for (key, bytes, reason) in &bad {
                    tx.quarantine(&format!("legacy/{key}"), bytes, reason)?;
                }
                tx.commit().await?;
                unreadable.extend(bad.into_iter().map(|(key, _, _)| key));
            }
            let options = CommitOptions { legacy_deletes: &keys, ..CommitOptions::ACTION };
            let report = commit(&self.store, ops, options).await.map_err(|CommitError::Store(error)| error)?;
            self.reconcile(&report);
            moved += keys.len();
        }
        Ok((moved, unreadable))
    }

    /// Rebuilds every snapshot chunk from the op logs, in one transaction, and restores the
    /// workspace from the result. Returns the keys of op logs that could not be read.
    pub async fn rebuild_snapshots(&self, wall_ms: u64) -> Result<Vec<String>, S::Error> {
        let _turn = self.writer.lock().await;
        let mut snapshots: Vec<ChunkEntry> = Vec::new();
        let mut unreadable = Vec::new();
        let mut highest: Option<Timestamp> = None;
        let mut after: Option<String> = None;
        loop {
            let pages = self.store.log_page_range(after.as_deref(), REBUILD_PAGES).await?;
            let Some((last, _)) = pages.last() else { break };
            after = Some(last.clone());
            for (page_key, bytes) in pages {
                let Ok(page) = decode_log_page(&bytes) else {
                    unreadable.push(page_key);
                    continue;
                };
                for (key, log) in page {
                    let (Some(doc), Ok(ops)) = (DocKey::decode(&key), decode_op_log(&log)) else {
                        unreadable.push(key);
                        continue;
                    };
                    highest = ops.iter().map(|op| op.ts).chain(highest).max();
                    let version = u32::try_from(ops.len()).unwrap_or(u32::MAX);
                    snapshots.extend(fold_snapshot(doc, &ops).map(|snapshot| ChunkEntry { snapshot, version }));
                }
            }
        }
        let mut chunks: Vec<Vec<ChunkEntry>> = vec![Vec::new(); SNAPSHOT_CHUNKS as usize];
        for entry in &snapshots {
            chunks[chunk_of(entry.snapshot.doc()) as usize].push(entry.clone());
        }
        let mut tx = self.store.write(Durability::Strict)?;
        for (id, mut chunk) in chunks.into_iter().enumerate() {
            crate::sorting::sort_by_key(&mut chunk, |entry| entry.snapshot.doc());
            tx.put_snapshot_chunk(id as u32, &encode_chunk(&chunk))?;
        }
        tx.delete_meta(meta_keys::SNAPSHOTS_STALE)?;
        if let Some(highest) = highest {
            tx.put_meta(meta_keys::CLOCK, &serde_json::to_string(&highest).expect("timestamps serialise"))?;
        }
        tx.commit().await?;
        self.deferred.borrow_mut().clear();
        let mut inner = self.inner.borrow_mut();
        inner.workspace = Workspace::restore(snapshots.into_iter().map(|entry| entry.snapshot));
        if let Some(highest) = highest {
            inner.clock.observe(highest, wall_ms);
        }
        Ok(unreadable)
    }
}
