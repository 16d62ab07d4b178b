//! helpdesk: the browser app. A thin Leptos layer over helpdesk-core.
//!
//! `App` (in [`app`]) holds the shell and the router; one module per page lives under `pages/`;
//! shared pieces of UI under `components/`; the interface strings in [`i18n`]; the application
//! state in [`state`]. Ticket logic does not live here: it is in helpdesk-core, which this crate
//! drives and renders.

pub mod app;
pub mod components;
pub mod format;
pub mod i18n;
pub mod options;
pub mod pages;
pub mod platform;
pub mod search;
pub mod session;
pub mod state;
pub mod store;

pub use app::App;
