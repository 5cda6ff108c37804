//! The profile on disk: one SQLite file of its own (one writer), one row.

use std::path::Path;

use civic_db::{Migrations, Store};
use civic_types::city::CityProfile;
use rusqlite::{OptionalExtension, Transaction, params};

use crate::CityError;

const MIGRATIONS: Migrations = Migrations(&[include_str!("sql/001_city.sql")]);

/// What this app holds from a gateway about its city.
#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    /// The gateway the profile came from: its checkpoint means nothing to another.
    pub gateway: String,
    pub profile: CityProfile,
    pub etag: Option<String>,
    /// Unix seconds of the last time the gateway confirmed the profile.
    pub last_checked: i64,
}

#[derive(Debug)]
pub struct CityStore {
    db: Store,
}

impl CityStore {
    /// Opens the profile database at `path`. A damaged file is moved aside (kept) and a new
    /// one made: the profile comes again with the next sync. A newer schema is refused.
    pub fn open(path: &Path) -> Result<Self, CityError> {
        let renewed = Store::open_or_renew(MIGRATIONS, path)?;
        if let Some(aside) = &renewed.damaged_kept_at {
            tracing::warn!(aside = %aside.display(), "city profile damaged; starting afresh");
        }
        Ok(Self { db: renewed.store })
    }

    pub fn in_memory() -> Result<Self, CityError> {
        Ok(Self {
            db: Store::in_memory(MIGRATIONS)?,
        })
    }

    pub fn held(&self) -> Result<Option<Held>, CityError> {
        let row = self
            .db
            .conn()
            .query_row(
                "SELECT gateway, profile, etag, last_checked FROM city_profile WHERE id = 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, i64>(3)?,
                    ))
                },
            )
            .optional()?;
        row.map(|(gateway, json, etag, last_checked)| {
            Ok(Held {
                gateway,
                profile: serde_json::from_str(&json)?,
                etag,
                last_checked,
            })
        })
        .transpose()
    }

    /// Runs `write` in one transaction, committed only if it succeeds.
    pub fn write<T>(
        &self,
        write: impl FnOnce(&Transaction<'_>) -> Result<T, CityError>,
    ) -> Result<T, CityError> {
        self.db.write(write)
    }
}

/// Replaces what is held.
pub fn put(tx: &Transaction<'_>, held: &Held) -> Result<(), CityError> {
    tx.execute(
        "INSERT OR REPLACE INTO city_profile (id, gateway, profile, etag, last_checked)
         VALUES (1, ?1, ?2, ?3, ?4)",
        params![
            held.gateway,
            serde_json::to_string(&held.profile)?,
            held.etag,
            held.last_checked
        ],
    )?;
    Ok(())
}
