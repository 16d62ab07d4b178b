//! The inbox's queues: which tickets each quick filter holds and in what order.

mod common;

use common::{Desk, T0};
use helpdesk_core::*;

fn query(filter: QuickFilter, sort: SortKey, descending: bool) -> QueueQuery {
    QueueQuery { filter, sort, descending }
}

#[test]
fn quick_filters_hold_the_tickets_their_names_promise() {
    let mut desk = Desk::new();
    let agent = desk.agent;
    let mine = desk.open_ticket("mine");
    desk.run(agent, |ws, f| ws.claim(f, mine)).unwrap();
    let unassigned = desk.open_ticket("unassigned");
    let pending = desk.open_ticket("pending");
    desk.run(agent, |ws, f| ws.claim(f, pending)).unwrap();
    desk.status(pending, Status::Pending).unwrap();
    let resolved = desk.open_ticket("resolved");
    desk.run(agent, |ws, f| ws.claim(f, resolved)).unwrap();
    desk.status(resolved, Status::Resolved).unwrap();
    let overdue = desk.open_ticket("overdue");
    desk.run(agent, |ws, f| ws.edit_ticket(f, overdue, TicketEdit::Due(Some(T0 + 1)))).unwrap();
    let merged = desk.open_ticket("merged");
    desk.run(agent, |ws, f| ws.merge(f, merged, unassigned)).unwrap();

    let now = desk.now;
    let ids = |filter| {
        let mut ids = desk.ws().queue(query(filter, SortKey::Number, false), Some(agent), now);
        ids.sort();
        ids
    };
    let sorted = |mut ids: Vec<TicketId>| {
        ids.sort();
        ids
    };
    assert_eq!(ids(QuickFilter::Mine), sorted(vec![mine, pending]), "mine includes what waits on my customers");
    assert_eq!(ids(QuickFilter::Unassigned), sorted(vec![unassigned, overdue]));
    assert_eq!(ids(QuickFilter::Open), sorted(vec![mine, unassigned, overdue]));
    assert_eq!(ids(QuickFilter::Pending), vec![pending]);
    assert_eq!(ids(QuickFilter::Overdue), vec![overdue]);
    assert_eq!(ids(QuickFilter::All), sorted(vec![mine, unassigned, pending, resolved, overdue]), "merged left out");
    assert!(desk.ws().queue(query(QuickFilter::Mine, SortKey::Number, false), None, now).is_empty());

    let counts = desk.ws().queue_counts(Some(agent), now);
    for filter in QuickFilter::ALL {
        assert_eq!(counts.get(filter), ids(filter).len(), "{filter:?}");
    }
}

#[test]
fn sorting_follows_the_column_and_direction_and_breaks_ties_by_number() {
    let mut desk = Desk::new();
    let agent = desk.agent;
    let low = desk.open_ticket("b subject");
    desk.run(agent, |ws, f| ws.edit_ticket(f, low, TicketEdit::Priority(Priority::Low))).unwrap();
    let critical = desk.open_ticket("a subject");
    desk.run(agent, |ws, f| ws.edit_ticket(f, critical, TicketEdit::Priority(Priority::Critical))).unwrap();
    let medium_old = desk.open_ticket("C subject");
    let medium_new = desk.open_ticket("d subject");
    let now = desk.now;
    let order = |sort, descending| desk.ws().queue(query(QuickFilter::All, sort, descending), None, now);

    assert_eq!(order(SortKey::Priority, true), vec![critical, medium_new, medium_old, low]);
    assert_eq!(order(SortKey::Priority, false), vec![low, medium_new, medium_old, critical], "ties stay newest first");
    assert_eq!(order(SortKey::Number, true), vec![medium_new, medium_old, critical, low]);
    assert_eq!(order(SortKey::Subject, false), vec![critical, low, medium_old, medium_new], "case-insensitive");
    assert_eq!(order(SortKey::Updated, true)[0], medium_new);
}

