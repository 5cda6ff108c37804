//! GTFS-Realtime: what the live feed says of trips (TripUpdates), vehicles
//! (VehiclePositions) and disruptions (Alerts). Messages are decoded by prost from the
//! official schema (the `gtfs-realtime` crate); everything in them is untrusted and only
//! read, never indexed by.
//!
//! Delays follow the specification's propagation: a call takes the prediction of the last
//! update at or before it on its trip; before the first update the timetable stands.

use std::collections::HashMap;

use gtfs_realtime::trip_update::StopTimeUpdate;
use gtfs_realtime::trip_update::stop_time_update::ScheduleRelationship as StopRelationship;
use gtfs_realtime::{FeedMessage, TranslatedString, TripUpdate};
use prost::Message;

use crate::error::TransitError;
use crate::gtfs::{Feed, StopTime};
use civic_types::bus::{Alert, Live, LiveData, Vehicle};

/// A message larger than this is refused before decoding: the largest real feeds (a city's
/// TripUpdates) are a few megabytes.
pub const MAX_MESSAGE_BYTES: usize = 32 * 1024 * 1024;
/// Live data older than this is not applied to departures: the page says "scheduled only".
pub const MAX_LIVE_AGE: i64 = 10 * 60;

/// The live feed's messages, merged (a city may serve TripUpdates, VehiclePositions and
/// Alerts as separate messages, or in one).
#[derive(Debug, Default, Clone)]
pub struct Realtime {
    /// The newest header timestamp merged (Unix seconds).
    pub timestamp: Option<i64>,
    trips: HashMap<String, Vec<TripUpdate>>,
    vehicles: Vec<(String, gtfs_realtime::VehiclePosition)>,
    alerts: Vec<(String, gtfs_realtime::Alert)>,
}

impl Realtime {
    /// Decodes one `FeedMessage` (protobuf bytes).
    pub fn decode(bytes: &[u8]) -> Result<FeedMessage, TransitError> {
        if bytes.len() > MAX_MESSAGE_BYTES {
            return Err(TransitError::Realtime(format!(
                "{} bytes, more than the {MAX_MESSAGE_BYTES} accepted",
                bytes.len()
            )));
        }
        FeedMessage::decode(bytes).map_err(|e| TransitError::Realtime(e.to_string()))
    }

