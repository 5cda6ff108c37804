//! The gateway's HTTP layer: the router every feature's routes join, the OpenAPI document
//! generated from them, and what every route shares (errors as JSON `{code, message}` with a
//! fitting status, the body limit, panics caught). Handlers live with their feature
//! (`catalog/handlers.rs`, `city/handlers.rs`); no input can make one panic.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{FromRef, Request, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, ETAG, RETRY_AFTER, VARY,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use civic_types::{city::CityProfile, error::ApiError};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::bus::BusState;
use crate::catalog::handlers::CatalogState;
use crate::catalog::repository::{Backend, RepoError, Repository};
use crate::catalog::service::Coding;
use crate::city::handlers::CityDocument;
use crate::feedback::handlers::FeedbackState;
use crate::feedback::repository::FeedbackBackend;
use crate::parking::ParkingState;

/// Request bodies larger than this are refused (no endpoint needs more yet).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Each feature's share of the state; handlers extract only their own (`FromRef`).
#[derive(Debug, Clone)]
pub struct AppState {
    catalog: CatalogState,
    city: CityDocument,
    feedback: FeedbackState,
    bus: BusState,
    parking: ParkingState,
}

/// What a gateway serves besides its database and profile.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub bus: BusState,
    /// The bank connector's shared secret for payment notices; none: notices are refused.
    pub payment_secret: Option<Vec<u8>>,
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    #[error("cannot encode the city profile: {0}")]
    City(#[from] serde_json::Error),
    #[error(transparent)]
    Repo(#[from] RepoError),
    #[error(transparent)]
    Feedback(#[from] crate::feedback::catalogue::CatalogueError),
    #[error(transparent)]
    Parking(#[from] crate::parking::ParkingStateError),
}

impl AppState {
    pub fn new(
        repo: Backend,
        feedback: FeedbackState,
        parking: ParkingState,
        city: &CityProfile,
    ) -> Result<Self, StateError> {
        Ok(Self {
            catalog: CatalogState::new(repo),
            city: CityDocument::new(city)?,
            feedback,
            bus: BusState::default(),
            parking,
        })
    }

    /// With the city's bus timetable and live data (none by default).
    #[must_use]
    pub fn with_bus(self, bus: BusState) -> Self {
        Self { bus, ..self }
    }

    /// Every feature on `repo`'s database, feedback with the bundled services.
    pub async fn open(repo: Backend, city: &CityProfile) -> Result<Self, StateError> {
        Self::open_with(repo, city, Options::default()).await
    }

    /// [`AppState::open`] with `options`.
    pub async fn open_with(
        repo: Backend,
        city: &CityProfile,
        options: Options,
    ) -> Result<Self, StateError> {
        let feedback = FeedbackBackend::beside(&repo).await?;
        crate::feedback::handlers::accept_profile_key(&feedback, city).await?;
        let services = crate::feedback::catalogue::Catalogue::bundled()?;
        let parking =
            ParkingState::open(&repo, feedback.clone(), city, options.payment_secret).await?;
        Ok(Self::new(
            repo,
            FeedbackState::new(feedback, services, city),
            parking,
            city,
        )?
        .with_bus(options.bus))
    }
}

impl FromRef<AppState> for FeedbackState {
    fn from_ref(state: &AppState) -> Self {
        state.feedback.clone()
    }
}

impl FromRef<AppState> for ParkingState {
    fn from_ref(state: &AppState) -> Self {
        state.parking.clone()
    }
}

impl FromRef<AppState> for BusState {
    fn from_ref(state: &AppState) -> Self {
        state.bus.clone()
    }
}

impl FromRef<AppState> for CatalogState {
    fn from_ref(state: &AppState) -> Self {
        state.catalog.clone()
    }
}

impl FromRef<AppState> for CityDocument {
    fn from_ref(state: &AppState) -> Self {
        state.city.clone()
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Civic city gateway",
        description = "The backend a city runs for the Civic app: catalog sync, the city profile, citizen feedback (Open311 GeoReport v2), the city's buses (GTFS, GTFS-Realtime) and parking (car parks, sessions, payments)."
    ),
    components(schemas(ApiError))
)]
struct ApiDoc;

/// The gateway's routes, with the OpenAPI document generated from the same handlers.
pub fn router(state: AppState) -> Router {
    let (router, openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(crate::catalog::handlers::routes::<AppState>())
        .merge(crate::city::handlers::routes::<AppState>())
        .merge(crate::feedback::handlers::routes::<AppState>())
        .merge(crate::bus::routes::<AppState>())
        .merge(crate::parking::handlers::routes::<AppState>())
        .routes(routes!(healthz))
        .layer(axum::middleware::from_fn_with_state(
            MAX_BODY_BYTES,
            limit_body,
        ))
        .merge(
            crate::feedback::handlers::upload_routes::<AppState>().layer(
                axum::middleware::from_fn_with_state(
                    crate::feedback::media::MAX_UPLOAD_BYTES,
                    limit_body,
                ),
            ),
        )
        .with_state(state)
        .split_for_parts();
    let openapi = Arc::new(openapi);
    router
        .route(
            "/openapi.json",
            axum::routing::get(move || {
                let openapi = Arc::clone(&openapi);
                async move { Json(openapi.as_ref().clone()) }
            }),
        )
        .fallback(|| async { Failure::new(StatusCode::NOT_FOUND, "not-found", "no such endpoint") })
        .method_not_allowed_fallback(|| async {
            Failure::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                "this endpoint does not accept that method",
            )
        })
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
            Failure::internal().into_response()
        }))
        .layer(tower_http::trace::TraceLayer::new_for_http())
}

