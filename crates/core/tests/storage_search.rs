//! The search index of a storage-backed desk: built from the stored conversations (never loading
//! them into the workspace), kept in step with every commit, and with another tab's changes.

mod common;

use common::{Desk as Fixture, T0};
use futures::executor::block_on;
use helpdesk_core::sample::{SampleConfig, sample_ops};
use helpdesk_core::search::query;
use helpdesk_core::storage::{Desk, MemoryStore, NoPause, Pacer, SearchStatus};
use helpdesk_core::time::Zone;
use helpdesk_core::*;

type StoredDesk<'a> = Desk<&'a MemoryStore, SeededEntropy>;

fn open(store: &MemoryStore, replica: u64) -> StoredDesk<'_> {
    block_on(Desk::open(store, ReplicaId(replica), SeededEntropy::new(replica), T0)).unwrap().0
}

/// The numbers of the tickets `input` finds, best first.
fn find(desk: &StoredDesk<'_>, me: AgentId, input: &str) -> Vec<u64> {
    let zone = Zone::named("Asia/Tokyo").unwrap();
    let workspace = desk.workspace();
    let plan =
        Plan::new(&query::parse(input).unwrap(), &workspace, &SearchContext { me: Some(me), now_ms: T0, zone: &zone })
            .unwrap();
    let search = desk.search();
    let index = search.as_ref().expect("the index is built");
    index.search(&plan, &workspace, None).hits.iter().map(|hit| workspace.summary(hit.ticket).unwrap().number).collect()
}

/// A store holding the fixture desk plus `tickets` sample tickets.
fn stored_sample(store: &MemoryStore, tickets: usize) -> Fixture {
    let fixture = Fixture::new();
    let desk = open(store, 1);
    block_on(desk.receive(fixture.log.clone(), fixture.now, &[])).unwrap();
    let config = SampleConfig { joining: Some(fixture.admin), ..SampleConfig::new(tickets, 3, T0) };
    let ops: Vec<Op> = sample_ops(&config, ReplicaId(1)).1.collect();
    for batch in ops.chunks(2_000) {
        block_on(desk.receive_bulk(batch.to_vec(), T0, &[])).unwrap();
    }
    block_on(desk.flush_snapshots()).unwrap();
    fixture
}

#[test]
fn the_index_is_built_from_stored_conversations_without_loading_them() {
    let store = MemoryStore::new();
    let fixture = stored_sample(&store, 400);
    let desk = open(&store, 2);
    assert_eq!(desk.search_status(), SearchStatus::Off);
    assert!(desk.search().is_none());
    let mut reports = Vec::new();
    block_on(desk.build_search_index(|indexed, total| reports.push((indexed, total)), &mut NoPause)).unwrap();
    assert_eq!(desk.search_status(), SearchStatus::Ready);
    assert_eq!(reports.last(), Some(&(400, 400)));
    assert!(reports.windows(2).all(|pair| pair[0].0 <= pair[1].0), "progress only grows: {reports:?}");
    // Words that only occur in descriptions and replies are found; no ticket was loaded for it.
    let found = find(&desk, fixture.agent, "キャッシュ");
    assert!(!found.is_empty());
    assert!(desk.workspace().tickets().all(|t| desk.workspace().ticket(t.id).is_none()));
    // The built index finds exactly what an index of the fully loaded workspace finds.
    assert_same_as_fully_loaded(
        &desk,
        fixture.agent,
        &["キャッシュ", "password", "請求書 -配送", "\"reset my password\"", "山田", "error status:closed"],
    );
}

