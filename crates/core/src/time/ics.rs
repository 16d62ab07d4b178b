//! Holidays from an iCalendar (`.ics`) file, as public-holiday calendars (Google's "Holidays in
//! Japan", government and company calendars) publish them.
//!
//! Each event's days become holidays named by its summary: all-day events (`DTSTART;VALUE=DATE`,
//! end exclusive), timed events (every local day they touch), and events that repeat every year
//! on a date or on the n-th weekday of a month (`RRULE:FREQ=YEARLY;BYMONTH=1;BYDAY=2MO`, which
//! covers how holiday calendars write repeating holidays), with `COUNT`, `UNTIL` and `EXDATE`.
//! Events the import cannot turn into days are reported back with the reason instead of being
//! dropped silently, so the person importing sees what is missing.
//!
//! Content lines are read here (unfolding, parameters with quoting, components), about 80 lines:
//! the `ical` crate did it before, but it uppercases names with `str::to_uppercase`, whose
//! Unicode table and code (with the crate) were 10.6 KB gzip of the app, for names that are ASCII
//! (docs/size.md). Unfolding works on bytes: calendars fold long lines every 75 octets, which can
//! fall inside a multi-byte character (Japanese summaries).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{Date, MINUTE_MS, Weekday, Zone};

/// Events longer than this are not taken as holidays (a "Q1" or "term" event imported by mistake
/// would otherwise swallow months of working time).
pub const MAX_HOLIDAY_DAYS: i64 = 31;

/// What an import found.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct HolidayImport {
    /// Holidays in the requested window, by date; names of events on the same day are joined.
    pub holidays: BTreeMap<Date, String>,
    /// Events that gave no holidays, and why.
    pub skipped: Vec<SkippedEvent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedEvent {
    pub summary: String,
    pub reason: SkipReason,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum SkipReason {
    /// No `DTSTART`.
    NoStart,
    /// A date or date-time that cannot be read.
    BadDate { value: String },
    /// A repeat rule other than yearly on a date or on the n-th weekday of a month.
    UnsupportedRepeat { rule: String },
    /// Longer than [`MAX_HOLIDAY_DAYS`].
    TooLong { days: i64 },
    /// `STATUS:CANCELLED`.
    Cancelled,
}

/// Why a file cannot be imported at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum IcsError {
    #[error("the file is not UTF-8 text (line {line}); iCalendar files are UTF-8: export it again as .ics")]
    NotUtf8 { line: usize },
    #[error("the file is not an iCalendar file: it does not begin with BEGIN:VCALENDAR")]
    NotACalendar,
    #[error("the calendar has a line that is not an iCalendar content line (NAME:value): {text}")]
    BadLine { text: String },
    #[error("the calendar ends before END:{component}")]
    Unclosed { component: String },
    #[error("the calendar has no events")]
    NoEvents,
}

/// Reads the holidays of an iCalendar file that fall in `within` (inclusive). Date-times in UTC
/// or in another zone are counted in `zone` (the calendar's), floating ones as written.
pub fn holidays_from_ics(bytes: &[u8], zone: &Zone, within: (Date, Date)) -> Result<HolidayImport, IcsError> {
    let text = unfold(bytes)?;
    if !text.trim_start_matches('\u{feff}').trim_start().to_ascii_uppercase().starts_with("BEGIN:VCALENDAR") {
        return Err(IcsError::NotACalendar);
    }
    let mut import = HolidayImport::default();
    let mut events = 0;
    for event in event_properties(text.trim_start_matches('\u{feff}'))? {
        events += 1;
        let properties = Properties(&event);
        let summary = properties.value("SUMMARY").map(unescape_text).unwrap_or_default();
        match event_days(&properties, zone, within) {
            Ok(days) => {
                for day in days {
                    let name = import.holidays.entry(day).or_default();
                    if name.is_empty() {
                        name.clone_from(&summary);
                    } else if !summary.is_empty() && !name.split(" / ").any(|part| part == summary) {
                        name.push_str(" / ");
                        name.push_str(&summary);
                    }
                }
            }
            Err(reason) => import.skipped.push(SkippedEvent { summary, reason }),
        }
    }
    if events == 0 {
        return Err(IcsError::NoEvents);
    }
    Ok(import)
}

