//! Rules: triggers on created and updated tickets, their order and loop guard, time-based rules
//! that fire once per cause even when two browsers run them, assignment (round-robin,
//! least-loaded against capacity, skills) and the escalation ladder.

mod common;

use std::collections::BTreeSet;

use common::Desk;
use helpdesk_core::notify::{self, NotificationKind};
use helpdesk_core::rules::{
    Action, AssignMethod, Condition, EscalationTier, Outcome, Recipient, Rule, RuleError, Skipped, Test, TextField,
    Timer, Trigger,
};
use helpdesk_core::sla::{Calendar, SlaConditions, SlaPolicy, Target};
use helpdesk_core::sla::{Metric, SlaBook};
use helpdesk_core::time::business::WorkingHours;
use helpdesk_core::time::{Date, HOUR_MS, MINUTE_MS, Zone};
use helpdesk_core::*;

fn tag(text: &str) -> Tag {
    Tag::parse(text).unwrap()
}

fn save(desk: &mut Desk, rule: Rule) -> RuleId {
    let admin = desk.admin;
    desk.run(admin, |ws, f| ws.save_rule(f, None, rule)).unwrap().0
}

fn by_rule(desk: &Desk, ticket: TicketId, rule: RuleId) -> usize {
    desk.ws().ticket_history(ticket).iter().filter(|entry| entry.actor == Actor::Rule(rule)).count()
}

/// A team of `n` available agents who speak Japanese; returns the team and its agents.
fn team_of(desk: &mut Desk, name: &str, n: usize, capacity: u32) -> (TeamId, Vec<AgentId>) {
    let admin = desk.admin;
    let team = desk.run(admin, |ws, f| ws.create_team(f, name, "")).unwrap().0;
    let agents = (0..n)
        .map(|i| {
            let mut new =
                NewAgent::new(format!("{name} {i}"), format!("{name}{i}@example.com").to_lowercase(), Role::Agent);
            new.teams = BTreeSet::from([team]);
            new.languages = BTreeSet::from(["ja".to_owned()]);
            new.capacity = capacity;
            desk.run(admin, |ws, f| ws.create_agent(f, new)).unwrap().0
        })
        .collect();
    (team, agents)
}

#[test]
fn a_trigger_acts_on_new_tickets_and_the_history_names_the_rule() {
    let mut desk = Desk::new();
    let id = save(
        &mut desk,
        Rule::new(
            "メールは高優先度",
            1,
            Trigger::Created,
            vec![Condition::Channel(Test::Is(Channel::Email))],
            vec![
                Action::SetPriority(Priority::High),
                Action::AddTag(tag("email")),
                Action::AddNote("自動: メールで受け付けました".into()),
            ],
        ),
    );
    let ticket = desk.open_ticket("請求書が届きません");
    let t = desk.ticket(ticket);
    assert_eq!(t.priority, Priority::High);
    assert!(t.tags.contains(&tag("email")));
    let note = t.messages.iter().find(|m| m.kind == MessageKind::InternalNote).expect("the rule's note");
    assert_eq!((note.author, note.body.as_str()), (Actor::Rule(id), "自動: メールで受け付けました"));
    assert_eq!(by_rule(&desk, ticket, id), 3, "priority, tag and note, each by the rule");

    // Updates are not creations: a later edit does not run the rule again.
    let agent = desk.agent;
    desk.run(agent, |ws, f| ws.edit_ticket(f, ticket, TicketEdit::Priority(Priority::Low))).unwrap();
    assert_eq!(desk.ticket(ticket).priority, Priority::Low);
    assert_eq!(by_rule(&desk, ticket, id), 3);
}

