//! The app's core syncing with a real gateway over loopback HTTP, for both backends: full,
#![allow(clippy::expect_used)] // test helpers: a failure is a failed test
//! unchanged, delta, a transfer cut off half-way, an unreachable gateway, a gateway error.

mod support;

use std::sync::atomic::Ordering;

use civic_core::Civic;
use civic_core::sync::SyncError;
use civic_gateway::catalog;
use civic_gateway::catalog::repository::Backend;
use civic_types::{
    search::SearchRequest,
    status::CatalogSource,
    sync::{SyncOutcome, SyncReport, SyncState},
};

/// One round of the app's real scheduler; checks that progress reached the caller.
fn run_sync(civic: &Civic) -> Result<SyncReport, SyncError> {
    // The most any component reported: each starts at 0, and the feedback outbox (last in
    // the round) transfers little or nothing.
    let last = std::cell::Cell::new(None);
    let report = civic
        .sync_now(&|| {
            if let SyncState::Syncing { received, total } = civic.scheduler().state()
                && last.get().is_none_or(|(most, _)| received >= most)
            {
                last.set(Some((received, total)));
            }
        })
        .expect("a gateway is configured");
    if let Ok(r) = &report
        && r.bytes > 0
    {
        let (received, _) = last.get().expect("progress was reported");
        assert!(received > 0);
    }
    report
}

/// The app's data folder opened against `gateway`, as the host and the CLI open it.
fn open(dir: &std::path::Path, gateway: &str) -> Civic {
    Civic::open(dir, Some(gateway)).expect("open the data folder")
}

fn count(civic: &Civic) -> u32 {
    civic.catalog().store().status().expect("status").procedures
}

