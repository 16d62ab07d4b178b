//! SLA scenarios modelled on Zendesk's metric definitions: first reply counts only a public agent
//! reply, next reply runs from the oldest unanswered customer message, resolution pauses while
//! Pending and resumes on a customer reply or reopen; targets in business hours of a Tokyo office
//! calendar (Mon–Fri 09:00–18:00, with the New Year holidays). The state is derived from the op
//! log, so a replica that receives offline work later computes the same state.

mod common;

use std::collections::BTreeMap;

use common::Desk;
use helpdesk_core::sla::{
    Calendar, Metric, MetricStatus, SlaBook, SlaConditions, SlaError, SlaPolicy, SlaState, Target,
};
use helpdesk_core::time::business::WorkingHours;
use helpdesk_core::time::{Date, HOUR_MS, MINUTE_MS, Zone};
use helpdesk_core::*;

/// A local time in Tokyo: "2026-01-05 09:30".
fn tokyo(text: &str) -> u64 {
    let (day, time) = text.split_once(' ').unwrap();
    let (h, m) = time.split_once(':').unwrap();
    let ms = h.parse::<u64>().unwrap() * HOUR_MS + m.parse::<u64>().unwrap() * MINUTE_MS;
    Zone::named("Asia/Tokyo").unwrap().instant(Date::parse(day).unwrap(), ms)
}

fn business(minutes: u32) -> Option<Target> {
    Some(Target { minutes, business_hours: true })
}

fn office_hours() -> Calendar {
    let mut hours = WorkingHours::weekdays("Asia/Tokyo", 9 * 60, 18 * 60);
    hours.holidays = BTreeMap::from([
        (Date::parse("2026-01-01").unwrap(), "元日".to_owned()),
        (Date::parse("2026-01-02").unwrap(), "年始休業".to_owned()),
    ]);
    Calendar { name: "東京オフィス".into(), hours }
}

fn policy(name: &str, order: u32, conditions: SlaConditions, calendar: CalendarId) -> SlaPolicy {
    SlaPolicy {
        name: name.into(),
        order,
        conditions,
        calendar: Some(calendar),
        first_reply: business(60),
        next_reply: business(120),
        resolution: business(8 * 60),
        warn_at_percent: 75,
    }
}

/// The fixture desk with the office calendar and one policy for every ticket.
fn desk_with_policy() -> (Desk, CalendarId) {
    let mut desk = Desk::new();
    let admin = desk.admin;
    let calendar = desk.run(admin, |ws, f| ws.save_calendar(f, None, office_hours())).unwrap().0;
    desk.run(admin, |ws, f| ws.save_sla_policy(f, None, policy("標準", 1, SlaConditions::default(), calendar)))
        .unwrap();
    (desk, calendar)
}

fn sla(desk: &Desk, ticket: TicketId, at: &str) -> SlaState {
    let book = SlaBook::new(desk.ws().settings());
    desk.ws().sla_state(&book, desk.ws().summary(ticket).unwrap(), tokyo(at)).expect("a policy applies")
}

fn metric(state: &SlaState, metric: Metric) -> (MetricStatus, u64, Option<u64>) {
    let m = state.metric(metric).unwrap_or_else(|| panic!("{metric:?} is measured"));
    (m.status, m.elapsed_ms / MINUTE_MS, m.due_at)
}

/// Moves the desk's clock to a Tokyo time and opens a ticket then.
fn ticket_at(desk: &mut Desk, at: &str) -> TicketId {
    desk.now = tokyo(at);
    desk.open_ticket("ログインできません")
}

fn at(desk: &mut Desk, when: &str) {
    desk.now = tokyo(when);
}

