//! `civic bus departures|plan`: a GTFS feed's timetable, offline. Times given and shown are
//! in the feed's own zone (`agency_timezone`).

use std::io::Write;
use std::path::{Path, PathBuf};

use civic_core::bus::{Feed, ImportReport, Progress, Realtime};
use civic_core::types::bus::{Live, LiveData};

use crate::Failure;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// The next departures from a stop (and the other stops of its station).
    Departures {
        /// A GTFS feed: a zip, or a folder of its .txt files.
        #[arg(long)]
        feed: PathBuf,
        /// The stop's `stop_id`.
        #[arg(long)]
        stop: String,
        /// From when: YYYY-MM-DDTHH:MM:SS in the feed's zone.
        #[arg(long)]
        at: String,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// GTFS-Realtime messages (TripUpdates, VehiclePositions, Alerts) to apply; repeatable.
        #[arg(long)]
        realtime: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Takes a GTFS zip into this device's data (a timetable brought on a USB stick, say),
    /// replacing the one held only when it reads whole.
    Import { file: PathBuf },
    /// Stops held on this device: near a point (LAT,LON) or by name (accents optional).
    Stops {
        #[arg(long, value_name = "LAT,LON", value_parser = crate::args::point)]
        near: Option<(f64, f64)>,
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Journeys between two stops: for each number of rides (at most 5), the earliest
    /// arrival, when it beats fewer rides. Prints {"journeys": [...]} with --json.
    Plan {
        #[arg(long)]
        feed: PathBuf,
        /// The `stop_id` to leave from.
        #[arg(long)]
        from: String,
        /// The `stop_id` to reach.
        #[arg(long)]
        to: String,
        /// When: YYYY-MM-DDTHH:MM:SS in the feed's zone.
        #[arg(long)]
        depart: String,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: Command, data_dir: &Path, out: &mut impl Write) -> Result<(), Failure> {
    match command {
        Command::Import { file } => {
            let zip = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let civic = crate::open(data_dir, None)?;
            let source = format!("file {}", file.display());
            let report = civic.bus().import_with_progress(
                &zip,
                &source,
                civic_core::time::now_unix(),
                &mut |progress| {
                    if let Progress::StopTimes {
                        rows,
                        bytes,
                        of_bytes,
                    } = progress
                    {
                        eprintln!(
                            "civic: stop_times.txt {rows} dòng ({}%)",
                            bytes * 100 / of_bytes.max(1)
                        );
                    }
                },
            )?;
            writeln!(
                out,
                "Đã nhận lịch chạy: {} điểm dừng, {} tuyến, {} chuyến, {} giờ dừng; {} dòng bị bỏ qua \
                 (timetable taken: {} stops, {} routes, {} trips, {} stop times; {} rows left out)",
                report.stops,
                report.routes,
                report.trips,
                report.stop_times,
                report.rejected_rows,
                report.stops,
                report.routes,
                report.trips,
                report.stop_times,
                report.rejected_rows,
            )?;
            for rejected in report.rejected.iter().take(10) {
                writeln!(
                    out,
                    "  {}:{} {}",
                    rejected.file, rejected.line, rejected.reason
                )?;
            }
            Ok(())
        }
        Command::Stops { near, search, json } => {
            let civic = crate::open(data_dir, None)?;
            let stops = match (near, search) {
                (Some((lat, lon)), None) => civic.bus().nearby(lat, lon, 20)?,
                (None, Some(query)) => civic.bus().search(&query, 20)?,
                _ => {
                    return Err(
                        "cần --near LAT,LON hoặc --search TÊN (give --near or --search)".into(),
                    );
                }
            };
            if json {
                serde_json::to_writer(&mut *out, &stops)?;
                writeln!(out)?;
                return Ok(());
            }
            for stop in stops {
                let distance = stop
                    .distance
                    .map(|d| format!("  {d:.0} m"))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "{}  {}{distance}  [{}]",
                    stop.id,
                    stop.name,
                    stop.routes.join(", ")
                )?;
            }
            Ok(())
        }
        Command::Departures {
            feed,
            stop,
            at,
            limit,
            realtime,
            json,
        } => {
            let (feed, _) = read(&feed)?;
            let from = moment(&at, &feed)?;
            let live = read_realtime(&realtime)?;
            let board = civic_core::bus::departures(&feed, &stop, from, limit, live.as_ref())?;
            if json {
                serde_json::to_writer(&mut *out, &board)?;
                writeln!(out)?;
                return Ok(());
            }
            writeln!(out, "{} ({})", board.stop_name, board.stop_id)?;
            match board.live {
                LiveData::Missing => {}
                LiveData::Fresh { age } => writeln!(
                    out,
                    "Có dữ liệu trực tuyến, cách đây {age} giây (live, {age} s old)."
                )?,
                LiveData::Stale { .. } => writeln!(
                    out,
                    "Dữ liệu trực tuyến đã cũ: chỉ có giờ theo lịch (live data stale: scheduled only)."
                )?,
            }
            if board.departures.is_empty() {
                writeln!(out, "Không còn chuyến nào (no more departures).")?;
            }
            for departure in board.departures {
                let live = match departure.live {
                    Live::Scheduled => String::new(),
                    Live::Expected { delay, .. } => format!("  dự kiến {:+} phút", delay / 60),
                    Live::Cancelled => "  HỦY (cancelled)".to_owned(),
                };
                writeln!(
                    out,
                    "{}  {:<8}  {}  (chuyến {}, ngày phục vụ {}){live}",
                    clock(departure.seconds),
                    departure.route_name,
                    departure.headsign,
                    departure.trip_id,
                    departure.service_date
                )?;
            }
            Ok(())
        }
        Command::Plan {
            feed,
            from,
            to,
            depart,
            json,
        } => {
            let (feed, _) = read(&feed)?;
            let leave = moment(&depart, &feed)?;
            let plan = civic_core::bus::plan_journeys(&feed, &from, &to, leave)?;
            if json {
                serde_json::to_writer(&mut *out, &plan)?;
                writeln!(out)?;
                return Ok(());
            }
            if plan.journeys.is_empty() {
                writeln!(out, "Không tìm được hành trình (no journey found).")?;
            }
            for journey in &plan.journeys {
                writeln!(
                    out,
                    "Đến {} · {} chuyến xe (arrive {}, {} rides)",
                    clock_signed(journey.arrival),
                    journey.rides,
                    clock_signed(journey.arrival),
                    journey.rides
                )?;
                for leg in &journey.legs {
                    match leg {
                        civic_core::types::bus::Leg::Ride {
                            route_name,
                            trip_id,
                            from,
                            to,
                            depart,
                            arrive,
                            ..
                        } => writeln!(
                            out,
                            "  {} {from} → {} {to}  tuyến {route_name}, chuyến {trip_id}",
                            clock_signed(*depart),
                            clock_signed(*arrive)
                        )?,
                        civic_core::types::bus::Leg::Walk { from, to, seconds } => {
                            writeln!(out, "  đi bộ {from} → {to}, {} phút", (seconds + 59) / 60)?
                        }
                    }
                }
            }
            Ok(())
        }
    }
}

/// A feed from a zip or from a folder of its files.
fn read(path: &Path) -> Result<(Feed, ImportReport), Failure> {
    let (feed, report) = if path.is_dir() {
        Feed::read_dir(path)?
    } else {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Feed::read(&bytes)?
    };
    if report.rejected_rows > 0 {
        tracing::warn!(rows = report.rejected_rows, first = ?report.rejected.first(), "feed rows left out");
    }
    Ok((feed, report))
}

fn read_realtime(paths: &[PathBuf]) -> Result<Option<Realtime>, Failure> {
    if paths.is_empty() {
        return Ok(None);
    }
    let messages = paths
        .iter()
        .map(|p| std::fs::read(p).map_err(|e| format!("{}: {e}", p.display())))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(Realtime::read(messages.iter().map(Vec::as_slice))?))
}

/// A local moment in the feed's zone, as Unix seconds.
fn moment(text: &str, feed: &Feed) -> Result<i64, Failure> {
    let local = text.trim();
    let well_formed = local.len() == 19 && local.as_bytes().get(10) == Some(&b'T');
    match civic_core::time::parse_datetime(local, &feed.time_zone) {
        Some(unix) if well_formed => Ok(unix),
        _ => Err(format!(
            "“{text}” không phải thời điểm YYYY-MM-DDTHH:MM:SS (expected YYYY-MM-DDTHH:MM:SS in {})",
            feed.time_zone_name
        )
        .into()),
    }
}

/// Seconds on the service day's clock as H:MM (past 24:00 when the trip runs on).
fn clock(seconds: u32) -> String {
    format!("{}:{:02}", seconds / 3600, seconds % 3600 / 60)
}

fn clock_signed(seconds: i32) -> String {
    if seconds < 0 {
        format!("-{}", clock(seconds.unsigned_abs()))
    } else {
        clock(seconds.unsigned_abs())
    }
}
