//! Sets of a few enum values (priorities, tiers, channels) as one bit mask.
//!
//! A `BTreeSet` of a three-to-six-value enum is a heap tree with its own compiled insert, remove,
//! clone and drop per element type (about 3.5 KB of wasm each); a bit mask is `Copy` and needs
//! none of them. The serialised form is the `BTreeSet`'s exactly (the values in ascending
//! order, as a sequence), so settings stored or exported before keep reading the same.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeSeq, Serializer};

/// An enum without fields whose values can be members of an [`EnumSet`]: at most 32 of them,
/// declared in their `Ord` order (the derive's), so that a value's bit is its discriminant.
pub trait SetMember: Copy + Ord + 'static {
    /// Every value, in any order.
    const ALL: &'static [Self];
    /// The value's position in declaration order (its discriminant), below 32.
    fn position(self) -> u32;
}

/// A set of [`SetMember`] values.
pub struct EnumSet<T> {
    bits: u32,
    members: PhantomData<T>,
}

impl<T: SetMember> EnumSet<T> {
    pub const fn new() -> Self {
        EnumSet { bits: 0, members: PhantomData }
    }

    pub fn contains(&self, value: T) -> bool {
        self.bits & (1 << value.position()) != 0
    }

    /// Adds `value` (`on`) or takes it out.
    pub fn set(&mut self, value: T, on: bool) {
        if on {
            self.bits |= 1 << value.position();
        } else {
            self.bits &= !(1 << value.position());
        }
    }

    pub fn insert(&mut self, value: T) {
        self.set(value, true);
    }

    pub fn is_empty(&self) -> bool {
        self.bits == 0
    }

    pub fn len(&self) -> usize {
        self.bits.count_ones() as usize
    }

    /// The members in ascending order (as a `BTreeSet` lists them).
    pub fn iter(&self) -> impl Iterator<Item = T> + '_ {
        // Only the set bits, lowest first: each is cleared once its value is found.
        let mut bits = self.bits;
        std::iter::from_fn(move || {
            let position = (bits != 0).then(|| bits.trailing_zeros())?;
            bits &= bits - 1;
            T::ALL.iter().copied().find(|value| value.position() == position)
        })
    }
}

// Written out rather than derived: the derives would ask the same of `T`, which a marker needs not.
impl<T> Clone for EnumSet<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for EnumSet<T> {}

impl<T> PartialEq for EnumSet<T> {
    fn eq(&self, other: &Self) -> bool {
        self.bits == other.bits
    }
}

impl<T> Eq for EnumSet<T> {}

impl<T: SetMember> Default for EnumSet<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: SetMember + fmt::Debug> fmt::Debug for EnumSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl<T: SetMember> FromIterator<T> for EnumSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(values: I) -> Self {
        let mut set = Self::new();
        for value in values {
            set.insert(value);
        }
        set
    }
}

impl<T: SetMember, const N: usize> From<[T; N]> for EnumSet<T> {
    fn from(values: [T; N]) -> Self {
        values.into_iter().collect()
    }
}

impl<T: SetMember + Serialize> Serialize for EnumSet<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for value in self.iter() {
            seq.serialize_element(&value)?;
        }
        seq.end()
    }
}

impl<'de, T: SetMember + Deserialize<'de>> Deserialize<'de> for EnumSet<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members<T>(PhantomData<T>);
        impl<'de, T: SetMember + Deserialize<'de>> Visitor<'de> for Members<T> {
            type Value = EnumSet<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of values")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut set = EnumSet::new();
                while let Some(value) = seq.next_element()? {
                    set.insert(value);
                }
                Ok(set)
            }
        }
        deserializer.deserialize_seq(Members(PhantomData))
    }
}

/// Makes fieldless enums [`SetMember`]s, their `ALL` constant listing every value.
macro_rules! set_members {
    ($($member:ty),*) => {$(
        impl SetMember for $member {
            const ALL: &'static [Self] = &<$member>::ALL;
            fn position(self) -> u32 {
                self as u32
            }
        }
    )*};
}

set_members!(crate::model::Priority, crate::model::Tier, crate::model::Channel);

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;
    use crate::model::{Channel, Priority, Tier};

    #[test]
    fn positions_follow_the_declaration_order() {
        // The encoding relies on it: ascending bits are ascending `Ord`.
        fn check<T: SetMember + fmt::Debug>() {
            let mut all: Vec<T> = T::ALL.to_vec();
            all.sort();
            let positions: Vec<u32> = all.iter().map(|v| v.position()).collect();
            assert_eq!(positions, (0..all.len() as u32).collect::<Vec<_>>());
        }
        check::<Priority>();
        check::<Tier>();
        check::<Channel>();
    }

    #[test]
    fn a_removed_value_is_gone_and_others_stay() {
        let mut set: EnumSet<Channel> = [Channel::Email, Channel::Phone, Channel::Internal].into();
        set.set(Channel::Phone, false);
        assert!(!set.contains(Channel::Phone));
        assert_eq!(set.iter().collect::<Vec<_>>(), vec![Channel::Email, Channel::Internal]);
        assert_eq!(set.len(), 2);
        set.set(Channel::Email, false);
        set.set(Channel::Internal, false);
        assert!(set.is_empty());
    }

    #[test]
    fn values_repeated_in_a_stored_list_count_once() {
        let set: EnumSet<Tier> = serde_json::from_str(r#"["vip","vip","standard"]"#).unwrap();
        assert_eq!(set, [Tier::Standard, Tier::Vip].into());
        assert!(serde_json::from_str::<EnumSet<Tier>>(r#"["gold"]"#).is_err(), "an unknown tier is refused");
    }

    proptest! {
        /// Written and read like the `BTreeSet` it replaces, in JSON and postcard, both ways.
        #[test]
        fn encodes_exactly_like_a_btree_set(bits in 0u32..64) {
            let tree: BTreeSet<Channel> =
                Channel::ALL.iter().copied().filter(|c| bits & (1 << c.position()) != 0).collect();
            let set: EnumSet<Channel> = tree.iter().copied().collect();
            prop_assert_eq!(serde_json::to_string(&set).unwrap(), serde_json::to_string(&tree).unwrap());
            let bytes = postcard::to_allocvec(&tree).unwrap();
            prop_assert_eq!(postcard::to_allocvec(&set).unwrap(), bytes.clone());
            prop_assert_eq!(postcard::from_bytes::<EnumSet<Channel>>(&bytes).unwrap(), set);
            let json = serde_json::to_string(&tree).unwrap();
            prop_assert_eq!(serde_json::from_str::<EnumSet<Channel>>(&json).unwrap(), set);
            let priorities: EnumSet<Priority> = Priority::ALL.iter().copied().filter(|p| bits & (1 << p.position()) != 0).collect();
            let tree: BTreeSet<Priority> = priorities.iter().collect();
            prop_assert_eq!(postcard::to_allocvec(&priorities).unwrap(), postcard::to_allocvec(&tree).unwrap());
        }
    }
}
