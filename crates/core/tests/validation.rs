//! Bad input is refused with a typed, explainable error, and nothing is applied.

mod common;

use common::Desk;
use helpdesk_core::validate::limits;
use helpdesk_core::*;

/// Runs a ticket creation and checks it fails with `expected` without changing the workspace.
fn check_create(desk: &mut Desk, edit: impl FnOnce(&mut NewTicket), expected: CommandError) {
    let before = desk.ws().clone();
    let (customer, agent) = (desk.customer, desk.agent);
    let mut new = NewTicket::new("件名", "本文", customer, Channel::Email);
    edit(&mut new);
    let error = desk.run(agent, |ws, f| ws.create_ticket(f, new)).unwrap_err();
    assert_eq!(error, expected);
    assert_eq!(desk.ws(), &before, "a refused command applies nothing");
}

#[test]
fn subjects_must_be_present_and_bounded() {
    let mut desk = Desk::new();
    check_create(&mut desk, |t| t.subject = "   ".into(), ValidationError::Empty { field: "subject" }.into());
    let long = "あ".repeat(limits::SUBJECT_CHARS + 1);
    check_create(
        &mut desk,
        |t| t.subject = long,
        ValidationError::TooLong { field: "subject", max: limits::SUBJECT_CHARS, actual: limits::SUBJECT_CHARS + 1 }
            .into(),
    );
    let exactly = "あ".repeat(limits::SUBJECT_CHARS);
    let (customer, agent) = (desk.customer, desk.agent);
    let (id, _) = desk
        .run(agent, |ws, f| ws.create_ticket(f, NewTicket::new(format!("  {exactly}  "), "", customer, Channel::Chat)))
        .unwrap();
    assert_eq!(desk.ticket(id).subject, exactly, "subjects are trimmed");
}

#[test]
fn bodies_and_tags_are_bounded() {
    let mut desk = Desk::new();
    let body = "x".repeat(limits::BODY_CHARS + 1);
    check_create(
        &mut desk,
        |t| t.description = body,
        ValidationError::TooLong { field: "description", max: limits::BODY_CHARS, actual: limits::BODY_CHARS + 1 }
            .into(),
    );
    let tags: Vec<String> = (0..=limits::TAGS_PER_TICKET).map(|i| format!("tag{i}")).collect();
    check_create(&mut desk, |t| t.tags = tags, ValidationError::TooManyTags { max: limits::TAGS_PER_TICKET }.into());
    check_create(&mut desk, |t| t.tags = vec!["a,b".into()], ValidationError::TagInvalid { tag: "a,b".into() }.into());

    let id = desk.open_ticket("tags");
    let agent = desk.agent;
    let almost: Vec<String> = (0..limits::TAGS_PER_TICKET).map(|i| format!("t{i}")).collect();
    desk.run(agent, |ws, f| ws.add_tags(f, id, &almost)).unwrap();
    assert_eq!(
        desk.run(agent, |ws, f| ws.add_tags(f, id, &["one-more".into()])).unwrap_err(),
        ValidationError::TooManyTags { max: limits::TAGS_PER_TICKET }.into()
    );
    assert!(desk.run(agent, |ws, f| ws.add_tags(f, id, &["T0".into()])).unwrap().is_empty(), "known tags are skipped");
}

#[test]
fn references_must_exist() {
    let mut desk = Desk::new();
    let ghost_customer = CustomerId::from_u128(999);
    check_create(
        &mut desk,
        |t| t.requester = ghost_customer,
        CommandError::NotFound(Missing::Customer(ghost_customer)),
    );
    let ghost_agent = AgentId::from_u128(998);
    check_create(&mut desk, |t| t.assignee = Some(ghost_agent), CommandError::NotFound(Missing::Agent(ghost_agent)));
    let ghost_team = TeamId::from_u128(997);
    check_create(&mut desk, |t| t.team = Some(ghost_team), CommandError::NotFound(Missing::Team(ghost_team)));
    let ghost_category = CategoryId::from_u128(996);
    check_create(
        &mut desk,
        |t| t.category = Some(ghost_category),
        CommandError::NotFound(Missing::Category(ghost_category)),
    );
    let ghost_ticket = TicketId::from_u128(995);
    check_create(
        &mut desk,
        |t| t.follow_up_of = Some(ghost_ticket),
        CommandError::NotFound(Missing::Ticket(ghost_ticket)),
    );
    let agent = desk.agent;
    assert_eq!(
        desk.run(agent, |ws, f| ws.change_status(f, ghost_ticket, Status::Resolved)).unwrap_err(),
        CommandError::NotFound(Missing::Ticket(ghost_ticket))
    );
}