    /// Reads messages into one view; a message that does not decode refuses the lot.
    pub fn read<'a>(messages: impl IntoIterator<Item = &'a [u8]>) -> Result<Self, TransitError> {
        let mut live = Self::default();
        for bytes in messages {
            live.merge(Self::decode(bytes)?);
        }
        Ok(live)
    }

    pub fn merge(&mut self, message: FeedMessage) {
        if let Some(at) = message.header.timestamp.and_then(|t| i64::try_from(t).ok()) {
            self.timestamp = Some(self.timestamp.map_or(at, |t| t.max(at)));
        }
        for entity in message.entity {
            if entity.is_deleted == Some(true) {
                continue;
            }
            if let Some(update) = entity.trip_update
                && let Some(trip_id) = update.trip.trip_id.clone()
            {
                self.trips.entry(trip_id).or_default().push(update);
            }
            if let Some(vehicle) = entity.vehicle {
                self.vehicles.push((entity.id.clone(), vehicle));
            }
            if let Some(alert) = entity.alert {
                self.alerts.push((entity.id.clone(), alert));
            }
        }
    }

    /// How many trips the feed updates, and how many of those it cancels.
    pub fn trip_counts(&self) -> (usize, usize) {
        use gtfs_realtime::trip_descriptor::ScheduleRelationship as TripRelationship;
        let updates = self.trips.values().flatten();
        let cancelled = updates
            .clone()
            .filter(|u| u.trip.schedule_relationship == Some(TripRelationship::Canceled as i32))
            .count();
        (updates.count(), cancelled)
    }

    pub fn is_empty(&self) -> bool {
        self.trips.is_empty() && self.vehicles.is_empty() && self.alerts.is_empty()
    }

    /// Whether the data can be applied at `now`.
    pub fn state(&self, now: i64) -> LiveData {
        match self.timestamp {
            _ if self.is_empty() => LiveData::Missing,
            None => LiveData::Stale { age: i64::MAX },
            Some(at) => {
                let age = (now - at).max(0);
                if age > MAX_LIVE_AGE {
                    LiveData::Stale { age }
                } else {
                    LiveData::Fresh { age }
                }
            }
        }
    }

    /// What the feed says of `trip`'s call `call` (an index into its stop times) on the
    /// service day `service_date` whose times count from `origin` (Unix seconds).
    pub fn call(
        &self,
        feed: &Feed,
        trip: u32,
        service_date: jiff::civil::Date,
        call: usize,
        origin: i64,
    ) -> Live {
        let calls = feed.trip_stop_times(trip);
        let trip_id = &feed.trips[trip as usize].id;
        let Some(update) = self.trip_update(trip_id, service_date) else {
            return Live::Scheduled;
        };
        use gtfs_realtime::trip_descriptor::ScheduleRelationship as TripRelationship;
        let relationship = update.trip.schedule_relationship.unwrap_or(0);
        if relationship == TripRelationship::Canceled as i32
            || relationship == TripRelationship::Deleted as i32
        {
            return Live::Cancelled;
        }
        let scheduled = origin + i64::from(calls[call].departure);
        let mut last: Option<(usize, &StopTimeUpdate)> = None;
        let mut from = 0;
        for stop_update in &update.stop_time_update {
            let Some(at) = position(stop_update, feed, calls, from) else {
                continue;
            };
            if at > call {
                break;
            }
            last = Some((at, stop_update));
            from = at;
        }
        let Some((at, stop_update)) = last else {
            return update
                .delay
                .map_or(Live::Scheduled, |delay| Live::Expected {
                    at: scheduled + i64::from(delay),
                    delay,
                });
        };
        match stop_update.schedule_relationship.unwrap_or(0) {
            r if r == StopRelationship::NoData as i32 => return Live::Scheduled,
            r if r == StopRelationship::Skipped as i32 && at == call => return Live::Cancelled,
            _ => {}
        }
        let updated = &calls[at];
        let delay = event_delay(stop_update.departure.as_ref(), origin, updated.departure)
            .or_else(|| event_delay(stop_update.arrival.as_ref(), origin, updated.arrival));
        match delay {
            Some(delay) => Live::Expected {
                at: scheduled + i64::from(delay),
                delay,
            },
            None => Live::Scheduled,
        }
    }

    fn trip_update(&self, trip_id: &str, service_date: jiff::civil::Date) -> Option<&TripUpdate> {
        let date = service_date.strftime("%Y%m%d").to_string();
        self.trips
            .get(trip_id)?
            .iter()
            .find(|u| u.trip.start_date.as_ref().is_none_or(|d| *d == date))
    }

    /// Every vehicle with a position, `age` counted at `now`; of route `route` only when given
    /// (a vehicle without a route in the feed takes its trip's route from `feed`).
    pub fn vehicles(&self, feed: Option<&Feed>, route: Option<&str>, now: i64) -> Vec<Vehicle> {
        let mut found: Vec<Vehicle> = self
            .vehicles
            .iter()
            .filter_map(|(entity, v)| {
                let position = v.position.as_ref()?;
                let (lat, lon) = (f64::from(position.latitude), f64::from(position.longitude));
                if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                    return None;
                }
                let trip_id = v.trip.as_ref().and_then(|t| t.trip_id.clone());
                let route_id = v
                    .trip
                    .as_ref()
                    .and_then(|t| t.route_id.clone())
                    .or_else(|| {
                        let feed = feed?;
                        let trip = feed.trip(trip_id.as_deref()?)?;
                        Some(
                            feed.routes[feed.trips[trip as usize].route as usize]
                                .id
                                .clone(),
                        )
                    });
                let seen = v
                    .timestamp
                    .and_then(|t| i64::try_from(t).ok())
                    .or(self.timestamp)?;
                let descriptor = v.vehicle.as_ref();
                Some(Vehicle {
                    id: descriptor
                        .and_then(|d| d.id.clone())
                        .filter(|id| !id.is_empty())
                        .unwrap_or_else(|| entity.clone()),
                    label: descriptor.and_then(|d| d.label.clone()).unwrap_or_default(),
                    trip_id,
                    route_id,
                    lat,
                    lon,
                    bearing: position.bearing.filter(|b| b.is_finite()),
                    seen,
                    age: (now - seen).max(0),
                })
            })
            .filter(|v| route.is_none_or(|r| v.route_id.as_deref() == Some(r)))
            .collect();
        found.sort_by(|a, b| a.id.cmp(&b.id));
        found
    }

    /// Alerts in force at `now`, in `language` where the feed has it (else English, else
    /// whatever it has). A trip named by an alert counts as its route (through `feed`).
    pub fn alerts(&self, feed: Option<&Feed>, now: i64, language: &str) -> Vec<Alert> {
        use gtfs_realtime::alert::{Cause, Effect};
        let in_force = |alert: &gtfs_realtime::Alert| {
            alert.active_period.is_empty()
                || alert.active_period.iter().any(|p| {
                    let start = p.start.and_then(|s| i64::try_from(s).ok()).unwrap_or(0);
                    let end = p
                        .end
                        .and_then(|e| i64::try_from(e).ok())
                        .unwrap_or(i64::MAX);
                    (start..=end).contains(&now)
                })
        };
        self.alerts
            .iter()
            .filter(|(_, alert)| in_force(alert))
            .map(|(id, alert)| {
                let mut route_ids = Vec::new();
                let mut stop_ids = Vec::new();
                for entity in &alert.informed_entity {
                    let trip_route = entity.trip.as_ref().and_then(|t| {
                        t.route_id.clone().or_else(|| {
                            let feed = feed?;
                            let trip = feed.trip(t.trip_id.as_deref()?)?;
                            Some(
                                feed.routes[feed.trips[trip as usize].route as usize]
                                    .id
                                    .clone(),
                            )
                        })
                    });
                    route_ids.extend(entity.route_id.clone().or(trip_route));
                    stop_ids.extend(entity.stop_id.clone());
                }
                route_ids.sort();
                route_ids.dedup();
                stop_ids.sort();
                stop_ids.dedup();
                let text = |t: Option<&TranslatedString>| {
                    t.and_then(|t| translated(t, language)).unwrap_or_default()
                };
                Alert {
                    id: id.clone(),
                    header: text(alert.header_text.as_ref()),
                    description: text(alert.description_text.as_ref()),
                    url: alert.url.as_ref().and_then(|u| translated(u, language)),
                    effect: alert
                        .effect
                        .and_then(|e| Effect::try_from(e).ok())
                        .unwrap_or(Effect::UnknownEffect)
                        .as_str_name()
                        .to_owned(),
                    cause: alert
                        .cause
                        .and_then(|c| Cause::try_from(c).ok())
                        .unwrap_or(Cause::UnknownCause)
                        .as_str_name()
                        .to_owned(),
                    route_ids,
                    stop_ids,
                    until: alert
                        .active_period
                        .iter()
                        .filter_map(|p| p.end.and_then(|e| i64::try_from(e).ok()))
                        .max(),
                }
            })
            .collect()
    }
}

