use civic_core::auth::AuthError;
use civic_types::auth::{SessionState, SignInStarted};

use super::{CommandError, blocking, failed};

pub fn auth_error(error: &AuthError) -> CommandError {
    failed(error.code(), error)
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

#[cfg(test)]
mod tests {
    use super::*;

    super::super::assert_command_names! {
        session_state = civic_types::auth::commands::SESSION,
        sign_in = civic_types::auth::commands::SIGN_IN,
        sign_out = civic_types::auth::commands::SIGN_OUT,
    }
}
