//! The one application state, provided at the root and read with [`use_app_state`].
//!
//! Domain values live inside signals here; the domain types themselves (in helpdesk-core) know
//! nothing about signals. The workspace itself sits in the [`Session`] (not in a signal: it can
//! hold 100,000 tickets); views read it through [`AppState::with_workspace`], which tracks
//! [`AppState::revision`], bumped whenever the stored workspace changes.

use std::rc::Rc;
use std::sync::Arc;

use helpdesk_core::sla::SlaBook;
use helpdesk_core::storage::{DeskError, SearchStatus};
use helpdesk_core::{
    Actor, AgentId, CommandError, CommandResult, DocKey, OpFactory, Planned, QueueQuery, SortedQueue, Workspace,
};
use leptos::prelude::*;

use crate::components::notifications::Notifications;
use crate::i18n::{Lang, Texts};
use crate::platform::now_ms;
use crate::session::{Session, SessionEvents};
use crate::store::{DB_NAME, StoreError, hold_background_lock};

/// How often countdowns (SLA targets) move on.
const TICK: std::time::Duration = std::time::Duration::from_secs(30);

/// Where the chosen interface language is remembered between visits.
const LANG_STORAGE_KEY: &str = "helpdesk.lang";

/// Where the browser's storage stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageState {
    Opening,
    /// Another tab keeps an older version open; opening waits until it closes.
    Blocked,
    Ready,
    Failed(StoreError),
    /// Another tab updated the database; this tab must reload.
    Replaced,
}

#[derive(Debug, Clone, Copy)]
pub struct AppState {
    /// The interface language. Changing it re-renders text and updates `<html lang>`.
    pub lang: RwSignal<Lang>,
    pub storage: RwSignal<StorageState>,
    /// Bumped after every change to the stored workspace (here or in another tab).
    pub revision: RwSignal<u64>,
    /// Whether this tab runs the workspace's background jobs (one tab at a time does).
    pub leader: RwSignal<bool>,
    /// The agent working in this browser (`None` until set up or chosen).
    pub me: RwSignal<Option<AgentId>>,
    /// The inbox's filter and order; kept here so that they survive opening a ticket and coming back.
    pub inbox: RwSignal<QueueQuery>,
    /// Where this tab's search index stands (it is built in the background after opening).
    pub search: RwSignal<SearchStatus>,
    /// The time countdowns are shown for: now, moved on every [`TICK`].
    pub now: RwSignal<u64>,
    /// The workspace's SLA policies and calendars, ready for evaluating tickets; rebuilt when
    /// the workspace changes, and only announced as changed when the settings did.
    pub sla: Memo<Arc<SlaBook>>,
    /// The signed-in agent's notifications (see [`crate::components::notifications`]).
    pub notifications: Notifications,
    /// Every ticket in the inbox's column order, with the quick filters each belongs to. Held
    /// here rather than by the inbox page so that coming back to the inbox from a ticket does
    /// not sort 100,000 tickets again (13 ms); recomputed only when read after the order, the
    /// agent or the data changed.
    pub inbox_sorted: Memo<SortedQueue>,
    /// Whether the inbox is on screen. It stays mounted while other pages are open
    /// (`crate::app::KeptInbox`); hidden, its sorted list keeps its version, so a change made on
    /// a ticket's page sorts the inbox once it is shown again, not there and then.
    pub inbox_shown: RwSignal<bool>,
    session: StoredValue<Option<Rc<Session>>, LocalStorage>,
    /// Commands planned but not yet committed. While there are any, leaving or reloading the
    /// page asks first: a commit takes a few milliseconds, and a page that unloads in that time
    /// aborts the transaction, losing a change the person saw applied.
    commits_in_flight: StoredValue<u32>,
}

