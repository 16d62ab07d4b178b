//! `case::use_lowercaser`: the mapping handed in (the browser's, in the app) makes every
//! case-insensitive key beyond ASCII and caseless scripts. A test binary of its own, since the
//! choice is made once per process.

use helpdesk_core::Tag;
use helpdesk_core::case::{is_own_lowercase, lowercase, lowercase_char, use_lowercaser};

#[test]
fn keys_beyond_ascii_come_from_the_lowercaser_handed_in() {
    // A mapping unlike the standard library's, so that the test shows which one ran.
    use_lowercaser(|text| text.to_lowercase().replace('ä', "ae"));
    assert_eq!(lowercase("Ärger"), "aerger");
    assert_eq!(lowercase_char('Ä'), "ae");
    // Under this mapping even `ä` is not its own lowercase; `ö` is.
    assert!(!is_own_lowercase('Ä') && !is_own_lowercase('ä') && is_own_lowercase('ö'));
    assert_eq!(Tag::parse("Ärger").unwrap().as_str(), "aerger", "tags are lowercased through it");
    // ASCII and caseless text never reach it.
    assert_eq!(lowercase("VPNに接続できない"), "vpnに接続できない");
    // A second mapping is ignored: keys never mix two.
    use_lowercaser(|text| text.to_uppercase());
    assert_eq!(lowercase("Ärger"), "aerger");
}
