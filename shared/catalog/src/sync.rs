//! The catalog's side of sync: what it holds from the gateway (the checkpoint), asking for
//! what changed (`GET /v1/catalog[?since=cursor]`), and applying it in one transaction.

use std::collections::{HashMap, HashSet};

use civic_sync::{Answer, Gateway, SyncError, query_escape};
use civic_types::{
    catalog::{CATALOG_WIRE_FORMAT, CatalogChanges, CatalogUpdate, Procedure, is_mass_withdrawal},
    status::CatalogSource,
    sync::{SyncOutcome, SyncReport},
};
use rusqlite::{OptionalExtension, Transaction, params};

use crate::store::{META_DATA_DATE, insert_procedure, replace_all, set_meta, set_source};
use crate::{CatalogError, CatalogStore, Snapshot};

const GATEWAY: &str = "sync_gateway";
const CURSOR: &str = "sync_cursor";
const CATALOG_ETAG: &str = "sync_catalog_etag";
const LAST_CHECKED: &str = "sync_last_checked";
/// Where app versions before the city component kept the profile (read once, then dropped).
const LEGACY_CITY: &str = "city_profile";
const LEGACY_CITY_ETAG: &str = "sync_city_etag";

/// What the catalog holds from a gateway: sent back so the gateway can answer with less.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checkpoint {
    pub cursor: Option<String>,
    pub etag: Option<String>,
}

/// A catalog body from the gateway, parsed, before anything is applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Fetched {
    pub update: CatalogUpdate,
    pub etag: Option<String>,
    /// Compressed body bytes received.
    pub bytes: u64,
}

/// The city profile as app versions before the city component stored it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyCity {
    pub gateway: String,
    pub profile_json: String,
    pub etag: Option<String>,
    pub last_checked: i64,
}

/// Asks `gateway` for the catalog changes since `checkpoint` (no store lock is needed for
/// this). `None`: the gateway confirmed the catalog held is current.
pub fn fetch(
    gateway: &Gateway,
    checkpoint: &Checkpoint,
    progress: &mut dyn FnMut(u64, Option<u64>),
) -> Result<Option<Fetched>, SyncError> {
    let path = match &checkpoint.cursor {
        Some(cursor) => format!("/v1/catalog?since={}", query_escape(cursor)),
        None => "/v1/catalog".to_owned(),
    };
    match gateway.get(&path, checkpoint.etag.as_deref(), progress)? {
        Answer::NotModified => Ok(None),
        Answer::Body { json, etag, wire } => {
            let update: CatalogUpdate = serde_json::from_slice(&json)
                .map_err(|e| SyncError::BadResponse(format!("catalog: {e}")))?;
            if update.format != CATALOG_WIRE_FORMAT {
                return Err(SyncError::BadResponse(format!(
                    "catalog format {} (this app reads {CATALOG_WIRE_FORMAT}); update the app",
                    update.format
                )));
            }
            Ok(Some(Fetched {
                update,
                etag,
                bytes: wire,
            }))
        }
    }
}

impl CatalogStore {
    /// The gateway last synced with, if any.
    pub fn synced_gateway(&self) -> Result<Option<String>, CatalogError> {
        self.meta(GATEWAY)
    }

    /// Unix seconds of the last time a gateway confirmed the catalog.
    pub fn last_checked(&self) -> Result<Option<i64>, CatalogError> {
        Ok(self.meta(LAST_CHECKED)?.and_then(|t| t.parse::<i64>().ok()))
    }

    /// What to send `gateway` so it can answer with only what changed. Another gateway's
    /// cursor means nothing here, so a new gateway starts from nothing.
    pub fn checkpoint(&self, gateway: &str) -> Result<Checkpoint, CatalogError> {
        if self.meta(GATEWAY)?.as_deref() != Some(gateway) {
            return Ok(Checkpoint::default());
        }
        Ok(Checkpoint {
            cursor: self.meta(CURSOR)?,
            etag: self.meta(CATALOG_ETAG)?,
        })
    }

