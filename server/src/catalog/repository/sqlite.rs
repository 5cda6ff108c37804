//! The embedded backend: one SQLite file, WAL, one writer connection and a pool of readers.
//! rusqlite is blocking, so every call runs on tokio's blocking pool.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use axum::body::Bytes;
use civic_db::Migrations;
use rusqlite::{OptionalExtension, Transaction, params};

use crate::platform::storage::sqlite::SqliteDb;

use super::{
    Delta, Head, PublishPlan, RecordChange, RepoError, Repository, StoredSnapshot, VersionInfo,
};

const MIGRATIONS: Migrations = Migrations(&[
    include_str!("../sql/sqlite_001.sql"),
    include_str!("../sql/sqlite_002.sql"),
]);

#[derive(Debug, Clone)]
pub struct SqliteRepo {
    db: SqliteDb,
    epoch: Arc<str>,
}

impl SqliteRepo {
    /// Opens (creating and migrating if needed) the gateway database at `path`.
    pub async fn open(path: &Path) -> Result<Self, RepoError> {
        let db = SqliteDb::open(path, MIGRATIONS).await?;
        let epoch: String = db
            .write(|tx| {
                tx.execute(
                    "INSERT OR IGNORE INTO gateway_meta (key, value) VALUES ('epoch', ?1)",
                    [crate::platform::storage::random_hex(8)?],
                )?;
                Ok(tx.query_row(
                    "SELECT value FROM gateway_meta WHERE key = 'epoch'",
                    [],
                    |r| r.get(0),
                )?)
            })
            .await?;
        Ok(Self {
            db,
            epoch: epoch.into(),
        })
    }

    /// The database file; other features keep theirs beside it.
    pub fn path(&self) -> &Path {
        self.db.path()
    }

    async fn read<T, F>(&self, f: F) -> Result<T, RepoError>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> Result<T, RepoError> + Send + 'static,
    {
        self.db.read(f).await
    }

    async fn write<T, F>(&self, f: F) -> Result<T, RepoError>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> Result<T, RepoError> + Send + 'static,
    {
        self.db.write(f).await
    }
}

fn head(tx: &Transaction<'_>) -> Result<Option<Head>, RepoError> {
    Ok(tx
        .query_row(
            "SELECT version, data_date, published_at, delta_floor FROM catalog_versions ORDER BY version DESC LIMIT 1",
            [],
            |r| {
                Ok(Head {
                    version: r.get(0)?,
                    data_date: r.get(1)?,
                    published_at: r.get(2)?,
                    delta_floor: r.get(3)?,
                })
            },
        )
        .optional()?)
}

impl Repository for SqliteRepo {
    fn epoch(&self) -> &str {
        &self.epoch
    }

    async fn head(&self) -> Result<Option<Head>, RepoError> {
        self.read(head).await
    }

    async fn snapshot(&self, version: i64) -> Result<Option<StoredSnapshot>, RepoError> {
        self.read(move |tx| {
            Ok(tx
                .query_row(
                    "SELECT json_len, gzip, br FROM catalog_snapshots WHERE version = ?1",
                    [version],
                    |r| {
                        Ok(StoredSnapshot {
                            version,
                            json_len: r.get(0)?,
                            gzip: Bytes::from(r.get::<_, Vec<u8>>(1)?),
                            br: Bytes::from(r.get::<_, Vec<u8>>(2)?),
                        })
                    },
                )
                .optional()?)
        })
        .await
    }

    async fn delta(&self, since: i64) -> Result<Option<Delta>, RepoError> {
        self.read(move |tx| {
            let Some(head) = head(tx)? else {
                return Ok(None);
            };
            if since < head.delta_floor || since > head.version {
                return Ok(None);
            }
            let mut stmt = tx.prepare(
                "SELECT code, record FROM catalog_records WHERE version > ?1 ORDER BY code",
            )?;
            let changes = stmt
                .query_map([since], |r| {
                    Ok(RecordChange {
                        code: r.get(0)?,
                        record: r.get(1)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            let withdrawals_confirmed = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM catalog_versions WHERE version > ?1 AND withdrawals_confirmed)",
                [since],
                |r| r.get(0),
            )?;
            Ok(Some(Delta {
                head,
                changes,
                withdrawals_confirmed,
            }))
        })
        .await
    }

    async fn digests(&self) -> Result<HashMap<String, String>, RepoError> {
        self.read(|tx| {
            let mut stmt =
                tx.prepare("SELECT code, digest FROM catalog_records WHERE record IS NOT NULL")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<Result<HashMap<_, _>, _>>()?)
        })
        .await
    }

    async fn publish(&self, plan: PublishPlan) -> Result<(), RepoError> {
        self.write(move |tx| {
            let found = head(tx)?.map_or(0, |h| h.version);
            if found != plan.base_version {
                return Err(RepoError::Conflict {
                    expected: plan.base_version,
                    found,
                });
            }
            let v = &plan.version;
            tx.execute(
                "INSERT INTO catalog_versions (version, data_date, published_at, added, changed, removed, delta_floor, withdrawals_confirmed)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![v.version, v.data_date, v.published_at, v.added, v.changed, v.removed, plan.delta_floor, v.withdrawals_confirmed],
            )?;
            let mut upsert = tx.prepare(
                "INSERT INTO catalog_records (code, record, digest, version) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (code) DO UPDATE SET record = excluded.record, digest = excluded.digest, version = excluded.version",
            )?;
            for record in &plan.upserts {
                upsert.execute(params![record.code, record.json, record.digest, v.version])?;
            }
            let mut delete = tx.prepare(
                "UPDATE catalog_records SET record = NULL, digest = '', version = ?2 WHERE code = ?1",
            )?;
            for code in &plan.deletes {
                delete.execute(params![code, v.version])?;
            }
            tx.execute(
                "DELETE FROM catalog_records WHERE record IS NULL AND version < ?1",
                [plan.delta_floor],
            )?;
            tx.execute("DELETE FROM catalog_snapshots", [])?;
            let s = &plan.snapshot;
            tx.execute(
                "INSERT INTO catalog_snapshots (version, json_len, gzip, br) VALUES (?1, ?2, ?3, ?4)",
                params![s.version, s.json_len, s.gzip.as_ref(), s.br.as_ref()],
            )?;
            Ok(())
        })
        .await
    }

    async fn versions(&self) -> Result<Vec<VersionInfo>, RepoError> {
        self.read(|tx| {
            let mut stmt = tx.prepare(
                "SELECT version, data_date, published_at, added, changed, removed, withdrawals_confirmed FROM catalog_versions ORDER BY version DESC",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(VersionInfo {
                    version: r.get(0)?,
                    data_date: r.get(1)?,
                    published_at: r.get(2)?,
                    added: r.get(3)?,
                    changed: r.get(4)?,
                    removed: r.get(5)?,
                    withdrawals_confirmed: r.get(6)?,
                })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }
}
