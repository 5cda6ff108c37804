//! The catalog's side of sync: what it holds from the gateway (the checkpoint), applying an
//! update in one transaction, and how fresh the data is.

use std::collections::{HashMap, HashSet};

use civic_types::{
    CatalogChanges, CatalogSource, CityProfile, Procedure, SyncOutcome, SyncReport, SyncState,
    SyncStatus,
};
use rusqlite::{OptionalExtension, Transaction, params};

use super::store::{META_DATA_DATE, insert_procedure, replace_all, set_meta, set_source};
use super::{CatalogError, CatalogStore, Snapshot};
use crate::sync::{Checkpoint, Fetched, SyncError};

const GATEWAY: &str = "sync_gateway";
const CURSOR: &str = "sync_cursor";
const CATALOG_ETAG: &str = "sync_catalog_etag";
const CITY: &str = "city_profile";
const CITY_ETAG: &str = "sync_city_etag";
const LAST_CHECKED: &str = "sync_last_checked";

/// Until a city profile says otherwise, data unconfirmed for a week may be out of date.
pub const DEFAULT_MAX_AGE_HOURS: u32 = 7 * 24;

impl CatalogStore {
    /// The gateway last synced with, if any.
    pub fn synced_gateway(&self) -> Result<Option<String>, CatalogError> {
        self.meta(GATEWAY)
    }

    /// What to send `gateway` so it can answer with only what changed. Another gateway's
    /// cursor means nothing here, so a new gateway starts from nothing.
    pub fn checkpoint(&self, gateway: &str) -> Result<Checkpoint, CatalogError> {
        if self.meta(GATEWAY)?.as_deref() != Some(gateway) {
            return Ok(Checkpoint::default());
        }
        Ok(Checkpoint {
            cursor: self.meta(CURSOR)?,
            catalog_etag: self.meta(CATALOG_ETAG)?,
            city_etag: self.meta(CITY_ETAG)?,
        })
    }

    pub fn city(&self) -> Result<Option<CityProfile>, CatalogError> {
        Ok(self
            .meta(CITY)?
            .map(|json| serde_json::from_str(&json))
            .transpose()?)
    }

    /// Applies what the gateway sent, all or nothing.
    pub fn apply_sync(
        &mut self,
        gateway: &str,
        fetched: Fetched,
        now: i64,
    ) -> Result<SyncReport, SyncError> {
        let held = self.checkpoint(gateway)?;
        let tx = self.conn.transaction().map_err(CatalogError::from)?;
        let mut report = SyncReport {
            outcome: SyncOutcome::Unchanged,
            added: 0,
            changed: 0,
            removed: 0,
            bytes: fetched.bytes,
            data_date: String::new(),
        };
        let catalog_changed = fetched.catalog.is_some();
        if let Some(catalog) = fetched.catalog {
            let update = catalog.update;
            match update.changes {
                CatalogChanges::Full { procedures } => {
                    check_codes(&procedures, &[])?;
                    count_full(&tx, &procedures, &mut report)?;
                    let snapshot = Snapshot {
                        format: super::snapshot::FORMAT,
                        data_date: update.data_date.clone(),
                        procedures,
                    };
                    replace_all(&tx, &snapshot, CatalogSource::Synced)?;
                    report.outcome = SyncOutcome::Full;
                }
                CatalogChanges::Delta {
                    since,
                    upserts,
                    deletes,
                } => {
                    if held.cursor.as_deref() != Some(since.as_str()) {
                        return Err(SyncError::BadResponse(
                            "the changes do not follow the version this app holds".into(),
                        ));
                    }
                    check_codes(&upserts, &deletes)?;
                    for procedure in &upserts {
                        if delete_procedure(&tx, &procedure.code)? {
                            report.changed += 1;
                        } else {
                            report.added += 1;
                        }
                        insert_procedure(&tx, procedure)?;
                    }
                    for code in &deletes {
                        if delete_procedure(&tx, code)? {
                            report.removed += 1;
                        }
                    }
                    set_meta(&tx, META_DATA_DATE, &update.data_date)?;
                    set_source(&tx, CatalogSource::Synced)?;
                    report.outcome = SyncOutcome::Delta;
                }
            }
            set_meta(&tx, CURSOR, &update.cursor)?;
            set_or_clear(&tx, CATALOG_ETAG, catalog.etag.as_deref())?;
        }
        if let Some((profile, etag)) = fetched.city {
            set_meta(
                &tx,
                CITY,
                &serde_json::to_string(&profile).map_err(CatalogError::from)?,
            )?;
            set_or_clear(&tx, CITY_ETAG, etag.as_deref())?;
        }
        set_meta(&tx, GATEWAY, gateway)?;
        set_meta(&tx, LAST_CHECKED, &now.to_string())?;
        tx.commit().map_err(CatalogError::from)?;
        if catalog_changed {
            self.reindex_names()?;
        }
        report.data_date = self.meta(META_DATA_DATE)?.unwrap_or_default();
        Ok(report)
    }

