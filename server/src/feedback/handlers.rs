//! `/open311/v2/`: GeoReport v2 in JSON and XML (`services`, `services/{code}`, `requests`
//! GET and POST, `requests/{id}`), FixMyStreet-style `servicerequestupdates`, staff updates
//! (`POST requests/{id}/updates.{json|xml}` with a staff token), and photos
//! (`POST media`, multipart, under its own body limit; `GET media/{id}.jpg`). Each handler
//! reads the request, calls the service (`service.rs`) and writes its answer or refusal in
//! the format and language asked for.
//!
//! Extensions to the spec, all optional query parameters of `GET requests`: `lat`, `long`
//! and `radius` (metres, at most 5 km) for open reports near a point, nearest first;
//! `account_id` for a resident's own reports; `service_request_id` on updates.

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Extension, Multipart, Path, Query, State};
use axum::http::header::{ACCEPT_LANGUAGE, CACHE_CONTROL, CONTENT_TYPE, HOST};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::report::{self, Problem};
use super::repository::{StoredReport, StoredUpdate};
use super::service::FeedbackState;
use super::service::{Taken, not_found, unreadable_upload};
use super::wire::{self, Format};
use crate::platform::client::Client;
use crate::platform::credentials;

/// The header a `POST requests` may carry; the same key answers the same report.
pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

/// The feedback routes whose bodies fit the gateway's common limit.
pub fn routes<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    FeedbackState: axum::extract::FromRef<S>,
{
    OpenApiRouter::new()
        .routes(routes!(get_document, post_document))
        .routes(routes!(get_service))
        .routes(routes!(get_request))
        .routes(routes!(get_token))
        .routes(routes!(post_update))
        .routes(routes!(get_media))
}

/// Photo uploads, which need a larger body limit than anything else.
pub fn upload_routes<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    FeedbackState: axum::extract::FromRef<S>,
{
    // axum's own 2 MB cap on extracted bodies would cut a phone photo short; the gateway's
    // per-route limit (`http.rs`) is the one that applies.
    OpenApiRouter::new()
        .routes(routes!(post_media))
        .layer(axum::extract::DefaultBodyLimit::max(
            super::media::MAX_UPLOAD_BYTES,
        ))
}

/// An Open311 refusal: the spec's `[{code, description}]`, in the client's language.
struct Refusal {
    problem: Problem,
    format: Format,
    english: bool,
    retry_after: Option<Duration>,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.problem.status).unwrap_or(StatusCode::BAD_REQUEST);
        let description = if self.english {
            self.problem.en
        } else {
            self.problem.vi
        };
        let mut response = wire::list(
            status,
            self.format,
            &wire::ERRORS,
            &[wire::ErrorOut {
                code: self.problem.status,
                description,
            }],
        );
        if let Some(wait) = self.retry_after {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                HeaderValue::from(wait.as_secs().max(1)),
            );
        }
        response
    }
}

/// The request's context for answers: format and language.
#[derive(Clone, Copy)]
struct Answer {
    format: Format,
    english: bool,
}

impl Answer {
    fn new(format: Format, headers: &HeaderMap) -> Self {
        let english = crate::platform::http::header_text(headers, ACCEPT_LANGUAGE)
            .and_then(|v| v.split(',').next())
            .is_some_and(|first| first.trim().to_ascii_lowercase().starts_with("en"));
        Self { format, english }
    }

    fn refuse(self, problem: Problem) -> Refusal {
        Refusal {
            problem,
            format: self.format,
            english: self.english,
            retry_after: None,
        }
    }

    fn throttled(self, wait: Duration) -> Refusal {
        Refusal {
            retry_after: Some(wait),
            ..self.refuse(Problem::new(
                429,
                "Gửi quá nhiều trong thời gian ngắn; xin thử lại sau ít phút.",
                "Too many posts from this address; try again later.",
            ))
        }
    }

    fn not_found(self) -> Refusal {
        self.refuse(not_found())
    }
}

fn split(document: &str, headers: &HeaderMap) -> Result<(String, Answer), Refusal> {
    match Format::split(document) {
        Some((name, format)) => Ok((name.to_owned(), Answer::new(format, headers))),
        None => Err(Answer::new(Format::Json, headers).not_found()),
    }
}

