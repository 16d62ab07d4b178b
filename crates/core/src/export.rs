//! The workspace export file: JSON Lines, one header line then one op per line.
//!
//! ```text
//! {"format":"helpdesk-export","version":1,"workspace":"サポート","exported_at_ms":1767225600000,"ops":2}
//! {"id":"0190…","ts":{…},"actor":{…},"payload":{…}}
//! {"id":"0190…","ts":{…},"actor":{…},"payload":{…}}
//! ```
//!
//! Lines, not one JSON document, so that a 200 MB export is written and read piece by piece with a
//! progress bar, and a damaged line is reported by number without losing the rest. Importing merges
//! by op id (see [`crate::Workspace::apply`]), so importing a file twice, or into a workspace that
//! already has some of its ops, is safe.

use serde::{Deserialize, Serialize};

use crate::op::Op;

pub const EXPORT_FORMAT: &str = "helpdesk-export";
pub const EXPORT_VERSION: u32 = 1;

/// The first line of an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportHeader {
    pub format: String,
    pub version: u32,
    /// The workspace's name when exported (for the person choosing a file).
    pub workspace: String,
    pub exported_at_ms: u64,
    /// How many op lines follow, to tell a complete file from a cut-off one.
    pub ops: u64,
}

impl ExportHeader {
    pub fn new(workspace: &str, exported_at_ms: u64, ops: u64) -> Self {
        Self {
            format: EXPORT_FORMAT.to_owned(),
            version: EXPORT_VERSION,
            workspace: workspace.to_owned(),
            exported_at_ms,
            ops,
        }
    }

    /// The header line, with its newline.
    pub fn to_line(&self) -> String {
        let mut line = serde_json::to_string(self).expect("the header serialises");
        line.push('\n');
        line
    }
}

/// The file name an export gets: `helpdesk-<workspace>-<YYYY-MM-DD>.jsonl`, with characters that
/// file systems dislike replaced (Japanese names stay Japanese).
pub fn file_name(workspace: &str, exported_at_ms: u64) -> String {
    let mut name: String =
        workspace.trim().chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect();
    while name.contains("--") {
        name = name.replace("--", "-");
    }
    let name = name.trim_matches('-');
    // The UTC date: the file name is for people, and a day either way does not matter.
    let date = crate::time::Date::from_days_since_epoch((exported_at_ms / crate::time::DAY_MS) as i64);
    if name.is_empty() { format!("helpdesk-{date}.jsonl") } else { format!("helpdesk-{name}-{date}.jsonl") }
}

/// One op as a line of the file, with its newline.
pub fn op_line(op: &Op) -> String {
    let mut line = serde_json::to_string(op).expect("ops serialise to JSON");
    line.push('\n');
    line
}

/// Why a file cannot be imported (or could be only in part).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("this file is not a helpdesk export")]
    NotAnExport,
    #[error("this export has format version {found}; this version of the app reads version {EXPORT_VERSION}")]
    UnsupportedVersion { found: u32 },
    #[error("line {line} of the file is damaged: {reason}")]
    BadLine { line: usize, reason: String },
    #[error("the file is incomplete: it announces {expected} changes but holds {found}")]
    Incomplete { expected: u64, found: u64 },
    #[error("the file is empty")]
    Empty,
}

/// Reads an export piece by piece: feed it bytes as they are read from the file.
#[derive(Debug, Default)]
pub struct ImportParser {
    header: Option<ExportHeader>,
    /// Bytes after the last newline seen (a line cut by the read boundary).
    partial: Vec<u8>,
    line: usize,
    ops_seen: u64,
}

impl ImportParser {
    pub fn new() -> Self {
        Self::default()
    }

    /// The header, once its line has been read.
    pub fn header(&self) -> Option<&ExportHeader> {
        self.header.as_ref()
    }

    /// How many op lines have been read.
    pub fn ops_seen(&self) -> u64 {
        self.ops_seen
    }

    /// Parses the complete lines in `bytes` (plus what was left over) into `ops`. On a damaged
    /// line, the ops of the lines before it are already in `ops`, so a caller can keep them.
    pub fn feed(&mut self, bytes: &[u8], ops: &mut Vec<Op>) -> Result<(), ImportError> {
        self.partial.extend_from_slice(bytes);
        let Some(last_newline) = self.partial.iter().rposition(|b| *b == b'\n') else {
            return Ok(());
        };
        let rest = self.partial.split_off(last_newline + 1);
        let complete = std::mem::replace(&mut self.partial, rest);
        for raw in complete.split(|b| *b == b'\n') {
            if let Some(op) = self.parse_line(raw)? {
                ops.push(op);
            }
        }
        Ok(())
    }

    /// Parses what is left after the last read into `ops` and checks the file was complete.
    pub fn finish(&mut self, ops: &mut Vec<Op>) -> Result<(), ImportError> {
        let rest = std::mem::take(&mut self.partial);
        ops.extend(self.parse_line(&rest)?);
        let Some(header) = &self.header else { return Err(ImportError::Empty) };
        if header.ops != self.ops_seen {
            return Err(ImportError::Incomplete { expected: header.ops, found: self.ops_seen });
        }
        Ok(())
    }

    fn parse_line(&mut self, raw: &[u8]) -> Result<Option<Op>, ImportError> {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            if !raw.is_empty() || self.header.is_some() {
                self.line += 1;
            }
            return Ok(None);
        }
        self.line += 1;
        if std::str::from_utf8(raw).is_err() {
            return Err(ImportError::BadLine { line: self.line, reason: "not UTF-8 text".to_owned() });
        }
        // From bytes, like the op logs in storage: one instantiation of every op type's JSON
        // decoder instead of two (that saves about 20 KB of the app's download).
        if self.header.is_none() {
            let header: ExportHeader = serde_json::from_slice(raw).map_err(|_| ImportError::NotAnExport)?;
            if header.format != EXPORT_FORMAT {
                return Err(ImportError::NotAnExport);
            }
            if header.version != EXPORT_VERSION {
                return Err(ImportError::UnsupportedVersion { found: header.version });
            }
            self.header = Some(header);
            return Ok(None);
        }
        let op: Op = serde_json::from_slice(raw)
            .map_err(|error| ImportError::BadLine { line: self.line, reason: error.to_string() })?;
        self.ops_seen += 1;
        Ok(Some(op))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_file_names_are_safe_and_dated() {
        assert_eq!(file_name("サポート", 1_767_225_600_000), "helpdesk-サポート-2026-01-01.jsonl");
        assert_eq!(file_name("ACME Support / JP", 1_767_225_600_000), "helpdesk-ACME-Support-JP-2026-01-01.jsonl");
        assert_eq!(file_name("  ", 951_782_400_000), "helpdesk-2000-02-29.jsonl");
        assert_eq!(file_name("x", 0), "helpdesk-x-1970-01-01.jsonl");
    }
}
