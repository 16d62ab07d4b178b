//! Property test: an index kept up to date change by change finds exactly what an index built
//! afresh from the final state finds, with bit-identical scores, whatever the changes were
//! (subjects and descriptions rewritten, messages added, tags, requesters, customer renames,
//! merges, late stale updates, compactions).

mod common;

use common::Desk;
use helpdesk_core::search::query;
use helpdesk_core::time::Zone;
use helpdesk_core::*;
use proptest::prelude::*;

const WORDS: [&str; 14] = [
    "login",
    "password",
    "passport",
    "reset",
    "invoice",
    "refund",
    "ログイン",
    "パスワード",
    "請求書",
    "再発行",
    "できません",
    "配送",
    "林",
    "A-12345",
];

const QUERIES: [&str; 16] = [
    "login",
    "pass",
    "password reset",
    "\"password reset\"",
    "ログイン",
    "パスワード",
    "請求書の再発行",
    "林",
    "re",
    "invoice -refund",
    "-login",
    "requester:yamada",
    "山田",
    "12345",
    "a-123",
    "\"できません 配送\"",
];

#[derive(Debug, Clone)]
enum Action {
    Create { subject: Vec<usize>, description: Vec<usize>, customer: usize },
    Message { ticket: usize, body: Vec<usize>, note: bool },
    Subject { ticket: usize, words: Vec<usize> },
    Description { ticket: usize, words: Vec<usize> },
    Tag { ticket: usize, word: usize, add: bool },
    Requester { ticket: usize, customer: usize },
    RenameCustomer { customer: usize, yamada: bool },
    Merge { source: usize, target: usize },
    Compact,
}

fn words() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(0..WORDS.len(), 0..6)
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        3 => (words(), words(), 0..3usize).prop_map(|(subject, description, customer)| Action::Create { subject, description, customer }),
        3 => (0..8usize, words(), any::<bool>()).prop_map(|(ticket, body, note)| Action::Message { ticket, body, note }),
        1 => (0..8usize, words()).prop_map(|(ticket, words)| Action::Subject { ticket, words }),
        1 => (0..8usize, words()).prop_map(|(ticket, words)| Action::Description { ticket, words }),
        1 => (0..8usize, 0..6usize, any::<bool>()).prop_map(|(ticket, word, add)| Action::Tag { ticket, word, add }),
        1 => (0..8usize, 0..3usize).prop_map(|(ticket, customer)| Action::Requester { ticket, customer }),
        1 => (0..3usize, any::<bool>()).prop_map(|(customer, yamada)| Action::RenameCustomer { customer, yamada }),
        1 => (0..8usize, 0..8usize).prop_map(|(source, target)| Action::Merge { source, target }),
        1 => Just(Action::Compact),
    ]
}

fn text(words: &[usize]) -> String {
    words.iter().map(|w| WORDS[*w]).collect::<Vec<_>>().join(" ")
}

