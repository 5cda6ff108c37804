//! Parking: vehicle kinds, tariffs as a city publishes them (data, in its profile or a
//! tariff file), plates and fees as the pages show them. Amounts are whole đồng.

use serde::{Deserialize, Serialize};

/// What is parked. Most vehicles in Vietnamese cities are motorbikes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum VehicleKind {
    Bicycle,
    Motorbike,
    /// A car with up to 16 seats.
    Car,
    /// A car with more than 16 seats, or a truck.
    LargeCar,
}

impl VehicleKind {
    /// The Fluent message (`parking.ftl`) naming it to a person.
    #[must_use]
    pub fn message_id(self) -> &'static str {
        match self {
            Self::Bicycle => "parking-kind-bicycle",
            Self::Motorbike => "parking-kind-motorbike",
            Self::Car => "parking-kind-car",
            Self::LargeCar => "parking-kind-large-car",
        }
    }
}

/// A tariff: prices per turn (lượt) or per hour, by day and by night, by vehicle kind.
///
/// A stay is cut at each boundary between day and night; each part is charged on its own:
/// one turn, or when `turn_minutes` is set, a turn for the first `turn_minutes` and then
/// each started hour at the rate of the tier it starts in. A night part costs at most
/// `overnight_turns` turns when set. A part on a holiday (the date the day or the night
/// began) is charged the holiday price. A stay no longer than `free_minutes` is free.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct HourTier {
    pub from_minute: u32,
    pub per_hour: u64,
}

/// A fee and how it was reached, part by part.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fee {
    pub total: u64,
    pub parts: Vec<FeePart>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeePart {
    /// Unix seconds.
    pub from: i64,
    pub to: i64,
    pub period: Period,
    pub amount: u64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Day,
    Night,
    Holiday,
}

/// How a city takes street parking: its profile's `[parking]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParkingConfig {
    /// Whom residents pay, by bank transfer (VietQR).
    pub payee: Payee,
    /// How long before a session ends the app reminds its driver.
    #[serde(default = "default_reminder_minutes")]
    pub reminder_minutes: u32,
    pub tariffs: Vec<Tariff>,
    pub zones: Vec<Zone>,
}

fn default_reminder_minutes() -> u32 {
    10
}

impl ParkingConfig {
    /// The kinds zone `zone` takes: its own list, else every kind its tariff prices, in
    /// order; `None` when there is no such zone. The one rule the app's pages, its checks
    /// before writing and the gateway's apply.
    #[must_use]
    pub fn zone_kinds(&self, zone: &str) -> Option<Vec<VehicleKind>> {
        let zone = self.zones.iter().find(|z| z.id == zone)?;
        if !zone.kinds.is_empty() {
            return Some(zone.kinds.clone());
        }
        let mut kinds: Vec<VehicleKind> = self
            .tariffs
            .iter()
            .find(|t| t.id == zone.tariff)
            .map(|t| t.rates.iter().map(|r| r.vehicle).collect())
            .unwrap_or_default();
        kinds.sort();
        kinds.dedup();
        Some(kinds)
    }
}

/// A bank account on the NAPAS 247 network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Payee {
    /// The bank's six-digit BIN (e.g. `970436`, Vietcombank).
    pub bin: String,
    pub account: String,
    /// The account holder, as banks show it before a transfer.
    pub name: String,
}

/// A street or stretch where a tariff applies (paid by session, no barrier).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Zone {
    pub id: String,
    pub name: String,
    /// The `id` of one of the profile's tariffs.
    pub tariff: String,
    pub lat: f64,
    pub lon: f64,
    /// What may park there; empty: every kind the tariff prices.
    #[serde(default)]
    pub kinds: Vec<VehicleKind>,
    /// The longest a session may last there.
    #[serde(default = "default_max_minutes")]
    pub max_minutes: u32,
}

fn default_max_minutes() -> u32 {
    24 * 60
}

/// Whether a car park takes vehicles now, as its operator last said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LotState {
    Open,
    Closed,
    #[serde(other)]
    Unknown,
}

