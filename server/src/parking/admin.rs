//! The parking feature's admin subcommands (car parks from a file, operators' tokens) and
//! its part of `serve`'s command line (the bank connector's secret).

use std::path::PathBuf;

use civic_types::parking::Lot;

use super::OPERATOR;
use super::repository::{ParkingBackend, ParkingRepository};
use crate::platform::admin::{AdminError, CredentialAction};
use crate::platform::storage::Database;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Add or replace the city's car parks from a file (TOML, `[[lots]]` tables as
    /// assets/parking/da-nang-lots.toml); operators then report occupancy over HTTP.
    ImportLots { file: PathBuf },
    /// Car-park operators' tokens, for reporting occupancy and reading the day's payments
    /// (`Authorization: Bearer …`).
    ParkingToken {
        #[command(subcommand)]
        action: CredentialAction,
    },
}

impl Command {
    /// Runs the command; what to tell the operator.
    pub async fn run(self, database: &Database) -> Result<String, AdminError> {
        match self {
            Self::ImportLots { file } => {
                let lots = super::lots::read_file(&file)?;
                let repo = ParkingBackend::open(database).await?;
                let count = lots.len();
                let now = civic_time::now_unix();
                for lot in lots {
                    repo.put_lot(Lot {
                        updated: now,
                        ..lot
                    })
                    .await?;
                }
                Ok(format!("{count} car park(s) stored"))
            }
            Self::ParkingToken { action } => action.run(database, OPERATOR).await,
        }
    }
}

#[derive(Debug, Clone, Default, clap::Args)]
pub struct ParkingArgs {
    /// A file holding the bank connector's shared secret (32 bytes or more), under
    /// which payment notices are signed; without it /v1/parking/payments refuses them.
    /// A file, so the secret never appears on a command line.
    #[arg(long, value_name = "FILE")]
    pub payment_secret_file: Option<PathBuf>,
}

impl ParkingArgs {
    /// The secret, read before the gateway starts listening (its strength is checked when
    /// parking's state opens).
    pub fn secret(self) -> std::io::Result<Option<Vec<u8>>> {
        self.payment_secret_file
            .map(|path| {
                std::fs::read(&path)
                    .map(|s| s.trim_ascii().to_vec())
                    .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))
            })
            .transpose()
    }
}