#[test]
fn tickets_without_due_date_or_assignee_sort_last_either_way() {
    let mut desk = Desk::new();
    let agent = desk.agent;
    let no_due = desk.open_ticket("no due");
    let later = desk.open_ticket("later");
    desk.run(agent, |ws, f| ws.edit_ticket(f, later, TicketEdit::Due(Some(T0 + 9_000_000)))).unwrap();
    let sooner = desk.open_ticket("sooner");
    desk.run(agent, |ws, f| ws.edit_ticket(f, sooner, TicketEdit::Due(Some(T0 + 5_000_000)))).unwrap();
    desk.run(agent, |ws, f| ws.claim(f, sooner)).unwrap();
    let now = desk.now;
    let order = |sort, descending| desk.ws().queue(query(QuickFilter::All, sort, descending), None, now);

    assert_eq!(order(SortKey::Due, false), vec![sooner, later, no_due]);
    assert_eq!(order(SortKey::Due, true), vec![later, sooner, no_due]);
    assert_eq!(order(SortKey::Assignee, false).first(), Some(&sooner));
    assert_eq!(order(SortKey::Assignee, true).first(), Some(&sooner), "unassigned last in both directions");
}

#[test]
fn the_queue_version_changes_with_what_the_queues_show_and_only_then() {
    let mut desk = Desk::new();
    let ticket = desk.open_ticket("Printer jam");
    let restored = |desk: &Desk| {
        Workspace::restore(desk.ws().doc_keys().filter_map(|doc| desk.ws().snapshot(doc)).collect::<Vec<_>>())
    };
    let mut ws = restored(&desk);
    let before = ws.queue_version();
    // Loading the conversation derives the same summary again: the queues are as they were.
    let ops = desk.ws().ops_of(DocKey::Ticket(ticket)).to_vec();
    ws.load(DocKey::Ticket(ticket), ops);
    assert!(ws.ticket(ticket).is_some(), "loaded");
    assert_eq!(ws.queue_version(), before);
    // A change to a ticket, a customer or an agent is a new version.
    let agent = desk.agent;
    let ops = desk.run(agent, |w, f| w.edit_ticket(f, ticket, TicketEdit::Priority(Priority::High))).unwrap();
    ws.apply_all(ops);
    let edited = ws.queue_version();
    assert_ne!(edited, before);
    let admin = desk.admin;
    let customer = desk.customer;
    let ops = desk.run(admin, |w, f| w.update_customer(f, customer, CustomerField::Name("Zed".into()))).unwrap();
    ws.apply_all(ops);
    // The restored customer shows the new name once its document is loaded.
    ws.load(DocKey::Customer(customer), desk.ws().ops_of(DocKey::Customer(customer)).to_vec());
    assert_eq!(ws.customer(customer).map(|c| c.profile.name.as_str()), Some("Zed"));
    assert_ne!(ws.queue_version(), edited);
    // Loading it again changes no name: the same version.
    let renamed = ws.queue_version();
    ws.load(DocKey::Customer(customer), desk.ws().ops_of(DocKey::Customer(customer)).to_vec());
    assert_eq!(ws.queue_version(), renamed);
    assert_ne!(restored(&desk).queue_version().0, ws.queue_version().0, "another workspace, another table");
}

#[test]
fn filter_and_sort_names_round_trip_for_urls() {
    for filter in QuickFilter::ALL {
        assert_eq!(QuickFilter::parse(filter.as_str()), Some(filter));
    }
    for key in SortKey::ALL {
        assert_eq!(SortKey::parse(key.as_str()), Some(key));
    }
    assert_eq!(QuickFilter::parse("everything"), None);
}

