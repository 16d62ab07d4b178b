//! Saved views: the team's named searches, kept in the workspace settings through the op log.

mod common;

use common::Desk;
use helpdesk_core::search::query::QueryErrorKind;
use helpdesk_core::*;

fn save(desk: &mut Desk, who: AgentId, id: Option<ViewId>, name: &str, query: &str) -> CommandResult<ViewId> {
    desk.run(who, |ws, f| ws.save_view(f, id, name, query)).map(|(id, _)| id)
}

fn names(desk: &Desk) -> Vec<(String, String)> {
    desk.ws().settings().views_by_name().into_iter().map(|(_, v)| (v.name.clone(), v.query.clone())).collect()
}

#[test]
fn agents_save_change_and_delete_views() {
    let mut desk = Desk::new();
    let agent = desk.agent;
    let urgent = save(&mut desk, agent, None, "Urgent", "  priority:>=high is:open  ").unwrap();
    save(&mut desk, agent, None, "mine", "assignee:me").unwrap();
    assert_eq!(
        names(&desk),
        [("mine".into(), "assignee:me".into()), ("Urgent".into(), "priority:>=high is:open".into())]
    );
    save(&mut desk, agent, Some(urgent), "Urgent, unassigned", "priority:>=high is:unassigned").unwrap();
    assert_eq!(desk.ws().settings().views[&urgent].name, "Urgent, unassigned");
    desk.run(agent, |ws, f| ws.delete_view(f, urgent)).unwrap();
    assert_eq!(names(&desk).len(), 1);
    assert_eq!(
        desk.run(agent, |ws, f| ws.delete_view(f, urgent)).unwrap_err(),
        CommandError::NotFound(Missing::View(urgent))
    );
    assert_eq!(
        save(&mut desk, agent, Some(urgent), "Back", "x").unwrap_err(),
        CommandError::NotFound(Missing::View(urgent))
    );
}

#[test]
fn bad_views_are_refused_with_the_reason() {
    let mut desk = Desk::new();
    let agent = desk.agent;
    let error = save(&mut desk, agent, None, "Typo", "stauts:open").unwrap_err();
    let CommandError::InvalidQuery { error } = error else { panic!("{error:?}") };
    assert_eq!(error.kind, QueryErrorKind::UnknownFilter { name: "stauts".into() });
    assert_eq!(
        save(&mut desk, agent, None, "  ", "is:open").unwrap_err(),
        CommandError::Invalid(ValidationError::Empty { field: "view name" })
    );
    let observer = desk.observer;
    assert_eq!(
        save(&mut desk, observer, None, "Mine", "is:open").unwrap_err(),
        CommandError::Forbidden(Forbidden::ObserverReadOnly)
    );
    // Agents may make views but not other settings.
    assert_eq!(
        desk.run(agent, |ws, f| ws.change_setting(f, SettingsField::Name("Mine now".into()))).unwrap_err(),
        CommandError::Forbidden(Forbidden::AdminOnly)
    );
    assert!(names(&desk).is_empty());
}

#[test]
fn views_edited_on_two_replicas_merge() {
    let mut a = Desk::new();
    let agent = a.agent;
    let shared = save(&mut a, agent, None, "Shared", "is:open").unwrap();
    let mut b = a.fork(ReplicaId(2));
    let log_before = a.log.len();
    // Offline: A renames the shared view and adds one; B edits the shared view later and adds another.
    save(&mut a, agent, Some(shared), "Shared (A)", "is:open").unwrap();
    save(&mut a, agent, None, "From A", "tag:a").unwrap();
    b.now = a.now + 10_000;
    save(&mut b, agent, Some(shared), "Shared (B)", "is:open priority:high").unwrap();
    save(&mut b, agent, None, "From B", "tag:b").unwrap();
    let from_a: Vec<Op> = a.log[log_before..].to_vec();
    let from_b: Vec<Op> = b.log[log_before..].to_vec();
    a.replica.receive(from_b, b.now);
    b.replica.receive(from_a, b.now);
    assert_eq!(a.ws().settings(), b.ws().settings());
    assert_eq!(
        names(&a),
        [
            ("From A".into(), "tag:a".into()),
            ("From B".into(), "tag:b".into()),
            ("Shared (B)".into(), "is:open priority:high".into()),
        ]
    );
}
