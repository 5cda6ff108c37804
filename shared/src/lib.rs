//! `civic-core`: everything the Civic front ends share.
//!
//! Layers (see ARCHITECTURE.md): `text` is pure; `catalog` owns its SQLite schema and is the
//! only module here that does IO. Front ends (Tauri host, CLI) call [`CatalogStore`] and
//! exchange [`civic_types`] values; nothing here knows about IPC or terminals.

pub mod auth;
pub mod catalog;
pub mod db;
pub mod paths;
pub mod qr;
pub mod sync;
pub mod text;
pub mod time;

pub use catalog::{CatalogError, CatalogStore, Opened, Snapshot};
pub use civic_types as types;
