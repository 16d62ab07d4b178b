//! Text analysis: how ticket text and queries become terms.
//!
//! Both sides go through the same steps, so a query finds what the index holds:
//!
//! 1. **Normalisation** per character: Unicode NFKC (full-width `ＡＢＣ１２３` → `abc123`, half-width
//!    `ｶﾀｶﾅ` → `カタカナ`, `①` → `1`), then lowercase. A combining mark that NFKC would compose
//!    with the character before it (`ｶﾞ` → `ガ`) is composed. Characters are normalised one at a
//!    time, not the whole string at once, so every term keeps the byte range of the original text
//!    it came from: highlighting marks exactly what the person wrote. ASCII and the common kana
//!    and kanji (which NFKC leaves alone) skip normalisation; other characters are normalised
//!    once per analyser and remembered.
//!
//! NFKC itself comes from outside: the browser app hands in the browser's own
//! (`String.prototype.normalize`, see [`use_normalizer`]), which keeps about 60 KB of Unicode
//! tables out of the download; without one, the `nfkc` feature's tables are used (native
//! builds, tests, the server).
//! 2. **Words**: runs of letters and digits in scripts that separate words with spaces (Latin,
//!    Greek, Cyrillic, Hangul, …) are one term each, cut at [`MAX_WORD_CHARS`].
//! 3. **Japanese and Chinese** (kanji, hiragana, katakana) have no spaces, so a run of such
//!    characters is indexed as overlapping character bigrams (`ログイン` → `ログ`, `グイ`, `イン`),
//!    plus the run's last character on its own. A word of two or more characters anywhere inside a
//!    sentence is then found as the sequence of its bigrams; a single character is found through
//!    the terms that start with it (every character starts a bigram, or ends its run).
//! 4. Everything else (punctuation, spaces, symbols, emoji) separates terms and is not indexed.
//!
//! Every term has a position. A word takes one; a Japanese run takes one per character, so the
//! bigrams of a query word sit at consecutive positions exactly when the word occurs in the text.

use std::ops::Range;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// Unicode NFKC of a short string (one character, or a character and a combining mark).
pub type NormalizeFn = fn(&str) -> String;

static NORMALIZER: OnceLock<NormalizeFn> = OnceLock::new();

/// Makes text analysis use `normalize` for Unicode NFKC. Call once at start-up, before anything
/// is indexed or searched (a later call is ignored, so an index never mixes two normalisations).
pub fn use_normalizer(normalize: NormalizeFn) {
    let _ = NORMALIZER.set(normalize);
}

fn nfkc(text: &str) -> String {
    if let Some(normalize) = NORMALIZER.get() {
        return normalize(text);
    }
    #[cfg(feature = "nfkc")]
    {
        use unicode_normalization::UnicodeNormalization;
        text.nfkc().collect()
    }
    #[cfg(not(feature = "nfkc"))]
    {
        text.to_owned()
    }
}

/// Longer words (a pasted hash, a base64 blob) are cut here: nobody types more to find them.
pub const MAX_WORD_CHARS: usize = 64;

/// How a run of Japanese or Chinese characters becomes terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Text being indexed: bigrams, plus the run's last character alone.
    Index,
    /// A query: bigrams only (a one-character run stays one character, which matches every term
    /// starting with it).
    Query,
}

/// What kind of text a term came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    /// A word of a space-separated script.
    Word,
    /// Two characters of a Japanese/Chinese run.
    Bigram,
    /// One character of a Japanese/Chinese run.
    Single,
}

/// One term of analysed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term<'a> {
    /// The normalised term.
    pub text: &'a str,
    pub kind: TermKind,
    /// Position in the token stream (see the module docs).
    pub position: u32,
    /// Byte range in the original text.
    pub source: Range<usize>,
}

/// Reusable buffers for analysing text: indexing 100,000 tickets allocates once, not per term.
#[derive(Debug, Default)]
pub struct Analyzer {
    chars: Vec<NormalChar>,
    terms: Vec<RawTerm>,
    text: String,
    /// NFKC of each character seen that needed it, lowercased.
    normalized: FxHashMap<char, Box<[char]>>,
    /// Character and combining mark → their composition, if Unicode has one.
    composed: FxHashMap<(char, char), Option<char>>,
}

