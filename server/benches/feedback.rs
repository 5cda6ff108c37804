//! Feedback at the gateway, measured (`cargo xtask bench feedback`): `POST
//! /open311/v2/requests.json` throughput and latency on loopback for each backend, photo
//! upload throughput, and the outbox's time from the gateway coming back to every one of
//! 100 queued reports (each with a photo) sent. The gateway runs in this process behind a
//! trusted "proxy" (loopback), each simulated resident named by `X-Forwarded-For`, so the
//! per-address allowances apply per resident as they would behind a city's reverse proxy.
//! Clients and gateway share the machine's cores.
#![allow(clippy::print_stdout, clippy::expect_used)] // a benchmark prints; a failure aborts it

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use civic_core::feedback::{Endpoint, Format, Outbox, Target};
use civic_gateway::catalog::repository::Backend;
use civic_gateway::feedback::service::APP;
use civic_gateway::platform::credentials::CredentialStore;
use civic_types::feedback::{ReportDraft, ReportPlace};
use common::{load, ms, percentile, serve_for_load};

const POST_THREADS: u64 = 8;
const POST_FOR: Duration = Duration::from_secs(10);
const UPLOAD_THREADS: u64 = 2;
const UPLOAD_FOR: Duration = Duration::from_secs(8);
const QUEUED: usize = 100;

async fn start(backend: Backend) -> (SocketAddr, String) {
    let key = CredentialStore::open(&backend.database())
        .await
        .expect("credentials")
        .issue(APP, "bench")
        .await
        .expect("key");
    (serve_for_load(backend, Default::default()).await, key)
}

/// A resident's address behind the proxy: one per simulated client.
fn resident(thread: u64, n: u64) -> String {
    format!("10.{}.{}.{}", thread, (n / 250) % 250, n % 250 + 1)
}

fn post_phase(addr: SocketAddr, key: &str, name: &str) {
    let key = key.to_owned();
    let url = format!("http://{addr}/open311/v2/requests.json");
    load(
        &format!("{name}: POST /open311/v2/requests.json (answered 201)"),
        POST_THREADS,
        POST_FOR,
        move |agent, t, n| {
            let body = format!(
                "api_key={key}&service_code=chieu-sang&lat={}&long=108.2022&attribute%5Bproblem%5D=off&description=B%C3%A1o+c%C3%A1o+{t}-{n}",
                16.0 + (n % 1000) as f64 * 1e-4
            );
            agent
                .post(&url)
                .header("Idempotency-Key", &format!("bench-{t}-{n}"))
                .header("X-Forwarded-For", &resident(t, n))
                .content_type("application/x-www-form-urlencoded")
                .send(body)
                .is_ok_and(|r| r.status().as_u16() == 201)
        },
    );
}

/// A 12-megapixel phone photo (4000 × 3000 JPEG with texture, so it compresses like one).
fn phone_photo() -> Vec<u8> {
    let image = image::RgbImage::from_fn(4_000, 3_000, |x, y| {
        // Smooth light with a little sensor noise, as a street photo is.
        let noise = ((x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)) >> 28) as u8;
        image::Rgb([
            (x / 16) as u8 + noise,
            (y / 12) as u8 + noise,
            ((x + y) / 28) as u8 + noise,
        ])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&image)
        .expect("encode");
    out
}

