//! Credentials in the gateway's PostgreSQL database: their own table and schema version,
//! the shared pool.

use deadpool_postgres::Pool;

use super::{CredentialKind, Credentials};
use crate::platform::storage::RepoError;
use crate::platform::storage::postgres::{self as storage, pool_error};

const MIGRATIONS: &[&str] = &[include_str!("sql/postgres_001.sql")];

#[derive(Debug, Clone)]
pub struct PostgresCredentials {
    pool: Pool,
}

impl PostgresCredentials {
    pub async fn connect(pool: Pool) -> Result<Self, RepoError> {
        storage::migrate(&pool, "credentials_schema", MIGRATIONS).await?;
        Ok(Self { pool })
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, RepoError> {
        self.pool.get().await.map_err(pool_error)
    }
}

impl Credentials for PostgresCredentials {
    async fn add(
        &self,
        kind: CredentialKind,
        name: String,
        digest: String,
        at: i64,
    ) -> Result<(), RepoError> {
        self.client()
            .await?
            .execute(
                "INSERT INTO gateway_credentials (digest, kind, name, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (digest) DO NOTHING",
                &[&digest, &kind.0, &name, &at],
            )
            .await?;
        Ok(())
    }

    async fn holder_of(
        &self,
        kind: CredentialKind,
        digest: String,
    ) -> Result<Option<String>, RepoError> {
        Ok(self
            .client()
            .await?
            .query_opt(
                "SELECT name FROM gateway_credentials WHERE digest = $1 AND kind = $2 AND revoked_at IS NULL",
                &[&digest, &kind.0],
            )
            .await?
            .map(|r| r.get(0)))
    }

    async fn revoke(&self, kind: CredentialKind, name: String, at: i64) -> Result<u64, RepoError> {
        Ok(self
            .client()
            .await?
            .execute(
                "UPDATE gateway_credentials SET revoked_at = $3 WHERE kind = $1 AND name = $2 AND revoked_at IS NULL",
                &[&kind.0, &name, &at],
            )
            .await?)
    }
}
