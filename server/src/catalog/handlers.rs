//! `GET /v1/catalog`: thin, as every handler is: parse, ask the repository, encode.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Extension, Query, State};
use axum::http::header::{ACCEPT_ENCODING, IF_NONE_MATCH};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use civic_types::{catalog::CatalogUpdate, error::ApiError};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::repository::{Backend, RepoError, Repository, StoredSnapshot};
use super::service;
use crate::platform::client::Client;
use crate::platform::coding::{Coding, Effort};
use crate::platform::http::{Failure, header_text, respond};
use crate::platform::throttle::Throttle;

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

/// What the catalog's handlers share: the repository and what is served for the head
/// version, so no request costs a rebuild: the snapshot (compressed once, at publish), its
/// JSON (inflated once, for clients that accept no compression) and each delta to it
/// (built and compressed once per cursor and coding).
#[derive(Debug, Clone)]
pub struct CatalogState {
    pub(crate) repo: Backend,
    served: Arc<Mutex<Option<Arc<Served>>>>,
    limits: CatalogLimits,
}

/// Per-client allowances for the catalog's costly answers.
#[derive(Debug, Clone)]
pub struct CatalogLimits {
    /// Deltas not built yet for the head (a build reads and compresses up to the whole
    /// catalog). A real client needs one per new version.
    pub builds: Throttle,
    /// The whole catalog (1–21 MB): a device needs it once, when it has nothing to start from.
    pub whole: Throttle,
}

impl Default for CatalogLimits {
    fn default() -> Self {
        Self {
            builds: Throttle::new(10, Duration::from_secs(6)),
            whole: Throttle::new(30, Duration::from_secs(2)),
        }
    }
}

/// Deltas kept per head version; a cursor is a version, so real clients need few.
const MAX_CACHED_DELTAS: usize = 64;

#[derive(Debug)]
struct Served {
    snapshot: StoredSnapshot,
    identity: OnceLock<Bytes>,
    deltas: Mutex<HashMap<(i64, Coding), DeltaAnswer>>,
}

/// What a client holding a cursor gets.
#[derive(Debug, Clone)]
enum DeltaAnswer {
    /// The changes since its cursor, encoded, for this head version.
    Changes(Bytes),
    /// The changes would be too large to be worth it: the snapshot.
    Snapshot,
}

impl Served {
    /// The snapshot's JSON: inflated on first use (a client that accepts no compression),
    /// then shared by every such client instead of a fresh 21 MB buffer each.
    fn identity(&self) -> Result<Bytes, std::io::Error> {
        if let Some(json) = self.identity.get() {
            return Ok(json.clone());
        }
        let mut json = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(&self.snapshot.gzip[..]),
            &mut json,
        )?;
        Ok(self.identity.get_or_init(|| Bytes::from(json)).clone())
    }

    fn cached_delta(&self, since: i64, coding: Coding) -> Option<DeltaAnswer> {
        self.deltas
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&(since, coding))
            .cloned()
    }

    fn keep_delta(&self, since: i64, coding: Coding, answer: DeltaAnswer) {
        let mut deltas = self.deltas.lock().unwrap_or_else(PoisonError::into_inner);
        if deltas.len() < MAX_CACHED_DELTAS {
            deltas.insert((since, coding), answer);
        }
    }
}

impl CatalogState {
    pub fn new(repo: Backend) -> Self {
        Self::with_limits(repo, CatalogLimits::default())
    }

    pub fn with_limits(repo: Backend, limits: CatalogLimits) -> Self {
        Self {
            repo,
            served: Arc::new(Mutex::new(None)),
            limits,
        }
    }

