//! The shipped cities' parking rules check, and a session is checked against them: plate,
//! zone, kind, times, and the fee it costs.
#![allow(clippy::expect_used)]

use civic_parking::{CheckedConfig, ParkingError};
use civic_types::city::CityProfile;
use civic_types::parking::{SessionUpload, VehicleKind};

fn city(id: &str) -> CheckedConfig {
    let path = format!(
        "{}/../../assets/cities/{id}.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let profile: CityProfile =
        toml::from_str(&std::fs::read_to_string(path).expect("profile")).expect("a profile");
    CheckedConfig::new(profile.parking.expect("street parking")).expect("rules that check")
}

/// 2026-12-07 (a Monday) at `hh:mm` in Vietnam.
fn at(hh: i64, mm: i64) -> i64 {
    1_796_601_600 - 7 * 3_600 + hh * 3_600 + mm * 60
}

fn upload(plate: &str, zone: &str, kind: VehicleKind, from: i64, to: i64) -> SessionUpload {
    SessionUpload {
        plate: plate.into(),
        kind,
        zone: zone.into(),
        starts_at: from,
        ends_at: to,
        stopped_at: None,
    }
}

#[test]
fn sessions_follow_the_citys_rules() {
    let da_nang = city("da-nang");
    let checked = da_nang
        .check(&upload(
            "43a12345",
            "bach-dang",
            VehicleKind::Motorbike,
            at(21, 0),
            at(23, 0),
        ))
        .expect("a valid session");
    assert_eq!(checked.plate.to_string(), "43A-123.45");
    // A day turn and a night turn: 4,000 + 5,000 đ.
    assert_eq!(checked.fee.total, 9_000);
    let mut stopped = upload(
        "43A-123.45",
        "bach-dang",
        VehicleKind::Motorbike,
        at(21, 0),
        at(23, 0),
    );
    stopped.stopped_at = Some(at(21, 30));
    assert_eq!(da_nang.check(&stopped).expect("valid").fee.total, 4_000);
    stopped.stopped_at = Some(at(23, 30));
    assert!(matches!(
        da_nang.check(&stopped),
        Err(ParkingError::Time(_))
    ));
    assert!(matches!(
        da_nang.check(&upload(
            "43A-123.45",
            "le-duan",
            VehicleKind::Car,
            at(8, 0),
            at(9, 0)
        )),
        Err(ParkingError::UnknownZone(_))
    ));
    assert!(matches!(
        da_nang.check(&upload(
            "43A-123.45",
            "bach-dang",
            VehicleKind::LargeCar,
            at(8, 0),
            at(9, 0)
        )),
        Err(ParkingError::NoRate(VehicleKind::LargeCar))
    ));
    // Bạch Đằng allows 12 hours.
    assert!(matches!(
        da_nang.check(&upload(
            "43A-123.45",
            "bach-dang",
            VehicleKind::Car,
            at(8, 0),
            at(20, 1)
        )),
        Err(ParkingError::Time(_))
    ));
    assert!(matches!(
        da_nang.check(&upload(
            "43A",
            "tran-phu",
            VehicleKind::Car,
            at(8, 0),
            at(9, 0)
        )),
        Err(ParkingError::Plate(_))
    ));
    let ha_noi = city("ha-noi");
    // Hà Nội by car, 08:00–12:30: a 2-hour turn, two hours at 30,000, one at 40,000.
    let fee = ha_noi
        .check(&upload(
            "29-B1 234.56",
            "ly-thai-to",
            VehicleKind::Car,
            at(8, 0),
            at(12, 30),
        ))
        .expect("valid")
        .fee;
    assert_eq!(fee.total, 35_000 + 2 * 30_000 + 40_000);
    assert_eq!(
        ha_noi.kinds("hang-bai").expect("zone"),
        [VehicleKind::Motorbike, VehicleKind::Car]
    );
}

#[test]
fn overlaps_are_half_open() {
    use civic_parking::config::overlaps;
    assert!(overlaps((0, 10), (5, 15)));
    assert!(overlaps((5, 15), (0, 10)));
    assert!(overlaps((0, 10), (2, 3)));
    assert!(!overlaps((0, 10), (10, 20)));
    assert!(!overlaps((10, 20), (0, 10)));
}

/// One rule for what a zone takes, on the shared type the pages read and here alike: its own
/// list, else every kind its tariff prices.
#[test]
fn a_zone_takes_its_own_kinds_else_every_kind_its_tariff_prices() {
    use VehicleKind::{Bicycle, Car, LargeCar, Motorbike};
    let da_nang = city("da-nang");
    assert_eq!(da_nang.kinds("bach-dang").expect("zone"), [Motorbike, Car]);
    // Trần Phú lists none: Decision 155's tariff prices all four kinds.
    assert_eq!(
        da_nang.kinds("tran-phu").expect("zone"),
        [Bicycle, Motorbike, Car, LargeCar]
    );
    assert!(matches!(
        da_nang.kinds("no-such-zone"),
        Err(ParkingError::UnknownZone(_))
    ));
}
