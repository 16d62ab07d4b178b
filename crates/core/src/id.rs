//! Identifiers: UUIDv7 (RFC 9562) generated on the client from a time and caller-supplied
//! randomness. Version 7 puts the millisecond first, so ids sort by creation time.
//!
//! Core never reads a clock or a random source itself. Callers hand in an [`Entropy`] (the browser
//! uses `crypto.getRandomValues`, tests a seeded generator), so every id in a test is reproducible.
//! Ids that automation derives from its cause ([`OpId::derived`]) are the same on every replica,
//! which is what lets two browsers firing the same rule collapse into one op.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};
use uuid::{Builder, Uuid};

/// A source of random bits for new ids. The contract: values are uniformly random and unpredictable
/// enough that two replicas never draw the same 80 bits in the same millisecond.
pub trait Entropy {
    /// Returns 128 fresh random bits.
    fn random_u128(&mut self) -> u128;
}

/// A deterministic [`Entropy`] for tests, simulations and sample data: SplitMix64 from a seed.
///
/// Not for ids of real data: two replicas seeded alike would collide.
#[derive(Debug, Clone)]
pub struct SeededEntropy {
    state: u64,
}

impl SeededEntropy {
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    fn next_u64(&mut self) -> u64 {
        // SplitMix64 (Steele, Lea, Flood 2014): tiny, full-period, good enough for test ids.
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

impl Entropy for SeededEntropy {
    fn random_u128(&mut self) -> u128 {
        (u128::from(self.next_u64()) << 64) | u128::from(self.next_u64())
    }
}

/// Error for an id that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid id: {0:?} (expected a UUID such as 0190b6f4-7c1e-7d2a-8f00-3a5b2c1d0e9f)")]
pub struct IdParseError(pub String);

/// Reads an id's 16 raw bytes (binary formats).
struct IdBytes;

impl<'de> serde::de::Visitor<'de> for IdBytes {
    type Value = u128;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("16 bytes of an id")
    }

    fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<u128, E> {
        let bytes: [u8; 16] = bytes.try_into().map_err(|_| E::invalid_length(bytes.len(), &self))?;
        Ok(u128::from_be_bytes(bytes))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<u128, A::Error> {
        // Formats that send byte strings as sequences.
        let mut bytes = [0u8; 16];
        for (index, byte) in bytes.iter_mut().enumerate() {
            *byte = seq.next_element()?.ok_or_else(|| serde::de::Error::invalid_length(index, &self))?;
        }
        Ok(u128::from_be_bytes(bytes))
    }
}

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Uuid);

        impl $name {
            /// A new id stamped with `at_ms` (Unix milliseconds) and 74 random bits.
            pub fn generate(at_ms: u64, entropy: &mut dyn Entropy) -> Self {
                Self(v7(at_ms, entropy.random_u128().to_be_bytes()))
            }

            /// The id's 128 bits, for compact storage keys.
            pub fn to_u128(self) -> u128 {
                self.0.as_u128()
            }

            pub const fn from_u128(bits: u128) -> Self {
                Self(Uuid::from_u128(bits))
            }

            /// The millisecond the id was generated at (the first 48 bits of a UUIDv7).
            pub fn timestamp_ms(self) -> u64 {
                (self.0.as_u128() >> 80) as u64
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl FromStr for $name {
            type Err = IdParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::try_parse(s).map(Self).map_err(|_| IdParseError(s.to_owned()))
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                // Text formats (JSON export, the REST protocol) get the readable UUID; binary
                // formats get the 16 raw bytes (not a varint: random ids would take 19 bytes and a
                // byte-by-byte decode, which at start-up with 100,000 tickets shows).
                if serializer.is_human_readable() {
                    serializer.collect_str(&self.0.hyphenated())
                } else {
                    serializer.serialize_bytes(&self.0.as_u128().to_be_bytes())
                }
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                if deserializer.is_human_readable() {
                    let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                    text.parse().map_err(serde::de::Error::custom)
                } else {
                    deserializer.deserialize_bytes(IdBytes).map(|bits| Self(Uuid::from_u128(bits)))
                }
            }
        }
    };
}

uuid_id!(
    /// Identifies one operation. Unique across all replicas; the op log is keyed by it.
    OpId
);
uuid_id!(
    /// Identifies a ticket forever (the human number is separate, see [`crate::numbering`]).
    TicketId
);
uuid_id!(
    /// Identifies a message (customer message, public reply or internal note) within its ticket.
    MessageId
);
uuid_id!(
    /// Identifies a customer (requester).
    CustomerId
);
uuid_id!(
    /// Identifies an agent (a person working tickets).
    AgentId
);
uuid_id!(
    /// Identifies a team of agents.
    TeamId
);
uuid_id!(
    /// Identifies a ticket category (technical, billing, …).
    CategoryId
);
uuid_id!(
    /// Identifies a custom field definition.
    FieldId
);
uuid_id!(
    /// Identifies an automation rule (used for the actor of rule-made ops).
    RuleId
);
uuid_id!(
    /// Identifies an attachment's content.
    AttachmentId
);
uuid_id!(
    /// Identifies a saved view (a named search shared with the team).
    ViewId
);
uuid_id!(
    /// Identifies a business calendar (working hours and holidays).
    CalendarId
);
uuid_id!(
    /// Identifies an SLA policy.
    SlaPolicyId
);

