//! The outbox on disk: one SQLite file of its own (`feedback.sqlite3`), one writer. Reads
//! take a `&Connection`, writes a `&Transaction`.

use std::path::Path;

use civic_db::Migrations;
use civic_types::feedback::{
    Open311Error, ReportDraft, ReportPlace, ReportState, ReportSummary, RequestUpdate, Service,
    ServiceDefinition, Status,
};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::FeedbackError;

const MIGRATIONS: Migrations = Migrations(&[
    include_str!("sql/001_outbox.sql"),
    include_str!("sql/002_services.sql"),
    include_str!("sql/003_update_photos.sql"),
]);

pub(crate) fn open(path: &Path) -> Result<civic_db::Store, FeedbackError> {
    let renewed = civic_db::Store::open_or_renew(MIGRATIONS, path)?;
    if let Some(aside) = &renewed.damaged_kept_at {
        // Kept beside, never deleted: a helper can still recover drafts from it.
        tracing::error!(aside = %aside.display(), "reports file damaged; moved aside");
    }
    Ok(renewed.store)
}

fn state_of(text: &str) -> ReportState {
    match text {
        "queued" => ReportState::Queued,
        "sent" => ReportState::Sent,
        "needs_fix" => ReportState::NeedsFix,
        _ => ReportState::Draft,
    }
}

