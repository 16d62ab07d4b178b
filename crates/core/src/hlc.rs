//! Hybrid logical clock (Kulkarni et al., 2014): timestamps that follow wall time but never go
//! backwards and always exceed every timestamp the replica has seen.
//!
//! Every op carries a [`Timestamp`]; last-writer-wins registers compare them. A timestamp is
//! `(physical ms, counter, replica)`, ordered lexicographically, so two replicas never produce equal
//! timestamps.
//!
//! A replica whose clock runs far ahead would win every write. Two defences:
//! - [`Clock::observe`] never moves the local clock past `wall + MAX_CLOCK_SKEW_MS`, so one bad
//!   clock does not drag the others into the future.
//! - [`Clock::admit`] clamps the timestamp of an op received from outside (network, file import) to
//!   the same bound. The clamped op keeps its id; when a replica holds two versions of one op it
//!   keeps the one with the smaller timestamp (see [`crate::Workspace::apply`]), a rule that gives
//!   the same answer in any order, so replicas that clamped differently still converge.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How far ahead of the local wall clock a received timestamp may be before it is clamped.
/// Five minutes covers phones and laptops without working time sync; a clock off by more than this
/// loses its edge in last-writer-wins instead of winning every write.
pub const MAX_CLOCK_SKEW_MS: u64 = 5 * 60 * 1000;

/// Identifies a replica (one browser profile, or the server). Chosen at random once per install;
/// used only to break timestamp ties.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ReplicaId(pub u64);

impl fmt::Debug for ReplicaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ReplicaId({:016x})", self.0)
    }
}

impl fmt::Display for ReplicaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

/// A hybrid logical clock reading. Ordered by physical time, then counter, then replica.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Timestamp {
    /// Milliseconds since the Unix epoch (the wall-clock part).
    pub ms: u64,
    /// Logical counter that orders events within the same millisecond.
    pub counter: u32,
    /// The replica that issued the reading.
    pub replica: ReplicaId,
}

impl Timestamp {
    pub const fn new(ms: u64, counter: u32, replica: ReplicaId) -> Self {
        Self { ms, counter, replica }
    }

    /// This timestamp with its physical part lowered to at most `max_ms`.
    #[must_use]
    pub fn clamped_to(self, max_ms: u64) -> Self {
        Self { ms: self.ms.min(max_ms), ..self }
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}@{}", self.ms, self.counter, self.replica)
    }
}

/// The clock of one replica. Feed it the wall time on every call; it never reads a clock itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    replica: ReplicaId,
    last_ms: u64,
    last_counter: u32,
}

impl Clock {
    pub fn new(replica: ReplicaId) -> Self {
        Self { replica, last_ms: 0, last_counter: 0 }
    }

    pub fn replica(&self) -> ReplicaId {
        self.replica
    }

    /// The latest timestamp this clock has issued or observed.
    pub fn last(&self) -> Timestamp {
        Timestamp::new(self.last_ms, self.last_counter, self.replica)
    }

    /// A new timestamp for a local event, greater than everything seen so far.
    pub fn tick(&mut self, wall_ms: u64) -> Timestamp {
        if wall_ms > self.last_ms {
            self.last_ms = wall_ms;
            self.last_counter = 0;
        } else {
            self.bump_counter();
        }
        self.last()
    }

    /// Clamps a timestamp received from outside to `wall_ms + MAX_CLOCK_SKEW_MS`, advances this
    /// clock past it, and returns the timestamp the received op must be stored with.
    pub fn admit(&mut self, remote: Timestamp, wall_ms: u64) -> Timestamp {
        let admitted = remote.clamped_to(wall_ms.saturating_add(MAX_CLOCK_SKEW_MS));
        self.observe(admitted, wall_ms);
        admitted
    }

    /// Moves this clock past `remote` (bounded by the skew limit), so that the next local
    /// timestamp orders after it.
    pub fn observe(&mut self, remote: Timestamp, wall_ms: u64) {
        let bound = wall_ms.saturating_add(MAX_CLOCK_SKEW_MS);
        let remote_ms = remote.ms.min(bound);
        let previous_ms = self.last_ms;
        self.last_ms = previous_ms.max(remote_ms).max(wall_ms);
        self.last_counter = match (self.last_ms == previous_ms, self.last_ms == remote_ms) {
            (true, true) => self.last_counter.max(remote.counter),
            (true, false) => self.last_counter,
            (false, true) => remote.counter,
            (false, false) => 0,
        };
    }

    fn bump_counter(&mut self) {
        match self.last_counter.checked_add(1) {
            Some(next) => self.last_counter = next,
            // Four billion events in one millisecond cannot happen from a person; if a runaway
            // loop gets here, borrow the next millisecond rather than wrap and reorder.
            None => {
                self.last_ms += 1;
                self.last_counter = 0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: ReplicaId = ReplicaId(1);
    const B: ReplicaId = ReplicaId(2);

    #[test]
    fn ticks_follow_wall_time_and_never_go_back() {
        let mut clock = Clock::new(A);
        let t1 = clock.tick(1000);
        assert_eq!(t1, Timestamp::new(1000, 0, A));
        let t2 = clock.tick(1000);
        assert_eq!(t2, Timestamp::new(1000, 1, A));
        // The wall clock jumped back (NTP correction): the HLC keeps counting.
        let t3 = clock.tick(900);
        assert_eq!(t3, Timestamp::new(1000, 2, A));
        let t4 = clock.tick(2000);
        assert_eq!(t4, Timestamp::new(2000, 0, A));
        assert!(t1 < t2 && t2 < t3 && t3 < t4);
    }

    #[test]
    fn after_observing_a_remote_timestamp_local_ones_order_after_it() {
        let mut clock = Clock::new(A);
        clock.tick(1000);
        clock.observe(Timestamp::new(1500, 7, B), 1000);
        let next = clock.tick(1000);
        assert_eq!(next, Timestamp::new(1500, 8, A));
        assert!(next > Timestamp::new(1500, 7, B));
    }

    #[test]
    fn far_future_remote_timestamps_are_clamped() {
        let mut clock = Clock::new(A);
        let wall = 1_000_000;
        let evil = Timestamp::new(wall + 365 * 24 * 3600 * 1000, 3, B);
        let admitted = clock.admit(evil, wall);
        assert_eq!(admitted, Timestamp::new(wall + MAX_CLOCK_SKEW_MS, 3, B));
        // The local clock moved only up to the bound, so local edits stay comparable with others.
        assert_eq!(clock.last().ms, wall + MAX_CLOCK_SKEW_MS);
        assert!(clock.tick(wall) > admitted);
    }

    #[test]
    fn timestamps_within_the_skew_bound_are_kept() {
        let mut clock = Clock::new(A);
        let remote = Timestamp::new(1000 + MAX_CLOCK_SKEW_MS, 0, B);
        assert_eq!(clock.admit(remote, 1000), remote);
    }

    #[test]
    fn counter_overflow_moves_to_the_next_millisecond() {
        let mut clock = Clock::new(A);
        clock.observe(Timestamp::new(10, u32::MAX, B), 10);
        let next = clock.tick(10);
        assert_eq!(next, Timestamp::new(11, 0, A));
    }
}
