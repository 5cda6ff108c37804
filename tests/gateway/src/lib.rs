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
    addr: std::net::SocketAddr,
    city: civic_types::city::CityProfile,
    options: civic_gateway::http::Options,
    _dir: tempfile::TempDir,
}

impl TestGateway {
    /// Takes the gateway offline (its data kept).
    pub async fn stop(&mut self) {
        self.server.abort();
        let _ = (&mut self.server).await;
    }

    /// Brings a stopped gateway back at the same address, with the same data.
    pub async fn restart(&mut self) {
        let (addr, server) = civic_gateway::serve_loopback_with(
            self.addr.port(),
            self.backend.clone(),
            &self.city,
            self.options.clone(),
        )
        .await
        .expect("serve again at the same address");
        assert_eq!(addr, self.addr);
        self.server = server;
    }

    /// A new staff token for the gateway's Open311 staff endpoints.
    pub async fn staff_token(&self, name: &str) -> String {
        civic_gateway::platform::credentials::CredentialStore::open(&self.backend.database())
            .await
            .expect("the gateway's credentials")
            .issue(civic_gateway::feedback::service::STAFF, name)
            .await
            .expect("a staff token")
    }

    /// What a staff member's tool does: `POST requests/{id}/updates.json` with a new status
    /// and a note. The HTTP status of the answer.
    pub async fn staff_update(
        &self,
        token: &str,
        request_id: &str,
        status: &str,
        note: &str,
    ) -> u16 {
        let url = format!("{}/open311/v2/requests/{request_id}/updates.json", self.url);
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("status", status)
            .append_pair("description", note)
            .finish();
        let authorization = format!("Bearer {token}");
        tokio::task::spawn_blocking(move || {
            ureq::Agent::config_builder()
                .http_status_as_error(false)
                .build()
                .new_agent()
                .post(&url)
                .header("Authorization", &authorization)
                .content_type("application/x-www-form-urlencoded")
                .send(body)
                .expect("the gateway answers")
                .status()
                .as_u16()
        })
        .await
        .expect("the staff request ran")
    }
}

impl TestGateway {
    /// Adds a car park, as its operator would.
    pub async fn put_lot(&self, lot: civic_types::parking::Lot) {
        use civic_gateway::parking::repository::{ParkingBackend, ParkingRepository};
        ParkingBackend::open(&self.backend.database())
            .await
            .expect("the gateway's parking store")
            .put_lot(lot)
            .await
            .expect("a car park stored");
    }

    /// A parking session as the gateway holds it.
    pub async fn parking_session(&self, id: &str) -> Option<civic_types::parking::SessionRecord> {
        use civic_gateway::parking::repository::{ParkingBackend, ParkingRepository};
        ParkingBackend::open(&self.backend.database())
            .await
            .expect("the gateway's parking store")
            .session(id.to_owned())
            .await
            .expect("a session read")
    }

    /// What the operator's bank connector does when a transfer arrives: a notice signed
    /// with [`PAYMENT_SECRET`]. The HTTP status of the answer.
    pub async fn notify_transfer(&self, notice: &civic_types::parking::TransferNotice) -> u16 {
        let url = format!("{}/v1/parking/payments", self.url);
        let body = serde_json::to_vec(notice).expect("JSON");
        let timestamp = civic_time::now_unix();
        let signature = civic_payment::notice::sign(PAYMENT_SECRET, timestamp, &body);
        tokio::task::spawn_blocking(move || {
            ureq::Agent::config_builder()
                .http_status_as_error(false)
                .build()
                .new_agent()
                .post(&url)
                .header("x-civic-timestamp", &timestamp.to_string())
                .header("x-civic-signature", &signature)
                .content_type("application/json")
                .send(&body[..])
                .expect("the gateway answers")
                .status()
                .as_u16()
        })
        .await
        .expect("the notice was sent")
    }
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
    serve_with_bus(
        procedures,
        data_date,
        profile,
        &civic_gateway::bus::BusFiles::default(),
    )
    .await
}

/// [`serve`], with the city's bus timetable and live captures to replay.
pub async fn serve_with_bus(
    procedures: Vec<Procedure>,
    data_date: &str,
    profile: &str,
    bus: &civic_gateway::bus::BusFiles,
) -> TestGateway {
    let options = civic_gateway::http::Options {
        bus: civic_gateway::bus::BusState::load(bus).expect("the bus files"),
        payment_secret: Some(PAYMENT_SECRET.to_vec()),
        ..Default::default()
    };
    serve_with(procedures, data_date, profile, options).await
}

/// The bank connector's secret the test gateways take payment notices under.
pub const PAYMENT_SECRET: &[u8] = b"the test bank connector's shared secret, 32+ bytes";

/// [`serve`], with `options`.
pub async fn serve_with(
    procedures: Vec<Procedure>,
    data_date: &str,
    profile: &str,
    options: civic_gateway::http::Options,
) -> TestGateway {
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
    let (addr, server) =
        civic_gateway::serve_loopback_with(0, backend.clone(), &city, options.clone())
            .await
            .expect("serve");
    TestGateway {
        url: format!("http://{addr}"),
        backend,
        server,
        addr,
        city,
        options,
        _dir: dir,
    }
}