fn status_of(text: Option<String>) -> Option<Status> {
    text.map(|t| Status::parse(&t))
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

fn from_json<T: serde::de::DeserializeOwned + Default>(text: Option<String>) -> T {
    text.and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

pub(crate) fn insert_draft(
    tx: &Transaction<'_>,
    draft: &ReportDraft,
    account_id: Option<&str>,
    idempotency_key: &str,
    now: i64,
) -> Result<i64, FeedbackError> {
    let p = &draft.place;
    tx.execute(
        "INSERT INTO reports (state, service_code, service_name, description, lat, lon, address, address_id, attributes, account_id, idempotency_key, created_at)
         VALUES ('draft', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            draft.service_code,
            draft.service_name,
            draft.description,
            p.lat,
            p.lon,
            p.address,
            p.address_id,
            json(&draft.attributes),
            account_id,
            idempotency_key,
            now
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// The state of report `id`.
pub(crate) fn state(conn: &Connection, id: i64) -> Result<ReportState, FeedbackError> {
    conn.query_row("SELECT state FROM reports WHERE id = ?1", [id], |r| {
        r.get::<_, String>(0)
    })
    .optional()?
    .map(|s| state_of(&s))
    .ok_or(FeedbackError::NotFound(id))
}

/// Only a draft, or a report the back office refused, may change.
pub(crate) fn editable(conn: &Connection, id: i64) -> Result<(), FeedbackError> {
    match state(conn, id)? {
        ReportState::Draft | ReportState::NeedsFix => Ok(()),
        _ => Err(FeedbackError::NotEditable(id)),
    }
}

pub(crate) fn update_draft(
    tx: &Transaction<'_>,
    id: i64,
    draft: &ReportDraft,
) -> Result<(), FeedbackError> {
    editable(tx, id)?;
    let p = &draft.place;
    tx.execute(
        "UPDATE reports SET service_code = ?2, service_name = ?3, description = ?4, lat = ?5, lon = ?6, address = ?7, address_id = ?8, attributes = ?9 WHERE id = ?1",
        params![
            id,
            draft.service_code,
            draft.service_name,
            draft.description,
            p.lat,
            p.lon,
            p.address,
            p.address_id,
            json(&draft.attributes)
        ],
    )?;
    Ok(())
}

pub(crate) fn photo_count(conn: &Connection, id: i64) -> Result<u32, FeedbackError> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM photos WHERE report_id = ?1",
        [id],
        |r| r.get(0),
    )?)
}

pub(crate) fn add_photo(
    tx: &Transaction<'_>,
    id: i64,
    photo: &crate::Photo,
) -> Result<(), FeedbackError> {
    tx.execute(
        "INSERT INTO photos (report_id, position, jpeg, width, height)
         VALUES (?1, (SELECT COALESCE(MAX(position), -1) + 1 FROM photos WHERE report_id = ?1), ?2, ?3, ?4)",
        params![id, photo.jpeg, photo.width, photo.height],
    )?;
    Ok(())
}

/// Sets a draft's point where it has none yet (a photo's GPS, with consent); whether it did.
pub(crate) fn place_if_unset(
    tx: &Transaction<'_>,
    id: i64,
    (lat, lon): (f64, f64),
) -> Result<bool, FeedbackError> {
    Ok(tx.execute(
        "UPDATE reports SET lat = ?2, lon = ?3 WHERE id = ?1 AND (lat IS NULL OR lon IS NULL)",
        params![id, lat, lon],
    )? > 0)
}

/// A report's photos as kept (re-encoded JPEG), in order.
pub(crate) fn photo_jpegs(conn: &Connection, id: i64) -> Result<Vec<Vec<u8>>, FeedbackError> {
    let mut stmt =
        conn.prepare("SELECT jpeg FROM photos WHERE report_id = ?1 ORDER BY position")?;
    let jpegs = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<Vec<u8>>>>()?;
    Ok(jpegs)
}

/// Every queued report due now: the resident asked to try again.
pub(crate) fn all_due(tx: &Transaction<'_>, now: i64) -> Result<usize, FeedbackError> {
    Ok(tx.execute(
        "UPDATE reports SET next_attempt_at = ?1 WHERE state = 'queued' AND next_attempt_at > ?1",
        [now],
    )?)
}

pub(crate) fn remove_photo(
    tx: &Transaction<'_>,
    id: i64,
    position: u32,
) -> Result<bool, FeedbackError> {
    editable(tx, id)?;
    Ok(tx.execute(
        "DELETE FROM photos WHERE report_id = ?1 AND position = ?2",
        params![id, position],
    )? > 0)
}

pub(crate) fn set_queued(tx: &Transaction<'_>, id: i64) -> Result<(), FeedbackError> {
    tx.execute(
        "UPDATE reports SET state = 'queued', next_attempt_at = NULL, refusal = NULL WHERE id = ?1",
        [id],
    )?;
    Ok(())
}

pub(crate) fn delete_draft(tx: &Transaction<'_>, id: i64) -> Result<(), FeedbackError> {
    editable(tx, id)?;
    tx.execute("DELETE FROM reports WHERE id = ?1", [id])?;
    Ok(())
}

/// Queued reports whose next attempt is due at `now`, oldest first.
pub(crate) fn due(conn: &Connection, now: i64) -> Result<Vec<i64>, FeedbackError> {
    let mut stmt = conn.prepare(
        "SELECT id FROM reports WHERE state = 'queued' AND COALESCE(next_attempt_at, 0) <= ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([now], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The earliest moment a queued report wants another attempt.
pub(crate) fn next_due(conn: &Connection) -> Result<Option<i64>, FeedbackError> {
    Ok(conn.query_row(
        "SELECT MIN(COALESCE(next_attempt_at, 0)) FROM reports WHERE state = 'queued'",
        [],
        |r| r.get(0),
    )?)
}

/// What one attempt sends.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    pub draft: ReportDraft,
    pub account_id: Option<String>,
    pub idempotency_key: String,
    pub attempts: u32,
    /// `(position, jpeg, media_url once uploaded)`.
    pub photos: Vec<(u32, Vec<u8>, Option<String>)>,
}

pub(crate) fn pending(conn: &Connection, id: i64) -> Result<Option<Pending>, FeedbackError> {
    let found = conn
        .query_row(
            "SELECT service_code, service_name, description, lat, lon, address, address_id, attributes, account_id, idempotency_key, attempts
             FROM reports WHERE id = ?1 AND state = 'queued'",
            [id],
            |r| {
                Ok(Pending {
                    draft: ReportDraft {
                        service_code: r.get(0)?,
                        service_name: r.get(1)?,
                        description: r.get(2)?,
                        place: place(r, 3)?,
                        attributes: from_json(r.get(7)?),
                    },
                    account_id: r.get(8)?,
                    idempotency_key: r.get(9)?,
                    attempts: r.get(10)?,
                    photos: Vec::new(),
                })
            },
        )
        .optional()?;
    let Some(mut pending) = found else {
        return Ok(None);
    };
    let mut stmt = conn.prepare(
        "SELECT position, jpeg, media_url FROM photos WHERE report_id = ?1 ORDER BY position",
    )?;
    pending.photos = stmt
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    Ok(Some(pending))
}

pub(crate) fn set_media_url(
    tx: &Transaction<'_>,
    id: i64,
    position: u32,
    url: &str,
) -> Result<(), FeedbackError> {
    tx.execute(
        "UPDATE photos SET media_url = ?3 WHERE report_id = ?1 AND position = ?2",
        params![id, position, url],
    )?;
    Ok(())
}

pub(crate) fn mark_sent(
    tx: &Transaction<'_>,
    id: i64,
    service_request_id: &str,
    now: i64,
    due_at: i64,
) -> Result<(), FeedbackError> {
    tx.execute(
        "UPDATE reports SET state = 'sent', service_request_id = ?2, sent_at = ?3, due_at = ?4, status = 'open', status_seen = 'open',
                attempts = attempts + 1, last_attempt_at = ?3, next_attempt_at = NULL, last_error = NULL, refusal = NULL
         WHERE id = ?1 AND state = 'queued'",
        params![id, service_request_id, now, due_at],
    )?;
    Ok(())
}

pub(crate) fn mark_refused(
    tx: &Transaction<'_>,
    id: i64,
    errors: &[Open311Error],
    detail: &str,
    now: i64,
) -> Result<(), FeedbackError> {
    tx.execute(
        "UPDATE reports SET state = 'needs_fix', refusal = ?2, last_error = ?3, attempts = attempts + 1, last_attempt_at = ?4, next_attempt_at = NULL
         WHERE id = ?1 AND state = 'queued'",
        params![id, json(&errors), detail, now],
    )?;
    Ok(())
}

pub(crate) fn retry_later(
    tx: &Transaction<'_>,
    id: i64,
    detail: &str,
    now: i64,
    next: i64,
) -> Result<(), FeedbackError> {
    tx.execute(
        "UPDATE reports SET last_error = ?2, attempts = attempts + 1, last_attempt_at = ?3, next_attempt_at = ?4
         WHERE id = ?1 AND state = 'queued'",
        params![id, detail, now, next],
    )?;
    Ok(())
}

const SUMMARY_COLUMNS: &str = "r.id, r.state, r.service_code, r.service_name, r.description, r.lat, r.lon, r.address, r.address_id,
    (SELECT COUNT(*) FROM photos p WHERE p.report_id = r.id), r.account_id IS NOT NULL, r.created_at, r.attempts,
    r.last_attempt_at, r.next_attempt_at, r.last_error, r.refusal, r.service_request_id, r.sent_at, r.status,
    r.status IS NOT r.status_seen, r.due_at";

/// A place stored as four columns from `first`: lat, lon, address, address_id.
fn place(row: &Row<'_>, first: usize) -> rusqlite::Result<ReportPlace> {
    Ok(ReportPlace {
        lat: row.get(first)?,
        lon: row.get(first + 1)?,
        address: row.get(first + 2)?,
        address_id: row.get(first + 3)?,
    })
}

fn summary(row: &Row<'_>, now: i64) -> rusqlite::Result<ReportSummary> {
    let status = status_of(row.get(19)?);
    let due_at: Option<i64> = row.get(21)?;
    Ok(ReportSummary {
        id: row.get(0)?,
        state: state_of(&row.get::<_, String>(1)?),
        service_code: row.get(2)?,
        service_name: row.get(3)?,
        description: row.get(4)?,
        place: place(row, 5)?,
        photos: row.get(9)?,
        signed_in: row.get(10)?,
        created_at: row.get(11)?,
        attempts: row.get(12)?,
        last_attempt_at: row.get(13)?,
        next_attempt_at: row.get(14)?,
        last_error: row.get(15)?,
        refusal: from_json(row.get(16)?),
        service_request_id: row.get(17)?,
        sent_at: row.get(18)?,
        overdue: status.is_some_and(Status::is_open) && due_at.is_some_and(|due| now > due),
        status,
        status_changed: row.get(20)?,
        due_at,
    })
}

/// Every report, newest first.
pub(crate) fn summaries(conn: &Connection, now: i64) -> Result<Vec<ReportSummary>, FeedbackError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM reports r ORDER BY r.created_at DESC, r.id DESC"
    ))?;
    let rows = stmt.query_map([], |r| summary(r, now))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn detail(
    conn: &Connection,
    id: i64,
    now: i64,
) -> Result<civic_types::feedback::ReportDetail, FeedbackError> {
    let found = conn
        .query_row(
            &format!("SELECT {SUMMARY_COLUMNS}, r.attributes FROM reports r WHERE r.id = ?1"),
            [id],
            |r| Ok((summary(r, now)?, r.get::<_, String>(22)?)),
        )
        .optional()?;
    let (summary, attributes) = found.ok_or(FeedbackError::NotFound(id))?;
    let mut stmt =
        conn.prepare("SELECT media_url FROM photos WHERE report_id = ?1 ORDER BY position")?;
    let media_urls = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare(
        "SELECT update_id, status, description, media_url, updated_datetime FROM updates WHERE report_id = ?1 ORDER BY updated_datetime, rowid",
    )?;
    let service_request_id = summary.service_request_id.clone().unwrap_or_default();
    let timeline = stmt
        .query_map([id], |r| {
            Ok(RequestUpdate {
                update_id: r.get(0)?,
                service_request_id: service_request_id.clone(),
                status: status_of(r.get(1)?).unwrap_or_default(),
                description: r.get(2)?,
                media_url: r.get(3)?,
                updated_datetime: r.get(4)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(civic_types::feedback::ReportDetail {
        summary,
        attributes: from_json(Some(attributes)),
        media_urls,
        timeline,
    })
}

/// Sent reports still open (or never checked): `(id, service_request_id)`.
pub(crate) fn followed(conn: &Connection) -> Result<Vec<(i64, String)>, FeedbackError> {
    let mut stmt = conn.prepare(
        "SELECT id, service_request_id FROM reports WHERE state = 'sent' AND service_request_id IS NOT NULL
           AND (status IS NULL OR status IN ('open', 'investigating', 'action_scheduled', 'unknown'))
         ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Updates with a photo not fetched yet: `(report, update, media_url)`.
pub(crate) fn photos_to_fetch(
    conn: &Connection,
) -> Result<Vec<(i64, String, String)>, FeedbackError> {
    let mut stmt = conn.prepare(
        "SELECT report_id, update_id, media_url FROM updates WHERE media_url IS NOT NULL AND preview IS NULL",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn set_update_preview(
    tx: &Transaction<'_>,
    report_id: i64,
    update_id: &str,
    preview: &[u8],
) -> Result<(), FeedbackError> {
    tx.execute(
        "UPDATE updates SET preview = ?3 WHERE report_id = ?1 AND update_id = ?2",
        params![report_id, update_id, preview],
    )?;
    Ok(())
}

/// The agency's photos of report `id` that could be read: `(update_id, JPEG)`.
pub(crate) fn update_previews(
    conn: &Connection,
    id: i64,
) -> Result<Vec<(String, Vec<u8>)>, FeedbackError> {
    let mut stmt = conn.prepare(
        "SELECT update_id, preview FROM updates WHERE report_id = ?1 AND length(preview) > 0",
    )?;
    let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A batch service's token resolved: the report's id at the back office.
pub(crate) fn set_request_id(
    tx: &Transaction<'_>,
    id: i64,
    service_request_id: &str,
) -> Result<(), FeedbackError> {
    tx.execute(
        "UPDATE reports SET service_request_id = ?2 WHERE id = ?1",
        params![id, service_request_id],
    )?;
    Ok(())
}

/// The back office's status and updates for report `id`; `true` when its status changed.
pub(crate) fn record_status(
    tx: &Transaction<'_>,
    id: i64,
    status: Status,
    updates: &[RequestUpdate],
    due_at: Option<i64>,
    now: i64,
) -> Result<bool, FeedbackError> {
    let before: Option<String> =
        tx.query_row("SELECT status FROM reports WHERE id = ?1", [id], |r| {
            r.get(0)
        })?;
    tx.execute(
        "UPDATE reports SET status = ?2, checked_at = ?3, due_at = COALESCE(?4, due_at) WHERE id = ?1",
        params![id, status.as_str(), now, due_at],
    )?;
    let mut insert = tx.prepare(
        "INSERT INTO updates (report_id, update_id, status, description, media_url, updated_datetime) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (report_id, update_id) DO UPDATE SET status = excluded.status, description = excluded.description, media_url = excluded.media_url, updated_datetime = excluded.updated_datetime,
           preview = CASE WHEN updates.media_url IS excluded.media_url THEN updates.preview ELSE NULL END",
    )?;
    for update in updates {
        insert.execute(params![
            id,
            update.update_id,
            update.status.as_str(),
            update.description,
            update.media_url,
            update.updated_datetime
        ])?;
    }
    Ok(before.as_deref() != Some(status.as_str()))
}

pub(crate) fn mark_seen(tx: &Transaction<'_>, id: i64) -> Result<(), FeedbackError> {
    if tx.execute(
        "UPDATE reports SET status_seen = status WHERE id = ?1",
        [id],
    )? == 0
    {
        return Err(FeedbackError::NotFound(id));
    }
    Ok(())
}

/// A report already at the back office, kept here as sent: filed from another device under
/// the same account, or another resident's that this one follows instead of filing a
/// duplicate (`account_id` `None`). Its number on this device, new or as kept before.
pub(crate) fn import_sent(
    tx: &Transaction<'_>,
    request: &civic_types::feedback::ServiceRequest,
    account_id: Option<&str>,
    now: i64,
    due_at: Option<i64>,
) -> Result<i64, FeedbackError> {
    let known: Option<i64> = tx
        .query_row(
            "SELECT id FROM reports WHERE service_request_id = ?1",
            [&request.service_request_id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = known {
        return Ok(id);
    }
    tx.execute(
        "INSERT INTO reports (state, service_code, service_name, description, lat, lon, address, address_id, attributes, account_id, idempotency_key, created_at, service_request_id, sent_at, due_at, status, status_seen)
         VALUES ('sent', ?1, ?2, ?3, ?4, ?5, ?6, ?7, '[]', ?8, ?9, ?10, ?11, ?10, ?12, ?13, ?13)",
        params![
            request.service_code.clone().unwrap_or_default(),
            request.service_name.clone().unwrap_or_default(),
            request.description,
            request.lat,
            request.lon,
            request.address,
            request.address_id,
            account_id,
            format!("elsewhere:{}", request.service_request_id),
            now,
            request.service_request_id,
            due_at,
            request.status.as_str()
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Replaces the kinds of report kept, in the endpoint's order.
pub(crate) fn replace_services(
    tx: &Transaction<'_>,
    endpoint: &str,
    services: &[(Service, Option<ServiceDefinition>)],
    now: i64,
) -> Result<(), FeedbackError> {
    tx.execute("DELETE FROM services", [])?;
    let mut insert =
        tx.prepare("INSERT OR REPLACE INTO services (code, position, service, definition) VALUES (?1, ?2, ?3, ?4)")?;
    for (position, (service, definition)) in services.iter().enumerate() {
        insert.execute(params![
            service.service_code,
            i64::try_from(position).unwrap_or(i64::MAX),
            json(service),
            definition.as_ref().map(json)
        ])?;
    }
    tx.execute(
        "INSERT INTO services_source (id, endpoint, fetched_at) VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET endpoint = excluded.endpoint, fetched_at = excluded.fetched_at",
        params![endpoint, now],
    )?;
    Ok(())
}

/// The endpoint the kept services came from, and when.
pub(crate) fn services_source(conn: &Connection) -> Result<Option<(String, i64)>, FeedbackError> {
    Ok(conn
        .query_row(
            "SELECT endpoint, fetched_at FROM services_source WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

pub(crate) fn services(conn: &Connection) -> Result<Vec<Service>, FeedbackError> {
    let mut stmt = conn.prepare("SELECT service FROM services ORDER BY position")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows
        .filter_map(|json| serde_json::from_str(&json.ok()?).ok())
        .collect())
}

pub(crate) fn definition(
    conn: &Connection,
    code: &str,
) -> Result<Option<ServiceDefinition>, FeedbackError> {
    let json: Option<Option<String>> = conn
        .query_row(
            "SELECT definition FROM services WHERE code = ?1",
            [code],
            |r| r.get(0),
        )
        .optional()?;
    Ok(json.flatten().and_then(|j| serde_json::from_str(&j).ok()))
}
