//! `/v1/parking/…`: car parks (`lots`, `lots/near`, an operator's `lots/{id}` and
//! `lots/{id}/occupancy`), sessions (`sessions/{id}`), the bank connector's signed
//! `payments`, and an operator's `reconciliation` for a day.

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{FromRef, Path, Query, State};
use axum::http::{HeaderMap, HeaderName, StatusCode};
use axum::response::Response;
use civic_types::error::ApiError;
use civic_types::parking::{
    Lot, LotList, NearbyLot, Occupancy, Reconciliation, SessionRecord, SessionUpload,
    TransferNotice, TransferOutcome, VehicleKind,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ParkingState;
use super::repository::{Bounds, NewSession, ParkingRepository, SessionWrite};
use crate::platform::coding::Coding;
use crate::platform::credentials;
use crate::platform::http::{Failure, etag_of, header_text, respond, unchanged};
use civic_payment::notice::{self as webhook, Refused};

/// The widest "near" search: a city's centre and its edge.
pub const MAX_RADIUS_M: f64 = 50_000.0;
const DEFAULT_RADIUS_M: f64 = 2_000.0;
const MAX_NEARBY: usize = 100;

pub fn routes<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    ParkingState: FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(get_lots))
        .routes(routes!(get_lots_near))
        .routes(routes!(put_lot))
        .routes(routes!(put_occupancy))
        .routes(routes!(put_session, get_session))
        .routes(routes!(post_payment))
        .routes(routes!(get_reconciliation))
}

fn bad(code: &str, message: impl Into<String>) -> Failure {
    Failure::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
}

/// The operator behind `Authorization: Bearer …`, or a 403.
async fn operator(state: &ParkingState, headers: &HeaderMap) -> Result<String, Failure> {
    let forbidden = || {
        Failure::new(
            StatusCode::FORBIDDEN,
            "operator-token-required",
            "a valid car-park operator token is required (Authorization: Bearer …)",
        )
    };
    state
        .credentials
        .holder(super::OPERATOR, credentials::bearer(headers))
        .await?
        .ok_or_else(forbidden)
}

/// Every car park of the city, with its last reported figures; a 304 when the app's copy,
/// named by its ETag, is current.
#[utoipa::path(
    get,
    path = "/v1/parking/lots",
    responses(
        (status = 200, body = LotList),
        (status = 304, description = "Unchanged since the given ETag"),
    )
)]
async fn get_lots(
    State(state): State<ParkingState>,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let list = LotList {
        lots: state.repo.lots(None).await?,
    };
    let json = serde_json::to_vec(&list)?;
    let etag = etag_of(&json);
    Ok(if unchanged(&headers, &etag) {
        respond(StatusCode::NOT_MODIFIED, &etag, None, Body::empty())
    } else {
        respond(
            StatusCode::OK,
            &etag,
            Some(Coding::Identity),
            Body::from(json),
        )
    })
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
struct NearQuery {
    lat: f64,
    lon: f64,
    /// Metres (default 2,000, at most 50,000).
    radius: Option<f64>,
    /// Only car parks that take this kind of vehicle.
    kind: Option<VehicleKind>,
}

/// Car parks within `radius` of a point, nearest first.
#[utoipa::path(
    get,
    path = "/v1/parking/lots/near",
    params(NearQuery),
    responses(
        (status = 200, body = [NearbyLot]),
        (status = 422, description = "Not a point on Earth, or the radius is out of range", body = ApiError),
    )
)]
async fn get_lots_near(
    State(state): State<ParkingState>,
    Query(query): Query<NearQuery>,
) -> Result<Json<Vec<NearbyLot>>, Failure> {
    let radius = query.radius.unwrap_or(DEFAULT_RADIUS_M);
    let place_ok = (-90.0..=90.0).contains(&query.lat) && (-180.0..=180.0).contains(&query.lon);
    if !place_ok || !(1.0..=MAX_RADIUS_M).contains(&radius) {
        return Err(bad(
            "bad-place",
            "lat −90…90, lon −180…180 and radius 1…50,000 m",
        ));
    }
    Ok(Json(
        lots_near(&state, query.lat, query.lon, radius, query.kind).await?,
    ))
}

