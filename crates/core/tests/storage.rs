//! Persistence through the storage contract, over the in-memory store: what survives a reload,
//! what a failed write leaves behind, two tabs on one store, damaged records, and imports.

mod common;

use common::{Desk as Fixture, T0};
use futures::executor::block_on;
use helpdesk_core::export::{ExportHeader, ImportError, ImportParser, op_line};
use helpdesk_core::storage::{
    Desk, DeskError, MemoryError, MemoryStore, Store, decode_log_page, decode_op_log, meta_keys, page_of,
};
use helpdesk_core::*;

type StoredDesk<'a> = Desk<&'a MemoryStore, SeededEntropy>;

/// The fixture desk's ops, committed into `store`; returns the fixture for its ids.
fn seeded(store: &MemoryStore) -> Fixture {
    let fixture = Fixture::new();
    let (desk, _) = open(store, 1);
    block_on(desk.receive(fixture.log.clone(), fixture.now, &[])).unwrap();
    fixture
}

fn open(store: &MemoryStore, replica: u64) -> (StoredDesk<'_>, storage::OpenReport) {
    block_on(Desk::open(store, ReplicaId(replica), SeededEntropy::new(replica), T0)).unwrap()
}

/// A workspace folded from everything in the store, with every document loaded.
fn fully_loaded(desk: &StoredDesk<'_>) -> Workspace {
    let keys: Vec<DocKey> = desk.workspace().doc_keys().collect();
    block_on(desk.load(&keys)).unwrap();
    desk.workspace().clone()
}

fn create_ticket(desk: &StoredDesk<'_>, fixture: &Fixture, subject: &str, at: u64) -> TicketId {
    let customer = fixture.customer;
    block_on(desk.execute(Actor::Agent(fixture.agent), at, |ws, f| {
        ws.create_ticket(f, NewTicket::new(subject, "本文", customer, Channel::Email))
    }))
    .unwrap()
    .0
}

#[test]
fn everything_survives_a_reload_and_opens_from_snapshots_alone() {
    let store = MemoryStore::new();
    let fixture = seeded(&store);
    let (desk, _) = open(&store, 1);
    let id = create_ticket(&desk, &fixture, "再起動テスト", T0 + 10_000);
    block_on(desk.execute(Actor::Agent(fixture.agent), T0 + 11_000, |ws, f| {
        ws.add_message(f, id, NewMessage::new(MessageKind::PublicReply, "ご連絡ありがとうございます"))
    }))
    .unwrap();
    block_on(desk.execute(Actor::Agent(fixture.agent), T0 + 12_000, |ws, f| ws.change_status(f, id, Status::Pending)))
        .unwrap();
    let before = fully_loaded(&desk);
    drop(desk);

    let (reopened, report) = open(&store, 1);
    assert_eq!(report.tickets, 1);
    assert!(!report.rebuilt_snapshots);
    {
        let ws = reopened.workspace();
        let summary = ws.summary(id).expect("the ticket is listed without loading it");
        assert_eq!((summary.status, summary.message_count), (Status::Pending, 1));
        assert!(ws.ticket(id).is_none(), "the conversation is not read at start-up");
        assert_eq!(ws.settings().name, "サポート");
        assert_eq!(ws.agents().count(), 3);
    }
    assert_eq!(fully_loaded(&reopened), before, "loading every document gives back the same workspace");
    assert_eq!(reopened.workspace().ticket(id).unwrap().messages.len(), 1);
}

#[test]
fn new_ops_after_a_reload_order_after_everything_stored() {
    let store = MemoryStore::new();
    let fixture = seeded(&store);
    let (desk, _) = open(&store, 1);
    let id = create_ticket(&desk, &fixture, "clock", T0 + 60_000);
    drop(desk);
    // The browser restarts with its clock an hour behind (corrected by NTP meanwhile).
    let (reopened, _) = open(&store, 1);
    block_on(reopened.load(&[DocKey::Ticket(id)])).unwrap();
    let last_before = reopened.workspace().ops_of(DocKey::Ticket(id)).last().unwrap().ts;
    block_on(reopened.execute(Actor::Agent(fixture.agent), T0 - 3_600_000, |ws, f| {
        ws.edit_ticket(f, id, TicketEdit::Priority(Priority::High))
    }))
    .unwrap();
    let newest = reopened.workspace().ops_of(DocKey::Ticket(id)).last().unwrap().clone();
    assert!(newest.ts > last_before);
    assert_eq!(reopened.workspace().summary(id).unwrap().priority, Priority::High);
}

