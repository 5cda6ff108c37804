//! `civic-auth`: signing in with the national eID: OpenID Connect (authorization code + PKCE) through the
//! `openidconnect` crate, tokens only in the OS keyring.
//!
//! IO: the identity provider over HTTP (`http.rs`), the keyring (`vault.rs`), a loopback
//! listener (`loopback.rs`), and the provider's public metadata cached in the data directory
//! (`provider.rs`). Nothing here writes a token anywhere but the keyring, or puts one in an
//! error or a log line.

mod error;
pub mod flow;
mod http;
mod loopback;
pub mod provider;
pub mod session;
mod vault;

use std::path::{Path, PathBuf};
use std::time::Duration;

use civic_types::auth::{Account, AuthConfig, SessionState};
use openidconnect::core::CoreIdToken;
use openidconnect::{
    ClientId, CsrfToken, LogoutRequest, Nonce, OAuth2TokenResponse, PostLogoutRedirectUrl,
    RefreshToken, RevocationUrl,
};

pub use error::{AuthError, IdTokenProblem};
pub use flow::{MOBILE_REDIRECT_URI, MOBILE_SIGNED_OUT_URI, PendingLogin, answers_at};
pub use http::HttpClient;
pub use loopback::LoopbackRedirect;
pub use provider::validate_issuer;
pub use session::{Session, mask_citizen_id};
pub use vault::{SERVICE as KEYRING_SERVICE, Vault};

/// How long the CLI and the desktop wait for the browser to come back.
pub const SIGN_IN_TIMEOUT: Duration = Duration::from_secs(300);

/// One city's identity provider, this device's keyring, and the cache directory.
#[derive(Debug)]
pub struct Auth {
    config: AuthConfig,
    cache_dir: PathBuf,
    vault: Vault,
    http: HttpClient,
}

impl Auth {
    pub fn new(config: AuthConfig, data_dir: &Path, vault: Vault) -> Result<Self, AuthError> {
        validate_issuer(&config.issuer)?;
        Ok(Self {
            config,
            cache_dir: data_dir.to_path_buf(),
            vault,
            http: HttpClient::default(),
        })
    }

    /// The sign-in the synced city profile names; `NotConfigured` when it names none (or no
    /// profile has been synced yet).
    pub fn for_city(
        city: Option<&civic_types::city::CityProfile>,
        data_dir: &Path,
        vault: Vault,
    ) -> Result<Self, AuthError> {
        let config = city
            .and_then(|c| c.auth.clone())
            .ok_or(AuthError::NotConfigured)?;
        Self::new(config, data_dir, vault)
    }

    pub fn config(&self) -> &AuthConfig {
        &self.config
    }

    /// The keyring entry name: one session per provider and client.
    fn vault_key(&self) -> String {
        format!("{} {}", self.config.issuer, self.config.client_id)
    }

    fn client(&self, now: i64, force: bool) -> Result<provider::Client, AuthError> {
        Ok(
            provider::discover(&self.config.issuer, &self.cache_dir, &self.http, now, force)?
                .client(&self.config.client_id),
        )
    }

    /// Starts a sign-in answering at `redirect_uri` (the loopback listener's, or
    /// [`MOBILE_REDIRECT_URI`]).
    ///
    /// Fails with `KeyringUnavailable` first when there is nowhere to keep the session, so
    /// nobody logs in at the provider only to be told so afterwards.
    pub fn begin(&self, redirect_uri: &str, now: i64) -> Result<PendingLogin, AuthError> {
        self.session()?;
        flow::begin(
            &self.client(now, false)?,
            &self.config.issuer,
            &self.config.client_id,
            &self.config.scopes,
            redirect_uri,
        )
    }

