//! Test fixture shared by the scenario tests: a small support desk on one replica.

#![allow(dead_code)] // Each test file uses a different part of the fixture.

use helpdesk_core::*;

/// 2026-01-01T00:00:00Z.
pub const T0: u64 = 1_767_225_600_000;

pub struct Desk {
    pub replica: Replica<SeededEntropy>,
    pub admin: AgentId,
    pub agent: AgentId,
    pub observer: AgentId,
    pub customer: CustomerId,
    pub category: CategoryId,
    /// Every op made so far, for handing to other replicas.
    pub log: Vec<Op>,
    pub now: u64,
}

impl Desk {
    pub fn new() -> Self {
        Self::on_replica(ReplicaId(1))
    }

    pub fn on_replica(replica_id: ReplicaId) -> Self {
        let admin = AgentId::from_u128(1);
        let mut desk = Desk {
            replica: Replica::new(replica_id, SeededEntropy::new(replica_id.0)),
            admin,
            agent: admin,
            observer: admin,
            customer: CustomerId::from_u128(0),
            category: CategoryId::from_u128(0),
            log: Vec::new(),
            now: T0,
        };
        desk.run(admin, |ws, f| {
            ws.setup(
                f,
                WorkspaceSetup {
                    name: "サポート".into(),
                    language: "ja".into(),
                    time_zone: "Asia/Tokyo".into(),
                    admin: NewAgent::new("管理者", "admin@example.com", Role::Admin),
                },
            )
        })
        .unwrap();
        desk.agent = desk
            .run(admin, |ws, f| ws.create_agent(f, NewAgent::new("山田 花子", "hanako@example.com", Role::Agent)))
            .unwrap()
            .0;
        desk.observer = desk
            .run(admin, |ws, f| {
                ws.create_agent(f, NewAgent::new("Olivia Observer", "olivia@example.com", Role::Observer))
            })
            .unwrap()
            .0;
        desk.category = desk.run(admin, |ws, f| ws.create_category(f, "技術的な問題", "")).unwrap().0;
        desk.customer = desk
            .run(admin, |ws, f| {
                ws.create_customer(
                    f,
                    NewCustomer {
                        name: "鈴木一郎".into(),
                        emails: vec!["ichiro@example.jp".into()],
                        ..Default::default()
                    },
                )
            })
            .unwrap()
            .0;
        desk
    }

    /// The same desk on another replica (another browser) that has received every op so far.
    pub fn fork(&self, replica_id: ReplicaId) -> Desk {
        let mut replica = Replica::new(replica_id, SeededEntropy::new(replica_id.0));
        replica.receive(self.log.clone(), self.now);
        Desk { replica, log: self.log.clone(), ..*self }
    }

    pub fn ws(&self) -> &Workspace {
        self.replica.workspace()
    }

    /// Runs a command as `who`, applies and logs its ops; the clock moves one second.
    pub fn run<P: Planned>(
        &mut self,
        who: AgentId,
        command: impl FnOnce(&Workspace, &mut OpFactory<'_>) -> CommandResult<P>,
    ) -> CommandResult<P> {
        self.run_as(Actor::Agent(who), command)
    }

    pub fn run_as<P: Planned>(
        &mut self,
        actor: Actor,
        command: impl FnOnce(&Workspace, &mut OpFactory<'_>) -> CommandResult<P>,
    ) -> CommandResult<P> {
        let (planned, rule_ops) = self.replica.execute_with_rules(actor, self.now, command)?;
        self.log.extend(planned.ops().iter().cloned());
        self.log.extend(rule_ops);
        self.now += 1000;
        Ok(planned)
    }

    /// Opens a ticket from the fixture customer, by the agent.
    pub fn open_ticket(&mut self, subject: &str) -> TicketId {
        let customer = self.customer;
        let agent = self.agent;
        self.run(agent, |ws, f| ws.create_ticket(f, NewTicket::new(subject, "詳しい説明", customer, Channel::Email)))
            .unwrap()
            .0
    }

    pub fn ticket(&self, id: TicketId) -> &Ticket {
        self.ws().ticket(id).expect("ticket exists")
    }

    pub fn status(&mut self, id: TicketId, to: Status) -> CommandResult<Vec<Op>> {
        let agent = self.agent;
        self.run(agent, |ws, f| ws.change_status(f, id, to))
    }

    pub fn message(&mut self, id: TicketId, kind: MessageKind, body: &str) -> CommandResult<(MessageId, Vec<Op>)> {
        let actor = match kind {
            MessageKind::Customer => Actor::Customer(self.customer),
            _ => Actor::Agent(self.agent),
        };
        self.run_as(actor, |ws, f| ws.add_message(f, id, NewMessage::new(kind, body)))
    }
}
