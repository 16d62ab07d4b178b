//! The open workspace of this tab: a [`Desk`] over IndexedDB, the channel to the other tabs, and
//! this browser's replica id.

use std::rc::Rc;

use helpdesk_core::storage::{Desk, Durability, OpenReport, Store, WriteTx};
use helpdesk_core::{AgentId, DocKey, Entropy, ReplicaId, TicketId};

use crate::platform::{CryptoEntropy, mark, marks, now_ms};
use crate::store::{IdbStore, StoreError, TabChannel};

/// The desk the app works through.
pub type AppDesk = Desk<Rc<IdbStore>, CryptoEntropy>;

/// Where this browser's replica id is kept. One id per browser profile (shared by its tabs), so
/// the number blocks it claims are not wasted on every reload. Tabs of one browser may then issue
/// equal clock readings; the op id breaks such ties, so ordering stays total.
const REPLICA_KEY: &str = "replica";

/// Which agent works in this browser. Per browser, not per workspace file: a workspace imported
/// from a colleague's export has several agents, and this browser belongs to one of them.
pub const AGENT_KEY: &str = "agent";

/// The workspace open in this tab.
pub struct Session {
    pub desk: AppDesk,
    /// What opening found (rebuilt snapshots, unreadable records, an interrupted import).
    pub report: OpenReport,
    /// The agent working in this browser, once chosen (at setup, or picked from the workspace).
    me: std::cell::Cell<Option<AgentId>>,
    channel: Option<TabChannel>,
    /// Tickets loaded by [`Session::read_ahead`], oldest first.
    read_ahead: std::cell::RefCell<std::collections::VecDeque<TicketId>>,
}

/// How many read-ahead conversations stay in memory (a few screens of rows; about 1 MB).
const READ_AHEAD_KEEP: usize = 150;
/// How many conversations one read-ahead step reads (one storage request, a few ms of decoding,
/// so a click waits little for it).
const READ_AHEAD_STEP: usize = 2;

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").field("report", &self.report).finish_non_exhaustive()
    }
}

/// Callbacks from the browser while a session is open.
pub struct SessionEvents {
    /// Another tab keeps an older version of the database open; opening waits for it.
    pub on_blocked: Box<dyn FnOnce()>,
    /// Another tab opened a newer version: this tab's connection closed; it must reload.
    pub on_replaced: Box<dyn Fn()>,
    /// Another tab committed changes to these documents.
    pub on_remote_change: Box<dyn Fn(Vec<DocKey>)>,
}

impl std::fmt::Debug for SessionEvents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionEvents").finish_non_exhaustive()
    }
}

impl Session {
    /// Opens (creating if needed) the workspace stored under `db_name`.
    pub async fn open(db_name: &str, events: SessionEvents) -> Result<Session, StoreError> {
        let SessionEvents { on_blocked, on_replaced, on_remote_change } = events;
        mark(marks::OPENING);
        let store = Rc::new(IdbStore::open(db_name, on_blocked, on_replaced).await?);
        mark(marks::DATABASE_OPEN);
        let replica = replica_id(&store).await?;
        let me = store.meta(AGENT_KEY).await?.and_then(|text| text.parse::<AgentId>().ok());
        let (desk, report) = Desk::open(store, replica, CryptoEntropy, now_ms()).await?;
        mark(marks::WORKSPACE_OPEN);
        let channel = TabChannel::join(db_name, on_remote_change);
        Ok(Session { desk, report, me: std::cell::Cell::new(me), channel, read_ahead: Default::default() })
    }

    /// The agent working in this browser.
    pub fn me(&self) -> Option<AgentId> {
        self.me.get()
    }

    /// Remembers which agent works in this browser.
    pub async fn set_me(&self, agent: AgentId) -> Result<(), StoreError> {
        let mut tx = self.desk.store().write(Durability::Strict)?;
        tx.put_meta(AGENT_KEY, &agent.to_string())?;
        tx.commit().await?;
        self.me.set(Some(agent));
        Ok(())
    }

    /// Tells the other tabs which documents this tab changed.
    pub fn announce(&self, docs: &[DocKey]) {
        if let Some(channel) = &self.channel {
            channel.announce(docs);
        }
    }
}

/// The replica id stored in this browser, created on first use.
async fn replica_id(store: &Rc<IdbStore>) -> Result<ReplicaId, StoreError> {
    if let Some(id) = store.meta(REPLICA_KEY).await?.and_then(|text| u64::from_str_radix(&text, 16).ok()) {
        return Ok(ReplicaId(id));
    }
    let id = ReplicaId(CryptoEntropy.random_u128() as u64);
    let mut tx = store.write(Durability::Strict)?;
    // Two tabs opening a brand-new database at once could both get here: re-read inside the
    // transaction so only the first id is kept.
    let existing = tx.meta(REPLICA_KEY).await?.and_then(|text| u64::from_str_radix(&text, 16).ok());
    if let Some(existing) = existing {
        return Ok(ReplicaId(existing));
    }
    tx.put_meta(REPLICA_KEY, &format!("{:016x}", id.0))?;
    tx.commit().await?;
    Ok(id)
}

impl Session {
    /// Reads the conversations of `tickets` (rows in view, first row first) into memory ahead
    /// of need, a couple at a time, while `still_wanted()` holds: opening one of them then
    /// renders at once instead of waiting on storage. Nothing on screen changes, so views are
    /// not told. The oldest read-ahead conversations leave memory again (not ones with unsaved
    /// ops; a page showing one loads it again when it needs it).
    pub async fn read_ahead(&self, tickets: Vec<TicketId>, still_wanted: impl Fn() -> bool) {
        let missing: Vec<DocKey> = {
            let workspace = self.desk.workspace();
            tickets.into_iter().map(DocKey::Ticket).filter(|doc| !workspace.has_loaded(*doc)).collect()
        };
        for step in missing.chunks(READ_AHEAD_STEP) {
            if !still_wanted() {
                return;
            }
            // A failed read only means the ticket page reads it itself.
            if self.desk.load(step).await.is_err() {
                return;
            }
            let mut kept = self.read_ahead.borrow_mut();
            kept.extend(step.iter().filter_map(|doc| match doc {
                DocKey::Ticket(id) => Some(*id),
                _ => None,
            }));
            while kept.len() > READ_AHEAD_KEEP {
                if let Some(id) = kept.pop_front() {
                    self.desk.unload_ticket(id);
                }
            }
        }
    }
}