    /// Checks the browser's return to `callback`, exchanges the code, verifies the ID token,
    /// and keeps the session in the keyring. Nothing is stored unless every check passed.
    pub fn complete(
        &self,
        pending: &PendingLogin,
        callback: &str,
        now: i64,
    ) -> Result<Account, AuthError> {
        if pending.issuer != self.config.issuer || pending.client_id != self.config.client_id {
            return Err(AuthError::IssuerMismatch);
        }
        let code = flow::read_callback(pending, callback)?;
        let client = self.client(now, false)?;
        let tokens = flow::exchange(&client, pending, code, &self.http, now, &|| {
            self.client(now, true)
        })?;
        let session = Session {
            name: tokens.name.clone().unwrap_or_default(),
            citizen_id: tokens.citizen_id.clone(),
            access_token: tokens.access_token.secret().clone(),
            access_expires_at: now + expires_in(tokens.expires_in),
            refresh_token: tokens.refresh_token.clone(),
            id_token: tokens.id_token.as_ref().map(ToString::to_string),
            subject: tokens.subject,
        };
        self.save(&session)?;
        tracing::info!(
            "signed in (access valid until {})",
            session.access_expires_at
        );
        Ok(session.account())
    }

    /// The whole desktop/CLI sign-in: listen on loopback, hand the page to `open` (the
    /// system browser, or a printed link), wait for the return, complete.
    pub fn sign_in_loopback(
        &self,
        open: &mut dyn FnMut(&PendingLogin),
        timeout: Duration,
        cancelled: &dyn Fn() -> bool,
        now: &dyn Fn() -> i64,
    ) -> Result<Account, AuthError> {
        let listener = LoopbackRedirect::bind()?;
        let pending = self.begin(listener.redirect_uri(), now())?;
        open(&pending);
        let callback = listener.wait(timeout, cancelled)?;
        self.complete(&pending, &callback, now())
    }

    /// The session in the keyring, if any (no network).
    pub fn session(&self) -> Result<Option<Session>, AuthError> {
        let Some(text) = self.vault.load(&self.vault_key())? else {
            return Ok(None);
        };
        match serde_json::from_str(&text) {
            Ok(session) => Ok(Some(session)),
            Err(_) => {
                // Unreadable (an older format, a damaged entry): sign in again.
                self.vault.delete(&self.vault_key())?;
                Ok(None)
            }
        }
    }

    /// Header state without the network.
    pub fn state(&self) -> Result<SessionState, AuthError> {
        Ok(match self.session()? {
            Some(session) => SessionState::SignedIn {
                account: session.account(),
            },
            None => SessionState::SignedOut,
        })
    }

    /// The signed-in account, renewed first if its access is about to expire.
    /// `SessionExpired` when the provider refuses to renew (the session is then removed).
    pub fn current(&self, now: i64) -> Result<Account, AuthError> {
        let session = self.session()?.ok_or(AuthError::SignedOut)?;
        if session.needs_renewal(now) {
            return self.renew(session, now);
        }
        Ok(session.account())
    }

    /// Renews now, whatever the expiry (the CLI's `whoami --renew`, tests).
    pub fn refresh(&self, now: i64) -> Result<Account, AuthError> {
        let session = self.session()?.ok_or(AuthError::SignedOut)?;
        self.renew(session, now)
    }

    fn renew(&self, mut session: Session, now: i64) -> Result<Account, AuthError> {
        let Some(refresh_token) = session.refresh_token.clone() else {
            self.vault.delete(&self.vault_key())?;
            return Err(AuthError::SessionExpired);
        };
        let client = self.client(now, false)?;
        let response = client
            .exchange_refresh_token(&RefreshToken::new(refresh_token))
            .map_err(|e| AuthError::Discovery(e.to_string()))?
            .request(&self.http)
            .map_err(flow::token_error);
        let response = match response {
            Err(AuthError::Refused { error, .. }) if error == "invalid_grant" => {
                // Expired or revoked at the provider: the tokens are worthless; drop them.
                self.vault.delete(&self.vault_key())?;
                tracing::info!("session ended by the identity provider");
                return Err(AuthError::SessionExpired);
            }
            other => other?,
        };
        if let Some(id_token) = response.extra_fields().id_token() {
            self.check_renewed_id_token(id_token, &session, now)?;
            session.id_token = Some(id_token.to_string());
        }
        session.access_token = response.access_token().secret().clone();
        session.access_expires_at = now + expires_in(response.expires_in());
        // Rotation: a new refresh token replaces the old one, which the provider now refuses.
        if let Some(rotated) = response.refresh_token() {
            session.refresh_token = Some(rotated.secret().clone());
        }
        self.save(&session)?;
        tracing::info!(
            "session renewed (access valid until {})",
            session.access_expires_at
        );
        Ok(session.account())
    }

