//! `GET /v1/city`: the operator's profile, encoded once at start-up.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use civic_types::city::CityProfile;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::platform::coding::Coding;
use crate::platform::http::{respond, unchanged};

/// The profile as served: its JSON and the ETag that lets an unchanged profile cost a 304.
#[derive(Debug, Clone)]
pub struct CityDocument(Arc<Encoded>);

#[derive(Debug)]
struct Encoded {
    json: Bytes,
    etag: String,
}

impl CityDocument {
    pub fn new(city: &CityProfile) -> Result<Self, serde_json::Error> {
        let json = serde_json::to_vec(city)?;
        let etag = crate::platform::http::etag_of(&json);
        Ok(Self(Arc::new(Encoded {
            json: Bytes::from(json),
            etag,
        })))
    }
}

/// The city's routes.
pub fn routes<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    CityDocument: axum::extract::FromRef<S>,
{
    OpenApiRouter::new().routes(routes!(get_city))
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
async fn get_city(State(city): State<CityDocument>, headers: HeaderMap) -> Response {
    let city = &city.0;
    if unchanged(&headers, &city.etag) {
        return respond(StatusCode::NOT_MODIFIED, &city.etag, None, Body::empty());
    }
    respond(
        StatusCode::OK,
        &city.etag,
        Some(Coding::Identity),
        Body::from(city.json.clone()),
    )
}
