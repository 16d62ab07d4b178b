//! How records are encoded: op logs as JSON, snapshot chunks as a format byte plus postcard.

use serde::{Deserialize, Serialize};

use crate::op::{DocKey, Op};
use crate::workspace::DocSnapshot;

/// How many snapshot records a workspace is spread over. Fixed, because a document's chunk is
/// derived from its key: 128 keeps start-up at 128 reads and a chunk of a 100,000-ticket workspace
/// around 200 KB, which a single edit rewrites in about a millisecond.
pub const SNAPSHOT_CHUNKS: u32 = 128;

/// The first byte of every snapshot chunk. Bump it when the binary form changes: chunks of an
/// unknown format are rebuilt from the op logs instead of misread.
///
/// 1. `Vec<DocSnapshot>` (schema versions 1–2). No longer read: such chunks are rebuilt from the
///    op logs at the first open.
/// 2. `Vec<ChunkEntry>` in postcard, compressed with lz4 (size-prepended): each snapshot with its
///    version, so a deferred flush never overwrites a newer snapshot; ids as 16 raw bytes.
/// 3. As 2; the workspace settings gained saved views (postcard is not self-describing, so a
///    format-2 chunk would misread), so format-2 chunks are rebuilt once.
/// 4. As 3; ticket summaries gained the facts the SLA clocks need, and the settings business
///    calendars and SLA policies.
const SNAPSHOT_FORMAT: u8 = 4;

/// One document's snapshot in a chunk, with the size of the op log it was folded from. Op logs
/// only grow, so of two snapshots of one document the one with more ops is the newer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChunkEntry {
    pub snapshot: DocSnapshot,
    pub version: u32,
}

/// Why a stored record could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodecError {
    #[error("an op log is not valid: {0}")]
    OpLog(String),
    #[error("a snapshot record is not valid: {0}")]
    Chunk(String),
    #[error("a snapshot record has format {found}, this version reads format {SNAPSHOT_FORMAT}")]
    ChunkFormat { found: u8 },
}

/// The chunk a document's snapshot lives in: FNV-1a of its key, finished with murmur3's fmix32
/// (FNV alone leaves the low bits poorly mixed for keys that differ in few characters). Stable
/// across versions and platforms, unlike `std`'s hasher — a change here moves every snapshot.
pub fn chunk_of(doc: DocKey) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in doc.encode().bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash ^= hash >> 16;
    hash = hash.wrapping_mul(0x85eb_ca6b);
    hash ^= hash >> 13;
    hash = hash.wrapping_mul(0xc2b2_ae35);
    hash ^= hash >> 16;
    hash % SNAPSHOT_CHUNKS
}

/// The first byte of a log page: a postcard list of `(document key, op log)`.
const LOG_PAGE_FORMAT: u8 = 1;

/// How many bits of a document id's millisecond timestamp one log page spans: 2^26 ms, about 19
/// hours, split four ways by the id's random bits ([`PAGE_SPLIT`]). Documents are grouped by
/// creation time because IndexedDB pays about 50 µs per record whatever its size (12 MB written as
/// 10,000 records takes 18× as long as written as 100):
/// - an import arrives in key order, which is creation order, so each batch writes each page about
///   once;
/// - a team creating 10,000 tickets a year gets pages of about 5 documents, one creating 100,000
///   pages of about 50: a user action rewrites tens of kilobytes;
/// - documents created in one burst (a customer list imported at once) still spread over four pages;
/// - start-up reads no op logs at all (see the snapshots).
const PAGE_WINDOW_BITS: u32 = 26;
const PAGE_SPLIT: u128 = 4;

/// The key of the log page holding `doc`'s op log: the document kind, the creation window of its
/// id and a split from its random bits (`t:0001a8bc.2`), or `w` for the settings document.
pub fn page_of(doc: DocKey) -> String {
    let (kind, bits) = match doc {
        DocKey::Ticket(id) => ("t", id.to_u128()),
        DocKey::Customer(id) => ("c", id.to_u128()),
        DocKey::Agent(id) => ("a", id.to_u128()),
        DocKey::Team(id) => ("m", id.to_u128()),
        DocKey::Category(id) => ("g", id.to_u128()),
        DocKey::Field(id) => ("f", id.to_u128()),
        DocKey::Workspace => return "w".to_owned(),
    };
    let id_ms = (bits >> 80) as u64;
    format!("{kind}:{:08x}.{}", id_ms >> PAGE_WINDOW_BITS, bits % PAGE_SPLIT)
}

/// The op logs in a page, by document key (each as [`encode_op_log`] bytes).
pub type LogPage = std::collections::BTreeMap<String, Vec<u8>>;

pub fn encode_log_page(page: &LogPage) -> Vec<u8> {
    let mut bytes = vec![LOG_PAGE_FORMAT];
    bytes.extend_from_slice(&postcard::to_allocvec(page).expect("log pages serialise to postcard"));
    bytes
}

