//! Sign-in from the desktop: the system browser (Tauri's opener plugin) and a loopback
//! listener (RFC 8252), the session kept by `civic-core` in the OS keyring. The UI only ever
//! sees [`SessionState`]: never a token.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use civic_core::auth::{Auth, AuthError, LoopbackRedirect, SIGN_IN_TIMEOUT, Vault, unix_now};
use civic_types::{SessionState, SignInStarted, events};
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_opener::OpenerExt;

use crate::AppState;

/// How often the host looks whether the session needs renewing (it renews a minute early).
const RENEW_CHECK: Duration = Duration::from_secs(30);

/// The sign-in waiting for the browser, if any: a new one cancels it.
#[derive(Debug, Default)]
pub struct Pending {
    cancel: Mutex<Option<Arc<AtomicBool>>>,
}

/// Sign-in for the city last synced; `NotConfigured` if its profile names no provider.
pub fn open(app: &AppHandle) -> Result<Auth, AuthError> {
    let state = app.state::<AppState>();
    let city = state
        .catalog
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .city()
        .map_err(|e| AuthError::Protocol(e.to_string()))?;
    Auth::for_city(city.as_ref(), &state.data_dir, Vault::app())
}

/// The header's state, without the network.
pub fn state(app: &AppHandle) -> Result<SessionState, AuthError> {
    match open(app) {
        Err(AuthError::NotConfigured) => Ok(SessionState::Unavailable),
        Err(e) => Err(e),
        Ok(auth) => auth.state(),
    }
}

/// Opens the provider's page in the system browser and returns; the result arrives later as
/// a `session` event (or `sign-in-failed`).
pub fn sign_in(app: &AppHandle) -> Result<SignInStarted, AuthError> {
    let auth = open(app)?;
    let listener = LoopbackRedirect::bind()?;
    let pending = auth.begin(listener.redirect_uri(), unix_now())?;
    let cancel = Arc::new(AtomicBool::new(false));
    if let Some(earlier) = app
        .state::<AppState>()
        .sign_in
        .cancel
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .replace(cancel.clone())
    {
        earlier.store(true, Ordering::Relaxed);
    }
    let browser_opened = match app
        .opener()
        .open_url(&pending.authorization_url, None::<&str>)
    {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!("cannot open the system browser: {e}");
            false
        }
    };
    let started = SignInStarted {
        authorization_url: pending.authorization_url.clone(),
        browser_opened,
    };
    let app = app.clone();
    std::thread::spawn(move || {
        let result = listener
            .wait(SIGN_IN_TIMEOUT, &|| cancel.load(Ordering::Relaxed))
            .and_then(|callback| auth.complete(&pending, &callback, unix_now()));
        if cancel.load(Ordering::Relaxed) {
            return; // a newer sign-in took over
        }
        match result {
            Ok(account) => emit_state(&app, SessionState::SignedIn { account }),
            Err(error) => {
                tracing::warn!("sign-in failed: {error}");
                let _ = app.emit(events::SIGN_IN_FAILED, crate::commands::auth_error(&error));
            }
        }
    });
    Ok(started)
}

/// Forgets the session here, revokes it at the provider, and opens the provider's logout
/// page so the browser's session there ends too.
pub fn sign_out(app: &AppHandle) -> Result<SessionState, AuthError> {
    let auth = open(app)?;
    if let Some(page) = auth.sign_out(None, unix_now())?
        && let Err(e) = app.opener().open_url(&page, None::<&str>)
    {
        tracing::warn!("cannot open the provider's logout page: {e}");
    }
    let state = SessionState::SignedOut;
    emit_state(app, state.clone());
    Ok(state)
}

fn emit_state(app: &AppHandle, state: SessionState) {
    let _ = app.emit(events::SESSION, state);
}

/// Renews the access a minute before it expires, for as long as the app runs; an ended
/// session becomes `Expired` in the header (a sign-in prompt; the page in use stays as it is).
pub fn start_renewal(app: AppHandle) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(RENEW_CHECK);
            let Ok(auth) = open(&app) else { continue };
            let Ok(Some(session)) = auth.session() else {
                continue;
            };
            if !session.needs_renewal(unix_now()) {
                continue;
            }
            match auth.current(unix_now()) {
                Ok(account) => emit_state(&app, SessionState::SignedIn { account }),
                Err(AuthError::SessionExpired) => emit_state(&app, SessionState::Expired),
                // Offline: try again at the next check; the header keeps showing the person.
                Err(error) => tracing::info!("session not renewed yet: {error}"),
            }
        }
    });
}