#[test]
fn inactive_agents_cannot_be_assigned() {
    let mut desk = Desk::new();
    let (admin, agent) = (desk.admin, desk.agent);
    desk.run(admin, |ws, f| ws.update_agent(f, agent, AgentField::Active(false))).unwrap();
    let id = desk.open_ticket_as_admin();
    assert_eq!(desk.run(admin, |ws, f| ws.assign(f, id, Some(agent))).unwrap_err(), CommandError::AgentInactive);
}

trait OpenAsAdmin {
    fn open_ticket_as_admin(&mut self) -> TicketId;
}

impl OpenAsAdmin for Desk {
    fn open_ticket_as_admin(&mut self) -> TicketId {
        let (customer, admin) = (self.customer, self.admin);
        self.run(admin, |ws, f| ws.create_ticket(f, NewTicket::new("x", "", customer, Channel::Email))).unwrap().0
    }
}

#[test]
fn customers_need_a_name_and_valid_unique_emails() {
    let mut desk = Desk::new();
    let admin = desk.admin;
    let create = |desk: &mut Desk, name: &str, email: &str| {
        let new = NewCustomer { name: name.into(), emails: vec![email.into()], ..Default::default() };
        desk.run(admin, |ws, f| ws.create_customer(f, new))
    };
    assert_eq!(create(&mut desk, " ", "a@example.com").unwrap_err(), ValidationError::Empty { field: "name" }.into());
    assert_eq!(
        create(&mut desk, "Bad", "not-an-address").unwrap_err(),
        ValidationError::InvalidEmail { address: "not-an-address".into() }.into()
    );
    assert_eq!(
        create(&mut desk, "Dup", "ICHIRO@example.jp").unwrap_err(),
        CommandError::DuplicateEmail { address: "ICHIRO@example.jp".into() }
    );
    let (id, _) = create(&mut desk, "Jane Doe", "jane@example.com").unwrap();
    let email = Email::parse("JANE@EXAMPLE.COM").unwrap();
    assert_eq!(desk.ws().customer_by_email(&email).map(|(found, _)| found), Some(id));
}

#[test]
fn custom_fields_are_typed_and_required_ones_block_resolution() {
    let mut desk = Desk::new();
    let admin = desk.admin;
    let (plan, _) = desk
        .run(admin, |ws, f| {
            let kind = FieldKind::Choice { options: vec!["free".into(), "pro".into(), "pro".into()] };
            ws.create_field(f, "プラン", kind, FieldTarget::Ticket, true)
        })
        .unwrap();
    assert_eq!(
        desk.ws().field(plan).unwrap().profile.kind,
        FieldKind::Choice { options: vec!["free".into(), "pro".into()] },
        "duplicate options are dropped"
    );
    let id = desk.open_ticket("plan");
    let agent = desk.agent;
    assert_eq!(
        desk.run(agent, |ws, f| {
            ws.edit_ticket(f, id, TicketEdit::Custom { field: plan, value: Some(FieldValue::Choice("gold".into())) })
        })
        .unwrap_err(),
        ValidationError::FieldValueMismatch { value: "gold".into() }.into()
    );
    assert_eq!(
        desk.status(id, Status::Resolved).unwrap_err(),
        CommandError::RequiredFieldMissing { name: "プラン".into() }
    );
    desk.run(agent, |ws, f| {
        ws.edit_ticket(f, id, TicketEdit::Custom { field: plan, value: Some(FieldValue::Choice("pro".into())) })
    })
    .unwrap();
    desk.status(id, Status::Resolved).unwrap();
    assert_eq!(desk.ticket(id).custom.get(&plan), Some(&FieldValue::Choice("pro".into())));

    let (customer_field, _) =
        desk.run(admin, |ws, f| ws.create_field(f, "会員番号", FieldKind::Text, FieldTarget::Customer, false)).unwrap();
    let other = desk.open_ticket("other");
    assert_eq!(
        desk.run(agent, |ws, f| ws.edit_ticket(f, other, TicketEdit::Custom { field: customer_field, value: None }))
            .unwrap_err(),
        CommandError::FieldTargetMismatch { target: FieldTarget::Customer }
    );
}

