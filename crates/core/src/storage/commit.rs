//! [`commit`]: write ops to a store in one transaction, merging with what is already there.

use std::collections::{BTreeMap, HashSet};

use super::codec::{
    ChunkEntry, LogPage, chunk_of, decode_chunk, decode_log_page, decode_op_log, encode_chunk, encode_log_page,
    encode_op_log, page_of,
};
use super::store::{Durability, Store, WriteTx, meta_keys};
use crate::hlc::Timestamp;
use crate::op::{DocKey, Op};
use crate::workspace::{DocSnapshot, Workspace, normalize};

/// A document as the commit left it in storage.
#[derive(Debug, Clone, PartialEq)]
pub struct CommittedDoc {
    pub doc: DocKey,
    /// All of the document's ops now stored, in fold order.
    pub ops: Vec<Op>,
    /// Its state, or `None` if it has none yet (its creating op has not arrived).
    pub snapshot: Option<DocSnapshot>,
}

impl CommittedDoc {
    /// The snapshot's version: how many ops it was folded from (op logs only grow).
    pub fn version(&self) -> u32 {
        u32::try_from(self.ops.len()).unwrap_or(u32::MAX)
    }
}

/// What a commit changed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CommitReport {
    /// Documents whose op log changed (documents whose ops were all known are not listed).
    pub docs: Vec<CommittedDoc>,
    /// The given ops that storage did not have (or had with a later timestamp).
    pub new_ops: Vec<Op>,
    /// Keys of records that could not be read and were set aside (see [`WriteTx::quarantine`]).
    pub quarantined: Vec<String>,
}

/// Why a commit did not happen. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum CommitError<E: std::error::Error + 'static> {
    #[error(transparent)]
    Store(E),
}

/// Whether a commit writes the snapshots of what it changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Snapshots {
    /// In the same transaction (every ordinary change).
    Write,
    /// Later, in one flush for a whole bulk job. `first` marks the job's first batch: it raises
    /// the stale count, which the flush lowers again.
    Defer { first: bool },
}

/// How [`commit`] runs, beyond the ops it writes.
#[derive(Debug, Clone, Copy)]
pub struct CommitOptions<'a> {
    /// Meta values written in the same transaction (an import's progress marker, say); a `None`
    /// value deletes the key.
    pub meta: &'a [(&'a str, Option<String>)],
    pub durability: Durability,
    pub snapshots: Snapshots,
    /// Per-document op logs of schema versions 1–2 to delete in the same transaction (the
    /// migration moves them into pages).
    pub legacy_deletes: &'a [String],
}

impl CommitOptions<'static> {
    /// What a person's action needs: flushed to disk, snapshots written at once.
    pub const ACTION: CommitOptions<'static> =
        CommitOptions { meta: &[], durability: Durability::Strict, snapshots: Snapshots::Write, legacy_deletes: &[] };
}

