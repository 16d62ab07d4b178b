//! A [`Plan`]: a parsed [`Query`] resolved against one workspace, agent, instant and time zone,
//! ready for [`super::SearchIndex::search`]. Resolution is where names become ids (`assignee:hanako`)
//! and dates become instants (`created:today` in the workspace's zone), so a query that names
//! nobody real is an error here, with the same kind of message as a syntax error.

use std::ops::Range;

use crate::id::{AgentId, CategoryId, TeamId};
use crate::lifecycle::Status;
use crate::model::Tag;
use crate::ticket::TicketSummary;
use crate::time::Zone;
use crate::workspace::Workspace;

use super::query::{
    Comparison, DateFilter, DatePoint, Filter, Flag, Has, ItemKind, Named, Query, QueryError, QueryErrorKind, Sort,
    SortBy, Who,
};
use super::text::{Analyzer, Mode, TermKind, normalize};

/// Who is searching, and when and where: what `assignee:me`, `today` and `7d` mean.
#[derive(Debug, Clone, Copy)]
pub struct SearchContext<'a> {
    pub me: Option<AgentId>,
    pub now_ms: u64,
    pub zone: &'a Zone,
}

/// A query ready to run.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub(crate) texts: Vec<TextClause>,
    pub(crate) conditions: Vec<(Condition, bool)>,
    pub(crate) requesters: Vec<(TextClause, bool)>,
    pub(crate) sort: Sort,
    pub(crate) include_merged: bool,
}

/// A word or phrase as terms to find at given relative positions.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TextClause {
    pub tokens: Vec<QueryTerm>,
    pub negated: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct QueryTerm {
    pub text: String,
    /// Position relative to the clause's first term.
    pub offset: u32,
    pub matching: Matching,
}

/// How a query term matches index terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Matching {
    Exact,
    /// The term or any longer word it begins (the last word as typed).
    WordPrefix,
    /// A single Japanese/Chinese character: every term starting with it.
    Character,
}

impl QueryTerm {
    pub(crate) fn matches(&self, term: &str) -> bool {
        match self.matching {
            Matching::Exact => term == self.text,
            Matching::WordPrefix | Matching::Character => term.starts_with(&self.text),
        }
    }
}

/// A field condition with names resolved to ids and dates to instants.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Condition {
    Status(u8),
    Priority(u8),
    Channel(u8),
    Assignee { nobody: bool, agents: Vec<AgentId> },
    Team { none: bool, teams: Vec<TeamId> },
    Category { none: bool, categories: Vec<CategoryId> },
    Tag(Tag),
    Created(Range<u64>),
    Updated(Range<u64>),
    Due(Range<u64>),
    DueMissing,
    Overdue(u64),
    Open,
    Merged,
    HasAttachment,
    HasDue,
    HasTags,
}

fn bit<T: Copy + PartialEq>(all: &[T], value: T) -> u8 {
    all.iter().position(|v| *v == value).map_or(0, |index| 1 << index)
}

impl Condition {
    pub(crate) fn matches(&self, ticket: &TicketSummary) -> bool {
        use crate::model::{Channel, Priority};
        match self {
            Condition::Status(mask) => mask & bit(&Status::ALL, ticket.status) != 0,
            Condition::Priority(mask) => mask & bit(&Priority::ALL, ticket.priority) != 0,
            Condition::Channel(mask) => mask & bit(&Channel::ALL, ticket.channel) != 0,
            Condition::Assignee { nobody, agents } => match ticket.assignee {
                None => *nobody,
                Some(agent) => agents.contains(&agent),
            },
            Condition::Team { none, teams } => ticket.team.map_or(*none, |team| teams.contains(&team)),
            Condition::Category { none, categories } => {
                ticket.category.map_or(*none, |category| categories.contains(&category))
            }
            Condition::Tag(tag) => ticket.tags.contains(tag),
            Condition::Created(range) => range.contains(&ticket.created_at),
            Condition::Updated(range) => range.contains(&ticket.updated_at),
            Condition::Due(range) => ticket.due_ms.is_some_and(|due| range.contains(&due)),
            Condition::DueMissing => ticket.due_ms.is_none(),
            Condition::Overdue(now) => ticket.is_open() && ticket.due_ms.is_some_and(|due| due < *now),
            Condition::Open => ticket.is_open(),
            Condition::Merged => ticket.merged_into.is_some(),
            Condition::HasAttachment => ticket.has_attachments,
            Condition::HasDue => ticket.due_ms.is_some(),
            Condition::HasTags => !ticket.tags.is_empty(),
        }
    }
}

