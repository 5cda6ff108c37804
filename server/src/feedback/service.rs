//! The feedback service without HTTP: what a report post, a listing, a staff update and a
//! photo upload do, given their fields, each answering a [`Problem`] (status, Vietnamese and
//! English) when it cannot. `handlers` reads requests into these calls and writes their
//! results in GeoReport v2's JSON or XML; tests call them directly.

use std::sync::Arc;
use std::time::Duration;

use civic_types::city::{CityProfile, LocalizedText};
use civic_types::feedback::{ServiceType, Status};

use super::catalogue::Catalogue;
use super::media;
use super::report::{self, Problem};
use super::repository::{
    Claim, Created, FeedbackBackend, FeedbackRepository, NewUpdate, RepoError, ReportFilter,
    StoredMedia, StoredReport, StoredUpdate, UpdateFilter,
};
use crate::platform::credentials::{self, CredentialKind, CredentialStore, Credentials};
use crate::platform::storage::Database;
use crate::platform::throttle::Throttle;

/// The spec's cap on a listing.
const MAX_LISTED: u32 = 1_000;
/// Without dates or ids, a listing covers the last 90 days (the spec's default).
const DEFAULT_WINDOW_SECONDS: i64 = 90 * 86_400;
const DEFAULT_RADIUS_M: f64 = 50.0;
const MAX_RADIUS_M: f64 = 5_000.0;

/// Posting apps' API keys (`civic-gateway api-key add`; the city profile's own is accepted
/// at start).
pub const APP: CredentialKind = CredentialKind("app");
/// Staff members' tokens, for status updates (`civic-gateway staff-token add`).
pub const STAFF: CredentialKind = CredentialKind("staff");

/// The feedback service: its repository, credentials, the city's kinds of report, its zone
/// and name, and the per-client allowances for posts and uploads.
#[derive(Debug, Clone)]
pub struct FeedbackState {
    pub repo: FeedbackBackend,
    credentials: CredentialStore,
    pub(super) catalogue: Arc<Catalogue>,
    pub(super) zone: civic_time::TimeZone,
    pub(super) agency: Arc<LocalizedText>,
    pub(super) posts: Throttle,
    pub(super) uploads: Throttle,
}

/// A report taken: its number, whether it is new or a repeated post of one taken before,
/// and what its receipt says.
#[derive(Debug, Clone, PartialEq)]
pub struct Taken {
    pub id: i64,
    pub new: bool,
    /// A batch service answers with a token instead of an id.
    pub batch: bool,
    pub expected_at: i64,
    pub account_id: Option<String>,
}

impl FeedbackState {
    /// Feedback on the gateway's database, the city profile's app key accepted.
    pub async fn open(
        database: &Database,
        credentials: CredentialStore,
        catalogue: Catalogue,
        city: &CityProfile,
    ) -> Result<Self, RepoError> {
        accept_profile_key(&credentials, city).await?;
        Ok(Self {
            repo: FeedbackBackend::open(database).await?,
            credentials,
            catalogue: Arc::new(catalogue),
            zone: civic_time::zone(&city.time_zone).unwrap_or_else(|_| civic_time::vietnam()),
            agency: Arc::new(city.name.clone()),
            // Per address: many residents share one carrier-grade NAT address, and a helper
            // at a commune office files many reports; a script filing thousands is slowed.
            posts: Throttle::new(200, Duration::from_millis(200)),
            uploads: Throttle::new(100, Duration::from_millis(500)),
        })
    }

    /// The name behind a credential of `kind`, or a 403.
    pub async fn authorize(
        &self,
        kind: CredentialKind,
        secret: Option<&str>,
    ) -> Result<String, Problem> {
        match self.credentials.holder(kind, secret).await {
            Ok(Some(name)) => Ok(name),
            Ok(None) if kind == APP => Err(Problem::new(
                403,
                "Ứng dụng gửi phản ánh chưa được cấp khoá hợp lệ (api_key).",
                "A valid api_key is required.",
            )),
            Ok(None) => Err(Problem::new(
                403,
                "Cần mã cán bộ hợp lệ.",
                "A valid staff token is required (Authorization: Bearer …).",
            )),
            Err(error) => Err(storage(&error)),
        }
    }

