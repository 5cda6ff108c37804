//! `civic bus` on the real feeds: the journey JSON the issue names, departures, and a
//! broken feed refused with the Vietnamese message.
#![allow(clippy::expect_used)]

mod common;

use common::{civic_anywhere as civic, json, json_in};

fn feed(name: &str) -> String {
    civic_test_support::shared_data()
        .join("gtfs")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn plan_prints_the_journeys_as_json() {
    let bart = feed("511_BA_bart_2018.zip");
    let plan = json(&[
        "bus",
        "plan",
        "--feed",
        &bart,
        "--from",
        "12TH",
        "--to",
        "SFIA",
        "--depart",
        "2018-06-13T08:00:00",
        "--json",
    ]);
    let journeys = plan["journeys"].as_array().expect("journeys");
    let first = &journeys[0];
    // 12th St. Oakland to SFO: one train at 08:00, there at 08:44 (BART's 2018 timetable).
    assert_eq!(first["rides"], 1);
    assert_eq!(first["arrival"], 8 * 3600 + 44 * 60);
    assert_eq!(first["legs"][0]["kind"], "ride");
    assert_eq!(first["legs"][0]["from"], "12TH");
    assert_eq!(first["legs"][0]["to"], "SFIA");
}

#[test]
fn departures_list_the_next_trains() {
    let caltrain = feed("511_CT_caltrain_2018.zip");
    let listed = json(&[
        "bus",
        "departures",
        "--feed",
        &caltrain,
        "--stop",
        "70012",
        "--at",
        "2018-06-13T08:00:00",
        "--limit",
        "2",
        "--json",
    ]);
    let trips: Vec<&str> = listed["departures"]
        .as_array()
        .expect("departures")
        .iter()
        .map(|d| d["trip_id"].as_str().expect("id"))
        .collect();
    assert_eq!(trips, ["226", "228"]);
}

#[test]
fn a_cut_feed_and_a_bad_time_are_refused_plainly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let whole = std::fs::read(feed("511_BA_bart_2018.zip")).expect("read");
    let cut = dir.path().join("cut.zip");
    std::fs::write(&cut, &whole[..whole.len() / 2]).expect("write");
    let out = civic(&[
        "bus",
        "plan",
        "--feed",
        cut.to_str().expect("path"),
        "--from",
        "12TH",
        "--to",
        "SFIA",
        "--depart",
        "2018-06-13T08:00:00",
    ]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("Không đọc được dữ liệu lịch chạy xe buýt"),
        "{said}"
    );
    let out = civic(&[
        "bus",
        "departures",
        "--feed",
        &feed("511_BA_bart_2018.zip"),
        "--stop",
        "12TH",
        "--at",
        "8h sáng",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM-DDTHH:MM:SS"));
}

#[test]
fn departures_with_live_data_from_a_capture() {
    let rt = |name: &str| {
        civic_test_support::shared_data()
            .join("gtfs-rt")
            .join(name)
            .display()
            .to_string()
    };
    let (zip, updates) = (
        rt("transitland_ct.zip"),
        rt("transitland_ct-trip-updates.pb"),
    );
    let board = json(&[
        "bus",
        "departures",
        "--feed",
        &zip,
        "--stop",
        "70242",
        "--at",
        "2023-11-07T17:06:00",
        "--realtime",
        &updates,
        "--json",
    ]);
    assert_eq!(board["live"]["state"], "fresh");
    let first = &board["departures"][0];
    // Trip 124, timetabled 17:09:00, predicted 17:10:01.
    assert_eq!(first["trip_id"], "124");
    assert_eq!(first["seconds"], 17 * 3600 + 9 * 60);
    assert_eq!(first["live"]["state"], "expected");
    assert_eq!(first["live"]["delay"], 61);
    // A file that is not GTFS-Realtime is refused with the Vietnamese message.
    let out = civic(&[
        "bus",
        "departures",
        "--feed",
        &zip,
        "--stop",
        "70242",
        "--at",
        "2023-11-07T17:06:00",
        "--realtime",
        &zip,
    ]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Không đọc được dữ liệu xe buýt trực tuyến"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_feed_unpacked_into_a_folder_reads_too() {
    let board = json(&[
        "bus",
        "departures",
        "--feed",
        &feed("hanoi-subset"),
        "--stop",
        "01_1_S13",
        "--at",
        "2018-06-13T10:00:00",
        "--limit",
        "1",
        "--json",
    ]);
    assert_eq!(board["departures"][0]["trip_id"], "01_1_MD_1");
    assert_eq!(board["live"]["state"], "missing");
}

#[test]
fn a_timetable_imported_from_a_file_answers_from_the_device() {
    let data = tempfile::tempdir().expect("tempdir");
    let bart = feed("511_BA_bart_2018.zip");
    let out = common::civic(data.path(), &["bus", "import", &bart]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("48 điểm dừng, 6 tuyến, 2525 chuyến, 33167 giờ dừng"),
        "{said}"
    );
    let found = json_in(
        data.path(),
        &["bus", "stops", "--search", "12TH st oakland", "--json"],
    );
    assert_eq!(found[0]["id"], "12TH");
    // 12th St. Oakland City Center is at 37.803768, -122.27145: 119 m north of this point.
    let near = json_in(
        data.path(),
        &["bus", "stops", "--near", "37.8027,-122.27145", "--json"],
    );
    assert_eq!(near[0]["id"], "12TH");
    assert_eq!(near[0]["distance"].as_f64().map(f64::round), Some(119.0));
    // A cut file is refused and the timetable held stays.
    let cut = data.path().join("cut.zip");
    let bytes = std::fs::read(&bart).expect("zip");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).expect("write");
    let out = common::civic(data.path(), &["bus", "import", &cut.display().to_string()]);
    assert!(!out.status.success());
    let found = json_in(data.path(), &["bus", "stops", "--search", "12th", "--json"]);
    assert_eq!(found[0]["id"], "12TH");
}

#[test]
fn late_at_night_the_plan_is_on_the_next_service_day() {
    // Wednesday 13 June 2018, 23:59: no train left that day from San Francisco; Thursday's
    // trip 198 leaves at 0:05 and reaches 70262 at 1:38 on Thursday's clock.
    let plan = json(&[
        "bus",
        "plan",
        "--feed",
        &feed("511_CT_caltrain_2018.zip"),
        "--from",
        "70012",
        "--to",
        "70262",
        "--depart",
        "2018-06-13T23:59:00",
        "--json",
    ]);
    assert_eq!(plan["service_date"], "2018-06-14");
    let first = &plan["journeys"][0];
    assert_eq!(first["arrival"], 3600 + 38 * 60);
    assert_eq!(first["legs"][0]["trip_id"], "198");
}