#[test]
fn a_failed_write_changes_nothing_and_the_retry_works() {
    let store = MemoryStore::new();
    let fixture = seeded(&store);
    let (desk, _) = open(&store, 1);
    let stored_before = store.dump();
    let memory_before = desk.workspace().clone();
    store.fail_next_commits(1, MemoryError::QuotaExceeded);
    let customer = fixture.customer;
    let error = block_on(desk.execute(Actor::Agent(fixture.agent), T0 + 5_000, |ws, f| {
        ws.create_ticket(f, NewTicket::new("保存できるか", "", customer, Channel::Phone))
    }))
    .unwrap_err();
    assert!(matches!(error, DeskError::Store(MemoryError::QuotaExceeded)), "{error}");
    assert_eq!(error.to_string(), "the browser's storage quota is exceeded");
    assert_eq!(store.dump(), stored_before, "nothing half-written");
    assert_eq!(*desk.workspace(), memory_before, "nothing shown that is not stored");

    let id = create_ticket(&desk, &fixture, "保存できるか", T0 + 6_000);
    assert_eq!(desk.workspace().summary(id).unwrap().number, 1, "the retry takes the number the failure did not use");
}

#[test]
fn refused_commands_write_nothing() {
    let store = MemoryStore::new();
    let fixture = seeded(&store);
    let (desk, _) = open(&store, 1);
    let commits = store.commit_count();
    let customer = fixture.customer;
    let error = block_on(desk.execute(Actor::Agent(fixture.agent), T0, |ws, f| {
        ws.create_ticket(f, NewTicket::new("  ", "", customer, Channel::Email))
    }))
    .unwrap_err();
    assert!(matches!(error, DeskError::Command(CommandError::Invalid(ValidationError::Empty { field: "subject" }))));
    assert_eq!(store.commit_count(), commits);
}

#[test]
fn a_refresh_reads_only_the_chunks_of_the_changed_documents() {
    let store = MemoryStore::new();
    let fixture = seeded(&store);
    let (tab_a, _) = open(&store, 1);
    for n in 0..24 {
        create_ticket(&tab_a, &fixture, &format!("既存 {n}"), T0 + 1_000 + n);
    }
    let (tab_b, _) = open(&store, 2);
    let id = create_ticket(&tab_a, &fixture, "別のタブで作成", T0 + 5_000);
    let chunks_before = store.chunk_read_count();
    let all_chunks = {
        let mut count = 0;
        block_on(store.snapshot_chunks(&mut |_, _| count += 1)).unwrap();
        count
    };
    assert!(all_chunks > 10, "the fixture spreads over many chunks ({all_chunks})");
    let chunks_before = chunks_before + all_chunks;

    block_on(tab_b.refresh(&[DocKey::Ticket(id)], T0 + 5_000)).unwrap();
    assert_eq!(store.chunk_read_count() - chunks_before, 1, "one ticket lives in one chunk");
    assert_eq!(tab_b.workspace().summary(id).map(|summary| summary.subject.as_str()), Some("別のタブで作成"));
}

#[test]
fn two_tabs_editing_one_ticket_lose_nothing() {
    let store = MemoryStore::new();
    let fixture = seeded(&store);
    let (tab_a, _) = open(&store, 1);
    let (tab_b, _) = open(&store, 1);
    let id = create_ticket(&tab_a, &fixture, "二つのタブ", T0 + 1_000);
    // The creating commit touched the ticket and the workspace document (its number block); the
    // app's tab broadcast names every touched document.
    block_on(tab_b.refresh(&[DocKey::Ticket(id), DocKey::Workspace], T0 + 1_000)).unwrap();
    block_on(tab_a.load(&[DocKey::Ticket(id)])).unwrap();
    block_on(tab_b.load(&[DocKey::Ticket(id)])).unwrap();

    // Both tabs add a note; neither has seen the other's yet.
    let note = |tab: &StoredDesk<'_>, text: &str, at: u64| {
        block_on(tab.execute(Actor::Agent(fixture.agent), at, |ws, f| {
            ws.add_message(f, id, NewMessage::new(MessageKind::InternalNote, text))
        }))
        .unwrap()
        .0
    };
    let from_a = note(&tab_a, "タブAのメモ", T0 + 2_000);
    let from_b = note(&tab_b, "タブBのメモ", T0 + 2_001);
    assert!(tab_b.workspace().ticket(id).unwrap().message(from_a).is_some(), "b's commit merged a's note from storage");

    block_on(tab_a.refresh(&[DocKey::Ticket(id)], T0 + 3_000)).unwrap();
    assert_eq!(*tab_a.workspace(), *tab_b.workspace());
    let page = block_on(store.log_pages(&[page_of(DocKey::Ticket(id))])).unwrap().remove(0).unwrap();
    let stored = decode_op_log(&decode_log_page(&page).unwrap()[&DocKey::Ticket(id).encode()]).unwrap();
    assert_eq!(stored.len(), 3, "create + two notes are all stored");
    assert!(tab_a.workspace().ticket(id).unwrap().message(from_b).is_some());
}

