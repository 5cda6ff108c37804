//! Why the catalog on this device could not be used.

use civic_db::OpenError;

use crate::SnapshotError;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogError {
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error(transparent)]
    Snapshot(#[from] SnapshotError),
    #[error("catalog database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("a stored procedure record is damaged: {0}")]
    Record(#[from] serde_json::Error),
}

impl CatalogError {
    /// Whatever went wrong, the data on this device could not be used.
    pub fn code(&self) -> civic_types::error::ErrorCode {
        civic_types::error::ErrorCode::Storage
    }
}
