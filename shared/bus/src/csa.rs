//! The plain connection scan (Dibbelt, Pätzold, Strasser, Wagner: "Connection Scan
//! Algorithm"), with the same semantics as [`crate::raptor`] (walks of at most 400 m, never two
//! in a row; the same change rules) but no limit on rides: the earliest arrival only. It is
//! the peer RAPTOR is measured against, and a check of its answers.

use std::collections::HashMap;

use crate::raptor::DayTimetable;

const UNREACHED: i32 = i32::MAX;

/// One hop of one trip between two consecutive stops.
#[derive(Debug, Clone, Copy)]
struct Connection {
    depart: i32,
    arrive: i32,
    from: u32,
    to: u32,
    /// A number for the trip on this day (its pattern and place there).
    trip: u32,
    pickup: bool,
    drop_off: bool,
}

/// Every connection of a day, by departure.
#[derive(Debug, Clone)]
pub struct Connections {
    connections: Vec<Connection>,
    trips: usize,
}

impl Connections {
    pub fn of(day: &DayTimetable) -> Self {
        let mut connections = Vec::new();
        let mut trips = 0u32;
        for pattern in day.patterns() {
            let width = pattern.stops.len();
            for t in 0..pattern.trips.len() {
                for i in 0..width - 1 {
                    connections.push(Connection {
                        depart: pattern.departure[t * width + i],
                        arrive: pattern.arrival[t * width + i + 1],
                        from: pattern.stops[i],
                        to: pattern.stops[i + 1],
                        trip: trips,
                        pickup: pattern.pickup[t * width + i],
                        drop_off: pattern.drop_off[t * width + i + 1],
                    });
                }
                trips += 1;
            }
        }
        connections.sort_by_key(|c| (c.depart, c.arrive));
        Self {
            connections,
            trips: trips as usize,
        }
    }
}

/// The earliest arrival at `to` leaving `from` at `depart`, any number of rides.
pub fn earliest_arrival(
    day: &DayTimetable,
    connections: &Connections,
    changes: &HashMap<u32, Option<u32>>,
    from: u32,
    to: u32,
    depart: i32,
) -> Option<i32> {
    let stops = day.stop_count();
    let mut by_ride = vec![UNREACHED; stops];
    let mut on_foot = vec![UNREACHED; stops];
    let mut aboard = vec![false; connections.trips];
    on_foot[from as usize] = depart;
    for &(next, seconds) in day.walks_from(from) {
        on_foot[next as usize] = on_foot[next as usize].min(depart + seconds);
    }
    let ready = |by_ride: &[i32], on_foot: &[i32], stop: usize| {
        let after_ride = match (by_ride[stop], changes.get(&(stop as u32))) {
            (UNREACHED, _) | (_, Some(None)) => UNREACHED,
            (at, None) => at,
            (at, Some(Some(seconds))) => at.saturating_add(*seconds as i32),
        };
        after_ride.min(on_foot[stop])
    };
    let start = connections
        .connections
        .partition_point(|c| c.depart < depart);
    for c in &connections.connections[start..] {
        let best = by_ride[to as usize].min(on_foot[to as usize]);
        if c.depart >= best {
            break;
        }
        let trip = c.trip as usize;
        if !aboard[trip] && c.pickup && ready(&by_ride, &on_foot, c.from as usize) <= c.depart {
            aboard[trip] = true;
        }
        if !aboard[trip] || !c.drop_off || c.arrive >= by_ride[c.to as usize] {
            continue;
        }
        by_ride[c.to as usize] = c.arrive;
        for &(next, seconds) in day.walks_from(c.to) {
            let at = c.arrive + seconds;
            if at < on_foot[next as usize] {
                on_foot[next as usize] = at;
            }
        }
    }
    let best = by_ride[to as usize].min(on_foot[to as usize]);
    (best != UNREACHED && from != to).then_some(best)
}