    fn check_renewed_id_token(
        &self,
        id_token: &CoreIdToken,
        session: &Session,
        now: i64,
    ) -> Result<(), AuthError> {
        // A renewal answers no sign-in, so carries no nonce to compare.
        let no_nonce = |_: Option<&Nonce>| Ok(());
        let (subject, _) =
            match flow::verify_id_token(&self.client(now, false)?, id_token, no_nonce, now) {
                Err(AuthError::IdToken(IdTokenProblem::UnknownKey)) => {
                    flow::verify_id_token(&self.client(now, true)?, id_token, no_nonce, now)?
                }
                other => other?,
            };
        if subject != session.subject {
            return Err(AuthError::IdToken(IdTokenProblem::Subject));
        }
        Ok(())
    }

    /// Signs out: the keyring entry goes first (that always works offline), then the refresh
    /// token is revoked (RFC 7009) if the provider can be reached. Gives the provider's
    /// end-session page (RP-initiated logout) to open in the browser, when it has one.
    pub fn sign_out(
        &self,
        post_logout_redirect_uri: Option<&str>,
        now: i64,
    ) -> Result<Option<String>, AuthError> {
        let Some(session) = self.session()? else {
            return Ok(None);
        };
        self.vault.delete(&self.vault_key())?;
        tracing::info!("signed out");
        let provider = match provider::discover(
            &self.config.issuer,
            &self.cache_dir,
            &self.http,
            now,
            false,
        ) {
            Ok(provider) => provider,
            Err(e) => {
                tracing::warn!("signed out on this device only: {e}");
                return Ok(None);
            }
        };
        let extra = provider.metadata.additional_metadata().clone();
        if let (Some(endpoint), Some(token)) = (extra.revocation_endpoint, &session.refresh_token)
            && let Err(e) = self.revoke(&endpoint, token)
        {
            tracing::warn!("the provider did not confirm revoking the session: {e}");
        }
        let Some(end_session) = extra.end_session_endpoint else {
            return Ok(None);
        };
        // The page opens in the browser, through the OS's opener and its command line: it
        // names the client, never a token (no `id_token_hint`). The provider may then ask
        // the person to confirm, which RP-initiated logout allows.
        let mut logout = LogoutRequest::from(end_session)
            .set_client_id(ClientId::new(self.config.client_id.clone()))
            .set_state(CsrfToken::new_random());
        if let Some(uri) = post_logout_redirect_uri {
            let uri = PostLogoutRedirectUrl::new(uri.to_owned())
                .map_err(|e| AuthError::Protocol(e.to_string()))?;
            logout = logout.set_post_logout_redirect_uri(uri);
        }
        Ok(Some(logout.http_get_url().to_string()))
    }

    /// RFC 7009: revokes the refresh token (and with it the grant). Written out rather than
    /// through the crate's revocation request, which insists on https while the local
    /// stand-in provider is http on loopback (the only http `validate_issuer` lets through).
    fn revoke(&self, endpoint: &RevocationUrl, refresh_token: &str) -> Result<(), AuthError> {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("token", refresh_token)
            .append_pair("token_type_hint", "refresh_token")
            .append_pair("client_id", &self.config.client_id)
            .finish();
        let request = openidconnect::http::Request::builder()
            .method("POST")
            .uri(endpoint.as_str())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body.into_bytes())
            .map_err(|e| AuthError::Protocol(e.to_string()))?;
        let response = openidconnect::SyncHttpClient::call(&self.http, request)
            .map_err(|e| AuthError::Offline(e.to_string()))?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(AuthError::Protocol(format!(
                "revocation answered HTTP {}",
                response.status()
            )))
        }
    }

    fn save(&self, session: &Session) -> Result<(), AuthError> {
        let json = serde_json::to_string(session)
            .map_err(|e| AuthError::Keyring(format!("cannot encode the session: {e}")))?;
        self.vault.save(&self.vault_key(), &json)
    }
}

fn expires_in(expires_in: Option<Duration>) -> i64 {
    expires_in
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 2))
        .unwrap_or(session::DEFAULT_ACCESS_SECONDS)
}

/// Seconds since the Unix epoch (the clock the session's expiry is kept in).
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}
