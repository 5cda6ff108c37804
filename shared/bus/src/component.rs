//! The bus component: the timetable and live data kept on the device, synced from the
//! city's gateway in the scheduler's rounds, and the flows the pages call (nearby stops,
//! departures, a route's page, journeys, stars). Everything but the sync works offline.

use std::sync::{Arc, Mutex, PoisonError};

use civic_sync::{Answer, Freshness, Gateway, Link, SyncComponent, SyncError};
use civic_types::bus::{
    BusOverview, Departures, LiveData, Plan, RouteView, StarKind, StarredStop, StopSummary,
    Timetable,
};
use civic_types::sync::{SyncOutcome, SyncReport};

use crate::error::TransitError;
use crate::gtfs::Feed;
use crate::realtime::Realtime;
use crate::store::{BusStore, StoreError};

/// Where the gateway serves the city's timetable and its live data.
/// The file the component keeps in the data folder: the timetable, live data, stars.
pub const BUS_FILE: &str = "bus.sqlite3";
pub const FEED_PATH: &str = "/v1/bus/gtfs.zip";
pub const LIVE_PATH: &str = "/v1/bus/realtime";
/// A timetable the gateway has not confirmed for this long is shown as possibly out of date.
pub const STALE_AFTER: i64 = 7 * 24 * 60 * 60;
/// While a bus page is open, live data is fetched this often.
pub const LIVE_INTERVAL: i64 = 30;
/// How long a page's interest in live data lasts without being renewed.
const WATCH_FOR: i64 = 2 * 60;
const NEARBY_RADIUS_M: f64 = 800.0;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BusError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Transit(#[from] TransitError),
    #[error("no bus timetable has arrived on this device yet")]
    NoTimetable,
}

impl civic_types::error::Coded for BusError {
    fn code(&self) -> civic_types::error::ErrorCode {
        use civic_types::error::ErrorCode;
        match self {
            Self::Store(_) => ErrorCode::Storage,
            Self::Transit(e) => e.code(),
            Self::NoTimetable => ErrorCode::NoTimetable,
        }
    }
}

/// The timetable in memory, with the day's routing table of the last plan.
#[derive(Debug)]
struct Loaded {
    feed: Feed,
    day: Mutex<Option<(jiff::civil::Date, Arc<crate::raptor::DayTimetable>)>>,
}

impl Loaded {
    fn new(feed: Feed) -> Arc<Self> {
        Arc::new(Self {
            feed,
            day: Mutex::new(None),
        })
    }
}

#[derive(Debug)]
pub struct Bus {
    store: BusStore,
    loaded: Mutex<Option<Arc<Loaded>>>,
    /// Until when (Unix seconds) a page wants live data every [`LIVE_INTERVAL`].
    watching: Mutex<i64>,
    /// When live data was last asked for (answered or not).
    live_asked: Mutex<i64>,
    /// The live message held, decoded once (from the store on first use, then at each fetch).
    live: Mutex<Option<Arc<Realtime>>>,
    link: Link,
}

impl Bus {
    /// Opens the component's file in `data_dir`.
    pub fn open(data_dir: &std::path::Path, link: Link) -> Result<Self, BusError> {
        Ok(Self {
            store: BusStore::open(&data_dir.join(BUS_FILE))?,
            link,
            loaded: Mutex::new(None),
            watching: Mutex::new(0),
            live_asked: Mutex::new(0),
            live: Mutex::new(None),
        })
    }

    pub fn store(&self) -> &BusStore {
        &self.store
    }

    /// The timetable, read from the stored zip the first time it is needed.
    fn loaded(&self) -> Result<Arc<Loaded>, BusError> {
        let mut slot = self.loaded.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(loaded) = slot.as_ref() {
            return Ok(Arc::clone(loaded));
        }
        let zip = self.store.feed_zip()?.ok_or(BusError::NoTimetable)?;
        let (feed, _) = Feed::read(&zip)?;
        let loaded = Loaded::new(feed);
        *slot = Some(Arc::clone(&loaded));
        Ok(loaded)
    }

    /// Replaces the timetable held, on the device and in memory; the live data went with the
    /// old one (the store drops it).
    fn replace(
        &self,
        zip: &[u8],
        feed: Feed,
        report: &crate::ImportReport,
        etag: Option<&str>,
        source: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        self.store
            .replace_feed(zip, &feed, report, etag, source, now)?;
        *self.loaded.lock().unwrap_or_else(PoisonError::into_inner) = Some(Loaded::new(feed));
        *self.live.lock().unwrap_or_else(PoisonError::into_inner) = None;
        Ok(())
    }

    /// The live data held, whatever its age (`None`: none, or it no longer decodes).
    fn realtime(&self) -> Result<Option<Arc<Realtime>>, BusError> {
        let mut slot = self.live.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.is_none() {
            *slot = self
                .store
                .live()?
                .and_then(|record| Realtime::read([record.message.as_slice()]).ok())
                .map(Arc::new);
        }
        Ok(slot.clone())
    }

