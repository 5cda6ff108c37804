//! Shared by the gateway's test suites: both real backends, test catalogs, a running gateway.
#![allow(dead_code)] // each suite uses a different part
#![allow(clippy::expect_used)] // test support: a failure here is a failed test

pub mod proxy;

use std::net::SocketAddr;

use civic_catalog::Snapshot;
use civic_gateway::catalog::repository::Backend;
use civic_types::{catalog::Procedure, city::CityProfile};

/// Set by `cargo xtask test`, which starts a throwaway PostgreSQL server for the run.
pub const POSTGRES_ENV: &str = "CIVIC_TEST_DATABASE_URL";

/// A database kept alive for the test's duration.
pub struct TestDatabase {
    pub backend: Backend,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

pub async fn sqlite() -> TestDatabase {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = dir.path().join("gateway.sqlite3").display().to_string();
    TestDatabase {
        backend: Backend::connect(&url).await.expect("open SQLite"),
        url,
        _dir: Some(dir),
    }
}

/// A new, empty database on the test PostgreSQL server.
pub async fn postgres() -> TestDatabase {
    let admin = std::env::var(POSTGRES_ENV).unwrap_or_else(|_| {
        panic!("{POSTGRES_ENV} is not set: run the tests with `cargo xtask test`, which starts a throwaway PostgreSQL server, or point it at one (postgres://user@host:port/postgres)")
    });
    let (client, connection) = tokio_postgres::connect(&admin, tokio_postgres::NoTls)
        .await
        .expect("connect to the test PostgreSQL server");
    tokio::spawn(connection);
    let name = format!("civic_test_{}", random_suffix());
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create a test database");
    let (base, _) = admin.rsplit_once('/').expect("URL ends in /database");
    let url = format!("{base}/{name}");
    TestDatabase {
        backend: Backend::connect(&url)
            .await
            .expect("connect PostgreSQL backend"),
        url,
        _dir: None,
    }
}

fn random_suffix() -> String {
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes).expect("randomness");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Both backends, fresh, for one suite run.
pub async fn both() -> Vec<TestDatabase> {
    vec![sqlite().await, postgres().await]
}

/// The first `n` real procedures from the bundled catalog.
pub fn procedures(n: usize) -> Vec<Procedure> {
    let mut all = Snapshot::bundled().expect("bundled snapshot").procedures;
    all.truncate(n);
    all
}

pub fn city() -> CityProfile {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../assets/cities/ninh-binh.toml"
    );
    civic_gateway::city::load(std::path::Path::new(path)).expect("city profile")
}

/// Serves the gateway API on a loopback port until the test's runtime ends.
pub async fn serve(backend: Backend) -> SocketAddr {
    civic_gateway::serve_loopback(backend, &city())
        .await
        .expect("serve")
        .0
}

/// Publishes `procedures` as the first version, serves it, and puts a counting proxy in front.
pub async fn publish_behind_proxy(
    backend: &Backend,
    procedures: Vec<Procedure>,
    data_date: &str,
) -> (String, std::sync::Arc<proxy::Counters>) {
    civic_gateway::catalog::publish(
        backend,
        procedures,
        data_date.into(),
        1,
        civic_gateway::catalog::Withdrawals::Confirmed,
    )
    .await
    .expect("publish")
    .expect("a first version");
    let (proxy, counters) = proxy::start(serve(backend.clone()).await).await;
    (format!("http://{proxy}"), counters)
}
