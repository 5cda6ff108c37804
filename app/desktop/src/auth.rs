//! Sign-in through the system browser (Tauri's opener plugin, RFC 8252). The browser comes
//! back to a loopback listener on desktop (§7.3), and on mobile to the app's private-use
//! scheme (§7.1), which the OS hands over as a deep link. The session is kept by `civic-core`
//! in the OS keyring; the UI only ever sees [`SessionState`], never a token.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use civic_core::auth::{
    Auth, AuthError, LoopbackRedirect, MOBILE_REDIRECT_URI, MOBILE_SIGNED_OUT_URI, PendingLogin,
    SIGN_IN_TIMEOUT, Vault, answers_at, unix_now,
};
use civic_types::auth::{Account, SessionState, SignInStarted, events};
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_opener::OpenerExt;
use url::Url;

use crate::AppState;

/// How often the host looks whether the session needs renewing (it renews a minute early).
const RENEW_CHECK: Duration = Duration::from_secs(30);

/// The sign-in waiting for the browser, if any: a new one cancels it.
#[derive(Debug, Default)]
pub struct Pending {
    cancel: Mutex<Option<Arc<AtomicBool>>>,
    /// On mobile: the sign-in the app's callback link will complete.
    awaiting_link: Mutex<Option<PendingLogin>>,
}

impl Pending {
    /// The waiting sign-in and the link that answers it, taken once; links for anything
    /// else (the signed-out page, a future procedure link) leave it waiting.
    fn take_for(&self, links: &[Url]) -> Option<(PendingLogin, Url)> {
        let mut awaiting = self
            .awaiting_link
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let link = links
            .iter()
            .find(|link| awaiting.as_ref().is_some_and(|p| answers_at(p, link)))?;
        awaiting.take().map(|pending| (pending, link.clone()))
    }
}

/// Sign-in for the city last synced; `NotConfigured` if its profile names no provider.
pub fn open(app: &AppHandle) -> Result<Auth, AuthError> {
    app.state::<AppState>().civic.auth(Vault::app())
}

/// The header's state, without the network.
pub fn state(app: &AppHandle) -> Result<SessionState, AuthError> {
    let auth = match open(app) {
        Err(AuthError::NotConfigured) => return Ok(SessionState::Unavailable),
        opened => opened?,
    };
    match auth.state() {
        // Nobody is signed in where nothing can keep a session: the header still offers to
        // sign in, and trying says why it cannot (`begin` checks the keyring first).
        Err(AuthError::KeyringUnavailable(why)) => {
            tracing::warn!("no keyring for the session: {why}");
            Ok(SessionState::SignedOut)
        }
        other => other,
    }
}

/// Opens the provider's page in the system browser and returns; the result arrives later as
/// a `session` event (or `sign-in-failed`).
pub fn sign_in(app: &AppHandle) -> Result<SignInStarted, AuthError> {
    let auth = open(app)?;
    let listener = if cfg!(mobile) {
        None
    } else {
        Some(LoopbackRedirect::bind()?)
    };
    let redirect_uri = listener
        .as_ref()
        .map_or(MOBILE_REDIRECT_URI, LoopbackRedirect::redirect_uri);
    let pending = auth.begin(redirect_uri, unix_now())?;
    let waiting = &app.state::<AppState>().sign_in;
    let cancel = Arc::new(AtomicBool::new(false));
    if let Some(earlier) = waiting
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
    let Some(listener) = listener else {
        *waiting
            .awaiting_link
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(pending);
        return Ok(started);
    };
    let app = app.clone();
    std::thread::spawn(move || {
        let result = listener
            .wait(SIGN_IN_TIMEOUT, &|| cancel.load(Ordering::Relaxed))
            .and_then(|callback| auth.complete(&pending, &callback, unix_now()));
        if !cancel.load(Ordering::Relaxed) {
            report(&app, result);
        }
        // Otherwise a newer sign-in took over.
    });
    Ok(started)
}

/// Links that opened the app (mobile deep links): the waiting sign-in's answer completes it.
pub fn links_opened(app: &AppHandle, links: &[Url]) {
    let Some((pending, link)) = app.state::<AppState>().sign_in.take_for(links) else {
        return;
    };
    let app = app.clone();
    // The code exchange goes to the network: off the thread that delivered the link.
    std::thread::spawn(move || {
        let result = open(&app).and_then(|auth| auth.complete(&pending, link.as_str(), unix_now()));
        report(&app, result);
    });
}

