//! Browser tests of the app shell: mount `App` in headless Chromium and check the DOM.

#![cfg(target_arch = "wasm32")]

use helpdesk::App;
use helpdesk::app::base_path;
use helpdesk::i18n::Lang;
use leptos::wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Lets effects and re-renders scheduled by a change run (they are queued, not synchronous).
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 10).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts the app into a fresh container and returns it with the handle that keeps it alive.
fn mount_app() -> (web_sys::HtmlElement, impl Sized) {
    let container: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone(), App);
    (container, handle)
}

fn nav_labels(container: &web_sys::HtmlElement) -> Vec<String> {
    let links = container.query_selector_all("nav a").unwrap();
    (0..links.length()).map(|i| links.item(i).unwrap().text_content().unwrap_or_default().trim().to_owned()).collect()
}

#[wasm_bindgen_test]
async fn the_app_mounts_its_navigation_and_switches_language() {
    web_sys::window().unwrap().local_storage().unwrap().unwrap().set_item("helpdesk.lang", "en").unwrap();
    let (container, _handle) = mount_app();
    settle().await;
    assert_eq!(nav_labels(&container), ["Inbox", "Customers", "Knowledge base", "Reports", "Settings"]);
    let html = document().document_element().unwrap();
    assert_eq!(html.get_attribute("lang").as_deref(), Some("en"));
    let nav = container.query_selector("nav").unwrap().unwrap();
    assert_eq!(nav.get_attribute("aria-label").as_deref(), Some("Main navigation"));

    let select: web_sys::HtmlSelectElement =
        container.query_selector("#lang-select").unwrap().unwrap().unchecked_into();
    select.set_value("ja");
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    settle().await;
    assert_eq!(nav_labels(&container), ["受信箱", "顧客", "ナレッジベース", "レポート", "設定"]);
    assert_eq!(html.get_attribute("lang").as_deref(), Some("ja"));
    assert_eq!(nav.get_attribute("aria-label").as_deref(), Some("メインナビゲーション"));
    assert_eq!(document().title(), "ヘルプデスク");
    let remembered = web_sys::window().unwrap().local_storage().unwrap().unwrap().get_item("helpdesk.lang").unwrap();
    assert_eq!(remembered.as_deref(), Some("ja"));
    container.remove();
}

#[wasm_bindgen_test]
fn every_control_in_the_shell_has_an_accessible_name() {
    let (container, _handle) = mount_app();
    let select = container.query_selector("select").unwrap().unwrap();
    let label = select.closest("label").unwrap().expect("the select sits in a label");
    assert!(!label.text_content().unwrap_or_default().trim().is_empty());
    let links = container.query_selector_all("a").unwrap();
    for i in 0..links.length() {
        let link = links.item(i).unwrap();
        assert!(!link.text_content().unwrap_or_default().trim().is_empty(), "link {i} has text");
    }
    container.remove();
}

#[wasm_bindgen_test]
fn browser_language_preferences_pick_the_interface_language() {
    assert_eq!(Lang::from_browser_preferences(["ja-JP", "en-US"]), Lang::Ja);
    assert_eq!(Lang::from_browser_preferences(["fr-FR", "en-GB", "ja"]), Lang::En);
    assert_eq!(Lang::from_browser_preferences(["de-DE"]), Lang::En);
    assert_eq!(Lang::from_browser_preferences([]), Lang::En);
    assert_eq!(Lang::from_code("ja"), Some(Lang::Ja));
    assert_eq!(Lang::from_code("zh"), None);
}

#[wasm_bindgen_test]
fn the_router_base_follows_the_public_url() {
    assert_eq!(base_path("http://127.0.0.1:8080/"), "");
    assert_eq!(base_path("https://example.github.io/helpdesk/"), "/helpdesk");
    assert_eq!(base_path("https://example.github.io/helpdesk/index.html"), "/helpdesk");
    assert_eq!(base_path(""), "");
}

#[wasm_bindgen_test]
fn every_storage_failure_has_its_own_message_in_both_languages() {
    use helpdesk::store::{StoreError, TransferError};
    use helpdesk_core::export::ImportError;
    let errors = [
        TransferError::Store(StoreError::Unavailable),
        TransferError::Store(StoreError::QuotaExceeded),
        TransferError::Store(StoreError::VersionTooNew),
        TransferError::Store(StoreError::Closed),
        TransferError::Store(StoreError::Failed("UnknownError: disk".into())),
        TransferError::File(ImportError::NotAnExport),
        TransferError::File(ImportError::UnsupportedVersion { found: 9 }),
        TransferError::File(ImportError::BadLine { line: 6, reason: "x".into() }),
        TransferError::File(ImportError::Incomplete { expected: 10, found: 4 }),
        TransferError::File(ImportError::Empty),
        TransferError::Read("gone".into()),
    ];
    for lang in Lang::ALL {
        let messages: Vec<String> = errors.iter().map(|e| lang.texts().transfer_error(e)).collect();
        let distinct: std::collections::BTreeSet<&String> = messages.iter().collect();
        assert_eq!(distinct.len(), messages.len(), "{lang:?}: {messages:#?}");
        assert!(messages.iter().all(|m| !m.trim().is_empty()));
    }
    assert!(Lang::Ja.texts().transfer_error(&errors[1]).contains("いっぱい"));
    assert!(Lang::En.texts().transfer_error(&errors[7]).contains("Line 6"));
}

