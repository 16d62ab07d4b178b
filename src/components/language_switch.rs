//! The Japanese/English switch in the header.

use leptos::prelude::*;

use crate::i18n::Lang;
use crate::state::use_app_state;

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let state = use_app_state();
    let on_change = move |event| {
        if let Some(lang) = Lang::from_code(&event_target_value(&event)) {
            state.set_lang(lang);
        }
    };
    view! {
        <label class="lang-switch">
            <span class="visually-hidden">{move || state.texts().language}</span>
            <select id="lang-select" on:change=on_change prop:value=move || state.lang.get().code()>
                {Lang::ALL
                    .into_iter()
                    .map(|lang| {
                        // Each option names its language in that language, with a matching `lang`
                        // so screen readers pronounce 日本語 and English correctly.
                        view! {
                            <option value=lang.code() lang=lang.code()>
                                {lang.native_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