    /// The city profile older app versions kept in the catalog, for the city component to
    /// take over ([`Self::forget_legacy_city`] once it has).
    pub fn legacy_city(&self) -> Result<Option<LegacyCity>, CatalogError> {
        let Some(profile_json) = self.meta(LEGACY_CITY)? else {
            return Ok(None);
        };
        Ok(Some(LegacyCity {
            gateway: self.meta(GATEWAY)?.unwrap_or_default(),
            profile_json,
            etag: self.meta(LEGACY_CITY_ETAG)?,
            last_checked: self.last_checked()?.unwrap_or(0),
        }))
    }

    pub fn forget_legacy_city(&mut self) -> Result<(), CatalogError> {
        let tx = self.db.conn_mut().transaction()?;
        set_or_clear(&tx, LEGACY_CITY, None)?;
        set_or_clear(&tx, LEGACY_CITY_ETAG, None)?;
        tx.commit()?;
        Ok(())
    }

    /// Applies what the gateway sent (`None`: it confirmed the catalog is current), all or
    /// nothing.
    pub fn apply_sync(
        &mut self,
        gateway: &str,
        fetched: Option<Fetched>,
        now: i64,
    ) -> Result<SyncReport, SyncError> {
        let held = self.checkpoint(gateway).map_err(SyncError::store)?;
        let tx = self.db.conn_mut().transaction().map_err(SyncError::store)?;
        let mut report = SyncReport::unchanged(fetched.as_ref().map_or(0, |f| f.bytes));
        let catalog_changed = fetched.is_some();
        if let Some(catalog) = fetched {
            // Counted before anything is applied: what a withdrawal is measured against.
            let held_count = procedure_count(&tx).map_err(SyncError::store)?;
            let update = catalog.update;
            match update.changes {
                CatalogChanges::Full { procedures } => {
                    if procedures.is_empty() {
                        return Err(SyncError::BadResponse("an empty catalog".into()));
                    }
                    check_codes(&procedures, &[])?;
                    count_full(&tx, &procedures, &mut report).map_err(SyncError::store)?;
                    let snapshot = Snapshot {
                        format: crate::snapshot::FORMAT,
                        data_date: update.data_date.clone(),
                        procedures,
                    };
                    replace_all(&tx, &snapshot, CatalogSource::Synced).map_err(SyncError::store)?;
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
                    apply_delta(&tx, &upserts, &deletes, &update.data_date, &mut report)
                        .map_err(SyncError::store)?;
                    report.outcome = SyncOutcome::Delta;
                }
            }
            // Dropping `tx` undoes what was written above.
            let withdrawn = report.removed as usize;
            if is_mass_withdrawal(withdrawn, held_count) && !update.withdrawals_confirmed {
                return Err(SyncError::UnconfirmedWithdrawal {
                    withdrawn,
                    held: held_count,
                });
            }
            set_meta(&tx, CURSOR, &update.cursor).map_err(SyncError::store)?;
            set_or_clear(&tx, CATALOG_ETAG, catalog.etag.as_deref()).map_err(SyncError::store)?;
        }
        set_meta(&tx, GATEWAY, gateway).map_err(SyncError::store)?;
        set_meta(&tx, LAST_CHECKED, &now.to_string()).map_err(SyncError::store)?;
        tx.commit().map_err(SyncError::store)?;
        if catalog_changed {
            self.reindex().map_err(SyncError::store)?;
        }
        report.data_date = self
            .meta(META_DATA_DATE)
            .map_err(SyncError::store)?
            .unwrap_or_default();
        Ok(report)
    }
}

fn apply_delta(
    tx: &Transaction<'_>,
    upserts: &[Procedure],
    deletes: &[String],
    data_date: &str,
    report: &mut SyncReport,
) -> Result<(), CatalogError> {
    for procedure in upserts {
        if delete_procedure(tx, &procedure.code)? {
            report.changed += 1;
        } else {
            report.added += 1;
        }
        insert_procedure(tx, procedure)?;
    }
    for code in deletes {
        if delete_procedure(tx, code)? {
            report.removed += 1;
        }
    }
    set_meta(tx, META_DATA_DATE, data_date)?;
    set_source(tx, CatalogSource::Synced)
}

fn procedure_count(tx: &Transaction<'_>) -> Result<usize, CatalogError> {
    let count: i64 = tx.query_row("SELECT COUNT(*) FROM procedures", [], |r| r.get(0))?;
    Ok(usize::try_from(count).unwrap_or(0))
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
