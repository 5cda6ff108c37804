//! Search latency, printed as p50/p95 (a benchmark, not a test: it asserts nothing).
//!
//! - the real 2,642-procedure catalog: every query in `queries_dev.tsv` and in the project's
//!   own query sets (`tests/data/search/*.tsv`), typed out keystroke by keystroke (type-ahead)
//!   and submitted whole (full query);
//! - a generated 100,000-procedure catalog: the real procedures as local variants for the
//!   communes in `admin-units/vn_units_2025_full.json`, same queries.
//!
//! Also prints the search index's memory and how long building it took.
#![allow(clippy::expect_used, clippy::print_stdout, clippy::unwrap_used)]

use std::time::{Duration, Instant};

use civic_catalog::{CatalogStore, Snapshot};
use civic_types::search::{SearchFilters, SearchRequest};

fn data(path: &str) -> std::path::PathBuf {
    civic_test_support::shared_data().join(path)
}

fn queries() -> Vec<String> {
    let own = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/search");
    [
        data("search/queries_dev.tsv"),
        own.join("tune.tsv"),
        own.join("held_out.tsv"),
        own.join("no_answer.tsv"),
    ]
    .iter()
    .flat_map(|path| {
        std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| l.split('\t').next().unwrap().to_owned())
            .collect::<Vec<_>>()
    })
    .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn measure(
    store: &CatalogStore,
    requests: &[SearchRequest],
    rounds: usize,
) -> (Duration, Duration, usize) {
    let mut times = Vec::with_capacity(requests.len() * rounds);
    for _ in 0..rounds {
        for request in requests {
            let started = Instant::now();
            let results = store.search(request).expect("search");
            times.push(started.elapsed());
            std::hint::black_box(results);
        }
    }
    times.sort();
    (
        percentile(&times, 0.50),
        percentile(&times, 0.95),
        times.len(),
    )
}

fn report(catalog: &str, store: &CatalogStore) {
    let queries = queries();
    let full: Vec<SearchRequest> = queries
        .iter()
        .map(|q| SearchRequest {
            query: q.clone(),
            prefix: false,
            filters: SearchFilters::default(),
            limit: 20,
        })
        .collect();
    let typed: Vec<SearchRequest> = queries
        .iter()
        .flat_map(|q| {
            let chars: Vec<char> = q.chars().collect();
            (1..=chars.len()).map(move |n| chars[..n].iter().collect::<String>())
        })
        .map(|q| SearchRequest {
            query: q,
            prefix: true,
            filters: SearchFilters::default(),
            limit: 20,
        })
        .collect();
    // Warm the statement cache and the page cache, as a running app would have.
    measure(store, &full, 1);
    println!(
        "{catalog:<28} search index {:.1} MiB",
        store.search_index_bytes() as f64 / (1024.0 * 1024.0)
    );
    for (kind, requests, rounds) in [("type-ahead", &typed, 1), ("full query", &full, 5)] {
        let (p50, p95, n) = measure(store, requests, rounds);
        println!(
            "{catalog:<28} {kind:<11} n={n:<5} p50={:>7.3} ms  p95={:>7.3} ms",
            p50.as_secs_f64() * 1e3,
            p95.as_secs_f64() * 1e3
        );
    }
}

/// The real catalog, multiplied into per-commune local variants up to `target` records.
fn generated(real: &Snapshot, target: usize) -> Snapshot {
    let units: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(data("admin-units/vn_units_2025_full.json")).expect("units"),
    )
    .expect("units json");
    let mut communes = Vec::new();
    for province in units.as_array().expect("provinces") {
        let province_name = province["Name"].as_str().unwrap_or_default();
        for ward in province["Wards"].as_array().into_iter().flatten() {
            communes.push(format!(
                "{} , {province_name}",
                ward["Name"].as_str().unwrap_or_default()
            ));
        }
    }
    assert!(!communes.is_empty(), "no communes read");
    let mut procedures = Vec::with_capacity(target);
    for i in 0..target {
        let mut p = real.procedures[i % real.procedures.len()].clone();
        let round = i / real.procedures.len();
        if round > 0 {
            let commune = &communes[(i * 7919) % communes.len()];
            p.code = format!("{}.{round:03}.H{:05}", p.code, i % 100_000);
            p.name = format!("{} ({commune})", p.name);
        }
        procedures.push(p);
    }
    Snapshot {
        format: real.format,
        data_date: real.data_date.clone(),
        procedures,
    }
}

fn main() {
    let real = Snapshot::bundled().expect("bundled snapshot");
    let started = Instant::now();
    let store = CatalogStore::in_memory(&real).expect("store");
    println!(
        "real catalog of {} procedures stored and indexed in {:.2} s",
        real.procedures.len(),
        started.elapsed().as_secs_f64()
    );
    report(&format!("real catalog ({})", real.procedures.len()), &store);
    drop(store);

    let started = Instant::now();
    let big = generated(&real, 100_000);
    let store = CatalogStore::in_memory(&big).expect("store");
    println!(
        "generated catalog of {} procedures built in {:.1} s",
        big.procedures.len(),
        started.elapsed().as_secs_f64()
    );
    report(
        &format!("generated catalog ({})", big.procedures.len()),
        &store,
    );
}