/// Joins folded lines (CRLF or LF followed by a space or tab, RFC 5545 §3.1) before decoding, so
/// a fold inside a character does not break it.
fn unfold(bytes: &[u8]) -> Result<String, IcsError> {
    let mut joined = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let fold = match bytes[index..] {
            [b'\r', b'\n', b' ' | b'\t', ..] => 3,
            [b'\n', b' ' | b'\t', ..] => 2,
            _ => 0,
        };
        if fold > 0 {
            index += fold;
        } else {
            joined.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(joined).map_err(|error| {
        let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
        IcsError::NotUtf8 { line: valid.iter().filter(|&&byte| byte == b'\n').count() + 1 }
    })
}

/// TEXT values escape `\,`, `\;`, `\\` and newlines (§3.3.11).
fn unescape_text(value: &str) -> String {
    let mut text = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            text.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => text.push(' '),
            Some(other) => text.push(other),
            None => {}
        }
    }
    text.trim().to_owned()
}

/// One content line (RFC 5545 §3.1): `NAME;PARAM=a,"b;c":value`.
#[derive(Debug, Clone, PartialEq)]
struct Property<'a> {
    name: &'a str,
    params: Vec<(&'a str, Vec<&'a str>)>,
    value: &'a str,
}

impl<'a> Property<'a> {
    /// Reads one unfolded line; `None` when it is not `NAME[;PARAM=…]:value`.
    fn parse(line: &'a str) -> Option<Self> {
        let name_end = line.find([';', ':'])?;
        let (name, mut rest) = line.split_at(name_end);
        let mut params = Vec::new();
        while let Some(param) = rest.strip_prefix(';') {
            let (key, mut tail) = param.split_once('=')?;
            let mut values = Vec::new();
            loop {
                // Quoted values may hold the separators (`TZID="Europe/Paris;x"`, `CN="Doe, J"`).
                let (value, next) = match tail.strip_prefix('"') {
                    Some(quoted) => {
                        let close = quoted.find('"')?;
                        (&quoted[..close], &quoted[close + 1..])
                    }
                    None => tail.split_at(tail.find([',', ';', ':']).unwrap_or(tail.len())),
                };
                values.push(value);
                match next.strip_prefix(',') {
                    Some(more) => tail = more,
                    None => {
                        tail = next;
                        break;
                    }
                }
            }
            params.push((key, values));
            rest = tail;
        }
        let value = rest.strip_prefix(':')?;
        (!name.is_empty()).then_some(Property { name, params, value })
    }
}

/// The properties of every `VEVENT` directly inside a `VCALENDAR`, in file order. Properties of
/// components nested in an event (`VALARM`) or beside it (`VTIMEZONE`) are not the event's.
fn event_properties(text: &str) -> Result<Vec<Vec<Property<'_>>>, IcsError> {
    let mut open: Vec<&str> = Vec::new();
    let mut events = Vec::new();
    let mut current = Vec::new();
    // `lines` ends lines at LF and CRLF alike.
    for line in text.lines().filter(|line| !line.trim().is_empty()) {
        let bad_line = || IcsError::BadLine { text: line.chars().take(80).collect() };
        let property = Property::parse(line).ok_or_else(bad_line)?;
        let component = property.value.trim();
        if property.name.eq_ignore_ascii_case("BEGIN") {
            open.push(component);
        } else if property.name.eq_ignore_ascii_case("END") {
            if !open.pop().is_some_and(|begun| begun.eq_ignore_ascii_case(component)) {
                return Err(bad_line());
            }
            if open.len() == 1 && component.eq_ignore_ascii_case("VEVENT") {
                events.push(std::mem::take(&mut current));
            }
        } else if let [calendar, event] = open[..]
            && calendar.eq_ignore_ascii_case("VCALENDAR")
            && event.eq_ignore_ascii_case("VEVENT")
        {
            current.push(property);
        }
    }
    match open.last() {
        Some(component) => Err(IcsError::Unclosed { component: component.to_ascii_uppercase() }),
        None => Ok(events),
    }
}

