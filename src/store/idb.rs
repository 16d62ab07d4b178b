//! [`IdbStore`]: helpdesk-core's storage contract over IndexedDB.
//!
//! # Schema
//!
//! One database per browser profile and origin ([`DB_NAME`]), with object stores named after the
//! layout in `helpdesk_core::storage`:
//!
//! | store        | key                         | value                                     |
//! |--------------|-----------------------------|-------------------------------------------|
//! | `log_pages`  | page key (`t:0006a2f1`)     | `Uint8Array`: the page's op logs (postcard) |
//! | `snapshots`  | chunk number                | `Uint8Array`: format byte + postcard       |
//! | `meta`       | name                        | string                                    |
//! | `quarantine` | `log-page/…`, `op-log/…`, `chunk/…` | `{raw: Uint8Array, reason: string}` |
//! | `op_logs`    | document key (`t:<uuid>`)   | versions 1–2 only: JSON text; emptied by the migration |
//!
//! Values are strings and byte arrays, never object graphs: they are the cheapest things for the
//! browser to clone in and out, which is most of the cost of IndexedDB.
//!
//! # Versions
//!
//! Each version adds stores to the previous one; [`upgrade`] creates whichever are missing, so a
//! database of any older version (or one left half-made) opens in this one. A step may only
//! create stores; a step that must rewrite data does it after opening, in an ordinary
//! transaction guarded by a meta marker (the upgrade runs on a request of its own, which the
//! rest of the adapter never sees).
//!
//! 1. `op_logs` (one JSON record per document), `snapshots`, `meta`.
//! 2. `quarantine`: unreadable records are set aside instead of being overwritten.
//! 3. `log_pages`: op logs grouped into pages (IndexedDB pays per record). `op_logs` stays as the
//!    source of the migration, which `helpdesk_core::storage::Desk::open` runs after opening.

use indexed_db_futures::KeyRange;
use indexed_db_futures::database::Database;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{Transaction, TransactionDurability, TransactionMode, TransactionOptions};
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;

use helpdesk_core::storage::{Durability, SNAPSHOT_CHUNKS, Store, WriteTx};

use super::error::StoreError;

/// The database of the helpdesk in this browser.
pub const DB_NAME: &str = "helpdesk";
/// The schema version this build writes (see the module docs for the history).
pub const SCHEMA_VERSION: u32 = 3;

const LEGACY_OP_LOGS: &str = "op_logs";
const LOG_PAGES: &str = "log_pages";
const SNAPSHOTS: &str = "snapshots";
const META: &str = "meta";
const QUARANTINE: &str = "quarantine";
const ALL_STORES: [&str; 5] = [LOG_PAGES, SNAPSHOTS, META, QUARANTINE, LEGACY_OP_LOGS];

/// The workspace's IndexedDB database.
#[derive(Debug)]
pub struct IdbStore {
    db: Database,
}

