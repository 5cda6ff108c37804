//! Who may do what: posting apps' API keys, staff tokens, car-park operators' tokens, and
//! whatever kind a feature declares next. One table with a kind per use, only each secret's
//! SHA-256 kept, issued and revoked by the operator (`civic-gateway <kind> add|revoke`), and
//! checked by the feature's handlers through [`CredentialStore::holder`]. SQLite and
//! PostgreSQL behind one conformance suite (`tests/credentials.rs`).

mod postgres;
mod sqlite;

use std::future::Future;

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use sha2::{Digest, Sha256};

pub use postgres::PostgresCredentials;
pub use sqlite::SqliteCredentials;

use super::storage::{Database, Dual, RepoError, dual};

/// A use of credentials, named by the feature that checks them (`"app"`, `"staff"`,
/// `"parking-operator"`): the name is what the table keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CredentialKind(pub &'static str);

/// Secrets longer than this are refused unread: no credential issued here is.
pub const MAX_SECRET_LEN: usize = 256;

pub trait Credentials: Clone + Send + Sync + 'static {
    /// Records a secret's digest for `name`; an existing digest is left as it is.
    fn add(
        &self,
        kind: CredentialKind,
        name: String,
        digest: String,
        at: i64,
    ) -> impl Future<Output = Result<(), RepoError>> + Send;

    /// The name behind a live (not revoked) credential of `kind` with this digest.
    fn holder_of(
        &self,
        kind: CredentialKind,
        digest: String,
    ) -> impl Future<Output = Result<Option<String>, RepoError>> + Send;

    /// Revokes every live credential of `kind` issued to `name`; how many there were.
    fn revoke(
        &self,
        kind: CredentialKind,
        name: String,
        at: i64,
    ) -> impl Future<Output = Result<u64, RepoError>> + Send;
}

/// Credentials on the gateway's database.
pub type CredentialStore = Dual<SqliteCredentials, PostgresCredentials>;

impl CredentialStore {
    pub async fn open(database: &Database) -> Result<Self, RepoError> {
        database
            .open(
                Some("credentials"),
                |path| async move { SqliteCredentials::open(&path).await },
                PostgresCredentials::connect,
            )
            .await
    }

    /// A new secret for `name`: 32 random bytes as hex, returned once; only its digest is
    /// kept.
    pub async fn issue(&self, kind: CredentialKind, name: &str) -> Result<String, RepoError> {
        let secret = super::storage::random_hex(32)?;
        self.add(
            kind,
            name.to_owned(),
            digest(&secret),
            civic_time::now_unix(),
        )
        .await?;
        Ok(secret)
    }

    /// The name behind `secret` as a live credential of `kind`; `None` for anything else,
    /// an over-long secret included.
    pub async fn holder(
        &self,
        kind: CredentialKind,
        secret: Option<&str>,
    ) -> Result<Option<String>, RepoError> {
        match secret.filter(|s| !s.is_empty() && s.len() <= MAX_SECRET_LEN) {
            Some(secret) => self.holder_of(kind, digest(secret)).await,
            None => Ok(None),
        }
    }
}

impl Credentials for CredentialStore {
    async fn add(
        &self,
        kind: CredentialKind,
        name: String,
        digest: String,
        at: i64,
    ) -> Result<(), RepoError> {
        dual!(self, r => r.add(kind, name, digest, at).await)
    }
    async fn holder_of(
        &self,
        kind: CredentialKind,
        digest: String,
    ) -> Result<Option<String>, RepoError> {
        dual!(self, r => r.holder_of(kind, digest).await)
    }
    async fn revoke(&self, kind: CredentialKind, name: String, at: i64) -> Result<u64, RepoError> {
        dual!(self, r => r.revoke(kind, name, at).await)
    }
}

/// A secret's digest as the table keeps it.
pub fn digest(secret: &str) -> String {
    super::hex(&Sha256::digest(secret.as_bytes()))
}

/// The token of `Authorization: Bearer …`, if the request has one.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    super::http::header_text(headers, AUTHORIZATION)
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}
