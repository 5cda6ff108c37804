//! A tariff checked once (zone, boundary times, holidays, one rate per vehicle kind), then
//! the fee of any stay: cut at every day/night boundary in the tariff's zone, each part
//! charged on its own as `civic_types::parking::Tariff` describes. Longer stays never cost
//! less (property-tested).

use std::collections::{BTreeSet, HashMap};

use civic_types::parking::{Fee, FeePart, HourTier, Period, Rate, Tariff, VehicleKind};
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;

use crate::ParkingError;

/// Stays longer than this are refused: no street session lasts a month, and the cut into
/// parts stays bounded.
pub const MAX_STAY_SECONDS: i64 = 31 * 24 * 60 * 60;

#[derive(Debug, Clone)]
pub struct CheckedTariff {
    pub tariff: Tariff,
    zone: TimeZone,
    day_starts: Time,
    night_starts: Time,
    holidays: BTreeSet<Date>,
    rates: HashMap<VehicleKind, Rate>,
}

fn clock(text: &str) -> Result<Time, ParkingError> {
    let parsed = text
        .split_once(':')
        .filter(|(h, m)| h.len() == 2 && m.len() == 2)
        .and_then(|(h, m)| Some((h.parse::<i8>().ok()?, m.parse::<i8>().ok()?)))
        .and_then(|(h, m)| Time::new(h, m, 0, 0).ok());
    parsed.ok_or_else(|| ParkingError::Tariff(format!("“{text}” is not a time HH:MM")))
}

impl CheckedTariff {
    /// Reads a tariff (TOML, the shape of a city profile's `[[parking.tariffs]]`).
    pub fn from_toml(text: &str) -> Result<Self, ParkingError> {
        let tariff: Tariff =
            toml::from_str(text).map_err(|e| ParkingError::Tariff(e.message().to_owned()))?;
        Self::new(tariff)
    }

    /// A tariff from a city profile (its `[[parking.tariffs]]`: the one named `id`, else
    /// the first) or from a file holding one tariff.
    pub fn from_profile_or_tariff(text: &str, id: Option<&str>) -> Result<Self, ParkingError> {
        #[derive(serde::Deserialize)]
        struct Profile {
            parking: civic_types::parking::ParkingConfig,
        }
        match toml::from_str::<Profile>(text) {
            Ok(profile) => {
                let tariff = profile
                    .parking
                    .tariffs
                    .into_iter()
                    .find(|t| id.is_none_or(|id| t.id == id))
                    .ok_or_else(|| {
                        ParkingError::Tariff(format!(
                            "the profile has no tariff `{}`",
                            id.unwrap_or_default()
                        ))
                    })?;
                Self::new(tariff)
            }
            Err(_) => Self::from_toml(text),
        }
    }

    pub fn new(tariff: Tariff) -> Result<Self, ParkingError> {
        let zone = TimeZone::get(&tariff.time_zone)
            .map_err(|_| ParkingError::Tariff(format!("unknown time zone {}", tariff.time_zone)))?;
        let day_starts = clock(&tariff.day_starts)?;
        let night_starts = clock(&tariff.night_starts)?;
        if day_starts >= night_starts {
            return Err(ParkingError::Tariff(
                "the day must start before the night".into(),
            ));
        }
        let holidays = tariff
            .holidays
            .iter()
            .map(|d| {
                d.parse::<Date>()
                    .map_err(|_| ParkingError::Tariff(format!("“{d}” is not a date YYYY-MM-DD")))
            })
            .collect::<Result<_, _>>()?;
        let mut rates = HashMap::new();
        for rate in &tariff.rates {
            if rate.turn_minutes == Some(0) {
                return Err(ParkingError::Tariff("a turn of 0 minutes".into()));
            }
            if rate
                .extra_hours
                .windows(2)
                .any(|w| w[0].from_minute >= w[1].from_minute)
            {
                return Err(ParkingError::Tariff(
                    "hour tiers must be in increasing order".into(),
                ));
            }
            if rates.insert(rate.vehicle, rate.clone()).is_some() {
                return Err(ParkingError::Tariff(format!(
                    "two prices for {:?}",
                    rate.vehicle
                )));
            }
        }
        Ok(Self {
            tariff,
            zone,
            day_starts,
            night_starts,
            holidays,
            rates,
        })
    }

