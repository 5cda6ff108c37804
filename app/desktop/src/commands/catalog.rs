use civic_types::{Facets, Procedure, SearchRequest, SearchResults};
use tauri::State;

use super::{CommandError, failed};
use crate::AppState;

#[tauri::command]
pub fn search_procedures(
    state: State<'_, AppState>,
    request: SearchRequest,
) -> Result<SearchResults, CommandError> {
    state
        .civic
        .catalog()
        .read(|store| store.search(&request))
        .map_err(|e| failed(e.code(), e))
}

#[tauri::command]
pub fn get_procedure(
    state: State<'_, AppState>,
    code: String,
) -> Result<Option<Procedure>, CommandError> {
    state
        .civic
        .catalog()
        .read(|store| store.get(&code))
        .map_err(|e| failed(e.code(), e))
}

#[tauri::command]
pub fn catalog_facets(state: State<'_, AppState>) -> Result<Facets, CommandError> {
    state
        .civic
        .catalog()
        .read(|store| store.facets())
        .map_err(|e| failed(e.code(), e))
}
