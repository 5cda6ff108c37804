//! The reader on real feeds (facts read from the files themselves) and on broken ones.
#![allow(clippy::expect_used)]

use std::io::Write;

use civic_bus::{Feed, TransitError, departures};

fn shared(path: &str) -> Vec<u8> {
    let path = civic_test_support::shared_data().join(path);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn caltrain() -> Feed {
    let (feed, report) = Feed::read(&shared("gtfs/511_CT_caltrain_2018.zip")).expect("a feed");
    assert_eq!(report.rejected_rows, 0, "{:?}", report.rejected);
    feed
}

/// Unix seconds of a local moment written with its offset.
fn at(text: &str) -> i64 {
    civic_time::parse_datetime(text, &civic_time::vietnam()).expect("a moment")
}

/// A zip of `files` (name, content), as a feed is published.
fn zipped(files: &[(&str, &str)]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    for (name, content) in files {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("start");
        zip.write_all(content.as_bytes()).expect("write");
    }
    zip.finish().expect("finish");
    out.into_inner()
}

const AGENCY: &str = "agency_id,agency_name,agency_url,agency_timezone\nHN,Hanoi Bus,https://x.vn,Asia/Ho_Chi_Minh\n";
const STOPS: &str = "stop_id,stop_name,stop_lat,stop_lon\nA,Bến A,21.02,105.85\nB,Bến B,21.03,105.86\nC,Bến C,21.04,105.87\n";
const ROUTES: &str =
    "route_id,route_short_name,route_long_name,route_type\n01,01,Gia Lâm - Yên Nghĩa,3\n";
const TRIPS: &str =
    "route_id,service_id,trip_id,trip_headsign\n01,WK,t1,Yên Nghĩa\n01,WK,t2,Yên Nghĩa\n";
const CALENDAR: &str = "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWK,1,1,1,1,1,0,0,20261201,20261231\n";

#[test]
fn caltrain_reads_whole_with_its_own_numbers() {
    let (feed, report) = Feed::read(&shared("gtfs/511_CT_caltrain_2018.zip")).expect("a feed");
    assert_eq!(
        (report.stops, report.routes, report.trips, report.stop_times),
        (64, 6, 179, 2_755)
    );
    assert_eq!(feed.time_zone_name, "America/Los_Angeles");
    let trip = feed
        .trips
        .iter()
        .position(|t| t.id == "104")
        .expect("trip 104");
    let calls = feed.trip_stop_times(u32::try_from(trip).expect("small"));
    let first = calls.first().expect("calls");
    assert_eq!(feed.stops[first.stop as usize].id, "70012");
    assert_eq!(first.departure, 5 * 3600 + 25 * 60);
    assert!(calls.windows(2).all(|w| w[0].sequence < w[1].sequence));
}

#[test]
fn weekday_departures_come_in_the_feeds_own_time() {
    let feed = caltrain();
    // Wednesday 13 June 2018, 08:00 in San Francisco (PDT, UTC−7).
    let found = departures(&feed, "70012", at("2018-06-13T08:00:00-07:00"), 2, None)
        .expect("stop")
        .departures;
    let trips: Vec<(&str, i64)> = found.iter().map(|d| (d.trip_id.as_str(), d.at)).collect();
    assert_eq!(
        trips,
        [
            ("226", at("2018-06-13T08:05:00-07:00")),
            ("228", at("2018-06-13T08:15:00-07:00")),
        ]
    );
    assert_eq!(found[0].service_date, "2018-06-13");
}

#[test]
fn times_past_midnight_belong_to_the_service_day_before() {
    let feed = caltrain();
    // Trip 196 (weekdays) reaches stop 70232 at 24:03:00: Saturday 00:03, Friday's service.
    let found = departures(&feed, "70232", at("2018-06-16T00:00:00-07:00"), 1, None)
        .expect("stop")
        .departures;
    let first = found.first().expect("a departure");
    assert_eq!(first.trip_id, "196");
    assert_eq!(first.service_date, "2018-06-15");
    assert_eq!(first.seconds, 24 * 3600 + 3 * 60);
    assert_eq!(first.at, at("2018-06-16T00:03:00-07:00"));
}

#[test]
fn the_day_clocks_go_forward_keeps_the_wall_clock() {
    let feed = caltrain();
    // Sunday 11 March 2018: clocks jump from 02:00 PST to 03:00 PDT. Trip 422 leaves San
    // Francisco at 8:07:00 by the timetable, which is 08:07 PDT on the wall.
    let found = departures(&feed, "70012", at("2018-03-11T08:00:00-07:00"), 1, None)
        .expect("stop")
        .departures;
    assert_eq!(found[0].trip_id, "422");
    assert_eq!(found[0].at, at("2018-03-11T08:07:00-07:00"));
}

#[test]
fn rows_that_cannot_be_used_are_reported_and_the_rest_kept() {
    let stop_times = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n\
        t1,06:00:00,06:00:00,A,1\n\
        t1,,,B,2\n\
        t1,06:20:00,06:21:00,C,3\n\
        t2,07:00:00,07:00:00,A,1\n\
        t2,7h05,7h05,B,2\n\
        t2,07:10:00,07:10:00,NOWHERE,3\n\
        t2,07:20:00,07:20:00,C,4\n\
        ghost,08:00:00,08:00:00,A,1\n";
    let (feed, report) = Feed::read(&zipped(&[
        ("agency.txt", AGENCY),
        ("stops.txt", STOPS),
        ("routes.txt", ROUTES),
        ("trips.txt", TRIPS),
        ("stop_times.txt", stop_times),
        ("calendar.txt", CALENDAR),
    ]))
    .expect("a feed");
    assert_eq!(report.stop_times, 5);
    assert_eq!(report.rejected_rows, 3, "{:?}", report.rejected);
    let reasons: Vec<(u64, &str)> = report
        .rejected
        .iter()
        .map(|r| (r.line, r.reason.as_str()))
        .collect();
    assert!(
        reasons.contains(&(6, "a time is not H:MM:SS")),
        "{reasons:?}"
    );
    assert!(reasons.contains(&(7, "no stop NOWHERE")), "{reasons:?}");
    assert!(reasons.contains(&(9, "no trip ghost")), "{reasons:?}");
    // The stop between two timepoints gets a time in proportion: halfway, 06:10:00.
    let middle = feed.trip_stop_times(0)[1];
    assert_eq!(middle.departure, 6 * 3600 + 10 * 60);
    assert_eq!(feed.time_zone_name, "Asia/Ho_Chi_Minh");
    // Tuesday 1 December 2026, 06:05 in Hà Nội.
    let found = departures(&feed, "B", at("2026-12-01T06:05:00+07:00"), 5, None)
        .expect("stop")
        .departures;
    // t2 no longer calls at B; t1 runs today and again tomorrow.
    let trips: Vec<(&str, &str)> = found
        .iter()
        .map(|d| (d.trip_id.as_str(), d.service_date.as_str()))
        .collect();
    assert_eq!(trips, [("t1", "2026-12-01"), ("t1", "2026-12-02")]);
}

#[test]
fn a_broken_feed_is_refused_whole() {
    let whole = shared("gtfs/511_CT_caltrain_2018.zip");
    // Cut anywhere in the files' data: refused, never read in part.
    for cut in [100, whole.len() / 3, whole.len() / 2, whole.len() * 9 / 10] {
        let read = Feed::read(&whole[..cut]);
        assert!(
            matches!(read, Err(TransitError::Zip(_))),
            "cut at {cut}: {:?}",
            read.map(|(_, report)| report)
        );
    }
    // Cut in the index at the end, where the zip reader may still find every file: then it is
    // read whole (each file's CRC checked), or refused, never read in part.
    if let Ok((_, report)) = Feed::read(&whole[..whole.len() - 30]) {
        let (_, full) = Feed::read(&whole).expect("whole");
        assert_eq!(report, full);
    }
    assert!(matches!(
        Feed::read(b"agency_id,agency_name\n"),
        Err(TransitError::Zip(_))
    ));
    let without_times = zipped(&[
        ("agency.txt", AGENCY),
        ("stops.txt", STOPS),
        ("routes.txt", ROUTES),
        ("trips.txt", TRIPS),
        ("calendar.txt", CALENDAR),
    ]);
    assert!(matches!(
        Feed::read(&without_times),
        Err(TransitError::MissingFile("stop_times.txt"))
    ));
    let bad_zone = zipped(&[
        (
            "agency.txt",
            &AGENCY.replace("Asia/Ho_Chi_Minh", "Asia/Hanoi_Old"),
        ),
        ("stops.txt", STOPS),
        ("routes.txt", ROUTES),
        ("trips.txt", TRIPS),
        (
            "stop_times.txt",
            "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nt1,06:00:00,06:00:00,A,1\n",
        ),
        ("calendar.txt", CALENDAR),
    ]);
    assert!(matches!(
        Feed::read(&bad_zone),
        Err(TransitError::TimeZone(_))
    ));
}

proptest::proptest! {
    #[test]
    fn any_bytes_are_refused_or_read_without_panicking(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..2_000)) {
        let _ = Feed::read(&bytes);
    }

    #[test]
    fn times_read_back(h in 0u32..48, m in 0u32..60, s in 0u32..60) {
        proptest::prop_assert_eq!(
            civic_bus::gtfs::parse_time(&format!("{h}:{m:02}:{s:02}")),
            Some(h * 3600 + m * 60 + s)
        );
    }

    #[test]
    fn any_text_as_a_time_is_refused_or_read(text in ".{0,12}") {
        let _ = civic_bus::gtfs::parse_time(&text);
    }
}

