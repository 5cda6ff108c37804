//! The city profile as a component: what every other component reads the profile through,
//! and its part in each sync round (`GET /v1/city`, conditional on the ETag held).

use std::sync::{Mutex, PoisonError, RwLock};
use std::time::Duration;

use civic_sync::{Answer, Freshness, Gateway, SyncComponent, SyncError};
use civic_time::TimeZone;
use civic_types::{
    city::CityProfile,
    sync::{SyncOutcome, SyncReport},
};

use crate::CityError;
use crate::store::{CityStore, Held, put};

/// Until a city profile says otherwise, data unconfirmed for a week may be out of date.
pub const DEFAULT_MAX_AGE_HOURS: u32 = 7 * 24;
/// How often to sync when no city profile says otherwise.
pub const DEFAULT_SYNC_INTERVAL: Duration = Duration::from_secs(60 * 60);

#[derive(Debug)]
pub struct City {
    store: Mutex<CityStore>,
    /// What the store holds, read at open and replaced on every write (this component is
    /// the store's one writer): the status line and every scan read the profile.
    held: RwLock<Option<Held>>,
}

impl City {
    pub fn new(store: CityStore) -> Result<Self, CityError> {
        let held = store.held()?;
        Ok(Self {
            store: Mutex::new(store),
            held: RwLock::new(held),
        })
    }

    fn held(&self) -> Option<Held> {
        self.held
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Writes `held` in one transaction, then remembers it.
    fn keep(&self, held: Held) -> Result<(), CityError> {
        // Held across the write and the copy so that two writers leave them agreeing. A panic
        // while holding it cannot leave the store half-written: writes are transactions.
        let store = self.store.lock().unwrap_or_else(PoisonError::into_inner);
        store.write(|tx| put(tx, &held))?;
        *self.held.write().unwrap_or_else(PoisonError::into_inner) = Some(held);
        Ok(())
    }

    /// The profile held, if one was ever received.
    pub fn profile(&self) -> Option<CityProfile> {
        self.held().map(|held| held.profile)
    }

    /// The gateway the profile came from: the one to sync with when none is configured.
    pub fn gateway(&self) -> Option<String> {
        self.held().map(|held| held.gateway)
    }

    /// The city's zone, for every "today" and every time shown; Vietnam's before any
    /// profile arrived or if it names a zone this build does not know.
    pub fn time_zone(&self) -> TimeZone {
        civic_time::zone(&self.time_zone_name()).unwrap_or_else(|_| civic_time::vietnam())
    }

    /// The IANA name of [`Self::time_zone`], for front ends that format times themselves.
    pub fn time_zone_name(&self) -> String {
        self.profile()
            .map(|p| p.time_zone)
            .filter(|name| civic_time::zone(name).is_ok())
            .unwrap_or_else(|| civic_time::VIETNAM.to_owned())
    }

    /// How long synced data stays fresh, in hours.
    pub fn max_age_hours(&self) -> u32 {
        self.profile()
            .map_or(DEFAULT_MAX_AGE_HOURS, |p| p.sync.catalog_max_age_hours)
    }

    /// How often a running app syncs.
    pub fn sync_interval(&self) -> Duration {
        self.profile().map_or(DEFAULT_SYNC_INTERVAL, |p| {
            Duration::from_secs(u64::from(p.sync.interval_minutes.max(1)) * 60)
        })
    }

    /// Whether data last confirmed at `confirmed` (Unix seconds) is stale at `now`.
    pub fn is_stale(&self, confirmed: Option<i64>, now: i64) -> bool {
        confirmed.is_none_or(|t| now - t > i64::from(self.max_age_hours()) * 3600)
    }

    /// Keeps `held` unless a profile is held already: for carrying a profile over from
    /// where older app versions kept it.
    pub fn adopt(&self, held: &Held) -> Result<bool, CityError> {
        if self.held().is_some() {
            return Ok(false);
        }
        self.keep(held.clone())?;
        Ok(true)
    }
}

impl SyncComponent for City {
    fn name(&self) -> &'static str {
        "city"
    }

    fn sync(
        &self,
        gateway: &Gateway,
        now: i64,
        progress: &mut dyn FnMut(u64, Option<u64>),
    ) -> Result<SyncReport, SyncError> {
        let held = self.held();
        // Another gateway's ETag means nothing here.
        let etag = held
            .as_ref()
            .filter(|h| h.gateway == gateway.address())
            .and_then(|h| h.etag.clone());
        let mut report = SyncReport::unchanged(0);
        let confirmed = match gateway.get("/v1/city", etag.as_deref(), progress)? {
            // Only sent when an ETag was: the profile held is this gateway's current one.
            Answer::NotModified => held.map(|held| Held {
                last_checked: now,
                ..held
            }),
            Answer::Body { json, etag, wire } => {
                let profile: CityProfile = serde_json::from_slice(&json)
                    .map_err(|e| SyncError::BadResponse(format!("city profile: {e}")))?;
                // As strict as the gateway: a profile that breaks a rule is refused whole and
                // the one held keeps serving.
                if let Some(problem) = crate::problem(&profile) {
                    return Err(SyncError::BadResponse(format!("city profile: {problem}")));
                }
                report.bytes = wire;
                report.outcome = SyncOutcome::Full;
                if held.as_ref().is_none_or(|h| h.profile != profile) {
                    report.changed = 1;
                }
                Some(Held {
                    gateway: gateway.address().to_owned(),
                    profile,
                    etag,
                    last_checked: now,
                })
            }
        };
        if let Some(held) = confirmed {
            self.keep(held).map_err(SyncError::store)?;
        }
        Ok(report)
    }

    fn freshness(&self, now: i64) -> Result<Freshness, SyncError> {
        let last_checked = self.held().map(|h| h.last_checked);
        Ok(Freshness {
            last_checked,
            stale: self.is_stale(last_checked, now),
        })
    }
}