struct Properties<'a>(&'a [Property<'a>]);

impl<'a> Properties<'a> {
    fn get(&self, name: &str) -> Option<&'a Property<'a>> {
        self.0.iter().find(|property| property.name.eq_ignore_ascii_case(name))
    }

    fn value(&self, name: &str) -> Option<&'a str> {
        self.get(name).map(|property| property.value)
    }

    fn all(&self, name: &'a str) -> impl Iterator<Item = &'a Property<'a>> + 'a {
        self.0.iter().filter(move |property| property.name.eq_ignore_ascii_case(name))
    }
}

fn param<'a>(property: &Property<'a>, name: &str) -> Option<&'a str> {
    let (_, values) = property.params.iter().find(|(key, _)| key.eq_ignore_ascii_case(name))?;
    values.first().copied()
}

/// A `DTSTART`/`DTEND` value as the local date it falls on, and whether it had a time (an end
/// at midnight does not touch the day it names).
fn local_date(property: &Property<'_>, zone: &Zone) -> Result<(Date, Option<u64>), SkipReason> {
    let value = property.value.trim();
    let bad = || SkipReason::BadDate { value: value.to_owned() };
    let date_part = value.get(0..8).ok_or_else(bad)?;
    let number = |range: std::ops::Range<usize>| date_part.get(range).and_then(|digits| digits.parse::<u32>().ok());
    let date = match (number(0..4), number(4..6), number(6..8)) {
        (Some(year), Some(month), Some(day)) => Date::new(year as i32, month as u8, day as u8).ok_or_else(bad)?,
        _ => return Err(bad()),
    };
    let Some(time) = value.get(8..).filter(|rest| !rest.is_empty()) else {
        return Ok((date, None));
    };
    let time = time.strip_prefix(['T', 't']).ok_or_else(bad)?;
    let (clock, utc) = match time.strip_suffix(['Z', 'z']) {
        Some(clock) => (clock, true),
        None => (time, false),
    };
    let field = |range: std::ops::Range<usize>| clock.get(range).and_then(|digits| digits.parse::<u64>().ok());
    let (Some(hours), Some(minutes), Some(seconds)) = (field(0..2), field(2..4), field(4..6)) else {
        return Err(bad());
    };
    if clock.len() != 6 || hours > 23 || minutes > 59 || seconds > 60 {
        return Err(bad());
    }
    let ms_of_day = (hours * 60 + minutes) * MINUTE_MS + seconds.min(59) * 1000;
    let source_zone = if utc { Some(Zone::utc()) } else { param(property, "TZID").and_then(Zone::named) };
    match source_zone {
        // Floating time (no zone) is the same wall clock everywhere: the date as written.
        None => Ok((date, Some(ms_of_day))),
        Some(source) => {
            let local = zone.local(source.instant(date, ms_of_day));
            Ok((local.date, Some(local.ms_of_day)))
        }
    }
}

