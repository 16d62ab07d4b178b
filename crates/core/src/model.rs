//! Value types shared by every document: priority, channel, roles, tiers, tags, email addresses,
//! custom field values, and who acted.
//!
//! Values that have an invariant ([`Tag`], [`Email`]) can only be made through a checking
//! constructor, so a document can never hold a malformed one.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::id::{AgentId, CustomerId, RuleId};
use crate::validate::{ValidationError, limits};

/// How urgent a ticket is. Ordered: `Low < Medium < High < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    Medium,
    High,
    Critical,
}

impl Priority {
    pub const ALL: [Priority; 4] = [Priority::Critical, Priority::High, Priority::Medium, Priority::Low];

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Medium => "medium",
            Priority::High => "high",
            Priority::Critical => "critical",
        }
    }

    pub fn parse(text: &str) -> Option<Priority> {
        Priority::ALL.into_iter().find(|p| p.as_str() == text)
    }
}

/// Where a ticket or message came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    WebForm,
    Chat,
    Phone,
    Social,
    /// A request from inside the team (no customer involved, or written on their behalf).
    Internal,
}

impl Channel {
    pub const ALL: [Channel; 6] =
        [Channel::Email, Channel::WebForm, Channel::Chat, Channel::Phone, Channel::Social, Channel::Internal];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::WebForm => "web_form",
            Channel::Chat => "chat",
            Channel::Phone => "phone",
            Channel::Social => "social",
            Channel::Internal => "internal",
        }
    }

    pub fn parse(text: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// What an agent may do in the workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including settings, agents and automation.
    Admin,
    /// Works tickets and customers; reads settings.
    Agent,
    /// Reads everything and writes internal notes only (managers, other departments).
    Observer,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Agent, Role::Observer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Agent => "agent",
            Role::Observer => "observer",
        }
    }
}

/// A customer's service tier, used by SLA policies and routing rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Standard,
    Premium,
    Vip,
}

impl Tier {
    pub const ALL: [Tier; 3] = [Tier::Standard, Tier::Premium, Tier::Vip];

    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Standard => "standard",
            Tier::Premium => "premium",
            Tier::Vip => "vip",
        }
    }
}

/// Who made a change. Stored on every op; the server checks it against the authenticated agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    Agent(AgentId),
    /// A customer through the portal, a web form or an email.
    Customer(CustomerId),
    /// An automation rule (the op id is derived from the rule and its cause).
    Rule(RuleId),
    /// The system itself: imports, the sync server's intake.
    System,
}

impl Actor {
    pub fn agent(self) -> Option<AgentId> {
        match self {
            Actor::Agent(id) => Some(id),
            _ => None,
        }
    }
}

/// A ticket tag: trimmed, lowercase, ASCII-width, inner spaces turned into `-`.
///
/// Tags are compared after this normalisation, so "VIP", " vip " and "ＶＩＰ" are one tag.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Tag(String);

