//! Who may make which op. Commands check their own ops with it (so the UI refuses early with the
//! same words), and the sync server checks every pushed op with it (so a modified client cannot
//! do more than its agent may).

use serde::Serialize;

use crate::directory::AgentField;
use crate::model::{Actor, MessageKind, Role};
use crate::op::{EntityOp, Op, Payload, TicketOp, WorkspaceOp};
use crate::settings::SettingsField;
use crate::workspace::Workspace;

/// Why an actor may not make an op.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Forbidden {
    #[error("this agent is not part of the workspace")]
    UnknownAgent,
    #[error("this agent has been deactivated")]
    Inactive,
    #[error("only an admin can change settings, agents, teams, categories and custom fields")]
    AdminOnly,
    #[error("observers can only add internal notes")]
    ObserverReadOnly,
    #[error("only an agent can do this")]
    NotAnAgent,
    #[error("customers can only open and answer their own tickets")]
    CustomerScope,
    #[error("automation rules can only change tickets")]
    RuleScope,
}

impl Workspace {
    /// Whether `op.actor` may make `op` given this workspace's agents and roles.
    pub fn authorize(&self, op: &Op) -> Result<(), Forbidden> {
        match op.actor {
            Actor::System => Ok(()),
            Actor::Rule(_) => match op.payload {
                Payload::Ticket { .. } => Ok(()),
                _ => Err(Forbidden::RuleScope),
            },
            Actor::Customer(customer) => {
                let Payload::Ticket { ticket, op: ticket_op } = &op.payload else {
                    return Err(Forbidden::CustomerScope);
                };
                let allowed = match ticket_op {
                    TicketOp::Create(draft) => draft.requester == customer,
                    TicketOp::AddMessage(message) => {
                        message.kind == MessageKind::Customer
                            && message.author == Actor::Customer(customer)
                            && self.ticket(*ticket).is_some_and(|t| t.requester == customer)
                    }
                    _ => false,
                };
                if allowed { Ok(()) } else { Err(Forbidden::CustomerScope) }
            }
            Actor::Agent(agent_id) => {
                let Some(agent) = self.agent(agent_id) else {
                    // The very first agent sets the workspace up and creates itself.
                    let bootstrapping = self.agents().next().is_none()
                        && match &op.payload {
                            Payload::Workspace(_) => true,
                            Payload::Agent { agent, op: EntityOp::Create(_) } => *agent == agent_id,
                            _ => false,
                        };
                    return if bootstrapping { Ok(()) } else { Err(Forbidden::UnknownAgent) };
                };
                if !agent.profile.active {
                    return Err(Forbidden::Inactive);
                }
                let own_presence = matches!(
                    &op.payload,
                    Payload::Agent { agent, op: EntityOp::Set(AgentField::Available(_) | AgentField::Name(_)) }
                        if *agent == agent_id
                );
                match agent.profile.role {
                    Role::Admin => Ok(()),
                    Role::Agent => match &op.payload {
                        // Saved views are the team's shared searches: agents make them too.
                        Payload::Ticket { .. }
                        | Payload::Customer { .. }
                        | Payload::Workspace(
                            WorkspaceOp::ClaimNumberBlock(_) | WorkspaceOp::Set(SettingsField::View { .. }),
                        ) => Ok(()),
                        _ if own_presence => Ok(()),
                        _ => Err(Forbidden::AdminOnly),
                    },
                    Role::Observer => match &op.payload {
                        Payload::Ticket { op: TicketOp::AddMessage(message), .. }
                            if message.kind == MessageKind::InternalNote =>
                        {
                            Ok(())
                        }
                        _ if own_presence => Ok(()),
                        _ => Err(Forbidden::ObserverReadOnly),
                    },
                }
            }
        }
    }
}
