//! Journey planning with RAPTOR (Delling, Pajor, Werneck: "Round-Based Public Transit
//! Routing"): round k finds the earliest arrival at every stop with k rides, so the rounds
//! give the Pareto set over (arrival, rides) directly. Semantics, fixed so results can be
//! reproduced by anyone: a walk between two different stops is allowed when their
//! great-circle distance (haversine, R = 6,371,000 m) is at most 400 m and takes
//! ceil(distance / 1.2) s, and is never followed by another walk; changing at one stop takes
//! 0 s unless `transfers.txt` gives a `min_transfer_time` (type 2) or forbids it (type 3);
//! at most five rides.
//!
//! The timetable of a service day is built once ([`DayTimetable::build`]): the day's trips
//! (and yesterday's running past midnight) grouped into patterns with one stop sequence,
//! split further so that no trip overtakes another, so the first catchable trip at any stop
//! is found by binary search.

use std::collections::HashMap;

use jiff::civil::Date;

use crate::gtfs::Feed;

/// The most rides a journey may take.
pub const MAX_RIDES: usize = 5;
/// Walks between stops at most this far.
pub const MAX_WALK_M: f64 = 400.0;
/// Walking speed, metres per second.
pub const WALK_SPEED: f64 = 1.2;
const UNREACHED: i32 = i32::MAX;

pub use civic_types::geo::distance_m as haversine_m;

/// Every walk of at most [`MAX_WALK_M`] between two different stops, by stop: `(to, s)`.
/// Stops are bucketed in a grid of cells about 400 m wide, so each looks at its neighbours only.
pub fn footpaths(feed: &Feed) -> Vec<Vec<(u32, i32)>> {
    let cell_lat = MAX_WALK_M / 111_000.0;
    let mean_lat = feed.stops.iter().map(|s| s.lat).sum::<f64>() / feed.stops.len().max(1) as f64;
    let cell_lon = cell_lat / mean_lat.to_radians().cos().abs().max(0.01);
    let key = |lat: f64, lon: f64| {
        (
            (lat / cell_lat).floor() as i64,
            (lon / cell_lon).floor() as i64,
        )
    };
    let mut grid: HashMap<(i64, i64), Vec<u32>> = HashMap::new();
    for (i, stop) in feed.stops.iter().enumerate() {
        grid.entry(key(stop.lat, stop.lon))
            .or_default()
            .push(u32::try_from(i).unwrap_or(u32::MAX));
    }
    feed.stops
        .iter()
        .enumerate()
        .map(|(i, stop)| {
            let (row, column) = key(stop.lat, stop.lon);
            let mut walks = Vec::new();
            for dr in -1..=1 {
                for dc in -1..=1 {
                    for &other in grid.get(&(row + dr, column + dc)).into_iter().flatten() {
                        if other as usize == i {
                            continue;
                        }
                        let to = &feed.stops[other as usize];
                        let distance = haversine_m(stop.lat, stop.lon, to.lat, to.lon);
                        if distance <= MAX_WALK_M {
                            walks.push((other, (distance / WALK_SPEED).ceil() as i32));
                        }
                    }
                }
            }
            walks.sort_unstable();
            walks
        })
        .collect()
}

/// Trips with one stop sequence, none overtaking another: `arrival[t * stops + i]`.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    pub(crate) stops: Vec<u32>,
    pub(crate) trips: Vec<u32>,
    pub(crate) arrival: Vec<i32>,
    pub(crate) departure: Vec<i32>,
    /// Boarding allowed at `[t * stops + i]`.
    pub(crate) pickup: Vec<bool>,
    pub(crate) drop_off: Vec<bool>,
}

