//! One suite, every backend: the SQLite and PostgreSQL repositories must behave the same.
#![allow(clippy::expect_used)] // test helpers: a failure is a failed test

mod support;

use std::io::Read;

use civic_gateway::catalog::repository::{PublishPlan, RepoError, Repository};
use civic_gateway::catalog::{self, DELTA_RETENTION, PublishError};
use civic_types::catalog::{CatalogChanges, CatalogUpdate, Procedure};

fn renamed(mut p: Procedure, suffix: &str) -> Procedure {
    p.name.push_str(suffix);
    p
}

fn unpack(gzip: &[u8]) -> CatalogUpdate {
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(gzip)
        .read_to_end(&mut json)
        .expect("gunzip");
    serde_json::from_slice(&json).expect("a CatalogUpdate")
}

async fn conformance(repo: impl Repository, name: &str) {
    // Empty.
    assert_eq!(repo.head().await.expect("head"), None, "{name}");
    assert_eq!(repo.delta(0).await.expect("delta"), None, "{name}");
    assert!(repo.digests().await.expect("digests").is_empty(), "{name}");
    assert!(matches!(
        catalog::publish(
            &repo,
            Vec::new(),
            "2026-11-01".into(),
            1,
            catalog::Withdrawals::Guarded
        )
        .await,
        Err(PublishError::Empty)
    ));

    // Version 1.
    let base = support::procedures(4);
    let v1 = catalog::publish(
        &repo,
        base[..3].to_vec(),
        "2026-11-01".into(),
        100,
        catalog::Withdrawals::Confirmed,
    )
    .await
    .expect("publish v1")
    .expect("a new version");
    assert_eq!(
        (v1.version, v1.added, v1.changed, v1.removed),
        (1, 3, 0, 0),
        "{name}"
    );
    let head = repo.head().await.expect("head").expect("a head");
    assert_eq!(
        (head.version, head.data_date.as_str(), head.published_at),
        (1, "2026-11-01", 100)
    );
    let snapshot = repo.snapshot(1).await.expect("snapshot").expect("kept");
    let full = unpack(&snapshot.gzip);
    assert_eq!(full.cursor, catalog::cursor(repo.epoch(), 1));
    assert_eq!(
        full.changes,
        CatalogChanges::Full {
            procedures: base[..3].to_vec()
        },
        "{name}"
    );
    assert!(!snapshot.br.is_empty());

    // The same catalog again: no new version.
    let again = catalog::publish(
        &repo,
        base[..3].to_vec(),
        "2026-11-01".into(),
        101,
        catalog::Withdrawals::Confirmed,
    )
    .await;
    assert_eq!(again.expect("publish"), None, "{name}");
    let dup = vec![base[0].clone(), base[0].clone()];
    assert!(matches!(
        catalog::publish(
            &repo,
            dup,
            "2026-11-02".into(),
            102,
            catalog::Withdrawals::Guarded
        )
        .await,
        Err(PublishError::DuplicateCode(_))
    ));

    // Version 2: one changed, one withdrawn, one added.
    let v2_records = vec![
        renamed(base[0].clone(), " (sửa đổi)"),
        base[2].clone(),
        base[3].clone(),
    ];
    let v2 = catalog::publish(
        &repo,
        v2_records.clone(),
        "2026-11-02".into(),
        200,
        catalog::Withdrawals::Guarded,
    )
    .await
    .expect("publish v2")
    .expect("a new version");
    assert_eq!(
        (v2.version, v2.added, v2.changed, v2.removed),
        (2, 1, 1, 1),
        "{name}"
    );
    let delta = repo.delta(1).await.expect("delta").expect("available");
    assert_eq!(delta.head.version, 2);
    let upserted: Vec<&str> = delta
        .changes
        .iter()
        .filter(|c| c.record.is_some())
        .map(|c| c.code.as_str())
        .collect();
    let withdrawn: Vec<&str> = delta
        .changes
        .iter()
        .filter(|c| c.record.is_none())
        .map(|c| c.code.as_str())
        .collect();
    let mut expected_upserts = vec![base[0].code.as_str(), base[3].code.as_str()];
    expected_upserts.sort();
    assert_eq!(upserted, expected_upserts, "{name}");
    assert_eq!(withdrawn, vec![base[1].code.as_str()], "{name}");
    assert!(
        repo.delta(2)
            .await
            .expect("delta")
            .expect("current")
            .changes
            .is_empty()
    );
    assert_eq!(
        repo.delta(3).await.expect("delta"),
        None,
        "a future cursor is unknown"
    );
    assert_eq!(
        repo.snapshot(1).await.expect("snapshot"),
        None,
        "only the head's snapshot is kept"
    );
    assert_eq!(
        unpack(&repo.snapshot(2).await.expect("s").expect("kept").gzip).changes,
        CatalogChanges::Full {
            procedures: v2_records
        }
    );

    // A plan computed against an old head changes nothing.
    let stale = PublishPlan {
        base_version: 1,
        version: v2.clone(),
        upserts: Vec::new(),
        deletes: Vec::new(),
        snapshot: repo.snapshot(2).await.expect("s").expect("kept"),
        delta_floor: 0,
    };
    assert!(matches!(
        repo.publish(stale).await,
        Err(RepoError::Conflict {
            expected: 1,
            found: 2
        })
    ));
    assert_eq!(repo.head().await.expect("head").map(|h| h.version), Some(2));

    // A withdrawn procedure that comes back is an upsert again.
    let v3 = catalog::publish(
        &repo,
        base.clone(),
        "2026-11-03".into(),
        300,
        catalog::Withdrawals::Guarded,
    )
    .await
    .expect("publish v3")
    .expect("new");
    assert_eq!((v3.added, v3.changed, v3.removed), (1, 1, 0), "{name}");
    let delta = repo.delta(2).await.expect("delta").expect("available");
    assert!(delta.changes.iter().all(|c| c.record.is_some()), "{name}");

    // Past the retention window, old cursors get no delta and tombstones are pruned.
    for i in 0..DELTA_RETENTION {
        let date = format!("2026-12-{:02}", 1 + i % 28);
        let records = if i % 2 == 0 {
            base[..3].to_vec()
        } else {
            base.clone()
        };
        catalog::publish(&repo, records, date, 400 + i, catalog::Withdrawals::Guarded)
            .await
            .expect("publish")
            .expect("new");
    }
    let head = repo.head().await.expect("head").expect("head");
    assert_eq!(head.version, 3 + DELTA_RETENTION);
    assert_eq!(head.delta_floor, head.version - DELTA_RETENTION);
    assert_eq!(repo.delta(1).await.expect("delta"), None, "{name}: too old");
    assert!(repo.delta(head.delta_floor).await.expect("delta").is_some());
    let versions = repo.versions().await.expect("versions");
    assert_eq!(versions.len() as i64, head.version);
    assert_eq!(
        versions.first().map(|v| v.version),
        Some(head.version),
        "newest first"
    );
}

