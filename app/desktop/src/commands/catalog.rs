use civic_types::{Facets, Procedure, SearchRequest, SearchResults};
use tauri::State;

use super::CommandError;
use crate::AppState;

#[tauri::command]
pub fn search_procedures(
    state: State<'_, AppState>,
    request: SearchRequest,
) -> Result<SearchResults, CommandError> {
    Ok(state.civic.catalog().read(|store| store.search(&request))?)
}

#[tauri::command]
pub fn get_procedure(
    state: State<'_, AppState>,
    code: String,
) -> Result<Option<Procedure>, CommandError> {
    Ok(state.civic.catalog().read(|store| store.get(&code))?)
}

#[tauri::command]
pub fn catalog_facets(state: State<'_, AppState>) -> Result<Facets, CommandError> {
    Ok(state.civic.catalog().read(|store| store.facets())?)
}
