//! Concurrent edits on several replicas, written out by hand: each test is a story a support team
//! could live through, and each ends with every replica agreeing.

mod common;

use common::{Desk, T0};
use helpdesk_core::*;

/// Two replicas of the same desk.
fn two_replicas() -> (Desk, Desk) {
    let a = Desk::new();
    let b = a.fork(ReplicaId(2));
    (a, b)
}

/// Delivers every op of each replica to the other (as a sync round would).
fn sync(a: &mut Desk, b: &mut Desk) {
    let now = a.now.max(b.now);
    let from_a: Vec<Op> = a.ws().ops().cloned().collect();
    let from_b: Vec<Op> = b.ws().ops().cloned().collect();
    b.replica.receive(from_a, now);
    a.replica.receive(from_b, now);
}

#[test]
fn a_close_beats_a_later_offline_status_change_and_the_loss_is_visible() {
    let (mut a, mut b) = two_replicas();
    let id = a.open_ticket("競合");
    sync(&mut a, &mut b);

    a.status(id, Status::Closed).unwrap();
    b.now = a.now + 5_000; // b acts later, offline, not knowing about the close
    b.status(id, Status::Pending).unwrap();
    let (note, _) = b.message(id, MessageKind::InternalNote, "顧客に確認中").unwrap();

    sync(&mut a, &mut b);
    assert_eq!(a.ws(), b.ws());
    let ticket = a.ticket(id);
    assert_eq!(ticket.status, Status::Closed);
    assert!(ticket.message(note).is_some(), "the offline note is kept, not lost");
    let history = a.ws().ticket_history(id);
    assert_eq!(history, b.ws().ticket_history(id));
    assert!(
        history
            .iter()
            .any(|e| e.change == Change::Rejected(Rejection::TicketClosed) && e.actor == Actor::Agent(b.agent)),
        "the rejected change is in the audit trail: {history:#?}"
    );
}

#[test]
fn concurrent_field_edits_resolve_last_writer_wins() {
    let (mut a, mut b) = two_replicas();
    let id = a.open_ticket("lww");
    sync(&mut a, &mut b);
    let (agent, admin) = (a.agent, a.admin);

    a.run(agent, |ws, f| ws.edit_ticket(f, id, TicketEdit::Priority(Priority::High))).unwrap();
    b.now = a.now + 1;
    b.run(admin, |ws, f| ws.edit_ticket(f, id, TicketEdit::Priority(Priority::Low))).unwrap();
    a.run(agent, |ws, f| ws.add_tags(f, id, &["請求".into()])).unwrap();
    b.run(admin, |ws, f| ws.add_tags(f, id, &["請求".into()])).unwrap();
    b.run(admin, |ws, f| ws.remove_tag(f, id, &Tag::parse("請求").unwrap())).unwrap();

    sync(&mut a, &mut b);
    assert_eq!(a.ws(), b.ws());
    assert_eq!(a.ticket(id).priority, Priority::Low, "b's edit is later");
    assert!(a.ticket(id).tags.is_empty(), "the latest tag op (remove) wins");
}

#[test]
fn concurrent_assignment_keeps_status_consistent() {
    let (mut a, mut b) = two_replicas();
    let id = a.open_ticket("assign");
    sync(&mut a, &mut b);
    let (agent, admin) = (a.agent, a.admin);
    a.run(agent, |ws, f| ws.claim(f, id)).unwrap();
    b.now = a.now + 1;
    b.run(admin, |ws, f| ws.assign(f, id, None)).unwrap(); // b did not see the claim: a no-op there
    b.run(admin, |ws, f| ws.claim(f, id)).unwrap();
    sync(&mut a, &mut b);
    assert_eq!(a.ws(), b.ws());
    let ticket = a.ticket(id);
    assert_eq!((ticket.assignee, ticket.status), (Some(admin), Status::Assigned));
}

