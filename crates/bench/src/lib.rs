//! helpdesk-bench: functions the benchmark driver (`tests/bench/*.mjs`, run by `cargo xtask bench`)
//! calls in headless Chromium, next to JavaScript peers loaded in the same page.
//!
//! Each function measures one thing with `performance.now()` and returns milliseconds, so the
//! driver can put our figures and the peer's side by side. Data comes from
//! `helpdesk_core::sample`: deterministic, mixed Japanese and English, realistic lengths.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use helpdesk::store::{IdbStore, delete_database};
use helpdesk_core::sample::{SampleConfig, sample_ops};
use helpdesk_core::storage::{Desk, encode_op_log};
use helpdesk_core::{DocKey, Op, ReplicaId, SeededEntropy, Workspace};
use wasm_bindgen::prelude::*;

/// A fixed "now" so every run generates the same data.
const NOW_MS: u64 = 1_767_225_600_000;
/// Ops per transaction in the import: the same as a real file import.
const IMPORT_BATCH_OPS: usize = 5_000;

thread_local! {
    static DATASET: RefCell<Vec<Op>> = const { RefCell::new(Vec::new()) };
    /// The generated workspace's admin: the agent the app works as in the inbox benchmark.
    static ADMIN: std::cell::Cell<Option<helpdesk_core::AgentId>> = const { std::cell::Cell::new(None) };
}

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

fn js_error(error: impl std::fmt::Display) -> JsValue {
    JsValue::from_str(&error.to_string())
}

/// Generates the sample for `tickets` tickets (not timed) and keeps its ops for the runs.
/// Returns the number of ops.
#[wasm_bindgen]
pub fn generate(tickets: u32, seed: u32) -> usize {
    let config = SampleConfig::new(tickets as usize, u64::from(seed), NOW_MS);
    let (directory, ops) = sample_ops(&config, ReplicaId(1));
    let ops: Vec<Op> = ops.collect();
    let count = ops.len();
    ADMIN.with(|admin| admin.set(Some(directory.admin)));
    DATASET.with(|dataset| *dataset.borrow_mut() = ops);
    count
}

/// The generated tickets as plain objects (JSON), the way a JavaScript helpdesk would store them:
/// one object per ticket with its conversation. For the Dexie run.
#[wasm_bindgen]
pub fn tickets_json() -> String {
    DATASET.with(|dataset| {
        let dataset = dataset.borrow();
        let mut by_ticket: BTreeMap<DocKey, Vec<Op>> = BTreeMap::new();
        for op in dataset.iter().filter(|op| matches!(op.doc(), DocKey::Ticket(_))) {
            by_ticket.entry(op.doc()).or_default().push(op.clone());
        }
        let tickets: Vec<serde_json::Value> = by_ticket
            .into_iter()
            .filter_map(|(doc, ops)| {
                let DocKey::Ticket(id) = doc else { return None };
                let workspace = Workspace::from_ops(ops);
                let ticket = workspace.ticket(id)?;
                serde_json::to_value(ticket).ok()
            })
            .collect();
        serde_json::to_string(&tickets).unwrap_or_default()
    })
}

/// Our op-log records exactly as the import stores them (`{key, log: Uint8Array}`), for Dexie to
/// store the very same records.
#[wasm_bindgen]
pub fn op_log_records() -> js_sys::Array {
    DATASET.with(|dataset| {
        let mut by_doc: BTreeMap<DocKey, Vec<Op>> = BTreeMap::new();
        for op in dataset.borrow().iter() {
            by_doc.entry(op.doc()).or_default().push(op.clone());
        }
        by_doc
            .into_iter()
            .map(|(doc, ops)| {
                let record = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&record, &"key".into(), &doc.encode().into());
                let _ = js_sys::Reflect::set(
                    &record,
                    &"log".into(),
                    &js_sys::Uint8Array::from(encode_op_log(&ops).as_slice()),
                );
                JsValue::from(record)
            })
            .collect()
    })
}

async fn open_desk(db: &str, seed: u64) -> Result<Desk<Rc<IdbStore>, SeededEntropy>, JsValue> {
    let store = Rc::new(IdbStore::open(db, || {}, || {}).await.map_err(js_error)?);
    let (desk, _) = Desk::open(store, ReplicaId(seed), SeededEntropy::new(seed), NOW_MS).await.map_err(js_error)?;
    Ok(desk)
}

