//! Parking in its own SQLite file beside the catalog's.

use std::path::Path;

use civic_db::Migrations;
use rusqlite::{OptionalExtension, Row, Transaction, params};

use civic_types::parking::{
    Lot, Occupancy, PaymentState, SessionRecord, TransferNotice, TransferOutcome,
};

use super::{
    Bounds, LOT_COLUMNS, NewSession, OVERLAPPING, ParkingRepository, RepoError, SESSION_COLUMNS,
    SessionWrite, from_db, judge_change, kind_text, kinds_text, parse_kind, parse_kinds,
    parse_state, state_text, to_db, with_payment,
};
use crate::platform::storage::sqlite::SqliteDb;

const MIGRATIONS: Migrations = Migrations(&[include_str!("../sql/sqlite_001.sql")]);

#[derive(Debug, Clone)]
pub struct SqliteParking {
    db: SqliteDb,
}

impl SqliteParking {
    pub async fn open(path: &Path) -> Result<Self, RepoError> {
        Ok(Self {
            db: SqliteDb::open(path, MIGRATIONS).await?,
        })
    }
}

fn lot(row: &Row<'_>) -> rusqlite::Result<Lot> {
    Ok(Lot {
        id: row.get(0)?,
        name: row.get(1)?,
        lat: row.get(2)?,
        lon: row.get(3)?,
        kinds: parse_kinds(&row.get::<_, String>(4)?),
        capacity: u32::try_from(row.get::<_, i64>(5)?).unwrap_or(0),
        free: row
            .get::<_, Option<i64>>(6)?
            .map(|f| u32::try_from(f).unwrap_or(0)),
        state: parse_state(&row.get::<_, String>(7)?),
        tariff: row.get(8)?,
        hours: row.get(9)?,
        updated: row.get(10)?,
    })
}

fn session(row: &Row<'_>) -> rusqlite::Result<SessionRecord> {
    Ok(SessionRecord {
        id: row.get(0)?,
        plate: row.get(1)?,
        kind: parse_kind(&row.get::<_, String>(2)?),
        zone: row.get(3)?,
        starts_at: row.get(4)?,
        ends_at: row.get(5)?,
        stopped_at: row.get(6)?,
        fee: from_db(row.get(7)?),
        reference: row.get(8)?,
        received: from_db(row.get(9)?),
        payment: PaymentState::parse(&row.get::<_, String>(10)?),
    })
}

fn notice(row: &Row<'_>) -> rusqlite::Result<TransferNotice> {
    Ok(TransferNotice {
        id: row.get(0)?,
        amount: from_db(row.get(1)?),
        description: row.get(2)?,
        booked_at: row.get(3)?,
    })
}

fn stored_session(tx: &Transaction<'_>, id: &str) -> Result<Option<SessionRecord>, RepoError> {
    Ok(tx
        .query_row(
            &format!("SELECT {SESSION_COLUMNS} FROM parking_sessions WHERE id = $1"),
            [id],
            session,
        )
        .optional()?)
}

fn write_session(tx: &Transaction<'_>, new: NewSession) -> Result<SessionWrite, RepoError> {
    let r = &new.record;
    let stored = stored_session(tx, &r.id)?;
    if let Some(stored) = &stored
        && let Some(refused) = judge_change(stored, r)
    {
        return Ok(refused);
    }
    let end = r.stopped_at.unwrap_or(r.ends_at);
    let overlapping: i64 = tx.query_row(
        OVERLAPPING,
        params![new.plate_key, r.zone, r.starts_at, end, r.id],
        |row| row.get(0),
    )?;
    if overlapping > 0 {
        return Ok(SessionWrite::Overlaps);
    }
    let received = stored.as_ref().map_or(0, |s| s.received);
    let record = with_payment(r.clone(), received);
    match stored {
        Some(_) => {
            tx.execute(
                "UPDATE parking_sessions SET ends_at = $1, stopped_at = $2, fee = $3, payment = $4, updated_at = $5 WHERE id = $6",
                params![record.ends_at, record.stopped_at, to_db(record.fee), record.payment.as_str(), new.at, record.id],
            )?;
            Ok(SessionWrite::Updated(record))
        }
        None => {
            tx.execute(
                "INSERT INTO parking_sessions (id, plate_key, plate, kind, zone, starts_at, ends_at, stopped_at, fee, reference, received, payment, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $12)",
                params![record.id, new.plate_key, record.plate, kind_text(record.kind), record.zone, record.starts_at, record.ends_at, record.stopped_at, to_db(record.fee), record.reference, record.payment.as_str(), new.at],
            )?;
            Ok(SessionWrite::Created(record))
        }
    }
}

