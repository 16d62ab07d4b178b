//! Working together on tickets: the audit trail, merging, linking, mentions and ticket numbers.

mod common;

use common::Desk;
use helpdesk_core::*;

#[test]
fn history_says_who_changed_what_from_what_to_what() {
    let mut desk = Desk::new();
    let start = desk.now;
    let id = desk.open_ticket("履歴");
    let (agent, admin) = (desk.agent, desk.admin);
    desk.run(agent, |ws, f| ws.edit_ticket(f, id, TicketEdit::Priority(Priority::Critical))).unwrap();
    desk.run(admin, |ws, f| ws.assign(f, id, Some(agent))).unwrap();
    desk.run(agent, |ws, f| ws.add_tags(f, id, &["障害".into()])).unwrap();
    desk.run(agent, |ws, f| ws.edit_ticket(f, id, TicketEdit::Subject("履歴 (更新)".into()))).unwrap();
    // A no-op edit leaves no trace.
    assert!(
        desk.run(agent, |ws, f| ws.edit_ticket(f, id, TicketEdit::Priority(Priority::Critical))).unwrap().is_empty()
    );

    let history = desk.ws().ticket_history(id);
    let changes: Vec<_> = history.iter().map(|entry| (entry.actor, entry.change.clone())).collect();
    let tag = Tag::parse("障害").unwrap();
    assert_eq!(
        changes,
        vec![
            (
                Actor::Agent(agent),
                Change::Created {
                    number: 1,
                    subject: "履歴".into(),
                    channel: Channel::Email,
                    status: Status::New,
                    priority: Priority::Medium
                }
            ),
            (Actor::Agent(agent), Change::Priority { from: Priority::Medium, to: Priority::Critical }),
            (Actor::Agent(admin), Change::Assignee { from: None, to: Some(agent) }),
            (
                Actor::Agent(admin),
                Change::Status { from: Status::New, to: Status::Assigned, cause: StatusCause::Assignment }
            ),
            (Actor::Agent(agent), Change::TagAdded(tag)),
            (Actor::Agent(agent), Change::Subject { from: "履歴".into(), to: "履歴 (更新)".into() }),
        ]
    );
    assert_eq!(history[0].at_ms, start);
    assert!(history.windows(2).all(|pair| pair[0].at_ms <= pair[1].at_ms));
}

#[test]
fn merging_closes_the_source_and_records_both_sides() {
    let mut desk = Desk::new();
    let source = desk.open_ticket("重複した問い合わせ");
    let target = desk.open_ticket("元の問い合わせ");
    let agent = desk.agent;
    desk.run(agent, |ws, f| ws.merge(f, source, target)).unwrap();
    let merged = desk.ticket(source);
    assert_eq!((merged.status, merged.merged_into), (Status::Closed, Some(target)));
    assert_eq!(desk.ticket(target).merged_from, vec![source]);
    assert_eq!(desk.ticket(target).status, Status::New);
    let last = desk.ws().ticket_history(source).pop().unwrap();
    assert_eq!(last.change, Change::Status { from: Status::New, to: Status::Closed, cause: StatusCause::Merge });

    assert_eq!(desk.run(agent, |ws, f| ws.merge(f, target, target)).unwrap_err(), CommandError::MergeIntoSelf);
    assert_eq!(desk.run(agent, |ws, f| ws.merge(f, source, target)).unwrap_err(), CommandError::AlreadyMerged);
    let third = desk.open_ticket("third");
    assert_eq!(desk.run(agent, |ws, f| ws.merge(f, third, source)).unwrap_err(), CommandError::TicketClosed);
}

#[test]
fn links_are_recorded_on_both_tickets_and_can_be_removed() {
    let mut desk = Desk::new();
    let a = desk.open_ticket("a");
    let b = desk.open_ticket("b");
    let agent = desk.agent;
    desk.run(agent, |ws, f| ws.link(f, a, b)).unwrap();
    assert_eq!(desk.ticket(a).links.get(&b), Some(&LinkKind::Related));
    assert_eq!(desk.ticket(b).links.get(&a), Some(&LinkKind::Related));
    assert!(desk.run(agent, |ws, f| ws.link(f, a, b)).unwrap().is_empty(), "linking twice is a no-op");
    desk.run(agent, |ws, f| ws.unlink(f, b, a)).unwrap();
    assert!(desk.ticket(a).links.is_empty() && desk.ticket(b).links.is_empty());
}

#[test]
fn mentions_of_agents_are_recorded_on_notes() {
    let mut desk = Desk::new();
    let id = desk.open_ticket("mention");
    let (message, _) = desk
        .message(id, MessageKind::InternalNote, "@hanako と @admin 確認お願いします (cc nobody@example.com, @ghost)")
        .unwrap();
    let note = desk.ticket(id).message(message).unwrap();
    assert_eq!(note.mentions, vec![desk.agent, desk.admin]);
    assert_eq!(note.kind, MessageKind::InternalNote);
    assert_eq!(note.channel, None, "notes never go out on a channel");
    let (reply, _) = desk.message(id, MessageKind::PublicReply, "ご連絡ありがとうございます").unwrap();
    assert_eq!(
        desk.ticket(id).message(reply).unwrap().channel,
        Some(Channel::Email),
        "replies go out where the ticket came in"
    );
}

#[test]
fn ticket_numbers_are_sequential_and_findable() {
    let mut desk = Desk::new();
    let ids: Vec<_> = (0..3).map(|i| desk.open_ticket(&format!("t{i}"))).collect();
    let numbers: Vec<_> = ids.iter().map(|id| desk.ticket(*id).number).collect();
    assert_eq!(numbers, vec![1, 2, 3]);
    let ws = desk.ws();
    assert_eq!(ws.ticket_by_display_number("#2").map(|t| t.id), Some(ids[1]));
    assert_eq!(ws.ticket_by_display_number("3").map(|t| t.id), Some(ids[2]));
    assert_eq!(ws.ticket_by_display_number("#9").map(|t| t.id), None);
    assert_eq!(ws.ticket_by_display_number("abc").map(|t| t.id), None);
    assert_eq!(ws.display_number(desk.ticket(ids[0])), "#1");
}

#[test]
fn a_full_number_block_claims_the_next_one() {
    let mut desk = Desk::new();
    for i in 0..numbering::BLOCK_SIZE {
        desk.open_ticket(&format!("bulk {i}"));
    }
    assert_eq!(desk.ws().settings().number_blocks.len(), 1);
    let next = desk.open_ticket("next block");
    assert_eq!(desk.ticket(next).number, numbering::BLOCK_SIZE + 1);
    let blocks = &desk.ws().settings().number_blocks;
    assert_eq!(blocks.len(), 2);
    assert_eq!(blocks[1].block.start, numbering::BLOCK_SIZE + 1);
}

#[test]
fn a_customer_sees_all_their_tickets_newest_first() {
    let mut desk = Desk::new();
    let first = desk.open_ticket("first");
    let second = desk.open_ticket("second");
    let ids: Vec<_> = desk.ws().tickets_of_customer(desk.customer).iter().map(|t| t.id).collect();
    assert_eq!(ids, vec![second, first]);
    let agent = desk.agent;
    desk.run(agent, |ws, f| ws.claim(f, first)).unwrap();
    assert_eq!(desk.ws().open_tickets_of_agent(agent), 1);
}