#[test]
fn a_clock_a_year_ahead_cannot_win_every_write() {
    let (mut a, mut b) = two_replicas();
    let id = a.open_ticket("skew");
    sync(&mut a, &mut b);
    let agent = a.agent;

    // b's computer thinks it is next year.
    let year = 365 * 24 * 3600 * 1000;
    b.now = a.now + year;
    b.run(agent, |ws, f| ws.edit_ticket(f, id, TicketEdit::Priority(Priority::Low))).unwrap();
    let from_b: Vec<Op> = b.ws().ops().cloned().collect();
    a.replica.receive(from_b, a.now);
    assert_eq!(a.ticket(id).priority, Priority::Low);

    // Ten minutes later (real time), a's edit wins: b's timestamp was clamped on arrival.
    a.now += 10 * 60 * 1000;
    a.run(agent, |ws, f| ws.edit_ticket(f, id, TicketEdit::Priority(Priority::Critical))).unwrap();
    assert_eq!(a.ticket(id).priority, Priority::Critical);

    // b receives a's ops, including its own op clamped (as the server hands it back), and agrees.
    let from_a: Vec<Op> = a.ws().ops().cloned().collect();
    b.replica.receive(from_a, b.now);
    assert_eq!(b.ticket(id).priority, Priority::Critical);
    assert_eq!(a.ws(), b.ws());
}

#[test]
fn offline_number_collisions_get_distinct_display_numbers() {
    let (mut a, mut b) = two_replicas();
    // Both replicas are offline without a server, each claims the first block.
    let x = a.open_ticket("from a");
    let y = b.open_ticket("from b");
    assert_eq!((a.ticket(x).number, b.ticket(y).number), (1, 1));
    sync(&mut a, &mut b);
    assert_eq!(a.ws(), b.ws());
    let ws = a.ws();
    let mut shown: Vec<String> = [x, y].iter().map(|id| ws.display_number(ws.ticket(*id).unwrap())).collect();
    shown.sort();
    assert_eq!(shown, vec!["#1".to_string(), "#1-2".to_string()]);
    let second = ws.ticket_by_display_number("#1-2").unwrap().id;
    assert_eq!(second, x.max(y), "the ticket with the higher id takes the suffix");
    // New tickets after the merge skip past the numbers both used.
    let z = a.open_ticket("after merge");
    assert_eq!(a.ticket(z).number, 2);
}

#[test]
fn numbers_from_separate_blocks_never_collide() {
    let (mut a, mut b) = two_replicas();
    a.open_ticket("claims block 1");
    sync(&mut a, &mut b);
    // b now knows a's block and claims the next one.
    let y = b.open_ticket("from b");
    assert_eq!(b.ticket(y).number, numbering::BLOCK_SIZE + 1);
    let x = a.open_ticket("from a again");
    assert_eq!(a.ticket(x).number, 2);
}

#[test]
fn ops_survive_a_json_round_trip_and_any_delivery_order() {
    let mut desk = Desk::new();
    let id = desk.open_ticket("JSON ✓ 日本語");
    desk.message(id, MessageKind::Customer, "本文\n\n**markdown**").unwrap();
    let agent = desk.agent;
    desk.run(agent, |ws, f| ws.claim(f, id)).unwrap();
    desk.run(agent, |ws, f| ws.add_tags(f, id, &["vip".into()])).unwrap();
    desk.status(id, Status::Resolved).unwrap();

    let json = serde_json::to_string(&desk.log).unwrap();
    let parsed: Vec<Op> = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed, desk.log);
    let reversed = Workspace::from_ops(parsed.into_iter().rev());
    assert_eq!(&reversed, desk.ws());
    let doubled = Workspace::from_ops(desk.log.iter().chain(desk.log.iter()).cloned());
    assert_eq!(&doubled, desk.ws());
    assert_eq!(doubled.ops().count(), desk.log.len());
}

#[test]
fn a_replica_resumes_from_stored_ops_with_its_clock_ahead_of_them() {
    let mut desk = Desk::new();
    let id = desk.open_ticket("resume");
    let stored = desk.log.clone();
    let last = stored.iter().map(|op| op.ts).max().unwrap();
    // The browser restarts with its wall clock behind the stored ops (clock corrected by NTP).
    let mut resumed = Replica::resume(ReplicaId(1), SeededEntropy::new(99), stored, T0);
    assert_eq!(resumed.workspace(), desk.ws());
    let agent = desk.agent;
    let ops = resumed.execute(Actor::Agent(agent), T0, |ws, f| ws.change_status(f, id, Status::InProgress)).unwrap();
    assert!(ops[0].ts > last, "new ops order after everything stored");
}