/// Imports the generated ops into a fresh database `db` the way a file import does (batches of
/// whole transactions, snapshots flushed once). Returns milliseconds from first batch to flushed.
#[wasm_bindgen]
pub async fn import_ours(db: String) -> Result<f64, JsValue> {
    delete_database(&db).await.map_err(js_error)?;
    let desk = open_desk(&db, 1).await?;
    let ops = DATASET.with(|dataset| dataset.borrow().clone());
    let started = now();
    for batch in ops.chunks(IMPORT_BATCH_OPS) {
        desk.receive_bulk(batch.to_vec(), NOW_MS, &[]).await.map_err(js_error)?;
    }
    desk.flush_snapshots().await.map_err(js_error)?;
    Ok(now() - started)
}

/// Opens database `db` as the app does at start-up (snapshots only). Returns
/// `{ms, tickets, wasm_bytes}`.
#[wasm_bindgen]
pub async fn cold_open(db: String) -> Result<JsValue, JsValue> {
    let started = now();
    let desk = open_desk(&db, 2).await?;
    let elapsed = now() - started;
    let tickets = desk.workspace().ticket_count();
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    let wasm_bytes = js_sys::ArrayBuffer::from(memory.buffer()).byte_length();
    let result = js_sys::Object::new();
    js_sys::Reflect::set(&result, &"ms".into(), &elapsed.into())?;
    js_sys::Reflect::set(&result, &"tickets".into(), &(tickets as f64).into())?;
    js_sys::Reflect::set(&result, &"wasm_bytes".into(), &f64::from(wasm_bytes).into())?;
    // Keep the desk alive until measured, as the app would.
    drop(desk);
    Ok(result.into())
}

/// Fills the app's own database (same origin) with the generated workspace, the way a file
/// import does, and signs this browser in as its admin, so that loading the app opens its inbox.
/// Returns milliseconds.
#[wasm_bindgen]
pub async fn fill_app_database() -> Result<f64, JsValue> {
    let started = now();
    import_ours(helpdesk::store::DB_NAME.to_owned()).await?;
    let admin = ADMIN.with(std::cell::Cell::get).ok_or_else(|| js_error("generate first"))?;
    let store = IdbStore::open(helpdesk::store::DB_NAME, || {}, || {}).await.map_err(js_error)?;
    use helpdesk_core::storage::{Durability, Store, WriteTx};
    let mut tx = store.write(Durability::Strict).map_err(js_error)?;
    tx.put_meta(helpdesk::session::AGENT_KEY, &admin.to_string()).map_err(js_error)?;
    tx.commit().await.map_err(js_error)?;
    Ok(now() - started)
}

/// Deletes a database between runs.
#[wasm_bindgen]
pub async fn delete_db(db: String) -> Result<(), JsValue> {
    delete_database(&db).await.map_err(js_error)
}

#[wasm_bindgen(start)]
pub fn ready() {
    // The same text normalisation as the app: the browser's NFKC.
    helpdesk::platform::use_browser_normalizer();
    if let Some(state) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("state")) {
        state.set_text_content(Some("ready"));
    }
}

/// Where import and start-up time goes: the CPU-only steps timed on the generated data, and the
/// parts of a cold open. For finding what to optimise; `cargo xtask bench` prints it.
#[wasm_bindgen]
pub async fn profile(db: String) -> Result<JsValue, JsValue> {
    use helpdesk_core::storage::{decode_chunk, decode_op_log};
    let ops = DATASET.with(|dataset| dataset.borrow().clone());
    let mut by_doc: BTreeMap<DocKey, Vec<Op>> = BTreeMap::new();
    let t0 = now();
    for op in ops {
        by_doc.entry(op.doc()).or_default().push(op);
    }
    let t1 = now();
    let encoded: Vec<Vec<u8>> = by_doc.values().map(|ops| encode_op_log(ops)).collect();
    let _pages: usize =
        by_doc.keys().map(|doc| helpdesk_core::storage::page_of(*doc)).collect::<std::collections::BTreeSet<_>>().len();
    let t2 = now();
    for bytes in &encoded {
        decode_op_log(bytes).map_err(js_error)?;
    }
    let t3 = now();
    let mut snapshots = 0;
    for (doc, ops) in &by_doc {
        let workspace = Workspace::from_ops(ops.iter().cloned());
        snapshots += usize::from(workspace.snapshot(*doc).is_some());
    }
    let t4 = now();
    let store = Rc::new(IdbStore::open(&db, || {}, || {}).await.map_err(js_error)?);
    let t5 = now();
    use helpdesk_core::storage::Store;
    let mut chunks = Vec::new();
    store.snapshot_chunks(&mut |id, bytes| chunks.push((id, bytes))).await.map_err(js_error)?;
    let t6 = now();
    let mut restored = Vec::new();
    for (_, bytes) in &chunks {
        restored.extend(decode_chunk(bytes).map_err(js_error)?.into_iter().map(|entry| entry.snapshot));
    }
    let t7 = now();
    let workspace = Workspace::restore(restored);
    let t8 = now();
    let result = serde_json::json!({
        "group_by_doc_ms": t1 - t0,
        "pages": _pages,
        "encode_op_logs_ms": t2 - t1,
        "decode_op_logs_ms": t3 - t2,
        "fold_snapshots_ms": t4 - t3,
        "snapshots": snapshots,
        "open_db_ms": t5 - t4,
        "read_chunks_ms": t6 - t5,
        "chunk_bytes": chunks.iter().map(|(_, b)| b.len()).sum::<usize>(),
        "decode_chunks_ms": t7 - t6,
        "restore_workspace_ms": t8 - t7,
        "tickets": workspace.ticket_count(),
    });
    Ok(JsValue::from_str(&result.to_string()))
}

