//! A route's stops and its line, from the feed alone: the stops of the pattern most of its
//! trips follow, and that pattern's shape simplified for drawing on a phone.

use std::collections::HashMap;

use crate::gtfs::Feed;

/// Points closer than this to the simplified line are dropped: invisible at city scale.
const SIMPLIFY_TOLERANCE_M: f64 = 8.0;

/// The stop riders look for: a platform's station, else the stop itself.
pub fn listed_stop(feed: &Feed, stop: u32) -> u32 {
    feed.stops[stop as usize].parent.unwrap_or(stop)
}

/// The most frequent sequence of stops among route `route`'s trips, and one trip following it.
pub fn main_pattern(feed: &Feed, route: u32) -> Option<(Vec<u32>, u32)> {
    let mut counts: HashMap<Vec<u32>, (usize, u32)> = HashMap::new();
    for (number, trip) in feed.trips.iter().enumerate() {
        if trip.route != route {
            continue;
        }
        let number = u32::try_from(number).unwrap_or(u32::MAX);
        let stops: Vec<u32> = feed
            .trip_stop_times(number)
            .iter()
            .map(|c| c.stop)
            .collect();
        counts.entry(stops).or_insert((0, number)).0 += 1;
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then_with(|| b.1.1.cmp(&a.1.1)))
        .map(|(stops, (_, trip))| (stops, trip))
}

/// The line to draw for `trip`: its shape, else its stops, simplified.
pub fn path(feed: &Feed, trip: u32) -> Vec<(f64, f64)> {
    let points: Vec<(f64, f64)> = match feed.trips[trip as usize].shape {
        Some(shape) if feed.shapes[shape as usize].len() >= 2 => {
            feed.shapes[shape as usize].clone()
        }
        _ => feed
            .trip_stop_times(trip)
            .iter()
            .map(|c| {
                let stop = &feed.stops[c.stop as usize];
                (stop.lat, stop.lon)
            })
            .collect(),
    };
    simplify(&points, SIMPLIFY_TOLERANCE_M)
}

/// Douglas–Peucker on a local flat projection (metres), keeping the ends.
pub fn simplify(points: &[(f64, f64)], tolerance_m: f64) -> Vec<(f64, f64)> {
    if points.len() <= 2 {
        return points.to_vec();
    }
    let lat0 = points[0].0.to_radians();
    let metres = |p: (f64, f64)| {
        (
            p.1.to_radians() * lat0.cos() * 6_371_000.0,
            p.0.to_radians() * 6_371_000.0,
        )
    };
    let flat: Vec<(f64, f64)> = points.iter().copied().map(metres).collect();
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[points.len() - 1] = true;
    let mut spans = vec![(0, points.len() - 1)];
    while let Some((first, last)) = spans.pop() {
        let (a, b) = (flat[first], flat[last]);
        let far = (first + 1..last)
            .map(|i| (i, distance_to_segment(flat[i], a, b)))
            .max_by(|x, y| x.1.total_cmp(&y.1));
        if let Some((i, d)) = far
            && d > tolerance_m
        {
            keep[i] = true;
            spans.push((first, i));
            spans.push((i, last));
        }
    }
    points
        .iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(*p))
        .collect()
}

fn distance_to_segment(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length = dx * dx + dy * dy;
    let t = if length == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / length).clamp(0.0, 1.0)
    };
    let (x, y) = (a.0 + t * dx, a.1 + t * dy);
    ((p.0 - x).powi(2) + (p.1 - y).powi(2)).sqrt()
}

/// Names of the routes calling at each stop, for lists; a station has its platforms'.
pub fn routes_by_stop(feed: &Feed) -> Vec<Vec<String>> {
    let mut names: Vec<Vec<u32>> = vec![Vec::new(); feed.stops.len()];
    for call in &feed.stop_times {
        let route = feed.trips[call.trip as usize].route;
        let stop = &feed.stops[call.stop as usize];
        for at in [Some(call.stop), stop.parent].into_iter().flatten() {
            let at = &mut names[at as usize];
            if !at.contains(&route) {
                at.push(route);
            }
        }
    }
    names
        .into_iter()
        .map(|routes| {
            let mut named: Vec<String> = routes
                .into_iter()
                .map(|r| crate::route_name(&feed.routes[r as usize]))
                .collect();
            named.sort();
            named.dedup();
            named
        })
        .collect()
}
