//! Property: a workspace kept through storage — opened from snapshots, documents loaded and
//! unloaded on demand, two tabs writing to one store, restarts at any moment — always shows exactly
//! what a plain fold of every committed op shows, and never loses a committed op.

mod common;

use common::{Desk as Fixture, T0};
use futures::executor::block_on;
use helpdesk_core::storage::{Desk, MemoryStore, Store, decode_log_page, decode_op_log};
use helpdesk_core::*;
use proptest::prelude::*;

type Tab<'a> = Desk<&'a MemoryStore, SeededEntropy>;

#[derive(Debug, Clone)]
enum Step {
    Create {
        tab: bool,
    },
    Status {
        tab: bool,
        ticket: usize,
        to: Status,
    },
    Priority {
        tab: bool,
        ticket: usize,
        to: Priority,
    },
    Tag {
        tab: bool,
        ticket: usize,
        add: bool,
    },
    Note {
        tab: bool,
        ticket: usize,
    },
    CustomerReply {
        tab: bool,
        ticket: usize,
    },
    Claim {
        tab: bool,
        ticket: usize,
    },
    /// The tab loads a ticket (opens it).
    Load {
        tab: bool,
        ticket: usize,
    },
    /// The tab drops a ticket's conversation from memory.
    Unload {
        tab: bool,
        ticket: usize,
    },
    /// The tab hears from the other about every document (the broadcast).
    Refresh {
        tab: bool,
    },
    /// The tab is closed and reopened.
    Restart {
        tab: bool,
    },
}

fn step() -> impl Strategy<Value = Step> {
    let t = any::<usize>;
    let tab = any::<bool>;
    prop_oneof![
        3 => tab().prop_map(|tab| Step::Create { tab }),
        3 => (tab(), t(), prop::sample::select(Status::ALL.to_vec())).prop_map(|(tab, ticket, to)| Step::Status { tab, ticket, to }),
        2 => (tab(), t(), prop::sample::select(Priority::ALL.to_vec())).prop_map(|(tab, ticket, to)| Step::Priority { tab, ticket, to }),
        2 => (tab(), t(), any::<bool>()).prop_map(|(tab, ticket, add)| Step::Tag { tab, ticket, add }),
        2 => (tab(), t()).prop_map(|(tab, ticket)| Step::Note { tab, ticket }),
        2 => (tab(), t()).prop_map(|(tab, ticket)| Step::CustomerReply { tab, ticket }),
        1 => (tab(), t()).prop_map(|(tab, ticket)| Step::Claim { tab, ticket }),
        2 => (tab(), t()).prop_map(|(tab, ticket)| Step::Load { tab, ticket }),
        2 => (tab(), t()).prop_map(|(tab, ticket)| Step::Unload { tab, ticket }),
        2 => tab().prop_map(|tab| Step::Refresh { tab }),
        1 => tab().prop_map(|tab| Step::Restart { tab }),
    ]
}

struct World<'a> {
    store: &'a MemoryStore,
    tabs: [Tab<'a>; 2],
    fixture: Fixture,
    now: u64,
    /// Every op a commit reported as new: the truth storage must hold.
    committed: Vec<Op>,
    /// Documents the last command committed to.
    last_touched: Vec<DocKey>,
}

fn open(store: &MemoryStore, seed: u64, now: u64) -> Tab<'_> {
    block_on(Desk::open(store, ReplicaId(1), SeededEntropy::new(seed), now)).unwrap().0
}

impl<'a> World<'a> {
    fn new(store: &'a MemoryStore) -> Self {
        let fixture = Fixture::new();
        let tab = open(store, 10, T0);
        let report = block_on(tab.receive(fixture.log.clone(), fixture.now, &[])).unwrap();
        let committed = report.new_ops;
        let now = fixture.now;
        World { store, tabs: [tab, open(store, 11, now)], fixture, now, committed, last_touched: Vec::new() }
    }