    /// How the offline data stands, as of `now` (Unix seconds). `state` is always `Idle`:
    /// only the caller knows whether a transfer is under way.
    pub fn sync_status(&self, gateway: Option<&str>, now: i64) -> Result<SyncStatus, CatalogError> {
        let city = self.city()?;
        let last_checked = self.meta(LAST_CHECKED)?.and_then(|t| t.parse::<i64>().ok());
        // Never confirmed with a gateway: the data is as old as its date.
        let confirmed = last_checked.or_else(|| {
            self.meta(META_DATA_DATE)
                .ok()
                .flatten()
                .and_then(|d| crate::time::parse_iso_date(&d))
        });
        let max_age_hours = city
            .as_ref()
            .map_or(DEFAULT_MAX_AGE_HOURS, |c| c.sync.catalog_max_age_hours);
        let stale = confirmed.is_none_or(|t| now - t > i64::from(max_age_hours) * 3600);
        Ok(SyncStatus {
            gateway: gateway.map(str::to_owned).or(self.meta(GATEWAY)?),
            city: city.map(|c| c.name),
            last_checked,
            state: SyncState::Idle,
            stale,
        })
    }
}

/// Refuses an update with empty or repeated codes before anything is written.
fn check_codes(upserts: &[Procedure], deletes: &[String]) -> Result<(), SyncError> {
    let mut seen = HashSet::new();
    for code in upserts.iter().map(|p| &p.code).chain(deletes) {
        if code.trim().is_empty() || code.trim() != code {
            return Err(SyncError::BadResponse(
                "a procedure without a valid code".into(),
            ));
        }
        if !seen.insert(code.as_str()) {
            return Err(SyncError::BadResponse(format!(
                "procedure {code} appears twice"
            )));
        }
    }
    Ok(())
}

fn count_full(
    tx: &Transaction<'_>,
    procedures: &[Procedure],
    report: &mut SyncReport,
) -> Result<(), CatalogError> {
    let mut stmt = tx.prepare("SELECT code, record FROM procedures")?;
    let old: HashMap<String, String> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for procedure in procedures {
        match old.get(&procedure.code) {
            None => report.added += 1,
            Some(json) if *json != serde_json::to_string(procedure)? => report.changed += 1,
            Some(_) => {}
        }
    }
    let new: HashSet<&str> = procedures.iter().map(|p| p.code.as_str()).collect();
    report.removed = old.keys().filter(|c| !new.contains(c.as_str())).count() as u32;
    Ok(())
}

/// Deletes one procedure and its index entries; `false` if there was none.
fn delete_procedure(tx: &Transaction<'_>, code: &str) -> Result<bool, CatalogError> {
    let id: Option<i64> = tx
        .query_row("SELECT id FROM procedures WHERE code = ?1", [code], |r| {
            r.get(0)
        })
        .optional()?;
    let Some(id) = id else {
        return Ok(false);
    };
    tx.execute("DELETE FROM procedure_search WHERE rowid = ?1", [id])?;
    tx.execute("DELETE FROM procedures WHERE id = ?1", [id])?;
    Ok(true)
}

fn set_or_clear(tx: &Transaction<'_>, key: &str, value: Option<&str>) -> Result<(), CatalogError> {
    match value {
        Some(value) => set_meta(tx, key, value),
        None => {
            tx.execute("DELETE FROM catalog_meta WHERE key = ?1", params![key])?;
            Ok(())
        }
    }
}
