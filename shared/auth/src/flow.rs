//! The authorization code flow with PKCE (RFC 7636) for native apps (RFC 8252): start a
//! sign-in, then check the provider's answer and turn the code into a verified session.

use std::time::Duration;

use openidconnect::core::{
    CoreAuthPrompt, CoreAuthenticationFlow, CoreGenderClaim, CoreIdToken, CoreIdTokenVerifier,
    CoreJwsSigningAlgorithm,
};
use openidconnect::{
    AccessToken, AccessTokenHash, AdditionalClaims, AuthorizationCode, ClaimsVerificationError,
    CsrfToken, Nonce, NonceVerifier, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, RequestTokenError, Scope, SignatureVerificationError, SubjectIdentifier,
    UserInfoClaims,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::error::{AuthError, IdTokenProblem};
use super::http::HttpClient;
use super::provider::Client;

/// Private-use URI scheme for the mobile apps (RFC 8252 §7.1: reverse domain name), opened
/// by the OS as a deep link. Registered with the provider beside the loopback address.
pub const MOBILE_REDIRECT_URI: &str = "vn.civic.app:/auth/callback";
/// Where the provider sends the browser after RP-initiated logout on mobile.
pub const MOBILE_SIGNED_OUT_URI: &str = "vn.civic.app:/auth/signed-out";

/// Asymmetric algorithms only: `none` and HMAC (whose key a public client would have to
/// share with every copy of the app) are refused.
pub const ALLOWED_ALGORITHMS: [CoreJwsSigningAlgorithm; 10] = [
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha384,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha512,
    CoreJwsSigningAlgorithm::RsaSsaPssSha256,
    CoreJwsSigningAlgorithm::RsaSsaPssSha384,
    CoreJwsSigningAlgorithm::RsaSsaPssSha512,
    CoreJwsSigningAlgorithm::EcdsaP256Sha256,
    CoreJwsSigningAlgorithm::EcdsaP384Sha384,
    CoreJwsSigningAlgorithm::EcdsaP521Sha512,
    CoreJwsSigningAlgorithm::EdDsa,
];
/// Clocks differ: an ID token may say it was issued this far in our future.
pub const CLOCK_SKEW: Duration = Duration::from_secs(120);
/// An ID token issued longer ago than this is not an answer to a sign-in happening now.
pub const MAX_ID_TOKEN_AGE: Duration = Duration::from_secs(24 * 3600);

/// A sign-in in progress: what must come back (state), what proves it is ours (PKCE verifier,
/// nonce), and where. Held in memory by the desktop host and the CLI for a few minutes;
/// `Debug` shows none of the secrets.
#[derive(Clone, Serialize, Deserialize)]
pub struct PendingLogin {
    /// The page to open in the system browser.
    pub authorization_url: String,
    pub redirect_uri: String,
    pub issuer: String,
    pub client_id: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

impl std::fmt::Debug for PendingLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingLogin")
            .field("issuer", &self.issuer)
            .field("redirect_uri", &self.redirect_uri)
            .finish_non_exhaustive()
    }
}

/// Claims Civic asks for beyond the standard ones (scope `citizen`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CitizenClaims {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citizen_id: Option<String>,
}
impl AdditionalClaims for CitizenClaims {}

/// Builds the authorization request for `client` answering at `redirect_uri`.
pub fn begin(
    client: &Client,
    issuer: &str,
    client_id: &str,
    scopes: &[String],
    redirect_uri: &str,
) -> Result<PendingLogin, AuthError> {
    let redirect = RedirectUrl::new(redirect_uri.to_owned())
        .map_err(|e| AuthError::Loopback(e.to_string()))?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let client = client.clone().set_redirect_uri(redirect);
    let mut request = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .set_pkce_challenge(challenge);
    for scope in scopes {
        request = request.add_scope(Scope::new(scope.clone()));
    }
    if scopes.iter().any(|s| s == "offline_access") {
        // OpenID Connect Core §11: offline access is granted only with explicit consent.
        request = request.add_prompt(CoreAuthPrompt::Consent);
    }
    let (url, state, nonce) = request.url();
    Ok(PendingLogin {
        authorization_url: url.to_string(),
        redirect_uri: redirect_uri.to_owned(),
        issuer: issuer.to_owned(),
        client_id: client_id.to_owned(),
        state: state.secret().clone(),
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
    })
}

