//! The feedback page's calls to the host.

use civic_types::feedback::{
    AttachedPhoto, CommuneChoice, FeedbackOverview, PHOTO_PLACE_HEADER, REPORT_HEADER, ReportDraft,
    ReportView, ServiceDefinition, ServiceRequest, SimilarReport, commands,
};
use serde::Serialize;

use crate::ipc::{IpcError, NoArgs, invoke, invoke_raw};

#[derive(Serialize)]
struct Id {
    id: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ServiceCode<'a> {
    service_code: &'a str,
}

#[derive(Serialize)]
struct SaveArgs<'a> {
    id: Option<i64>,
    draft: &'a ReportDraft,
    anonymous: bool,
}

#[derive(Serialize)]
struct PhotoAt {
    id: i64,
    position: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Near<'a> {
    service_code: &'a str,
    lat: f64,
    lon: f64,
}

#[derive(Serialize)]
struct Follow<'a> {
    request: &'a ServiceRequest,
    draft: Option<i64>,
}

#[derive(Serialize)]
struct Query<'a> {
    query: &'a str,
}

pub async fn overview() -> Result<FeedbackOverview, IpcError> {
    invoke(commands::OVERVIEW, &NoArgs {}).await
}

pub async fn form(service_code: &str) -> Result<Option<ServiceDefinition>, IpcError> {
    invoke(commands::FORM, &ServiceCode { service_code }).await
}

pub async fn report(id: i64) -> Result<ReportView, IpcError> {
    invoke(commands::REPORT, &Id { id }).await
}

/// Writes the draft (a new one when `id` is `None`); its number.
pub async fn save(id: Option<i64>, draft: &ReportDraft, anonymous: bool) -> Result<i64, IpcError> {
    invoke(
        commands::SAVE_DRAFT,
        &SaveArgs {
            id,
            draft,
            anonymous,
        },
    )
    .await
}

pub async fn attach_photo(
    id: i64,
    photo: &[u8],
    read_place: bool,
) -> Result<AttachedPhoto, IpcError> {
    let id = id.to_string();
    let consent = if read_place { "1" } else { "0" };
    invoke_raw(
        commands::ATTACH_PHOTO,
        photo,
        &[(REPORT_HEADER, &id), (PHOTO_PLACE_HEADER, consent)],
    )
    .await
}

pub async fn remove_photo(id: i64, position: u32) -> Result<bool, IpcError> {
    invoke(commands::REMOVE_PHOTO, &PhotoAt { id, position }).await
}

pub async fn queue(id: i64) -> Result<(), IpcError> {
    invoke(commands::QUEUE, &Id { id }).await
}

pub async fn discard(id: i64) -> Result<(), IpcError> {
    invoke(commands::DISCARD, &Id { id }).await
}

pub async fn retry() -> Result<usize, IpcError> {
    invoke(commands::RETRY, &NoArgs {}).await
}

pub async fn similar(
    service_code: &str,
    lat: f64,
    lon: f64,
) -> Result<Vec<SimilarReport>, IpcError> {
    invoke(
        commands::SIMILAR,
        &Near {
            service_code,
            lat,
            lon,
        },
    )
    .await
}

/// Follows `request` instead of sending the draft `draft`.
pub async fn follow(request: &ServiceRequest, draft: Option<i64>) -> Result<i64, IpcError> {
    invoke(commands::FOLLOW, &Follow { request, draft }).await
}

pub async fn communes(query: &str) -> Result<Vec<CommuneChoice>, IpcError> {
    invoke(commands::COMMUNES, &Query { query }).await
}