    /// A bus page is open: live data is fetched every 30 s while it stays open (a round is
    /// asked for now when live data is due).
    pub fn keep_live(&self) {
        if self.watch(civic_time::now_unix()) {
            self.link.wake();
        }
    }

    /// A page showing live data is open until `now` + two minutes: rounds come every 30 s.
    /// Whether live data is due now.
    fn watch(&self, now: i64) -> bool {
        *self.watching.lock().unwrap_or_else(PoisonError::into_inner) = now + WATCH_FOR;
        let asked = *self
            .live_asked
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        now - asked >= LIVE_INTERVAL
    }

    /// Takes a timetable (a GTFS zip) from outside the gateway: read whole or refused, the
    /// one held kept on refusal.
    pub fn import_with_progress(
        &self,
        zip: &[u8],
        source: &str,
        now: i64,
        progress: &mut dyn FnMut(crate::Progress),
    ) -> Result<crate::ImportReport, BusError> {
        let (feed, report) = Feed::read_with_progress(zip, progress)?;
        self.replace(zip, feed, &report, None, source, now)?;
        Ok(report)
    }

    pub fn timetable(&self, now: i64) -> Result<Option<Timetable>, BusError> {
        Ok(self.store.feed()?.map(|f| Timetable {
            checked: Some(f.checked),
            received: f.received,
            stale: now - f.checked > STALE_AFTER,
            stops: f.stops,
            routes: f.routes,
            rejected_rows: f.rejected_rows,
        }))
    }

    /// What the bus page opens with: starred stops with their next departures, starred
    /// routes, alerts in force, from the device alone.
    pub fn overview(&self, now: i64, language: &str) -> Result<BusOverview, BusError> {
        let Some(timetable) = self.timetable(now)? else {
            return Ok(BusOverview {
                timetable: None,
                stops: Vec::new(),
                routes: Vec::new(),
                alerts: Vec::new(),
                live: LiveData::Missing,
                bounds: None,
            });
        };
        let loaded = self.loaded()?;
        let live = self.realtime()?;
        let mut stops = Vec::new();
        for stop in self.store.stops(&self.store.starred(StarKind::Stop)?)? {
            let departures = crate::departures(&loaded.feed, &stop.id, now, 3, live.as_deref())?;
            stops.push(StarredStop { stop, departures });
        }
        Ok(BusOverview {
            timetable: Some(timetable),
            stops,
            routes: self.store.routes(&self.store.starred(StarKind::Route)?)?,
            alerts: live
                .as_ref()
                .map(|l| l.alerts(Some(&loaded.feed), now, language))
                .unwrap_or_default(),
            live: live.as_ref().map_or(LiveData::Missing, |l| l.state(now)),
            bounds: self.store.bounds()?,
        })
    }

    pub fn nearby(&self, lat: f64, lon: f64, limit: usize) -> Result<Vec<StopSummary>, BusError> {
        Ok(self.store.nearby(lat, lon, NEARBY_RADIUS_M, limit)?)
    }

    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<StopSummary>, BusError> {
        Ok(self.store.search(query, limit)?)
    }

    pub fn departures(
        &self,
        stop_id: &str,
        now: i64,
        limit: usize,
    ) -> Result<Departures, BusError> {
        let loaded = self.loaded()?;
        let live = self.realtime()?;
        let mut board = crate::departures(&loaded.feed, stop_id, now, limit, live.as_deref())?;
        board.starred = self
            .store
            .starred(StarKind::Stop)?
            .iter()
            .any(|s| s == stop_id);
        Ok(board)
    }

    /// A route's page: stops, line, vehicles and alerts.
    pub fn route(&self, route_id: &str, now: i64, language: &str) -> Result<RouteView, BusError> {
        let loaded = self.loaded()?;
        let feed = &loaded.feed;
        let route = feed
            .route(route_id)
            .ok_or_else(|| TransitError::UnknownRoute(route_id.to_owned()))?;
        let summary = self
            .store
            .routes(&[route_id.to_owned()])?
            .pop()
            .ok_or_else(|| TransitError::UnknownRoute(route_id.to_owned()))?;
        let (stops, path) = match crate::routes::main_pattern(feed, route) {
            Some((stops, trip)) => {
                let mut ids: Vec<String> = stops
                    .iter()
                    .map(|&s| {
                        feed.stops[crate::routes::listed_stop(feed, s) as usize]
                            .id
                            .clone()
                    })
                    .collect();
                ids.dedup();
                (self.store.stops(&ids)?, crate::routes::path(feed, trip))
            }
            None => (Vec::new(), Vec::new()),
        };
        let live = self.realtime()?;
        let state = live.as_ref().map_or(LiveData::Missing, |l| l.state(now));
        let fresh = matches!(state, LiveData::Fresh { .. });
        let stop_ids: Vec<String> = stops.iter().map(|s| s.id.clone()).collect();
        Ok(RouteView {
            route: summary,
            stops,
            path,
            vehicles: live
                .as_ref()
                .filter(|_| fresh)
                .map(|l| l.vehicles(Some(feed), Some(route_id), now))
                .unwrap_or_default(),
            alerts: live
                .as_ref()
                .map(|l| l.alerts(Some(feed), now, language))
                .unwrap_or_default()
                .into_iter()
                .filter(|a| {
                    (a.route_ids.is_empty() && a.stop_ids.is_empty())
                        || a.route_ids.iter().any(|r| r == route_id)
                        || a.stop_ids.iter().any(|s| stop_ids.contains(s))
                })
                .collect(),
            live: state,
        })
    }