#[test]
fn rules_run_in_order_and_later_rules_see_what_earlier_ones_did() {
    let mut desk = Desk::new();
    // Listed first, but it only holds once the second rule has raised the priority.
    save(
        &mut desk,
        Rule::new(
            "高優先度には urgent",
            1,
            Trigger::CreatedOrUpdated,
            vec![Condition::Priority(Test::Above(Priority::Medium))],
            vec![Action::AddTag(tag("urgent"))],
        ),
    );
    save(
        &mut desk,
        Rule::new(
            "至急は高",
            2,
            Trigger::Created,
            vec![Condition::Text { field: TextField::Subject, text: "至急".into(), contains: true }],
            vec![Action::SetPriority(Priority::High)],
        ),
    );
    let urgent = desk.open_ticket("【至急】ログインできない");
    assert_eq!(desk.ticket(urgent).priority, Priority::High);
    assert!(desk.ticket(urgent).tags.contains(&tag("urgent")));
    let calm = desk.open_ticket("ログインできない");
    assert_eq!(desk.ticket(calm).priority, Priority::Medium);
    assert!(desk.ticket(calm).tags.is_empty());

    // "Changed to" holds for the update that makes the change, not for later ones.
    let critical = save(
        &mut desk,
        Rule::new(
            "緊急になったら",
            3,
            Trigger::Updated,
            vec![Condition::Priority(Test::ChangedTo(Priority::Critical))],
            vec![Action::AddNote("緊急に変わりました".into())],
        ),
    );
    let agent = desk.agent;
    desk.run(agent, |ws, f| ws.edit_ticket(f, calm, TicketEdit::Priority(Priority::Critical))).unwrap();
    assert_eq!(by_rule(&desk, calm, critical), 1);
    desk.run(agent, |ws, f| ws.add_tags(f, calm, &["later".into()])).unwrap();
    assert_eq!(by_rule(&desk, calm, critical), 1, "the priority did not change again");
}

#[test]
fn rules_that_undo_each_other_fire_once_each_and_stop() {
    let mut desk = Desk::new();
    let a_to_b = save(
        &mut desk,
        Rule::new(
            "a → b",
            1,
            Trigger::Updated,
            vec![Condition::Tag { tag: tag("a"), present: true }],
            vec![Action::RemoveTag(tag("a")), Action::AddTag(tag("b"))],
        ),
    );
    let b_to_a = save(
        &mut desk,
        Rule::new(
            "b → a",
            2,
            Trigger::Updated,
            vec![Condition::Tag { tag: tag("b"), present: true }],
            vec![Action::RemoveTag(tag("b")), Action::AddTag(tag("a"))],
        ),
    );
    let ticket = desk.open_ticket("ループ");
    let agent = desk.agent;
    desk.run(agent, |ws, f| ws.add_tags(f, ticket, &["a".into()])).unwrap();
    assert_eq!(by_rule(&desk, ticket, a_to_b), 2);
    assert_eq!(by_rule(&desk, ticket, b_to_a), 2);
    assert_eq!(desk.ticket(ticket).tags, BTreeSet::from([tag("a")]));
}

#[test]
fn round_robin_spreads_tickets_evenly_over_the_available_agents() {
    let mut desk = Desk::new();
    let (team, agents) = team_of(&mut desk, "Billing", 3, 100);
    let admin = desk.admin;
    // One is away: round-robin skips them.
    desk.run(admin, |ws, f| ws.update_agent(f, agents[2], AgentField::Available(false))).unwrap();
    save(
        &mut desk,
        Rule::new(
            "請求は順番に",
            1,
            Trigger::Created,
            vec![],
            vec![Action::Assign { team: Some(team), method: AssignMethod::RoundRobin }],
        ),
    );
    let tickets: Vec<TicketId> = (0..30).map(|i| desk.open_ticket(&format!("請求 {i}"))).collect();
    let count = |agent: AgentId| tickets.iter().filter(|t| desk.ticket(**t).assignee == Some(agent)).count();
    assert_eq!((count(agents[0]), count(agents[1]), count(agents[2])), (15, 15, 0));
    // Strictly alternating: round-robin, not "whoever has fewer".
    let first: Vec<Option<AgentId>> = tickets[..4].iter().map(|t| desk.ticket(*t).assignee).collect();
    assert_eq!(first[0], first[2]);
    assert_ne!(first[0], first[1]);
    assert!(tickets.iter().all(|t| desk.ticket(*t).team == Some(team) && desk.ticket(*t).status == Status::Assigned));
}

