//! The catalog database on disk: first start, damage, a newer app's file.
#![allow(clippy::expect_used)]

use civic_catalog::CatalogError;
use civic_catalog::{CatalogStore, Opened};
use civic_db::OpenError;
use civic_types::status::{CatalogSource, Notice};

#[test]
fn first_start_loads_the_bundled_catalog_and_reopens_without_reloading() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("catalog.sqlite3");
    let Opened { store, notices } = CatalogStore::open(&path).expect("open");
    assert!(notices.is_empty());
    let status = store.status().expect("status");
    assert_eq!(status.procedures, 2642);
    assert_eq!(status.source, CatalogSource::Bundled);
    assert!(!status.data_date.is_empty());
    let birth = store
        .get("1.001193")
        .expect("get")
        .expect("birth registration");
    assert_eq!(birth.name, "Thủ tục đăng ký khai sinh");
    assert!(store.get("9.999999").expect("get").is_none());
    drop(store);
    let again = CatalogStore::open(&path).expect("reopen");
    assert!(again.notices.is_empty());
    assert_eq!(again.store.status().expect("status").procedures, 2642);
}

#[test]
fn a_damaged_catalog_is_moved_aside_rebuilt_and_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("catalog.sqlite3");
    std::fs::write(&path, b"this is not sqlite, a crash left half a page here")
        .expect("write garbage");
    let Opened { store, notices } = CatalogStore::open(&path).expect("rebuilt");
    assert_eq!(notices, vec![Notice::CatalogRebuilt]);
    assert_eq!(store.status().expect("status").procedures, 2642);
    let kept: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".damaged-"))
        .collect();
    assert_eq!(
        kept.len(),
        1,
        "the damaged file is kept for support, not deleted"
    );
}

#[test]
fn a_truncated_database_is_rebuilt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("catalog.sqlite3");
    drop(CatalogStore::open(&path).expect("open"));
    // Checkpoint happened on close; cut the file in the middle of its pages.
    let bytes = std::fs::read(&path).expect("read");
    std::fs::write(&path, &bytes[..bytes.len() / 2]).expect("truncate");
    let Opened { store, notices } = CatalogStore::open(&path).expect("rebuilt");
    assert_eq!(notices, vec![Notice::CatalogRebuilt]);
    assert_eq!(store.status().expect("status").procedures, 2642);
}

#[test]
fn a_catalog_from_a_newer_app_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("catalog.sqlite3");
    drop(CatalogStore::open(&path).expect("open"));
    {
        let conn = rusqlite::Connection::open(&path).expect("raw open");
        conn.pragma_update(None, "user_version", 99)
            .expect("bump version");
    }
    let before = std::fs::read(&path).expect("read");
    let err = CatalogStore::open(&path).expect_err("refused");
    assert!(
        matches!(
            err,
            CatalogError::Open(OpenError::NewerSchema { found: 99, .. })
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("newer version of Civic"));
    assert_eq!(
        std::fs::read(&path).expect("read"),
        before,
        "nothing was written"
    );
}

/// A catalog written before search text was stored (its rows have none) is searchable after
/// the app opens it: the text is folded once from the records, and stays.
#[test]
fn a_catalog_without_search_text_gets_it_on_open() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("catalog.sqlite3");
    drop(CatalogStore::open(&path).expect("open"));
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    conn.execute("DELETE FROM procedure_text", [])
        .expect("forget");
    drop(conn);

    let Opened { store, .. } = CatalogStore::open(&path).expect("reopen");
    let request = civic_types::search::SearchRequest {
        query: "dang ky khai sinh".into(),
        prefix: false,
        filters: Default::default(),
        limit: 1,
    };
    assert_eq!(
        store.search(&request).expect("search").hits[0].code,
        "1.001193"
    );
    drop(store);
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    let rows: u32 = conn
        .query_row("SELECT count(*) FROM procedure_text", [], |r| r.get(0))
        .expect("count");
    assert_eq!(rows, 2642);
}
