//! The gateway's platform: what every feature stands on and no feature owns. Storage (the
//! one database choice, SQLite's writer and readers, PostgreSQL's pool and schema steps, the
//! dispatch to a feature's repository on either), HTTP answers and content codings,
//! credentials, clients and their rations. Platform modules import no feature; features
//! import the platform, never each other (`xtask/tests/tidy.rs` checks both).

pub mod admin;
pub mod client;
pub mod coding;
pub mod credentials;
pub mod http;
pub mod storage;
pub mod throttle;

/// Lowercase hex: record digests, ETags, database epochs.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
