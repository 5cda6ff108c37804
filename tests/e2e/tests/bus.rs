//! A resident in Đà Nẵng checks the bus: the city's timetable arrives with the first sync,
//! live data (a late bus, a cancelled one, a bus on the road, a road closure) with it. They
//! find "Cầu Rồng" typed without accents, see its departures live, star it, open the route's
//! map, plan a journey, and with the gateway gone still see their starred stop's buses.
#![allow(clippy::expect_used, clippy::print_stdout)]

mod harness;

use std::io::Write;

use gtfs_realtime::trip_update::{StopTimeEvent, StopTimeUpdate};
use gtfs_realtime::{
    Alert, EntitySelector, FeedEntity, FeedHeader, FeedMessage, Position, TimeRange,
    TranslatedString, TripDescriptor, TripUpdate, VehicleDescriptor, VehiclePosition,
    translated_string::Translation,
};
use harness::Session;
use prost::Message;

/// Route 16's stops: (id, name, lat, lon, seconds after the trip's start).
const STOPS: [(&str, &str, f64, f64, i64); 4] = [
    ("BX", "Bến xe Trung tâm Đà Nẵng", 16.0587, 108.1775, 0),
    ("NBH", "Ngã ba Huế", 16.0632, 108.1865, 300),
    ("CR", "Cầu Rồng", 16.0612, 108.2270, 900),
    ("CH", "Chợ Hàn", 16.0680, 108.2245, 1200),
];
/// A trip every ten minutes from 00:00 to 23:50.
const HEADWAY: i64 = 600;
const TRIPS: i64 = 144;

fn clock(seconds: i64) -> String {
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    )
}

/// The city's timetable as a GTFS zip.
fn timetable() -> Vec<u8> {
    let mut stops = String::from("stop_id,stop_name,stop_lat,stop_lon\n");
    let mut shape = String::from("shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence\n");
    let mut stop_times =
        String::from("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n");
    let mut trips = String::from("route_id,service_id,trip_id,trip_headsign,shape_id\n");
    for (n, (id, name, lat, lon, _)) in STOPS.iter().enumerate() {
        stops.push_str(&format!("{id},{name},{lat},{lon}\n"));
        shape.push_str(&format!("S16,{lat},{lon},{}\n", n * 2));
        if let Some(next) = STOPS.get(n + 1) {
            let (mid_lat, mid_lon) = ((lat + next.2) / 2.0 + 0.002, (lon + next.3) / 2.0);
            shape.push_str(&format!("S16,{mid_lat},{mid_lon},{}\n", n * 2 + 1));
        }
    }
    for k in 0..TRIPS {
        trips.push_str(&format!("R16,ALL,R16-{k},Chợ Hàn,S16\n"));
        for (n, (id, _, _, _, offset)) in STOPS.iter().enumerate() {
            let at = clock(k * HEADWAY + offset);
            stop_times.push_str(&format!("R16-{k},{at},{at},{id},{}\n", n + 1));
        }
    }
    let files = [
        ("agency.txt", "agency_id,agency_name,agency_url,agency_timezone\nDN,Xe buýt Đà Nẵng,https://danang.gov.vn,Asia/Ho_Chi_Minh\n".to_owned()),
        ("routes.txt", "route_id,route_short_name,route_long_name,route_type,route_color\nR16,16,Bến xe Trung tâm – Chợ Hàn,3,1A5FB4\n".to_owned()),
        ("calendar.txt", "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nALL,1,1,1,1,1,1,1,20200101,20351231\n".to_owned()),
        ("stops.txt", stops),
        ("trips.txt", trips),
        ("stop_times.txt", stop_times),
        ("shapes.txt", shape),
    ];
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    for (name, text) in files {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        zip.write_all(text.as_bytes()).expect("write");
    }
    zip.finish().expect("finish");
    out.into_inner()
}

