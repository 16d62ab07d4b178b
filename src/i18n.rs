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
    // Storage status (shell banner).
    pub storage_opening: &'static str,
    pub storage_blocked: &'static str,
    pub storage_replaced: &'static str,
    pub reload: &'static str,
    pub store_unavailable: &'static str,
    pub store_quota: &'static str,
    pub store_version: &'static str,
    pub store_failed: fn(&str) -> String,
    // Settings: data in this browser.
    pub storage_heading: &'static str,
    pub storage_intro: &'static str,
    pub persisted_yes: &'static str,
    pub persisted_no: &'static str,
    pub persisted_unknown: &'static str,
    pub persist_button: &'static str,
    pub persist_denied: &'static str,
    pub usage: fn(&str, &str) -> String,
    pub usage_unknown: &'static str,
    pub contents: fn(&str, &str, &str) -> String,
    pub leader_yes: &'static str,
    pub leader_no: &'static str,
    pub open_rebuilt: &'static str,
    pub open_unreadable: fn(usize) -> String,
    pub open_interrupted_import: &'static str,
    // Export and import.
    pub transfer_heading: &'static str,
    pub export_help: &'static str,
    pub export_button: &'static str,
    pub exporting: fn(&str, &str) -> String,
    pub export_done: fn(&str) -> String,
    pub export_skipped: fn(usize) -> String,
    pub import_label: &'static str,
    pub import_help: &'static str,
    pub importing: fn(u32) -> String,
    pub import_done: fn(&str, &str) -> String,
    pub import_not_export: &'static str,
    pub import_version: fn(u32) -> String,
    pub import_bad_line: fn(usize) -> String,
    pub import_incomplete: fn(u64, u64) -> String,
    pub import_empty: &'static str,
    pub import_unreadable: &'static str,
    pub progress: &'static str,
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
    storage_opening: "Opening your data…",
    storage_blocked: "An older version of the helpdesk is still open in another tab. Close that tab to continue.",
    storage_replaced: "The helpdesk was updated in another tab. Reload this page to continue.",
    reload: "Reload",
    store_unavailable: "This browser does not let the helpdesk store data (private browsing, or site data turned off). Nothing you do here can be saved.",
    store_quota: "The browser's storage for this site is full. Nothing was saved. Export your data or free disk space, then try again.",
    store_version: "This data was saved by a newer version of the helpdesk. Reload the page to update.",
    store_failed: |detail| format!("Saving failed ({detail}). Nothing was saved; try again."),
    storage_heading: "Data in this browser",
    storage_intro: "Everything is stored in this browser, so the helpdesk works offline.",
    persisted_yes: "Protected: the browser will not delete this data to free space.",
    persisted_no: "Not protected: the browser may delete this data when the disk runs low. Ask it to keep the data, and export regularly.",
    persisted_unknown: "This browser does not say whether it will keep the data. Export regularly.",
    persist_button: "Ask the browser to keep this data",
    persist_denied: "The browser declined. Bookmarking or installing the site often helps; a regular export is the sure way.",
    usage: |used, quota| format!("Using {used} of the {quota} this site may use."),
    usage_unknown: "This browser does not report how much space is used.",
    contents: |tickets, customers, agents| format!("Tickets: {tickets} · Customers: {customers} · Agents: {agents}"),
    leader_yes: "This tab runs the background jobs (timers and automation).",
    leader_no: "Another open tab runs the background jobs.",
    open_rebuilt: "Some saved data could not be read and was rebuilt from the change log.",
    open_unreadable: |count| format!("{count} saved records could not be read. They were set aside, not deleted."),
    open_interrupted_import: "An import did not finish. Import the same file again to complete it; what was already imported is skipped.",
    transfer_heading: "Export and import",
    export_help: "Download the whole workspace as one file: a backup, or a way to move to another browser.",
    export_button: "Export workspace",
    exporting: |done, total| format!("Exporting… {done} of {total} records"),
    export_done: |file| format!("Exported to {file}."),
    export_skipped: |count| format!("{count} records could not be read and were left out."),
    import_label: "Import a workspace file",
    import_help: "Changes this workspace already has are skipped, so importing a file twice is safe.",
    importing: |percent| format!("Importing… {percent}%"),
    import_done: |read, new| format!("Imported {read} changes ({new} new)."),
    import_not_export: "This file is not a helpdesk export.",
    import_version: |version| {
        format!("This file was exported by a newer version (format {version}). Update the helpdesk, then import it.")
    },
    import_bad_line: |line| format!("Line {line} of the file is damaged. The changes before it were imported."),
    import_incomplete: |expected, found| {
        format!(
            "The file is incomplete: it announces {expected} changes but holds {found}. Everything it holds was imported."
        )
    },
    import_empty: "The file is empty.",
    import_unreadable: "The file could not be read.",
    progress: "Progress",
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
    storage_opening: "データを読み込んでいます…",
    storage_blocked: "古いバージョンのヘルプデスクが別のタブで開いています。そのタブを閉じると続行します。",
    storage_replaced: "ヘルプデスクが別のタブで更新されました。続けるにはこのページを再読み込みしてください。",
    reload: "再読み込み",
    store_unavailable: "このブラウザではヘルプデスクのデータを保存できません（プライベートブラウズ、またはサイトデータが無効）。ここでの操作は保存されません。",
    store_quota: "このサイトのブラウザ保存領域がいっぱいです。保存されていません。データをエクスポートするかディスクの空きを作ってから、もう一度お試しください。",
    store_version: "このデータは新しいバージョンのヘルプデスクで保存されています。ページを再読み込みして更新してください。",
    store_failed: |detail| format!("保存に失敗しました（{detail}）。保存されていません。もう一度お試しください。"),
    storage_heading: "このブラウザのデータ",
    storage_intro: "すべてのデータはこのブラウザに保存されるため、オフラインでも使えます。",
    persisted_yes: "保護済み: 空き容量を確保するためにブラウザがこのデータを削除することはありません。",
    persisted_no: "未保護: ディスクの空きが少なくなると、ブラウザがこのデータを削除する場合があります。保護を依頼し、定期的にエクスポートしてください。",
    persisted_unknown: "このブラウザはデータを保持するかどうかを示しません。定期的にエクスポートしてください。",
    persist_button: "データの保護をブラウザに依頼する",
    persist_denied: "ブラウザに拒否されました。サイトをブックマークまたはインストールすると許可されることがあります。確実なのは定期的なエクスポートです。",
    usage: |used, quota| format!("このサイトが使える{quota}のうち{used}を使用しています。"),
    usage_unknown: "このブラウザは使用容量を報告しません。",
    contents: |tickets, customers, agents| {
        format!("チケット: {tickets}件 · 顧客: {customers}件 · エージェント: {agents}名")
    },
    leader_yes: "このタブがバックグラウンド処理（タイマーと自動化）を実行しています。",
    leader_no: "別のタブがバックグラウンド処理を実行しています。",
    open_rebuilt: "保存データの一部を読み込めなかったため、変更履歴から再構築しました。",
    open_unreadable: |count| format!("保存レコード{count}件を読み込めませんでした。削除せずに隔離しています。"),
    open_interrupted_import: "インポートが完了していません。同じファイルをもう一度インポートすると完了します（取り込み済みの変更はスキップされます）。",
    transfer_heading: "エクスポートとインポート",
    export_help: "ワークスペース全体を1つのファイルとしてダウンロードします。バックアップや、別のブラウザへの移行に使えます。",
    export_button: "ワークスペースをエクスポート",
    exporting: |done, total| format!("エクスポート中… {total}件中{done}件"),
    export_done: |file| format!("{file} にエクスポートしました。"),
    export_skipped: |count| format!("読み込めなかった{count}件のレコードは含まれていません。"),
    import_label: "ワークスペースファイルをインポート",
    import_help: "既にある変更はスキップされるため、同じファイルを2回インポートしても安全です。",
    importing: |percent| format!("インポート中… {percent}%"),
    import_done: |read, new| format!("{read}件の変更を読み込みました（新規{new}件）。"),
    import_not_export: "このファイルはヘルプデスクのエクスポートではありません。",
    import_version: |version| {
        format!(
            "このファイルは新しいバージョン（形式{version}）でエクスポートされています。ヘルプデスクを更新してからインポートしてください。"
        )
    },
    import_bad_line: |line| format!("ファイルの{line}行目が壊れています。それより前の変更はインポートされました。"),
    import_incomplete: |expected, found| {
        format!(
            "ファイルが不完全です（{expected}件のうち{found}件のみ）。含まれている変更はすべてインポートされました。"
        )
    },
    import_empty: "ファイルが空です。",
    import_unreadable: "ファイルを読み込めませんでした。",
    progress: "進捗",
};

