//! `GET /v1/catalog`: thin, as every handler is: parse, ask the repository, encode.

use std::sync::{Arc, Mutex, PoisonError};

use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header::{ACCEPT_ENCODING, IF_NONE_MATCH};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use civic_types::{catalog::CatalogUpdate, error::ApiError};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::repository::{Backend, RepoError, Repository, StoredSnapshot};
use super::service::{self, Coding, Effort};
use crate::http::{Failure, header_text, respond};

/// Decompressed size above which a delta is not worth it: the client gets the snapshot.
const DELTA_SHARE_OF_SNAPSHOT: i64 = 2; // i.e. delta > snapshot / 2

/// The catalog's routes.
pub fn routes<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    CatalogState: axum::extract::FromRef<S>,
{
    OpenApiRouter::new().routes(routes!(get_catalog))
}

/// What the catalog's handlers share: the repository and the newest snapshot, so serving it
/// does not copy megabytes out of the database.
#[derive(Debug, Clone)]
pub struct CatalogState {
    pub(crate) repo: Backend,
    snapshot: Arc<Mutex<Option<StoredSnapshot>>>,
}

impl CatalogState {
    pub fn new(repo: Backend) -> Self {
        Self {
            repo,
            snapshot: Arc::new(Mutex::new(None)),
        }
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
    State(state): State<CatalogState>,
    headers: HeaderMap,
    params: Result<Query<CatalogParams>, QueryRejection>,
) -> Result<Response, Failure> {
    let Query(params) = params
        .map_err(|e| Failure::new(StatusCode::BAD_REQUEST, "bad-parameter", e.body_text()))?;
    let epoch = state.repo.epoch().to_owned();
    let since = match params.since.as_deref() {
        None => None,
        Some(text) => {
            let (cursor_epoch, version) = service::parse_cursor(text)
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
        .is_some_and(|tags| service::not_modified(tags, &epoch, &head))
    {
        return Ok(respond(
            StatusCode::NOT_MODIFIED,
            &service::etag(&epoch, head.version, coding),
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
        let json = serde_json::to_vec(&service::delta_update(&epoch, since, delta)?)?;
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
                &service::etag(&epoch, version, coding),
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
        &service::etag(&epoch, snapshot.version, coding),
        Some(coding),
        Body::from(body),
    ))
}