#[test]
fn a_damaged_op_log_is_quarantined_and_work_goes_on() {
    let store = MemoryStore::new();
    let fixture = seeded(&store);
    let (desk, _) = open(&store, 1);
    let id = create_ticket(&desk, &fixture, "壊れた記録", T0 + 1_000);
    let key = DocKey::Ticket(id).encode();
    store.corrupt_op_log(DocKey::Ticket(id), b"{this is not json");
    drop(desk);

    let (desk, report) = open(&store, 1);
    assert_eq!(report.tickets, 1, "the snapshot still lists the ticket");
    let unreadable = block_on(desk.load(&[DocKey::Ticket(id)])).unwrap();
    assert_eq!(unreadable, vec![key.clone()]);

    // New work on the ticket's document sets the bad record aside instead of failing forever.
    block_on(desk.receive(vec![], T0, &[])).unwrap();
    let (_, ops) = Replica::new(ReplicaId(9), SeededEntropy::new(9))
        .plan(Actor::System, T0 + 2_000, |_, f| {
            Ok::<_, CommandError>((
                (),
                vec![f.op(Payload::Ticket { ticket: id, op: TicketOp::AddTag(Tag::parse("recovered").unwrap()) })],
            ))
        })
        .unwrap();
    let report = block_on(desk.receive(ops, T0 + 2_000, &[])).unwrap();
    assert_eq!(report.quarantined, vec![key.clone()]);
    assert_eq!(store.quarantined(), vec![format!("op-log/{key}")]);
}

#[test]
fn a_damaged_log_page_is_set_aside_and_its_documents_rebuilt_from_what_remains() {
    let store = MemoryStore::new();
    let fixture = seeded(&store);
    let (desk, _) = open(&store, 1);
    let id = create_ticket(&desk, &fixture, "ページ破損", T0 + 1_000);
    drop(desk);
    store.corrupt_log_page(DocKey::Ticket(id), &[9, 9, 9]);
    let (desk, _) = open(&store, 1);
    let unreadable = block_on(desk.load(&[DocKey::Ticket(id)])).unwrap();
    assert_eq!(unreadable, vec![page_of(DocKey::Ticket(id))], "the whole page is reported");
    block_on(desk.execute(Actor::Agent(fixture.agent), T0 + 2_000, |ws, f| {
        ws.edit_ticket(f, id, TicketEdit::Priority(Priority::High))
    }))
    .unwrap();
    assert_eq!(store.quarantined(), vec![format!("log-page/{}", page_of(DocKey::Ticket(id)))]);
}

#[test]
fn a_damaged_snapshot_chunk_is_rebuilt_from_the_op_logs() {
    let store = MemoryStore::new();
    let fixture = seeded(&store);
    let (desk, _) = open(&store, 1);
    let ids: Vec<TicketId> =
        (0..20).map(|i| create_ticket(&desk, &fixture, &format!("t{i}"), T0 + 1_000 + i)).collect();
    let expected = fully_loaded(&desk);
    drop(desk);
    for chunk in 0..storage::SNAPSHOT_CHUNKS {
        store.corrupt_chunk(chunk, &[1, 0xff, 0xff, 0xff]);
    }

    let (desk, report) = open(&store, 1);
    assert!(report.rebuilt_snapshots);
    assert!(report.unreadable_chunks > 0);
    assert_eq!(report.tickets, ids.len());
    assert_eq!(fully_loaded(&desk), expected);
    let (_, again) = open(&store, 1);
    assert!(!again.rebuilt_snapshots, "the rebuild was written back");
}

