//! Stable sorting of short lists through one shared copy of the sort.
//!
//! Every `sort_by` with a closure of its own compiles another copy of the standard library's
//! stable sort into the app (about 3 KB of wasm each; the app had two dozen). The lists sorted
//! for settings screens, a ticket's history or one load's storage pages are short, so these
//! functions sort positions instead, through one non-generic sort (the merge sort that
//! [`SlicedOrder`] also runs in slices), and then move the items into place: an indirect call
//! per comparison, which nobody notices at a few thousand items.
//! Sorts of 100,000 tickets keep their own specialised code (see [`crate::queue`]).
//!
//! `collect()` into a `BTreeSet` or `BTreeMap` sorts the items first, another copy of the sort
//! per element type: [`set_of`] and [`map_of`] insert them one by one instead. A sort too
//! long to run in one go, [`SlicedOrder`], is done in slices; many texts are ordered by their
//! bytes eight at a time ([`order_by_text`]).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Like `collect()` into a `BTreeSet`, without compiling another sort.
pub fn set_of<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    set.extend(items);
    set
}

/// Like `collect()` into a `BTreeMap` (of pairs with one key, the last is kept), without
/// compiling another sort.
pub fn map_of<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    map.extend(pairs);
    map
}

/// Like `slice::sort_by`: stable, `compare` decides the order.
pub fn sort_by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    let order = stable_order(items.len(), &|a, b| compare(&items[a], &items[b]));
    apply_order(items, order);
}

/// Like `slice::sort_by_key`: stable, by the key of each item.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// The positions `0..len` in the order `compare` gives them (ties keep their order): the
/// sliced sort run to the end, so that one sort serves both.
fn stable_order(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<u32> {
    let mut order = SlicedOrder::new(len);
    order.step(usize::MAX, &mut |a, b| compare(a as usize, b as usize) == Ordering::Less);
    order.into_order()
}

/// Puts the item at `order[place]` at `place`, for every place, one cycle of the permutation at
/// a time (no copy of the items, no `Clone` needed).
fn apply_order<T>(items: &mut [T], mut order: Vec<u32>) {
    for start in 0..items.len() {
        let mut place = start;
        loop {
            let from = order[place] as usize;
            // Marks the place as filled: a later start on it ends at once.
            order[place] = place as u32;
            if from == start {
                break;
            }
            items.swap(place, from);
            place = from;
        }
    }
}

/// Texts in order: which text goes at each place, and where each run of equal texts begins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextOrder {
    /// Positions into the texts, in the order of their bytes, equal texts in position order.
    pub positions: Vec<u32>,
    /// `starts[place]`: the text at `place` differs from the one before it (true at place 0).
    pub starts: Vec<bool>,
}

/// The positions of `texts` in the order of their bytes (`str`'s own order), ties in position
/// order, and where each distinct text begins.
///
/// 100,000 subjects compared as strings take about 100 ms in the browser: each comparison
/// follows two pointers, and subjects made from one template share their first words. This sorts
/// integers instead, most significant first: each text's first eight bytes as one number with
/// its position, then, only within groups that agree so far and go on, the next eight bytes,
/// and so on (a radix sort with the standard library's integer sort at each level). A group
/// that agrees to its end is a run of equal texts, so the starts come free; comparing
/// neighbours again for them took a quarter of a first sort by subject.
pub fn order_by_text(texts: &[&str]) -> TextOrder {
    let len = u32::try_from(texts.len()).expect("fewer than 4 billion texts");
    let mut order: Vec<u32> = (0..len).collect();
    let mut starts = vec![true; order.len()];
    let mut keys: Vec<u128> = Vec::new();
    // Groups still to order: (start, end) in `order`, and how many 8-byte pieces they share.
    let mut pending = vec![(0, order.len(), 0)];
    while let Some((start, end, depth)) = pending.pop() {
        keys.clear();
        keys.extend(order[start..end].iter().map(|at| text_piece(texts[*at as usize].as_bytes(), depth, *at)));
        keys.sort_unstable();
        for (place, key) in order[start..end].iter_mut().zip(&keys) {
            *place = *key as u32;
        }
        let mut from = 0;
        while from < keys.len() {
            let head = keys[from] >> 32;
            let to = from + keys[from..].iter().take_while(|key| *key >> 32 == head).count();
            if to - from > 1 {
                if head as u32 == PIECE_GOES_ON {
                    pending.push((start + from, start + to, depth + 1));
                } else {
                    // Equal up to their common end: the same text.
                    starts[start + from + 1..start + to].fill(false);
                }
            }
            from = to;
        }
    }
    TextOrder { positions: order, starts }
}

