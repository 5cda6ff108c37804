//! The city's buses end to end: the gateway serves a real timetable and replays real live
//! captures; the app syncs both through its scheduler, answers 304s for what it holds, keeps
//! its timetable when a broken one arrives, and answers offline from what it keeps.
#![allow(clippy::expect_used)] // a failure is a failed test

mod support;

use std::io::{Read, Write};
use std::path::PathBuf;

use civic_core::Civic;
use civic_gateway::bus::{BusFiles, BusState};
use civic_types::bus::{LiveData, StarKind};
use civic_types::sync::SyncOutcome;

fn shared(path: &str) -> PathBuf {
    civic_test_support::shared_data().join(path)
}

fn caltrain_files() -> BusFiles {
    BusFiles {
        gtfs: Some(shared("gtfs-rt/transitland_ct.zip")),
        realtime: vec![
            shared("gtfs-rt/transitland_ct-trip-updates.pb"),
            shared("gtfs-rt/transitland_ct-vehicle-positions.pb"),
        ],
    }
}

async fn gateway(files: &BusFiles) -> String {
    let db = support::sqlite().await;
    civic_gateway::catalog::publish(
        &db.backend,
        support::procedures(20),
        "2026-12-01".into(),
        1,
        civic_gateway::catalog::Withdrawals::Confirmed,
    )
    .await
    .expect("publish");
    let options = civic_gateway::http::Options {
        bus: BusState::load(files).expect("the configured files"),
        ..Default::default()
    };
    let (addr, _) =
        civic_gateway::serve_loopback_with(0, db.backend.clone(), &support::city(), options)
            .await
            .expect("serve");
    std::mem::forget(db);
    format!("http://{addr}")
}

