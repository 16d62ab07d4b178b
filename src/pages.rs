//! One module per page of the app.

mod customers;
mod inbox;
mod knowledge_base;
mod not_found;
mod reports;
mod settings;

pub use customers::CustomersPage;
pub use inbox::InboxPage;
pub use knowledge_base::KnowledgeBasePage;
pub use not_found::NotFoundPage;
pub use reports::ReportsPage;
pub use settings::SettingsPage;
