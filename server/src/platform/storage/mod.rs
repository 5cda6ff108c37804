//! What every feature's repository shares: the one database choice ([`Database`]), the
//! dispatch from a feature's repository trait to whichever backend that is ([`Dual`],
//! [`dual!`]), the storage error, SQLite's one writer and pooled readers
//! ([`sqlite::SqliteDb`]), and PostgreSQL's pool with per-feature schema steps
//! ([`postgres::migrate`]). Each feature keeps its own tables, migrations and schema
//! version, so adding one never renumbers another's.

pub mod postgres;
pub mod sqlite;

use std::future::Future;
use std::path::{Path, PathBuf};

use deadpool_postgres::Pool;

/// The database a gateway runs on (`--database`), chosen once for every feature.
#[derive(Debug, Clone)]
pub enum Database {
    /// The gateway's SQLite file; each feature but the catalog keeps a file of its own
    /// beside it (`<name>.<feature>.sqlite3`), so features migrate independently.
    Sqlite(PathBuf),
    /// One server and one connection pool; each feature has its own tables in it.
    Postgres(Pool),
}

impl Database {
    /// `postgres://…` or `postgresql://…` selects PostgreSQL; anything else is a SQLite path
    /// (`sqlite://` prefix optional).
    pub async fn connect(database: &str) -> Result<Self, RepoError> {
        if database.starts_with("postgres://") || database.starts_with("postgresql://") {
            Ok(Self::Postgres(postgres::pool(database).await?))
        } else {
            let path = database.strip_prefix("sqlite://").unwrap_or(database);
            Ok(Self::Sqlite(PathBuf::from(path)))
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }

    /// A feature's repository on this database: `sqlite` opens the feature's file (the
    /// gateway's own when `feature` is `None`), `postgres` migrates its tables in the pool.
    pub async fn open<S, P, SF, PF>(
        &self,
        feature: Option<&str>,
        sqlite: impl FnOnce(PathBuf) -> SF,
        postgres: impl FnOnce(Pool) -> PF,
    ) -> Result<Dual<S, P>, RepoError>
    where
        SF: Future<Output = Result<S, RepoError>>,
        PF: Future<Output = Result<P, RepoError>>,
    {
        Ok(match self {
            Self::Sqlite(path) => Dual::Sqlite(sqlite(feature_file(path, feature)).await?),
            Self::Postgres(pool) => Dual::Postgres(postgres(pool.clone()).await?),
        })
    }
}

fn feature_file(path: &Path, feature: Option<&str>) -> PathBuf {
    match feature {
        Some(feature) => path.with_extension(format!("{feature}.sqlite3")),
        None => path.to_path_buf(),
    }
}

/// A feature's repository on whichever backend the gateway runs, so the HTTP layer is not
/// generic: one enum for every feature, each implementing its repository trait for its
/// `Dual` through [`dual!`].
#[derive(Debug, Clone)]
pub enum Dual<S, P> {
    Sqlite(S),
    Postgres(P),
}

impl<S, P> Dual<S, P> {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }
}

/// Calls the same method on whichever backend a [`Dual`] holds.
macro_rules! dual {
    ($self:ident, $repo:ident => $call:expr) => {
        match $self {
            $crate::platform::storage::Dual::Sqlite($repo) => $call,
            $crate::platform::storage::Dual::Postgres($repo) => $call,
        }
    };
}
pub(crate) use dual;

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
    Ok(crate::platform::hex(&buffer))
}
