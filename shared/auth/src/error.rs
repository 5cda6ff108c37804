//! Everything that can go wrong signing in, phrased so a message can be shown or logged:
//! no variant carries a token, a code or a PKCE verifier.

/// Why an ID token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum IdTokenProblem {
    Signature,
    /// `alg` is `none`, symmetric, or not on the allow-list.
    Algorithm,
    /// No key in the provider's key set matches, even after fetching it again.
    UnknownKey,
    Issuer,
    Audience,
    Expired,
    /// Issued in the future, or too long ago.
    IssuedAt,
    Nonce,
    /// The response had no ID token, or one that is not a JWT.
    Malformed,
    /// A renewal answered for another person.
    Subject,
    /// The access token does not match the ID token's `at_hash`.
    AccessTokenHash,
}

impl std::fmt::Display for IdTokenProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Signature => "its signature does not verify",
            Self::Algorithm => "it is signed with an algorithm that is not allowed",
            Self::UnknownKey => "it is signed with a key the provider does not publish",
            Self::Issuer => "it was issued by another provider",
            Self::Audience => "it was issued to another app",
            Self::Expired => "it has expired",
            Self::IssuedAt => "its issue time is in the future or too old",
            Self::Nonce => "it does not answer this sign-in (nonce)",
            Self::Malformed => "it is missing or malformed",
            Self::Subject => "it names another person",
            Self::AccessTokenHash => "it does not match the access token",
        })
    }
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    #[error("this city's profile names no identity provider")]
    NotConfigured,
    #[error("the identity provider's address is not usable: {0}")]
    BadIssuer(String),
    #[error("cannot reach the identity provider: {0}")]
    Offline(String),
    #[error("the identity provider's discovery document is not usable: {0}")]
    Discovery(String),
    #[error("the identity provider refused: {error}{}", describe(.description))]
    Refused {
        error: String,
        description: Option<String>,
    },
    #[error("the sign-in answer does not belong to this sign-in (state mismatch)")]
    StateMismatch,
    #[error("the sign-in answer came from another provider (iss mismatch)")]
    IssuerMismatch,
    #[error("the sign-in answer arrived at the wrong address (redirect URI mismatch)")]
    RedirectMismatch,
    #[error("the sign-in answer carries no authorization code")]
    MissingCode,
    #[error("the identity provider's ID token was refused: {0}")]
    IdToken(IdTokenProblem),
    #[error("the identity provider sent an unusable answer: {0}")]
    Protocol(String),
    #[error("no sign-in arrived in time")]
    Timeout,
    #[error("the session has ended; sign in again")]
    SessionExpired,
    #[error("not signed in")]
    SignedOut,
    #[error("the system keyring is not available: {0}")]
    KeyringUnavailable(String),
    #[error("the system keyring failed: {0}")]
    Keyring(String),
    #[error("cannot open the sign-in page on this device: {0}")]
    Loopback(String),
}

impl AuthError {
    /// What the front ends say about it.
    pub fn code(&self) -> civic_types::error::ErrorCode {
        use civic_types::error::ErrorCode;
        match self {
            Self::NotConfigured => ErrorCode::SignInUnavailable,
            Self::SignedOut => ErrorCode::SignedOut,
            Self::SessionExpired => ErrorCode::SessionExpired,
            Self::Offline(_) => ErrorCode::SignInOffline,
            Self::Timeout => ErrorCode::SignInTimeout,
            Self::KeyringUnavailable(_) | Self::Keyring(_) => ErrorCode::Keyring,
            _ => ErrorCode::SignInFailed,
        }
    }
}

fn describe(description: &Option<String>) -> String {
    description
        .as_deref()
        .map(|d| format!(" ({d})"))
        .unwrap_or_default()
}
