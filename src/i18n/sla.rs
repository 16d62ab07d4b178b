//! The interface strings of SLAs, business calendars and holiday import, in Japanese and English
//! (see [`super`]).

use helpdesk_core::sla::{Metric, MetricStatus, SlaError};
use helpdesk_core::time::Weekday;
use helpdesk_core::time::business::{HoursError, IntervalsError};
use helpdesk_core::time::ics::{IcsError, SkipReason};

/// Every SLA string of one language.
#[derive(Debug)]
pub struct SlaTexts {
    pub column: &'static str,
    pub metric_name: fn(Metric) -> &'static str,
    pub status_name: fn(MetricStatus) -> &'static str,
    /// A span of time, short: `2h 15m`, `2時間15分`.
    pub duration: fn(u64) -> String,
    pub due_in: fn(&str) -> String,
    pub over_by: fn(&str) -> String,
    pub paused_left: fn(&str) -> String,
    pub met: &'static str,
    /// `First reply: due in 2h 15m` (the cell's accessible name).
    pub cell_label: fn(&str, &str) -> String,
    pub panel_heading: &'static str,
    pub policy: fn(&str) -> String,
    pub no_policy: &'static str,
    pub elapsed_of: fn(&str, &str) -> String,
    pub paused_for: fn(&str) -> String,
    pub due_at: fn(&str) -> String,
    pub breached_at: fn(&str) -> String,
    pub done_at: fn(&str) -> String,
    pub business_hours: &'static str,
    pub calendar_time: &'static str,

    pub calendars_heading: &'static str,
    pub calendars_intro: &'static str,
    pub calendar_name: &'static str,
    pub time_zone: &'static str,
    pub weekday_name: fn(Weekday) -> &'static str,
    pub weekday_short: fn(Weekday) -> &'static str,
    pub week_heading: &'static str,
    pub hours_hint: &'static str,
    pub holidays_heading: &'static str,
    pub holiday_date: &'static str,
    pub holiday_name: &'static str,
    pub add_holiday: &'static str,
    pub remove_holiday: fn(&str) -> String,
    pub no_holidays: &'static str,
    pub import_ics: &'static str,
    pub import_ics_hint: &'static str,
    pub imported: fn(usize, usize) -> String,
    pub skipped_event: fn(&str, &str) -> String,
    pub new_calendar: &'static str,
    pub save_calendar: &'static str,
    pub calendar_saved: &'static str,
    pub delete_calendar: &'static str,
    pub delete_calendar_confirm: fn(&str) -> String,
    pub no_calendars: &'static str,

    pub policies_heading: &'static str,
    pub policies_intro: &'static str,
    pub policy_name: &'static str,
    pub new_policy: &'static str,
    pub save_policy: &'static str,
    pub policy_saved: &'static str,
    pub delete_policy: &'static str,
    pub delete_policy_confirm: fn(&str) -> String,
    pub no_policies: &'static str,
    pub move_up: fn(&str) -> String,
    pub move_down: fn(&str) -> String,
    pub conditions: &'static str,
    pub any: &'static str,
    pub priorities: &'static str,
    pub categories: &'static str,
    pub tiers: &'static str,
    pub channels: &'static str,
    pub calendar: &'static str,
    pub no_calendar: &'static str,
    pub targets: &'static str,
    pub target_hours: fn(&str) -> String,
    pub target_minutes: fn(&str) -> String,
    pub target_business: fn(&str) -> String,
    pub target_off: &'static str,
    pub warn_at: &'static str,
    pub summary_targets: fn(&str) -> String,
    pub edit: fn(&str) -> String,
    pub edit_button: &'static str,
    pub cancel: &'static str,

    pub e_no_targets: &'static str,
    pub e_target_range: &'static str,
    pub e_calendar_required: &'static str,
    pub e_warning_range: &'static str,
    pub e_unknown_zone: fn(&str) -> String,
    pub e_bad_interval: fn(&str) -> String,
    pub e_overlap: fn(&str) -> String,
    pub e_no_working_time: &'static str,
    pub e_calendar_in_use: fn(&str) -> String,
    pub e_too_many_holidays: fn(usize) -> String,
    pub e_intervals: fn(&str, &str) -> String,
    pub e_not_utf8: fn(usize) -> String,
    pub e_not_calendar: &'static str,
    pub e_bad_line: fn(&str) -> String,
    pub e_unclosed: fn(&str) -> String,
    pub e_no_events: &'static str,
    pub e_unreadable: &'static str,
    pub skip_no_start: &'static str,
    pub skip_bad_date: fn(&str) -> String,
    pub skip_repeat: fn(&str) -> String,
    pub skip_too_long: fn(i64) -> String,
    pub skip_cancelled: &'static str,
}