    /// A posted report's form (`pairs`), with the post's idempotency key if it had one,
    /// received at `now`: checked against its service's form, the app's key checked, stored
    /// once per key.
    pub async fn submit(
        &self,
        pairs: &[(String, String)],
        key: Option<String>,
        now: i64,
    ) -> Result<Taken, Problem> {
        let submission = report::check(pairs, &self.catalogue)?;
        let app = self.authorize(APP, submission.api_key.as_deref()).await?;
        let mut new = submission.report;
        new.requested_at = now;
        new.expected_at =
            civic_time::add_working_days(now, self.catalogue.due_working_days(), &self.zone);
        let expected_at = new.expected_at;
        let account_id = new.account_id.clone();
        let batch = self
            .catalogue
            .service(&new.service_code)
            .is_some_and(|s| s.service_type == ServiceType::Batch);
        let claim = Claim {
            client: app,
            key,
            fingerprint: submission.fingerprint,
        };
        let (new, id) = match self.repo.create(new, claim).await {
            Ok(Created::New(id)) => (true, id),
            Ok(Created::Replayed(id)) => (false, id),
            Ok(Created::KeyReused) => {
                return Err(Problem::new(
                    409,
                    "Khoá chống gửi trùng này đã dùng cho một phản ánh khác.",
                    "This Idempotency-Key was already used with different fields.",
                ));
            }
            Err(error) => return Err(storage(&error)),
        };
        Ok(Taken {
            id,
            new,
            batch,
            expected_at,
            account_id,
        })
    }

    /// What a receipt tells the resident: received, and by when it is to be handled.
    pub fn notice(&self, taken: &Taken, english: bool) -> String {
        let due = civic_time::date_in(taken.expected_at, &self.zone);
        let days = self.catalogue.due_working_days();
        if english {
            format!("Received. To be handled by {due} ({days} working days).")
        } else {
            format!("Đã tiếp nhận. Hạn xử lý: {due} ({days} ngày làm việc).")
        }
    }

    /// `GET requests` with the spec's filters and the gateway's extensions (`lat`, `long`,
    /// `radius`, `account_id`): near a point, nearest first.
    pub async fn requests(
        &self,
        params: &[(String, String)],
    ) -> Result<Vec<StoredReport>, Problem> {
        let mut filter = ReportFilter {
            ids: ids(params).unwrap_or_default(),
            service_codes: list_of(params, "service_code")
                .into_iter()
                .map(str::to_owned)
                .collect(),
            from: self.moment(params, "start_date")?,
            to: self.moment(params, "end_date")?,
            account_id: param(params, "account_id").map(str::to_owned),
            limit: MAX_LISTED,
            ..ReportFilter::default()
        };
        for status in list_of(params, "status") {
            match status {
                "open" => filter
                    .statuses
                    .extend(Status::ALL.iter().filter(|s| s.is_open())),
                "closed" => filter
                    .statuses
                    .extend(Status::ALL.iter().filter(|s| !s.is_open())),
                other => match Status::parse(other) {
                    Status::Unknown => return Err(bad_parameter("status")),
                    status => filter.statuses.push(status),
                },
            }
        }
        if filter.ids.is_empty() && filter.account_id.is_none() && filter.from.is_none() {
            filter.from =
                Some(filter.to.unwrap_or_else(civic_time::now_unix) - DEFAULT_WINDOW_SECONDS);
        }
        let near = match (number(params, "lat")?, number(params, "long")?) {
            (Some(lat), Some(lon)) => {
                let radius = number(params, "radius")?.unwrap_or(DEFAULT_RADIUS_M);
                if !(0.0..=MAX_RADIUS_M).contains(&radius) || !(-90.0..=90.0).contains(&lat) {
                    return Err(bad_parameter("radius"));
                }
                filter.area = Some(report::area_around(lat, lon, radius));
                Some((lat, lon, radius))
            }
            (None, None) => None,
            _ => return Err(bad_parameter("lat")),
        };
        let mut reports = self.repo.reports(filter).await.map_err(|e| storage(&e))?;
        if let Some((lat, lon, radius)) = near {
            let distance = |r: &StoredReport| match (r.report.lat, r.report.lon) {
                (Some(a), Some(b)) => report::distance_m(lat, lon, a, b),
                _ => f64::INFINITY,
            };
            reports.retain(|r| distance(r) <= radius);
            reports.sort_by(|a, b| distance(a).total_cmp(&distance(b)));
        }
        Ok(reports)
    }

    /// `GET servicerequestupdates` by report ids and dates.
    pub async fn updates(&self, params: &[(String, String)]) -> Result<Vec<StoredUpdate>, Problem> {
        let filter = UpdateFilter {
            report_ids: ids(params).unwrap_or_default(),
            from: self.moment(params, "start_date")?,
            to: self.moment(params, "end_date")?,
            limit: MAX_LISTED,
        };
        self.repo.updates(filter).await.map_err(|e| storage(&e))
    }