#[test]
fn first_reply_counts_business_hours_and_only_a_public_reply_stops_it() {
    let (mut desk, _) = desk_with_policy();
    // Opened on New Year's Day: the clock starts on Monday 5 January at 09:00 (2 January is the
    // office's holiday, then a weekend).
    let id = ticket_at(&mut desk, "2026-01-01 10:00");
    let state = sla(&desk, id, "2026-01-04 23:00");
    assert_eq!(metric(&state, Metric::FirstReply), (MetricStatus::Running, 0, Some(tokyo("2026-01-05 10:00"))));
    assert_eq!(state.metric(Metric::FirstReply).unwrap().warn_at, Some(tokyo("2026-01-05 09:45")));
    assert_eq!(state.metric(Metric::NextReply), None, "no next reply before the first");

    assert_eq!(metric(&sla(&desk, id, "2026-01-05 09:30"), Metric::FirstReply).0, MetricStatus::Running);
    at(&mut desk, "2026-01-05 09:40");
    desk.message(id, MessageKind::InternalNote, "調査中").unwrap();
    let state = sla(&desk, id, "2026-01-05 09:50");
    assert_eq!(metric(&state, Metric::FirstReply).0, MetricStatus::Warning, "an internal note is no reply");

    at(&mut desk, "2026-01-05 09:55");
    desk.message(id, MessageKind::PublicReply, "パスワードを再設定してください").unwrap();
    let state = sla(&desk, id, "2026-01-06 12:00");
    let first = state.metric(Metric::FirstReply).unwrap();
    assert_eq!((first.status, first.elapsed_ms / MINUTE_MS, first.due_at), (MetricStatus::Met, 55, None));
    assert_eq!(first.completed_at, Some(tokyo("2026-01-05 09:55")));
}

#[test]
fn a_missed_first_reply_stays_breached_after_the_reply() {
    let (mut desk, _) = desk_with_policy();
    let id = ticket_at(&mut desk, "2026-01-05 17:30");
    // 30 minutes on Monday, 30 on Tuesday: due Tuesday 09:30.
    let state = sla(&desk, id, "2026-01-06 09:45");
    assert_eq!(metric(&state, Metric::FirstReply), (MetricStatus::Breached, 75, Some(tokyo("2026-01-06 09:30"))));
    assert!(state.metric(Metric::FirstReply).unwrap().remaining_ms() < 0);
    assert_eq!(state.worst(), Some(MetricStatus::Breached));
    assert_eq!(state.headline().unwrap().metric, Metric::FirstReply);

    at(&mut desk, "2026-01-06 11:00");
    desk.message(id, MessageKind::PublicReply, "遅くなりました").unwrap();
    let first = sla(&desk, id, "2026-01-07 09:00").metric(Metric::FirstReply).cloned().unwrap();
    assert_eq!((first.status, first.elapsed_ms / MINUTE_MS), (MetricStatus::Breached, 150));
    assert_eq!(first.completed_at, Some(tokyo("2026-01-06 11:00")));
    assert_eq!(first.due_at, Some(tokyo("2026-01-06 09:30")), "when it was breached");
}

#[test]
fn next_reply_runs_from_the_oldest_unanswered_customer_message() {
    let (mut desk, _) = desk_with_policy();
    let id = ticket_at(&mut desk, "2026-01-05 09:00");
    at(&mut desk, "2026-01-05 09:10");
    desk.message(id, MessageKind::PublicReply, "ご連絡ありがとうございます").unwrap();
    at(&mut desk, "2026-01-05 13:00");
    desk.message(id, MessageKind::Customer, "まだ入れません").unwrap();
    at(&mut desk, "2026-01-05 14:00");
    desk.message(id, MessageKind::Customer, "至急お願いします").unwrap();
    desk.message(id, MessageKind::InternalNote, "エスカレーション検討").unwrap();

    let state = sla(&desk, id, "2026-01-05 14:30");
    assert_eq!(metric(&state, Metric::NextReply), (MetricStatus::Warning, 90, Some(tokyo("2026-01-05 15:00"))));
    at(&mut desk, "2026-01-05 14:45");
    desk.message(id, MessageKind::PublicReply, "再設定リンクを送りました").unwrap();
    let state = sla(&desk, id, "2026-01-05 16:00");
    assert_eq!(metric(&state, Metric::NextReply), (MetricStatus::Met, 105, None));

    // The next customer message starts a new measurement.
    at(&mut desk, "2026-01-05 17:00");
    desk.message(id, MessageKind::Customer, "入れました、別件ですが…").unwrap();
    let state = sla(&desk, id, "2026-01-06 10:00");
    assert_eq!(metric(&state, Metric::NextReply), (MetricStatus::Warning, 120, Some(tokyo("2026-01-06 10:00"))));
    assert_eq!(metric(&sla(&desk, id, "2026-01-06 10:01"), Metric::NextReply).0, MetricStatus::Breached);
}

