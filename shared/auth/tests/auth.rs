//! Signing in against a real OpenID Provider (`tests/idp`, panva's `oidc-provider`) with the
//! session kept in a real Secret Service (gnome-keyring on a private bus, started by
//! `cargo xtask test`). Each refused answer must give a clear error and leave no session.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::Duration;

use civic_auth::{
    Auth, AuthError, IdTokenProblem, MOBILE_REDIRECT_URI, PendingLogin, Vault, unix_now,
};
use civic_test_support::{
    Browser, CITIZEN_ID, CITIZEN_LOGIN, CITIZEN_NAME, CLIENT_ID, Idp, IdpOptions, Landing,
    files_holding, require_secret_service, unique_keyring_service,
};
use civic_types::auth::{AuthConfig, SessionState};

struct Fixture {
    idp: Idp,
    data: tempfile::TempDir,
    auth: Auth,
}

fn fixture(test: &str) -> Fixture {
    fixture_with(test, &IdpOptions::default())
}

fn fixture_with(test: &str, options: &IdpOptions) -> Fixture {
    require_secret_service();
    let idp = Idp::start_with(options);
    let data = tempfile::tempdir().unwrap();
    let auth = Auth::new(
        AuthConfig::new(&idp.issuer, CLIENT_ID),
        data.path(),
        Vault::new(&unique_keyring_service(test)),
    )
    .unwrap();
    Fixture { idp, data, auth }
}

/// A loopback address nothing listens on: these tests hand the callback to `complete`
/// themselves.
const REDIRECT: &str = "http://127.0.0.1:9/callback";

/// Starts a sign-in and plays the browser up to the provider's redirect back to the app.
fn authorize(auth: &Auth, redirect_uri: &str) -> (PendingLogin, String) {
    let pending = auth.begin(redirect_uri, unix_now()).unwrap();
    match Browser::new(CITIZEN_LOGIN).sign_in(&pending.authorization_url) {
        Landing::Redirected(callback) => (pending, callback),
        Landing::Page(status, body) => panic!("the provider stopped at a page ({status}): {body}"),
    }
}

fn sign_in(auth: &Auth) {
    let (pending, callback) = authorize(auth, REDIRECT);
    auth.complete(&pending, &callback, unix_now()).unwrap();
}

