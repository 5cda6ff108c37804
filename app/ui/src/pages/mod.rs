mod home;
mod procedure;
mod search;

pub use home::{Home, StatusBanner};
pub use procedure::ProcedurePage;
pub use search::Search;
