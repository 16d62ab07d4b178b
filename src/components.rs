//! Pieces of interface shared by several pages.

mod icon;
mod language_switch;
mod navigation;
mod page;

pub use icon::{Icon, IconName};
pub use language_switch::LanguageSwitch;
pub use navigation::Navigation;
pub use page::{EmptyState, PageHeader};