    /// Journeys from stop `from` to stop `to` leaving at `depart`; the day's routing table
    /// is built once per service day and kept.
    pub fn plan(&self, from: &str, to: &str, depart: i64) -> Result<Plan, BusError> {
        let loaded = self.loaded()?;
        let feed = &loaded.feed;
        let mut day_of = |date: jiff::civil::Date| {
            let mut slot = loaded.day.lock().unwrap_or_else(PoisonError::into_inner);
            match slot.as_ref() {
                Some((held, day)) if *held == date => Arc::clone(day),
                _ => {
                    let day = Arc::new(crate::raptor::DayTimetable::build(
                        feed,
                        date,
                        crate::raptor::footpaths(feed),
                    ));
                    *slot = Some((date, Arc::clone(&day)));
                    day
                }
            }
        };
        Ok(crate::plan_with(feed, from, to, depart, &mut day_of)?)
    }

    pub fn star(&self, kind: StarKind, id: &str, on: bool, now: i64) -> Result<(), BusError> {
        Ok(self.store.star(kind, id, on, now)?)
    }

    fn sync_feed(
        &self,
        gateway: &Gateway,
        now: i64,
        progress: &mut dyn FnMut(u64, Option<u64>),
    ) -> Result<(SyncOutcome, u64), SyncError> {
        let held = self.store.feed().map_err(store_error)?;
        let etag = held
            .as_ref()
            .filter(|f| f.gateway == gateway.address())
            .and_then(|f| f.etag.clone());
        match gateway.get(FEED_PATH, etag.as_deref(), progress)? {
            Answer::NotModified => {
                self.store.mark_checked(now).map_err(store_error)?;
                Ok((SyncOutcome::Unchanged, 0))
            }
            Answer::Body {
                json: zip,
                etag,
                wire,
            } => {
                // Read whole before anything is replaced: a refused feed leaves the old one.
                let (feed, report) = Feed::read(&zip)
                    .map_err(|e| SyncError::BadResponse(format!("bus timetable refused: {e}")))?;
                self.replace(&zip, feed, &report, etag.as_deref(), gateway.address(), now)
                    .map_err(store_error)?;
                Ok((SyncOutcome::Full, wire))
            }
        }
    }

    fn sync_live(&self, gateway: &Gateway, now: i64) -> Result<u64, SyncError> {
        *self
            .live_asked
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = now;
        let etag = self.store.live_etag().map_err(store_error)?;
        match gateway.get(LIVE_PATH, etag.as_deref(), &mut |_, _| {})? {
            Answer::NotModified => Ok(0),
            Answer::Body {
                json: message,
                etag,
                wire,
            } => {
                let decoded = Realtime::decode(&message)
                    .map_err(|e| SyncError::BadResponse(e.to_string()))?;
                self.store
                    .save_live(&message, etag.as_deref(), now)
                    .map_err(store_error)?;
                let mut live = Realtime::default();
                live.merge(decoded);
                *self.live.lock().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(live));
                Ok(wire)
            }
        }
    }
}

fn store_error(error: StoreError) -> SyncError {
    SyncError::Store(Box::new(error))
}

/// The gateway has no such endpoint: the city runs no buses through it.
fn not_offered(error: &SyncError) -> bool {
    matches!(error, SyncError::Gateway { status: 404, .. })
}

impl SyncComponent for Bus {
    fn name(&self) -> &'static str {
        "bus"
    }

    fn sync(
        &self,
        gateway: &Gateway,
        now: i64,
        progress: &mut dyn FnMut(u64, Option<u64>),
    ) -> Result<SyncReport, SyncError> {
        let (outcome, feed_bytes) = match self.sync_feed(gateway, now, progress) {
            Err(e) if not_offered(&e) => return Ok(SyncReport::unchanged(0)),
            other => other?,
        };
        let live_bytes = match self.sync_live(gateway, now) {
            Err(e) if not_offered(&e) => 0,
            other => other?,
        };
        let mut report = SyncReport::unchanged(feed_bytes + live_bytes);
        report.outcome = outcome;
        Ok(report)
    }

    fn freshness(&self, now: i64) -> Result<Freshness, SyncError> {
        let feed = self.store.feed().map_err(store_error)?;
        Ok(Freshness {
            last_checked: feed.as_ref().map(|f| f.checked),
            stale: feed.is_some_and(|f| now - f.checked > STALE_AFTER),
        })
    }

    fn next_due(&self, now: i64) -> Option<i64> {
        let watching = *self.watching.lock().unwrap_or_else(PoisonError::into_inner);
        if now >= watching {
            return None;
        }
        let asked = *self
            .live_asked
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        Some((asked + LIVE_INTERVAL).max(now))
    }
}