/// The car parks within `radius` of a point that take `kind`, nearest first.
pub async fn lots_near(
    state: &ParkingState,
    lat: f64,
    lon: f64,
    radius: f64,
    kind: Option<VehicleKind>,
) -> Result<Vec<NearbyLot>, super::repository::RepoError> {
    let (south, west, north, east) = civic_types::geo::box_around(lat, lon, radius);
    let candidates = state
        .repo
        .lots(Some(Bounds {
            south,
            north,
            west,
            east,
        }))
        .await?;
    let mut near = civic_parking::near::nearest(candidates, lat, lon, radius, kind);
    near.truncate(MAX_NEARBY);
    Ok(near)
}

/// Adds or replaces a car park (operator).
#[utoipa::path(
    put,
    path = "/v1/parking/lots/{id}",
    params(("id" = String, Path)),
    request_body = Lot,
    responses(
        (status = 204, description = "Stored"),
        (status = 403, body = ApiError),
        (status = 422, body = ApiError),
    )
)]
async fn put_lot(
    State(state): State<ParkingState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(mut lot): Json<Lot>,
) -> Result<StatusCode, Failure> {
    let name = operator(&state, &headers).await?;
    if let Some(problem) = super::lots::problem(&id, &lot) {
        return Err(bad("lot-invalid", problem));
    }
    lot.id = id;
    lot.updated = civic_time::now_unix();
    tracing::info!(lot = %lot.id, operator = %name, "car park stored");
    state.repo.put_lot(lot).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A car park's free spaces and state now (operator).
#[utoipa::path(
    put,
    path = "/v1/parking/lots/{id}/occupancy",
    params(("id" = String, Path)),
    request_body = Occupancy,
    responses(
        (status = 204, description = "Stored"),
        (status = 403, body = ApiError),
        (status = 404, body = ApiError),
        (status = 422, body = ApiError),
    )
)]
async fn put_occupancy(
    State(state): State<ParkingState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(occupancy): Json<Occupancy>,
) -> Result<StatusCode, Failure> {
    operator(&state, &headers).await?;
    let capacity = state
        .repo
        .lots(None)
        .await?
        .into_iter()
        .find(|lot| lot.id == id)
        .map(|lot| lot.capacity);
    match capacity {
        None => Err(Failure::new(
            StatusCode::NOT_FOUND,
            "no-such-lot",
            "no car park has that id",
        )),
        Some(capacity) if occupancy.free > capacity => {
            Err(bad("lot-invalid", "more free spaces than the car park has"))
        }
        Some(_) => {
            state
                .repo
                .set_occupancy(id, occupancy, civic_time::now_unix())
                .await?;
            Ok(StatusCode::NO_CONTENT)
        }
    }
}