/// Opens `name` at [`SCHEMA_VERSION`] with the browser's own request, creates every store the
/// database lacks, and closes it again. By name rather than by version number: a database left
/// half-made (an older build interrupted mid-upgrade, a store created by hand) comes out complete
/// either way.
///
/// Why not indexed_db_futures' upgrade and blocked listeners: the crate formats its whole error
/// type when a listener fails, and one variant of it holds an f64, so listening brought core's
/// float formatting into the wasm (7.9 KB gzip, docs/size.md). The crate then opens the
/// database at the version this made, which needs no upgrade and takes a few milliseconds.
async fn upgrade(name: &str, on_blocked: impl FnOnce() + 'static) -> Result<(), StoreError> {
    let request = factory()?.open_with_u32(name, SCHEMA_VERSION).map_err(|e| dom_error(&e))?;
    let upgrading = request.clone();
    let on_upgrade = Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
        let Ok(result) = upgrading.result() else { return };
        let db: web_sys::IdbDatabase = result.unchecked_into();
        let names = db.object_store_names();
        let missing = ALL_STORES.iter().filter(|store| !names.contains(store));
        if missing.map(|store| db.create_object_store(store)).any(|created| created.is_err()) {
            // Aborting fails the open request with an AbortError, which `request_done` reports.
            if let Some(transaction) = upgrading.transaction() {
                let _ = transaction.abort();
            }
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
    let on_blocked = Closure::once_into_js(move |_: web_sys::Event| on_blocked());
    request.set_onblocked(Some(on_blocked.unchecked_ref()));
    request_done(&request).await?;
    let db: web_sys::IdbDatabase = request.result().map_err(|e| dom_error(&e))?.unchecked_into();
    db.close();
    Ok(())
}

fn factory() -> Result<web_sys::IdbFactory, StoreError> {
    web_sys::window().and_then(|w| w.indexed_db().ok().flatten()).ok_or(StoreError::Unavailable)
}

impl IdbStore {
    /// Opens (creating or upgrading) the database `name`.
    ///
    /// `on_blocked` runs if another tab keeps an older version open: the open then waits until
    /// that tab closes or reloads. `on_replaced` runs later if another tab opens a newer version:
    /// this connection closes so the other can upgrade, and this tab must reload.
    pub async fn open(
        name: &str,
        on_blocked: impl FnOnce() + 'static,
        on_replaced: impl Fn() + 'static,
    ) -> Result<IdbStore, StoreError> {
        upgrade(name, on_blocked).await?;
        let db = Database::open(name).with_version(SCHEMA_VERSION).await?;
        let connection: web_sys::IdbDatabase = db.as_sys().clone().unchecked_into();
        let closing = connection.clone();
        let on_version_change = Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
            closing.close();
            on_replaced();
        });
        connection.set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
        // The handler lives as long as the connection, which lives as long as the page.
        on_version_change.forget();
        Ok(IdbStore { db })
    }

    fn read(&self, store: &str) -> Result<Transaction<'_>, StoreError> {
        Ok(self.db.transaction(store).build()?)
    }
}

/// Deletes a whole database (tests, and "clear this browser's data" in settings).
pub async fn delete_database(name: &str) -> Result<(), StoreError> {
    let request = factory()?.delete_database(name).map_err(|e| dom_error(&e))?;
    request_done(&request).await
}

fn dom_error(value: &JsValue) -> StoreError {
    match value.dyn_ref::<web_sys::DomException>() {
        Some(exception) => StoreError::from_dom(exception),
        None => StoreError::Failed(format!("{value:?}")),
    }
}

/// Waits for a raw request to succeed or fail.
async fn request_done(request: &web_sys::IdbRequest) -> Result<(), StoreError> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        let failed = request.clone();
        let on_error = Closure::once_into_js(move |_: web_sys::Event| {
            let error = failed.error().ok().flatten().map(JsValue::from).unwrap_or(JsValue::NULL);
            let _ = reject.call1(&JsValue::NULL, &error);
        });
        request.set_onerror(Some(on_error.unchecked_ref()));
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.map(|_| ()).map_err(|e| dom_error(&e))
}

/// A record as bytes: byte arrays as they are, text (version-1 op logs, meta values) as UTF-8, and
/// anything else as its JSON (which then fails to decode and gets quarantined with its content,
/// per the storage contract).
fn bytes_of(value: &JsValue) -> Vec<u8> {
    // Read a stored Uint8Array as it is: `new Uint8Array(typedArray)` would first copy it into a
    // fresh buffer, and reading 100,000 tickets' pages that way kept tens of megabytes of the
    // page's JavaScript heap busy (measured in the search benchmark).
    if let Some(array) = value.dyn_ref::<js_sys::Uint8Array>() {
        array.to_vec()
    } else if value.is_instance_of::<js_sys::ArrayBuffer>() {
        js_sys::Uint8Array::new(value).to_vec()
    } else if let Some(text) = value.as_string() {
        text.into_bytes()
    } else {
        js_sys::JSON::stringify(value).ok().and_then(|s| s.as_string()).unwrap_or_default().into_bytes()
    }
}

fn text_of(value: &JsValue) -> String {
    value.as_string().unwrap_or_else(|| String::from_utf8_lossy(&bytes_of(value)).into_owned())
}

/// Reads `keys` of `store`: every request is sent first, then collected (IndexedDB answers them in
/// order, in one round).
async fn get_many(tx: &Transaction<'_>, store: &str, keys: &[String]) -> Result<Vec<Option<JsValue>>, StoreError> {
    let object_store = tx.object_store(store)?;
    let requests = keys
        .iter()
        .map(|key| object_store.get::<JsValue, _, _>(key.as_str()).primitive())
        .collect::<Result<Vec<_>, _>>()?;
    let mut values = Vec::with_capacity(requests.len());
    for request in requests {
        values.push(request.await?);
    }
    Ok(values)
}

