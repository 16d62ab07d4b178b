//! Realistic sample data: a support team's workspace with Japanese and English tickets across
//! channels, priorities and statuses, with conversations of realistic length.
//!
//! Used to explore the app right after creating a workspace, and by the benchmarks (100,000
//! tickets). Generation is deterministic for a seed and streams ops, so a large sample never has
//! to sit in a workspace in memory; the ops are the same kind a team would make by hand.

use crate::directory::{AgentProfile, CategoryProfile, CustomerProfile, TeamProfile};
use crate::hlc::{ReplicaId, Timestamp};
use crate::id::{AgentId, CategoryId, CustomerId, Entropy, MessageId, OpId, SeededEntropy, TeamId, TicketId};
use crate::lifecycle::Status;
use crate::model::{Actor, Channel, Email, MessageKind, Priority, Role, Tag, Tier};
use crate::numbering::NumberBlock;
use crate::op::{EntityOp, MessageDraft, Op, Payload, TicketDraft, TicketField, TicketOp, WorkspaceOp};
use crate::settings::SettingsField;

/// What to generate.
#[derive(Debug, Clone)]
pub struct SampleConfig {
    pub tickets: usize,
    /// Requesters; tickets are spread over them (some customers write often).
    pub customers: usize,
    pub seed: u64,
    /// The newest ticket is created shortly before this instant (Unix ms).
    pub now_ms: u64,
    /// Tickets are spread over this many days before `now_ms`.
    pub span_days: u32,
    /// The workspace's name and interface language (`ja` or `en`).
    pub workspace_name: String,
    pub language: String,
    /// Set when the sample fills a workspace someone just set up: this agent (already in the
    /// workspace, with the settings) becomes the sample's admin and gets a share of the tickets,
    /// and the sample adds no settings of its own. The workspace must not have tickets yet.
    pub joining: Option<AgentId>,
}

impl SampleConfig {
    pub fn new(tickets: usize, seed: u64, now_ms: u64) -> Self {
        Self {
            tickets,
            customers: (tickets / 4).clamp(5, 50_000),
            seed,
            now_ms,
            span_days: 365,
            workspace_name: "サポートデスク".to_owned(),
            language: "ja".to_owned(),
            joining: None,
        }
    }
}

/// The ids of the sample's people and groups, for callers that act on the sample afterwards.
#[derive(Debug, Clone)]
pub struct SampleDirectory {
    pub admin: AgentId,
    pub agents: Vec<AgentId>,
    pub customers: Vec<CustomerId>,
    pub categories: Vec<CategoryId>,
}

/// Generates a sample workspace: setup ops first (settings, agents, teams, categories, customers),
/// then each ticket's ops. `replica` is stamped on every timestamp.
pub fn sample_ops(config: &SampleConfig, replica: ReplicaId) -> (SampleDirectory, impl Iterator<Item = Op>) {
    let mut generator = Generator::new(config, replica);
    let setup = generator.setup();
    let directory = generator.directory.clone();
    let tickets = (0..config.tickets).flat_map(move |index| generator.ticket(index));
    (directory, setup.into_iter().chain(tickets))
}

struct Generator {
    random: SeededEntropy,
    ids: SeededEntropy,
    replica: ReplicaId,
    directory: SampleDirectory,
    teams: Vec<TeamId>,
    tickets: usize,
    joining: Option<AgentId>,
    workspace_name: String,
    language: String,
    first_ms: u64,
    step_ms: u64,
    counter: u32,
}

const JA_SURNAMES: [&str; 20] = [
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "佐々木",
    "山口",
    "松本",
    "井上",
    "木村",
    "林",
    "斎藤",
    "清水",
];
const JA_GIVEN: [&str; 16] = [
    "太郎",
    "花子",
    "一郎",
    "美咲",
    "健太",
    "陽菜",
    "翔太",
    "さくら",
    "大輔",
    "由美",
    "拓也",
    "愛",
    "直樹",
    "真由美",
    "誠",
    "優子",
];
const EN_FIRST: [&str; 16] = [
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Emily", "Daniel", "Sarah",
    "Chris", "Laura", "Kevin", "Emma",
];
const EN_LAST: [&str; 12] = [
    "Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Thomas", "Clarke", "Walker", "Wright", "Green",
];
const ORGANISATIONS: [&str; 10] = [
    "株式会社サンプル商事",
    "ミライ物流株式会社",
    "さくらクリニック",
    "東都システムズ",
    "みどり書房",
    "Acme Corp",
    "Northwind Traders",
    "Globex Ltd",
    "Initech",
    "Blue Harbor Inc",
];
const PRODUCTS_JA: [&str; 8] = [
    "会員サイト",
    "スマホアプリ",
    "管理画面",
    "請求システム",
    "予約フォーム",
    "ネットショップ",
    "メール配信",
    "ポイントカード",
];
const PRODUCTS_EN: [&str; 8] = [
    "the dashboard",
    "the mobile app",
    "the billing portal",
    "the booking form",
    "the online store",
    "the API",
    "the newsletter tool",
    "the admin console",
];