/// `GET url`, with `If-None-Match: etag` when given: status, ETag, body.
fn get(url: &str, etag: Option<&str>) -> (u16, Option<String>, Vec<u8>) {
    let headers: Vec<(&str, &str)> = etag.map(|e| ("If-None-Match", e)).into_iter().collect();
    let reply = support::get(url, &headers);
    let etag = reply.header("etag").map(str::to_owned);
    (reply.status, etag, reply.body)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_gateway_serves_the_timetable_and_replays_live_data() {
    let address = gateway(&caltrain_files()).await;
    tokio::task::spawn_blocking(move || {
        let (status, etag, zip) = get(&format!("{address}/v1/bus/gtfs.zip"), None);
        assert_eq!(status, 200);
        assert_eq!(
            zip,
            std::fs::read(shared("gtfs-rt/transitland_ct.zip")).expect("zip")
        );
        let etag = etag.expect("an ETag");
        let (status, _, body) = get(&format!("{address}/v1/bus/gtfs.zip"), Some(&etag));
        assert_eq!((status, body.len()), (304, 0));
        // The two captures as one message: 19 trip updates and 14 vehicles.
        let (status, etag, message) = get(&format!("{address}/v1/bus/realtime"), None);
        assert_eq!(status, 200);
        let live = civic_bus::Realtime::read([message.as_slice()]).expect("decodes");
        assert_eq!(live.trip_counts(), (19, 0));
        assert_eq!(live.vehicles(None, None, 0).len(), 14);
        assert_eq!(live.timestamp, Some(1_699_405_559));
        let etag = etag.expect("an ETag");
        assert_eq!(
            get(&format!("{address}/v1/bus/realtime"), Some(&etag)).0,
            304
        );
    })
    .await
    .expect("test");
    // A city without buses says so.
    let none = gateway(&BusFiles::default()).await;
    tokio::task::spawn_blocking(move || {
        let (status, _, body) = get(&format!("{none}/v1/bus/gtfs.zip"), None);
        assert_eq!(status, 404);
        assert!(String::from_utf8_lossy(&body).contains("no-bus-data"));
    })
    .await
    .expect("test");
}

#[test]
fn a_broken_timetable_or_capture_keeps_the_gateway_from_starting() {
    let dir = tempfile::tempdir().expect("tempdir");
    let whole = std::fs::read(shared("gtfs-rt/transitland_ct.zip")).expect("zip");
    let cut = dir.path().join("cut.zip");
    std::fs::write(&cut, &whole[..whole.len() / 2]).expect("write");
    let refused = BusState::load(&BusFiles {
        gtfs: Some(cut),
        realtime: Vec::new(),
    });
    assert!(matches!(
        refused,
        Err(civic_gateway::bus::BusError::Refused { .. })
    ));
    let junk = dir.path().join("junk.pb");
    std::fs::write(&junk, b"\xff\xff\xff\xff not protobuf").expect("write");
    let refused = BusState::load(&BusFiles {
        gtfs: None,
        realtime: vec![junk],
    });
    assert!(matches!(
        refused,
        Err(civic_gateway::bus::BusError::Refused { .. })
    ));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_app_syncs_the_timetable_and_works_offline() {
    let address = gateway(&caltrain_files()).await;
    let app = tempfile::tempdir().expect("tempdir");
    let dir = app.path().to_owned();
    tokio::task::spawn_blocking(move || {
        let civic = Civic::open(&dir, Some(&address)).expect("open");
        assert!(civic.bus().timetable(0).expect("read").is_none());
        civic
            .sync_now(&|| {})
            .expect("a gateway")
            .expect("first sync");
        let now = civic_time::now_unix();
        let timetable = civic
            .bus()
            .timetable(now)
            .expect("read")
            .expect("a timetable");
        assert_eq!((timetable.stops, timetable.routes), (109, 9));
        assert!(!timetable.stale);
        let status = civic.sync_status();
        let bus = status
            .components
            .iter()
            .find(|c| c.component == "bus")
            .expect("bus in the status");
        assert!(bus.last_checked.is_some() && !bus.stale);

        // Nearby: the San Francisco station (its platforms are not listed apart), 63 m away.
        let near = civic.bus().nearby(37.7765, -122.3942, 5).expect("nearby");
        assert_eq!(near[0].id, "san_francisco");
        assert_eq!(near[0].distance.map(f64::round), Some(63.0));
        assert!(near.iter().all(|s| s.id != "70012"));
        // Accents and case do not matter; the station's routes are its platforms'.
        let found = civic.bus().search("SAN mateo", 5).expect("search");
        assert_eq!(found[0].id, "san_mateo");
        assert!(found[0].routes.contains(&"L1".to_owned()));

        // The captures are from 2023: too old to apply now, and said so.
        civic
            .bus()
            .star(StarKind::Stop, "san_mateo", true, now)
            .expect("star");
        let overview = civic.bus().overview(now, "vi").expect("overview");
        assert!(matches!(overview.live, LiveData::Stale { .. }));
        assert_eq!(overview.stops.len(), 1);
        assert!(overview.stops[0].stop.starred);

        // The route page: its stops in order and a simplified line from shapes.txt.
        let route = civic.bus().route("L1", now, "vi").expect("route");
        assert_eq!(route.route.name, "L1");
        assert!(route.stops.len() >= 20, "{}", route.stops.len());
        assert!(route.path.len() >= 2);
        assert!(route.vehicles.is_empty(), "stale positions are not drawn");

        // The second round costs two 304s.
        let report = civic
            .sync_now(&|| {})
            .expect("a gateway")
            .expect("second sync");
        assert_eq!(report.outcome, SyncOutcome::Unchanged);
        drop(civic);

        // Offline: everything above still answers from the device.
        let civic = Civic::open(&dir, Some("http://127.0.0.1:9")).expect("open offline");
        assert!(civic.sync_now(&|| {}).expect("a gateway").is_err());
        let board = civic
            .bus()
            .departures("san_mateo", now, 3)
            .expect("departures");
        assert_eq!(board.stop_name, "San Mateo");
        let plan = civic
            .bus()
            .plan("san_francisco", "san_mateo", 1_699_372_800 + 8 * 3600)
            .expect("plan");
        assert!(!plan.journeys.is_empty());
    })
    .await
    .expect("test");
}

/// A gateway that answers every request with `body` (status 200, no ETag).
fn serve_once(body: Vec<u8>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    address
}

#[test]
fn a_broken_timetable_from_the_gateway_leaves_the_one_held() {
    let app = tempfile::tempdir().expect("tempdir");
    let civic = Civic::open(app.path(), None).expect("open");
    let whole = std::fs::read(shared("gtfs/511_CT_caltrain_2018.zip")).expect("zip");
    civic
        .bus()
        .import_with_progress(&whole, "test", 1, &mut |_| {})
        .expect("import");
    let gateway = civic_core::sync::Gateway::new(&serve_once(whole[..whole.len() / 2].to_vec()))
        .expect("gateway");
    let refused = civic_core::sync::SyncComponent::sync(civic.bus(), &gateway, 2, &mut |_, _| {});
    assert!(refused.is_err(), "{refused:?}");
    let timetable = civic.bus().timetable(2).expect("read").expect("kept");
    assert_eq!((timetable.received, timetable.stops), (1, 64));
    let board = civic
        .bus()
        .departures("70012", 1_528_902_000, 1)
        .expect("still answers");
    assert_eq!(board.departures[0].trip_id, "226");
}
