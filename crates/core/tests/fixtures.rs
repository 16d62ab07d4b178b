//! Stored-data fixtures: records as an earlier version wrote them must open in this one, and the
//! sample export file the end-to-end tests import must stay a valid export.
//!
//! `tests/fixtures/schema-v1.json` (at the repository root) holds the raw records of a workspace as
//! schema version 1 stored them (op logs, snapshot chunks, meta). This test opens it through the
//! storage contract; the browser test `tests/storage.rs` writes the same records into a real
//! version-1 IndexedDB database and opens it with the current build. It is a record of what version
//! 1 wrote: never regenerate it (a new schema version gets a fixture of its own).
//!
//! `tests/fixtures/sample-export.jsonl` is the export file the end-to-end tests import. Regenerate
//! it after an intended change: `UPDATE_FIXTURES=sample-export cargo test -p helpdesk-core --test fixtures`.

mod common;

use std::collections::BTreeMap;

use common::{Desk as Fixture, T0};
use futures::executor::block_on;
use helpdesk_core::export::{ExportHeader, ImportParser, op_line};
use helpdesk_core::storage::{self, Desk, Durability, MemoryStore, Store, WriteTx, meta_keys};
use helpdesk_core::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
struct StoredRecords {
    schema_version: u32,
    op_logs: BTreeMap<String, String>,
    /// Chunk number → bytes as hex.
    snapshots: BTreeMap<u32, String>,
    meta: BTreeMap<String, String>,
}

fn fixture_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/schema-v1.json")
}

fn generate() -> StoredRecords {
    let mut fixture = Fixture::new();
    let login = fixture.open_ticket("ログインできません");
    fixture.message(login, MessageKind::Customer, "パスワードを再設定しても入れません。").unwrap();
    fixture.message(login, MessageKind::PublicReply, "ご不便をおかけしています。確認いたします。").unwrap();
    let invoice = fixture.open_ticket("Invoice needs reissuing");
    fixture.status(invoice, Status::Pending).unwrap();
    let store = MemoryStore::new();
    let (desk, _) = block_on(Desk::open(&store, ReplicaId(1), SeededEntropy::new(1), T0)).unwrap();
    block_on(desk.receive(fixture.log.clone(), fixture.now, &[])).unwrap();
    // Version 1 stored one op log per document, as JSON text.
    let op_logs = block_on(store.log_page_range(None, usize::MAX))
        .unwrap()
        .into_iter()
        .flat_map(|(_, page)| storage::decode_log_page(&page).unwrap())
        .map(|(key, bytes)| (key, serde_json::to_string(&storage::decode_op_log(&bytes).unwrap()).unwrap()))
        .collect();
    let mut snapshots = BTreeMap::new();
    block_on(store.snapshot_chunks(&mut |id, bytes| {
        snapshots.insert(id, bytes.iter().map(|b| format!("{b:02x}")).collect());
    }))
    .unwrap();
    let meta = [meta_keys::CLOCK]
        .into_iter()
        .filter_map(|key| store.raw_meta(key).map(|value| (key.to_owned(), value)))
        .collect();
    StoredRecords { schema_version: 1, op_logs, snapshots, meta }
}

