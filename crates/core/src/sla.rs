//! Service-level agreements: policies with reply and resolution targets, and the SLA state of a
//! ticket derived from what happened to it.
//!
//! A policy applies to the tickets its conditions match (priority, category, customer tier,
//! channel; an empty condition matches anything); policies are tried in their order and the first
//! match wins. Each policy has up to three targets, in business hours of a calendar or in calendar
//! time, modelled on Zendesk's metric definitions:
//!
//! - **First reply**: from creation to the first *public* reply by an agent (internal notes do not
//!   count).
//! - **Next reply**: after the first reply, from the oldest customer message not yet answered to
//!   the next public reply.
//! - **Resolution**: time spent open until resolved. The clock stops while the ticket is Pending
//!   (waiting on the customer) and once Resolved; a customer reply or a reopen starts it again.
//!
//! The state is computed from the ticket's summary (which the op fold keeps: reply times, the
//! periods the clock was stopped) and the current settings, at an instant passed in. Nothing is
//! stored, so every replica computes the same state from the same ops, offline work included.
//! A policy or calendar edit re-evaluates tickets under the new terms, as a team changing its
//! promises expects for the tickets still open.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::enum_set::{EnumSet, SetMember};
use crate::id::{CalendarId, CategoryId, SlaPolicyId};
use crate::model::{Channel, Priority, Tier};
use crate::settings::Settings;
use crate::ticket::TicketSummary;
use crate::time::MINUTE_MS;
use crate::time::business::{BusinessClock, HoursError, WorkingHours};

/// A named business calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    pub name: String,
    pub hours: WorkingHours,
}

/// Targets for the tickets a policy's conditions match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaPolicy {
    pub name: String,
    /// Policies are tried in ascending order (ties by id); the first that matches applies.
    pub order: u32,
    pub conditions: SlaConditions,
    /// The calendar of targets counted in business hours.
    pub calendar: Option<CalendarId>,
    pub first_reply: Option<Target>,
    pub next_reply: Option<Target>,
    pub resolution: Option<Target>,
    /// A running target turns to warning once this share of it (percent) has elapsed.
    pub warn_at_percent: u8,
}

/// Which tickets a policy applies to; each non-empty set must contain the ticket's value.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SlaConditions {
    pub priorities: EnumSet<Priority>,
    pub categories: BTreeSet<CategoryId>,
    pub tiers: EnumSet<Tier>,
    pub channels: EnumSet<Channel>,
}

impl SlaConditions {
    pub fn matches(&self, ticket: &TicketSummary, tier: Tier) -> bool {
        fn allows<T: SetMember>(set: &EnumSet<T>, value: T) -> bool {
            set.is_empty() || set.contains(value)
        }
        allows(&self.priorities, ticket.priority)
            && (self.categories.is_empty() || ticket.category.is_some_and(|c| self.categories.contains(&c)))
            && allows(&self.tiers, tier)
            && allows(&self.channels, ticket.channel)
    }
}

/// A time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub minutes: u32,
    /// Counted in the policy calendar's working hours rather than around the clock.
    pub business_hours: bool,
}

impl Target {
    pub fn ms(self) -> u64 {
        u64::from(self.minutes) * MINUTE_MS
    }
}

/// What an SLA measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    FirstReply,
    NextReply,
    Resolution,
}

impl Metric {
    pub const ALL: [Metric; 3] = [Metric::FirstReply, Metric::NextReply, Metric::Resolution];

    pub fn as_str(self) -> &'static str {
        match self {
            Metric::FirstReply => "first_reply",
            Metric::NextReply => "next_reply",
            Metric::Resolution => "resolution",
        }
    }
}

/// Where a target stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricStatus {
    /// The clock runs and there is time left.
    Running,
    /// The clock runs and most of the time is gone (see [`SlaPolicy::warn_at_percent`]).
    Warning,
    /// The clock is stopped (Pending) within the target.
    Paused,
    /// Done within the target.
    Met,
    /// The target was exceeded, whether the work is done since or not.
    Breached,
}

impl MetricStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MetricStatus::Running => "running",
            MetricStatus::Warning => "warning",
            MetricStatus::Paused => "paused",
            MetricStatus::Met => "met",
            MetricStatus::Breached => "breached",
        }
    }
}