/// The parts of a cold open, measured in a fresh page (call it first thing after load).
#[wasm_bindgen]
pub async fn profile_open(db: String) -> Result<JsValue, JsValue> {
    use helpdesk_core::storage::{Store, decode_chunk, meta_keys};
    let t0 = now();
    let store = Rc::new(IdbStore::open(&db, || {}, || {}).await.map_err(js_error)?);
    let t1 = now();
    let mut chunks = Vec::new();
    store.snapshot_chunks(&mut |id, bytes| chunks.push((id, bytes))).await.map_err(js_error)?;
    let t2 = now();
    let mut workspace = Workspace::new();
    let count = chunks.len();
    let mut decoded = 0;
    let (mut decode_ms, mut restore_ms) = (0.0, 0.0);
    let mut batch = workspace.restore_batch();
    for (index, (_, bytes)) in chunks.into_iter().enumerate() {
        let a = now();
        let entries = decode_chunk(&bytes).map_err(js_error)?;
        let b = now();
        if index == 0 {
            batch.reserve(entries.len() * count + entries.len());
        }
        decoded += entries.len();
        for entry in entries {
            batch.add(entry.snapshot);
        }
        decode_ms += b - a;
        restore_ms += now() - b;
    }
    let c = now();
    batch.finish();
    restore_ms += now() - c;
    let t3 = now();
    for key in [meta_keys::SNAPSHOTS_STALE, meta_keys::IMPORT, meta_keys::CLOCK] {
        store.meta(key).await.map_err(js_error)?;
    }
    let t4 = now();
    let result = serde_json::json!({
        "open_db_ms": t1 - t0, "read_chunks_ms": t2 - t1, "decode_ms": decode_ms, "restore_ms": restore_ms,
        "decode_restore_ms": t3 - t2, "meta_ms": t4 - t3, "entries": decoded, "tickets": workspace.ticket_count(),
    });
    Ok(JsValue::from_str(&result.to_string()))
}

// --- Search (issue 6) ---

thread_local! {
    /// The generated tickets folded into a workspace with every conversation loaded: the
    /// documents every engine is given.
    static SEARCH_WORKSPACE: RefCell<Option<Workspace>> = const { RefCell::new(None) };
    static SEARCH_INDEX: RefCell<Option<helpdesk_core::SearchIndex>> = const { RefCell::new(None) };
}

/// A fixed zone and "now" for query dates, the same on every run.
fn search_context<'a>(
    zone: &'a helpdesk_core::time::Zone,
    me: Option<helpdesk_core::AgentId>,
) -> helpdesk_core::SearchContext<'a> {
    helpdesk_core::SearchContext { me, now_ms: NOW_MS, zone }
}

/// Folds the generated ops into tickets (not timed). Returns the number of tickets.
#[wasm_bindgen]
pub fn search_prepare() -> usize {
    let ops = DATASET.with(|dataset| std::mem::take(&mut *dataset.borrow_mut()));
    let workspace = Workspace::from_ops(ops);
    let tickets = workspace.ticket_count();
    SEARCH_WORKSPACE.with(|slot| *slot.borrow_mut() = Some(workspace));
    tickets
}

