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

/// The moment a GTFS service day's times count from: noon minus 12 hours on `date` in `zone`
/// (midnight, except on the days the clocks change, where the spec wants it so). Unix seconds.
pub fn service_day_origin(date: jiff::civil::Date, zone: &TimeZone) -> Option<i64> {
    let noon = date.at(12, 0, 0, 0).to_zoned_datetime(zone.clone()).ok()?;
    Some(noon.timestamp().as_second() - 12 * 3600)
}

/// The date `unix` falls on in `zone`.
pub fn civil_date(unix: i64, zone: &TimeZone) -> jiff::civil::Date {
    jiff::Timestamp::from_second(unix)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned_datetime(zone.clone())
        .date()
}

/// `unix` seconds as ISO 8601 with the zone's offset, `2026-12-07T09:30:00+07:00`: what
/// Open311 endpoints exchange.
pub fn iso_datetime(unix: i64, zone: &TimeZone) -> String {
    let timestamp = jiff::Timestamp::from_second(unix).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    timestamp
        .to_zoned_datetime(zone.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// Reads an ISO 8601 moment: with an offset or `Z`, or local to `zone` without one, or a
/// bare date (its first moment in `zone`). Unix seconds.
pub fn parse_datetime(text: &str, zone: &TimeZone) -> Option<i64> {
    let text = text.trim();
    if let Ok(timestamp) = text.parse::<jiff::Timestamp>() {
        return Some(timestamp.as_second());
    }
    if let Ok(local) = text.parse::<jiff::civil::DateTime>() {
        return Some(
            local
                .to_zoned_datetime(zone.clone())
                .ok()?
                .timestamp()
                .as_second(),
        );
    }
    start_of_day(text, zone)
}

/// The moment `days` working days (Monday to Friday) after `unix` in `zone`, at the same
/// time of day: a report received on Friday afternoon with a 3-working-day rule is due on
/// Wednesday afternoon. Public holidays are not known here and are not skipped.
pub fn add_working_days(unix: i64, days: u32, zone: &TimeZone) -> i64 {
    use jiff::civil::Weekday;
    let start = jiff::Timestamp::from_second(unix)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned_datetime(zone.clone());
    let mut date = start.date();
    let mut left = days;
    // Received at a weekend, the count starts on Monday's working day.
    while left > 0 {
        date = date.tomorrow().unwrap_or(date);
        if !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) {
            left -= 1;
        }
    }
    date.to_datetime(start.time())
        .to_zoned_datetime(zone.clone())
        .map_or(unix, |due| due.timestamp().as_second())
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

    #[test]
    fn moments_read_and_written_in_the_city_zone() {
        let vn = vietnam();
        assert_eq!(
            iso_datetime(1_795_453_200, &vn),
            "2026-11-24T00:00:00+07:00"
        );
        assert_eq!(
            parse_datetime("2026-11-24T00:00:00+07:00", &vn),
            Some(1_795_453_200)
        );
        assert_eq!(
            parse_datetime("2026-11-23T17:00:00Z", &vn),
            Some(1_795_453_200)
        );
        assert_eq!(
            parse_datetime("2026-11-24T00:00:00", &vn),
            Some(1_795_453_200)
        );
        assert_eq!(parse_datetime("2026-11-24", &vn), Some(1_795_453_200));
        assert_eq!(parse_datetime("yesterday", &vn), None);
    }

    #[test]
    fn working_days_skip_weekends() {
        let vn = vietnam();
        let at = |text: &str| parse_datetime(text, &vn).expect("moment");
        // Friday 4 December 2026, 15:00 → Wednesday 9 December, 15:00.
        assert_eq!(
            add_working_days(at("2026-12-04T15:00:00"), 3, &vn),
            at("2026-12-09T15:00:00")
        );
        // Monday → Thursday.
        assert_eq!(
            add_working_days(at("2026-12-07T08:00:00"), 3, &vn),
            at("2026-12-10T08:00:00")
        );
        // Saturday → Wednesday (Mon, Tue, Wed).
        assert_eq!(
            add_working_days(at("2026-12-05T10:00:00"), 3, &vn),
            at("2026-12-09T10:00:00")
        );
        assert_eq!(
            add_working_days(at("2026-12-05T10:00:00"), 0, &vn),
            at("2026-12-05T10:00:00")
        );
    }

    proptest! {
        #[test]
        fn a_working_day_deadline_is_never_early(unix in 0i64..4_000_000_000, days in 0u32..30) {
            let vn = vietnam();
            let due = add_working_days(unix, days, &vn);
            prop_assert!(due >= unix + i64::from(days) * 86_400);
            prop_assert!(due <= unix + i64::from(days) * 86_400 * 3 + 3 * 86_400);
        }
    }
}