/// `services.{fmt}`, `requests.{fmt}` or `servicerequestupdates.{fmt}`.
#[utoipa::path(
    get,
    path = "/open311/v2/{document}",
    params(("document" = String, Path, description = "`services.json`, `requests.json`, `servicerequestupdates.json` (or `.xml`)")),
    responses(
        (status = 200, description = "The list, in GeoReport v2's shape"),
        (status = 400, description = "A malformed parameter (an Open311 error array)"),
        (status = 404, description = "No such document"),
    )
)]
async fn get_document(
    State(state): State<FeedbackState>,
    Path(document): Path<String>,
    Query(params): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    let (name, answer) = split(&document, &headers)?;
    match name.as_str() {
        "services" => {
            let services: Vec<wire::ServiceOut<'_>> = state
                .catalogue
                .services()
                .iter()
                .map(|s| wire::ServiceOut {
                    service_code: &s.service_code,
                    service_name: &s.service_name,
                    description: s.description.as_deref(),
                    metadata: s.metadata,
                    service_type: match s.service_type {
                        civic_types::feedback::ServiceType::Batch => "batch",
                        civic_types::feedback::ServiceType::Blackbox => "blackbox",
                        _ => "realtime",
                    },
                    keywords: s.keywords.join(","),
                    group: s.group.as_deref(),
                })
                .collect();
            Ok(wire::list(
                StatusCode::OK,
                answer.format,
                &wire::SERVICES,
                &services,
            ))
        }
        "requests" => {
            let reports = state
                .requests(&params)
                .await
                .map_err(|p| answer.refuse(p))?;
            let out: Vec<wire::RequestOut> =
                reports.iter().map(|r| request_out(&state, r)).collect();
            Ok(wire::list(
                StatusCode::OK,
                answer.format,
                &wire::REQUESTS,
                &out,
            ))
        }
        "servicerequestupdates" => {
            let updates = state.updates(&params).await.map_err(|p| answer.refuse(p))?;
            let out: Vec<wire::UpdateOut> = updates.iter().map(|u| update_out(&state, u)).collect();
            Ok(wire::list(
                StatusCode::OK,
                answer.format,
                &wire::UPDATES,
                &out,
            ))
        }
        _ => Err(answer.not_found()),
    }
}

fn request_out(state: &FeedbackState, stored: &StoredReport) -> wire::RequestOut {
    let r = &stored.report;
    let time = |unix| civic_time::iso_datetime(unix, &state.zone);
    wire::RequestOut {
        service_request_id: stored.id.to_string(),
        status: if stored.status.is_open() {
            "open"
        } else {
            "closed"
        },
        status_notes: stored.status_notes.clone(),
        service_name: state
            .catalogue
            .service(&r.service_code)
            .map(|s| s.service_name.clone())
            .unwrap_or_default(),
        service_code: r.service_code.clone(),
        description: r.description.clone(),
        agency_responsible: state.agency.vi.clone(),
        requested_datetime: time(r.requested_at),
        updated_datetime: time(stored.updated_at),
        expected_datetime: time(r.expected_at),
        address: r.address.clone(),
        address_id: r.address_id.clone(),
        lat: r.lat,
        lon: r.lon,
        media_url: r.media_urls.first().cloned(),
        media_urls: (r.media_urls.len() > 1).then(|| r.media_urls.clone()),
    }
}

fn update_out(state: &FeedbackState, stored: &StoredUpdate) -> wire::UpdateOut {
    wire::UpdateOut {
        update_id: stored.id.to_string(),
        service_request_id: stored.update.report_id.to_string(),
        status: stored.update.status.as_str(),
        updated_datetime: civic_time::iso_datetime(stored.update.at, &state.zone),
        description: stored.update.description.clone(),
        media_url: stored.update.media_url.clone(),
    }
}

