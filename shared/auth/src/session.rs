//! The signed-in session: kept whole in the OS keyring (tokens and the person's details),
//! renewed with the refresh token before it expires, ended locally and at the provider.

use civic_types::auth::Account;
use serde::{Deserialize, Serialize};

/// Renew this long before the access token expires, so a request never carries a dead one.
pub const RENEW_BEFORE_SECONDS: i64 = 60;
/// Providers that send no `expires_in`: assume a short life rather than a long one.
pub const DEFAULT_ACCESS_SECONDS: i64 = 300;

/// What the keyring holds for one provider and client. `Debug` shows no secret.
#[derive(Clone, Serialize, Deserialize)]
pub struct Session {
    pub subject: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citizen_id: Option<String>,
    pub access_token: String,
    pub access_expires_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// The ID token as received: kept in the keyring only, never sent anywhere again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("name", &self.name)
            .field("access_expires_at", &self.access_expires_at)
            .finish_non_exhaustive()
    }
}

impl Session {
    pub fn account(&self) -> Account {
        Account {
            name: self.name.clone(),
            citizen_id_masked: self
                .citizen_id
                .as_deref()
                .map(mask_citizen_id)
                .unwrap_or_default(),
            access_expires_at: self.access_expires_at,
        }
    }

    pub fn needs_renewal(&self, now: i64) -> bool {
        now >= self.access_expires_at - RENEW_BEFORE_SECONDS
    }
}

/// Every character but the last four becomes `•`; four or fewer are all hidden, since
/// showing a short ID whole would show all of it.
pub fn mask_citizen_id(id: &str) -> String {
    let chars: Vec<char> = id.trim().chars().collect();
    if chars.len() <= 4 {
        return "•".repeat(chars.len().max(4));
    }
    let shown: String = chars[chars.len() - 4..].iter().collect();
    format!("{}{shown}", "•".repeat(chars.len() - 4))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_all_but_the_last_four() {
        for (id, masked) in [
            ("037090001234", "••••••••1234"),
            (" 037090001234 ", "••••••••1234"),
            ("12345", "•2345"),
            ("1234", "••••"),
            ("12", "••••"),
            ("", "••••"),
        ] {
            assert_eq!(mask_citizen_id(id), masked, "{id:?}");
        }
    }

    #[test]
    fn debug_shows_no_secret() {
        let session = Session {
            subject: "s".into(),
            name: "Nguyễn Văn An".into(),
            citizen_id: Some("037090001234".into()),
            access_token: "ACCESS-SECRET".into(),
            access_expires_at: 100,
            refresh_token: Some("REFRESH-SECRET".into()),
            id_token: Some("ID-SECRET".into()),
        };
        let shown = format!("{session:?}");
        for secret in [
            "ACCESS-SECRET",
            "REFRESH-SECRET",
            "ID-SECRET",
            "037090001234",
        ] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(!session.needs_renewal(0));
        assert!(session.needs_renewal(100 - RENEW_BEFORE_SECONDS));
    }
}
