//! City bus: the bus pages' calls. All answer from the device; opening a page that shows
//! live data asks the scheduler for live data every 30 s while it stays open.

use civic_types::bus::{BusOverview, Departures, Plan, RouteView, StarKind, StopSummary};

use super::{CommandError, with_civic};

/// Stops offered per list.
const STOP_CHOICES: usize = 12;

fn now() -> i64 {
    civic_core::time::now_unix()
}

#[tauri::command]
pub async fn bus_overview(
    app: tauri::AppHandle,
    language: String,
) -> Result<BusOverview, CommandError> {
    with_civic(app, move |civic| {
        civic.bus().keep_live();
        civic.bus().overview(now(), &language)
    })
    .await
}

#[tauri::command]
pub async fn bus_nearby(
    app: tauri::AppHandle,
    lat: f64,
    lon: f64,
) -> Result<Vec<StopSummary>, CommandError> {
    with_civic(app, move |civic| civic.bus().nearby(lat, lon, STOP_CHOICES)).await
}

#[tauri::command]
pub async fn bus_search_stops(
    app: tauri::AppHandle,
    query: String,
) -> Result<Vec<StopSummary>, CommandError> {
    with_civic(app, move |civic| civic.bus().search(&query, STOP_CHOICES)).await
}

#[tauri::command]
pub async fn bus_departures(
    app: tauri::AppHandle,
    stop_id: String,
) -> Result<Departures, CommandError> {
    with_civic(app, move |civic| {
        civic.bus().keep_live();
        civic.bus().departures(&stop_id, now(), STOP_CHOICES)
    })
    .await
}

#[tauri::command]
pub async fn bus_route(
    app: tauri::AppHandle,
    route_id: String,
    language: String,
) -> Result<RouteView, CommandError> {
    with_civic(app, move |civic| {
        civic.bus().keep_live();
        civic.bus().route(&route_id, now(), &language)
    })
    .await
}

/// Journeys leaving now, or at `depart` (Unix seconds) when given.
#[tauri::command]
pub async fn bus_plan(
    app: tauri::AppHandle,
    from: String,
    to: String,
    depart: Option<i64>,
) -> Result<Plan, CommandError> {
    with_civic(app, move |civic| {
        civic.bus().plan(&from, &to, depart.unwrap_or_else(now))
    })
    .await
}

#[tauri::command]
pub async fn bus_star(
    app: tauri::AppHandle,
    kind: StarKind,
    id: String,
    on: bool,
) -> Result<(), CommandError> {
    with_civic(app, move |civic| civic.bus().star(kind, &id, on, now())).await
}

#[cfg(test)]
mod tests {
    use civic_types::bus::commands;

    use super::*;

    super::super::assert_command_names! {
        bus_overview = commands::OVERVIEW,
        bus_nearby = commands::NEARBY,
        bus_search_stops = commands::SEARCH,
        bus_departures = commands::DEPARTURES,
        bus_route = commands::ROUTE,
        bus_plan = commands::PLAN,
        bus_star = commands::STAR,
    }
}
