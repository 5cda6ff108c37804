//! `civic-transit`: the city's buses from its GTFS feed. `gtfs` reads a feed (a zip of CSV
//! files) into a [`Feed`]: stops, routes, trips and every stop time in compact form, with
//! a report of the rows it could not use; a feed that is not a readable zip, or lacks a
//! file the spec requires, is refused whole. `calendar` says which services run on a day;
//! `departures` lists a stop's next departures, times counted as GTFS counts them (from
//! noon minus 12 hours of the service day, in the feed's own time zone).

mod calendar;
mod departures;
mod error;
pub mod gtfs;

pub use calendar::Calendar;
pub use departures::{Departure, departures};
pub use error::TransitError;
pub use gtfs::{Feed, ImportReport, Rejected, Route, Stop, StopTime, Trip};