#[test]
fn an_interrupted_import_is_reported_on_next_open() {
    let store = MemoryStore::new();
    let fixture = seeded(&store);
    let (desk, _) = open(&store, 1);
    let marker = r#"{"file":"export.jsonl","total":10,"done":4}"#.to_owned();
    block_on(desk.receive(vec![], T0, &[(meta_keys::IMPORT, Some(marker.clone()))])).unwrap();
    drop(desk);
    let (desk, report) = open(&store, 1);
    assert_eq!(report.interrupted_import, Some(marker));
    block_on(desk.receive(vec![], T0, &[(meta_keys::IMPORT, None)])).unwrap();
    let (_, report) = open(&store, 1);
    assert_eq!(report.interrupted_import, None);
    let _ = fixture;
}

#[test]
fn receiving_twice_is_harmless_and_bulk_imports_stay_unloaded() {
    let store = MemoryStore::new();
    let mut fixture = Fixture::new();
    // More documents than the commit reads one by one: the existence probe runs, both when
    // nothing is stored yet and when everything is.
    for i in 0..100 {
        fixture.open_ticket(&format!("bulk {i}"));
    }
    let (desk, _) = open(&store, 1);
    let first = block_on(desk.receive(fixture.log.clone(), fixture.now, &[])).unwrap();
    assert_eq!(first.new_ops.len(), fixture.log.len());
    let second = block_on(desk.receive(fixture.log.clone(), fixture.now, &[])).unwrap();
    assert!(second.new_ops.is_empty() && second.docs.is_empty(), "a second import changes nothing");
    let ws = desk.workspace();
    assert_eq!(ws.ticket_count(), 100);
    assert!(ws.tickets().all(|t| ws.ticket(t.id).is_none()), "imported tickets are kept as summaries");
}

#[test]
fn exports_round_trip_through_the_line_format() {
    let mut fixture = Fixture::new();
    let id = fixture.open_ticket("エクスポート ✓");
    fixture.message(id, MessageKind::Customer, "改行\nを含む\r\n本文").unwrap();
    let mut file = ExportHeader::new("サポート", T0, fixture.log.len() as u64).to_line();
    for op in &fixture.log {
        file.push_str(&op_line(op));
    }
    // Read it back in awkward slices: a Japanese character split across reads must survive.
    let bytes = file.as_bytes();
    let mut parser = ImportParser::new();
    let mut ops = Vec::new();
    for piece in bytes.chunks(7) {
        parser.feed(piece, &mut ops).unwrap();
    }
    parser.finish(&mut ops).unwrap();
    assert_eq!(ops, fixture.log);
    assert_eq!(parser.header().unwrap().workspace, "サポート");
}

#[test]
fn bad_import_files_are_explained() {
    let check = |content: &str, expected: ImportError| {
        let mut parser = ImportParser::new();
        let mut ops = Vec::new();
        let result = parser.feed(content.as_bytes(), &mut ops).and_then(|_| parser.finish(&mut ops));
        assert_eq!(result.unwrap_err(), expected, "{content:?}");
    };
    check("", ImportError::Empty);
    check("hello\n", ImportError::NotAnExport);
    check(
        "{\"format\":\"other\",\"version\":1,\"workspace\":\"\",\"exported_at_ms\":0,\"ops\":0}\n",
        ImportError::NotAnExport,
    );
    check(
        "{\"format\":\"helpdesk-export\",\"version\":9,\"workspace\":\"\",\"exported_at_ms\":0,\"ops\":0}\n",
        ImportError::UnsupportedVersion { found: 9 },
    );
    let header = ExportHeader::new("w", 0, 2).to_line();
    check(&header, ImportError::Incomplete { expected: 2, found: 0 });
    let mut parser = ImportParser::new();
    let mut ops = Vec::new();
    let error = parser.feed(format!("{header}\n{{broken\n").as_bytes(), &mut ops).unwrap_err();
    assert!(matches!(error, ImportError::BadLine { line: 3, .. }), "{error}");
}

#[test]
fn the_lines_before_a_damaged_one_are_kept() {
    let mut fixture = Fixture::new();
    fixture.open_ticket("前");
    let mut file = ExportHeader::new("w", 0, fixture.log.len() as u64 + 1).to_line();
    for op in &fixture.log {
        file.push_str(&op_line(op));
    }
    file.push_str("{damaged\n");
    let mut parser = ImportParser::new();
    let mut ops = Vec::new();
    let error = parser.feed(file.as_bytes(), &mut ops).unwrap_err();
    assert!(matches!(error, ImportError::BadLine { .. }));
    assert_eq!(ops, fixture.log, "everything before the damage was read");
}

