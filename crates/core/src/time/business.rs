//! Business time: a calendar of working hours in a time zone, and arithmetic over it ("8 business
//! hours after this instant", "business time between two instants").
//!
//! A calendar's working intervals are local times (09:00–12:00 and 13:00–18:00 on Mondays, say);
//! each day's intervals are turned into instants through the zone, so the arithmetic is exact across
//! midnight, weekends, holidays and daylight-saving changes: an interval keeps its wall-clock times,
//! and whatever real time it spans on the day of a change is what it counts. Arithmetic walks the
//! working intervals one by one from the start instant, which at a few intervals a day is cheap for
//! the spans a helpdesk deals in (hours to weeks).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Date, HOUR_MS, MINUTE_MS, Weekday, Zone};

/// Minutes in a day: interval ends are at most this.
pub const DAY_MINUTES: u16 = 24 * 60;
/// How many days arithmetic looks ahead for working time before it gives up (a calendar whose
/// only working day is a holiday every year would otherwise never end).
const MAX_DAYS_WITHOUT_WORK: i64 = 400;

/// Working hours: per weekday, intervals of local time; and holidays without working time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingHours {
    /// IANA zone name the intervals are in.
    pub time_zone: String,
    /// Monday first: each day's intervals as `(start, end)` minutes since local midnight, end
    /// exclusive, sorted and not overlapping (see [`WorkingHours::check`]).
    pub week: [Vec<(u16, u16)>; 7],
    /// Local dates without working time, with their names ("元日", "Company offsite").
    pub holidays: BTreeMap<Date, String>,
}

/// Why working hours cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum HoursError {
    #[error("{zone:?} is not a time zone name such as Asia/Tokyo or UTC")]
    UnknownZone { zone: String },
    #[error("an interval on {day:?} ends before it starts or after midnight")]
    BadInterval { day: Weekday },
    #[error("two intervals on {day:?} overlap")]
    Overlap { day: Weekday },
    #[error("there is no working time in the week")]
    NoWorkingTime,
}

impl WorkingHours {
    /// Monday to Friday, `from`–`to` (minutes since midnight), in `time_zone`.
    pub fn weekdays(time_zone: &str, from: u16, to: u16) -> WorkingHours {
        let day = vec![(from, to)];
        WorkingHours {
            time_zone: time_zone.to_owned(),
            week: [day.clone(), day.clone(), day.clone(), day.clone(), day, Vec::new(), Vec::new()],
            holidays: BTreeMap::new(),
        }
    }

    /// Around the clock, every day (calendar time), in `time_zone`.
    pub fn always(time_zone: &str) -> WorkingHours {
        let day = vec![(0, DAY_MINUTES)];
        WorkingHours {
            time_zone: time_zone.to_owned(),
            week: std::array::from_fn(|_| day.clone()),
            holidays: BTreeMap::new(),
        }
    }

    /// Checks the zone and the intervals; returns the hours ready for arithmetic.
    pub fn check(&self) -> Result<BusinessClock, HoursError> {
        let zone =
            Zone::named(&self.time_zone).ok_or_else(|| HoursError::UnknownZone { zone: self.time_zone.clone() })?;
        for (day, intervals) in Weekday::ALL.into_iter().zip(&self.week) {
            let mut previous_end = 0;
            for (index, &(start, end)) in intervals.iter().enumerate() {
                if start >= end || end > DAY_MINUTES {
                    return Err(HoursError::BadInterval { day });
                }
                if index > 0 && start < previous_end {
                    return Err(HoursError::Overlap { day });
                }
                previous_end = end;
            }
        }
        if self.week.iter().all(Vec::is_empty) {
            return Err(HoursError::NoWorkingTime);
        }
        Ok(BusinessClock { hours: self.clone(), zone })
    }
}

/// Working hours checked and tied to their zone: what the arithmetic runs on.
#[derive(Debug, Clone, PartialEq)]
pub struct BusinessClock {
    hours: WorkingHours,
    zone: Zone,
}

impl BusinessClock {
    pub fn hours(&self) -> &WorkingHours {
        &self.hours
    }

