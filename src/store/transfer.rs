//! Moving a whole workspace in and out of the browser as a file (see `helpdesk_core::export` for
//! the format): a backup, a move to another browser, or a way to hand data to the sync server.

use helpdesk_core::export::{ExportHeader, ImportError, ImportParser, op_line};
use helpdesk_core::storage::{CommitReport, Desk, Store, decode_log_page, decode_op_log, meta_keys};
use helpdesk_core::{DocKey, Entropy};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::error::StoreError;

pub use helpdesk_core::export::file_name as export_file_name;

/// How many log pages an export reads at a time.
const EXPORT_PAGES: usize = 100;
/// How many bytes an import reads from the file at a time.
const IMPORT_SLICE_BYTES: f64 = 2.0 * 1024.0 * 1024.0;
/// How many ops an import commits per transaction (each batch lands whole or not at all).
const IMPORT_BATCH_OPS: usize = 5_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportProgress {
    pub documents_done: usize,
    pub documents_total: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImportProgress {
    pub bytes_read: f64,
    pub bytes_total: f64,
    pub ops_read: u64,
}

/// Why an export or import stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransferError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    File(#[from] ImportError),
    #[error("the file could not be read: {0}")]
    Read(String),
}

/// Writes every op of the workspace into an export file (a Blob). Documents whose op log cannot be
/// read are left out and counted in the returned number.
pub async fn export_workspace<S: Store<Error = StoreError>, E: Entropy>(
    desk: &Desk<S, E>,
    exported_at_ms: u64,
    on_progress: impl Fn(ExportProgress),
) -> Result<(web_sys::Blob, usize), StoreError> {
    let (workspace_name, documents_total) = {
        let ws = desk.workspace();
        (ws.settings().name.clone(), ws.doc_keys().count())
    };
    // Text goes into JS strings page by page: a 200 MB export never sits in wasm memory at once.
    let parts = js_sys::Array::new();
    let mut ops_total: u64 = 0;
    let mut documents_done = 0;
    let mut unreadable = 0;
    let mut after: Option<String> = None;
    loop {
        let pages = desk.store().log_page_range(after.as_deref(), EXPORT_PAGES).await?;
        let Some((last, _)) = pages.last() else { break };
        after = Some(last.clone());
        let mut text = String::new();
        for (_, bytes) in &pages {
            let Ok(page) = decode_log_page(bytes) else {
                unreadable += 1;
                continue;
            };
            for log in page.values() {
                match decode_op_log(log) {
                    Ok(ops) => {
                        for op in &ops {
                            text.push_str(&op_line(op));
                        }
                        ops_total += ops.len() as u64;
                    }
                    Err(_) => unreadable += 1,
                }
                documents_done += 1;
            }
        }
        parts.push(&text.into());
        on_progress(ExportProgress { documents_done, documents_total: documents_total.max(documents_done) });
    }
    let header = ExportHeader::new(&workspace_name, exported_at_ms, ops_total).to_line();
    parts.unshift(&header.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/x-ndjson");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| StoreError::Failed(format!("cannot build the export file: {e:?}")))?;
    Ok((blob, unreadable))
}

/// Offers `blob` to the person as a download named `file_name`.
pub fn download(blob: &web_sys::Blob, file_name: &str) -> Result<(), StoreError> {
    let failed = |what: &str| StoreError::Failed(format!("cannot start the download: {what}"));
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(|_| failed("object URL"))?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or_else(|| failed("no document"))?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a").map_err(|_| failed("link"))?.unchecked_into();
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    // The browser has taken its copy by the time click() returns.
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Ops in the file.
    pub ops_read: u64,
    /// Ops this workspace did not have yet.
    pub ops_new: usize,
    /// Documents that changed (to announce to other tabs).
    pub changed: Vec<DocKey>,
}

/// Imports an export file into the workspace, merging by op id. Reads the file in slices and
/// commits in batches of whole transactions; an "import in progress" marker travels with each batch
/// and the last one clears it, so an interrupted import is reported on the next start (importing
/// the same file again completes it; what was imported is skipped).
pub async fn import_file<S: Store<Error = StoreError>, E: Entropy>(
    desk: &Desk<S, E>,
    file: &web_sys::File,
    wall_ms: impl Fn() -> u64,
    on_progress: impl Fn(ImportProgress),
) -> Result<ImportSummary, TransferError> {
    let mut summary = ImportSummary::default();
    let outcome = import_batches(desk, file, &wall_ms, &on_progress, &mut summary).await;
    // Batches defer their snapshots; write them whether the import finished or stopped early (what
    // was imported is real). If even that fails, the next start rebuilds them.
    let flushed = desk.flush_snapshots().await;
    outcome?;
    flushed?;
    Ok(summary)
}

async fn import_batches<S: Store<Error = StoreError>, E: Entropy>(
    desk: &Desk<S, E>,
    file: &web_sys::File,
    wall_ms: &impl Fn() -> u64,
    on_progress: &impl Fn(ImportProgress),
    summary: &mut ImportSummary,
) -> Result<(), TransferError> {
    let total = file.size();
    let mut parser = ImportParser::new();
    let mut batch = Vec::new();
    let mut offset = 0.0;
    let marker = |done: f64| serde_json::json!({ "file": file.name(), "total": total, "done": done }).to_string();
    while offset < total {
        let end = (offset + IMPORT_SLICE_BYTES).min(total);
        let slice = file.slice_with_f64_and_f64(offset, end).map_err(|e| TransferError::Read(format!("{e:?}")))?;
        let buffer = JsFuture::from(slice.array_buffer()).await.map_err(|e| TransferError::Read(format!("{e:?}")))?;
        if let Err(damaged) = parser.feed(&js_sys::Uint8Array::new(&buffer).to_vec(), &mut batch) {
            // Keep what came before the damage (the message says so), then stop.
            let report = desk.receive_bulk(std::mem::take(&mut batch), wall_ms(), &[(meta_keys::IMPORT, None)]).await?;
            record(summary, &report);
            return Err(damaged.into());
        }
        offset = end;
        if batch.len() >= IMPORT_BATCH_OPS {
            let ops = std::mem::take(&mut batch);
            let report = desk.receive_bulk(ops, wall_ms(), &[(meta_keys::IMPORT, Some(marker(offset)))]).await?;
            record(summary, &report);
        }
        on_progress(ImportProgress { bytes_read: offset, bytes_total: total, ops_read: parser.ops_seen() });
    }
    let finished = parser.finish(&mut batch);
    let report = desk.receive_bulk(batch, wall_ms(), &[(meta_keys::IMPORT, None)]).await?;
    record(summary, &report);
    finished?;
    summary.ops_read = parser.ops_seen();
    on_progress(ImportProgress { bytes_read: total, bytes_total: total, ops_read: summary.ops_read });
    Ok(())
}

fn record(summary: &mut ImportSummary, report: &CommitReport) {
    summary.ops_new += report.new_ops.len();
    summary.changed.extend(report.docs.iter().map(|doc| doc.doc));
}
