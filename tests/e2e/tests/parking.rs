//! A driver in Đà Nẵng parks: the city's car parks arrive with the first sync (one with
//! room, one full), drawn on a map made on the device and filtered by vehicle; they start a
//! session on Bạch Đằng for their motorbike typed without separators, see it accepted by
//! the fee system, scan the payment code (its amount and transfer note written out), and
//! once the bank's notice reaches the gateway see it paid; with the gateway gone, the
//! history and the car parks are still there, marked as last known.
#![allow(clippy::expect_used, clippy::print_stdout)]

mod harness;

use std::time::Duration;

use civic_types::parking::{Lot, LotState, PaymentState, TransferNotice, VehicleKind};
use harness::Session;

fn lot(id: &str, name: &str, lat: f64, lon: f64, free: u32, state: LotState) -> Lot {
    Lot {
        id: id.into(),
        name: name.into(),
        lat,
        lon,
        kinds: vec![VehicleKind::Motorbike, VehicleKind::Car],
        capacity: 200,
        free: Some(free),
        state,
        tariff: Some("da-nang-155-2018".into()),
        hours: "06:00–22:00".into(),
        updated: civic_time::now_unix() - 120,
    }
}

#[tokio::test]
async fn a_driver_parks_pays_and_sees_it_paid() {
    let mut gateway = civic_test_gateway::serve(
        civic_test_gateway::bundled(20),
        "2026-11-20",
        &civic_test_gateway::city_profile("da-nang"),
    )
    .await;
    gateway
        .put_lot(lot(
            "cho-han",
            "Bãi xe Chợ Hàn",
            16.068,
            108.2243,
            37,
            LotState::Open,
        ))
        .await;
    let mut full = lot(
        "song-han",
        "Bãi xe Cầu Sông Hàn",
        16.0722,
        108.2262,
        0,
        LotState::Closed,
    );
    full.kinds = vec![VehicleKind::Car];
    gateway.put_lot(full).await;
    let session = Session::start_with_env(&[("CIVIC_GATEWAY_URL", &gateway.url)]).await;
    session
        .wait_for_text(".status-city", "Thành phố Đà Nẵng")
        .await;
    session.click("#tile-parking").await;
    session.wait_for_text("h1", "Gửi xe").await;
    // Near Bạch Đằng (the first zone): both car parks, nearest first, each figure's age.
    session
        .wait_for_text_containing("#parking-lots-list", "Bãi xe Chợ Hàn")
        .await;
    session
        .wait_for_text_containing("#parking-lots-list", "Còn 37 / 200 chỗ")
        .await;
    session
        .wait_for_text_containing("#parking-lots-list", "Đã đóng cửa")
        .await;
    session
        .wait_for_text_containing("#parking-lots-list", "(2 phút trước)")
        .await;
    let map = session.find("#parking-map").await;
    let label = map
        .attr("aria-label")
        .await
        .expect("label")
        .expect("a label");
    assert!(label.contains("2 bãi xe"), "{label}");
    session.screenshot("parking-home.png").await;
    session
        .script("document.getElementById('parking-map').scrollIntoView({block: 'end'})")
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    session.screenshot("parking-lots.png").await;
    // Motorbikes only: the car-only car park goes.
    session
        .click("#parking-lot-kind option[value='motorbike']")
        .await;
    session
        .wait_for(
            "#parking-lots-list",
            "only Chợ Hàn",
            Duration::from_secs(10),
            |text| text.contains("Chợ Hàn") && !text.contains("Sông Hàn"),
        )
        .await;

    // A session: plate typed loosely, motorbike, an hour.
    session
        .find("#parking-plate")
        .await
        .send_keys("43b1 23456")
        .await
        .expect("type the plate");
    session
        .click("#parking-kind option[value='motorbike']")
        .await;
    session
        .wait_for_text_containing("#parking-quote", "Phí dự kiến")
        .await;
    session.click("#parking-start-button").await;
    session
        .wait_for_text_containing("#parking-session-plate", "43-B1 234.56")
        .await;
    session
        .wait_for_text_containing("#parking-session-sync", "Hệ thống thu phí đã nhận")
        .await;
    session
        .wait_for_text_containing("#parking-session-payment", "Chưa thanh toán")
        .await;
    let reference = session
        .find("#parking-session-reference")
        .await
        .text()
        .await
        .expect("the reference");
    session
        .wait_for_text_containing("#parking-pay-note", &reference)
        .await;
    session
        .wait_for_text_containing("#parking-pay-amount", "đồng")
        .await;
    let qr = session.find("#parking-qr").await;
    let alt = qr.attr("alt").await.expect("alt").expect("an alt text");
    assert!(alt.contains(&reference), "{alt}");
    session.screenshot("parking-session.png").await;

    // The bank's notice of the transfer reaches the gateway; the app follows the payment.
    let hash = session.script("return window.location.hash").await;
    let id = hash
        .as_str()
        .and_then(|h| h.rsplit('/').next())
        .expect("the session's page")
        .to_owned();
    let held = gateway
        .parking_session(&id)
        .await
        .expect("the gateway has it");
    assert_eq!(held.reference, reference);
    let status = gateway
        .notify_transfer(&TransferNotice {
            id: "FT26341777".into(),
            amount: held.fee,
            description: format!("MBVCB.1234.{reference} gui xe"),
            booked_at: civic_time::now_unix(),
        })
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        gateway.parking_session(&id).await.expect("held").payment,
        PaymentState::Paid
    );
    session
        .wait_for_text_within(
            "#parking-session-payment",
            "Đã thanh toán",
            Duration::from_secs(90),
        )
        .await;
    session.screenshot("parking-paid.png").await;

    // Offline: the session and the last known car parks stay.
    gateway.stop().await;
    session.click("#parking-back").await;
    session
        .wait_for_text_containing("#parking-active-list", "43-B1 234.56")
        .await;
    session
        .wait_for_text_containing("#parking-lots-list", "Bãi xe Chợ Hàn")
        .await;
    session.screenshot("parking-offline.png").await;
    session.stop().await;
}
