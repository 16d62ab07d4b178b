//! Stable sorting of short lists through one shared copy of the sort.
//!
//! Every `sort_by` with a closure of its own compiles another copy of the standard library's
//! stable sort into the app (about 3 KB of wasm each; the app had two dozen). The lists sorted
//! for settings screens, a ticket's history or one load's storage pages are short, so these
//! functions sort positions instead, through one non-generic instance, and then move the items
//! into place: an indirect call per comparison, which nobody notices at a few thousand items.
//! Sorts of 100,000 tickets keep their own specialised code (see [`crate::queue`]).
//!
//! `collect()` into a `BTreeSet` or `BTreeMap` sorts the items first, another copy of the sort
//! per element type: [`set_of`] and [`map_of`] insert them one by one instead.

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

/// The positions `0..len` in the order `compare` gives them (ties keep their order).
fn stable_order(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|a, b| compare(*a, *b));
    order
}

/// Puts the item at `order[place]` at `place`, for every place, one cycle of the permutation at
/// a time (no copy of the items, no `Clone` needed).
fn apply_order<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..items.len() {
        let mut place = start;
        loop {
            let from = order[place];
            // Marks the place as filled: a later start on it ends at once.
            order[place] = place;
            if from == start {
                break;
            }
            items.swap(place, from);
            place = from;
        }
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
