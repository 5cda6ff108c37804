//! Tauri commands. Names must match `civic_types::commands` (checked by a test below).

use civic_types::{AppStatus, Facets, Feature, Procedure, SearchRequest, SearchResults};
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

#[tauri::command]
pub fn app_status(state: State<'_, AppState>) -> Result<AppStatus, CommandError> {
    let catalog = with_catalog(&state, |store| store.status())?;
    Ok(AppStatus {
        catalog,
        notices: state.notices.clone(),
        features: vec![Feature::Procedures],
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
    }
}