/// The length mark of a text with more than eight bytes from the piece on: it sorts after
/// every text that ends within the piece (0 to 8 bytes left), as a longer text follows its prefix.
const PIECE_GOES_ON: u32 = 9;

/// The sort key of `text` at `depth`: its bytes `8 * depth ..` (zero-padded, most significant
/// first), then how many bytes were left (up to [`PIECE_GOES_ON`]), then the position. Two keys
/// that agree but for the position are equal texts, unless both go on.
fn text_piece(text: &[u8], depth: usize, position: u32) -> u128 {
    let rest = text.get(depth * 8..).unwrap_or_default();
    // Eight bytes as one load, a shorter tail byte by byte: a `copy_from_slice` of a variable
    // length is a `memory.copy` in wasm, a call into the engine per piece (about 45 ms of
    // 100,000 subjects' ordering in a browser profile).
    let piece = match rest.first_chunk::<8>() {
        Some(eight) => u64::from_be_bytes(*eight),
        None => rest.iter().enumerate().fold(0, |piece, (at, byte)| piece | u64::from(*byte) << (56 - 8 * at)),
    };
    let left = if rest.len() > 8 { PIECE_GOES_ON } else { rest.len() as u32 };
    (u128::from(piece) << 64) | (u128::from(left) << 32) | u128::from(position)
}

/// A stable sort of the positions `0..len` done a slice at a time, so that a page can answer its
/// user between slices (see [`crate::storage::Pacer`]): 100,000 strings take about 100 ms to
/// sort in one go. The positions are compared through a function given to each
/// [`SlicedOrder::step`], so whatever they stand for need not be borrowed between slices.
///
/// A bottom-up merge sort: short runs by insertion, then merge passes of doubling width, each
/// merge resumable at any element.
#[derive(Debug, Clone)]
pub struct SlicedOrder {
    order: Vec<u32>,
    spare: Vec<u32>,
    /// Runs of this many positions are sorted; 0 while the first runs are being sorted.
    width: usize,
    /// The next place to fill (in `order` while sorting the first runs, in `spare` while merging).
    at: usize,
    /// The merge in progress: the next unread places of its left and right runs in `order`.
    left: usize,
    right: usize,
}

/// The length of the runs sorted by insertion before merging.
const FIRST_RUN: usize = 16;

impl SlicedOrder {
    pub fn new(len: usize) -> SlicedOrder {
        let len = u32::try_from(len).expect("fewer than 4 billion items");
        SlicedOrder { order: (0..len).collect(), spare: vec![0; len as usize], width: 0, at: 0, left: 0, right: 0 }
    }

    pub fn is_done(&self) -> bool {
        self.width != 0 && self.width >= self.order.len()
    }

    /// Does about `work` comparisons and moves (at least one), with `less(a, b)` saying whether
    /// position `a` goes before position `b`. Returns whether the order is complete.
    pub fn step(&mut self, work: usize, less: &mut dyn FnMut(u32, u32) -> bool) -> bool {
        let len = self.order.len();
        let mut work = work.max(1);
        while work > 0 && !self.is_done() {
            if self.width == 0 {
                let (start, end) = (self.at, (self.at + FIRST_RUN).min(len));
                for next in start + 1..end {
                    let mut at = next;
                    while at > start && less(self.order[at], self.order[at - 1]) {
                        self.order.swap(at, at - 1);
                        at -= 1;
                    }
                }
                work = work.saturating_sub(FIRST_RUN * FIRST_RUN / 4);
                self.at = end;
                if end == len {
                    self.start_pass(FIRST_RUN);
                }
                continue;
            }
            let width = self.width;
            let low = self.at / (2 * width) * (2 * width);
            let (middle, high) = ((low + width).min(len), (low + 2 * width).min(len));
            while self.at < high && work > 0 {
                // Equal items: the left run's first, which keeps the sort stable.
                let take_left =
                    self.left < middle && (self.right >= high || !less(self.order[self.right], self.order[self.left]));
                if take_left {
                    self.spare[self.at] = self.order[self.left];
                    self.left += 1;
                } else {
                    self.spare[self.at] = self.order[self.right];
                    self.right += 1;
                }
                self.at += 1;
                work -= 1;
            }
            if self.at == high {
                if high == len {
                    std::mem::swap(&mut self.order, &mut self.spare);
                    self.start_pass(width * 2);
                } else {
                    self.left = high;
                    self.right = (high + width).min(len);
                }
            }
        }
        self.is_done()
    }