#[test]
fn least_loaded_respects_capacity_and_skills_match_category_and_language() {
    let mut desk = Desk::new();
    let (team, agents) = team_of(&mut desk, "Support", 2, 2);
    let admin = desk.admin;
    desk.run(admin, |ws, f| ws.update_agent(f, agents[1], AgentField::Capacity(4))).unwrap();
    save(
        &mut desk,
        Rule::new(
            "負荷で",
            1,
            Trigger::Created,
            vec![],
            vec![Action::Assign { team: Some(team), method: AssignMethod::LeastLoaded }],
        ),
    );
    let tickets: Vec<TicketId> = (0..7).map(|i| desk.open_ticket(&format!("問い合わせ {i}"))).collect();
    let count =
        |desk: &Desk, agent: AgentId| tickets.iter().filter(|t| desk.ticket(**t).assignee == Some(agent)).count();
    assert_eq!((count(&desk, agents[0]), count(&desk, agents[1])), (2, 4), "each up to their capacity");
    assert_eq!(desk.ticket(tickets[6]).assignee, None, "nobody has room for the seventh");

    // Skills: only the agent with the category as a skill and the language gets it.
    let mut desk = Desk::new();
    let (team, agents) = team_of(&mut desk, "Tech", 3, 50);
    let admin = desk.admin;
    let skills = BTreeSet::from(["技術的な問題".to_owned()]);
    desk.run(admin, |ws, f| ws.update_agent(f, agents[1], AgentField::Skills(skills.clone()))).unwrap();
    desk.run(admin, |ws, f| ws.update_agent(f, agents[2], AgentField::Skills(skills))).unwrap();
    desk.run(admin, |ws, f| ws.update_agent(f, agents[2], AgentField::Languages(BTreeSet::from(["en".to_owned()]))))
        .unwrap();
    save(
        &mut desk,
        Rule::new(
            "技術はスキルで",
            1,
            Trigger::Updated,
            vec![],
            vec![Action::Assign { team: Some(team), method: AssignMethod::Skills }],
        ),
    );
    let ticket = desk.open_ticket("エラーが出ます");
    let (agent, category) = (desk.agent, desk.category);
    desk.run(agent, |ws, f| ws.edit_ticket(f, ticket, TicketEdit::Language(Some("ja-JP".into())))).unwrap();
    desk.run(agent, |ws, f| ws.edit_ticket(f, ticket, TicketEdit::Category(Some(category)))).unwrap();
    assert_eq!(desk.ticket(ticket).assignee, Some(agents[1]), "the Japanese speaker with the skill");
}

/// Mon–Fri 09:00–18:00 in Tokyo, and a one-hour first reply target in business time.
fn sla_desk() -> Desk {
    let mut desk = Desk::new();
    let admin = desk.admin;
    let calendar = Calendar { name: "東京".into(), hours: WorkingHours::weekdays("Asia/Tokyo", 9 * 60, 18 * 60) };
    let calendar = desk.run(admin, |ws, f| ws.save_calendar(f, None, calendar)).unwrap().0;
    let policy = SlaPolicy {
        name: "標準".into(),
        order: 1,
        conditions: SlaConditions::default(),
        calendar: Some(calendar),
        first_reply: Some(Target { minutes: 60, business_hours: true }),
        next_reply: None,
        resolution: None,
        warn_at_percent: 75,
    };
    desk.run(admin, |ws, f| ws.save_sla_policy(f, None, policy)).unwrap();
    desk
}

fn tokyo(day: &str, hours: u64, minutes: u64) -> u64 {
    Zone::named("Asia/Tokyo").unwrap().instant(Date::parse(day).unwrap(), hours * HOUR_MS + minutes * MINUTE_MS)
}

#[test]
fn a_breach_escalates_once_even_when_two_browsers_run_the_timer() {
    let mut desk = sla_desk();
    let (specialists, experts) = team_of(&mut desk, "Specialists", 2, 10);
    let admin = desk.admin;
    let tiers = vec![
        EscalationTier { name: "専門チーム".into(), team: Some(specialists), agent: None },
        EscalationTier { name: "マネージャー".into(), team: None, agent: Some(admin) },
    ];
    desk.run(admin, |ws, f| ws.save_escalation(f, tiers)).unwrap();
    let breached = save(
        &mut desk,
        Rule::new(
            "SLA 違反はエスカレーション",
            1,
            Trigger::Timer(Timer::SlaBreached),
            vec![],
            vec![Action::Escalate, Action::AddTag(tag("sla-breached"))],
        ),
    );
    // A rule that runs on what the timer changed, as on any update.
    save(
        &mut desk,
        Rule::new(
            "エスカレーションは緊急",
            2,
            Trigger::Updated,
            vec![Condition::Tag { tag: tag("sla-breached"), present: true }],
            vec![Action::SetPriority(Priority::Critical)],
        ),
    );
    desk.now = tokyo("2026-01-09", 17, 30); // Friday
    let ticket = desk.open_ticket("至急対応してください");
    let mut other = desk.fork(ReplicaId(2));

    // Monday 09:20: 50 business minutes gone, nothing due.
    let monday = tokyo("2026-01-12", 9, 20);
    assert!(desk.replica.run_due_rules(monday).is_empty());
    // Monday 09:31: breached. Both browsers run the sweep before they hear from each other.
    let at = tokyo("2026-01-12", 9, 31);
    let here = desk.replica.run_due_rules(at);
    let there = other.replica.run_due_rules(at + 20_000);
    assert!(!here.is_empty());
    let ids = |ops: &[Op]| ops.iter().map(|op| op.id).collect::<Vec<_>>();
    assert_eq!(ids(&here), ids(&there), "the same cause gives the same op ids");
    desk.replica.receive(there.clone(), at + 30_000);
    other.replica.receive(here.clone(), at + 30_000);
    for replica in [&desk.replica, &other.replica] {
        let t = replica.workspace().summary(ticket).unwrap();
        assert_eq!(t.escalation, 1);
        assert_eq!(t.team, Some(specialists));
        assert!(experts.contains(&t.assignee.unwrap()));
        assert_eq!(t.priority, Priority::Critical);
        let fired =
            replica.workspace().ticket_history(ticket).iter().filter(|e| e.actor == Actor::Rule(breached)).count();
        assert_eq!(fired, 6, "fired, tier, team, assignee (and New → Assigned with it), tag: once each");
    }
    assert_eq!(desk.ws().summary(ticket), other.ws().summary(ticket));
    // Nothing is due again for the same breach.
    assert!(desk.replica.run_due_rules(at + 3_600_000).is_empty());

    // A manual escalation climbs to the manager; above the top there is nowhere to go.
    let agent = desk.agent;
    desk.run(agent, |ws, f| ws.escalate(f, ticket)).unwrap();
    assert_eq!(desk.ws().summary(ticket).unwrap().assignee, Some(admin));
    assert_eq!(desk.ws().summary(ticket).unwrap().escalation, 2);
    assert_eq!(desk.run(agent, |ws, f| ws.escalate(f, ticket)), Err(CommandError::EscalationTop));
}