fn upload_phase(addr: SocketAddr, key: &str, name: &str, photo: &Arc<Vec<u8>>) {
    let started = Instant::now();
    let threads: Vec<_> = (0..UPLOAD_THREADS)
        .map(|_| {
            let key = key.to_owned();
            let photo = Arc::clone(photo);
            std::thread::spawn(move || {
                let endpoint = Endpoint::new(&format!("http://{addr}/open311/v2"), Format::Json)
                    .expect("endpoint");
                let mut latencies = Vec::new();
                while started.elapsed() < UPLOAD_FOR {
                    let sent = Instant::now();
                    endpoint
                        .upload_photo(photo.to_vec(), &key)
                        .expect("uploaded");
                    latencies.push(sent.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies: Vec<Duration> = threads
        .into_iter()
        .flat_map(|t| t.join().expect("upload thread"))
        .collect();
    let elapsed = started.elapsed();
    latencies.sort();
    let megabytes = (latencies.len() * photo.len()) as f64 / 1e6;
    println!(
        "{name}: POST /open311/v2/media, {:.1} MB 12 MP JPEG × {} ({UPLOAD_THREADS} clients): {:.1} photos/s ({:.1} MB/s in) · p50 {} · p99 {} (each decoded, shrunk to 1600 px, re-encoded)",
        photo.len() as f64 / 1e6,
        latencies.len(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        megabytes / elapsed.as_secs_f64(),
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.99)),
    );
}

fn outbox_phase(runtime: &tokio::runtime::Runtime, backend: Backend, name: &str, photo: &[u8]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let outbox = Outbox::open(&dir.path().join("feedback.sqlite3")).expect("outbox");
    for n in 0..QUEUED {
        let id = outbox
            .write_draft(
                &ReportDraft {
                    service_code: "rac-thai".into(),
                    service_name: "Rác thải".into(),
                    description: Some(format!("queued report {n}")),
                    place: ReportPlace {
                        lat: Some(16.05 + n as f64 * 1e-4),
                        lon: Some(108.2),
                        ..ReportPlace::default()
                    },
                    attributes: vec![("kind".into(), "household".into())],
                },
                None,
                1,
            )
            .expect("draft");
        // Each its own photo (a pixel changed), as real reports have.
        let mut image = image::load_from_memory(photo).expect("decode").to_rgb8();
        image.put_pixel(0, 0, image::Rgb([n as u8, 0, 0]));
        let mut own = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut own, 90)
            .encode_image(&image)
            .expect("encode");
        outbox.attach_photo(id, &own, false).expect("photo");
        outbox.queue(id).expect("queue");
    }
    let free = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let down = format!("http://{}/open311/v2", free.local_addr().expect("addr"));
    drop(free);
    let target = |endpoint: &str, key: &str| Target {
        endpoint: Endpoint::new(endpoint, Format::Json).expect("endpoint"),
        api_key: key.to_owned(),
        due_working_days: 3,
        zone: civic_core::time::vietnam(),
    };
    assert!(
        outbox.send_due(&target(&down, "none"), 2).is_err(),
        "offline"
    );
    let (addr, key) = runtime.block_on(start(backend));
    let up = target(&format!("http://{addr}/open311/v2"), &key);
    let started = Instant::now();
    let mut rounds = 0;
    loop {
        rounds += 1;
        let now = outbox.next_attempt().expect("next").unwrap_or(0).max(2);
        let round = outbox.send_due(&up, now).expect("a round");
        if round.waiting == 0 && outbox.next_attempt().expect("next").is_none() {
            break;
        }
    }
    println!(
        "{name}: outbox of {QUEUED} reports with a photo each ({} KB after re-encoding), gateway back → all sent: {} in {rounds} round(s)",
        photo.len() / 1024,
        ms(started.elapsed())
    );
}

/// A name no earlier database in this run has.
fn unique() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let photo = Arc::new(phone_photo());
    let shrunk = civic_core::feedback::photo::reencode(&photo)
        .expect("re-encode")
        .jpeg;
    let mut backends = vec![("SQLite", None)];
    match std::env::var("CIVIC_TEST_DATABASE_URL") {
        Ok(url) => backends.push(("PostgreSQL", Some(url))),
        Err(_) => println!(
            "PostgreSQL skipped: CIVIC_TEST_DATABASE_URL is not set (`cargo xtask bench feedback` sets it)"
        ),
    }
    for (name, postgres) in backends {
        let dir = tempfile::tempdir().expect("tempdir");
        let fresh = || {
            let dir = dir.path().to_owned();
            let postgres = postgres.clone();
            async move {
                match postgres {
                    None => Backend::connect(
                        &dir.join(format!("gw-{}.sqlite3", unique()))
                            .display()
                            .to_string(),
                    )
                    .await
                    .expect("SQLite"),
                    Some(admin) => {
                        let (client, connection) =
                            tokio_postgres::connect(&admin, tokio_postgres::NoTls)
                                .await
                                .expect("PostgreSQL");
                        tokio::spawn(connection);
                        let database = format!("civic_bench_{}", unique());
                        client
                            .batch_execute(&format!("CREATE DATABASE {database}"))
                            .await
                            .expect("create database");
                        let (base, _) = admin.rsplit_once('/').expect("URL ends in /database");
                        Backend::connect(&format!("{base}/{database}"))
                            .await
                            .expect("PostgreSQL backend")
                    }
                }
            }
        };
        let (addr, key) = runtime.block_on(async { start(fresh().await).await });
        post_phase(addr, &key, name);
        upload_phase(addr, &key, name, &photo);
        outbox_phase(&runtime, runtime.block_on(fresh()), name, &shrunk);
    }
}
