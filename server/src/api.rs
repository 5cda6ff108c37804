//! The HTTP API. Handlers are thin: parse, ask the repository, encode. Every error is JSON
//! `{code, message}` with a fitting status; no input can make a handler panic.

use std::sync::{Arc, Mutex, PoisonError};

use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, Request, State};
use axum::http::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, ETAG,
    IF_NONE_MATCH, VARY,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use civic_types::{ApiError, CatalogUpdate, CityProfile};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::catalog::{self, Coding, Effort};
use crate::repo::{Backend, RepoError, Repository, StoredSnapshot};

/// Request bodies larger than this are refused (no endpoint needs more yet).
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Decompressed size above which a delta is not worth it: the client gets the snapshot.
const DELTA_SHARE_OF_SNAPSHOT: i64 = 2; // i.e. delta > snapshot / 2

#[derive(Debug, Clone)]
pub struct AppState {
    repo: Backend,
    city: Arc<CityDocument>,
    /// The newest snapshot, so serving it does not copy megabytes out of the database.
    snapshot: Arc<Mutex<Option<StoredSnapshot>>>,
}

#[derive(Debug)]
struct CityDocument {
    json: Bytes,
    etag: String,
}

impl AppState {
    pub fn new(repo: Backend, city: &CityProfile) -> Result<Self, serde_json::Error> {
        let json = serde_json::to_vec(city)?;
        let etag = format!("\"{}\"", crate::hex(&Sha256::digest(&json)[..12]));
        Ok(Self {
            repo,
            city: Arc::new(CityDocument {
                json: Bytes::from(json),
                etag,
            }),
            snapshot: Arc::new(Mutex::new(None)),
        })
    }

    async fn snapshot(&self, version: i64) -> Result<Option<StoredSnapshot>, RepoError> {
        let cached = self
            .snapshot
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .filter(|s| s.version == version);
        if cached.is_some() {
            return Ok(cached);
        }
        let stored = self.repo.snapshot(version).await?;
        if let Some(snapshot) = &stored {
            *self.snapshot.lock().unwrap_or_else(PoisonError::into_inner) = Some(snapshot.clone());
        }
        Ok(stored)
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Civic city gateway",
        description = "The backend a city runs for the Civic app: catalog sync and the city profile."
    ),
    components(schemas(ApiError))
)]
struct ApiDoc;

/// The gateway's routes, with the OpenAPI document generated from the same handlers.
pub fn router(state: AppState) -> Router {
    let (router, openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(get_catalog))
        .routes(routes!(get_city))
        .routes(routes!(healthz))
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
        .layer(axum::middleware::from_fn(limit_body))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
            Failure::internal().into_response()
        }))
        .layer(tower_http::trace::TraceLayer::new_for_http())
}

/// An error response: `{code, message}`.
#[derive(Debug)]
pub struct Failure {
    status: StatusCode,
    body: ApiError,
}

impl Failure {
    fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            body: ApiError {
                code: code.into(),
                message: message.into(),
            },
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
        (self.status, Json(self.body)).into_response()
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

/// Refuses bodies over [`MAX_BODY_BYTES`] by their declared length, and caps streamed ones.
async fn limit_body(request: Request, next: Next) -> Response {
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
        Some(Some(length)) if length > MAX_BODY_BYTES as u64 => {
            return Failure::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body-too-large",
                format!("request bodies are limited to {MAX_BODY_BYTES} bytes"),
            )
            .into_response();
        }
        _ => {}
    }
    let (parts, body) = request.into_parts();
    let body = Body::new(http_body_util::Limited::new(body, MAX_BODY_BYTES));
    next.run(Request::from_parts(parts, body)).await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CatalogParams {
    /// The `cursor` of the catalog the client holds; the answer then carries only what
    /// changed since. An unknown or too old cursor gets the full catalog.
    since: Option<String>,
}

