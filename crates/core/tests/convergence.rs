//! The convergence property: replicas that end up with the same ops end up with the same state
//! and the same audit trail, whatever happened on the way.
//!
//! Each case builds 3–4 replicas of one desk, each with its own skewed wall clock (one of them
//! sometimes a day ahead, so clamping happens), and runs a random sequence of valid commands on
//! random replicas, with partial syncs in between (so edits really are concurrent), and with a
//! rule set active: event rules run with each command, and replicas run their time-based rules
//! at random moments (so two replicas often fire the same timer for the same cause). Then:
//! - the original replicas sync until nothing changes, and must all be equal;
//! - fresh replicas receive every version of every op ever made, each in its own random order
//!   with duplicates, and must equal the originals, ticket histories included.
//!
//! The case count defaults to 10,000 (`PROPTEST_CASES` overrides it); see README.md for timing.

mod common;

use std::collections::BTreeMap;

use common::Desk;
use helpdesk_core::*;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Action {
    Create {
        priority: Priority,
        assign: bool,
    },
    Status {
        ticket: usize,
        to: Status,
    },
    Priority {
        ticket: usize,
        to: Priority,
    },
    Assign {
        ticket: usize,
        who: Option<bool>,
    },
    Tag {
        ticket: usize,
        tag: u8,
        add: bool,
    },
    Message {
        ticket: usize,
        kind: MessageKind,
    },
    Subject {
        ticket: usize,
        seed: u8,
    },
    Merge {
        source: usize,
        target: usize,
    },
    Link {
        a: usize,
        b: usize,
    },
    Due {
        ticket: usize,
        hours: Option<u8>,
    },
    Custom {
        ticket: usize,
        value: Option<u8>,
    },
    CustomerTier {
        tier: Tier,
    },
    /// Deliver everything `from` has to `to`.
    Sync {
        from: usize,
    },
    /// Let time pass.
    Wait {
        ms: u32,
    },
    /// The replica's background job runs the time-based rules, `ahead` hours later than its clock.
    Timers {
        ahead: u8,
    },
}

fn status() -> impl Strategy<Value = Status> {
    prop::sample::select(Status::ALL.to_vec())
}

fn priority() -> impl Strategy<Value = Priority> {
    prop::sample::select(Priority::ALL.to_vec())
}

fn message_kind() -> impl Strategy<Value = MessageKind> {
    prop::sample::select(vec![MessageKind::Customer, MessageKind::PublicReply, MessageKind::InternalNote])
}

fn action() -> impl Strategy<Value = Action> {
    let t = any::<usize>;
    prop_oneof![
        3 => (priority(), any::<bool>()).prop_map(|(priority, assign)| Action::Create { priority, assign }),
        5 => (t(), status()).prop_map(|(ticket, to)| Action::Status { ticket, to }),
        2 => (t(), priority()).prop_map(|(ticket, to)| Action::Priority { ticket, to }),
        3 => (t(), proptest::option::of(any::<bool>())).prop_map(|(ticket, who)| Action::Assign { ticket, who }),
        3 => (t(), 0..4u8, any::<bool>()).prop_map(|(ticket, tag, add)| Action::Tag { ticket, tag, add }),
        4 => (t(), message_kind()).prop_map(|(ticket, kind)| Action::Message { ticket, kind }),
        1 => (t(), any::<u8>()).prop_map(|(ticket, seed)| Action::Subject { ticket, seed }),
        1 => (t(), t()).prop_map(|(source, target)| Action::Merge { source, target }),
        1 => (t(), t()).prop_map(|(a, b)| Action::Link { a, b }),
        1 => (t(), proptest::option::of(any::<u8>())).prop_map(|(ticket, hours)| Action::Due { ticket, hours }),
        1 => (t(), proptest::option::of(any::<u8>())).prop_map(|(ticket, value)| Action::Custom { ticket, value }),
        1 => prop::sample::select(Tier::ALL.to_vec()).prop_map(|tier| Action::CustomerTier { tier }),
        4 => t().prop_map(|from| Action::Sync { from }),
        2 => (0..600_000u32).prop_map(|ms| Action::Wait { ms }),
        2 => (0..3u8).prop_map(|ahead| Action::Timers { ahead }),
    ]
}

#[derive(Debug, Clone)]
struct Scenario {
    /// Each replica's clock offset from true time, in ms.
    skews: Vec<i64>,
    /// (replica index, acting agent is the admin?, action).
    steps: Vec<(usize, bool, Action)>,
    /// Seeds for the delivery orders of the fresh replicas.
    delivery_seeds: [u64; 3],
}