    async fn served(&self, version: i64) -> Result<Option<Arc<Served>>, RepoError> {
        let cached = self
            .served
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .filter(|s| s.snapshot.version == version);
        if cached.is_some() {
            return Ok(cached);
        }
        let Some(snapshot) = self.repo.snapshot(version).await? else {
            return Ok(None);
        };
        let served = Arc::new(Served {
            snapshot,
            identity: OnceLock::new(),
            deltas: Mutex::new(HashMap::new()),
        });
        *self.served.lock().unwrap_or_else(PoisonError::into_inner) = Some(Arc::clone(&served));
        Ok(Some(served))
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
        (status = 429, description = "This client asked for costly answers too often; see `Retry-After`", body = ApiError),
        (status = 503, description = "No catalog published yet, or storage unavailable", body = ApiError),
    )
)]
async fn get_catalog(
    State(state): State<CatalogState>,
    client: Option<Extension<Client>>,
    headers: HeaderMap,
    params: Result<Query<CatalogParams>, QueryRejection>,
) -> Result<Response, Failure> {
    let client = client.map(|Extension(Client(key))| key);
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
    let served = state.served(head.version).await?.ok_or_else(|| {
        // Only the head's snapshot is kept; a publish landed between the two reads.
        Failure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "catalog-changing",
            "a new catalog is being published; try again",
        )
    })?;
    let version = served.snapshot.version;
    if let Some(since) = since {
        let answer = match served.cached_delta(since, coding) {
            Some(answer) => Some(answer),
            None => {
                state
                    .limits
                    .builds
                    .check(client)
                    .map_err(Failure::too_many_requests)?;
                delta_answer(&state, &served, &epoch, since, coding).await?
            }
        };
        if let Some(DeltaAnswer::Changes(body)) = answer {
            return Ok(respond(
                StatusCode::OK,
                &service::etag(&epoch, version, coding),
                Some(coding),
                Body::from(body),
            ));
        }
    }
    state
        .limits
        .whole
        .check(client)
        .map_err(Failure::too_many_requests)?;
    let body = match coding {
        Coding::Br => served.snapshot.br.clone(),
        Coding::Gzip => served.snapshot.gzip.clone(),
        Coding::Identity => served.identity()?,
    };
    Ok(respond(
        StatusCode::OK,
        &service::etag(&epoch, version, coding),
        Some(coding),
        Body::from(body),
    ))
}

