//! The query language: what an agent types into the search box, parsed into a [`Query`].
//!
//! ```text
//! login error                 both words; a word also finds longer ones it begins ("pass": "password")
//! "reset my password"         the exact phrase
//! パスワード                   a Japanese word anywhere in a sentence
//! -spam  -"out of office"     without this word or phrase
//! status:open                 status: new assigned in_progress pending resolved closed, or open
//! status:new,pending          any of several values (also priority:, channel:, assignee:, team:, category:)
//! priority:high  priority:>=high
//! assignee:me  assignee:none  assignee:hanako  assignee:"山田 花子"
//! team:Billing  category:配送  category:none  tag:vip  channel:phone  requester:yamada@example.jp
//! created:2026-11-01  created:>2026-11-01  created:<=2026-11  created:2026-11-01..2026-11-15
//! updated:today  updated:yesterday  created:7d (last 7 days)  updated:<30d (more than 30 days ago)
//! due:<today  due:+3d (within 3 days)  due:none
//! is:overdue is:unassigned is:assigned is:mine is:open is:merged   has:attachment has:due has:tags
//! sort:relevance sort:updated sort:created sort:number sort:priority sort:due sort:status (-asc, -desc)
//! ```
//!
//! Every part of a query must hold (AND). Filter names are English and case-insensitive;
//! full-width input (`ｓｔａｔｕｓ：ｏｐｅｎ`) is read as half-width. A word followed by a colon that is
//! not a filter is an error, so a typo in a filter name is never silently searched as text;
//! quoting it (`"error:"`) searches the text.
//!
//! This module only checks syntax. Names (agents, teams, categories) and dates are resolved
//! against a workspace, a clock and a time zone by [`super::plan`].

use std::ops::Range;

use crate::lifecycle::Status;
use crate::model::{Channel, Priority, Tag, fold_full_width};
use crate::time::Date;

/// How many words and phrases one query may have.
pub const MAX_TEXT_CLAUSES: usize = 32;

/// A parsed query: every item must hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub items: Vec<Item>,
    pub sort: Option<Sort>,
}

impl Query {
    /// Whether the query has words or phrases to match (rather than filters alone).
    pub fn has_text(&self) -> bool {
        self.items.iter().any(|item| matches!(item.kind, ItemKind::Text { .. }) && !item.negated)
    }
}

/// One part of a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub kind: ItemKind,
    /// `-` in front: the item must not hold.
    pub negated: bool,
    /// Where it is in the query, in characters.
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ItemKind {
    /// A word as typed (its last term matches as a prefix), or a quoted phrase (exact).
    Text {
        text: String,
        phrase: bool,
    },
    Filter(Filter),
}

/// A field condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// Any of these statuses.
    Status(Vec<Status>),
    Priority(Vec<Priority>),
    Channel(Vec<Channel>),
    Assignee(Vec<Who>),
    Team(Vec<Named>),
    Category(Vec<Named>),
    Tag(Tag),
    /// Text found in the requester's name, organisation or an address.
    Requester(String),
    Created(DateFilter),
    Updated(DateFilter),
    Due(DateFilter),
    Is(Flag),
    Has(Has),
}

/// An agent in `assignee:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    /// The agent searching.
    Me,
    Nobody,
    /// A handle, name or address (matched case- and width-insensitively).
    Named(String),
}

/// A team or category in a filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Named {
    None,
    Named(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    Overdue,
    Unassigned,
    Assigned,
    Mine,
    Open,
    Merged,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Has {
    Attachment,
    Due,
    Tags,
}

/// A condition on a date field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateFilter {
    /// Within the point (a day, a month; for a relative point, between it and now).
    On(DatePoint),
    /// Compared with the point: `>` after it ends, `>=` from its start, `<` before it starts,
    /// `<=` until it ends.
    Compare(Comparison, DatePoint),
    /// From the start of the first to the end of the second.
    Between(DatePoint, DatePoint),
    /// The field has no value (`due:none`).
    Missing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    After,
    From,
    Before,
    Until,
}

/// A point in time as typed; days and months are local days in the workspace's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatePoint {
    Day(Date),
    Month {
        year: i32,
        month: u8,
    },
    /// Today plus this many days (`yesterday` is −1).
    Today(i32),
    Now,
    /// This many milliseconds before (negative: after) now.
    Ago(i64),
}