#[test]
fn the_hanoi_subset_reads_from_its_folder() {
    let folder = civic_test_support::shared_data().join("gtfs/hanoi-subset");
    let (feed, report) = Feed::read_dir(&folder).expect("a feed");
    assert_eq!(
        (report.stops, report.routes, report.trips, report.stop_times),
        (372, 63, 2_447, 14_507)
    );
    assert_eq!(report.rejected_rows, 0, "{:?}", report.rejected);
    assert_eq!(feed.time_zone_name, "UTC");
    // Every trip has its own shape in this subset.
    assert!(feed.trips.iter().all(|t| t.shape.is_some()));
    let found = departures(&feed, "01_1_S13", at("2018-06-13T10:00:00+00:00"), 3, None)
        .expect("stop")
        .departures;
    let trips: Vec<(&str, u32)> = found
        .iter()
        .map(|d| (d.trip_id.as_str(), d.seconds))
        .collect();
    assert_eq!(
        trips,
        [
            ("01_1_MD_1", 36_577),
            ("01_1_MD_2", 37_177),
            ("01_1_MD_3", 37_777)
        ]
    );
    assert!(matches!(
        Feed::read_dir(&folder.join("stops.txt")),
        Err(TransitError::Folder(_))
    ));
}

proptest::proptest! {
    /// A simplified line keeps its ends and is made of the line's own points, never more.
    #[test]
    fn simplified_lines_stay_close(points in proptest::collection::vec((16.0f64..16.1, 108.1f64..108.3), 2..60)) {
        let line = civic_bus::routes::simplify(&points, 8.0);
        proptest::prop_assert!(line.len() <= points.len());
        proptest::prop_assert_eq!(line.first(), points.first());
        proptest::prop_assert_eq!(line.last(), points.last());
        proptest::prop_assert!(line.iter().all(|p| points.contains(p)));
    }
}