impl AppState {
    /// The state for a fresh page: the remembered language, else the browser's preference.
    pub fn new() -> Self {
        let lang = remembered_lang().unwrap_or_else(browser_lang);
        let revision = RwSignal::new(0);
        let session: StoredValue<Option<Rc<Session>>, LocalStorage> = StoredValue::new_local(None);
        let sla = Memo::new(move |_| {
            revision.track();
            let book = session.get_value().map(|session| SlaBook::new(session.desk.workspace().settings()));
            Arc::new(book.unwrap_or_default())
        });
        let now = RwSignal::new(now_ms());
        set_interval(move || now.set(now_ms()), TICK);
        let inbox = RwSignal::new(QueueQuery::default());
        let me = RwSignal::new(None);
        let order = Memo::new(move |_| inbox.with(|query| (query.sort, query.descending)));
        // Every revision (a conversation loaded, say) re-reads the version, but only a new version
        // (a summary, customer or agent changed) sorts again.
        let inbox_shown = RwSignal::new(true);
        let queue_version = Memo::new(move |before: Option<&Option<_>>| {
            let shown = inbox_shown.get();
            if let Some(before) = before
                && !shown
            {
                return *before;
            }
            revision.track();
            session.get_value().map(|session| session.desk.workspace().queue_version())
        });
        let inbox_sorted = Memo::new(move |_| {
            let (sort, descending) = order.get();
            let me = me.get();
            // Read, not only tracked: reading brings the version up to date first.
            let _version = queue_version.get();
            let sorted = session
                .get_value()
                .map(|session| session.desk.workspace().sorted_queue(sort, descending, me, now_ms()));
            sorted.unwrap_or_default()
        });
        Self {
            lang: RwSignal::new(lang),
            storage: RwSignal::new(StorageState::Opening),
            revision,
            leader: RwSignal::new(false),
            me,
            inbox,
            search: RwSignal::new(SearchStatus::Off),
            now,
            sla,
            notifications: Notifications::new(),
            inbox_sorted,
            inbox_shown,
            session,
            commits_in_flight: StoredValue::new(0),
        }
    }