#[test]
fn resolution_pauses_while_pending_and_resumes_on_the_customer_reply() {
    let (mut desk, _) = desk_with_policy();
    let agent = desk.agent;
    let id = ticket_at(&mut desk, "2026-01-05 09:00");
    desk.run(agent, |ws, f| ws.claim(f, id)).unwrap();
    at(&mut desk, "2026-01-05 11:00");
    desk.message(id, MessageKind::PublicReply, "ログを送っていただけますか").unwrap();
    desk.status(id, Status::Pending).unwrap();

    let state = sla(&desk, id, "2026-01-07 12:00");
    let resolution = state.metric(Metric::Resolution).unwrap();
    assert_eq!((resolution.status, resolution.elapsed_ms / MINUTE_MS), (MetricStatus::Paused, 120));
    assert_eq!(resolution.due_at, None, "no due time while the clock is stopped");
    // Pending from 11:00:01 (the status change came a second after the reply) to now.
    assert_eq!(resolution.paused_ms / MINUTE_MS, 49 * 60 - 1);

    at(&mut desk, "2026-01-07 12:00");
    desk.message(id, MessageKind::Customer, "ログを添付します").unwrap();
    assert_eq!(desk.ticket(id).status, Status::InProgress);
    let state = sla(&desk, id, "2026-01-07 13:00");
    let resolution = state.metric(Metric::Resolution).unwrap();
    assert_eq!((resolution.status, resolution.elapsed_ms / MINUTE_MS), (MetricStatus::Running, 180));
    // Eight business hours: two (and the second before the status change) on Monday, then the
    // rest from Wednesday 12:00: a second before 18:00.
    assert_eq!(resolution.due_at, Some(tokyo("2026-01-07 18:00") - 1000));
    assert_eq!(resolution.paused_ms / MINUTE_MS, 49 * 60 - 1, "the pause is over and stays on record");
    // The customer's reply is also a next-reply wait.
    assert_eq!(metric(&state, Metric::NextReply).0, MetricStatus::Running);

    at(&mut desk, "2026-01-07 15:00");
    desk.message(id, MessageKind::PublicReply, "修正しました").unwrap();
    desk.status(id, Status::Resolved).unwrap();
    let state = sla(&desk, id, "2026-01-20 09:00");
    let resolution = state.metric(Metric::Resolution).unwrap();
    assert_eq!((resolution.status, resolution.elapsed_ms / MINUTE_MS), (MetricStatus::Met, 300));
    assert_eq!(resolution.completed_at, Some(tokyo("2026-01-07 15:00") + 1000));
    // The first reply came two hours in, against a one-hour target.
    assert_eq!(metric(&state, Metric::FirstReply).0, MetricStatus::Breached);
    assert_eq!(state.worst(), Some(MetricStatus::Breached));
}

#[test]
fn a_reopened_ticket_resumes_its_resolution_clock() {
    let (mut desk, _) = desk_with_policy();
    let agent = desk.agent;
    let id = ticket_at(&mut desk, "2026-01-05 09:00");
    desk.run(agent, |ws, f| ws.claim(f, id)).unwrap();
    at(&mut desk, "2026-01-05 16:00");
    desk.message(id, MessageKind::PublicReply, "解決しました").unwrap();
    desk.status(id, Status::Resolved).unwrap();
    assert_eq!(metric(&sla(&desk, id, "2026-01-06 09:00"), Metric::Resolution).0, MetricStatus::Met);

    // The customer says it is not fixed on Thursday 10:00: seven hours were used, one is left.
    at(&mut desk, "2026-01-08 10:00");
    desk.message(id, MessageKind::Customer, "また起きました").unwrap();
    let state = sla(&desk, id, "2026-01-08 10:30");
    // (Resolved a second after the 16:00 reply, so the hour left ends a second early.)
    assert_eq!(
        metric(&state, Metric::Resolution),
        (MetricStatus::Warning, 7 * 60 + 30, Some(tokyo("2026-01-08 11:00") - 1000))
    );
    let state = sla(&desk, id, "2026-01-08 12:00");
    assert_eq!(metric(&state, Metric::Resolution).0, MetricStatus::Breached);
    assert_eq!(state.headline().unwrap().metric, Metric::Resolution);
}