/// Loads every document of `desk` and checks that its index finds for each of `inputs` exactly
/// what an index built from the fully loaded workspace finds.
fn assert_same_as_fully_loaded(desk: &StoredDesk<'_>, me: AgentId, inputs: &[&str]) {
    let keys: Vec<DocKey> = desk.workspace().doc_keys().collect();
    block_on(desk.load(&keys)).unwrap();
    let everything = SearchIndex::from_workspace(&desk.workspace());
    let zone = Zone::named("Asia/Tokyo").unwrap();
    let workspace = desk.workspace();
    for input in inputs {
        let plan = Plan::new(
            &query::parse(input).unwrap(),
            &workspace,
            &SearchContext { me: Some(me), now_ms: T0, zone: &zone },
        )
        .unwrap();
        let built = desk.search().as_ref().unwrap().search(&plan, &workspace, None).hits;
        assert_eq!(built, everything.search(&plan, &workspace, None).hits, "{input}");
    }
}

#[test]
fn commits_after_the_build_are_searchable_at_once() {
    let store = MemoryStore::new();
    let fixture = stored_sample(&store, 50);
    let desk = open(&store, 2);
    block_on(desk.build_search_index(|_, _| {}, &mut NoPause)).unwrap();
    let agent = fixture.agent;
    let customer = fixture.customer;
    let (id, _) = block_on(desk.execute(Actor::Agent(agent), T0 + 1_000, |ws, f| {
        ws.create_ticket(f, NewTicket::new("Fax machine on fire", "smoke everywhere", customer, Channel::Phone))
    }))
    .unwrap();
    let number = desk.workspace().summary(id).unwrap().number;
    assert_eq!(find(&desk, agent, "fax"), [number]);
    // A reply to an old ticket whose conversation is not loaded.
    let old = desk.workspace().tickets().find(|t| t.is_editable() && t.id != id).unwrap().id;
    let old_number = desk.workspace().summary(old).unwrap().number;
    block_on(desk.execute(Actor::Agent(agent), T0 + 2_000, |ws, f| {
        ws.add_message(f, old, NewMessage::new(MessageKind::InternalNote, "ファクス の件で再連絡"))
    }))
    .unwrap();
    assert_eq!(find(&desk, agent, "ファクス"), [old_number]);
    // Renaming the requester moves the name search with it.
    block_on(desk.execute(Actor::Agent(fixture.admin), T0 + 3_000, |ws, f| {
        ws.update_customer(f, customer, CustomerField::Name("Zebulon Quill".into()))
    }))
    .unwrap();
    assert_eq!(find(&desk, agent, "zebulon fax"), [number]);
}

#[test]
fn another_tabs_changes_reach_the_index_on_refresh() {
    let store = MemoryStore::new();
    let fixture = stored_sample(&store, 50);
    let tab_a = open(&store, 2);
    let tab_b = open(&store, 3);
    block_on(tab_b.build_search_index(|_, _| {}, &mut NoPause)).unwrap();
    let target = tab_b.workspace().tickets().find(|t| t.is_editable()).unwrap().id;
    let number = tab_b.workspace().summary(target).unwrap().number;
    let report = block_on(tab_a.execute(Actor::Agent(fixture.agent), T0 + 5_000, |ws, f| {
        ws.add_message(f, target, NewMessage::new(MessageKind::PublicReply, "Quokka sighting confirmed"))
    }))
    .unwrap();
    assert!(find(&tab_b, fixture.agent, "quokka").is_empty(), "tab B has not heard yet");
    let docs: Vec<DocKey> = report.1.iter().map(Op::doc).collect();
    block_on(tab_b.refresh(&docs, T0 + 6_000)).unwrap();
    assert_eq!(find(&tab_b, fixture.agent, "quokka"), [number]);
}

/// A pacer that rests after every unit of work and, at each rest, does what `act` does with
/// the rest's number (what an agent does in the meantime).
struct Meanwhile<'a> {
    rests: usize,
    #[allow(clippy::type_complexity)]
    act: Box<dyn FnMut(usize) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + 'a>> + 'a>,
}

impl<'a> Pacer for Meanwhile<'a> {
    type Rest = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + 'a>>;

    fn due(&mut self) -> bool {
        true
    }