#[test]
fn schema_v1_records_open_in_this_version() {
    if std::env::var("UPDATE_FIXTURES").as_deref() == Ok("schema-v1") {
        let records = generate();
        std::fs::write(fixture_path(), serde_json::to_string_pretty(&records).unwrap() + "\n").unwrap();
    }
    let text = std::fs::read_to_string(fixture_path()).expect("the fixture is committed");
    let records: StoredRecords = serde_json::from_str(&text).unwrap();
    assert_eq!(records.schema_version, 1);

    let store = MemoryStore::new();
    for (key, log) in &records.op_logs {
        store.put_legacy_op_log(key, log.as_bytes());
    }
    let mut tx = store.write(Durability::Strict).unwrap();
    for (id, hex) in &records.snapshots {
        let bytes: Vec<u8> =
            (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect();
        tx.put_snapshot_chunk(*id, &bytes).unwrap();
    }
    for (key, value) in &records.meta {
        tx.put_meta(key, value).unwrap();
    }
    block_on(tx.commit()).unwrap();

    let (desk, report) = block_on(Desk::open(&store, ReplicaId(7), SeededEntropy::new(7), T0)).unwrap();
    // Version-1 snapshot chunks are a cache of an older format: they are rebuilt from the op logs.
    // The op logs are the durable record: they must all migrate and open.
    assert!(report.rebuilt_snapshots);
    assert_eq!(report.migrated_op_logs, records.op_logs.len(), "every per-document log moved into a page");
    assert_eq!(store.legacy_op_log_count(), 0);
    assert!(report.unreadable_op_logs.is_empty());
    let ws = desk.workspace();
    assert_eq!(ws.settings().name, "サポート");
    let mut subjects: Vec<&str> = ws.tickets().map(|t| t.subject.as_str()).collect();
    subjects.sort();
    assert_eq!(subjects, vec!["Invoice needs reissuing", "ログインできません"]);
    let login = ws.tickets().find(|t| t.subject == "ログインできません").unwrap().id;
    drop(ws);
    block_on(desk.load(&[DocKey::Ticket(login)])).unwrap();
    let ticket = desk.workspace().ticket(login).unwrap().clone();
    assert_eq!(ticket.messages.len(), 2);
    assert_eq!(ticket.messages[1].body, "ご不便をおかけしています。確認いたします。");
}

fn sample_export_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/sample-export.jsonl")
}

/// Thirty tickets in Japanese and English across channels, priorities and statuses.
fn sample_export() -> String {
    let mut desk = Fixture::new();
    let subjects = [
        ("ログインできません", "パスワードを再設定してもログインできません。", Channel::Email),
        ("請求書の再発行をお願いします", "先月分の請求書を紛失しました。", Channel::WebForm),
        ("Cannot export my report", "The export button does nothing.", Channel::Chat),
        ("配送状況を確認したい", "注文番号 A-1234 の配送状況を教えてください。", Channel::Phone),
        ("Refund request", "I was charged twice this month.", Channel::Email),
        ("アカウントの削除について", "退会手続きの方法を知りたいです。", Channel::Social),
    ];
    let priorities = [Priority::Low, Priority::Medium, Priority::High, Priority::Critical];
    let agent = desk.agent;
    for i in 0..30 {
        let (subject, body, channel) = subjects[i % subjects.len()];
        let customer = desk.customer;
        let (id, _) = desk
            .run(agent, |ws, f| {
                let mut new = NewTicket::new(format!("{subject} ({})", i + 1), body, customer, channel);
                new.priority = priorities[i % priorities.len()];
                ws.create_ticket(f, new)
            })
            .unwrap();
        if i % 3 != 0 {
            desk.run(agent, |ws, f| ws.claim(f, id)).unwrap();
            desk.message(id, MessageKind::PublicReply, "ご連絡ありがとうございます。確認いたします。").unwrap();
        }
        if i % 5 == 0 {
            desk.status(id, Status::Resolved).unwrap();
        }
    }
    let mut file = ExportHeader::new("サポート", T0, desk.log.len() as u64).to_line();
    for op in &desk.log {
        file.push_str(&op_line(op));
    }
    file
}

#[test]
fn the_sample_export_is_a_valid_export() {
    if std::env::var("UPDATE_FIXTURES").as_deref() == Ok("sample-export") {
        std::fs::write(sample_export_path(), sample_export()).unwrap();
    }
    let bytes = std::fs::read(sample_export_path()).expect("the sample export is committed");
    let mut parser = ImportParser::new();
    let mut ops = Vec::new();
    parser.feed(&bytes, &mut ops).unwrap();
    parser.finish(&mut ops).unwrap();
    let workspace = Workspace::from_ops(ops);
    assert_eq!(workspace.ticket_count(), 30);
    assert_eq!(workspace.customers().count(), 1);
    assert_eq!(workspace.agents().count(), 3);
    assert_eq!(workspace.settings().name, "サポート");
}