/// Where an update sits in the trip's calls: by `stop_sequence` when given, else by
/// `stop_id` at or after the previous update.
fn position(
    update: &StopTimeUpdate,
    feed: &Feed,
    calls: &[StopTime],
    from: usize,
) -> Option<usize> {
    if let Some(sequence) = update.stop_sequence {
        return calls.iter().position(|c| c.sequence == sequence);
    }
    let stop = update.stop_id.as_deref()?;
    calls[from..]
        .iter()
        .position(|c| feed.stops[c.stop as usize].id == stop)
        .map(|i| i + from)
}

/// An event's delay in seconds: its own `delay`, else its `time` against the timetable's.
fn event_delay(
    event: Option<&gtfs_realtime::trip_update::StopTimeEvent>,
    origin: i64,
    scheduled: u32,
) -> Option<i32> {
    let event = event?;
    if let Some(time) = event.time {
        return i32::try_from(time - (origin + i64::from(scheduled))).ok();
    }
    event.delay
}

/// The text in `language` (a prefix match: `vi` takes `vi-VN`), else English, else the one
/// without a language, else the first.
fn translated(text: &TranslatedString, language: &str) -> Option<String> {
    let matches = |wanted: &str| {
        text.translation.iter().find(|t| {
            t.language
                .as_deref()
                .is_some_and(|l| l.to_ascii_lowercase().starts_with(wanted))
        })
    };
    matches(language)
        .or_else(|| matches("en"))
        .or_else(|| text.translation.iter().find(|t| t.language.is_none()))
        .or_else(|| text.translation.first())
        .map(|t| t.text.trim().to_owned())
        .filter(|t| !t.is_empty())
}