/// The answer for a client at `since`, built from the repository and kept for the next
/// client at the same cursor; `None` when the repository has no delta from there (too old).
async fn delta_answer(
    state: &CatalogState,
    served: &Served,
    epoch: &str,
    since: i64,
    coding: Coding,
) -> Result<Option<DeltaAnswer>, Failure> {
    let Some(delta) = state.repo.delta(since).await? else {
        return Ok(None);
    };
    // A publish landed after the head was read: answer from it, but do not keep it here.
    let current = delta.head.version == served.snapshot.version;
    let json = serde_json::to_vec(&service::delta_update(epoch, since, delta)?)?;
    let small = i64::try_from(json.len()).unwrap_or(i64::MAX) * DELTA_SHARE_OF_SNAPSHOT
        <= served.snapshot.json_len;
    let answer = if small || !current {
        // Small deltas (the usual case) are worth the best compression.
        let effort = if json.len() < 1 << 20 {
            Effort::Best
        } else {
            Effort::Fast
        };
        DeltaAnswer::Changes(coding.encode(&json, effort)?)
    } else {
        DeltaAnswer::Snapshot
    };
    if current {
        served.keep_delta(since, coding, answer.clone());
    }
    Ok(Some(answer))
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use axum::http::HeaderValue;
    use axum::response::IntoResponse;

    use super::*;
    use crate::platform::client::ClientKey;

    async fn body(response: Response) -> Bytes {
        axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body")
    }

    async fn get(state: &CatalogState, since: Option<String>, encoding: &str) -> Response {
        answer(state, None, since, encoding)
            .await
            .expect("an answer")
    }

    async fn answer(
        state: &CatalogState,
        client: Option<Client>,
        since: Option<String>,
        encoding: &str,
    ) -> Result<Response, Failure> {
        let mut headers = HeaderMap::new();
        headers.insert(
            ACCEPT_ENCODING,
            HeaderValue::from_str(encoding).expect("header"),
        );
        get_catalog(
            State(state.clone()),
            client.map(Extension),
            headers,
            Ok(Query(CatalogParams { since })),
        )
        .await
    }

    /// A gateway with nothing published, in `dir`, and the bundled procedures to publish.
    async fn empty_gateway(
        dir: &std::path::Path,
    ) -> (Backend, Vec<civic_types::catalog::Procedure>) {
        let repo = Backend::connect(&dir.join("g.sqlite3").display().to_string())
            .await
            .expect("SQLite");
        let procedures = civic_catalog::Snapshot::bundled()
            .expect("bundled")
            .procedures;
        (repo, procedures)
    }

    /// The review's cheap attacks: identity-encoded requests each inflating 21 MB, and
    /// `?since=<epoch>.0` rebuilding the whole catalog as a delta per request. Both are built
    /// once per version.
    #[tokio::test]
    async fn every_client_shares_what_was_built_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (repo, mut procedures) = empty_gateway(dir.path()).await;
        procedures.truncate(600);
        let all = procedures.clone();
        procedures.truncate(500);
        service::publish(
            &repo,
            procedures,
            "2026-11-01".into(),
            1,
            service::Withdrawals::Confirmed,
        )
        .await
        .expect("v1");
        service::publish(
            &repo,
            all,
            "2026-11-02".into(),
            2,
            service::Withdrawals::Guarded,
        )
        .await
        .expect("v2");
        let state = CatalogState::new(repo);
        let epoch = state.repo.epoch().to_owned();

        let first = body(get(&state, None, "identity").await).await;
        let served = state.served.lock().expect("lock").clone().expect("served");
        let kept = served.identity.get().expect("inflated once").clone();
        let second = body(get(&state, None, "identity").await).await;
        assert_eq!((first.len(), second.len()), (kept.len(), kept.len()));
        assert_eq!(
            served.identity.get().map(|b| b.as_ptr()),
            Some(kept.as_ptr()),
            "the same buffer, not a new one"
        );

        for since in [0, 1] {
            let cursor = service::cursor(&epoch, since);
            let first = body(get(&state, Some(cursor.clone()), "br").await).await;
            let kept = served.cached_delta(since, Coding::Br);
            assert!(kept.is_some(), "since {since}: kept for the next client");
            let again = body(get(&state, Some(cursor), "br").await).await;
            assert_eq!(first, again);
        }
        assert!(matches!(
            served.cached_delta(0, Coding::Br),
            Some(DeltaAnswer::Snapshot)
        ));
        assert!(matches!(
            served.cached_delta(1, Coding::Br),
            Some(DeltaAnswer::Changes(_))
        ));
    }

    /// Costly answers are rationed per client; what was already built is not, and one
    /// client over its allowance does not slow another.
    #[tokio::test]
    async fn costly_answers_are_rationed_per_client() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (repo, mut procedures) = empty_gateway(dir.path()).await;
        procedures.truncate(40);
        for (version, count) in [(1, 30), (2, 35), (3, 40)] {
            service::publish(
                &repo,
                procedures[..count].to_vec(),
                format!("2026-11-0{version}"),
                version,
                service::Withdrawals::Confirmed,
            )
            .await
            .expect("publish");
        }
        let limits = CatalogLimits {
            builds: Throttle::new(2, Duration::from_secs(3600)),
            whole: Throttle::new(2, Duration::from_secs(3600)),
        };
        let state = CatalogState::with_limits(repo, limits);
        let epoch = state.repo.epoch().to_owned();
        let (a, b) = (
            Some(Client(ClientKey::of([192, 0, 2, 1].into()))),
            Some(Client(ClientKey::of([192, 0, 2, 2].into()))),
        );
        let status = |answer: &Result<Response, Failure>| match answer {
            Ok(response) => response.status(),
            Err(failure) => failure.status,
        };

        for _ in 0..2 {
            assert_eq!(status(&answer(&state, a, None, "br").await), StatusCode::OK);
        }
        let over = answer(&state, a, None, "br").await;
        assert_eq!(status(&over), StatusCode::TOO_MANY_REQUESTS);
        let response = over.expect_err("a failure").into_response();
        let retry: u64 = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .expect("Retry-After in seconds");
        assert!((1..=3600).contains(&retry), "{retry}");
        assert_eq!(status(&answer(&state, b, None, "br").await), StatusCode::OK);

        // Two deltas built for client a, then a third cursor is refused; a cursor already
        // built is served to anyone, even past the allowance.
        for since in [1, 2] {
            let cursor = Some(service::cursor(&epoch, since));
            assert_eq!(
                status(&answer(&state, a, cursor, "br").await),
                StatusCode::OK
            );
        }
        let unbuilt = Some(service::cursor(&epoch, 1));
        assert_eq!(
            status(&answer(&state, a, unbuilt, "gzip").await),
            StatusCode::TOO_MANY_REQUESTS
        );
        for _ in 0..5 {
            let built = Some(service::cursor(&epoch, 2));
            assert_eq!(
                status(&answer(&state, a, built, "br").await),
                StatusCode::OK
            );
        }
    }
}