fn bulk_source(tickets: usize) -> Fixture {
    let mut fixture = Fixture::new();
    for i in 0..tickets {
        fixture.open_ticket(&format!("一括 {i}"));
    }
    fixture
}

#[test]
fn a_bulk_import_defers_snapshots_to_one_flush() {
    let store = MemoryStore::new();
    let source = bulk_source(40);
    let (desk, _) = open(&store, 1);
    for batch in source.log.chunks(7) {
        block_on(desk.receive_bulk(batch.to_vec(), source.now, &[])).unwrap();
    }
    assert!(store.raw_meta(meta_keys::SNAPSHOTS_STALE).is_some(), "unflushed snapshots are marked stale");
    assert_eq!(desk.workspace().ticket_count(), 40, "memory shows the import as it goes");
    let flushed = block_on(desk.flush_snapshots()).unwrap();
    assert!(flushed >= 40);
    assert_eq!(store.raw_meta(meta_keys::SNAPSHOTS_STALE), None);
    let expected = fully_loaded(&desk);
    let (reopened, report) = open(&store, 1);
    assert!(!report.rebuilt_snapshots, "flushed snapshots are trusted");
    assert_eq!(fully_loaded(&reopened), expected);
}

#[test]
fn a_bulk_job_that_dies_before_flushing_is_rebuilt_on_next_open() {
    let store = MemoryStore::new();
    let source = bulk_source(12);
    let (desk, _) = open(&store, 1);
    for batch in source.log.chunks(5) {
        block_on(desk.receive_bulk(batch.to_vec(), source.now, &[])).unwrap();
    }
    let expected = fully_loaded(&desk);
    drop(desk); // the tab was closed mid-import
    let (reopened, report) = open(&store, 1);
    assert!(report.rebuilt_snapshots);
    assert_eq!(report.tickets, 12, "nothing imported is missing");
    assert_eq!(fully_loaded(&reopened), expected);
    assert_eq!(store.raw_meta(meta_keys::SNAPSHOTS_STALE), None, "the rebuild cleared the mark");
}

#[test]
fn a_flush_never_replaces_a_newer_snapshot_from_another_tab() {
    let store = MemoryStore::new();
    let fixture = seeded(&store);
    let (importing, _) = open(&store, 1);
    let (working, _) = open(&store, 1);
    let id = create_ticket(&working, &fixture, "競合", T0 + 1_000);
    // The import brings a tag for this ticket, made after it was created.
    let later = fixture.now + 60_000;
    let (_, tag_ops) = Replica::new(ReplicaId(9), SeededEntropy::new(9))
        .plan(Actor::System, later, |_, f| {
            Ok::<_, CommandError>((
                (),
                vec![f.op(Payload::Ticket { ticket: id, op: TicketOp::AddTag(Tag::parse("imported").unwrap()) })],
            ))
        })
        .unwrap();
    block_on(importing.receive_bulk(tag_ops, later, &[])).unwrap();
    // Meanwhile the other tab escalates the same ticket, with snapshots written at once.
    block_on(working.refresh(&[DocKey::Ticket(id)], later)).unwrap();
    block_on(working.execute(Actor::Agent(fixture.agent), later + 1_000, |ws, f| {
        ws.edit_ticket(f, id, TicketEdit::Priority(Priority::Critical))
    }))
    .unwrap();
    block_on(importing.flush_snapshots()).unwrap();

    let (fresh, report) = open(&store, 1);
    assert!(!report.rebuilt_snapshots);
    let summary = fresh.workspace().summary(id).unwrap().clone();
    assert_eq!(summary.priority, Priority::Critical, "the newer snapshot survived the flush");
    assert!(summary.tags.contains(&Tag::parse("imported").unwrap()));
}

#[test]
fn the_stale_mark_of_older_versions_still_means_rebuild() {
    let store = MemoryStore::new();
    seeded(&store);
    let (desk, _) = open(&store, 1);
    block_on(desk.receive(vec![], T0, &[(meta_keys::SNAPSHOTS_STALE, Some("true".to_owned()))])).unwrap();
    drop(desk);
    let (_, report) = open(&store, 1);
    assert!(report.rebuilt_snapshots);
}
