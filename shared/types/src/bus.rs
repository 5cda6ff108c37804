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
    /// Unix seconds.
    pub at: i64,
}

/// One part of a journey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Leg {
    Ride {
        trip_id: String,
        route_id: String,
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
