//! The parking component: car parks near a point from the list last received, sessions
//! started, extended and stopped on the device (checked against the city's rules, refused
//! when they overlap the plate's other session in the zone), sent to the gateway in the
//! scheduler's rounds, their payment followed; the payment code; reminders before a
//! session ends. Everything but the sync works offline.

use std::sync::Arc;

use civic_sync::{Answer, Freshness, Gateway, Link, SyncComponent, SyncError};
use civic_types::error::ErrorCode;
use civic_types::parking::{
    LotList, LotsNear, ParkingConfig, ParkingOverview, PaymentCode, PaymentState, Session,
    SessionRecord, SessionSync, SessionUpload, VehicleKind,
};
use civic_types::sync::SyncReport;

use crate::store::{ParkingStore, StoreError, StoredSession};
use crate::{CheckedConfig, ParkingError, reference};

/// The file the component keeps in the data folder: car parks as last received, sessions.
pub const PARKING_FILE: &str = "parking.sqlite3";
pub const LOTS_PATH: &str = "/v1/parking/lots";
/// Free spaces change by the minute: a list older than this is shown as possibly changed.
pub const LOTS_STALE_AFTER: i64 = 15 * 60;
/// Payments of sessions younger than this are asked after until they are settled.
const FOLLOW_PAYMENTS_FOR: i64 = 7 * 24 * 60 * 60;
/// While a session of the last day waits for its payment, it is asked after this often: the
/// resident who just paid sees it confirmed within a minute.
pub const FOLLOW_EVERY: i64 = 30;
const FOLLOW_CLOSELY_FOR: i64 = 24 * 60 * 60;
const HISTORY: u32 = 200;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ParkingFlowError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Rules(#[from] ParkingError),
    #[error("the city takes no parking sessions")]
    NotOffered,
    #[error("this plate already has a session in this zone for part of that time")]
    Overlaps,
    #[error("no such parking session on this device")]
    NotFound,
    #[error("the session has ended")]
    Ended,
    #[error("nothing is left to pay")]
    NothingToPay,
}

impl civic_types::error::Coded for ParkingFlowError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::Store(_) => ErrorCode::Storage,
            Self::Rules(e) => e.code(),
            Self::NotOffered => ErrorCode::UnknownParkingZone,
            Self::Overlaps => ErrorCode::SessionOverlaps,
            Self::NotFound => ErrorCode::SessionNotFound,
            Self::Ended => ErrorCode::SessionEnded,
            Self::NothingToPay => ErrorCode::PaymentInvalid,
        }
    }
}

/// A stay of `minutes` from `now`, as the app asks to start or price one.
fn stay(plate: &str, zone: &str, kind: VehicleKind, minutes: u32, now: i64) -> SessionUpload {
    SessionUpload {
        plate: plate.to_owned(),
        kind,
        zone: zone.to_owned(),
        starts_at: now,
        ends_at: now + i64::from(minutes) * 60,
        stopped_at: None,
    }
}

/// Where the city's parking rules come from (its profile, as last received).
pub type ConfigSource = Arc<dyn Fn() -> Option<ParkingConfig> + Send + Sync>;

pub struct Parking {
    store: ParkingStore,
    config: ConfigSource,
    /// A changed session asks for a round through it, to reach the gateway at once.
    link: Link,
    /// When payments were last asked after.
    followed: std::sync::Mutex<i64>,
}

impl std::fmt::Debug for Parking {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Parking")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

impl Parking {
    /// Opens the component's file in `data_dir`; the city's rules come from `config`.
    pub fn open(
        data_dir: &std::path::Path,
        config: ConfigSource,
        link: Link,
    ) -> Result<Self, ParkingFlowError> {
        Ok(Self::new(
            ParkingStore::open(&data_dir.join(PARKING_FILE))?,
            config,
            link,
        ))
    }

    pub fn new(store: ParkingStore, config: ConfigSource, link: Link) -> Self {
        Self {
            store,
            config,
            link,
            followed: std::sync::Mutex::new(0),
        }
    }

    fn rules(&self) -> Result<CheckedConfig, ParkingFlowError> {
        let config = (self.config)().ok_or(ParkingFlowError::NotOffered)?;
        Ok(CheckedConfig::new(config)?)
    }