#[test]
fn messages_need_content() {
    let mut desk = Desk::new();
    let id = desk.open_ticket("empty");
    assert_eq!(
        desk.message(id, MessageKind::PublicReply, "  \n ").unwrap_err(),
        ValidationError::Empty { field: "message" }.into()
    );
    let agent = desk.agent;
    let mut new = NewMessage::new(MessageKind::PublicReply, "");
    new.attachments = vec![Attachment {
        id: AttachmentId::from_u128(5),
        file_name: "log.txt".into(),
        mime_type: "text/plain".into(),
        size_bytes: 26 * 1024 * 1024,
    }];
    let too_big = new.clone();
    assert_eq!(
        desk.run(agent, |ws, f| ws.add_message(f, id, too_big)).unwrap_err(),
        ValidationError::AttachmentTooLarge { file_name: "log.txt".into(), max_bytes: limits::ATTACHMENT_BYTES }.into()
    );
    new.attachments[0].size_bytes = 1024;
    desk.run(agent, |ws, f| ws.add_message(f, id, new)).unwrap();
    assert!(desk.ticket(id).has_attachments, "an attachment alone is a message");
}

#[test]
fn settings_are_checked() {
    let mut desk = Desk::new();
    let admin = desk.admin;
    assert_eq!(
        desk.run(admin, |ws, f| ws.change_setting(f, SettingsField::TimeZone("Tokyo".into()))).unwrap_err(),
        CommandError::InvalidTimeZone { zone: "Tokyo".into() }
    );
    assert_eq!(
        desk.run(admin, |ws, f| ws.change_setting(f, SettingsField::DefaultLanguage("de".into()))).unwrap_err(),
        CommandError::UnsupportedLanguage
    );
    desk.run(admin, |ws, f| ws.change_setting(f, SettingsField::Name("Support JP".into()))).unwrap();
    assert_eq!(desk.ws().settings().name, "Support JP");
    let again = WorkspaceSetup {
        name: "x".into(),
        language: "en".into(),
        time_zone: "UTC".into(),
        admin: NewAgent::new("x", "x@example.com", Role::Admin),
    };
    assert_eq!(desk.run(admin, |ws, f| ws.setup(f, again)).unwrap_err(), CommandError::AlreadyInitialised);
}

#[test]
fn agents_need_unique_handles_and_sane_capacity() {
    let mut desk = Desk::new();
    let admin = desk.admin;
    let mut taken = NewAgent::new("Hanako Two", "hanako@example.org", Role::Agent);
    taken.handle = Some("@Hanako".into());
    assert_eq!(
        desk.run(admin, |ws, f| ws.create_agent(f, taken)).unwrap_err(),
        CommandError::DuplicateHandle { handle: "hanako".into() }
    );
    let (derived, _) = desk
        .run(admin, |ws, f| ws.create_agent(f, NewAgent::new("Hanako Two", "hanako@example.org", Role::Agent)))
        .unwrap();
    assert_eq!(desk.ws().agent(derived).unwrap().profile.handle, "hanako2", "derived handles avoid collisions");
    let mut zero = NewAgent::new("Zero", "zero@example.com", Role::Agent);
    zero.capacity = 0;
    assert_eq!(
        desk.run(admin, |ws, f| ws.create_agent(f, zero)).unwrap_err(),
        ValidationError::CapacityOutOfRange { max: MAX_CAPACITY }.into()
    );
}