fn report(app: &AppHandle, result: Result<Account, AuthError>) {
    match result {
        Ok(account) => emit_state(app, SessionState::SignedIn { account }),
        Err(error) => {
            tracing::warn!("sign-in failed: {error}");
            let _ = app.emit(
                events::SIGN_IN_FAILED,
                crate::commands::auth::auth_error(&error),
            );
        }
    }
}

/// Forgets the session here, revokes it at the provider, and opens the provider's logout
/// page so the browser's session there ends too.
pub fn sign_out(app: &AppHandle) -> Result<SessionState, AuthError> {
    let auth = open(app)?;
    // On desktop the provider shows its own signed-out page; on mobile it sends the browser
    // back to the app.
    let back_to_app = cfg!(mobile).then_some(MOBILE_SIGNED_OUT_URI);
    if let Some(page) = auth.sign_out(back_to_app, unix_now())?
        && let Err(e) = app.opener().open_url(&page, None::<&str>)
    {
        tracing::warn!("cannot open the provider's logout page: {e}");
    }
    let state = SessionState::SignedOut;
    emit_state(app, state.clone());
    Ok(state)
}

fn emit_state(app: &AppHandle, state: SessionState) {
    follow_account(app);
    let _ = app.emit(events::SESSION, state);
}

/// The signed-in resident's reports from other devices are fetched while they stay signed in.
pub fn follow_account(app: &AppHandle) {
    let civic = &app.state::<AppState>().civic;
    civic
        .feedback()
        .set_account(civic.report_account(Vault::app()));
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn login(redirect_uri: &str) -> PendingLogin {
        PendingLogin {
            authorization_url: "https://id.example/auth".into(),
            redirect_uri: redirect_uri.into(),
            issuer: "https://id.example".into(),
            client_id: "civic-app".into(),
            state: "s".into(),
            nonce: "n".into(),
            pkce_verifier: "v".into(),
        }
    }

    fn links(texts: &[&str]) -> Vec<Url> {
        texts.iter().map(|t| Url::parse(t).unwrap()).collect()
    }

    #[test]
    fn the_callback_link_completes_the_waiting_sign_in_once() {
        let waiting = Pending::default();
        let callback = format!("{MOBILE_REDIRECT_URI}?code=c&state=s");
        assert!(
            waiting.take_for(&links(&[&callback])).is_none(),
            "nothing waits yet"
        );

        *waiting.awaiting_link.lock().unwrap() = Some(login(MOBILE_REDIRECT_URI));
        let unrelated = links(&[MOBILE_SIGNED_OUT_URI, "vn.civic.app:/procedures/1.001193"]);
        assert!(waiting.take_for(&unrelated).is_none());

        let (pending, link) = waiting
            .take_for(&links(&[MOBILE_SIGNED_OUT_URI, &callback]))
            .unwrap();
        assert_eq!(pending.redirect_uri, MOBILE_REDIRECT_URI);
        assert_eq!(link.as_str(), callback);
        assert!(
            waiting.take_for(&links(&[&callback])).is_none(),
            "a replayed link finds nothing waiting"
        );
    }

    /// The scheme the core redirects to must be the one the mobile builds register
    /// (AndroidManifest intent filter, iOS `CFBundleURLTypes`, both generated from this).
    #[test]
    fn the_app_registers_the_scheme_the_sign_in_returns_to() {
        let config: serde_json::Value =
            serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
        let deep_link = &config["plugins"]["deep-link"];
        let schemes: Vec<&str> = deep_link["mobile"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|domain| domain["scheme"].as_array().unwrap())
            .filter_map(serde_json::Value::as_str)
            .collect();
        for uri in [MOBILE_REDIRECT_URI, MOBILE_SIGNED_OUT_URI] {
            let scheme = Url::parse(uri).unwrap().scheme().to_owned();
            assert!(
                schemes.contains(&scheme.as_str()),
                "{scheme} in {schemes:?}"
            );
        }
        // Desktop answers on loopback (RFC 8252 §7.3): on Linux and Windows any program can
        // claim a scheme, and only the app itself can listen on the port it chose.
        assert!(deep_link.get("desktop").is_none());
    }
}