impl LotState {
    /// The Fluent message (`parking.ftl`) saying it to a person.
    #[must_use]
    pub fn message_id(self) -> &'static str {
        match self {
            Self::Open => "parking-lot-open",
            Self::Closed => "parking-lot-closed",
            Self::Unknown => "parking-lot-unknown",
        }
    }
}

/// A car park with a gate and a count of free spaces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lot {
    pub id: String,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    pub kinds: Vec<VehicleKind>,
    pub capacity: u32,
    /// `None`: the operator has not said.
    pub free: Option<u32>,
    pub state: LotState,
    /// The `id` of the city's tariff charged there, if it is one of the profile's.
    #[serde(default)]
    pub tariff: Option<String>,
    /// Opening hours as the gate shows them (`06:00–22:00`, `24/7`).
    #[serde(default)]
    pub hours: String,
    /// Unix seconds the free spaces and state were last reported (set by the gateway).
    #[serde(default)]
    pub updated: i64,
}

/// The operator's report of a car park's occupancy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Occupancy {
    pub free: u32,
    pub state: LotState,
}

/// Every car park of the city, as the gateway serves them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LotList {
    pub lots: Vec<Lot>,
}

/// A car park near a point, with how far and how old its figure is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NearbyLot {
    pub lot: Lot,
    pub distance_m: f64,
}

/// Car parks near a point, from the device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LotsNear {
    pub lots: Vec<NearbyLot>,
    /// Unix seconds the list was last received from the gateway; `None`: never.
    pub fetched: Option<i64>,
    /// The list was not confirmed recently: the free spaces may have changed.
    pub stale: bool,
}

/// Where a session's payment stands, by the transfers matched to its reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentState {
    Unpaid,
    Paid,
    /// Less than the fee arrived: not paid.
    Underpaid,
    /// More than the fee arrived: paid, flagged for a refund.
    Overpaid,
}

impl PaymentState {
    /// The Fluent message (`parking.ftl`) saying it to a person; `parking-underpaid` takes
    /// `received` and `missing`, `parking-overpaid` takes `extra` ([`Session::payment_message`]
    /// gives them).
    #[must_use]
    pub fn message_id(self) -> &'static str {
        match self {
            Self::Unpaid => "parking-unpaid",
            Self::Paid => "parking-paid",
            Self::Underpaid => "parking-underpaid",
            Self::Overpaid => "parking-overpaid",
        }
    }

    /// The state `received` đồng give a fee of `fee`.
    #[must_use]
    pub fn of(received: u64, fee: u64) -> Self {
        match received {
            0 if fee > 0 => Self::Unpaid,
            r if r == fee => Self::Paid,
            r if r < fee => Self::Underpaid,
            _ => Self::Overpaid,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unpaid => "unpaid",
            Self::Paid => "paid",
            Self::Underpaid => "underpaid",
            Self::Overpaid => "overpaid",
        }
    }

    #[must_use]
    pub fn parse(text: &str) -> Self {
        match text {
            "paid" => Self::Paid,
            "underpaid" => Self::Underpaid,
            "overpaid" => Self::Overpaid,
            _ => Self::Unpaid,
        }
    }
}

/// A session as the app sends it (`PUT /v1/parking/sessions/{id}`): the gateway computes
/// the fee itself from the city's tariff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionUpload {
    pub plate: String,
    pub kind: VehicleKind,
    pub zone: String,
    /// Unix seconds.
    pub starts_at: i64,
    pub ends_at: i64,
    /// When the driver stopped it early.
    #[serde(default)]
    pub stopped_at: Option<i64>,
}

/// A session as the gateway keeps it, with its payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionRecord {
    pub id: String,
    /// The plate as written canonically (`43A-123.45`).
    pub plate: String,
    pub kind: VehicleKind,
    pub zone: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub stopped_at: Option<i64>,
    pub fee: u64,
    /// What the transfer note must carry.
    pub reference: String,
    /// Đồng received by transfers carrying the reference.
    pub received: u64,
    pub payment: PaymentState,
}

/// Where a session on the device stands with the gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum SessionSync {
    /// Written on the device; not yet accepted by the gateway.
    Pending,
    Synced,
    /// The gateway refused it (another session for the plate there, say).
    Refused {
        code: crate::error::ErrorCode,
    },
}