#[derive(Debug, Clone, Copy)]
struct NormalChar {
    ch: char,
    class: CharClass,
    source: (u32, u32),
}

#[derive(Debug, Clone, Copy)]
struct RawTerm {
    text: (u32, u32),
    kind: TermKind,
    position: u32,
    source: (u32, u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CharClass {
    Word,
    Cjk,
    Separator,
}

impl Analyzer {
    pub fn new() -> Self {
        Self::default()
    }

    /// Analyses `text`, numbering positions from `first_position`. Returns the terms and the
    /// position after the last one.
    pub fn analyze(&mut self, text: &str, mode: Mode, first_position: u32) -> (Terms<'_>, u32) {
        self.normalize(text);
        self.terms.clear();
        self.text.clear();
        let mut position = first_position;
        let mut index = 0;
        while index < self.chars.len() {
            let class = self.chars[index].class;
            let run_end =
                self.chars[index..].iter().position(|c| c.class != class).map_or(self.chars.len(), |n| index + n);
            match class {
                CharClass::Separator => {}
                CharClass::Word => {
                    let end = run_end.min(index + MAX_WORD_CHARS);
                    self.push_term(index..end, TermKind::Word, position);
                    position += 1;
                }
                CharClass::Cjk => {
                    let len = run_end - index;
                    if len == 1 {
                        self.push_term(index..run_end, TermKind::Single, position);
                    } else {
                        for start in index..run_end - 1 {
                            self.push_term(start..start + 2, TermKind::Bigram, position + (start - index) as u32);
                        }
                        if mode == Mode::Index {
                            self.push_term(run_end - 1..run_end, TermKind::Single, position + len as u32 - 1);
                        }
                    }
                    position += len as u32;
                }
            }
            index = run_end;
        }
        (Terms { analyzer: self, next: 0 }, position)
    }

    fn push_term(&mut self, chars: Range<usize>, kind: TermKind, position: u32) {
        let start = self.text.len() as u32;
        for normal in &self.chars[chars.clone()] {
            self.text.push(normal.ch);
        }
        let source = (self.chars[chars.start].source.0, self.chars[chars.end - 1].source.1);
        self.terms.push(RawTerm { text: (start, self.text.len() as u32), kind, position, source });
    }

    /// Fills `self.chars` with the normalised characters of `text` and where each came from.
    fn normalize(&mut self, text: &str) {
        self.chars.clear();
        self.chars.reserve(text.len());
        for (offset, ch) in text.char_indices() {
            let source = (offset as u32, (offset + ch.len_utf8()) as u32);
            if ch.is_ascii() {
                let ch = ch.to_ascii_lowercase();
                let class = if ch.is_ascii_alphanumeric() { CharClass::Word } else { CharClass::Separator };
                self.chars.push(NormalChar { ch, class, source });
                continue;
            }
            if is_nfkc_stable_cjk(ch) {
                self.chars.push(NormalChar { ch, class: CharClass::Cjk, source });
                continue;
            }
            let normalized = self
                .normalized
                .entry(ch)
                .or_insert_with(|| {
                    let folded = nfkc(ch.encode_utf8(&mut [0; 4]));
                    let lower: String = folded.chars().map(crate::case::lowercase_char).collect();
                    lower.chars().collect()
                })
                .clone();
            for normal in normalized {
                self.push_normal(normal, source);
            }
        }
    }

    fn push_normal(&mut self, ch: char, source: (u32, u32)) {
        if is_combining_mark(ch) {
            // A mark joins the character before it: composed where Unicode has the composite
            // (ｶﾞ → ガ, e + ◌́ → é), else kept as part of the word.
            let previous = self.chars.last().filter(|last| last.class != CharClass::Separator).map(|last| last.ch);
            if let Some(previous) = previous {
                let composed = *self.composed.entry((previous, ch)).or_insert_with(|| {
                    let mut pair = String::with_capacity(8);
                    pair.push(previous);
                    pair.push(ch);
                    let normalized = nfkc(&pair);
                    let mut out = normalized.chars();
                    out.next().filter(|_| out.next().is_none())
                });
                let last = self.chars.last_mut().expect("there is a previous character");
                if let Some(composed) = composed {
                    last.ch = composed;
                    last.source.1 = source.1;
                    return;
                }
                if last.class == CharClass::Word {
                    self.chars.push(NormalChar { ch, class: CharClass::Word, source });
                    return;
                }
            }
            // A stray mark is not a term of its own.
            self.chars.push(NormalChar { ch, class: CharClass::Separator, source });
            return;
        }
        let class = classify(ch);
        self.chars.push(NormalChar { ch, class, source });
    }
}

/// The terms of one [`Analyzer::analyze`] call.
#[derive(Debug)]
pub struct Terms<'a> {
    analyzer: &'a Analyzer,
    next: usize,
}

impl<'a> Iterator for Terms<'a> {
    type Item = Term<'a>;

