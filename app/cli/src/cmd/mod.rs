//! One module per feature, each with its subcommands and their `run`.

pub mod auth;
pub mod bus;
pub mod catalog;
pub mod feedback;
pub mod parking;
pub mod qr;
pub mod sync;