    fn tab(&self, second: bool) -> &Tab<'a> {
        &self.tabs[usize::from(second)]
    }

    fn pick(&self, second: bool, index: usize) -> Option<TicketId> {
        let mut ids: Vec<TicketId> = self.tab(second).workspace().tickets().map(|t| t.id).collect();
        ids.sort();
        (!ids.is_empty()).then(|| ids[index % ids.len()])
    }

    fn run(
        &mut self,
        second: bool,
        actor: Actor,
        command: impl FnOnce(&Workspace, &mut OpFactory<'_>) -> CommandResult<Vec<Op>>,
    ) {
        self.now += 1_000;
        if let Ok(ops) = block_on(self.tab(second).execute(actor, self.now, command)) {
            // `execute` committed exactly these ops (or storage already had them).
            self.last_touched = ops.iter().map(Op::doc).collect();
            self.committed.extend(ops);
        }
    }

    fn step(&mut self, step: &Step) {
        self.last_touched.clear();
        let agent = Actor::Agent(self.fixture.agent);
        let customer = self.fixture.customer;
        match step.clone() {
            Step::Create { tab } => self.run(tab, agent, |ws, f| {
                ws.create_ticket(f, NewTicket::new("件名", "本文", customer, Channel::Chat)).map(|(_, ops)| ops)
            }),
            Step::Status { tab, ticket, to } => {
                if let Some(id) = self.pick(tab, ticket) {
                    self.run(tab, agent, |ws, f| ws.change_status(f, id, to));
                }
            }
            Step::Priority { tab, ticket, to } => {
                if let Some(id) = self.pick(tab, ticket) {
                    self.run(tab, agent, |ws, f| ws.edit_ticket(f, id, TicketEdit::Priority(to)));
                }
            }
            Step::Tag { tab, ticket, add } => {
                if let Some(id) = self.pick(tab, ticket) {
                    let tag = Tag::parse("請求").unwrap();
                    self.run(tab, agent, |ws, f| {
                        if add { ws.add_tags(f, id, &["請求".to_owned()]) } else { ws.remove_tag(f, id, &tag) }
                    });
                }
            }
            Step::Note { tab, ticket } => {
                if let Some(id) = self.pick(tab, ticket) {
                    self.run(tab, agent, |ws, f| {
                        ws.add_message(f, id, NewMessage::new(MessageKind::InternalNote, "メモ")).map(|(_, ops)| ops)
                    });
                }
            }
            Step::CustomerReply { tab, ticket } => {
                if let Some(id) = self.pick(tab, ticket) {
                    self.run(tab, Actor::Customer(customer), |ws, f| {
                        ws.add_message(f, id, NewMessage::new(MessageKind::Customer, "返信")).map(|(_, ops)| ops)
                    });
                }
            }
            Step::Claim { tab, ticket } => {
                if let Some(id) = self.pick(tab, ticket) {
                    self.run(tab, agent, |ws, f| ws.claim(f, id));
                }
            }
            Step::Load { tab, ticket } => {
                if let Some(id) = self.pick(tab, ticket) {
                    block_on(self.tab(tab).load(&[DocKey::Ticket(id)])).unwrap();
                }
            }
            Step::Unload { tab, ticket } => {
                if let Some(id) = self.pick(tab, ticket) {
                    self.tab(tab).unload_ticket(id);
                    assert!(self.tab(tab).workspace().ticket(id).is_none());
                }
            }
            Step::Refresh { tab } => {
                let keys: Vec<DocKey> = self.store_doc_keys();
                block_on(self.tab(tab).refresh(&keys, self.now)).unwrap();
            }
            Step::Restart { tab } => {
                let seed = 100 + self.committed.len() as u64;
                self.tabs[usize::from(tab)] = open(self.store, seed, self.now);
            }
        }
    }

    /// Every op log in storage: (document, ops).
    fn stored_logs(&self) -> Vec<(DocKey, Vec<Op>)> {
        let pages = block_on(self.store.log_page_range(None, usize::MAX)).unwrap();
        pages
            .into_iter()
            .flat_map(|(_, bytes)| decode_log_page(&bytes).unwrap())
            .map(|(key, log)| (DocKey::decode(&key).unwrap(), decode_op_log(&log).unwrap()))
            .collect()
    }

    fn store_doc_keys(&self) -> Vec<DocKey> {
        self.stored_logs().into_iter().map(|(doc, _)| doc).collect()
    }

    /// Every op in storage, decoded.
    fn stored_ops(&self) -> Vec<Op> {
        self.stored_logs().into_iter().flat_map(|(_, ops)| ops).collect()
    }
}

fn summaries(ws: &Workspace) -> Vec<TicketSummary> {
    let mut all: Vec<TicketSummary> = ws.tickets().cloned().collect();
    all.sort_by_key(|t| t.id);
    all
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn storage_backed_tabs_show_the_fold_of_what_is_stored(steps in prop::collection::vec(step(), 1..50)) {
        let store = MemoryStore::new();
        let mut world = World::new(&store);
        for step in &steps {
            world.step(step);
            let stored = world.stored_ops();
            // Nothing committed is ever missing from storage.
            for op in &world.committed {
                prop_assert!(stored.iter().any(|held| held.id == op.id), "op {:?} lost after {:?}", op.id, step);
            }
            let truth = Workspace::from_ops(stored.clone());
            let acting = match step {
                Step::Create { tab } | Step::Status { tab, .. } | Step::Priority { tab, .. } | Step::Tag { tab, .. }
                | Step::Note { tab, .. } | Step::CustomerReply { tab, .. } | Step::Claim { tab, .. }
                | Step::Load { tab, .. } | Step::Unload { tab, .. } | Step::Refresh { tab } | Step::Restart { tab } => *tab,
            };
            let tab = world.tab(acting).workspace();
            // Whatever the tab just committed, it shows as storage holds it, without a refresh.
            for doc in &world.last_touched {
                if let DocKey::Ticket(id) = doc {
                    prop_assert_eq!(tab.summary(*id), truth.summary(*id), "summary after {:?}", step);
                    if let Some(loaded) = tab.ticket(*id) {
                        prop_assert_eq!(Some(loaded), truth.ticket(*id), "loaded ticket after {:?}", step);
                    }
                } else {
                    prop_assert_eq!(tab.snapshot(*doc), truth.snapshot(*doc), "{:?} after {:?}", doc, step);
                }
            }
            // After hearing about everything (a refresh) or reopening, the whole tab matches.
            if matches!(step, Step::Refresh { .. } | Step::Restart { .. }) {
                prop_assert_eq!(summaries(&tab), summaries(&truth), "after {:?}", step);
                prop_assert_eq!(tab.settings(), truth.settings());
            }
            // Loading a ticket shows its whole conversation as stored.
            if let Step::Load { ticket, .. } = step
                && let Some(id) = world.pick(acting, *ticket)
                && let Some(loaded) = tab.ticket(id)
            {
                prop_assert_eq!(Some(loaded), truth.ticket(id));
            }
        }
        // A fresh tab, with every document loaded, is the full fold, ops, histories and all.
        let fresh = open(&store, 999, world.now);
        let keys: Vec<DocKey> = fresh.workspace().doc_keys().collect();
        block_on(fresh.load(&keys)).unwrap();
        let truth = Workspace::from_ops(world.stored_ops());
        prop_assert_eq!(&*fresh.workspace(), &truth);
        for ticket in truth.tickets() {
            prop_assert_eq!(fresh.workspace().ticket_history(ticket.id), truth.ticket_history(ticket.id));
        }
    }
}
