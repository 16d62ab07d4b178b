//! Search through the public API: what queries find, in what order, and what they refuse.

mod common;

use common::{Desk, T0};
use helpdesk_core::search::query::{self, QueryErrorKind};
use helpdesk_core::time::{DAY_MS, HOUR_MS, Zone};
use helpdesk_core::*;

/// Builds the index from the desk's workspace and runs `input` as the desk's agent at its clock.
fn search(desk: &Desk, input: &str) -> Vec<TicketId> {
    results(desk, input).hits.into_iter().map(|hit| hit.ticket).collect()
}

fn results(desk: &Desk, input: &str) -> SearchResults {
    let index = SearchIndex::from_workspace(desk.ws());
    let plan = plan(desk, input).unwrap_or_else(|error| panic!("{input:?}: {error}"));
    index.search(&plan, desk.ws(), None)
}

fn count(desk: &Desk, input: &str) -> usize {
    let index = SearchIndex::from_workspace(desk.ws());
    index.count(&plan(desk, input).unwrap(), desk.ws())
}

fn plan(desk: &Desk, input: &str) -> Result<Plan, query::QueryError> {
    let zone = Zone::named("Asia/Tokyo").unwrap();
    let query = query::parse(input)?;
    Plan::new(&query, desk.ws(), &SearchContext { me: Some(desk.agent), now_ms: desk.now, zone: &zone })
}

/// Opens a ticket with this subject and description from the fixture customer.
fn ticket(desk: &mut Desk, subject: &str, description: &str) -> TicketId {
    let (customer, agent) = (desk.customer, desk.agent);
    desk.run(agent, |ws, f| ws.create_ticket(f, NewTicket::new(subject, description, customer, Channel::Email)))
        .unwrap()
        .0
}

fn customer(desk: &mut Desk, name: &str, email: &str, organisation: &str) -> CustomerId {
    let admin = desk.admin;
    let new = NewCustomer {
        name: name.into(),
        emails: vec![email.into()],
        organisation: organisation.into(),
        ..Default::default()
    };
    desk.run(admin, |ws, f| ws.create_customer(f, new)).unwrap().0
}

#[test]
fn japanese_words_are_found_inside_sentences() {
    let mut desk = Desk::new();
    let login = ticket(&mut desk, "会員サイトにログインできません", "昨日からエラーが表示されます。");
    let password = ticket(&mut desk, "パスワードの再設定メールが届かない", "至急対応をお願いします");
    let passport = ticket(&mut desk, "パスポートの件", "ワードファイルを送ります");
    assert_eq!(search(&desk, "ログイン"), [login]);
    assert_eq!(search(&desk, "エラー"), [login]);
    assert_eq!(search(&desk, "再設定"), [password]);
    // "パスワード" needs its bigrams side by side: "パス…" and "ワード" apart is not a match.
    assert_eq!(search(&desk, "パスワード"), [password]);
    let word = search(&desk, "ワード");
    assert_eq!(word.len(), 2);
    assert!(word.contains(&password) && word.contains(&passport));
    // Half-width katakana and full-width letters find the same text.
    assert_eq!(search(&desk, "ﾛｸﾞｲﾝ"), [login]);
    assert!(search(&desk, "ログアウト").is_empty());
}

#[test]
fn one_character_queries_find_that_character_anywhere() {
    let mut desk = Desk::new();
    let forest = ticket(&mut desk, "林さんからの連絡", "");
    let woods = ticket(&mut desk, "資料の件", "森と林");
    let other = ticket(&mut desk, "請求書", "");
    let found = search(&desk, "林");
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.contains(&forest) && found.contains(&woods) && !found.contains(&other));
}

#[test]
fn words_complete_to_longer_words_and_exact_words_rank_first() {
    let mut desk = Desk::new();
    let exact = ticket(&mut desk, "pass expired", "");
    let longer = ticket(&mut desk, "password expired", "");
    ticket(&mut desk, "invoice", "");
    assert_eq!(search(&desk, "pass"), [exact, longer]);
    assert_eq!(search(&desk, "passw"), [longer]);
    assert_eq!(search(&desk, "pass expired"), [exact, longer]);
    // Both complete "pas" equally well: the newer ticket comes first.
    assert_eq!(search(&desk, "pas expi"), [longer, exact]);
    // One letter is too little to complete from.
    assert!(search(&desk, "p").is_empty());
}