/// The same tickets as plain documents for the JavaScript engines: `{id, subject, body,
/// requester, tags, status, priority, channel}` with `id` the ticket number and `body` the
/// description and every message.
#[wasm_bindgen]
pub fn search_documents_json() -> String {
    SEARCH_WORKSPACE.with(|slot| {
        let slot = slot.borrow();
        let Some(ws) = slot.as_ref() else { return "[]".to_owned() };
        let documents: Vec<serde_json::Value> = ws
            .tickets()
            .filter_map(|summary| ws.ticket(summary.id))
            .map(|ticket| {
                let mut body = ticket.description.clone();
                for message in &ticket.messages {
                    body.push('\n');
                    body.push_str(&message.body);
                }
                let requester = ws
                    .customer(ticket.requester)
                    .map(|c| {
                        let p = &c.profile;
                        let emails: Vec<&str> = p.emails.iter().map(|e| e.as_str()).collect();
                        format!("{} {} {}", p.name, p.organisation, emails.join(" "))
                    })
                    .unwrap_or_default();
                let tags: Vec<&str> = ticket.tags.iter().map(|t| t.as_str()).collect();
                serde_json::json!({
                    "id": ticket.number,
                    "subject": ticket.subject,
                    "body": body,
                    "requester": requester,
                    "tags": tags.join(" "),
                    "status": ticket.status.as_str(),
                    "priority": ticket.priority.as_str(),
                    "channel": ticket.channel.as_str(),
                })
            })
            .collect();
        serde_json::to_string(&documents).unwrap_or_default()
    })
}

fn wasm_memory_bytes() -> f64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    memory.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as f64
}

/// Builds our index over the prepared tickets. Returns `{ms, heap_bytes, wasm_growth_bytes}`.
#[wasm_bindgen]
pub fn search_build() -> JsValue {
    SEARCH_INDEX.with(|slot| *slot.borrow_mut() = None);
    let before = wasm_memory_bytes();
    let started = now();
    let index = SEARCH_WORKSPACE.with(|slot| slot.borrow().as_ref().map(helpdesk_core::SearchIndex::from_workspace));
    let ms = now() - started;
    let heap = index.as_ref().map_or(0, helpdesk_core::SearchIndex::heap_bytes);
    SEARCH_INDEX.with(|slot| *slot.borrow_mut() = index);
    let result = serde_json::json!({ "ms": ms, "heap_bytes": heap, "wasm_growth_bytes": wasm_memory_bytes() - before });
    JsValue::from_str(&result.to_string())
}

