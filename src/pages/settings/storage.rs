//! "Data in this browser": whether the browser may evict it, whether the app can start without
//! a network, how much space it uses, what it holds, and which tab runs the background jobs.

use leptos::prelude::*;

use crate::format;
use crate::i18n::tr;
use crate::platform::{OfflineStart, watch_offline_start};
use crate::state::use_app_state;
use crate::store::{StorageStatus, request_persistence, storage_status};

#[component]
pub fn StorageSection() -> impl IntoView {
    let state = use_app_state();
    let texts = move || state.texts();
    // Re-read after every change (usage grows) and after asking for persistence.
    let asked = RwSignal::new(0u32);
    let status = LocalResource::new(move || {
        state.revision.track();
        asked.track();
        storage_status()
    });
    let denied = RwSignal::new(false);
    let ask = move |_| {
        leptos::task::spawn_local(async move {
            let granted = request_persistence().await;
            denied.set(granted != Some(true));
            asked.update(|n| *n += 1);
        });
    };
    let persistence = move || {
        let status: StorageStatus = status.get().unwrap_or_default();
        let t = texts();
        match status.persisted {
            Some(true) => view! { <p class="status-ok" data-testid="persistence">{t.persisted_yes}</p> }.into_any(),
            persisted => view! {
                <p class="status-warn" data-testid="persistence">
                    {if persisted == Some(false) { t.persisted_no } else { t.persisted_unknown }}
                </p>
                <button type="button" class="button" on:click=ask>{t.persist_button}</button>
                <Show when=move || denied.get()>
                    <p class="hint" role="status">{tr(|t| t.persist_denied)}</p>
                </Show>
            }
            .into_any(),
        }
    };
    let offline = RwSignal::new(None);
    // Asked again every second while the files are being kept, so the line turns ready by itself.
    watch_offline_start(move |now| offline.try_set(Some(now)).is_none());
    let offline_line = move || {
        let t = texts();
        let (class, text) = match offline.get()? {
            OfflineStart::Ready => ("status-ok", t.offline_start_ready),
            OfflineStart::Preparing => ("hint", t.offline_start_preparing),
            OfflineStart::Unavailable => ("status-warn", t.offline_start_unavailable),
            OfflineStart::Failed => ("status-warn", t.offline_start_failed),
        };
        Some(view! { <p class=class data-testid="offline-start" role="status">{text}</p> })
    };
    let usage = move || {
        let lang = state.lang.get();
        let status = status.get().unwrap_or_default();
        match (status.usage_bytes, status.quota_bytes) {
            (Some(used), Some(quota)) => (texts().usage)(&format::bytes(lang, used), &format::bytes(lang, quota)),
            _ => texts().usage_unknown.to_owned(),
        }
    };
    let contents = move || {
        let lang = state.lang.get();
        state.with_workspace(|ws| {
            (texts().contents)(
                &format::count(lang, ws.ticket_count()),
                &format::count(lang, ws.customers().count()),
                &format::count(lang, ws.agents().count()),
            )
        })
    };
    let notices = move || {
        let session = state.session()?;
        let report = &session.report;
        let t = texts();
        let mut lines = Vec::new();
        if report.rebuilt_snapshots {
            lines.push(t.open_rebuilt.to_owned());
        }
        if !report.unreadable_op_logs.is_empty() {
            lines.push((t.open_unreadable)(report.unreadable_op_logs.len()));
        }
        if report.interrupted_import.is_some() {
            lines.push(t.open_interrupted_import.to_owned());
        }
        Some(lines.into_iter().map(|line| view! { <p class="status-warn">{line}</p> }).collect_view())
    };
    view! {
        <section class="card" aria-labelledby="storage-heading">
            <h2 id="storage-heading">{tr(|t| t.storage_heading)}</h2>
            <p>{tr(|t| t.storage_intro)}</p>
            {persistence}
            {offline_line}
            <p data-testid="usage">{usage}</p>
            <p data-testid="contents">{contents}</p>
            <p>{move || if state.leader.get() { texts().leader_yes } else { texts().leader_no }}</p>
            {notices}
        </section>
    }
}
