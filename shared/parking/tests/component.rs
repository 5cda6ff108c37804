//! The parking component on the device alone: sessions checked, overlaps refused before
//! anything is sent, extend and stop, what is left to pay, reminders given once.
#![allow(clippy::expect_used)]

use std::sync::Arc;

use civic_parking::{Parking, ParkingFlowError, ParkingStore};
use civic_sync::SyncComponent;
use civic_types::city::CityProfile;
use civic_types::parking::{PaymentState, SessionSync, VehicleKind};

fn parking() -> Parking {
    let path = format!(
        "{}/../../assets/cities/da-nang.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let profile: CityProfile =
        toml::from_str(&std::fs::read_to_string(path).expect("profile")).expect("a profile");
    let config = profile.parking;
    Parking::new(
        ParkingStore::open_in_memory().expect("store"),
        Arc::new(move || config.clone()),
        civic_sync::Link::new(None),
    )
}

/// 2026-12-07 at `hh:mm` in Vietnam.
fn at(hh: i64, mm: i64) -> i64 {
    1_796_601_600 - 7 * 3_600 + hh * 3_600 + mm * 60
}

#[test]
fn sessions_on_the_device() {
    let p = parking();
    let s = p
        .start(
            "43a12345",
            "bach-dang",
            VehicleKind::Motorbike,
            60,
            at(9, 0),
        )
        .expect("started");
    assert_eq!(
        (s.plate.as_str(), s.fee.total, s.payment),
        ("43A-123.45", 4_000, PaymentState::Unpaid)
    );
    assert_eq!(s.sync, SessionSync::Pending);
    assert!(matches!(
        p.start(
            "43A-123.45",
            "bach-dang",
            VehicleKind::Motorbike,
            30,
            at(9, 30)
        ),
        Err(ParkingFlowError::Overlaps)
    ));
    // Another zone, or after it ends, is fine.
    p.start(
        "43A-123.45",
        "tran-phu",
        VehicleKind::Motorbike,
        30,
        at(9, 30),
    )
    .expect("another zone");
    // Extended past 22:00 it costs a night turn too.
    let longer = p.extend(&s.id, 13 * 60 - 60, at(9, 10));
    assert!(
        matches!(longer, Err(ParkingFlowError::Rules(_))),
        "over the zone's 12 hours"
    );
    let longer = p.extend(&s.id, 60, at(9, 10)).expect("extended");
    assert_eq!(longer.ends_at, at(11, 0));
    let code = p.payment(&s.id).expect("a code");
    assert_eq!(
        (code.amount, code.reference.as_str()),
        (4_000, longer.reference.as_str())
    );
    assert!(code.payload.contains(&code.reference) && code.svg.starts_with("<svg"));
    let stopped = p.stop(&s.id, at(9, 20)).expect("stopped");
    assert_eq!(stopped.stopped_at, Some(at(9, 20)));
    assert!(matches!(
        p.extend(&s.id, 30, at(9, 25)),
        Err(ParkingFlowError::Ended)
    ));
    assert!(matches!(
        p.stop("NOSUCHSESSION0000000", at(9, 25)),
        Err(ParkingFlowError::NotFound)
    ));
    // Written on the device, waiting to be sent: the scheduler is asked for a round now.
    assert_eq!(p.next_due(at(9, 25)), Some(at(9, 25)));
    assert_eq!(p.history().expect("history").len(), 2);
}

#[test]
fn a_reminder_is_given_once_before_the_end() {
    let p = parking();
    let s = p
        .start(
            "29-B1 234.56",
            "vo-nguyen-giap",
            VehicleKind::Car,
            30,
            at(14, 0),
        )
        .expect("started");
    // Đà Nẵng reminds 10 minutes ahead.
    assert!(p.due_reminders(at(14, 15)).expect("due").is_empty());
    let due = p.due_reminders(at(14, 21)).expect("due");
    assert_eq!(
        due.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        [s.id.as_str()]
    );
    assert!(p.due_reminders(at(14, 22)).expect("due").is_empty(), "once");
    assert!(
        p.due_reminders(at(14, 40)).expect("due").is_empty(),
        "not after it ended"
    );
}

/// "Ending soon" is one rule for the reminder and the page: running, and ending within the
/// reminder time, its last instant included.
#[test]
fn a_session_ends_soon_within_the_reminder_time_while_it_runs() {
    let p = parking();
    let s = p
        .start(
            "43A-123.45",
            "vo-nguyen-giap",
            VehicleKind::Car,
            30,
            at(9, 0),
        )
        .expect("started");
    for (now, soon) in [
        (at(9, 19), false),
        (at(9, 20), true),
        (at(9, 29), true),
        (at(9, 30), false),
        (at(9, 45), false),
    ] {
        assert_eq!(s.ending_soon(now, 10), soon, "{now}");
    }
    let stopped = p.stop(&s.id, at(9, 25)).expect("stopped");
    assert!(
        !stopped.ending_soon(at(9, 26), 10),
        "a stopped session ends no more"
    );
}

#[test]
fn without_street_parking_nothing_starts() {
    let p = Parking::new(
        ParkingStore::open_in_memory().expect("store"),
        Arc::new(|| None),
        civic_sync::Link::new(None),
    );
    assert!(matches!(
        p.start("43A-123.45", "bach-dang", VehicleKind::Car, 60, at(9, 0)),
        Err(ParkingFlowError::NotOffered)
    ));
    assert!(p.due_reminders(at(9, 0)).expect("none").is_empty());
}