    fn rest(&mut self) -> Self::Rest {
        self.rests += 1;
        (self.act)(self.rests)
    }
}

#[test]
fn a_build_that_rests_gives_the_same_index_and_misses_no_change_made_meanwhile() {
    let store = MemoryStore::new();
    let fixture = stored_sample(&store, 300);
    let desk = open(&store, 2);
    let old_tickets: Vec<TicketId> = desk.workspace().tickets().filter(|t| t.is_editable()).map(|t| t.id).collect();
    let created = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let (desk_ref, agent, customer, created_meanwhile) = (&desk, fixture.agent, fixture.customer, created.clone());
    let act = move |rest: usize| -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + '_>> {
        let old = old_tickets[rest % old_tickets.len()];
        let created = created_meanwhile.clone();
        Box::pin(async move {
            let at = T0 + 10_000 + rest as u64;
            if rest.is_multiple_of(41) {
                let (id, _) = desk_ref
                    .execute(Actor::Agent(agent), at, |ws, f| {
                        ws.create_ticket(f, NewTicket::new(format!("Walrus {rest}"), "tusks", customer, Channel::Phone))
                    })
                    .await
                    .unwrap();
                created.borrow_mut().push(id);
            } else if rest.is_multiple_of(29) {
                desk_ref
                    .execute(Actor::Agent(agent), at, |ws, f| {
                        ws.add_message(f, old, NewMessage::new(MessageKind::InternalNote, "narwhal spotted"))
                    })
                    .await
                    .unwrap();
            }
        })
    };
    let mut pacer = Meanwhile { rests: 0, act: Box::new(act) };
    block_on(desk.build_search_index(|_, _| {}, &mut pacer)).unwrap();
    assert_eq!(desk.search_status(), SearchStatus::Ready);
    // At least one rest after every conversation.
    assert!(pacer.rests >= 300, "rested {} times", pacer.rests);
    let mut walruses: Vec<u64> =
        created.borrow().iter().map(|id| desk.workspace().summary(*id).unwrap().number).collect();
    walruses.sort_unstable();
    assert!(walruses.len() >= 5);
    let mut found = find(&desk, fixture.agent, "walrus");
    found.sort_unstable();
    assert_eq!(found, walruses, "tickets created during the build");
    assert!(!find(&desk, fixture.agent, "narwhal").is_empty(), "replies during the build");

    assert_same_as_fully_loaded(
        &desk,
        fixture.agent,
        &["narwhal", "walrus", "キャッシュ", "password", "請求書 -配送", "\"reset my password\"", "山田"],
    );
}

