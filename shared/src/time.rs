//! Calendar arithmetic for ISO dates and Unix seconds, without a time-zone database: the
//! catalog only needs whole days in UTC.

/// Unix seconds now (0 if the clock is before 1970).
pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DD` of the UTC day holding `unix` seconds.
pub fn iso_date(unix: i64) -> String {
    let z = unix.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Unix seconds of 00:00 UTC on an ISO date (`YYYY-MM-DD`), or `None` if it is not one.
pub fn parse_iso_date(text: &str) -> Option<i64> {
    let mut parts = text.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || year.len() != 4 || month.len() != 2 || day.len() != 2 {
        return None;
    }
    let number = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| s.parse::<i64>().ok())
            .flatten()
    };
    let (year, month, day) = (number(year)?, number(month)?, number(day)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let unix = days_from_civil(year, month, day) * 86_400;
    // Rejects 2026-02-30 and the like: the date must survive the round trip.
    (iso_date(unix) == text).then_some(unix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_dates() {
        assert_eq!(iso_date(0), "1970-01-01");
        assert_eq!(iso_date(1_795_392_000), "2026-11-23");
        assert_eq!(parse_iso_date("2026-11-23"), Some(1_795_392_000));
        assert_eq!(parse_iso_date("2024-02-29"), Some(1_709_164_800));
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "26-11-23",
            "2026-11-23T00",
            "",
            "2026-1-05",
            "２０２６-11-23",
        ] {
            assert_eq!(parse_iso_date(bad), None, "{bad}");
        }
    }

    proptest! {
        #[test]
        fn round_trips(days in -100_000i64..200_000) {
            let date = iso_date(days * 86_400);
            prop_assert_eq!(parse_iso_date(&date), Some(days * 86_400));
        }

        #[test]
        fn never_panics(text in ".{0,20}") {
            let _ = parse_iso_date(&text);
        }
    }
}