/// Merges `ops` into storage in one transaction and returns what changed.
///
/// For each touched log page: read it; for each touched document in it, merge (sort, keep the
/// earliest version of each op id); write the page back if anything changed, and, with
/// [`Snapshots::Write`], the documents' new snapshots. Unreadable pages, op logs and chunks are
/// quarantined and treated as empty, so one bad record never blocks new work; an unreadable
/// chunk also raises the stale count, so the next open rebuilds the snapshots.
pub async fn commit<S: Store>(
    store: &S,
    ops: Vec<Op>,
    options: CommitOptions<'_>,
) -> Result<CommitReport, CommitError<S::Error>> {
    let mut by_doc: BTreeMap<DocKey, Vec<Op>> = BTreeMap::new();
    for op in ops {
        by_doc.entry(op.doc()).or_default().push(op);
    }
    let mut by_page: BTreeMap<String, Vec<(DocKey, Vec<Op>)>> = BTreeMap::new();
    for (doc, new) in by_doc {
        by_page.entry(page_of(doc)).or_default().push((doc, new));
    }
    let page_keys: Vec<String> = by_page.keys().cloned().collect();

    let mut tx = store.write(options.durability).map_err(CommitError::Store)?;
    let stored_pages = tx.log_pages(&page_keys).await.map_err(CommitError::Store)?;

    let mut report = CommitReport::default();
    let mut highest: Option<Timestamp> = None;
    for ((page_key, docs), raw_page) in by_page.into_iter().zip(stored_pages) {
        let mut page = match raw_page.as_deref().map(decode_log_page) {
            None => LogPage::new(),
            Some(Ok(page)) => page,
            Some(Err(error)) => {
                let raw = raw_page.unwrap_or_default();
                tx.quarantine(&format!("log-page/{page_key}"), &raw, &error.to_string()).map_err(CommitError::Store)?;
                report.quarantined.push(page_key.clone());
                LogPage::new()
            }
        };
        let mut page_changed = false;
        for (doc, new) in docs {
            let key = doc.encode();
            let stored = match page.get(&key).map(|bytes| decode_op_log(bytes)) {
                None => Vec::new(),
                Some(Ok(stored)) => stored,
                Some(Err(error)) => {
                    let raw = page.get(&key).cloned().unwrap_or_default();
                    tx.quarantine(&format!("op-log/{key}"), &raw, &error.to_string()).map_err(CommitError::Store)?;
                    report.quarantined.push(key.clone());
                    Vec::new()
                }
            };
            let stored_len = stored.len();
            let before: HashSet<(crate::id::OpId, Timestamp)> = stored.iter().map(|op| (op.id, op.ts)).collect();
            let merged = normalize(stored.into_iter().chain(new.iter().cloned()).collect());
            // New to storage: not stored before, and the version the merge kept (a later version
            // of an op storage already has is dropped). Each counted once even if given twice.
            let mut survivors: HashSet<(crate::id::OpId, Timestamp)> =
                merged.iter().map(|op| (op.id, op.ts)).filter(|version| !before.contains(version)).collect();
            let kept: Vec<Op> = new.into_iter().filter(|op| survivors.remove(&(op.id, op.ts))).collect();
            if kept.is_empty() && merged.len() == stored_len {
                continue; // everything was already stored, exactly as it is
            }
            page.insert(key, encode_op_log(&merged));
            page_changed = true;
            highest = kept.iter().map(|op| op.ts).chain(highest).max();
            let snapshot = fold_snapshot(doc, &merged);
            report.new_ops.extend(kept);
            report.docs.push(CommittedDoc { doc, ops: merged, snapshot });
        }
        if page_changed {
            tx.put_log_page(&page_key, &encode_log_page(&page)).map_err(CommitError::Store)?;
        }
    }

    match options.snapshots {
        Snapshots::Write => {
            let entries = report.docs.iter().map(|c| (c.doc, c.snapshot.clone(), c.version()));
            let stale = write_snapshot_entries(&mut tx, entries, &mut report.quarantined).await?;
            if stale {
                add_to_stale_count(&mut tx, 1).await?;
            }
        }
        Snapshots::Defer { first: true } => add_to_stale_count(&mut tx, 1).await?,
        Snapshots::Defer { first: false } => {}
    }

    if let Some(highest) = highest {
        let previous = tx.meta(meta_keys::CLOCK).await.map_err(CommitError::Store)?;
        let previous: Option<Timestamp> = previous.and_then(|text| serde_json::from_str(&text).ok());
        let clock = previous.map_or(highest, |previous| previous.max(highest));
        let text = serde_json::to_string(&clock).expect("timestamps serialise");
        tx.put_meta(meta_keys::CLOCK, &text).map_err(CommitError::Store)?;
    }
    for (key, value) in options.meta {
        match value {
            Some(value) => tx.put_meta(key, value),
            None => tx.delete_meta(key),
        }
        .map_err(CommitError::Store)?;
    }
    for doc in options.legacy_deletes {
        tx.delete_legacy_op_log(doc).map_err(CommitError::Store)?;
    }
    tx.commit().await.map_err(CommitError::Store)?;
    Ok(report)
}

