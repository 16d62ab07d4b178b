//! Translations: every user-visible string, in Japanese and English.
//!
//! Each language is one constant [`Texts`] value. A string missing in either language is a
//! compile error, not a blank on screen. Components read the current table through
//! [`crate::state::AppState::texts`], so switching the language re-renders only text nodes.

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Ja,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    /// The BCP 47 code, used for `<html lang>` and for storage.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// The language's own name, as shown in the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Ja => "日本語",
            Lang::En => "English",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|lang| lang.code() == code)
    }

    /// Picks the interface language from the browser's preferences (`navigator.languages`):
    /// the first Japanese or English entry wins, English otherwise.
    pub fn from_browser_preferences<'a>(preferences: impl IntoIterator<Item = &'a str>) -> Lang {
        preferences
            .into_iter()
            .find_map(|tag| {
                let primary = tag.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
                Lang::from_code(&primary)
            })
            .unwrap_or(Lang::En)
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Ja => &JA,
            Lang::En => &EN,
        }
    }
}

/// All interface strings of one language.
#[derive(Debug)]
pub struct Texts {
    pub app_name: &'static str,
    pub skip_to_content: &'static str,
    pub main_navigation: &'static str,
    pub language: &'static str,
    pub nav_inbox: &'static str,
    pub nav_customers: &'static str,
    pub nav_knowledge_base: &'static str,
    pub nav_reports: &'static str,
    pub nav_settings: &'static str,
    pub inbox_intro: &'static str,
    pub customers_intro: &'static str,
    pub knowledge_base_intro: &'static str,
    pub reports_intro: &'static str,
    pub settings_intro: &'static str,
    pub empty_inbox: &'static str,
    pub empty_customers: &'static str,
    pub empty_knowledge_base: &'static str,
    pub empty_reports: &'static str,
    pub empty_settings: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub back_to_inbox: &'static str,
    pub offline_ready: &'static str,
}

pub const EN: Texts = Texts {
    app_name: "Helpdesk",
    skip_to_content: "Skip to content",
    main_navigation: "Main navigation",
    language: "Language",
    nav_inbox: "Inbox",
    nav_customers: "Customers",
    nav_knowledge_base: "Knowledge base",
    nav_reports: "Reports",
    nav_settings: "Settings",
    inbox_intro: "Every request from every channel, in one queue.",
    customers_intro: "The people you support and everything they have asked.",
    knowledge_base_intro: "Answers your team writes once and reuses.",
    reports_intro: "Volume, response times, SLA and satisfaction.",
    settings_intro: "Your workspace, agents, teams and automation.",
    empty_inbox: "No tickets yet. New requests will appear here.",
    empty_customers: "No customers yet. They are added with their first ticket.",
    empty_knowledge_base: "No articles yet.",
    empty_reports: "Reports fill in as tickets are worked.",
    empty_settings: "This workspace has not been set up yet.",
    not_found_title: "Page not found",
    not_found_body: "There is nothing at this address.",
    back_to_inbox: "Back to the inbox",
    offline_ready: "Works offline: your data stays in this browser.",
};

pub const JA: Texts = Texts {
    app_name: "ヘルプデスク",
    skip_to_content: "本文へ移動",
    main_navigation: "メインナビゲーション",
    language: "表示言語",
    nav_inbox: "受信箱",
    nav_customers: "顧客",
    nav_knowledge_base: "ナレッジベース",
    nav_reports: "レポート",
    nav_settings: "設定",
    inbox_intro: "すべてのチャネルからの問い合わせを、ひとつのキューで。",
    customers_intro: "サポートしている顧客と、その問い合わせのすべて。",
    knowledge_base_intro: "一度書いて何度も使える、チームの回答集。",
    reports_intro: "件数、応答時間、SLA、顧客満足度。",
    settings_intro: "ワークスペース、エージェント、チーム、自動化の設定。",
    empty_inbox: "チケットはまだありません。新しい問い合わせはここに表示されます。",
    empty_customers: "顧客はまだいません。最初のチケットとともに登録されます。",
    empty_knowledge_base: "記事はまだありません。",
    empty_reports: "チケットの対応が進むと、レポートが表示されます。",
    empty_settings: "このワークスペースはまだ設定されていません。",
    not_found_title: "ページが見つかりません",
    not_found_body: "このアドレスには何もありません。",
    back_to_inbox: "受信箱に戻る",
    offline_ready: "オフラインで動作します。データはこのブラウザに保存されます。",
};