impl Tag {
    /// Normalises and checks a tag typed by a person.
    pub fn parse(raw: &str) -> Result<Tag, ValidationError> {
        let mut normalised = String::with_capacity(raw.len());
        let mut pending_dash = false;
        for ch in raw.chars().map(fold_full_width) {
            if ch.is_whitespace() {
                pending_dash = !normalised.is_empty();
                continue;
            }
            if ch.is_control() || ch == ',' {
                return Err(ValidationError::TagInvalid { tag: raw.to_owned() });
            }
            if pending_dash {
                normalised.push('-');
                pending_dash = false;
            }
            if ch.is_ascii() {
                normalised.push(ch.to_ascii_lowercase());
            } else {
                normalised.push_str(&crate::case::lowercase_char(ch));
            }
        }
        if normalised.is_empty() {
            return Err(ValidationError::TagEmpty);
        }
        let len = normalised.chars().count();
        if len > limits::TAG_CHARS {
            return Err(ValidationError::TooLong { field: "tag", max: limits::TAG_CHARS, actual: len });
        }
        Ok(Tag(normalised))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Tag {
    type Error = ValidationError;
    /// Keeps `value`'s allocation when it is already normalised, as every stored tag is: start-up
    /// reads a tag per ticket or more, and a second copy of each was measurable.
    fn try_from(value: String) -> Result<Self, Self::Error> {
        // ASCII tags, most of them, byte by byte: the same test as `normal` below.
        let ascii_normal = |byte: u8| byte.is_ascii_graphic() && !byte.is_ascii_uppercase() && byte != b',';
        if !value.is_empty() && value.len() <= limits::TAG_CHARS && value.bytes().all(ascii_normal) {
            return Ok(Tag(value));
        }
        let normal = |ch: char| {
            crate::case::is_own_lowercase(ch)
                && fold_full_width(ch) == ch
                && !ch.is_whitespace()
                && !ch.is_control()
                && ch != ','
        };
        if !value.is_empty() && value.chars().all(normal) && value.chars().count() <= limits::TAG_CHARS {
            return Ok(Tag(value));
        }
        Tag::parse(&value)
    }
}

impl From<Tag> for String {
    fn from(tag: Tag) -> String {
        tag.0
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tag({:?})", self.0)
    }
}

/// Folds full-width ASCII (U+FF01..U+FF5E) and the ideographic space to their ASCII forms, which
/// Japanese input methods produce when the user forgets to switch modes.
pub(crate) fn fold_full_width(ch: char) -> char {
    match ch {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(ch as u32 - 0xFEE0).unwrap_or(ch),
        '\u{3000}' => ' ',
        _ => ch,
    }
}

/// A syntactically valid email address (RFC 5322 addr-spec), trimmed. Compared case-insensitively
/// through [`Email::key`].
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, ValidationError> {
        let trimmed: String = raw.trim().chars().map(fold_full_width).collect();
        Email::check(&trimmed).map_err(|_| ValidationError::InvalidEmail { address: raw.to_owned() })?;
        Ok(Email(trimmed))
    }

    /// Validates an address that is already trimmed and folded.
    fn check(address: &str) -> Result<(), ValidationError> {
        // The crate accepts `user@localhost`; a helpdesk mails real people, so also require a dot
        // in the domain, which catches the common typo `name@gmailcom`.
        let has_dotted_domain = address
            .rsplit_once('@')
            .is_some_and(|(_, domain)| domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.'));
        if address.chars().count() > limits::EMAIL_CHARS
            || !has_dotted_domain
            || !(is_plain_address(address) || email_address::EmailAddress::is_valid(address))
        {
            return Err(ValidationError::InvalidEmail { address: address.to_owned() });
        }
        Ok(())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The lowercase form used to look customers up by address.
    pub fn key(&self) -> String {
        crate::case::lowercase(&self.0).into_owned()
    }
}

/// Whether `address` is in the form nearly every address has: ASCII `local@domain.tld`, a
/// dot-atom local part and letter-digit-hyphen domain labels. Every address in that form is
/// valid for the `email_address` crate too (a test checks it), which parses each address with
/// chars and a copy: start-up reads 25,000 stored addresses, and that was 35 ms of it on a slow
/// machine. Anything else (quoted local parts, non-ASCII, other label characters) goes to the
/// crate.
fn is_plain_address(address: &str) -> bool {
    const LOCAL_MAX: usize = 64;
    const DOMAIN_MAX: usize = 254;
    const LABEL_MAX: usize = 63;
    let Some((local, domain)) = address.rsplit_once('@') else {
        return false;
    };
    let atext = |byte: u8| byte.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(&byte);
    let local_ok = local.len() <= LOCAL_MAX && local.split('.').all(|atom| !atom.is_empty() && atom.bytes().all(atext));
    let label_ok = |label: &str| {
        let bytes = label.as_bytes();
        (1..=LABEL_MAX).contains(&bytes.len())
            && bytes[0].is_ascii_alphanumeric()
            && bytes[bytes.len() - 1].is_ascii_alphanumeric()
            && bytes.iter().all(|byte| byte.is_ascii_alphanumeric() || *byte == b'-')
    };
    local_ok && domain.len() <= DOMAIN_MAX && domain.split('.').all(label_ok)
}

impl TryFrom<String> for Email {
    type Error = ValidationError;
    /// Checks `value` in place when trimming and folding would not change it (every stored
    /// address), instead of validating a copy.
    fn try_from(value: String) -> Result<Self, Self::Error> {
        let folded = value.chars().any(|ch| fold_full_width(ch) != ch);
        if folded || value.trim().len() != value.len() {
            return Email::parse(&value);
        }
        Email::check(&value)?;
        Ok(Email(value))
    }
}

impl From<Email> for String {
    fn from(email: Email) -> String {
        email.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email({:?})", self.0)
    }
}

/// The type of a custom field, and for choices the allowed options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    Number,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    Checkbox,
    Choice {
        options: Vec<String>,
    },
}

/// A custom field's value. Checked against its [`FieldKind`] when set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldValue {
    Text(String),
    /// Always finite (checked), so values compare reliably.
    Number(f64),
    Date(String),
    Checkbox(bool),
    Choice(String),
}

impl FieldValue {
    /// Checks that this value fits `kind`.
    pub fn check(&self, kind: &FieldKind) -> Result<(), ValidationError> {
        let ok = match (self, kind) {
            (FieldValue::Text(text), FieldKind::Text) => {
                let len = text.chars().count();
                if len > limits::FIELD_TEXT_CHARS {
                    return Err(ValidationError::TooLong {
                        field: "custom field",
                        max: limits::FIELD_TEXT_CHARS,
                        actual: len,
                    });
                }
                true
            }
            (FieldValue::Number(n), FieldKind::Number) => n.is_finite(),
            (FieldValue::Date(date), FieldKind::Date) => is_iso_date(date),
            (FieldValue::Checkbox(_), FieldKind::Checkbox) => true,
            (FieldValue::Choice(choice), FieldKind::Choice { options }) => options.contains(choice),
            _ => false,
        };
        if ok { Ok(()) } else { Err(ValidationError::FieldValueMismatch { value: self.display() }) }
    }

