//! An update that would withdraw a large part of the catalog is applied only when the
//! gateway says its operator confirmed it; otherwise nothing changes.
#![allow(clippy::expect_used)]

use civic_catalog::{CatalogStore, Fetched, Opened, Snapshot};
use civic_sync::SyncError;
use civic_types::catalog::{CATALOG_WIRE_FORMAT, CatalogChanges, CatalogUpdate, Procedure};

const GATEWAY: &str = "https://gw.example.gov.vn";

fn store() -> (tempfile::TempDir, CatalogStore) {
    let dir = tempfile::tempdir().expect("tempdir");
    let Opened { store, .. } = CatalogStore::open(&dir.path().join("c.sqlite3")).expect("open");
    (dir, store)
}

fn bundled() -> Vec<Procedure> {
    Snapshot::bundled().expect("bundled").procedures
}

fn fetched(cursor: &str, confirmed: bool, changes: CatalogChanges) -> Option<Fetched> {
    Some(Fetched {
        update: CatalogUpdate {
            format: CATALOG_WIRE_FORMAT,
            cursor: cursor.into(),
            data_date: "2026-12-01".into(),
            withdrawals_confirmed: confirmed,
            changes,
        },
        etag: None,
        bytes: 1,
    })
}

fn count(store: &CatalogStore) -> u32 {
    store.status().expect("status").procedures
}

#[test]
fn a_truncated_full_catalog_is_refused_unless_confirmed() {
    let (_dir, mut store) = store();
    let mut half = bundled();
    half.truncate(half.len() / 2);
    let full = || CatalogChanges::Full {
        procedures: half.clone(),
    };
    let refused = store.apply_sync(GATEWAY, fetched("ab.1", false, full()), 10);
    assert!(
        matches!(
            refused,
            Err(SyncError::UnconfirmedWithdrawal {
                withdrawn: 1321,
                held: 2642
            })
        ),
        "{refused:?}"
    );
    assert_eq!(count(&store), 2642, "the catalog held is untouched");
    assert_eq!(
        store.checkpoint(GATEWAY).expect("checkpoint").cursor,
        None,
        "and so is the checkpoint"
    );

    let report = store
        .apply_sync(GATEWAY, fetched("ab.1", true, full()), 10)
        .expect("confirmed by the operator");
    assert_eq!((report.removed, count(&store)), (1321, 1321));
}

#[test]
fn a_delta_withdrawing_many_is_refused_unless_confirmed_but_a_few_pass() {
    let (_dir, mut store) = store();
    let all = bundled();
    store
        .apply_sync(
            GATEWAY,
            fetched(
                "ab.1",
                false,
                CatalogChanges::Full {
                    procedures: all.clone(),
                },
            ),
            10,
        )
        .expect("the same catalog, nothing withdrawn");
    let codes: Vec<String> = all.iter().map(|p| p.code.clone()).collect();
    let delta = |since: &str, deletes: &[String]| CatalogChanges::Delta {
        since: since.into(),
        upserts: Vec::new(),
        deletes: deletes.to_vec(),
    };

    let few = store
        .apply_sync(
            GATEWAY,
            fetched("ab.2", false, delta("ab.1", &codes[..20])),
            20,
        )
        .expect("twenty withdrawn is routine");
    assert_eq!(few.removed, 20);

    let many = &codes[20..400];
    let refused = store.apply_sync(GATEWAY, fetched("ab.3", false, delta("ab.2", many)), 30);
    assert!(
        matches!(
            refused,
            Err(SyncError::UnconfirmedWithdrawal { withdrawn: 380, .. })
        ),
        "{refused:?}"
    );
    assert_eq!(count(&store), 2622);
    assert_eq!(
        store
            .checkpoint(GATEWAY)
            .expect("checkpoint")
            .cursor
            .as_deref(),
        Some("ab.2")
    );
    store
        .apply_sync(GATEWAY, fetched("ab.3", true, delta("ab.2", many)), 30)
        .expect("confirmed");
    assert_eq!(count(&store), 2242);
}

#[test]
fn an_empty_catalog_is_never_applied() {
    let (_dir, mut store) = store();
    for confirmed in [false, true] {
        let empty = CatalogChanges::Full {
            procedures: Vec::new(),
        };
        let refused = store.apply_sync(GATEWAY, fetched("ab.1", confirmed, empty), 10);
        assert!(
            matches!(refused, Err(SyncError::BadResponse(_))),
            "{refused:?}"
        );
        assert_eq!(count(&store), 2642);
    }
}
