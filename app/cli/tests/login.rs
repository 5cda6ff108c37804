//! `civic login` / `whoami` / `logout` end to end: a real gateway serving a city profile that
//! names a real OpenID Provider, the scripted browser at that provider, the session in the
//! private Secret Service. Then the data directory and everything the CLI logged (at trace
//! level) are searched for the tokens.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, Read};
use std::process::{Command, Stdio};

use civic_core::auth::{Auth, Vault};
use civic_test_support::{
    Browser, CITIZEN_LOGIN, CITIZEN_NAME, CLIENT_ID, Idp, Landing, city_profile_with_provider,
    files_holding, require_secret_service,
};
use common::{civic, stdout};

/// Runs `civic` with every log line on, keeping stderr for the token search.
fn civic_logged(
    data_dir: &std::path::Path,
    args: &[&str],
    logs: &mut String,
) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_civic"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env("RUST_LOG", "trace")
        .output()
        .expect("civic runs");
    logs.push_str(&String::from_utf8_lossy(&out.stderr));
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn login_whoami_logout_through_the_city_profiles_provider() {
    require_secret_service();
    let idp = Idp::start();
    let served = civic_test_gateway::serve(
        civic_test_gateway::bundled(5),
        "2026-11-20",
        &city_profile_with_provider(&idp.issuer),
    )
    .await;
    let gateway = served.url.clone();

    let app = tempfile::tempdir().unwrap();
    let dir = app.path().to_owned();
    tokio::task::spawn_blocking(move || {
        let mut logs = String::new();
        let before = civic_logged(&dir, &["whoami"], &mut logs);
        assert!(!before.status.success());
        assert!(String::from_utf8_lossy(&before.stderr).contains("civic sync"));
        stdout(&civic(&dir, &["sync", "--gateway", &gateway]));
        let signed_out = civic_logged(&dir, &["whoami"], &mut logs);
        assert!(String::from_utf8_lossy(&signed_out.stderr).contains("civic login"));

        // With no keyring to keep the session, login stops before sending anyone to the
        // provider.
        let no_keyring = Command::new(env!("CARGO_BIN_EXE_civic"))
            .arg("--data-dir")
            .arg(&dir)
            .args(["login", "--timeout", "5"])
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                "unix:path=/nonexistent/civic-bus",
            )
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", "vi_VN.UTF-8")
            .output()
            .unwrap();
        assert!(!no_keyring.status.success());
        assert!(
            String::from_utf8_lossy(&no_keyring.stderr).contains(
                &civic_test_support::fluent_message("vi", "errors", "error-keyring")
            ),
            "{no_keyring:?}"
        );
        assert!(
            !String::from_utf8_lossy(&no_keyring.stdout).contains("http"),
            "no sign-in page offered: {no_keyring:?}"
        );

        let mut login = Command::new(env!("CARGO_BIN_EXE_civic"))
            .arg("--data-dir")
            .arg(&dir)
            .args(["login", "--timeout", "60"])
            .env("RUST_LOG", "trace")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = login.stderr.take().unwrap();
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            stderr.read_to_string(&mut text).unwrap();
            text
        });
        let mut lines = std::io::BufReader::new(login.stdout.take().unwrap()).lines();
        let url = lines
            .by_ref()
            .map(Result::unwrap)
            .find(|line| line.starts_with("http"))
            .expect("civic login prints the page to open");
        assert!(url.starts_with(&format!("{}/auth?", idp.issuer)), "{url}");
        let mut browser = Browser::new(CITIZEN_LOGIN);
        let Landing::Redirected(callback) = browser.sign_in(&url) else {
            panic!("the provider did not send the browser back");
        };
        assert_eq!(browser.visit(&callback), 200);
        let rest: Vec<String> = lines.map(Result::unwrap).collect();
        assert!(login.wait().unwrap().success());
        logs.push_str(&stderr.join().unwrap());
        let done = rest.join("\n");
        assert!(
            done.contains(&format!("Đã đăng nhập: {CITIZEN_NAME} · CCCD ••••••••1234")),
            "{done}"
        );

        let whoami = stdout(&civic_logged(&dir, &["whoami", "--json"], &mut logs));
        let account: serde_json::Value = serde_json::from_str(whoami.trim()).unwrap();
        assert_eq!(account["name"], CITIZEN_NAME);
        assert_eq!(account["citizen_id_masked"], "••••••••1234");

        // The tokens, read back from the keyring the way the CLI keeps them.
        let auth = Auth::new(
            civic_types::auth::AuthConfig::new(&idp.issuer, CLIENT_ID),
            &dir,
            Vault::app(),
        )
        .unwrap();
        let session = auth
            .session()
            .unwrap()
            .expect("the session is in the keyring");
        let secrets = [
            session.access_token.clone(),
            session.refresh_token.clone().unwrap(),
            session.id_token.clone().unwrap(),
        ];
        assert!(
            logs.contains("signed in"),
            "the logs were captured:\n{logs}"
        );
        for secret in &secrets {
            assert!(!logs.contains(secret.as_str()), "a token reached the logs");
        }
        let secret_strs: Vec<&str> = secrets.iter().map(String::as_str).collect();
        assert_eq!(
            files_holding(&dir, &secret_strs),
            Vec::<std::path::PathBuf>::new()
        );

        let logout = stdout(&civic_logged(&dir, &["logout"], &mut logs));
        assert!(
            logout.contains(&format!("{}/session/end?", idp.issuer)),
            "{logout}"
        );
        assert!(auth.session().unwrap().is_none());
        let after = civic_logged(&dir, &["whoami"], &mut logs);
        assert!(String::from_utf8_lossy(&after.stderr).contains("civic login"));
        for secret in &secrets {
            assert!(!logs.contains(secret.as_str()), "a token reached the logs");
        }
    })
    .await
    .unwrap();
}
