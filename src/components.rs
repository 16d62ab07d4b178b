//! Pieces of interface shared by several pages.

mod badge;
mod highlight;
mod icon;
mod language_switch;
mod navigation;
pub mod notifications;
mod page;
pub mod search_box;
mod shortcuts;
mod sla_badge;
mod storage_banner;

pub use badge::{PriorityBadge, StatusBadge};
pub use highlight::Highlighted;
pub use icon::{Icon, IconName};
pub use language_switch::LanguageSwitch;
pub use navigation::Navigation;
pub use notifications::NotificationBell;
pub use page::{EmptyState, PageHeader};
pub use search_box::SearchBox;
pub use shortcuts::Shortcuts;
pub use sla_badge::{SlaBadge, metric_summary};
pub use storage_banner::StorageBanner;
