//! What every feature's admin subcommands share: their error, and issuing or revoking a
//! credential of the feature's kind. Each feature declares its own subcommands in its
//! `admin.rs`; `main.rs` only lists them.

use super::credentials::{CredentialKind, CredentialStore, Credentials as _};
use super::storage::Database;

/// An admin command's failure, told to the operator as it is.
pub type AdminError = Box<dyn std::error::Error + Send + Sync>;

/// What a credential subcommand does.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum CredentialAction {
    /// Issue a new secret for NAME and print it once; only its digest is kept.
    Add { name: String },
    /// Revoke every secret issued to NAME.
    Revoke { name: String },
}

#[derive(Debug, thiserror::Error)]
#[error("nothing was issued to `{0}`")]
pub struct NoSuchName(pub String);

impl CredentialAction {
    /// Runs the action on credentials of `kind`; what to tell the operator.
    pub async fn run(
        self,
        database: &Database,
        kind: CredentialKind,
    ) -> Result<String, AdminError> {
        let store = CredentialStore::open(database).await?;
        match self {
            // Shown once, to the operator who asked; the gateway keeps only its digest.
            Self::Add { name } => Ok(store.issue(kind, &name).await?),
            Self::Revoke { name } => {
                match store
                    .revoke(kind, name.clone(), civic_time::now_unix())
                    .await?
                {
                    0 => Err(NoSuchName(name).into()),
                    n => Ok(format!("revoked {n} secret(s) of {name}")),
                }
            }
        }
    }
}
