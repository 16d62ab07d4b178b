//! How records are encoded: op logs as JSON, snapshot chunks as a format byte plus postcard.

use crate::op::{DocKey, Op};
use crate::workspace::DocSnapshot;

/// How many snapshot records a workspace is spread over. Fixed, because a document's chunk is
/// derived from its key: 128 keeps start-up at 128 reads and a chunk of a 100,000-ticket workspace
/// around 200 KB, which a single edit rewrites in about a millisecond.
pub const SNAPSHOT_CHUNKS: u32 = 128;

/// The first byte of every snapshot chunk. Bump it when [`DocSnapshot`]'s binary form changes:
/// chunks of another format are rebuilt from the op logs instead of misread.
const SNAPSHOT_FORMAT: u8 = 1;

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

pub fn encode_op_log(ops: &[Op]) -> String {
    serde_json::to_string(ops).expect("ops serialise to JSON (no maps with non-string keys, no non-finite numbers)")
}

pub fn decode_op_log(text: &str) -> Result<Vec<Op>, CodecError> {
    serde_json::from_str(text).map_err(|error| CodecError::OpLog(error.to_string()))
}

pub fn encode_chunk(snapshots: &[DocSnapshot]) -> Vec<u8> {
    let mut bytes = vec![SNAPSHOT_FORMAT];
    let body = postcard::to_allocvec(snapshots).expect("snapshots serialise to postcard");
    bytes.extend_from_slice(&body);
    bytes
}

pub fn decode_chunk(bytes: &[u8]) -> Result<Vec<DocSnapshot>, CodecError> {
    match bytes.split_first() {
        Some((&SNAPSHOT_FORMAT, body)) => {
            postcard::from_bytes(body).map_err(|error| CodecError::Chunk(error.to_string()))
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
    fn bad_records_are_errors_not_panics() {
        assert!(matches!(decode_op_log("not json"), Err(CodecError::OpLog(_))));
        assert!(matches!(decode_op_log("[{\"id\":1}]"), Err(CodecError::OpLog(_))));
        assert_eq!(decode_chunk(&[]), Err(CodecError::Chunk("empty record".into())));
        assert_eq!(decode_chunk(&[99, 1, 2]), Err(CodecError::ChunkFormat { found: 99 }));
        assert!(matches!(decode_chunk(&[SNAPSHOT_FORMAT, 0xff, 0xff]), Err(CodecError::Chunk(_))));
        assert_eq!(decode_chunk(&encode_chunk(&[])).unwrap(), vec![]);
    }

    /// Every kind of document survives the binary form (postcard cannot read self-describing
    /// serde features such as internally tagged enums, so this guards the model's serde shape).
    #[test]
    fn every_kind_of_snapshot_round_trips() {
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
        let snapshots: Vec<DocSnapshot> = ws.doc_keys().filter_map(|doc| ws.snapshot(doc)).collect();
        assert_eq!(snapshots.len(), 7, "settings, agent, team, category, field, customer, ticket");
        assert_eq!(decode_chunk(&encode_chunk(&snapshots)).unwrap(), snapshots);
        assert!(snapshots.iter().any(|s| s.doc() == DocKey::Ticket(ticket)));
    }
}