impl Texts {
    /// A storage failure in words a person can act on.
    pub fn store_error(&self, error: &crate::store::StoreError) -> String {
        use crate::store::StoreError;
        match error {
            StoreError::Unavailable => self.store_unavailable.to_owned(),
            StoreError::QuotaExceeded => self.store_quota.to_owned(),
            StoreError::VersionTooNew => self.store_version.to_owned(),
            StoreError::Closed => self.storage_replaced.to_owned(),
            StoreError::Failed(detail) => (self.store_failed)(detail),
        }
    }

    /// Why an export or import stopped.
    pub fn transfer_error(&self, error: &crate::store::TransferError) -> String {
        use crate::store::TransferError;
        use helpdesk_core::export::ImportError;
        match error {
            TransferError::Store(error) => self.store_error(error),
            TransferError::File(ImportError::NotAnExport) => self.import_not_export.to_owned(),
            TransferError::File(ImportError::UnsupportedVersion { found }) => (self.import_version)(*found),
            TransferError::File(ImportError::BadLine { line, .. }) => (self.import_bad_line)(*line),
            TransferError::File(ImportError::Incomplete { expected, found }) => {
                (self.import_incomplete)(*expected, *found)
            }
            TransferError::File(ImportError::Empty) => self.import_empty.to_owned(),
            TransferError::Read(_) => self.import_unreadable.to_owned(),
        }
    }
}
