//! `civic-payment`: how Civic takes a payment, the same for every feature that charges
//! (parking sessions today, dossier fees next). Platform, owned by no feature.
//!
//! - `vietqr`: the transfer a resident's bank app scans (payload, and with `render` its QR
//!   code as PNG or SVG);
//! - `reference`: short references carried in a transfer's note and found again in it,
//!   however the bank rewrote the note;
//! - `notice`: bank notices signed by the city's connector (HMAC-SHA256 over timestamp and
//!   body), checked with a window against replays.
//!
//! Pure: no IO, so the gateway and the app link the same rules.

mod error;
pub mod notice;
pub mod reference;
pub mod vietqr;

pub use error::PaymentError;
pub use reference::References;
pub use vietqr::Transfer;
