//! A real city gateway on loopback for the app-side suites (CLI, WebDriver): SQLite in a
//! temporary folder, procedures published at a data date, a city profile read and checked
//! as the gateway reads an operator's file. Stops when dropped (or when `server` is aborted).
#![allow(clippy::expect_used)] // a test harness fails by panicking

use std::path::{Path, PathBuf};

use civic_gateway::catalog::repository::Backend;
use civic_types::catalog::Procedure;

#[derive(Debug)]
pub struct TestGateway {
    /// `http://127.0.0.1:<port>`
    pub url: String,
    /// For publishing later versions.
    pub backend: Backend,
    /// Abort it to take the gateway offline.
    pub server: tokio::task::JoinHandle<std::io::Result<()>>,
    _dir: tempfile::TempDir,
}

impl Drop for TestGateway {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// The workspace root (this crate lives in `tests/gateway`).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A shipped city profile (`assets/cities/<id>.toml`) as text, to serve as is or extended.
pub fn city_profile(id: &str) -> String {
    let path = root().join(format!("assets/cities/{id}.toml"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The first `count` procedures of the bundled catalog (all of them for `usize::MAX`).
pub fn bundled(count: usize) -> Vec<Procedure> {
    let mut procedures = civic_catalog::Snapshot::bundled()
        .expect("the bundled snapshot")
        .procedures;
    procedures.truncate(count);
    procedures
}

/// Publishes `procedures` as version 1 dated `data_date` and serves them under `profile`
/// (TOML, checked as the gateway checks an operator's file).
pub async fn serve(procedures: Vec<Procedure>, data_date: &str, profile: &str) -> TestGateway {
    let dir = tempfile::tempdir().expect("tempdir");
    let backend = Backend::connect(&dir.path().join("gateway.sqlite3").display().to_string())
        .await
        .expect("gateway database");
    civic_gateway::catalog::publish(
        &backend,
        procedures,
        data_date.to_owned(),
        1,
        civic_gateway::catalog::Withdrawals::Confirmed,
    )
    .await
    .expect("publish")
    .expect("the first version");
    let city_path = dir.path().join("city.toml");
    std::fs::write(&city_path, profile).expect("write the city profile");
    let city = civic_gateway::city::load(&city_path).expect("a valid city profile");
    let (addr, server) = civic_gateway::serve_loopback(backend.clone(), &city)
        .await
        .expect("serve");
    TestGateway {
        url: format!("http://{addr}"),
        backend,
        server,
        _dir: dir,
    }
}
