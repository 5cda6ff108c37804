//! Tauri commands. Names must match `civic_types::commands` (checked by a test below).

use civic_types::{
    AppStatus, Facets, Feature, Procedure, SearchRequest, SearchResults, SyncReport,
};
use serde::Serialize;
use tauri::State;

use crate::AppState;

/// What the UI receives when a command fails: a stable code and a message for people.
#[derive(Debug, Serialize)]
pub struct CommandError {
    code: &'static str,
    message: String,
}

impl From<civic_core::CatalogError> for CommandError {
    fn from(error: civic_core::CatalogError) -> Self {
        tracing::error!(%error, "catalog command failed");
        CommandError {
            code: "catalog",
            message: error.to_string(),
        }
    }
}

fn with_catalog<T>(
    state: &State<'_, AppState>,
    f: impl FnOnce(&civic_core::CatalogStore) -> Result<T, civic_core::CatalogError>,
) -> Result<T, CommandError> {
    // A panic while holding the lock cannot leave the store half-written: writes are transactions.
    let store = state
        .catalog
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    Ok(f(&store)?)
}

#[tauri::command]
pub fn search_procedures(
    state: State<'_, AppState>,
    request: SearchRequest,
) -> Result<SearchResults, CommandError> {
    with_catalog(&state, |store| store.search(&request))
}

#[tauri::command]
pub fn get_procedure(
    state: State<'_, AppState>,
    code: String,
) -> Result<Option<Procedure>, CommandError> {
    with_catalog(&state, |store| store.get(&code))
}

#[tauri::command]
pub fn catalog_facets(state: State<'_, AppState>) -> Result<Facets, CommandError> {
    with_catalog(&state, |store| store.facets())
}

/// Features this build has pages for.
const SUPPORTED: &[Feature] = &[Feature::Procedures];

#[tauri::command]
pub fn app_status(state: State<'_, AppState>) -> Result<AppStatus, CommandError> {
    let catalog = with_catalog(&state, |store| store.status())?;
    // The city decides which of the features this build supports it offers.
    let offered = with_catalog(&state, |store| store.city())?.map(|c| c.features);
    let features = SUPPORTED
        .iter()
        .copied()
        .filter(|f| offered.as_ref().is_none_or(|o| o.contains(f)))
        .collect();
    Ok(AppStatus {
        catalog,
        notices: state.notices.clone(),
        features,
        sync: crate::sync::status(&state)?,
    })
}

/// Syncs with the gateway now; progress arrives as `sync-status` events.
#[tauri::command]
pub async fn sync_now(app: tauri::AppHandle) -> Result<Option<SyncReport>, CommandError> {
    let result = tauri::async_runtime::spawn_blocking(move || crate::sync::sync_once(&app))
        .await
        .map_err(|e| CommandError {
            code: "sync",
            message: e.to_string(),
        })?;
    result.transpose().map_err(|error| CommandError {
        code: if error.is_offline() {
            "offline"
        } else {
            "sync"
        },
        message: error.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use civic_types::commands;

    #[test]
    fn command_names_match_the_shared_constants() {
        assert_eq!(stringify!(search_procedures), commands::SEARCH);
        assert_eq!(stringify!(get_procedure), commands::PROCEDURE);
        assert_eq!(stringify!(catalog_facets), commands::FACETS);
        assert_eq!(stringify!(app_status), commands::STATUS);
        assert_eq!(stringify!(sync_now), commands::SYNC_NOW);
    }
}
