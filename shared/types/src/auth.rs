//! Signing in with the national electronic identity (OpenID Connect).
//!
//! Only what a screen may show crosses this boundary: never a token.

use serde::{Deserialize, Serialize};

/// The identity provider a city uses, from its profile (`[auth]`). Absent: the city offers
/// no sign-in yet, and everything public keeps working.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthConfig {
    /// The OpenID Provider's issuer URL (discovery at `<issuer>/.well-known/openid-configuration`).
    pub issuer: String,
    /// The app's public client id registered with that provider.
    pub client_id: String,
    /// Scopes to ask for besides `openid`.
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
}

impl AuthConfig {
    /// A provider and client with the default scopes.
    pub fn new(issuer: &str, client_id: &str) -> Self {
        Self {
            issuer: issuer.to_owned(),
            client_id: client_id.to_owned(),
            scopes: default_scopes(),
        }
    }
}

fn default_scopes() -> Vec<String> {
    ["profile", "citizen", "offline_access"]
        .map(String::from)
        .to_vec()
}

/// The signed-in citizen, as the account page and the header show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// Full name from the identity provider.
    pub name: String,
    /// Citizen ID with every digit but the last four hidden (`••••••••1234`); empty if the
    /// provider sent none.
    pub citizen_id_masked: String,
    /// Unix seconds when the current access expires (renewed silently before then).
    pub access_expires_at: i64,
}

/// What the header shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum SessionState {
    /// The city's profile names no identity provider (or none is synced yet).
    Unavailable,
    SignedOut,
    SignedIn {
        account: Account,
    },
    /// The session ended on the provider's side (expired or revoked): sign in again.
    Expired,
}

/// Answer to a sign-in: the page to open in the system browser, in case it did not open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInStarted {
    pub authorization_url: String,
    /// False when the system browser could not be opened: the page shows the link instead.
    pub browser_opened: bool,
}

/// Sign-in's Tauri commands.
pub mod commands {
    pub const SESSION: &str = "session_state";
    pub const SIGN_IN: &str = "sign_in";
    pub const SIGN_OUT: &str = "sign_out";
}

/// Events the host emits about the session.
pub mod events {
    /// Payload: [`super::SessionState`], after sign-in, sign-out, renewal or expiry.
    pub const SESSION: &str = "session";
    /// Payload: a [`crate::error::Failure`] when a sign-in started from the app failed.
    pub const SIGN_IN_FAILED: &str = "sign-in-failed";
}