#[test]
fn waiting_rules_fire_once_per_wait_and_only_where_they_apply() {
    let mut desk = Desk::new();
    let reminder = save(
        &mut desk,
        Rule::new(
            "保留 48 時間で解決",
            1,
            Trigger::Timer(Timer::HoursPending(48)),
            vec![],
            vec![Action::AddNote("お返事がないため解決にします".into()), Action::SetStatus(Status::Resolved)],
        ),
    );
    let waiting = desk.open_ticket("返事待ち");
    let open = desk.open_ticket("対応中");
    let (agent, admin) = (desk.agent, desk.admin);
    desk.run(agent, |ws, f| ws.assign(f, waiting, Some(admin))).unwrap();
    desk.status(waiting, Status::Pending).unwrap();
    let pending_since = desk.ws().summary(waiting).unwrap().status_changed_at;
    assert!(desk.replica.run_due_rules(pending_since + 47 * HOUR_MS).is_empty());
    let ops = desk.replica.run_due_rules(pending_since + 48 * HOUR_MS);
    assert_eq!(ops.len(), 3, "fired, note, status");
    assert_eq!(desk.ws().summary(waiting).unwrap().status, Status::Resolved);
    assert_eq!(desk.ws().summary(open).unwrap().status, Status::New, "not pending: not due");
    assert!(desk.replica.run_due_rules(pending_since + 100 * HOUR_MS).is_empty());
    assert_eq!(by_rule(&desk, waiting, reminder), 3);
}

#[test]
fn bad_rules_are_refused_with_what_to_change() {
    let mut desk = Desk::new();
    let admin = desk.admin;
    let mut check = |rule: Rule| desk.run(admin, |ws, f| ws.save_rule(f, None, rule)).map(|_| ());
    let ok = Rule::new("ok", 1, Trigger::Created, vec![], vec![Action::AddTag(tag("x"))]);
    assert_eq!(check(Rule { name: " ".into(), ..ok.clone() }), Err(RuleError::NoName.into()));
    assert_eq!(check(Rule { actions: vec![], ..ok.clone() }), Err(RuleError::NoActions.into()));
    assert_eq!(
        check(Rule { all: vec![Condition::Status(Test::Above(Status::New))], ..ok.clone() }),
        Err(RuleError::NotOrdered.into())
    );
    let timer = Rule { trigger: Trigger::Timer(Timer::HoursSinceCreated(4)), ..ok.clone() };
    assert_eq!(
        check(Rule { all: vec![Condition::Priority(Test::Changed)], ..timer.clone() }),
        Err(RuleError::ChangeOnTimer.into())
    );
    assert_eq!(
        check(Rule { trigger: Trigger::Timer(Timer::HoursPending(0)), ..ok.clone() }),
        Err(RuleError::HoursOutOfRange.into())
    );
    assert_eq!(check(Rule { actions: vec![Action::Escalate], ..ok.clone() }), Err(RuleError::NoEscalationTiers.into()));
    let ghost = TeamId::from_u128(77);
    assert_eq!(
        check(Rule { actions: vec![Action::SetTeam(Some(ghost))], ..ok.clone() }),
        Err(CommandError::NotFound(Missing::Team(ghost)))
    );
    assert_eq!(check(ok.clone()), Ok(()));
    let agent = desk.agent;
    assert!(matches!(desk.run(agent, |ws, f| ws.save_rule(f, None, ok)), Err(CommandError::Forbidden(_))));
}