async fn get_bytes(tx: &Transaction<'_>, store: &str, keys: &[String]) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
    Ok(get_many(tx, store, keys).await?.into_iter().map(|value| value.map(|value| bytes_of(&value))).collect())
}

/// Reads the snapshot chunks `chunks`, all requests sent first, like [`get_many`].
async fn get_chunks(tx: &Transaction<'_>, chunks: &[u32]) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
    let store = tx.object_store(SNAPSHOTS)?;
    let requests = chunks
        .iter()
        .map(|chunk| store.get::<JsValue, _, _>(JsValue::from(*chunk)).primitive())
        .collect::<Result<Vec<_>, _>>()?;
    let mut values = Vec::with_capacity(requests.len());
    for request in requests {
        values.push(request.await?.map(|value| bytes_of(&value)));
    }
    Ok(values)
}

async fn get_text(tx: &Transaction<'_>, store: &str, key: &str) -> Result<Option<String>, StoreError> {
    Ok(get_many(tx, store, &[key.to_owned()]).await?.pop().flatten().map(|value| text_of(&value)))
}

impl Store for IdbStore {
    type Error = StoreError;
    type Tx<'a> = IdbTx<'a>;

    async fn snapshot_chunks(&self, each: &mut dyn FnMut(u32, Vec<u8>)) -> Result<(), StoreError> {
        // Every part is requested at once, in one transaction (one consistent view), and handed
        // on as it arrives: the browser reads the later parts while the caller decodes the first.
        // At 100,000 tickets the read is about 100 ms that start-up used to spend waiting.
        const PARTS: u32 = 4;
        const PER_PART: u32 = SNAPSHOT_CHUNKS.div_ceil(PARTS);
        crate::platform::mark(crate::platform::marks::SNAPSHOTS_REQUESTED);
        let tx = self.read(SNAPSHOTS)?;
        let store = tx.object_store(SNAPSHOTS)?;
        let mut requests = Vec::with_capacity(PARTS as usize);
        for part in 0..PARTS {
            // The last part is open above, so a chunk beyond the fixed count is still read.
            let range = || match part + 1 {
                PARTS => KeyRange::<JsValue>::LowerBound(JsValue::from(part * PER_PART), false),
                next => KeyRange::Bound(JsValue::from(part * PER_PART), false, JsValue::from(next * PER_PART), true),
            };
            let keys = store.get_all_keys::<JsValue>().with_query::<JsValue, _>(range()).primitive()?;
            let values = store.get_all::<JsValue>().with_query::<JsValue, _>(range()).primitive()?;
            requests.push((keys, values));
        }
        for (keys, values) in requests {
            let keys: Vec<JsValue> = keys.await?.collect::<Result<_, _>>()?;
            let values: Vec<JsValue> = values.await?.collect::<Result<_, _>>()?;
            for (key, value) in keys.into_iter().zip(values) {
                if let Some(id) = key.as_f64() {
                    each(id as u32, bytes_of(&value));
                }
            }
        }
        crate::platform::mark(crate::platform::marks::SNAPSHOTS_READ);
        Ok(())
    }

    async fn snapshot_chunks_by_id(&self, chunks: &[u32]) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
        let tx = self.read(SNAPSHOTS)?;
        get_chunks(&tx, chunks).await
    }

    async fn log_pages(&self, pages: &[String]) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
        let tx = self.read(LOG_PAGES)?;
        get_bytes(&tx, LOG_PAGES, pages).await
    }

    async fn log_page_range(&self, after: Option<&str>, limit: usize) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        self.range(LOG_PAGES, after, limit).await
    }

    async fn legacy_op_logs(&self, limit: usize) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        self.range(LEGACY_OP_LOGS, None, limit).await
    }

    async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        let tx = self.read(META)?;
        get_text(&tx, META, key).await
    }

    fn write(&self, durability: Durability) -> Result<IdbTx<'_>, StoreError> {
        let mut options = TransactionOptions::new();
        options.set_durability(match durability {
            Durability::Strict => TransactionDurability::Strict,
            Durability::Relaxed => TransactionDurability::Relaxed,
        });
        let tx = self.db.transaction(ALL_STORES).with_mode(TransactionMode::Readwrite).with_options(options).build()?;
        Ok(IdbTx { tx })
    }
}