    /// The current translation table (tracks the language signal).
    pub fn texts(&self) -> &'static Texts {
        self.lang.get().texts()
    }

    /// The current translation table, without tracking (for event handlers and async tasks).
    pub fn texts_untracked(&self) -> &'static Texts {
        self.lang.get_untracked().texts()
    }

    /// Switches the interface language and remembers the choice.
    pub fn set_lang(&self, lang: Lang) {
        self.lang.set(lang);
        if let Some(storage) = local_storage() {
            // Losing the preference is harmless (the browser default applies next time), so a
            // storage failure (private mode, quota) is not worth interrupting the user for.
            let _ = storage.set_item(LANG_STORAGE_KEY, lang.code());
        }
    }

    /// Whether the workspace is open (tracks the storage state).
    pub fn is_ready(&self) -> bool {
        self.storage.with(|storage| *storage == StorageState::Ready)
    }

    /// The open session, if storage is ready.
    pub fn session(&self) -> Option<Rc<Session>> {
        self.session.get_value()
    }

    /// Reads the workspace, re-running when it changes. `None` until storage is open.
    pub fn with_workspace<R>(&self, read: impl FnOnce(&Workspace) -> R) -> Option<R> {
        self.revision.track();
        let session = self.session()?;
        let workspace = session.desk.workspace();
        Some(read(&workspace))
    }

    /// Records that this tab changed `docs`: views refresh, other tabs are told.
    pub fn changed(&self, docs: &[DocKey]) {
        if let Some(session) = self.session() {
            session.announce(docs);
        }
        self.revision.update(|revision| *revision += 1);
    }

    /// Runs a command as the agent of this browser: it is planned against the current state and
    /// committed in one transaction before this returns `Ok`; then every view refreshes and the
    /// other tabs are told. On `Err` nothing was saved.
    pub async fn execute<P: Planned>(
        &self,
        command: impl FnOnce(&Workspace, &mut OpFactory<'_>) -> CommandResult<P>,
    ) -> Result<P, ActionError> {
        let me = self.me.get_untracked().ok_or(ActionError::NoAgent)?;
        self.execute_as(Actor::Agent(me), command).await
    }

    /// [`AppState::execute`] as another actor (setup acts as the agent being created).
    pub async fn execute_as<P: Planned>(
        &self,
        actor: Actor,
        command: impl FnOnce(&Workspace, &mut OpFactory<'_>) -> CommandResult<P>,
    ) -> Result<P, ActionError> {
        let session = self.session().ok_or(ActionError::Store(StoreError::Unavailable))?;
        // Counted until this returns; what follows the commit is synchronous, so no unload
        // can come between.
        let _in_flight = CommitInFlight::new(self.commits_in_flight);
        let planned = session.desk.execute(actor, now_ms(), command).await.map_err(|error| match error {
            DeskError::Command(error) => ActionError::Command(error),
            DeskError::Store(error) => ActionError::Store(error),
        })?;
        let mut docs: Vec<DocKey> = planned.ops().iter().map(|op| op.doc()).collect();
        docs.dedup();
        self.changed(&docs);
        Ok(planned)
    }

    /// Opens the workspace database (once, at start-up) and joins the other tabs.
    pub fn open_storage(self) {
        self.open_storage_named(DB_NAME);
    }

    /// Whether a command is still being committed (see [`AppState::execute`]).
    pub fn is_saving(&self) -> bool {
        self.commits_in_flight.get_value() > 0
    }

    /// [`AppState::open_storage`] on a database of another name (browser tests use their own).
    pub fn open_storage_named(self, db_name: &'static str) {
        // Not removed: the app state lives as long as the page.
        let _unload = window_event_listener(leptos::ev::beforeunload, move |event| {
            if self.is_saving() {
                // Either call asks the browser to confirm leaving (older browsers read the
                // return value, newer ones the cancelled event).
                event.prevent_default();
                event.set_return_value("saving");
            }
        });
        let events = SessionEvents {
            on_blocked: Box::new(move || self.storage.set(StorageState::Blocked)),
            on_replaced: Box::new(move || self.storage.set(StorageState::Replaced)),
            on_remote_change: Box::new(move |docs| {
                let Some(session) = self.session() else { return };
                leptos::task::spawn_local(async move {
                    // A failed refresh leaves this tab's view as it was; the next change or a
                    // reload brings it up to date, so there is nothing to tell the person.
                    if session.desk.refresh(&docs, now_ms()).await.is_ok() {
                        self.revision.update(|revision| *revision += 1);
                    }
                });
            }),
        };
        leptos::task::spawn_local(async move {
            match Session::open(db_name, events).await {
                Ok(session) => {
                    self.me.set(session.me());
                    self.follow_notifications(&session);
                    let session = Rc::new(session);
                    self.session.set_value(Some(session.clone()));
                    self.storage.set(StorageState::Ready);
                    self.revision.update(|revision| *revision += 1);
                    self.build_search_index(session.clone());
                    let leader = self.leader;
                    if !hold_background_lock(db_name, move || leader.set(true)) {
                        // Without Web Locks every tab runs the jobs; automation ops carry derived
                        // ids, so running them twice is harmless.
                        leader.set(true);
                    }
                    self.run_timers(session);
                }
                Err(error) => self.storage.set(StorageState::Failed(error)),
            }
        });
        // The first `Intl` formatters cost about 20 ms; built while the browser opens and reads
        // the database (the future above has issued that request by the time this runs), not
        // in the first render of the inbox.
        let lang = self.lang.get_untracked();
        set_timeout(move || crate::format::prepare(lang), std::time::Duration::ZERO);
    }
}

/// Counts one command as being committed for as long as it lives, also when the future running
/// the command is dropped half-way.
struct CommitInFlight(StoredValue<u32>);

impl CommitInFlight {
    fn new(count: StoredValue<u32>) -> Self {
        count.update_value(|count| *count += 1);
        Self(count)
    }
}

impl Drop for CommitInFlight {
    fn drop(&mut self) {
        self.0.update_value(|count| *count = count.saturating_sub(1));
    }
}

impl AppState {
    /// Runs the time-based rules every [`TICK`] while this tab holds the background lock (see
    /// [`helpdesk_core::rules`]). A step looks at a bounded number of tickets so the page stays
    /// responsive; while there is more to do (the first run over a large workspace, a backlog
    /// after time offline) the next step follows at once. A failed step changes nothing and the
    /// next tick tries again.
    fn run_timers(self, session: Rc<Session>) {
        set_timeout(move || timer_step(self, session), TICK);
    }

    /// Keeps the notification list of whoever signs in to this browser, and feeds it the
    /// assignments and mentions in everything this tab commits.
    fn follow_notifications(self, session: &Session) {
        let notifications = self.notifications;
        notifications.follow_other_tabs();
        Effect::new(move || {
            if let Some(me) = self.me.get() {
                notifications.load(me);
            }
        });
        session.desk.observe(move |ops| {
            if let Some(me) = self.me.get_untracked() {
                self.notify(helpdesk_core::notify::from_ops(ops, me));
            }
        });
    }

    fn notify(self, found: Vec<helpdesk_core::notify::Notification>) {
        let added = self.notifications.add(found);
        if !added.is_empty()
            && let Some(session) = self.session()
        {
            crate::components::notifications::tell_browser(&session.desk.workspace(), self.texts_untracked(), &added);
        }
    }

    /// Builds the search index in the background once the first screen is up: the build reads
    /// every stored conversation, which at 100,000 tickets takes seconds, and the inbox must not
    /// wait for it. Progress shows in the search box.
    fn build_search_index(self, session: Rc<Session>) {
        /// How long after opening the build starts (the first screen renders meanwhile).
        const START_AFTER: std::time::Duration = std::time::Duration::from_millis(300);
        set_timeout(
            move || {
                leptos::task::spawn_local(async move {
                    let last = std::cell::Cell::new(0usize);
                    let progress = |indexed: usize, total: usize| {
                        // A status update per percent is plenty; each one re-runs open searches.
                        if indexed >= last.get() + total.max(100) / 100 || indexed == total {
                            last.set(indexed);
                            self.search.set(SearchStatus::Building { indexed, total });
                        }
                    };
                    // First the orders of the sorts by subject and requester, in slices like the
                    // index: a few hundred milliseconds at 100,000 tickets, after which their
                    // first click answers within a frame (it sorts 100,000 subjects, 130 ms,
                    // before). Search waits that much longer; it answers for the tickets indexed
                    // so far meanwhile, and a sort that held the page for 130 ms would not.
                    session.desk.prepare_sorts(&mut crate::platform::BrowserPacer::default()).await;
                    // A failed read leaves search with what it has indexed; the status says so
                    // by staying at "building", and a reload tries again.
                    if session
                        .desk
                        .build_search_index(progress, &mut crate::platform::BrowserPacer::default())
                        .await
                        .is_ok()
                    {
                        self.search.set(SearchStatus::Ready);
                    }
                });
            },
            START_AFTER,
        );
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

/// Why an action did not happen. Translated for display by [`crate::i18n::Texts::desk_error`].
#[derive(Debug, Clone, PartialEq)]
pub enum ActionError {
    /// The core refused it (bad input, illegal move, no permission).
    Command(CommandError),
    /// Storage failed; nothing was saved.
    Store(StoreError),
    /// Nobody is signed in to this browser yet.
    NoAgent,
}

/// The app state provided by [`crate::app::App`].
pub fn use_app_state() -> AppState {
    expect_context::<AppState>()
}

/// This origin's localStorage (`None` in private modes that refuse it).
pub(crate) fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn remembered_lang() -> Option<Lang> {
    let code = local_storage()?.get_item(LANG_STORAGE_KEY).ok().flatten()?;
    Lang::from_code(&code)
}

fn browser_lang() -> Lang {
    let languages: Vec<String> = web_sys::window()
        .map(|window| window.navigator().languages().iter().filter_map(|value| value.as_string()).collect())
        .unwrap_or_default();
    Lang::from_browser_preferences(languages.iter().map(String::as_str))
}

/// Tickets one step of the timers looks at: steps of about a frame at 100,000 tickets
/// (docs/benchmarks.md), so a catch-up after days away never holds up a click for long. Smaller
/// steps mean more transactions, so a catch-up takes longer; the person comes first.
const TIMER_STEP_BUDGET: usize = 200;
/// The pause between steps of a backlog: room for input and rendering in between.
const BACKLOG_PAUSE: std::time::Duration = std::time::Duration::from_millis(20);

/// One step of [`AppState::run_timers`], which schedules the next.
fn timer_step(state: AppState, session: Rc<Session>) {
    let next = move |complete: bool, session: Rc<Session>| {
        let pause = if complete { TICK } else { BACKLOG_PAUSE };
        set_timeout(move || timer_step(state, session), pause);
    };
    if !state.leader.get_untracked() {
        return next(true, session);
    }
    leptos::task::spawn_local(async move {
        let now = now_ms();
        let complete = match session.desk.run_due_rules(now, TIMER_STEP_BUDGET).await {
            Ok((docs, complete)) => {
                if !docs.is_empty() {
                    state.changed(&docs);
                }
                complete
            }
            Err(_) => true,
        };
        // SLA alerts come from one tab, like the timers, so tabs do not race to add them.
        if complete && let Some(me) = state.me.get_untracked() {
            let book = state.sla.get_untracked();
            let alerts = helpdesk_core::notify::sla_alerts(&session.desk.workspace(), &book, me, now);
            state.notify(alerts);
        }
        next(complete, session);
    });
}
