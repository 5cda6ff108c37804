//! `civic-city`: the city profile component. The profile (trusted QR domains, board signing
//! keys, identity provider, features, time zone, sync policy) arrives from the city's
//! gateway, is kept in its own SQLite file with its own checkpoint, and every other
//! component reads it through [`City`].
//!
//! Shape: `error`, `store` (+ `sql/`; writes take a `&Transaction`), `component` (the flows:
//! reading the profile, its part in a sync round), `validate` (the profile's rules).

#[cfg(feature = "app")]
mod component;
mod error;
#[cfg(feature = "app")]
mod store;
mod validate;

#[cfg(feature = "app")]
pub use component::{City, DEFAULT_MAX_AGE_HOURS, DEFAULT_SYNC_INTERVAL};
pub use error::CityError;
#[cfg(feature = "app")]
pub use store::{CityStore, Held};
pub use validate::{issuer_problem, parse_public_key, problem};

/// The profile's file in the data directory.
pub const CITY_FILE: &str = "city.sqlite3";
