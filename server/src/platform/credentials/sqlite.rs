//! Credentials in their own SQLite file beside the gateway's.

use std::path::Path;

use civic_db::Migrations;
use rusqlite::{OptionalExtension, params};

use super::{CredentialKind, Credentials};
use crate::platform::storage::RepoError;
use crate::platform::storage::sqlite::SqliteDb;

const MIGRATIONS: Migrations = Migrations(&[include_str!("sql/sqlite_001.sql")]);

#[derive(Debug, Clone)]
pub struct SqliteCredentials {
    db: SqliteDb,
}

impl SqliteCredentials {
    /// Opens (creating if needed) the file at `path`. Credentials were kept in feedback's
    /// file (`<gateway>.feedback.sqlite3`) before the platform took them: a new, empty
    /// table takes that file's rows once, so every key and token issued before keeps
    /// working and every revocation stays.
    pub async fn open(path: &Path) -> Result<Self, RepoError> {
        let db = SqliteDb::open(path, MIGRATIONS).await?;
        // Only a table still empty can take them: later starts skip the second connection.
        let empty = db
            .read(|tx| {
                Ok(
                    tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM credentials)", [], |r| {
                        r.get::<_, bool>(0)
                    })?,
                )
            })
            .await?;
        let earlier = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".credentials.sqlite3"))
            .map(|stem| path.with_file_name(format!("{stem}.feedback.sqlite3")))
            .filter(|earlier| empty && earlier.is_file());
        if let Some(earlier) = earlier {
            let path = path.to_path_buf();
            tokio::task::spawn_blocking(move || take_earlier(&path, &earlier))
                .await
                .map_err(|e| RepoError::Task(e.to_string()))??;
        }
        Ok(Self { db })
    }
}

/// Copies `earlier`'s `feedback_credentials` into the table at `path` if it is still empty
/// (checked again inside the transaction: two gateways may start at once), in one
/// transaction (ATTACH must come before it).
fn take_earlier(path: &Path, earlier: &Path) -> Result<(), RepoError> {
    let mut conn = rusqlite::Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.execute(
        "ATTACH DATABASE ?1 AS earlier",
        [earlier.to_string_lossy().as_ref()],
    )?;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let empty: bool = tx.query_row(
        "SELECT NOT EXISTS (SELECT 1 FROM main.credentials)",
        [],
        |r| r.get(0),
    )?;
    let had_table: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM earlier.sqlite_master WHERE type = 'table' AND name = 'feedback_credentials')",
        [],
        |r| r.get(0),
    )?;
    if empty && had_table {
        tx.execute(
            "INSERT OR IGNORE INTO main.credentials (digest, kind, name, created_at, revoked_at) SELECT digest, kind, name, created_at, revoked_at FROM earlier.feedback_credentials",
            [],
        )?;
    }
    tx.commit()?;
    Ok(())
}

impl Credentials for SqliteCredentials {
    async fn add(
        &self,
        kind: CredentialKind,
        name: String,
        digest: String,
        at: i64,
    ) -> Result<(), RepoError> {
        self.db
            .write(move |tx| {
                tx.execute(
                    "INSERT INTO credentials (digest, kind, name, created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (digest) DO NOTHING",
                    params![digest, kind.0, name, at],
                )?;
                Ok(())
            })
            .await
    }

    async fn holder_of(
        &self,
        kind: CredentialKind,
        digest: String,
    ) -> Result<Option<String>, RepoError> {
        self.db
            .read(move |tx| {
                Ok(tx
                    .query_row(
                        "SELECT name FROM credentials WHERE digest = ?1 AND kind = ?2 AND revoked_at IS NULL",
                        params![digest, kind.0],
                        |r| r.get(0),
                    )
                    .optional()?)
            })
            .await
    }

    async fn revoke(&self, kind: CredentialKind, name: String, at: i64) -> Result<u64, RepoError> {
        self.db
            .write(move |tx| {
                let revoked = tx.execute(
                    "UPDATE credentials SET revoked_at = ?3 WHERE kind = ?1 AND name = ?2 AND revoked_at IS NULL",
                    params![kind.0, name, at],
                )?;
                Ok(u64::try_from(revoked).unwrap_or(u64::MAX))
            })
            .await
    }
}
