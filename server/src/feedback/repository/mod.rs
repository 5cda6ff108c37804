//! Where reports, staff updates and photos are kept: one
//! [`FeedbackRepository`] trait, the SQLite and PostgreSQL backends, one conformance suite
//! (`tests/feedback_conformance.rs`). Every method is one transaction.
//!
//! Invariants: a report and its idempotency claim are written together, so a key answers
//! one report forever; a staff update and the report's new status are written together.

use std::future::Future;

use axum::body::Bytes;
use civic_types::feedback::Status;

pub mod postgres;
pub mod sqlite;

pub use crate::platform::storage::RepoError;
use crate::platform::storage::{Database, Dual, dual};
pub use postgres::PostgresFeedback;
pub use sqlite::SqliteFeedback;

/// A checked report, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReport {
    pub service_code: String,
    pub description: Option<String>,
    pub address: Option<String>,
    pub address_id: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Photos of the report, at most [`crate::feedback::report::MAX_PHOTOS`]; the first is
    /// the spec's `media_url`.
    pub media_urls: Vec<String>,
    /// `(code, value)`, a multi-value attribute once per value, in the order posted.
    pub attributes: Vec<(String, String)>,
    /// The resident's account (the eID subject), if signed in.
    pub account_id: Option<String>,
    pub requested_at: i64,
    /// When the handling rule says it is due.
    pub expected_at: i64,
}

/// Who posted a report: the posting app and, when it sent one, its `Idempotency-Key` (scoped
/// to that app), with what the key was sent with. GeoReport v2 has no such header, so a
/// client following the spec alone posts without one and each post is a new report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub client: String,
    pub key: Option<String>,
    /// SHA-256 of the request's fields: the same key with other fields is refused.
    pub fingerprint: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Created {
    New(i64),
    /// The key was seen with the same fields: this is the report it made.
    Replayed(i64),
    /// The key was seen with different fields.
    KeyReused,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoredReport {
    pub id: i64,
    pub report: NewReport,
    pub status: Status,
    pub status_notes: Option<String>,
    pub updated_at: i64,
}

/// Which reports to list. Empty lists mean any.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportFilter {
    pub ids: Vec<i64>,
    pub service_codes: Vec<String>,
    pub statuses: Vec<Status>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub account_id: Option<String>,
    /// Only reports placed in this box.
    pub area: Option<Area>,
    pub limit: u32,
}