/// The answer's code once the redirect has been checked against the sign-in: same
/// address, no error from the provider, our `state`, and (RFC 9207) the same issuer.
pub fn read_callback(pending: &PendingLogin, callback: &str) -> Result<String, AuthError> {
    let answer = url::Url::parse(callback).map_err(|_| AuthError::RedirectMismatch)?;
    if !answers_at(pending, &answer) {
        return Err(AuthError::RedirectMismatch);
    }
    let param = |name: &str| {
        answer
            .query_pairs()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    };
    let state_ok = param("state").is_some_and(|state| same_secret(&state, &pending.state));
    if let Some(error) = param("error") {
        // An error answer still has to be ours, or anyone could cancel a sign-in.
        if !state_ok {
            return Err(AuthError::StateMismatch);
        }
        return Err(AuthError::Refused {
            error: printable(&error),
            description: param("error_description").map(|d| printable(&d)),
        });
    }
    if !state_ok {
        return Err(AuthError::StateMismatch);
    }
    if let Some(iss) = param("iss")
        && iss.trim_end_matches('/') != pending.issuer.trim_end_matches('/')
    {
        return Err(AuthError::IssuerMismatch);
    }
    param("code")
        .filter(|c| !c.is_empty())
        .ok_or(AuthError::MissingCode)
}

/// Whether `link` is addressed to the sign-in's redirect URI (its query not yet checked):
/// how the mobile host tells a sign-in's return from other links that open the app.
pub fn answers_at(pending: &PendingLogin, link: &url::Url) -> bool {
    url::Url::parse(&pending.redirect_uri).is_ok_and(|expected| {
        link.scheme() == expected.scheme()
            && link.host() == expected.host()
            && link.port_or_known_default() == expected.port_or_known_default()
            && link.path() == expected.path()
    })
}

/// Tokens and the person they belong to, verified.
#[derive(Debug)]
pub struct Tokens {
    pub access_token: AccessToken,
    pub refresh_token: Option<String>,
    pub id_token: Option<CoreIdToken>,
    pub expires_in: Option<Duration>,
    pub subject: String,
    pub name: Option<String>,
    pub citizen_id: Option<String>,
}

/// Exchanges the code (with the PKCE verifier and the same redirect URI) and verifies the
/// ID token. `client` must have been built from keys fetched no earlier than needed:
/// `refetch` is called once if the token names a key the client does not hold.
pub fn exchange(
    client: &Client,
    pending: &PendingLogin,
    code: String,
    http: &HttpClient,
    now: i64,
    refetch: &dyn Fn() -> Result<Client, AuthError>,
) -> Result<Tokens, AuthError> {
    let redirect =
        RedirectUrl::new(pending.redirect_uri.clone()).map_err(|_| AuthError::RedirectMismatch)?;
    let client = client.clone().set_redirect_uri(redirect);
    let response = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| AuthError::Discovery(e.to_string()))?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
        .request(http)
        .map_err(token_error)?;
    let id_token = response
        .extra_fields()
        .id_token()
        .cloned()
        .ok_or(AuthError::IdToken(IdTokenProblem::Malformed))?;
    let nonce = Nonce::new(pending.nonce.clone());
    // The client whose keys verified the token checks the rest of the answer too.
    let (client, (subject, name)) = match verify_id_token(&client, &id_token, &nonce, now) {
        Err(AuthError::IdToken(IdTokenProblem::UnknownKey)) => {
            let fresh = refetch()?;
            let verified = verify_id_token(&fresh, &id_token, &nonce, now)?;
            (fresh, verified)
        }
        other => (client, other?),
    };
    check_access_token_hash(&client, &id_token, response.access_token(), now)?;
    let mut tokens = Tokens {
        access_token: response.access_token().clone(),
        refresh_token: response.refresh_token().map(|t| t.secret().clone()),
        id_token: Some(id_token),
        expires_in: response.expires_in(),
        subject,
        name,
        citizen_id: None,
    };
    read_user_info(&client, &mut tokens, http)?;
    Ok(tokens)
}

/// Issuer, audience, expiry, issue time, nonce, algorithm and signature; gives the subject
/// and name.
pub fn verify_id_token(
    client: &Client,
    id_token: &CoreIdToken,
    nonce: impl NonceVerifier,
    now: i64,
) -> Result<(String, Option<String>), AuthError> {
    let claims = id_token
        .claims(&id_token_verifier(client, now), nonce)
        .map_err(claims_error)?;
    let name = claims
        .name()
        .and_then(|n| n.get(None))
        .map(|n| n.as_str().to_owned());
    Ok((claims.subject().as_str().to_owned(), name))
}