impl OpId {
    /// An op id derived from the cause of an automated action, identical on every replica that
    /// computes the same cause.
    ///
    /// `kind` names the automation (for example `"rule"` or `"sla-escalation"`), `parts` identify
    /// the cause (rule id, ticket id, …) and `at_ms` is the trigger instant. The time prefix keeps
    /// derived ids sortable like generated ones.
    pub fn derived(kind: &str, parts: &[&[u8]], at_ms: u64) -> Self {
        let mut hasher = Sha256::new();
        hasher.update((kind.len() as u64).to_be_bytes());
        hasher.update(kind.as_bytes());
        for part in parts {
            // Length-prefix every part so that ("ab","c") and ("a","bc") hash differently.
            hasher.update((part.len() as u64).to_be_bytes());
            hasher.update(part);
        }
        hasher.update(at_ms.to_be_bytes());
        let digest = hasher.finalize();
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        Self(v7(at_ms, bytes))
    }
}

/// A UUIDv7 from a millisecond timestamp and the first 10 of `random` bytes (the builder sets the
/// version and variant bits, leaving 74 random ones).
fn v7(at_ms: u64, random: [u8; 16]) -> Uuid {
    let mut tail = [0u8; 10];
    tail.copy_from_slice(&random[..10]);
    Builder::from_unix_timestamp_millis(at_ms, &tail).into_uuid()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_roundtrip_through_text_and_keep_their_time() {
        let mut entropy = SeededEntropy::new(7);
        let id = TicketId::generate(1_700_000_000_123, &mut entropy);
        assert_eq!(id.timestamp_ms(), 1_700_000_000_123);
        let text = id.to_string();
        assert_eq!(text.len(), 36);
        assert_eq!(&text[14..15], "7", "version 7: {text}");
        assert_eq!(text.parse::<TicketId>().unwrap(), id);
        assert_eq!(TicketId::from_u128(id.to_u128()), id);
    }

    #[test]
    fn generated_ids_differ() {
        let mut entropy = SeededEntropy::new(1);
        let a = OpId::generate(5, &mut entropy);
        let b = OpId::generate(5, &mut entropy);
        assert_ne!(a, b);
    }

    #[test]
    fn bad_text_is_a_clear_error() {
        let err = "not-an-id".parse::<AgentId>().unwrap_err();
        assert!(err.to_string().contains("not-an-id"), "{err}");
    }

    #[test]
    fn derived_ids_depend_on_every_part_and_nothing_else() {
        let a = OpId::derived("rule", &[b"r1", b"t1"], 1000);
        assert_eq!(a, OpId::derived("rule", &[b"r1", b"t1"], 1000));
        assert_ne!(a, OpId::derived("rule", &[b"r1", b"t2"], 1000));
        assert_ne!(a, OpId::derived("rule", &[b"r1", b"t1"], 1001));
        assert_ne!(a, OpId::derived("sla", &[b"r1", b"t1"], 1000));
        assert_ne!(OpId::derived("k", &[b"ab", b"c"], 1), OpId::derived("k", &[b"a", b"bc"], 1));
        assert_eq!(a.timestamp_ms(), 1000);
    }

    #[test]
    fn ids_are_sixteen_raw_bytes_in_binary_formats() {
        let id = TicketId::from_u128(u128::MAX - 5);
        let bytes = postcard::to_allocvec(&id).unwrap();
        assert_eq!(bytes.len(), 17, "a length byte and the 16 bytes");
        assert_eq!(postcard::from_bytes::<TicketId>(&bytes).unwrap(), id);
        assert!(postcard::from_bytes::<TicketId>(&[3, 1, 2, 3]).is_err(), "three bytes are not an id");
    }

    #[test]
    fn ids_serialize_as_text_in_json() {
        let id = CustomerId::from_u128(42);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{id}\""));
        assert_eq!(serde_json::from_str::<CustomerId>(&json).unwrap(), id);
        assert!(serde_json::from_str::<CustomerId>("\"zzz\"").is_err());
    }

    #[test]
    fn ids_sort_by_creation_time() {
        let mut entropy = SeededEntropy::new(3);
        let earlier = TicketId::generate(1_000, &mut entropy);
        let later = TicketId::generate(1_001, &mut entropy);
        assert!(earlier < later);
        assert!(earlier.to_string() < later.to_string(), "text order matches too");
    }
}
