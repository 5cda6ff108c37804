//! Reading a GTFS feed. Files are streamed row by row with `csv` and serde; identifiers are
//! interned to dense numbers so the timetable is arrays, not maps of strings. Whatever a
//! row cannot give (an unknown trip or stop, a time that is not `H:MM:SS`) is left out and
//! counted in the [`ImportReport`] with its file and line.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use serde::Deserialize;

use crate::calendar::Calendar;
use crate::error::TransitError;

/// Rejected rows kept in the report, with their reason; beyond this only counted.
const REJECTED_KEPT: usize = 100;

#[derive(Debug, Clone, PartialEq)]
pub struct Stop {
    pub id: String,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    /// The station this stop belongs to (`parent_station`), as an index into `stops`.
    pub parent: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub id: String,
    pub short_name: String,
    pub long_name: String,
    pub route_type: u16,
    /// `route_color` as `RRGGBB`, when the feed gives a valid one.
    pub color: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trip {
    pub id: String,
    pub route: u32,
    pub service: u32,
    pub headsign: String,
    /// `shape_id`, an index into `Feed::shapes`.
    pub shape: Option<u32>,
}

/// One call of a trip at a stop. Times are seconds from the service day's origin (they may
/// pass 24:00:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StopTime {
    pub trip: u32,
    pub stop: u32,
    pub sequence: u32,
    pub arrival: u32,
    pub departure: u32,
    /// `pickup_type` 1: nobody boards here.
    pub no_pickup: bool,
    /// `drop_off_type` 1: nobody alights here.
    pub no_drop_off: bool,
}

/// A row left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub file: &'static str,
    /// 1 is the header; the first row is line 2.
    pub line: u64,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub stops: usize,
    pub routes: usize,
    pub trips: usize,
    pub stop_times: usize,
    /// Rows left out, all files together.
    pub rejected_rows: usize,
    /// The first of them, with their reasons.
    pub rejected: Vec<Rejected>,
}

impl ImportReport {
    pub(crate) fn reject(&mut self, file: &'static str, line: u64, reason: impl Into<String>) {
        self.rejected_rows += 1;
        if self.rejected.len() < REJECTED_KEPT {
            self.rejected.push(Rejected {
                file,
                line,
                reason: reason.into(),
            });
        }
    }
}

#[derive(Debug, Clone)]
pub struct Feed {
    /// The IANA zone every time of the feed is in (the first agency's `agency_timezone`).
    pub time_zone: civic_time::TimeZone,
    pub time_zone_name: String,
    pub stops: Vec<Stop>,
    pub routes: Vec<Route>,
    pub trips: Vec<Trip>,
    /// By trip, then by `stop_sequence`.
    pub stop_times: Vec<StopTime>,
    /// Where each trip's stop times start in `stop_times` (one more entry than trips).
    pub trip_start: Vec<u32>,
    pub calendar: Calendar,
    /// `transfers.txt` rules for changing at one stop: seconds needed (type 2), or `None`
    /// where changing there is forbidden (type 3). Stops not listed take 0 s.
    pub same_stop_changes: HashMap<u32, Option<u32>>,
    /// `shapes.txt`: each shape's points (lat, lon) in order.
    pub shapes: Vec<Shape>,
    /// Indices into `stop_times` by stop: stop `s`'s calls are
    /// `stop_calls[stop_call_start[s]..stop_call_start[s + 1]]`.
    stop_calls: Vec<u32>,
    stop_call_start: Vec<u32>,
    stop_index: HashMap<String, u32>,
    trip_index: HashMap<String, u32>,
    route_index: HashMap<String, u32>,
}

impl Feed {
    /// Reads a GTFS zip held in memory.
    pub fn read(zip_bytes: &[u8]) -> Result<(Feed, ImportReport), TransitError> {
        Self::read_with_progress(zip_bytes, &mut |_| {})
    }

