//! The few things the app takes from the browser for the core: the time, randomness, Unicode
//! normalisation and turns of the event loop for long jobs; whether the browser can start the app
//! without a network; and marks of the start-up's phases on the page's performance timeline.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use helpdesk_core::Entropy;
use helpdesk_core::storage::Pacer;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

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

/// The start-up's phases, marked on the page's performance timeline in this order (DevTools shows
/// them; the inbox benchmark reports the time between them).
pub mod marks {
    /// The wasm module is compiled and the app's `main` runs.
    pub const STARTED: &str = "helpdesk:started";
    /// The app asks for the workspace's database.
    pub const OPENING: &str = "helpdesk:opening";
    /// The database is open.
    pub const DATABASE_OPEN: &str = "helpdesk:database-open";
    /// The snapshot chunks are requested.
    pub const SNAPSHOTS_REQUESTED: &str = "helpdesk:snapshots-requested";
    /// Every snapshot chunk has been read and restored.
    pub const SNAPSHOTS_READ: &str = "helpdesk:snapshots-read";
    /// The workspace is open (ordered, clock restored): the inbox can render.
    pub const WORKSPACE_OPEN: &str = "helpdesk:workspace-open";
}

/// Marks `name` on the page's performance timeline (nothing where the browser has none).
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        // A mark is for measuring only; a browser that refuses it changes nothing.
        let _ = performance.mark(name);
    }
}

/// Unicode NFKC by the browser (`String.prototype.normalize`), for the core's text analysis:
/// the browser already carries the Unicode tables, so the app does not ship its own.
pub fn nfkc(text: &str) -> String {
    js_sys::JsString::from(text).normalize("NFKC").into()
}

/// Unicode lowercase by the browser (`String.prototype.toLowerCase`, final sigma included), for
/// the core's case-insensitive keys: the same reason as [`nfkc`].
pub fn lowercase(text: &str) -> String {
    js_sys::JsString::from(text).to_lower_case().into()
}

/// Makes the core's search analysis and case-insensitive keys use the browser's NFKC and
/// lowercase (idempotent).
pub fn use_browser_normalizer() {
    helpdesk_core::search::text::use_normalizer(nfkc);
    helpdesk_core::case::use_lowercaser(lowercase);
}

/// How long a long job (the search index build) works before the page gets a turn: well under
/// a frame, so a click or a key waits at most this long for the job.
const SLICE_MS: f64 = 8.0;

/// For this long after the person last clicked, typed or scrolled, a long job rests until the
/// page has painted, not just for one turn: what they asked for (a ticket opened, a sort) then
/// reaches the screen before the next slice. Measured opening tickets while the search index
/// builds at 100,000 tickets (30 opens each, interleaved, on a slow machine): the first open
/// after start-up 24–52 → 21–24 ms, the others 7–14 → 7–10 ms. (Chromium already lets a
/// frame or two go first after a click; this makes it every rest, in every browser.)
const INPUT_QUIET_MS: f64 = 200.0;

thread_local! {
    /// When the person last interacted with the page ([`watch_input`]), by `Date.now()`.
    static LAST_INPUT_MS: std::cell::Cell<f64> = const { std::cell::Cell::new(f64::NEG_INFINITY) };
    static WATCHING_INPUT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Notes every click, key, pointer press, input and scroll (in the capture phase, so that no
/// handler stopping them hides them), for [`BrowserPacer`]. Listens once however often it is
/// called (the app calls it when it mounts).
pub fn watch_input() {
    if WATCHING_INPUT.with(|watching| watching.replace(true)) {
        return;
    }
    let Some(window) = web_sys::window() else { return };
    let noted = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(|| {
        LAST_INPUT_MS.with(|last| last.set(js_sys::Date::now()));
    });
    for event in ["pointerdown", "keydown", "click", "input", "scroll"] {
        let _ = window.add_event_listener_with_callback_and_bool(event, noted.as_ref().unchecked_ref(), true);
    }
    // Listens for the life of the page.
    noted.forget();
}

/// Paces a long job in slices of [`SLICE_MS`], with one turn of the event loop between them
/// (or a painted frame, just after the person did something: [`INPUT_QUIET_MS`]).
#[derive(Debug, Default)]
pub struct BrowserPacer {
    /// When the current slice started (`None`: at the next check).
    slice_started: Option<f64>,
}

impl Pacer for BrowserPacer {
    type Rest = NextTurn;

    fn due(&mut self) -> bool {
        let now = js_sys::Date::now();
        match self.slice_started {
            Some(started) => now - started >= SLICE_MS,
            None => {
                self.slice_started = Some(now);
                false
            }
        }
    }

    fn rest(&mut self) -> NextTurn {
        self.slice_started = None;
        let just_used = js_sys::Date::now() - LAST_INPUT_MS.with(std::cell::Cell::get) < INPUT_QUIET_MS;
        NextTurn(JsFuture::from(if just_used { after_next_paint() } else { next_turn() }))
    }
}

/// Completes on the next turn of the event loop, after the input and rendering waiting for it.
#[derive(Debug)]
pub struct NextTurn(JsFuture);

impl Future for NextTurn {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        Pin::new(&mut self.0).poll(cx).map(|_| ())
    }
}

/// A promise resolved by a message to ourselves: a new task like `setTimeout(0)`, without the
/// 4 ms the browser adds to timers set from timers (a job resting a thousand times would spend
/// seconds in it).
fn next_turn() -> js_sys::Promise {
    js_sys::Promise::new(&mut |resolve, _| resolve_next_turn(&resolve))
}

/// Calls `resolve` in a new task (see [`next_turn`]).
fn resolve_next_turn(resolve: &js_sys::Function) {
    let posted = web_sys::MessageChannel::new().ok().is_some_and(|channel| {
        channel.port1().set_onmessage(Some(resolve.unchecked_ref()));
        channel.port2().post_message(&JsValue::NULL).is_ok()
    });
    if !posted && let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback(resolve);
    }
}

