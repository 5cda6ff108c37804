mod account;
mod board;
pub mod bus;
pub mod feedback;
mod home;
pub mod parking;
mod procedure;
mod scan;
mod search;

pub use account::AccountPage;
pub use board::BoardMaker;
pub use home::{Home, NotFound, StatusBanner};
pub use procedure::ProcedurePage;
pub use scan::Scan;
pub use search::Search;
