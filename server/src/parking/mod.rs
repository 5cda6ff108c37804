//! Parking at the gateway: the city's car parks with their free spaces (read by anyone,
//! updated by operators with their own token), street-parking sessions sent by the app
//! (checked against the city profile's zones and tariffs, the fee computed here), the bank
//! connector's signed payment notices matched to sessions by reference and amount, and a
//! day's reconciliation. Signatures and references are the payment platform's
//! (`civic_payment::notice`, `civic_parking::reference`). `handlers`, `lots` (a car park's rules,
//! the operator's file), `repository` (SQLite and PostgreSQL, one conformance suite) with
//! its `sql/`.

pub mod admin;
pub mod handlers;
pub mod lots;
pub mod repository;

use std::sync::Arc;

use civic_parking::CheckedConfig;
use civic_types::city::CityProfile;

use crate::platform::credentials::{CredentialKind, CredentialStore};
use crate::platform::storage::Database;
use repository::ParkingBackend;

/// The parking share of the gateway's state.
#[derive(Debug, Clone)]
pub struct ParkingState {
    pub(crate) repo: ParkingBackend,
    /// `None`: the city's profile has no street parking.
    pub(crate) config: Option<Arc<CheckedConfig>>,
    pub(crate) zone: jiff::tz::TimeZone,
    /// The bank connector's shared secret; `None`: payment notices are not taken.
    pub(crate) secret: Option<Arc<[u8]>>,
    /// Where operators' tokens are kept (with the gateway's other credentials).
    pub(crate) credentials: CredentialStore,
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ParkingStateError {
    #[error(transparent)]
    Repo(#[from] repository::RepoError),
    #[error("the city's parking rules do not check: {0}")]
    Config(#[from] civic_parking::ParkingError),
    #[error("unknown time zone {0}")]
    Zone(String),
    #[error("the payment webhook secret must be at least 32 bytes")]
    WeakSecret,
}

/// Car-park operators' tokens (`civic-gateway parking-token add`), for their car parks'
/// figures and a day's reconciliation.
pub const OPERATOR: CredentialKind = CredentialKind("parking-operator");

/// The shortest webhook secret taken: a guessable one would let anyone mark sessions paid.
pub const MIN_SECRET_BYTES: usize = 32;

impl ParkingState {
    pub async fn open(
        database: &Database,
        credentials: CredentialStore,
        city: &CityProfile,
        secret: Option<Vec<u8>>,
    ) -> Result<Self, ParkingStateError> {
        let config = match &city.parking {
            Some(parking) => Some(Arc::new(CheckedConfig::new(parking.clone())?)),
            None => None,
        };
        if secret.as_ref().is_some_and(|s| s.len() < MIN_SECRET_BYTES) {
            return Err(ParkingStateError::WeakSecret);
        }
        Ok(Self {
            repo: ParkingBackend::open(database).await?,
            config,
            zone: jiff::tz::TimeZone::get(&city.time_zone)
                .map_err(|_| ParkingStateError::Zone(city.time_zone.clone()))?,
            secret: secret.map(Arc::from),
            credentials,
        })
    }

    pub fn repo(&self) -> &ParkingBackend {
        &self.repo
    }
}
