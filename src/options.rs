//! Choices for the pickers (agents, categories, teams), sorted by what people read.
//!
//! Every list is `(value, label)` strings sorted by one function, so the shipped app holds one
//! copy of the sort however many pickers there are.

use helpdesk_core::Workspace;

/// `(value, label)` pairs for a `<select>` or a list of buttons.
pub type Options = Vec<(String, String)>;

/// Sorts by label, then value (so equal names keep a stable order).
pub fn sort(options: &mut Options) {
    helpdesk_core::sorting::sort_by(options, |a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
}

/// Active agents: value = agent id, label = name.
pub fn agents(ws: &Workspace) -> Options {
    let mut options: Options = ws
        .agents()
        .filter(|(_, entry)| entry.profile.active)
        .map(|(id, entry)| (id.to_string(), entry.profile.name.clone()))
        .collect();
    sort(&mut options);
    options
}

pub fn categories(ws: &Workspace) -> Options {
    let mut options: Options = ws
        .categories()
        .filter(|(_, entry)| entry.profile.active)
        .map(|(id, entry)| (id.to_string(), entry.profile.name.clone()))
        .collect();
    sort(&mut options);
    options
}

pub fn teams(ws: &Workspace) -> Options {
    let mut options: Options = ws.teams().map(|(id, entry)| (id.to_string(), entry.profile.name.clone())).collect();
    sort(&mut options);
    options
}
