//! The PostgreSQL backend (`--database postgres://…`), through a deadpool connection pool.

use std::collections::HashMap;

use axum::body::Bytes;
use deadpool_postgres::{GenericClient, Pool};
use tokio_postgres::IsolationLevel;

use crate::platform::storage::postgres::{self as storage, pool_error};

use super::{
    Delta, Head, PublishPlan, RecordChange, RepoError, Repository, StoredSnapshot, VersionInfo,
};

/// Schema steps; step `i` upgrades schema version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("../sql/postgres_001.sql"),
    include_str!("../sql/postgres_002.sql"),
];

#[derive(Debug, Clone)]
pub struct PostgresRepo {
    pool: Pool,
    epoch: String,
}

impl PostgresRepo {
    /// The catalog's tables in `pool`'s database, brought up to date.
    pub async fn on(pool: Pool) -> Result<Self, RepoError> {
        storage::migrate(&pool, "gateway_schema", MIGRATIONS).await?;
        let client = pool.get().await.map_err(pool_error)?;
        client
            .execute(
                "INSERT INTO gateway_meta (key, value) VALUES ('epoch', $1) ON CONFLICT (key) DO NOTHING",
                &[&crate::platform::storage::random_hex(8)?],
            )
            .await?;
        let epoch: String = client
            .query_one("SELECT value FROM gateway_meta WHERE key = 'epoch'", &[])
            .await?
            .get(0);
        drop(client);
        Ok(Self { pool, epoch })
    }

    /// The connection pool, shared with the other features' repositories.
    pub fn pool(&self) -> &Pool {
        &self.pool
    }
}

async fn head(client: &impl GenericClient) -> Result<Option<Head>, RepoError> {
    Ok(client
        .query_opt(
            "SELECT version, data_date, published_at, delta_floor FROM catalog_versions ORDER BY version DESC LIMIT 1",
            &[],
        )
        .await?
        .map(|r| Head {
            version: r.get(0),
            data_date: r.get(1),
            published_at: r.get(2),
            delta_floor: r.get(3),
        }))
}

impl Repository for PostgresRepo {
    fn epoch(&self) -> &str {
        &self.epoch
    }

    async fn head(&self) -> Result<Option<Head>, RepoError> {
        let client = self.pool.get().await.map_err(pool_error)?;
        head(&client).await
    }

    async fn snapshot(&self, version: i64) -> Result<Option<StoredSnapshot>, RepoError> {
        let client = self.pool.get().await.map_err(pool_error)?;
        Ok(client
            .query_opt(
                "SELECT json_len, gzip, br FROM catalog_snapshots WHERE version = $1",
                &[&version],
            )
            .await?
            .map(|r| StoredSnapshot {
                version,
                json_len: r.get(0),
                gzip: Bytes::from(r.get::<_, Vec<u8>>(1)),
                br: Bytes::from(r.get::<_, Vec<u8>>(2)),
            }))
    }

    async fn delta(&self, since: i64) -> Result<Option<Delta>, RepoError> {
        let mut client = self.pool.get().await.map_err(pool_error)?;
        // One snapshot for the head and the changes, so they agree.
        let tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .await?;
        let Some(head) = head(&tx).await? else {
            return Ok(None);
        };
        if since < head.delta_floor || since > head.version {
            return Ok(None);
        }
        let changes = tx
            .query(
                "SELECT code, record FROM catalog_records WHERE version > $1 ORDER BY code",
                &[&since],
            )
            .await?
            .into_iter()
            .map(|r| RecordChange {
                code: r.get(0),
                record: r.get(1),
            })
            .collect();
        let withdrawals_confirmed = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM catalog_versions WHERE version > $1 AND withdrawals_confirmed)",
                &[&since],
            )
            .await?
            .get(0);
        tx.commit().await?;
        Ok(Some(Delta {
            head,
            changes,
            withdrawals_confirmed,
        }))
    }

    async fn digests(&self) -> Result<HashMap<String, String>, RepoError> {
        let client = self.pool.get().await.map_err(pool_error)?;
        Ok(client
            .query(
                "SELECT code, digest FROM catalog_records WHERE record IS NOT NULL",
                &[],
            )
            .await?
            .into_iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect())
    }

    async fn publish(&self, plan: PublishPlan) -> Result<(), RepoError> {
        let mut client = self.pool.get().await.map_err(pool_error)?;
        let tx = client.transaction().await?;
        // Publishes queue behind each other; readers are never blocked.
        tx.execute("LOCK TABLE catalog_versions IN EXCLUSIVE MODE", &[])
            .await?;
        let found = head(&tx).await?.map_or(0, |h| h.version);
        if found != plan.base_version {
            return Err(RepoError::Conflict {
                expected: plan.base_version,
                found,
            });
        }
        let v = &plan.version;
        tx.execute(
            "INSERT INTO catalog_versions (version, data_date, published_at, added, changed, removed, delta_floor, withdrawals_confirmed)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[&v.version, &v.data_date, &v.published_at, &v.added, &v.changed, &v.removed, &plan.delta_floor, &v.withdrawals_confirmed],
        )
        .await?;
        let upsert = tx
            .prepare(
                "INSERT INTO catalog_records (code, record, digest, version) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (code) DO UPDATE SET record = excluded.record, digest = excluded.digest, version = excluded.version",
            )
            .await?;
        for record in &plan.upserts {
            tx.execute(
                &upsert,
                &[&record.code, &record.json, &record.digest, &v.version],
            )
            .await?;
        }
        let delete = tx
            .prepare("UPDATE catalog_records SET record = NULL, digest = '', version = $2 WHERE code = $1")
            .await?;
        for code in &plan.deletes {
            tx.execute(&delete, &[code, &v.version]).await?;
        }
        tx.execute(
            "DELETE FROM catalog_records WHERE record IS NULL AND version < $1",
            &[&plan.delta_floor],
        )
        .await?;
        tx.execute("DELETE FROM catalog_snapshots", &[]).await?;
        let s = &plan.snapshot;
        tx.execute(
            "INSERT INTO catalog_snapshots (version, json_len, gzip, br) VALUES ($1, $2, $3, $4)",
            &[&s.version, &s.json_len, &s.gzip.as_ref(), &s.br.as_ref()],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn versions(&self) -> Result<Vec<VersionInfo>, RepoError> {
        let client = self.pool.get().await.map_err(pool_error)?;
        Ok(client
            .query(
                "SELECT version, data_date, published_at, added, changed, removed, withdrawals_confirmed FROM catalog_versions ORDER BY version DESC",
                &[],
            )
            .await?
            .into_iter()
            .map(|r| VersionInfo {
                version: r.get(0),
                data_date: r.get(1),
                published_at: r.get(2),
                added: r.get(3),
                changed: r.get(4),
                removed: r.get(5),
                withdrawals_confirmed: r.get(6),
            })
            .collect())
    }
}
