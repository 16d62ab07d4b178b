//! Browser persistence: the IndexedDB implementation of helpdesk-core's storage contract, and what
//! surrounds it in a browser — asking to keep data, several tabs of one workspace, export and
//! import files.
//!
//! The storage logic itself (layout, merging, snapshots, recovery) is in
//! `helpdesk_core::storage` and tested natively; this module only moves records in and out of
//! IndexedDB and turns browser failures into [`StoreError`]s a person can act on.

mod error;
mod idb;
mod persistence;
mod tabs;
mod transfer;

pub use error::StoreError;
pub use idb::{DB_NAME, IdbStore, SCHEMA_VERSION, delete_database};
pub use persistence::{StorageStatus, request_persistence, storage_status};
pub use tabs::{TabChannel, hold_background_lock};
pub use transfer::{
    ExportProgress, ImportProgress, ImportSummary, TransferError, download, export_file_name, export_workspace,
    import_file,
};