    /// [`Feed::read`], telling `progress` how far it is as it goes.
    pub fn read_with_progress(
        zip_bytes: &[u8],
        progress: &mut dyn FnMut(Progress),
    ) -> Result<(Feed, ImportReport), TransitError> {
        let mut archive = zip::ZipArchive::new(Cursor::new(zip_bytes))?;
        Self::read_files(progress, &mut |name| {
            let mut file = match archive.by_name(name) {
                Ok(file) => file,
                Err(zip::result::ZipError::FileNotFound) => return Ok(None),
                Err(error) => return Err(error.into()),
            };
            let mut bytes = Vec::with_capacity(usize::try_from(file.size()).unwrap_or(0));
            // A member cut short or failing its CRC is the whole feed's problem.
            file.read_to_end(&mut bytes)
                .map_err(|e| TransitError::Zip(zip::result::ZipError::Io(e)))?;
            Ok(Some(bytes))
        })
    }

    /// Reads a GTFS feed unpacked into a folder (the `.txt` files side by side).
    pub fn read_dir(folder: &std::path::Path) -> Result<(Feed, ImportReport), TransitError> {
        if !folder.is_dir() {
            return Err(TransitError::Folder(folder.display().to_string()));
        }
        Self::read_files(
            &mut |_| {},
            &mut |name| match std::fs::read(folder.join(name)) {
                Ok(bytes) => Ok(Some(bytes)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(TransitError::Csv {
                    file: name,
                    detail: e.to_string(),
                }),
            },
        )
    }

    /// Reads a feed whose files `text` hands over by name (`None`: the feed has no such file).
    fn read_files(
        progress: &mut dyn FnMut(Progress),
        text: &mut dyn FnMut(&'static str) -> Result<Option<Vec<u8>>, TransitError>,
    ) -> Result<(Feed, ImportReport), TransitError> {
        let mut report = ImportReport::default();
        let mut text = |name: &'static str| {
            progress(Progress::Unpacking(name));
            text(name)
        };
        let required = |bytes: Option<Vec<u8>>, name| bytes.ok_or(TransitError::MissingFile(name));
        let agency = required(text("agency.txt")?, "agency.txt")?;
        let stops = required(text("stops.txt")?, "stops.txt")?;
        let routes = required(text("routes.txt")?, "routes.txt")?;
        let trips = required(text("trips.txt")?, "trips.txt")?;
        let stop_times = required(text("stop_times.txt")?, "stop_times.txt")?;
        let calendar = text("calendar.txt")?;
        let calendar_dates = text("calendar_dates.txt")?;
        let transfers = text("transfers.txt")?;
        let shapes = text("shapes.txt")?;
        if calendar.is_none() && calendar_dates.is_none() {
            return Err(TransitError::MissingFile(
                "calendar.txt or calendar_dates.txt",
            ));
        }

        let time_zone_name = read_agency(&agency)?;
        let time_zone = civic_time::zone(&time_zone_name)
            .map_err(|_| TransitError::TimeZone(time_zone_name.clone()))?;
        let (stops, stop_index) = read_stops(&stops, &mut report)?;
        let (routes, route_index) = read_routes(&routes, &mut report)?;
        let mut services: HashMap<String, u32> = HashMap::new();
        let (shapes, shape_index) = match &shapes {
            Some(bytes) => read_shapes(bytes, &mut report)?,
            None => (Vec::new(), HashMap::new()),
        };
        let (trips, trip_index) = read_trips(
            &trips,
            &route_index,
            &shape_index,
            &mut services,
            &mut report,
        )?;
        let calendar = Calendar::read(
            calendar.as_deref(),
            calendar_dates.as_deref(),
            &mut services,
            &mut report,
        )?;
        let (stop_times, trip_start) = read_stop_times(
            &stop_times,
            &trip_index,
            &stop_index,
            trips.len(),
            &mut report,
            progress,
        )?;
        if stop_times.is_empty() {
            return Err(TransitError::Empty);
        }
        let same_stop_changes = match &transfers {
            Some(bytes) => read_transfers(bytes, &stop_index, &mut report)?,
            None => HashMap::new(),
        };
        let (stop_calls, stop_call_start) = calls_by_stop(&stop_times, stops.len());
        report.stops = stops.len();
        report.routes = routes.len();
        report.trips = trips.len();
        report.stop_times = stop_times.len();
        Ok((
            Feed {
                time_zone,
                time_zone_name,
                stops,
                routes,
                trips,
                stop_times,
                trip_start,
                calendar,
                same_stop_changes,
                shapes,
                stop_calls,
                stop_call_start,
                stop_index,
                trip_index,
                route_index,
            },
            report,
        ))
    }

    /// The stop with GTFS id `id`.
    pub fn stop(&self, id: &str) -> Option<u32> {
        self.stop_index.get(id).copied()
    }

    /// Every call at stop `stop`, as indices into `stop_times`.
    pub fn calls_at(&self, stop: u32) -> &[u32] {
        let index = stop as usize;
        match (
            self.stop_call_start.get(index),
            self.stop_call_start.get(index + 1),
        ) {
            (Some(&start), Some(&end)) => &self.stop_calls[start as usize..end as usize],
            _ => &[],
        }
    }

    /// The stop with GTFS id `id`, or the error saying there is none.
    pub fn known_stop(&self, id: &str) -> Result<u32, TransitError> {
        self.stop(id)
            .ok_or_else(|| TransitError::UnknownStop(id.to_owned()))
    }

    /// The trip with GTFS id `id`.
    pub fn trip(&self, id: &str) -> Option<u32> {
        self.trip_index.get(id).copied()
    }

    /// The route with GTFS id `id`.
    pub fn route(&self, id: &str) -> Option<u32> {
        self.route_index.get(id).copied()
    }

    /// Trip `trip`'s stop times, in order.
    pub fn trip_stop_times(&self, trip: u32) -> &[StopTime] {
        let index = trip as usize;
        let (Some(&start), Some(&end)) =
            (self.trip_start.get(index), self.trip_start.get(index + 1))
        else {
            return &[];
        };
        &self.stop_times[start as usize..end as usize]
    }
}

/// A CSV reader as GTFS files need: headers, trimmed fields, ragged rows tolerated (a
/// missing optional column reads as empty).
pub(crate) fn reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(bytes)
}