impl SlaTexts {
    pub fn sla_error(&self, error: &SlaError) -> String {
        match error {
            SlaError::Hours(hours) => self.hours_error(hours),
            SlaError::NoTargets => self.e_no_targets.to_owned(),
            SlaError::TargetOutOfRange => self.e_target_range.to_owned(),
            SlaError::CalendarRequired => self.e_calendar_required.to_owned(),
            SlaError::WarningOutOfRange => self.e_warning_range.to_owned(),
        }
    }

    pub fn hours_error(&self, error: &HoursError) -> String {
        match error {
            HoursError::UnknownZone { zone } => (self.e_unknown_zone)(zone),
            HoursError::BadInterval { day } => (self.e_bad_interval)((self.weekday_name)(*day)),
            HoursError::Overlap { day } => (self.e_overlap)((self.weekday_name)(*day)),
            HoursError::NoWorkingTime => self.e_no_working_time.to_owned(),
        }
    }

    /// A day's hours as typed that cannot be read.
    pub fn intervals_error(&self, day: Weekday, error: &IntervalsError) -> String {
        let detail = match error {
            IntervalsError::NotARange { text }
            | IntervalsError::BadTime { text }
            | IntervalsError::Backwards { text } => text.clone(),
            IntervalsError::Overlap => String::new(),
        };
        match error {
            IntervalsError::Overlap => (self.e_overlap)((self.weekday_name)(day)),
            _ => (self.e_intervals)((self.weekday_name)(day), &detail),
        }
    }

    pub fn ics_error(&self, error: &IcsError) -> String {
        match error {
            IcsError::NotUtf8 { line } => (self.e_not_utf8)(*line),
            IcsError::NotACalendar => self.e_not_calendar.to_owned(),
            IcsError::BadLine { text } => (self.e_bad_line)(text),
            IcsError::Unclosed { component } => (self.e_unclosed)(component),
            IcsError::NoEvents => self.e_no_events.to_owned(),
        }
    }

    pub fn skip_reason(&self, reason: &SkipReason) -> String {
        match reason {
            SkipReason::NoStart => self.skip_no_start.to_owned(),
            SkipReason::BadDate { value } => (self.skip_bad_date)(value),
            SkipReason::UnsupportedRepeat { rule } => (self.skip_repeat)(rule),
            SkipReason::TooLong { days } => (self.skip_too_long)(*days),
            SkipReason::Cancelled => self.skip_cancelled.to_owned(),
        }
    }
}

/// Splits a span into days, hours and minutes (rounded up to the minute: a countdown that says
/// "0m" while time is left would read as due).
fn parts(ms: u64) -> (u64, u64, u64) {
    let minutes = ms.div_ceil(60_000);
    (minutes / (24 * 60), minutes / 60 % 24, minutes % 60)
}

fn duration_en(ms: u64) -> String {
    match parts(ms) {
        (0, 0, m) => format!("{m}m"),
        (0, h, 0) => format!("{h}h"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, 0, _) => format!("{d}d"),
        (d, h, _) => format!("{d}d {h}h"),
    }
}

fn duration_ja(ms: u64) -> String {
    match parts(ms) {
        (0, 0, m) => format!("{m}分"),
        (0, h, 0) => format!("{h}時間"),
        (0, h, m) => format!("{h}時間{m}分"),
        (d, 0, _) => format!("{d}日"),
        (d, h, _) => format!("{d}日{h}時間"),
    }
}