/// The procedure catalog: the full snapshot, or the changes since `since`.
///
/// Compressed with brotli or gzip as `Accept-Encoding` allows. Send the last `ETag` in
/// `If-None-Match` to get `304 Not Modified` when nothing changed.
#[utoipa::path(
    get,
    path = "/v1/catalog",
    params(CatalogParams),
    responses(
        (status = 200, description = "The catalog or a delta", body = CatalogUpdate),
        (status = 304, description = "The client's version is current"),
        (status = 400, description = "Malformed cursor", body = ApiError),
        (status = 503, description = "No catalog published yet, or storage unavailable", body = ApiError),
    )
)]
async fn get_catalog(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<CatalogParams>, QueryRejection>,
) -> Result<Response, Failure> {
    let Query(params) = params
        .map_err(|e| Failure::new(StatusCode::BAD_REQUEST, "bad-parameter", e.body_text()))?;
    let epoch = state.repo.epoch().to_owned();
    let since = match params.since.as_deref() {
        None => None,
        Some(text) => {
            let (cursor_epoch, version) = catalog::parse_cursor(text)
                .map_err(|e| Failure::new(StatusCode::BAD_REQUEST, "bad-cursor", e.to_string()))?;
            // A cursor from another database: the client's data must be replaced whole.
            (cursor_epoch.eq_ignore_ascii_case(&epoch)).then_some(version)
        }
    };
    let coding = Coding::negotiate(header_text(&headers, ACCEPT_ENCODING));
    let head = state.repo.head().await?.ok_or_else(|| {
        Failure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "no-catalog",
            "no catalog has been published on this gateway yet",
        )
    })?;
    if header_text(&headers, IF_NONE_MATCH)
        .is_some_and(|tags| catalog::not_modified(tags, &epoch, &head))
    {
        return Ok(respond(
            StatusCode::NOT_MODIFIED,
            &catalog::etag(&epoch, head.version, coding),
            None,
            Body::empty(),
        ));
    }
    let snapshot = state.snapshot(head.version).await?.ok_or_else(|| {
        // Only the head's snapshot is kept; a publish landed between the two reads.
        Failure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "catalog-changing",
            "a new catalog is being published; try again",
        )
    })?;
    if let Some(since) = since
        && let Some(delta) = state.repo.delta(since).await?
    {
        let version = delta.head.version;
        let json = serde_json::to_vec(&catalog::delta_update(&epoch, since, delta)?)?;
        let small = i64::try_from(json.len()).unwrap_or(i64::MAX) * DELTA_SHARE_OF_SNAPSHOT
            <= snapshot.json_len;
        if small || version != snapshot.version {
            // Small deltas (the usual case) are worth the best compression even per request.
            let effort = if json.len() < 1 << 20 {
                Effort::Best
            } else {
                Effort::Fast
            };
            let body = coding.encode(&json, effort)?;
            return Ok(respond(
                StatusCode::OK,
                &catalog::etag(&epoch, version, coding),
                Some(coding),
                Body::from(body),
            ));
        }
    }
    let body = match coding {
        Coding::Br => snapshot.br.clone(),
        Coding::Gzip => snapshot.gzip.clone(),
        Coding::Identity => {
            let mut json = Vec::new();
            std::io::Read::read_to_end(
                &mut flate2::read::GzDecoder::new(&snapshot.gzip[..]),
                &mut json,
            )?;
            Bytes::from(json)
        }
    };
    Ok(respond(
        StatusCode::OK,
        &catalog::etag(&epoch, snapshot.version, coding),
        Some(coding),
        Body::from(body),
    ))
}

fn header_text(headers: &HeaderMap, name: axum::http::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn respond(status: StatusCode, etag: &str, coding: Option<Coding>, body: Body) -> Response {
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

/// The city profile: name, features, sync policy.
#[utoipa::path(
    get,
    path = "/v1/city",
    responses(
        (status = 200, description = "The city profile", body = CityProfile),
        (status = 304, description = "Unchanged since the given ETag"),
    )
)]
async fn get_city(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let city = &state.city;
    let unchanged = header_text(&headers, IF_NONE_MATCH).is_some_and(|tags| {
        tags.split(',')
            .any(|t| t.trim() == city.etag || t.trim() == "*")
    });
    if unchanged {
        return respond(StatusCode::NOT_MODIFIED, &city.etag, None, Body::empty());
    }
    respond(
        StatusCode::OK,
        &city.etag,
        Some(Coding::Identity),
        Body::from(city.json.clone()),
    )
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
async fn healthz(State(state): State<AppState>) -> Result<Json<Health>, Failure> {
    let head = state.repo.head().await?;
    Ok(Json(Health {
        status: "ok",
        database: state.repo.kind(),
        catalog_version: head.map(|h| h.version),
    }))
}