/// The days of one event, repeated as its rule says, inside `within`.
fn event_days(properties: &Properties<'_>, zone: &Zone, within: (Date, Date)) -> Result<Vec<Date>, SkipReason> {
    if properties.value("STATUS").is_some_and(|status| status.trim().eq_ignore_ascii_case("CANCELLED")) {
        return Err(SkipReason::Cancelled);
    }
    let start = properties.get("DTSTART").ok_or(SkipReason::NoStart)?;
    let (first_day, start_time) = local_date(start, zone)?;
    // Days the event covers from its first day: the end is exclusive for dates, and a timed event
    // ending at midnight does not touch that day.
    let length = match (properties.get("DTEND"), properties.value("DURATION")) {
        (Some(end), _) => {
            let (end_day, end_time) = local_date(end, zone)?;
            let last = match end_time {
                Some(ms) if ms > 0 => end_day,
                _ if start_time.is_some() && end_day == first_day => end_day,
                _ => end_day.add_days(-1),
            };
            (last.days_since_epoch() - first_day.days_since_epoch() + 1).max(1)
        }
        (None, Some(duration)) => {
            duration_days(duration.trim()).ok_or_else(|| SkipReason::BadDate { value: duration.to_owned() })?.max(1)
        }
        (None, None) => 1,
    };
    if length > MAX_HOLIDAY_DAYS {
        return Err(SkipReason::TooLong { days: length });
    }
    let excluded: BTreeSet<Date> = crate::sorting::set_of(properties.all("EXDATE").flat_map(|exdate| {
        let values = exdate.value.split(',');
        values
            .filter_map(|value| {
                let single = Property { value, ..exdate.clone() };
                local_date(&single, zone).ok().map(|(date, _)| date)
            })
            .collect::<Vec<_>>()
    }));
    let occurrences = match properties.value("RRULE") {
        None => vec![first_day],
        Some(rule) => yearly_occurrences(rule, first_day, within.1, zone)?,
    };
    let mut days = Vec::new();
    for occurrence in occurrences.into_iter().filter(|day| !excluded.contains(day)) {
        for offset in 0..length {
            let day = occurrence.add_days(offset);
            if within.0 <= day && day <= within.1 {
                days.push(day);
            }
        }
    }
    Ok(days)
}

/// `P1D`, `P2W`, `PT24H`: whole days (a partial day counts as the day it touches).
fn duration_days(text: &str) -> Option<i64> {
    let body = text.strip_prefix('+').unwrap_or(text).strip_prefix('P')?;
    let (date_part, time_part) = body.split_once('T').unwrap_or((body, ""));
    let mut days = 0i64;
    let mut number = String::new();
    for c in date_part.chars() {
        match c {
            '0'..='9' => number.push(c),
            'W' => days += number.parse::<i64>().ok()? * 7,
            'D' => days += number.parse::<i64>().ok()?,
            _ => return None,
        }
        if !c.is_ascii_digit() {
            number.clear();
        }
    }
    let mut minutes = 0i64;
    for c in time_part.chars() {
        match c {
            '0'..='9' => number.push(c),
            'H' => minutes += number.parse::<i64>().ok()? * 60,
            'M' => minutes += number.parse::<i64>().ok()?,
            'S' => {}
            _ => return None,
        }
        if !c.is_ascii_digit() {
            number.clear();
        }
    }
    Some(days + (minutes + 24 * 60 - 1) / (24 * 60))
}