#[wasm_bindgen_test]
fn sla_durations_read_as_a_person_would_say_them() {
    let en = Lang::En.texts().sla.duration;
    let ja = Lang::Ja.texts().sla.duration;
    assert_eq!(en(135 * 60_000), "2h 15m");
    // Less than a minute left still shows as a minute: "0m" would read as already due.
    assert_eq!(en(1), "1m");
    assert_eq!(en((27 * 60 + 5) * 60_000), "1d 3h");
    assert_eq!(ja(135 * 60_000), "2時間15分");
}

/// Counts animation frames from now on (each one is a paint) in `window.__frames`.
fn count_frames() {
    js_sys::Function::new_no_args(
        "window.__frames = 0; const tick = () => { window.__frames++; requestAnimationFrame(tick); }; \
         requestAnimationFrame(tick);",
    )
    .call0(&wasm_bindgen::JsValue::NULL)
    .unwrap();
}

fn frames() -> f64 {
    js_sys::Reflect::get(&web_sys::window().unwrap(), &"__frames".into()).unwrap().as_f64().unwrap()
}

/// Just after a click, a long job's rests last until the page has painted, so what the click
/// asked for reaches the screen before the job's next slice; left alone, the job goes on at once.
#[wasm_bindgen_test]
async fn a_long_job_rests_until_the_page_painted_after_a_click() {
    use helpdesk_core::storage::Pacer;
    helpdesk::platform::watch_input();
    count_frames();
    let mut pacer = helpdesk::platform::BrowserPacer::default();
    // How many frames were painted during five rests.
    let five_rests = async |pacer: &mut helpdesk::platform::BrowserPacer| {
        let before = frames();
        for _ in 0..5 {
            pacer.rest().await;
        }
        frames() - before
    };
    document().body().unwrap().click();
    // Each rest ends in the task after a frame of its own. (Chromium itself lets a frame or two
    // go first after a click; the other browsers need not.)
    let after_click = five_rests(&mut pacer).await;
    assert!(after_click >= 5.0, "{after_click} frames during five rests after a click: they did not wait for paints");
    // Long after the click, rests are single turns again; the job is not held up.
    let quiet = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 300).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(quiet).await.unwrap();
    let alone = five_rests(&mut pacer).await;
    assert!(alone < 3.0, "{alone} frames during five rests with no input: they waited for paints");
}

#[wasm_bindgen_test]
fn the_browser_supplies_nfkc_and_unicode_lowercase_to_the_core() {
    // Mounting the app hands both to the core; its keys then follow the browser's Unicode.
    let (_container, _handle) = mount_app();
    assert_eq!(helpdesk::platform::lowercase("ΟΔΟΣ Ärger İ"), "οδος ärger i\u{307}", "final sigma, umlaut, dotted I");
    assert_eq!(helpdesk_core::case::lowercase("ＡＢＣ Straße ΟΔΟΣ"), "ａｂｃ straße οδος");
    assert_eq!(helpdesk_core::Tag::parse("Ärger").unwrap().as_str(), "ärger");
    assert_eq!(helpdesk::platform::nfkc("ｶﾞ①"), "ガ1");
}

/// A `beforeunload` as the browser sends it; `true` if the page asked to stay.
fn page_asks_to_stay() -> bool {
    let init = web_sys::EventInit::new();
    init.set_cancelable(true);
    let event = web_sys::Event::new_with_event_init_dict("beforeunload", &init).unwrap();
    web_sys::window().unwrap().dispatch_event(&event).unwrap();
    event.default_prevented()
}

/// A change the person saw applied is still being written for a few milliseconds; leaving the
/// page then would abort the write, so the page asks first, and only then.
#[wasm_bindgen_test]
async fn leaving_while_a_change_is_being_saved_asks_first() {
    use helpdesk::state::AppState;
    use helpdesk_core::{Actor, NewCustomer};
    let state = AppState::new();
    state.open_storage_named("shell-saving");
    while !state.is_ready() {
        settle().await;
    }
    assert!(!page_asks_to_stay(), "nothing is being saved yet");

    let saved = std::rc::Rc::new(std::cell::Cell::new(false));
    wasm_bindgen_futures::spawn_local({
        let saved = saved.clone();
        async move {
            state
                .execute_as(Actor::System, |ws, f| {
                    ws.create_customer(f, NewCustomer { name: "Saving".into(), ..Default::default() })
                })
                .await
                .unwrap();
            saved.set(true);
        }
    });
    // Let the command start; its commit waits for IndexedDB, which answers in a later task.
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&JsValue::NULL)).await.unwrap();
    assert!(state.is_saving());
    assert!(page_asks_to_stay(), "the commit is still running");
    while !saved.get() {
        settle().await;
    }
    assert!(!state.is_saving());
    assert!(!page_asks_to_stay(), "everything is saved");
}
