//! A ticket's SLA at a glance: the target that matters most now, coloured by where it stands, with
//! the time left (or over). Re-evaluated as the clock ticks and whenever the workspace changes.

use helpdesk_core::TicketId;
use helpdesk_core::sla::{MetricState, MetricStatus};
use leptos::prelude::*;

use crate::i18n::SlaTexts;
use crate::platform::now_ms;
use crate::state::use_app_state;

/// The short words for a target's state: `due in 2h 15m`, `35m over`, `paused, 1h left`, `met`.
pub fn metric_summary(texts: &SlaTexts, metric: &MetricState, now: u64) -> String {
    let duration = texts.duration;
    match metric.status {
        MetricStatus::Running | MetricStatus::Warning => {
            (texts.due_in)(&duration(metric.due_at.map_or(0, |due| due.saturating_sub(now))))
        }
        MetricStatus::Breached if metric.is_running() => {
            (texts.over_by)(&duration(metric.due_at.map_or(0, |due| now.saturating_sub(due))))
        }
        MetricStatus::Breached => (texts.status_name)(MetricStatus::Breached).to_owned(),
        MetricStatus::Paused => (texts.paused_left)(&duration(metric.remaining_ms().max(0) as u64)),
        MetricStatus::Met => texts.met.to_owned(),
    }
}

/// The headline target of `ticket`'s SLA as a badge; nothing when no policy applies.
#[component]
pub fn SlaBadge(#[prop(into)] ticket: Signal<TicketId>) -> impl IntoView {
    let state = use_app_state();
    let headline = move || {
        let ticket = ticket.get();
        state.now.track();
        let book = state.sla.get();
        if book.is_empty() {
            return None;
        }
        let now = now_ms();
        state
            .with_workspace(|ws| {
                let summary = ws.summary(ticket)?;
                ws.sla_state(&book, summary, now)?.headline().cloned()
            })
            .flatten()
            .map(|metric| (metric, now))
    };
    move || {
        headline().map(|(metric, now)| {
            let texts = state.texts().sla;
            let words = metric_summary(texts, &metric, now);
            let label = (texts.cell_label)((texts.metric_name)(metric.metric), &words);
            view! {
                <span
                    class=format!("badge sla sla-{}", metric.status.as_str())
                    title=label.clone()
                    aria-label=label
                    data-sla=metric.status.as_str()
                >
                    {words}
                </span>
            }
        })
    }
}