fn scenario() -> impl Strategy<Value = Scenario> {
    let skew = prop_oneof![
        8 => -120_000i64..120_000,
        1 => Just(24 * 3600 * 1000i64), // a clock a day ahead: its ops get clamped on arrival
    ];
    (3..=4usize)
        .prop_flat_map(move |replicas| {
            (
                prop::collection::vec(skew.clone(), replicas),
                prop::collection::vec((0..replicas, any::<bool>(), action()), 1..60),
                any::<[u64; 3]>(),
            )
        })
        .prop_map(|(skews, steps, delivery_seeds)| Scenario { skews, steps, delivery_seeds })
}

struct World {
    desks: Vec<Desk>,
    skews: Vec<i64>,
    /// True time.
    now: u64,
    field: FieldId,
    /// Every version of every op that existed anywhere, keyed by (id, timestamp).
    versions: BTreeMap<(OpId, Timestamp), Op>,
}

impl World {
    fn new(skews: Vec<i64>) -> Self {
        let mut origin = Desk::new();
        let admin = origin.admin;
        let field = origin
            .run(admin, |ws, f| ws.create_field(f, "件数", FieldKind::Number, FieldTarget::Ticket, false))
            .unwrap()
            .0;
        // Rules run on every replica: event rules with the commands that set them off, timers when
        // a replica's background job runs. Their ops must converge like any other.
        for rule in automation() {
            origin.run(admin, |ws, f| ws.save_rule(f, None, rule)).unwrap();
        }
        let now = origin.now;
        let desks: Vec<Desk> = (0..skews.len()).map(|i| origin.fork(ReplicaId(i as u64 + 1))).collect();
        let mut world = World { desks, skews, now, field, versions: BTreeMap::new() };
        world.record_all();
        world
    }

    fn wall(&self, replica: usize) -> u64 {
        self.now.saturating_add_signed(self.skews[replica])
    }

    fn record_all(&mut self) {
        for desk in &self.desks {
            for op in desk.ws().ops() {
                self.versions.entry((op.id, op.ts)).or_insert_with(|| op.clone());
            }
        }
    }

    /// The replica's tickets in a stable order, for picking one by index.
    fn ticket_ids(&self, replica: usize) -> Vec<TicketId> {
        let mut ids: Vec<TicketId> = self.desks[replica].ws().tickets().map(|t| t.id).collect();
        ids.sort();
        ids
    }

    fn pick(&self, replica: usize, index: usize) -> Option<TicketId> {
        let ids = self.ticket_ids(replica);
        (!ids.is_empty()).then(|| ids[index % ids.len()])
    }

    fn sync(&mut self, from: usize, to: usize) {
        let ops: Vec<Op> = self.desks[from].ws().ops().cloned().collect();
        let wall = self.wall(to);
        self.desks[to].replica.receive(ops, wall);
    }

