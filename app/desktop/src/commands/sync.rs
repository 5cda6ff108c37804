use civic_types::sync::SyncReport;

use super::{CommandError, blocking, failed};
use crate::AppState;

/// Syncs with the gateway now; progress arrives as `sync-status` events.
#[tauri::command]
pub async fn sync_now(app: tauri::AppHandle) -> Result<Option<SyncReport>, CommandError> {
    blocking(move || {
        use tauri::Manager;
        let result = app
            .state::<AppState>()
            .civic
            .sync_now(&|| crate::sync::emit_status(&app));
        result
            .transpose()
            .map_err(|error| failed(error.code(), error))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    super::super::assert_command_names! {
        sync_now = civic_types::sync::commands::SYNC_NOW,
    }
}
