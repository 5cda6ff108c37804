//! Where car parks, sessions and bank transfers are kept: one [`ParkingRepository`] trait,
//! the SQLite and PostgreSQL backends, one conformance suite (`tests/parking.rs`). Every
//! method is one transaction.
//!
//! Invariants: no two sessions of one plate in one zone share a moment; a transfer is
//! recorded once (by the bank's id) and adds to at most one session's `received`, whose
//! payment state is recomputed in the same transaction; a stopped session is final.

use std::future::Future;

use civic_types::parking::{
    Lot, LotState, Occupancy, PaymentState, SessionRecord, TransferNotice, TransferOutcome,
    VehicleKind,
};

pub mod postgres;
pub mod sqlite;

pub use crate::platform::storage::RepoError;
use crate::platform::storage::{Database, Dual, dual};
pub use postgres::PostgresParking;
pub use sqlite::SqliteParking;

/// A latitude/longitude box, degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub south: f64,
    pub north: f64,
    pub west: f64,
    pub east: f64,
}

/// A session checked against the city's rules, with its fee, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    /// `received` and `payment` are the store's to set.
    pub record: SessionRecord,
    /// The plate's canonical key: the same plate however it was typed.
    pub plate_key: String,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionWrite {
    Created(SessionRecord),
    Updated(SessionRecord),
    /// The plate has another session in the zone for part of that time.
    Overlaps,
    /// The id is taken by a session of another plate, zone, kind or start.
    Conflict,
    /// The session was stopped; it changes no more.
    Ended,
}

pub trait ParkingRepository: Clone + Send + Sync + 'static {
    /// Adds or replaces a car park (its occupancy too).
    fn put_lot(&self, lot: Lot) -> impl Future<Output = Result<(), RepoError>> + Send;

    /// The operator's new figure for a car park; `false` if there is no such car park.
    fn set_occupancy(
        &self,
        id: String,
        occupancy: Occupancy,
        at: i64,
    ) -> impl Future<Output = Result<bool, RepoError>> + Send;

    /// Car parks in `bounds` (every one without), by id.
    fn lots(
        &self,
        bounds: Option<Bounds>,
    ) -> impl Future<Output = Result<Vec<Lot>, RepoError>> + Send;

    /// Stores a new session or a change to one (extended, stopped).
    fn put_session(
        &self,
        session: NewSession,
    ) -> impl Future<Output = Result<SessionWrite, RepoError>> + Send;

    fn session(
        &self,
        id: String,
    ) -> impl Future<Output = Result<Option<SessionRecord>, RepoError>> + Send;

    /// Takes a payment notice's signature; `false` if it was taken before (a replay).
    /// Signatures older than `forget_before` are dropped.
    fn claim_signature(
        &self,
        signature: String,
        at: i64,
        forget_before: i64,
    ) -> impl Future<Output = Result<bool, RepoError>> + Send;

    /// Records a transfer once, matched to the first session named by one of `references`
    /// (candidates found in its note), whose payment it updates. The same transfer id again
    /// answers the first outcome, marked duplicate.
    fn record_transfer(
        &self,
        notice: TransferNotice,
        references: Vec<String>,
        at: i64,
    ) -> impl Future<Output = Result<TransferOutcome, RepoError>> + Send;

    /// Sessions that began in `[from, to)`, by start.
    fn sessions_between(
        &self,
        from: i64,
        to: i64,
    ) -> impl Future<Output = Result<Vec<SessionRecord>, RepoError>> + Send;

    /// Transfers booked in `[from, to)` that matched no session, by booking time.
    fn unmatched_between(
        &self,
        from: i64,
        to: i64,
    ) -> impl Future<Output = Result<Vec<TransferNotice>, RepoError>> + Send;
}

pub(crate) const LOT_COLUMNS: &str =
    "id, name, lat, lon, kinds, capacity, free, state, tariff, hours, updated";
pub(crate) const SESSION_COLUMNS: &str =
    "id, plate, kind, zone, starts_at, ends_at, stopped_at, fee, reference, received, payment";
/// Sessions of a plate in a zone that share a moment with `[$3, $4)`, but `$5` itself.
/// Placeholders appear in their order: SQLite numbers `$n` by first appearance.
pub(crate) const OVERLAPPING: &str = "SELECT count(*) FROM parking_sessions WHERE plate_key = $1 AND zone = $2 AND COALESCE(stopped_at, ends_at) > $3 AND starts_at < $4 AND id <> $5";

pub(crate) fn kind_text(kind: VehicleKind) -> &'static str {
    match kind {
        VehicleKind::Bicycle => "bicycle",
        VehicleKind::Motorbike => "motorbike",
        VehicleKind::Car => "car",
        VehicleKind::LargeCar => "large-car",
    }
}