#[test]
fn the_preview_shows_which_conditions_hold_and_what_each_action_would_do() {
    let mut desk = Desk::new();
    let ticket = desk.open_ticket("請求書の再発行");
    let probe = Rule {
        any: vec![Condition::Channel(Test::Is(Channel::Phone)), Condition::Tier(Test::Is(Tier::Standard))],
        ..Rule::new(
            "試し",
            1,
            Trigger::Updated,
            vec![Condition::Text { field: TextField::Subject, text: "請求".into(), contains: true }],
            vec![
                Action::SetStatus(Status::Assigned),
                Action::SetPriority(Priority::High),
                Action::SetPriority(Priority::High),
            ],
        )
    };
    let preview = desk.ws().preview_rule(&probe, ticket, desk.now).unwrap();
    assert_eq!((preview.all, preview.any, preview.fires), (vec![true], vec![false, true], true));
    assert_eq!(
        preview.actions,
        vec![
            // Assigned needs an assignee first.
            Outcome::Skipped(Skipped::NotAllowed { from: Status::New, to: Status::Assigned }),
            Outcome::Changes(vec![TicketOp::Set(TicketField::Priority(Priority::High))]),
            Outcome::Skipped(Skipped::NoChange),
        ]
    );
    // The preview changes nothing.
    assert_eq!(desk.ticket(ticket).priority, Priority::Medium);
}

#[test]
fn assignments_mentions_and_notify_actions_reach_the_agent_but_not_their_own_doing() {
    let mut desk = Desk::new();
    let (agent, admin) = (desk.agent, desk.admin);
    let told = save(
        &mut desk,
        Rule::new(
            "新着を知らせる",
            1,
            Trigger::Created,
            vec![],
            vec![Action::Notify { to: Recipient::Agent(agent), message: "新しい問い合わせです".into() }],
        ),
    );
    let kinds = |desk: &Desk, from: usize, who: AgentId| {
        notify::from_ops(&desk.log[from..], who).into_iter().map(|n| (n.kind, n.by)).collect::<Vec<_>>()
    };
    let before = desk.log.len();
    let ticket = desk.open_ticket("通知のテスト");
    assert_eq!(kinds(&desk, before, agent), vec![(NotificationKind::Mentioned, Actor::Rule(told))]);
    assert_eq!(desk.ticket(ticket).messages[0].mentions, vec![agent]);

    let before = desk.log.len();
    desk.run(admin, |ws, f| ws.assign(f, ticket, Some(agent))).unwrap();
    assert_eq!(kinds(&desk, before, agent), vec![(NotificationKind::Assigned, Actor::Agent(admin))]);
    assert_eq!(kinds(&desk, before, admin), vec![]);
    let before = desk.log.len();
    desk.run(admin, |ws, f| ws.assign(f, ticket, None)).unwrap();
    desk.run(agent, |ws, f| ws.claim(f, ticket)).unwrap();
    assert_eq!(kinds(&desk, before, agent), vec![], "taking a ticket yourself is no news");

    let before = desk.log.len();
    let body = format!("@{} 確認お願いします", desk.ws().agent(agent).unwrap().profile.handle);
    desk.run(admin, |ws, f| ws.add_message(f, ticket, NewMessage::new(MessageKind::InternalNote, body))).unwrap();
    let notes = notify::from_ops(&desk.log[before..], agent);
    assert_eq!(notes.iter().map(|n| n.kind).collect::<Vec<_>>(), vec![NotificationKind::Mentioned]);
    // The key is the op's: the same op seen twice is one notification.
    assert_eq!(notes, notify::from_ops(&desk.log[before..], agent));
}