    /// What the parking page opens with.
    pub fn overview(&self, now: i64) -> Result<ParkingOverview, ParkingFlowError> {
        let (active, history) = self
            .store
            .sessions(false, HISTORY)?
            .into_iter()
            .map(|s| s.session)
            .partition(|s| s.end() > now || !settled(s));
        Ok(ParkingOverview {
            config: (self.config)(),
            active,
            history,
        })
    }

    /// Car parks within `radius` m that take `kind`, nearest first, from the device.
    pub fn lots_near(
        &self,
        lat: f64,
        lon: f64,
        radius: f64,
        kind: Option<VehicleKind>,
        now: i64,
    ) -> Result<LotsNear, ParkingFlowError> {
        let (lots, fetched) = self
            .store
            .lots_in(civic_types::geo::box_around(lat, lon, radius))?;
        let near = crate::near::nearest(lots, lat, lon, radius, kind);
        Ok(LotsNear {
            lots: near,
            fetched,
            stale: fetched.is_none_or(|f| now - f > LOTS_STALE_AFTER),
        })
    }

    /// What a session of `minutes` from `now` would cost under the city's rules (checked
    /// as [`Parking::start`] would check it).
    pub fn quote(
        &self,
        plate: &str,
        zone: &str,
        kind: VehicleKind,
        minutes: u32,
        now: i64,
    ) -> Result<civic_types::parking::Fee, ParkingFlowError> {
        let upload = stay(plate, zone, kind, minutes, now);
        Ok(self.rules()?.check(&upload)?.fee)
    }

    /// Starts a session for `minutes` from `now`.
    pub fn start(
        &self,
        plate: &str,
        zone: &str,
        kind: VehicleKind,
        minutes: u32,
        now: i64,
    ) -> Result<Session, ParkingFlowError> {
        let rules = self.rules()?;
        let id = reference::new_session_id()?;
        self.write(&rules, &id, stay(plate, zone, kind, minutes, now), None)
    }

    /// Adds `minutes` to a running session.
    pub fn extend(&self, id: &str, minutes: u32, now: i64) -> Result<Session, ParkingFlowError> {
        let rules = self.rules()?;
        let stored = self.running(id, now)?;
        let mut upload = upload_of(&stored.session);
        upload.ends_at += i64::from(minutes) * 60;
        self.write(&rules, id, upload, Some(stored))
    }

    /// Stops a running session now: the fee is for the time parked.
    pub fn stop(&self, id: &str, now: i64) -> Result<Session, ParkingFlowError> {
        let rules = self.rules()?;
        let stored = self.running(id, now)?;
        let mut upload = upload_of(&stored.session);
        upload.stopped_at = Some(now.max(upload.starts_at));
        self.write(&rules, id, upload, Some(stored))
    }

    fn running(&self, id: &str, now: i64) -> Result<StoredSession, ParkingFlowError> {
        let stored = self
            .store
            .write(|tx| ParkingStore::session_in(tx, id))?
            .ok_or(ParkingFlowError::NotFound)?;
        if stored.session.stopped_at.is_some() || stored.session.ends_at <= now {
            return Err(ParkingFlowError::Ended);
        }
        Ok(stored)
    }

    /// Checks `upload` and writes it as session `id`, refusing an overlap on the device.
    fn write(
        &self,
        rules: &CheckedConfig,
        id: &str,
        upload: SessionUpload,
        before: Option<StoredSession>,
    ) -> Result<Session, ParkingFlowError> {
        let checked = rules.check(&upload)?;
        let (zone, _) = rules.zone(&upload.zone)?;
        let session = Session {
            id: id.to_owned(),
            plate: checked.plate.to_string(),
            kind: upload.kind,
            zone: upload.zone.clone(),
            zone_name: zone.name.clone(),
            starts_at: upload.starts_at,
            ends_at: upload.ends_at,
            stopped_at: upload.stopped_at,
            reference: reference::reference(id),
            received: before.as_ref().map_or(0, |b| b.session.received),
            payment: PaymentState::of(
                before.as_ref().map_or(0, |b| b.session.received),
                checked.fee.total,
            ),
            fee: checked.fee,
            sync: SessionSync::Pending,
        };
        let key = checked.plate.key();
        self.store.write(|tx| {
            let others = ParkingStore::sessions_of(tx, &key, &session.zone)?;
            let clash = others.iter().any(|other| {
                other.id != session.id
                    && !matches!(other.sync, SessionSync::Refused { .. })
                    && crate::config::overlaps(
                        (other.starts_at, other.end()),
                        (session.starts_at, session.end()),
                    )
            });
            if clash {
                return Ok(Err(ParkingFlowError::Overlaps));
            }
            ParkingStore::put_session(tx, &session, &key, true)?;
            Ok(Ok(()))
        })??;
        self.link.wake();
        Ok(session)
    }