/// An error response: `{code, message}`.
#[derive(Debug)]
pub struct Failure {
    pub(crate) status: StatusCode,
    body: ApiError,
    retry_after: Option<Duration>,
}

impl Failure {
    pub(crate) fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            body: ApiError {
                code: code.into(),
                message: message.into(),
            },
            retry_after: None,
        }
    }

    /// `429` for a client over its allowance, saying when to ask again (`Retry-After`).
    pub(crate) fn too_many_requests(wait: Duration) -> Self {
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        Self {
            retry_after: Some(Duration::from_secs(seconds.max(1))),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too-many-requests",
                format!("too many requests from this address; try again in {seconds} s"),
            )
        }
    }

    fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the gateway failed to answer; try again later",
        )
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body)).into_response();
        if let Some(wait) = self.retry_after {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(wait.as_secs()));
        }
        response
    }
}

impl From<RepoError> for Failure {
    fn from(error: RepoError) -> Self {
        // Details go to the operator's log, not to clients.
        tracing::error!(%error, "storage failed");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "storage-unavailable",
            "the gateway's storage is unavailable; try again later",
        )
    }
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        tracing::error!(%error, "encoding failed");
        Self::internal()
    }
}

impl From<serde_json::Error> for Failure {
    fn from(error: serde_json::Error) -> Self {
        tracing::error!(%error, "a stored record could not be encoded");
        Self::internal()
    }
}

/// Refuses bodies over `limit` by their declared length, and caps streamed ones; each route
/// group has its own (photos need more than anything else).
async fn limit_body(State(limit): State<usize>, request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .map(|v| v.to_str().ok().and_then(|s| s.parse::<u64>().ok()));
    match declared {
        Some(None) => {
            return Failure::new(
                StatusCode::BAD_REQUEST,
                "bad-request",
                "invalid Content-Length",
            )
            .into_response();
        }
        Some(Some(length)) if length > limit as u64 => {
            return Failure::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body-too-large",
                format!("request bodies here are limited to {limit} bytes"),
            )
            .into_response();
        }
        _ => {}
    }
    let (parts, body) = request.into_parts();
    let body = Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, body)).await
}

pub(crate) fn header_text(headers: &HeaderMap, name: axum::http::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// A strong ETag for a body: its digest, so equal bodies share one wherever they come from.
pub(crate) fn etag_of(body: &[u8]) -> String {
    use sha2::Digest;
    format!("\"{}\"", crate::hex(&sha2::Sha256::digest(body)[..12]))
}

/// Whether the request's `If-None-Match` names `etag` (or `*`): the copy held is current.
pub(crate) fn unchanged(headers: &HeaderMap, etag: &str) -> bool {
    header_text(headers, axum::http::header::IF_NONE_MATCH)
        .is_some_and(|tags| tags.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

pub(crate) fn respond(
    status: StatusCode,
    etag: &str,
    coding: Option<Coding>,
    body: Body,
) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(ETAG, value);
    }
    // Caches may keep it but must ask again: the catalog changes without warning.
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
    if let Some(coding) = coding {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if coding != Coding::Identity {
            headers.insert(CONTENT_ENCODING, HeaderValue::from_static(coding.token()));
        }
    }
    response
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
struct Health {
    status: &'static str,
    database: &'static str,
    /// The newest catalog version, if one is published.
    catalog_version: Option<i64>,
}

/// Liveness and readiness: answers 200 only when the database answers.
#[utoipa::path(
    get,
    path = "/healthz",
    responses(
        (status = 200, description = "Healthy", body = Health),
        (status = 503, description = "Storage unavailable", body = ApiError),
    )
)]
async fn healthz(State(catalog): State<CatalogState>) -> Result<Json<Health>, Failure> {
    let head = catalog.repo.head().await?;
    Ok(Json(Health {
        status: "ok",
        database: catalog.repo.kind(),
        catalog_version: head.map(|h| h.version),
    }))
}
