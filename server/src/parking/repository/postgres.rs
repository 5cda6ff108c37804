//! Parking in the catalog's PostgreSQL database: its own tables and schema version, the
//! same connection pool.

use deadpool_postgres::{Pool, Transaction};
use tokio_postgres::Row;

use civic_types::parking::{
    Lot, Occupancy, PaymentState, SessionRecord, TransferNotice, TransferOutcome,
};

use super::{
    Bounds, LOT_COLUMNS, NewSession, OVERLAPPING, ParkingRepository, RepoError, SESSION_COLUMNS,
    SessionWrite, from_db, judge_change, kind_text, kinds_text, parse_kind, parse_kinds,
    parse_state, state_text, to_db, with_payment,
};
use crate::platform::storage::postgres::{self as storage, pool_error};

const MIGRATIONS: &[&str] = &[include_str!("../sql/postgres_001.sql")];

#[derive(Debug, Clone)]
pub struct PostgresParking {
    pool: Pool,
}

impl PostgresParking {
    pub async fn connect(pool: Pool) -> Result<Self, RepoError> {
        storage::migrate(&pool, "parking_schema", MIGRATIONS).await?;
        Ok(Self { pool })
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, RepoError> {
        self.pool.get().await.map_err(pool_error)
    }
}

fn lot(row: &Row) -> Lot {
    Lot {
        id: row.get(0),
        name: row.get(1),
        lat: row.get(2),
        lon: row.get(3),
        kinds: parse_kinds(row.get(4)),
        capacity: u32::try_from(row.get::<_, i64>(5)).unwrap_or(0),
        free: row
            .get::<_, Option<i64>>(6)
            .map(|f| u32::try_from(f).unwrap_or(0)),
        state: parse_state(row.get(7)),
        tariff: row.get(8),
        hours: row.get(9),
        updated: row.get(10),
    }
}

fn session(row: &Row) -> SessionRecord {
    SessionRecord {
        id: row.get(0),
        plate: row.get(1),
        kind: parse_kind(row.get(2)),
        zone: row.get(3),
        starts_at: row.get(4),
        ends_at: row.get(5),
        stopped_at: row.get(6),
        fee: from_db(row.get(7)),
        reference: row.get(8),
        received: from_db(row.get(9)),
        payment: PaymentState::parse(row.get(10)),
    }
}

async fn stored_session(
    tx: &Transaction<'_>,
    id: &str,
    lock: &str,
) -> Result<Option<SessionRecord>, RepoError> {
    Ok(tx
        .query_opt(
            &format!("SELECT {SESSION_COLUMNS} FROM parking_sessions WHERE id = $1 {lock}"),
            &[&id],
        )
        .await?
        .map(|row| session(&row)))
}

impl ParkingRepository for PostgresParking {
    async fn put_lot(&self, l: Lot) -> Result<(), RepoError> {
        self.client()
            .await?
            .execute(
                &format!("INSERT INTO parking_lots ({LOT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                 ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, lat = EXCLUDED.lat, lon = EXCLUDED.lon, kinds = EXCLUDED.kinds, capacity = EXCLUDED.capacity, free = EXCLUDED.free, state = EXCLUDED.state, tariff = EXCLUDED.tariff, hours = EXCLUDED.hours, updated = EXCLUDED.updated"),
                &[&l.id, &l.name, &l.lat, &l.lon, &kinds_text(&l.kinds), &i64::from(l.capacity), &l.free.map(i64::from), &state_text(l.state), &l.tariff, &l.hours, &l.updated],
            )
            .await?;
        Ok(())
    }

    async fn set_occupancy(&self, id: String, o: Occupancy, at: i64) -> Result<bool, RepoError> {
        Ok(self
            .client()
            .await?
            .execute(
                "UPDATE parking_lots SET free = $1, state = $2, updated = $3 WHERE id = $4",
                &[&i64::from(o.free), &state_text(o.state), &at, &id],
            )
            .await?
            > 0)
    }

    async fn lots(&self, bounds: Option<Bounds>) -> Result<Vec<Lot>, RepoError> {
        let client = self.client().await?;
        let rows = match bounds {
            Some(b) => {
                let statement = client
                    .prepare_cached(&format!("SELECT {LOT_COLUMNS} FROM parking_lots WHERE lat BETWEEN $1 AND $2 AND lon BETWEEN $3 AND $4 ORDER BY id"))
                    .await?;
                client
                    .query(&statement, &[&b.south, &b.north, &b.west, &b.east])
                    .await?
            }
            None => {
                client
                    .query(
                        &format!("SELECT {LOT_COLUMNS} FROM parking_lots ORDER BY id"),
                        &[],
                    )
                    .await?
            }
        };
        Ok(rows.iter().map(lot).collect())
    }

