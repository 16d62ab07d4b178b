//! Text analysis uses the normaliser the host hands in (the browser app passes the browser's
//! NFKC). Its own test binary, since the choice is made once per process.

use helpdesk_core::search::text::{Analyzer, Mode, use_normalizer};

/// Not NFKC: folds "ß" to "ss", which NFKC does not, so the test sees which normaliser ran.
fn folding(text: &str) -> String {
    text.replace('ß', "ss").replace('Ａ', "A")
}

#[test]
fn the_handed_in_normaliser_is_used_and_kept() {
    use_normalizer(folding);
    // A second choice is ignored: one index never mixes two normalisations.
    use_normalizer(|text| text.to_owned());
    let mut analyzer = Analyzer::new();
    let (terms, _) = analyzer.analyze("Straße Ａpfel", Mode::Index, 0);
    let terms: Vec<String> = terms.map(|term| term.text.to_owned()).collect();
    assert_eq!(terms, ["strasse", "apfel"]);
}