/// Stores a session from the app, or its extension or early stop. The fee is the city's.
#[utoipa::path(
    put,
    path = "/v1/parking/sessions/{id}",
    params(("id" = String, Path, description = "The app's random session id")),
    request_body = SessionUpload,
    responses(
        (status = 200, description = "Stored; the session with its fee and payment", body = SessionRecord),
        (status = 404, description = "The city takes no parking sessions", body = ApiError),
        (status = 409, description = "Another session for the plate in that zone, or a session that has ended", body = ApiError),
        (status = 422, description = "Plate, zone, kind or times refused", body = ApiError),
    )
)]
async fn put_session(
    State(state): State<ParkingState>,
    Path(id): Path<String>,
    Json(upload): Json<SessionUpload>,
) -> Result<Json<SessionRecord>, Failure> {
    let config = state.config.as_ref().ok_or_else(not_offered)?;
    if !civic_parking::reference::is_session_id(&id) {
        return Err(bad("session-id-invalid", "not a session id"));
    }
    let checked = config
        .check(&upload)
        .map_err(|e| bad(&wire_code(e.code()), e.to_string()))?;
    let record = SessionRecord {
        reference: civic_parking::reference::reference(&id),
        id,
        plate: checked.plate.to_string(),
        kind: upload.kind,
        zone: upload.zone,
        starts_at: upload.starts_at,
        ends_at: upload.ends_at,
        stopped_at: upload.stopped_at,
        fee: checked.fee.total,
        received: 0,
        payment: civic_types::parking::PaymentState::Unpaid,
    };
    let written = state
        .repo
        .put_session(NewSession {
            record,
            plate_key: checked.plate.key(),
            at: civic_time::now_unix(),
        })
        .await?;
    match written {
        SessionWrite::Created(record) | SessionWrite::Updated(record) => Ok(Json(record)),
        SessionWrite::Overlaps => Err(Failure::new(
            StatusCode::CONFLICT,
            "session-overlaps",
            "this plate already has a session in this zone for part of that time",
        )),
        SessionWrite::Conflict => Err(Failure::new(
            StatusCode::CONFLICT,
            "session-conflict",
            "a session with this id exists for another plate, zone or start",
        )),
        SessionWrite::Ended => Err(Failure::new(
            StatusCode::CONFLICT,
            "session-ended",
            "this session was stopped; it changes no more",
        )),
    }
}

/// An app error code as the wire spells it (`plate-invalid`): the app reads it back as
/// the same code.
fn wire_code(code: civic_types::error::ErrorCode) -> String {
    serde_json::to_value(code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "invalid".into())
}

fn not_offered() -> Failure {
    Failure::new(
        StatusCode::NOT_FOUND,
        "parking-not-offered",
        "this city takes no parking sessions through its gateway",
    )
}

/// A session with its payment, by its id.
#[utoipa::path(
    get,
    path = "/v1/parking/sessions/{id}",
    params(("id" = String, Path)),
    responses((status = 200, body = SessionRecord), (status = 404, body = ApiError))
)]
async fn get_session(
    State(state): State<ParkingState>,
    Path(id): Path<String>,
) -> Result<Json<SessionRecord>, Failure> {
    if !civic_parking::reference::is_session_id(&id) {
        return Err(no_session());
    }
    state
        .repo
        .session(id)
        .await?
        .map(Json)
        .ok_or_else(no_session)
}

fn no_session() -> Failure {
    Failure::new(
        StatusCode::NOT_FOUND,
        "no-such-session",
        "no session has that id",
    )
}