    fn step(&mut self, replica: usize, as_admin: bool, action: &Action) {
        let wall = self.wall(replica);
        self.now += 500;
        let desk = &self.desks[replica];
        let actor = if as_admin { desk.admin } else { desk.agent };
        let (customer, other_agent, field) =
            (desk.customer, if as_admin { desk.agent } else { desk.admin }, self.field);
        let ticket = |index: usize| self.pick(replica, index);
        // Commands refused as invalid (an illegal transition, a closed ticket…) are skipped: the
        // property is about valid op sequences, and refusal is tested elsewhere.
        let result: Option<CommandResult<Vec<Op>>> = match action.clone() {
            Action::Create { priority, assign } => Some(
                self.desks[replica]
                    .replica
                    .execute_with_rules(Actor::Agent(actor), wall, |ws, f| {
                        let mut new = NewTicket::new("件名 subject", "本文", customer, Channel::Email);
                        new.priority = priority;
                        new.assignee = assign.then_some(actor);
                        ws.create_ticket(f, new)
                    })
                    .map(|((_, ops), _)| ops),
            ),
            Action::Status { ticket: t, to } => {
                ticket(t).map(|id| self.run(replica, actor, wall, |ws, f| ws.change_status(f, id, to)))
            }
            Action::Priority { ticket: t, to } => ticket(t)
                .map(|id| self.run(replica, actor, wall, |ws, f| ws.edit_ticket(f, id, TicketEdit::Priority(to)))),
            Action::Assign { ticket: t, who } => ticket(t).map(|id| {
                let agent = who.map(|me| if me { actor } else { other_agent });
                self.run(replica, actor, wall, |ws, f| ws.assign(f, id, agent))
            }),
            Action::Tag { ticket: t, tag, add } => ticket(t).map(|id| {
                let text = ["請求", "vip", "障害", "login"][tag as usize].to_string();
                if add {
                    self.run(replica, actor, wall, |ws, f| ws.add_tags(f, id, &[text]))
                } else {
                    let tag = Tag::parse(&text).unwrap();
                    self.run(replica, actor, wall, |ws, f| ws.remove_tag(f, id, &tag))
                }
            }),
            Action::Message { ticket: t, kind } => ticket(t).map(|id| {
                let as_customer = kind == MessageKind::Customer;
                let who = if as_customer { Actor::Customer(customer) } else { Actor::Agent(actor) };
                self.desks[replica]
                    .replica
                    .execute_with_rules(who, wall, |ws, f| {
                        ws.add_message(f, id, NewMessage::new(kind, "こんにちは @hanako"))
                    })
                    .map(|((_, ops), _)| ops)
            }),
            Action::Subject { ticket: t, seed } => ticket(t).map(|id| {
                self.run(replica, actor, wall, |ws, f| {
                    ws.edit_ticket(f, id, TicketEdit::Subject(format!("件名 {seed}")))
                })
            }),
            Action::Merge { source, target } => match (ticket(source), ticket(target)) {
                (Some(s), Some(t)) => Some(self.run(replica, actor, wall, |ws, f| ws.merge(f, s, t))),
                _ => None,
            },
            Action::Link { a, b } => match (ticket(a), ticket(b)) {
                (Some(a), Some(b)) => Some(self.run(replica, actor, wall, |ws, f| ws.link(f, a, b))),
                _ => None,
            },
            Action::Due { ticket: t, hours } => ticket(t).map(|id| {
                let due = hours.map(|h| wall + u64::from(h) * 3_600_000);
                self.run(replica, actor, wall, |ws, f| ws.edit_ticket(f, id, TicketEdit::Due(due)))
            }),
            Action::Custom { ticket: t, value } => ticket(t).map(|id| {
                let value = value.map(|v| FieldValue::Number(f64::from(v)));
                self.run(replica, actor, wall, |ws, f| ws.edit_ticket(f, id, TicketEdit::Custom { field, value }))
            }),
            Action::CustomerTier { tier } => {
                Some(self.run(replica, actor, wall, |ws, f| ws.update_customer(f, customer, CustomerField::Tier(tier))))
            }
            Action::Sync { from } => {
                let from = from % self.desks.len();
                if from != replica {
                    self.sync(from, replica);
                }
                None
            }
            Action::Wait { ms } => {
                self.now += u64::from(ms);
                None
            }
            Action::Timers { ahead } => {
                self.desks[replica].replica.run_due_rules(wall + u64::from(ahead) * 3_600_000);
                None
            }
        };
        if let Some(Err(error)) = &result {
            assert!(
                !matches!(error, CommandError::Forbidden(_) | CommandError::NotFound(_)),
                "the generator only makes permitted commands on known tickets: {error}"
            );
        }
        self.record_all();
    }