fn id_token_verifier(client: &Client, now: i64) -> CoreIdTokenVerifier<'_> {
    let skew = CLOCK_SKEW.as_secs() as i64;
    let max_age = MAX_ID_TOKEN_AGE.as_secs() as i64;
    client
        .id_token_verifier()
        .set_allowed_algs(ALLOWED_ALGORITHMS)
        .set_time_fn(move || chrono::DateTime::from_timestamp(now, 0).unwrap_or_default())
        .set_issue_time_verifier_fn(move |issued| {
            let issued = issued.timestamp();
            if issued > now + skew || issued < now - max_age {
                Err(format!("{ISSUED_AT_MARK} {issued}, now {now}"))
            } else {
                Ok(())
            }
        })
}

/// Our issue-time check reports through openidconnect's `Expired`; this tells them apart.
const ISSUED_AT_MARK: &str = "issued-at out of range:";

fn check_access_token_hash(
    client: &Client,
    id_token: &CoreIdToken,
    access_token: &AccessToken,
    now: i64,
) -> Result<(), AuthError> {
    let verifier = id_token_verifier(client, now);
    let claims = id_token
        .claims(&verifier, |_: Option<&Nonce>| Ok(()))
        .map_err(claims_error)?;
    let Some(expected) = claims.access_token_hash() else {
        return Ok(());
    };
    let bad = || AuthError::IdToken(IdTokenProblem::AccessTokenHash);
    let algorithm = id_token.signing_alg().map_err(|_| bad())?;
    let key = id_token.signing_key(&verifier).map_err(|_| bad())?;
    let actual = AccessTokenHash::from_token(access_token, algorithm, key).map_err(|_| bad())?;
    if &actual == expected {
        Ok(())
    } else {
        Err(bad())
    }
}

/// The name and citizen ID from the userinfo endpoint (with the access token), when the
/// provider has one; its `sub` must be the ID token's.
fn read_user_info(
    client: &Client,
    tokens: &mut Tokens,
    http: &HttpClient,
) -> Result<(), AuthError> {
    let Ok(request) = client.user_info(
        tokens.access_token.clone(),
        Some(SubjectIdentifier::new(tokens.subject.clone())),
    ) else {
        return Ok(()); // no userinfo endpoint: the ID token's claims are all there is
    };
    let info: UserInfoClaims<CitizenClaims, CoreGenderClaim> =
        request.request(http).map_err(|e| match e {
            openidconnect::UserInfoError::ClaimsVerification(
                ClaimsVerificationError::InvalidSubject(_),
            ) => AuthError::IdToken(IdTokenProblem::Subject),
            openidconnect::UserInfoError::Request(e) => AuthError::Offline(e.to_string()),
            other => AuthError::Protocol(format!("userinfo: {other}")),
        })?;
    if let Some(name) = info.name().and_then(|n| n.get(None)) {
        tokens.name = Some(name.as_str().to_owned());
    }
    tokens.citizen_id = info.additional_claims().citizen_id.clone();
    Ok(())
}

pub fn claims_error(error: ClaimsVerificationError) -> AuthError {
    let problem = match error {
        ClaimsVerificationError::Expired(message) if message.starts_with(ISSUED_AT_MARK) => {
            IdTokenProblem::IssuedAt
        }
        ClaimsVerificationError::Expired(_) => IdTokenProblem::Expired,
        ClaimsVerificationError::InvalidAudience(_) => IdTokenProblem::Audience,
        ClaimsVerificationError::InvalidIssuer(_) => IdTokenProblem::Issuer,
        ClaimsVerificationError::InvalidNonce(_) => IdTokenProblem::Nonce,
        ClaimsVerificationError::InvalidSubject(_) => IdTokenProblem::Subject,
        ClaimsVerificationError::SignatureVerification(e) => match e {
            SignatureVerificationError::DisallowedAlg(_)
            | SignatureVerificationError::NoSignature
            | SignatureVerificationError::UnsupportedAlg(_) => IdTokenProblem::Algorithm,
            SignatureVerificationError::NoMatchingKey => IdTokenProblem::UnknownKey,
            _ => IdTokenProblem::Signature,
        },
        ClaimsVerificationError::Unsupported(_) => IdTokenProblem::Algorithm,
        _ => IdTokenProblem::Malformed,
    };
    AuthError::IdToken(problem)
}

