//! What every feature's handlers answer with: errors as JSON `{code, message}` with a
//! fitting status, the per-route body limit, ETags and conditional answers. Leaves: nothing
//! here knows a feature.

use std::time::Duration;

use axum::Json;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, ETAG, RETRY_AFTER, VARY,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use civic_types::error::ApiError;

use super::coding::Coding;
use super::storage::RepoError;

/// Request bodies larger than this are refused (no endpoint needs more yet).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

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

    pub(crate) fn internal() -> Self {
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
pub(crate) async fn limit_body(
    State(limit): State<usize>,
    request: Request,
    next: Next,
) -> Response {
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
    format!("\"{}\"", super::hex(&sha2::Sha256::digest(body)[..12]))
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