#[test]
fn phrases_match_only_in_order() {
    let mut desk = Desk::new();
    let phrase = ticket(&mut desk, "Account", "Please reset my password today");
    let scattered = ticket(&mut desk, "Account", "My password, please reset it");
    assert_eq!(search(&desk, "\"reset my password\""), [phrase]);
    let words = search(&desk, "reset my password");
    assert_eq!(words.len(), 2);
    assert!(words.contains(&scattered));
    assert_eq!(search(&desk, "\"請求書の再発行\""), Vec::<TicketId>::new());
    let japanese = ticket(&mut desk, "請求書の再発行をお願いします", "");
    assert_eq!(search(&desk, "\"請求書の再発行\""), [japanese]);
    // A phrase does not run from one message into the next.
    let split = ticket(&mut desk, "Split", "ends with reset");
    desk.message(split, MessageKind::Customer, "my password starts here").unwrap();
    assert_eq!(search(&desk, "\"reset my password\""), [phrase]);
}

#[test]
fn subject_matches_outrank_body_matches_and_newer_tickets_break_ties() {
    let mut desk = Desk::new();
    let in_body = ticket(&mut desk, "Question", "The invoice is wrong");
    let in_subject = ticket(&mut desk, "Invoice is wrong", "See above");
    assert_eq!(search(&desk, "invoice"), [in_subject, in_body]);
    let older = ticket(&mut desk, "Refund", "");
    let newer = ticket(&mut desk, "Refund", "");
    let found = results(&desk, "refund");
    assert_eq!(found.hits.iter().map(|h| h.ticket).collect::<Vec<_>>(), [newer, older]);
    assert_eq!(found.hits[0].score, found.hits[1].score);
    // Activity on the older one does not change which is newer.
    desk.message(older, MessageKind::InternalNote, "checked").unwrap();
    assert_eq!(search(&desk, "refund"), [newer, older]);
}

#[test]
fn messages_and_internal_notes_are_searched() {
    let mut desk = Desk::new();
    let id = ticket(&mut desk, "Printer", "It does not print");
    desk.message(id, MessageKind::InternalNote, "Escalated to the ハードウェア team").unwrap();
    desk.message(id, MessageKind::Customer, "Still broken after the firmware update").unwrap();
    assert_eq!(search(&desk, "ハードウェア"), [id]);
    assert_eq!(search(&desk, "firmware"), [id]);
    assert_eq!(count(&desk, "firmware"), 1);
}

#[test]
fn negation_excludes_words_and_phrases() {
    let mut desk = Desk::new();
    let spam = ticket(&mut desk, "Win a prize", "free money");
    let real = ticket(&mut desk, "Invoice question", "about the prize draw terms");
    assert_eq!(search(&desk, "prize -money"), [real]);
    assert_eq!(search(&desk, "prize -\"free money\""), [real]);
    let all = search(&desk, "-money");
    assert!(all.contains(&real) && !all.contains(&spam));
}

#[test]
fn customers_are_found_by_name_address_and_organisation() {
    let mut desk = Desk::new();
    let yamada = customer(&mut desk, "山田 太郎", "taro.yamada@example.jp", "ミライ物流株式会社");
    let agent = desk.agent;
    let theirs = desk
        .run(agent, |ws, f| ws.create_ticket(f, NewTicket::new("Delivery late", "", yamada, Channel::Phone)))
        .unwrap()
        .0;
    let other = ticket(&mut desk, "Delivery late too", "");
    assert_eq!(search(&desk, "山田"), [theirs]);
    assert_eq!(search(&desk, "taro.yamada@example.jp"), [theirs]);
    assert_eq!(search(&desk, "物流"), [theirs]);
    assert_eq!(search(&desk, "delivery requester:山田"), [theirs]);
    assert_eq!(search(&desk, "delivery -requester:山田"), [other]);
    // A renamed customer is found by the new name only.
    let admin = desk.admin;
    desk.run(admin, |ws, f| ws.update_customer(f, yamada, CustomerField::Name("佐藤 太郎".into()))).unwrap();
    assert!(search(&desk, "山田").is_empty());
    assert_eq!(search(&desk, "佐藤"), [theirs]);
}

