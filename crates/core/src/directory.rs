//! Directory documents: customers, agents, teams, categories and custom field definitions.
//!
//! Each is a profile of last-writer-wins fields, created once and then changed field by field
//! through the same op mechanism as tickets ([`crate::op::EntityOp`]). Sets (an agent's teams,
//! skills, languages) are replaced as a whole: two admins editing one agent's skills at the same
//! moment is rare enough that whole-set last-writer-wins is the clearer rule.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::id::{FieldId, TeamId};
use crate::model::{Actor, Email, FieldKind, FieldValue, Role, Tier};
use crate::op::{EntityOp, Op, Payload};

/// A document made of last-writer-wins fields.
pub trait Profile: Clone + Debug + PartialEq + Serialize + DeserializeOwned {
    /// One settable field with its new value.
    type Field: Clone + Debug + PartialEq + Serialize + DeserializeOwned;

    /// Overwrites one field.
    fn set(&mut self, field: &Self::Field);

    /// The entity op inside `payload`, if the payload is about this kind of document.
    fn entity_op(payload: &Payload) -> Option<&EntityOp<Self>>;
}

/// A directory entity as the fold of its ops.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry<P> {
    pub profile: P,
    pub created_at: u64,
    pub created_by: Actor,
    pub updated_at: u64,
}

/// Fold state of one directory entity: nothing until created.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityDoc<P> {
    entry: Option<Entry<P>>,
}

impl<P> Default for EntityDoc<P> {
    fn default() -> Self {
        Self { entry: None }
    }
}

impl<P: Profile> EntityDoc<P> {
    /// A document restored from its snapshot.
    pub fn from_entry(entry: Entry<P>) -> Self {
        Self { entry: Some(entry) }
    }

    pub fn entry(&self) -> Option<&Entry<P>> {
        self.entry.as_ref()
    }

    /// Applies the next op in timestamp order. A second `Create` and edits ordered before the
    /// creation (possible only while a clamped clock settles) have no effect.
    pub fn apply(&mut self, op: &Op) {
        let Some(entity_op) = P::entity_op(&op.payload) else {
            return;
        };
        match (entity_op, self.entry.as_mut()) {
            (EntityOp::Create(profile), None) => {
                self.entry = Some(Entry {
                    profile: profile.clone(),
                    created_at: op.ts.ms,
                    created_by: op.actor,
                    updated_at: op.ts.ms,
                });
            }
            (EntityOp::Set(field), Some(entry)) => {
                entry.profile.set(field);
                entry.updated_at = op.ts.ms;
            }
            (EntityOp::Create(_), Some(_)) | (EntityOp::Set(_), None) => {}
        }
    }
}

/// A customer (requester).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerProfile {
    pub name: String,
    /// The first address is the primary one; all are used to match incoming email.
    pub emails: Vec<Email>,
    pub phone: String,
    pub organisation: String,
    pub tier: Tier,
    pub language: Option<String>,
    pub notes: String,
    pub custom: BTreeMap<FieldId, FieldValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerField {
    Name(String),
    Emails(Vec<Email>),
    Phone(String),
    Organisation(String),
    Tier(Tier),
    Language(Option<String>),
    Notes(String),
    Custom { field: FieldId, value: Option<FieldValue> },
}

impl Profile for CustomerProfile {
    type Field = CustomerField;

    fn set(&mut self, field: &CustomerField) {
        match field {
            CustomerField::Name(v) => self.name = v.clone(),
            CustomerField::Emails(v) => self.emails = v.clone(),
            CustomerField::Phone(v) => self.phone = v.clone(),
            CustomerField::Organisation(v) => self.organisation = v.clone(),
            CustomerField::Tier(v) => self.tier = *v,
            CustomerField::Language(v) => self.language = v.clone(),
            CustomerField::Notes(v) => self.notes = v.clone(),
            CustomerField::Custom { field, value: Some(value) } => {
                self.custom.insert(*field, value.clone());
            }
            CustomerField::Custom { field, value: None } => {
                self.custom.remove(field);
            }
        }
    }

    fn entity_op(payload: &Payload) -> Option<&EntityOp<Self>> {
        match payload {
            Payload::Customer { op, .. } => Some(op),
            _ => None,
        }
    }
}