    pub fn history(&self) -> Result<Vec<Session>, ParkingFlowError> {
        Ok(self
            .store
            .sessions(false, HISTORY)?
            .into_iter()
            .map(|s| s.session)
            .collect())
    }

    /// The code that pays what is left of a session's fee.
    pub fn payment(&self, id: &str) -> Result<PaymentCode, ParkingFlowError> {
        let config = (self.config)().ok_or(ParkingFlowError::NotOffered)?;
        let session = self
            .store
            .write(|tx| ParkingStore::session_in(tx, id))?
            .ok_or(ParkingFlowError::NotFound)?
            .session;
        let amount = session.fee.total.saturating_sub(session.received);
        if amount == 0 {
            return Err(ParkingFlowError::NothingToPay);
        }
        let transfer = crate::Transfer {
            bin: config.payee.bin.clone(),
            account: config.payee.account.clone(),
            amount,
            reference: session.reference.clone(),
        };
        Ok(PaymentCode {
            session: session.id,
            payload: transfer.payload().map_err(ParkingError::from)?,
            svg: transfer.svg(256).map_err(ParkingError::from)?,
            amount,
            reference: session.reference,
            payee: config.payee,
        })
    }

    /// Running sessions that end within the city's reminder time and were not reminded of:
    /// each is given once.
    pub fn due_reminders(&self, now: i64) -> Result<Vec<Session>, ParkingFlowError> {
        let Some(config) = (self.config)() else {
            return Ok(Vec::new());
        };
        let mut due = Vec::new();
        for stored in self.store.sessions(false, HISTORY)? {
            let s = stored.session;
            if s.ending_soon(now, config.reminder_minutes) && self.store.mark_reminded(&s.id)? {
                due.push(s);
            }
        }
        Ok(due)
    }

    /// Sends each session changed here; a refusal is kept on the session with its code.
    fn send_sessions(&self, gateway: &Gateway) -> Result<u32, SyncError> {
        let mut sent = 0;
        for stored in self.store.sessions(true, HISTORY).map_err(store_error)? {
            let path = format!("/v1/parking/sessions/{}", stored.session.id);
            let (record, sync) = match gateway.put_json(&path, &upload_of(&stored.session)) {
                Ok(json) => {
                    let record: SessionRecord = serde_json::from_slice(&json)
                        .map_err(|e| SyncError::BadResponse(e.to_string()))?;
                    (Some(record), SessionSync::Synced)
                }
                Err(SyncError::Gateway { status, code, .. }) if (400..500).contains(&status) => (
                    None,
                    SessionSync::Refused {
                        code: wire_code(&code),
                    },
                ),
                Err(other) => return Err(other),
            };
            self.settle(&stored, record.as_ref(), sync)?;
            sent += 1;
        }
        Ok(sent)
    }

    /// Takes the gateway's word on a session (its fee, what was received) and its sync state.
    fn settle(
        &self,
        stored: &StoredSession,
        record: Option<&SessionRecord>,
        sync: SessionSync,
    ) -> Result<(), SyncError> {
        self.store
            .write(|tx| {
                // Changed here meanwhile (the driver extended it): keep it to send again.
                let Some(now_held) = ParkingStore::session_in(tx, &stored.session.id)? else {
                    return Ok(());
                };
                let changed_since = now_held.session != stored.session;
                let mut session = now_held.session;
                if let Some(record) = record {
                    session.received = record.received;
                    session.payment = record.payment;
                    if !changed_since {
                        session.fee.total = record.fee;
                    }
                }
                if !changed_since {
                    session.sync = sync;
                }
                ParkingStore::put_session(tx, &session, &now_held.plate_key, changed_since)
            })
            .map_err(store_error)
    }

