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
