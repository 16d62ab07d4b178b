//! Property tests of business-time arithmetic: for any calendar (zones with and without daylight
//! saving, several intervals a day, night shifts up to midnight, holidays) and any instants,
//! adding and measuring agree with each other and with the working intervals themselves.

use helpdesk_core::time::business::{BusinessClock, DAY_MINUTES, WorkingHours};
use helpdesk_core::time::{DAY_MS, Date, HOUR_MS, MINUTE_MS};
use proptest::prelude::*;

/// Zones with daylight saving in both hemispheres, half-hour offsets, and none.
const ZONES: [&str; 7] =
    ["Asia/Tokyo", "Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC", "Pacific/Auckland"];

/// 2026-01-01T00:00Z: instants are drawn from the two years after, which hold every kind of DST
/// change in the zones above.
const START: u64 = 1_767_225_600_000;
const SPAN: u64 = 2 * 365 * DAY_MS;

/// One day's intervals: sorted, disjoint cut points on a 15-minute grid (so intervals can touch
/// midnight at both ends and each other never).
fn day_intervals() -> impl Strategy<Value = Vec<(u16, u16)>> {
    prop::collection::btree_set(0u16..=96, 0..=6).prop_map(|cuts| {
        let cuts: Vec<u16> = cuts.into_iter().map(|cut| cut * 15).collect();
        cuts.chunks_exact(2)
            .map(|pair| (pair[0], pair[1]))
            .filter(|&(start, end)| start < end && end <= DAY_MINUTES)
            .collect()
    })
}

fn calendar() -> impl Strategy<Value = BusinessClock> {
    (
        prop::sample::select(ZONES.to_vec()),
        prop::array::uniform7(day_intervals()),
        prop::collection::btree_set(0i64..730, 0..40),
    )
        .prop_filter_map("a week without working time", |(zone, week, holidays)| {
            let first = Date::new(2026, 1, 1).unwrap();
            let hours = WorkingHours {
                time_zone: zone.to_owned(),
                week,
                holidays: holidays.into_iter().map(|day| (first.add_days(day), String::new())).collect(),
            };
            hours.check().ok()
        })
}

fn instant() -> impl Strategy<Value = u64> {
    (0..SPAN / MINUTE_MS, 0..MINUTE_MS).prop_map(|(minute, ms)| START + minute * MINUTE_MS + ms)
}

/// Up to four weeks of working time, to the millisecond.
fn duration() -> impl Strategy<Value = u64> {
    prop_oneof![0..4 * HOUR_MS, 0..28 * 24 * HOUR_MS]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// What `add` adds, `between` measures; and the result is the earliest such instant: the
    /// millisecond before it is working time.
    #[test]
    fn between_measures_what_add_added(clock in calendar(), from in instant(), amount in duration()) {
        if let Some(to) = clock.add(from, amount) {
            prop_assert!(to >= from);
            prop_assert_eq!(clock.between(from, to), amount);
            if amount > 0 {
                prop_assert!(clock.is_working(to - 1), "the last millisecond counted is working time");
            }
        }
    }

    /// Adding twice is adding the sum.
    #[test]
    fn adding_is_additive(clock in calendar(), from in instant(), first in duration(), second in duration()) {
        let in_two_steps = clock.add(from, first).and_then(|middle| clock.add(middle, second));
        prop_assert_eq!(in_two_steps, clock.add(from, first + second));
    }

    /// Business time over consecutive periods sums to the business time over their union, and
    /// never exceeds the real time elapsed.
    #[test]
    fn between_is_additive_and_bounded(clock in calendar(), a in instant(), b in instant(), c in instant()) {
        let mut points = [a, b, c];
        points.sort_unstable();
        let [a, b, c] = points;
        prop_assert_eq!(clock.between(a, b) + clock.between(b, c), clock.between(a, c));
        prop_assert!(clock.between(a, c) <= c - a);
    }

    /// Working time is what the calendar says in local time: an instant is working exactly when
    /// its local day is no holiday and its local time of day falls in one of that weekday's
    /// intervals (checked away from the skipped and repeated hours of DST changes, where local
    /// times are ambiguous).
    #[test]
    fn working_instants_match_the_local_calendar(clock in calendar(), at in instant()) {
        let zone = helpdesk_core::time::Zone::named(&clock.hours().time_zone).unwrap();
        let near_change = zone.offset_ms(at.saturating_sub(3 * HOUR_MS)) != zone.offset_ms(at + 3 * HOUR_MS);
        prop_assume!(!near_change);
        let local = zone.local(at);
        let minute = u16::try_from(local.ms_of_day / MINUTE_MS).unwrap();
        let expected = !clock.hours().holidays.contains_key(&local.date)
            && clock.hours().week[local.date.weekday().index()].iter().any(|&(start, end)| start <= minute && minute < end);
        prop_assert_eq!(clock.is_working(at), expected);
    }

    /// Moving the start later never moves the due instant earlier.
    #[test]
    fn add_is_monotonic(clock in calendar(), a in instant(), b in instant(), amount in duration()) {
        let (early, late) = (a.min(b), a.max(b));
        if let (Some(due_early), Some(due_late)) = (clock.add(early, amount), clock.add(late, amount)) {
            prop_assert!(due_early <= due_late);
        }
    }

    /// Around the clock, business time is real time.
    #[test]
    fn around_the_clock_is_calendar_time(zone in prop::sample::select(ZONES.to_vec()), from in instant(), amount in duration()) {
        let clock = WorkingHours::always(zone).check().unwrap();
        prop_assert_eq!(clock.add(from, amount), Some(from + amount));
        prop_assert_eq!(clock.between(from, from + amount), amount);
    }
}
