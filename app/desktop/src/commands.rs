//! Tauri commands. Names must match `civic_types::commands` (checked by a test below).

use civic_types::{
    AppStatus, BoardRequest, BoardResult, Facets, Feature, Procedure, ScanReport, ScanRequest,
    SearchRequest, SearchResults, SessionState, SignInStarted, SyncReport,
};
use serde::Serialize;
use tauri::{Manager, State};

use crate::AppState;

/// What the UI receives when a command fails: a stable code and a message for people.
#[derive(Debug, Clone, Serialize)]
pub struct CommandError {
    code: &'static str,
    message: String,
}

impl From<civic_core::CatalogError> for CommandError {
    fn from(error: civic_core::CatalogError) -> Self {
        tracing::error!(%error, "catalog command failed");
        CommandError {
            code: "catalog",
            message: error.to_string(),
        }
    }
}

fn with_catalog<T>(
    state: &State<'_, AppState>,
    f: impl FnOnce(&civic_core::CatalogStore) -> Result<T, civic_core::CatalogError>,
) -> Result<T, CommandError> {
    // A panic while holding the lock cannot leave the store half-written: writes are transactions.
    let store = state
        .catalog
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    Ok(f(&store)?)
}

#[tauri::command]
pub fn search_procedures(
    state: State<'_, AppState>,
    request: SearchRequest,
) -> Result<SearchResults, CommandError> {
    with_catalog(&state, |store| store.search(&request))
}

#[tauri::command]
pub fn get_procedure(
    state: State<'_, AppState>,
    code: String,
) -> Result<Option<Procedure>, CommandError> {
    with_catalog(&state, |store| store.get(&code))
}

#[tauri::command]
pub fn catalog_facets(state: State<'_, AppState>) -> Result<Facets, CommandError> {
    with_catalog(&state, |store| store.facets())
}

/// Features this build has pages for.
const SUPPORTED: &[Feature] = &[Feature::Procedures];

#[tauri::command]
pub fn app_status(state: State<'_, AppState>) -> Result<AppStatus, CommandError> {
    let catalog = with_catalog(&state, |store| store.status())?;
    // The city decides which of the features this build supports it offers.
    let offered = with_catalog(&state, |store| store.city())?.map(|c| c.features);
    let features = SUPPORTED
        .iter()
        .copied()
        .filter(|f| offered.as_ref().is_none_or(|o| o.contains(f)))
        .collect();
    Ok(AppStatus {
        catalog,
        notices: state.notices.clone(),
        features,
        sync: crate::sync::status(&state)?,
    })
}

/// Syncs with the gateway now; progress arrives as `sync-status` events.
#[tauri::command]
pub async fn sync_now(app: tauri::AppHandle) -> Result<Option<SyncReport>, CommandError> {
    let result = tauri::async_runtime::spawn_blocking(move || crate::sync::sync_once(&app))
        .await
        .map_err(|e| CommandError {
            code: "sync",
            message: e.to_string(),
        })?;
    result.transpose().map_err(|error| CommandError {
        code: if error.is_offline() {
            "offline"
        } else {
            "sync"
        },
        message: error.to_string(),
    })
}

/// Sign-in errors keep a code the UI can act on (`signed-out`, `expired`, `offline`).
pub fn auth_error(error: &civic_core::auth::AuthError) -> CommandError {
    use civic_core::auth::AuthError;
    let code = match error {
        AuthError::NotConfigured => "auth-unavailable",
        AuthError::SignedOut => "signed-out",
        AuthError::SessionExpired => "expired",
        AuthError::Offline(_) => "offline",
        AuthError::Timeout => "timeout",
        AuthError::KeyringUnavailable(_) | AuthError::Keyring(_) => "keyring",
        _ => "auth",
    };
    CommandError::new(code, error)
}

#[tauri::command]
pub async fn session_state(app: tauri::AppHandle) -> Result<SessionState, CommandError> {
    blocking(move || crate::auth::state(&app).map_err(|e| auth_error(&e))).await
}

#[tauri::command]
pub async fn sign_in(app: tauri::AppHandle) -> Result<SignInStarted, CommandError> {
    blocking(move || crate::auth::sign_in(&app).map_err(|e| auth_error(&e))).await
}

#[tauri::command]
pub async fn sign_out(app: tauri::AppHandle) -> Result<SessionState, CommandError> {
    blocking(move || crate::auth::sign_out(&app).map_err(|e| auth_error(&e))).await
}

impl CommandError {
    fn new(code: &'static str, error: impl std::fmt::Display) -> Self {
        CommandError {
            code,
            message: error.to_string(),
        }
    }
}

/// Runs `f` off the async runtime: decoding images and drawing boards take tens of ms.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, CommandError> + Send + 'static,
) -> Result<T, CommandError> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| CommandError::new("internal", e))?
}

