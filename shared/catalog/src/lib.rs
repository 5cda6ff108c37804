//! `civic-catalog`: the procedure catalog component. Import, the bundled snapshot, the
//! offline store and search, and the catalog's part in each sync round.
//!
//! Shape (as every component): errors in `store`, schema in `sql/`, `store` for reads and
//! writes (writes take a `&Transaction`), `search` for queries, `sync` (checkpoint, fetch,
//! apply), `component` (the store behind its lock, the flows front ends call).

#[cfg(feature = "app")]
mod component;
mod error;
pub mod import;
pub mod lexicon;
mod search;
pub mod snapshot;
mod store;
#[cfg(feature = "app")]
mod sync;

#[cfg(feature = "app")]
pub use component::Catalog;
pub use error::CatalogError;
pub use search::GOOD_COVERAGE;
pub use snapshot::{Snapshot, SnapshotError};
pub use store::PORTAL_PROCEDURE_URL;
pub use store::{CatalogStore, Opened};
#[cfg(feature = "app")]
pub use sync::{Checkpoint, Fetched, LegacyCity, fetch};

use civic_db::Migrations;

pub(crate) const MIGRATIONS: Migrations = Migrations(&[
    include_str!("sql/001_catalog.sql"),
    include_str!("sql/002_portal_url.sql"),
    include_str!("sql/003_search_text.sql"),
]);