#[test]
fn field_filters_narrow_the_results() {
    let mut desk = Desk::new();
    let (admin, agent) = (desk.admin, desk.agent);
    let team = desk.run(admin, |ws, f| ws.create_team(f, "請求チーム", "")).unwrap().0;
    let billing = desk.run(admin, |ws, f| ws.create_category(f, "Billing", "")).unwrap().0;
    let urgent = ticket(&mut desk, "Server down", "");
    desk.run(agent, |ws, f| ws.edit_ticket(f, urgent, TicketEdit::Priority(Priority::Critical))).unwrap();
    desk.run(agent, |ws, f| ws.assign(f, urgent, Some(agent))).unwrap();
    desk.run(agent, |ws, f| ws.add_tags(f, urgent, &["VIP".into()])).unwrap();
    let invoice = ticket(&mut desk, "Invoice copy", "");
    desk.run(agent, |ws, f| ws.edit_ticket(f, invoice, TicketEdit::Category(Some(billing)))).unwrap();
    desk.run(agent, |ws, f| ws.edit_ticket(f, invoice, TicketEdit::Team(Some(team)))).unwrap();
    desk.status(invoice, Status::Pending).unwrap();
    let done = ticket(&mut desk, "Old question", "");
    desk.status(done, Status::Resolved).unwrap();
    let phone = {
        let customer = desk.customer;
        desk.run(agent, |ws, f| ws.create_ticket(f, NewTicket::new("Called in", "", customer, Channel::Phone)))
            .unwrap()
            .0
    };

    let check = |input: &str, expected: &[TicketId]| {
        let mut found = search(&desk, input);
        found.sort();
        let mut expected = expected.to_vec();
        expected.sort();
        assert_eq!(found, expected, "{input}");
    };
    check("status:pending", &[invoice]);
    check("status:open", &[urgent, invoice, phone]);
    check("-status:open", &[done]);
    check("status:resolved,pending", &[invoice, done]);
    check("priority:critical", &[urgent]);
    check("priority:>=high", &[urgent]);
    check("priority:<high", &[invoice, done, phone]);
    check("assignee:me", &[urgent]);
    check("assignee:hanako@example.com", &[urgent]);
    check("assignee:山田", &[urgent]);
    check("assignee:none", &[invoice, done, phone]);
    check("is:unassigned", &[invoice, done, phone]);
    check("is:mine server", &[urgent]);
    check("tag:vip", &[urgent]);
    check("tag:ＶＩＰ", &[urgent]);
    check("has:tags", &[urgent]);
    check("category:billing", &[invoice]);
    check("category:none", &[urgent, done, phone]);
    check("team:請求", &[invoice]);
    check("channel:phone", &[phone]);
    check("channel:email,phone -status:open", &[done]);
    check("is:open -is:mine", &[invoice, phone]);
    check("invoice status:pending", &[invoice]);
    check("invoice status:new", &[]);
}

#[test]
fn dates_are_days_in_the_workspace_time_zone() {
    let mut desk = Desk::new();
    // T0 is 2026-01-01 00:00 UTC, 09:00 in Tokyo. Move to 2026-01-10 23:30 Tokyo (14:30 UTC).
    desk.now = T0 + 9 * DAY_MS + 14 * HOUR_MS + 30 * 60_000;
    let late_evening = ticket(&mut desk, "A", "");
    // 00:30 on the 11th in Tokyo is still the 10th in UTC.
    desk.now += HOUR_MS;
    let after_midnight = ticket(&mut desk, "B", "");
    desk.now = T0 + 30 * DAY_MS;
    let month_later = ticket(&mut desk, "C", "");
    let agent = desk.agent;
    let due = desk.now + 2 * DAY_MS;
    desk.run(agent, |ws, f| ws.edit_ticket(f, month_later, TicketEdit::Due(Some(due)))).unwrap();

    let check = |desk: &Desk, input: &str, expected: &[TicketId]| {
        let mut found = search(desk, input);
        found.sort();
        let mut expected = expected.to_vec();
        expected.sort();
        assert_eq!(found, expected, "{input}");
    };
    check(&desk, "created:2026-01-10", &[late_evening]);
    check(&desk, "created:2026-01-11", &[after_midnight]);
    check(&desk, "created:2026-01-10..2026-01-11", &[late_evening, after_midnight]);
    check(&desk, "created:>2026-01-10", &[after_midnight, month_later]);
    check(&desk, "created:>=2026-01-11", &[after_midnight, month_later]);
    check(&desk, "created:<2026-01-11", &[late_evening]);
    check(&desk, "created:<=2026-01", &[late_evening, after_midnight, month_later]);
    check(&desk, "created:2026-02", &[]);
    check(&desk, "created:today", &[month_later]);
    check(&desk, "created:7d", &[month_later]);
    check(&desk, "created:<7d", &[late_evening, after_midnight]);
    check(&desk, "updated:today", &[month_later]);
    check(&desk, "due:+3d", &[month_later]);
    check(&desk, "due:+1d", &[]);
    check(&desk, "due:none", &[late_evening, after_midnight]);
    check(&desk, "has:due", &[month_later]);
    check(&desk, "due:<today", &[]);
    desk.now += 3 * DAY_MS;
    check(&desk, "is:overdue", &[month_later]);
    check(&desk, "due:<now", &[month_later]);
    assert_eq!(plan(&desk, "created:2026-01-11..2026-01-10").unwrap_err().kind, QueryErrorKind::BackwardsRange);
}