pub fn decode_log_page(bytes: &[u8]) -> Result<LogPage, CodecError> {
    match bytes.split_first() {
        Some((&LOG_PAGE_FORMAT, body)) => {
            postcard::from_bytes(body).map_err(|error| CodecError::OpLog(error.to_string()))
        }
        Some((&found, _)) => Err(CodecError::OpLog(format!("unknown log page format {found}"))),
        None => Err(CodecError::OpLog("empty record".to_owned())),
    }
}

/// The first byte of an op log written by this version: postcard. Op logs are the durable record,
/// so a change to the binary form of [`Op`] must bump this and keep decoding the old format.
/// Logs written as JSON (schema versions 1–2, as text) start with `[` and are still read.
///
/// Both choices were measured (docs/benchmarks.md):
/// - bytes, not a JS string: a string holding any Japanese is stored two bytes per character
///   (ASCII too) and crossing from Rust's UTF-8 costs a conversion; bytes halved import time;
/// - postcard, not JSON bytes: JSON op logs doubled import time again (every id becomes a
///   36-character string) to save about 7 KB of the app's download.
const OP_LOG_FORMAT: u8 = 2;

pub fn encode_op_log(ops: &[Op]) -> Vec<u8> {
    let mut bytes = vec![OP_LOG_FORMAT];
    bytes.extend_from_slice(&postcard::to_allocvec(ops).expect("ops serialise to postcard"));
    bytes
}

pub fn decode_op_log(bytes: &[u8]) -> Result<Vec<Op>, CodecError> {
    match bytes.split_first() {
        Some((&OP_LOG_FORMAT, body)) => {
            postcard::from_bytes(body).map_err(|error| CodecError::OpLog(error.to_string()))
        }
        Some((b'[', _)) => serde_json::from_slice(bytes).map_err(|error| CodecError::OpLog(error.to_string())),
        Some((&found, _)) => Err(CodecError::OpLog(format!("not an op log (starts with byte {found})"))),
        None => Err(CodecError::OpLog("empty record".to_owned())),
    }
}

pub fn encode_chunk(entries: &[ChunkEntry]) -> Vec<u8> {
    let body = postcard::to_allocvec(entries).expect("snapshots serialise to postcard");
    let mut bytes = vec![SNAPSHOT_FORMAT];
    bytes.extend_from_slice(&lz4_flex::compress_prepend_size(&body));
    bytes
}