pub static EN: SlaTexts = SlaTexts {
    column: "SLA",
    metric_name: |m| match m {
        Metric::FirstReply => "First reply",
        Metric::NextReply => "Next reply",
        Metric::Resolution => "Resolution",
    },
    status_name: |s| match s {
        MetricStatus::Running => "On track",
        MetricStatus::Warning => "Due soon",
        MetricStatus::Paused => "Paused",
        MetricStatus::Met => "Met",
        MetricStatus::Breached => "Breached",
    },
    duration: duration_en,
    due_in: |d| format!("due in {d}"),
    over_by: |d| format!("{d} over"),
    paused_left: |d| format!("paused, {d} left"),
    met: "met",
    cell_label: |metric, state| format!("{metric}: {state}"),
    panel_heading: "SLA",
    policy: |name| format!("Policy: {name}"),
    no_policy: "No SLA policy applies to this ticket.",
    elapsed_of: |elapsed, target| format!("{elapsed} of {target} used"),
    paused_for: |d| format!("Paused for {d} in all"),
    due_at: |at| format!("Due {at}"),
    breached_at: |at| format!("Breached {at}"),
    done_at: |at| format!("Done {at}"),
    business_hours: "business hours",
    calendar_time: "around the clock",

    calendars_heading: "Business hours",
    calendars_intro: "Working hours and holidays that SLA targets in business hours count by.",
    calendar_name: "Calendar name",
    time_zone: "Time zone",
    weekday_name: |d| match d {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    },
    weekday_short: |d| match d {
        Weekday::Monday => "Mon",
        Weekday::Tuesday => "Tue",
        Weekday::Wednesday => "Wed",
        Weekday::Thursday => "Thu",
        Weekday::Friday => "Fri",
        Weekday::Saturday => "Sat",
        Weekday::Sunday => "Sun",
    },
    week_heading: "Working hours",
    hours_hint: "For example 09:00-12:00, 13:00-18:00. Empty for a day off.",
    holidays_heading: "Holidays",
    holiday_date: "Date",
    holiday_name: "Holiday name",
    add_holiday: "Add holiday",
    remove_holiday: |date| format!("Remove the holiday on {date}"),
    no_holidays: "No holidays yet.",
    import_ics: "Import holidays from an .ics file",
    import_ics_hint: "Public holiday calendars (Google Calendar, government sites) export .ics files. Imported days are added below; save to keep them.",
    imported: |found, skipped| match skipped {
        0 => format!("{found} holidays imported."),
        1 => format!("{found} holidays imported; 1 event could not be used:"),
        _ => format!("{found} holidays imported; {skipped} events could not be used:"),
    },
    skipped_event: |summary, reason| format!("{summary}: {reason}"),
    new_calendar: "New calendar",
    save_calendar: "Save calendar",
    calendar_saved: "Calendar saved.",
    delete_calendar: "Delete calendar",
    delete_calendar_confirm: |name| format!("Delete the calendar “{name}”?"),
    no_calendars: "No calendars yet: SLA targets can only count around the clock.",

    policies_heading: "SLA policies",
    policies_intro: "Targets for reply and resolution times. Policies are tried from the top; the first whose conditions match a ticket applies.",
    policy_name: "Policy name",
    new_policy: "New policy",
    save_policy: "Save policy",
    policy_saved: "Policy saved.",
    delete_policy: "Delete policy",
    delete_policy_confirm: |name| {
        format!("Delete the policy “{name}”? Its tickets fall to the next policy that matches.")
    },
    no_policies: "No SLA policies yet.",
    move_up: |name| format!("Move “{name}” up"),
    move_down: |name| format!("Move “{name}” down"),
    conditions: "Applies to",
    any: "any",
    priorities: "Priorities",
    categories: "Categories",
    tiers: "Customer tiers",
    channels: "Channels",
    calendar: "Calendar",
    no_calendar: "None (around the clock)",
    targets: "Targets",
    target_hours: |metric| format!("{metric}: hours"),
    target_minutes: |metric| format!("{metric}: minutes"),
    target_business: |metric| format!("{metric}: in business hours"),
    target_off: "Leave hours and minutes empty for no target.",
    warn_at: "Warn when this share of a target is used (%)",
    summary_targets: |targets| format!("Targets: {targets}"),
    edit: |name| format!("Edit “{name}”"),
    edit_button: "Edit",
    cancel: "Cancel",

    e_no_targets: "Give the policy at least one target.",
    e_target_range: "A target must be between one minute and a year.",
    e_calendar_required: "Targets in business hours need a calendar: choose one, or count around the clock.",
    e_warning_range: "The warning must come between 1% and 99% of a target.",
    e_unknown_zone: |zone| format!("“{zone}” is not a time zone name such as Asia/Tokyo or UTC."),
    e_bad_interval: |day| format!("Check the hours on {day}: a range ends before it starts or after midnight."),
    e_overlap: |day| format!("Two ranges on {day} overlap."),
    e_no_working_time: "Give at least one day working hours.",
    e_calendar_in_use: |policy| {
        format!("The SLA policy “{policy}” uses this calendar; choose another calendar there first.")
    },
    e_too_many_holidays: |max| format!("A calendar can hold at most {max} holidays."),
    e_intervals: |day, text| format!("{day}: “{text}” is not a time range such as 09:00-18:00."),
    e_not_utf8: |line| format!("The file is not UTF-8 text (line {line}). Export the calendar again as .ics."),
    e_not_calendar: "This is not an iCalendar (.ics) file.",
    e_bad_line: |text| format!("The calendar file is damaged: the line “{text}” is not iCalendar (NAME:value)."),
    e_unclosed: |component| format!("The calendar file is cut off: it ends before END:{component}."),
    e_no_events: "The calendar has no events.",
    e_unreadable: "The file could not be read.",
    skip_no_start: "no start date",
    skip_bad_date: |value| format!("unreadable date “{value}”"),
    skip_repeat: |rule| format!("repeats in a way the import does not expand ({rule})"),
    skip_too_long: |days| format!("lasts {days} days, longer than a holiday"),
    skip_cancelled: "cancelled",
};

