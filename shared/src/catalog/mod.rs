//! The procedure catalog: import, snapshot, offline store and search.
//!
//! Shape (as every component): `error` types in `store`, schema in `sql/`, `store` for
//! reads and writes (writes take a `&Transaction`), `search` for queries.

pub mod import;
pub mod lexicon;
mod name_index;
mod search;
pub mod snapshot;
mod store;
mod sync_state;

pub use search::QueryPlan;
pub use snapshot::{Snapshot, SnapshotError};
pub use store::{CatalogError, CatalogStore, Opened};
pub use sync_state::DEFAULT_MAX_AGE_HOURS;

use crate::db::Migrations;

pub(crate) const MIGRATIONS: Migrations = Migrations(&[
    include_str!("sql/001_catalog.sql"),
    include_str!("sql/002_portal_url.sql"),
]);
