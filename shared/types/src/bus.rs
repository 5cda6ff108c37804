//! City bus: departures at a stop and planned journeys, as the CLI prints them and the UI
//! shows them. Times are seconds on the service day's clock (from noon minus 12 h, which is
//! midnight except when the clocks change; they may pass 24 h), with the service day.

use serde::{Deserialize, Serialize};

/// A trip leaving a stop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Departure {
    pub trip_id: String,
    pub route_id: String,
    /// The route's short name, else its long name.
    pub route_name: String,
    pub headsign: String,
    pub stop_id: String,
    /// `YYYY-MM-DD`.
    pub service_date: String,
    pub seconds: u32,
    /// Unix seconds, as scheduled.
    pub at: i64,
    /// What the live feed says of it.
    pub live: Live,
}

/// A departure as the live feed (GTFS-Realtime TripUpdates) has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Live {
    /// No fresh live data about this trip: the timetable only.
    #[default]
    Scheduled,
    /// Expected at `at` (Unix seconds), `delay` seconds after the timetable (negative: early).
    Expected { at: i64, delay: i32 },
    /// The trip is cancelled, or will not stop here.
    Cancelled,
}

/// How old the live data behind a list of departures is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum LiveData {
    /// No live feed at all: every departure is the timetable's.
    Missing,
    /// Applied; `age` seconds old.
    Fresh { age: i64 },
    /// Too old to trust (`age` seconds): not applied, departures are the timetable's.
    Stale { age: i64 },
}

/// A stop's next departures and whether live data was applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Departures {
    pub stop_id: String,
    pub stop_name: String,
    /// The feed's zone, in which its clock times are read.
    pub time_zone: String,
    /// The resident starred this stop.
    pub starred: bool,
    pub departures: Vec<Departure>,
    pub live: LiveData,
}

/// A vehicle where the live feed last saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vehicle {
    pub id: String,
    pub label: String,
    pub trip_id: Option<String>,
    pub route_id: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub bearing: Option<f32>,
    /// Unix seconds of the position.
    pub seen: i64,
    /// Seconds between the position and the moment asked about.
    pub age: i64,
}

/// A service alert in force, in the reader's language where the feed has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    pub id: String,
    pub header: String,
    pub description: String,
    pub url: Option<String>,
    /// The feed's `Effect`, e.g. `SIGNIFICANT_DELAYS`, `DETOUR`, `NO_SERVICE`.
    pub effect: String,
    /// The feed's `Cause`, e.g. `MEDICAL_EMERGENCY`.
    pub cause: String,
    /// Empty: the whole network.
    pub route_ids: Vec<String>,
    pub stop_ids: Vec<String>,
    /// Unix seconds; `None`: open-ended.
    pub until: Option<i64>,
}

/// One part of a journey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Leg {
    Ride {
        trip_id: String,
        route_id: String,
        /// The route's name as riders know it.
        route_name: String,
        from: String,
        to: String,
        depart: i32,
        arrive: i32,
    },
    Walk {
        from: String,
        to: String,
        seconds: i32,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journey {
    /// Seconds on the service day's clock.
    pub arrival: i32,
    pub rides: u32,
    pub legs: Vec<Leg>,
}

/// What `plan` answers: the Pareto-best journeys, fewest rides first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Plan {
    pub service_date: String,
    pub journeys: Vec<Journey>,
}

/// A stop as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StopSummary {
    pub id: String,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    /// Metres from the position asked about (nearby stops only).
    pub distance: Option<f64>,
    /// Names of the routes calling here.
    pub routes: Vec<String>,
    pub starred: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteSummary {
    pub id: String,
    /// The short name riders use (`01`), else the long name.
    pub name: String,
    pub long_name: String,
    /// `RRGGBB`.
    pub color: Option<String>,
    pub starred: bool,
}

/// A route's page: its stops in order and its line, drawn on the device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteView {
    pub route: RouteSummary,
    /// The stops of its most frequent trip pattern, in order.
    pub stops: Vec<StopSummary>,
    /// The line (lat, lon), simplified from `shapes.txt` (or the stops, without shapes).
    pub path: Vec<(f64, f64)>,
    pub vehicles: Vec<Vehicle>,
    pub alerts: Vec<Alert>,
    pub live: LiveData,
}

/// How old the timetable on the device is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timetable {
    /// Unix seconds the gateway last confirmed it (changed or not).
    pub checked: Option<i64>,
    /// Unix seconds it was received.
    pub received: i64,
    /// Not confirmed for longer than the city's limit: may be out of date.
    pub stale: bool,
    pub stops: u32,
    pub routes: u32,
    /// Rows of the feed left out as unusable.
    pub rejected_rows: u32,
}

/// A starred stop with its next departures, from the device alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StarredStop {
    pub stop: StopSummary,
    pub departures: Departures,
}

/// What the bus page opens with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BusOverview {
    /// `None`: no timetable has arrived yet.
    pub timetable: Option<Timetable>,
    pub stops: Vec<StarredStop>,
    pub routes: Vec<RouteSummary>,
    pub alerts: Vec<Alert>,
    pub live: LiveData,
    /// Where the city's map is drawn (the feed's stops' bounding box: south, west, north, east).
    pub bounds: Option<(f64, f64, f64, f64)>,
}

/// What a resident can star: kept offline, listed first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StarKind {
    Stop,
    Route,
}

/// The names of the host's bus commands, shared by the host and the UI.
pub mod commands {
    pub const OVERVIEW: &str = "bus_overview";
    pub const NEARBY: &str = "bus_nearby";
    pub const SEARCH: &str = "bus_search_stops";
    pub const DEPARTURES: &str = "bus_departures";
    pub const ROUTE: &str = "bus_route";
    pub const PLAN: &str = "bus_plan";
    pub const STAR: &str = "bus_star";
}
