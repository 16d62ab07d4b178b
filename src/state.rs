//! The one application state, provided at the root and read with [`use_app_state`].
//!
//! Domain values live inside signals here; the domain types themselves (in helpdesk-core) know
//! nothing about signals.

use leptos::prelude::*;

use crate::i18n::{Lang, Texts};

/// Where the chosen interface language is remembered between visits.
const LANG_STORAGE_KEY: &str = "helpdesk.lang";

#[derive(Debug, Clone, Copy)]
pub struct AppState {
    /// The interface language. Changing it re-renders text and updates `<html lang>`.
    pub lang: RwSignal<Lang>,
}

impl AppState {
    /// The state for a fresh page: the remembered language, else the browser's preference.
    pub fn new() -> Self {
        let lang = remembered_lang().unwrap_or_else(browser_lang);
        Self { lang: RwSignal::new(lang) }
    }

    /// The current translation table (tracks the language signal).
    pub fn texts(&self) -> &'static Texts {
        self.lang.get().texts()
    }

    /// Switches the interface language and remembers the choice.
    pub fn set_lang(&self, lang: Lang) {
        self.lang.set(lang);
        if let Some(storage) = local_storage() {
            // Losing the preference is harmless (the browser default applies next time), so a
            // storage failure (private mode, quota) is not worth interrupting the user for.
            let _ = storage.set_item(LANG_STORAGE_KEY, lang.code());
        }
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

/// The app state provided by [`crate::app::App`].
pub fn use_app_state() -> AppState {
    expect_context::<AppState>()
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn remembered_lang() -> Option<Lang> {
    let code = local_storage()?.get_item(LANG_STORAGE_KEY).ok().flatten()?;
    Lang::from_code(&code)
}

fn browser_lang() -> Lang {
    let languages: Vec<String> = web_sys::window()
        .map(|window| window.navigator().languages().iter().filter_map(|value| value.as_string()).collect())
        .unwrap_or_default();
    Lang::from_browser_preferences(languages.iter().map(String::as_str))
}
