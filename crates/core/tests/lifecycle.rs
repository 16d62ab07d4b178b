//! A ticket's life through the transition table, as an agent and a customer live it.

mod common;

use common::Desk;
use helpdesk_core::*;

#[test]
fn a_ticket_goes_from_new_to_closed() {
    let mut desk = Desk::new();
    let id = desk.open_ticket("ログインできません");
    assert_eq!(desk.ticket(id).status, Status::New);

    let agent = desk.agent;
    desk.run(agent, |ws, f| ws.claim(f, id)).unwrap();
    assert_eq!(desk.ticket(id).status, Status::Assigned, "assignment moves New to Assigned");
    assert_eq!(desk.ticket(id).assignee, Some(agent));

    desk.status(id, Status::InProgress).unwrap();
    desk.message(id, MessageKind::PublicReply, "パスワードを再設定してください").unwrap();
    desk.status(id, Status::Pending).unwrap();
    desk.message(id, MessageKind::Customer, "まだ入れません").unwrap();
    assert_eq!(desk.ticket(id).status, Status::InProgress, "a customer reply resumes a pending ticket");

    desk.status(id, Status::Resolved).unwrap();
    let resolved = desk.ticket(id).clone();
    assert!(resolved.resolved_at.is_some());
    assert_eq!(resolved.first_resolved_at, resolved.resolved_at);

    desk.status(id, Status::Closed).unwrap();
    let closed = desk.ticket(id);
    assert_eq!(closed.status, Status::Closed);
    assert!(closed.closed_at.is_some());
    assert_eq!(closed.reopen_count, 0);
}

#[test]
fn a_customer_reply_reopens_a_resolved_ticket() {
    let mut desk = Desk::new();
    let id = desk.open_ticket("請求書が届かない");
    let agent = desk.agent;
    desk.run(agent, |ws, f| ws.claim(f, id)).unwrap();
    desk.status(id, Status::Resolved).unwrap();
    let first_resolved = desk.ticket(id).first_resolved_at;

    desk.message(id, MessageKind::Customer, "また同じ問題が起きました").unwrap();
    let reopened = desk.ticket(id);
    assert_eq!(reopened.status, Status::InProgress, "assigned tickets reopen into the assignee's work");
    assert_eq!(reopened.reopen_count, 1);
    assert_eq!(reopened.resolved_at, None, "a reopened ticket is no longer resolved");
    assert_eq!(reopened.first_resolved_at, first_resolved, "the first resolution stays on record");

    let history = desk.ws().ticket_history(id);
    let last = history.last().unwrap();
    assert_eq!(
        last.change,
        Change::Status { from: Status::Resolved, to: Status::InProgress, cause: StatusCause::CustomerReply }
    );
}

#[test]
fn an_unassigned_resolved_ticket_reopens_into_the_queue() {
    let mut desk = Desk::new();
    let id = desk.open_ticket("質問");
    desk.status(id, Status::Resolved).unwrap();
    desk.message(id, MessageKind::Customer, "追加の質問です").unwrap();
    assert_eq!(desk.ticket(id).status, Status::New);
    assert_eq!(desk.ticket(id).reopen_count, 1);
}

#[test]
fn agents_can_reopen_by_hand() {
    let mut desk = Desk::new();
    let id = desk.open_ticket("reopen");
    desk.status(id, Status::Resolved).unwrap();
    desk.status(id, Status::InProgress).unwrap();
    assert_eq!(desk.ticket(id).reopen_count, 1);
}

#[test]
fn illegal_transitions_are_refused_with_a_typed_error() {
    let mut desk = Desk::new();
    let id = desk.open_ticket("x");
    assert_eq!(
        desk.status(id, Status::Assigned).unwrap_err(),
        CommandError::Transition(TransitionError::AssigneeRequired)
    );
    desk.status(id, Status::InProgress).unwrap();
    assert_eq!(
        desk.status(id, Status::Assigned).unwrap_err(),
        CommandError::Transition(TransitionError::NotAllowed { from: Status::InProgress, to: Status::Assigned })
    );
    desk.status(id, Status::Resolved).unwrap();
    assert_eq!(
        desk.status(id, Status::Pending).unwrap_err(),
        CommandError::Transition(TransitionError::NotAllowed { from: Status::Resolved, to: Status::Pending })
    );
    let offered: Vec<_> = desk.ticket(id).status.next_statuses().collect();
    assert_eq!(offered, vec![Status::New, Status::InProgress, Status::Closed]);
}

