//! Plates as people type them, read to one form; and what is not a plate.
#![allow(clippy::expect_used)]

use civic_parking::Plate;
use civic_types::parking::VehicleKind;
use proptest::prelude::*;

#[test]
fn cars_and_motorbikes_as_written() {
    for (typed, shown, key, kind) in [
        ("43A-123.45", "43A-123.45", "43A12345", VehicleKind::Car),
        ("43a 12345", "43A-123.45", "43A12345", VehicleKind::Car),
        ("30E-1234", "30E-1234", "30E1234", VehicleKind::Car),
        ("51LD-123.45", "51LD-123.45", "51LD12345", VehicleKind::Car),
        (
            "29-B1 234.56",
            "29-B1 234.56",
            "29B123456",
            VehicleKind::Motorbike,
        ),
        (
            "29b1 23456",
            "29-B1 234.56",
            "29B123456",
            VehicleKind::Motorbike,
        ),
        (
            "59-X2 1234",
            "59-X2 1234",
            "59X21234",
            VehicleKind::Motorbike,
        ),
    ] {
        let plate = Plate::parse(typed).unwrap_or_else(|e| panic!("{typed}: {e}"));
        assert_eq!(
            (plate.to_string(), plate.key(), plate.kind()),
            (shown.to_owned(), key.to_owned(), kind),
            "{typed}"
        );
    }
    // Without separators, 43A12345 reads as a car unless it is said to be a motorbike.
    let bike = Plate::parse_as("43A12345", Some(VehicleKind::Motorbike)).expect("a plate");
    assert_eq!(bike.to_string(), "43-A1 2345");
}

#[test]
fn what_is_not_a_plate_is_refused() {
    for text in [
        "",
        "43",
        "ABC-123.45",
        "09A-123.45",
        "43A-1234567",
        "43-AB 123.45x",
        "43Ă-123.45",
        "43A-123,45;",
        "4३A-123.45",
    ] {
        assert!(Plate::parse(text).is_err(), "{text}");
    }
}

proptest! {
    #[test]
    fn a_plate_reads_back_from_how_it_is_shown(
        province in 11u8..=99,
        letters in "[A-Z]{1,2}",
        bike_digit in proptest::option::of(0u8..=9),
        number in "[0-9]{4,5}",
    ) {
        let series = match bike_digit {
            Some(d) => format!("{}{d}", &letters[..1]),
            None => letters.clone(),
        };
        let plate = Plate { province, series, number };
        let read = Plate::parse(&plate.to_string()).expect("its own form reads");
        prop_assert_eq!(read, plate);
    }

    #[test]
    fn any_text_is_read_or_refused_never_a_panic(text in "\\PC{0,20}") {
        let _ = Plate::parse(&text);
    }
}
