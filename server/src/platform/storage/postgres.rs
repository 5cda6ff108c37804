//! PostgreSQL through one deadpool connection pool shared by every feature; each feature
//! upgrades its own tables with its own schema steps and version row.

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::NoTls;

use super::RepoError;

/// Serialises schema upgrades between gateways starting at once (any constant works).
const MIGRATION_LOCK: i64 = 0x0C1C_0001;

pub(crate) fn pool_error(e: impl std::fmt::Display) -> RepoError {
    RepoError::Pool(e.to_string())
}

pub async fn pool(url: &str) -> Result<Pool, RepoError> {
    let config: tokio_postgres::Config = url.parse()?;
    let manager = Manager::from_config(
        config,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(16)
        .build()
        .map_err(pool_error)
}

/// Brings one feature's tables up to date in one transaction: step `i` of `steps` upgrades
/// schema version `i` to `i + 1`, recorded in the one-row table `version_table`. A database
/// from a newer gateway is refused.
pub async fn migrate(pool: &Pool, version_table: &str, steps: &[&str]) -> Result<(), RepoError> {
    let mut client = pool.get().await.map_err(pool_error)?;
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute(&format!(
        "CREATE TABLE IF NOT EXISTS {version_table} (version BIGINT NOT NULL)"
    ))
    .await?;
    let found: i64 = match tx
        .query_opt(&format!("SELECT version FROM {version_table}"), &[])
        .await?
    {
        Some(row) => row.get(0),
        None => {
            tx.execute(
                &format!("INSERT INTO {version_table} (version) VALUES (0)"),
                &[],
            )
            .await?;
            0
        }
    };
    let supported = i64::try_from(steps.len()).unwrap_or(i64::MAX);
    if found > supported {
        return Err(RepoError::NewerSchema { found, supported });
    }
    for step in steps.iter().skip(usize::try_from(found).unwrap_or(0)) {
        tx.batch_execute(step).await?;
    }
    tx.execute(
        &format!("UPDATE {version_table} SET version = $1"),
        &[&supported],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
