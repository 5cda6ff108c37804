//! `civic-bus`: the city's buses from its GTFS feed. `gtfs` reads a feed (a zip of CSV
//! files) into a [`Feed`]: stops, routes, trips and every stop time in compact form, with
//! a report of the rows it could not use; a feed that is not a readable zip, or lacks a
//! file the spec requires, is refused whole. `calendar` says which services run on a day;
//! `departures` lists a stop's next departures, times counted as GTFS counts them (from
//! noon minus 12 hours of the service day, in the feed's own time zone).

//! `plan` finds journeys (RAPTOR over a service day's routing table). Behind the default
//! `app` feature: `store` (the timetable kept on the device) and `component` (its part of a
//! sync round and the flows the pages call); the gateway builds without it.

mod calendar;
#[cfg(feature = "app")]
mod component;
pub mod csa;
mod departures;
mod error;
pub mod gtfs;
mod plan;
pub mod raptor;
pub mod realtime;
pub mod routes;
#[cfg(feature = "app")]
pub mod store;

pub use calendar::Calendar;
#[cfg(feature = "app")]
pub use component::{BUS_FILE, Bus, BusError, FEED_PATH, LIVE_PATH};
pub use departures::{Departure, departures, route_name};
pub use error::TransitError;
pub use gtfs::{Feed, ImportReport, Progress, Rejected, Route, Stop, StopTime, Trip};
pub use plan::{plan_journeys, plan_with};
pub use realtime::Realtime;
#[cfg(feature = "app")]
pub use store::{BusStore, StoreError};