/// Replaces one query parameter of `url`.
fn with_param(url: &str, name: &str, value: &str) -> String {
    let mut parsed = url::Url::parse(url).unwrap();
    let pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == name {
                value.to_owned()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    parsed.query_pairs_mut().clear().extend_pairs(pairs);
    parsed.to_string()
}

fn assert_no_session(auth: &Auth) {
    assert!(
        auth.session().unwrap().is_none(),
        "a refused sign-in left a session"
    );
    assert_eq!(auth.state().unwrap(), SessionState::SignedOut);
}

#[test]
fn desktop_sign_in_returns_through_loopback_and_keeps_tokens_only_in_the_keyring() {
    let f = fixture("loopback");
    let browser = std::thread::scope(|scope| {
        let mut opened = None;
        let account = f
            .auth
            .sign_in_loopback(
                &mut |pending| {
                    let url = pending.authorization_url.clone();
                    opened = Some(scope.spawn(move || {
                        let mut browser = Browser::new(CITIZEN_LOGIN);
                        let Landing::Redirected(callback) = browser.sign_in(&url) else {
                            panic!("the provider did not send the browser back");
                        };
                        assert!(callback.starts_with("http://127.0.0.1:"), "{callback}");
                        browser.visit(&callback)
                    }));
                },
                Duration::from_secs(60),
                &|| false,
                &unix_now,
            )
            .unwrap();
        assert_eq!(account.name, CITIZEN_NAME);
        assert_eq!(account.citizen_id_masked, "••••••••1234");
        assert!(!account.citizen_id_masked.contains(&CITIZEN_ID[..8]));
        opened.unwrap().join().unwrap()
    });
    assert_eq!(
        browser, 200,
        "the loopback listener answers the browser with a page"
    );

    let session = f
        .auth
        .session()
        .unwrap()
        .expect("the session is in the keyring");
    assert_eq!(session.citizen_id.as_deref(), Some(CITIZEN_ID));
    let refresh = session
        .refresh_token
        .clone()
        .expect("offline access was granted");
    let id_token = session.id_token.clone().expect("kept for logout");
    assert!(matches!(
        f.auth.state().unwrap(),
        SessionState::SignedIn { .. }
    ));

    assert!(
        f.data.path().join("identity-provider.json").exists(),
        "the provider's public metadata is cached in the data directory"
    );
    let secrets = [session.access_token.as_str(), &refresh, &id_token];
    assert_eq!(
        files_holding(f.data.path(), &secrets),
        Vec::<std::path::PathBuf>::new()
    );
    // Debug output (what a crash log would show) carries none either.
    let debug = format!("{session:?} {:?}", f.auth);
    assert!(!debug.contains(&session.access_token) && !debug.contains(&refresh));
}

#[test]
fn mobile_sign_in_returns_through_the_private_scheme() {
    let f = fixture("mobile");
    let (pending, callback) = authorize(&f.auth, MOBILE_REDIRECT_URI);
    assert!(
        callback.starts_with("vn.civic.app:/auth/callback?"),
        "{callback}"
    );
    let account = f.auth.complete(&pending, &callback, unix_now()).unwrap();
    assert_eq!(account.name, CITIZEN_NAME);
}

/// Each case doctors one part of an otherwise good sign-in.
fn refused(
    f: &Fixture,
    tamper: impl FnOnce(&Fixture, &mut PendingLogin, &mut String),
) -> AuthError {
    let (mut pending, mut callback) = authorize(&f.auth, REDIRECT);
    tamper(f, &mut pending, &mut callback);
    let error = f
        .auth
        .complete(&pending, &callback, unix_now())
        .expect_err("the doctored sign-in must be refused");
    assert_no_session(&f.auth);
    let message = error.to_string();
    for secret in [&pending.pkce_verifier, &pending.nonce, &pending.state] {
        assert!(
            !message.contains(secret.as_str()),
            "the error shows a secret: {message}"
        );
    }
    error
}

fn is_invalid_grant(error: &AuthError) -> bool {
    matches!(error, AuthError::Refused { error, .. } if error == "invalid_grant")
}

#[test]
fn wrong_state_is_refused() {
    let f = fixture("state");
    let error = refused(&f, |_, _, callback| {
        *callback = with_param(callback, "state", "forged")
    });
    assert!(matches!(error, AuthError::StateMismatch), "{error}");
}

#[test]
fn replayed_code_is_refused() {
    let f = fixture("replay");
    let (pending, callback) = authorize(&f.auth, REDIRECT);
    f.auth.complete(&pending, &callback, unix_now()).unwrap();
    f.auth.sign_out(None, unix_now()).unwrap();
    let error = f
        .auth
        .complete(&pending, &callback, unix_now())
        .unwrap_err();
    assert!(is_invalid_grant(&error), "{error}");
    assert_no_session(&f.auth);
}

#[test]
fn wrong_pkce_verifier_is_refused() {
    let f = fixture("pkce");
    let error = refused(&f, |_, pending, _| {
        pending.pkce_verifier = "x".repeat(64);
    });
    assert!(is_invalid_grant(&error), "{error}");
}

#[test]
fn wrong_nonce_is_refused() {
    let f = fixture("nonce");
    let error = refused(&f, |_, pending, _| pending.nonce = "another-sign-in".into());
    assert!(
        matches!(error, AuthError::IdToken(IdTokenProblem::Nonce)),
        "{error}"
    );
}

#[test]
fn doctored_id_tokens_are_refused() {
    let f = fixture("id-tokens");
    for (fault, expected) in [
        ("bad-signature", IdTokenProblem::Signature),
        ("wrong-audience", IdTokenProblem::Audience),
        ("wrong-issuer", IdTokenProblem::Issuer),
        ("expired", IdTokenProblem::Expired),
        ("issued-in-future", IdTokenProblem::IssuedAt),
        ("alg-none", IdTokenProblem::Algorithm),
        ("symmetric", IdTokenProblem::Algorithm),
    ] {
        let error = refused(&f, |f, _, _| f.idp.fault_next_token(fault));
        assert!(
            matches!(error, AuthError::IdToken(problem) if problem == expected),
            "{fault}: {error}"
        );
    }
    // The provider itself was fine all along: the next sign-in works.
    sign_in(&f.auth);
}

#[test]
fn answers_at_another_address_are_refused() {
    let f = fixture("redirect");
    // Delivered to another port, or another path, than the sign-in listens on.
    for (from, to) in [(":9/", ":10/"), ("/callback", "/elsewhere")] {
        let error = refused(&f, |_, _, callback| {
            *callback = callback.replacen(from, to, 1)
        });
        assert!(
            matches!(error, AuthError::RedirectMismatch),
            "{from}: {error}"
        );
    }
    // The code redeemed for another redirect URI than it was issued to: the provider refuses.
    let error = refused(&f, |_, pending, callback| {
        pending.redirect_uri = "http://127.0.0.1:10/callback".into();
        *callback = callback.replacen(":9/", ":10/", 1);
    });
    assert!(is_invalid_grant(&error), "{error}");
    // A redirect URI the client never registered: the provider will not send the browser
    // there at all.
    let pending = f
        .auth
        .begin("http://localhost:9/callback", unix_now())
        .unwrap();
    match Browser::new(CITIZEN_LOGIN).sign_in(&pending.authorization_url) {
        Landing::Page(400, body) => assert!(body.contains("redirect_uri"), "{body}"),
        other => panic!("expected the provider's error page, got {other:?}"),
    }
    assert_no_session(&f.auth);
}

#[test]
fn provider_errors_are_shown_and_must_carry_our_state() {
    let f = fixture("provider-error");
    let pending = f.auth.begin(REDIRECT, unix_now()).unwrap();
    // prompt=none with no provider session: the provider answers login_required.
    let silent = pending
        .authorization_url
        .replace("prompt=consent", "prompt=none");
    let Landing::Redirected(callback) = Browser::new(CITIZEN_LOGIN).sign_in(&silent) else {
        panic!("the provider did not answer");
    };
    let error = f
        .auth
        .complete(&pending, &callback, unix_now())
        .unwrap_err();
    assert!(
        matches!(&error, AuthError::Refused { error, .. } if error == "login_required"),
        "{error}"
    );
    let forged = with_param(&callback, "state", "forged");
    let error = f.auth.complete(&pending, &forged, unix_now()).unwrap_err();
    assert!(matches!(error, AuthError::StateMismatch), "{error}");
    // RFC 9207: an answer naming another issuer (mix-up attack) is refused too.
    let error = refused(&f, |_, _, callback| {
        *callback = with_param(callback, "iss", "https://evil.example");
    });
    assert!(matches!(error, AuthError::IssuerMismatch), "{error}");
}

#[test]
fn refresh_rotates_and_a_replayed_refresh_token_ends_the_session() {
    let f = fixture("refresh");
    sign_in(&f.auth);
    let first = f.auth.session().unwrap().unwrap();
    f.auth.refresh(unix_now()).unwrap();
    let second = f.auth.session().unwrap().unwrap();
    assert_ne!(first.access_token, second.access_token);
    assert_ne!(
        first.refresh_token, second.refresh_token,
        "refresh tokens rotate"
    );
    f.auth.refresh(unix_now()).unwrap();

    // Someone replays the first, already used refresh token: the provider refuses it and
    // revokes the grant, so the app's next renewal finds its session ended.
    let replay = token_request(&f.idp, first.refresh_token.as_deref().unwrap());
    assert_eq!(replay, 400);
    let error = f.auth.refresh(unix_now()).unwrap_err();
    assert!(matches!(error, AuthError::SessionExpired), "{error}");
    assert_no_session(&f.auth);
}

/// Posts a refresh grant straight to the provider; gives the HTTP status.
fn token_request(idp: &Idp, refresh_token: &str) -> u16 {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    agent
        .post(&format!("{}/token", idp.issuer))
        .send_form([
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", CLIENT_ID),
        ])
        .unwrap()
        .status()
        .as_u16()
}

#[test]
fn access_is_renewed_silently_before_it_expires() {
    // Access lives 30 s, under the 60 s renewal margin: every look renews.
    let f = fixture_with(
        "silent",
        &IdpOptions {
            access_ttl: Some(30),
            ..IdpOptions::default()
        },
    );
    sign_in(&f.auth);
    let before = f.auth.session().unwrap().unwrap();
    let account = f.auth.current(unix_now()).unwrap();
    let after = f.auth.session().unwrap().unwrap();
    assert_ne!(before.access_token, after.access_token);
    assert_eq!(account.name, CITIZEN_NAME);
    assert!(after.access_expires_at >= before.access_expires_at);
}

#[test]
fn a_rotated_signing_key_is_fetched_and_a_provider_that_forgot_us_ends_the_session() {
    let f = fixture("rotation");
    sign_in(&f.auth);
    let port = f.idp.port;
    let Fixture { idp, data, auth } = f;
    idp.stop();
    // The same provider, restarted: a new signing key, and every session it knew is gone.
    let idp = Idp::start_with(&IdpOptions {
        port: Some(port),
        ..IdpOptions::default()
    });
    let error = auth.refresh(unix_now()).unwrap_err();
    assert!(matches!(error, AuthError::SessionExpired), "{error}");
    assert_no_session(&auth);
    // The cached key set no longer holds the signing key; the sign-in fetches it again.
    sign_in(&auth);
    assert!(auth.session().unwrap().is_some());
    drop((idp, data));
}

#[test]
fn sign_out_forgets_locally_revokes_and_offers_the_providers_logout_page() {
    let f = fixture("sign-out");
    sign_in(&f.auth);
    let session = f.auth.session().unwrap().unwrap();
    let logout = f
        .auth
        .sign_out(Some("http://127.0.0.1/signed-out"), unix_now())
        .unwrap()
        .expect("the provider publishes an end-session endpoint");
    assert!(
        logout.starts_with(&format!("{}/session/end?", f.idp.issuer)),
        "{logout}"
    );
    // The page is opened through a command line: it names the client, never a token.
    assert!(logout.contains("client_id=civic-app"), "{logout}");
    assert!(!logout.contains("id_token_hint"), "{logout}");
    for token in [
        session.id_token.as_deref(),
        session.refresh_token.as_deref(),
        Some(session.access_token.as_str()),
    ]
    .into_iter()
    .flatten()
    {
        assert!(
            !logout.contains(token),
            "a token in the logout page's address"
        );
    }
    assert_no_session(&f.auth);
    assert_eq!(
        token_request(&f.idp, session.refresh_token.as_deref().unwrap()),
        400
    );
    // Signing out twice is fine.
    assert_eq!(f.auth.sign_out(None, unix_now()).unwrap(), None);
}

#[test]
fn an_unreachable_provider_is_reported_and_the_local_state_still_answers() {
    require_secret_service();
    let data = tempfile::tempdir().unwrap();
    let auth = Auth::new(
        AuthConfig::new("http://127.0.0.1:9", CLIENT_ID),
        data.path(),
        Vault::new(&unique_keyring_service("offline")),
    )
    .unwrap();
    let error = auth.begin(REDIRECT, unix_now()).unwrap_err();
    assert!(matches!(error, AuthError::Offline(_)), "{error}");
    assert_eq!(auth.state().unwrap(), SessionState::SignedOut);
}

#[test]
fn hostile_issuers_are_refused_before_any_request() {
    for issuer in [
        "http://idp.example",
        "ftp://127.0.0.1",
        "https://user:pw@idp.example",
        "https://idp.example/?next=evil",
        "not a url",
    ] {
        let error = Auth::new(
            AuthConfig::new(issuer, CLIENT_ID),
            Path::new("."),
            Vault::new("unused"),
        )
        .unwrap_err();
        assert!(
            matches!(error, AuthError::BadIssuer(_)),
            "{issuer}: {error}"
        );
    }
}
