//! Tauri commands, one module per feature. Names must match the feature's
//! `civic_types::<feature>::commands` (each module checks its own). Each command
//! deserializes, calls the core, serializes.

pub mod auth;
pub mod bus;
pub mod catalog;
pub mod feedback;
pub mod parking;
pub mod qr;
pub mod status;
pub mod sync;

use civic_types::error::{Coded, ErrorCode, Failure};
use tauri::Manager;

use crate::AppState;

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

/// Runs `f` on the core off the async runtime (photos are decoded, the network asked), its
/// failure sent as its code: every feature's flows are called this way.
async fn with_civic<T: Send + 'static, E: Coded>(
    app: tauri::AppHandle,
    f: impl FnOnce(&civic_core::Civic) -> Result<T, E> + Send + 'static,
) -> Result<T, CommandError> {
    blocking(move || f(&app.state::<AppState>().civic).map_err(|e| failed(e.code(), e))).await
}

/// In each feature's module: its functions carry the names the UI invokes.
#[cfg(test)]
macro_rules! assert_command_names {
    ($($function:ident = $name:path),+ $(,)?) => {
        #[test]
        fn command_names_match_the_shared_constants() {
            // `stringify!` of the function itself: renaming one breaks the build here.
            $(
                let _ = $function;
                assert_eq!(stringify!($function), $name);
            )+
        }
    };
}
#[cfg(test)]
pub(crate) use assert_command_names;