/// A promise resolved in the first task after the next frame is painted: an animation frame
/// callback runs just before the paint, and the task it posts just after. A hidden page paints
/// no frames, so it also resolves after [`INPUT_QUIET_MS`] regardless (resolving twice does
/// nothing).
fn after_next_paint() -> js_sys::Promise {
    js_sys::Promise::new(&mut |resolve, _| {
        let Some(window) = web_sys::window() else {
            resolve_next_turn(&resolve);
            return;
        };
        let after_frame = {
            let resolve = resolve.clone();
            wasm_bindgen::closure::Closure::once_into_js(move || resolve_next_turn(&resolve))
        };
        let _ = window.request_animation_frame(after_frame.unchecked_ref());
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, INPUT_QUIET_MS as i32);
    })
}

/// Whether this browser can start the app with no network, through the service worker that
/// `cargo xtask dist` adds (dist/sw.js).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfflineStart {
    /// The worker is active: it has kept every file of a build (it only becomes active once
    /// all of them are in its cache).
    Ready,
    /// The worker is not active yet (it is registered two seconds after the start, then keeps
    /// the files).
    Preparing,
    /// No worker here: plain HTTP on another host than localhost, a browser or mode without
    /// service workers, or the development server (which has none on purpose).
    Unavailable,
    /// The worker could not be had on this visit: its script did not load, or a file of the
    /// build could not be fetched, so the browser gave the install up. The next start tries again.
    Failed,
}

/// Tells `report` where the offline start stands, and again every second while it is
/// [`OfflineStart::Preparing`] (every other state holds for the rest of the visit), until
/// `report` returns false (its page is gone).
pub fn watch_offline_start(report: impl Fn(OfflineStart) -> bool + 'static) {
    wasm_bindgen_futures::spawn_local(async move {
        loop {
            let now = offline_start().await;
            if !report(now) || now != OfflineStart::Preparing {
                return;
            }
            let second = js_sys::Promise::new(&mut |resolve, _| {
                if let Some(window) = web_sys::window() {
                    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 1000);
                }
            });
            let _ = JsFuture::from(second).await;
        }
    });
}

/// Whether the registration script marked itself failed (xtask's `offline.rs`): a failed first
/// install leaves no registration behind, which alone reads like one not made yet.
fn registers_script_failed(window: &web_sys::Window) -> bool {
    window
        .document()
        .and_then(|document| document.get_element_by_id("offline-start"))
        .is_some_and(|script| script.has_attribute("data-failed"))
}

async fn offline_start() -> OfflineStart {
    let Some(window) = web_sys::window() else { return OfflineStart::Unavailable };
    // Only a built app registers the worker, from the script xtask puts in index.html.
    let registers = window.document().and_then(|document| document.get_element_by_id("offline-start")).is_some();
    let navigator = window.navigator();
    // Undefined outside secure contexts, which web-sys's getter does not allow for.
    let supported = js_sys::Reflect::get(&navigator, &JsValue::from_str("serviceWorker"))
        .is_ok_and(|container| !container.is_undefined());
    if !registers || !supported {
        return OfflineStart::Unavailable;
    }
    if registers_script_failed(&window) {
        return OfflineStart::Failed;
    }
    match JsFuture::from(navigator.service_worker().get_registration()).await {
        Ok(found) => match found.dyn_into::<web_sys::ServiceWorkerRegistration>() {
            Ok(registration) if registration.active().is_some() => OfflineStart::Ready,
            _ => OfflineStart::Preparing,
        },
        Err(_) => OfflineStart::Unavailable,
    }
}
