//! [`commit`]: write ops to a store in one transaction, merging with what is already there.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::codec::{chunk_of, decode_chunk, decode_op_log, encode_chunk, encode_op_log};
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

/// Merges `ops` into storage in one transaction and returns what changed.
///
/// For each touched document: read its op log, merge (sort, keep the earliest version of each op
/// id), write the log and the document's new snapshot if anything changed. Unreadable op logs and
/// chunks are quarantined and treated as empty, so one bad record never blocks new work; an
/// unreadable chunk also marks snapshots stale, so the next open rebuilds them. `meta` values are
/// written in the same transaction (an import's progress marker, for example); a `None` value
/// deletes the key.
pub async fn commit<S: Store>(
    store: &S,
    ops: Vec<Op>,
    meta: &[(&str, Option<String>)],
    durability: Durability,
) -> Result<CommitReport, CommitError<S::Error>> {
    let mut by_doc: BTreeMap<DocKey, Vec<Op>> = BTreeMap::new();
    for op in ops {
        by_doc.entry(op.doc()).or_default().push(op);
    }
    let keys: Vec<String> = by_doc.keys().map(DocKey::encode).collect();

    let mut tx = store.write(durability).map_err(CommitError::Store)?;
    let stored_logs = tx.op_logs(&keys).await.map_err(CommitError::Store)?;

    let mut report = CommitReport::default();
    let mut highest: Option<Timestamp> = None;
    for ((doc, new), (key, raw)) in by_doc.into_iter().zip(keys.iter().zip(stored_logs)) {
        let stored = match raw.as_deref().map(decode_op_log) {
            None => Vec::new(),
            Some(Ok(stored)) => stored,
            Some(Err(error)) => {
                let raw = raw.unwrap_or_default();
                tx.quarantine(&format!("op-log/{key}"), &raw, &error.to_string()).map_err(CommitError::Store)?;
                report.quarantined.push(key.clone());
                Vec::new()
            }
        };
        let stored_len = stored.len();
        let before: HashSet<(crate::id::OpId, Timestamp)> = stored.iter().map(|op| (op.id, op.ts)).collect();
        let merged = normalize(stored.into_iter().chain(new.iter().cloned()).collect());
        // New to storage: not stored before, and the version the merge kept (a later version of
        // an op storage already has is dropped). Each counted once even if given twice.
        let mut survivors: HashSet<(crate::id::OpId, Timestamp)> =
            merged.iter().map(|op| (op.id, op.ts)).filter(|version| !before.contains(version)).collect();
        let kept: Vec<Op> = new.into_iter().filter(|op| survivors.remove(&(op.id, op.ts))).collect();
        if kept.is_empty() && merged.len() == stored_len {
            continue; // everything was already stored, exactly as it is
        }
        tx.put_op_log(key, &encode_op_log(&merged)).map_err(CommitError::Store)?;
        highest = kept.iter().map(|op| op.ts).chain(highest).max();
        let snapshot = fold_snapshot(doc, &merged);
        report.new_ops.extend(kept);
        report.docs.push(CommittedDoc { doc, ops: merged, snapshot });
    }

    write_snapshots(&mut tx, &report.docs, &mut report.quarantined).await?;

    if let Some(highest) = highest {
        let previous = tx.meta(meta_keys::CLOCK).await.map_err(CommitError::Store)?;
        let previous: Option<Timestamp> = previous.and_then(|text| serde_json::from_str(&text).ok());
        let clock = previous.map_or(highest, |previous| previous.max(highest));
        let text = serde_json::to_string(&clock).expect("timestamps serialise");
        tx.put_meta(meta_keys::CLOCK, &text).map_err(CommitError::Store)?;
    }
    for (key, value) in meta {
        match value {
            Some(value) => tx.put_meta(key, value),
            None => tx.delete_meta(key),
        }
        .map_err(CommitError::Store)?;
    }
    tx.commit().await.map_err(CommitError::Store)?;
    Ok(report)
}

/// The snapshot of one document folded from its ops.
pub(crate) fn fold_snapshot(doc: DocKey, ops: &[Op]) -> Option<DocSnapshot> {
    let mut workspace = Workspace::new();
    workspace.apply_all(ops.iter().cloned());
    workspace.snapshot(doc)
}

/// Replaces the snapshots of `docs` in their chunks (read, update, write back).
async fn write_snapshots<T: WriteTx>(
    tx: &mut T,
    docs: &[CommittedDoc],
    quarantined: &mut Vec<String>,
) -> Result<(), CommitError<T::Error>>
where
    T::Error: std::error::Error + 'static,
{
    let mut by_chunk: BTreeMap<u32, Vec<&CommittedDoc>> = BTreeMap::new();
    for committed in docs {
        by_chunk.entry(chunk_of(committed.doc)).or_default().push(committed);
    }
    if by_chunk.is_empty() {
        return Ok(());
    }
    let ids: Vec<u32> = by_chunk.keys().copied().collect();
    let stored = tx.snapshot_chunks(&ids).await.map_err(CommitError::Store)?;
    let mut stale = false;
    for ((chunk, committed), raw) in by_chunk.into_iter().zip(stored) {
        let mut snapshots = match raw.as_deref().map(decode_chunk) {
            None => Vec::new(),
            Some(Ok(snapshots)) => snapshots,
            Some(Err(error)) => {
                let key = format!("chunk/{chunk}");
                let raw_text = raw.map(|bytes| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>());
                tx.quarantine(&key, &raw_text.unwrap_or_default(), &error.to_string()).map_err(CommitError::Store)?;
                quarantined.push(key);
                stale = true;
                Vec::new()
            }
        };
        let replaced: BTreeSet<DocKey> = committed.iter().map(|c| c.doc).collect();
        snapshots.retain(|snapshot| !replaced.contains(&snapshot.doc()));
        snapshots.extend(committed.iter().filter_map(|c| c.snapshot.clone()));
        snapshots.sort_by_key(DocSnapshot::doc);
        tx.put_snapshot_chunk(chunk, &encode_chunk(&snapshots)).map_err(CommitError::Store)?;
    }
    if stale {
        // The other documents of an unreadable chunk lost their snapshots: rebuild on next open.
        tx.put_meta(meta_keys::SNAPSHOTS_STALE, "true").map_err(CommitError::Store)?;
    }
    Ok(())
}