    fn run(
        &mut self,
        replica: usize,
        actor: AgentId,
        wall: u64,
        command: impl FnOnce(&Workspace, &mut OpFactory<'_>) -> CommandResult<Vec<Op>>,
    ) -> CommandResult<Vec<Op>> {
        self.desks[replica].replica.execute_with_rules(Actor::Agent(actor), wall, command).map(|(ops, _)| ops)
    }

    /// Every replica sends everything to every other until nothing changes anywhere.
    fn sync_to_fixpoint(&mut self) {
        for _round in 0..10 {
            let before: Vec<usize> =
                self.desks.iter().map(|d| d.ws().ops().map(|op| op.ts.ms as usize).sum()).collect();
            for from in 0..self.desks.len() {
                for to in 0..self.desks.len() {
                    if from != to {
                        self.sync(from, to);
                    }
                }
            }
            self.record_all();
            let after: Vec<usize> = self.desks.iter().map(|d| d.ws().ops().map(|op| op.ts.ms as usize).sum()).collect();
            if before == after {
                return;
            }
        }
        panic!("replicas did not stop exchanging new op versions after 10 rounds");
    }
}

/// A small rule set that touches what the other actions touch: tags, priority, assignment,
/// status and notes, from events and from timers.
fn automation() -> Vec<helpdesk_core::rules::Rule> {
    use helpdesk_core::rules::{Action, AssignMethod, Condition, Recipient, Rule, Test, Timer, Trigger};
    let tag = |text: &str| Tag::parse(text).unwrap();
    let rule = Rule::new;
    vec![
        rule(
            "urgent",
            1,
            Trigger::CreatedOrUpdated,
            vec![Condition::Priority(Test::Above(Priority::Medium)), Condition::Assignee(Test::Is(None))],
            vec![Action::AddTag(tag("urgent")), Action::Assign { team: None, method: AssignMethod::RoundRobin }],
        ),
        rule(
            "critical",
            2,
            Trigger::Updated,
            vec![Condition::Priority(Test::ChangedTo(Priority::Critical))],
            vec![Action::Notify { to: Recipient::Assignee, message: "critical".into() }],
        ),
        rule(
            "vip",
            3,
            Trigger::Updated,
            vec![Condition::Tag { tag: tag("vip"), present: true }],
            vec![Action::SetPriority(Priority::High)],
        ),
        rule(
            "pending",
            4,
            Trigger::Timer(Timer::HoursPending(1)),
            vec![],
            vec![Action::AddNote("no answer".into()), Action::SetStatus(Status::Resolved)],
        ),
        rule("stale", 5, Trigger::Timer(Timer::HoursSinceUpdated(2)), vec![], vec![Action::RemoveTag(tag("urgent"))]),
    ]
}

/// `ops` in a random order (from `seed`), about a fifth of them twice.
fn shuffled_with_duplicates(ops: &[Op], seed: u64) -> Vec<Op> {
    let mut entropy = SeededEntropy::new(seed);
    let mut delivery: Vec<Op> = ops.to_vec();
    for op in ops {
        if entropy.random_u128().is_multiple_of(5) {
            delivery.push(op.clone());
        }
    }
    for i in (1..delivery.len()).rev() {
        let j = (entropy.random_u128() % (i as u128 + 1)) as usize;
        delivery.swap(i, j);
    }
    delivery
}

fn histories(ws: &Workspace) -> BTreeMap<TicketId, Vec<HistoryEntry>> {
    ws.tickets().map(|t| (t.id, ws.ticket_history(t.id))).collect()
}

fn check_invariants(ws: &Workspace) {
    for summary in ws.tickets() {
        let ticket = ws.ticket(summary.id).expect("every ticket of a replica built from ops is loaded");
        assert_eq!(&ticket.summary, summary, "the summary index follows the folded ticket");
        match ticket.status {
            Status::New => assert_eq!(ticket.assignee, None, "a New ticket has no assignee"),
            Status::Assigned => assert!(ticket.assignee.is_some(), "an Assigned ticket has an assignee"),
            Status::Closed => assert!(ticket.closed_at.is_some()),
            Status::Resolved => assert!(ticket.resolved_at.is_some()),
            _ => {}
        }
        if ticket.merged_into.is_some() {
            assert_eq!(ticket.status, Status::Closed, "a merged ticket is closed");
        }
        assert!(ticket.messages.windows(2).all(|m| m[0].at_ms <= m[1].at_ms), "messages in time order");
    }
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), max_shrink_iters: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn replicas_with_the_same_ops_agree(scenario in scenario()) {
        let mut world = World::new(scenario.skews.clone());
        for (replica, as_admin, action) in &scenario.steps {
            world.step(*replica, *as_admin, action);
        }
        world.sync_to_fixpoint();

        let reference = world.desks[0].ws().clone();
        check_invariants(&reference);
        let reference_histories = histories(&reference);
        for desk in &world.desks[1..] {
            prop_assert_eq!(desk.ws(), &reference);
            prop_assert_eq!(histories(desk.ws()), reference_histories.clone());
        }

        let every_version: Vec<Op> = world.versions.values().cloned().collect();
        for seed in scenario.delivery_seeds {
            let fresh = Workspace::from_ops(shuffled_with_duplicates(&every_version, seed));
            prop_assert_eq!(&fresh, &reference);
            prop_assert_eq!(histories(&fresh), reference_histories.clone());
            prop_assert_eq!(fresh.ops().count(), reference.ops().count());
        }
    }
}