/// One target of a ticket at an instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetricState {
    pub metric: Metric,
    pub status: MetricStatus,
    pub target: Target,
    /// Time counted so far (business or calendar time as the target says), up to the instant
    /// asked about or to completion.
    pub elapsed_ms: u64,
    /// When the target is (or was) reached: in the future for a running clock, in the past for a
    /// breach; `None` while paused within the target, and once met.
    pub due_at: Option<u64>,
    /// When the warning share is (or was) reached, on the same terms as `due_at`.
    pub warn_at: Option<u64>,
    /// When the measured work was done (the reply, the resolution).
    pub completed_at: Option<u64>,
    /// Real time the clock has been stopped while waiting on the customer or resolved before a
    /// reopen (resolution only).
    pub paused_ms: u64,
}

impl MetricState {
    /// Target time left (negative once breached).
    pub fn remaining_ms(&self) -> i64 {
        self.target.ms() as i64 - self.elapsed_ms as i64
    }

    /// Whether the clock is running (the target can still change state without anyone acting).
    pub fn is_running(&self) -> bool {
        matches!(self.status, MetricStatus::Running | MetricStatus::Warning)
            || (self.status == MetricStatus::Breached && self.completed_at.is_none() && self.due_at.is_some())
    }
}

/// The SLA of one ticket at an instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SlaState {
    pub policy: SlaPolicyId,
    /// The targets the policy has that apply now, in [`Metric::ALL`] order.
    pub metrics: Vec<MetricState>,
}

impl SlaState {
    pub fn metric(&self, metric: Metric) -> Option<&MetricState> {
        self.metrics.iter().find(|state| state.metric == metric)
    }

    /// The target to show in a list: a breach still open first, then the running target due
    /// soonest, then whatever is left (paused, met, breached and done).
    pub fn headline(&self) -> Option<&MetricState> {
        let open_breach = self
            .metrics
            .iter()
            .filter(|m| m.status == MetricStatus::Breached && m.completed_at.is_none())
            .min_by_key(|m| m.due_at);
        let running = self.metrics.iter().filter(|m| m.is_running()).min_by_key(|m| m.due_at);
        open_breach.or(running).or_else(|| self.metrics.iter().max_by_key(|m| m.status))
    }

    /// The worst status of any target.
    pub fn worst(&self) -> Option<MetricStatus> {
        let rank = |status: MetricStatus| match status {
            MetricStatus::Breached => 4,
            MetricStatus::Warning => 3,
            MetricStatus::Running => 2,
            MetricStatus::Paused => 1,
            MetricStatus::Met => 0,
        };
        self.metrics.iter().map(|m| m.status).max_by_key(|&status| rank(status))
    }
}

/// Why a calendar or policy cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum SlaError {
    #[error(transparent)]
    Hours(#[from] HoursError),
    #[error("give the policy at least one target (first reply, next reply or resolution)")]
    NoTargets,
    #[error("a target must be at least one minute and at most a year")]
    TargetOutOfRange,
    #[error("targets in business hours need a calendar")]
    CalendarRequired,
    #[error("the warning must come between 1% and 99% of a target")]
    WarningOutOfRange,
}

/// Longest target accepted: a year of minutes.
pub const MAX_TARGET_MINUTES: u32 = 366 * 24 * 60;

impl SlaPolicy {
    /// Checks the targets (the calendar's existence is checked by the command).
    pub fn check(&self) -> Result<(), SlaError> {
        let targets = [self.first_reply, self.next_reply, self.resolution];
        if targets.iter().all(Option::is_none) {
            return Err(SlaError::NoTargets);
        }
        for target in targets.into_iter().flatten() {
            if target.minutes == 0 || target.minutes > MAX_TARGET_MINUTES {
                return Err(SlaError::TargetOutOfRange);
            }
            if target.business_hours && self.calendar.is_none() {
                return Err(SlaError::CalendarRequired);
            }
        }
        if !(1..=99).contains(&self.warn_at_percent) {
            return Err(SlaError::WarningOutOfRange);
        }
        Ok(())
    }
}

/// Time as a target counts it.
enum Counting<'a> {
    Calendar,
    Business(&'a BusinessClock),
}

