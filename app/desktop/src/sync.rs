//! Background sync: the core's one scheduler on its own thread, its state changes sent to
//! the UI as `sync-status` events.

use civic_types::sync::events;
use tauri::{AppHandle, Emitter, Manager};

use crate::AppState;

/// Set by `cargo xtask run` and by deployments; otherwise the gateway of the last sync.
pub const GATEWAY_ENV: &str = "CIVIC_GATEWAY_URL";

/// Sends the current sync status to the UI.
pub fn emit_status(app: &AppHandle) {
    let status = app.state::<AppState>().civic.sync_status();
    if let Err(error) = app.emit(events::SYNC_STATUS, status) {
        tracing::warn!(%error, "cannot send the sync status to the UI");
    }
}

/// Syncs now and then at the city's interval, for the life of the app.
pub fn start_background(app: AppHandle) {
    let spawned = std::thread::Builder::new()
        .name("civic-sync".into())
        .spawn(move || {
            // The keyring is read here, off the thread that draws the window.
            crate::auth::follow_account(&app);
            app.state::<AppState>()
                .civic
                .run_sync(&|| emit_status(&app));
        });
    if let Err(error) = spawned {
        tracing::error!(%error, "cannot start background sync");
    }
}
