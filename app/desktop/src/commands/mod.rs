//! Tauri commands, one module per feature. Names must match `civic_types::commands`
//! (checked by a test below). Each command deserializes, calls the core, serializes.

pub mod auth;
pub mod catalog;
pub mod qr;
pub mod status;
pub mod sync;

use civic_types::{ErrorCode, Failure};

/// What the UI receives when a command fails: a code it translates, and the core's detail
/// for the log.
pub type CommandError = Failure;

/// A command's failure, logged with its detail, sent as its code.
pub fn failed(code: ErrorCode, error: impl std::fmt::Display) -> CommandError {
    tracing::warn!(?code, %error, "command failed");
    Failure::new(code, error)
}

/// Runs `f` off the async runtime: decoding images and drawing boards take tens of ms.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, CommandError> + Send + 'static,
) -> Result<T, CommandError> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| failed(ErrorCode::Internal, e))?
}

#[cfg(test)]
mod tests {
    use civic_types::commands;

    #[test]
    fn command_names_match_the_shared_constants() {
        use super::{auth, catalog, qr, status, sync};
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
            catalog::search_procedures,
            catalog::get_procedure,
            catalog::catalog_facets,
            status::app_status,
            sync::sync_now,
            qr::scan_image,
            qr::make_board,
            auth::session_state,
            auth::sign_in,
            auth::sign_out,
        );
    }
}