#[test]
fn sla_alerts_warn_then_breach_for_the_assignee_only() {
    let mut desk = sla_desk();
    let (agent, admin) = (desk.agent, desk.admin);
    desk.now = tokyo("2026-01-12", 9, 0);
    let ticket = desk.open_ticket("至急");
    desk.run(admin, |ws, f| ws.assign(f, ticket, Some(agent))).unwrap();
    let book = SlaBook::new(desk.ws().settings());
    let alerts = |at: u64, who: AgentId| {
        notify::sla_alerts(desk.ws(), &book, who, at).into_iter().map(|n| n.kind).collect::<Vec<_>>()
    };
    assert_eq!(alerts(tokyo("2026-01-12", 9, 30), agent), vec![]);
    assert_eq!(alerts(tokyo("2026-01-12", 9, 50), agent), vec![NotificationKind::SlaWarning(Metric::FirstReply)]);
    assert_eq!(alerts(tokyo("2026-01-12", 10, 5), agent), vec![NotificationKind::SlaBreached(Metric::FirstReply)]);
    assert_eq!(alerts(tokyo("2026-01-12", 10, 5), admin), vec![], "not their ticket");
    let key = |at| notify::sla_alerts(desk.ws(), &book, agent, at)[0].key.clone();
    assert_eq!(key(tokyo("2026-01-12", 10, 5)), key(tokyo("2026-01-12", 11, 0)), "one breach, one key");
}

#[test]
fn an_applied_sla_policy_wins_over_the_policies_conditions() {
    let mut desk = sla_desk();
    let admin = desk.admin;
    let vip = SlaPolicy {
        name: "VIP".into(),
        order: 9,
        conditions: SlaConditions { priorities: [Priority::Critical].into(), ..Default::default() },
        calendar: None,
        first_reply: Some(Target { minutes: 15, business_hours: false }),
        next_reply: None,
        resolution: None,
        warn_at_percent: 75,
    };
    let vip = desk.run(admin, |ws, f| ws.save_sla_policy(f, None, vip)).unwrap().0;
    save(
        &mut desk,
        Rule::new(
            "請求は VIP 扱い",
            1,
            Trigger::Created,
            vec![Condition::Text { field: TextField::Subject, text: "請求".into(), contains: true }],
            vec![Action::ApplySla(Some(vip))],
        ),
    );
    let billing = desk.open_ticket("請求の件");
    let other = desk.open_ticket("その他");
    let book = SlaBook::new(desk.ws().settings());
    let policy = |id| desk.ws().sla_state(&book, desk.ws().summary(id).unwrap(), desk.now).unwrap().policy;
    assert_eq!(policy(billing), vip);
    assert_ne!(policy(other), vip, "the first matching policy, as before");
}

#[test]
fn the_schedule_finds_what_a_full_scan_finds_in_steps_within_budget() {
    use helpdesk_core::rules::TimerSchedule;
    let mut desk = sla_desk();
    for (name, timer, tag_text) in [
        ("warn", Timer::SlaWarning, "warned"),
        ("breach", Timer::SlaBreached, "breached"),
        ("pending", Timer::HoursPending(2), "waited"),
    ] {
        save(&mut desk, Rule::new(name, 1, Trigger::Timer(timer), vec![], vec![Action::AddTag(tag(tag_text))]));
    }
    let agent = desk.agent;
    let mut tickets = Vec::new();
    for i in 0..24u64 {
        desk.now = tokyo("2026-01-12", 9, 0) + i * 11 * MINUTE_MS;
        let id = desk.open_ticket(&format!("問い合わせ {i}"));
        if i % 3 == 0 {
            desk.run(agent, |ws, f| ws.claim(f, id)).unwrap();
            desk.status(id, Status::Pending).unwrap();
        }
        tickets.push(id);
    }
    let mut schedule = TimerSchedule::default();
    let mut fired = 0;
    let start = desk.now;
    for step in 0..80u64 {
        let now = start + step * 7 * MINUTE_MS;
        if step == 40 {
            // A change in between: the schedule notices it.
            desk.now = now;
            desk.message(tickets[1], MessageKind::Customer, "まだですか").unwrap();
            // And one put on hold: its "waited" timer comes due two hours on.
            desk.run(agent, |ws, f| ws.claim(f, tickets[4])).unwrap();
            desk.status(tickets[4], Status::Pending).unwrap();
        }
        let mut full_clock = desk.replica.clock().clone();
        let mut full: Vec<OpId> = desk.ws().rule_ops_due(&mut full_clock, now).iter().map(|op| op.id).collect();
        let mut clock = desk.replica.clock().clone();
        let mut stepped = Vec::new();
        loop {
            let (ops, complete) = desk.ws().rule_ops_scheduled(&mut schedule, &mut clock, now, 5);
            // Each step applies before the next, as the app commits each step.
            stepped.extend(ops.iter().map(|op| op.id));
            desk.replica.receive(ops, now);
            if complete {
                break;
            }
        }
        full.sort_unstable();
        stepped.sort_unstable();
        assert_eq!(stepped, full, "step {step}");
        fired += stepped.len();
    }
    assert!(fired > 24, "warnings, breaches and waits fired: {fired}");
    for id in &tickets {
        let tags = &desk.ws().summary(*id).unwrap().tags;
        // Tickets already breached at the first step skip the warning.
        assert!(["warned", "breached", "waited"].iter().any(|t| tags.contains(&tag(t))), "{tags:?}");
    }

    // The workspace replaced under the schedule (an import), with one ticket the old one did not
    // have and whose timers have not fired: the schedule finds it, though the new workspace has
    // seen far fewer changes than the old one.
    let mut replaced =
        Workspace::restore(desk.ws().doc_keys().filter_map(|doc| desk.ws().snapshot(doc)).collect::<Vec<_>>());
    let mut newcomer = desk.ws().summary(tickets[0]).unwrap().clone();
    newcomer.id = TicketId::from_u128(0xfeed);
    newcomer.number = 999;
    newcomer.timers_fired.clear();
    newcomer.tags.clear();
    replaced.restore_snapshot(DocSnapshot::Ticket(Box::new(newcomer)));
    let now = start + 81 * 7 * MINUTE_MS;
    let full = replaced.rule_ops_due(&mut desk.replica.clock().clone(), now);
    assert!(full.iter().any(|op| op.doc() == DocKey::Ticket(TicketId::from_u128(0xfeed))), "due on the newcomer");
    let mut clock = desk.replica.clock().clone();
    let mut stepped = Vec::new();
    loop {
        let (ops, complete) = replaced.rule_ops_scheduled(&mut schedule, &mut clock, now, 5);
        stepped.extend(ops.iter().map(|op| op.id));
        if complete {
            break;
        }
    }
    let mut full: Vec<OpId> = full.iter().map(|op| op.id).collect();
    full.sort_unstable();
    stepped.sort_unstable();
    assert_eq!(stepped, full, "after the workspace was replaced");
}