/// Japanese subjects; `{p}` is a product, `{n}` an order number.
const SUBJECTS_JA: [&str; 16] = [
    "{p}にログインできません",
    "{p}でパスワードの再設定メールが届かない",
    "請求書の再発行をお願いします（注文番号 {n}）",
    "{p}の表示が崩れています",
    "配送状況を確認したい（注文番号 {n}）",
    "解約の手続きについて教えてください",
    "{p}でエラーが表示されます",
    "料金プランの変更について",
    "二重に請求されています",
    "{p}の使い方がわかりません",
    "領収書の宛名を変更したい",
    "{p}が非常に重いです",
    "退会後のデータの扱いについて",
    "商品が破損して届きました（注文番号 {n}）",
    "{p}の新機能について質問です",
    "アカウントがロックされました",
];
const SUBJECTS_EN: [&str; 16] = [
    "Cannot log in to {p}",
    "Password reset email never arrives",
    "Please reissue invoice for order {n}",
    "Layout is broken in {p}",
    "Where is my order {n}?",
    "How do I cancel my subscription?",
    "Error message in {p}",
    "Question about changing plans",
    "I was charged twice this month",
    "How do I use {p}?",
    "Need a receipt with a different company name",
    "{p} is extremely slow",
    "What happens to my data after I close my account?",
    "Item arrived damaged (order {n})",
    "Question about the new feature in {p}",
    "My account is locked",
];
const SENTENCES_JA: [&str; 16] = [
    "いつもお世話になっております。",
    "昨日から{p}にアクセスすると「エラーが発生しました」と表示されます。",
    "パスワードを再設定しても状況は変わりませんでした。",
    "ブラウザはChromeの最新版を使っています。",
    "至急対応いただけますと助かります。",
    "先月分の請求内容に身に覚えのない項目があります。",
    "スマートフォンからも同じ症状が出ます。",
    "社内の複数のメンバーで同じ問題が起きています。",
    "キャッシュを削除して再度試しましたが改善しませんでした。",
    "注文番号 {n} の商品がまだ届いていません。",
    "対応方法をご教示いただけますでしょうか。",
    "スクリーンショットを添付いたします。",
    "明日の会議で使用する予定のため、本日中にご回答いただけると幸いです。",
    "以前にも同様の問い合わせをしましたが、再発しています。",
    "よろしくお願いいたします。",
    "お手数をおかけしますが、ご確認のほどお願い申し上げます。",
];
const SENTENCES_EN: [&str; 16] = [
    "Hi there,",
    "Since yesterday {p} shows an error whenever I try to open it.",
    "I already reset my password but nothing changed.",
    "I'm using the latest version of Chrome on Windows.",
    "This is blocking our whole team, so a quick answer would be appreciated.",
    "There is a charge on last month's invoice that I don't recognise.",
    "The same thing happens on my phone.",
    "Several colleagues see the same problem.",
    "Clearing the cache did not help.",
    "Order {n} still hasn't arrived and tracking shows no updates.",
    "Could you tell me how to fix this?",
    "I've attached a screenshot of the error.",
    "We need this working before tomorrow's meeting.",
    "I reported this before and it has come back.",
    "Thanks in advance.",
    "Best regards,",
];
const REPLIES_JA: [&str; 8] = [
    "お問い合わせいただきありがとうございます。サポート担当の{a}です。",
    "ご不便をおかけしており申し訳ございません。",
    "ただいま担当部署にて確認しております。",
    "お手数ですが、ご利用の環境（ブラウザ・OS）をお知らせいただけますでしょうか。",
    "ご指摘の件、修正を行いました。再度お試しいただけますでしょうか。",
    "請求書を再発行いたしました。マイページからダウンロードいただけます。",
    "引き続きよろしくお願いいたします。",
    "ほかにご不明な点がございましたら、お気軽にお問い合わせください。",
];
const REPLIES_EN: [&str; 8] = [
    "Thanks for reaching out, this is {a} from the support team.",
    "Sorry for the trouble this has caused.",
    "Our engineers are looking into it right now.",
    "Could you tell me which browser and operating system you are using?",
    "We've deployed a fix for this. Could you try again?",
    "I've reissued the invoice; you can download it from your account page.",
    "Let me know if anything else comes up.",
    "Have a great day!",
];
const NOTES: [&str; 6] = [
    "エンジニアチームに確認依頼済み。@{h}",
    "同様の問い合わせが今週3件目。障害の可能性あり。",
    "Checked the logs: timeouts from the payment gateway. @{h}",
    "VIP顧客のため優先対応。",
    "Refund approved by billing.",
    "再現手順を確認中。",
];
const TAGS: [&str; 12] =
    ["ログイン", "請求", "配送", "障害", "要望", "解約", "vip", "bug", "refund", "how-to", "mobile", "urgent"];