impl SessionSync {
    /// The Fluent message (`parking.ftl`) saying it to a person; `parking-sync-refused` takes
    /// `reason`, the refusal code's own message.
    #[must_use]
    pub fn message_id(&self) -> &'static str {
        match self {
            Self::Pending => "parking-sync-pending",
            Self::Synced => "parking-sync-synced",
            Self::Refused { .. } => "parking-sync-refused",
        }
    }
}

/// A parking session as the app shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub id: String,
    pub plate: String,
    pub kind: VehicleKind,
    pub zone: String,
    pub zone_name: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub stopped_at: Option<i64>,
    pub fee: Fee,
    pub reference: String,
    pub received: u64,
    pub payment: PaymentState,
    pub sync: SessionSync,
}

impl Session {
    /// Running and ending within `reminder_minutes` of `now`: when the driver is reminded,
    /// and the page says "sắp hết giờ".
    #[must_use]
    pub fn ending_soon(&self, now: i64, reminder_minutes: u32) -> bool {
        self.stopped_at.is_none()
            && self.ends_at > now
            && self.ends_at - now <= i64::from(reminder_minutes) * 60
    }

    /// How its payment stands as a Fluent message (`parking.ftl`) with the amounts, in
    /// đồng, that its messages take: `received`, `missing`, `extra`.
    #[must_use]
    pub fn payment_message(&self) -> (&'static str, [(&'static str, u64); 3]) {
        let (received, fee) = (self.received, self.fee.total);
        (
            self.payment.message_id(),
            [
                ("received", received),
                ("missing", fee.saturating_sub(received)),
                ("extra", received.saturating_sub(fee)),
            ],
        )
    }

    /// When it ends: stopped early, or as booked.
    #[must_use]
    pub fn end(&self) -> i64 {
        self.stopped_at.unwrap_or(self.ends_at)
    }
}

/// What the resident scans to pay the balance of a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentCode {
    pub session: String,
    /// The VietQR payload (EMVCo).
    pub payload: String,
    /// The QR code as an SVG document.
    pub svg: String,
    pub amount: u64,
    pub reference: String,
    pub payee: Payee,
}

/// A bank's notice of an incoming transfer, as the operator's bank connector posts it
/// (`POST /v1/parking/payments`, signed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferNotice {
    /// The bank's transaction id: the same notice twice is one transfer.
    pub id: String,
    pub amount: u64,
    /// The transfer note as the payer's bank passed it on.
    pub description: String,
    /// Unix seconds the bank booked it.
    pub booked_at: i64,
}

/// What became of a notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferOutcome {
    pub transfer: String,
    /// The session whose reference the note carries; `None`: unmatched.
    pub session: Option<String>,
    pub payment: Option<PaymentState>,
    /// The bank sent this notice before; nothing changed.
    pub duplicate: bool,
}

/// One day's payments for the operator: sessions that began that day by payment state, and
/// transfers booked that day that match no session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reconciliation {
    /// `YYYY-MM-DD` in the city's zone.
    pub date: String,
    pub paid: Vec<SessionRecord>,
    pub unpaid: Vec<SessionRecord>,
    /// Under- or over-paid: someone must look.
    pub flagged: Vec<SessionRecord>,
    pub unmatched: Vec<TransferNotice>,
    /// Đồng matched to sessions, and not matched.
    pub received: u64,
    pub unmatched_total: u64,
}

/// The names of the host's parking commands, shared by the host and the UI.
pub mod commands {
    pub const OVERVIEW: &str = "parking_overview";
    pub const LOTS: &str = "parking_lots";
    pub const FEE: &str = "parking_fee";
    pub const START: &str = "parking_start";
    pub const EXTEND: &str = "parking_extend";
    pub const STOP: &str = "parking_stop";
    pub const PAYMENT: &str = "parking_payment";
}

/// What the parking page opens with, from the device alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParkingOverview {
    /// `None`: the city has no street parking in its profile.
    pub config: Option<ParkingConfig>,
    /// Running now or not yet paid, newest first.
    pub active: Vec<Session>,
    pub history: Vec<Session>,
}