#[tokio::test]
async fn sqlite_backend_conforms() {
    let db = support::sqlite().await;
    conformance(db.backend.clone(), "sqlite").await;
    // The epoch survives a restart: cursors stay valid.
    let reopened = civic_gateway::catalog::repository::Backend::connect(&db.url)
        .await
        .expect("reopen");
    assert_eq!(reopened.epoch(), db.backend.epoch());
}

#[tokio::test]
async fn postgres_backend_conforms() {
    let db = support::postgres().await;
    conformance(db.backend.clone(), "postgres").await;
    let reopened = civic_gateway::catalog::repository::Backend::connect(&db.url)
        .await
        .expect("reconnect");
    assert_eq!(reopened.epoch(), db.backend.epoch());
}

#[tokio::test]
async fn different_databases_have_different_epochs() {
    let (a, b) = (support::sqlite().await, support::sqlite().await);
    assert_ne!(a.backend.epoch(), b.backend.epoch());
}

/// A publish that would make apps drop a large part of the catalog is refused unless the
/// operator confirms it; the confirmation travels to apps with the versions it covers.
async fn withdrawal_guard(repo: impl Repository, name: &str) {
    use catalog::Withdrawals::{Confirmed, Guarded};
    let all = support::procedures(usize::MAX);
    let held = all.len();
    let half = all[..held / 2].to_vec();
    // A first version is counted against the snapshot apps start from.
    let refused = catalog::publish(&repo, half.clone(), "2026-11-01".into(), 1, Guarded).await;
    assert!(
        matches!(refused, Err(PublishError::MassWithdrawal { withdrawn, held: h }) if withdrawn == held - held / 2 && h == held),
        "{name}: {refused:?}"
    );
    assert_eq!(
        repo.head().await.expect("head"),
        None,
        "{name}: nothing published"
    );

    let v1 = catalog::publish(&repo, all.clone(), "2026-11-01".into(), 1, Guarded)
        .await
        .expect("the whole catalog withdraws nothing")
        .expect("v1");
    assert!(!v1.withdrawals_confirmed);
    let snapshot = repo.snapshot(1).await.expect("snapshot").expect("kept");
    assert!(!unpack(&snapshot.gzip).withdrawals_confirmed, "{name}");

    // A few withdrawn: routine, unconfirmed.
    let v2 = catalog::publish(&repo, all[5..].to_vec(), "2026-11-02".into(), 2, Guarded)
        .await
        .expect("five withdrawn")
        .expect("v2");
    assert_eq!((v2.removed, v2.withdrawals_confirmed), (5, false));
    let delta = repo.delta(1).await.expect("delta").expect("available");
    assert!(!delta.withdrawals_confirmed, "{name}");

    // Half withdrawn: refused, then confirmed.
    let refused = catalog::publish(&repo, half.clone(), "2026-11-03".into(), 3, Guarded).await;
    assert!(
        matches!(refused, Err(PublishError::MassWithdrawal { .. })),
        "{name}: {refused:?}"
    );
    assert_eq!(repo.head().await.expect("head").map(|h| h.version), Some(2));
    let v3 = catalog::publish(&repo, half.clone(), "2026-11-03".into(), 3, Confirmed)
        .await
        .expect("confirmed")
        .expect("v3");
    assert!(v3.withdrawals_confirmed);
    for since in [1, 2] {
        let delta = repo.delta(since).await.expect("delta").expect("available");
        assert!(delta.withdrawals_confirmed, "{name}: since {since}");
        let update = catalog::service::delta_update(repo.epoch(), since, delta).expect("body");
        assert!(update.withdrawals_confirmed, "{name}");
    }
    // A later small change: deltas from v3 on carry no confirmation, a full one does (it
    // replaces whatever an app holds, however old).
    let mut changed = half.clone();
    changed[0].name.push_str(" (sửa đổi)");
    catalog::publish(&repo, changed, "2026-11-04".into(), 4, Guarded)
        .await
        .expect("a change")
        .expect("v4");
    let delta = repo.delta(3).await.expect("delta").expect("available");
    assert!(!delta.withdrawals_confirmed, "{name}");
    assert!(
        repo.delta(2)
            .await
            .expect("delta")
            .expect("available")
            .withdrawals_confirmed
    );
    let snapshot = repo.snapshot(4).await.expect("snapshot").expect("kept");
    assert!(unpack(&snapshot.gzip).withdrawals_confirmed, "{name}");
    let versions = repo.versions().await.expect("versions");
    let flags: Vec<bool> = versions.iter().map(|v| v.withdrawals_confirmed).collect();
    assert_eq!(flags, [false, true, false, false], "{name}: newest first");
}

#[tokio::test]
async fn withdrawals_are_guarded_on_every_backend() {
    for db in support::both().await {
        let name = db.backend.kind();
        withdrawal_guard(db.backend.clone(), name).await;
    }
}
