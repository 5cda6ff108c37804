//! The catalog's admin subcommands: publish a version from a portal scrape, list versions,
//! and seed an empty catalog from the built-in snapshot before serving.

use std::path::PathBuf;

use civic_catalog::Snapshot;

use super::repository::{Backend, Repository, VersionInfo};
use super::{Withdrawals, publish};
use crate::platform::admin::AdminError;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Publish a new catalog version from a portal scrape (JSON lines, `.gz` allowed).
    ImportCatalog {
        file: PathBuf,
        /// Date of the data, ISO 8601 (default: today, in Vietnam).
        #[arg(long)]
        data_date: Option<String>,
        /// Publish even if it withdraws a large part of the catalog (more than a tenth):
        /// without this such an import is refused as most likely truncated, and apps
        /// refuse such an update unless the gateway says it was confirmed.
        #[arg(long)]
        confirm_withdrawals: bool,
    },
    /// List the published catalog versions, newest first.
    Versions,
}

#[derive(Debug, thiserror::Error)]
#[error("`{0}` is not an ISO date (YYYY-MM-DD)")]
pub struct BadDate(String);

impl Command {
    /// Runs the command; what to tell the operator.
    pub async fn run(self, repo: &Backend) -> Result<String, AdminError> {
        match self {
            Self::ImportCatalog {
                file,
                data_date,
                confirm_withdrawals,
            } => {
                let data_date = match data_date {
                    Some(date) if civic_time::is_iso_date(&date) => date,
                    Some(date) => return Err(BadDate(date).into()),
                    None => civic_time::today(&civic_time::vietnam()),
                };
                let (procedures, report) = civic_catalog::import::import_file(&file)?;
                let withdrawals = if confirm_withdrawals {
                    Withdrawals::Confirmed
                } else {
                    Withdrawals::Guarded
                };
                let published = publish(
                    repo,
                    procedures,
                    data_date,
                    civic_time::now_unix(),
                    withdrawals,
                )
                .await?;
                Ok(format!("{report}{}", published_line(published.as_ref())))
            }
            Self::Versions => Ok(repo
                .versions()
                .await?
                .iter()
                .map(version_line)
                .collect::<Vec<_>>()
                .join("\n")),
        }
    }
}

/// Before serving: an empty catalog is seeded from the snapshot built into this gateway, so
/// a new city works at once. What was done, if anything.
pub async fn seed_if_empty(repo: &Backend) -> Result<Option<String>, AdminError> {
    if repo.head().await?.is_some() {
        return Ok(None);
    }
    let bundled = Snapshot::bundled()?;
    tracing::info!(
        procedures = bundled.procedures.len(),
        "empty catalog: seeding from the bundled snapshot"
    );
    let published = publish(
        repo,
        bundled.procedures,
        bundled.data_date,
        civic_time::now_unix(),
        Withdrawals::Guarded,
    )
    .await?;
    Ok(Some(published_line(published.as_ref())))
}

fn published_line(published: Option<&VersionInfo>) -> String {
    match published {
        Some(v) => format!(
            "published catalog version {} (data {}): {} added, {} changed, {} withdrawn",
            v.version, v.data_date, v.added, v.changed, v.removed
        ),
        None => "the catalog is unchanged; no new version".to_owned(),
    }
}

fn version_line(v: &VersionInfo) -> String {
    format!(
        "version {}: data {} · published {} · +{} ~{} -{}{}",
        v.version,
        v.data_date,
        civic_time::date_in(v.published_at, &civic_time::vietnam()),
        v.added,
        v.changed,
        v.removed,
        if v.withdrawals_confirmed {
            " (withdrawals confirmed)"
        } else {
            ""
        }
    )
}
