//! The catalog as a component: the store behind one lock (SQLite has one writer), the
//! city profile read through [`City`], and the catalog's part in each sync round.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use civic_city::City;
use civic_sync::{Freshness, Gateway, SyncComponent, SyncError};
use civic_types::sync::SyncReport;

use crate::store::META_DATA_DATE;
use crate::{CatalogError, CatalogStore};

#[derive(Debug)]
pub struct Catalog {
    store: Mutex<CatalogStore>,
    city: Arc<City>,
}

impl Catalog {
    pub fn new(store: CatalogStore, city: Arc<City>) -> Self {
        Self {
            store: Mutex::new(store),
            city,
        }
    }

    /// The store, for reads and for the writes a flow makes in one transaction. Held
    /// briefly: never across network IO.
    pub fn store(&self) -> MutexGuard<'_, CatalogStore> {
        // A panic while holding the lock cannot leave the store half-written: writes are
        // transactions.
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `read` on the store.
    pub fn read<T>(
        &self,
        read: impl FnOnce(&CatalogStore) -> Result<T, CatalogError>,
    ) -> Result<T, CatalogError> {
        read(&self.store())
    }
}

impl SyncComponent for Catalog {
    fn name(&self) -> &'static str {
        "catalog"
    }

    /// Downloads without the store lock; only the all-or-nothing apply takes it, so search
    /// never waits on the network.
    fn sync(
        &self,
        gateway: &Gateway,
        now: i64,
        progress: &mut dyn FnMut(u64, Option<u64>),
    ) -> Result<SyncReport, SyncError> {
        let checkpoint = self
            .store()
            .checkpoint(gateway.address())
            .map_err(SyncError::store)?;
        let fetched = crate::sync::fetch(gateway, &checkpoint, progress)?;
        self.store().apply_sync(gateway.address(), fetched, now)
    }

    /// Never confirmed with a gateway: the data is as old as its date (its first moment in
    /// the city's zone).
    fn freshness(&self, now: i64) -> Result<Freshness, SyncError> {
        let store = self.store();
        let last_checked = store.last_checked().map_err(SyncError::store)?;
        let confirmed = match last_checked {
            Some(t) => Some(t),
            None => store
                .meta(META_DATA_DATE)
                .map_err(SyncError::store)?
                .and_then(|date| civic_time::start_of_day(&date, &self.city.time_zone())),
        };
        Ok(Freshness {
            last_checked,
            stale: self.city.is_stale(confirmed, now),
        })
    }
}
