//! A stop's next departures from the timetable: the trips calling there (or at any stop of
//! the same station) whose service runs on the day, counted from that service day's origin.
//! Yesterday's service day is looked at too (its trips past 24:00 leave today), and
//! tomorrow's (its first trips, seen late at night). Fresh live
//! data moves each departure to its expected time or marks it cancelled.

use crate::error::TransitError;
use crate::gtfs::Feed;
use crate::realtime::Realtime;

pub use civic_types::bus::Departure;
use civic_types::bus::{Departures, Live, LiveData};

/// How long after its timetabled time a late bus is still looked for, when live data says so.
const LATE_WINDOW: i64 = 2 * 60 * 60;

/// Up to `limit` departures from stop `stop_id` (and the other stops of its station) at or
/// after `from` (Unix seconds), soonest first by their expected time. The last stop of a
/// trip is no departure. `realtime` is applied when fresh at `from`.
pub fn departures(
    feed: &Feed,
    stop_id: &str,
    from: i64,
    limit: usize,
    realtime: Option<&Realtime>,
) -> Result<Departures, TransitError> {
    let stop = feed.known_stop(stop_id)?;
    let station = feed.stops[stop as usize].parent.unwrap_or(stop);
    let here: Vec<u32> = (0..u32::try_from(feed.stops.len()).unwrap_or(u32::MAX))
        .filter(|&s| s == station || feed.stops[s as usize].parent == Some(station))
        .collect();
    let live_data = realtime.map_or(LiveData::Missing, |r| r.state(from));
    let live = realtime.filter(|_| matches!(live_data, LiveData::Fresh { .. }));
    let earliest = if live.is_some() {
        from - LATE_WINDOW
    } else {
        from
    };
    let today = civic_time::civil_date(from, &feed.time_zone);
    let mut found = Vec::new();
    // Yesterday's trips past midnight and, late at night, tomorrow's first ones.
    for date in [today.yesterday(), Ok(today), today.tomorrow()]
        .into_iter()
        .flatten()
    {
        let Some(origin) = civic_time::service_day_origin(date, &feed.time_zone) else {
            continue;
        };
        for &at_stop in &here {
            for &index in feed.calls_at(at_stop) {
                let call = &feed.stop_times[index as usize];
                let trip = &feed.trips[call.trip as usize];
                let scheduled = origin + i64::from(call.departure);
                if call.no_pickup || scheduled < earliest || !feed.calendar.runs(trip.service, date)
                {
                    continue;
                }
                let calls = feed.trip_stop_times(call.trip);
                let position = index as usize - feed.trip_start[call.trip as usize] as usize;
                if position + 1 >= calls.len() {
                    continue;
                }
                let state = live.map_or(Live::Scheduled, |r| {
                    r.call(feed, call.trip, date, position, origin)
                });
                let expected = match state {
                    Live::Expected { at, .. } => at,
                    Live::Scheduled | Live::Cancelled => scheduled,
                };
                if expected < from {
                    continue;
                }
                let route = &feed.routes[trip.route as usize];
                found.push((
                    expected,
                    Departure {
                        trip_id: trip.id.clone(),
                        route_id: route.id.clone(),
                        route_name: route_name(route),
                        headsign: trip.headsign.clone(),
                        stop_id: feed.stops[call.stop as usize].id.clone(),
                        service_date: date.to_string(),
                        seconds: call.departure,
                        at: scheduled,
                        live: state,
                    },
                ));
            }
        }
    }
    found.sort_by(|a, b| (a.0, &a.1.trip_id).cmp(&(b.0, &b.1.trip_id)));
    found.truncate(limit);
    Ok(Departures {
        stop_id: stop_id.to_owned(),
        stop_name: feed.stops[stop as usize].name.clone(),
        time_zone: feed.time_zone_name.clone(),
        starred: false,
        departures: found.into_iter().map(|(_, d)| d).collect(),
        live: live_data,
    })
}

/// The name riders know a route by: its short name, else its long name, else its id.
pub fn route_name(route: &crate::gtfs::Route) -> String {
    [&route.short_name, &route.long_name, &route.id]
        .into_iter()
        .find(|n| !n.trim().is_empty())
        .cloned()
        .unwrap_or_default()
}