impl Plan {
    /// Resolves `query` for `context` in `workspace`.
    pub fn new(query: &Query, workspace: &Workspace, context: &SearchContext<'_>) -> Result<Plan, QueryError> {
        let mut analyzer = Analyzer::new();
        let mut plan = Plan {
            texts: Vec::new(),
            conditions: Vec::new(),
            requesters: Vec::new(),
            sort: query.sort.unwrap_or(if query.has_text() {
                Sort { key: SortBy::Relevance, descending: true }
            } else {
                Sort { key: SortBy::Updated, descending: true }
            }),
            include_merged: false,
        };
        for item in &query.items {
            let error = |kind: QueryErrorKind| QueryError { kind, span: item.span.clone() };
            match &item.kind {
                ItemKind::Text { text, phrase } => {
                    if let Some(clause) = text_clause(&mut analyzer, text, *phrase, item.negated) {
                        plan.texts.push(clause);
                    }
                }
                ItemKind::Filter(Filter::Requester(text)) => {
                    if let Some(clause) = text_clause(&mut analyzer, text, false, false) {
                        plan.requesters.push((clause, item.negated));
                    }
                }
                ItemKind::Filter(filter) => {
                    let condition = resolve(filter, workspace, context).map_err(error)?;
                    if condition == Condition::Merged && !item.negated {
                        plan.include_merged = true;
                    }
                    plan.conditions.push((condition, item.negated));
                }
            }
        }
        Ok(plan)
    }

    /// Whether the plan has words or phrases that must match (results are ranked).
    pub fn has_text(&self) -> bool {
        self.texts.iter().any(|clause| !clause.negated)
    }

    /// Whether a ticket passes the plan's field conditions (not its text).
    pub(crate) fn passes(&self, ticket: &TicketSummary) -> bool {
        (self.include_merged || ticket.merged_into.is_none())
            && self.conditions.iter().all(|(condition, negated)| condition.matches(ticket) != *negated)
    }

    pub fn sort(&self) -> Sort {
        self.sort
    }

    /// The byte ranges of `text` that the plan's words and phrases match, in order and not
    /// overlapping: what to mark when showing a result.
    pub fn highlight(&self, text: &str) -> Vec<Range<usize>> {
        let mut analyzer = Analyzer::new();
        let (terms, _) = analyzer.analyze(text, Mode::Index, 0);
        let terms: Vec<_> = terms.collect();
        let mut ranges: Vec<Range<usize>> = Vec::new();
        let first_char = |start: usize| start + text[start..].chars().next().map_or(0, char::len_utf8);
        for clause in self.texts.iter().chain(self.requesters.iter().map(|(clause, _)| clause)) {
            if clause.negated {
                continue;
            }
            let Some(first) = clause.tokens.first() else { continue };
            for (index, term) in terms.iter().enumerate() {
                if !first.matches(term.text) {
                    continue;
                }
                let mut end = term.source.end;
                let all = clause.tokens.iter().skip(1).all(|token| {
                    let wanted = term.position + token.offset;
                    terms[index..].iter().take_while(|t| t.position <= wanted).any(|t| {
                        let found = t.position == wanted && token.matches(t.text);
                        if found {
                            end = end.max(if token.matching == Matching::Character {
                                first_char(t.source.start)
                            } else {
                                t.source.end
                            });
                        }
                        found
                    })
                });
                if all {
                    if clause.tokens.len() == 1 && first.matching == Matching::Character {
                        end = first_char(term.source.start);
                    }
                    ranges.push(term.source.start..end);
                }
            }
        }
        // Plain integer pairs: one compiled sort shared with the rest of the app.
        let mut pairs: Vec<(usize, usize)> = ranges.into_iter().map(|range| (range.start, range.end)).collect();
        pairs.sort_unstable();
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(pairs.len());
        for (start, end) in pairs {
            let range = start..end;
            match merged.last_mut() {
                Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
                _ => merged.push(range),
            }
        }
        merged
    }
}

/// A short passage of a text with what a search matched in it marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    /// Byte ranges of `text` to mark.
    pub marks: Vec<Range<usize>>,
}