impl Pattern {
    fn width(&self) -> usize {
        self.stops.len()
    }
    /// The first trip leaving stop `i` at or after `time` that takes passengers there.
    fn first_trip(&self, i: usize, time: i32) -> Option<usize> {
        let width = self.width();
        // Trips keep their order at every stop: the first leaving late enough is found by halving.
        let (mut low, mut high) = (0, self.trips.len());
        while low < high {
            let middle = (low + high) / 2;
            if self.departure[middle * width + i] < time {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        (low..self.trips.len()).find(|&t| self.pickup[t * width + i])
    }
}

/// One service day's trips, ready for queries. Times are seconds from the day's origin
/// (noon minus 12 h); yesterday's trips past midnight are moved onto this day's clock.
#[derive(Debug, Clone)]
pub struct DayTimetable {
    pub date: Date,
    patterns: Vec<Pattern>,
    /// By stop: `(pattern, position)` of every pattern calling there.
    at_stop: Vec<Vec<(u32, u32)>>,
    footpaths: Vec<Vec<(u32, i32)>>,
}

impl DayTimetable {
    /// The timetable of `date` in the feed's zone, with the walks of [`footpaths`].
    pub fn build(feed: &Feed, date: Date, footpaths: Vec<Vec<(u32, i32)>>) -> Self {
        let origin = |d: Date| civic_time::service_day_origin(d, &feed.time_zone);
        let today = origin(date);
        // (trip, shift of its times onto today's clock)
        let mut running: Vec<(u32, i32)> = Vec::new();
        let yesterday = date.yesterday().ok();
        for (number, trip) in feed.trips.iter().enumerate() {
            let number = u32::try_from(number).unwrap_or(u32::MAX);
            if feed.calendar.runs(trip.service, date) {
                running.push((number, 0));
            }
            if let (Some(day), Some(today)) = (yesterday, today)
                && feed.calendar.runs(trip.service, day)
                && let Some(then) = origin(day)
            {
                let shift = i32::try_from(then - today).unwrap_or(i32::MIN);
                // Only the part still running today matters.
                let last = feed.trip_stop_times(number).last().map_or(0, |c| c.arrival);
                if i64::from(last) + i64::from(shift) >= 0 {
                    running.push((number, shift));
                }
            }
        }
        // Group by stop sequence, then deal trips (by first departure) into sub-patterns
        // where each keeps order with the one before at every stop.
        let mut by_sequence: HashMap<Vec<u32>, Vec<(u32, i32)>> = HashMap::new();
        for (trip, shift) in running {
            let calls = feed.trip_stop_times(trip);
            if calls.len() < 2 {
                continue;
            }
            by_sequence
                .entry(calls.iter().map(|c| c.stop).collect())
                .or_default()
                .push((trip, shift));
        }
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut sequences: Vec<_> = by_sequence.into_iter().collect();
        sequences.sort_unstable();
        for (stops, mut trips) in sequences {
            let first_departure = |&(trip, shift): &(u32, i32)| {
                i64::from(feed.trip_stop_times(trip)[0].departure) + i64::from(shift)
            };
            trips.sort_by_key(first_departure);
            let mut dealt: Vec<Pattern> = Vec::new();
            for (trip, shift) in trips {
                let calls = feed.trip_stop_times(trip);
                let arrival: Vec<i32> = calls.iter().map(|c| c.arrival as i32 + shift).collect();
                let departure: Vec<i32> =
                    calls.iter().map(|c| c.departure as i32 + shift).collect();
                let fits = |p: &Pattern| {
                    let last = p.trips.len() - 1;
                    let width = p.width();
                    (0..width).all(|i| {
                        p.departure[last * width + i] <= departure[i]
                            && p.arrival[last * width + i] <= arrival[i]
                    })
                };
                let index = match dealt.iter().position(fits) {
                    Some(index) => index,
                    None => {
                        dealt.push(Pattern {
                            stops: stops.clone(),
                            trips: Vec::new(),
                            arrival: Vec::new(),
                            departure: Vec::new(),
                            pickup: Vec::new(),
                            drop_off: Vec::new(),
                        });
                        dealt.len() - 1
                    }
                };
                let pattern = &mut dealt[index];
                pattern.trips.push(trip);
                pattern.arrival.extend(arrival);
                pattern.departure.extend(departure);
                pattern.pickup.extend(calls.iter().map(|c| !c.no_pickup));
                pattern
                    .drop_off
                    .extend(calls.iter().map(|c| !c.no_drop_off));
            }
            patterns.extend(dealt);
        }
        let mut at_stop = vec![Vec::new(); feed.stops.len()];
        for (p, pattern) in patterns.iter().enumerate() {
            for (i, &stop) in pattern.stops.iter().enumerate() {
                at_stop[stop as usize].push((p as u32, i as u32));
            }
        }
        Self {
            date,
            patterns,
            at_stop,
            footpaths,
        }
    }
}

impl DayTimetable {
    pub(crate) fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }
    pub(crate) fn stop_count(&self) -> usize {
        self.at_stop.len()
    }
    pub(crate) fn walks_from(&self, stop: u32) -> &[(u32, i32)] {
        self.footpaths.get(stop as usize).map_or(&[], Vec::as_slice)
    }
}

/// A part of a journey.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Leg {
    Ride {
        trip: u32,
        from: u32,
        to: u32,
        /// Seconds on the service day's clock.
        depart: i32,
        arrive: i32,
    },
    Walk {
        from: u32,
        to: u32,
        seconds: i32,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journey {
    pub arrival: i32,
    pub rides: usize,
    pub legs: Vec<Leg>,
}

/// How a stop was reached in a round.
#[derive(Debug, Clone, Copy)]
enum Reached {
    Start,
    Ride {
        pattern: u32,
        trip: u32,
        board: u32,
        alight: u32,
        /// Boarded after walking to the stop (not after a ride and a change there).
        after_walk: bool,
    },
    Walk {
        from: u32,
        seconds: i32,
    },
}

/// The Pareto-best journeys from `from` to `to` leaving at `depart` (seconds on the day's
/// clock): for each number of rides, the earliest arrival, kept only when earlier than with
/// fewer rides.
pub fn plan(
    day: &DayTimetable,
    changes: &HashMap<u32, Option<u32>>,
    from: u32,
    to: u32,
    depart: i32,
) -> Vec<Journey> {
    let stops = day.at_stop.len();
    if from as usize >= stops || to as usize >= stops {
        return Vec::new();
    }
    // Per round: arrival by ride, arrival by walk, and how each was reached.
    let mut ride = vec![vec![UNREACHED; stops]; MAX_RIDES + 1];
    let mut walk = vec![vec![UNREACHED; stops]; MAX_RIDES + 1];
    let mut ride_how = vec![vec![Reached::Start; stops]; MAX_RIDES + 1];
    let mut walk_how = vec![vec![Reached::Start; stops]; MAX_RIDES + 1];
    // Over every round so far: the earliest a stop can be left on a vehicle, and the
    // earliest arrival there by ride and on foot (kept apart: only a ride may be followed by
    // a walk, so a later ride can matter after an earlier walk).
    let mut best_board = vec![UNREACHED; stops];
    let mut best_ride = vec![UNREACHED; stops];
    let mut best_walk = vec![UNREACHED; stops];
    let mut marked = vec![false; stops];

    // Round 0: at the origin, and walks from it.
    ride[0][from as usize] = depart;
    best_board[from as usize] = depart;
    best_ride[from as usize] = depart;
    marked[from as usize] = true;
    for &(next, seconds) in &day.footpaths[from as usize] {
        let at = depart + seconds;
        walk[0][next as usize] = at;
        walk_how[0][next as usize] = Reached::Walk { from, seconds };
        best_board[next as usize] = best_board[next as usize].min(at);
        best_walk[next as usize] = at;
        marked[next as usize] = true;
    }
    let best_target = |ride: &[i32], walk: &[i32]| ride[to as usize].min(walk[to as usize]);
    // When a stop can be left in round `k + 1` after arriving in round `k`: by ride (after
    // the change the stop asks for) and on foot.
    let boardable = |ride: &[i32], walk: &[i32], k: usize, stop: usize| -> (i32, i32) {
        let by_ride = if k == 0 || ride[stop] == UNREACHED {
            ride[stop]
        } else {
            match changes.get(&(stop as u32)) {
                None => ride[stop],
                Some(Some(seconds)) => ride[stop].saturating_add(*seconds as i32),
                Some(None) => UNREACHED,
            }
        };
        (by_ride, walk[stop])
    };

    for k in 1..=MAX_RIDES {
        // Patterns to scan, from their earliest marked stop.
        let mut queue: HashMap<u32, u32> = HashMap::new();
        for (is_marked, patterns) in marked.iter_mut().zip(&day.at_stop) {
            if !std::mem::take(is_marked) {
                continue;
            }
            for &(pattern, position) in patterns {
                let entry = queue.entry(pattern).or_insert(position);
                *entry = (*entry).min(position);
            }
        }
        if queue.is_empty() {
            break;
        }
        let (done, this) = ride.split_at_mut(k);
        let (previous_ride, this_ride) = (&done[k - 1], &mut this[0]);
        let previous_walk = &walk[k - 1];
        let mut improved: Vec<u32> = Vec::new();
        let mut scanned: Vec<(u32, u32)> = queue.into_iter().collect();
        scanned.sort_unstable();
        for (p, start) in scanned {
            let pattern = &day.patterns[p as usize];
            let width = pattern.width();
            // The trip ridden: its index, where it was boarded, whether after a walk.
            let mut on: Option<(usize, u32, bool)> = None;
            for i in start as usize..width {
                let stop = pattern.stops[i] as usize;
                if let Some((t, board, after_walk)) = on {
                    let arrive = pattern.arrival[t * width + i];
                    if pattern.drop_off[t * width + i]
                        && arrive < best_ride[stop].min(best_target(&best_ride, &best_walk))
                    {
                        this_ride[stop] = arrive;
                        ride_how[k][stop] = Reached::Ride {
                            pattern: p,
                            trip: t as u32,
                            board,
                            alight: i as u32,
                            after_walk,
                        };
                        best_ride[stop] = arrive;
                        improved.push(stop as u32);
                    }
                }
                let (by_ride, on_foot) = boardable(previous_ride, previous_walk, k - 1, stop);
                let ready = by_ride.min(on_foot);
                if ready == UNREACHED {
                    continue;
                }
                let current = on.map(|(t, _, _)| pattern.departure[t * width + i]);
                if current.is_none_or(|d| ready <= d)
                    && let Some(t) = pattern.first_trip(i, ready)
                    && on.is_none_or(|(now, _, _)| t < now)
                {
                    on = Some((t, i as u32, on_foot <= by_ride));
                }
            }
        }
        // Walks from the stops a ride reached this round.
        improved.sort_unstable();
        improved.dedup();
        for &stop in &improved {
            let arrived = ride[k][stop as usize];
            let (by_ride, on_foot) = boardable(&ride[k], &walk[k], k, stop as usize);
            let board = by_ride.min(on_foot);
            if board < best_board[stop as usize] {
                best_board[stop as usize] = board;
                marked[stop as usize] = true;
            }
            for &(next, seconds) in &day.footpaths[stop as usize] {
                let at = arrived + seconds;
                let n = next as usize;
                if at < best_walk[n].min(best_target(&best_ride, &best_walk)) {
                    walk[k][n] = at;
                    walk_how[k][n] = Reached::Walk {
                        from: stop,
                        seconds,
                    };
                    best_walk[n] = at;
                    if at < best_board[n] {
                        best_board[n] = at;
                        marked[n] = true;
                    }
                }
            }
        }
    }

    let mut journeys: Vec<Journey> = Vec::new();
    for k in 0..=MAX_RIDES {
        let arrival = ride[k][to as usize].min(walk[k][to as usize]);
        if arrival == UNREACHED || journeys.last().is_some_and(|j| j.arrival <= arrival) {
            continue;
        }
        if k == 0 && from == to {
            continue;
        }
        let legs = legs_of(day, &ride, &walk, &ride_how, &walk_how, k, to);
        journeys.push(Journey {
            arrival,
            rides: k,
            legs,
        });
    }
    journeys
}

/// The legs of the journey reaching `to` in round `k`, followed back to the start.
fn legs_of(
    day: &DayTimetable,
    ride: &[Vec<i32>],
    walk: &[Vec<i32>],
    ride_how: &[Vec<Reached>],
    walk_how: &[Vec<Reached>],
    k: usize,
    to: u32,
) -> Vec<Leg> {
    let mut legs = Vec::new();
    let (mut round, mut stop) = (k, to as usize);
    let mut by_walk = walk[k][stop] < ride[k][stop];
    loop {
        let how = if by_walk {
            walk_how[round][stop]
        } else {
            ride_how[round][stop]
        };
        match how {
            Reached::Start => break,
            Reached::Walk { from, seconds } => {
                legs.push(Leg::Walk {
                    from,
                    to: stop as u32,
                    seconds,
                });
                stop = from as usize;
                by_walk = false;
            }
            Reached::Ride {
                pattern,
                trip,
                board,
                alight,
                after_walk,
            } => {
                let p = &day.patterns[pattern as usize];
                let width = p.width();
                let t = trip as usize;
                legs.push(Leg::Ride {
                    trip: p.trips[t],
                    from: p.stops[board as usize],
                    to: p.stops[alight as usize],
                    depart: p.departure[t * width + board as usize],
                    arrive: p.arrival[t * width + alight as usize],
                });
                stop = p.stops[board as usize] as usize;
                round -= 1;
                by_walk = after_walk;
            }
        }
    }
    legs.reverse();
    legs
}
