//! `civic-core`: the facade the front ends (Tauri host, CLI) call.
//!
//! [`Civic::open`] opens the data folder once and hands out the components (`city`,
//! `catalog`; `qr` and `auth` work on what those hold), runs the one sync [`Scheduler`],
//! and holds the flows that span components (scanning a photo against the catalog, making
//! and saving boards, the app's status). Front ends translate arguments and results; they
//! run no flow of their own. Nothing here knows about IPC or terminals.

pub mod boards;
mod lookup;
pub mod paths;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use civic_auth as auth;
pub use civic_bus as bus;
pub use civic_catalog as catalog;
pub use civic_catalog::{CatalogError, CatalogStore, Opened, Snapshot};
pub use civic_city as city;
pub use civic_db as db;
pub use civic_feedback as feedback;
pub use civic_parking as parking;
pub use civic_qr as qr;
pub use civic_sync as sync;
pub use civic_text as text;
pub use civic_time as time;
pub use civic_types as types;
pub use lookup::CatalogLookup;

use civic_catalog::Catalog;
use civic_city::{City, CityError, CityStore, Held};
use civic_feedback::Feedback;
use civic_qr::{Board, BoardError, BoardSigner, ImageSource, ScanError, Trust};
use civic_sync::{Gateway, Link, Scheduler, SyncComponent, SyncError};
use civic_types::error::Coded as _;
use civic_types::{
    qr::ScanReport,
    status::{AppStatus, Feature, Notice},
    sync::{SyncReport, SyncStatus},
};

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CoreError {
    #[error("cannot create the data folder {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error(transparent)]
    City(#[from] CityError),
    #[error(transparent)]
    Sync(#[from] SyncError),
    #[error(transparent)]
    Feedback(#[from] civic_feedback::FeedbackError),
    #[error(transparent)]
    Bus(#[from] civic_bus::BusError),
    #[error(transparent)]
    Parking(#[from] civic_parking::ParkingFlowError),
}

impl CoreError {
    pub fn code(&self) -> civic_types::error::ErrorCode {
        match self {
            Self::Sync(e) => e.code(),
            Self::Feedback(e) => e.code(),
            Self::Bus(e) => e.code(),
            Self::Parking(e) => e.code(),
            Self::DataDir { .. } | Self::Catalog(_) | Self::City(_) => {
                civic_types::error::ErrorCode::Storage
            }
        }
    }
}

/// Everything a front end works with, opened from one data folder.
#[derive(Debug)]
pub struct Civic {
    data_dir: PathBuf,
    city: Arc<City>,
    catalog: Arc<Catalog>,
    feedback: Arc<Feedback>,
    bus: Arc<civic_bus::Bus>,
    parking: Arc<civic_parking::Parking>,
    scheduler: Scheduler,
    notices: Vec<Notice>,
}

impl Civic {
    /// Opens (creating) `data_dir` and every component's store. The scheduler syncs with
    /// `gateway`, else with the gateway the city profile came from, else with none.
    pub fn open(data_dir: &Path, gateway: Option<&str>) -> Result<Self, CoreError> {
        std::fs::create_dir_all(data_dir).map_err(|source| CoreError::DataDir {
            path: data_dir.to_owned(),
            source,
        })?;
        let city = Arc::new(City::new(CityStore::open(
            &data_dir.join(city::CITY_FILE),
        )?)?);
        let opened = CatalogStore::open(&data_dir.join(paths::CATALOG_FILE))?;
        let mut store = opened.store;
        adopt_legacy_city(&mut store, &city)?;
        let catalog = Arc::new(Catalog::new(store, Arc::clone(&city)));
        let address = match gateway.map(str::trim).filter(|g| !g.is_empty()) {
            Some(address) => Some(address.to_owned()),
            None => city.gateway(),
        };
        let link = Link::new(address.map(|a| Gateway::new(&a)).transpose()?);
        let feedback = Arc::new(Feedback::open(data_dir, Arc::clone(&city), link.clone())?);
        let bus = Arc::new(civic_bus::Bus::open(data_dir, link.clone())?);
        let parking_rules = Arc::clone(&city);
        let parking = Arc::new(civic_parking::Parking::open(
            data_dir,
            Arc::new(move || parking_rules.profile().and_then(|p| p.parking)),
            link.clone(),
        )?);
        // The city profile first: the others read it.
        let components: Vec<Arc<dyn SyncComponent>> = vec![
            Arc::clone(&city) as _,
            Arc::clone(&catalog) as _,
            Arc::clone(&feedback) as _,
            Arc::clone(&bus) as _,
            Arc::clone(&parking) as _,
        ];
        Ok(Self {
            data_dir: data_dir.to_owned(),
            city,
            catalog,
            feedback,
            bus,
            parking,
            scheduler: Scheduler::new(link, components),
            notices: opened.notices,
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// What the user must be told about how the data was opened.
    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }

    pub fn city(&self) -> &City {
        &self.city
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Residents' reports: the outbox, where it sends, and the flows of the feedback pages.
    pub fn feedback(&self) -> &Feedback {
        &self.feedback
    }

    /// The city's buses: timetable, live data, stars, journeys (all offline but the sync).
    pub fn bus(&self) -> &civic_bus::Bus {
        &self.bus
    }

    /// Parking: car parks near a point, sessions, payment codes, reminders (all offline but
    /// the sync).
    pub fn parking(&self) -> &civic_parking::Parking {
        &self.parking
    }

    /// The eID subject a new report is filed under, a flow across sign-in and feedback: the
    /// signed-in resident's (from the keyring, no network), else `None` (anonymous).
    pub fn report_account(&self, vault: civic_auth::Vault) -> Option<String> {
        let session = self.auth(vault).ok()?.session().ok()??;
        Some(session.subject)
    }

    pub fn scheduler(&self) -> &Scheduler {
        &self.scheduler
    }

    /// Today in the city's time zone, `YYYY-MM-DD`.
    pub fn today(&self) -> String {
        civic_time::today(&self.city.time_zone())
    }

    /// One sync round now. The catalog's changes, with the bytes the whole round cost;
    /// `None` when no gateway is configured. `changed` on every state change.
    pub fn sync_now(&self, changed: &dyn Fn()) -> Option<Result<SyncReport, SyncError>> {
        let round = self.scheduler.sync_once(&civic_time::now_unix, changed)?;
        Some(round.map(|done| {
            let bytes = done.iter().map(|c| c.report.bytes).sum();
            let mut report = done
                .into_iter()
                .find(|c| c.component == "catalog")
                .map(|c| c.report)
                .unwrap_or(SyncReport::unchanged(0));
            report.bytes = bytes;
            report
        }))
    }

    /// Syncs now, then at the city's interval, for the life of the process (on the
    /// caller's thread). Returns at once when no gateway is configured.
    pub fn run_sync(&self, changed: &dyn Fn()) {
        self.scheduler.run(
            &|| self.city.sync_interval(),
            &civic_time::now_unix,
            changed,
        );
    }

    /// How the offline data relates to the gateway, for the status line.
    pub fn sync_status(&self) -> SyncStatus {
        let now = civic_time::now_unix();
        let components = self.scheduler.components(now);
        let catalog = components.iter().find(|c| c.component == "catalog");
        SyncStatus {
            gateway: self
                .scheduler
                .gateway()
                .map(|g| g.address().to_owned())
                .or_else(|| self.city.gateway()),
            city: self.city.profile().map(|c| c.name),
            time_zone: self.city.time_zone_name(),
            last_checked: catalog.and_then(|c| c.last_checked),
            state: self.scheduler.state(),
            stale: catalog.is_none_or(|c| c.stale),
            components,
        }
    }

    /// The features of `supported` (those this build has pages for) that the city offers.
    pub fn features(&self, supported: &[Feature]) -> Vec<Feature> {
        let offered = self.city.profile().map(|c| c.features);
        supported
            .iter()
            .copied()
            .filter(|f| offered.as_ref().is_none_or(|o| o.contains(f)))
            .collect()
    }

    pub fn status(&self, supported: &[Feature]) -> Result<AppStatus, CoreError> {
        Ok(AppStatus {
            catalog: self.catalog.read(CatalogStore::status)?,
            notices: self.notices.clone(),
            features: self.features(supported),
            sync: self.sync_status(),
        })
    }

    /// National defaults plus the city profile's `[qr]`.
    pub fn trust(&self) -> Trust {
        Trust::new(self.city.profile().as_ref().map(|c| &c.qr))
    }

    /// Reads every QR code in an image and resolves each offline. The image is decoded
    /// without holding the catalog, so search never waits on it.
    pub fn scan(&self, image: &[u8], source: ImageSource) -> Result<ScanReport, ScanError> {
        let texts = civic_qr::decode(image, source)?;
        self.resolve_scanned(&texts)
    }

    /// Resolves codes a platform scanner already read (the mobile barcode-scanner plugin
    /// hands over text, not images), exactly as codes read from an image are.
    pub fn resolve_scanned(&self, texts: &[String]) -> Result<ScanReport, ScanError> {
        let trust = self.trust();
        let store = self.catalog.store();
        Ok(civic_qr::resolve_all(
            texts,
            &CatalogLookup(&store),
            &trust,
        )?)
    }

    /// The board signing key this device holds (`$CIVIC_SIGNING_KEY`, else in the data
    /// folder), if there is one.
    pub fn signing_key(&self) -> PathBuf {
        paths::signing_key_in(&self.data_dir)
    }

    /// Lays out a board of `codes`, signed by `signer` when given, issued on `issued` (an
    /// ISO date; today in the city's zone when `None`).
    pub fn board(
        &self,
        title: &str,
        codes: &[String],
        signer: Option<&BoardSigner>,
        issued: Option<&str>,
    ) -> Result<Board, BoardError> {
        let issued = match issued {
            Some(date) if civic_time::is_iso_date(date) => date.to_owned(),
            Some(_) => return Err(BoardError::Date),
            None => self.today(),
        };
        let store = self.catalog.store();
        Board::new(title, codes, &CatalogLookup(&store), signer, &issued)
    }

    /// Sign-in with the identity provider the city profile names.
    pub fn auth(
        &self,
        vault: civic_auth::Vault,
    ) -> Result<civic_auth::Auth, civic_auth::AuthError> {
        let profile = self.city.profile();
        civic_auth::Auth::for_city(profile.as_ref(), &self.data_dir, vault)
    }
}

/// App versions before the city component kept the profile in the catalog: move it over
/// once, keeping it there until the city component holds it.
fn adopt_legacy_city(store: &mut CatalogStore, city: &City) -> Result<(), CoreError> {
    let Some(legacy) = store.legacy_city()? else {
        return Ok(());
    };
    match serde_json::from_str(&legacy.profile_json) {
        Ok(profile) if !legacy.gateway.is_empty() => {
            city.adopt(&Held {
                gateway: legacy.gateway,
                profile,
                etag: legacy.etag,
                last_checked: legacy.last_checked,
            })?;
        }
        // Unreadable: the next sync brings the profile again.
        _ => tracing::warn!("dropping an unreadable city profile left by an older version"),
    }
    store.forget_legacy_city()?;
    Ok(())
}
