//! Input limits and the validation error every command returns for bad input.
//!
//! Limits exist so that one pasted log file cannot make a ticket unusable on a phone or blow the
//! browser's storage quota; they are generous for real support work. Lengths count characters
//! (Unicode scalar values), not bytes, so Japanese text gets the same room as English.

use serde::Serialize;

/// The limits, in one place so the UI can show them next to the fields.
pub mod limits {
    /// A ticket subject, like an email subject line.
    pub const SUBJECT_CHARS: usize = 250;
    /// A ticket description or message body (about 30 printed pages).
    pub const BODY_CHARS: usize = 100_000;
    /// Tags on one ticket.
    pub const TAGS_PER_TICKET: usize = 30;
    /// One tag.
    pub const TAG_CHARS: usize = 50;
    /// Names of people, teams, categories, workspaces, fields.
    pub const NAME_CHARS: usize = 200;
    /// An email address (RFC 5321's path limit).
    pub const EMAIL_CHARS: usize = 254;
    /// Free text of a custom field, a phone number, an organisation or a note on a customer.
    pub const FIELD_TEXT_CHARS: usize = 2_000;
    /// Attachments on one message.
    pub const ATTACHMENTS_PER_MESSAGE: usize = 20;
    /// One attachment (files above this belong in a file share, not a ticket).
    pub const ATTACHMENT_BYTES: u64 = 25 * 1024 * 1024;
    /// Holidays in one business calendar: ten years of a country's public holidays and a
    /// company's own days fit many times over.
    pub const HOLIDAYS_PER_CALENDAR: usize = 2_000;
}

/// Why an input was refused. Messages say what to fix; the UI translates them by variant.
/// Serialised (for the sync server's error bodies) but never deserialised: errors travel outward.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ValidationError {
    #[error("the {field} cannot be empty")]
    Empty { field: &'static str },
    #[error("the {field} is too long: {actual} characters, at most {max}")]
    TooLong { field: &'static str, max: usize, actual: usize },
    #[error("a ticket can have at most {max} tags")]
    TooManyTags { max: usize },
    #[error("a tag cannot be empty")]
    TagEmpty,
    #[error("the tag {tag:?} contains a comma or a control character")]
    TagInvalid { tag: String },
    #[error("{address:?} is not a valid email address")]
    InvalidEmail { address: String },
    #[error("the value {value:?} does not fit this custom field")]
    FieldValueMismatch { value: String },
    #[error("a message can have at most {max} attachments")]
    TooManyAttachments { max: usize },
    #[error("the attachment {file_name:?} is larger than {max_bytes} bytes")]
    AttachmentTooLarge { file_name: String, max_bytes: u64 },
    #[error("capacity must be between 1 and {max} open tickets")]
    CapacityOutOfRange { max: u32 },
}

/// Checks a required single-line text: trimmed non-empty, at most `max` characters. Returns the
/// trimmed text.
pub fn required_text(field: &'static str, raw: &str, max: usize) -> Result<String, ValidationError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(ValidationError::Empty { field });
    }
    bounded_text(field, trimmed, max)
}

/// Checks an optional text against `max` characters (after trimming). Returns the trimmed text.
pub fn bounded_text(field: &'static str, raw: &str, max: usize) -> Result<String, ValidationError> {
    let trimmed = raw.trim();
    let actual = trimmed.chars().count();
    if actual > max {
        return Err(ValidationError::TooLong { field, max, actual });
    }
    Ok(trimmed.to_owned())
}
