//! Notifications for one agent: a ticket assigned to them by someone else (a colleague or a
//! rule), a mention in a note or reply (rules' notify actions are notes that mention), and an
//! SLA target of one of their tickets that is due soon or breached.
//!
//! Assignments and mentions come from ops as they are committed ([`from_ops`]); SLA alerts from
//! the state at an instant ([`sla_alerts`]). Every notification has a stable key, so a browser
//! that sees the same op or the same alert twice keeps one.

use serde::{Deserialize, Serialize};

use crate::id::{AgentId, TicketId};
use crate::model::Actor;
use crate::op::{Op, Payload, TicketField, TicketOp};
use crate::sla::{Metric, MetricStatus, SlaBook};
use crate::workspace::Workspace;

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    Assigned,
    Mentioned,
    SlaWarning(Metric),
    SlaBreached(Metric),
}

/// One notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    /// Stable identity: the op's id, or the ticket, target and due instant of an SLA alert.
    pub key: String,
    pub ticket: TicketId,
    pub kind: NotificationKind,
    /// Who caused it (`System` for SLA alerts).
    pub by: Actor,
    pub at_ms: u64,
}

/// The notifications `ops` (just committed) hold for `me`. Nobody is notified of their own doing.
pub fn from_ops(ops: &[Op], me: AgentId) -> Vec<Notification> {
    let mine = Actor::Agent(me);
    ops.iter()
        .filter(|op| op.actor != mine)
        .filter_map(|op| {
            let Payload::Ticket { ticket, op: ticket_op } = &op.payload else { return None };
            let kind = match ticket_op {
                TicketOp::Set(TicketField::Assignee(Some(agent))) if *agent == me => NotificationKind::Assigned,
                TicketOp::Create(draft) if draft.assignee == Some(me) => NotificationKind::Assigned,
                TicketOp::AddMessage(message) if message.mentions.contains(&me) && message.author != mine => {
                    NotificationKind::Mentioned
                }
                _ => return None,
            };
            Some(Notification { key: op.id.to_string(), ticket: *ticket, kind, by: op.actor, at_ms: op.ts.ms })
        })
        .collect()
}

/// SLA targets of `me`'s open tickets that are due soon or breached at `now`, one per target and
/// state (a target that warns and then breaches gives two).
pub fn sla_alerts(ws: &Workspace, book: &SlaBook, me: AgentId, now: u64) -> Vec<Notification> {
    if book.is_empty() {
        return Vec::new();
    }
    let mut alerts = Vec::new();
    for ticket in ws.open_tickets_assigned_to(me) {
        let Some(state) = ws.sla_state(book, ticket, now) else { continue };
        for metric in state.metrics.iter().filter(|m| m.is_running()) {
            let (kind, at) = match (metric.status, metric.warn_at, metric.due_at) {
                (MetricStatus::Warning, Some(at), _) => (NotificationKind::SlaWarning(metric.metric), at),
                (MetricStatus::Breached, _, Some(at)) => (NotificationKind::SlaBreached(metric.metric), at),
                _ => continue,
            };
            let state = if matches!(kind, NotificationKind::SlaWarning(_)) { "warning" } else { "breached" };
            alerts.push(Notification {
                key: format!("sla:{}:{}:{state}:{at}", ticket.id, metric.metric.as_str()),
                ticket: ticket.id,
                kind,
                by: Actor::System,
                at_ms: at,
            });
        }
    }
    alerts
}