/// Rows of `file` as `T`, with their line numbers; a row that does not read is rejected
/// (not the file).
pub(crate) fn rows<T: serde::de::DeserializeOwned>(
    file: &'static str,
    bytes: &[u8],
    report: &mut ImportReport,
) -> Result<Vec<(u64, T)>, TransitError> {
    let mut reader = reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| TransitError::Csv {
            file,
            detail: e.to_string(),
        })?
        .clone();
    let mut kept = Vec::new();
    for (i, record) in reader.into_records().enumerate() {
        let line = i as u64 + 2;
        match record.and_then(|r| r.deserialize::<T>(Some(&headers))) {
            Ok(row) => kept.push((line, row)),
            Err(error) => report.reject(file, line, error.to_string()),
        }
    }
    Ok(kept)
}

#[derive(Deserialize)]
struct AgencyRow {
    agency_timezone: String,
}

fn read_agency(bytes: &[u8]) -> Result<String, TransitError> {
    let mut scratch = ImportReport::default();
    rows::<AgencyRow>("agency.txt", bytes, &mut scratch)?
        .into_iter()
        .map(|(_, row)| row.agency_timezone)
        .find(|zone| !zone.is_empty())
        .ok_or_else(|| TransitError::TimeZone(String::new()))
}

#[derive(Deserialize)]
struct StopRow {
    stop_id: String,
    #[serde(default)]
    stop_name: String,
    #[serde(default)]
    stop_lat: Option<f64>,
    #[serde(default)]
    stop_lon: Option<f64>,
    #[serde(default)]
    parent_station: String,
}

fn read_stops(
    bytes: &[u8],
    report: &mut ImportReport,
) -> Result<(Vec<Stop>, HashMap<String, u32>), TransitError> {
    let mut stops = Vec::new();
    let mut index = HashMap::new();
    let mut parents = Vec::new();
    for (line, row) in rows::<StopRow>("stops.txt", bytes, report)? {
        let (Some(lat), Some(lon)) = (row.stop_lat, row.stop_lon) else {
            report.reject("stops.txt", line, "no stop_lat or stop_lon");
            continue;
        };
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            report.reject("stops.txt", line, "stop_lat or stop_lon out of range");
            continue;
        }
        if index.contains_key(&row.stop_id) {
            report.reject("stops.txt", line, format!("stop_id {} again", row.stop_id));
            continue;
        }
        let number = u32::try_from(stops.len()).unwrap_or(u32::MAX);
        index.insert(row.stop_id.clone(), number);
        parents.push(row.parent_station);
        stops.push(Stop {
            id: row.stop_id,
            name: row.stop_name,
            lat,
            lon,
            parent: None,
        });
    }
    for (stop, parent) in stops.iter_mut().zip(parents) {
        stop.parent = index.get(&parent).copied();
    }
    Ok((stops, index))
}

