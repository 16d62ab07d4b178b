//! "Export and import": the whole workspace as a file, with progress for large ones.

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

use crate::format;
use crate::i18n::tr;
use crate::platform::now_ms;
use crate::state::use_app_state;
use crate::store::{download, export_file_name, export_workspace, import_file};

/// What the section is doing, for the progress bar and the message under it.
#[derive(Debug, Clone, PartialEq)]
enum Activity {
    Idle,
    Exporting { done: usize, total: usize },
    Importing { percent: u32 },
    Done(String),
    Failed(String),
}

#[component]
pub fn TransferSection() -> impl IntoView {
    let state = use_app_state();
    let texts = move || state.texts();
    let activity = RwSignal::new(Activity::Idle);
    let busy = move || matches!(activity.get(), Activity::Exporting { .. } | Activity::Importing { .. });

    let export = move |_| {
        let Some(session) = state.session() else { return };
        activity.set(Activity::Exporting { done: 0, total: 0 });
        leptos::task::spawn_local(async move {
            let at = now_ms();
            let progress = |p: crate::store::ExportProgress| {
                activity.set(Activity::Exporting { done: p.documents_done, total: p.documents_total })
            };
            let outcome = export_workspace(&session.desk, at, progress).await;
            let t = state.lang.get_untracked().texts();
            activity.set(match outcome {
                Ok((blob, skipped)) => {
                    let name = export_file_name(&session.desk.workspace().settings().name, at);
                    match download(&blob, &name) {
                        Ok(()) if skipped > 0 => {
                            Activity::Done(format!("{} {}", (t.export_done)(&name), (t.export_skipped)(skipped)))
                        }
                        Ok(()) => Activity::Done((t.export_done)(&name)),
                        Err(error) => Activity::Failed(t.store_error(&error)),
                    }
                }
                Err(error) => Activity::Failed(t.store_error(&error)),
            });
        });
    };

    let import = move |event: leptos::ev::Event| {
        let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        let Some(session) = state.session() else { return };
        // Clear the input so choosing the same file again (to finish an interrupted import) fires.
        input.set_value("");
        activity.set(Activity::Importing { percent: 0 });
        leptos::task::spawn_local(async move {
            let progress = |p: crate::store::ImportProgress| {
                let percent = if p.bytes_total > 0.0 { (p.bytes_read / p.bytes_total * 100.0) as u32 } else { 100 };
                activity.set(Activity::Importing { percent });
            };
            let outcome = import_file(&session.desk, &file, now_ms, progress).await;
            let lang = state.lang.get_untracked();
            let t = lang.texts();
            match outcome {
                Ok(summary) => {
                    state.changed(&summary.changed);
                    let read = format::count(lang, summary.ops_read as usize);
                    let new = format::count(lang, summary.ops_new);
                    activity.set(Activity::Done((t.import_done)(&read, &new)));
                }
                Err(error) => {
                    // Batches committed before the failure are real changes: show them.
                    state.changed(&[]);
                    activity.set(Activity::Failed(t.transfer_error(&error)));
                }
            }
        });
    };

    let progress = move || match activity.get() {
        Activity::Exporting { done, total } => {
            let lang = state.lang.get();
            let label = (texts().exporting)(&format::count(lang, done), &format::count(lang, total));
            let value = if total > 0 { done as f64 / total as f64 * 100.0 } else { 0.0 };
            Some((label, value))
        }
        Activity::Importing { percent } => Some(((texts().importing)(percent), f64::from(percent))),
        _ => None,
    };
    let message = move || match activity.get() {
        Activity::Done(text) => Some(view! { <p class="status-ok">{text}</p> }.into_any()),
        Activity::Failed(text) => Some(view! { <p class="status-error">{text}</p> }.into_any()),
        _ => None,
    };
    let ready = move || state.is_ready();

    view! {
        <section class="card" aria-labelledby="transfer-heading">
            <h2 id="transfer-heading">{tr(|t| t.transfer_heading)}</h2>
            <p>{tr(|t| t.export_help)}</p>
            <button type="button" class="button" on:click=export disabled=move || busy() || !ready()>
                {tr(|t| t.export_button)}
            </button>
            <div class="file-field">
                <label for="import-file" class="button button-secondary" class:disabled=move || busy() || !ready()>
                    {tr(|t| t.import_label)}
                </label>
                <input
                    id="import-file"
                    class="visually-hidden"
                    type="file"
                    accept=".jsonl,.ndjson,application/x-ndjson,application/json,text/plain"
                    disabled=move || busy() || !ready()
                    on:change=import
                />
            </div>
            <p class="hint">{tr(|t| t.import_help)}</p>
            <div role="status" aria-live="polite" data-testid="transfer-status">
                {move || progress().map(|(label, value)| view! {
                    <label class="progress">
                        <span>{label}</span>
                        <progress max="100" prop:value=value aria-label=tr(|t| t.progress)></progress>
                    </label>
                })}
                {message}
            </div>
        </section>
    }
}