/// A latitude/longitude box, degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    pub south: f64,
    pub north: f64,
    pub west: f64,
    pub east: f64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUpdate {
    pub report_id: i64,
    pub status: Status,
    pub description: Option<String>,
    pub media_url: Option<String>,
    /// The staff member's name (never their token).
    pub staff: String,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredUpdate {
    pub id: i64,
    pub update: NewUpdate,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpdateFilter {
    pub report_ids: Vec<i64>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMedia {
    pub id: String,
    pub content_type: String,
    pub bytes: Bytes,
}

/// Who may do what: apps post reports, staff change their status, car-park operators
/// report occupancy and read the day's payments.
pub trait FeedbackRepository: Clone + Send + Sync + 'static {
    /// Stores `report` unless `claim`'s key was used before.
    fn create(
        &self,
        report: NewReport,
        claim: Claim,
    ) -> impl Future<Output = Result<Created, RepoError>> + Send;

    /// Newest first, at most `filter.limit`.
    fn reports(
        &self,
        filter: ReportFilter,
    ) -> impl Future<Output = Result<Vec<StoredReport>, RepoError>> + Send;

    /// Records a staff update and gives the report its status; `None` if there is no such report.
    fn add_update(
        &self,
        update: NewUpdate,
    ) -> impl Future<Output = Result<Option<StoredUpdate>, RepoError>> + Send;

    /// Oldest first, at most `filter.limit`.
    fn updates(
        &self,
        filter: UpdateFilter,
    ) -> impl Future<Output = Result<Vec<StoredUpdate>, RepoError>> + Send;

    /// Keeps a photo; the same id twice keeps the first.
    fn put_media(
        &self,
        media: StoredMedia,
        client: String,
        at: i64,
    ) -> impl Future<Output = Result<(), RepoError>> + Send;

    fn media(
        &self,
        id: String,
    ) -> impl Future<Output = Result<Option<StoredMedia>, RepoError>> + Send;
}

/// A query parameter, bound the same way by both backends.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Param {
    Int(i64),
    Real(f64),
    Text(String),
}

/// The `WHERE … ORDER BY … LIMIT` of a report listing with `$1…$n` placeholders, numbered
/// in order, which SQLite binds by position as PostgreSQL does.
pub(crate) fn report_query(filter: &ReportFilter) -> (String, Vec<Param>) {
    let mut sql = Where::default();
    sql.any_of("id", filter.ids.iter().map(|id| Param::Int(*id)));
    sql.any_of(
        "service_code",
        filter.service_codes.iter().cloned().map(Param::Text),
    );
    sql.any_of(
        "status",
        filter
            .statuses
            .iter()
            .map(|s| Param::Text(s.as_str().into())),
    );
    sql.compare("requested_at >=", filter.from.map(Param::Int));
    sql.compare("requested_at <=", filter.to.map(Param::Int));
    sql.compare("account_id =", filter.account_id.clone().map(Param::Text));
    if let Some(area) = filter.area {
        sql.compare("lat >=", Some(Param::Real(area.south)));
        sql.compare("lat <=", Some(Param::Real(area.north)));
        sql.compare("lon >=", Some(Param::Real(area.west)));
        sql.compare("lon <=", Some(Param::Real(area.east)));
    }
    sql.finish("requested_at DESC, id DESC", filter.limit)
}

pub(crate) fn update_query(filter: &UpdateFilter) -> (String, Vec<Param>) {
    let mut sql = Where::default();
    sql.any_of(
        "report_id",
        filter.report_ids.iter().map(|id| Param::Int(*id)),
    );
    sql.compare("updated_at >=", filter.from.map(Param::Int));
    sql.compare("updated_at <=", filter.to.map(Param::Int));
    sql.finish("updated_at, id", filter.limit)
}

#[derive(Default)]
struct Where {
    clauses: Vec<String>,
    params: Vec<Param>,
}

impl Where {
    fn placeholder(&mut self, param: Param) -> String {
        self.params.push(param);
        format!("${}", self.params.len())
    }

    fn any_of(&mut self, column: &str, values: impl Iterator<Item = Param>) {
        let placeholders: Vec<String> = values.map(|v| self.placeholder(v)).collect();
        if !placeholders.is_empty() {
            self.clauses
                .push(format!("{column} IN ({})", placeholders.join(", ")));
        }
    }

    fn compare(&mut self, column_and_operator: &str, value: Option<Param>) {
        if let Some(value) = value {
            let placeholder = self.placeholder(value);
            self.clauses
                .push(format!("{column_and_operator} {placeholder}"));
        }
    }

    fn finish(mut self, order: &str, limit: u32) -> (String, Vec<Param>) {
        let mut sql = String::new();
        if !self.clauses.is_empty() {
            sql = format!("WHERE {}", self.clauses.join(" AND "));
        }
        let limit = self.placeholder(Param::Int(i64::from(limit)));
        sql.push_str(&format!(" ORDER BY {order} LIMIT {limit}"));
        (sql, self.params)
    }
}

/// Lists as stored: JSON arrays (attributes as `[code, value]` pairs, photos as URLs).
pub(crate) fn to_json<T: serde::Serialize>(list: &[T]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".into())
}

pub(crate) fn from_json<T: serde::de::DeserializeOwned>(json: &str) -> Vec<T> {
    serde_json::from_str(json).unwrap_or_default()
}

pub(crate) const REPORT_COLUMNS: &str = "id, service_code, status, status_notes, description, address, address_id, lat, lon, media_urls, attributes, account_id, requested_at, updated_at, expected_at";
pub(crate) const UPDATE_COLUMNS: &str =
    "id, report_id, status, description, media_url, staff, updated_at";

/// The backend the catalog uses, so one `--database` names both.
/// Feedback on the gateway's database, in a SQLite file of its own beside the gateway's.
pub type FeedbackBackend = Dual<SqliteFeedback, PostgresFeedback>;

impl FeedbackBackend {
    pub async fn open(database: &Database) -> Result<Self, RepoError> {
        database
            .open(
                Some("feedback"),
                |path| async move { SqliteFeedback::open(&path).await },
                PostgresFeedback::connect,
            )
            .await
    }
}

impl FeedbackRepository for FeedbackBackend {
    async fn create(&self, report: NewReport, claim: Claim) -> Result<Created, RepoError> {
        dual!(self, r => r.create(report, claim).await)
    }
    async fn reports(&self, filter: ReportFilter) -> Result<Vec<StoredReport>, RepoError> {
        dual!(self, r => r.reports(filter).await)
    }
    async fn add_update(&self, update: NewUpdate) -> Result<Option<StoredUpdate>, RepoError> {
        dual!(self, r => r.add_update(update).await)
    }
    async fn updates(&self, filter: UpdateFilter) -> Result<Vec<StoredUpdate>, RepoError> {
        dual!(self, r => r.updates(filter).await)
    }
    async fn put_media(
        &self,
        media: StoredMedia,
        client: String,
        at: i64,
    ) -> Result<(), RepoError> {
        dual!(self, r => r.put_media(media, client, at).await)
    }
    async fn media(&self, id: String) -> Result<Option<StoredMedia>, RepoError> {
        dual!(self, r => r.media(id).await)
    }
}
