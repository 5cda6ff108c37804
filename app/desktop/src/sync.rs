//! Background sync with the city's gateway: once at start, then every `interval_minutes` of
//! the city profile, and when the user asks. Downloads happen without the catalog lock; only
//! the all-or-nothing apply takes it, so searching never waits on the network.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use civic_core::sync::{Gateway, SyncError};
use civic_types::{SyncReport, SyncState, SyncStatus, events};
use tauri::{AppHandle, Emitter, Manager};

use crate::AppState;

/// Set by `cargo xtask run` and by deployments; otherwise the gateway of the last sync.
pub const GATEWAY_ENV: &str = "CIVIC_GATEWAY_URL";
/// How often to try when no city profile says otherwise.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(60 * 60);
/// After failing to reach the gateway, try again sooner: rural coverage comes and goes.
const OFFLINE_RETRY: Duration = Duration::from_secs(5 * 60);
/// Progress events at most this often: enough for a smooth bar, cheap over IPC.
const PROGRESS_EVERY: Duration = Duration::from_millis(150);

/// The live part of the sync status, which only this process knows.
#[derive(Debug)]
pub struct Live {
    pub gateway: Option<Gateway>,
    pub state: Mutex<SyncState>,
    /// Serialises syncs: the timer and the button must not race.
    running: Mutex<()>,
}

impl Live {
    pub fn new(gateway: Option<Gateway>) -> Self {
        Self {
            gateway,
            state: Mutex::new(SyncState::Idle),
            running: Mutex::new(()),
        }
    }
}

pub fn status(state: &AppState) -> Result<SyncStatus, civic_core::CatalogError> {
    let store = state.catalog.lock().unwrap_or_else(PoisonError::into_inner);
    let mut status = store.sync_status(
        state.sync.gateway.as_ref().map(Gateway::address),
        civic_core::time::now_unix(),
    )?;
    status.state = state
        .sync
        .state
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    Ok(status)
}

fn set_state(app: &AppHandle, new: SyncState) {
    let state = app.state::<AppState>();
    *state
        .sync
        .state
        .lock()
        .unwrap_or_else(PoisonError::into_inner) = new;
    match status(&state) {
        Ok(status) => {
            if let Err(error) = app.emit(events::SYNC_STATUS, status) {
                tracing::warn!(%error, "cannot send the sync status to the UI");
            }
        }
        Err(error) => tracing::warn!(%error, "cannot read the sync status"),
    }
}

/// One sync, reporting progress to the UI. `None` when no gateway is configured.
pub fn sync_once(app: &AppHandle) -> Option<Result<SyncReport, SyncError>> {
    let state = app.state::<AppState>();
    let gateway = state.sync.gateway.clone()?;
    let _running = state
        .sync
        .running
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    set_state(
        app,
        SyncState::Syncing {
            received: 0,
            total: None,
        },
    );
    let checkpoint = state
        .catalog
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .checkpoint(gateway.address());
    let mut last_event = Instant::now();
    let result = checkpoint.map_err(SyncError::from).and_then(|checkpoint| {
        gateway.fetch(&checkpoint, &mut |received, total| {
            if last_event.elapsed() >= PROGRESS_EVERY {
                last_event = Instant::now();
                set_state(app, SyncState::Syncing { received, total });
            }
        })
    });
    let result = result.and_then(|fetched| {
        state
            .catalog
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .apply_sync(gateway.address(), fetched, civic_core::time::now_unix())
    });
    let next = match &result {
        Ok(report) => {
            tracing::info!(outcome = ?report.outcome, bytes = report.bytes, "synced");
            SyncState::Idle
        }
        Err(error) if error.is_offline() => {
            tracing::info!(%error, "gateway unreachable; working offline");
            SyncState::Offline
        }
        Err(error) => {
            tracing::warn!(%error, "sync failed");
            SyncState::Failed {
                message: error.to_string(),
            }
        }
    };
    set_state(app, next);
    Some(result)
}

/// Syncs now and then every interval, on its own thread, for the life of the app.
pub fn start_background(app: AppHandle) {
    let spawned = std::thread::Builder::new()
        .name("civic-sync".into())
        .spawn(move || {
            loop {
                let offline = match sync_once(&app) {
                    None => return, // no gateway: nothing to do, ever
                    Some(result) => result.is_err_and(|e| e.is_offline()),
                };
                let interval = app
                    .state::<AppState>()
                    .catalog
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .city()
                    .ok()
                    .flatten()
                    .map_or(DEFAULT_INTERVAL, |c| {
                        Duration::from_secs(u64::from(c.sync.interval_minutes.max(1)) * 60)
                    });
                std::thread::sleep(if offline {
                    interval.min(OFFLINE_RETRY)
                } else {
                    interval
                });
            }
        });
    if let Err(error) = spawned {
        tracing::error!(%error, "cannot start background sync");
    }
}

/// The gateway from the environment, else the one last synced with.
pub fn configured_gateway(store: &civic_core::CatalogStore) -> Option<Gateway> {
    let address = std::env::var(GATEWAY_ENV)
        .ok()
        .filter(|a| !a.trim().is_empty())
        .or_else(|| store.synced_gateway().ok().flatten())?;
    match Gateway::new(&address) {
        Ok(gateway) => Some(gateway),
        Err(error) => {
            tracing::warn!(%error, "ignoring the configured gateway");
            None
        }
    }
}