impl IdbStore {
    /// Records of `store` in key order (string keys), at most `limit`, after `after`.
    async fn range(
        &self,
        store_name: &str,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let tx = self.read(store_name)?;
        let store = tx.object_store(store_name)?;
        let limit = u32::try_from(limit).unwrap_or(u32::MAX);
        // Keys are strings, and every string sorts at or after "": the first page starts there.
        let range = || match after {
            Some(after) => KeyRange::<JsValue>::LowerBound(JsValue::from_str(after), true),
            None => KeyRange::<JsValue>::LowerBound(JsValue::from_str(""), false),
        };
        let keys = store.get_all_keys::<JsValue>().with_query::<JsValue, _>(range()).with_limit(limit).primitive()?;
        let values = store.get_all::<JsValue>().with_query::<JsValue, _>(range()).with_limit(limit).primitive()?;
        let keys: Vec<JsValue> = keys.await?.collect::<Result<_, _>>()?;
        let values: Vec<JsValue> = values.await?.collect::<Result<_, _>>()?;
        Ok(keys.into_iter().zip(values).filter_map(|(key, value)| Some((key.as_string()?, bytes_of(&value)))).collect())
    }
}

/// One read-write transaction over every store. Dropped without [`WriteTx::commit`], it rolls
/// back (indexed_db_futures aborts unfinished transactions).
#[derive(Debug)]
pub struct IdbTx<'a> {
    tx: Transaction<'a>,
}

impl IdbTx<'_> {
    fn put(&self, store: &str, key: JsValue, value: JsValue) -> Result<(), StoreError> {
        // The request's outcome is not awaited: a failed put aborts the transaction, and the
        // commit reports it. Not awaiting saves a callback per record on bulk writes.
        drop(self.tx.object_store(store)?.put(value).with_key(key).primitive()?);
        Ok(())
    }
}

impl WriteTx for IdbTx<'_> {
    type Error = StoreError;

    async fn log_pages(&mut self, pages: &[String]) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
        get_bytes(&self.tx, LOG_PAGES, pages).await
    }

    async fn snapshot_chunks(&mut self, chunks: &[u32]) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
        get_chunks(&self.tx, chunks).await
    }

    async fn meta(&mut self, key: &str) -> Result<Option<String>, StoreError> {
        get_text(&self.tx, META, key).await
    }

    fn put_log_page(&mut self, page: &str, bytes: &[u8]) -> Result<(), StoreError> {
        self.put(LOG_PAGES, JsValue::from_str(page), js_sys::Uint8Array::from(bytes).into())
    }

    fn put_snapshot_chunk(&mut self, chunk: u32, bytes: &[u8]) -> Result<(), StoreError> {
        self.put(SNAPSHOTS, JsValue::from(chunk), js_sys::Uint8Array::from(bytes).into())
    }

    fn put_meta(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.put(META, JsValue::from_str(key), JsValue::from_str(value))
    }

    fn delete_meta(&mut self, key: &str) -> Result<(), StoreError> {
        drop(self.tx.object_store(META)?.delete(key).primitive()?);
        Ok(())
    }

    fn delete_legacy_op_log(&mut self, doc: &str) -> Result<(), StoreError> {
        drop(self.tx.object_store(LEGACY_OP_LOGS)?.delete(doc).primitive()?);
        Ok(())
    }

    fn quarantine(&mut self, key: &str, raw: &[u8], reason: &str) -> Result<(), StoreError> {
        let record = js_sys::Object::new();
        let failed = |_| StoreError::Failed("cannot build a quarantine record".to_owned());
        js_sys::Reflect::set(&record, &"raw".into(), &js_sys::Uint8Array::from(raw)).map_err(failed)?;
        js_sys::Reflect::set(&record, &"reason".into(), &reason.into()).map_err(failed)?;
        self.put(QUARANTINE, JsValue::from_str(key), record.into())
    }

    async fn commit(self) -> Result<(), StoreError> {
        let raw: web_sys::IdbTransaction = self.tx.as_sys().clone().unchecked_into();
        match self.tx.commit().await {
            Ok(()) => Ok(()),
            // An aborted transaction carries the reason (quota, disk error) on its `error`.
            Err(error) => Err(match raw.error() {
                Some(exception) => StoreError::from_dom(&exception),
                None => error.into(),
            }),
        }
    }
}