#[test]
fn sorts_prepared_in_slices_take_in_the_changes_made_meanwhile() {
    let store = MemoryStore::new();
    let fixture = stored_sample(&store, 1_000);
    let desk = open(&store, 2);
    let old_tickets: Vec<TicketId> = desk.workspace().tickets().filter(|t| t.is_editable()).map(|t| t.id).collect();
    // At the rests: a ticket opened now and then, old ones renamed (some to a subject that sorts
    // first, some to one other tickets have).
    let (desk_ref, agent, customer) = (&desk, fixture.agent, fixture.customer);
    let act = move |rest: usize| -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + '_>> {
        let old = old_tickets[rest * 7 % old_tickets.len()];
        Box::pin(async move {
            let at = T0 + 10_000 + rest as u64;
            if rest.is_multiple_of(3) {
                let subject = format!("Zebra {}", rest % 4);
                desk_ref
                    .execute(Actor::Agent(agent), at, |ws, f| {
                        ws.create_ticket(f, NewTicket::new(subject, "stripes", customer, Channel::Phone))
                    })
                    .await
                    .unwrap();
            } else if rest % 3 == 1 {
                let subject =
                    if rest.is_multiple_of(2) { "aardvark".to_string() } else { format!("ZEBRA {}", rest % 4) };
                desk_ref
                    .execute(Actor::Agent(agent), at, |ws, f| ws.edit_ticket(f, old, TicketEdit::Subject(subject)))
                    .await
                    .unwrap();
            }
        })
    };
    let mut pacer = Meanwhile { rests: 0, act: Box::new(act) };
    assert!(!desk.workspace().subject_order_ready());
    block_on(desk.prepare_sorts(&mut pacer));
    // Rests while the names and subjects are read, and once after each sort.
    assert!(pacer.rests >= 10, "rested {} times", pacer.rests);
    let ws = desk.workspace();
    assert!(ws.subject_order_ready(), "built in slices, not by the first sort");
    for descending in [false, true] {
        let mut expected: Vec<&TicketSummary> = ws.tickets().collect();
        expected.sort_by(|a, b| {
            let by_subject = a.subject.to_lowercase().cmp(&b.subject.to_lowercase());
            let by_subject = if descending { by_subject.reverse() } else { by_subject };
            by_subject.then(b.number.cmp(&a.number)).then(b.id.cmp(&a.id))
        });
        let expected: Vec<TicketId> = expected.iter().map(|t| t.id).collect();
        assert_eq!(ws.sorted_queue(SortKey::Subject, descending, None, T0).filter(QuickFilter::Any), expected);
    }
    assert!(ws.tickets().any(|t| t.subject == "aardvark") && ws.tickets().any(|t| t.subject.starts_with("Zebra")));
}

#[test]
fn requester_ranks_prepared_in_slices_sort_as_ranked_at_once_and_a_rename_meanwhile_wins() {
    let store = MemoryStore::new();
    let _fixture = stored_sample(&store, 1_000);
    let unsliced = |ws: &Workspace| {
        let fresh = Workspace::restore(ws.doc_keys().filter_map(|doc| ws.snapshot(doc)).collect::<Vec<_>>());
        fresh.sorted_queue(SortKey::Requester, false, None, T0).filter(QuickFilter::Any)
    };

    let desk = open(&store, 2);
    let mut pacer = Meanwhile { rests: 0, act: Box::new(|_| Box::pin(async {})) };
    assert!(!desk.workspace().requester_order_ready());
    block_on(desk.prepare_sorts(&mut pacer));
    let ws = desk.workspace();
    assert!(ws.requester_order_ready(), "ranked in slices, not by the first sort");
    assert_eq!(ws.sorted_queue(SortKey::Requester, false, None, T0).filter(QuickFilter::Any), unsliced(&ws));
    drop(ws);

    // A customer renamed while the names are read: the build is thrown away, and the first sort
    // by requester ranks the new name.
    let desk = open(&store, 3);
    let (customer, admin) = {
        let ws = desk.workspace();
        let customer = ws.tickets().map(|ticket| ticket.requester).max().unwrap();
        let admin = ws.agents().find(|(_, a)| a.profile.role == Role::Admin).map(|(id, _)| id).unwrap();
        (customer, admin)
    };
    let desk_ref = &desk;
    let act = move |rest: usize| -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + '_>> {
        Box::pin(async move {
            if rest == 1 {
                desk_ref
                    .execute(Actor::Agent(admin), T0 + 50_000, |ws, f| {
                        ws.update_customer(f, customer, CustomerField::Name("AAAA 最初の顧客".into()))
                    })
                    .await
                    .unwrap();
            }
        })
    };
    let mut pacer = Meanwhile { rests: 0, act: Box::new(act) };
    block_on(desk.prepare_sorts(&mut pacer));
    let ws = desk.workspace();
    assert!(!ws.requester_order_ready(), "a build that saw a rename is not kept");
    let sorted = ws.sorted_queue(SortKey::Requester, false, None, T0).filter(QuickFilter::Any);
    assert_eq!(sorted, unsliced(&ws));
    assert_eq!(ws.summary(sorted[0]).unwrap().requester, customer, "the renamed customer sorts first");
}
