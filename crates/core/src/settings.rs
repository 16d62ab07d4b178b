//! The workspace settings document: name, default language, time zone, and the ticket number
//! blocks each replica has claimed.

use serde::{Deserialize, Serialize};

use crate::numbering::{ClaimedBlock, NumberBlock};
use crate::op::{Op, Payload, WorkspaceOp};

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
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SettingsField {
    Name(String),
    DefaultLanguage(String),
    TimeZone(String),
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
            WorkspaceOp::ClaimNumberBlock(block) => {
                self.number_blocks.push(ClaimedBlock { block: *block, claimed_at: op.ts.ms });
            }
        }
    }

    /// Whether the workspace has been set up (it has a name).
    pub fn is_initialised(&self) -> bool {
        !self.name.is_empty()
    }

    pub(crate) fn blocks(&self) -> impl Iterator<Item = &NumberBlock> {
        self.number_blocks.iter().map(|claimed| &claimed.block)
    }
}