    /// The working intervals as instants, in order, from the one that contains or follows
    /// `from` (the first is clipped to start at `from`). Ends after [`MAX_DAYS_WITHOUT_WORK`]
    /// days without working time.
    pub fn spans_from(&self, from: u64) -> impl Iterator<Item = (u64, u64)> + '_ {
        // Start a day early: an interval of the previous local day can still be running (a
        // night shift up to midnight in a zone east of the instant's date).
        let first_day = self.zone.local(from).date.add_days(-1);
        let mut day = 0i64;
        let mut idle_days = 0i64;
        let mut pending: std::collections::VecDeque<(u64, u64)> = std::collections::VecDeque::new();
        std::iter::from_fn(move || {
            loop {
                if let Some(span) = pending.pop_front() {
                    return Some(span);
                }
                if idle_days > MAX_DAYS_WITHOUT_WORK {
                    return None;
                }
                let date = first_day.add_days(day);
                day += 1;
                let mut worked = false;
                if !self.hours.holidays.contains_key(&date) {
                    for &(start, end) in &self.hours.week[date.weekday().index()] {
                        let span_start = self.zone.instant(date, u64::from(start) * MINUTE_MS);
                        let span_end = if end == DAY_MINUTES {
                            self.zone.day_start(date.add_days(1))
                        } else {
                            self.zone.instant(date, u64::from(end) * MINUTE_MS)
                        };
                        worked = true;
                        let span_start = span_start.max(from);
                        if span_end > span_start {
                            pending.push_back((span_start, span_end));
                        }
                    }
                }
                idle_days = if worked { 0 } else { idle_days + 1 };
            }
        })
    }

    /// The instant `duration_ms` of working time after `from`; `None` if the calendar has no
    /// working time left (only holidays ahead). A duration of zero is `from` itself.
    pub fn add(&self, from: u64, duration_ms: u64) -> Option<u64> {
        if duration_ms == 0 {
            return Some(from);
        }
        let mut left = duration_ms;
        for (start, end) in self.spans_from(from) {
            let length = end - start;
            if length >= left {
                return Some(start + left);
            }
            left -= length;
        }
        None
    }

    /// Working time in `[from, to)` (zero when `to` is not after `from`).
    pub fn between(&self, from: u64, to: u64) -> u64 {
        if to <= from {
            return 0;
        }
        let mut total = 0;
        for (start, end) in self.spans_from(from) {
            if start >= to {
                break;
            }
            total += end.min(to) - start;
        }
        total
    }

    /// Whether `at` falls in working time.
    pub fn is_working(&self, at: u64) -> bool {
        self.spans_from(at).next().is_some_and(|(start, _)| start == at)
    }
}

/// Why a day's working hours as typed cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum IntervalsError {
    #[error("{text:?} is not a time range such as 09:00-18:00")]
    NotARange { text: String },
    #[error("{text:?} is not a time of day between 00:00 and 24:00")]
    BadTime { text: String },
    #[error("the range {text:?} ends before it starts")]
    Backwards { text: String },
    #[error("the ranges overlap")]
    Overlap,
}

/// Reads one day's working hours as people type them: `09:00-12:00, 13:00-18:00`, `9-18`,
/// `9:00〜18:00`; empty for a day off. Ranges come back sorted; touching ones stay apart.
pub fn parse_intervals(text: &str) -> Result<Vec<(u16, u16)>, IntervalsError> {
    let mut intervals = Vec::new();
    for part in text.split([',', '、', ';', '\n']).map(str::trim).filter(|part| !part.is_empty()) {
        let not_a_range = || IntervalsError::NotARange { text: part.to_owned() };
        let (start, end) = part.split_once(['-', '〜', '～', '–', '—', '~']).ok_or_else(not_a_range)?;
        let (start, end) = (parse_clock(start.trim())?, parse_clock(end.trim())?);
        if start >= end {
            return Err(IntervalsError::Backwards { text: part.to_owned() });
        }
        intervals.push((start, end));
    }
    // A day's few intervals: the shared short-list sort, not another copy of the unstable one.
    crate::sorting::sort_by(&mut intervals, Ord::cmp);
    if intervals.windows(2).any(|pair| pair[1].0 < pair[0].1) {
        return Err(IntervalsError::Overlap);
    }
    Ok(intervals)
}