const CATEGORIES: [(&str, &str); 5] = [
    ("技術的な問題", "ログイン、エラー、動作不良など"),
    ("請求・支払い", "請求書、返金、料金プラン"),
    ("一般的な質問", "使い方、機能についての質問"),
    ("配送", "配送状況、破損、返品"),
    ("アカウント", "登録情報、解約、ロック"),
];

impl Generator {
    fn new(config: &SampleConfig, replica: ReplicaId) -> Self {
        let span_ms = u64::from(config.span_days.max(1)) * 86_400_000;
        let first_ms = config.now_ms.saturating_sub(span_ms);
        let step_ms = (span_ms / config.tickets.max(1) as u64).max(1);
        Generator {
            random: SeededEntropy::new(config.seed),
            ids: SeededEntropy::new(config.seed ^ 0x05ee_d1d5),
            replica,
            directory: SampleDirectory {
                admin: AgentId::from_u128(0),
                agents: Vec::new(),
                customers: Vec::new(),
                categories: Vec::new(),
            },
            teams: Vec::new(),
            tickets: config.tickets,
            joining: config.joining,
            workspace_name: config.workspace_name.clone(),
            language: config.language.clone(),
            first_ms,
            step_ms,
            counter: 0,
        }
    }

    fn below(&mut self, n: usize) -> usize {
        (self.random.random_u128() % n.max(1) as u128) as usize
    }