impl Plan {
    /// A passage of about `max_chars` characters around the first match in `text`, with `…`
    /// where it was cut; `None` if nothing in `text` matches.
    pub fn snippet(&self, text: &str, max_chars: usize) -> Option<Snippet> {
        let marks = self.highlight(text);
        let first = marks.first()?.clone();
        // Start a little before the first match, at a character boundary; collapse whitespace
        // runs (messages have line breaks) into the single spaces a one-line passage needs.
        let lead = max_chars / 4;
        let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let first_char = starts.partition_point(|&i| i < first.start);
        let from_char = first_char.saturating_sub(lead);
        let to_char = (from_char + max_chars).min(starts.len());
        let from = starts[from_char];
        let to = starts.get(to_char).copied().unwrap_or(text.len());
        let mut out = String::with_capacity(to - from + 8);
        let mut out_marks = Vec::new();
        if from > 0 {
            out.push('…');
        }
        let mut open: Option<usize> = None;
        let mut last_was_space = false;
        for (index, ch) in text[from..to].char_indices() {
            let at = from + index;
            if marks.iter().any(|mark| mark.start == at) {
                open = Some(out.len());
            }
            if ch.is_whitespace() {
                if !last_was_space {
                    out.push(' ');
                }
                last_was_space = true;
            } else {
                out.push(ch);
                last_was_space = false;
            }
            let next = at + ch.len_utf8();
            if let Some(start) = open
                && marks.iter().any(|mark| mark.end == next)
            {
                out_marks.push(start..out.len());
                open = None;
            }
        }
        if let Some(start) = open {
            out_marks.push(start..out.len());
        }
        if to < text.len() {
            out.push('…');
        }
        Some(Snippet { text: out, marks: out_marks })
    }

    /// The first passage of a ticket's description or conversation that matches, for showing
    /// why a ticket was found when its subject does not say.
    pub fn ticket_snippet(&self, ticket: &crate::ticket::Ticket, max_chars: usize) -> Option<Snippet> {
        std::iter::once(ticket.description.as_str())
            .chain(ticket.messages.iter().map(|message| message.body.as_str()))
            .find_map(|text| self.snippet(text, max_chars))
    }
}

/// The terms of one word or phrase; `None` if it has none (punctuation only).
fn text_clause(analyzer: &mut Analyzer, text: &str, phrase: bool, negated: bool) -> Option<TextClause> {
    let (terms, _) = analyzer.analyze(text, Mode::Query, 0);
    let terms: Vec<_> = terms.collect();
    let first = terms.first()?.position;
    let last = terms.len() - 1;
    let tokens = terms
        .iter()
        .enumerate()
        .map(|(index, term)| QueryTerm {
            text: term.text.to_owned(),
            offset: term.position - first,
            matching: match term.kind {
                TermKind::Single => Matching::Character,
                // A word as typed may be unfinished (or the start of a longer one); a phrase is
                // exactly what it says. A word split into several terms ("A-12345") completes
                // only its last.
                TermKind::Word if !phrase && index == last && term.text.chars().count() >= 2 => Matching::WordPrefix,
                _ => Matching::Exact,
            },
        })
        .collect();
    Some(TextClause { tokens, negated })
}

fn resolve(filter: &Filter, workspace: &Workspace, context: &SearchContext<'_>) -> Result<Condition, QueryErrorKind> {
    use crate::model::{Channel, Priority};
    Ok(match filter {
        Filter::Status(statuses) => Condition::Status(statuses.iter().fold(0, |mask, s| mask | bit(&Status::ALL, *s))),
        Filter::Priority(priorities) => {
            Condition::Priority(priorities.iter().fold(0, |mask, p| mask | bit(&Priority::ALL, *p)))
        }
        Filter::Channel(channels) => {
            Condition::Channel(channels.iter().fold(0, |mask, c| mask | bit(&Channel::ALL, *c)))
        }
        Filter::Assignee(who) => {
            let mut nobody = false;
            let mut agents = Vec::new();
            for who in who {
                match who {
                    Who::Me => agents.push(context.me.ok_or(QueryErrorKind::NobodySignedIn)?),
                    Who::Nobody => nobody = true,
                    Who::Named(name) => {
                        let found = find_agents(workspace, name);
                        if found.is_empty() {
                            return Err(QueryErrorKind::NoSuchAgent { name: name.clone() });
                        }
                        agents.extend(found);
                    }
                }
            }
            Condition::Assignee { nobody, agents }
        }
        Filter::Team(names) => {
            let all: Vec<_> = workspace.teams().map(|(id, e)| (id, e.profile.name.as_str())).collect();
            let (none, teams) = find_named(names, &all).map_err(|name| QueryErrorKind::NoSuchTeam { name })?;
            Condition::Team { none, teams }
        }
        Filter::Category(names) => {
            let all: Vec<_> = workspace.categories().map(|(id, e)| (id, e.profile.name.as_str())).collect();
            let (none, categories) = find_named(names, &all).map_err(|name| QueryErrorKind::NoSuchCategory { name })?;
            Condition::Category { none, categories }
        }
        Filter::Tag(tag) => Condition::Tag(tag.clone()),
        Filter::Created(date) => Condition::Created(date_range(date, context)?),
        Filter::Updated(date) => Condition::Updated(date_range(date, context)?),
        Filter::Due(DateFilter::Missing) => Condition::DueMissing,
        Filter::Due(date) => Condition::Due(date_range(date, context)?),
        Filter::Is(flag) => match flag {
            Flag::Overdue => Condition::Overdue(context.now_ms),
            Flag::Unassigned => Condition::Assignee { nobody: true, agents: Vec::new() },
            Flag::Assigned => {
                Condition::Assignee { nobody: false, agents: workspace.agents().map(|(id, _)| id).collect() }
            }
            Flag::Mine => {
                Condition::Assignee { nobody: false, agents: vec![context.me.ok_or(QueryErrorKind::NobodySignedIn)?] }
            }
            Flag::Open => Condition::Open,
            Flag::Merged => Condition::Merged,
        },
        Filter::Has(has) => match has {
            Has::Attachment => Condition::HasAttachment,
            Has::Due => Condition::HasDue,
            Has::Tags => Condition::HasTags,
        },
        Filter::Requester(_) => unreachable!("requester filters are text clauses"),
    })
}

