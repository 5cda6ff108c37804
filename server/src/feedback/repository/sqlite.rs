//! Feedback in its own SQLite file beside the catalog's.

use std::path::Path;

use axum::body::Bytes;
use civic_db::Migrations;
use rusqlite::{OptionalExtension, Row, Transaction, params, params_from_iter};

use civic_types::feedback::Status;

use super::{
    Claim, Created, FeedbackRepository, NewReport, NewUpdate, Param, RepoError, ReportFilter,
    StoredMedia, StoredReport, StoredUpdate, UpdateFilter,
};
use crate::platform::storage::sqlite::SqliteDb;

const MIGRATIONS: Migrations = Migrations(&[include_str!("../sql/sqlite_001.sql")]);

#[derive(Debug, Clone)]
pub struct SqliteFeedback {
    db: SqliteDb,
}

impl SqliteFeedback {
    pub async fn open(path: &Path) -> Result<Self, RepoError> {
        Ok(Self {
            db: SqliteDb::open(path, MIGRATIONS).await?,
        })
    }
}

impl rusqlite::ToSql for Param {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            Self::Int(v) => v.to_sql(),
            Self::Real(v) => v.to_sql(),
            Self::Text(v) => v.to_sql(),
        }
    }
}

fn report(row: &Row<'_>) -> rusqlite::Result<StoredReport> {
    Ok(StoredReport {
        id: row.get(0)?,
        status: Status::parse(&row.get::<_, String>(2)?),
        status_notes: row.get(3)?,
        updated_at: row.get(13)?,
        report: NewReport {
            service_code: row.get(1)?,
            description: row.get(4)?,
            address: row.get(5)?,
            address_id: row.get(6)?,
            lat: row.get(7)?,
            lon: row.get(8)?,
            media_urls: super::from_json(&row.get::<_, String>(9)?),
            attributes: super::from_json(&row.get::<_, String>(10)?),
            account_id: row.get(11)?,
            requested_at: row.get(12)?,
            expected_at: row.get(14)?,
        },
    })
}

fn update(row: &Row<'_>) -> rusqlite::Result<StoredUpdate> {
    Ok(StoredUpdate {
        id: row.get(0)?,
        update: NewUpdate {
            report_id: row.get(1)?,
            status: Status::parse(&row.get::<_, String>(2)?),
            description: row.get(3)?,
            media_url: row.get(4)?,
            staff: row.get(5)?,
            at: row.get(6)?,
        },
    })
}

fn insert_report(tx: &Transaction<'_>, r: &NewReport, client: &str) -> Result<i64, RepoError> {
    Ok(tx.query_row(
        "INSERT INTO feedback_reports (service_code, status, description, address, address_id, lat, lon, media_urls, attributes, account_id, client, requested_at, updated_at, expected_at)
         VALUES (?1, 'open', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12) RETURNING id",
        params![
            r.service_code,
            r.description,
            r.address,
            r.address_id,
            r.lat,
            r.lon,
            super::to_json(&r.media_urls),
            super::to_json(&r.attributes),
            r.account_id,
            client,
            r.requested_at,
            r.expected_at
        ],
        |row| row.get(0),
    )?)
}

impl FeedbackRepository for SqliteFeedback {
    async fn create(&self, report: NewReport, claim: Claim) -> Result<Created, RepoError> {
        self.db
            .write(move |tx| {
                let Some(key) = &claim.key else {
                    return Ok(Created::New(insert_report(tx, &report, &claim.client)?));
                };
                let seen: Option<(String, Option<i64>)> = tx
                    .query_row(
                        "SELECT fingerprint, report_id FROM feedback_idempotency WHERE client = ?1 AND key = ?2",
                        params![claim.client, key],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                if let Some((fingerprint, id)) = seen {
                    return Ok(match id {
                        Some(id) if fingerprint == claim.fingerprint => Created::Replayed(id),
                        _ => Created::KeyReused,
                    });
                }
                let id = insert_report(tx, &report, &claim.client)?;
                tx.execute(
                    "INSERT INTO feedback_idempotency (client, key, fingerprint, report_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![claim.client, key, claim.fingerprint, id, report.requested_at],
                )?;
                Ok(Created::New(id))
            })
            .await
    }

    async fn reports(&self, filter: ReportFilter) -> Result<Vec<StoredReport>, RepoError> {
        let (clauses, params) = super::report_query(&filter);
        self.db
            .read(move |tx| {
                let mut stmt = tx.prepare(&format!(
                    "SELECT {} FROM feedback_reports {clauses}",
                    super::REPORT_COLUMNS
                ))?;
                let rows = stmt.query_map(params_from_iter(params.iter()), report)?;
                Ok(rows.collect::<Result<Vec<_>, _>>()?)
            })
            .await
    }

    async fn add_update(&self, new: NewUpdate) -> Result<Option<StoredUpdate>, RepoError> {
        self.db
            .write(move |tx| {
                let status = new.status.as_str();
                let changed = tx.execute(
                    "UPDATE feedback_reports SET status = ?2, status_notes = COALESCE(?3, status_notes), updated_at = ?4 WHERE id = ?1",
                    params![new.report_id, status, new.description, new.at],
                )?;
                if changed == 0 {
                    return Ok(None);
                }
                let id = tx.query_row(
                    "INSERT INTO feedback_updates (report_id, status, description, media_url, staff, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
                    params![new.report_id, status, new.description, new.media_url, new.staff, new.at],
                    |r| r.get(0),
                )?;
                Ok(Some(StoredUpdate { id, update: new }))
            })
            .await
    }

    async fn updates(&self, filter: UpdateFilter) -> Result<Vec<StoredUpdate>, RepoError> {
        let (clauses, params) = super::update_query(&filter);
        self.db
            .read(move |tx| {
                let mut stmt = tx.prepare(&format!(
                    "SELECT {} FROM feedback_updates {clauses}",
                    super::UPDATE_COLUMNS
                ))?;
                let rows = stmt.query_map(params_from_iter(params.iter()), update)?;
                Ok(rows.collect::<Result<Vec<_>, _>>()?)
            })
            .await
    }

    async fn put_media(
        &self,
        media: StoredMedia,
        client: String,
        at: i64,
    ) -> Result<(), RepoError> {
        self.db
            .write(move |tx| {
                tx.execute(
                    "INSERT INTO feedback_media (id, content_type, bytes, client, created_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO NOTHING",
                    params![media.id, media.content_type, media.bytes.as_ref(), client, at],
                )?;
                Ok(())
            })
            .await
    }

    async fn media(&self, id: String) -> Result<Option<StoredMedia>, RepoError> {
        self.db
            .read(move |tx| {
                Ok(tx
                    .query_row(
                        "SELECT content_type, bytes FROM feedback_media WHERE id = ?1",
                        [&id],
                        |r| Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?)),
                    )
                    .optional()?
                    .map(|(content_type, bytes)| StoredMedia {
                        id,
                        content_type,
                        bytes: Bytes::from(bytes),
                    }))
            })
            .await
    }
}
