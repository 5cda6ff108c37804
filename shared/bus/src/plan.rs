//! Journeys between two stops: the service day's routing table (the next day's, late at
//! night, when the departure's has no journey left), RAPTOR's Pareto set, each leg in the
//! words the pages show.

use crate::{Feed, TransitError, raptor, route_name};

/// Journeys from stop `from` to stop `to` (GTFS ids) leaving at `depart` (Unix seconds),
/// on that day's timetable in the feed's zone: the Pareto set over (arrival, rides).
pub fn plan_journeys(
    feed: &Feed,
    from: &str,
    to: &str,
    depart: i64,
) -> Result<civic_types::bus::Plan, TransitError> {
    let footpaths = raptor::footpaths(feed);
    plan_with(feed, from, to, depart, &mut |date| {
        std::sync::Arc::new(raptor::DayTimetable::build(feed, date, footpaths.clone()))
    })
}

/// [`plan_journeys`] with the routing table of a service day from `day_of`: the departure's
/// day, else — late at night, when that day has no journey left — the next day's.
pub fn plan_with(
    feed: &Feed,
    from: &str,
    to: &str,
    depart: i64,
    day_of: &mut dyn FnMut(jiff::civil::Date) -> std::sync::Arc<raptor::DayTimetable>,
) -> Result<civic_types::bus::Plan, TransitError> {
    let stops = (feed.known_stop(from)?, feed.known_stop(to)?);
    let date = civic_time::civil_date(depart, &feed.time_zone);
    let plan = plan_on(feed, &day_of(date), date, stops, depart);
    if !plan.journeys.is_empty() {
        return Ok(plan);
    }
    let Ok(next) = date.tomorrow() else {
        return Ok(plan);
    };
    let later = plan_on(feed, &day_of(next), next, stops, depart);
    Ok(if later.journeys.is_empty() {
        plan
    } else {
        later
    })
}

/// Journeys between `(origin_stop, target)` on `day`, the routing table of service day `date`.
fn plan_on(
    feed: &Feed,
    day: &raptor::DayTimetable,
    date: jiff::civil::Date,
    (origin_stop, target): (u32, u32),
    depart: i64,
) -> civic_types::bus::Plan {
    let origin = civic_time::service_day_origin(date, &feed.time_zone).unwrap_or(depart);
    let leave = i32::try_from(depart - origin).unwrap_or(i32::MAX);
    let journeys = raptor::plan(day, &feed.same_stop_changes, origin_stop, target, leave);
    civic_types::bus::Plan {
        service_date: date.to_string(),
        journeys: journeys.iter().map(|j| journey_view(feed, j)).collect(),
    }
}

fn journey_view(feed: &Feed, journey: &raptor::Journey) -> civic_types::bus::Journey {
    use civic_types::bus::Leg;
    let stop_id = |s: u32| feed.stops[s as usize].id.clone();
    civic_types::bus::Journey {
        arrival: journey.arrival,
        rides: u32::try_from(journey.rides).unwrap_or(u32::MAX),
        legs: journey
            .legs
            .iter()
            .map(|leg| match *leg {
                raptor::Leg::Ride {
                    trip,
                    from,
                    to,
                    depart,
                    arrive,
                } => {
                    let trip = &feed.trips[trip as usize];
                    let route = &feed.routes[trip.route as usize];
                    Leg::Ride {
                        trip_id: trip.id.clone(),
                        route_id: route.id.clone(),
                        route_name: route_name(route),
                        from: stop_id(from),
                        to: stop_id(to),
                        depart,
                        arrive,
                    }
                }
                raptor::Leg::Walk { from, to, seconds } => Leg::Walk {
                    from: stop_id(from),
                    to: stop_id(to),
                    seconds,
                },
            })
            .collect(),
    }
}
