//! The app-wide keyboard shortcuts (`?` lists them, `/` search, `c` new ticket, `g i` inbox) and
//! their help dialog. Page-specific keys (j/k in the inbox, r/n/e on a ticket) live with their pages.

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos_router::hooks::use_navigate;

use crate::i18n::tr;
use crate::pages::inbox::typing_in_field;
use crate::state::use_app_state;

#[component]
pub fn Shortcuts() -> impl IntoView {
    let state = use_app_state();
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let navigate = use_navigate();
    // `g` starts a two-key sequence (g i); it lapses at the next key.
    let pending_g = StoredValue::new(false);
    let keys = window_event_listener(leptos::ev::keydown, move |event| {
        if event.ctrl_key() || event.meta_key() || event.alt_key() || typing_in_field(&event) {
            return;
        }
        let after_g = pending_g.get_value();
        pending_g.set_value(false);
        match event.key().as_str() {
            "?" => {
                if let Some(dialog) = dialog.get_untracked() {
                    let _ = dialog.show_modal();
                }
            }
            "/" => {
                event.prevent_default();
                if let Some(input) = document().get_element_by_id(crate::components::search_box::SEARCH_INPUT_ID)
                    && let Ok(input) = input.dyn_into::<web_sys::HtmlElement>()
                {
                    let _ = input.focus();
                }
            }
            "c" => navigate("/tickets/new", Default::default()),
            "g" => pending_g.set_value(true),
            "i" if after_g => navigate("/", Default::default()),
            _ => {}
        }
    });
    on_cleanup(move || keys.remove());
    let close = move |_| {
        if let Some(dialog) = dialog.get_untracked() {
            dialog.close();
        }
    };
    // A click on the backdrop (the dialog element itself, outside its content) closes it.
    let backdrop = move |event: leptos::ev::MouseEvent| {
        let on_dialog = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|element| element.tag_name().eq_ignore_ascii_case("dialog"));
        if on_dialog && let Some(dialog) = dialog.get_untracked() {
            dialog.close();
        }
    };
    view! {
        <dialog node_ref=dialog class="shortcut-dialog" aria-labelledby="shortcuts-title" on:click=backdrop>
            <h2 id="shortcuts-title">{tr(|t| t.shortcuts_title)}</h2>
            <dl class="shortcut-list">
                {move || {
                    state
                        .texts()
                        .shortcuts
                        .iter()
                        .map(|(keys, what)| view! {
                            <div>
                                <dt><kbd>{*keys}</kbd></dt>
                                <dd>{*what}</dd>
                            </div>
                        })
                        .collect_view()
                }}
            </dl>
            <button type="button" class="button" on:click=close>{tr(|t| t.close)}</button>
        </dialog>
    }
}
