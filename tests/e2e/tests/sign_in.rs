//! Signing in from the desktop app: the city's gateway names a real OpenID Provider, the app
//! sends the citizen to it, the test plays the browser there (the machine has none to open),
//! and the app's loopback listener takes the provider's answer. The header and the account
//! page then show the person; the tokens are in the Secret Service and nowhere in the app's
//! data folder. When the provider forgets the session, the app asks to sign in again on the
//! page in use, with what was typed there still in place.
#![allow(clippy::expect_used, clippy::print_stdout)]

mod harness;

use std::time::Duration;

use civic_core::auth::{Auth, Vault};
use civic_test_support::{
    Browser, CITIZEN_LOGIN, CITIZEN_NAME, CLIENT_ID, Idp, IdpOptions, Landing,
    city_profile_with_provider, files_holding, require_secret_service,
};
use harness::Session;

/// Short-lived access, so the app renews at every check (and notices an ended session soon).
const ACCESS_TTL: u64 = 30;

#[tokio::test]
async fn signs_in_through_the_browser_keeps_tokens_in_the_keyring_and_survives_expiry() {
    require_secret_service();
    let options = IdpOptions {
        port: None,
        access_ttl: Some(ACCESS_TTL),
    };
    let idp = Idp::start_with(&options);
    let served = harness::gateway(&city_profile_with_provider(&idp.issuer), 20).await;
    let session = Session::start_with_env(&[("CIVIC_GATEWAY_URL", &served.url)]).await;

    // Once the city's profile is synced, the header offers to sign in.
    session.click("#sign-in").await;
    let address = sign_in_address(&session).await;
    assert!(
        address.starts_with(&format!("{}/auth?", idp.issuer)),
        "{address}"
    );
    assert!(address.contains("code_challenge_method=S256"), "{address}");
    session.screenshot("sign-in-waiting.png").await;
    sign_in_at_the_provider(address).await;

    session.wait_for_text("#account-button", CITIZEN_NAME).await;
    session.screenshot("signed-in.png").await;
    session.click("#account-button").await;
    session.wait_for_text("#account-name", CITIZEN_NAME).await;
    session
        .wait_for_text("#account-citizen-id", "••••••••1234")
        .await;
    session.screenshot("account.png").await;

    let auth = Auth::new(
        civic_types::auth::AuthConfig::new(&idp.issuer, CLIENT_ID),
        session.data_dir(),
        Vault::app(),
    )
    .expect("auth");
    let tokens = auth
        .session()
        .expect("the keyring answers")
        .expect("the session is in the keyring");
    let secrets = [
        tokens.access_token.clone(),
        tokens.refresh_token.clone().expect("a refresh token"),
    ];
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    assert_eq!(
        files_holding(session.data_dir(), &secrets),
        Vec::<std::path::PathBuf>::new(),
        "a token reached the app's data folder"
    );

    // A draft on another page, then the provider forgets every session (a restart with the
    // same address): the next renewal fails and the app asks to sign in again, in place.
    session.click("button.brand").await;
    session.click("#tile-board").await;
    let draft = "Bảng thủ tục xã Hòa Vang";
    session
        .find("#board-title")
        .await
        .send_keys(draft)
        .await
        .expect("type a title");
    let port = idp.port;
    idp.stop();
    let idp = Idp::start_with(&IdpOptions {
        port: Some(port),
        ..options
    });
    session
        .wait_for_text_within(
            "#session-expired button",
            "Đăng nhập lại",
            Duration::from_secs(ACCESS_TTL * 3),
        )
        .await;
    let kept = session
        .find("#board-title")
        .await
        .prop("value")
        .await
        .expect("read the title")
        .unwrap_or_default();
    assert_eq!(kept, draft, "the draft was lost");
    session.screenshot("session-expired.png").await;
    assert!(
        auth.session().expect("the keyring answers").is_none(),
        "an ended session is forgotten"
    );

    // Signing in again from the prompt, then out from the account page.
    session.click("#session-expired button").await;
    sign_in_at_the_provider(sign_in_address(&session).await).await;
    session.wait_for_text("#account-button", CITIZEN_NAME).await;
    session.click("#account-button").await;
    session.click("#sign-out").await;
    session.wait_for_text("#sign-in", "Đăng nhập").await;
    assert!(auth.session().expect("the keyring answers").is_none());
    session.stop().await;
    idp.stop();
}

/// The provider's page the app shows to copy (this machine has no browser for it to open).
async fn sign_in_address(session: &Session) -> String {
    session
        .find("#sign-in-url")
        .await
        .prop("value")
        .await
        .expect("read the address")
        .expect("the address is shown")
}

/// The citizen at the browser: logs in, consents, and lands on the app's loopback listener.
async fn sign_in_at_the_provider(address: String) {
    let status = tokio::task::spawn_blocking(move || {
        let mut browser = Browser::new(CITIZEN_LOGIN);
        let Landing::Redirected(callback) = browser.sign_in(&address) else {
            panic!("the provider did not send the browser back to the app");
        };
        assert!(callback.starts_with("http://127.0.0.1:"), "{callback}");
        browser.visit(&callback)
    })
    .await
    .expect("the browser");
    assert_eq!(status, 200, "the app's listener answered the browser");
}
