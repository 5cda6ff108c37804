//! Fees from the two shipped tariffs, across the day/night boundary, midnight, holidays and
//! tier changes; and, for any tariff and any stay, a longer stay never costs less.
#![allow(clippy::expect_used)]

use civic_parking::{CheckedTariff, ParkingError};
use civic_types::parking::{HourTier, Period, Rate, Tariff, VehicleKind};
use proptest::prelude::*;

/// The tariff of a shipped city profile.
fn shipped(city: &str) -> CheckedTariff {
    let path = format!(
        "{}/../../assets/cities/{city}.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).expect("the city profile");
    CheckedTariff::from_profile_or_tariff(&text, None).expect("a valid tariff")
}

/// Unix seconds of a moment in Vietnam (UTC+7).
fn at(text: &str) -> i64 {
    format!("{text}:00+07:00")
        .parse::<jiff::Timestamp>()
        .expect("a moment")
        .as_second()
}

fn total(tariff: &CheckedTariff, vehicle: VehicleKind, from: &str, to: &str) -> u64 {
    tariff.fee(vehicle, at(from), at(to)).expect("a fee").total
}

#[test]
fn da_nang_per_turn_by_day_and_by_night() {
    let dn = shipped("da-nang");
    use VehicleKind::{Bicycle, Car, LargeCar, Motorbike};
    for (vehicle, from, to, expected, why) in [
        (
            Motorbike,
            "2026-12-07T10:00",
            "2026-12-07T11:00",
            4_000,
            "a day turn",
        ),
        (
            Motorbike,
            "2026-12-07T23:00",
            "2026-12-08T01:00",
            5_000,
            "midnight is inside one night",
        ),
        (
            Motorbike,
            "2026-12-07T08:00",
            "2026-12-08T08:00",
            13_000,
            "day, night, day",
        ),
        (
            Car,
            "2026-12-07T10:00",
            "2026-12-07T11:00",
            20_000,
            "a car by day",
        ),
        (
            LargeCar,
            "2026-12-07T23:00",
            "2026-12-07T23:30",
            50_000,
            "a large car by night",
        ),
        (
            Bicycle,
            "2026-12-07T10:00",
            "2026-12-07T10:05",
            2_000,
            "a bicycle by day",
        ),
    ] {
        assert_eq!(total(&dn, vehicle, from, to), expected, "{why}");
    }
    // Across 22:00: a day turn and a night turn.
    let fee = dn
        .fee(Motorbike, at("2026-12-07T21:00"), at("2026-12-07T23:00"))
        .expect("a fee");
    let parts: Vec<(Period, u64)> = fee.parts.iter().map(|p| (p.period, p.amount)).collect();
    assert_eq!(parts, [(Period::Day, 4_000), (Period::Night, 5_000)]);
    assert_eq!(fee.parts[0].to, at("2026-12-07T22:00"));
}

#[test]
fn holidays_take_the_holiday_price_by_the_date_the_part_began() {
    let dn = shipped("da-nang");
    let motorbike = VehicleKind::Motorbike;
    // National Day, by day: the night price (the holiday price defaults to it).
    let fee = dn
        .fee(motorbike, at("2026-09-02T10:00"), at("2026-09-02T11:00"))
        .expect("a fee");
    assert_eq!((fee.parts[0].period, fee.total), (Period::Holiday, 5_000));
    // The night of 31 December began on an ordinary day, though it ends on New Year's Day.
    let fee = dn
        .fee(motorbike, at("2026-12-31T23:00"), at("2027-01-01T02:00"))
        .expect("a fee");
    assert_eq!((fee.parts[0].period, fee.total), (Period::Night, 5_000));
}

#[test]
fn ha_noi_turns_then_hours_by_tier_and_a_capped_night() {
    let hn = shipped("ha-noi");
    for (from, to, expected, why) in [
        (
            "2026-12-07T08:00",
            "2026-12-07T09:59",
            35_000,
            "the first two hours are one turn",
        ),
        (
            "2026-12-07T08:00",
            "2026-12-07T10:00",
            35_000,
            "exactly two hours",
        ),
        (
            "2026-12-07T08:00",
            "2026-12-07T10:01",
            65_000,
            "a minute into hour 3 starts it",
        ),
        (
            "2026-12-07T08:00",
            "2026-12-07T12:30",
            135_000,
            "hours 3–4 at 30,000, hour 5 at 40,000",
        ),
        // 35,000 + 2 × 30,000 + 8 × 40,000 uncapped.
        (
            "2026-12-07T18:00",
            "2026-12-08T06:00",
            210_000,
            "a night capped at 6 turns",
        ),
        (
            "2026-12-07T17:00",
            "2026-12-07T19:00",
            70_000,
            "an hour of day, an hour of night",
        ),
    ] {
        assert_eq!(total(&hn, VehicleKind::Car, from, to), expected, "{why}");
    }
}

#[test]
fn what_cannot_be_charged_is_said() {
    let hn = shipped("ha-noi");
    assert!(matches!(
        hn.fee(VehicleKind::Bicycle, 0, 60),
        Err(ParkingError::NoRate(VehicleKind::Bicycle))
    ));
    assert!(matches!(
        hn.fee(VehicleKind::Car, 100, 50),
        Err(ParkingError::Time(_))
    ));
    assert!(matches!(
        hn.fee(VehicleKind::Car, 0, 40 * 24 * 3600),
        Err(ParkingError::Time(_))
    ));
    let tariff = |zone: &str, day: &str, night: &str, more: &str| {
        format!(
            "id = \"x\"\nname = \"x\"\ntime_zone = \"{zone}\"\nday_starts = \"{day}\"\nnight_starts = \"{night}\"\n{more}rates = []"
        )
    };
    for broken in [
        tariff("Mars/Olympus", "06:00", "22:00", ""),
        tariff("Asia/Ho_Chi_Minh", "22:00", "06:00", ""),
        tariff("Asia/Ho_Chi_Minh", "6h", "22:00", ""),
        tariff(
            "Asia/Ho_Chi_Minh",
            "06:00",
            "22:00",
            "holidays = [\"2026-13-01\"]\n",
        ),
    ] {
        assert!(
            matches!(
                CheckedTariff::from_toml(&broken),
                Err(ParkingError::Tariff(_))
            ),
            "{broken}"
        );
    }
}

#[test]
fn a_short_stay_within_the_free_minutes_costs_nothing() {
    let mut tariff = shipped("da-nang").tariff;
    tariff.free_minutes = 10;
    let free = CheckedTariff::new(tariff).expect("valid");
    let start = at("2026-12-07T10:00");
    assert_eq!(
        free.fee(VehicleKind::Motorbike, start, start + 600)
            .expect("fee")
            .total,
        0
    );
    assert_eq!(
        free.fee(VehicleKind::Motorbike, start, start + 601)
            .expect("fee")
            .total,
        4_000
    );
}

fn any_rate() -> impl Strategy<Value = Rate> {
    (
        1u64..60_000,
        1u64..60_000,
        proptest::option::of(1u64..60_000),
        proptest::option::of(1u32..300),
        proptest::collection::vec((0u32..600, 1u64..60_000), 0..3),
        proptest::option::of(1u32..10),
    )
        .prop_map(
            |(day, night, holiday, turn_minutes, tiers, overnight_turns)| {
                let mut extra_hours: Vec<HourTier> = tiers
                    .into_iter()
                    .map(|(from_minute, per_hour)| HourTier {
                        from_minute,
                        per_hour,
                    })
                    .collect();
                extra_hours.sort_by_key(|t| t.from_minute);
                extra_hours.dedup_by_key(|t| t.from_minute);
                Rate {
                    vehicle: VehicleKind::Car,
                    day,
                    night,
                    holiday,
                    turn_minutes,
                    extra_hours,
                    overnight_turns,
                }
            },
        )
}

fn any_tariff() -> impl Strategy<Value = CheckedTariff> {
    (any_rate(), 0u32..1_400, 1u32..1_439, 0u32..30, 0usize..3).prop_filter_map(
        "the day starts before the night",
        |(rate, day, night, free_minutes, zone)| {
            (day < night).then(|| {
                CheckedTariff::new(Tariff {
                    id: "t".into(),
                    name: "t".into(),
                    source: String::new(),
                    // Vietnam, and two zones whose clocks change.
                    time_zone: ["Asia/Ho_Chi_Minh", "Europe/Berlin", "America/Los_Angeles"][zone]
                        .into(),
                    day_starts: format!("{:02}:{:02}", day / 60, day % 60),
                    night_starts: format!("{:02}:{:02}", night / 60, night % 60),
                    holidays: vec!["2026-03-29".into(), "2026-11-01".into()],
                    free_minutes,
                    rates: vec![rate],
                })
                .expect("valid")
            })
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn a_longer_stay_never_costs_less(
        tariff in any_tariff(),
        start in 1_767_225_600i64..1_798_761_600, // 2026 and 2027
        first in 0i64..3 * 86_400,
        more in 0i64..3 * 86_400,
    ) {
        let shorter = tariff.fee(VehicleKind::Car, start, start + first).expect("fee");
        let longer = tariff.fee(VehicleKind::Car, start, start + first + more).expect("fee");
        prop_assert!(shorter.total <= longer.total, "{shorter:?} > {longer:?}");
        // The parts cover the stay exactly.
        prop_assert_eq!(longer.parts.first().map(|p| p.from), Some(start));
        prop_assert_eq!(longer.parts.last().map(|p| p.to), Some(start + first + more));
        prop_assert!(longer.parts.windows(2).all(|w| w[0].to == w[1].from));
    }
}