#[test]
fn merged_tickets_are_found_only_when_asked_for() {
    let mut desk = Desk::new();
    let target = ticket(&mut desk, "Duplicate login issue", "");
    let source = ticket(&mut desk, "Duplicate login issue again", "");
    let agent = desk.agent;
    desk.run(agent, |ws, f| ws.merge(f, source, target)).unwrap();
    assert_eq!(search(&desk, "duplicate"), [target]);
    assert_eq!(search(&desk, "duplicate is:merged"), [source]);
    assert!(!search(&desk, "").contains(&source));
}

#[test]
fn names_that_match_nobody_are_errors() {
    let desk = Desk::new();
    let kind = |input: &str| plan(&desk, input).unwrap_err().kind;
    assert_eq!(kind("assignee:nobody-here"), QueryErrorKind::NoSuchAgent { name: "nobody-here".into() });
    assert_eq!(kind("team:Sales"), QueryErrorKind::NoSuchTeam { name: "Sales".into() });
    assert_eq!(kind("category:Shipping"), QueryErrorKind::NoSuchCategory { name: "Shipping".into() });
    let zone = Zone::utc();
    let query = query::parse("assignee:me").unwrap();
    let error = Plan::new(&query, desk.ws(), &SearchContext { me: None, now_ms: desk.now, zone: &zone }).unwrap_err();
    assert_eq!(error.kind, QueryErrorKind::NobodySignedIn);
    assert_eq!(error.span, 0..11);
}

#[test]
fn sort_orders() {
    let mut desk = Desk::new();
    let agent = desk.agent;
    let first = ticket(&mut desk, "Alpha report", "");
    let second = ticket(&mut desk, "Beta report", "");
    desk.run(agent, |ws, f| ws.edit_ticket(f, first, TicketEdit::Priority(Priority::High))).unwrap();
    let third = ticket(&mut desk, "Gamma report", "");
    assert_eq!(search(&desk, "report sort:number"), [third, second, first]);
    assert_eq!(search(&desk, "report sort:number-asc"), [first, second, third]);
    assert_eq!(search(&desk, "sort:updated"), [third, first, second]);
    assert_eq!(search(&desk, "report sort:priority"), [first, third, second]);
    assert_eq!(search(&desk, "sort:created-asc"), [first, second, third]);
}

#[test]
fn limits_keep_the_order_and_the_total() {
    let mut desk = Desk::new();
    let ids: Vec<TicketId> = (0..30).map(|n| ticket(&mut desk, &format!("Report {n}"), "")).collect();
    let index = SearchIndex::from_workspace(desk.ws());
    let plan = plan(&desk, "report").unwrap();
    let top = index.search(&plan, desk.ws(), Some(5));
    assert_eq!(index.count(&plan, desk.ws()), 30);
    assert_eq!(index.search(&plan, desk.ws(), None).total, Some(30));
    assert_eq!(
        top.hits.iter().map(|h| h.ticket).collect::<Vec<_>>(),
        ids.iter().rev().take(5).copied().collect::<Vec<_>>()
    );
    assert!(index.search(&plan, desk.ws(), Some(0)).hits.is_empty());
}

