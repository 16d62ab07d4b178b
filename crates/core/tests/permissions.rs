//! What each kind of actor may do, as both the UI and the sync server check it.

mod common;

use common::Desk;
use helpdesk_core::*;

#[test]
fn observers_write_internal_notes_only() {
    let mut desk = Desk::new();
    let id = desk.open_ticket("observe");
    let observer = desk.observer;
    desk.run(observer, |ws, f| ws.add_message(f, id, NewMessage::new(MessageKind::InternalNote, "FYI"))).unwrap();
    assert_eq!(
        desk.run(observer, |ws, f| ws.add_message(f, id, NewMessage::new(MessageKind::PublicReply, "hi"))).unwrap_err(),
        Forbidden::ObserverReadOnly.into()
    );
    assert_eq!(desk.run(observer, |ws, f| ws.claim(f, id)).unwrap_err(), Forbidden::ObserverReadOnly.into());
    desk.run(observer, |ws, f| ws.update_agent(f, observer, AgentField::Available(false))).unwrap();
}

#[test]
fn only_admins_manage_the_workspace() {
    let mut desk = Desk::new();
    let agent = desk.agent;
    assert_eq!(desk.run(agent, |ws, f| ws.create_category(f, "請求", "")).unwrap_err(), Forbidden::AdminOnly.into());
    assert_eq!(desk.run(agent, |ws, f| ws.create_team(f, "Tier 2", "")).unwrap_err(), Forbidden::AdminOnly.into());
    assert_eq!(
        desk.run(agent, |ws, f| ws.update_agent(f, agent, AgentField::Role(Role::Admin))).unwrap_err(),
        Forbidden::AdminOnly.into(),
        "agents cannot promote themselves"
    );
    desk.run(agent, |ws, f| ws.update_agent(f, agent, AgentField::Available(false))).unwrap();
    assert!(!desk.ws().agent(agent).unwrap().profile.available);
    let admin = desk.admin;
    desk.run(admin, |ws, f| ws.create_team(f, "Tier 2", "")).unwrap();
}

#[test]
fn deactivated_and_unknown_agents_are_refused() {
    let mut desk = Desk::new();
    let (admin, agent) = (desk.admin, desk.agent);
    let id = desk.open_ticket("x");
    desk.run(admin, |ws, f| ws.update_agent(f, agent, AgentField::Active(false))).unwrap();
    assert_eq!(desk.status(id, Status::InProgress).unwrap_err(), Forbidden::Inactive.into());
    let stranger = AgentId::from_u128(4242);
    assert_eq!(
        desk.run(stranger, |ws, f| ws.change_status(f, id, Status::InProgress)).unwrap_err(),
        Forbidden::UnknownAgent.into()
    );
}

#[test]
fn customers_only_touch_their_own_tickets() {
    let mut desk = Desk::new();
    let id = desk.open_ticket("mine");
    let admin = desk.admin;
    let (other, _) = desk
        .run(admin, |ws, f| ws.create_customer(f, NewCustomer { name: "Other".into(), ..Default::default() }))
        .unwrap();
    desk.message(id, MessageKind::Customer, "thanks").unwrap();
    assert_eq!(
        desk.run_as(Actor::Customer(other), |ws, f| ws.add_message(
            f,
            id,
            NewMessage::new(MessageKind::Customer, "hi")
        ))
        .unwrap_err(),
        Forbidden::CustomerScope.into()
    );
    let customer = desk.customer;
    assert_eq!(
        desk.run_as(Actor::Customer(customer), |ws, f| ws.change_status(f, id, Status::Closed)).unwrap_err(),
        Forbidden::CustomerScope.into()
    );
    desk.run_as(Actor::Customer(customer), |ws, f| {
        ws.create_ticket(f, NewTicket::new("web form", "from the portal", customer, Channel::WebForm))
    })
    .unwrap();
}

#[test]
fn the_server_can_check_pushed_ops_with_the_same_rules() {
    let mut desk = Desk::new();
    let id = desk.open_ticket("x");
    let agent = desk.agent;
    // A modified client forges an admin-only op as a plain agent; the server refuses it.
    let mut forged = desk.run(desk.admin, |ws, f| ws.create_team(f, "Forged", "")).unwrap().1.remove(0);
    forged.actor = Actor::Agent(agent);
    assert_eq!(desk.ws().authorize(&forged), Err(Forbidden::AdminOnly));
    let rule_op = Op {
        actor: Actor::Rule(RuleId::from_u128(3)),
        ..desk.run(agent, |ws, f| ws.edit_ticket(f, id, TicketEdit::Priority(Priority::High))).unwrap().remove(0)
    };
    assert_eq!(desk.ws().authorize(&rule_op), Ok(()));
    let rule_team = Op { actor: Actor::Rule(RuleId::from_u128(3)), ..forged };
    assert_eq!(desk.ws().authorize(&rule_team), Err(Forbidden::RuleScope));
}

#[test]
fn the_first_agent_may_bootstrap_an_empty_workspace_only() {
    let desk = Desk::new();
    let newcomer = AgentId::from_u128(77);
    let mut clock = Clock::new(ReplicaId(9));
    let mut entropy = SeededEntropy::new(9);
    let mut factory = OpFactory::new(Actor::Agent(newcomer), &mut clock, &mut entropy, common::T0);
    let setup = WorkspaceSetup {
        name: "New".into(),
        language: "en".into(),
        time_zone: "UTC".into(),
        admin: NewAgent::new("Newcomer", "new@example.com", Role::Admin),
    };
    let ops = Workspace::new().setup(&mut factory, setup).unwrap();
    let empty = Workspace::new();
    assert!(ops.iter().all(|op| empty.authorize(op).is_ok()), "bootstrap ops pass on an empty workspace");
    assert!(ops.iter().all(|op| desk.ws().authorize(op) == Err(Forbidden::UnknownAgent)), "but not on a set-up one");
}