    /// Report `id`, or the spec's 404.
    pub async fn report(&self, id: i64) -> Result<StoredReport, Problem> {
        self.repo
            .reports(ReportFilter {
                ids: vec![id],
                limit: 1,
                ..ReportFilter::default()
            })
            .await
            .map_err(|e| storage(&e))?
            .into_iter()
            .next()
            .ok_or_else(not_found)
    }

    /// A staff member's update of report `id` (the form's `status`, `description`,
    /// `media_url`), under their token, at `now`.
    pub async fn add_update(
        &self,
        id: i64,
        staff_token: Option<&str>,
        pairs: &[(String, String)],
        now: i64,
    ) -> Result<StoredUpdate, Problem> {
        let staff = self.authorize(STAFF, staff_token).await?;
        let field = |name: &str| param(pairs, name).map(str::to_owned);
        let status = field("status")
            .map(|s| Status::parse(&s))
            .filter(|s| *s != Status::Unknown)
            .ok_or_else(|| bad_parameter("status"))?;
        let description = field("description");
        if description
            .as_deref()
            .is_some_and(|d| d.chars().count() > report::MAX_DESCRIPTION_CHARS)
        {
            return Err(bad_parameter("description"));
        }
        let media_url = field("media_url");
        if media_url
            .as_deref()
            .is_some_and(|u| !report::is_media_url(u))
        {
            return Err(bad_parameter("media_url"));
        }
        let update = NewUpdate {
            report_id: id,
            status,
            description,
            media_url,
            staff,
            at: now,
        };
        self.repo
            .add_update(update)
            .await
            .map_err(|e| storage(&e))?
            .ok_or_else(not_found)
    }

    /// A photo uploaded under `api_key`: checked, shrunk and re-encoded off the async
    /// threads, stored by its digest; the stored photo's id and size.
    pub async fn store_photo(
        &self,
        api_key: Option<String>,
        photo: Option<axum::body::Bytes>,
    ) -> Result<(String, u32, u32), Problem> {
        self.authorize(APP, api_key.as_deref()).await?;
        let photo = photo.ok_or_else(unreadable_upload)?;
        let photo = tokio::task::spawn_blocking(move || media::reencode(&photo))
            .await
            .map_err(|e| storage(&RepoError::Task(e.to_string())))??;
        let (width, height) = (photo.width, photo.height);
        let id = photo.id.clone();
        self.repo
            .put_media(
                StoredMedia {
                    id: photo.id,
                    content_type: "image/jpeg".into(),
                    bytes: axum::body::Bytes::from(photo.jpeg),
                },
                api_key.unwrap_or_default().chars().take(8).collect(),
                civic_time::now_unix(),
            )
            .await
            .map_err(|e| storage(&e))?;
        Ok((id, width, height))
    }

    /// A stored photo, or a 404.
    pub async fn photo(&self, id: &str) -> Result<StoredMedia, Problem> {
        if !media::is_photo_id(id) {
            return Err(not_found());
        }
        self.repo
            .media(id.to_owned())
            .await
            .map_err(|e| storage(&e))?
            .ok_or_else(not_found)
    }

    fn moment(&self, params: &[(String, String)], name: &str) -> Result<Option<i64>, Problem> {
        param(params, name)
            .map(|v| civic_time::parse_datetime(v, &self.zone).ok_or_else(|| bad_parameter(name)))
            .transpose()
    }
}

/// Accepts the app key the city profile publishes (`[feedback] api_key`), unless the
/// operator revoked it.
async fn accept_profile_key(
    credentials: &CredentialStore,
    city: &CityProfile,
) -> Result<(), RepoError> {
    if let Some(feedback) = &city.feedback {
        credentials
            .add(
                APP,
                "city profile".into(),
                credentials::digest(&feedback.api_key),
                civic_time::now_unix(),
            )
            .await?;
    }
    Ok(())
}

/// Storage failed: logged here, told to the client as "try again later".
pub fn storage(error: &RepoError) -> Problem {
    tracing::error!(%error, "feedback storage failed");
    Problem::new(
        503,
        "Hệ thống tạm thời không lưu được; xin gửi lại sau.",
        "The gateway's storage is unavailable; try again later.",
    )
}

/// An upload without its key or photo, or not multipart at all.
pub fn unreadable_upload() -> Problem {
    Problem::new(
        400,
        "Không đọc được dữ liệu tải lên (cần api_key và ảnh media).",
        "The upload must be multipart with api_key and media.",
    )
}

pub fn not_found() -> Problem {
    Problem::new(404, "Không tìm thấy.", "Not found.")
}