/// Token endpoint errors: the provider's own error code (`invalid_grant` for a replayed code
/// or a wrong verifier), or the network.
pub fn token_error<RE: std::error::Error + 'static>(
    error: RequestTokenError<
        RE,
        openidconnect::StandardErrorResponse<openidconnect::core::CoreErrorResponseType>,
    >,
) -> AuthError {
    match error {
        RequestTokenError::ServerResponse(response) => AuthError::Refused {
            error: response.error().as_ref().to_owned(),
            description: response.error_description().map(|d| printable(d)),
        },
        RequestTokenError::Request(e) => AuthError::Offline(e.to_string()),
        RequestTokenError::Parse(e, _) => AuthError::Protocol(e.to_string()),
        RequestTokenError::Other(e) => AuthError::Protocol(e),
    }
}

/// Text from the network shown to a person: printable characters, bounded length.
fn printable(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(200).collect()
}

/// Compares secrets through their hashes, so timing reveals nothing about the expected one.
fn same_secret(a: &str, b: &str) -> bool {
    Sha256::digest(a.as_bytes()) == Sha256::digest(b.as_bytes())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn pending(redirect_uri: &str) -> PendingLogin {
        PendingLogin {
            authorization_url: "https://id.example/auth".into(),
            redirect_uri: redirect_uri.into(),
            issuer: "https://id.example".into(),
            client_id: "civic-app".into(),
            state: "s-123".into(),
            nonce: "n".into(),
            pkce_verifier: "v".into(),
        }
    }

    #[test]
    fn only_links_to_the_redirect_uri_are_taken_for_the_sign_in() {
        let link = |text: &str| url::Url::parse(text).unwrap();
        let mobile = pending(MOBILE_REDIRECT_URI);
        assert!(answers_at(
            &mobile,
            &link("vn.civic.app:/auth/callback?code=a&state=b")
        ));
        assert!(answers_at(&mobile, &link("vn.civic.app:/auth/callback")));
        for other in [
            MOBILE_SIGNED_OUT_URI,
            "vn.civic.app:/procedures/1.001193",
            "vn.civic.app:/auth/callback/extra",
            "https://vn.civic.app/auth/callback",
        ] {
            assert!(!answers_at(&mobile, &link(other)), "{other}");
        }
        let loopback = pending("http://127.0.0.1:4711/callback");
        assert!(answers_at(
            &loopback,
            &link("http://127.0.0.1:4711/callback?x")
        ));
        assert!(!answers_at(
            &loopback,
            &link("http://127.0.0.1:4712/callback")
        ));
        assert!(!answers_at(
            &loopback,
            &link("http://localhost:4711/callback")
        ));
    }

    #[test]
    fn the_mobile_deep_link_is_read_like_the_loopback_address() {
        let p = pending(MOBILE_REDIRECT_URI);
        let ok = "vn.civic.app:/auth/callback?code=abc&state=s-123&iss=https%3A%2F%2Fid.example";
        assert_eq!(read_callback(&p, ok).unwrap(), "abc");
        for (callback, expected) in [
            (
                "vn.civic.app:/auth/callback?code=abc&state=other",
                "StateMismatch",
            ),
            (
                "vn.civic.app:/auth/other?code=abc&state=s-123",
                "RedirectMismatch",
            ),
            (
                "evil.app:/auth/callback?code=abc&state=s-123",
                "RedirectMismatch",
            ),
            ("vn.civic.app:/auth/callback?state=s-123", "MissingCode"),
            (
                "vn.civic.app:/auth/callback?code=abc&state=s-123&iss=https://evil",
                "IssuerMismatch",
            ),
            (
                "vn.civic.app:/auth/callback?error=access_denied&state=s-123",
                "Refused",
            ),
        ] {
            let error = read_callback(&p, callback).unwrap_err();
            assert!(
                format!("{error:?}").starts_with(expected),
                "{callback}: {error:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn any_callback_text_gives_a_code_or_an_error(text in "\\PC{0,200}") {
            let p = pending("http://127.0.0.1:4000/callback");
            // Never a panic; and no code without our state in the answer.
            let bare = read_callback(&p, &text);
            let query = read_callback(&p, &format!("http://127.0.0.1:4000/callback?{text}"));
            for answer in [bare, query] {
                proptest::prop_assert!(answer.is_err() || text.contains("s-123"));
            }
        }
    }
}
