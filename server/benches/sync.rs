//! Bytes on the wire for the app's sync against the real gateway (run by `cargo xtask bench
//! sync`, which also provides PostgreSQL): first contact, no change, and 1% of records changed.
#![allow(clippy::print_stdout, clippy::expect_used, clippy::unwrap_used)]

#[path = "../tests/support/mod.rs"]
mod support;

use civic_core::Civic;
use civic_gateway::catalog;
use civic_gateway::catalog::repository::Backend;
use support::proxy::Exchange;

fn catalog_bytes(exchanges: &[Exchange]) -> u64 {
    exchanges
        .iter()
        .filter(|e| e.request_line.contains("/v1/catalog"))
        .map(|e| e.sent + e.received)
        .sum()
}

async fn measure(backend: Backend, name: &str) {
    let all = support::procedures(2642);
    let (address, counters) =
        support::publish_behind_proxy(&backend, all.clone(), "2026-11-01").await;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().to_owned();

    let sync_once = move |path: std::path::PathBuf, address: String| {
        tokio::task::spawn_blocking(move || {
            let civic = Civic::open(&path, Some(&address)).expect("open");
            civic.sync_now(&|| {}).expect("a gateway").expect("sync")
        })
    };
    let full = sync_once(path.clone(), address.clone())
        .await
        .expect("join");
    let first = counters.take_exchanges();
    let no_change = sync_once(path.clone(), address.clone())
        .await
        .expect("join");
    let unchanged = counters.take_exchanges();

    let mut changed = all.clone();
    let step = 100; // every 100th record: 1% of the catalog
    for p in changed.iter_mut().step_by(step) {
        p.steps
            .push("Bước bổ sung: nộp bản sao điện tử qua Cổng dịch vụ công.".into());
    }
    let touched = all.len().div_ceil(step);
    catalog::publish(
        &backend,
        changed,
        "2026-11-02".into(),
        2,
        catalog::Withdrawals::Guarded,
    )
    .await
    .expect("publish")
    .expect("v2");
    let delta = sync_once(path.clone(), address.clone())
        .await
        .expect("join");
    let after_change = counters.take_exchanges();

    let full_bytes = catalog_bytes(&first);
    let delta_bytes = catalog_bytes(&after_change);
    println!("\n== {name}");
    println!(
        "first sync ({:?}): {} bytes for the catalog (+{} for the city profile)",
        full.outcome,
        full_bytes,
        first
            .iter()
            .filter(|e| e.request_line.contains("/v1/city"))
            .map(|e| e.sent + e.received)
            .sum::<u64>()
    );
    println!(
        "no-change sync ({:?}), bytes on the wire per request:",
        no_change.outcome
    );
    for e in &unchanged {
        println!(
            "  {:<45} {:>4} B ({} request + {} response)",
            e.request_line,
            e.sent + e.received,
            e.sent,
            e.received
        );
    }
    println!(
        "delta after {touched} of {} records changed ({:?}, {} changed): {delta_bytes} bytes = {:.2}% of the full catalog transfer",
        all.len(),
        delta.outcome,
        delta.changed,
        100.0 * delta_bytes as f64 / full_bytes as f64
    );
}

#[tokio::main]
async fn main() {
    let sqlite = support::sqlite().await;
    measure(sqlite.backend.clone(), "SQLite gateway").await;
    if std::env::var(support::POSTGRES_ENV).is_ok() {
        let postgres = support::postgres().await;
        measure(postgres.backend.clone(), "PostgreSQL gateway").await;
    } else {
        println!(
            "\nPostgreSQL gateway: skipped ({} not set; `cargo xtask bench sync` sets it)",
            support::POSTGRES_ENV
        );
    }
}
