#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CityError {
    #[error(transparent)]
    Open(#[from] civic_db::OpenError),
    #[error("city profile database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the stored city profile is damaged: {0}")]
    Record(#[from] serde_json::Error),
}