    /// Whether the tariff has a price for `kind`.
    pub fn prices(&self, kind: VehicleKind) -> bool {
        self.rates.contains_key(&kind)
    }

    /// The zone the tariff's times are in.
    pub fn zone(&self) -> &TimeZone {
        &self.zone
    }

    /// The fee for parking `vehicle` from `start` to `end` (Unix seconds).
    pub fn fee(&self, vehicle: VehicleKind, start: i64, end: i64) -> Result<Fee, ParkingError> {
        let rate = self
            .rates
            .get(&vehicle)
            .ok_or(ParkingError::NoRate(vehicle))?;
        if end < start {
            return Err(ParkingError::Time("the stay ends before it starts".into()));
        }
        if end - start > MAX_STAY_SECONDS {
            return Err(ParkingError::Time("a stay of more than 31 days".into()));
        }
        let free = end - start <= i64::from(self.tariff.free_minutes) * 60;
        let mut parts = Vec::new();
        let mut from = start;
        loop {
            let (night, began, boundary) = self.period_at(from)?;
            let to = boundary.min(end);
            let holiday = self.holidays.contains(&began);
            let price = match (holiday, night) {
                (true, _) => rate.holiday.unwrap_or(rate.night),
                (false, true) => rate.night,
                (false, false) => rate.day,
            };
            let amount = if free {
                0
            } else {
                part_amount(rate, price, night, to - from)
            };
            parts.push(FeePart {
                from,
                to,
                period: match (holiday, night) {
                    (true, _) => Period::Holiday,
                    (false, true) => Period::Night,
                    (false, false) => Period::Day,
                },
                amount,
            });
            if to >= end {
                break;
            }
            from = to;
        }
        Ok(Fee {
            total: parts.iter().map(|p| p.amount).sum(),
            parts,
        })
    }

    /// At `at`: whether it is night, the date that day or night began, and when it ends.
    fn period_at(&self, at: i64) -> Result<(bool, Date, i64), ParkingError> {
        let local = jiff::Timestamp::from_second(at)
            .map_err(|e| ParkingError::Time(e.to_string()))?
            .to_zoned_datetime(self.zone.clone());
        let (date, time) = (local.date(), local.time());
        let instant = |date: Date, time: Time| -> Result<i64, ParkingError> {
            date.to_datetime(time)
                .to_zoned_datetime(self.zone.clone())
                .map(|z| z.timestamp().as_second())
                .map_err(|e| ParkingError::Time(e.to_string()))
        };
        let next_day = || {
            date.tomorrow()
                .map_err(|e| ParkingError::Time(e.to_string()))
        };
        let previous_day = || {
            date.yesterday()
                .map_err(|e| ParkingError::Time(e.to_string()))
        };
        if time >= self.day_starts && time < self.night_starts {
            Ok((false, date, instant(date, self.night_starts)?))
        } else if time >= self.night_starts {
            Ok((true, date, instant(next_day()?, self.day_starts)?))
        } else {
            Ok((true, previous_day()?, instant(date, self.day_starts)?))
        }
    }
}

/// One part's amount: a turn, then each started hour after the turn at its tier's rate,
/// a night part capped at its overnight turns.
fn part_amount(rate: &Rate, price: u64, night: bool, seconds: i64) -> u64 {
    let minutes = u32::try_from((seconds + 59) / 60).unwrap_or(u32::MAX);
    let mut amount = price;
    if let Some(turn) = rate.turn_minutes {
        let mut hour_starts = turn;
        while hour_starts < minutes {
            amount = amount.saturating_add(hour_price(&rate.extra_hours, hour_starts, price));
            hour_starts = hour_starts.saturating_add(60);
        }
    }
    match rate.overnight_turns {
        Some(turns) if night => amount.min(price.saturating_mul(u64::from(turns))),
        _ => amount,
    }
}

/// The price of an hour starting at minute `minute` of a part: its tier's, else a turn's.
fn hour_price(tiers: &[HourTier], minute: u32, turn: u64) -> u64 {
    tiers
        .iter()
        .rev()
        .find(|t| t.from_minute <= minute)
        .map_or(turn, |t| t.per_hour)
}