async fn story(backend: Backend, name: &'static str) {
    let all = support::procedures(2642);
    let first: Vec<_> = all[..300].to_vec();
    let (address, counters) =
        support::publish_behind_proxy(&backend, first.clone(), "2026-11-01").await;
    let app_dir = tempfile::tempdir().expect("tempdir");
    let app_path = app_dir.path().to_owned();

    let first_counters = std::sync::Arc::clone(&counters);
    let (civic, address) = tokio::task::spawn_blocking(move || {
        let counters = first_counters;
        let civic = open(&app_path, &address);
        assert_eq!(count(&civic), 2642, "{name}: bundled first");

        // First contact: the whole catalog.
        let report = run_sync(&civic).expect("first sync");
        assert_eq!(report.outcome, SyncOutcome::Full, "{name}");
        assert_eq!((report.added, report.changed, report.removed), (0, 0, 2342));
        assert_eq!(report.data_date, "2026-11-01");
        let status = civic.catalog().store().status().expect("status");
        assert_eq!(
            (status.procedures, status.source),
            (300, CatalogSource::Synced)
        );
        let sync_status = civic.sync_status();
        assert!(!sync_status.stale);
        assert_eq!(
            sync_status.city.map(|c| c.vi),
            Some("Tỉnh Ninh Bình".to_owned())
        );
        let components: Vec<_> = sync_status
            .components
            .iter()
            .map(|c| (c.component.as_str(), c.stale, c.last_checked.is_some()))
            .collect();
        assert_eq!(
            components,
            [
                ("city", false, true),
                ("catalog", false, true),
                // Nothing queued: its round asked nothing, but it did check.
                ("feedback", false, true),
                // This gateway publishes no buses: nothing held, nothing to go stale.
                ("bus", false, false),
                // Car parks are served by every gateway: an empty list is an answer.
                ("parking", false, true)
            ]
        );
        let week_later = civic_core::time::now_unix() + 8 * 24 * 3600;
        assert!(
            civic
                .scheduler()
                .components(week_later)
                .iter()
                // The bus holds nothing from this gateway: nothing to go stale.
                .filter(|c| c.component != "bus")
                .all(|c| c.stale),
            "older than the city's 168 h"
        );

        // Nothing changed: two conditional requests, no bodies.
        counters.take();
        let report = run_sync(&civic).expect("no-change sync");
        assert_eq!(
            (report.outcome, report.bytes),
            (SyncOutcome::Unchanged, 0),
            "{name}"
        );
        let (sent, received) = counters.take();
        assert!(
            sent + received < 2048,
            "{name}: {sent} + {received} bytes for two 304s"
        );
        (civic, address)
    })
    .await
    .expect("join");

    // Version 2: three changed, one withdrawn, one added.
    let mut second = first.clone();
    for p in &mut second[..3] {
        p.name.push_str(" (sửa đổi)");
    }
    let withdrawn = second.remove(10).code;
    let newcomer = all[300].clone();
    second.push(newcomer.clone());
    catalog::publish(
        &backend,
        second.clone(),
        "2026-11-02".into(),
        2,
        catalog::Withdrawals::Guarded,
    )
    .await
    .expect("publish")
    .expect("v2");
    let (changed_code, changed_name) = (second[0].code.clone(), second[0].name.clone());
    let (civic, address) = tokio::task::spawn_blocking(move || {
        let report = run_sync(&civic).expect("delta sync");
        assert_eq!(report.outcome, SyncOutcome::Delta, "{name}");
        assert_eq!(
            (report.added, report.changed, report.removed),
            (1, 3, 1),
            "{name}"
        );
        assert_eq!(count(&civic), 300);
        let store = civic.catalog().store();
        assert_eq!(
            store.get(&changed_code).expect("get").map(|p| p.name),
            Some(changed_name)
        );
        assert_eq!(store.get(&withdrawn).expect("get"), None);
        let found = store
            .search(&SearchRequest {
                query: newcomer.name.clone(),
                limit: 3,
                ..Default::default()
            })
            .expect("search");
        assert_eq!(
            found.hits.first().map(|h| h.code.as_str()),
            Some(newcomer.code.as_str()),
            "{name}: name index rebuilt"
        );
        drop(store);
        (civic, address)
    })
    .await
    .expect("join");

    // Version 3 is large, and the connection drops half-way through it.
    catalog::publish(
        &backend,
        all.clone(),
        "2026-11-03".into(),
        3,
        catalog::Withdrawals::Guarded,
    )
    .await
    .expect("publish")
    .expect("v3");
    counters.cut_large_bodies.store(true, Ordering::SeqCst);
    let (civic, address, counters) = tokio::task::spawn_blocking(move || {
        let checkpoint = || {
            civic
                .catalog()
                .store()
                .checkpoint(&address)
                .expect("checkpoint")
        };
        let before = checkpoint();
        let error = run_sync(&civic).expect_err("cut off");
        assert!(
            matches!(error, SyncError::Interrupted { .. }),
            "{name}: {error}"
        );
        assert!(error.is_offline());
        assert_eq!(count(&civic), 300, "{name}: the old data stays");
        assert_eq!(checkpoint(), before, "nothing applied");
        assert!(matches!(civic.sync_status().state, SyncState::Offline));
        assert_eq!(
            civic.catalog().store().status().expect("status").data_date,
            "2026-11-02"
        );
        (civic, address, counters)
    })
    .await
    .expect("join");
    counters.cut_large_bodies.store(false, Ordering::SeqCst);
    tokio::task::spawn_blocking(move || {
        let report = run_sync(&civic).expect("sync after the cut");
        assert_eq!(count(&civic), 2642, "{name}: {report:?}");
        assert_eq!(report.data_date, "2026-11-03");

        // Unreachable: offline, nothing changed.
        let closed = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("bind")
            .local_addr()
            .expect("addr");
        let app_path = civic.data_dir().to_owned();
        drop(civic);
        let unreachable = open(&app_path, &format!("http://{closed}"));
        let error = run_sync(&unreachable).expect_err("nobody listens");
        assert!(matches!(error, SyncError::Offline(_)), "{name}: {error}");
        // The gateway answers with an error: shown as such, nothing changed.
        drop(unreachable);
        let wrong = open(&app_path, &format!("{address}/not-a-gateway"));
        let error = run_sync(&wrong).expect_err("404");
        assert!(
            matches!(&error, SyncError::Gateway { status: 404, code, .. } if code == "not-found"),
            "{name}: {error}"
        );
        assert_eq!(count(&wrong), 2642);
    })
    .await
    .expect("join");
}

#[tokio::test(flavor = "multi_thread")]
async fn app_syncs_with_a_sqlite_gateway() {
    let db = support::sqlite().await;
    story(db.backend.clone(), "sqlite").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn app_syncs_with_a_postgres_gateway() {
    let db = support::postgres().await;
    story(db.backend.clone(), "postgres").await;
}
