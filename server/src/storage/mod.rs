//! What every feature's repository shares: the storage error, SQLite's one writer and
//! pooled readers ([`sqlite::SqliteDb`]), and PostgreSQL's pool with per-feature schema steps
//! ([`postgres::connect`]). Each feature keeps its own tables, migrations and schema version,
//! so adding one never renumbers another's.

pub mod postgres;
pub mod sqlite;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RepoError {
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    SqliteOpen(#[from] civic_db::OpenError),
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    #[error("PostgreSQL connection pool: {0}")]
    Pool(String),
    #[error(
        "another catalog version was published meanwhile (expected head {expected}, found {found}); publish again"
    )]
    Conflict { expected: i64, found: i64 },
    #[error(
        "the gateway database was written by a newer gateway (schema {found}, this one knows up to {supported})"
    )]
    NewerSchema { found: i64, supported: i64 },
    #[error("a database task stopped unexpectedly: {0}")]
    Task(String),
}

/// A fresh random identifier: `bytes` random bytes as hex.
pub(crate) fn random_hex(bytes: usize) -> Result<String, RepoError> {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).map_err(|e| RepoError::Task(format!("no randomness: {e}")))?;
    Ok(crate::hex(&buffer))
}
