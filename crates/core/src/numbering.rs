//! Human ticket numbers that stay unique when agents create tickets offline.
//!
//! People quote ticket numbers on the phone, so they must be short and unique across the team,
//! yet a browser offline cannot ask anyone for the next number. The scheme:
//!
//! 1. Numbers come in blocks of [`BLOCK_SIZE`]. A replica (one browser) draws numbers only from
//!    blocks it has claimed, lowest first, so its numbers are sequential.
//! 2. A claim is an op on the workspace document ([`crate::op::WorkspaceOp::ClaimNumberBlock`]).
//!    With the sync server, the server hands out blocks (it sees every claim, so claims never
//!    overlap); a replica claims its next block while online, before the current one runs out.
//!    Alone, or when a block runs out offline, a replica claims the block after the highest one it
//!    knows — which cannot collide when there is only one browser, the common serverless case.
//! 3. If two replicas did claim overlapping blocks offline, both keep their tickets' numbers (a
//!    number someone already read out on the phone must not change) and the display form tells
//!    them apart deterministically: the ticket with the lower id shows `#1042`, the next `#1042-2`,
//!    and so on. Every replica computes the same suffixes from the same ops.

use serde::{Deserialize, Serialize};

use crate::hlc::ReplicaId;

/// How many numbers one claim reserves. Small enough that numbers of a team stay close together,
/// large enough for a busy day offline.
pub const BLOCK_SIZE: u64 = 100;

/// A range of ticket numbers `[start, start + size)` reserved by one replica.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberBlock {
    pub owner: ReplicaId,
    pub start: u64,
    pub size: u64,
}

impl NumberBlock {
    pub fn end(&self) -> u64 {
        self.start.saturating_add(self.size)
    }

    pub fn contains(&self, number: u64) -> bool {
        (self.start..self.end()).contains(&number)
    }
}

/// A block with the time it was claimed, as kept in the settings document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimedBlock {
    pub block: NumberBlock,
    pub claimed_at: u64,
}

/// The next number `owner` may use: the lowest free number above what is used in its blocks, or
/// `None` if its blocks are full. `highest_used_in` answers the largest number in use in a range.
pub fn next_number<'a>(
    blocks: impl Iterator<Item = &'a NumberBlock>,
    owner: ReplicaId,
    highest_used_in: impl Fn(u64, u64) -> Option<u64>,
) -> Option<u64> {
    blocks.filter(|block| block.owner == owner).find_map(|block| {
        let candidate = highest_used_in(block.start, block.end()).map_or(block.start, |used| used + 1);
        (candidate < block.end()).then_some(candidate)
    })
}

/// Where the next claimed block starts: right after every block anyone has claimed.
pub fn next_block_start<'a>(blocks: impl Iterator<Item = &'a NumberBlock>) -> u64 {
    blocks.map(NumberBlock::end).max().unwrap_or(1)
}

/// The number as people see it: `#1042`, or `#1042-2` for the second ticket that got 1042.
pub fn display_number(number: u64, rank: usize) -> String {
    if rank <= 1 { format!("#{number}") } else { format!("#{number}-{rank}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: ReplicaId = ReplicaId(1);
    const B: ReplicaId = ReplicaId(2);

    fn block(owner: ReplicaId, start: u64) -> NumberBlock {
        NumberBlock { owner, start, size: 10 }
    }

    #[test]
    fn numbers_come_from_own_blocks_in_order() {
        let blocks = [block(A, 1), block(B, 11), block(A, 21)];
        let used = |lo: u64, hi: u64| [1u64, 2, 3, 11].into_iter().filter(|n| (lo..hi).contains(n)).max();
        assert_eq!(next_number(blocks.iter(), A, used), Some(4));
        assert_eq!(next_number(blocks.iter(), B, used), Some(12));
    }

    #[test]
    fn a_full_block_moves_on_to_the_next_one() {
        let blocks = [block(A, 1), block(A, 21)];
        let used = |lo: u64, hi: u64| (lo < 11).then_some(10u64.min(hi - 1));
        assert_eq!(next_number(blocks.iter(), A, used), Some(21));
        let only_full = [block(A, 1)];
        assert_eq!(next_number(only_full.iter(), A, used), None);
    }

    #[test]
    fn next_block_starts_after_all_claims() {
        assert_eq!(next_block_start([].iter()), 1);
        assert_eq!(next_block_start([block(A, 1), block(B, 11)].iter()), 21);
    }

    #[test]
    fn duplicates_get_a_suffix() {
        assert_eq!(display_number(1042, 1), "#1042");
        assert_eq!(display_number(1042, 2), "#1042-2");
    }
}
