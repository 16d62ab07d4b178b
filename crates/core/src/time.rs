//! Wall-clock time in a workspace's time zone: civil dates, time zones, and the conversions that
//! date filters and business hours need.
//!
//! Zones come from the POSIX TZ rule at the end of each tzdata zone file (`JST-9`,
//! `CET-1CEST,M3.5.0,M10.5.0/3`), generated into [`zones`] by `cargo xtask tzdata`. A rule
//! describes a zone's offsets and daylight-saving changes as they are now, which is what a
//! helpdesk computes with (due times, business hours, "created today"); times years back in a zone
//! whose rules have changed since are off by the change. That trade keeps the whole table at a
//! few kilobytes in the app instead of the full history of every zone.
//!
//! Like the rest of the core this reads no clock: instants (Unix milliseconds) are passed in.

pub mod business;
pub mod ics;
mod zones;

use std::fmt;

pub use zones::TZDATA_VERSION;

/// Milliseconds in a civil day (without DST: local days are computed in local time).
pub const DAY_MS: u64 = 86_400_000;
pub const HOUR_MS: u64 = 3_600_000;
pub const MINUTE_MS: u64 = 60_000;

/// A calendar date (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// The date, if it exists (`2023-02-29` does not).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let year = text.get(0..4)?.parse().ok()?;
        let month = text.get(5..7)?.parse().ok()?;
        let day = text.get(8..10)?.parse().ok()?;
        Date::new(year, month, day)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let month = i64::from(self.month);
        let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Date {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (year_of_era + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    pub fn add_days(self, days: i64) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch() + days)
    }

    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday.
        Weekday::ALL[(self.days_since_epoch() + 3).rem_euclid(7) as usize]
    }

    /// The first day of the next month.
    pub fn next_month_start(self) -> Date {
        if self.month == 12 {
            Date { year: self.year + 1, month: 1, day: 1 }
        } else {
            Date { month: self.month + 1, day: 1, ..self }
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl TryFrom<String> for Date {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Date::parse(&text).ok_or_else(|| format!("{text:?} is not a date (YYYY-MM-DD)"))
    }
}

impl From<Date> for String {
    fn from(date: Date) -> String {
        date.to_string()
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    }
}

/// A day of the week, Monday first (ISO 8601).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];

    /// 0 for Monday … 6 for Sunday.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// A local date and time of day in some zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalTime {
    pub date: Date,
    /// Milliseconds since local midnight.
    pub ms_of_day: u64,
}

/// A time zone: its IANA name and the rule that gives its offset at any instant.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    name: &'static str,
    rule: tz::TimeZone,
}

impl Zone {
    /// The zone with this IANA name (`Asia/Tokyo`, `Europe/Berlin`, `UTC`), if tzdata has it.
    pub fn named(name: &str) -> Option<Zone> {
        let index = zones::ZONES.binary_search_by(|(zone, _)| (*zone).cmp(name)).ok()?;
        let (name, rule) = zones::ZONES[index];
        let rule = tz::TimeZone::from_tz_data(&tzif_with_rule(zones::RULES[usize::from(rule)])).ok()?;
        Some(Zone { name, rule })
    }

    /// Coordinated Universal Time.
    pub fn utc() -> Zone {
        Zone { name: "UTC", rule: tz::TimeZone::utc() }
    }

