//! The city feature of the gateway: `profile` (the operator's TOML file, checked by the
//! shared rules in `civic_city`) and `handlers` (`GET /v1/city`).

pub mod handlers;
pub mod profile;

pub use profile::{CityError, load};
