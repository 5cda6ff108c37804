use civic_core::qr::{BoardSigner, ImageSource};
use civic_types::{BoardRequest, BoardResult, ErrorCode, ScanReport, ScanRequest};
use tauri::Manager;

use super::{CommandError, blocking, failed};
use crate::AppState;

/// Reads the QR codes in a photo, a dropped file or a camera frame and resolves each offline.
#[tauri::command]
pub async fn scan_image(
    app: tauri::AppHandle,
    request: ScanRequest,
) -> Result<ScanReport, CommandError> {
    use base64::Engine;
    blocking(move || {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(request.image_base64.as_bytes())
            .map_err(|e| failed(ErrorCode::ImageUnreadable, e))?;
        let source = if request.camera_frame {
            ImageSource::CameraFrame
        } else {
            ImageSource::Photo
        };
        app.state::<AppState>()
            .civic
            .scan(&bytes, source)
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
