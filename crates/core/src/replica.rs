//! A replica: one workspace with its own clock and id source — what one browser (or the server)
//! holds.
//!
//! It ties the pieces together in the two directions ops travel:
//! - outward: [`Replica::plan`] runs a command and returns its ops *without* applying them, so the
//!   caller can persist them first and then [`Replica::commit`]; [`Replica::execute`] does both
//!   at once where nothing needs persisting (tests, the server's in-memory checks);
//! - inward: [`Replica::receive`] admits ops from elsewhere (clamping far-future timestamps) and
//!   applies them.

use crate::command::CommandResult;
use crate::hlc::{Clock, ReplicaId};
use crate::id::Entropy;
use crate::model::Actor;
use crate::op::{Op, OpFactory};
use crate::workspace::{Applied, Workspace};

/// The result of a command: its ops, possibly with the id of what it created.
pub trait Planned {
    fn ops(&self) -> &[Op];
}

impl Planned for Vec<Op> {
    fn ops(&self) -> &[Op] {
        self
    }
}

impl<T> Planned for (T, Vec<Op>) {
    fn ops(&self) -> &[Op] {
        &self.1
    }
}

/// One workspace replica.
#[derive(Debug, Clone)]
pub struct Replica<E> {
    workspace: Workspace,
    clock: Clock,
    entropy: E,
}

impl<E: Entropy> Replica<E> {
    pub fn new(id: ReplicaId, entropy: E) -> Self {
        Self { workspace: Workspace::new(), clock: Clock::new(id), entropy }
    }

    /// A replica over an existing workspace (loaded from storage). `clock` must have observed every
    /// op of the workspace; [`Replica::resume`] does that for you.
    pub fn from_parts(workspace: Workspace, clock: Clock, entropy: E) -> Self {
        Self { workspace, clock, entropy }
    }

    /// A replica over ops loaded from storage: folds them and moves the clock past all of them.
    pub fn resume(id: ReplicaId, entropy: E, ops: impl IntoIterator<Item = Op>, wall_ms: u64) -> Self {
        let mut clock = Clock::new(id);
        let mut workspace = Workspace::new();
        for op in ops {
            clock.observe(op.ts, wall_ms);
            workspace.apply(op);
        }
        Self { workspace, clock, entropy }
    }

    pub fn id(&self) -> ReplicaId {
        self.clock.replica()
    }

    pub fn workspace(&self) -> &Workspace {
        &self.workspace
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Runs a command as `actor` at `wall_ms` and returns what it planned, applying nothing.
    pub fn plan<P: Planned>(
        &mut self,
        actor: Actor,
        wall_ms: u64,
        command: impl FnOnce(&Workspace, &mut OpFactory<'_>) -> CommandResult<P>,
    ) -> CommandResult<P> {
        let mut factory = OpFactory::new(actor, &mut self.clock, &mut self.entropy, wall_ms);
        command(&self.workspace, &mut factory)
    }

    /// Applies ops this replica planned (after they were persisted).
    pub fn commit(&mut self, ops: &[Op]) {
        for op in ops {
            self.workspace.apply(op.clone());
        }
    }

    /// Plans and commits in one step.
    pub fn execute<P: Planned>(
        &mut self,
        actor: Actor,
        wall_ms: u64,
        command: impl FnOnce(&Workspace, &mut OpFactory<'_>) -> CommandResult<P>,
    ) -> CommandResult<P> {
        let planned = self.plan(actor, wall_ms, command)?;
        self.commit(planned.ops());
        Ok(planned)
    }

    /// [`Replica::execute`] followed by the event rules (as the app runs commands): returns what
    /// the command planned and the ops the rules added, both applied.
    pub fn execute_with_rules<P: Planned>(
        &mut self,
        actor: Actor,
        wall_ms: u64,
        command: impl FnOnce(&Workspace, &mut OpFactory<'_>) -> CommandResult<P>,
    ) -> CommandResult<(P, Vec<Op>)> {
        let planned = self.plan(actor, wall_ms, command)?;
        let rule_ops = self.workspace.rule_ops_for_change(&mut self.clock, wall_ms, planned.ops());
        self.commit(planned.ops());
        self.commit(&rule_ops);
        Ok((planned, rule_ops))
    }

    /// Runs the time-based rules due at `now` and applies their ops (see
    /// [`Workspace::rule_ops_due`]); returns them for handing to other replicas.
    pub fn run_due_rules(&mut self, now: u64) -> Vec<Op> {
        let ops = self.workspace.rule_ops_due(&mut self.clock, now);
        self.commit(&ops);
        ops
    }

    /// Admits and applies ops received from another replica or a file. Returns the ops as stored
    /// (timestamps possibly clamped) that changed this replica, for persisting.
    pub fn receive(&mut self, ops: impl IntoIterator<Item = Op>, wall_ms: u64) -> Vec<Op> {
        let mut changed = Vec::new();
        for op in ops {
            let ts = self.clock.admit(op.ts, wall_ms);
            let op = Op { ts, ..op };
            if self.workspace.apply(op.clone()) != Applied::Duplicate {
                changed.push(op);
            }
        }
        changed
    }
}