    async fn put_session(&self, new: NewSession) -> Result<SessionWrite, RepoError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let r = &new.record;
        // One plate in one zone at a time: two devices writing sessions for it at once wait
        // for each other here, so the overlap check sees the other's.
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtext($1))",
            &[&format!("{}\u{1f}{}", new.plate_key, r.zone)],
        )
        .await?;
        let stored = stored_session(&tx, &r.id, "FOR UPDATE").await?;
        if let Some(stored) = &stored
            && let Some(refused) = judge_change(stored, r)
        {
            return Ok(refused);
        }
        let end = r.stopped_at.unwrap_or(r.ends_at);
        let overlapping: i64 = tx
            .query_one(
                OVERLAPPING,
                &[&new.plate_key, &r.zone, &r.starts_at, &end, &r.id],
            )
            .await?
            .get(0);
        if overlapping > 0 {
            return Ok(SessionWrite::Overlaps);
        }
        let received = stored.as_ref().map_or(0, |s| s.received);
        let record = with_payment(r.clone(), received);
        let written = if stored.is_some() {
            tx.execute(
                "UPDATE parking_sessions SET ends_at = $1, stopped_at = $2, fee = $3, payment = $4, updated_at = $5 WHERE id = $6",
                &[&record.ends_at, &record.stopped_at, &to_db(record.fee), &record.payment.as_str(), &new.at, &record.id],
            )
            .await?;
            SessionWrite::Updated(record)
        } else {
            tx.execute(
                "INSERT INTO parking_sessions (id, plate_key, plate, kind, zone, starts_at, ends_at, stopped_at, fee, reference, received, payment, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $12)",
                &[&record.id, &new.plate_key, &record.plate, &kind_text(record.kind), &record.zone, &record.starts_at, &record.ends_at, &record.stopped_at, &to_db(record.fee), &record.reference, &record.payment.as_str(), &new.at],
            )
            .await?;
            SessionWrite::Created(record)
        };
        tx.commit().await?;
        Ok(written)
    }

    async fn session(&self, id: String) -> Result<Option<SessionRecord>, RepoError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        stored_session(&tx, &id, "").await
    }

    async fn claim_signature(
        &self,
        signature: String,
        at: i64,
        forget_before: i64,
    ) -> Result<bool, RepoError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.execute(
            "DELETE FROM parking_signatures WHERE at < $1",
            &[&forget_before],
        )
        .await?;
        let claimed = tx
            .execute(
                "INSERT INTO parking_signatures (signature, at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[&signature, &at],
            )
            .await?;
        tx.commit().await?;
        Ok(claimed > 0)
    }

    async fn record_transfer(
        &self,
        notice: TransferNotice,
        references: Vec<String>,
        at: i64,
    ) -> Result<TransferOutcome, RepoError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // Claim the bank's id first: the same notice arriving twice at once waits here.
        let claimed = tx
            .execute(
                "INSERT INTO parking_transfers (id, amount, description, booked_at, session_id, received_at) VALUES ($1, $2, $3, $4, NULL, $5) ON CONFLICT DO NOTHING",
                &[&notice.id, &to_db(notice.amount), &notice.description, &notice.booked_at, &at],
            )
            .await?;
        if claimed == 0 {
            let session_id: Option<String> = tx
                .query_one(
                    "SELECT session_id FROM parking_transfers WHERE id = $1",
                    &[&notice.id],
                )
                .await?
                .get(0);
            let payment = match &session_id {
                Some(id) => stored_session(&tx, id, "").await?.map(|s| s.payment),
                None => None,
            };
            return Ok(TransferOutcome {
                transfer: notice.id,
                session: session_id,
                payment,
                duplicate: true,
            });
        }
        let mut matched = None;
        for reference in &references {
            matched = tx
                .query_opt(
                    &format!("SELECT {SESSION_COLUMNS} FROM parking_sessions WHERE reference = $1 FOR UPDATE"),
                    &[reference],
                )
                .await?
                .map(|row| session(&row));
            if matched.is_some() {
                break;
            }
        }
        let payment = match matched.as_ref() {
            Some(stored) => {
                let paid = with_payment(
                    stored.clone(),
                    stored.received.saturating_add(notice.amount),
                );
                tx.execute(
                    "UPDATE parking_sessions SET received = $1, payment = $2, updated_at = $3 WHERE id = $4",
                    &[&to_db(paid.received), &paid.payment.as_str(), &at, &paid.id],
                )
                .await?;
                tx.execute(
                    "UPDATE parking_transfers SET session_id = $1 WHERE id = $2",
                    &[&paid.id, &notice.id],
                )
                .await?;
                Some(paid.payment)
            }
            None => None,
        };
        tx.commit().await?;
        Ok(TransferOutcome {
            transfer: notice.id,
            session: matched.map(|s| s.id),
            payment,
            duplicate: false,
        })
    }

    async fn sessions_between(&self, from: i64, to: i64) -> Result<Vec<SessionRecord>, RepoError> {
        let rows = self
            .client()
            .await?
            .query(
                &format!("SELECT {SESSION_COLUMNS} FROM parking_sessions WHERE starts_at >= $1 AND starts_at < $2 ORDER BY starts_at, id"),
                &[&from, &to],
            )
            .await?;
        Ok(rows.iter().map(session).collect())
    }

    async fn unmatched_between(
        &self,
        from: i64,
        to: i64,
    ) -> Result<Vec<TransferNotice>, RepoError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT id, amount, description, booked_at FROM parking_transfers WHERE session_id IS NULL AND booked_at >= $1 AND booked_at < $2 ORDER BY booked_at, id",
                &[&from, &to],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|row| TransferNotice {
                id: row.get(0),
                amount: from_db(row.get(1)),
                description: row.get(2),
                booked_at: row.get(3),
            })
            .collect())
    }
}
