//! Numbers and sizes in the reader's locale.

use crate::i18n::Lang;

/// `1234` → `1,234` (the browser's `Intl` rules for the language).
pub fn count(lang: Lang, value: usize) -> String {
    js_sys::Number::from(value as f64).to_locale_string(lang.code()).into()
}

/// A size in bytes as people read it: `512 B`, `3.4 KB`, `12.3 MB`, `1.2 GB` (1 KB = 1,024 B).
pub fn bytes(lang: Lang, bytes: f64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut value = bytes.max(0.0);
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    let number = if unit == 0 { format!("{value:.0}") } else { format!("{value:.1}") };
    let _ = lang; // Both languages write sizes the same way ("12.3 MB").
    format!("{number} {}", UNITS[unit])
}

/// An instant as a date and time in the reader's locale and time zone: `2026/11/23 14:05`.
pub fn date_time(lang: Lang, at_ms: u64) -> String {
    let options = js_sys::Object::new();
    for (key, value) in [("dateStyle", "medium"), ("timeStyle", "short")] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    js_sys::Date::new(&(at_ms as f64).into()).to_locale_string(lang.code(), &options).into()
}

/// A date alone, short: `11/23` this year, `2025/11/23` otherwise.
pub fn short_date(lang: Lang, at_ms: u64, now_ms: u64) -> String {
    let date = js_sys::Date::new(&(at_ms as f64).into());
    let this_year = js_sys::Date::new(&(now_ms as f64).into()).get_full_year() == date.get_full_year();
    let options = js_sys::Object::new();
    let mut parts = vec![("month", "short"), ("day", "numeric")];
    if !this_year {
        parts.push(("year", "numeric"));
    }
    for (key, value) in parts {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    date.to_locale_date_string(lang.code(), &options).into()
}

/// How long ago (or ahead) an instant is, as people say it: `5 minutes ago`, `3日前`, `in 2 hours`.
pub fn relative(lang: Lang, at_ms: u64, now_ms: u64) -> String {
    let seconds = (at_ms as f64 - now_ms as f64) / 1000.0;
    let (value, unit) = relative_unit(seconds);
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"numeric".into(), &"auto".into());
    let locales = js_sys::Array::of1(&lang.code().into());
    let format = js_sys::Intl::RelativeTimeFormat::new(&locales, &options);
    format.format(value, unit).into()
}

/// The largest unit that keeps the number at least 1 (seconds below a minute read as "now").
fn relative_unit(seconds: f64) -> (f64, &'static str) {
    const UNITS: [(f64, &str); 6] = [
        (31_536_000.0, "year"),
        (2_592_000.0, "month"),
        (604_800.0, "week"),
        (86_400.0, "day"),
        (3_600.0, "hour"),
        (60.0, "minute"),
    ];
    for (size, unit) in UNITS {
        if seconds.abs() >= size {
            return ((seconds / size).trunc(), unit);
        }
    }
    (0.0, "second")
}

/// An instant as the value of an `<input type="datetime-local">` (local time, minutes).
pub fn date_input(at_ms: u64) -> String {
    let date = js_sys::Date::new(&(at_ms as f64).into());
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes()
    )
}

/// The instant an `<input type="datetime-local">` holds (local time); `None` when empty.
pub fn parse_date_input(value: &str) -> Option<u64> {
    if value.trim().is_empty() {
        return None;
    }
    let ms = js_sys::Date::new(&value.into()).get_time();
    (ms.is_finite() && ms >= 0.0).then_some(ms as u64)
}