    /// The zone with this name, or UTC for a name tzdata does not know (an empty setting).
    pub fn named_or_utc(name: &str) -> Zone {
        Zone::named(name).unwrap_or_else(Zone::utc)
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The offset from UTC in effect at `utc_ms`, in milliseconds (east positive).
    pub fn offset_ms(&self, utc_ms: u64) -> i64 {
        let seconds = (utc_ms / 1000) as i64;
        self.rule.find_local_time_type(seconds).map_or(0, |local| i64::from(local.ut_offset()) * 1000)
    }

    /// The local date and time at `utc_ms`.
    pub fn local(&self, utc_ms: u64) -> LocalTime {
        let local = utc_ms as i64 + self.offset_ms(utc_ms);
        let days = local.div_euclid(DAY_MS as i64);
        LocalTime { date: Date::from_days_since_epoch(days), ms_of_day: local.rem_euclid(DAY_MS as i64) as u64 }
    }

    /// The instant of a local date and time. A time that does not exist (skipped when clocks
    /// spring forward) maps to the instant as many minutes after the jump; a time that exists
    /// twice (when clocks fall back) maps to the earlier one.
    pub fn instant(&self, date: Date, ms_of_day: u64) -> u64 {
        let local = date.days_since_epoch() * DAY_MS as i64 + ms_of_day as i64;
        let offset_at = |utc: i64| self.offset_ms(utc.max(0) as u64);
        // The offsets in effect a day either side: any DST change near `local` lies between.
        let before = offset_at(local - DAY_MS as i64);
        let after = offset_at(local + DAY_MS as i64);
        let (early, late) = (local - before, local - after);
        let early_valid = offset_at(early) == before;
        let late_valid = offset_at(late) == after;
        let utc = match (early_valid, late_valid) {
            (true, true) => early.min(late),
            (false, true) => late,
            // Valid with the earlier offset only, or in a gap: the earlier offset gives the later
            // instant, after the jump.
            _ => early,
        };
        utc.max(0) as u64
    }

    /// The instant local `date` begins.
    pub fn day_start(&self, date: Date) -> u64 {
        self.instant(date, 0)
    }

    /// Today's date in this zone at `now_ms`.
    pub fn today(&self, now_ms: u64) -> Date {
        self.local(now_ms).date
    }
}

/// Every zone name tzdata knows, in byte order (for pickers and validation).
pub fn zone_names() -> impl Iterator<Item = &'static str> {
    zones::ZONES.iter().map(|(name, _)| *name)
}