pub static JA: SlaTexts = SlaTexts {
    column: "SLA",
    metric_name: |m| match m {
        Metric::FirstReply => "初回返信",
        Metric::NextReply => "次回返信",
        Metric::Resolution => "解決",
    },
    status_name: |s| match s {
        MetricStatus::Running => "順調",
        MetricStatus::Warning => "期限間近",
        MetricStatus::Paused => "一時停止",
        MetricStatus::Met => "達成",
        MetricStatus::Breached => "違反",
    },
    duration: duration_ja,
    due_in: |d| format!("残り{d}"),
    over_by: |d| format!("{d}超過"),
    paused_left: |d| format!("停止中・残り{d}"),
    met: "達成",
    cell_label: |metric, state| format!("{metric}: {state}"),
    panel_heading: "SLA",
    policy: |name| format!("ポリシー: {name}"),
    no_policy: "このチケットに適用されるSLAポリシーはありません。",
    elapsed_of: |elapsed, target| format!("{target}のうち{elapsed}経過"),
    paused_for: |d| format!("一時停止の合計 {d}"),
    due_at: |at| format!("期限 {at}"),
    breached_at: |at| format!("{at} に違反"),
    done_at: |at| format!("{at} に完了"),
    business_hours: "営業時間",
    calendar_time: "24時間",

    calendars_heading: "営業時間",
    calendars_intro: "営業時間で数えるSLA目標が使う、営業日の時間帯と休日です。",
    calendar_name: "カレンダー名",
    time_zone: "タイムゾーン",
    weekday_name: |d| match d {
        Weekday::Monday => "月曜日",
        Weekday::Tuesday => "火曜日",
        Weekday::Wednesday => "水曜日",
        Weekday::Thursday => "木曜日",
        Weekday::Friday => "金曜日",
        Weekday::Saturday => "土曜日",
        Weekday::Sunday => "日曜日",
    },
    weekday_short: |d| match d {
        Weekday::Monday => "月",
        Weekday::Tuesday => "火",
        Weekday::Wednesday => "水",
        Weekday::Thursday => "木",
        Weekday::Friday => "金",
        Weekday::Saturday => "土",
        Weekday::Sunday => "日",
    },
    week_heading: "営業時間帯",
    hours_hint: "例: 09:00-12:00, 13:00-18:00。休業日は空欄にします。",
    holidays_heading: "休日",
    holiday_date: "日付",
    holiday_name: "休日名",
    add_holiday: "休日を追加",
    remove_holiday: |date| format!("{date} の休日を削除"),
    no_holidays: "休日はまだありません。",
    import_ics: ".ics ファイルから休日を取り込む",
    import_ics_hint: "祝日カレンダー(Google カレンダー、官公庁のサイトなど)は .ics ファイルで書き出せます。取り込んだ日は下に追加されます。保存すると確定します。",
    imported: |found, skipped| match skipped {
        0 => format!("{found}日の休日を取り込みました。"),
        _ => format!("{found}日の休日を取り込みました。{skipped}件の予定は使えませんでした:"),
    },
    skipped_event: |summary, reason| format!("{summary}: {reason}"),
    new_calendar: "新しいカレンダー",
    save_calendar: "カレンダーを保存",
    calendar_saved: "カレンダーを保存しました。",
    delete_calendar: "カレンダーを削除",
    delete_calendar_confirm: |name| format!("カレンダー「{name}」を削除しますか?"),
    no_calendars: "カレンダーはまだありません。SLA目標は24時間で数えます。",

    policies_heading: "SLAポリシー",
    policies_intro: "返信と解決の目標時間です。上から順に調べ、条件に合った最初のポリシーがチケットに適用されます。",
    policy_name: "ポリシー名",
    new_policy: "新しいポリシー",
    save_policy: "ポリシーを保存",
    policy_saved: "ポリシーを保存しました。",
    delete_policy: "ポリシーを削除",
    delete_policy_confirm: |name| {
        format!("ポリシー「{name}」を削除しますか?該当するチケットには次に条件が合うポリシーが適用されます。")
    },
    no_policies: "SLAポリシーはまだありません。",
    move_up: |name| format!("「{name}」を上へ"),
    move_down: |name| format!("「{name}」を下へ"),
    conditions: "対象",
    any: "すべて",
    priorities: "優先度",
    categories: "カテゴリ",
    tiers: "顧客ランク",
    channels: "チャネル",
    calendar: "カレンダー",
    no_calendar: "なし(24時間)",
    targets: "目標",
    target_hours: |metric| format!("{metric}: 時間"),
    target_minutes: |metric| format!("{metric}: 分"),
    target_business: |metric| format!("{metric}: 営業時間で数える"),
    target_off: "目標を設けない項目は時間と分を空欄にします。",
    warn_at: "目標のこの割合を使ったら警告 (%)",
    summary_targets: |targets| format!("目標: {targets}"),
    edit: |name| format!("「{name}」を編集"),
    edit_button: "編集",
    cancel: "キャンセル",

    e_no_targets: "目標を少なくとも1つ設定してください。",
    e_target_range: "目標は1分から1年の間で設定してください。",
    e_calendar_required: "営業時間で数える目標にはカレンダーが必要です。カレンダーを選ぶか、24時間で数えてください。",
    e_warning_range: "警告は目標の1%から99%の間で設定してください。",
    e_unknown_zone: |zone| format!("「{zone}」はタイムゾーン名(Asia/Tokyo、UTC など)ではありません。"),
    e_bad_interval: |day| {
        format!("{day}の時間帯を確認してください。開始より前、または24時より後に終わる時間帯があります。")
    },
    e_overlap: |day| format!("{day}の時間帯が重なっています。"),
    e_no_working_time: "少なくとも1日は営業時間を入力してください。",
    e_calendar_in_use: |policy| {
        format!("SLAポリシー「{policy}」がこのカレンダーを使っています。先にそちらで別のカレンダーを選んでください。")
    },
    e_too_many_holidays: |max| format!("1つのカレンダーに登録できる休日は{max}日までです。"),
    e_intervals: |day, text| format!("{day}: 「{text}」は 09:00-18:00 のような時間帯ではありません。"),
    e_not_utf8: |line| {
        format!("ファイルが UTF-8 のテキストではありません({line}行目)。カレンダーを .ics で書き出し直してください。")
    },
    e_not_calendar: "iCalendar (.ics) ファイルではありません。",
    e_bad_line: |text| {
        format!("カレンダーファイルが壊れています: 「{text}」の行は iCalendar の形式(名前:値)ではありません。")
    },
    e_unclosed: |component| format!("カレンダーファイルが途中で切れています: END:{component} がありません。"),
    e_no_events: "カレンダーに予定がありません。",
    e_unreadable: "ファイルを読み込めませんでした。",
    skip_no_start: "開始日がありません",
    skip_bad_date: |value| format!("日付「{value}」を読めません"),
    skip_repeat: |rule| format!("取り込めない繰り返し設定です({rule})"),
    skip_too_long: |days| format!("{days}日間あり、休日としては長すぎます"),
    skip_cancelled: "キャンセル済み",
};
