//! Feedback in the catalog's PostgreSQL database: its own tables and schema version, the
//! same connection pool.

use axum::body::Bytes;
use deadpool_postgres::Pool;
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

use civic_types::feedback::Status;

use super::{
    Claim, Created, FeedbackRepository, NewReport, NewUpdate, Param, RepoError, ReportFilter,
    StoredMedia, StoredReport, StoredUpdate, UpdateFilter,
};
use crate::platform::storage::postgres::{self as storage, pool_error};

const MIGRATIONS: &[&str] = &[include_str!("../sql/postgres_001.sql")];

#[derive(Debug, Clone)]
pub struct PostgresFeedback {
    pool: Pool,
}

impl PostgresFeedback {
    pub async fn connect(pool: Pool) -> Result<Self, RepoError> {
        storage::migrate(&pool, "feedback_schema", MIGRATIONS).await?;
        Ok(Self { pool })
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, RepoError> {
        self.pool.get().await.map_err(pool_error)
    }
}

fn bind(params: &[Param]) -> Vec<&(dyn ToSql + Sync)> {
    params
        .iter()
        .map(|p| match p {
            Param::Int(v) => v as &(dyn ToSql + Sync),
            Param::Real(v) => v as &(dyn ToSql + Sync),
            Param::Text(v) => v as &(dyn ToSql + Sync),
        })
        .collect()
}

fn report(row: &Row) -> StoredReport {
    StoredReport {
        id: row.get(0),
        status: Status::parse(row.get(2)),
        status_notes: row.get(3),
        updated_at: row.get(13),
        report: NewReport {
            service_code: row.get(1),
            description: row.get(4),
            address: row.get(5),
            address_id: row.get(6),
            lat: row.get(7),
            lon: row.get(8),
            media_urls: super::from_json(row.get(9)),
            attributes: super::from_json(row.get(10)),
            account_id: row.get(11),
            requested_at: row.get(12),
            expected_at: row.get(14),
        },
    }
}

fn update(row: &Row) -> StoredUpdate {
    StoredUpdate {
        id: row.get(0),
        update: NewUpdate {
            report_id: row.get(1),
            status: Status::parse(row.get(2)),
            description: row.get(3),
            media_url: row.get(4),
            staff: row.get(5),
            at: row.get(6),
        },
    }
}

impl FeedbackRepository for PostgresFeedback {
    async fn create(&self, r: NewReport, claim: Claim) -> Result<Created, RepoError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // Claim the key first: a concurrent post with the same key waits here for ours to
        // commit, then finds it.
        if let Some(key) = &claim.key {
            let claimed = tx
                .execute(
                    "INSERT INTO feedback_idempotency (client, key, fingerprint, report_id, created_at) VALUES ($1, $2, $3, NULL, $4) ON CONFLICT DO NOTHING",
                    &[&claim.client, key, &claim.fingerprint, &r.requested_at],
                )
                .await?;
            if claimed == 0 {
                let row = tx
                    .query_one(
                        "SELECT fingerprint, report_id FROM feedback_idempotency WHERE client = $1 AND key = $2",
                        &[&claim.client, key],
                    )
                    .await?;
                let (fingerprint, id): (String, Option<i64>) = (row.get(0), row.get(1));
                return Ok(match id {
                    Some(id) if fingerprint == claim.fingerprint => Created::Replayed(id),
                    _ => Created::KeyReused,
                });
            }
        }
        let id: i64 = tx
            .query_one(
                "INSERT INTO feedback_reports (service_code, status, description, address, address_id, lat, lon, media_urls, attributes, account_id, client, requested_at, updated_at, expected_at)
                 VALUES ($1, 'open', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12) RETURNING id",
                &[
                    &r.service_code,
                    &r.description,
                    &r.address,
                    &r.address_id,
                    &r.lat,
                    &r.lon,
                    &super::to_json(&r.media_urls),
                    &super::to_json(&r.attributes),
                    &r.account_id,
                    &claim.client,
                    &r.requested_at,
                    &r.expected_at,
                ],
            )
            .await?
            .get(0);
        if let Some(key) = &claim.key {
            tx.execute(
                "UPDATE feedback_idempotency SET report_id = $3 WHERE client = $1 AND key = $2",
                &[&claim.client, key, &id],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(Created::New(id))
    }

    async fn reports(&self, filter: ReportFilter) -> Result<Vec<StoredReport>, RepoError> {
        let (clauses, params) = super::report_query(&filter);
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT {} FROM feedback_reports {clauses}",
                    super::REPORT_COLUMNS
                ),
                &bind(&params),
            )
            .await?;
        Ok(rows.iter().map(report).collect())
    }

    async fn add_update(&self, new: NewUpdate) -> Result<Option<StoredUpdate>, RepoError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let status = new.status.as_str();
        let changed = tx
            .execute(
                "UPDATE feedback_reports SET status = $2, status_notes = COALESCE($3, status_notes), updated_at = $4 WHERE id = $1",
                &[&new.report_id, &status, &new.description, &new.at],
            )
            .await?;
        if changed == 0 {
            return Ok(None);
        }
        let id: i64 = tx
            .query_one(
                "INSERT INTO feedback_updates (report_id, status, description, media_url, staff, updated_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                &[&new.report_id, &status, &new.description, &new.media_url, &new.staff, &new.at],
            )
            .await?
            .get(0);
        tx.commit().await?;
        Ok(Some(StoredUpdate { id, update: new }))
    }

    async fn updates(&self, filter: UpdateFilter) -> Result<Vec<StoredUpdate>, RepoError> {
        let (clauses, params) = super::update_query(&filter);
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT {} FROM feedback_updates {clauses}",
                    super::UPDATE_COLUMNS
                ),
                &bind(&params),
            )
            .await?;
        Ok(rows.iter().map(update).collect())
    }

    async fn put_media(
        &self,
        media: StoredMedia,
        client: String,
        at: i64,
    ) -> Result<(), RepoError> {
        self.client()
            .await?
            .execute(
                "INSERT INTO feedback_media (id, content_type, bytes, client, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
                &[&media.id, &media.content_type, &media.bytes.as_ref(), &client, &at],
            )
            .await?;
        Ok(())
    }

    async fn media(&self, id: String) -> Result<Option<StoredMedia>, RepoError> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT content_type, bytes FROM feedback_media WHERE id = $1",
                &[&id],
            )
            .await?;
        Ok(row.map(|r| StoredMedia {
            id,
            content_type: r.get(0),
            bytes: Bytes::from(r.get::<_, Vec<u8>>(1)),
        }))
    }
}
