//! `civic-parking`: parking without an attendant's notebook. `tariff` reads a city's
//! tariff (data: per turn or per hour, day and night, holidays, tiers, overnight caps) and
//! computes a stay's fee part by part; `plate` reads Vietnamese plates as people write
//! them; `vietqr` builds the bank-transfer QR code (EMVCo merchant-presented, NAPAS 247)
//! residents pay with, and draws it; `config` checks a city's zones and the sessions
//! parked in them; `near` finds car parks near a point; `reference` makes session ids and finds their references in transfer
//! notes; with the `app` feature, `store` and `component` keep car parks and sessions on
//! the device and sync them with the city's gateway.

#[cfg(feature = "app")]
pub mod component;
pub mod config;
mod error;
pub mod near;
pub mod plate;
pub mod reference;
#[cfg(feature = "app")]
pub mod store;
pub mod tariff;
pub mod vietqr;

#[cfg(feature = "app")]
pub use component::{PARKING_FILE, Parking, ParkingFlowError};
pub use config::{CheckedConfig, CheckedSession};
pub use error::ParkingError;
pub use plate::Plate;
#[cfg(feature = "app")]
pub use store::ParkingStore;
pub use tariff::CheckedTariff;
pub use vietqr::Transfer;
