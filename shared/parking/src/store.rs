//! The parking component's SQLite file (`parking.sqlite3`): the city's car parks as last
//! received, and the resident's sessions, each written here before anything is sent. One
//! writer; each change is one transaction.

use std::path::Path;
use std::sync::MutexGuard;

use civic_types::parking::{Lot, Session};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

const MIGRATIONS: civic_db::Migrations =
    civic_db::Migrations(&[include_str!("sql/001_parking.sql")]);

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error(transparent)]
    Open(#[from] civic_db::OpenError),
    #[error("parking data on this device: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("parking data on this device does not read: {0}")]
    Json(#[from] serde_json::Error),
}

#[derive(Debug)]
pub struct ParkingStore {
    db: civic_db::Store,
}

/// A session with what the store knows of it besides.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSession {
    pub session: Session,
    pub plate_key: String,
    /// Changed here and not yet accepted by the gateway.
    pub dirty: bool,
}

impl ParkingStore {
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Ok(Self {
            db: civic_db::Store::open(MIGRATIONS, path)?,
        })
    }

    pub fn open_in_memory() -> Result<Self, StoreError> {
        Ok(Self {
            db: civic_db::Store::in_memory(MIGRATIONS)?,
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.db.conn()
    }

    /// Runs `apply` in one write transaction.
    pub fn write<T>(
        &self,
        apply: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.db.write(apply)
    }

    /// Replaces the car parks held with the gateway's list, received at `now` with `etag`.
    pub fn replace_lots(
        &self,
        lots: &[Lot],
        etag: Option<&str>,
        now: i64,
    ) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute("DELETE FROM lots", [])?;
            let mut insert =
                tx.prepare_cached("INSERT INTO lots (id, lat, lon, json) VALUES (?1, ?2, ?3, ?4)")?;
            for lot in lots {
                insert.execute(params![
                    lot.id,
                    lot.lat,
                    lot.lon,
                    serde_json::to_string(lot)?
                ])?;
            }
            tx.execute(
                "INSERT OR REPLACE INTO lots_fetched (id, fetched, etag) VALUES (1, ?1, ?2)",
                params![now, etag],
            )?;
            Ok(())
        })
    }

    /// The gateway said the list held is current, at `now`.
    pub fn confirm_lots(&self, now: i64) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute("UPDATE lots_fetched SET fetched = ?1", [now])?;
            Ok(())
        })
    }

    /// The ETag of the list held, to ask for it only if it changed.
    pub fn lots_etag(&self) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()
            .query_row("SELECT etag FROM lots_fetched", [], |row| row.get(0))
            .optional()?
            .flatten())
    }

    /// Car parks in a box (south, west, north, east), and when the list was received.
    pub fn lots_in(
        &self,
        (south, west, north, east): (f64, f64, f64, f64),
    ) -> Result<(Vec<Lot>, Option<i64>), StoreError> {
        let conn = self.conn();
        let lots = conn
            .prepare_cached(
                "SELECT json FROM lots WHERE lat BETWEEN ?1 AND ?2 AND lon BETWEEN ?3 AND ?4",
            )?
            .query_map(params![south, north, west, east], |row| {
                row.get::<_, String>(0)
            })?
            .map(|json| Ok(serde_json::from_str(&json?)?))
            .collect::<Result<Vec<Lot>, StoreError>>()?;
        let fetched = conn
            .query_row("SELECT fetched FROM lots_fetched", [], |row| row.get(0))
            .optional()?;
        Ok((lots, fetched))
    }

    /// Writes a session (new or changed); `dirty` when the gateway has yet to take it.
    pub fn put_session(
        tx: &Transaction<'_>,
        session: &Session,
        plate_key: &str,
        dirty: bool,
    ) -> Result<(), StoreError> {
        tx.execute(
            "INSERT INTO sessions (id, plate_key, zone, starts_at, json, dirty) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (id) DO UPDATE SET json = excluded.json, dirty = excluded.dirty",
            params![session.id, plate_key, session.zone, session.starts_at, serde_json::to_string(session)?, dirty],
        )?;
        Ok(())
    }

    pub fn session_in(tx: &Transaction<'_>, id: &str) -> Result<Option<StoredSession>, StoreError> {
        tx.query_row(
            "SELECT json, plate_key, dirty FROM sessions WHERE id = ?1",
            [id],
            |row| Ok((row.get::<_, String>(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?
        .map(|(json, plate_key, dirty)| {
            Ok(StoredSession {
                session: serde_json::from_str(&json)?,
                plate_key,
                dirty,
            })
        })
        .transpose()
    }

    /// The plate's other sessions in the zone (for the overlap check).
    pub fn sessions_of(
        tx: &Transaction<'_>,
        plate_key: &str,
        zone: &str,
    ) -> Result<Vec<Session>, StoreError> {
        tx.prepare_cached("SELECT json FROM sessions WHERE plate_key = ?1 AND zone = ?2")?
            .query_map([plate_key, zone], |row| row.get::<_, String>(0))?
            .map(|json| Ok(serde_json::from_str(&json?)?))
            .collect()
    }

    /// Sessions, newest first: the `limit` latest, or those changed and not yet sent.
    pub fn sessions(&self, only_dirty: bool, limit: u32) -> Result<Vec<StoredSession>, StoreError> {
        let conn = self.conn();
        let sql = if only_dirty {
            "SELECT json, plate_key, dirty FROM sessions WHERE dirty = 1 ORDER BY starts_at LIMIT ?1"
        } else {
            "SELECT json, plate_key, dirty FROM sessions ORDER BY starts_at DESC, id LIMIT ?1"
        };
        conn.prepare_cached(sql)?
            .query_map([limit], |row| {
                Ok((row.get::<_, String>(0)?, row.get(1)?, row.get(2)?))
            })?
            .map(|row| {
                let (json, plate_key, dirty) = row?;
                Ok(StoredSession {
                    session: serde_json::from_str(&json)?,
                    plate_key,
                    dirty,
                })
            })
            .collect()
    }

    /// Marks a session's reminder as given; `false` if it was already.
    pub fn mark_reminded(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self.conn().execute(
            "UPDATE sessions SET reminded = 1 WHERE id = ?1 AND reminded = 0",
            [id],
        )? > 0)
    }
}