#[derive(Deserialize)]
struct RouteRow {
    route_id: String,
    #[serde(default)]
    route_short_name: String,
    #[serde(default)]
    route_long_name: String,
    #[serde(default)]
    route_type: Option<u16>,
    #[serde(default)]
    route_color: String,
}

fn read_routes(
    bytes: &[u8],
    report: &mut ImportReport,
) -> Result<(Vec<Route>, HashMap<String, u32>), TransitError> {
    let mut routes = Vec::new();
    let mut index = HashMap::new();
    for (line, row) in rows::<RouteRow>("routes.txt", bytes, report)? {
        if index.contains_key(&row.route_id) {
            report.reject(
                "routes.txt",
                line,
                format!("route_id {} again", row.route_id),
            );
            continue;
        }
        index.insert(
            row.route_id.clone(),
            u32::try_from(routes.len()).unwrap_or(u32::MAX),
        );
        routes.push(Route {
            id: row.route_id,
            short_name: row.route_short_name,
            long_name: row.route_long_name,
            route_type: row.route_type.unwrap_or(3),
            color: Some(row.route_color.trim().to_ascii_uppercase())
                .filter(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_hexdigit())),
        });
    }
    Ok((routes, index))
}

#[derive(Deserialize)]
struct TripRow {
    route_id: String,
    service_id: String,
    trip_id: String,
    #[serde(default)]
    trip_headsign: String,
    #[serde(default)]
    shape_id: String,
}

/// The number of service `id`, numbering it if new.
pub(crate) fn intern(services: &mut HashMap<String, u32>, id: &str) -> u32 {
    let next = u32::try_from(services.len()).unwrap_or(u32::MAX);
    *services.entry(id.to_owned()).or_insert(next)
}

fn read_trips(
    bytes: &[u8],
    route_index: &HashMap<String, u32>,
    shape_index: &HashMap<String, u32>,
    services: &mut HashMap<String, u32>,
    report: &mut ImportReport,
) -> Result<(Vec<Trip>, HashMap<String, u32>), TransitError> {
    let mut trips = Vec::new();
    let mut index = HashMap::new();
    for (line, row) in rows::<TripRow>("trips.txt", bytes, report)? {
        let Some(&route) = route_index.get(&row.route_id) else {
            report.reject("trips.txt", line, format!("no route {}", row.route_id));
            continue;
        };
        if index.contains_key(&row.trip_id) {
            report.reject("trips.txt", line, format!("trip_id {} again", row.trip_id));
            continue;
        }
        index.insert(
            row.trip_id.clone(),
            u32::try_from(trips.len()).unwrap_or(u32::MAX),
        );
        trips.push(Trip {
            id: row.trip_id,
            route,
            service: intern(services, &row.service_id),
            headsign: row.trip_headsign,
            shape: shape_index.get(&row.shape_id).copied(),
        });
    }
    Ok((trips, index))
}

/// How far a read has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Taking a file out of the zip.
    Unpacking(&'static str),
    /// Reading `stop_times.txt`, by far the largest file: rows read, bytes of it read.
    StopTimes {
        rows: u64,
        bytes: u64,
        of_bytes: u64,
    },
}

/// A shape's points (lat, lon), in order.
pub type Shape = Vec<(f64, f64)>;

/// A counting sort of the calls by stop.
fn calls_by_stop(stop_times: &[StopTime], stops: usize) -> (Vec<u32>, Vec<u32>) {
    let mut start = vec![0u32; stops + 1];
    for call in stop_times {
        start[call.stop as usize + 1] += 1;
    }
    for s in 0..stops {
        start[s + 1] += start[s];
    }
    let mut next = start.clone();
    let mut calls = vec![0u32; stop_times.len()];
    for (index, call) in stop_times.iter().enumerate() {
        let slot = &mut next[call.stop as usize];
        calls[*slot as usize] = u32::try_from(index).unwrap_or(u32::MAX);
        *slot += 1;
    }
    (calls, start)
}

