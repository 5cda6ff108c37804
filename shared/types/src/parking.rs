//! Parking: vehicle kinds, tariffs as a city publishes them (data, in its profile or a
//! tariff file), plates and fees as the pages show them. Amounts are whole đồng.

use serde::{Deserialize, Serialize};

/// What is parked. Most vehicles in Vietnamese cities are motorbikes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VehicleKind {
    Bicycle,
    Motorbike,
    /// A car with up to 16 seats.
    Car,
    /// A car with more than 16 seats, or a truck.
    LargeCar,
}

/// A tariff: prices per turn (lượt) or per hour, by day and by night, by vehicle kind.
///
/// A stay is cut at each boundary between day and night; each part is charged on its own:
/// one turn, or when `turn_minutes` is set, a turn for the first `turn_minutes` and then
/// each started hour at the rate of the tier it starts in. A night part costs at most
/// `overnight_turns` turns when set. A part on a holiday (the date the day or the night
/// began) is charged the holiday price. A stay no longer than `free_minutes` is free.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct Tariff {
    pub id: String,
    pub name: String,
    /// Where the rule comes from (a decision's number and date).
    #[serde(default)]
    pub source: String,
    /// IANA zone of the times below.
    pub time_zone: String,
    /// `HH:MM`: when the day price starts.
    pub day_starts: String,
    /// `HH:MM`: when the night price starts.
    pub night_starts: String,
    /// `YYYY-MM-DD` dates charged at the holiday price.
    #[serde(default)]
    pub holidays: Vec<String>,
    #[serde(default)]
    pub free_minutes: u32,
    pub rates: Vec<Rate>,
}

/// One vehicle kind's prices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct Rate {
    pub vehicle: VehicleKind,
    /// A turn by day.
    pub day: u64,
    /// A turn by night.
    pub night: u64,
    /// A turn on a holiday (default: the night price).
    #[serde(default)]
    pub holiday: Option<u64>,
    /// How long one turn lasts; without it a turn lasts the whole day or night part.
    #[serde(default)]
    pub turn_minutes: Option<u32>,
    /// After the first turn: the price of each started hour, by when the hour starts.
    #[serde(default)]
    pub extra_hours: Vec<HourTier>,
    /// A night part costs at most this many turns.
    #[serde(default)]
    pub overnight_turns: Option<u32>,
}

/// From minute `from_minute` of a part on, each started hour costs `per_hour`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct HourTier {
    pub from_minute: u32,
    pub per_hour: u64,
}

/// A fee and how it was reached, part by part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fee {
    pub total: u64,
    pub parts: Vec<FeePart>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeePart {
    /// Unix seconds.
    pub from: i64,
    pub to: i64,
    pub period: Period,
    pub amount: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Day,
    Night,
    Holiday,
}