/// A minimal TZif version 3 file (RFC 8536) with no transitions and `rule` as its footer. tz-rs
/// accepts the TZ string extensions some zones need (`Asia/Jerusalem`'s `M3.4.4/26`) only from a
/// version 3 file, so the rule is wrapped in one rather than parsed as a bare string.
fn tzif_with_rule(rule: &str) -> Vec<u8> {
    fn block(out: &mut Vec<u8>) {
        out.extend_from_slice(b"TZif3");
        out.extend_from_slice(&[0; 15]);
        // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt.
        for count in [0u32, 0, 0, 0, 1, 1] {
            out.extend_from_slice(&count.to_be_bytes());
        }
        // One local time type (offset 0, not DST, designation at index 0) and an empty designation.
        out.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0]);
    }
    let mut out = Vec::with_capacity(120 + rule.len());
    block(&mut out);
    block(&mut out);
    out.push(b'\n');
    out.extend_from_slice(rule.as_bytes());
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn utc(text: &str) -> u64 {
        // "YYYY-MM-DD HH:MM" in UTC.
        let (day, time) = text.split_once(' ').unwrap();
        let (h, m) = time.split_once(':').unwrap();
        date(day).days_since_epoch() as u64 * DAY_MS
            + h.parse::<u64>().unwrap() * HOUR_MS
            + m.parse::<u64>().unwrap() * MINUTE_MS
    }

    #[test]
    fn civil_dates_round_trip() {
        for days in [-800_000i64, -1, 0, 1, 10_957, 19_000, 20_454, 2_932_896] {
            let d = Date::from_days_since_epoch(days);
            assert_eq!(d.days_since_epoch(), days, "{d}");
        }
        assert_eq!(date("1970-01-01").days_since_epoch(), 0);
        assert_eq!(date("2026-12-01").to_string(), "2026-12-01");
        assert_eq!(date("2024-02-28").add_days(1), date("2024-02-29"));
        assert_eq!(date("2023-02-28").add_days(1), date("2023-03-01"));
        assert_eq!(date("2026-12-31").next_month_start(), date("2027-01-01"));
        assert_eq!(date("2026-12-01").weekday(), Weekday::Tuesday);
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(Date::parse("2026-1-01"), None);
    }

    #[test]
    fn zones_know_their_offsets() {
        let tokyo = Zone::named("Asia/Tokyo").unwrap();
        assert_eq!(tokyo.offset_ms(utc("2026-07-01 00:00")), 9 * HOUR_MS as i64);
        assert_eq!(tokyo.local(utc("2026-11-30 15:00")), LocalTime { date: date("2026-12-01"), ms_of_day: 0 });
        assert_eq!(tokyo.day_start(date("2026-12-01")), utc("2026-11-30 15:00"));
        let berlin = Zone::named("Europe/Berlin").unwrap();
        assert_eq!(berlin.offset_ms(utc("2026-01-15 12:00")), HOUR_MS as i64);
        assert_eq!(berlin.offset_ms(utc("2026-07-15 12:00")), 2 * HOUR_MS as i64);
        assert_eq!(Zone::named("Mars/Olympus"), None);
        assert_eq!(Zone::named_or_utc("").name(), "UTC");
        assert!(zone_names().any(|name| name == "America/New_York"));
    }

    #[test]
    fn local_times_across_daylight_saving_changes() {
        let berlin = Zone::named("Europe/Berlin").unwrap();
        // 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00 UTC). 02:30 does not exist.
        assert_eq!(berlin.instant(date("2026-03-29"), 90 * MINUTE_MS), utc("2026-03-29 00:30"));
        assert_eq!(berlin.instant(date("2026-03-29"), 150 * MINUTE_MS), utc("2026-03-29 01:30"));
        assert_eq!(berlin.instant(date("2026-03-29"), 3 * HOUR_MS), utc("2026-03-29 01:00"));
        // 2026-10-25: 03:00 CEST falls back to 02:00 CET (01:00 UTC). 02:30 happens twice.
        assert_eq!(berlin.instant(date("2026-10-25"), 150 * MINUTE_MS), utc("2026-10-25 00:30"));
        assert_eq!(berlin.instant(date("2026-10-25"), 4 * HOUR_MS), utc("2026-10-25 03:00"));
        // A local day across the change is 23 or 25 hours long.
        let day = |d: &str| berlin.day_start(date(d).add_days(1)) - berlin.day_start(date(d));
        assert_eq!(day("2026-03-29"), 23 * HOUR_MS);
        assert_eq!(day("2026-10-25"), 25 * HOUR_MS);
        assert_eq!(day("2026-06-01"), 24 * HOUR_MS);
        let new_york = Zone::named("America/New_York").unwrap();
        assert_eq!(new_york.day_start(date("2026-03-08")), utc("2026-03-08 05:00"));
        assert_eq!(new_york.instant(date("2026-03-08"), 12 * HOUR_MS), utc("2026-03-08 16:00"));
    }

    #[test]
    fn zones_whose_rules_need_tz_string_extensions_work() {
        // Israel's rule starts DST on "the Friday before the last Sunday" at 02:00 (M3.4.4/26).
        let jerusalem = Zone::named("Asia/Jerusalem").unwrap();
        assert_eq!(jerusalem.offset_ms(utc("2026-01-10 12:00")), 2 * HOUR_MS as i64);
        assert_eq!(jerusalem.offset_ms(utc("2026-07-10 12:00")), 3 * HOUR_MS as i64);
        let nuuk = Zone::named("America/Nuuk").unwrap();
        assert_eq!(nuuk.offset_ms(utc("2026-01-10 12:00")), -2 * HOUR_MS as i64);
        // Every generated rule loads.
        for name in zone_names() {
            assert!(Zone::named(name).is_some(), "{name} does not load");
        }
    }
}