#[derive(Deserialize)]
struct ShapeRow {
    shape_id: String,
    shape_pt_lat: f64,
    shape_pt_lon: f64,
    shape_pt_sequence: u32,
}

fn read_shapes(
    bytes: &[u8],
    report: &mut ImportReport,
) -> Result<(Vec<Shape>, HashMap<String, u32>), TransitError> {
    let mut index: HashMap<String, u32> = HashMap::new();
    let mut points: Vec<Vec<(u32, f64, f64)>> = Vec::new();
    for (line, row) in rows::<ShapeRow>("shapes.txt", bytes, report)? {
        if !(-90.0..=90.0).contains(&row.shape_pt_lat)
            || !(-180.0..=180.0).contains(&row.shape_pt_lon)
        {
            report.reject(
                "shapes.txt",
                line,
                "shape_pt_lat or shape_pt_lon out of range",
            );
            continue;
        }
        let next = u32::try_from(points.len()).unwrap_or(u32::MAX);
        let shape = *index.entry(row.shape_id).or_insert(next);
        if shape == next {
            points.push(Vec::new());
        }
        points[shape as usize].push((row.shape_pt_sequence, row.shape_pt_lat, row.shape_pt_lon));
    }
    let shapes = points
        .into_iter()
        .map(|mut shape| {
            shape.sort_by_key(|p| p.0);
            shape.into_iter().map(|(_, lat, lon)| (lat, lon)).collect()
        })
        .collect();
    Ok((shapes, index))
}

#[derive(Deserialize)]
struct TransferRow {
    from_stop_id: String,
    to_stop_id: String,
    transfer_type: Option<u8>,
    #[serde(default)]
    min_transfer_time: Option<u32>,
}

/// The change rules of `transfers.txt` at one stop (from and to the same stop); rules between
/// two stops are not used: walking between stops is by distance alone.
fn read_transfers(
    bytes: &[u8],
    stop_index: &HashMap<String, u32>,
    report: &mut ImportReport,
) -> Result<HashMap<u32, Option<u32>>, TransitError> {
    let mut rules = HashMap::new();
    for (line, row) in rows::<TransferRow>("transfers.txt", bytes, report)? {
        if row.from_stop_id != row.to_stop_id {
            continue;
        }
        let Some(&stop) = stop_index.get(&row.from_stop_id) else {
            report.reject(
                "transfers.txt",
                line,
                format!("no stop {}", row.from_stop_id),
            );
            continue;
        };
        match (row.transfer_type.unwrap_or(0), row.min_transfer_time) {
            (2, Some(seconds)) => {
                rules.insert(stop, Some(seconds));
            }
            (3, _) => {
                rules.insert(stop, None);
            }
            (2, None) => report.reject("transfers.txt", line, "type 2 without min_transfer_time"),
            _ => {}
        }
    }
    Ok(rules)
}

#[derive(Deserialize)]
struct StopTimeRow<'a> {
    trip_id: &'a str,
    #[serde(default)]
    arrival_time: &'a str,
    #[serde(default)]
    departure_time: &'a str,
    stop_id: &'a str,
    stop_sequence: u32,
    #[serde(default)]
    pickup_type: Option<u8>,
    #[serde(default)]
    drop_off_type: Option<u8>,
}

/// `H:MM:SS` (hours may pass 24) as seconds; `None` for anything else.
pub fn parse_time(text: &str) -> Option<u32> {
    let mut parts = text.split(':');
    let (h, m, s) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || m.len() != 2 || s.len() != 2 || h.is_empty() || h.len() > 3 {
        return None;
    }
    let number = |t: &str| -> Option<u32> {
        t.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| t.parse().ok())
            .flatten()
    };
    let (h, m, s) = (number(h)?, number(m)?, number(s)?);
    (m < 60 && s < 60).then_some(h * 3600 + m * 60 + s)
}