/// A bank's notice of an incoming transfer, signed by the operator's bank connector.
#[utoipa::path(
    post,
    path = "/v1/parking/payments",
    request_body = TransferNotice,
    params(
        ("X-Civic-Timestamp" = i64, Header, description = "Unix seconds, within 5 minutes of the gateway's clock"),
        ("X-Civic-Signature" = String, Header, description = "`sha256=` and the hex HMAC-SHA256 of `{timestamp}.{body}`"),
    ),
    responses(
        (status = 200, description = "Recorded (or recorded before: `duplicate`)", body = TransferOutcome),
        (status = 401, description = "Unsigned, badly signed, stale or replayed", body = ApiError),
        (status = 503, description = "The gateway has no webhook secret", body = ApiError),
    )
)]
async fn post_payment(
    State(state): State<ParkingState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<TransferOutcome>, Failure> {
    let Some(secret) = state.secret.as_deref() else {
        return Err(Failure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "payments-not-configured",
            "this gateway takes no payment notices (no webhook secret)",
        ));
    };
    let now = civic_time::now_unix();
    let refuse = |reason: &str, message: &str| {
        // The operator's log: who sent what was refused (never the body or the secret).
        tracing::warn!(reason, bytes = body.len(), "payment notice refused");
        Failure::new(StatusCode::UNAUTHORIZED, reason, message)
    };
    let signature = webhook::verify(
        secret,
        header_text(&headers, HeaderName::from_static(webhook::TIMESTAMP_HEADER)),
        header_text(&headers, HeaderName::from_static(webhook::SIGNATURE_HEADER)),
        &body,
        now,
    )
    .map_err(|refused| match refused {
        Refused::Unsigned => refuse("notice-unsigned", "the notice is not signed"),
        Refused::BadSignature => refuse("signature-invalid", "the signature does not verify"),
        Refused::Stale => refuse(
            "notice-stale",
            "the notice's timestamp is too old or too new",
        ),
    })?;
    let notice: TransferNotice = serde_json::from_slice(&body)
        .map_err(|_| refuse("notice-invalid", "the notice is not a transfer notice"))?;
    if notice.id.is_empty() || notice.id.len() > 128 || notice.description.len() > 1024 {
        return Err(refuse(
            "notice-invalid",
            "the notice's id or note is out of range",
        ));
    }
    if !state
        .repo
        .claim_signature(signature, now, now - 2 * webhook::WINDOW)
        .await?
    {
        return Err(refuse(
            "notice-replayed",
            "this signed notice was taken before",
        ));
    }
    let references = civic_parking::reference::references_in(&notice.description);
    let outcome = state.repo.record_transfer(notice, references, now).await?;
    if outcome.session.is_none() && !outcome.duplicate {
        tracing::info!(transfer = %outcome.transfer, "transfer matches no session");
    }
    Ok(Json(outcome))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
struct DayQuery {
    /// `YYYY-MM-DD` in the city's zone.
    date: String,
}

/// One day's payments (operator): paid, unpaid and flagged sessions that began that day,
/// and transfers booked that day that match none.
#[utoipa::path(
    get,
    path = "/v1/parking/reconciliation",
    params(DayQuery),
    responses((status = 200, body = Reconciliation), (status = 403, body = ApiError), (status = 422, body = ApiError))
)]
async fn get_reconciliation(
    State(state): State<ParkingState>,
    headers: HeaderMap,
    Query(query): Query<DayQuery>,
) -> Result<Json<Reconciliation>, Failure> {
    operator(&state, &headers).await?;
    let day: jiff::civil::Date = query
        .date
        .parse()
        .map_err(|_| bad("bad-date", "the date is YYYY-MM-DD"))?;
    let bound = |date: jiff::civil::Date| {
        date.to_zoned_datetime(state.zone.clone())
            .map(|z| z.timestamp().as_second())
            .map_err(|_| bad("bad-date", "the date is out of range"))
    };
    let next = day
        .tomorrow()
        .map_err(|_| bad("bad-date", "the date is out of range"))?;
    let (from, to) = (bound(day)?, bound(next)?);
    Ok(Json(reconcile(
        query.date,
        state.repo.sessions_between(from, to).await?,
        state.repo.unmatched_between(from, to).await?,
    )))
}

fn reconcile(
    date: String,
    sessions: Vec<SessionRecord>,
    unmatched: Vec<TransferNotice>,
) -> Reconciliation {
    use civic_types::parking::PaymentState;
    let received = sessions.iter().map(|s| s.received).sum();
    let unmatched_total = unmatched.iter().map(|t| t.amount).sum();
    let (mut paid, mut unpaid, mut flagged) = (Vec::new(), Vec::new(), Vec::new());
    for session in sessions {
        match session.payment {
            PaymentState::Paid => paid.push(session),
            PaymentState::Unpaid => unpaid.push(session),
            PaymentState::Underpaid | PaymentState::Overpaid => flagged.push(session),
        }
    }
    Reconciliation {
        date,
        paid,
        unpaid,
        flagged,
        unmatched,
        received,
        unmatched_total,
    }
}