    /// Asks after the payment of recent sessions not yet settled.
    fn follow_payments(&self, gateway: &Gateway, now: i64) -> Result<(), SyncError> {
        *self
            .followed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = now;
        for stored in self.store.sessions(false, HISTORY).map_err(store_error)? {
            let s = &stored.session;
            let follow = !stored.dirty
                && s.sync == SessionSync::Synced
                && !settled(s)
                && now - s.starts_at < FOLLOW_PAYMENTS_FOR;
            if !follow {
                continue;
            }
            let answer = gateway.get(
                &format!("/v1/parking/sessions/{}", s.id),
                None,
                &mut |_, _| {},
            )?;
            if let Answer::Body { json, .. } = answer {
                let record: SessionRecord = serde_json::from_slice(&json)
                    .map_err(|e| SyncError::BadResponse(e.to_string()))?;
                self.settle(&stored, Some(&record), SessionSync::Synced)?;
            }
        }
        Ok(())
    }

    fn fetch_lots(&self, gateway: &Gateway, now: i64) -> Result<u64, SyncError> {
        let held = self.store.lots_etag().map_err(store_error)?;
        match gateway.get(LOTS_PATH, held.as_deref(), &mut |_, _| {})? {
            Answer::Body { json, etag, wire } => {
                let list: LotList = serde_json::from_slice(&json)
                    .map_err(|e| SyncError::BadResponse(e.to_string()))?;
                self.store
                    .replace_lots(&list.lots, etag.as_deref(), now)
                    .map_err(store_error)?;
                Ok(wire)
            }
            Answer::NotModified => {
                self.store.confirm_lots(now).map_err(store_error)?;
                Ok(0)
            }
        }
    }
}

/// Paid in full (or more), or free.
fn settled(session: &Session) -> bool {
    matches!(session.payment, PaymentState::Paid | PaymentState::Overpaid)
}

fn upload_of(session: &Session) -> SessionUpload {
    SessionUpload {
        plate: session.plate.clone(),
        kind: session.kind,
        zone: session.zone.clone(),
        starts_at: session.starts_at,
        ends_at: session.ends_at,
        stopped_at: session.stopped_at,
    }
}

/// The gateway's refusal code as the app's (`session-overlaps`); unknown codes are the
/// gateway's failure to explain.
fn wire_code(code: &str) -> ErrorCode {
    serde_json::from_value(serde_json::Value::String(code.to_owned()))
        .unwrap_or(ErrorCode::GatewayRefused)
}

fn store_error(error: StoreError) -> SyncError {
    SyncError::Store(Box::new(error))
}

fn not_offered(error: &SyncError) -> bool {
    matches!(error, SyncError::Gateway { status: 404, .. })
}

impl SyncComponent for Parking {
    fn name(&self) -> &'static str {
        "parking"
    }

    fn sync(
        &self,
        gateway: &Gateway,
        now: i64,
        _progress: &mut dyn FnMut(u64, Option<u64>),
    ) -> Result<SyncReport, SyncError> {
        // Sessions first: they are what the resident is waiting on.
        let sent = self.send_sessions(gateway)?;
        let bytes = match self.fetch_lots(gateway, now) {
            Err(e) if not_offered(&e) => 0,
            other => other?,
        };
        self.follow_payments(gateway, now)?;
        let mut report = SyncReport::unchanged(bytes);
        report.changed = sent;
        Ok(report)
    }

    fn freshness(&self, now: i64) -> Result<Freshness, SyncError> {
        let (_, fetched) = self
            .store
            .lots_in((0.0, 0.0, 0.0, 0.0))
            .map_err(store_error)?;
        Ok(Freshness {
            last_checked: fetched,
            stale: fetched.is_some_and(|f| now - f > LOTS_STALE_AFTER),
        })
    }

    fn next_due(&self, now: i64) -> Option<i64> {
        // A session written here goes out at the next chance, not the next interval.
        if !self.store.sessions(true, 1).ok()?.is_empty() {
            return Some(now);
        }
        let awaiting = self
            .store
            .sessions(false, HISTORY)
            .ok()?
            .into_iter()
            .any(|s| {
                s.session.sync == SessionSync::Synced
                    && !settled(&s.session)
                    && now - s.session.starts_at < FOLLOW_CLOSELY_FOR
            });
        let followed = *self
            .followed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        awaiting.then_some((followed + FOLLOW_EVERY).max(now))
    }
}