/// Stop times streamed from the file (borrowed fields: no string per row), checked, sorted
/// by trip and sequence, missing times between timepoints interpolated.
fn read_stop_times(
    bytes: &[u8],
    trip_index: &HashMap<String, u32>,
    stop_index: &HashMap<String, u32>,
    trip_count: usize,
    report: &mut ImportReport,
    progress: &mut dyn FnMut(Progress),
) -> Result<(Vec<StopTime>, Vec<u32>), TransitError> {
    const FILE: &str = "stop_times.txt";
    /// Rows between two progress reports.
    const EVERY: u64 = 250_000;
    let mut reader = reader(bytes);
    let headers = reader
        .byte_headers()
        .map_err(|e| TransitError::Csv {
            file: FILE,
            detail: e.to_string(),
        })?
        .clone();
    // Times as read: `None` where a stop between timepoints has none.
    let mut read: Vec<(StopTime, bool)> = Vec::with_capacity(bytes.len() / 40);
    let mut record = csv::ByteRecord::new();
    let mut line = 1u64;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => {
                line += 1;
                report.reject(FILE, line, error.to_string());
                continue;
            }
        }
        line += 1;
        if line.is_multiple_of(EVERY) {
            progress(Progress::StopTimes {
                rows: line - 1,
                bytes: record.position().map_or(0, csv::Position::byte),
                of_bytes: bytes.len() as u64,
            });
        }
        let row: StopTimeRow<'_> = match record.deserialize(Some(&headers)) {
            Ok(row) => row,
            Err(error) => {
                report.reject(FILE, line, error.to_string());
                continue;
            }
        };
        let Some(&trip) = trip_index.get(row.trip_id) else {
            report.reject(FILE, line, format!("no trip {}", row.trip_id));
            continue;
        };
        let Some(&stop) = stop_index.get(row.stop_id) else {
            report.reject(FILE, line, format!("no stop {}", row.stop_id));
            continue;
        };
        let (arrival, departure) = match (row.arrival_time, row.departure_time) {
            ("", "") => (None, None),
            (a, "") => (parse_time(a), parse_time(a)),
            ("", d) => (parse_time(d), parse_time(d)),
            (a, d) => (parse_time(a), parse_time(d)),
        };
        let timed = !row.arrival_time.is_empty() || !row.departure_time.is_empty();
        if timed && (arrival.is_none() || departure.is_none()) {
            report.reject(FILE, line, "a time is not H:MM:SS");
            continue;
        }
        read.push((
            StopTime {
                trip,
                stop,
                sequence: row.stop_sequence,
                arrival: arrival.unwrap_or(0),
                departure: departure.unwrap_or(0).max(arrival.unwrap_or(0)),
                no_pickup: row.pickup_type == Some(1),
                no_drop_off: row.drop_off_type == Some(1),
            },
            timed,
        ));
    }
    read.sort_unstable_by_key(|(st, _)| (st.trip, st.sequence));
    let mut trip_start = vec![0u32; trip_count + 1];
    let mut kept: Vec<StopTime> = Vec::with_capacity(read.len());
    let mut i = 0;
    while i < read.len() {
        let trip = read[i].0.trip;
        let end = read[i..]
            .iter()
            .position(|(st, _)| st.trip != trip)
            .map_or(read.len(), |n| i + n);
        let calls = &mut read[i..end];
        if interpolate(calls) {
            kept.extend(calls.iter().map(|(st, _)| *st));
        } else {
            report.reject(
                FILE,
                0,
                format!("trip {}: its first and last stops need times", trip),
            );
        }
        i = end;
        trip_start[trip as usize + 1] = u32::try_from(kept.len()).unwrap_or(u32::MAX);
    }
    // Trips without stop times start where the previous one ended.
    for t in 1..trip_start.len() {
        trip_start[t] = trip_start[t].max(trip_start[t - 1]);
    }
    Ok((kept, trip_start))
}

/// Fills the times of stops between timepoints, in proportion to their place in the
/// sequence. `false` when the trip's first or last stop has no time.
fn interpolate(calls: &mut [(StopTime, bool)]) -> bool {
    let (Some(first), Some(last)) = (calls.first(), calls.last()) else {
        return false;
    };
    if !first.1 || !last.1 {
        return false;
    }
    let mut previous = 0;
    for next in 1..calls.len() {
        if !calls[next].1 {
            continue;
        }
        let gap = next - previous;
        let (from, to) = (calls[previous].0.departure, calls[next].0.arrival);
        for k in 1..gap {
            let at = from + (to.saturating_sub(from)) * k as u32 / gap as u32;
            calls[previous + k].0.arrival = at;
            calls[previous + k].0.departure = at;
        }
        previous = next;
    }
    true
}