pub(crate) fn parse_kind(text: &str) -> VehicleKind {
    match text {
        "bicycle" => VehicleKind::Bicycle,
        "car" => VehicleKind::Car,
        "large-car" => VehicleKind::LargeCar,
        _ => VehicleKind::Motorbike,
    }
}

pub(crate) fn kinds_text(kinds: &[VehicleKind]) -> String {
    kinds
        .iter()
        .map(|k| kind_text(*k))
        .collect::<Vec<_>>()
        .join(",")
}

pub(crate) fn parse_kinds(text: &str) -> Vec<VehicleKind> {
    text.split(',')
        .filter(|k| !k.is_empty())
        .map(parse_kind)
        .collect()
}

pub(crate) fn state_text(state: LotState) -> &'static str {
    match state {
        LotState::Open => "open",
        LotState::Closed => "closed",
        LotState::Unknown => "unknown",
    }
}

pub(crate) fn parse_state(text: &str) -> LotState {
    match text {
        "open" => LotState::Open,
        "closed" => LotState::Closed,
        _ => LotState::Unknown,
    }
}

/// What a change to a stored session may do: the same plate, kind, zone and start; once
/// stopped, nothing more.
pub(crate) fn judge_change(stored: &SessionRecord, new: &SessionRecord) -> Option<SessionWrite> {
    if (&stored.plate, stored.kind, &stored.zone, stored.starts_at)
        != (&new.plate, new.kind, &new.zone, new.starts_at)
    {
        return Some(SessionWrite::Conflict);
    }
    if stored.stopped_at.is_some()
        && (stored.stopped_at, stored.ends_at) != (new.stopped_at, new.ends_at)
    {
        return Some(SessionWrite::Ended);
    }
    None
}

/// `record` with what has been received for it and the payment state that gives.
pub(crate) fn with_payment(mut record: SessionRecord, received: u64) -> SessionRecord {
    record.received = received;
    record.payment = PaymentState::of(received, record.fee);
    record
}

/// Đồng as stored (BIGINT): amounts beyond i64 are refused before they get here.
pub(crate) fn to_db(amount: u64) -> i64 {
    i64::try_from(amount).unwrap_or(i64::MAX)
}

pub(crate) fn from_db(amount: i64) -> u64 {
    u64::try_from(amount).unwrap_or(0)
}

/// The backend the catalog uses, so one `--database` names both.
/// Parking on the gateway's database, in a SQLite file of its own beside the gateway's.
pub type ParkingBackend = Dual<SqliteParking, PostgresParking>;

impl ParkingBackend {
    pub async fn open(database: &Database) -> Result<Self, RepoError> {
        database
            .open(
                Some("parking"),
                |path| async move { SqliteParking::open(&path).await },
                PostgresParking::connect,
            )
            .await
    }
}

impl ParkingRepository for ParkingBackend {
    async fn put_lot(&self, lot: Lot) -> Result<(), RepoError> {
        dual!(self, r => r.put_lot(lot).await)
    }
    async fn set_occupancy(
        &self,
        id: String,
        occupancy: Occupancy,
        at: i64,
    ) -> Result<bool, RepoError> {
        dual!(self, r => r.set_occupancy(id, occupancy, at).await)
    }
    async fn lots(&self, bounds: Option<Bounds>) -> Result<Vec<Lot>, RepoError> {
        dual!(self, r => r.lots(bounds).await)
    }
    async fn put_session(&self, session: NewSession) -> Result<SessionWrite, RepoError> {
        dual!(self, r => r.put_session(session).await)
    }
    async fn session(&self, id: String) -> Result<Option<SessionRecord>, RepoError> {
        dual!(self, r => r.session(id).await)
    }
    async fn claim_signature(
        &self,
        signature: String,
        at: i64,
        forget_before: i64,
    ) -> Result<bool, RepoError> {
        dual!(self, r => r.claim_signature(signature, at, forget_before).await)
    }
    async fn record_transfer(
        &self,
        notice: TransferNotice,
        references: Vec<String>,
        at: i64,
    ) -> Result<TransferOutcome, RepoError> {
        dual!(self, r => r.record_transfer(notice, references, at).await)
    }
    async fn sessions_between(&self, from: i64, to: i64) -> Result<Vec<SessionRecord>, RepoError> {
        dual!(self, r => r.sessions_between(from, to).await)
    }
    async fn unmatched_between(
        &self,
        from: i64,
        to: i64,
    ) -> Result<Vec<TransferNotice>, RepoError> {
        dual!(self, r => r.unmatched_between(from, to).await)
    }
}
