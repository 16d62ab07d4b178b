//! The ticket lifecycle: statuses and the one table of allowed transitions.
//!
//! New → Assigned → In progress → Pending (waiting on the customer) → Resolved → Closed, with
//! reopen. The table below is the single source of truth: commands check it before making an op,
//! the fold checks it again when concurrent edits meet (so a merged history can never contain an
//! illegal move), and the UI offers only the buttons it allows.

use serde::{Deserialize, Serialize};

/// Where a ticket is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Created, nobody assigned yet.
    New,
    /// An agent is assigned but has not started.
    Assigned,
    /// An agent is working on it.
    InProgress,
    /// Waiting on the customer; SLA clocks pause.
    Pending,
    /// A solution was given; a customer reply reopens it.
    Resolved,
    /// Final. Follow-ups become new tickets linked to this one.
    Closed,
}

impl Status {
    pub const ALL: [Status; 6] =
        [Status::New, Status::Assigned, Status::InProgress, Status::Pending, Status::Resolved, Status::Closed];

    /// Whether work on the ticket is still expected (everything but Resolved and Closed).
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Resolved | Status::Closed)
    }

    /// Whether time in this status counts towards resolution targets: not while waiting on the
    /// customer (Pending), nor once resolved or closed (a reopen starts the clock again).
    pub fn runs_resolution_clock(self) -> bool {
        !matches!(self, Status::Pending | Status::Resolved | Status::Closed)
    }

    /// The statuses a ticket in this status may move to, in lifecycle order.
    pub fn next_statuses(self) -> impl Iterator<Item = Status> {
        Status::ALL.into_iter().filter(move |&to| transition_allowed(self, to))
    }

    /// The stable lowercase name used in queries, exports and the REST protocol.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Assigned => "assigned",
            Status::InProgress => "in_progress",
            Status::Pending => "pending",
            Status::Resolved => "resolved",
            Status::Closed => "closed",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|status| status.as_str() == text)
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// `TRANSITIONS[from][to]`: may a ticket move from `from` to `to`?
///
/// Rows are the current status, columns the next one, both in [`Status::ALL`] order.
/// Why some cells are `false`:
/// - Nothing returns to New or Assigned except through (un)assignment: the preconditions in
///   [`check_transition`] tie those two statuses to whether an assignee is set.
/// - In progress does not go back to Assigned: once work started, "not started" would be a lie.
/// - Resolved only reopens (to New or In progress) or closes: putting a solved ticket on hold is a
///   reopen followed by Pending.
/// - Closed is final.
#[rustfmt::skip]
const TRANSITIONS: [[bool; 6]; 6] = [
    //               New    Assigned InProg  Pending Resolved Closed
    /* New */        [false, true,    true,   true,   true,    true ],
    /* Assigned */   [true,  false,   true,   true,   true,    true ],
    /* InProgress */ [false, false,   false,  true,   true,    true ],
    /* Pending */    [true,  false,   true,   false,  true,    true ],
    /* Resolved */   [true,  false,   true,   false,  false,   true ],
    /* Closed */     [false, false,   false,  false,  false,   false],
];

/// Whether the table allows `from → to` (ignoring preconditions on the assignee).
pub fn transition_allowed(from: Status, to: Status) -> bool {
    TRANSITIONS[from.index()][to.index()]
}

/// Why a status change is not allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum TransitionError {
    #[error("a ticket cannot move from {} to {}", from.as_str(), to.as_str())]
    NotAllowed { from: Status, to: Status },
    #[error("assign the ticket to an agent before marking it assigned")]
    AssigneeRequired,
    #[error("a ticket with an assignee cannot be new; unassign it instead")]
    AssigneeMustBeCleared,
    #[error("the ticket is already {}", .0.as_str())]
    Unchanged(Status),
}

/// Checks a status change against the table and the assignee preconditions.
pub fn check_transition(from: Status, to: Status, has_assignee: bool) -> Result<(), TransitionError> {
    if from == to {
        return Err(TransitionError::Unchanged(from));
    }
    if !transition_allowed(from, to) {
        return Err(TransitionError::NotAllowed { from, to });
    }
    match to {
        Status::Assigned if !has_assignee => Err(TransitionError::AssigneeRequired),
        Status::New if has_assignee => Err(TransitionError::AssigneeMustBeCleared),
        _ => Ok(()),
    }
}

/// The status a ticket returns to when the customer writes while it is Pending or Resolved:
/// back to the assignee's active work, or to the unassigned queue.
pub fn status_after_customer_reply(has_assignee: bool) -> Status {
    if has_assignee { Status::InProgress } else { Status::New }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    fn check(from: Status, to: Status, has_assignee: bool, expected: Result<(), TransitionError>) {
        assert_eq!(check_transition(from, to, has_assignee), expected, "{from:?} -> {to:?}");
    }

    #[test]
    fn the_happy_path_is_allowed() {
        check(New, Assigned, true, Ok(()));
        check(Assigned, InProgress, true, Ok(()));
        check(InProgress, Pending, true, Ok(()));
        check(Pending, InProgress, true, Ok(()));
        check(InProgress, Resolved, true, Ok(()));
        check(Resolved, Closed, true, Ok(()));
    }

    #[test]
    fn reopen_is_allowed_from_resolved_only() {
        check(Resolved, InProgress, true, Ok(()));
        check(Resolved, New, false, Ok(()));
        check(Closed, InProgress, true, Err(TransitionError::NotAllowed { from: Closed, to: InProgress }));
    }

    #[test]
    fn closed_is_final() {
        for to in Status::ALL {
            assert!(!transition_allowed(Closed, to), "Closed -> {to:?}");
        }
        assert_eq!(Closed.next_statuses().count(), 0);
    }

    #[test]
    fn assignment_preconditions() {
        check(New, Assigned, false, Err(TransitionError::AssigneeRequired));
        check(Assigned, New, true, Err(TransitionError::AssigneeMustBeCleared));
        check(Assigned, New, false, Ok(()));
    }

    #[test]
    fn illegal_moves_name_both_statuses() {
        let err = check_transition(InProgress, Assigned, true).unwrap_err();
        assert_eq!(err, TransitionError::NotAllowed { from: InProgress, to: Assigned });
        assert_eq!(err.to_string(), "a ticket cannot move from in_progress to assigned");
        check(Pending, Pending, true, Err(TransitionError::Unchanged(Pending)));
    }

    #[test]
    fn customer_reply_targets_are_in_the_table() {
        for from in [Pending, Resolved] {
            assert!(transition_allowed(from, status_after_customer_reply(true)));
            assert!(transition_allowed(from, status_after_customer_reply(false)));
        }
    }

    #[test]
    fn names_roundtrip() {
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Some(status));
        }
        assert_eq!(Status::parse("open"), None);
    }

    #[test]
    fn open_statuses() {
        let open: Vec<_> = Status::ALL.into_iter().filter(|s| s.is_open()).collect();
        assert_eq!(open, vec![New, Assigned, InProgress, Pending]);
    }
}