/// The trips leaving Cầu Rồng after `now` + 2 min: (trip id, service date YYYYMMDD).
fn next_trips_at_cau_rong(now: i64) -> Vec<(String, String)> {
    let zone = civic_time::vietnam();
    let today = civic_time::civil_date(now, &zone);
    let mut found = Vec::new();
    for date in [today, today.tomorrow().expect("a tomorrow")] {
        let origin = civic_time::service_day_origin(date, &zone).expect("origin");
        for k in 0..TRIPS {
            if origin + k * HEADWAY + STOPS[2].4 >= now + 120 {
                found.push((format!("R16-{k}"), date.strftime("%Y%m%d").to_string()));
            }
        }
    }
    found
}

fn message(now: i64, entity: Vec<FeedEntity>) -> Vec<u8> {
    FeedMessage {
        header: FeedHeader {
            gtfs_realtime_version: "2.0".into(),
            timestamp: Some(u64::try_from(now).expect("positive")),
            ..FeedHeader::default()
        },
        entity,
    }
    .encode_to_vec()
}

fn vietnamese(text: &str) -> TranslatedString {
    TranslatedString {
        translation: vec![Translation {
            text: text.into(),
            language: Some("vi".into()),
        }],
    }
}

/// Live captures as the city's system would send them now: the next bus at Cầu Rồng 3 min
/// late, the one after cancelled, a bus near Ngã ba Huế, a road closure on route 16.
fn live_captures(now: i64) -> [Vec<u8>; 3] {
    let next = next_trips_at_cau_rong(now);
    let trip = |n: usize, relationship| TripDescriptor {
        trip_id: Some(next[n].0.clone()),
        start_date: Some(next[n].1.clone()),
        route_id: Some("R16".into()),
        schedule_relationship: Some(relationship as i32),
        ..TripDescriptor::default()
    };
    use gtfs_realtime::trip_descriptor::ScheduleRelationship as Trip;
    let updates = vec![
        FeedEntity {
            id: "late".into(),
            trip_update: Some(TripUpdate {
                trip: trip(0, Trip::Scheduled),
                stop_time_update: vec![StopTimeUpdate {
                    stop_sequence: Some(2),
                    departure: Some(StopTimeEvent {
                        delay: Some(180),
                        ..StopTimeEvent::default()
                    }),
                    ..StopTimeUpdate::default()
                }],
                ..TripUpdate::default()
            }),
            ..FeedEntity::default()
        },
        FeedEntity {
            id: "cancelled".into(),
            trip_update: Some(TripUpdate {
                trip: trip(1, Trip::Canceled),
                ..TripUpdate::default()
            }),
            ..FeedEntity::default()
        },
    ];
    let vehicles = vec![FeedEntity {
        id: "43B-012.34".into(),
        vehicle: Some(VehiclePosition {
            trip: Some(trip(0, Trip::Scheduled)),
            vehicle: Some(VehicleDescriptor {
                id: Some("43B-012.34".into()),
                label: Some("43B-012.34".into()),
                ..VehicleDescriptor::default()
            }),
            position: Some(Position {
                latitude: 16.063,
                longitude: 108.19,
                ..Position::default()
            }),
            timestamp: Some(u64::try_from(now - 20).expect("positive")),
            ..VehiclePosition::default()
        }),
        ..FeedEntity::default()
    }];
    let alerts = vec![FeedEntity {
        id: "bach-dang".into(),
        alert: Some(Alert {
            active_period: vec![TimeRange {
                start: Some(u64::try_from(now - 3_600).expect("positive")),
                end: Some(u64::try_from(now + 86_400).expect("positive")),
            }],
            informed_entity: vec![EntitySelector {
                route_id: Some("R16".into()),
                ..EntitySelector::default()
            }],
            header_text: Some(vietnamese(
                "Đường Bạch Đằng cấm xe, tuyến 16 đi đường Trần Phú",
            )),
            ..Alert::default()
        }),
        ..FeedEntity::default()
    }];
    [
        message(now, updates),
        message(now, vehicles),
        message(now, alerts),
    ]
}

