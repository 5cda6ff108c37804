//! City bus: the city's GTFS timetable (`GET /v1/bus/gtfs.zip`) and its live data
//! (`GET /v1/bus/realtime`, one GTFS-Realtime message), both with ETags so an unchanged
//! copy costs a 304. The live data replays the capture files the operator configured
//! (merged into one message), the stand-in for a city's AVL system. Both are checked when
//! the gateway starts: a feed the app would refuse is refused here first.

pub mod admin;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use civic_bus::{Feed, Realtime};
use prost::Message;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::platform::http::{Failure, respond, unchanged};

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BusError {
    #[error("{path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Refused {
        path: PathBuf,
        source: civic_bus::TransitError,
    },
}

/// What the operator configured: the timetable and the live captures to replay.
#[derive(Debug, Clone, Default)]
pub struct BusFiles {
    /// A GTFS zip.
    pub gtfs: Option<PathBuf>,
    /// GTFS-Realtime messages (TripUpdates, VehiclePositions, Alerts), served as one.
    pub realtime: Vec<PathBuf>,
}

/// The documents as served.
#[derive(Debug, Clone, Default)]
pub struct BusState {
    gtfs: Option<Arc<Document>>,
    realtime: Option<Arc<Document>>,
}

#[derive(Debug)]
struct Document {
    bytes: Bytes,
    etag: String,
}

impl Document {
    fn new(bytes: Vec<u8>) -> Self {
        let etag = crate::platform::http::etag_of(&bytes);
        Self {
            bytes: Bytes::from(bytes),
            etag,
        }
    }
}

fn read(path: &Path) -> Result<Vec<u8>, BusError> {
    std::fs::read(path).map_err(|source| BusError::Read {
        path: path.to_owned(),
        source,
    })
}

impl BusState {
    /// Reads and checks the configured files.
    pub fn load(files: &BusFiles) -> Result<Self, BusError> {
        let gtfs = match &files.gtfs {
            Some(path) => {
                let zip = read(path)?;
                let (_, report) = Feed::read(&zip).map_err(|source| BusError::Refused {
                    path: path.clone(),
                    source,
                })?;
                tracing::info!(
                    stops = report.stops,
                    trips = report.trips,
                    stop_times = report.stop_times,
                    rejected = report.rejected_rows,
                    "bus timetable"
                );
                Some(Arc::new(Document::new(zip)))
            }
            None => None,
        };
        let mut merged: Option<gtfs_realtime::FeedMessage> = None;
        for path in &files.realtime {
            let message = Realtime::decode(&read(path)?).map_err(|source| BusError::Refused {
                path: path.clone(),
                source,
            })?;
            match merged.as_mut() {
                None => merged = Some(message),
                Some(into) => {
                    into.header.timestamp = into.header.timestamp.max(message.header.timestamp);
                    into.entity.extend(message.entity);
                }
            }
        }
        Ok(Self {
            gtfs,
            realtime: merged.map(|m| Arc::new(Document::new(m.encode_to_vec()))),
        })
    }
}

pub fn routes<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    BusState: axum::extract::FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(get_gtfs))
        .routes(routes!(get_realtime))
}

fn serve(document: Option<&Document>, headers: &HeaderMap, media_type: &'static str) -> Response {
    let Some(document) = document else {
        return Failure::new(
            StatusCode::NOT_FOUND,
            "no-bus-data",
            "this city publishes no bus data through its gateway",
        )
        .into_response();
    };
    if unchanged(headers, &document.etag) {
        return respond(
            StatusCode::NOT_MODIFIED,
            &document.etag,
            None,
            Body::empty(),
        );
    }
    let mut response = respond(
        StatusCode::OK,
        &document.etag,
        None,
        Body::from(document.bytes.clone()),
    );
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(media_type));
    response
}

/// The city's bus timetable (GTFS, a zip).
#[utoipa::path(
    get,
    path = "/v1/bus/gtfs.zip",
    responses(
        (status = 200, description = "The GTFS feed", content_type = "application/zip"),
        (status = 304, description = "Unchanged since the given ETag"),
        (status = 404, description = "The city publishes no timetable here"),
    )
)]
async fn get_gtfs(State(bus): State<BusState>, headers: HeaderMap) -> Response {
    serve(bus.gtfs.as_deref(), &headers, "application/zip")
}

/// Live bus data: one GTFS-Realtime `FeedMessage` (trip updates, vehicle positions, alerts).
#[utoipa::path(
    get,
    path = "/v1/bus/realtime",
    responses(
        (status = 200, description = "A GTFS-Realtime FeedMessage", content_type = "application/x-protobuf"),
        (status = 304, description = "Unchanged since the given ETag"),
        (status = 404, description = "The city publishes no live data here"),
    )
)]
async fn get_realtime(State(bus): State<BusState>, headers: HeaderMap) -> Response {
    serve(bus.realtime.as_deref(), &headers, "application/x-protobuf")
}