/// `POST requests.{fmt}`: a new report, form-encoded, with an API key and, optionally, an
/// `Idempotency-Key` that makes a repeated post answer the report it made.
#[utoipa::path(
    post,
    path = "/open311/v2/{document}",
    params(
        ("document" = String, Path, description = "`requests.json` or `requests.xml`"),
        ("Idempotency-Key" = Option<String>, Header, description = "Optional (not in GeoReport v2): unique per report; the same key and fields answer the same report"),
    ),
    request_body(content_type = "application/x-www-form-urlencoded", description = "GeoReport v2 fields: api_key, service_code, lat/long or address_string/address_id, attribute[CODE], description, media_url (up to four times: the first is the spec's), account_id"),
    responses(
        (status = 201, description = "The receipt: service_request_id, service_notice with the due date"),
        (status = 200, description = "The same key and fields again: the same receipt"),
        (status = 400, description = "A field is missing or malformed (an Open311 error array)"),
        (status = 403, description = "Missing or unknown api_key"),
        (status = 404, description = "Unknown service_code"),
        (status = 409, description = "The Idempotency-Key was used with other fields"),
        (status = 429, description = "Too many posts from this client; see Retry-After"),
    )
)]
async fn post_document(
    State(state): State<FeedbackState>,
    Path(document): Path<String>,
    client: Option<Extension<Client>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Refusal> {
    let (name, answer) = split(&document, &headers)?;
    if name != "requests" {
        return Err(answer.not_found());
    }
    state
        .posts
        .check(client.map(|Extension(Client(key))| key))
        .map_err(|wait| answer.throttled(wait))?;
    // Optional: GeoReport v2 has no such header, so a client written to the spec alone posts
    // without one (each post a new report). One that is sent must be usable.
    let key = match crate::platform::http::header_text(&headers, IDEMPOTENCY_KEY) {
        None if !headers.contains_key(IDEMPOTENCY_KEY) => None,
        Some(k) if (1..=128).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()) => {
            Some(k.to_owned())
        }
        _ => {
            return Err(answer.refuse(Problem::new(
                400,
                "Khoá chống gửi trùng (Idempotency-Key) không hợp lệ.",
                "An Idempotency-Key must be 1–128 visible characters.",
            )));
        }
    };
    let pairs = report::read_form(&body);
    let taken = state
        .submit(&pairs, key, civic_time::now_unix())
        .await
        .map_err(|p| answer.refuse(p))?;
    let status = if taken.new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let service_notice = Some(state.notice(&taken, answer.english));
    let Taken {
        id,
        batch,
        account_id,
        ..
    } = taken;
    Ok(wire::list(
        status,
        answer.format,
        &wire::REQUESTS,
        &[if batch {
            // A batch service answers with a token; the id comes from `tokens/{token}`.
            wire::ReceiptOut {
                service_request_id: None,
                token: Some(token_of(id)),
                service_notice,
                account_id,
            }
        } else {
            wire::ReceiptOut {
                service_request_id: Some(id.to_string()),
                token: None,
                service_notice,
                account_id,
            }
        }],
    ))
}

/// `services/{code}.{fmt}`: the form a service asks residents to fill.
#[utoipa::path(
    get,
    path = "/open311/v2/services/{document}",
    params(("document" = String, Path, description = "`{service_code}.json` or `.xml`")),
    responses((status = 200, description = "The service definition"), (status = 404, description = "No such service"))
)]
async fn get_service(
    State(state): State<FeedbackState>,
    Path(document): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    let (code, answer) = split(&document, &headers)?;
    let definition = state
        .catalogue
        .definition(&code)
        .ok_or_else(|| answer.not_found())?;
    Ok(wire::single(
        StatusCode::OK,
        answer.format,
        "service_definition",
        definition,
    ))
}

/// A batch service's token for report `id`. The gateway stores every report as it arrives,
/// so a token always resolves at once; it is a token all the same, so apps written for
/// back offices that queue reports work here unchanged.
fn token_of(id: i64) -> String {
    format!("t{id}")
}

/// `tokens/{token}.{fmt}`: the id behind a batch service's token.
#[utoipa::path(
    get,
    path = "/open311/v2/tokens/{document}",
    params(("document" = String, Path, description = "`{token}.json` or `.xml`")),
    responses((status = 200, description = "The token and its service_request_id"), (status = 404, description = "No such token"))
)]
async fn get_token(
    State(state): State<FeedbackState>,
    Path(document): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    let (token, answer) = split(&document, &headers)?;
    let id: i64 = token
        .strip_prefix('t')
        .and_then(|id| id.parse().ok())
        .ok_or_else(|| answer.not_found())?;
    state.report(id).await.map_err(|p| answer.refuse(p))?;
    Ok(wire::list(
        StatusCode::OK,
        answer.format,
        &wire::REQUESTS,
        &[wire::ReceiptOut {
            service_request_id: Some(id.to_string()),
            token: Some(token),
            service_notice: None,
            account_id: None,
        }],
    ))
}

/// `requests/{id}.{fmt}`: one report, as a list of one (the spec's shape).
#[utoipa::path(
    get,
    path = "/open311/v2/requests/{document}",
    params(("document" = String, Path, description = "`{service_request_id}.json` or `.xml`")),
    responses((status = 200, description = "The report"), (status = 404, description = "No such report"))
)]
async fn get_request(
    State(state): State<FeedbackState>,
    Path(document): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    let (id, answer) = split(&document, &headers)?;
    let id: i64 = id.parse().map_err(|_| answer.not_found())?;
    let found = state.report(id).await.map_err(|p| answer.refuse(p))?;
    Ok(wire::list(
        StatusCode::OK,
        answer.format,
        &wire::REQUESTS,
        &[request_out(&state, &found)],
    ))
}

