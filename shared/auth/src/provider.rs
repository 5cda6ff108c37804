//! The identity provider's discovery document and key set, cached in the data directory
//! (public data) for a day and fetched again at once when an ID token names a key the cache
//! does not hold (key rotation).

use std::path::{Path, PathBuf};

use openidconnect::core::{
    CoreAuthDisplay, CoreClaimName, CoreClaimType, CoreClient, CoreClientAuthMethod, CoreGrantType,
    CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm,
    CoreResponseMode, CoreResponseType, CoreSubjectIdentifierType,
};
use openidconnect::{
    AdditionalProviderMetadata, ClientId, DiscoveryError, EndSessionUrl, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IssuerUrl, JsonWebKeySet, ProviderMetadata, RevocationUrl,
};
use serde::{Deserialize, Serialize};

use super::AuthError;
use super::http::HttpClient;

/// How long a fetched discovery document and key set are used without asking again.
pub const CACHE_SECONDS: i64 = 24 * 3600;
const CACHE_FILE: &str = "identity-provider.json";

/// Endpoints the core metadata type leaves out: revocation (RFC 7009) and RP-initiated logout.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LogoutEndpoints {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_session_endpoint: Option<EndSessionUrl>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation_endpoint: Option<RevocationUrl>,
}
impl AdditionalProviderMetadata for LogoutEndpoints {}

pub type Metadata = ProviderMetadata<
    LogoutEndpoints,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

/// A client built from discovery: authorization endpoint set, token and userinfo as published.
pub type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

#[derive(Debug, Serialize, Deserialize)]
struct CachedMetadata {
    issuer: String,
    fetched_at: i64,
    metadata: Metadata,
    /// Kept beside the metadata: `ProviderMetadata` does not serialize its key set.
    jwks: JsonWebKeySet<CoreJsonWebKey>,
}

/// The provider as last discovered.
#[derive(Debug)]
pub struct Provider {
    pub metadata: Metadata,
    pub fetched_at: i64,
}

impl Provider {
    pub fn client(&self, client_id: &str) -> Client {
        CoreClient::from_provider_metadata(
            self.metadata.clone(),
            ClientId::new(client_id.to_owned()),
            None,
        )
    }
}

/// Checks an issuer URL from a city profile (the rules are the profile's, in `civic-city`).
pub fn validate_issuer(issuer: &str) -> Result<IssuerUrl, AuthError> {
    if let Some(problem) = civic_city::issuer_problem(issuer) {
        return Err(AuthError::BadIssuer(problem.into()));
    }
    IssuerUrl::new(issuer.to_owned()).map_err(|e| AuthError::BadIssuer(e.to_string()))
}

/// Every endpoint the discovery document names must be https (http only on this device,
/// for the local stand-in): the authorization endpoint opens in the person's browser, and
/// the others receive codes and tokens.
fn check_endpoints(metadata: &Metadata) -> Result<(), AuthError> {
    let extra = metadata.additional_metadata();
    let endpoints = [
        Some((
            "authorization_endpoint",
            metadata.authorization_endpoint().url(),
        )),
        metadata
            .token_endpoint()
            .map(|e| ("token_endpoint", e.url())),
        metadata
            .userinfo_endpoint()
            .map(|e| ("userinfo_endpoint", e.url())),
        Some(("jwks_uri", metadata.jwks_uri().url())),
        extra
            .end_session_endpoint
            .as_ref()
            .map(|e| ("end_session_endpoint", e.url())),
        extra
            .revocation_endpoint
            .as_ref()
            .map(|e| ("revocation_endpoint", e.url())),
    ];
    match endpoints
        .into_iter()
        .flatten()
        .find(|(_, url)| !civic_net::is_secure_address(url))
    {
        Some((name, _)) => Err(AuthError::Discovery(format!(
            "`{name}` is not an https address"
        ))),
        None => Ok(()),
    }
}

