use civic_core::qr::{BoardSigner, ImageSource};
use civic_types::{
    error::ErrorCode,
    qr::{BoardRequest, BoardResult, CAMERA_FRAME, IMAGE_SOURCE_HEADER, ScanReport},
};
use tauri::Manager;

use super::{CommandError, blocking, failed};
use crate::AppState;

/// Reads the QR codes in a photo, a dropped file or a camera frame and resolves each offline.
/// The image arrives as the raw body of the call, its source in a header.
#[tauri::command]
pub async fn scan_image(
    app: tauri::AppHandle,
    request: tauri::ipc::Request<'_>,
) -> Result<ScanReport, CommandError> {
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(failed(
            ErrorCode::ImageUnreadable,
            "the image must be sent as raw bytes",
        ));
    };
    let bytes = bytes.clone();
    let camera = request
        .headers()
        .get(IMAGE_SOURCE_HEADER)
        .is_some_and(|v| v.as_bytes() == CAMERA_FRAME.as_bytes());
    let source = if camera {
        ImageSource::CameraFrame
    } else {
        ImageSource::Photo
    };
    blocking(move || {
        app.state::<AppState>()
            .civic
            .scan(&bytes, source)
            .map_err(|e| failed(e.code(), e))
    })
    .await
}

/// Resolves the texts of codes the phone's own scanner read (the barcode-scanner plugin on
/// Android and iOS), as a scanned image's codes are resolved.
#[tauri::command]
pub async fn resolve_scanned(
    app: tauri::AppHandle,
    texts: Vec<String>,
) -> Result<ScanReport, CommandError> {
    blocking(move || {
        app.state::<AppState>()
            .civic
            .resolve_scanned(&texts)
            .map_err(|e| failed(e.code(), e))
    })
    .await
}

/// Makes an A4 board (PDF and SVG) in the Downloads folder (the app data folder where the
/// system has none), signed when this device holds a board signing key.
#[tauri::command]
pub async fn make_board(
    app: tauri::AppHandle,
    request: BoardRequest,
) -> Result<BoardResult, CommandError> {
    blocking(move || {
        let civic = &app.state::<AppState>().civic;
        let key = civic.signing_key();
        let signer = if key.exists() {
            Some(BoardSigner::read(&key).map_err(|e| failed(e.code(), e))?)
        } else {
            None
        };
        let board = civic
            .board(&request.title, &request.codes, signer.as_ref(), None)
            .map_err(|e| failed(e.code(), e))?;
        let dir = app
            .path()
            .download_dir()
            .or_else(|_| app.path().app_data_dir())
            .map_err(|e| failed(ErrorCode::SaveFailed, e))?;
        let stem = format!("bang-ma-qr-{}", civic.today());
        let saved =
            civic_core::boards::save_pair(&board, &dir, &stem).map_err(|e| failed(e.code(), e))?;
        Ok(BoardResult {
            svg: saved.svg,
            pdf_path: saved.pdf_path.display().to_string(),
            svg_path: saved.svg_path.display().to_string(),
            signed: board.signed,
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    super::super::assert_command_names! {
        scan_image = civic_types::qr::commands::SCAN_IMAGE,
        make_board = civic_types::qr::commands::MAKE_BOARD,
        resolve_scanned = civic_types::qr::commands::RESOLVE_SCANNED,
    }
}