/// The order of results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub key: SortBy,
    pub descending: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    Relevance,
    Updated,
    Created,
    Number,
    Priority,
    Due,
    Status,
}

impl SortBy {
    const ALL: [(&'static str, SortBy); 7] = [
        ("relevance", SortBy::Relevance),
        ("updated", SortBy::Updated),
        ("created", SortBy::Created),
        ("number", SortBy::Number),
        ("priority", SortBy::Priority),
        ("due", SortBy::Due),
        ("status", SortBy::Status),
    ];

    /// Newest, most urgent, best match first; the due date soonest first.
    pub fn default_descending(self) -> bool {
        !matches!(self, SortBy::Due | SortBy::Status)
    }
}

/// Why a query could not be read, and where. Messages say what to change; the app translates
/// them by kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[error("{kind} (at characters {}–{})", span.start, span.end)]
pub struct QueryError {
    pub kind: QueryErrorKind,
    /// The offending part of the query, in characters.
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum QueryErrorKind {
    #[error("a quotation mark is not closed")]
    UnclosedQuote,
    #[error("there is no filter called {name:?}; put the text in quotes to search for it")]
    UnknownFilter { name: String },
    #[error("the filter {filter}: needs a value")]
    MissingValue { filter: &'static str },
    #[error("{value:?} is not a value of {filter}: (expected {expected})")]
    BadValue { filter: &'static str, value: String, expected: &'static str },
    #[error(
        "{value:?} is not a date: use 2026-11-01, 2026-11, today, yesterday, 7d or +3d, optionally with > >= < <= or a range a..b"
    )]
    BadDate { value: String },
    #[error("this date range ends before it starts")]
    BackwardsRange,
    #[error("sort: can be given once")]
    SortTwice,
    #[error("sort: cannot be negated")]
    NegatedSort,
    #[error("a query can have at most {max} words and phrases")]
    TooManyWords { max: usize },
    #[error("no agent is called {name:?}")]
    NoSuchAgent { name: String },
    #[error("no team is called {name:?}")]
    NoSuchTeam { name: String },
    #[error("no category is called {name:?}")]
    NoSuchCategory { name: String },
    #[error("assignee:me needs an agent signed in to this browser")]
    NobodySignedIn,
}

/// Parses a query. The empty query is valid (it matches every ticket).
pub fn parse(input: &str) -> Result<Query, QueryError> {
    let chars: Vec<char> = input.chars().map(fold_full_width).collect();
    let mut query = Query { items: Vec::new(), sort: None };
    let mut text_clauses = 0;
    let mut at = 0;
    while at < chars.len() {
        if chars[at].is_whitespace() {
            at += 1;
            continue;
        }
        let start = at;
        let negated = chars[at] == '-' && chars.get(at + 1).is_some_and(|c| !c.is_whitespace());
        let body = if negated { at + 1 } else { at };
        let (parsed, end) = if chars[body] == '"' {
            let (text, end) = quoted(&chars, body)?;
            (Parsed::Item(ItemKind::Text { text, phrase: true }), end)
        } else {
            parse_bare(&chars, body)?
        };
        let span = start..end;
        match parsed {
            Parsed::Sort(sort) => {
                let kind = if negated {
                    Some(QueryErrorKind::NegatedSort)
                } else if query.sort.is_some() {
                    Some(QueryErrorKind::SortTwice)
                } else {
                    None
                };
                if let Some(kind) = kind {
                    return Err(QueryError { kind, span });
                }
                query.sort = Some(sort);
            }
            Parsed::Item(kind) => {
                if matches!(kind, ItemKind::Text { .. }) {
                    text_clauses += 1;
                    if text_clauses > MAX_TEXT_CLAUSES {
                        return Err(QueryError { kind: QueryErrorKind::TooManyWords { max: MAX_TEXT_CLAUSES }, span });
                    }
                }
                query.items.push(Item { kind, negated, span });
            }
        }
        at = end;
    }
    Ok(query)
}

/// The filter names, as written in queries.
pub const FILTER_NAMES: [&str; 14] = [
    "status",
    "priority",
    "channel",
    "assignee",
    "team",
    "category",
    "tag",
    "requester",
    "created",
    "updated",
    "due",
    "is",
    "has",
    "sort",
];

const STATUS_VALUES: &str = "new, assigned, in_progress, pending, resolved, closed or open";
const PRIORITY_VALUES: &str = "low, medium, high or critical, optionally after > >= < <=";
const CHANNEL_VALUES: &str = "email, web_form, chat, phone, social or internal";
const IS_VALUES: &str = "overdue, unassigned, assigned, mine, open or merged";
const HAS_VALUES: &str = "attachment, due or tags";
const SORT_VALUES: &str = "relevance, updated, created, number, priority, due or status, optionally with -asc or -desc";

enum Parsed {
    Item(ItemKind),
    Sort(Sort),
}

/// The text between a quotation mark at `open` and the next one, and the index after it.
fn quoted(chars: &[char], open: usize) -> Result<(String, usize), QueryError> {
    let close = chars[open + 1..]
        .iter()
        .position(|c| *c == '"')
        .map(|n| open + 1 + n)
        .ok_or(QueryError { kind: QueryErrorKind::UnclosedQuote, span: open..chars.len() })?;
    Ok((chars[open + 1..close].iter().collect(), close + 1))
}

fn word_end(chars: &[char], from: usize) -> usize {
    chars[from..].iter().position(|c| c.is_whitespace()).map_or(chars.len(), |n| from + n)
}

/// A word, or `name:value` (the value possibly quoted).
fn parse_bare(chars: &[char], start: usize) -> Result<(Parsed, usize), QueryError> {
    let name_end = chars[start..].iter().position(|c| !c.is_ascii_alphabetic()).map_or(chars.len(), |n| start + n);
    let value_start = name_end + 1;
    let is_url = chars.get(value_start) == Some(&'/') && chars.get(value_start + 1) == Some(&'/');
    if name_end > start && chars.get(name_end) == Some(&':') && !is_url {
        let name = chars[start..name_end].iter().collect::<String>().to_ascii_lowercase();
        let (value, end) = if chars.get(value_start) == Some(&'"') {
            quoted(chars, value_start)?
        } else {
            let end = word_end(chars, value_start);
            (chars[value_start..end].iter().collect(), end)
        };
        let span = start..end;
        return parse_filter(&name, value.trim(), span).map(|parsed| (parsed, end));
    }
    let end = word_end(chars, start);
    Ok((Parsed::Item(ItemKind::Text { text: chars[start..end].iter().collect(), phrase: false }), end))
}

fn parse_filter(name: &str, value: &str, span: Range<usize>) -> Result<Parsed, QueryError> {
    let Some(filter) = FILTER_NAMES.iter().copied().find(|known| *known == name) else {
        return Err(QueryError { kind: QueryErrorKind::UnknownFilter { name: name.to_owned() }, span });
    };
    let error = |kind: QueryErrorKind| QueryError { kind, span: span.clone() };
    if value.is_empty() {
        return Err(error(QueryErrorKind::MissingValue { filter }));
    }
    let bad = |expected: &'static str| error(QueryErrorKind::BadValue { filter, value: value.to_owned(), expected });
    let lower = crate::case::lowercase(value).into_owned();
    let list = || lower.split(',').map(str::trim).filter(|v| !v.is_empty());
    let filter = match filter {
        "status" => Filter::Status(
            list().map(status_values).collect::<Option<Vec<_>>>().ok_or_else(|| bad(STATUS_VALUES))?.concat(),
        ),
        "priority" => Filter::Priority(priorities(&lower).ok_or_else(|| bad(PRIORITY_VALUES))?),
        "channel" => {
            Filter::Channel(list().map(channel_value).collect::<Option<_>>().ok_or_else(|| bad(CHANNEL_VALUES))?)
        }
        "assignee" => Filter::Assignee(
            value
                .split(',')
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(|v| match crate::case::lowercase(v).as_ref() {
                    "me" => Who::Me,
                    "none" | "nobody" => Who::Nobody,
                    _ => Who::Named(v.to_owned()),
                })
                .collect(),
        ),
        "team" | "category" => {
            let names = value
                .split(',')
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(|v| if v.eq_ignore_ascii_case("none") { Named::None } else { Named::Named(v.to_owned()) })
                .collect();
            if filter == "team" { Filter::Team(names) } else { Filter::Category(names) }
        }
        "tag" => Filter::Tag(Tag::parse(value).map_err(|_| bad("a tag without commas"))?),
        "requester" => Filter::Requester(value.to_owned()),
        "created" | "updated" | "due" => {
            let date = date_filter(&lower, filter == "due")
                .ok_or_else(|| error(QueryErrorKind::BadDate { value: value.to_owned() }))?;
            match filter {
                "created" => Filter::Created(date),
                "updated" => Filter::Updated(date),
                _ => Filter::Due(date),
            }
        }
        "is" => Filter::Is(match lower.as_str() {
            "overdue" => Flag::Overdue,
            "unassigned" => Flag::Unassigned,
            "assigned" => Flag::Assigned,
            "mine" => Flag::Mine,
            "open" => Flag::Open,
            "merged" => Flag::Merged,
            _ => return Err(bad(IS_VALUES)),
        }),
        "has" => Filter::Has(match lower.as_str() {
            "attachment" | "attachments" => Has::Attachment,
            "due" => Has::Due,
            "tag" | "tags" => Has::Tags,
            _ => return Err(bad(HAS_VALUES)),
        }),
        _ => return sort_value(&lower).map(Parsed::Sort).ok_or_else(|| bad(SORT_VALUES)),
    };
    Ok(Parsed::Item(ItemKind::Filter(filter)))
}

fn status_values(value: &str) -> Option<Vec<Status>> {
    if value == "open" {
        return Some(Status::ALL.into_iter().filter(|s| s.is_open()).collect());
    }
    let canonical = value.replace('-', "_");
    let canonical = if canonical == "inprogress" { "in_progress" } else { canonical.as_str() };
    Status::parse(canonical).map(|status| vec![status])
}

/// `high`, `low,medium`, or a comparison: `>medium`, `>=high`, `<high`, `<=low`.
fn priorities(value: &str) -> Option<Vec<Priority>> {
    let comparison =
        [(">=", Comparison::From), (">", Comparison::After), ("<=", Comparison::Until), ("<", Comparison::Before)]
            .into_iter()
            .find_map(|(prefix, comparison)| value.strip_prefix(prefix).map(|rest| (comparison, rest.trim())));
    if let Some((comparison, rest)) = comparison {
        let pivot = Priority::parse(rest)?;
        return Some(
            Priority::ALL
                .into_iter()
                .filter(|p| match comparison {
                    Comparison::After => *p > pivot,
                    Comparison::From => *p >= pivot,
                    Comparison::Before => *p < pivot,
                    Comparison::Until => *p <= pivot,
                })
                .collect(),
        );
    }
    let list: Option<Vec<Priority>> =
        value.split(',').map(str::trim).filter(|v| !v.is_empty()).map(Priority::parse).collect();
    list.filter(|list| !list.is_empty())
}

fn channel_value(value: &str) -> Option<Channel> {
    match value {
        "web-form" | "webform" | "form" => Some(Channel::WebForm),
        _ => Channel::parse(value),
    }
}

fn sort_value(value: &str) -> Option<Sort> {
    let (name, direction) = match value.rsplit_once(['-', '_']) {
        Some((name, "asc")) => (name, Some(false)),
        Some((name, "desc")) => (name, Some(true)),
        _ => (value, None),
    };
    let key = SortBy::ALL.into_iter().find(|(text, _)| *text == name)?.1;
    Some(Sort { key, descending: direction.unwrap_or(key.default_descending()) })
}

fn date_filter(value: &str, allow_missing: bool) -> Option<DateFilter> {
    if value == "none" {
        return allow_missing.then_some(DateFilter::Missing);
    }
    if let Some((from, to)) = value.split_once("..") {
        return Some(DateFilter::Between(date_point(from)?, date_point(to)?));
    }
    let comparisons =
        [(">=", Comparison::From), (">", Comparison::After), ("<=", Comparison::Until), ("<", Comparison::Before)];
    for (prefix, comparison) in comparisons {
        if let Some(rest) = value.strip_prefix(prefix) {
            return Some(DateFilter::Compare(comparison, date_point(rest)?));
        }
    }
    Some(DateFilter::On(date_point(value)?))
}

fn date_point(text: &str) -> Option<DatePoint> {
    let text = text.trim();
    match text {
        "today" => return Some(DatePoint::Today(0)),
        "yesterday" => return Some(DatePoint::Today(-1)),
        "tomorrow" => return Some(DatePoint::Today(1)),
        "now" => return Some(DatePoint::Now),
        _ => {}
    }
    if let Some(day) = Date::parse(text) {
        return Some(DatePoint::Day(day));
    }
    if text.len() == 7 && text.as_bytes()[4] == b'-' {
        let year: i32 = text[..4].parse().ok()?;
        let month: u8 = text[5..].parse().ok()?;
        Date::new(year, month, 1)?;
        return Some(DatePoint::Month { year, month });
    }
    let (ahead, rest) = match text.as_bytes().first()? {
        b'+' => (true, &text[1..]),
        b'-' => (false, &text[1..]),
        _ => (false, text),
    };
    let unit_at = rest.find(|c: char| !c.is_ascii_digit())?;
    let amount: i64 = rest[..unit_at].parse().ok().filter(|n| *n <= 100_000)?;
    let unit_ms: i64 = match &rest[unit_at..] {
        "h" | "hour" | "hours" => 3_600_000,
        "d" | "day" | "days" => 86_400_000,
        "w" | "week" | "weeks" => 7 * 86_400_000,
        _ => return None,
    };
    let ms = amount * unit_ms;
    Some(DatePoint::Ago(if ahead { -ms } else { ms }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(input: &str) -> Vec<(bool, ItemKind)> {
        parse(input).unwrap().items.into_iter().map(|item| (item.negated, item.kind)).collect()
    }

    fn text(text: &str, phrase: bool) -> ItemKind {
        ItemKind::Text { text: text.into(), phrase }
    }

    fn error(input: &str) -> (QueryErrorKind, Range<usize>) {
        let error = parse(input).unwrap_err();
        (error.kind, error.span)
    }

    #[test]
    fn words_phrases_and_negation() {
        assert_eq!(items("login  error"), [(false, text("login", false)), (false, text("error", false))]);
        assert_eq!(
            items(r#""reset my password" -spam"#),
            [(false, text("reset my password", true)), (true, text("spam", false))]
        );
        assert_eq!(items(r#"-"out of office""#), [(true, text("out of office", true))]);
        assert_eq!(items("パスワード　再設定"), [(false, text("パスワード", false)), (false, text("再設定", false))]);
        // A lone dash is a word (of no terms), not a negation of nothing.
        assert_eq!(items("a - b"), [(false, text("a", false)), (false, text("-", false)), (false, text("b", false))]);
        assert!(parse("").unwrap().items.is_empty());
        assert!(parse("   ").unwrap().items.is_empty());
    }

    #[test]
    fn filters() {
        let filter = |input: &str| match parse(input).unwrap().items.remove(0).kind {
            ItemKind::Filter(filter) => filter,
            other => panic!("{input}: {other:?}"),
        };
        assert_eq!(
            filter("status:open"),
            Filter::Status(vec![Status::New, Status::Assigned, Status::InProgress, Status::Pending])
        );
        assert_eq!(filter("Status:New,pending"), Filter::Status(vec![Status::New, Status::Pending]));
        assert_eq!(filter("status:in-progress"), Filter::Status(vec![Status::InProgress]));
        assert_eq!(filter("priority:>=high"), Filter::Priority(vec![Priority::Critical, Priority::High]));
        assert_eq!(filter("priority:low,medium"), Filter::Priority(vec![Priority::Low, Priority::Medium]));
        assert_eq!(filter("channel:web-form"), Filter::Channel(vec![Channel::WebForm]));
        assert_eq!(filter(r#"assignee:"山田 花子""#), Filter::Assignee(vec![Who::Named("山田 花子".into())]));
        assert_eq!(filter("assignee:me,none"), Filter::Assignee(vec![Who::Me, Who::Nobody]));
        assert_eq!(filter("category:none"), Filter::Category(vec![Named::None]));
        assert_eq!(filter("team:Billing"), Filter::Team(vec![Named::Named("Billing".into())]));
        assert_eq!(filter("tag:VIP"), Filter::Tag(Tag::parse("vip").unwrap()));
        assert_eq!(filter("requester:yamada@example.jp"), Filter::Requester("yamada@example.jp".into()));
        assert_eq!(filter("is:overdue"), Filter::Is(Flag::Overdue));
        assert_eq!(filter("has:attachments"), Filter::Has(Has::Attachment));
        // Full-width input from a Japanese input method reads as half-width.
        assert_eq!(filter("ｓｔａｔｕｓ：ｐｅｎｄｉｎｇ"), Filter::Status(vec![Status::Pending]));
    }

    #[test]
    fn dates() {
        let date = |input: &str| match parse(input).unwrap().items.remove(0).kind {
            ItemKind::Filter(Filter::Created(date) | Filter::Updated(date) | Filter::Due(date)) => date,
            other => panic!("{input}: {other:?}"),
        };
        let day = |text: &str| DatePoint::Day(Date::parse(text).unwrap());
        assert_eq!(date("created:2026-11-01"), DateFilter::On(day("2026-11-01")));
        assert_eq!(date("created:>2026-11-01"), DateFilter::Compare(Comparison::After, day("2026-11-01")));
        assert_eq!(
            date("created:<=2026-11"),
            DateFilter::Compare(Comparison::Until, DatePoint::Month { year: 2026, month: 11 })
        );
        assert_eq!(date("created:2026-11-01..2026-11-15"), DateFilter::Between(day("2026-11-01"), day("2026-11-15")));
        assert_eq!(date("updated:today"), DateFilter::On(DatePoint::Today(0)));
        assert_eq!(date("updated:yesterday"), DateFilter::On(DatePoint::Today(-1)));
        assert_eq!(date("created:7d"), DateFilter::On(DatePoint::Ago(7 * 86_400_000)));
        assert_eq!(date("updated:<30d"), DateFilter::Compare(Comparison::Before, DatePoint::Ago(30 * 86_400_000)));
        assert_eq!(date("due:+3d"), DateFilter::On(DatePoint::Ago(-3 * 86_400_000)));
        assert_eq!(date("due:<now"), DateFilter::Compare(Comparison::Before, DatePoint::Now));
        assert_eq!(date("due:none"), DateFilter::Missing);
        assert_eq!(date("created:12h"), DateFilter::On(DatePoint::Ago(12 * 3_600_000)));
    }

    #[test]
    fn sort() {
        let sort = |input: &str| parse(input).unwrap().sort.unwrap();
        assert_eq!(sort("sort:updated"), Sort { key: SortBy::Updated, descending: true });
        assert_eq!(sort("sort:updated-asc"), Sort { key: SortBy::Updated, descending: false });
        assert_eq!(sort("sort:due"), Sort { key: SortBy::Due, descending: false });
        assert_eq!(sort("x sort:priority_desc"), Sort { key: SortBy::Priority, descending: true });
        assert_eq!(parse("a").unwrap().sort, None);
    }

    #[test]
    fn urls_and_times_are_words() {
        assert_eq!(items("https://example.com/login"), [(false, text("https://example.com/login", false))]);
        assert_eq!(items("10:30"), [(false, text("10:30", false))]);
        assert_eq!(items(r#""error: 500""#), [(false, text("error: 500", true))]);
    }

    #[test]
    fn errors_say_what_is_wrong_and_where() {
        assert_eq!(error(r#"login "reset my"#), (QueryErrorKind::UnclosedQuote, 6..15));
        assert_eq!(error("stauts:open"), (QueryErrorKind::UnknownFilter { name: "stauts".into() }, 0..11));
        assert_eq!(error("error: 500"), (QueryErrorKind::UnknownFilter { name: "error".into() }, 0..6));
        assert_eq!(error("a status:"), (QueryErrorKind::MissingValue { filter: "status" }, 2..9));
        assert!(matches!(error("status:done").0, QueryErrorKind::BadValue { filter: "status", .. }));
        assert!(matches!(error("priority:>urgent").0, QueryErrorKind::BadValue { filter: "priority", .. }));
        assert!(matches!(error("is:happy").0, QueryErrorKind::BadValue { filter: "is", .. }));
        assert!(matches!(error("tag:a,b").0, QueryErrorKind::BadValue { filter: "tag", .. }));
        assert_eq!(error("created:2026-02-30").0, QueryErrorKind::BadDate { value: "2026-02-30".into() });
        assert_eq!(error("created:soon").0, QueryErrorKind::BadDate { value: "soon".into() });
        assert_eq!(error("created:none").0, QueryErrorKind::BadDate { value: "none".into() });
        assert_eq!(error("sort:updated sort:number").0, QueryErrorKind::SortTwice);
        assert_eq!(error("-sort:updated").0, QueryErrorKind::NegatedSort);
        assert!(matches!(error("sort:size").0, QueryErrorKind::BadValue { filter: "sort", .. }));
        assert_eq!(error(&"w ".repeat(33)).0, QueryErrorKind::TooManyWords { max: 32 });
        assert_eq!(error(r#"tag:"unclosed"#).0, QueryErrorKind::UnclosedQuote);
    }

    #[test]
    fn error_messages_are_readable() {
        let message = parse("stauts:open").unwrap_err().to_string();
        assert_eq!(
            message,
            "there is no filter called \"stauts\"; put the text in quotes to search for it (at characters 0–11)"
        );
    }
}