pub fn bad_parameter(name: &str) -> Problem {
    Problem::new(
        400,
        format!("Tham số {name} không hợp lệ."),
        format!("The parameter {name} is not valid."),
    )
}

/// A form's or query's value for `name`, trimmed; `None` when absent or empty.
pub fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

fn list_of<'a>(params: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    param(params, name)
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

fn number(params: &[(String, String)], name: &str) -> Result<Option<f64>, Problem> {
    param(params, name)
        .map(|v| {
            v.parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .ok_or_else(|| bad_parameter(name))
        })
        .transpose()
}

/// Report ids as the spec lists them, comma-separated; anything not ours matches nothing.
fn ids(params: &[(String, String)]) -> Option<Vec<i64>> {
    let listed = list_of(params, "service_request_id");
    (!listed.is_empty()).then(|| {
        listed
            .iter()
            .map(|id| id.parse::<i64>().unwrap_or(-1))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feedback::report::form as pairs;

    async fn service(dir: &std::path::Path) -> FeedbackState {
        let database = Database::Sqlite(dir.join("gateway.sqlite3"));
        let city: CityProfile = toml::from_str(include_str!("../../../assets/cities/da-nang.toml"))
            .expect("Đà Nẵng's profile");
        let credentials = CredentialStore::open(&database).await.expect("credentials");
        FeedbackState::open(
            &database,
            credentials,
            Catalogue::bundled().expect("services"),
            &city,
        )
        .await
        .expect("feedback")
    }

    fn flooding(lat: &str) -> Vec<(String, String)> {
        pairs(&[
            ("api_key", "civic-app-da-nang"),
            ("service_code", "ngap-ung"),
            ("lat", lat),
            ("long", "108.2022"),
            ("description", "Ngập sau mưa"),
        ])
    }

    #[tokio::test]
    async fn a_post_is_taken_once_per_key_and_refused_without_the_app_s_key() {
        let dir = tempfile::tempdir().expect("tempdir");
        let service = service(dir.path()).await;
        let now = 1_780_000_000;
        let first = service
            .submit(&flooding("16.0544"), Some("k1".into()), now)
            .await
            .expect("taken");
        assert!(first.new);
        assert!(first.expected_at > now, "a due date after today");
        let again = service
            .submit(&flooding("16.0544"), Some("k1".into()), now + 5)
            .await
            .expect("replayed");
        assert_eq!((again.id, again.new), (first.id, false));
        let other = service
            .submit(&flooding("16.0600"), Some("k1".into()), now)
            .await
            .expect_err("one key, other fields");
        assert_eq!(other.status, 409);
        let keyless = service
            .submit(&flooding("16.0544"), None, now)
            .await
            .expect("a post without a key is a new report");
        assert_ne!(keyless.id, first.id);
        let mut forged = flooding("16.0544");
        forged[0].1 = "not-our-app".into();
        let refused = service.submit(&forged, None, now).await.expect_err("403");
        assert_eq!(refused.status, 403);
        assert!(service.notice(&first, false).starts_with("Đã tiếp nhận"));
    }

    #[tokio::test]
    async fn listings_check_their_parameters_and_find_reports_near_a_point() {
        let dir = tempfile::tempdir().expect("tempdir");
        let service = service(dir.path()).await;
        let now = civic_time::now_unix();
        let near = service
            .submit(&flooding("16.0544"), None, now)
            .await
            .expect("near");
        service
            .submit(&flooding("16.0700"), None, now)
            .await
            .expect("about 1.7 km north");
        let found = service
            .requests(&pairs(&[
                ("lat", "16.0545"),
                ("long", "108.2022"),
                ("radius", "100"),
            ]))
            .await
            .expect("listed");
        assert_eq!(
            found.iter().map(|r| r.id).collect::<Vec<_>>(),
            [near.id],
            "only the one within 100 m"
        );
        for bad in [
            &[("status", "lost")][..],
            &[("lat", "16.05")],
            &[("lat", "16.05"), ("long", "108.2"), ("radius", "50000")],
            &[("start_date", "yesterday")],
        ] {
            let refused = service.requests(&pairs(bad)).await.expect_err("refused");
            assert_eq!(refused.status, 400, "{bad:?}");
        }
        let update = service
            .add_update(near.id, None, &pairs(&[("status", "fixed")]), now)
            .await
            .expect_err("no staff token");
        assert_eq!(update.status, 403);
        assert_eq!(service.report(-1).await.expect_err("none").status, 404);
        assert_eq!(service.photo("../etc").await.expect_err("none").status, 404);
    }
}