impl Counting<'_> {
    fn between(&self, from: u64, to: u64) -> u64 {
        match self {
            Counting::Calendar => to.saturating_sub(from),
            Counting::Business(clock) => clock.between(from, to),
        }
    }

    fn add(&self, from: u64, amount: u64) -> Option<u64> {
        match self {
            Counting::Calendar => from.checked_add(amount),
            Counting::Business(clock) => clock.add(from, amount),
        }
    }
}

/// The policies and calendars of a workspace, checked and ordered once for evaluating many
/// tickets (a list, a timer pass over every open ticket).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SlaBook {
    policies: Vec<(SlaPolicyId, SlaPolicy)>,
    clocks: BTreeMap<CalendarId, BusinessClock>,
}

impl SlaBook {
    pub fn new(settings: &Settings) -> SlaBook {
        let mut policies: Vec<(SlaPolicyId, SlaPolicy)> =
            settings.sla_policies.iter().map(|(id, policy)| (*id, policy.clone())).collect();
        crate::sorting::sort_by_key(&mut policies, |(id, policy)| (policy.order, *id));
        // A calendar that no longer checks (say its zone left tzdata) is skipped; its targets
        // count calendar time rather than stopping.
        let clocks = crate::sorting::map_of(
            settings.calendars.iter().filter_map(|(id, calendar)| Some((*id, calendar.hours.check().ok()?))),
        );
        SlaBook { policies, clocks }
    }

    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }

    /// The working-hours clock of a calendar (`None` for a calendar that does not exist or check).
    pub fn clock(&self, calendar: CalendarId) -> Option<&BusinessClock> {
        self.clocks.get(&calendar)
    }

    /// The policy that applies to a ticket of a customer in `tier`.
    /// A policy applied by a rule wins while it exists; otherwise the first whose conditions match.
    pub fn policy_for(&self, ticket: &TicketSummary, tier: Tier) -> Option<(SlaPolicyId, &SlaPolicy)> {
        if let Some(applied) = ticket.sla_policy
            && let Some((id, policy)) = self.policies.iter().find(|(id, _)| *id == applied)
        {
            return Some((*id, policy));
        }
        self.policies
            .iter()
            .find(|(_, policy)| policy.conditions.matches(ticket, tier))
            .map(|(id, policy)| (*id, policy))
    }

    /// The SLA state of a ticket at `now`; `None` when no policy applies or the ticket was merged
    /// into another (whose SLA counts instead).
    pub fn evaluate(&self, ticket: &TicketSummary, tier: Tier, now: u64) -> Option<SlaState> {
        if ticket.merged_into.is_some() {
            return None;
        }
        let (id, policy) = self.policy_for(ticket, tier)?;
        let counting = |target: Target| match (target.business_hours, policy.calendar.and_then(|c| self.clocks.get(&c)))
        {
            (true, Some(clock)) => Counting::Business(clock),
            _ => Counting::Calendar,
        };
        let mut metrics = Vec::new();
        for metric in Metric::ALL {
            let target = match metric {
                Metric::FirstReply => policy.first_reply,
                Metric::NextReply => policy.next_reply,
                Metric::Resolution => policy.resolution,
            };
            let Some(target) = target else { continue };
            let Some(periods) = measured_periods(ticket, metric) else { continue };
            let state = measure(metric, target, policy.warn_at_percent, &periods, &counting(target), now);
            // A reply target the ticket was resolved without is not measured, unless it had
            // already been missed.
            if periods.unanswered_at_resolution && state.status != MetricStatus::Breached {
                continue;
            }
            metrics.push(state);
        }
        Some(SlaState { policy: id, metrics })
    }
}

/// The periods a target's clock ran, and how the measurement ended.
struct Periods {
    /// `[from, to)`; the last may be open-ended (the clock still runs).
    running: Vec<(u64, Option<u64>)>,
    completed_at: Option<u64>,
    /// The clock is stopped without the work being done (Pending).
    paused_since: Option<u64>,
    paused_ms: u64,
    unanswered_at_resolution: bool,
}

