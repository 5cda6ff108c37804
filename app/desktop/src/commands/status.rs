use civic_types::{AppStatus, Feature};
use tauri::State;

use super::{CommandError, failed};
use crate::AppState;

/// Features this build has pages for.
const SUPPORTED: &[Feature] = &[Feature::Procedures];

#[tauri::command]
pub fn app_status(state: State<'_, AppState>) -> Result<AppStatus, CommandError> {
    state
        .civic
        .status(SUPPORTED)
        .map_err(|e| failed(e.code(), e))
}
