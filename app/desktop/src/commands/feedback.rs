//! Residents' reports: the feedback page's calls. Everything but `similar` works offline;
//! sending happens in the sync scheduler, woken when a report is queued.

use civic_core::auth::Vault;
use civic_types::{
    error::ErrorCode,
    feedback::{
        AttachedPhoto, CommuneChoice, FeedbackOverview, PHOTO_PLACE_HEADER, REPORT_HEADER,
        ReportDraft, ReportView, ServiceDefinition, ServiceRequest, SimilarReport,
    },
};

use super::{CommandError, failed, with_civic};
use crate::AppState;

/// Communes offered per search.
const COMMUNE_CHOICES: usize = 8;

#[tauri::command]
pub async fn feedback_overview(app: tauri::AppHandle) -> Result<FeedbackOverview, CommandError> {
    with_civic(app, |civic| {
        civic
            .feedback()
            .overview(civic.report_account(Vault::app()).is_some())
    })
    .await
}

#[tauri::command]
pub async fn feedback_form(
    app: tauri::AppHandle,
    service_code: String,
) -> Result<Option<ServiceDefinition>, CommandError> {
    with_civic(app, move |civic| {
        civic.feedback().outbox().service_definition(&service_code)
    })
    .await
}

#[tauri::command]
pub async fn feedback_report(app: tauri::AppHandle, id: i64) -> Result<ReportView, CommandError> {
    with_civic(app, move |civic| civic.feedback().open_report(id)).await
}

/// Writes a new draft (`id` null), filed under the signed-in account unless `anonymous`,
/// or changes one.
#[tauri::command]
pub async fn feedback_save_draft(
    app: tauri::AppHandle,
    id: Option<i64>,
    draft: ReportDraft,
    anonymous: bool,
) -> Result<i64, CommandError> {
    with_civic(app, move |civic| {
        let signed_in_as = civic.report_account(Vault::app());
        civic
            .feedback()
            .save_draft(id, &draft, signed_in_as, anonymous)
    })
    .await
}

/// A photo for a draft, as the raw body of the call; the draft's number and the resident's
/// consent to reading its place in headers.
#[tauri::command]
pub async fn feedback_attach_photo(
    app: tauri::AppHandle,
    request: tauri::ipc::Request<'_>,
) -> Result<AttachedPhoto, CommandError> {
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(failed(
            ErrorCode::PhotoUnreadable,
            "the photo must be sent as raw bytes",
        ));
    };
    let bytes = bytes.clone();
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let id: i64 = header(REPORT_HEADER)
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| failed(ErrorCode::ReportNotFound, "no report number with the photo"))?;
    let read_place = header(PHOTO_PLACE_HEADER).as_deref() == Some("1");
    with_civic(app, move |civic| {
        civic
            .feedback()
            .outbox()
            .attach_photo(id, &bytes, read_place)
    })
    .await
}

#[tauri::command]
pub async fn feedback_remove_photo(
    app: tauri::AppHandle,
    id: i64,
    position: u32,
) -> Result<bool, CommandError> {
    with_civic(app, move |civic| {
        civic.feedback().outbox().remove_photo(id, position)
    })
    .await
}

#[tauri::command]
pub async fn feedback_queue(app: tauri::AppHandle, id: i64) -> Result<(), CommandError> {
    with_civic(app, move |civic| civic.feedback().queue(id)).await
}

#[tauri::command]
pub async fn feedback_discard(app: tauri::AppHandle, id: i64) -> Result<(), CommandError> {
    with_civic(app, move |civic| civic.feedback().outbox().discard(id)).await
}

#[tauri::command]
pub async fn feedback_retry(app: tauri::AppHandle) -> Result<usize, CommandError> {
    with_civic(app, |civic| civic.feedback().retry()).await
}

#[tauri::command]
pub async fn feedback_similar(
    app: tauri::AppHandle,
    service_code: String,
    lat: f64,
    lon: f64,
) -> Result<Vec<SimilarReport>, CommandError> {
    with_civic(app, move |civic| {
        civic.feedback().similar(&service_code, lat, lon)
    })
    .await
}

#[tauri::command]
pub async fn feedback_follow(
    app: tauri::AppHandle,
    request: ServiceRequest,
    draft: Option<i64>,
) -> Result<i64, CommandError> {
    with_civic(app, move |civic| civic.feedback().follow(&request, draft)).await
}

#[tauri::command]
pub fn feedback_communes(state: tauri::State<'_, AppState>, query: String) -> Vec<CommuneChoice> {
    state.civic.feedback().communes(&query, COMMUNE_CHOICES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use civic_types::feedback::commands;

    super::super::assert_command_names! {
        feedback_overview = commands::OVERVIEW,
        feedback_form = commands::FORM,
        feedback_report = commands::REPORT,
        feedback_save_draft = commands::SAVE_DRAFT,
        feedback_attach_photo = commands::ATTACH_PHOTO,
        feedback_remove_photo = commands::REMOVE_PHOTO,
        feedback_queue = commands::QUEUE,
        feedback_discard = commands::DISCARD,
        feedback_retry = commands::RETRY,
        feedback_similar = commands::SIMILAR,
        feedback_follow = commands::FOLLOW,
        feedback_communes = commands::COMMUNES,
    }
}