/// Reads the QR codes in a photo, a dropped file or a camera frame and resolves each offline.
/// The image is decoded without holding the catalog lock, so search never waits on it.
#[tauri::command]
pub async fn scan_image(
    app: tauri::AppHandle,
    request: ScanRequest,
) -> Result<ScanReport, CommandError> {
    use base64::Engine;
    blocking(move || {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(request.image_base64.as_bytes())
            .map_err(|e| CommandError::new("image", e))?;
        let decode = if request.camera_frame {
            civic_core::qr::decode_camera_image
        } else {
            civic_core::qr::decode_image
        };
        let texts = decode(&bytes).map_err(|e| CommandError::new("image", e))?;
        let state = app.state::<AppState>();
        with_catalog(&state, |store| {
            let trust = civic_core::qr::Trust::for_store(store)?;
            let codes = texts
                .iter()
                .map(|text| civic_core::qr::resolve(text, store, &trust))
                .collect::<Result<_, _>>()?;
            Ok(ScanReport { codes })
        })
    })
    .await
}

/// Makes an A4 board (PDF and SVG) in the Downloads folder, signed when this device holds
/// a board signing key.
#[tauri::command]
pub async fn make_board(
    app: tauri::AppHandle,
    request: BoardRequest,
) -> Result<BoardResult, CommandError> {
    blocking(move || {
        let state = app.state::<AppState>();
        let signer = if state.signing_key.exists() {
            Some(
                civic_core::qr::BoardSigner::read(&state.signing_key)
                    .map_err(|e| CommandError::new("key", e))?,
            )
        } else {
            None
        };
        let issued = civic_core::time::iso_date(civic_core::time::now_unix());
        let board = with_catalog(&state, |store| {
            Ok(civic_core::qr::Board::new(
                &request.title,
                &request.codes,
                store,
                signer.as_ref(),
                &issued,
            ))
        })?
        .map_err(|e| CommandError::new("board", e))?;
        let svg = board.svg().map_err(|e| CommandError::new("board", e))?;
        let pdf = board.pdf().map_err(|e| CommandError::new("board", e))?;
        let dir = app
            .path()
            .download_dir()
            .or_else(|_| app.path().app_data_dir())
            .map_err(|e| CommandError::new("save", e))?;
        let (pdf_path, svg_path) = free_names(&dir, &format!("bang-ma-qr-{issued}"));
        let save = |path: &std::path::Path, bytes: &[u8]| {
            std::fs::create_dir_all(&dir)
                .and_then(|()| std::fs::write(path, bytes))
                .map_err(|e| CommandError::new("save", format!("{}: {e}", path.display())))
        };
        save(&pdf_path, &pdf)?;
        save(&svg_path, svg.as_bytes())?;
        Ok(BoardResult {
            svg,
            pdf_path: pdf_path.display().to_string(),
            svg_path: svg_path.display().to_string(),
            signed: board.signed,
        })
    })
    .await
}

/// `stem.pdf`/`stem.svg`, or `stem-2.*` … so an earlier board is never overwritten.
fn free_names(dir: &std::path::Path, stem: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    (1..)
        .map(|n| {
            if n == 1 {
                stem.to_owned()
            } else {
                format!("{stem}-{n}")
            }
        })
        .map(|name| {
            (
                dir.join(format!("{name}.pdf")),
                dir.join(format!("{name}.svg")),
            )
        })
        .find(|(pdf, svg)| !pdf.exists() && !svg.exists())
        .unwrap_or_else(|| {
            (
                dir.join(format!("{stem}.pdf")),
                dir.join(format!("{stem}.svg")),
            )
        })
}

#[cfg(test)]
mod tests {
    use civic_types::commands;

    #[test]
    fn command_names_match_the_shared_constants() {
        assert_eq!(stringify!(search_procedures), commands::SEARCH);
        assert_eq!(stringify!(get_procedure), commands::PROCEDURE);
        assert_eq!(stringify!(catalog_facets), commands::FACETS);
        assert_eq!(stringify!(app_status), commands::STATUS);
        assert_eq!(stringify!(sync_now), commands::SYNC_NOW);
        assert_eq!(stringify!(scan_image), commands::SCAN_IMAGE);
        assert_eq!(stringify!(make_board), commands::MAKE_BOARD);
        assert_eq!(stringify!(session_state), commands::SESSION);
        assert_eq!(stringify!(sign_in), commands::SIGN_IN);
        assert_eq!(stringify!(sign_out), commands::SIGN_OUT);
        // The names above are the functions' own: renaming one breaks this line's build.
        let _ = (
            super::search_procedures,
            super::get_procedure,
            super::catalog_facets,
            super::app_status,
            super::sync_now,
            super::scan_image,
            super::make_board,
            super::session_state,
            super::sign_in,
            super::sign_out,
        );
    }
}
