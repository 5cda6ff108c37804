//! The gateway assembled: each feature's share of the state, the router every feature's
//! routes join, and the OpenAPI document generated from them, with what wraps every route
//! (the body limit, panics caught, tracing). Features never import this module: handlers
//! live with their feature and answer through `platform::http`.

use std::sync::Arc;

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::{Json, Router};
use civic_types::{city::CityProfile, error::ApiError};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::bus::BusState;
use crate::catalog::handlers::CatalogState;
use crate::catalog::repository::{Backend, RepoError, Repository};
use crate::city::handlers::CityDocument;
use crate::feedback::catalogue::Catalogue;
use crate::feedback::service::FeedbackState;
use crate::parking::ParkingState;
use crate::platform::credentials::CredentialStore;
use crate::platform::http::{Failure, MAX_BODY_BYTES, limit_body};

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
    /// The kinds of report residents may file and their forms; none: the bundled ones.
    pub feedback_services: Option<Catalogue>,
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
        let database = repo.database();
        let credentials = CredentialStore::open(&database).await?;
        let services = match options.feedback_services {
            Some(services) => services,
            None => Catalogue::bundled()?,
        };
        let feedback = FeedbackState::open(&database, credentials.clone(), services, city).await?;
        let parking =
            ParkingState::open(&database, credentials, city, options.payment_secret).await?;
        Ok(Self::new(repo, feedback, parking, city)?.with_bus(options.bus))
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
