use civic_core::{CatalogError, CatalogStore};
use civic_types::{
    catalog::Procedure,
    search::{Facets, SearchRequest, SearchResults},
};
use tauri::State;

use super::{CommandError, failed};
use crate::AppState;

/// Runs `read` on the catalog, its failure sent as its code.
fn read<T>(
    state: &State<'_, AppState>,
    read: impl FnOnce(&CatalogStore) -> Result<T, CatalogError>,
) -> Result<T, CommandError> {
    state
        .civic
        .catalog()
        .read(read)
        .map_err(|e| failed(e.code(), e))
}

#[tauri::command]
pub fn search_procedures(
    state: State<'_, AppState>,
    request: SearchRequest,
) -> Result<SearchResults, CommandError> {
    read(&state, |store| store.search(&request))
}

#[tauri::command]
pub fn get_procedure(
    state: State<'_, AppState>,
    code: String,
) -> Result<Option<Procedure>, CommandError> {
    read(&state, |store| store.get(&code))
}

#[tauri::command]
pub fn catalog_facets(state: State<'_, AppState>) -> Result<Facets, CommandError> {
    read(&state, CatalogStore::facets)
}

#[cfg(test)]
mod tests {
    use super::*;

    super::super::assert_command_names! {
        search_procedures = civic_types::catalog::commands::SEARCH,
        get_procedure = civic_types::catalog::commands::PROCEDURE,
        catalog_facets = civic_types::catalog::commands::FACETS,
    }
}
