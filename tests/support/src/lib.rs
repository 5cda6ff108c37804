//! Parts the test suites share. Only ever a dev-dependency.
//!
//! - [`Idp`]: the real OpenID Provider in `tests/idp` (panva's certified `oidc-provider`),
//!   started on 127.0.0.1 for one test and stopped when dropped.
//! - [`Browser`]: plays the person at the system browser: follows redirects with cookies and
//!   fills the provider's login and consent forms, stopping where the provider sends the
//!   browser back to the app.
//! - [`shared_data`]: the data set beside the project (`../shared/data`), which tests and
//!   benchmarks may read and the app never does.
//! - [`require_secret_service`]: the keyring tests run against the private Secret Service
//!   that `cargo xtask test` starts; this says so clearly when it is missing.
#![allow(clippy::missing_panics_doc, clippy::expect_used)] // a test harness fails by panicking

mod browser;
mod idp;

pub use browser::{Browser, Landing};
pub use idp::{Idp, IdpOptions};

/// The workspace root (this crate lives in `tests/support`).
pub fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `../shared/data` beside the workspace; tests may read it, the app never does.
pub fn shared_data() -> std::path::PathBuf {
    let dir = workspace_root().join("../shared/data");
    assert!(
        dir.is_dir(),
        "test data not found at {} (clone the project beside shared/)",
        dir.display()
    );
    dir
}

/// The demo citizens in `tests/idp/accounts.json`.
pub const CITIZEN_LOGIN: &str = "nguyenvanan";
pub const CITIZEN_NAME: &str = "Nguyễn Văn An";
pub const CITIZEN_ID: &str = "037090001234";
pub const CLIENT_ID: &str = "civic-app";

/// The demo city's profile (Đà Nẵng, `assets/cities/da-nang.toml`) naming `issuer` as its
/// identity provider, for a gateway to serve.
pub fn city_profile_with_provider(issuer: &str) -> String {
    let profile = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/cities/da-nang.toml"
    );
    let base = std::fs::read_to_string(profile).expect("the demo city's profile");
    format!("{base}\n[auth]\nissuer = \"{issuer}\"\nclient_id = \"{CLIENT_ID}\"\n")
}

/// Panics with the way out when no Secret Service is reachable on the session bus: these
/// tests never fall back to a file, and never use the developer's own keyring by accident
/// (`cargo xtask test` points `DBUS_SESSION_BUS_ADDRESS` at a private bus).
pub fn require_secret_service() {
    let private = std::env::var("CIVIC_TEST_SECRET_SERVICE").is_ok_and(|v| v == "1");
    assert!(
        private,
        "no private Secret Service: run the keyring tests through `cargo xtask test`, which \
         starts gnome-keyring-daemon on a private D-Bus session bus (CIVIC_TEST_SECRET_SERVICE=1)"
    );
}

/// A keyring service name no other test uses, so tests running in parallel never share an
/// entry.
pub fn unique_keyring_service(test: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!("vn.civic.test.{test}.{}.{nanos}", std::process::id())
}

/// Files under `dir` (recursively) whose bytes contain any of `secrets`: what a token search
/// of the data directory finds.
pub fn files_holding(dir: &std::path::Path, secrets: &[&str]) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read the directory") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            found.extend(files_holding(&path, secrets));
            continue;
        }
        // Sockets and pipes a webview leaves in its data folder hold no bytes to search.
        if !path.is_file() {
            continue;
        }
        let bytes = std::fs::read(&path).expect("read a file");
        let holds = |secret: &&str| bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
        if secrets.iter().any(holds) {
            found.push(path);
        }
    }
    found
}

/// The text of a one-line Fluent message (`id = text`) in `locale`'s `file`, as people see it:
/// tests of the front ends assert on what the user is told, not on a copy of it.
pub fn fluent_message(locale: &str, file: &str, id: &str) -> String {
    let path = format!(
        "{}/../../assets/locales/{locale}/{file}.ftl",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).expect("the locale file");
    let prefix = format!("{id} = ");
    text.lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no one-line message {id} in {path}"))
        .to_owned()
}

/// A small deterministic generator (a linear congruential one): the same "random" queries on
/// every run, so a failure can be run again.
#[derive(Debug, Clone)]
pub struct Lcg(pub u64);

impl Lcg {
    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n
    }
}