#[test]
fn a_customers_new_tier_reaches_the_schedule_without_a_change_to_their_tickets() {
    use helpdesk_core::rules::TimerSchedule;
    let mut desk = sla_desk();
    let (admin, customer) = (desk.admin, desk.customer);
    let calendar = *desk.ws().settings().calendars.keys().next().unwrap();
    let vip = SlaPolicy {
        name: "VIP".into(),
        order: 0,
        conditions: SlaConditions { tiers: [Tier::Vip].into(), ..Default::default() },
        calendar: Some(calendar),
        first_reply: Some(Target { minutes: 10, business_hours: true }),
        next_reply: None,
        resolution: None,
        warn_at_percent: 75,
    };
    desk.run(admin, |ws, f| ws.save_sla_policy(f, None, vip)).unwrap();
    save(
        &mut desk,
        Rule::new("breach", 1, Trigger::Timer(Timer::SlaBreached), vec![], vec![Action::AddTag(tag("breached"))]),
    );
    desk.now = tokyo("2026-01-12", 10, 0);
    let id = desk.open_ticket("至急の問い合わせ");

    // Planned as a standard ticket: its first reply is due at 11:00.
    let mut schedule = TimerSchedule::default();
    let mut clock = desk.replica.clock().clone();
    let step = |desk: &Desk, schedule: &mut TimerSchedule, clock: &mut helpdesk_core::Clock, now| {
        let (ops, complete) = desk.ws().rule_ops_scheduled(schedule, clock, now, 100);
        assert!(complete);
        ops
    };
    assert!(step(&desk, &mut schedule, &mut clock, tokyo("2026-01-12", 10, 1)).is_empty());

    // The customer becomes VIP: the ticket's first reply is now due at 10:10, and the schedule
    // knows though the ticket itself did not change.
    desk.now = tokyo("2026-01-12", 10, 2);
    desk.run(admin, |ws, f| ws.update_customer(f, customer, CustomerField::Tier(Tier::Vip))).unwrap();
    let now = tokyo("2026-01-12", 10, 15);
    let full = desk.ws().rule_ops_due(&mut desk.replica.clock().clone(), now);
    assert!(full.iter().any(|op| op.doc() == DocKey::Ticket(id)), "a full scan finds the breach");
    let stepped = step(&desk, &mut schedule, &mut clock, now);
    assert_eq!(
        stepped.iter().map(|op| op.id).collect::<Vec<_>>(),
        full.iter().map(|op| op.id).collect::<Vec<_>>(),
        "the schedule finds the same breach"
    );
    desk.replica.receive(stepped, now);

    // Many customers made VIP at once (an import): the schedule starts over instead, and finds
    // the same breaches as a full scan.
    desk.now = tokyo("2026-01-12", 13, 0);
    let mut many = Vec::new();
    for n in 0..9 {
        let new = NewCustomer { name: format!("顧客 {n}"), ..Default::default() };
        let (id, _) = desk.run(admin, |ws, f| ws.create_customer(f, new)).unwrap();
        let agent = desk.agent;
        desk.run(agent, |ws, f| ws.create_ticket(f, NewTicket::new("急ぎ", "本文", id, Channel::Email))).unwrap();
        many.push(id);
    }
    assert!(step(&desk, &mut schedule, &mut clock, tokyo("2026-01-12", 13, 1)).is_empty());
    desk.now = tokyo("2026-01-12", 13, 2);
    for id in many {
        desk.run(admin, |ws, f| ws.update_customer(f, id, CustomerField::Tier(Tier::Vip))).unwrap();
    }
    let now = tokyo("2026-01-12", 13, 15);
    let full = desk.ws().rule_ops_due(&mut desk.replica.clock().clone(), now);
    assert!(full.len() >= 9, "a full scan finds the nine breaches: {}", full.len());
    let stepped = step(&desk, &mut schedule, &mut clock, now);
    let ids = |ops: &[Op]| {
        let mut ids: Vec<OpId> = ops.iter().map(|op| op.id).collect();
        ids.sort_unstable();
        ids
    };
    assert_eq!(ids(&stepped), ids(&full), "the schedule finds the same breaches");
}