/// Occurrences of a yearly rule from `first` through `through`.
fn yearly_occurrences(rule: &str, first: Date, through: Date, zone: &Zone) -> Result<Vec<Date>, SkipReason> {
    let unsupported = || SkipReason::UnsupportedRepeat { rule: rule.to_owned() };
    let mut frequency = None;
    let mut month = first.month();
    let mut month_day = None;
    let mut weekday = None;
    let mut count = None;
    let mut until = None;
    for part in rule.split(';').filter(|part| !part.is_empty()) {
        let (key, value) = part.split_once('=').ok_or_else(unsupported)?;
        match key.to_ascii_uppercase().as_str() {
            "FREQ" => frequency = Some(value.to_ascii_uppercase()),
            "INTERVAL" if value == "1" => {}
            "WKST" => {}
            "BYMONTH" => month = value.parse::<u8>().ok().filter(|m| (1..=12).contains(m)).ok_or_else(unsupported)?,
            "BYMONTHDAY" => {
                month_day = Some(value.parse::<u8>().ok().filter(|d| (1..=31).contains(d)).ok_or_else(unsupported)?)
            }
            "BYDAY" => weekday = Some(nth_weekday(value).ok_or_else(unsupported)?),
            "COUNT" => count = Some(value.parse::<usize>().map_err(|_| unsupported())?),
            "UNTIL" => {
                let property = Property { name: "UNTIL", params: Vec::new(), value };
                until = Some(local_date(&property, zone).map_err(|_| unsupported())?.0);
            }
            _ => return Err(unsupported()),
        }
    }
    if frequency.as_deref() != Some("YEARLY") || (month_day.is_some() && weekday.is_some()) {
        return Err(unsupported());
    }
    let last = until.map_or(through, |until| until.min(through));
    let mut occurrences = Vec::new();
    let mut seen = 0;
    for year in first.year()..=last.year() {
        let day = match weekday {
            Some((n, weekday)) => nth_weekday_of_month(year, month, n, weekday),
            None => Date::new(year, month, month_day.unwrap_or(first.day())),
        };
        let Some(day) = day.filter(|day| *day >= first && *day <= last) else {
            continue;
        };
        seen += 1;
        if count.is_some_and(|count| seen > count) {
            break;
        }
        occurrences.push(day);
    }
    Ok(occurrences)
}

/// `2MO`, `-1FR`: which weekday of the month (negative from the end).
fn nth_weekday(value: &str) -> Option<(i8, Weekday)> {
    let split = value.len().checked_sub(2)?;
    let (n, day) = value.split_at(split);
    let weekday = match day.to_ascii_uppercase().as_str() {
        "MO" => Weekday::Monday,
        "TU" => Weekday::Tuesday,
        "WE" => Weekday::Wednesday,
        "TH" => Weekday::Thursday,
        "FR" => Weekday::Friday,
        "SA" => Weekday::Saturday,
        "SU" => Weekday::Sunday,
        _ => return None,
    };
    let n: i8 = n.strip_prefix('+').unwrap_or(n).parse().ok()?;
    (n != 0 && (-5..=5).contains(&n)).then_some((n, weekday))
}

