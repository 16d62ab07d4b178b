//! The workspace settings document: name, default language, time zone, the ticket number blocks
//! each replica has claimed, the team's saved views, business calendars and SLA policies.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::id::{CalendarId, RuleId, SlaPolicyId, ViewId};
use crate::id_map::IdMap;
use crate::numbering::{ClaimedBlock, NumberBlock};
use crate::op::{Op, Payload, WorkspaceOp};
use crate::rules::{EscalationTier, Rule};
use crate::sla::{Calendar, SlaPolicy};

/// Workspace-wide settings, folded from `Workspace` ops.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Settings {
    pub name: String,
    /// `ja` or `en`: the language new agents start with.
    pub default_language: String,
    /// IANA time zone name (for example `Asia/Tokyo`) for dates and business hours.
    pub time_zone: String,
    /// Number blocks in claim order (timestamp, then op id).
    pub number_blocks: Vec<ClaimedBlock>,
    /// Saved views, each last-writer-wins on its own (two agents editing different views never
    /// conflict). Deleted views are gone from the map.
    pub views: IdMap<ViewId, SavedView>,
    /// Business calendars, each last-writer-wins on its own like views.
    pub calendars: IdMap<CalendarId, Calendar>,
    /// SLA policies, each last-writer-wins on its own; their `order` says which applies first.
    pub sla_policies: IdMap<SlaPolicyId, SlaPolicy>,
    /// Automation rules, each last-writer-wins on its own; their `order` says which runs first.
    pub rules: IdMap<RuleId, Rule>,
    /// The escalation ladder, lowest tier first (one value: a ladder is edited as a whole).
    pub escalation: Vec<EscalationTier>,
}

/// A named search the whole team sees in the navigation, with a live count. The query is kept as
/// typed, so `assignee:me` means whoever opens the view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedView {
    pub name: String,
    pub query: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SettingsField {
    Name(String),
    DefaultLanguage(String),
    TimeZone(String),
    /// Creates or replaces a saved view; `None` deletes it.
    View {
        id: ViewId,
        view: Option<SavedView>,
    },
    /// Creates or replaces a business calendar; `None` deletes it.
    /// (Boxed, like the policy: they dwarf the other settings and every op carries the enum.)
    Calendar {
        id: CalendarId,
        calendar: Option<Box<Calendar>>,
    },
    /// Creates or replaces an SLA policy; `None` deletes it.
    SlaPolicy {
        id: SlaPolicyId,
        policy: Option<Box<SlaPolicy>>,
    },
    /// Creates or replaces a rule; `None` deletes it.
    Rule {
        id: RuleId,
        rule: Option<Box<Rule>>,
    },
    /// Replaces the escalation ladder.
    Escalation(Vec<EscalationTier>),
}

impl Settings {
    /// Applies the next `Workspace` op in timestamp order.
    pub fn apply(&mut self, op: &Op) {
        let Payload::Workspace(workspace_op) = &op.payload else {
            return;
        };
        match workspace_op {
            WorkspaceOp::Set(SettingsField::Name(v)) => self.name = v.clone(),
            WorkspaceOp::Set(SettingsField::DefaultLanguage(v)) => self.default_language = v.clone(),
            WorkspaceOp::Set(SettingsField::TimeZone(v)) => self.time_zone = v.clone(),
            WorkspaceOp::Set(SettingsField::View { id, view }) => match view {
                Some(view) => {
                    self.views.insert(*id, view.clone());
                }
                None => {
                    self.views.remove(id);
                }
            },
            WorkspaceOp::Set(SettingsField::Calendar { id, calendar }) => match calendar {
                Some(calendar) => {
                    self.calendars.insert(*id, Calendar::clone(calendar));
                }
                None => {
                    self.calendars.remove(id);
                }
            },
            WorkspaceOp::Set(SettingsField::SlaPolicy { id, policy }) => match policy {
                Some(policy) => {
                    self.sla_policies.insert(*id, SlaPolicy::clone(policy));
                }
                None => {
                    self.sla_policies.remove(id);
                }
            },
            WorkspaceOp::Set(SettingsField::Rule { id, rule }) => match rule {
                Some(rule) => {
                    self.rules.insert(*id, Rule::clone(rule));
                }
                None => {
                    self.rules.remove(id);
                }
            },
            WorkspaceOp::Set(SettingsField::Escalation(tiers)) => self.escalation = tiers.clone(),
            WorkspaceOp::ClaimNumberBlock(block) => {
                self.number_blocks.push(ClaimedBlock { block: *block, claimed_at: op.ts.ms });
            }
        }
    }

    /// The rules in the order they run: by `order`, then id.
    pub fn rules_in_order(&self) -> impl Iterator<Item = (RuleId, &Rule)> {
        // Inserted one by one: collecting into a map would sort, and each sort is more code.
        let mut ordered = BTreeMap::new();
        for (id, rule) in &self.rules {
            ordered.insert((rule.order, *id), rule);
        }
        ordered.into_iter().map(|((_, id), rule)| (id, rule))
    }

    /// Whether the workspace has been set up (it has a name).
    pub fn is_initialised(&self) -> bool {
        !self.name.is_empty()
    }

    /// Saved views by name (case-insensitive), then id.
    pub fn views_by_name(&self) -> Vec<(ViewId, &SavedView)> {
        let mut keyed: Vec<(String, ViewId, &SavedView)> =
            self.views.iter().map(|(id, view)| (crate::case::lowercase(&view.name).into_owned(), *id, view)).collect();
        crate::sorting::sort_by(&mut keyed, |a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        keyed.into_iter().map(|(_, id, view)| (id, view)).collect()
    }

    pub(crate) fn blocks(&self) -> impl Iterator<Item = &NumberBlock> {
        self.number_blocks.iter().map(|claimed| &claimed.block)
    }
}