pub fn decode_chunk(bytes: &[u8]) -> Result<Vec<ChunkEntry>, CodecError> {
    match bytes.split_first() {
        Some((&SNAPSHOT_FORMAT, compressed)) => {
            let body = lz4_flex::decompress_size_prepended(compressed)
                .map_err(|error| CodecError::Chunk(error.to_string()))?;
            postcard::from_bytes(&body).map_err(|error| CodecError::Chunk(error.to_string()))
        }
        Some((&found, _)) => Err(CodecError::ChunkFormat { found }),
        None => Err(CodecError::Chunk("empty record".to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::TicketId;

    #[test]
    fn chunks_are_stable_and_spread() {
        let doc = DocKey::Ticket(TicketId::from_u128(42));
        assert_eq!(chunk_of(doc), chunk_of(doc));
        let used: std::collections::BTreeSet<u32> =
            (0..2_000u128).map(|i| chunk_of(DocKey::Ticket(TicketId::from_u128(i << 64 | i)))).collect();
        assert!(used.len() > 120, "2,000 documents use most chunks ({} used)", used.len());
        assert!(used.iter().all(|chunk| *chunk < SNAPSHOT_CHUNKS));
    }

    #[test]
    fn pages_group_documents_by_kind_and_creation_window() {
        use crate::id::{CustomerId, Entropy, SeededEntropy};
        let mut entropy = SeededEntropy::new(1);
        let day = 86_400_000;
        let start = 1_767_225_600_000;
        // Of many tickets created the same minute, each lands in one of four pages of that window.
        let same_minute: std::collections::BTreeSet<String> =
            (0..40).map(|i| page_of(DocKey::Ticket(TicketId::generate(start + i * 1_000, &mut entropy)))).collect();
        assert_eq!(same_minute.len(), 4, "{same_minute:?}");
        let a = DocKey::Ticket(TicketId::generate(start, &mut entropy));
        let later = DocKey::Ticket(TicketId::generate(start + 3 * day, &mut entropy));
        let customer = DocKey::Customer(CustomerId::generate(start, &mut entropy));
        assert_ne!(page_of(a), page_of(later));
        assert_ne!(page_of(a), page_of(customer), "kinds never share a page");
        assert_eq!(page_of(DocKey::Workspace), "w");
        assert!(page_of(a) < page_of(later), "pages sort by creation time");
        let _ = entropy.random_u128();
        let page: LogPage = [("t:x".to_owned(), vec![1, 2, 3])].into_iter().collect();
        assert_eq!(decode_log_page(&encode_log_page(&page)).unwrap(), page);
        assert!(decode_log_page(&[7, 0]).is_err());
    }

    #[test]
    fn bad_records_are_errors_not_panics() {
        assert!(matches!(decode_op_log(b"not json"), Err(CodecError::OpLog(_))));
        assert!(matches!(decode_op_log(b"[{\"id\":1}]"), Err(CodecError::OpLog(_))));
        assert!(matches!(decode_op_log(&[OP_LOG_FORMAT, 0xff, 0xff]), Err(CodecError::OpLog(_))));
        assert!(matches!(decode_op_log(&[7, 1]), Err(CodecError::OpLog(_))));
        assert_eq!(decode_op_log(&encode_op_log(&[])).unwrap(), vec![]);
        assert!(matches!(decode_op_log(&[]), Err(CodecError::OpLog(_))));
        assert_eq!(decode_chunk(&[]), Err(CodecError::Chunk("empty record".into())));
        assert_eq!(decode_chunk(&[99, 1, 2]), Err(CodecError::ChunkFormat { found: 99 }));
        // Format 1 chunks are rebuilt, not misread.
        assert_eq!(decode_chunk(&[1, 0]), Err(CodecError::ChunkFormat { found: 1 }));
        assert!(matches!(decode_chunk(&[SNAPSHOT_FORMAT, 9, 0, 0, 0, 1]), Err(CodecError::Chunk(_))), "bad lz4");
        assert!(matches!(decode_chunk(&[SNAPSHOT_FORMAT, 0xff, 0xff]), Err(CodecError::Chunk(_))));
        let mut truncated = encode_chunk(&[]);
        truncated.truncate(3);
        assert!(decode_chunk(&truncated).is_err());
        assert_eq!(decode_chunk(&encode_chunk(&[])).unwrap(), vec![]);
    }

    /// Every kind of document survives the binary form (postcard cannot read self-describing
    /// serde features such as internally tagged enums, so this guards the model's serde shape).
    #[test]
    fn every_kind_of_snapshot_round_trips() {
        let (entries, ticket) = one_of_every_kind();
        assert_eq!(entries.len(), 7, "settings, agent, team, category, field, customer, ticket");
        assert_eq!(decode_chunk(&encode_chunk(&entries)).unwrap(), entries);
        assert!(entries.iter().any(|entry| entry.snapshot.doc() == DocKey::Ticket(ticket)));
    }

    proptest::proptest! {
        /// The chunk decoder is lz4_flex's unsafe one (faster at start-up); damaged chunks must
        /// still come back as errors (to be quarantined and rebuilt), never as a crash.
        #[test]
        fn damaged_chunks_are_errors_or_data_never_crashes(
            flips in proptest::collection::vec((0usize..4096, 1u8..=255), 1..8),
            cut in proptest::option::of(0usize..4096),
        ) {
            let (entries, _) = one_of_every_kind();
            let mut bytes = encode_chunk(&entries);
            for (at, mask) in flips {
                let at = at % bytes.len();
                bytes[at] ^= mask;
            }
            if let Some(cut) = cut {
                bytes.truncate(cut % bytes.len());
            }
            // Reaching the end without a panic is the property; the outcome may be either.
            let _ = decode_chunk(&bytes);
        }
    }

    /// One snapshot of every kind of document, and the ticket's id.
    fn one_of_every_kind() -> (Vec<ChunkEntry>, TicketId) {
        use crate::*;
        let admin = Actor::Agent(AgentId::from_u128(1));
        let mut replica = Replica::new(ReplicaId(1), SeededEntropy::new(1));
        let setup = WorkspaceSetup {
            name: "サポート".into(),
            language: "ja".into(),
            time_zone: "Asia/Tokyo".into(),
            admin: NewAgent::new("管理者", "admin@example.com", Role::Admin),
        };
        replica.execute(admin, 5, |ws, f| ws.setup(f, setup)).unwrap();
        let (team, _) = replica.execute(admin, 6, |ws, f| ws.create_team(f, "一次対応", "")).unwrap();
        let (category, _) = replica.execute(admin, 7, |ws, f| ws.create_category(f, "請求", "")).unwrap();
        let kind = FieldKind::Choice { options: vec!["a".into(), "b".into()] };
        let (field, _) =
            replica.execute(admin, 8, |ws, f| ws.create_field(f, "プラン", kind, FieldTarget::Ticket, false)).unwrap();
        let new_customer =
            NewCustomer { name: "山田".into(), emails: vec!["y@example.jp".into()], ..Default::default() };
        let (customer, _) = replica.execute(admin, 9, |ws, f| ws.create_customer(f, new_customer)).unwrap();
        let (ticket, _) = replica
            .execute(admin, 10, |ws, f| {
                let mut new = NewTicket::new("件名", "本文", customer, Channel::Email);
                new.category = Some(category);
                new.team = Some(team);
                new.tags = vec!["vip".into()];
                new.custom = vec![(field, FieldValue::Choice("a".into()))];
                ws.create_ticket(f, new)
            })
            .unwrap();
        let ws = replica.workspace();
        let entries = ws
            .doc_keys()
            .filter_map(|doc| ws.snapshot(doc))
            .enumerate()
            .map(|(i, snapshot)| ChunkEntry { snapshot, version: i as u32 })
            .collect();
        (entries, ticket)
    }
}