fn nth_weekday_of_month(year: i32, month: u8, n: i8, weekday: Weekday) -> Option<Date> {
    let first = Date::new(year, month, 1)?;
    let next_month = first.next_month_start();
    let candidate = if n > 0 {
        let shift = (weekday.index() + 7 - first.weekday().index()) % 7;
        first.add_days(shift as i64 + 7 * (i64::from(n) - 1))
    } else {
        let last = next_month.add_days(-1);
        let shift = (last.weekday().index() + 7 - weekday.index()) % 7;
        last.add_days(-(shift as i64) - 7 * (i64::from(-n) - 1))
    };
    (candidate >= first && candidate < next_month).then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn window() -> (Date, Date) {
        (date("2026-01-01"), date("2028-12-31"))
    }

    fn import(text: &str) -> Result<HolidayImport, IcsError> {
        holidays_from_ics(text.as_bytes(), &Zone::named("Asia/Tokyo").unwrap(), window())
    }

    const GOOGLE_STYLE: &str = "BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nVERSION:2.0\r\n\
X-WR-CALNAME:日本の祝日\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\nDTEND;VALUE=DATE:20260102\r\n\
UID:20260101_ja@google.com\r\nSUMMARY:元日\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260503\r\n\
DTEND;VALUE=DATE:20260507\r\nSUMMARY:ゴールデン\r\n ウィーク\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    #[test]
    fn all_day_events_become_named_holidays() {
        let found = import(GOOGLE_STYLE).unwrap();
        assert_eq!(found.holidays.get(&date("2026-01-01")).map(String::as_str), Some("元日"));
        // Four days, end exclusive; the folded summary is joined without losing characters.
        let golden: Vec<_> = found.holidays.range(date("2026-05-01")..date("2026-05-31")).collect();
        assert_eq!(golden.len(), 4);
        assert!(golden.iter().all(|(_, name)| *name == "ゴールデンウィーク"));
        assert!(found.skipped.is_empty());
    }

    #[test]
    fn a_fold_inside_a_character_is_joined_before_decoding() {
        let summary = "成人の日".as_bytes();
        let mut bytes = b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260112\nSUMMARY:".to_vec();
        bytes.extend_from_slice(&summary[..4]);
        bytes.extend_from_slice(b"\r\n ");
        bytes.extend_from_slice(&summary[4..]);
        bytes.extend_from_slice(b"\nEND:VEVENT\nEND:VCALENDAR\n");
        let found = holidays_from_ics(&bytes, &Zone::utc(), window()).unwrap();
        assert_eq!(found.holidays.get(&date("2026-01-12")).map(String::as_str), Some("成人の日"));
    }

    #[test]
    fn yearly_rules_repeat_on_dates_and_on_nth_weekdays() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20200112\nRRULE:FREQ=YEARLY;BYMONTH=1;BYDAY=2MO\n\
SUMMARY:Coming of Age Day\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20191128\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=4TH\n\
SUMMARY:Thanksgiving\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260525\nRRULE:FREQ=YEARLY;BYMONTH=5;BYDAY=-1MO;COUNT=2\n\
SUMMARY:Memorial Day\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20251225\nRRULE:FREQ=YEARLY;UNTIL=20271231\nEXDATE;VALUE=DATE:20261225\n\
SUMMARY:Christmas\\, office closed\nEND:VEVENT\nEND:VCALENDAR\n";
        let found = import(text).unwrap();
        let named = |name: &str| -> Vec<String> {
            found.holidays.iter().filter(|(_, n)| n.as_str() == name).map(|(d, _)| d.to_string()).collect()
        };
        assert_eq!(named("Coming of Age Day"), ["2026-01-12", "2027-01-11", "2028-01-10"]);
        assert_eq!(named("Thanksgiving"), ["2026-11-26", "2027-11-25", "2028-11-23"]);
        assert_eq!(named("Memorial Day"), ["2026-05-25", "2027-05-31"], "COUNT=2");
        assert_eq!(named("Christmas, office closed"), ["2027-12-25"], "EXDATE and UNTIL; 2025 is outside the window");
    }

    #[test]
    fn timed_events_count_the_local_days_they_touch() {
        // 15:00Z on 31 Dec is 00:00 on 1 Jan in Tokyo; a Tokyo all-nighter 22:00–06:00 touches two
        // days; an event ending at midnight does not touch the next day.
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261231T150000Z\nDTEND:20261231T230000Z\nSUMMARY:New Year\nEND:VEVENT\n\
BEGIN:VEVENT\nDTSTART;TZID=Asia/Tokyo:20260710T220000\nDTEND;TZID=Asia/Tokyo:20260711T060000\nSUMMARY:Maintenance\nEND:VEVENT\n\
BEGIN:VEVENT\nDTSTART:20260801T090000\nDTEND:20260802T000000\nSUMMARY:Party\nEND:VEVENT\nEND:VCALENDAR\n";
        let found = import(text).unwrap();
        let days: Vec<String> = found.holidays.keys().map(Date::to_string).collect();
        assert_eq!(days, ["2026-07-10", "2026-07-11", "2026-08-01", "2027-01-01"]);
    }

    #[test]
    fn events_that_cannot_be_used_are_reported_not_dropped() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:No start\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20261301\n\