    /// The value as a person would type it.
    pub fn display(&self) -> String {
        match self {
            FieldValue::Text(text) | FieldValue::Date(text) | FieldValue::Choice(text) => text.clone(),
            FieldValue::Number(n) => number_text(*n),
            FieldValue::Checkbox(b) => b.to_string(),
        }
    }
}

/// A number as a person would type it: `12`, `3.5`, `0.1`, `1e+21` (the shortest text that
/// reads back as the same number). Through zmij, which serde_json already brings into the app,
/// rather than another instance of `f64`'s Display.
fn number_text(n: f64) -> String {
    const EXACT_INTEGERS: f64 = 9_007_199_254_740_992.0; // 2^53
    if n.fract() == 0.0 && n.abs() < EXACT_INTEGERS {
        (n as i64).to_string()
    } else {
        zmij::Buffer::new().format(n).to_owned()
    }
}

fn is_iso_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let number = |range: std::ops::Range<usize>| text.get(range).and_then(|s| s.parse::<u32>().ok());
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days_in_month).contains(&day)
}

/// What a message in a ticket's conversation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// Written by the customer (email, chat, portal, or typed in by an agent from a call).
    Customer,
    /// An agent's reply the customer sees.
    PublicReply,
    /// Visible to agents only.
    InternalNote,
}

/// Metadata of a file attached to a message. The bytes live in storage, keyed by `id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: crate::id::AttachmentId,
    pub file_name: String,
    pub mime_type: String,
    pub size_bytes: u64,
}

/// Email headers kept for threading replies into the right ticket.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EmailMeta {
    /// The `Message-ID` header of this message.
    pub message_id: Option<String>,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
}

/// How two tickets are related.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// About the same problem.
    Related,
    /// This ticket continues the (closed) other one.
    FollowUpOf,
    /// The other ticket continues this (closed) one.
    FollowedUpBy,
}