/// Calls `run` with the prepared tickets, our index and the query context of the benchmark.
fn with_search<T>(
    run: impl FnOnce(&Workspace, &helpdesk_core::SearchIndex, &helpdesk_core::SearchContext<'_>) -> Result<T, JsValue>,
) -> Result<T, JsValue> {
    let zone = helpdesk_core::time::Zone::named_or_utc("Asia/Tokyo");
    let context = search_context(&zone, ADMIN.with(std::cell::Cell::get));
    SEARCH_WORKSPACE.with(|ws| {
        SEARCH_INDEX.with(|index| {
            let (ws, index) = (ws.borrow(), index.borrow());
            let (Some(ws), Some(index)) = (ws.as_ref(), index.as_ref()) else {
                return Err(JsValue::from_str("call search_prepare and search_build first"));
            };
            run(ws, index, &context)
        })
    })
}

/// Runs `query` `repeat` times as the search box does (parse, resolve, search, first `limit`).
/// Returns `{ms, hits}`: the mean time of one run and how many results it returned.
#[wasm_bindgen]
pub fn search_query(query: &str, limit: u32, repeat: u32) -> Result<JsValue, JsValue> {
    with_search(|ws, index, context| {
        let mut hits = 0;
        let started = now();
        for _ in 0..repeat.max(1) {
            let parsed = helpdesk_core::search::query::parse(query).map_err(js_error)?;
            let plan = helpdesk_core::Plan::new(&parsed, ws, context).map_err(js_error)?;
            hits = index.search(&plan, ws, Some(limit as usize)).hits.len();
        }
        let ms = (now() - started) / f64::from(repeat.max(1));
        Ok(JsValue::from_str(&serde_json::json!({ "ms": ms, "hits": hits }).to_string()))
    })
}

/// The numbers of every ticket `query` matches, for recall against the other engines.
#[wasm_bindgen]
pub fn search_numbers(query: &str) -> Result<Vec<u32>, JsValue> {
    with_search(|ws, index, context| {
        let parsed = helpdesk_core::search::query::parse(query).map_err(js_error)?;
        let plan = helpdesk_core::Plan::new(&parsed, ws, context).map_err(js_error)?;
        let results = index.search(&plan, ws, None);
        Ok(results.hits.iter().filter_map(|hit| ws.summary(hit.ticket)).map(|t| t.number as u32).collect())
    })
}

/// Opens database `db` as the app does and builds its search index from storage, as the app does
/// after its first screen. Returns `{open_ms, build_ms, wasm_before, wasm_after, heap_bytes,
/// tickets}` (wasm memory is the page's high-water mark: linear memory never shrinks).
#[wasm_bindgen]
pub async fn search_build_from_storage(db: String) -> Result<JsValue, JsValue> {
    let started = now();
    let desk = open_desk(&db, 3).await?;
    let opened = now();
    let wasm_before = wasm_memory_bytes();
    desk.build_search_index(|_, _| {}, &mut helpdesk_core::storage::NoPause).await.map_err(js_error)?;
    let built = now();
    let heap_bytes = desk.search().as_ref().map_or(0, helpdesk_core::SearchIndex::heap_bytes);
    let result = serde_json::json!({
        "open_ms": opened - started,
        "build_ms": built - opened,
        "wasm_before": wasm_before,
        "wasm_after": wasm_memory_bytes(),
        "heap_bytes": heap_bytes,
        "tickets": desk.workspace().ticket_count(),
    });
    Ok(JsValue::from_str(&result.to_string()))
}

/// The automation benchmark over the generated tickets: a workspace with an SLA policy in
/// business hours, four time-based rules and six event rules (a set a real team might have).
/// Measures the background sweep the leader tab runs every 30 seconds — the first one, which
/// catches up on everything already due, and the ones after it, which find nothing new — and one
/// command through the event rules (an edit that sets off assignment, the costliest action).
/// Returns JSON `{tickets, first_sweep_ms, first_sweep_ops, idle_sweep_ms: [...], change_ms:
/// [...], sla_alerts_ms}`.
#[wasm_bindgen]
pub fn rules_bench(repeat: u32) -> Result<String, JsValue> {
    use helpdesk_core::rules::{Action, AssignMethod, Condition, Rule, Test, TextField, Timer, Trigger};
    use helpdesk_core::sla::{Calendar, SlaConditions, SlaPolicy, Target};
    use helpdesk_core::time::business::WorkingHours;
    use helpdesk_core::{Actor, Channel, Priority, Replica, Status, Tag, TicketEdit};

    let ops = DATASET.with(|dataset| dataset.borrow().clone());
    let admin = ADMIN.with(std::cell::Cell::get).ok_or_else(|| js_error("generate the tickets first"))?;
    let mut replica = Replica::resume(ReplicaId(7), SeededEntropy::new(7), ops, NOW_MS);
    let tickets = replica.workspace().ticket_count();
    let me = Actor::Agent(admin);
    let hours = WorkingHours::weekdays("Asia/Tokyo", 9 * 60, 18 * 60);
    let calendar = replica
        .execute(me, NOW_MS, |ws, f| ws.save_calendar(f, None, Calendar { name: "Tokyo".into(), hours }))
        .map_err(js_error)?
        .0;
    let policy = SlaPolicy {
        name: "Standard".into(),
        order: 1,
        conditions: SlaConditions::default(),
        calendar: Some(calendar),
        first_reply: Some(Target { minutes: 4 * 60, business_hours: true }),
        next_reply: Some(Target { minutes: 8 * 60, business_hours: true }),
        resolution: Some(Target { minutes: 24 * 60, business_hours: true }),
        warn_at_percent: 75,
    };
    replica.execute(me, NOW_MS, |ws, f| ws.save_sla_policy(f, None, policy)).map_err(js_error)?;
    let tag = |text: &str| Tag::parse(text).expect("a valid tag");
    let rule = Rule::new;
    let rules = [
        rule("warn", 1, Trigger::Timer(Timer::SlaWarning), vec![], vec![Action::AddTag(tag("sla-warning"))]),
        rule(
            "breach",
            2,
            Trigger::Timer(Timer::SlaBreached),
            vec![],
            vec![Action::SetPriority(Priority::Critical), Action::AddTag(tag("sla-breached"))],
        ),
        rule(
            "close pending",
            3,
            Trigger::Timer(Timer::HoursPending(72)),
            vec![],
            vec![Action::AddNote("No answer for three days.".into()), Action::SetStatus(Status::Resolved)],
        ),
        rule("stale", 4, Trigger::Timer(Timer::HoursSinceUpdated(24 * 14)), vec![], vec![Action::AddTag(tag("stale"))]),
        rule(
            "email is medium",
            5,
            Trigger::Created,
            vec![Condition::Channel(Test::Is(Channel::Email))],
            vec![Action::SetPriority(Priority::Medium)],
        ),
        rule(
            "urgent words",
            6,
            Trigger::CreatedOrUpdated,
            vec![Condition::Text { field: TextField::Subject, text: "至急".into(), contains: true }],
            vec![Action::SetPriority(Priority::High)],
        ),
        rule(
            "assign high",
            7,
            Trigger::Updated,
            vec![Condition::Priority(Test::ChangedTo(Priority::High)), Condition::Assignee(Test::Is(None))],
            vec![Action::Assign { team: None, method: AssignMethod::LeastLoaded }],
        ),
        rule(
            "vip",
            8,
            Trigger::CreatedOrUpdated,
            vec![Condition::Tier(Test::Is(helpdesk_core::Tier::Vip))],
            vec![Action::AddTag(tag("vip"))],
        ),
        rule(
            "refund words",
            9,
            Trigger::Updated,
            vec![Condition::Text { field: TextField::Comment, text: "refund".into(), contains: true }],
            vec![Action::AddTag(tag("refund"))],
        ),
        rule(
            "critical note",
            10,
            Trigger::Updated,
            vec![Condition::Priority(Test::ChangedTo(Priority::Critical))],
            vec![Action::AddNote("Critical now.".into())],
        ),
    ];
    for rule in rules {
        replica.execute(me, NOW_MS, |ws, f| ws.save_rule(f, None, rule)).map_err(js_error)?;
    }
    // A Monday morning a week after the sample's "now": much is due, and most of it is catch-up.
    let monday = NOW_MS + 4 * 86_400_000 + 3_600_000;
    // As the app runs it: steps of at most 200 tickets (`TIMER_STEP_BUDGET` in the app's
    // state.rs), each applied before the next.
    let mut schedule = helpdesk_core::rules::TimerSchedule::default();
    let mut sweep = |replica: &mut Replica<SeededEntropy>, at: u64| {
        let mut clock = replica.clock().clone();
        let (mut steps, mut ops, mut longest) = (0, 0, 0.0f64);
        let started = now();
        loop {
            let step_started = now();
            let (planned, complete) = replica.workspace().rule_ops_scheduled(&mut schedule, &mut clock, at, 200);
            ops += planned.len();
            replica.receive(planned, at);
            longest = longest.max(now() - step_started);
            steps += 1;
            if complete {
                return (now() - started, ops, steps, longest);
            }
        }
    };
    let (first_ms, first_ops, first_steps, first_longest) = sweep(&mut replica, monday);
    let mut idle = Vec::new();
    for i in 1..=repeat {
        let (ms, ops, _, _) = sweep(&mut replica, monday + u64::from(i) * 30_000);
        idle.push((ms, ops));
    }
    let open: Vec<_> = replica
        .workspace()
        .tickets()
        .filter(|t| t.is_open() && t.assignee.is_none() && t.priority != Priority::High)
        .map(|t| t.id)
        .take(repeat as usize)
        .collect();
    let mut change = Vec::new();
    for (i, id) in open.into_iter().enumerate() {
        let at = monday + 3_600_000 + i as u64 * 1000;
        let started = now();
        let (_, rule_ops) = replica
            .execute_with_rules(me, at, |ws, f| ws.edit_ticket(f, id, TicketEdit::Priority(Priority::High)))
            .map_err(js_error)?;
        change.push((now() - started, rule_ops.len()));
    }
    let book = helpdesk_core::sla::SlaBook::new(replica.workspace().settings());
    let started = now();
    let alerts = helpdesk_core::notify::sla_alerts(replica.workspace(), &book, admin, monday).len();
    let alerts_ms = now() - started;
    let result = serde_json::json!({
        "tickets": tickets,
        "first_sweep_ms": first_ms,
        "first_sweep_ops": first_ops,
        "first_sweep_steps": first_steps,
        "first_sweep_longest_step_ms": first_longest,
        "idle_sweep": idle,
        "change": change,
        "sla_alerts_ms": alerts_ms,
        "sla_alerts": alerts,
    });
    Ok(result.to_string())
}
