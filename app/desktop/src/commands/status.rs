use civic_types::status::{AppStatus, Feature};
use tauri::State;

use super::{CommandError, failed};
use crate::AppState;

/// Features this build has pages for.
const SUPPORTED: &[Feature] = &[
    Feature::Procedures,
    Feature::Feedback,
    Feature::Bus,
    Feature::Parking,
];

#[tauri::command]
pub fn app_status(state: State<'_, AppState>) -> Result<AppStatus, CommandError> {
    state
        .civic
        .status(SUPPORTED)
        .map_err(|e| failed(e.code(), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    super::super::assert_command_names! {
        app_status = civic_types::status::commands::STATUS,
    }
}
