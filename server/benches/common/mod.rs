//! Shared by the gateway's benchmarks: the gateway under load, a load of HTTP clients, and
//! latency figures read the same way in every report.
#![allow(dead_code)] // each benchmark uses a different part

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use civic_gateway::catalog::repository::Backend;
use civic_gateway::platform::client::TrustedProxies;
use civic_gateway::serve::{self, Limits};

/// Đà Nẵng's profile, as shipped: the benchmarks' city.
pub fn da_nang() -> civic_types::city::CityProfile {
    civic_gateway::city::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../assets/cities/da-nang.toml"
    )))
    .expect("city profile")
}

/// The gateway for Đà Nẵng on a free loopback port, taking loopback's `X-Forwarded-For`, so
/// each simulated resident is its own client for the per-client limits.
pub async fn serve_for_load(backend: Backend, options: civic_gateway::http::Options) -> SocketAddr {
    let state = civic_gateway::http::AppState::open_with(backend, &da_nang(), options)
        .await
        .expect("state");
    let (listener, addr) = serve::bind(([127, 0, 0, 1], 0).into()).await.expect("bind");
    tokio::spawn(serve::serve(
        listener,
        civic_gateway::http::router(state),
        Limits {
            trusted_proxies: TrustedProxies::new(vec![[127, 0, 0, 1].into()]),
            ..Limits::default()
        },
        Arc::default(),
        std::future::pending(),
    ));
    addr
}

/// The nearest-rank percentile of sorted latencies (`p` in 0..=1); zero when none.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() as f64) * p).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// An HTTP client that hands back 4xx and 5xx answers instead of failing on them.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent()
}

/// Runs `threads` clients for `length`, each calling `request(thread, n)` (true: answered
/// as expected); prints the rate and latencies.
pub fn load(
    name: &str,
    threads: u64,
    length: Duration,
    request: impl Fn(&ureq::Agent, u64, u64) -> bool + Send + Sync + 'static,
) {
    let request = Arc::new(request);
    let failures = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let (request, failures) = (Arc::clone(&request), Arc::clone(&failures));
            std::thread::spawn(move || {
                let agent = agent();
                let mut latencies = Vec::new();
                let mut n = 0;
                while started.elapsed() < length {
                    let sent = Instant::now();
                    if !request(&agent, t, n) {
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                    latencies.push(sent.elapsed());
                    n += 1;
                }
                latencies
            })
        })
        .collect();
    let mut latencies: Vec<Duration> = handles
        .into_iter()
        .flat_map(|h| h.join().expect("client"))
        .collect();
    let elapsed = started.elapsed();
    latencies.sort();
    println!(
        "{name} × {} in {:.1} s ({threads} clients): {:.0}/s · p50 {} · p95 {} · p99 {} · failed: {}",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.95)),
        ms(percentile(&latencies, 0.99)),
        failures.load(Ordering::Relaxed)
    );
}
