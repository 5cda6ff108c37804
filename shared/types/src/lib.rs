//! Plain data crossing every boundary of Civic: core ⇄ Tauri host ⇄ wasm UI ⇄ CLI JSON.
//!
//! Invariants: no IO, no dependencies beyond `serde`, builds for `wasm32-unknown-unknown`.
//! Every type here is a value: no handles, no behaviour beyond small pure helpers.

mod auth;
mod catalog;
pub mod error;
mod qr;
mod search;
mod status;
mod sync;

pub use auth::*;
pub use catalog::*;
pub use error::{ErrorCode, Failure};
pub use qr::*;
pub use search::*;
pub use status::*;
pub use sync::*;

/// Names of the Tauri commands, shared by the host (which registers them) and the UI
/// (which invokes them), so a rename cannot silently break the IPC boundary.
pub mod commands {
    pub const SEARCH: &str = "search_procedures";
    pub const PROCEDURE: &str = "get_procedure";
    pub const FACETS: &str = "catalog_facets";
    pub const STATUS: &str = "app_status";
    pub const SYNC_NOW: &str = "sync_now";
    pub const SCAN_IMAGE: &str = "scan_image";
    pub const MAKE_BOARD: &str = "make_board";
    pub const SESSION: &str = "session_state";
    pub const SIGN_IN: &str = "sign_in";
    pub const SIGN_OUT: &str = "sign_out";
}

/// Names of the events the host emits to the UI.
pub mod events {
    /// Payload: [`crate::SyncStatus`], on every change (progress included).
    pub const SYNC_STATUS: &str = "sync-status";
    /// Payload: [`crate::SessionState`], after sign-in, sign-out, renewal or expiry.
    pub const SESSION: &str = "session";
    /// Payload: a message (`{code, message}`) when a sign-in started from the app failed.
    pub const SIGN_IN_FAILED: &str = "sign-in-failed";
}