/// `POST requests/{id}/updates.{fmt}` (staff): a new status and a note, published in
/// `servicerequestupdates`.
#[utoipa::path(
    post,
    path = "/open311/v2/requests/{id}/{document}",
    params(
        ("id" = i64, Path, description = "The report's service_request_id"),
        ("document" = String, Path, description = "`updates.json` or `updates.xml`"),
    ),
    request_body(content_type = "application/x-www-form-urlencoded", description = "status (open, investigating, action_scheduled, fixed, duplicate, not_responsible, closed), description, media_url"),
    responses(
        (status = 201, description = "The update as published"),
        (status = 403, description = "No valid staff token (Authorization: Bearer …)"),
        (status = 404, description = "No such report"),
    )
)]
async fn post_update(
    State(state): State<FeedbackState>,
    Path((id, document)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Refusal> {
    let (name, answer) = split(&document, &headers)?;
    let id: i64 = match (name.as_str(), id.parse()) {
        ("updates", Ok(id)) => id,
        _ => return Err(answer.not_found()),
    };
    let pairs = report::read_form(&body);
    let stored = state
        .add_update(
            id,
            credentials::bearer(&headers),
            &pairs,
            civic_time::now_unix(),
        )
        .await
        .map_err(|p| answer.refuse(p))?;
    Ok(wire::list(
        StatusCode::CREATED,
        answer.format,
        &wire::UPDATES,
        &[update_out(&state, &stored)],
    ))
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
struct Uploaded {
    media_url: String,
    width: u32,
    height: u32,
}

/// `POST media` (multipart: `api_key`, `media`): a photo for a report; its `media_url` goes
/// in the report's `media_url`.
#[utoipa::path(
    post,
    path = "/open311/v2/media",
    request_body(content_type = "multipart/form-data", description = "`api_key` and the photo as `media` (JPEG or PNG, at most 12 MiB)"),
    responses(
        (status = 201, description = "Stored, re-encoded as JPEG", body = Uploaded),
        (status = 403, description = "Missing or unknown api_key"),
        (status = 413, description = "Too large"),
        (status = 415, description = "Not a JPEG or PNG"),
    )
)]
async fn post_media(
    State(state): State<FeedbackState>,
    client: Option<Extension<Client>>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, Refusal> {
    let answer = Answer::new(Format::Json, &headers);
    state
        .uploads
        .check(client.map(|Extension(Client(key))| key))
        .map_err(|wait| answer.throttled(wait))?;
    let unreadable = || answer.refuse(unreadable_upload());
    let (mut api_key, mut photo) = (None, None);
    while let Some(field) = multipart.next_field().await.map_err(|_| unreadable())? {
        match field.name() {
            Some("api_key") => api_key = Some(field.text().await.map_err(|_| unreadable())?),
            Some("media") => photo = Some(field.bytes().await.map_err(|_| unreadable())?),
            _ => {}
        }
    }
    let (id, width, height) = state
        .store_photo(api_key, photo)
        .await
        .map_err(|p| answer.refuse(p))?;
    let body = Uploaded {
        media_url: format!("{}/open311/v2/media/{id}.jpg", base_url(&headers)),
        width,
        height,
    };
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

/// This gateway's address as the client reached it: https, except on loopback.
fn base_url(headers: &HeaderMap) -> String {
    let host = crate::platform::http::header_text(headers, HOST)
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
        })
        .unwrap_or("localhost");
    let name = host.rsplit_once(':').map_or(host, |(name, port)| {
        if port.bytes().all(|b| b.is_ascii_digit()) {
            name
        } else {
            host
        }
    });
    let loopback = name == "localhost"
        || name
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    format!("{}://{host}", if loopback { "http" } else { "https" })
}

/// `media/{id}.jpg`: a stored photo.
#[utoipa::path(
    get,
    path = "/open311/v2/media/{document}",
    params(("document" = String, Path, description = "`{id}.jpg` as returned by POST media")),
    responses((status = 200, description = "The JPEG", content_type = "image/jpeg"), (status = 404, description = "No such photo"))
)]
async fn get_media(
    State(state): State<FeedbackState>,
    Path(document): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    let answer = Answer::new(Format::Json, &headers);
    let id = document
        .strip_suffix(".jpg")
        .ok_or_else(|| answer.not_found())?;
    let stored = state.photo(id).await.map_err(|p| answer.refuse(p))?;
    let mut response = stored.bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
    // Named by its digest: it never changes.
    headers.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    headers.insert(
        HeaderName::from_static("x-content-type-options"),
        HeaderValue::from_static("nosniff"),
    );
    Ok(response)
}