#[test]
fn closed_tickets_are_frozen_and_ask_for_a_follow_up() {
    let mut desk = Desk::new();
    let id = desk.open_ticket("終わった件");
    desk.status(id, Status::Closed).unwrap();
    let agent = desk.agent;
    assert_eq!(
        desk.run(agent, |ws, f| ws.edit_ticket(f, id, TicketEdit::Priority(Priority::High))).unwrap_err(),
        CommandError::TicketClosed
    );
    assert_eq!(desk.message(id, MessageKind::Customer, "また").unwrap_err(), CommandError::TicketClosed);
    assert_eq!(
        desk.status(id, Status::InProgress).unwrap_err(),
        CommandError::Transition(TransitionError::NotAllowed { from: Status::Closed, to: Status::InProgress })
    );

    let customer = desk.customer;
    let (follow_up, _) = desk
        .run(agent, |ws, f| {
            let mut new = NewTicket::new("終わった件 (続き)", "再発しました", customer, Channel::Email);
            new.follow_up_of = Some(id);
            ws.create_ticket(f, new)
        })
        .unwrap();
    assert_eq!(desk.ticket(follow_up).links.get(&id), Some(&LinkKind::FollowUpOf));
    assert_eq!(desk.ticket(id).links.get(&follow_up), Some(&LinkKind::FollowedUpBy));
    assert_eq!(desk.ticket(id).status, Status::Closed, "linking does not reopen the original");
}

#[test]
fn only_public_replies_count_as_first_reply() {
    let mut desk = Desk::new();
    let id = desk.open_ticket("first reply");
    desk.message(id, MessageKind::InternalNote, "調査中").unwrap();
    assert_eq!(desk.ticket(id).first_public_reply_at, None);
    let reply_time = desk.now;
    desk.message(id, MessageKind::PublicReply, "確認します").unwrap();
    desk.message(id, MessageKind::PublicReply, "解決しました").unwrap();
    let ticket = desk.ticket(id);
    assert_eq!(ticket.first_public_reply_at, Some(reply_time));
    assert_eq!(ticket.last_public_reply_at, Some(reply_time + 1000));
    assert_eq!(ticket.messages.len(), 3);
    assert_eq!(ticket.updated_at, reply_time + 1000);
}

#[test]
fn unassigning_an_assigned_ticket_returns_it_to_new() {
    let mut desk = Desk::new();
    let id = desk.open_ticket("unassign");
    let agent = desk.agent;
    desk.run(agent, |ws, f| ws.claim(f, id)).unwrap();
    desk.run(agent, |ws, f| ws.assign(f, id, None)).unwrap();
    assert_eq!(desk.ticket(id).status, Status::New);
    assert_eq!(desk.ticket(id).assignee, None);
    assert!(desk.run(agent, |ws, f| ws.assign(f, id, None)).unwrap().is_empty(), "no-op makes no op");
}

#[test]
fn tickets_created_with_an_assignee_start_assigned() {
    let mut desk = Desk::new();
    let (customer, agent) = (desk.customer, desk.agent);
    let (id, _) = desk
        .run(agent, |ws, f| {
            let mut new = NewTicket::new("電話での問い合わせ", "折り返し希望", customer, Channel::Phone);
            new.assignee = Some(agent);
            new.priority = Priority::High;
            ws.create_ticket(f, new)
        })
        .unwrap();
    let ticket = desk.ticket(id);
    assert_eq!((ticket.status, ticket.priority, ticket.channel), (Status::Assigned, Priority::High, Channel::Phone));
}
