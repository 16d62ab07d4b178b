//! The few things the app takes from the browser for the core: the time and randomness.

use helpdesk_core::Entropy;

/// Milliseconds since the Unix epoch, from the browser's clock.
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// Randomness for new ids, from the browser's cryptographic generator.
#[derive(Debug, Default, Clone, Copy)]
pub struct CryptoEntropy;

impl Entropy for CryptoEntropy {
    fn random_u128(&mut self) -> u128 {
        let mut bytes = [0u8; 16];
        let crypto = web_sys::window().and_then(|window| window.crypto().ok());
        match crypto {
            Some(crypto) if crypto.get_random_values_with_u8_array(&mut bytes).is_ok() => u128::from_be_bytes(bytes),
            // No crypto (very old browser): fall back to Math.random; ids stay unique in practice
            // because they also carry the millisecond.
            _ => {
                (0..4).fold(0u128, |acc, _| (acc << 32) | u128::from((js_sys::Math::random() * 4_294_967_296.0) as u32))
            }
        }
    }
}

/// Unicode NFKC by the browser (`String.prototype.normalize`), for the core's text analysis:
/// the browser already carries the Unicode tables, so the app does not ship its own.
pub fn nfkc(text: &str) -> String {
    js_sys::JsString::from(text).normalize("NFKC").into()
}

/// Makes the core's search analysis use the browser's NFKC (idempotent).
pub fn use_browser_normalizer() {
    helpdesk_core::search::text::use_normalizer(nfkc);
}
