//! One module per page of the app.

mod customers;
pub mod inbox;
mod knowledge_base;
mod new_ticket;
mod not_found;
mod reports;
pub mod search;
pub mod settings;
mod setup;
mod ticket;

pub use customers::{CustomerPage, CustomersPage};
pub use inbox::InboxPage;
pub use knowledge_base::KnowledgeBasePage;
pub use new_ticket::NewTicketPage;
pub use not_found::NotFoundPage;
pub use reports::ReportsPage;
pub use search::SearchPage;
pub use settings::SettingsPage;
pub use setup::{ChooseAgentPage, SetupPage};
pub use ticket::TicketPage;