/// Adds `delta` to the stale count (see [`meta_keys::SNAPSHOTS_STALE`]), deleting it at zero.
pub(crate) async fn add_to_stale_count<T: WriteTx>(tx: &mut T, delta: i64) -> Result<(), CommitError<T::Error>>
where
    T::Error: std::error::Error + 'static,
{
    let current = tx.meta(meta_keys::SNAPSHOTS_STALE).await.map_err(CommitError::Store)?;
    // Older versions wrote "true": that counts as one.
    let current: i64 = current.map(|text| text.parse().unwrap_or(1)).unwrap_or(0);
    let next = (current + delta).max(0);
    if next == 0 {
        tx.delete_meta(meta_keys::SNAPSHOTS_STALE)
    } else {
        tx.put_meta(meta_keys::SNAPSHOTS_STALE, &next.to_string())
    }
    .map_err(CommitError::Store)
}

/// The snapshot of one document folded from its ops.
pub(crate) fn fold_snapshot(doc: DocKey, ops: &[Op]) -> Option<DocSnapshot> {
    let mut workspace = Workspace::new();
    workspace.apply_all(ops.iter().cloned());
    workspace.snapshot(doc)
}

/// Puts documents' snapshots into their chunks (read, update, write back). A snapshot replaces the
/// stored one only if its version is at least as new; `None` removes a document's snapshot.
/// Returns whether an unreadable chunk had to be started afresh (its other documents then need a
/// rebuild).
pub async fn write_snapshot_entries<T: WriteTx>(
    tx: &mut T,
    entries: impl IntoIterator<Item = (DocKey, Option<DocSnapshot>, u32)>,
    quarantined: &mut Vec<String>,
) -> Result<bool, CommitError<T::Error>>
where
    T::Error: std::error::Error + 'static,
{
    let mut by_chunk: BTreeMap<u32, Vec<(DocKey, Option<DocSnapshot>, u32)>> = BTreeMap::new();
    for entry in entries {
        by_chunk.entry(chunk_of(entry.0)).or_default().push(entry);
    }
    if by_chunk.is_empty() {
        return Ok(false);
    }
    let ids: Vec<u32> = by_chunk.keys().copied().collect();
    let stored = tx.snapshot_chunks(&ids).await.map_err(CommitError::Store)?;
    let mut stale = false;
    for ((chunk, updates), raw) in by_chunk.into_iter().zip(stored) {
        let existing = match raw.as_deref().map(decode_chunk) {
            None => Vec::new(),
            Some(Ok(entries)) => entries,
            Some(Err(error)) => {
                let key = format!("chunk/{chunk}");
                tx.quarantine(&key, &raw.unwrap_or_default(), &error.to_string()).map_err(CommitError::Store)?;
                quarantined.push(key);
                stale = true;
                Vec::new()
            }
        };
        let mut entries: BTreeMap<DocKey, ChunkEntry> =
            crate::sorting::map_of(existing.into_iter().map(|entry| (entry.snapshot.doc(), entry)));
        for (doc, snapshot, version) in updates {
            let newer = entries.get(&doc).is_none_or(|held| held.version <= version);
            if !newer {
                continue; // another tab stored a snapshot of more ops meanwhile
            }
            match snapshot {
                Some(snapshot) => entries.insert(doc, ChunkEntry { snapshot, version }),
                None => entries.remove(&doc),
            };
        }
        let entries: Vec<ChunkEntry> = entries.into_values().collect();
        tx.put_snapshot_chunk(chunk, &encode_chunk(&entries)).map_err(CommitError::Store)?;
    }
    Ok(stale)
}
