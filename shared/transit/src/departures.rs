//! A stop's next departures from the timetable: the trips calling there (or at any stop of
//! the same station) whose service runs on the day, counted from that service day's origin.
//! Yesterday's service day is looked at too: its trips past 24:00 leave today.

use crate::error::TransitError;
use crate::gtfs::Feed;

pub use civic_types::bus::Departure;

/// Up to `limit` departures from stop `stop_id` (and the other stops of its station) at or
/// after `from` (Unix seconds), soonest first. The last stop of a trip is no departure.
pub fn departures(
    feed: &Feed,
    stop_id: &str,
    from: i64,
    limit: usize,
) -> Result<Vec<Departure>, TransitError> {
    let stop = feed
        .stop(stop_id)
        .ok_or_else(|| TransitError::UnknownStop(stop_id.to_owned()))?;
    let station = feed.stops[stop as usize].parent.unwrap_or(stop);
    let here = |s: u32| s == station || feed.stops[s as usize].parent == Some(station);
    let today = civic_time::civil_date(from, &feed.time_zone);
    let mut found = Vec::new();
    for date in [today.yesterday(), Ok(today)].into_iter().flatten() {
        let Some(origin) = civic_time::service_day_origin(date, &feed.time_zone) else {
            continue;
        };
        for (trip_number, trip) in feed.trips.iter().enumerate() {
            if !feed.calendar.runs(trip.service, date) {
                continue;
            }
            let calls = feed.trip_stop_times(u32::try_from(trip_number).unwrap_or(u32::MAX));
            let Some((_, before_last)) = calls.split_last() else {
                continue;
            };
            for call in before_last.iter().filter(|c| here(c.stop) && !c.no_pickup) {
                let at = origin + i64::from(call.departure);
                if at >= from {
                    let route = &feed.routes[trip.route as usize];
                    found.push(Departure {
                        trip_id: trip.id.clone(),
                        route_id: route.id.clone(),
                        route_name: if route.short_name.is_empty() {
                            route.long_name.clone()
                        } else {
                            route.short_name.clone()
                        },
                        headsign: trip.headsign.clone(),
                        stop_id: feed.stops[call.stop as usize].id.clone(),
                        service_date: date.to_string(),
                        seconds: call.departure,
                        at,
                    });
                }
            }
        }
    }
    found.sort_by(|a, b| (a.at, &a.trip_id).cmp(&(b.at, &b.trip_id)));
    found.truncate(limit);
    Ok(found)
}