    fn next(&mut self) -> Option<Term<'a>> {
        let raw = self.analyzer.terms.get(self.next)?;
        self.next += 1;
        Some(Term {
            text: &self.analyzer.text[raw.text.0 as usize..raw.text.1 as usize],
            kind: raw.kind,
            position: raw.position,
            source: raw.source.0 as usize..raw.source.1 as usize,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.analyzer.terms.len() - self.next;
        (left, Some(left))
    }
}

impl ExactSizeIterator for Terms<'_> {}

/// Normalises text the way terms are normalised (for comparing names typed in filters).
pub fn normalize(text: &str) -> String {
    let mut analyzer = Analyzer::new();
    analyzer.normalize(text);
    analyzer
        .chars
        .iter()
        .map(|c| if c.class == CharClass::Separator && c.ch.is_whitespace() { ' ' } else { c.ch })
        .collect()
}

/// Kanji, hiragana and katakana that NFKC leaves alone: the bulk of Japanese text skips the
/// normalisation tables.
fn is_nfkc_stable_cjk(ch: char) -> bool {
    matches!(ch,
        '\u{3041}'..='\u{3096}' // hiragana
        | '\u{309D}'..='\u{309E}' // hiragana iteration marks
        | '\u{30A1}'..='\u{30FA}' // katakana
        | '\u{30FC}'..='\u{30FE}' // prolonged sound mark, katakana iteration marks
        | '\u{3005}'..='\u{3007}' // 々 〆 〇
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
    )
}

/// The combining marks text analysis composes with the character before them: the kana voicing
/// marks that half-width katakana decompose into, and the Latin combining diacritics.
fn is_combining_mark(ch: char) -> bool {
    matches!(ch, '\u{3099}' | '\u{309A}' | '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}')
}

fn classify(ch: char) -> CharClass {
    if is_nfkc_stable_cjk(ch)
        || matches!(ch,
            '\u{20000}'..='\u{3134F}' // CJK extensions B–G
            | '\u{F900}'..='\u{FAFF}' // compatibility ideographs that NFKC keeps
            | '\u{31F0}'..='\u{31FF}' // katakana phonetic extensions
        )
    {
        CharClass::Cjk
    } else if ch.is_alphanumeric() {
        CharClass::Word
    } else {
        CharClass::Separator
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str, mode: Mode) -> Vec<(String, u32)> {
        let mut analyzer = Analyzer::new();
        let (terms, _) = analyzer.analyze(text, mode, 0);
        terms.map(|t| (t.text.to_owned(), t.position)).collect()
    }

    fn texts(text: &str, mode: Mode) -> Vec<String> {
        terms(text, mode).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn latin_words_are_lowercased_and_split() {
        assert_eq!(texts("Password reset, PLEASE!", Mode::Index), ["password", "reset", "please"]);
        assert_eq!(texts("order A-12345 (urgent)", Mode::Index), ["order", "a", "12345", "urgent"]);
        assert_eq!(texts("Crème brûlée", Mode::Index), ["crème", "brûlée"]);
    }

    #[test]
    fn full_and_half_width_fold_to_one_form() {
        assert_eq!(texts("ＰＡＳＳＷＯＲＤ１２３", Mode::Index), ["password123"]);
        assert_eq!(texts("ﾊﾟｽﾜｰﾄﾞ", Mode::Query), texts("パスワード", Mode::Query));
        assert_eq!(texts("ｶﾞｲﾄﾞ", Mode::Query), ["ガイ", "イド"]);
        assert_eq!(texts("①", Mode::Index), ["1"]);
        // Decomposed accents compose like NFKC would.
        assert_eq!(texts("cafe\u{301}", Mode::Index), ["café"]);
    }

    #[test]
    fn japanese_runs_become_bigrams_at_consecutive_positions() {
        assert_eq!(
            terms("ログインできません", Mode::Index),
            [
                ("ログ".into(), 0),
                ("グイ".into(), 1),
                ("イン".into(), 2),
                ("ンで".into(), 3),
                ("でき".into(), 4),
                ("きま".into(), 5),
                ("ませ".into(), 6),
                ("せん".into(), 7),
                ("ん".into(), 8),
            ]
        );
        // The query side leaves out the last character alone: "ログイン" occurs inside longer runs.
        assert_eq!(texts("ログイン", Mode::Query), ["ログ", "グイ", "イン"]);
        assert_eq!(texts("林", Mode::Query), ["林"]);
        assert_eq!(texts("林", Mode::Index), ["林"]);
    }

    #[test]
    fn mixed_scripts_keep_positions_in_order() {
        let analysed = terms("Chromeの最新版で5月から", Mode::Index);
        let expected: Vec<(String, u32)> = [
            ("chrome", 0),
            ("の最", 1),
            ("最新", 2),
            ("新版", 3),
            ("版で", 4),
            ("で", 5),
            ("5", 6),
            ("月か", 7),
            ("から", 8),
            ("ら", 9),
        ]
        .into_iter()
        .map(|(t, p)| (t.to_owned(), p))
        .collect();
        assert_eq!(analysed, expected);
    }

    #[test]
    fn punctuation_symbols_and_emoji_separate_terms() {
        assert_eq!(
            texts("請求書、再発行😀お願い🙏 thanks👍", Mode::Index),
            ["請求", "求書", "書", "再発", "発行", "行", "お願", "願い", "い", "thanks"]
        );
        assert_eq!(texts("😀🙏 --- !!!", Mode::Index), Vec::<String>::new());
        assert_eq!(texts("", Mode::Index), Vec::<String>::new());
    }

    #[test]
    fn source_ranges_point_into_the_original_text() {
        let text = "ＶＩＰの件: Ｐａｓｓ";
        let mut analyzer = Analyzer::new();
        let (terms, _) = analyzer.analyze(text, Mode::Index, 0);
        let sources: Vec<(&str, &str)> = terms.map(|t| (t.text, &text[t.source])).collect();
        assert_eq!(sources, [("vip", "ＶＩＰ"), ("の件", "の件"), ("件", "件"), ("pass", "Ｐａｓｓ")]);
    }

    #[test]
    fn very_long_input_is_bounded_per_word() {
        let blob = "a".repeat(10_000);
        let words = texts(&format!("{blob} end"), Mode::Index);
        assert_eq!(words.len(), 2);
        assert_eq!(words[0].chars().count(), MAX_WORD_CHARS);
        let japanese = "あ".repeat(5_000);
        let (mut analyzer, text) = (Analyzer::new(), japanese);
        let (terms, next) = analyzer.analyze(&text, Mode::Index, 10);
        assert_eq!(terms.len(), 5_000);
        assert_eq!(next, 5_010);
    }

    #[test]
    fn normalize_matches_names_across_widths() {
        assert_eq!(normalize("Ｙａｍａｄａ　Ｔａｒｏ"), "yamada taro");
        assert_eq!(normalize("山田"), "山田");
    }
}
