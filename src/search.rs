//! Search in the app: queries typed here run against the session's index as the agent of this
//! browser, at the current time, in the workspace's time zone. The engine, the query language and
//! their errors are helpdesk-core's; this module only supplies who, when and where.

use helpdesk_core::search::query::{self, QueryError};
use helpdesk_core::time::Zone;
use helpdesk_core::{Hit, Plan, SearchContext, Workspace};
use leptos::prelude::{GetUntracked, Track};

use crate::platform::now_ms;
use crate::state::AppState;

/// What a search found.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub plan: Plan,
    pub hits: Vec<Hit>,
    /// How many tickets match in all, when the search knew it without extra work.
    pub total: Option<usize>,
}

/// Runs `text` for the first `limit` results (`None`: all). `None` until storage is open; an
/// error when the query cannot be read. Re-runs (in a memo) when the data or the index changes.
pub fn run(state: AppState, text: &str, limit: Option<usize>) -> Option<Result<Found, QueryError>> {
    state.revision.track();
    state.search.track();
    let session = state.session()?;
    let workspace = session.desk.workspace();
    let plan = match plan(state, &workspace, text) {
        Ok(plan) => plan,
        Err(error) => return Some(Err(error)),
    };
    let search = session.desk.search();
    let index = search.as_ref()?;
    let results = index.search(&plan, &workspace, limit);
    Some(Ok(Found { plan, hits: results.hits, total: results.total }))
}

/// How many tickets `text` matches (`None` before storage is open or for a bad query).
pub fn count(state: AppState, text: &str) -> Option<usize> {
    let session = state.session()?;
    let workspace = session.desk.workspace();
    let plan = plan(state, &workspace, text).ok()?;
    let search = session.desk.search();
    Some(search.as_ref()?.count(&plan, &workspace))
}

/// The query resolved for this browser's agent, now, in the workspace's zone.
pub fn plan(state: AppState, workspace: &Workspace, text: &str) -> Result<Plan, QueryError> {
    let zone = Zone::named_or_utc(&workspace.settings().time_zone);
    let context = SearchContext { me: state.me.get_untracked(), now_ms: now_ms(), zone: &zone };
    Plan::new(&query::parse(text)?, workspace, &context)
}

/// The path of the results page for a query.
pub fn results_path(text: &str) -> String {
    format!("/search?q={}", String::from(js_sys::encode_uri_component(text)))
}

/// `text` with its `sort:` replaced by `sort` (or removed for `None`), for the sort picker.
pub fn with_sort(text: &str, sort: Option<&str>) -> String {
    let mut parts: Vec<&str> =
        text.split_whitespace().filter(|part| !part.to_ascii_lowercase().starts_with("sort:")).collect();
    let sort = sort.map(|sort| format!("sort:{sort}"));
    if let Some(sort) = &sort {
        parts.push(sort);
    }
    parts.join(" ")
}

/// The `sort:` value in `text`, if any.
pub fn sort_of(text: &str) -> Option<String> {
    text.split_whitespace().find_map(|part| {
        let lower = part.to_ascii_lowercase();
        lower.strip_prefix("sort:").map(str::to_owned)
    })
}
