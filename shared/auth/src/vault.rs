//! The OS keyring, the only place a token is ever written: the Secret Service on Linux
//! (gnome-keyring, KWallet), the Keychain on macOS and iOS, the Keystore on Android, the
//! Credential Manager on Windows; all through `keyring-core`.

use std::sync::{Arc, OnceLock};

use keyring_core::{CredentialStore, Entry};

use super::AuthError;

/// The keyring service name the app uses; tests use their own.
pub const SERVICE: &str = "vn.civic.app";

/// One secret per (issuer, client) pair, as a string.
#[derive(Debug)]
pub struct Vault {
    service: String,
    store: OnceLock<Arc<CredentialStore>>,
}

impl Vault {
    pub fn new(service: &str) -> Self {
        Self {
            service: service.to_owned(),
            store: OnceLock::new(),
        }
    }

    /// The app's vault.
    pub fn app() -> Self {
        Self::new(SERVICE)
    }

    pub fn load(&self, account: &str) -> Result<Option<String>, AuthError> {
        match self.entry(account)?.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error(e)),
        }
    }

    pub fn save(&self, account: &str, secret: &str) -> Result<(), AuthError> {
        self.entry(account)?
            .set_password(secret)
            .map_err(keyring_error)
    }

    /// Deleting what is not there is fine: signing out twice signs out.
    pub fn delete(&self, account: &str) -> Result<(), AuthError> {
        match self.entry(account)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(keyring_error(e)),
        }
    }

    fn entry(&self, account: &str) -> Result<Entry, AuthError> {
        let store = match self.store.get() {
            Some(store) => store.clone(),
            None => {
                // Only a store that connected is kept: a keyring started later is found.
                let store = platform_store()?;
                let _ = self.store.set(store.clone());
                store
            }
        };
        store
            .build(&self.service, account, None)
            .map_err(keyring_error)
    }
}

/// The platform's own credential store. There is never a fallback to a file: without a
/// keyring there is no sign-in.
fn platform_store() -> Result<Arc<CredentialStore>, AuthError> {
    #[cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]
    let store = zbus_secret_service_keyring_store::Store::new();
    #[cfg(target_os = "macos")]
    let store = apple_native_keyring_store::keychain::Store::new();
    // The data-protection keychain: the one iOS has, readable only by this app.
    #[cfg(target_os = "ios")]
    let store = apple_native_keyring_store::protected::Store::new();
    // SharedPreferences sealed by a Keystore key; the context comes from ndk-context,
    // which the Tauri runtime initialises on Android.
    #[cfg(target_os = "android")]
    let store = android_native_keyring_store::Store::new();
    #[cfg(target_os = "windows")]
    let store = windows_native_keyring_store::Store::new();
    #[cfg(not(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "macos",
        target_os = "ios",
        target_os = "android",
        target_os = "windows"
    )))]
    let store: keyring_core::Result<Arc<CredentialStore>> =
        Err(keyring_core::Error::NotSupportedByStore(
            "no keyring store is built for this platform".into(),
        ));
    store
        .map(|store| store as Arc<CredentialStore>)
        .map_err(|e| AuthError::KeyringUnavailable(e.to_string()))
}

fn keyring_error(error: keyring_core::Error) -> AuthError {
    match error {
        keyring_core::Error::NoStorageAccess(e) => AuthError::KeyringUnavailable(e.to_string()),
        other => AuthError::Keyring(other.to_string()),
    }
}
