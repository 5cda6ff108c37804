//! The feedback feature's admin subcommands (apps' API keys, staff tokens) and its part of
//! `serve`'s command line (the kinds of report the city takes).

use std::path::PathBuf;

use super::catalogue::{Catalogue, CatalogueError};
use super::service::{APP, STAFF};
use crate::platform::admin::{AdminError, CredentialAction};
use crate::platform::storage::Database;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// API keys of the apps that post feedback reports (Open311 `api_key`).
    ApiKey {
        #[command(subcommand)]
        action: CredentialAction,
    },
    /// Staff tokens, for changing a report's status (`Authorization: Bearer …`).
    StaffToken {
        #[command(subcommand)]
        action: CredentialAction,
    },
}

impl Command {
    /// Runs the command; what to tell the operator.
    pub async fn run(self, database: &Database) -> Result<String, AdminError> {
        match self {
            Self::ApiKey { action } => action.run(database, APP).await,
            Self::StaffToken { action } => action.run(database, STAFF).await,
        }
    }
}

#[derive(Debug, Clone, Default, clap::Args)]
pub struct FeedbackArgs {
    /// The kinds of feedback report this city takes (TOML, the shape of
    /// assets/feedback/services.toml; default: that file, built in).
    #[arg(long, value_name = "FILE")]
    pub feedback_services: Option<PathBuf>,
}

impl FeedbackArgs {
    /// The city's kinds of report, read and checked before the gateway starts listening.
    pub fn load(self) -> Result<Catalogue, CatalogueError> {
        match self.feedback_services {
            Some(path) => Catalogue::load(&path),
            None => Catalogue::bundled(),
        }
    }
}