fn run_all(index: &SearchIndex, desk: &Desk) -> Vec<(String, Vec<(TicketId, u32)>)> {
    let zone = Zone::named("Asia/Tokyo").unwrap();
    let context = SearchContext { me: Some(desk.agent), now_ms: desk.now, zone: &zone };
    QUERIES
        .iter()
        .map(|input| {
            let plan = Plan::new(&query::parse(input).unwrap(), desk.ws(), &context).unwrap();
            let hits =
                index.search(&plan, desk.ws(), None).hits.into_iter().map(|h| (h.ticket, h.score.to_bits())).collect();
            (input.to_string(), hits)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn incremental_updates_equal_a_rebuild(actions in prop::collection::vec(action(), 1..40)) {
        let mut desk = Desk::new();
        let admin = desk.admin;
        let agent = desk.agent;
        let mut customers = vec![desk.customer];
        for name in ["Taro Yamada", "Hanako Sato"] {
            let new = NewCustomer { name: name.into(), emails: vec![format!("{}@example.jp", name.replace(' ', "."))], ..Default::default() };
            customers.push(desk.run(admin, |ws, f| ws.create_customer(f, new)).unwrap().0);
        }
        let mut index = SearchIndex::from_workspace(desk.ws());
        let mut tickets: Vec<TicketId> = Vec::new();
        let mut stale: Vec<(Ticket, usize)> = Vec::new();
        let mut last_indexed: std::collections::HashMap<TicketId, (Ticket, usize)> = Default::default();
        for action in actions {
            let pick = |n: usize| (!tickets.is_empty()).then(|| tickets[n % tickets.len()]);
            let touched: Vec<TicketId> = match action {
                Action::Create { subject, description, customer } => {
                    let subject = if subject.is_empty() { "件名".to_owned() } else { text(&subject) };
                    let new = NewTicket::new(subject, text(&description), customers[customer], Channel::Email);
                    let id = desk.run(agent, |ws, f| ws.create_ticket(f, new)).unwrap().0;
                    tickets.push(id);
                    vec![id]
                }
                Action::Message { ticket, body, note } => {
                    let Some(id) = pick(ticket) else { continue };
                    let kind = if note { MessageKind::InternalNote } else { MessageKind::PublicReply };
                    if desk.run(agent, |ws, f| ws.add_message(f, id, NewMessage::new(kind, text(&body)))).is_err() { continue }
                    vec![id]
                }
                Action::Subject { ticket, words } => {
                    let Some(id) = pick(ticket) else { continue };
                    if words.is_empty() || desk.run(agent, |ws, f| ws.edit_ticket(f, id, TicketEdit::Subject(text(&words)))).is_err() { continue }
                    vec![id]
                }
                Action::Description { ticket, words } => {
                    let Some(id) = pick(ticket) else { continue };
                    if desk.run(agent, |ws, f| ws.edit_ticket(f, id, TicketEdit::Description(text(&words)))).is_err() { continue }
                    vec![id]
                }
                Action::Tag { ticket, word, add } => {
                    let Some(id) = pick(ticket) else { continue };
                    let tag = Tag::parse(WORDS[word]).unwrap();
                    let result = if add {
                        desk.run(agent, |ws, f| ws.add_tags(f, id, &[tag.to_string()]))
                    } else {
                        desk.run(agent, |ws, f| ws.remove_tag(f, id, &tag))
                    };
                    if result.is_err() { continue }
                    vec![id]
                }
                Action::Requester { ticket, customer } => {
                    let Some(id) = pick(ticket) else { continue };
                    let to = customers[customer];
                    if desk.run(agent, |ws, f| ws.edit_ticket(f, id, TicketEdit::Requester(to))).is_err() { continue }
                    vec![id]
                }
                Action::RenameCustomer { customer, yamada } => {
                    let id = customers[customer];
                    let name = if yamada { "山田 次郎" } else { "Other Person" };
                    desk.run(admin, |ws, f| ws.update_customer(f, id, CustomerField::Name(name.into()))).unwrap();
                    index.index_customer(id, &desk.ws().customer(id).unwrap().profile);
                    Vec::new()
                }
                Action::Merge { source, target } => {
                    let (Some(source), Some(target)) = (pick(source), pick(target)) else { continue };
                    if desk.run(agent, |ws, f| ws.merge(f, source, target)).is_err() { continue }
                    vec![source, target]
                }
                Action::Compact => {
                    index.compact();
                    // A late read of an older version arrives: it must change nothing.
                    if let Some((ticket, version)) = stale.pop() {
                        index.index_ticket(&ticket, version);
                    }
                    Vec::new()
                }
            };
            for id in touched {
                let ticket = desk.ticket(id).clone();
                let version = desk.ws().ops_of(DocKey::Ticket(id)).len();
                index.index_ticket(&ticket, version);
                if let Some(previous) = last_indexed.insert(id, (ticket, version)) {
                    stale.push(previous);
                }
            }
            index.maintain();
        }
        let rebuilt = SearchIndex::from_workspace(desk.ws());
        prop_assert_eq!(run_all(&index, &desk), run_all(&rebuilt, &desk));
    }
}