#[tokio::test]
async fn a_resident_checks_the_bus_live_then_offline() {
    let dir = tempfile::tempdir().expect("tempdir");
    let gtfs = dir.path().join("danang.zip");
    std::fs::write(&gtfs, timetable()).expect("write the timetable");
    let mut realtime = Vec::new();
    for (n, capture) in live_captures(civic_time::now_unix()).iter().enumerate() {
        let path = dir.path().join(format!("live-{n}.pb"));
        std::fs::write(&path, capture).expect("write a capture");
        realtime.push(path);
    }
    let mut gateway = civic_test_gateway::serve_with_bus(
        civic_test_gateway::bundled(20),
        "2026-11-20",
        &civic_test_gateway::city_profile("da-nang"),
        &civic_gateway::bus::BusFiles {
            gtfs: Some(gtfs),
            realtime,
        },
    )
    .await;
    let session = Session::start_with_env(&[("CIVIC_GATEWAY_URL", &gateway.url)]).await;
    session
        .wait_for_text(".status-city", "Thành phố Đà Nẵng")
        .await;
    session.click("#tile-bus").await;
    session
        .wait_for_text_containing("#bus-timetable-age", "kiểm tra lần cuối")
        .await;
    session
        .wait_for_text_containing("#bus-live", "trực tuyến")
        .await;
    session
        .wait_for_text_containing(".bus-alerts", "Đường Bạch Đằng cấm xe")
        .await;
    session.find("#bus-starred-none").await;
    session.screenshot("bus-home.png").await;

    // "cau rong", no accents: Cầu Rồng.
    session
        .find("#bus-search-input")
        .await
        .send_keys("cau rong")
        .await
        .expect("type a stop");
    session
        .wait_for_text_containing("#bus-search-results", "Cầu Rồng")
        .await;
    session.click("#bus-search-results a").await;
    session.wait_for_text("h1", "Cầu Rồng").await;
    // The next bus is 3 minutes late, the one after it cancelled.
    session
        .wait_for_text_containing("#bus-departures", "dự kiến")
        .await;
    session
        .wait_for_text_containing("#bus-departures", "(3 phút)")
        .await;
    session
        .wait_for_text_containing("#bus-departures", "Đã hủy chuyến")
        .await;
    session.click("#bus-star").await;
    session
        .wait_for_text_containing("#bus-star", "Bỏ lưu")
        .await;
    session.screenshot("bus-stop.png").await;

    // The route's page: its map drawn here, the bus on the road, the closure.
    session.click("#bus-departures a").await;
    session.wait_for_text("h1", "Tuyến 16").await;
    let map = session.find("#bus-route-map").await;
    let label = map
        .attr("aria-label")
        .await
        .expect("label")
        .expect("a label");
    assert!(label.contains("4 điểm dừng, 1 xe"), "{label}");
    session
        .wait_for_text_containing("#bus-vehicles", "43B-012.34")
        .await;
    session
        .wait_for_text_containing("#bus-route-stops", "Chợ Hàn")
        .await;
    session.screenshot("bus-route.png").await;

    // A journey from the bus station to the market, leaving now.
    session.script("window.location.hash = '#/bus/plan'").await;
    session
        .find("#bus-plan-from")
        .await
        .send_keys("ben xe")
        .await
        .expect("type");
    session.click("#bus-plan-from-results button").await;
    session
        .find("#bus-plan-to")
        .await
        .send_keys("cho han")
        .await
        .expect("type");
    session.click("#bus-plan-to-results button").await;
    session.click("#bus-plan-go").await;
    session
        .wait_for_text_containing("#bus-journeys", "đi 1 chuyến xe")
        .await;
    session
        .wait_for_text_containing("#bus-journeys", "Tuyến 16: ")
        .await;
    session
        .wait_for_text_containing("#bus-journeys", "lên xe tại Bến xe Trung tâm Đà Nẵng")
        .await;
    session.screenshot("bus-plan.png").await;

    // The gateway goes away: the starred stop's buses are still there.
    gateway.stop().await;
    session.script("window.location.hash = '#/bus'").await;
    session
        .wait_for_text_containing("#bus-starred-heading + article", "Cầu Rồng")
        .await;
    session
        .wait_for_text_containing("#bus-starred-heading + article", "Chợ Hàn")
        .await;
    session.screenshot("bus-offline.png").await;
    session.stop().await;
}
