//! Numbers and sizes in the reader's locale.

use crate::i18n::Lang;

/// `1234` → `1,234` (the browser's `Intl` rules for the language).
pub fn count(lang: Lang, value: usize) -> String {
    apply(lang, Style::Count, &(value as f64).into())
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
    // One decimal by integer arithmetic: every place that formats an f64 is code of its own.
    let tenths = (value * 10.0).round() as u64;
    let number =
        if unit == 0 { (value.round() as u64).to_string() } else { format!("{}.{}", tenths / 10, tenths % 10) };
    let _ = lang; // Both languages write sizes the same way ("12.3 MB").
    format!("{number} {}", UNITS[unit])
}

/// The `Intl` formats the app uses. Building an `Intl` formatter costs about a millisecond, so
/// each is built once per language and kept: thirty inbox rows with three dates each would
/// otherwise spend most of a queue switch constructing formatters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    DateTime,
    ShortDate,
    ShortDateWithYear,
    Count,
}

thread_local! {
    static FORMATTERS: std::cell::RefCell<Vec<((Lang, Style), js_sys::Function)>> =
        const { std::cell::RefCell::new(Vec::new()) };
    static RELATIVE: std::cell::RefCell<Vec<(Lang, js_sys::Intl::RelativeTimeFormat)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

fn options(pairs: &[(&str, &str)]) -> js_sys::Object {
    let options = js_sys::Object::new();
    for (key, value) in pairs {
        let _ = js_sys::Reflect::set(&options, &(*key).into(), &(*value).into());
    }
    options
}

/// The `format` function of the cached formatter for `lang` and `style`.
fn formatter(lang: Lang, style: Style) -> js_sys::Function {
    FORMATTERS.with(|cache| {
        if let Some((_, format)) = cache.borrow().iter().find(|(key, _)| *key == (lang, style)) {
            return format.clone();
        }
        let locales = js_sys::Array::of1(&lang.code().into());
        let format = match style {
            Style::DateTime => js_sys::Intl::DateTimeFormat::new(
                &locales,
                &options(&[("dateStyle", "medium"), ("timeStyle", "short")]),
            )
            .format(),
            Style::ShortDate => {
                js_sys::Intl::DateTimeFormat::new(&locales, &options(&[("month", "short"), ("day", "numeric")]))
                    .format()
            }
            Style::ShortDateWithYear => js_sys::Intl::DateTimeFormat::new(
                &locales,
                &options(&[("year", "numeric"), ("month", "short"), ("day", "numeric")]),
            )
            .format(),
            Style::Count => js_sys::Intl::NumberFormat::new(&locales, &js_sys::Object::new()).format(),
        };
        cache.borrow_mut().push(((lang, style), format.clone()));
        format
    })
}

/// Builds the formatters the inbox's first screen uses for `lang` (counts, dates, "5 minutes
/// ago"), so that the first render does not pay for them.
pub fn prepare(lang: Lang) {
    for style in [Style::Count, Style::DateTime, Style::ShortDate] {
        formatter(lang, style);
    }
    relative(lang, 0, 0);
}

fn apply(lang: Lang, style: Style, value: &wasm_bindgen::JsValue) -> String {
    formatter(lang, style)
        .call1(&wasm_bindgen::JsValue::NULL, value)
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_default()
}

/// An instant as a date and time in the reader's locale and time zone: `2026/11/23 14:05`.
pub fn date_time(lang: Lang, at_ms: u64) -> String {
    apply(lang, Style::DateTime, &js_sys::Date::new(&(at_ms as f64).into()).into())
}

/// A date alone, short: `11/23` this year, `2025/11/23` otherwise.
pub fn short_date(lang: Lang, at_ms: u64, now_ms: u64) -> String {
    let date = js_sys::Date::new(&(at_ms as f64).into());
    let this_year = js_sys::Date::new(&(now_ms as f64).into()).get_full_year() == date.get_full_year();
    apply(lang, if this_year { Style::ShortDate } else { Style::ShortDateWithYear }, &date.into())
}

/// How long ago (or ahead) an instant is, in short units: `5 min. ago`, `3日前`, `in 2 hr.`.
pub fn relative(lang: Lang, at_ms: u64, now_ms: u64) -> String {
    let seconds = (at_ms as f64 - now_ms as f64) / 1000.0;
    let (value, unit) = relative_unit(seconds);
    RELATIVE.with(|cache| {
        let mut cache = cache.borrow_mut();
        let index = match cache.iter().position(|(cached, _)| *cached == lang) {
            Some(index) => index,
            None => {
                let locales = js_sys::Array::of1(&lang.code().into());
                // Short units ("23 hr. ago", "2 wk. ago"): the inbox's Updated column is a narrow
                // column at laptop widths, and the long form ("23 minutes ago") was cut off there.
                // The cell's title keeps the full date and time.
                let options = options(&[("numeric", "auto"), ("style", "short")]);
                cache.push((lang, js_sys::Intl::RelativeTimeFormat::new(&locales, &options)));
                cache.len() - 1
            }
        };
        cache[index].1.format(value, unit).into()
    })
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