impl LinkKind {
    /// The kind the other ticket records for the same link.
    pub fn inverse(self) -> LinkKind {
        match self {
            LinkKind::Related => LinkKind::Related,
            LinkKind::FollowUpOf => LinkKind::FollowedUpBy,
            LinkKind::FollowedUpBy => LinkKind::FollowUpOf,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Reading a stored tag or address (the fast path that keeps the string) gives exactly
        /// what parsing a typed one does, for normalised and unnormalised input alike.
        #[test]
        fn stored_tags_and_addresses_read_as_parsed(
            raw in "[a-zA-Z0-9 ,@.\\-\u{3000}\u{FF21}-\u{FF3A}\u{FF41}-\u{FF5A}請求ßİ\t]{0,12}",
        ) {
            proptest::prop_assert_eq!(Tag::try_from(raw.clone()), Tag::parse(&raw));
            proptest::prop_assert_eq!(Email::try_from(raw.clone()), Email::parse(&raw));
            let address = format!("{raw}@example.com");
            proptest::prop_assert_eq!(Email::try_from(address.clone()), Email::parse(&address));
        }

        /// The plain form the address check accepts without the crate is valid for the crate
        /// too, so the fast path changes no answer: addresses near every edge (dots, hyphens,
        /// characters the plain form leaves to the crate, lengths around the limits).
        #[test]
        fn plain_addresses_are_valid_addresses(
            local in "[a-z0-9.+_\\-\"!~(é]{0,3}|[a-z]{60,66}",
            labels in proptest::collection::vec("[a-zA-Z0-9\\-_é]{0,4}|[a-z]{62,64}", 0..4),
        ) {
            let address = format!("{local}@{}", labels.join("."));
            if is_plain_address(&address) {
                proptest::prop_assert!(email_address::EmailAddress::is_valid(&address), "{}", address);
            }
        }
    }

    #[test]
    fn ordinary_addresses_take_the_plain_path() {
        for plain in ["taro.yamada@example.co.jp", "support+vip@ex-ample.com", "a_b@x1.io"] {
            assert!(is_plain_address(plain), "{plain}");
        }
        for not_plain in
            ["\"a b\"@example.com", "taro@exa_mple.com", "tarō@example.com", "a..b@x.io", "a@-x.io", "a@x-.io"]
        {
            assert!(!is_plain_address(not_plain), "{not_plain}");
        }
    }

    #[test]
    fn tags_are_normalised() {
        let check = |raw: &str, expected: &str| assert_eq!(Tag::parse(raw).unwrap().as_str(), expected, "{raw:?}");
        check("VIP", "vip");
        check("  vip  ", "vip");
        check("ＶＩＰ", "vip");
        check("refund request", "refund-request");
        check("返金　要求", "返金-要求");
        check("請求書", "請求書");
    }

    #[test]
    fn bad_tags_are_refused_with_a_reason() {
        assert_eq!(Tag::parse("   "), Err(ValidationError::TagEmpty));
        assert_eq!(Tag::parse("a,b"), Err(ValidationError::TagInvalid { tag: "a,b".into() }));
        let long = "x".repeat(limits::TAG_CHARS + 1);
        assert!(matches!(Tag::parse(&long), Err(ValidationError::TooLong { field: "tag", .. })));
    }

    #[test]
    fn tags_deserialize_through_the_check() {
        assert_eq!(serde_json::from_str::<Tag>("\"Hello World\"").unwrap().as_str(), "hello-world");
        assert!(serde_json::from_str::<Tag>("\"  \"").is_err());
    }

    #[test]
    fn emails_are_checked() {
        assert_eq!(Email::parse(" Taro.Yamada@Example.co.jp ").unwrap().as_str(), "Taro.Yamada@Example.co.jp");
        assert_eq!(Email::parse("Taro@Example.com").unwrap().key(), "taro@example.com");
        assert_eq!(Email::parse("ｔａｒｏ＠example.com").unwrap().as_str(), "taro@example.com");
        for bad in ["", "taro", "taro@", "@example.com", "taro@gmailcom", "taro@@example.com", "a b@example.com"] {
            assert_eq!(
                Email::parse(bad),
                Err(ValidationError::InvalidEmail { address: bad.into() }),
                "{bad:?} should be refused"
            );
        }
    }

    #[test]
    fn field_values_must_fit_their_kind() {
        let choice = FieldKind::Choice { options: vec!["gold".into(), "silver".into()] };
        assert!(FieldValue::Choice("gold".into()).check(&choice).is_ok());
        assert!(FieldValue::Choice("bronze".into()).check(&choice).is_err());
        assert!(FieldValue::Number(3.5).check(&FieldKind::Number).is_ok());
        for (number, text) in
            [(3.5, "3.5"), (12.0, "12"), (-7.0, "-7"), (0.1, "0.1"), (-0.25, "-0.25"), (1e21, "1e+21")]
        {
            assert_eq!(FieldValue::Number(number).display(), text);
            assert_eq!(text.parse::<f64>(), Ok(number), "{text} reads back");
        }
        assert!(FieldValue::Number(f64::NAN).check(&FieldKind::Number).is_err());
        assert!(FieldValue::Date("2024-02-29".into()).check(&FieldKind::Date).is_ok());
        assert!(FieldValue::Date("2023-02-29".into()).check(&FieldKind::Date).is_err());
        assert!(FieldValue::Date("2023-13-01".into()).check(&FieldKind::Date).is_err());
        assert!(FieldValue::Text("x".into()).check(&FieldKind::Number).is_err());
        assert!(FieldValue::Checkbox(true).check(&FieldKind::Checkbox).is_ok());
    }

    #[test]
    fn priority_orders_by_urgency() {
        assert!(Priority::Critical > Priority::High);
        assert!(Priority::High > Priority::Medium);
        assert!(Priority::Medium > Priority::Low);
        for p in Priority::ALL {
            assert_eq!(Priority::parse(p.as_str()), Some(p));
        }
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
    }

    #[test]
    fn link_kinds_invert() {
        assert_eq!(LinkKind::FollowUpOf.inverse(), LinkKind::FollowedUpBy);
        assert_eq!(LinkKind::FollowedUpBy.inverse(), LinkKind::FollowUpOf);
        assert_eq!(LinkKind::Related.inverse(), LinkKind::Related);
    }
}