fn measured_periods(ticket: &TicketSummary, metric: Metric) -> Option<Periods> {
    let resolved = !ticket.status.is_open();
    let resolved_at = ticket.resolved_at.or(ticket.closed_at).unwrap_or(ticket.status_changed_at);
    let simple = |from: u64, to: Option<u64>| Periods {
        running: vec![(from, to)],
        completed_at: to,
        paused_since: None,
        paused_ms: 0,
        unanswered_at_resolution: false,
    };
    match metric {
        Metric::FirstReply => Some(match ticket.first_public_reply_at {
            Some(reply) => simple(ticket.created_at, Some(reply)),
            None if resolved => {
                Periods { unanswered_at_resolution: true, ..simple(ticket.created_at, Some(resolved_at)) }
            }
            None => simple(ticket.created_at, None),
        }),
        Metric::NextReply => {
            ticket.first_public_reply_at?;
            match ticket.awaiting_reply_since {
                Some(since) if resolved => {
                    Some(Periods { unanswered_at_resolution: true, ..simple(since, Some(resolved_at.max(since))) })
                }
                Some(since) => Some(simple(since, None)),
                None => ticket.last_reply_wait.map(|(since, reply)| simple(since, Some(reply))),
            }
        }
        Metric::Resolution => {
            let mut running = Vec::with_capacity(ticket.clock_stops.len() + 1);
            let mut from = ticket.created_at;
            let mut paused_ms = 0;
            for &(stop, restart) in &ticket.clock_stops {
                running.push((from, Some(stop)));
                paused_ms += restart.saturating_sub(stop);
                from = restart;
            }
            let (completed_at, paused_since) = match ticket.clock_stopped_since {
                None => (None, None),
                Some(stopped) => {
                    if resolved {
                        (Some(ticket.resolved_at.or(ticket.closed_at).unwrap_or(stopped)), None)
                    } else {
                        (None, Some(stopped))
                    }
                }
            };
            running.push((from, ticket.clock_stopped_since));
            Some(Periods { running, completed_at, paused_since, paused_ms, unanswered_at_resolution: false })
        }
    }
}

fn measure(
    metric: Metric,
    target: Target,
    warn_at_percent: u8,
    periods: &Periods,
    counting: &Counting<'_>,
    now: u64,
) -> MetricState {
    let target_ms = target.ms();
    let warn_ms = target_ms * u64::from(warn_at_percent) / 100;
    // Counted time up to `now` (or to completion), and the instants the counted time reaches the
    // warning and the target, projecting an open-ended last period into the future.
    let mut elapsed = 0u64;
    let mut reach = [None, None];
    let thresholds = [warn_ms, target_ms];
    let mut before = 0u64;
    for &(from, to) in &periods.running {
        let end = to.map_or(now, |to| to.min(now)).max(from);
        let counted = counting.between(from, end);
        for (slot, &threshold) in reach.iter_mut().zip(&thresholds) {
            if slot.is_none() {
                let within = to.map_or(u64::MAX, |to| counting.between(from, to));
                if before.saturating_add(within) >= threshold {
                    *slot = counting.add(from, threshold - before);
                }
            }
        }
        elapsed += counted;
        before += to.map_or(counted, |to| counting.between(from, to));
    }
    let [warn_at, due_at] = reach;
    // A finished measurement ends where its last period does (for resolution, where the clock
    // stopped, which is before the resolution when the ticket went Pending first).
    let end_point = match periods.completed_at {
        Some(_) => periods.running.last().and_then(|&(_, to)| to).unwrap_or(now),
        None => now,
    };
    let breached = due_at.is_some_and(|due| due < end_point);
    let status = if breached {
        MetricStatus::Breached
    } else if periods.completed_at.is_some() {
        MetricStatus::Met
    } else if periods.paused_since.is_some() {
        MetricStatus::Paused
    } else if warn_at.is_some_and(|warn| warn <= now) {
        MetricStatus::Warning
    } else {
        MetricStatus::Running
    };
    let paused_now = periods.paused_since.map_or(0, |since| now.saturating_sub(since));
    let shows_due = !matches!(status, MetricStatus::Met | MetricStatus::Paused);
    MetricState {
        metric,
        status,
        target,
        elapsed_ms: elapsed,
        due_at: due_at.filter(|_| shows_due),
        warn_at: warn_at.filter(|_| shows_due),
        completed_at: periods.completed_at,
        paused_ms: periods.paused_ms + paused_now,
    }
}