/// `9`, `9:30`, `09:30`, `24:00` → minutes since midnight.
fn parse_clock(text: &str) -> Result<u16, IntervalsError> {
    let bad = || IntervalsError::BadTime { text: text.to_owned() };
    let (hours, minutes) = text.split_once([':', '：']).unwrap_or((text, "0"));
    let all_digits = |part: &str| !part.is_empty() && part.len() <= 2 && part.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(hours) || !all_digits(minutes) {
        return Err(bad());
    }
    let (hours, minutes): (u16, u16) = (hours.parse().map_err(|_| bad())?, minutes.parse().map_err(|_| bad())?);
    let total = hours * 60 + minutes;
    if minutes >= 60 || total > DAY_MINUTES {
        return Err(bad());
    }
    Ok(total)
}

/// One day's working hours as [`parse_intervals`] reads them: `09:00-12:00, 13:00-18:00`.
pub fn format_intervals(intervals: &[(u16, u16)]) -> String {
    let clock = |minutes: u16| format!("{:02}:{:02}", minutes / 60, minutes % 60);
    intervals.iter().map(|&(start, end)| format!("{}-{}", clock(start), clock(end))).collect::<Vec<_>>().join(", ")
}

/// `hours` h and `minutes` min in milliseconds.
pub fn duration(hours: u64, minutes: u64) -> u64 {
    hours * HOUR_MS + minutes * MINUTE_MS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::DAY_MS;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    /// A local time in `zone` as an instant: "2026-03-27 17:00".
    fn at(clock: &BusinessClock, text: &str) -> u64 {
        let (day, time) = text.split_once(' ').unwrap();
        let (h, m) = time.split_once(':').unwrap();
        clock.zone.instant(date(day), h.parse::<u64>().unwrap() * HOUR_MS + m.parse::<u64>().unwrap() * MINUTE_MS)
    }

    fn tokyo_office() -> BusinessClock {
        let mut hours = WorkingHours::weekdays("Asia/Tokyo", 9 * 60, 18 * 60);
        // A lunch break on Mondays, and a holiday.
        hours.week[0] = vec![(9 * 60, 12 * 60), (13 * 60, 18 * 60)];
        hours.holidays.insert(date("2026-01-12"), "成人の日".into());
        hours.check().unwrap()
    }

    #[test]
    fn adding_business_hours_skips_nights_weekends_and_holidays() {
        let clock = tokyo_office();
        // Friday 17:00 + 2 h: one hour on Friday, one on Monday — but Monday 2026-01-12 is a
        // holiday, so Tuesday 10:00.
        assert_eq!(clock.add(at(&clock, "2026-01-09 17:00"), duration(2, 0)), Some(at(&clock, "2026-01-13 10:00")));
        // Monday 11:30 + 1 h over lunch: 13:30.
        assert_eq!(clock.add(at(&clock, "2026-01-19 11:30"), duration(1, 0)), Some(at(&clock, "2026-01-19 13:30")));
        // Before opening: counting starts at 09:00.
        assert_eq!(clock.add(at(&clock, "2026-01-20 06:00"), duration(8, 0)), Some(at(&clock, "2026-01-20 17:00")));
        // Exactly a day's work from opening ends at closing, not at the next opening.
        assert_eq!(clock.add(at(&clock, "2026-01-20 09:00"), duration(9, 0)), Some(at(&clock, "2026-01-20 18:00")));
        assert_eq!(clock.add(at(&clock, "2026-01-20 09:00"), 0), Some(at(&clock, "2026-01-20 09:00")));
    }

    #[test]
    fn business_time_between_instants() {
        let clock = tokyo_office();
        assert_eq!(clock.between(at(&clock, "2026-01-09 17:00"), at(&clock, "2026-01-13 10:00")), duration(2, 0));
        assert_eq!(clock.between(at(&clock, "2026-01-17 10:00"), at(&clock, "2026-01-18 20:00")), 0, "a weekend");
        assert_eq!(clock.between(at(&clock, "2026-01-19 00:00"), at(&clock, "2026-01-20 00:00")), duration(8, 0));
        assert_eq!(clock.between(at(&clock, "2026-01-20 12:00"), at(&clock, "2026-01-20 11:00")), 0);
        assert!(clock.is_working(at(&clock, "2026-01-19 09:00")));
        assert!(!clock.is_working(at(&clock, "2026-01-19 12:30")));
    }

    #[test]
    fn daylight_saving_changes_are_counted_in_real_time() {
        // A night shift across the spring-forward night in Berlin: 22:00–06:00 local is 7 real
        // hours on 2026-03-28/29, 8 on other nights.
        let mut hours = WorkingHours::always("Europe/Berlin");
        hours.week = std::array::from_fn(|_| vec![(0, 6 * 60), (22 * 60, DAY_MINUTES)]);
        let clock = hours.check().unwrap();
        let night = |d: &str, next: &str| {
            clock.between(at(&clock, &format!("{d} 21:00")), at(&clock, &format!("{next} 07:00")))
        };
        assert_eq!(night("2026-03-27", "2026-03-28"), duration(8, 0));
        assert_eq!(night("2026-03-28", "2026-03-29"), duration(7, 0));
        assert_eq!(night("2026-10-24", "2026-10-25"), duration(9, 0));
        // Adding across the change lands at the right local time.
        assert_eq!(clock.add(at(&clock, "2026-03-28 22:00"), duration(7, 0)), Some(at(&clock, "2026-03-29 06:00")));
        // Office hours in New York the day clocks spring forward (a Sunday) and the Monday after.
        let office = WorkingHours::weekdays("America/New_York", 9 * 60, 17 * 60).check().unwrap();
        let friday = at(&office, "2026-03-06 16:00");
        assert_eq!(office.add(friday, duration(2, 0)), Some(at(&office, "2026-03-09 10:00")));
        assert_eq!(office.between(friday, at(&office, "2026-03-09 10:00")), duration(2, 0));
    }

    #[test]
    fn working_hours_are_read_as_typed() {
        assert_eq!(parse_intervals("09:00-12:00, 13:00-18:00"), Ok(vec![(540, 720), (780, 1080)]));
        assert_eq!(parse_intervals("13-18、9〜12"), Ok(vec![(540, 720), (780, 1080)]), "sorted");
        assert_eq!(parse_intervals("22:00-24:00"), Ok(vec![(1320, 1440)]));
        assert_eq!(parse_intervals("  "), Ok(vec![]), "a day off");
        assert_eq!(parse_intervals("9-12,12-18"), Ok(vec![(540, 720), (720, 1080)]), "touching ranges");
        assert_eq!(parse_intervals("nine to five"), Err(IntervalsError::NotARange { text: "nine to five".into() }));
        assert_eq!(parse_intervals("9:75-10"), Err(IntervalsError::BadTime { text: "9:75".into() }));
        assert_eq!(parse_intervals("25-26"), Err(IntervalsError::BadTime { text: "25".into() }));
        assert_eq!(parse_intervals("18-9"), Err(IntervalsError::Backwards { text: "18-9".into() }));
        assert_eq!(parse_intervals("9-13, 12-18"), Err(IntervalsError::Overlap));
        let hours = vec![(540, 720), (780, 1440)];
        assert_eq!(format_intervals(&hours), "09:00-12:00, 13:00-24:00");
        assert_eq!(parse_intervals(&format_intervals(&hours)), Ok(hours));
    }

    #[test]
    fn calendars_without_working_time_say_so() {
        let mut hours = WorkingHours::weekdays("Asia/Tokyo", 9 * 60, 18 * 60);
        hours.week = std::array::from_fn(|_| Vec::new());
        assert_eq!(hours.check().unwrap_err(), HoursError::NoWorkingTime);
        let mut bad = WorkingHours::weekdays("Asia/Tokyo", 18 * 60, 9 * 60);
        assert_eq!(bad.check().unwrap_err(), HoursError::BadInterval { day: Weekday::Monday });
        bad.week[0] = vec![(9 * 60, 12 * 60), (11 * 60, 13 * 60)];
        bad.week[1..].iter_mut().for_each(Vec::clear);
        assert_eq!(bad.check().unwrap_err(), HoursError::Overlap { day: Weekday::Monday });
        assert_eq!(
            WorkingHours::weekdays("Mars/Base", 0, 60).check().unwrap_err(),
            HoursError::UnknownZone { zone: "Mars/Base".into() }
        );
        // Only Mondays, and every Monday for two years is a holiday: no working time ahead.
        let mut rare = WorkingHours::weekdays("UTC", 9 * 60, 10 * 60);
        rare.week[1..].iter_mut().for_each(Vec::clear);
        let monday = date("2026-01-05");
        for week in 0..110 {
            rare.holidays.insert(monday.add_days(week * 7), String::new());
        }
        let clock = rare.check().unwrap();
        assert_eq!(clock.add(clock.zone.day_start(monday), HOUR_MS), None);
        assert_eq!(clock.between(clock.zone.day_start(monday), clock.zone.day_start(monday) + 30 * DAY_MS), 0);
    }
}