#[test]
fn highlights_mark_what_matched_in_the_original_text() {
    let desk = Desk::new();
    let marked = |input: &str, text: &str| -> Vec<String> {
        let plan = plan(&desk, input).unwrap();
        plan.highlight(text).into_iter().map(|range| text[range].to_owned()).collect()
    };
    assert_eq!(marked("pass", "Password reset; pass it on"), ["Password", "pass"]);
    assert_eq!(marked("ログイン", "会員サイトにログインできません"), ["ログイン"]);
    assert_eq!(marked("ﾛｸﾞｲﾝ", "ログインできない"), ["ログイン"]);
    assert_eq!(marked("林", "森と林"), ["林"]);
    assert_eq!(marked("\"reset my password\"", "Please reset my password"), ["reset my password"]);
    assert_eq!(marked("vip", "ＶＩＰ対応"), ["ＶＩＰ"]);
    assert_eq!(marked("-spam invoice", "spam invoice"), ["invoice"]);
    assert!(marked("status:open", "open").is_empty());
}

#[test]
fn reindexing_replaces_old_text_and_ignores_stale_versions() {
    let mut desk = Desk::new();
    let id = ticket(&mut desk, "Printer jam", "");
    let mut index = SearchIndex::from_workspace(desk.ws());
    let old = desk.ticket(id).clone();
    let agent = desk.agent;
    desk.run(agent, |ws, f| ws.edit_ticket(f, id, TicketEdit::Subject("Scanner error".into()))).unwrap();
    let version = desk.ws().ops_of(DocKey::Ticket(id)).len();
    index.index_ticket(desk.ticket(id), version);
    // An older read arriving late changes nothing.
    index.index_ticket(&old, version - 1);
    let run = |index: &SearchIndex, input: &str| {
        let plan = plan(&desk, input).unwrap();
        index.search(&plan, desk.ws(), None).hits.len()
    };
    assert_eq!(run(&index, "printer"), 0);
    assert_eq!(run(&index, "scanner"), 1);
    assert_eq!(index.indexed_tickets(), 1);
}

#[test]
fn top_lists_answer_word_and_phrase_queries_exactly_like_a_full_scan() {
    use helpdesk_core::sample::{SampleConfig, sample_ops};
    let config = SampleConfig::new(3_000, 11, T0);
    let (directory, ops) = sample_ops(&config, ReplicaId(1));
    let mut ws = Workspace::from_ops(ops);
    let mut index = SearchIndex::from_workspace(&ws);
    let zone = Zone::named("Asia/Tokyo").unwrap();
    let context = SearchContext { me: Some(directory.admin), now_ms: T0, zone: &zone };
    let queries = [
        "password",
        "pass",
        "error",
        "請求",
        "ロ",
        "order status:closed",
        "refund priority:high",
        "the",
        "is:open invoice",
        "a-0",
        "パスワード",
        "請求書",
        "ログインできません",
        "\"reset my password\"",
        "\"the same problem\"",
        "ログイン status:closed",
        "\"password reset\" priority:low",
        "password reset",
        "reset password status:closed",
        "error -password",
        "ログイン エラー",
        "請求書 再発行",
        "invoice -\"the invoice\"",
        "browser windows latest",
    ];
    let compare = |index: &SearchIndex, ws: &Workspace| {
        for input in queries {
            let plan = Plan::new(&query::parse(input).unwrap(), ws, &context).unwrap();
            for limit in [1, 5, 20, 64] {
                let top = index.search(&plan, ws, Some(limit)).hits;
                let mut all = index.search(&plan, ws, None).hits;
                all.truncate(limit);
                assert_eq!(top, all, "{input:?}, limit {limit}");
            }
        }
    };
    compare(&index, &ws);
    // Change many tickets (new text replaces old documents, some leave top lists) and compare again.
    let mut replica = Replica::new(ReplicaId(2), SeededEntropy::new(2));
    replica.receive(ws.ops().cloned().collect::<Vec<_>>(), T0);
    let ids: Vec<TicketId> = ws.tickets().filter(|t| t.is_editable()).map(|t| t.id).take(400).collect();
    assert_eq!(ids.len(), 400);
    for (n, id) in ids.iter().enumerate() {
        let body = if n % 2 == 0 { "password password error" } else { "Password reset done" };
        let ops = replica
            .execute(Actor::Agent(directory.admin), T0 + n as u64, |w, f| {
                w.add_message(f, *id, NewMessage::new(MessageKind::InternalNote, body))
            })
            .unwrap()
            .1;
        ws.apply_all(ops);
        let version = ws.ops_of(DocKey::Ticket(*id)).len();
        index.index_ticket(ws.ticket(*id).unwrap(), version);
    }
    index.maintain();
    compare(&index, &ws);
    index.compact();
    compare(&index, &ws);
}

