//! Plain data crossing every boundary of Civic: core ⇄ Tauri host ⇄ wasm UI ⇄ CLI JSON.
//!
//! Invariants: no IO, no dependencies beyond `serde`, builds for `wasm32-unknown-unknown`.
//! Every type here is a value: no handles, no behaviour beyond small pure helpers.
//!
//! One module per feature, each with the names of its Tauri commands (`commands`) and host
//! events (`events`), shared by the host (which registers them) and the UI (which invokes
//! them), so a rename cannot silently break the IPC boundary. Paths name their feature
//! (`civic_types::catalog::Procedure`): there are no glob re-exports.

pub mod auth;
pub mod bus;
pub mod catalog;
pub mod city;
pub mod error;
pub mod feedback;
pub mod geo;
pub mod parking;
pub mod qr;
pub mod search;
pub mod status;
pub mod sync;