fn write_transfer(
    tx: &Transaction<'_>,
    notice: &TransferNotice,
    references: &[String],
    at: i64,
) -> Result<TransferOutcome, RepoError> {
    let seen: Option<Option<String>> = tx
        .query_row(
            "SELECT session_id FROM parking_transfers WHERE id = $1",
            [&notice.id],
            |row| row.get(0),
        )
        .optional()?;
    if let Some(session_id) = seen {
        let payment = match &session_id {
            Some(id) => stored_session(tx, id)?.map(|s| s.payment),
            None => None,
        };
        return Ok(TransferOutcome {
            transfer: notice.id.clone(),
            session: session_id,
            payment,
            duplicate: true,
        });
    }
    let mut matched = None;
    for reference in references {
        matched = tx
            .query_row(
                &format!("SELECT {SESSION_COLUMNS} FROM parking_sessions WHERE reference = $1"),
                [reference],
                session,
            )
            .optional()?;
        if matched.is_some() {
            break;
        }
    }
    tx.execute(
        "INSERT INTO parking_transfers (id, amount, description, booked_at, session_id, received_at) VALUES ($1, $2, $3, $4, $5, $6)",
        params![notice.id, to_db(notice.amount), notice.description, notice.booked_at, matched.as_ref().map(|s| &s.id), at],
    )?;
    let payment = match matched.as_ref() {
        Some(stored) => {
            let paid = with_payment(
                stored.clone(),
                stored.received.saturating_add(notice.amount),
            );
            tx.execute(
                "UPDATE parking_sessions SET received = $1, payment = $2, updated_at = $3 WHERE id = $4",
                params![to_db(paid.received), paid.payment.as_str(), at, paid.id],
            )?;
            Some(paid.payment)
        }
        None => None,
    };
    Ok(TransferOutcome {
        transfer: notice.id.clone(),
        session: matched.map(|s| s.id),
        payment,
        duplicate: false,
    })
}

impl ParkingRepository for SqliteParking {
    async fn put_lot(&self, l: Lot) -> Result<(), RepoError> {
        self.db
            .write(move |tx| {
                tx.execute(
                    &format!("INSERT OR REPLACE INTO parking_lots ({LOT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"),
                    params![l.id, l.name, l.lat, l.lon, kinds_text(&l.kinds), l.capacity, l.free, state_text(l.state), l.tariff, l.hours, l.updated],
                )?;
                Ok(())
            })
            .await
    }

    async fn set_occupancy(&self, id: String, o: Occupancy, at: i64) -> Result<bool, RepoError> {
        self.db
            .write(move |tx| {
                Ok(tx.execute(
                    "UPDATE parking_lots SET free = $1, state = $2, updated = $3 WHERE id = $4",
                    params![o.free, state_text(o.state), at, id],
                )? > 0)
            })
            .await
    }

    async fn lots(&self, bounds: Option<Bounds>) -> Result<Vec<Lot>, RepoError> {
        self.db
            .read(move |tx| {
                let rows = match bounds {
                    Some(b) => tx
                        .prepare_cached(&format!("SELECT {LOT_COLUMNS} FROM parking_lots WHERE lat BETWEEN $1 AND $2 AND lon BETWEEN $3 AND $4 ORDER BY id"))?
                        .query_map(params![b.south, b.north, b.west, b.east], lot)?
                        .collect::<rusqlite::Result<Vec<_>>>()?,
                    None => tx
                        .prepare_cached(&format!("SELECT {LOT_COLUMNS} FROM parking_lots ORDER BY id"))?
                        .query_map([], lot)?
                        .collect::<rusqlite::Result<Vec<_>>>()?,
                };
                Ok(rows)
            })
            .await
    }

    async fn put_session(&self, new: NewSession) -> Result<SessionWrite, RepoError> {
        self.db.write(move |tx| write_session(tx, new)).await
    }

    async fn session(&self, id: String) -> Result<Option<SessionRecord>, RepoError> {
        self.db.read(move |tx| stored_session(tx, &id)).await
    }

    async fn claim_signature(
        &self,
        signature: String,
        at: i64,
        forget_before: i64,
    ) -> Result<bool, RepoError> {
        self.db
            .write(move |tx| {
                tx.execute(
                    "DELETE FROM parking_signatures WHERE at < $1",
                    [forget_before],
                )?;
                Ok(tx.execute(
                    "INSERT OR IGNORE INTO parking_signatures (signature, at) VALUES ($1, $2)",
                    params![signature, at],
                )? > 0)
            })
            .await
    }

    async fn record_transfer(
        &self,
        notice: TransferNotice,
        references: Vec<String>,
        at: i64,
    ) -> Result<TransferOutcome, RepoError> {
        self.db
            .write(move |tx| write_transfer(tx, &notice, &references, at))
            .await
    }

    async fn sessions_between(&self, from: i64, to: i64) -> Result<Vec<SessionRecord>, RepoError> {
        self.db
            .read(move |tx| {
                Ok(tx
                    .prepare_cached(&format!("SELECT {SESSION_COLUMNS} FROM parking_sessions WHERE starts_at >= $1 AND starts_at < $2 ORDER BY starts_at, id"))?
                    .query_map([from, to], session)?
                    .collect::<rusqlite::Result<Vec<_>>>()?)
            })
            .await
    }

    async fn unmatched_between(
        &self,
        from: i64,
        to: i64,
    ) -> Result<Vec<TransferNotice>, RepoError> {
        self.db
            .read(move |tx| {
                Ok(tx
                    .prepare_cached("SELECT id, amount, description, booked_at FROM parking_transfers WHERE session_id IS NULL AND booked_at >= $1 AND booked_at < $2 ORDER BY booked_at, id")?
                    .query_map([from, to], notice)?
                    .collect::<rusqlite::Result<Vec<_>>>()?)
            })
            .await
    }
}
