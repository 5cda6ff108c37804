//! `civic-parking`: parking without an attendant's notebook. `tariff` reads a city's
//! tariff (data: per turn or per hour, day and night, holidays, tiers, overnight caps) and
//! computes a stay's fee part by part; `plate` reads Vietnamese plates as people write
//! them; `config` checks a city's zones and the sessions parked in them (each paid by a
//! VietQR transfer from the `civic-payment` platform); `near` finds car parks near a point;
//! `reference` makes session ids and their payment references; with the `app` feature, `store` and `component` keep car parks and sessions on
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

/// The payment platform's transfer, which parking's payment codes are.
pub use civic_payment::Transfer;
#[cfg(feature = "app")]
pub use component::{PARKING_FILE, Parking, ParkingFlowError};
pub use config::{CheckedConfig, CheckedSession};
pub use error::ParkingError;
pub use plate::Plate;
#[cfg(feature = "app")]
pub use store::ParkingStore;
pub use tariff::CheckedTariff;