/// A person who works tickets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentProfile {
    pub name: String,
    pub email: Email,
    /// What colleagues type after `@` to mention this agent (no spaces).
    pub handle: String,
    pub role: Role,
    pub teams: BTreeSet<TeamId>,
    /// Free-form skills matched by skill-based routing (for example a category name or `sql`).
    pub skills: BTreeSet<String>,
    /// Languages the agent answers in (BCP 47 codes such as `ja`, `en`).
    pub languages: BTreeSet<String>,
    /// How many open tickets the agent can carry; load-balanced assignment respects it.
    pub capacity: u32,
    /// Inactive agents keep their history but cannot sign in or be assigned.
    pub active: bool,
    /// Whether automatic assignment may pick the agent now (away, off shift, …).
    pub available: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgentField {
    Name(String),
    Email(Email),
    Handle(String),
    Role(Role),
    Teams(BTreeSet<TeamId>),
    Skills(BTreeSet<String>),
    Languages(BTreeSet<String>),
    Capacity(u32),
    Active(bool),
    Available(bool),
}

impl Profile for AgentProfile {
    type Field = AgentField;

    fn set(&mut self, field: &AgentField) {
        match field {
            AgentField::Name(v) => self.name = v.clone(),
            AgentField::Email(v) => self.email = v.clone(),
            AgentField::Handle(v) => self.handle = v.clone(),
            AgentField::Role(v) => self.role = *v,
            AgentField::Teams(v) => self.teams = v.clone(),
            AgentField::Skills(v) => self.skills = v.clone(),
            AgentField::Languages(v) => self.languages = v.clone(),
            AgentField::Capacity(v) => self.capacity = *v,
            AgentField::Active(v) => self.active = *v,
            AgentField::Available(v) => self.available = *v,
        }
    }

    fn entity_op(payload: &Payload) -> Option<&EntityOp<Self>> {
        match payload {
            Payload::Agent { op, .. } => Some(op),
            _ => None,
        }
    }
}

/// A team of agents (membership is on the agent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamProfile {
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TeamField {
    Name(String),
    Description(String),
}

impl Profile for TeamProfile {
    type Field = TeamField;

    fn set(&mut self, field: &TeamField) {
        match field {
            TeamField::Name(v) => self.name = v.clone(),
            TeamField::Description(v) => self.description = v.clone(),
        }
    }

    fn entity_op(payload: &Payload) -> Option<&EntityOp<Self>> {
        match payload {
            Payload::Team { op, .. } => Some(op),
            _ => None,
        }
    }
}

/// A ticket category (technical, billing, general question, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryProfile {
    pub name: String,
    pub description: String,
    /// Retired categories stay on old tickets but are not offered for new ones.
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CategoryField {
    Name(String),
    Description(String),
    Active(bool),
}

impl Profile for CategoryProfile {
    type Field = CategoryField;

    fn set(&mut self, field: &CategoryField) {
        match field {
            CategoryField::Name(v) => self.name = v.clone(),
            CategoryField::Description(v) => self.description = v.clone(),
            CategoryField::Active(v) => self.active = *v,
        }
    }

    fn entity_op(payload: &Payload) -> Option<&EntityOp<Self>> {
        match payload {
            Payload::Category { op, .. } => Some(op),
            _ => None,
        }
    }
}

/// Which documents a custom field appears on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldTarget {
    Ticket,
    Customer,
}

/// A custom field definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldDefProfile {
    pub name: String,
    /// The value type. Fixed at creation: changing it would orphan existing values.
    pub kind: FieldKind,
    pub target: FieldTarget,
    /// Whether a ticket must have a value before it can be resolved.
    pub required: bool,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldDefField {
    Name(String),
    /// Only for choice fields: the new option list.
    Options(Vec<String>),
    Required(bool),
    Active(bool),
}

impl Profile for FieldDefProfile {
    type Field = FieldDefField;

    fn set(&mut self, field: &FieldDefField) {
        match field {
            FieldDefField::Name(v) => self.name = v.clone(),
            FieldDefField::Options(options) => {
                if let FieldKind::Choice { options: current } = &mut self.kind {
                    *current = options.clone();
                }
            }
            FieldDefField::Required(v) => self.required = *v,
            FieldDefField::Active(v) => self.active = *v,
        }
    }

    fn entity_op(payload: &Payload) -> Option<&EntityOp<Self>> {
        match payload {
            Payload::Field { op, .. } => Some(op),
            _ => None,
        }
    }
}
