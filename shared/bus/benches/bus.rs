//! `cargo xtask bench bus`: what importing a feed costs, and how fast journeys are planned,
//! RAPTOR beside a plain connection scan, on BART and on a generated London-sized feed
//! (about 20,000 stops and 5 million stop times). Prints numbers; asserts nothing about them.
#![allow(clippy::print_stdout, clippy::expect_used)]

use std::fmt::Write as _;
use std::io::Write as _;
use std::time::{Duration, Instant};

use civic_bus::Feed;
use civic_bus::csa::{Connections, earliest_arrival};
use civic_bus::raptor::{self, DayTimetable};
use civic_test_support::Lcg;

/// The peak resident memory of this process so far (Linux), in MiB.
fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

fn import(name: &str, bytes: &[u8]) -> Feed {
    let started = Instant::now();
    let (feed, report) = Feed::read(bytes).expect("a feed");
    let took = started.elapsed().as_secs_f64();
    println!(
        "{name}: import {:.2} s, {} stop_times ({:.0} rows/s), {} stops, {} trips, {} rows left out; peak memory so far {:.0} MiB",
        took,
        report.stop_times,
        report.stop_times as f64 / took,
        report.stops,
        report.trips,
        report.rejected_rows,
        peak_mib()
    );
    feed
}

fn queries(name: &str, feed: &Feed, date: jiff::civil::Date, count: usize) {
    let started = Instant::now();
    let day = DayTimetable::build(feed, date, raptor::footpaths(feed));
    let connections = Connections::of(&day);
    println!(
        "{name}: the day's timetable and connections built in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let mut random = Lcg(42);
    let stops = feed.stops.len();
    let pairs: Vec<(u32, u32, i32)> = (0..count)
        .map(|_| {
            (
                random.below(stops) as u32,
                random.below(stops) as u32,
                (6 * 3600 + random.below(14 * 3600)) as i32,
            )
        })
        .collect();
    let timed = |plan: &dyn Fn(u32, u32, i32) -> bool| {
        let mut times = Vec::with_capacity(pairs.len());
        let mut reached = 0;
        for &(from, to, depart) in &pairs {
            let started = Instant::now();
            reached += usize::from(plan(from, to, depart));
            times.push(started.elapsed());
        }
        times.sort_unstable();
        (percentile(&times, 0.5), percentile(&times, 0.95), reached)
    };
    let changes = &feed.same_stop_changes;
    let (r50, r95, r_reached) =
        timed(&|from, to, depart| !raptor::plan(&day, changes, from, to, depart).is_empty());
    let (c50, c95, c_reached) = timed(&|from, to, depart| {
        earliest_arrival(&day, &connections, changes, from, to, depart).is_some()
    });
    println!(
        "{name}: {count} random stop pairs, RAPTOR p50 {r50:.3} ms p95 {r95:.3} ms ({r_reached} reached) | connection scan p50 {c50:.3} ms p95 {c95:.3} ms ({c_reached} reached)"
    );
}

/// A London-sized city as a GTFS zip: a grid of 140 × 140 stops 300 m apart, a line along
/// every row and every column both ways, a trip every 15 minutes from 05:00 to 21:00.
fn london_sized() -> Vec<u8> {
    const SIDE: usize = 140;
    const SPACING_DEG: f64 = 0.0027; // about 300 m of latitude
    let mut stops = String::from("stop_id,stop_name,stop_lat,stop_lon\n");
    for row in 0..SIDE {
        for column in 0..SIDE {
            let _ = writeln!(
                stops,
                "s{row}_{column},Stop {row} {column},{:.6},{:.6}",
                51.3 + row as f64 * SPACING_DEG,
                -0.5 + column as f64 * SPACING_DEG * 1.6
            );
        }
    }
    let mut routes = String::from("route_id,route_short_name,route_long_name,route_type\n");
    let mut trips = String::from("route_id,service_id,trip_id,trip_headsign\n");
    let mut stop_times = String::with_capacity(260_000_000);
    stop_times.push_str("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n");
    let mut trip_number = 0usize;
    for line in 0..2 * SIDE {
        let route = format!("r{line}");
        let _ = writeln!(routes, "{route},{route},Line {line},3");
        for direction in 0..2 {
            for start in (5 * 3600..21 * 3600).step_by(15 * 60) {
                let trip = format!("t{trip_number}");
                trip_number += 1;
                let _ = writeln!(trips, "{route},WK,{trip},end");
                for position in 0..SIDE {
                    let k = if direction == 0 {
                        position
                    } else {
                        SIDE - 1 - position
                    };
                    let (row, column) = if line < SIDE {
                        (line, k)
                    } else {
                        (k, line - SIDE)
                    };
                    let at = start + position * 75;
                    let time = format!("{}:{:02}:{:02}", at / 3600, at % 3600 / 60, at % 60);
                    let _ = writeln!(
                        stop_times,
                        "{trip},{time},{time},s{row}_{column},{position}"
                    );
                }
            }
        }
    }
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let stored = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    for (name, content) in [
        (
            "agency.txt",
            "agency_id,agency_name,agency_url,agency_timezone\nL,London-sized,https://x,Europe/London\n",
        ),
        (
            "calendar.txt",
            "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWK,1,1,1,1,1,1,1,20260101,20261231\n",
        ),
        ("stops.txt", &stops),
        ("routes.txt", &routes),
        ("trips.txt", &trips),
        ("stop_times.txt", &stop_times),
    ] {
        zip.start_file(name, stored).expect("start");
        zip.write_all(content.as_bytes()).expect("write");
    }
    zip.finish().expect("finish");
    out.into_inner()
}

fn main() {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/gtfs");
    let bart_bytes = std::fs::read(data.join("511_BA_bart_2018.zip")).expect("BART feed");
    let bart = import("BART 2018", &bart_bytes);
    queries("BART 2018", &bart, jiff::civil::date(2018, 6, 13), 1_000);

    let started = Instant::now();
    let london = london_sized();
    println!(
        "London-sized: generated {:.0} MB of GTFS in {:.1} s",
        london.len() as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    let feed = import("London-sized", &london);
    drop(london);
    queries("London-sized", &feed, jiff::civil::date(2026, 12, 9), 1_000);
}