    fn start_pass(&mut self, width: usize) {
        self.width = width;
        self.at = 0;
        self.left = 0;
        self.right = width.min(self.order.len());
    }

    /// The positions in order (complete once [`SlicedOrder::is_done`]).
    pub fn into_order(self) -> Vec<u32> {
        self.order
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The same result as the standard library's stable sort, ties included: each item
        /// carries its original position, which the comparison does not look at.
        #[test]
        fn sorts_like_the_standard_stable_sort(keys in proptest::collection::vec(0u8..6, 0..200)) {
            let items: Vec<(u8, usize)> = keys.into_iter().enumerate().map(|(at, key)| (key, at)).collect();
            let mut expected = items.clone();
            expected.sort_by_key(|item| item.0);
            let mut sorted = items.clone();
            sort_by_key(&mut sorted, |item| item.0);
            prop_assert_eq!(&sorted, &expected);
            let mut reversed = items;
            sort_by(&mut reversed, |a, b| b.0.cmp(&a.0));
            expected.sort_by_key(|item| std::cmp::Reverse(item.0));
            prop_assert_eq!(reversed, expected);
        }
    }

    proptest! {
        /// The order of the strings themselves, ties by position: texts from a small alphabet
        /// with NUL, one sharing long prefixes, of lengths around the 8-byte pieces, and
        /// non-ASCII (bytes, not characters, decide, as for `str`).
        #[test]
        fn texts_are_ordered_as_strings_are(
            texts in proptest::collection::vec("(abcdefgh){0,3}[ab\\x00é]{0,10}", 0..200),
        ) {
            let mut expected: Vec<u32> = (0..texts.len() as u32).collect();
            expected.sort_by(|a, b| (&texts[*a as usize], a).cmp(&(&texts[*b as usize], b)));
            let borrowed: Vec<&str> = texts.iter().map(String::as_str).collect();
            let ordered = order_by_text(&borrowed);
            let starts: Vec<bool> = (0..expected.len())
                .map(|at| at == 0 || texts[expected[at - 1] as usize] != texts[expected[at] as usize])
                .collect();
            prop_assert_eq!(ordered.positions, expected);
            prop_assert_eq!(ordered.starts, starts);
        }
    }

    #[test]
    fn a_text_follows_its_prefixes_and_equal_texts_keep_their_order() {
        let texts = ["abcdefghi", "abcdefgh", "ab", "ab\0", "b", "", "abcdefgh", "abcdefghij"];
        let ordered = order_by_text(&texts);
        assert_eq!(ordered.positions, [5, 2, 3, 1, 6, 0, 7, 4]);
        // "abcdefgh" twice (places 3 and 4): the second is no start.
        assert_eq!(ordered.starts, [true, true, true, true, false, true, true, true]);
    }

    proptest! {
        /// Sorted a slice at a time, in slices of any size, it is the standard stable sort.
        #[test]
        fn the_sliced_order_is_the_stable_order(
            keys in proptest::collection::vec(0u8..8, 0..300),
            work in 1usize..80,
        ) {
            let mut expected: Vec<u32> = (0..keys.len() as u32).collect();
            expected.sort_by_key(|at| keys[*at as usize]);
            let mut sliced = SlicedOrder::new(keys.len());
            let mut steps = 0;
            while !sliced.step(work, &mut |a, b| keys[a as usize] < keys[b as usize]) {
                steps += 1;
                prop_assert!(steps <= keys.len() * 20 + 10, "ends");
            }
            prop_assert_eq!(sliced.into_order(), expected);
        }
    }

    #[test]
    fn sets_and_maps_hold_what_collect_would() {
        let pairs = [(3, "c"), (1, "a"), (3, "later c"), (2, "b")];
        assert_eq!(map_of(pairs), pairs.into_iter().collect::<BTreeMap<_, _>>());
        assert_eq!(map_of(pairs)[&3], "later c", "the last value of a key wins");
        assert_eq!(set_of([3, 1, 3, 2]), BTreeSet::from([1, 2, 3]));
    }

    #[test]
    fn moves_items_that_cannot_be_cloned() {
        let mut names: Vec<Box<str>> = ["c", "a", "b", "a"].into_iter().map(Box::from).collect();
        sort_by(&mut names, |a, b| a.cmp(b));
        assert_eq!(names, ["a", "a", "b", "c"].into_iter().map(Box::from).collect::<Vec<Box<str>>>());
    }
}