#[test]
fn a_reply_target_the_ticket_was_resolved_without_is_not_measured() {
    let (mut desk, _) = desk_with_policy();
    let agent = desk.agent;
    let id = ticket_at(&mut desk, "2026-01-05 09:00");
    desk.run(agent, |ws, f| ws.claim(f, id)).unwrap();
    at(&mut desk, "2026-01-05 09:20");
    desk.status(id, Status::Resolved).unwrap();
    let state = sla(&desk, id, "2026-01-06 09:00");
    assert_eq!(state.metric(Metric::FirstReply), None, "resolved in time without a reply: not measured");
    assert_eq!(metric(&state, Metric::Resolution).0, MetricStatus::Met);

    // Resolved without a reply after the first-reply target had passed: that stays a breach.
    let late = ticket_at(&mut desk, "2026-01-05 10:00");
    desk.run(agent, |ws, f| ws.claim(f, late)).unwrap();
    at(&mut desk, "2026-01-05 12:00");
    desk.status(late, Status::Resolved).unwrap();
    assert_eq!(metric(&sla(&desk, late, "2026-01-06 09:00"), Metric::FirstReply).0, MetricStatus::Breached);
}

#[test]
fn the_first_matching_policy_applies() {
    let (mut desk, calendar) = desk_with_policy();
    let admin = desk.admin;
    let customer = desk.customer;
    let urgent = SlaConditions { priorities: [Priority::High, Priority::Critical].into(), ..Default::default() };
    let vip_phone =
        SlaConditions { tiers: [Tier::Vip].into(), channels: [Channel::Phone].into(), ..Default::default() };
    let (urgent_id, _) = desk
        .run(admin, |ws, f| {
            ws.save_sla_policy(f, None, SlaPolicy { first_reply: business(15), ..policy("緊急", 0, urgent, calendar) })
        })
        .unwrap();
    let (vip_id, _) =
        desk.run(admin, |ws, f| ws.save_sla_policy(f, None, policy("VIP電話", 0, vip_phone, calendar))).unwrap();
    let standard_id = *desk.ws().settings().sla_policies.iter().find(|(_, p)| p.name == "標準").unwrap().0;

    let id = ticket_at(&mut desk, "2026-01-05 09:00");
    assert_eq!(sla(&desk, id, "2026-01-05 09:00").policy, standard_id);
    desk.run(admin, |ws, f| ws.edit_ticket(f, id, TicketEdit::Priority(Priority::High))).unwrap();
    let state = sla(&desk, id, "2026-01-05 09:05");
    assert_eq!(state.policy, urgent_id, "a priority change moves the ticket to the policy that matches now");
    assert_eq!(state.metric(Metric::FirstReply).unwrap().due_at, Some(tokyo("2026-01-05 09:15")));

    // VIP phone tickets: only when both the tier and the channel match.
    desk.run(admin, |ws, f| ws.update_customer(f, customer, CustomerField::Tier(Tier::Vip))).unwrap();
    let phone = desk
        .run(admin, |ws, f| {
            ws.create_ticket(f, NewTicket::new("電話での問い合わせ", "折り返し希望", customer, Channel::Phone))
        })
        .unwrap()
        .0;
    assert_eq!(sla(&desk, phone, "2026-01-05 10:00").policy, vip_id);
    assert_eq!(sla(&desk, id, "2026-01-05 10:00").policy, urgent_id, "email: the VIP phone policy does not match");

    // Without any policy that matches, no SLA.
    desk.run(admin, |ws, f| ws.delete_sla_policy(f, standard_id)).unwrap();
    desk.run(admin, |ws, f| ws.edit_ticket(f, id, TicketEdit::Priority(Priority::Low))).unwrap();
    let book = SlaBook::new(desk.ws().settings());
    assert_eq!(desk.ws().sla_state(&book, desk.ws().summary(id).unwrap(), tokyo("2026-01-05 10:00")), None);
}

