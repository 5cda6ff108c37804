//! The bus pages' calls to the host.

use civic_types::bus::{BusOverview, Departures, Plan, RouteView, StarKind, StopSummary, commands};
use serde::Serialize;

use dioxus::prelude::*;

use crate::ipc::{IpcError, invoke};

#[derive(Serialize)]
struct Language<'a> {
    language: &'a str,
}

#[derive(Serialize)]
struct Point {
    lat: f64,
    lon: f64,
}

#[derive(Serialize)]
struct Query<'a> {
    query: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StopId<'a> {
    stop_id: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RouteId<'a> {
    route_id: &'a str,
    language: &'a str,
}

#[derive(Serialize)]
struct Between<'a> {
    from: &'a str,
    to: &'a str,
    depart: Option<i64>,
}

#[derive(Serialize)]
struct Star<'a> {
    kind: StarKind,
    id: &'a str,
    on: bool,
}

fn language() -> &'static str {
    crate::i18n::LANG.read().code()
}

pub async fn overview() -> Result<BusOverview, IpcError> {
    invoke(
        commands::OVERVIEW,
        &Language {
            language: language(),
        },
    )
    .await
}

pub async fn nearby(lat: f64, lon: f64) -> Result<Vec<StopSummary>, IpcError> {
    invoke(commands::NEARBY, &Point { lat, lon }).await
}

pub async fn search(query: &str) -> Result<Vec<StopSummary>, IpcError> {
    invoke(commands::SEARCH, &Query { query }).await
}

pub async fn departures(stop_id: &str) -> Result<Departures, IpcError> {
    invoke(commands::DEPARTURES, &StopId { stop_id }).await
}

pub async fn route(route_id: &str) -> Result<RouteView, IpcError> {
    invoke(
        commands::ROUTE,
        &RouteId {
            route_id,
            language: language(),
        },
    )
    .await
}

pub async fn plan(from: &str, to: &str) -> Result<Plan, IpcError> {
    invoke(
        commands::PLAN,
        &Between {
            from,
            to,
            depart: None,
        },
    )
    .await
}

pub async fn star(kind: StarKind, id: &str, on: bool) -> Result<(), IpcError> {
    invoke(commands::STAR, &Star { kind, id, on }).await
}
