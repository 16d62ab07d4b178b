//! Browser tests of the IndexedDB layer: real IndexedDB in headless Chromium.

#![cfg(target_arch = "wasm32")]

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use helpdesk::store::{
    IdbStore, StoreError, TabChannel, delete_database, export_workspace, hold_background_lock, import_file,
    storage_status,
};
use helpdesk_core::storage::{Desk, DeskError, Durability, Store, WriteTx};
use helpdesk_core::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

type TestDesk = Desk<Rc<IdbStore>, SeededEntropy>;

const T0: u64 = 1_767_225_600_000;
const ADMIN: AgentId = AgentId::from_u128(1);

fn unique(name: &str) -> String {
    format!("test-{name}-{}", js_sys::Math::random().to_bits())
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

async fn open_store(name: &str) -> Rc<IdbStore> {
    Rc::new(IdbStore::open(name, || {}, || {}).await.expect("the database opens"))
}

async fn open_desk(name: &str, seed: u64) -> TestDesk {
    let store = open_store(name).await;
    Desk::open(store, ReplicaId(seed), SeededEntropy::new(seed), T0).await.unwrap().0
}

/// Sets the workspace up and opens a customer with `tickets` tickets; returns their ids.
async fn seed(desk: &TestDesk, tickets: usize) -> (CustomerId, Vec<TicketId>) {
    let admin = Actor::Agent(ADMIN);
    desk.execute(admin, T0, |ws, f| {
        ws.setup(
            f,
            WorkspaceSetup {
                name: "サポート".into(),
                language: "ja".into(),
                time_zone: "Asia/Tokyo".into(),
                admin: NewAgent::new("管理者", "admin@example.com", Role::Admin),
            },
        )
    })
    .await
    .unwrap();
    let (customer, _) = desk
        .execute(admin, T0 + 1, |ws, f| {
            ws.create_customer(f, NewCustomer { name: "山田太郎".into(), ..Default::default() })
        })
        .await
        .unwrap();
    let mut ids = Vec::new();
    for i in 0..tickets {
        let (id, _) = desk
            .execute(admin, T0 + 2 + i as u64, |ws, f| {
                ws.create_ticket(f, NewTicket::new(format!("件名 {i}"), "本文", customer, Channel::Email))
            })
            .await
            .unwrap();
        ids.push(id);
    }
    (customer, ids)
}

async fn fully_loaded(desk: &TestDesk) -> Workspace {
    let keys: Vec<DocKey> = desk.workspace().doc_keys().collect();
    desk.load(&keys).await.unwrap();
    desk.workspace().clone()
}

/// Opens a database with raw IndexedDB at `version`, running `upgrade` if it is created or
/// upgraded, and leaves the connection open.
async fn raw_open(name: &str, version: u32, upgrade: impl Fn(&web_sys::IdbDatabase) + 'static) -> web_sys::IdbDatabase {
    let factory = web_sys::window().unwrap().indexed_db().unwrap().unwrap();
    let request = factory.open_with_u32(name, version).unwrap();
    let on_upgrade = Closure::<dyn Fn(web_sys::Event)>::new({
        let request = request.clone();
        move |_| upgrade(&request.result().unwrap().unchecked_into())
    });
    request.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
    on_upgrade.forget();
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    JsFuture::from(promise).await.unwrap();
    request.result().unwrap().unchecked_into()
}

/// Writes `records` into `store` of a raw connection and waits for the transaction.
async fn raw_put(db: &web_sys::IdbDatabase, store: &str, records: Vec<(JsValue, JsValue)>) {
    let tx = db.transaction_with_str_and_mode(store, web_sys::IdbTransactionMode::Readwrite).unwrap();
    let object_store = tx.object_store(store).unwrap();
    for (key, value) in records {
        object_store.put_with_key(&value, &key).unwrap();
    }
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        tx.set_oncomplete(Some(&resolve));
        tx.set_onerror(Some(&reject));
    });
    JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_workspace_survives_closing_and_reopening() {
    let name = unique("reopen");
    let desk = open_desk(&name, 1).await;
    let (_, ids) = seed(&desk, 3).await;
    desk.execute(Actor::Agent(ADMIN), T0 + 100, |ws, f| {
        ws.add_message(f, ids[0], NewMessage::new(MessageKind::PublicReply, "ご連絡ありがとうございます"))
    })
    .await
    .unwrap();
    let before = fully_loaded(&desk).await;
    drop(desk);

    let (reopened, report) =
        Desk::open(open_store(&name).await, ReplicaId(1), SeededEntropy::new(5), T0).await.unwrap();
    assert_eq!(report.tickets, 3);
    assert!(!report.rebuilt_snapshots);
    assert!(reopened.workspace().ticket(ids[0]).is_none(), "conversations are not read at start-up");
    assert_eq!(reopened.workspace().summary(ids[0]).unwrap().message_count, 1);
    assert_eq!(fully_loaded(&reopened).await, before);
    delete_database(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_transaction_dropped_before_commit_writes_nothing() {
    let name = unique("rollback");
    let store = open_store(&name).await;
    {
        let mut tx = store.write(Durability::Strict).unwrap();
        tx.put_log_page("t:half-written", &[1, 0]).unwrap();
        tx.put_meta("half", "written").unwrap();
        // Dropped: the page was closed, or the code returned early with an error.
    }
    assert_eq!(store.log_pages(&["t:half-written".to_owned()]).await.unwrap(), vec![None]);
    assert_eq!(store.meta("half").await.unwrap(), None);
    let mut tx = store.write(Durability::Strict).unwrap();
    tx.put_meta("whole", "written").unwrap();
    tx.commit().await.unwrap();
    assert_eq!(store.meta("whole").await.unwrap().as_deref(), Some("written"));
    delete_database(&name).await.unwrap();
}

#[wasm_bindgen_test]
fn browser_failures_map_to_errors_a_person_can_act_on() {
    let error = |name: &str| web_sys::DomException::new_with_message_and_name("boom", name).unwrap();
    assert_eq!(StoreError::from_dom(&error("QuotaExceededError")), StoreError::QuotaExceeded);
    assert_eq!(StoreError::from_dom(&error("VersionError")), StoreError::VersionTooNew);
    assert_eq!(StoreError::from_dom(&error("InvalidStateError")), StoreError::Closed);
    assert_eq!(StoreError::from_dom(&error("SecurityError")), StoreError::Unavailable);
    assert_eq!(StoreError::from_dom(&error("UnknownError")), StoreError::Failed("UnknownError: boom".into()));

    // indexed_db_futures' own errors, mapped variant by variant (never formatted as a whole).
    use indexed_db_futures::error::{Error, OpenDbError, SimpleValueError, UnexpectedDataError};
    assert_eq!(
        StoreError::from(Error::from(SimpleValueError::TooLarge(1e300))),
        StoreError::Failed("the browser's storage returned a value of an unexpected type".into())
    );
    assert_eq!(
        StoreError::from(Error::from(UnexpectedDataError::NoErrorFound)),
        StoreError::Failed("Expected error not found.".into())
    );
    assert_eq!(StoreError::from(OpenDbError::from(error("QuotaExceededError"))), StoreError::QuotaExceeded);
    assert_eq!(StoreError::from(OpenDbError::NullFactory), StoreError::Unavailable);
    assert_eq!(
        StoreError::from(OpenDbError::VersionZero),
        StoreError::Failed("the database version cannot be zero".into())
    );
}

#[wasm_bindgen_test]
async fn an_older_version_open_elsewhere_blocks_the_upgrade_until_it_closes() {
    let name = unique("blocked");
    // Another tab still runs version 1 and ignores version-change requests.
    let old = raw_open(&name, 1, |db| {
        db.create_object_store("op_logs").unwrap();
    })
    .await;
    let blocked = Rc::new(Cell::new(false));
    let opened = Rc::new(RefCell::new(None));
    {
        let (blocked, opened, name) = (blocked.clone(), opened.clone(), name.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let result = IdbStore::open(&name, move || blocked.set(true), || {}).await;
            *opened.borrow_mut() = Some(result.is_ok());
        });
    }
    sleep(200).await;
    assert!(blocked.get(), "the app was told the upgrade is blocked");
    assert!(opened.borrow().is_none(), "and it waits");
    old.close();
    sleep(200).await;
    assert_eq!(*opened.borrow(), Some(true), "once the old tab closes, the upgrade goes through");
    delete_database(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_newer_version_elsewhere_closes_this_connection_and_says_so() {
    let name = unique("replaced");
    let replaced = Rc::new(Cell::new(false));
    let flag = replaced.clone();
    let store = IdbStore::open(&name, || {}, move || flag.set(true)).await.unwrap();
    // A newer build opens the same database in another tab.
    let newer = raw_open(&name, helpdesk::store::SCHEMA_VERSION + 1, |_| {}).await;
    assert!(replaced.get(), "this tab learns it must reload");
    newer.close();
    drop(store);
    delete_database(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_version_1_database_opens_in_this_version() {
    #[derive(serde::Deserialize)]
    struct StoredRecords {
        schema_version: u32,
        op_logs: std::collections::BTreeMap<String, String>,
        snapshots: std::collections::BTreeMap<u32, String>,
        meta: std::collections::BTreeMap<String, String>,
    }
    let records: StoredRecords = serde_json::from_str(include_str!("fixtures/schema-v1.json")).unwrap();
    assert_eq!(records.schema_version, 1);
    let name = unique("fixture-v1");
    // Written the way schema version 1 laid the database out.
    let v1 = raw_open(&name, 1, |db| {
        for store in ["op_logs", "snapshots", "meta"] {
            db.create_object_store(store).unwrap();
        }
    })
    .await;
    let op_logs = records.op_logs.iter().map(|(k, v)| (JsValue::from_str(k), JsValue::from_str(v))).collect();
    raw_put(&v1, "op_logs", op_logs).await;
    let chunks = records
        .snapshots
        .iter()
        .map(|(id, hex)| {
            let bytes: Vec<u8> =
                (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect();
            (JsValue::from(*id), js_sys::Uint8Array::from(bytes.as_slice()).into())
        })
        .collect();
    raw_put(&v1, "snapshots", chunks).await;
    let meta = records.meta.iter().map(|(k, v)| (JsValue::from_str(k), JsValue::from_str(v))).collect();
    raw_put(&v1, "meta", meta).await;
    v1.close();

    let store = open_store(&name).await;
    let (desk, report) = Desk::open(store, ReplicaId(9), SeededEntropy::new(9), T0).await.unwrap();
    assert!(report.rebuilt_snapshots, "version-1 snapshot chunks are an older cache format: rebuilt");
    assert_eq!(report.migrated_op_logs, records.op_logs.len(), "version-1 logs moved into pages");
    let mut subjects: Vec<String> = desk.workspace().tickets().map(|t| t.subject.clone()).collect();
    subjects.sort();
    assert_eq!(subjects, vec!["Invoice needs reissuing".to_owned(), "ログインできません".to_owned()]);
    assert_eq!(desk.workspace().settings().name, "サポート");
    // The upgrade added the version-2 store: new work (with a quarantine) succeeds.
    let login = desk.workspace().tickets().find(|t| t.subject == "ログインできません").unwrap().id;
    desk.execute(Actor::Agent(ADMIN), T0 + 10_000_000, |ws, f| ws.add_tags(f, login, &["upgraded".into()]))
        .await
        .unwrap();
    desk.load(&[DocKey::Ticket(login)]).await.unwrap();
    assert_eq!(desk.workspace().ticket(login).unwrap().messages.len(), 2);
    delete_database(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn damaged_records_are_reported_and_the_workspace_still_opens() {
    let name = unique("damaged");
    let desk = open_desk(&name, 1).await;
    let (customer, ids) = seed(&desk, 5).await;
    drop(desk);
    let raw = raw_open(&name, helpdesk::store::SCHEMA_VERSION, |_| {}).await;
    // A number where the tickets' log page belongs, and garbage in every snapshot chunk.
    let page = helpdesk_core::storage::page_of(DocKey::Ticket(ids[0]));
    raw_put(&raw, "log_pages", vec![(JsValue::from_str(&page), JsValue::from(42))]).await;
    let garbage =
        (0..128u32).map(|id| (JsValue::from(id), js_sys::Uint8Array::from(&[1u8, 255, 255][..]).into())).collect();
    raw_put(&raw, "snapshots", garbage).await;
    raw.close();

    let (desk, report) = Desk::open(open_store(&name).await, ReplicaId(1), SeededEntropy::new(2), T0).await.unwrap();
    assert!(report.rebuilt_snapshots, "snapshots were rebuilt from the op logs");
    assert_eq!(report.unreadable_op_logs, vec![page.clone()], "the damaged page is reported");
    // The tickets on the damaged page are missing (set aside, not invented); the rest of the
    // workspace opens, and new work goes on.
    let on_damaged_page = ids.iter().filter(|id| helpdesk_core::storage::page_of(DocKey::Ticket(**id)) == page).count();
    assert!(on_damaged_page >= 1);
    assert_eq!(report.tickets, ids.len() - on_damaged_page);
    assert_eq!(desk.workspace().settings().name, "サポート");
    assert!(desk.workspace().customer(customer).is_some());
    desk.execute(Actor::Agent(ADMIN), T0 + 1_000, |ws, f| {
        ws.create_ticket(f, NewTicket::new("新しいチケット", "", customer, Channel::Email))
    })
    .await
    .unwrap();
    assert_eq!(desk.workspace().ticket_count(), ids.len() - on_damaged_page + 1);
    delete_database(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn two_connections_writing_one_ticket_lose_nothing() {
    let name = unique("two-tabs");
    let tab_a = open_desk(&name, 1).await;
    let (_, ids) = seed(&tab_a, 1).await;
    let tab_b = open_desk(&name, 1).await;
    let id = ids[0];
    let note = |text: &'static str| {
        move |ws: &Workspace, f: &mut OpFactory<'_>| {
            ws.add_message(f, id, NewMessage::new(MessageKind::InternalNote, text))
        }
    };
    // Both tabs write at the same moment; IndexedDB serialises the transactions.
    let (a, b) = futures::join!(
        tab_a.execute(Actor::Agent(ADMIN), T0 + 500, note("タブA")),
        tab_b.execute(Actor::Agent(ADMIN), T0 + 500, note("タブB")),
    );
    a.unwrap();
    b.unwrap();
    let fresh = open_desk(&name, 3).await;
    fresh.load(&[DocKey::Ticket(id)]).await.unwrap();
    let bodies: Vec<String> = fresh.workspace().ticket(id).unwrap().messages.iter().map(|m| m.body.clone()).collect();
    assert_eq!(bodies.len(), 2, "both notes are stored: {bodies:?}");
    delete_database(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn tabs_hear_which_documents_another_tab_changed() {
    let name = unique("channel");
    let heard: Rc<RefCell<Vec<DocKey>>> = Rc::default();
    let sink = heard.clone();
    let _listener = TabChannel::join(&name, move |docs| sink.borrow_mut().extend(docs)).expect("BroadcastChannel");
    let speaker = TabChannel::join(&name, |_| {}).unwrap();
    let ticket = DocKey::Ticket(TicketId::from_u128(7));
    speaker.announce(&[ticket, DocKey::Workspace]);
    sleep(100).await;
    assert_eq!(*heard.borrow(), vec![ticket, DocKey::Workspace]);
}

#[wasm_bindgen_test]
async fn only_one_tab_holds_the_background_jobs_lock() {
    let name = unique("lock");
    let first = Rc::new(Cell::new(false));
    let second = Rc::new(Cell::new(false));
    let (f, s) = (first.clone(), second.clone());
    assert!(hold_background_lock(&name, move || f.set(true)), "Web Locks are available");
    assert!(hold_background_lock(&name, move || s.set(true)));
    // The browser grants the lock asynchronously; on a busy machine that can take a while.
    for _ in 0..50 {
        if first.get() {
            break;
        }
        sleep(100).await;
    }
    assert!(first.get(), "the first tab runs the jobs");
    sleep(200).await;
    assert!(!second.get(), "the second waits until the first goes away");
}

#[wasm_bindgen_test]
async fn an_export_imports_into_another_browser_unchanged() {
    let source_name = unique("export");
    let source = open_desk(&source_name, 1).await;
    let (_, ids) = seed(&source, 4).await;
    source
        .execute(Actor::Agent(ADMIN), T0 + 50, |ws, f| {
            ws.add_message(f, ids[1], NewMessage::new(MessageKind::Customer, "改行\nと日本語 ✓"))
        })
        .await
        .unwrap();
    let progress_calls = Rc::new(Cell::new(0));
    let calls = progress_calls.clone();
    let (blob, skipped) = export_workspace(&source, T0, move |_| calls.set(calls.get() + 1)).await.unwrap();
    assert_eq!(skipped, 0);
    assert!(progress_calls.get() > 0);

    let file = web_sys::File::new_with_blob_sequence(&js_sys::Array::of1(&blob), "export.jsonl").unwrap();
    let target_name = unique("import");
    let target = open_desk(&target_name, 2).await;
    let summary = import_file(&target, &file, || T0 + 1_000, |_| {}).await.unwrap();
    assert_eq!(summary.ops_new as u64, summary.ops_read);
    assert_eq!(fully_loaded(&target).await, fully_loaded(&source).await);
    // Importing the same file again changes nothing.
    let again = import_file(&target, &file, || T0 + 2_000, |_| {}).await.unwrap();
    assert_eq!(again.ops_new, 0);
    delete_database(&source_name).await.unwrap();
    delete_database(&target_name).await.unwrap();
}

#[wasm_bindgen_test]
async fn the_browser_reports_usage_and_quota() {
    let status = storage_status().await;
    assert!(status.quota_bytes.is_some_and(|quota| quota > 0.0), "{status:?}");
    assert!(status.usage_bytes.is_some(), "{status:?}");
    assert!(status.persisted.is_some(), "{status:?}");
}

/// Opens `name` in a storage bucket limited to `quota_bytes`: a small disk that really fills up.
/// (`window.indexedDB` is shadowed by the bucket's factory only while the store opens.)
async fn open_store_on_small_disk(name: &str, quota_bytes: u32) -> Rc<IdbStore> {
    let window = web_sys::window().unwrap();
    let buckets = js_sys::Reflect::get(&window.navigator(), &"storageBuckets".into()).unwrap();
    let open: js_sys::Function = js_sys::Reflect::get(&buckets, &"open".into()).unwrap().unchecked_into();
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"quota".into(), &quota_bytes.into()).unwrap();
    let bucket =
        JsFuture::from(open.call2(&buckets, &name.into(), &options).unwrap().unchecked_into::<js_sys::Promise>())
            .await
            .expect("Storage Buckets are available in Chromium");
    let factory = js_sys::Reflect::get(&bucket, &"indexedDB".into()).unwrap();
    let descriptor = js_sys::Object::new();
    js_sys::Reflect::set(&descriptor, &"value".into(), &factory).unwrap();
    js_sys::Reflect::set(&descriptor, &"configurable".into(), &true.into()).unwrap();
    js_sys::Object::define_property(&window, &"indexedDB".into(), &descriptor);
    let store = IdbStore::open(name, || {}, || {}).await;
    js_sys::Reflect::delete_property(&window, &"indexedDB".into()).unwrap();
    Rc::new(store.unwrap())
}

#[wasm_bindgen_test]
async fn a_full_disk_fails_the_write_that_does_not_fit_and_nothing_else() {
    let name = unique("full-disk");
    let desk = Desk::open(open_store_on_small_disk(&name, 400_000).await, ReplicaId(1), SeededEntropy::new(1), T0)
        .await
        .unwrap()
        .0;
    let (customer, _) = seed(&desk, 0).await;
    let long_description = "長い説明文。".repeat(8_000); // about 48,000 characters
    let mut created = 0;
    let error = loop {
        let description = long_description.clone();
        let result = desk
            .execute(Actor::Agent(ADMIN), T0 + 10 + created, |ws, f| {
                ws.create_ticket(
                    f,
                    NewTicket::new(format!("大きなチケット {created}"), description, customer, Channel::Email),
                )
            })
            .await;
        match result {
            Ok(_) => created += 1,
            Err(error) => break error,
        }
        assert!(created < 100, "the small disk should have filled up");
    };
    assert!(matches!(error, DeskError::Store(StoreError::QuotaExceeded)), "{error:?}");
    assert!(created > 0, "some tickets fitted before the disk filled");
    let memory = desk.workspace().ticket_count();
    assert_eq!(memory, created as usize, "the ticket that did not fit is not shown");
    drop(desk);
    let (reopened, _) =
        Desk::open(open_store_on_small_disk(&name, 400_000).await, ReplicaId(1), SeededEntropy::new(2), T0)
            .await
            .unwrap();
    assert_eq!(reopened.workspace().ticket_count(), created as usize, "nothing of it was half-written");
}

#[wasm_bindgen_test]
async fn opening_a_workspace_marks_its_phases_in_order_on_the_performance_timeline() {
    use helpdesk::platform::marks;
    use helpdesk::session::{Session, SessionEvents};
    let performance = web_sys::window().unwrap().performance().unwrap();
    let phases = [
        marks::OPENING,
        marks::DATABASE_OPEN,
        marks::SNAPSHOTS_REQUESTED,
        marks::SNAPSHOTS_READ,
        marks::WORKSPACE_OPEN,
    ];
    let name = unique("marks");
    seed(&open_desk(&name, 4).await, 2).await;
    // The desk above read its snapshots through the same store: only the session's marks count.
    for phase in phases {
        performance.clear_marks_with_mark_name(phase);
    }
    let events =
        SessionEvents { on_blocked: Box::new(|| {}), on_replaced: Box::new(|| {}), on_remote_change: Box::new(|_| {}) };
    Session::open(&name, events).await.expect("the workspace opens");
    let times: Vec<f64> = phases
        .iter()
        .map(|phase| {
            let entries = performance.get_entries_by_name(phase);
            assert_eq!(entries.length(), 1, "{phase} marked once");
            entries.get(0).unchecked_into::<web_sys::PerformanceEntry>().start_time()
        })
        .collect();
    assert!(times.is_sorted(), "phases in order: {times:?}");
}
