//! Dates and times as residents read them: in a named time zone (the city profile's, or a
//! bus feed's own), through `jiff` and the IANA database bundled with it, so a phone without
//! system zone data and a server agree. "Today" is never the UTC day: between 00:00 and
//! 07:00 in Vietnam that would be a day early.

pub use jiff::tz::TimeZone;

/// Every shipped city profile's zone (UTC+7, no daylight saving).
pub const VIETNAM: &str = "Asia/Ho_Chi_Minh";

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TimeError {
    #[error(
        "`{0}` is not a time zone this app knows (expected an IANA name like Asia/Ho_Chi_Minh)"
    )]
    UnknownZone(String),
}

/// The zone named `name` (IANA, e.g. `Asia/Ho_Chi_Minh`, `America/Los_Angeles`).
pub fn zone(name: &str) -> Result<TimeZone, TimeError> {
    jiff::tz::db()
        .get(name)
        .map_err(|_| TimeError::UnknownZone(name.to_owned()))
}

/// Vietnam's zone; a fixed UTC+7 should the database ever lack it.
pub fn vietnam() -> TimeZone {
    zone(VIETNAM).unwrap_or_else(|_| TimeZone::fixed(jiff::tz::offset(7)))
}

/// Unix seconds now (0 if the clock is before 1970).
pub fn now_unix() -> i64 {
    jiff::Timestamp::now().as_second().max(0)
}

/// `YYYY-MM-DD` of the day holding `unix` seconds in `zone`.
pub fn date_in(unix: i64, zone: &TimeZone) -> String {
    let timestamp = jiff::Timestamp::from_second(unix).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    timestamp.to_zoned_datetime(zone.clone()).date().to_string()
}

/// Today's date in `zone`, `YYYY-MM-DD`.
pub fn today(zone: &TimeZone) -> String {
    date_in(now_unix(), zone)
}

/// A strict ISO date: exactly `YYYY-MM-DD`, a real day of the Gregorian calendar.
pub fn parse_date(text: &str) -> Option<jiff::civil::Date> {
    let bytes = text.as_bytes();
    let shape = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shape {
        return None;
    }
    text.parse::<jiff::civil::Date>().ok()
}

/// Whether `text` is a strict ISO date (see [`parse_date`]).
pub fn is_iso_date(text: &str) -> bool {
    parse_date(text).is_some()
}

/// Unix seconds of the first moment of the ISO date `text` in `zone`.
pub fn start_of_day(text: &str, zone: &TimeZone) -> Option<i64> {
    let date = parse_date(text)?;
    let zoned = date.to_zoned_datetime(zone.clone()).ok()?;
    Some(zoned.start_of_day().ok()?.timestamp().as_second())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_vietnamese_day_starts_at_17_utc() {
        let vn = vietnam();
        // 2026-11-23T16:59:59Z is 23:59:59 in Hà Nội; one second later it is the 24th.
        assert_eq!(date_in(1_795_453_199, &vn), "2026-11-23");
        assert_eq!(date_in(1_795_453_200, &vn), "2026-11-24");
        assert_eq!(date_in(1_795_453_200, &TimeZone::UTC), "2026-11-23");
        assert_eq!(start_of_day("2026-11-24", &vn), Some(1_795_453_200));
        assert_eq!(
            start_of_day("2026-11-23", &TimeZone::UTC),
            Some(1_795_392_000)
        );
    }

    #[test]
    fn daylight_saving_zones_come_from_the_database() {
        let la = zone("America/Los_Angeles").expect("bundled zone");
        // 2026-03-08 is 23 hours long in Los Angeles.
        let day = start_of_day("2026-03-09", &la).expect("day")
            - start_of_day("2026-03-08", &la).expect("day");
        assert_eq!(day, 23 * 3600);
        assert!(matches!(
            zone("Mars/Olympus"),
            Err(TimeError::UnknownZone(_))
        ));
    }

    #[test]
    fn strict_dates() {
        assert!(is_iso_date("2024-02-29"));
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "26-11-23",
            "2026-11-23T00",
            "",
            "2026-1-05",
            "２０２６-11-23",
            "+2026-11-2",
        ] {
            assert!(!is_iso_date(bad), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn dates_round_trip_through_their_first_second(days in -100_000i64..200_000) {
            let vn = vietnam();
            let date = date_in(days * 86_400, &vn);
            let start = start_of_day(&date, &vn).expect("a real day");
            prop_assert_eq!(date_in(start, &vn), date.clone());
            prop_assert_eq!(date_in(start - 1, &vn) < date, true);
        }

        #[test]
        fn never_panics(text in ".{0,20}") {
            let _ = start_of_day(&text, &vietnam());
        }
    }
}