#[test]
fn many_equal_matches_rank_newest_first() {
    let mut desk = Desk::new();
    // Enough identical tickets that the word gets a top list full of ties.
    let ids: Vec<TicketId> = (0..700).map(|_| ticket(&mut desk, "Refund request", "Please refund my order")).collect();
    let index = SearchIndex::from_workspace(desk.ws());
    let plan = plan(&desk, "refund").unwrap();
    let top = index.search(&plan, desk.ws(), Some(5)).hits;
    let newest: Vec<TicketId> = ids.iter().rev().take(5).copied().collect();
    assert_eq!(top.iter().map(|h| h.ticket).collect::<Vec<_>>(), newest);
    let mut all = index.search(&plan, desk.ws(), None).hits;
    all.truncate(5);
    assert_eq!(top, all);
}

#[test]
fn snippets_show_the_passage_that_matched() {
    let desk = Desk::new();
    let firmware = plan(&desk, "firmware").unwrap();
    let long = format!(
        "{} The printer needs a firmware\nupdate before {}",
        "Hello there. ".repeat(10),
        "it works again. ".repeat(10)
    );
    let snippet = firmware.snippet(&long, 40).unwrap();
    assert!(snippet.text.starts_with('…') && snippet.text.ends_with('…'), "{:?}", snippet.text);
    assert_eq!(snippet.text.chars().filter(|c| *c == '\n').count(), 0, "line breaks become spaces");
    assert_eq!(snippet.marks.iter().map(|m| &snippet.text[m.clone()]).collect::<Vec<_>>(), ["firmware"]);
    assert!(snippet.text.contains("firmware update"));
    let short = firmware.snippet("Firmware first", 40).unwrap();
    assert_eq!(short.text, "Firmware first");
    assert_eq!(short.marks.iter().map(|m| &short.text[m.clone()]).collect::<Vec<_>>(), ["Firmware"]);
    assert_eq!(firmware.snippet("nothing here", 40), None);
    let japanese = plan(&desk, "再設定")
        .unwrap()
        .snippet("パスワードを再設定しても入れません。サポートに連絡しました。", 10)
        .unwrap();
    assert_eq!(japanese.marks.iter().map(|m| &japanese.text[m.clone()]).collect::<Vec<_>>(), ["再設定"]);
}

#[test]
fn a_customer_match_that_only_counts_together_with_the_text_is_not_missed() {
    // Zorro and Zorra are customers; only the oldest ticket both mentions zorro in its body and
    // comes from a Zorro. Neither part alone would rank it, together they put it first. The fast
    // path must not stop before it has seen that ticket's customer part.
    let mut desk = Desk::new();
    let zorro = customer(&mut desk, "Zorro Vega", "zv@example.com", "");
    customer(&mut desk, "Zorro Diaz", "zd@example.com", "");
    let agent = desk.agent;
    let both = desk
        .run(agent, |ws, f| {
            ws.create_ticket(f, NewTicket::new("Order question", "zorro was here", zorro, Channel::Email))
        })
        .unwrap()
        .0;
    for n in 0..600 {
        ticket(&mut desk, &format!("Question {n}"), "zorro was here");
    }
    let subjects: Vec<TicketId> = (0..20).map(|n| ticket(&mut desk, &format!("Zorro {n}"), "")).collect();
    for n in 0..3000 {
        ticket(&mut desk, &format!("Other {n}"), "nothing to see");
    }
    let index = SearchIndex::from_workspace(desk.ws());
    let plan = plan(&desk, "zorro").unwrap();
    let top: Vec<TicketId> = index.search(&plan, desk.ws(), Some(5)).hits.iter().map(|h| h.ticket).collect();
    let mut all = index.search(&plan, desk.ws(), None).hits;
    all.truncate(5);
    assert_eq!(top, all.iter().map(|h| h.ticket).collect::<Vec<_>>());
    assert_eq!(top[0], both);
    assert_eq!(&top[1..], &subjects.iter().rev().take(4).copied().collect::<Vec<_>>()[..]);
}