#[test]
fn calendar_time_targets_ignore_business_hours() {
    let (mut desk, calendar) = desk_with_policy();
    let admin = desk.admin;
    let standard_id = *desk.ws().settings().sla_policies.keys().next().unwrap();
    let around_the_clock = SlaPolicy {
        first_reply: Some(Target { minutes: 240, business_hours: false }),
        ..policy("標準", 1, SlaConditions::default(), calendar)
    };
    desk.run(admin, |ws, f| ws.save_sla_policy(f, Some(standard_id), around_the_clock)).unwrap();
    let id = ticket_at(&mut desk, "2026-01-03 22:00");
    let state = sla(&desk, id, "2026-01-04 01:00");
    assert_eq!(metric(&state, Metric::FirstReply), (MetricStatus::Warning, 180, Some(tokyo("2026-01-04 02:00"))));
    // The resolution target of the same policy still counts business hours: nothing yet on a Sunday.
    assert_eq!(metric(&state, Metric::Resolution), (MetricStatus::Running, 0, Some(tokyo("2026-01-05 17:00"))));
}

#[test]
fn offline_work_gives_the_same_sla_on_every_replica() {
    let (mut office, _) = desk_with_policy();
    let id = ticket_at(&mut office, "2026-01-05 09:00");
    let mut laptop = office.fork(ReplicaId(2));
    // The laptop answers offline at 09:30; the office only hears of it at 11:00.
    at(&mut laptop, "2026-01-05 09:30");
    let reply = laptop.message(id, MessageKind::PublicReply, "オフラインで回答").unwrap().1;
    let office_view_before = sla(&office, id, "2026-01-05 10:30");
    assert_eq!(
        metric(&office_view_before, Metric::FirstReply).0,
        MetricStatus::Breached,
        "the office does not know yet"
    );

    office.replica.receive(reply, tokyo("2026-01-05 11:00"));
    let on_office = sla(&office, id, "2026-01-05 11:00");
    let on_laptop = sla(&laptop, id, "2026-01-05 11:00");
    assert_eq!(on_office, on_laptop);
    assert_eq!(metric(&on_office, Metric::FirstReply), (MetricStatus::Met, 30, None));
}

#[test]
fn calendars_and_policies_are_checked_before_they_are_saved() {
    let (mut desk, calendar) = desk_with_policy();
    let (admin, agent) = (desk.admin, desk.agent);
    let save =
        |desk: &mut Desk, who: AgentId, policy: SlaPolicy| desk.run(who, |ws, f| ws.save_sla_policy(f, None, policy));

    let no_targets = SlaPolicy {
        first_reply: None,
        next_reply: None,
        resolution: None,
        ..policy("空", 2, SlaConditions::default(), calendar)
    };
    assert_eq!(save(&mut desk, admin, no_targets).unwrap_err(), CommandError::Sla(SlaError::NoTargets));
    let no_calendar = SlaPolicy { calendar: None, ..policy("営業時間", 2, SlaConditions::default(), calendar) };
    assert_eq!(save(&mut desk, admin, no_calendar).unwrap_err(), CommandError::Sla(SlaError::CalendarRequired));
    let zero = SlaPolicy { first_reply: business(0), ..policy("ゼロ", 2, SlaConditions::default(), calendar) };
    assert_eq!(save(&mut desk, admin, zero).unwrap_err(), CommandError::Sla(SlaError::TargetOutOfRange));
    let unknown = policy("不明", 2, SlaConditions::default(), CalendarId::from_u128(99));
    assert_eq!(
        save(&mut desk, admin, unknown).unwrap_err(),
        CommandError::NotFound(Missing::Calendar(CalendarId::from_u128(99)))
    );
    assert_eq!(
        save(&mut desk, agent, policy("代理", 2, SlaConditions::default(), calendar)).unwrap_err(),
        CommandError::Forbidden(Forbidden::AdminOnly),
        "SLA policies are the admins' promises"
    );

    let mut bad_hours = office_hours();
    bad_hours.hours.week[2] = vec![(13 * 60, 12 * 60)];
    assert!(matches!(
        desk.run(admin, |ws, f| ws.save_calendar(f, None, bad_hours)).unwrap_err(),
        CommandError::Sla(SlaError::Hours(_))
    ));
    assert_eq!(
        desk.run(admin, |ws, f| ws.delete_calendar(f, calendar)).unwrap_err(),
        CommandError::CalendarInUse { policy: "標準".into() }
    );
}