SUMMARY:Bad\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260105\nRRULE:FREQ=WEEKLY;BYDAY=MO\nSUMMARY:Standup\nEND:VEVENT\n\
BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260101\nDTEND;VALUE=DATE:20260401\nSUMMARY:Q1\nEND:VEVENT\n\
BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260102\nSTATUS:CANCELLED\nSUMMARY:Off\nEND:VEVENT\n\
BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260103\nDURATION:P2D\nSUMMARY:Kept\nEND:VEVENT\nEND:VCALENDAR\n";
        let found = import(text).unwrap();
        let reasons: Vec<(&str, &SkipReason)> = found.skipped.iter().map(|s| (s.summary.as_str(), &s.reason)).collect();
        assert_eq!(
            reasons,
            [
                ("No start", &SkipReason::NoStart),
                ("Bad", &SkipReason::BadDate { value: "20261301".into() }),
                ("Standup", &SkipReason::UnsupportedRepeat { rule: "FREQ=WEEKLY;BYDAY=MO".into() }),
                ("Q1", &SkipReason::TooLong { days: 90 }),
                ("Off", &SkipReason::Cancelled),
            ]
        );
        assert_eq!(found.holidays.keys().map(Date::to_string).collect::<Vec<_>>(), ["2026-01-03", "2026-01-04"]);
    }

    #[test]
    fn content_lines_are_read_with_quoted_parameters_and_nested_components() {
        let text = "begin:vcalendar\nBEGIN:VTIMEZONE\nTZID:Asia/Tokyo\nBEGIN:STANDARD\nDTSTART:19700101T000000\n\
END:STANDARD\nEND:VTIMEZONE\nBEGIN:VEVENT\ndtstart;X-NOTE=\"a;b:c\",plain;TZID=\"Asia/Tokyo\":20260710T220000\n\
DTEND;TZID=Asia/Tokyo:20260710T230000\nBEGIN:VALARM\nSUMMARY:Alarm text\nDTSTART:20300101T000000Z\nEND:VALARM\n\
SUMMARY:Quoted: parameters\nEND:VEVENT\nEND:VCALENDAR\nBEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260102\n\
SUMMARY:Second calendar\nEND:VEVENT\nEND:VCALENDAR\n";
        let found = import(text).unwrap();
        let days: Vec<(String, &str)> = found.holidays.iter().map(|(d, n)| (d.to_string(), n.as_str())).collect();
        // The alarm's summary and start are not the event's; the value after the first unquoted
        // colon is whole; both calendars count.
        assert_eq!(days, [("2026-01-02".into(), "Second calendar"), ("2026-07-10".into(), "Quoted: parameters")]);
        let line = Property::parse("ATTENDEE;CN=\"Doe, J\";ROLE=CHAIR,X:mailto:j@example.com").unwrap();
        assert_eq!(line.name, "ATTENDEE");
        assert_eq!(line.params, [("CN", vec!["Doe, J"]), ("ROLE", vec!["CHAIR", "X"])]);
        assert_eq!(line.value, "mailto:j@example.com");
        assert_eq!(Property::parse("NAME;BROKEN:value"), None, "a parameter needs a value");
        assert_eq!(Property::parse("NAME;P=\"unclosed:value"), None);
        assert_eq!(Property::parse(":value"), None, "a property needs a name");
    }

    #[test]
    fn files_that_are_not_calendars_say_so() {
        assert_eq!(import("Subject: hello\n\nnot a calendar"), Err(IcsError::NotACalendar));
        assert_eq!(import("BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n"), Err(IcsError::NoEvents));
        assert_eq!(
            import("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260101\n"),
            Err(IcsError::Unclosed { component: "VEVENT".into() })
        );
        assert_eq!(
            import("BEGIN:VCALENDAR\nBEGIN:VEVENT\nthis is no property\nEND:VEVENT\nEND:VCALENDAR\n"),
            Err(IcsError::BadLine { text: "this is no property".into() })
        );
        assert_eq!(
            import("BEGIN:VCALENDAR\nBEGIN:VEVENT\nEND:VCALENDAR\n"),
            Err(IcsError::BadLine { text: "END:VCALENDAR".into() })
        );
        let latin1 = b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:F\xeate\nEND:VEVENT\nEND:VCALENDAR\n";
        assert_eq!(holidays_from_ics(latin1, &Zone::utc(), window()), Err(IcsError::NotUtf8 { line: 3 }));
    }
}