#[test]
fn agent_loads_follow_every_change_and_a_restore() {
    let mut desk = Desk::new();
    let (agent, admin) = (desk.agent, desk.admin);
    let tickets: Vec<TicketId> = (0..12).map(|i| desk.open_ticket(&format!("負荷 {i}"))).collect();
    for (i, id) in tickets.iter().enumerate() {
        let to = if i % 3 == 0 { admin } else { agent };
        desk.run(admin, |ws, f| ws.assign(f, *id, Some(to))).unwrap();
    }
    desk.status(tickets[1], Status::Resolved).unwrap();
    desk.status(tickets[2], Status::Resolved).unwrap();
    desk.message(tickets[2], MessageKind::Customer, "まだ直っていません").unwrap(); // reopens
    desk.run(admin, |ws, f| ws.assign(f, tickets[4], None)).unwrap();
    desk.run(admin, |ws, f| ws.assign(f, tickets[5], Some(admin))).unwrap();
    let recount =
        |ws: &Workspace, who: AgentId| ws.tickets().filter(|t| t.assignee == Some(who) && t.is_open()).count();
    for who in [agent, admin] {
        assert_eq!(desk.ws().open_tickets_of_agent(who), recount(desk.ws(), who));
    }
    assert_eq!(desk.ws().open_tickets_of_agent(agent), 5);
    // A workspace restored from snapshots counts the same.
    let restored =
        Workspace::restore(desk.ws().doc_keys().filter_map(|doc| desk.ws().snapshot(doc)).collect::<Vec<_>>());
    for who in [agent, admin] {
        assert_eq!(restored.agent_load(who), desk.ws().agent_load(who));
    }
    assert!(desk.ws().agent_load(admin).last_assigned > desk.ws().agent_load(agent).last_assigned);
}

#[test]
fn each_breached_target_fires_the_breach_rule_once() {
    let mut desk = sla_desk();
    let admin = desk.admin;
    let policy = desk.ws().settings().sla_policies.keys().next().copied().unwrap();
    let mut both = desk.ws().settings().sla_policies[&policy].clone();
    both.resolution = Some(Target { minutes: 120, business_hours: true });
    desk.run(admin, |ws, f| ws.save_sla_policy(f, Some(policy), both)).unwrap();
    let breach = save(
        &mut desk,
        Rule::new(
            "breach note",
            1,
            Trigger::Timer(Timer::SlaBreached),
            vec![],
            vec![Action::AddNote("期限切れ".into())],
        ),
    );
    desk.now = tokyo("2026-01-12", 9, 0);
    let ticket = desk.open_ticket("二つの目標");
    let at = tokyo("2026-01-12", 11, 30); // first reply due 10:00, resolution 11:00: both breached
    let mut fired = 0;
    for step in 0..3 {
        let ops = desk.replica.run_due_rules(at + step * 30_000);
        fired += ops
            .iter()
            .filter(|op| matches!(op.payload, Payload::Ticket { op: TicketOp::TimerFired { .. }, .. }))
            .count();
    }
    assert_eq!(fired, 2, "one per breached target");
    let notes = desk.ticket(ticket).messages.iter().filter(|m| m.author == Actor::Rule(breach)).count();
    assert_eq!(notes, 2);
}
