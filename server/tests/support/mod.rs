//! Shared by the gateway's test suites: both real backends, test catalogs, a running gateway.
#![allow(dead_code)] // each suite uses a different part
#![allow(clippy::expect_used)] // test support: a failure here is a failed test

pub mod proxy;

use std::io::Read;
use std::net::SocketAddr;

use civic_catalog::Snapshot;
use civic_gateway::catalog::repository::Backend;
use civic_types::{catalog::Procedure, city::CityProfile, error::ApiError};

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

/// An HTTP answer as the test saw it.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        let mut json = Vec::new();
        match self.header("content-encoding") {
            Some("gzip") => {
                flate2::read::GzDecoder::new(&self.body[..])
                    .read_to_end(&mut json)
                    .expect("gunzip");
            }
            Some("br") => {
                brotli::Decompressor::new(&self.body[..], 4096)
                    .read_to_end(&mut json)
                    .expect("unbrotli");
            }
            None => json.clone_from(&self.body),
            Some(other) => panic!("unexpected coding {other}"),
        }
        serde_json::from_slice(&json).expect("JSON body")
    }

    pub fn error_code(&self) -> String {
        assert_eq!(self.header("content-type"), Some("application/json"));
        let error: ApiError = self.json();
        assert!(!error.message.is_empty());
        error.code
    }
}

/// A raw request, so the test controls every header and sees every byte.
pub fn request(method: &str, url: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> Reply {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .accept_encoding("")
        .allow_non_standard_methods(true)
        .build()
        .into();
    let mut builder = ureq::http::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let response = match body {
        Some(body) => agent.run(builder.body(body.to_vec()).expect("request")),
        None => agent.run(builder.body(()).expect("request")),
    }
    .expect("the gateway answers");
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").to_owned()))
        .collect();
    let mut body = Vec::new();
    response
        .into_body()
        .into_reader()
        .read_to_end(&mut body)
        .expect("body");
    Reply {
        status,
        headers,
        body,
    }
}

pub fn get(url: &str, headers: &[(&str, &str)]) -> Reply {
    request("GET", url, headers, None)
}
