//! Which services run on a day: the weekly pattern of `calendar.txt` within its dates, then
//! the added and removed days of `calendar_dates.txt`.

use std::collections::HashMap;

use jiff::civil::{Date, Weekday};
use serde::Deserialize;

use crate::error::TransitError;
use crate::gtfs::{ImportReport, intern, rows};

#[derive(Debug, Clone, Default)]
pub struct Calendar {
    /// By service: the weekdays it runs (bit 0 Monday … bit 6 Sunday) and its first and
    /// last date.
    weekly: HashMap<u32, (u8, Date, Date)>,
    /// `(service, date)` → runs (`true`, exception type 1) or not (`false`, type 2).
    exceptions: HashMap<(u32, Date), bool>,
}

#[derive(Deserialize)]
struct WeeklyRow {
    service_id: String,
    monday: u8,
    tuesday: u8,
    wednesday: u8,
    thursday: u8,
    friday: u8,
    saturday: u8,
    sunday: u8,
    start_date: String,
    end_date: String,
}

#[derive(Deserialize)]
struct ExceptionRow {
    service_id: String,
    date: String,
    exception_type: u8,
}

/// `YYYYMMDD`, as GTFS writes dates.
pub fn parse_date(text: &str) -> Option<Date> {
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year = text[..4].parse().ok()?;
    let month = text[4..6].parse().ok()?;
    let day = text[6..].parse().ok()?;
    Date::new(year, month, day).ok()
}

impl Calendar {
    pub(crate) fn read(
        weekly: Option<&[u8]>,
        exceptions: Option<&[u8]>,
        services: &mut HashMap<String, u32>,
        report: &mut ImportReport,
    ) -> Result<Self, TransitError> {
        let mut calendar = Calendar::default();
        if let Some(bytes) = weekly {
            for (line, row) in rows::<WeeklyRow>("calendar.txt", bytes, report)? {
                let (Some(start), Some(end)) =
                    (parse_date(&row.start_date), parse_date(&row.end_date))
                else {
                    report_bad(report, "calendar.txt", line);
                    continue;
                };
                let days = [
                    row.monday,
                    row.tuesday,
                    row.wednesday,
                    row.thursday,
                    row.friday,
                    row.saturday,
                    row.sunday,
                ];
                let mask = days
                    .iter()
                    .enumerate()
                    .filter(|(_, d)| **d == 1)
                    .fold(0u8, |mask, (i, _)| mask | (1 << i));
                let service = intern(services, &row.service_id);
                calendar.weekly.insert(service, (mask, start, end));
            }
        }
        if let Some(bytes) = exceptions {
            for (line, row) in rows::<ExceptionRow>("calendar_dates.txt", bytes, report)? {
                let runs = match row.exception_type {
                    1 => true,
                    2 => false,
                    _ => {
                        report_bad(report, "calendar_dates.txt", line);
                        continue;
                    }
                };
                let Some(date) = parse_date(&row.date) else {
                    report_bad(report, "calendar_dates.txt", line);
                    continue;
                };
                let service = intern(services, &row.service_id);
                calendar.exceptions.insert((service, date), runs);
            }
        }
        Ok(calendar)
    }

    /// Whether `service` runs on `date`.
    pub fn runs(&self, service: u32, date: Date) -> bool {
        if let Some(&runs) = self.exceptions.get(&(service, date)) {
            return runs;
        }
        self.weekly
            .get(&service)
            .is_some_and(|&(mask, start, end)| {
                (start..=end).contains(&date) && mask & (1 << weekday_bit(date.weekday())) != 0
            })
    }
}

fn weekday_bit(day: Weekday) -> u8 {
    (day.to_monday_zero_offset()) as u8
}

fn report_bad(report: &mut ImportReport, file: &'static str, line: u64) {
    report.reject(
        file,
        line,
        "a date is not YYYYMMDD, or exception_type is not 1 or 2",
    );
}
