//! Parking at the gateway, measured (`cargo xtask bench parking`): car parks near a point
//! under load (`GET /v1/parking/lots/near`, 2,000 car parks, 8 clients) and signed payment
//! notices (`POST /v1/parking/payments`, each verified, replay-checked, matched to one of
//! 2,000 sessions) for each backend, and fee computation under the two shipped tariffs.
//! Clients and gateway share the machine's cores.
#![allow(clippy::print_stdout, clippy::expect_used)] // a benchmark prints; a failure aborts it

mod common;
#[path = "../tests/support/mod.rs"]
mod support;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use civic_gateway::catalog::repository::Backend;
use civic_gateway::parking::repository::{NewSession, ParkingBackend, ParkingRepository};
use civic_parking::CheckedTariff;
use civic_payment::notice as webhook;
use civic_types::parking::{
    Lot, LotState, PaymentState, SessionRecord, TransferNotice, VehicleKind,
};
use common::{load, serve_for_load};

const LOTS: u64 = 2_000;
const SESSIONS: u64 = 2_000;
const NEAR_THREADS: u64 = 8;
const NEAR_FOR: Duration = Duration::from_secs(10);
const NOTICE_THREADS: u64 = 4;
const NOTICE_FOR: Duration = Duration::from_secs(8);
const SECRET: &[u8] = b"the benchmark's bank connector secret, 32+ bytes";
const FEES: usize = 200_000;

/// A seeded generator, so every run asks the same questions.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The gateway with `LOTS` car parks and `SESSIONS` unpaid sessions.
async fn start(backend: Backend) -> SocketAddr {
    let options = civic_gateway::http::Options {
        payment_secret: Some(SECRET.to_vec()),
        ..Default::default()
    };
    let repo = ParkingBackend::open(&backend.database())
        .await
        .expect("parking");
    let mut random = Lcg(7);
    for n in 0..LOTS {
        repo.put_lot(Lot {
            id: format!("lot-{n}"),
            name: format!("Bãi xe {n}"),
            // Đà Nẵng's urban area, about 14 × 17 km.
            lat: 15.98 + random.next() * 0.15,
            lon: 108.13 + random.next() * 0.13,
            kinds: vec![VehicleKind::Motorbike, VehicleKind::Car],
            capacity: 100,
            free: Some((n % 100) as u32),
            state: LotState::Open,
            tariff: None,
            hours: "24/7".into(),
            updated: 0,
        })
        .await
        .expect("lot");
    }
    for n in 0..SESSIONS {
        let id = format!("{n:0>20}");
        repo.put_session(NewSession {
            record: SessionRecord {
                reference: civic_parking::reference::reference(&format!("{n:0>10}")),
                id,
                plate: format!("43A-{n:0>5}"),
                kind: VehicleKind::Motorbike,
                zone: "bach-dang".into(),
                starts_at: 1_000,
                ends_at: 4_600,
                stopped_at: None,
                fee: 4_000,
                received: 0,
                payment: PaymentState::Unpaid,
            },
            plate_key: format!("43A{n:0>5}"),
            at: 1_000,
        })
        .await
        .expect("session");
    }
    serve_for_load(backend, options).await
}

fn measure(runtime: &tokio::runtime::Runtime, backend: Backend, name: &'static str) {
    let addr = runtime.block_on(start(backend));
    load(
        &format!("{name}: GET /v1/parking/lots/near (radius 1.5 km, {LOTS} car parks)"),
        NEAR_THREADS,
        NEAR_FOR,
        move |agent, t, n| {
            let mut random = Lcg(t * 1_000_003 + n);
            let (lat, lon) = (15.98 + random.next() * 0.15, 108.13 + random.next() * 0.13);
            agent
                .get(&format!(
                    "http://{addr}/v1/parking/lots/near?lat={lat}&lon={lon}&radius=1500"
                ))
                .header(
                    "X-Forwarded-For",
                    &format!("10.{t}.{}.{}", n / 250 % 250, n % 250 + 1),
                )
                .call()
                .is_ok_and(|r| r.status() == 200)
        },
    );
    load(
        &format!(
            "{name}: POST /v1/parking/payments (signed, matched to one of {SESSIONS} sessions)"
        ),
        NOTICE_THREADS,
        NOTICE_FOR,
        move |agent, t, n| {
            let session = (t * 7_919 + n) % SESSIONS;
            let notice = TransferNotice {
                id: format!("FT-{name}-{t}-{n}"),
                amount: 1_000,
                description: format!(
                    "MBVCB.{n}.{} gui xe",
                    civic_parking::reference::reference(&format!("{session:0>10}"))
                ),
                booked_at: civic_time::now_unix(),
            };
            let body = serde_json::to_vec(&notice).expect("JSON");
            let timestamp = civic_time::now_unix();
            agent
                .post(&format!("http://{addr}/v1/parking/payments"))
                .header("x-civic-timestamp", &timestamp.to_string())
                .header(
                    "x-civic-signature",
                    &webhook::sign(SECRET, timestamp, &body),
                )
                .content_type("application/json")
                .send(&body[..])
                .is_ok_and(|r| r.status() == 200)
        },
    );
}

fn fees() {
    for city in ["da-nang", "ha-noi"] {
        let path = format!(
            "{}/../assets/cities/{city}.toml",
            env!("CARGO_MANIFEST_DIR")
        );
        let tariff = CheckedTariff::from_profile_or_tariff(
            &std::fs::read_to_string(path).expect("profile"),
            None,
        )
        .expect("tariff");
        let mut random = Lcg(11);
        // Stays of up to three days starting anywhere in 2026.
        let stays: Vec<(i64, i64)> = (0..FEES)
            .map(|_| {
                let start = 1_767_200_000 + (random.next() * 365.0 * 86_400.0) as i64;
                (start, start + 60 + (random.next() * 3.0 * 86_400.0) as i64)
            })
            .collect();
        let started = Instant::now();
        let mut total = 0u64;
        for (start, end) in &stays {
            total += tariff
                .fee(VehicleKind::Car, *start, *end)
                .expect("fee")
                .total;
        }
        let elapsed = started.elapsed();
        println!(
            "fee, {city}'s tariff (car): {FEES} stays of up to 3 days in {:.0} ms: {:.2} µs per fee (checksum {total})",
            elapsed.as_secs_f64() * 1e3,
            elapsed.as_secs_f64() * 1e6 / FEES as f64
        );
    }
}

fn main() {
    fees();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    // Each database lives until its measurement ends.
    let sqlite = runtime.block_on(support::sqlite());
    measure(&runtime, sqlite.backend.clone(), "SQLite");
    match std::env::var(support::POSTGRES_ENV) {
        Ok(_) => {
            let postgres = runtime.block_on(support::postgres());
            measure(&runtime, postgres.backend.clone(), "PostgreSQL");
        }
        Err(_) => println!("PostgreSQL: skipped (run through `cargo xtask bench parking`)"),
    }
}
