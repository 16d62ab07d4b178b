//! Case-insensitive keys: [`lowercase`] is `str::to_lowercase` without its cost where it changes
//! nothing or only ASCII.
//!
//! Sorting 100,000 tickets by subject lowercased every subject, and in the browser that was the
//! larger half of the first such sort (about 50–80 ms): `to_lowercase` looks every non-ASCII
//! character up in Unicode's case tables and copies every string. Most subjects of a Japanese
//! team are kana and kanji, which have no case, and most English ones differ from their
//! lowercase only in ASCII letters.
//!
//! Where the rest goes comes from outside, like NFKC for search: the browser app hands in the
//! browser's own `String.prototype.toLowerCase` ([`use_lowercaser`]), which has the same full
//! mapping (final sigma included) and keeps the standard library's case table and its code
//! (about 8 KB gzip) out of the download. Without one, the `unicode-case` feature uses
//! `str::to_lowercase` (native builds, tests, the server); with neither, only ASCII letters
//! change.

use std::borrow::Cow;
use std::sync::OnceLock;

/// Unicode lowercase of a string, as `str::to_lowercase` gives it.
pub type LowercaseFn = fn(&str) -> String;

static LOWERCASER: OnceLock<LowercaseFn> = OnceLock::new();

/// Makes [`lowercase`] use `lower` for text beyond ASCII and caseless scripts. Call once at
/// start-up, before any key is made (a later call is ignored, so keys never mix two mappings).
pub fn use_lowercaser(lower: LowercaseFn) {
    let _ = LOWERCASER.set(lower);
}

fn full_lowercase(text: &str) -> String {
    if let Some(lower) = LOWERCASER.get() {
        return lower(text);
    }
    #[cfg(feature = "unicode-case")]
    {
        text.to_lowercase()
    }
    #[cfg(not(feature = "unicode-case"))]
    {
        text.to_ascii_lowercase()
    }
}

/// `char::to_lowercase` as a string: the character lowercased on its own (so a capital sigma is
/// `σ`, never the final form), through [`lowercase`].
pub fn lowercase_char(ch: char) -> String {
    if ch.is_ascii() || is_caseless(ch) {
        return ch.to_ascii_lowercase().to_string();
    }
    with_known_lowercase(ch, str::to_owned)
}

/// Whether `ch` is its own lowercase, as `char::to_lowercase(ch)` yielding `ch` alone.
pub fn is_own_lowercase(ch: char) -> bool {
    if ch.is_ascii() || is_caseless(ch) {
        return !ch.is_ascii_uppercase();
    }
    with_known_lowercase(ch, |lower| lower.chars().eq([ch]))
}

/// Characters beyond ASCII and the caseless blocks, lowercased once each and remembered: start-up
/// checks every character of every stored tag, and in the app each first answer is a call into
/// the browser (100,000 tickets with an accented tag would otherwise make 100,000 calls).
fn with_known_lowercase<T>(ch: char, answer: impl FnOnce(&str) -> T) -> T {
    thread_local! {
        static KNOWN: std::cell::RefCell<rustc_hash::FxHashMap<char, String>> = Default::default();
    }
    KNOWN.with(|known| {
        let mut known = known.borrow_mut();
        answer(known.entry(ch).or_insert_with(|| lowercase(ch.encode_utf8(&mut [0; 4])).into_owned()))
    })
}

/// Exactly `text.to_lowercase()`: borrowed when that is `text` itself, ASCII-lowercased when the
/// text is ASCII and caseless characters only, the full Unicode mapping otherwise (see the
/// module docs for where that comes from).
pub fn lowercase(text: &str) -> Cow<'_, str> {
    // Greek's final sigma and the other context-dependent mappings are outside the fast path:
    // ASCII and caseless characters lowercase one by one, to themselves but for A–Z.
    // `is_ascii` reads a word at a time: most English subjects end the check there.
    if !(text.is_ascii() || text.chars().all(|ch| ch.is_ascii() || is_caseless(ch))) {
        return Cow::Owned(full_lowercase(text));
    }
    if text.bytes().any(|byte| byte.is_ascii_uppercase()) {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

/// Blocks with no case at all (no character in them has a lowercase or uppercase form): the
/// bulk of Japanese and Chinese text. The test checks every character of them against
/// `char::to_lowercase`.
fn is_caseless(ch: char) -> bool {
    matches!(ch,
        '\u{3000}'..='\u{303F}' // CJK symbols and punctuation
        | '\u{3040}'..='\u{30FF}' // hiragana, katakana
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{AC00}'..='\u{D7A3}' // Hangul syllables
        | '\u{FF01}'..='\u{FF20}' // full-width punctuation and digits (not the letters after them)
        | '\u{FF5B}'..='\u{FFEF}' // full-width brackets, half-width katakana and forms
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_caseless_blocks_have_no_case() {
        let caseless = ('\0'..=char::MAX).filter(|ch| is_caseless(*ch));
        let mut count = 0;
        for ch in caseless {
            count += 1;
            assert!(ch.to_lowercase().eq([ch]), "{ch:?} has a lowercase form");
            assert!(!ch.is_uppercase() && !ch.is_lowercase(), "{ch:?} has case");
        }
        assert!(count > 39_000, "{count}");
    }

    #[test]
    fn only_what_changes_is_copied() {
        assert!(matches!(lowercase("パスワードを再設定できない"), Cow::Borrowed(_)));
        assert!(matches!(lowercase("invoice #42 missing"), Cow::Borrowed(_)));
        assert_eq!(lowercase("VPNに接続できない"), "vpnに接続できない");
        assert_eq!(lowercase("ＡＢＣ Straße ΟΔΟΣ"), "ａｂｃ straße οδος");
    }

    #[test]
    fn single_characters_lowercase_as_char_to_lowercase_does() {
        for ch in ['A', 'a', '1', 'Ä', 'ä', 'Σ', 'ς', 'İ', 'ı', 'ǅ', 'Ａ', 'ａ', 'ア', '漢', '\u{10400}'] {
            assert_eq!(lowercase_char(ch), ch.to_lowercase().collect::<String>(), "{ch:?}");
            assert_eq!(is_own_lowercase(ch), ch.to_lowercase().eq([ch]), "{ch:?}");
        }
    }

    proptest! {
        /// The same as `to_lowercase` for text mixing ASCII, kana, kanji, full-width letters,
        /// Greek (final sigma) and Turkish dotted capitals.
        #[test]
        fn lowercases_as_the_standard_library_does(text in "[A-Za-z0-9 #ぁ-んァ-ン漢字ＡＺａｚ１ΣσςΑİIı。、]{0,24}") {
            prop_assert_eq!(lowercase(&text), text.to_lowercase());
        }
    }
}