/// Agents whose handle, name or address is `name` (ignoring case and width), or failing that
/// whose name contains it.
fn find_agents(workspace: &Workspace, name: &str) -> Vec<AgentId> {
    let wanted = normalize(name.trim().trim_start_matches('@'));
    let exact: Vec<AgentId> = workspace
        .agents()
        .filter(|(_, entry)| {
            let profile = &entry.profile;
            normalize(&profile.handle) == wanted
                || normalize(&profile.name) == wanted
                || normalize(profile.email.as_str()) == wanted
        })
        .map(|(id, _)| id)
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    workspace.agents().filter(|(_, entry)| normalize(&entry.profile.name).contains(&wanted)).map(|(id, _)| id).collect()
}

/// Resolves team or category names: exact (ignoring case and width) where one is, else every
/// name containing it. Returns the first name that matches nothing as the error.
fn find_named<I: Copy + PartialEq>(names: &[Named], all: &[(I, &str)]) -> Result<(bool, Vec<I>), String> {
    let mut none = false;
    let mut ids = Vec::new();
    for name in names {
        let Named::Named(name) = name else {
            none = true;
            continue;
        };
        let wanted = normalize(name);
        let exact: Vec<I> = all.iter().filter(|(_, n)| normalize(n) == wanted).map(|(id, _)| *id).collect();
        let found = if exact.is_empty() {
            all.iter().filter(|(_, n)| normalize(n).contains(&wanted)).map(|(id, _)| *id).collect()
        } else {
            exact
        };
        if found.is_empty() {
            return Err(name.clone());
        }
        ids.extend(found);
    }
    Ok((none, ids))
}

/// The instants a point covers: a day or month from its local start to the next, a relative
/// point or now as the instant itself.
fn point_range(point: DatePoint, context: &SearchContext<'_>) -> Range<u64> {
    let zone = context.zone;
    match point {
        DatePoint::Day(day) => zone.day_start(day)..zone.day_start(day.add_days(1)),
        DatePoint::Month { year, month } => {
            let first = crate::time::Date::new(year, month, 1).expect("checked when parsed");
            zone.day_start(first)..zone.day_start(first.next_month_start())
        }
        DatePoint::Today(days) => {
            let day = zone.today(context.now_ms).add_days(i64::from(days));
            zone.day_start(day)..zone.day_start(day.add_days(1))
        }
        DatePoint::Now => context.now_ms..context.now_ms + 1,
        DatePoint::Ago(ms) => {
            let at = (context.now_ms as i64 - ms).max(0) as u64;
            at..at + 1
        }
    }
}

fn date_range(filter: &DateFilter, context: &SearchContext<'_>) -> Result<Range<u64>, QueryErrorKind> {
    Ok(match *filter {
        // Relative points on their own mean "between then and now".
        DateFilter::On(DatePoint::Ago(ms)) if ms >= 0 => point_range(DatePoint::Ago(ms), context).start..u64::MAX,
        DateFilter::On(DatePoint::Ago(ms)) => context.now_ms..point_range(DatePoint::Ago(ms), context).end,
        DateFilter::On(point) => point_range(point, context),
        DateFilter::Compare(comparison, point) => {
            let range = point_range(point, context);
            match comparison {
                Comparison::After => range.end..u64::MAX,
                Comparison::From => range.start..u64::MAX,
                Comparison::Before => 0..range.start,
                Comparison::Until => 0..range.end,
            }
        }
        DateFilter::Between(from, to) => {
            let (from, to) = (point_range(from, context), point_range(to, context));
            if from.start >= to.end {
                return Err(QueryErrorKind::BackwardsRange);
            }
            from.start..to.end
        }
        DateFilter::Missing => 0..0,
    })
}
