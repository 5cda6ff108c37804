//! `civic parking` sessions against a real gateway serving Đà Nẵng's profile: started on the
//! device (an overlap refused there), sent by `civic sync`, paid by a signed bank notice
//! and seen paid after the next sync; car parks near a point from the synced list.
#![allow(clippy::expect_used)]

mod common;

use civic_types::parking::{Lot, LotState, TransferNotice, VehicleKind};
use common::{civic, json_in, stdout};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_is_started_synced_paid_and_seen_paid() {
    let gateway = civic_test_gateway::serve(
        civic_test_gateway::bundled(5),
        "2026-12-01",
        &civic_test_gateway::city_profile("da-nang"),
    )
    .await;
    gateway
        .put_lot(Lot {
            id: "cho-han".into(),
            name: "Bãi xe Chợ Hàn".into(),
            lat: 16.068,
            lon: 108.2243,
            kinds: vec![VehicleKind::Motorbike, VehicleKind::Car],
            capacity: 200,
            free: Some(37),
            state: LotState::Open,
            tariff: Some("da-nang-155-2018".into()),
            hours: "06:00–22:00".into(),
            updated: civic_time::now_unix(),
        })
        .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().to_owned();
    let url = gateway.url.clone();
    let (session_id, reference) = tokio::task::spawn_blocking(move || {
        // Before the city's profile arrives there are no zones.
        let refused = civic(
            &data,
            &[
                "parking",
                "start",
                "--plate",
                "43A-123.45",
                "--zone",
                "bach-dang",
                "--minutes",
                "60",
            ],
        );
        assert!(!refused.status.success());
        stdout(&civic(&data, &["sync", "--gateway", &url]));
        let zones = stdout(&civic(&data, &["parking", "zones"]));
        assert!(
            zones.contains("bach-dang") && zones.contains("Bạch Đằng"),
            "{zones}"
        );
        let session = json_in(
            &data,
            &[
                "parking",
                "start",
                "--plate",
                "43a 123 45",
                "--zone",
                "bach-dang",
                "--minutes",
                "60",
                "--json",
            ],
        );
        assert_eq!(session["plate"], "43A-123.45");
        assert_eq!(session["sync"]["state"], "pending");
        let fee = session["fee"]["total"].as_u64().expect("a fee");
        assert!(
            fee == 4_000 || fee == 5_000 || fee == 9_000,
            "a motorbike turn or two: {fee}"
        );
        // The same plate in the same zone meanwhile is refused on the device, in Vietnamese.
        let overlap = civic(
            &data,
            &[
                "parking",
                "start",
                "--plate",
                "43A-12345",
                "--zone",
                "bach-dang",
                "--minutes",
                "30",
            ],
        );
        assert!(!overlap.status.success());
        assert!(String::from_utf8_lossy(&overlap.stderr).contains("đã có một lượt gửi"));
        let id = session["id"].as_str().expect("id").to_owned();
        let extended = json_in(
            &data,
            &["parking", "extend", &id, "--minutes", "30", "--json"],
        );
        assert_eq!(
            extended["ends_at"].as_i64().expect("end") - session["ends_at"].as_i64().expect("end"),
            1_800
        );
        // Sent at the next sync; the gateway's fee and payment come back.
        stdout(&civic(&data, &["sync", "--gateway", &url]));
        let history = json_in(&data, &["parking", "history", "--json"]);
        assert_eq!(history[0]["sync"]["state"], "synced");
        assert_eq!(history[0]["payment"], "unpaid");
        let pay = json_in(&data, &["parking", "pay", &id, "--json"]);
        assert_eq!(pay["amount"], history[0]["fee"]["total"]);
        assert!(
            pay["payload"]
                .as_str()
                .expect("payload")
                .contains(pay["reference"].as_str().expect("ref"))
        );
        // Car parks near Cầu Rồng, from the synced list.
        let lots = json_in(
            &data,
            &[
                "parking",
                "lots",
                "--near",
                "16.0613,108.2274",
                "--kind",
                "car",
                "--json",
            ],
        );
        assert_eq!(lots["lots"][0]["lot"]["id"], "cho-han");
        assert_eq!(lots["lots"][0]["lot"]["free"], 37);
        assert_eq!(lots["stale"], false);
        (id, pay["reference"].as_str().expect("ref").to_owned())
    })
    .await
    .expect("the first part");
    let fee = {
        let data = dir.path().to_owned();
        tokio::task::spawn_blocking(move || {
            json_in(&data, &["parking", "history", "--json"])[0]["fee"]["total"]
                .as_u64()
                .expect("fee")
        })
        .await
        .expect("history")
    };
    let status = gateway
        .notify_transfer(&TransferNotice {
            id: "FT26341999".into(),
            amount: fee,
            description: format!("{} gui xe Bach Dang", reference.to_lowercase()),
            booked_at: civic_time::now_unix(),
        })
        .await;
    assert_eq!(status, 200);
    let data = dir.path().to_owned();
    let url = gateway.url.clone();
    tokio::task::spawn_blocking(move || {
        stdout(&civic(&data, &["sync", "--gateway", &url]));
        let history = json_in(&data, &["parking", "history", "--json"]);
        assert_eq!(history[0]["id"], session_id.as_str());
        assert_eq!(history[0]["payment"], "paid");
        // Said as the app's pages say it.
        let listed = stdout(&civic(&data, &["parking", "history"]));
        assert!(
            listed.contains("Đã thanh toán") && listed.contains("Hệ thống thu phí đã nhận"),
            "{listed}"
        );
        // Paid in full: nothing left to pay.
        assert!(
            !civic(&data, &["parking", "pay", &session_id])
                .status
                .success()
        );
        let stopped = civic(&data, &["parking", "stop", &session_id]);
        assert!(
            stopped.status.success(),
            "{}",
            String::from_utf8_lossy(&stopped.stderr)
        );
        assert!(
            !civic(
                &data,
                &["parking", "extend", &session_id, "--minutes", "10"]
            )
            .status
            .success()
        );
    })
    .await
    .expect("the second part");
}