fn cache_path(dir: &Path) -> PathBuf {
    dir.join(CACHE_FILE)
}

/// The provider's metadata and keys: from the cache if fresh and for this issuer, else
/// discovered (and cached). `force` skips the cache (an unknown signing key).
pub fn discover(
    issuer: &str,
    cache_dir: &Path,
    http: &HttpClient,
    now: i64,
    force: bool,
) -> Result<Provider, AuthError> {
    let issuer_url = validate_issuer(issuer)?;
    let path = cache_path(cache_dir);
    if !force
        && let Ok(text) = std::fs::read_to_string(&path)
        && let Ok(cached) = serde_json::from_str::<CachedMetadata>(&text)
        && cached.issuer == issuer
        && (0..CACHE_SECONDS).contains(&(now - cached.fetched_at))
        && check_endpoints(&cached.metadata).is_ok()
    {
        return Ok(Provider {
            metadata: cached.metadata.set_jwks(cached.jwks),
            fetched_at: cached.fetched_at,
        });
    }
    let metadata = Metadata::discover(&issuer_url, http).map_err(discovery_error)?;
    check_endpoints(&metadata)?;
    let cached = CachedMetadata {
        issuer: issuer.to_owned(),
        fetched_at: now,
        jwks: metadata.jwks().clone(),
        metadata,
    };
    // The cache only saves a round trip; failing to write it is not worth failing sign-in.
    if let Ok(json) = serde_json::to_vec(&cached) {
        let _ = std::fs::create_dir_all(cache_dir);
        let written = tempfile::NamedTempFile::new_in(cache_dir).and_then(|mut file| {
            std::io::Write::write_all(&mut file, &json)?;
            file.persist(&path).map_err(|e| e.error)?;
            Ok(())
        });
        if let Err(e) = written {
            tracing::warn!("cannot cache the identity provider's metadata: {e}");
        }
    }
    Ok(Provider {
        metadata: cached.metadata.set_jwks(cached.jwks),
        fetched_at: now,
    })
}

fn discovery_error(error: DiscoveryError<super::http::HttpError>) -> AuthError {
    match error {
        DiscoveryError::Request(e) => AuthError::Offline(e.to_string()),
        DiscoveryError::Response(status, _, _) => {
            AuthError::Discovery(format!("the provider answered HTTP {status}"))
        }
        other => AuthError::Discovery(other.to_string()),
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    fn metadata(authorization: &str, end_session: &str) -> Metadata {
        serde_json::from_value(serde_json::json!({
            "issuer": "https://eid.ninhbinh.gov.vn",
            "authorization_endpoint": authorization,
            "token_endpoint": "https://eid.ninhbinh.gov.vn/token",
            "jwks_uri": "https://eid.ninhbinh.gov.vn/jwks",
            "end_session_endpoint": end_session,
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["ES256"],
        }))
        .expect("a discovery document")
    }

    #[test]
    fn every_discovered_endpoint_must_be_https() {
        let good = metadata(
            "https://eid.ninhbinh.gov.vn/auth",
            "https://eid.ninhbinh.gov.vn/logout",
        );
        assert!(check_endpoints(&good).is_ok());
        let local = metadata("http://127.0.0.1:4000/auth", "http://localhost:4000/end");
        assert!(check_endpoints(&local).is_ok(), "the local stand-in");
        for (authorization, end_session, named) in [
            (
                "http://eid.ninhbinh.gov.vn/auth",
                "https://eid.ninhbinh.gov.vn/logout",
                "authorization_endpoint",
            ),
            (
                "https://eid.ninhbinh.gov.vn/auth",
                "http://evil.example/logout",
                "end_session_endpoint",
            ),
        ] {
            let error = check_endpoints(&metadata(authorization, end_session))
                .expect_err("plain http elsewhere");
            assert!(
                matches!(&error, AuthError::Discovery(why) if why.contains(named)),
                "{error}"
            );
        }
    }
}
