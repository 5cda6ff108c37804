//! GTFS-Realtime on real captures (facts read from the files with `protoc --decode` and the
//! matching static feeds) and on messages written here for what the captures lack.
#![allow(clippy::expect_used)]

use civic_bus::{Feed, Realtime, TransitError, departures};
use civic_types::bus::{Live, LiveData};
use gtfs_realtime::trip_update::{StopTimeEvent, StopTimeUpdate};
use gtfs_realtime::{FeedEntity, FeedHeader, FeedMessage, TripDescriptor, TripUpdate};
use proptest::prelude::*;
use prost::Message;

fn shared(path: &str) -> Vec<u8> {
    let path = civic_test_support::shared_data().join(path);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn at(text: &str) -> i64 {
    civic_time::parse_datetime(text, &civic_time::vietnam()).expect("a moment")
}

fn caltrain_2023() -> (Feed, Realtime) {
    let (feed, _) = Feed::read(&shared("gtfs-rt/transitland_ct.zip")).expect("a feed");
    let live = Realtime::read([
        shared("gtfs-rt/transitland_ct-trip-updates.pb").as_slice(),
        shared("gtfs-rt/transitland_ct-vehicle-positions.pb").as_slice(),
    ])
    .expect("live data");
    (feed, live)
}

#[test]
fn caltrain_trip_updates_move_departures_to_their_expected_time() {
    let (feed, live) = caltrain_2023();
    // Captured 2023-11-07 17:05:59 PST. Trip 124 (to Tamien) is timetabled at 70242 at
    // 17:09:00 and predicted at 1699405801 = 17:10:01: 61 s late.
    let now = at("2023-11-07T17:06:00-08:00");
    let board = departures(&feed, "70242", now, 3, Some(&live)).expect("stop");
    assert_eq!(board.live, LiveData::Fresh { age: 1 });
    let trip = board
        .departures
        .iter()
        .find(|d| d.trip_id == "124")
        .expect("trip 124");
    assert_eq!(trip.at, at("2023-11-07T17:09:00-08:00"));
    assert_eq!(
        trip.live,
        Live::Expected {
            at: 1_699_405_801,
            delay: 61
        }
    );
    // At 70232 it left at 17:05:04 against 17:03:00: still to come at 17:05, though late.
    let board = departures(
        &feed,
        "70232",
        at("2023-11-07T17:05:00-08:00"),
        5,
        Some(&live),
    )
    .expect("stop");
    let trip = board
        .departures
        .iter()
        .find(|d| d.trip_id == "124")
        .expect("a late train is still listed");
    assert_eq!(
        trip.live,
        Live::Expected {
            at: 1_699_405_504,
            delay: 124
        }
    );
    // Without live data the same departure is the timetable's, and 17:03 has passed.
    let board = departures(&feed, "70232", at("2023-11-07T17:05:00-08:00"), 5, None).expect("stop");
    assert_eq!(board.live, LiveData::Missing);
    assert!(board.departures.iter().all(|d| d.trip_id != "124"));
}

#[test]
fn old_live_data_is_not_applied() {
    let (feed, live) = caltrain_2023();
    let later = at("2023-11-07T18:30:00-08:00");
    let board = departures(&feed, "70242", later, 5, Some(&live)).expect("stop");
    assert!(matches!(board.live, LiveData::Stale { age } if age > 80 * 60));
    assert!(!board.departures.is_empty());
    assert!(board.departures.iter().all(|d| d.live == Live::Scheduled));
}

#[test]
fn caltrain_vehicles_with_the_age_of_their_position() {
    let (feed, live) = caltrain_2023();
    let now = 1_699_405_559 + 60;
    let vehicles = live.vehicles(Some(&feed), None, now);
    assert_eq!(vehicles.len(), 14);
    let train = vehicles.iter().find(|v| v.id == "124").expect("train 124");
    assert!((train.lat - 37.370_460_5).abs() < 1e-5 && (train.lon + 121.996_04).abs() < 1e-5);
    assert_eq!((train.seen, train.age), (1_699_405_549, 70));
    assert_eq!(train.route_id.as_deref(), Some("L1"));
    assert_eq!(train.trip_id.as_deref(), Some("124"));
    assert!(
        live.vehicles(Some(&feed), Some("no-such-route"), now)
            .is_empty()
    );
}

#[test]
fn bart_alerts_in_the_readers_language() {
    let live =
        Realtime::read([shared("gtfs-rt/transitland_bart-alerts.pb").as_slice()]).expect("alerts");
    let alerts = live.alerts(None, 1_565_199_942, "vi");
    assert_eq!(alerts.len(), 1);
    let montgomery = alerts
        .iter()
        .find(|a| a.id == "BSA_187874")
        .expect("the Montgomery alert");
    assert!(
        montgomery
            .header
            .contains("Montgomery station is currently closed")
    );
    assert_eq!(montgomery.effect, "SIGNIFICANT_DELAYS");
    assert_eq!(montgomery.cause, "MEDICAL_EMERGENCY");
    // It names the agency only: the whole network.
    assert!(montgomery.route_ids.is_empty() && montgomery.stop_ids.is_empty());
    assert_eq!(
        montgomery.url.as_deref(),
        Some("http://www.bart.gov/schedules/advisories")
    );
}

#[test]
fn bart_trip_updates_use_the_predicted_time() {
    let (feed, _) = Feed::read(&shared("gtfs-rt/transitland_bart-rt.zip")).expect("a feed");
    let live = Realtime::read([shared("gtfs-rt/transitland_bart-trip-updates.pb").as_slice()])
        .expect("trip updates");
    assert_eq!(live.trip_counts(), (91, 0));
    // Trip 1011112WKDY leaves Daly City at 11:12:00 by the timetable; the feed predicts
    // 1565201626 (11:13:46 PDT, Wed 7 Aug 2019).
    let now = 1_565_199_921 + 30;
    let board = departures(&feed, "DALY", now, 40, Some(&live)).expect("stop");
    let trip = board
        .departures
        .iter()
        .find(|d| d.trip_id == "1011112WKDY")
        .expect("trip");
    assert_eq!(trip.seconds, 11 * 3600 + 12 * 60);
    assert_eq!(
        trip.live,
        Live::Expected {
            at: 1_565_201_626,
            delay: 106
        }
    );
}

#[test]
fn a_large_capture_decodes_with_its_cancellations() {
    let live = Realtime::read([shared("gtfs-rt/kurtraschke_TripUpdates.pb").as_slice()])
        .expect("trip updates");
    assert_eq!(live.trip_counts(), (1_158, 22));
}

const AGENCY: &str = "agency_id,agency_name,agency_url,agency_timezone\nDN,Xe buýt Đà Nẵng,https://x.vn,Asia/Ho_Chi_Minh\n";
const STOPS: &str = "stop_id,stop_name,stop_lat,stop_lon\nA,Bến A,16.05,108.20\nB,Bến B,16.06,108.21\nC,Bến C,16.07,108.22\nD,Bến D,16.08,108.23\n";
const ROUTES: &str =
    "route_id,route_short_name,route_long_name,route_type\nR1,R1,Kim Liên - Chợ Hàn,3\n";
const TRIPS: &str =
    "route_id,service_id,trip_id,trip_headsign\nR1,ALL,t1,Chợ Hàn\nR1,ALL,t2,Chợ Hàn\n";
const STOP_TIMES: &str = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n\
    t1,07:00:00,07:00:00,A,1\nt1,07:10:00,07:10:00,B,2\nt1,07:20:00,07:20:00,C,3\nt1,07:30:00,07:30:00,D,4\n\
    t2,07:30:00,07:30:00,A,1\nt2,07:40:00,07:40:00,B,2\nt2,07:50:00,07:50:00,C,3\nt2,08:00:00,08:00:00,D,4\n";
const CALENDAR: &str = "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nALL,1,1,1,1,1,1,1,20260101,20271231\n";

fn danang() -> Feed {
    let dir = tempfile::tempdir().expect("temp");
    for (name, text) in [
        ("agency.txt", AGENCY),
        ("stops.txt", STOPS),
        ("routes.txt", ROUTES),
        ("trips.txt", TRIPS),
        ("stop_times.txt", STOP_TIMES),
        ("calendar.txt", CALENDAR),
    ] {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    Feed::read_dir(dir.path()).expect("a feed").0
}

fn message(timestamp: i64, updates: Vec<TripUpdate>) -> Vec<u8> {
    FeedMessage {
        header: FeedHeader {
            gtfs_realtime_version: "2.0".into(),
            timestamp: Some(u64::try_from(timestamp).expect("positive")),
            ..FeedHeader::default()
        },
        entity: updates
            .into_iter()
            .enumerate()
            .map(|(i, update)| FeedEntity {
                id: i.to_string(),
                trip_update: Some(update),
                ..FeedEntity::default()
            })
            .collect(),
    }
    .encode_to_vec()
}

fn trip(id: &str, relationship: i32) -> TripDescriptor {
    TripDescriptor {
        trip_id: Some(id.into()),
        start_date: Some("20261207".into()),
        schedule_relationship: Some(relationship),
        ..TripDescriptor::default()
    }
}

fn delayed(sequence: u32, delay: i32, relationship: i32) -> StopTimeUpdate {
    StopTimeUpdate {
        stop_sequence: Some(sequence),
        departure: Some(StopTimeEvent {
            delay: Some(delay),
            ..StopTimeEvent::default()
        }),
        schedule_relationship: Some(relationship),
        ..StopTimeUpdate::default()
    }
}

#[test]
fn delays_propagate_and_cancellations_are_marked() {
    use gtfs_realtime::trip_descriptor::ScheduleRelationship as Trip;
    use gtfs_realtime::trip_update::stop_time_update::ScheduleRelationship as Stop;
    let feed = danang();
    let now = at("2026-12-07T06:55:00+07:00");
    let bytes = message(
        now - 30,
        vec![
            // t1: 3 minutes late from A, so at B and C too; it will not stop at C.
            TripUpdate {
                trip: trip("t1", Trip::Scheduled as i32),
                stop_time_update: vec![
                    delayed(1, 180, Stop::Scheduled as i32),
                    delayed(3, 0, Stop::Skipped as i32),
                ],
                ..TripUpdate::default()
            },
            TripUpdate {
                trip: trip("t2", Trip::Canceled as i32),
                ..TripUpdate::default()
            },
        ],
    );
    let live = Realtime::read([bytes.as_slice()]).expect("live");
    let states = |stop: &str| -> Vec<(String, Live)> {
        departures(&feed, stop, now, 2, Some(&live))
            .expect("stop")
            .departures
            .into_iter()
            .map(|d| (d.trip_id, d.live))
            .collect()
    };
    let b_delay = at("2026-12-07T07:10:00+07:00") + 180;
    assert_eq!(
        states("B"),
        [
            (
                "t1".into(),
                Live::Expected {
                    at: b_delay,
                    delay: 180
                }
            ),
            ("t2".into(), Live::Cancelled),
        ]
    );
    assert_eq!(states("C")[0], ("t1".into(), Live::Cancelled));
    // Another day's update does not touch today's trip.
    let tomorrow = at("2026-12-08T06:55:00+07:00");
    let board = departures(&feed, "B", tomorrow, 5, Some(&live)).expect("stop");
    assert!(matches!(board.live, LiveData::Stale { .. }));
    assert!(board.departures.iter().all(|d| d.live == Live::Scheduled));
}

#[test]
fn a_cut_capture_is_refused_or_read_in_part_never_a_panic() {
    let whole = shared("gtfs-rt/transitland_ct-trip-updates.pb");
    for cut in (0..whole.len()).step_by(97) {
        match Realtime::read([&whole[..cut]]) {
            Ok(live) => assert!(live.trip_counts().0 <= 19),
            Err(error) => assert!(matches!(error, TransitError::Realtime(_))),
        }
    }
}

proptest! {
    #[test]
    fn any_bytes_decode_or_are_refused(bytes in proptest::collection::vec(any::<u8>(), 0..2_000)) {
        let _ = Realtime::read([bytes.as_slice()]);
    }
}