    /// A random time offset in `[0, n)` ms (64-bit: `usize` is 32 bits in wasm).
    fn below_ms(&mut self, n: u64) -> u64 {
        (self.random.random_u128() % u128::from(n.max(1))) as u64
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn op(&mut self, at_ms: u64, actor: Actor, payload: Payload) -> Op {
        // Every op gets its own counter value so timestamps never tie, whatever the times.
        self.counter = self.counter.wrapping_add(1);
        Op {
            id: OpId::generate(at_ms, &mut self.ids),
            ts: Timestamp::new(at_ms, self.counter, self.replica),
            actor,
            payload,
        }
    }

    fn setup(&mut self) -> Vec<Op> {
        let at = self.first_ms.saturating_sub(86_400_000);
        let admin = self.joining.unwrap_or_else(|| AgentId::generate(at, &mut self.ids));
        self.directory.admin = admin;
        let actor = Actor::Agent(admin);
        let mut ops = Vec::new();
        if self.joining.is_none() {
            let name = self.workspace_name.clone();
            let language = self.language.clone();
            ops.push(self.op(at, actor, Payload::Workspace(WorkspaceOp::Set(SettingsField::Name(name)))));
            ops.push(self.op(
                at,
                actor,
                Payload::Workspace(WorkspaceOp::Set(SettingsField::DefaultLanguage(language))),
            ));
            ops.push(self.op(
                at,
                actor,
                Payload::Workspace(WorkspaceOp::Set(SettingsField::TimeZone("Asia/Tokyo".into()))),
            ));
        }
        ops.push(self.op(
            at,
            actor,
            Payload::Workspace(WorkspaceOp::ClaimNumberBlock(NumberBlock {
                owner: self.replica,
                start: 1,
                size: self.tickets.max(1) as u64,
            })),
        ));
        for (name, description) in [
            ("一次対応", "Tier 1: first line"),
            ("技術サポート", "Tier 2: specialists"),
            ("マネージャー", "Escalations"),
        ] {
            let team = TeamId::generate(at, &mut self.ids);
            self.teams.push(team);
            let profile = TeamProfile { name: name.into(), description: description.into() };
            ops.push(self.op(at, actor, Payload::Team { team, op: EntityOp::Create(profile) }));
        }
        let agents = [
            ("管理者", "admin", Role::Admin, 0),
            ("山田 花子", "hanako", Role::Agent, 0),
            ("佐藤 健太", "kenta", Role::Agent, 0),
            ("Emily Clarke", "emily", Role::Agent, 1),
            ("田中 直樹", "naoki", Role::Agent, 1),
            ("鈴木 美咲", "misaki", Role::Agent, 2),
        ];
        if self.joining.is_some() {
            // The person who set the workspace up takes tickets like the rest of the team.
            self.directory.agents.push(admin);
        }
        for (index, (name, handle, role, team)) in agents.into_iter().enumerate() {
            if index == 0 && self.joining.is_some() {
                continue;
            }
            let id = if index == 0 { admin } else { AgentId::generate(at, &mut self.ids) };
            let languages = if handle == "emily" { ["en"].as_slice() } else { ["ja", "en"].as_slice() };
            let profile = AgentProfile {
                name: name.into(),
                email: Email::parse(&format!("{handle}@example.com")).expect("sample addresses are valid"),
                handle: handle.into(),
                role,
                teams: crate::sorting::set_of([self.teams[team]]),
                skills: Default::default(),
                languages: crate::sorting::set_of(languages.iter().map(|l| (*l).to_owned())),
                capacity: 30,
                active: true,
                available: true,
            };
            ops.push(self.op(at, actor, Payload::Agent { agent: id, op: EntityOp::Create(profile) }));
            if role == Role::Agent {
                self.directory.agents.push(id);
            }
        }
        for (name, description) in CATEGORIES {
            let category = CategoryId::generate(at, &mut self.ids);
            self.directory.categories.push(category);
            let profile = CategoryProfile { name: name.into(), description: description.into(), active: true };
            ops.push(self.op(at, actor, Payload::Category { category, op: EntityOp::Create(profile) }));
        }
        let customers = self.tickets.div_ceil(4).clamp(5, 50_000);
        for index in 0..customers {
            let japanese = self.chance(70);
            let name = if japanese {
                format!("{} {}", self.pick(&JA_SURNAMES), self.pick(&JA_GIVEN))
            } else {
                format!("{} {}", self.pick(&EN_FIRST), self.pick(&EN_LAST))
            };
            let email = Email::parse(&format!("customer{index}@example.{}", if japanese { "jp" } else { "com" }))
                .expect("sample addresses are valid");
            let tier = match self.below(10) {
                0 => Tier::Vip,
                1..=2 => Tier::Premium,
                _ => Tier::Standard,
            };
            let profile = CustomerProfile {
                name,
                emails: vec![email],
                phone: format!("03-{:04}-{:04}", self.below(10_000), self.below(10_000)),
                organisation: if self.chance(60) { self.pick(&ORGANISATIONS).to_owned() } else { String::new() },
                tier,
                language: Some(if japanese { "ja" } else { "en" }.to_owned()),
                notes: String::new(),
                custom: Default::default(),
            };
            let customer = CustomerId::generate(at, &mut self.ids);
            self.directory.customers.push(customer);
            ops.push(self.op(at, actor, Payload::Customer { customer, op: EntityOp::Create(profile) }));
        }
        ops
    }

    fn fill(&mut self, template: &str, japanese: bool) -> String {
        let product = if japanese { self.pick(&PRODUCTS_JA) } else { self.pick(&PRODUCTS_EN) };
        let order = format!("A-{:05}", self.below(100_000));
        template.replace("{p}", product).replace("{n}", &order)
    }

    fn paragraph(&mut self, japanese: bool, sentences: usize) -> String {
        let pool: &[&str] = if japanese { &SENTENCES_JA } else { &SENTENCES_EN };
        let separator = if japanese { "" } else { " " };
        let picked: Vec<String> = (0..sentences)
            .map(|_| {
                let template = pool[self.below(pool.len())];
                self.fill(template, japanese)
            })
            .collect();
        picked.join(separator)
    }

    fn ticket(&mut self, index: usize) -> Vec<Op> {
        let created = self.first_ms + index as u64 * self.step_ms + self.below_ms(self.step_ms);
        // Popular customers write more: square the random pick towards the start of the list.
        let customer_count = self.directory.customers.len() as u64;
        let pick = self.below_ms(customer_count * customer_count);
        let requester = self.directory.customers[((pick as f64).sqrt() as u64 % customer_count) as usize];
        let japanese = self.chance(65);
        let subject_template = if japanese { self.pick(&SUBJECTS_JA) } else { self.pick(&SUBJECTS_EN) };
        let subject = self.fill(subject_template, japanese);
        let sentences = 2 + self.below(6);
        let description = self.paragraph(japanese, sentences);
        let channel = Channel::ALL[[0, 0, 0, 1, 1, 2, 2, 3, 4, 5][self.below(10)]];
        let priority =
            [Priority::Low, Priority::Medium, Priority::Medium, Priority::Medium, Priority::High, Priority::Critical]
                [self.below(6)];
        let category_index = self.below(self.directory.categories.len());
        let category = Some(self.directory.categories[category_index]);
        let tags = crate::sorting::set_of((0..self.below(3)).filter_map(|_| Tag::parse(self.pick(&TAGS)).ok()));
        let id = TicketId::generate(created, &mut self.ids);
        let system = Actor::System;
        let draft = TicketDraft {
            number: index as u64 + 1,
            subject,
            description,
            requester,
            channel,
            priority,
            category,
            tags,
            assignee: None,
            team: None,
            due_ms: None,
            language: Some(if japanese { "ja" } else { "en" }.to_owned()),
            custom: Vec::new(),
            follow_up_of: None,
        };
        let mut ops =
            vec![self.op(created, system, Payload::Ticket { ticket: id, op: TicketOp::Create(Box::new(draft)) })];

        // How far along the ticket is depends on its age: old ones are mostly closed.
        let age_share = 1.0 - index as f64 / self.tickets.max(1) as f64;
        let stage = if self.below(100) as f64 > age_share * 100.0 { self.below(4) } else { 3 + self.below(3) };
        let agent_index = self.below(self.directory.agents.len());
        let agent = self.directory.agents[agent_index];
        let agent_actor = Actor::Agent(agent);
        let handle = ["hanako", "kenta", "emily", "naoki", "misaki"][self.below(5)];
        let mut at = created + 60_000 + self.below_ms(3_600_000);
        if stage >= 1 {
            self.push(&mut ops, &mut at, id, agent_actor, TicketOp::Set(TicketField::Assignee(Some(agent))), 120_000);
            self.push(
                &mut ops,
                &mut at,
                id,
                agent_actor,
                TicketOp::Set(TicketField::Status(Status::InProgress)),
                300_000,
            );
            let pool: &[&str] = if japanese { &REPLIES_JA } else { &REPLIES_EN };
            let count = 2 + self.below(3);
            let lines: Vec<String> = (0..count).map(|_| pool[self.below(pool.len())].replace("{a}", "山田")).collect();
            let reply = lines.join(if japanese { "" } else { " " });
            let message = self.message(at, MessageKind::PublicReply, agent_actor, reply, channel);
            self.push(&mut ops, &mut at, id, agent_actor, message, 3_600_000);
        }
        if self.chance(25) {
            let note = self.pick(&NOTES).replace("{h}", handle);
            let message = self.message(at, MessageKind::InternalNote, agent_actor, note, channel);
            self.push(&mut ops, &mut at, id, agent_actor, message, 600_000);
        }
        if stage >= 2 {
            self.push(
                &mut ops,
                &mut at,
                id,
                agent_actor,
                TicketOp::Set(TicketField::Status(Status::Pending)),
                7_200_000,
            );
            let sentences = 1 + self.below(3);
            let answer = self.paragraph(japanese, sentences);
            let message = self.message(at, MessageKind::Customer, Actor::Customer(requester), answer, channel);
            self.push(&mut ops, &mut at, id, Actor::System, message, 3_600_000);
        }
        if stage >= 3 {
            self.push(
                &mut ops,
                &mut at,
                id,
                agent_actor,
                TicketOp::Set(TicketField::Status(Status::Resolved)),
                86_400_000,
            );
        }
        if stage >= 4 {
            self.push(&mut ops, &mut at, id, agent_actor, TicketOp::Set(TicketField::Status(Status::Closed)), 0);
        }
        ops
    }

    /// Adds a ticket op at `at` and moves `at` on by `step` ms.
    fn push(&mut self, ops: &mut Vec<Op>, at: &mut u64, ticket: TicketId, actor: Actor, op: TicketOp, step: u64) {
        ops.push(self.op(*at, actor, Payload::Ticket { ticket, op }));
        *at += step;
    }

    fn message(&mut self, at: u64, kind: MessageKind, author: Actor, body: String, channel: Channel) -> TicketOp {
        TicketOp::AddMessage(Box::new(MessageDraft {
            id: MessageId::generate(at, &mut self.ids),
            kind,
            author,
            body,
            mentions: Vec::new(),
            attachments: Vec::new(),
            email: None,
            channel: (kind != MessageKind::InternalNote).then_some(channel),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Workspace;

    #[test]
    fn a_sample_is_a_valid_varied_workspace() {
        let config = SampleConfig::new(300, 7, 1_767_225_600_000);
        let (directory, ops) = sample_ops(&config, ReplicaId(1));
        let ops: Vec<Op> = ops.collect();
        let ws = Workspace::from_ops(ops.clone());
        assert_eq!(ws.ticket_count(), 300);
        assert_eq!(ws.customers().count(), directory.customers.len());
        assert_eq!(ws.settings().name, "サポートデスク");
        let statuses: std::collections::BTreeSet<Status> = ws.tickets().map(|t| t.status).collect();
        assert!(statuses.len() >= 4, "a mix of statuses: {statuses:?}");
        let japanese = ws.tickets().filter(|t| t.language.as_deref() == Some("ja")).count();
        assert!((120..=270).contains(&japanese), "mostly but not only Japanese: {japanese}");
        let rejected = ws
            .tickets()
            .flat_map(|t| ws.ticket_history(t.id))
            .filter(|entry| matches!(entry.change, crate::history::Change::Rejected(_)))
            .count();
        assert_eq!(rejected, 0, "every generated op is valid where it lands");
        let numbers: std::collections::BTreeSet<u64> = ws.tickets().map(|t| t.number).collect();
        assert_eq!(numbers.len(), 300, "numbers are unique");
        let average = ops.len() as f64 / 300.0;
        assert!((2.5..9.0).contains(&average), "{average} ops per ticket");
    }

    #[test]
    fn samples_are_deterministic_per_seed() {
        let config = SampleConfig::new(50, 3, 1_000_000_000_000);
        let first: Vec<Op> = sample_ops(&config, ReplicaId(1)).1.collect();
        let second: Vec<Op> = sample_ops(&config, ReplicaId(1)).1.collect();
        assert_eq!(first, second);
        let other: Vec<Op> = sample_ops(&SampleConfig { seed: 4, ..config }, ReplicaId(1)).1.collect();
        assert_ne!(first, other);
    }

    #[test]
    fn a_sample_can_fill_a_workspace_someone_just_set_up() {
        use crate::command::{NewAgent, NewTicket, WorkspaceSetup};
        use crate::replica::Replica;
        let now = 1_767_225_600_000;
        let me = AgentId::from_u128(42);
        let mut replica = Replica::new(ReplicaId(9), SeededEntropy::new(9));
        let setup = WorkspaceSetup {
            name: "Acme Support".into(),
            language: "en".into(),
            time_zone: "Europe/Berlin".into(),
            admin: NewAgent::new("Me", "me@example.com", Role::Admin),
        };
        replica.execute(Actor::Agent(me), now, |ws, f| ws.setup(f, setup)).unwrap();

        let config = SampleConfig { joining: Some(me), ..SampleConfig::new(120, 5, now) };
        let (directory, ops) = sample_ops(&config, ReplicaId(9));
        assert_eq!(directory.admin, me);
        replica.receive(ops, now);
        let ws = replica.workspace();
        assert_eq!(ws.settings().name, "Acme Support", "the sample keeps the workspace's own settings");
        assert_eq!(ws.settings().time_zone, "Europe/Berlin");
        assert_eq!(ws.agent(me).unwrap().profile.name, "Me");
        assert_eq!(ws.agents().count(), 6, "me and five sample agents");
        assert!(ws.tickets().any(|t| t.assignee == Some(me)), "some sample tickets are mine");

        let customer = directory.customers[0];
        let (id, _) = replica
            .execute(Actor::Agent(me), now + 1_000, |ws, f| {
                ws.create_ticket(f, NewTicket::new("After the sample", "", customer, Channel::Phone))
            })
            .unwrap();
        let number = replica.workspace().summary(id).unwrap().number;
        assert_eq!(replica.workspace().tickets_by_number(number).count(), 1, "new numbers do not collide");
    }
}