#[test]
fn the_customer_list_finds_by_name_organisation_or_address_and_counts_tickets() {
    let mut desk = Desk::new();
    let admin = desk.admin;
    let acme = desk
        .run(admin, |ws, f| {
            ws.create_customer(
                f,
                NewCustomer {
                    name: "Alice Able".into(),
                    emails: vec!["alice@acme.example".into()],
                    organisation: "Acme".into(),
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .0;
    let open = desk.open_ticket("fixture customer's open ticket");
    let agent = desk.agent;
    let (alice_ticket, _) =
        desk.run(agent, |ws, f| ws.create_ticket(f, NewTicket::new("Alice's", "", acme, Channel::Phone))).unwrap();
    desk.run(agent, |ws, f| ws.claim(f, alice_ticket)).unwrap();
    desk.status(alice_ticket, Status::Resolved).unwrap();
    let _ = open;

    let ws = desk.ws();
    let (everyone, total) = ws.find_customers("", 10);
    assert_eq!(total, 2);
    assert_eq!(everyone[0].id, acme, "sorted by name: Alice before 鈴木");
    assert_eq!((everyone[0].open_tickets, everyone[0].tickets), (0, 1));
    assert_eq!((everyone[1].open_tickets, everyone[1].tickets), (1, 1));
    for query in ["ALICE", "acme", "@acme.example", " able "] {
        let (found, total) = ws.find_customers(query, 10);
        assert_eq!((found.len(), total), (1, 1), "{query:?}");
        assert_eq!(found[0].id, acme);
    }
    let (limited, total) = ws.find_customers("", 1);
    assert_eq!((limited.len(), total), (1, 2), "the limit cuts the list, not the total");
    assert!(ws.find_customers("nobody", 10).0.is_empty());
}

#[test]
fn customers_of_one_name_are_listed_by_id_and_the_limit_can_cut_between_them() {
    let mut desk = Desk::new();
    let admin = desk.admin;
    let mut create = |name: &str| {
        desk.run(admin, |ws, f| ws.create_customer(f, NewCustomer { name: name.into(), ..Default::default() }))
            .unwrap()
            .0
    };
    let satos = [create("Sato"), create("SATO"), create("sato")];
    let abe = create("Abe");
    let mut satos_by_id = satos.to_vec();
    satos_by_id.sort();
    let ws = desk.ws();
    let (everyone, total) = ws.find_customers("", 10);
    assert_eq!(total, 5, "the fixture's customer too");
    let ids: Vec<CustomerId> = everyone.iter().map(|listing| listing.id).collect();
    assert_eq!(ids[0], abe);
    assert_eq!(ids[1..4], satos_by_id[..], "one name in any case, then by id");
    let (first_three, _) = ws.find_customers("", 3);
    let ids: Vec<CustomerId> = first_three.iter().map(|listing| listing.id).collect();
    assert_eq!(ids, [abe, satos_by_id[0], satos_by_id[1]]);
}

#[test]
fn the_requester_picker_matches_like_the_customer_list_without_counting_tickets() {
    let mut desk = Desk::new();
    let admin = desk.admin;
    let mut create = |name: &str, organisation: &str| {
        desk.run(admin, |ws, f| {
            ws.create_customer(
                f,
                NewCustomer { name: name.into(), organisation: organisation.into(), ..Default::default() },
            )
        })
        .unwrap()
        .0
    };
    let zoe = create("Zoe Printer", "");
    let ann = create("Ann", "Printer Works");
    let _bob = create("Bob", "Elsewhere");
    let ws = desk.ws();
    let (found, total) = ws.match_customers(" PRINTER ", 10);
    assert_eq!(found, [ann, zoe], "by name and organisation, in name order");
    assert_eq!(total, 2);
    let (first, total) = ws.match_customers("printer", 1);
    assert_eq!((first, total), (vec![ann], 2), "the limit cuts the list, not the total");
    let listed: Vec<CustomerId> = ws.find_customers("printer", 10).0.iter().map(|listing| listing.id).collect();
    assert_eq!(listed, [ann, zoe], "the same customers as the customer list");
}

#[test]
fn one_sorted_list_gives_every_queue_and_its_count() {
    use helpdesk_core::sample::{SampleConfig, sample_ops};
    let config = SampleConfig::new(400, 11, T0);
    let (directory, ops) = sample_ops(&config, ReplicaId(3));
    let mut ws = Workspace::from_ops(ops);
    // Some due dates (past and future) and a merge, so every column and filter has work to do.
    let mut replica = Replica::from_parts(std::mem::take(&mut ws), Clock::new(ReplicaId(3)), SeededEntropy::new(3));
    let ids: Vec<TicketId> = replica.workspace().tickets().filter(|t| t.is_open()).map(|t| t.id).take(40).collect();
    let admin = directory.admin;
    for (index, id) in ids.iter().enumerate() {
        let due = if index % 2 == 0 { T0 - 3_600_000 * index as u64 } else { T0 + 3_600_000 * index as u64 };
        replica.execute(Actor::Agent(admin), T0, |ws, f| ws.edit_ticket(f, *id, TicketEdit::Due(Some(due)))).unwrap();
    }
    replica.execute(Actor::Agent(admin), T0, |ws, f| ws.merge(f, ids[1], ids[2])).unwrap();
    let ws = replica.workspace();
    let me = Some(directory.agents[0]);
    for sort in SortKey::ALL {
        for descending in [false, true] {
            let sorted = ws.sorted_queue(sort, descending, me, T0);
            assert_eq!(sorted.len(), ws.ticket_count());
            assert_eq!(sorted.counts(), ws.queue_counts(me, T0));
            for filter in QuickFilter::ALL {
                let query = QueueQuery { filter, sort, descending };
                let expected: Vec<TicketId> = {
                    // Filter first, then sort: the definition the one-pass list must agree with.
                    let mut rows: Vec<&TicketSummary> = ws.tickets().filter(|t| filter.matches(t, me, T0)).collect();
                    let all = ws.sorted_queue(sort, descending, me, T0).filter(QuickFilter::Any);
                    let position: std::collections::HashMap<TicketId, usize> =
                        all.iter().enumerate().map(|(i, id)| (*id, i)).collect();
                    rows.sort_by_key(|t| position[&t.id]);
                    rows.iter().map(|t| t.id).collect()
                };
                assert_eq!(sorted.filter(filter), expected, "{query:?}");
                assert_eq!(ws.queue(query, me, T0), expected, "{query:?}");
            }
        }
    }
}

mod sorted_like_the_definition {
    //! The inbox's fast orders (counting sorts, integer keys, the kept number order) against the
    //! plain definition: compare values, then newest first (number, then id, descending), with
    //! missing values last in either direction.
    use super::*;
    use proptest::prelude::*;
    use std::cmp::Ordering;

    #[derive(Debug, Clone)]
    struct Shape {
        id: u128,
        number: u64,
        subject: String,
        status: usize,
        priority: usize,
        /// 0: nobody; 1..: one of the named agents (or one not in the directory).
        assignee: usize,
        due: Option<u64>,
        updated: u64,
        merged: bool,
        /// One of the named customers (or one not in the directory).
        requester: usize,
    }

    fn shape() -> impl Strategy<Value = Shape> {
        (
            1u128..400,
            // Few numbers, so tickets share one (overlapping offline claims).
            1u64..30,
            // Short names, and longer ones sharing their first bytes (Japanese too).
            prop_oneof!["[a-cA-C]{0,2}", "[a-cA-Cあǅǆ]{0,3}[ a-bA-B]{0,10}"],
            0usize..6,
            0usize..4,
            0usize..5,
            proptest::option::of(0u64..5),
            0u64..6,
            (proptest::bool::weighted(0.1), 0usize..5),
        )
            .prop_map(
                |(id, number, subject, status, priority, assignee, due, updated, (merged, requester))| Shape {
                    id,
                    number,
                    subject,
                    status,
                    priority,
                    assignee,
                    due,
                    updated,
                    merged,
                    requester,
                },
            )
    }

    /// The people tickets point at: named ones (two names differ only in case) and one id the
    /// directory does not know.
    struct People {
        agents: Vec<AgentId>,
        customers: Vec<CustomerId>,
    }

    fn summary(template: &TicketSummary, people: &People, shape: &Shape) -> TicketSummary {
        let mut summary = template.clone();
        summary.id = TicketId::from_u128(shape.id);
        summary.number = shape.number;
        summary.subject = shape.subject.clone();
        summary.status = Status::ALL[shape.status];
        summary.priority = Priority::ALL[shape.priority];
        summary.assignee = shape.assignee.checked_sub(1).map(|at| people.agents[at]);
        summary.due_ms = shape.due.map(|due| T0 + due * 1000);
        summary.updated_at = T0 + shape.updated;
        summary.merged_into = shape.merged.then(|| TicketId::from_u128(9999));
        summary.requester = people.customers[shape.requester];
        summary
    }

    fn value(ws: &Workspace, key: SortKey, t: &TicketSummary) -> Option<(u64, String)> {
        let number = |n: u64| Some((n, String::new()));
        let name = |name: &str| (!name.is_empty()).then(|| (0, name.to_lowercase()));
        match key {
            SortKey::Number => number(t.number),
            SortKey::Subject => name(&t.subject),
            SortKey::Requester => ws.customer(t.requester).and_then(|c| name(&c.profile.name)),
            SortKey::Status => number(t.status as u64),
            SortKey::Priority => number(t.priority as u64),
            SortKey::Assignee => t.assignee.and_then(|a| ws.agent(a)).and_then(|a| name(&a.profile.name)),
            SortKey::Updated => number(t.updated_at),
            SortKey::Due => t.due_ms.and_then(number),
        }
    }

    fn definition(ws: &Workspace, key: SortKey, descending: bool) -> Vec<TicketId> {
        let mut rows: Vec<&TicketSummary> = ws.tickets().collect();
        rows.sort_by(|a, b| {
            let newest_first = b.number.cmp(&a.number).then(b.id.cmp(&a.id));
            match (value(ws, key, a), value(ws, key, b)) {
                (Some(x), Some(y)) => {
                    let ordering = x.cmp(&y);
                    if descending { ordering.reverse() } else { ordering }.then(newest_first)
                }
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => newest_first,
            }
        });
        rows.iter().map(|t| t.id).collect()
    }

    /// Every column, direction and quick filter of `ws` against [`definition`].
    fn orders_match_the_definition(ws: &Workspace, me: AgentId) -> Result<(), TestCaseError> {
        let now = T0 + 2000;
        for key in SortKey::ALL {
            for descending in [false, true] {
                let sorted = ws.sorted_queue(key, descending, Some(me), now);
                let expected = definition(ws, key, descending);
                prop_assert_eq!(sorted.filter(QuickFilter::Any), expected.clone(), "{:?} {}", key, descending);
                for filter in QuickFilter::ALL {
                    let wanted: Vec<TicketId> = expected
                        .iter()
                        .copied()
                        .filter(|id| filter.matches(ws.summary(*id).unwrap(), Some(me), now))
                        .collect();
                    prop_assert_eq!(sorted.filter(filter), wanted, "{:?} {:?} {}", filter, key, descending);
                }
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
        #[test]
        fn every_order_filter_and_lookup_matches_the_definition(
            shapes in proptest::collection::vec(shape(), 0..60),
            renumbered in proptest::collection::vec(
                (0usize..60, 1u64..30, proptest::option::of(prop_oneof!["[a-cA-C]{0,2}", "[aあǅ ]{0,4}"])),
                0..8,
            ),
            later in proptest::collection::vec(shape(), 0..6),
            renamed in proptest::option::of((0usize..5, "[a-cA-C]{0,2}")),
            batch in any::<bool>(),
        ) {
            let mut desk = Desk::new();
            let first = desk.open_ticket("template");
            let template = desk.ws().summary(first).unwrap().clone();
            let me = desk.agent;
            let admin = desk.admin;
            let mut agents = vec![me];
            for (name, email) in [("Zoe", "zoe@example.com"), ("bea", "bea@example.com"), ("Bea", "bea2@example.com")] {
                let new = NewAgent::new(name, email, Role::Agent);
                agents.push(desk.run(admin, |ws, f| ws.create_agent(f, new)).unwrap().0);
            }
            let mut customers = vec![desk.customer, CustomerId::from_u128(77)];
            for (name, email) in [("bob", "bob@example.com"), ("Alice", "alice@example.com"), ("alice", "a2@example.com")] {
                let new = NewCustomer { name: name.into(), emails: vec![email.into()], ..Default::default() };
                customers.push(desk.run(admin, |ws, f| ws.create_customer(f, new)).unwrap().0);
            }
            let people = People { agents, customers };
            let directory: Vec<DocSnapshot> = people
                .agents
                .iter()
                .map(|id| DocKey::Agent(*id))
                .chain(people.customers.iter().map(|id| DocKey::Customer(*id)))
                .filter_map(|doc| desk.ws().snapshot(doc))
                .collect();
            let snapshots = shapes.iter().map(|shape| DocSnapshot::Ticket(Box::new(summary(&template, &people, shape))));
            // Start-up restores in one batch; sync and commands add tickets one at a time.
            let mut ws = Workspace::new();
            directory.into_iter().for_each(|snapshot| ws.restore_snapshot(snapshot));
            if batch {
                let mut restore = ws.restore_batch();
                snapshots.for_each(|snapshot| restore.add(snapshot));
                restore.finish();
            } else {
                snapshots.for_each(|snapshot| ws.restore_snapshot(snapshot));
            }
            // Sorting once builds the subject order the table then keeps up to date.
            orders_match_the_definition(&ws, me)?;
            // A later snapshot of a ticket with another number (a forged duplicate create), another
            // requester and perhaps another subject; and tickets that arrive later.
            for (index, number, subject) in renumbered {
                if let Some(shape) = shapes.get(index) {
                    let mut shape = shape.clone();
                    shape.number = number;
                    shape.requester = (shape.requester + 1) % 5;
                    if let Some(subject) = subject {
                        shape.subject = subject;
                    }
                    ws.restore_snapshot(DocSnapshot::Ticket(Box::new(summary(&template, &people, &shape))));
                }
            }
            for shape in later {
                ws.restore_snapshot(DocSnapshot::Ticket(Box::new(summary(&template, &people, &shape))));
            }
            // A customer renamed (the ranks of names are kept until then).
            if let Some((customer, name)) = renamed
                && let Some(DocSnapshot::Customer(id, mut entry)) =
                    ws.snapshot(DocKey::Customer(people.customers[customer]))
            {
                entry.profile.name = name;
                ws.restore_snapshot(DocSnapshot::Customer(id, entry));
            }
            orders_match_the_definition(&ws, me)?;
            for number in 1..30 {
                let mut expected: Vec<TicketId> = ws.tickets().filter(|t| t.number == number).map(|t| t.id).collect();
                expected.sort();
                let found: Vec<TicketId> = ws.tickets_by_number(number).map(|t| t.id).collect();
                prop_assert_eq!(found, expected, "tickets numbered {}", number);
            }
            for &customer in &people.customers {
                let mut expected: Vec<&TicketSummary> = ws.tickets().filter(|t| t.requester == customer).collect();
                expected.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
                prop_assert_eq!(ws.tickets_of_customer(customer), expected, "tickets of {:?}", customer);
            }
            for &agent in &people.agents {
                let expected: Vec<TicketId> =
                    ws.tickets().filter(|t| t.assignee == Some(agent) && t.is_open()).map(|t| t.id).collect();
                let found: Vec<TicketId> = ws.open_tickets_assigned_to(agent).map(|t| t.id).collect();
                prop_assert_eq!(found, expected, "open tickets of {:?}", agent);
            }
        }
    }
}
