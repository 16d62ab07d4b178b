//! A small map kept as a vector sorted by key: the settings' saved views, calendars, SLA policies
//! and rules.
//!
//! These maps hold tens of entries, read far more often than written. A `BTreeMap` compiles its
//! own insert, remove, rebalancing, clone and drop per key and value type (4–10 KB of wasm each);
//! a sorted vector needs a binary search and `Vec`'s insert and remove. The serialised form is
//! the `BTreeMap`'s exactly (a map in ascending key order), so stored and exported settings read
//! the same.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// A map ordered by key, like `BTreeMap`, for a few entries.
#[derive(Clone, PartialEq, Eq)]
pub struct IdMap<K, V> {
    /// Ascending by key, each key once.
    entries: Vec<(K, V)>,
}

impl<K: Ord, V> IdMap<K, V> {
    pub const fn new() -> Self {
        IdMap { entries: Vec::new() }
    }

    fn find(&self, key: &K) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| k.cmp(key))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, key: &K) -> Option<&V> {
        self.find(key).ok().map(|at| &self.entries[at].1)
    }

    pub fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        self.find(key).ok().map(|at| &mut self.entries[at].1)
    }

    pub fn contains_key(&self, key: &K) -> bool {
        self.find(key).is_ok()
    }

    /// Sets `key` to `value`; returns the value it replaced.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        // Keys usually come in ascending order (reading a stored map, new ids): append.
        if self.entries.last().is_none_or(|(last, _)| *last < key) {
            self.entries.push((key, value));
            return None;
        }
        match self.find(&key) {
            Ok(at) => Some(std::mem::replace(&mut self.entries[at].1, value)),
            Err(at) => {
                self.entries.insert(at, (key, value));
                None
            }
        }
    }

    pub fn remove(&mut self, key: &K) -> Option<V> {
        self.find(key).ok().map(|at| self.entries.remove(at).1)
    }

    /// Entries in ascending key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + ExactSizeIterator {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.entries.iter().map(|(_, v)| v)
    }
}

impl<K: Ord, V> Default for IdMap<K, V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for IdMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.entries.iter().map(|(k, v)| (k, v))).finish()
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for IdMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(entries: I) -> Self {
        let mut map = Self::new();
        for (key, value) in entries {
            map.insert(key, value);
        }
        map
    }
}

impl<K: Ord, V, const N: usize> From<[(K, V); N]> for IdMap<K, V> {
    fn from(entries: [(K, V); N]) -> Self {
        entries.into_iter().collect()
    }
}

impl<K, V> IntoIterator for IdMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

/// `map[&key]`, like `BTreeMap`'s: panics if the key is absent.
impl<K: Ord, V> std::ops::Index<&K> for IdMap<K, V> {
    type Output = V;
    fn index(&self, key: &K) -> &V {
        self.get(key).expect("no entry for this key")
    }
}

impl<'a, K, V> IntoIterator for &'a IdMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl<K: Serialize, V: Serialize> Serialize for IdMap<K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (key, value) in &self.entries {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de, K: Ord + Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for IdMap<K, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries<K, V>(PhantomData<(K, V)>);
        impl<'de, K: Ord + Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for Entries<K, V> {
            type Value = IdMap<K, V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                // A repeated key keeps its last value, as a `BTreeMap` read from the same input.
                let mut map = IdMap::new();
                while let Some((key, value)) = access.next_entry()? {
                    map.insert(key, value);
                }
                Ok(map)
            }
        }
        deserializer.deserialize_map(Entries(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Behaves like a `BTreeMap` under any mix of inserts and removes, and is written and
        /// read exactly like one in JSON and postcard.
        #[test]
        fn matches_a_btree_map(steps in proptest::collection::vec((0u8..24, any::<bool>(), any::<u16>()), 0..80)) {
            let mut ours: IdMap<u8, u16> = IdMap::new();
            let mut tree: BTreeMap<u8, u16> = BTreeMap::new();
            for (key, insert, value) in steps {
                if insert {
                    prop_assert_eq!(ours.insert(key, value), tree.insert(key, value));
                } else {
                    prop_assert_eq!(ours.remove(&key), tree.remove(&key));
                }
                prop_assert_eq!(ours.get(&key), tree.get(&key));
            }
            prop_assert_eq!(ours.len(), tree.len());
            prop_assert_eq!(ours.iter().collect::<Vec<_>>(), tree.iter().collect::<Vec<_>>());
            let bytes = postcard::to_allocvec(&tree).unwrap();
            prop_assert_eq!(&postcard::to_allocvec(&ours).unwrap(), &bytes);
            prop_assert_eq!(&postcard::from_bytes::<IdMap<u8, u16>>(&bytes).unwrap(), &ours);
            let json = serde_json::to_string(&tree).unwrap();
            prop_assert_eq!(&serde_json::to_string(&ours).unwrap(), &json);
            prop_assert_eq!(&serde_json::from_str::<IdMap<u8, u16>>(&json).unwrap(), &ours);
        }
    }

    #[test]
    fn unordered_and_repeated_keys_read_like_a_btree_map() {
        let json = r#"{"3":"c","1":"a","3":"z","2":"b"}"#;
        let ours: IdMap<String, String> = serde_json::from_str(json).unwrap();
        let tree: BTreeMap<String, String> = serde_json::from_str(json).unwrap();
        assert_eq!(ours.iter().collect::<Vec<_>>(), tree.iter().collect::<Vec<_>>());
        assert_eq!(ours.get(&"3".to_owned()).map(String::as_str), Some("z"));
    }
}
