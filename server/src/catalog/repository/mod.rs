//! The gateway's storage: one [`Repository`] trait, two real backends (SQLite embedded by
//! default, PostgreSQL for larger deployments). `tests/conformance.rs` runs one suite against
//! both, so they cannot drift.
//!
//! Invariants: a publish is one transaction and fails (changing nothing) if another publish
//! landed first; a delta is read in one transaction, so it matches the head it reports.

use std::collections::HashMap;
use std::future::Future;

use axum::body::Bytes;

pub mod postgres;
pub mod sqlite;

pub use postgres::PostgresRepo;
pub use sqlite::SqliteRepo;

pub use crate::platform::storage::RepoError;
use crate::platform::storage::{Database, Dual, dual};

/// The newest published version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub version: i64,
    pub data_date: String,
    pub published_at: i64,
    /// Deltas can be computed only from cursors at or after this version.
    pub delta_floor: i64,
}

/// What a published version changed, for operators (`civic-gateway versions`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionInfo {
    pub version: i64,
    pub data_date: String,
    pub published_at: i64,
    pub added: i64,
    pub changed: i64,
    pub removed: i64,
    /// The operator confirmed that this version may withdraw many procedures at once.
    pub withdrawals_confirmed: bool,
}

/// A full snapshot, compressed both ways once, at publish time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSnapshot {
    pub version: i64,
    pub json_len: i64,
    pub gzip: Bytes,
    pub br: Bytes,
}

/// One record as it changed after a cursor: `record` is `None` when it was withdrawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordChange {
    pub code: String,
    pub record: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delta {
    pub head: Head,
    pub changes: Vec<RecordChange>,
    /// A version after the cursor had its withdrawals confirmed by the operator.
    pub withdrawals_confirmed: bool,
}

/// A record to store: its JSON and the digest that detects its next change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRecord {
    pub code: String,
    pub json: String,
    pub digest: String,
}

/// Everything one publish writes, computed before the transaction starts.
#[derive(Debug, Clone)]
pub struct PublishPlan {
    /// The head the plan was computed against (0: an empty catalog).
    pub base_version: i64,
    pub version: VersionInfo,
    pub upserts: Vec<StoredRecord>,
    pub deletes: Vec<String>,
    pub snapshot: StoredSnapshot,
    pub delta_floor: i64,
}

/// The gateway's catalog storage. Every method is one transaction.
pub trait Repository: Clone + Send + Sync + 'static {
    /// Identifies this database: a cursor from another database (or one reset since) must
    /// not be mistaken for one of ours.
    fn epoch(&self) -> &str;

    fn head(&self) -> impl Future<Output = Result<Option<Head>, RepoError>> + Send;

    /// The stored snapshot of `version`, if it is still kept (only the head's is).
    fn snapshot(
        &self,
        version: i64,
    ) -> impl Future<Output = Result<Option<StoredSnapshot>, RepoError>> + Send;

    /// Changes after `since` up to the head, or `None` when there is no head or `since` is
    /// older than the head's delta floor.
    fn delta(&self, since: i64) -> impl Future<Output = Result<Option<Delta>, RepoError>> + Send;

    /// Digest of every live (not withdrawn) record, by code.
    fn digests(&self) -> impl Future<Output = Result<HashMap<String, String>, RepoError>> + Send;

    fn publish(&self, plan: PublishPlan) -> impl Future<Output = Result<(), RepoError>> + Send;

    /// Every version, newest first.
    fn versions(&self) -> impl Future<Output = Result<Vec<VersionInfo>, RepoError>> + Send;
}

/// The catalog on the gateway's database: its SQLite file is the gateway's own.
pub type Backend = Dual<SqliteRepo, PostgresRepo>;

impl Backend {
    pub async fn open(database: &Database) -> Result<Self, RepoError> {
        database
            .open(
                None,
                |path| async move { SqliteRepo::open(&path).await },
                PostgresRepo::on,
            )
            .await
    }

    /// [`Database::connect`], then the catalog on it.
    pub async fn connect(database: &str) -> Result<Self, RepoError> {
        Self::open(&Database::connect(database).await?).await
    }

    /// The database this catalog is on, for the other features to open theirs.
    pub fn database(&self) -> Database {
        match self {
            Self::Sqlite(repo) => Database::Sqlite(repo.path().to_path_buf()),
            Self::Postgres(repo) => Database::Postgres(repo.pool().clone()),
        }
    }
}

impl Repository for Backend {
    fn epoch(&self) -> &str {
        dual!(self, r => r.epoch())
    }
    async fn head(&self) -> Result<Option<Head>, RepoError> {
        dual!(self, r => r.head().await)
    }
    async fn snapshot(&self, version: i64) -> Result<Option<StoredSnapshot>, RepoError> {
        dual!(self, r => r.snapshot(version).await)
    }
    async fn delta(&self, since: i64) -> Result<Option<Delta>, RepoError> {
        dual!(self, r => r.delta(since).await)
    }
    async fn digests(&self) -> Result<HashMap<String, String>, RepoError> {
        dual!(self, r => r.digests().await)
    }
    async fn publish(&self, plan: PublishPlan) -> Result<(), RepoError> {
        dual!(self, r => r.publish(plan).await)
    }
    async fn versions(&self) -> Result<Vec<VersionInfo>, RepoError> {
        dual!(self, r => r.versions().await)
    }
}
