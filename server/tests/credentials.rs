//! The gateway's credentials (platform): one conformance suite over both backends, and the
//! carry-over of keys and tokens issued while feedback kept them.
#![allow(clippy::expect_used)] // test helpers: a failure is a failed test

mod support;

use civic_gateway::feedback::service::{APP, STAFF};
use civic_gateway::platform::credentials::{self, CredentialKind, CredentialStore, Credentials};
use civic_gateway::platform::storage::Database;

/// The name behind digest `digest` as a live credential of `kind`.
async fn holder(store: &CredentialStore, kind: CredentialKind, digest: &str) -> Option<String> {
    store.holder_of(kind, digest.into()).await.expect("find")
}

async fn conformance(store: CredentialStore, name: &str) {
    // Found by digest and kind until revoked; an existing digest is left as it is.
    for (kind, holder_name, at) in [(APP, "Civic app", 1), (STAFF, "someone else", 2)] {
        store
            .add(kind, holder_name.into(), "d1".into(), at)
            .await
            .expect("add");
    }
    assert_eq!(
        holder(&store, APP, "d1").await.as_deref(),
        Some("Civic app"),
        "{name}"
    );
    assert_eq!(
        holder(&store, STAFF, "d1").await,
        None,
        "{name}: an app key is no staff token"
    );
    let revoke = |at| store.revoke(APP, "Civic app".into(), at);
    assert_eq!(revoke(3).await.expect("revoke"), 1, "{name}");
    assert_eq!(holder(&store, APP, "d1").await, None, "{name}");
    assert_eq!(
        revoke(4).await.expect("revoke"),
        0,
        "{name}: nothing left to revoke"
    );

    // Issued secrets: shown once, found by the secret itself, never by its digest.
    let secret = store.issue(STAFF, "Đội cây xanh").await.expect("issue");
    assert_eq!(secret.len(), 64, "{name}");
    let digest = credentials::digest(&secret);
    let long = "k".repeat(credentials::MAX_SECRET_LEN + 1);
    for (given, expected) in [
        (Some(secret.as_str()), Some("Đội cây xanh")),
        (None, None),
        (Some(""), None),
        (Some(digest.as_str()), None),
        (Some("x"), None),
        (Some(long.as_str()), None),
    ] {
        assert_eq!(
            store.holder(STAFF, given).await.expect("holder").as_deref(),
            expected,
            "{name}: {given:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_conform_on_both_backends() {
    for db in support::both().await {
        let name = db.backend.kind();
        let store = CredentialStore::open(&db.backend.database())
            .await
            .expect("open");
        conformance(store, name).await;
        // A second gateway on the same database finds the schema in place.
        CredentialStore::open(&db.backend.database())
            .await
            .expect("reopen");
    }
}

/// Before the platform held them, feedback kept credentials in its own table: they carry
/// over once, revocations included, on SQLite (another file) and PostgreSQL (another table).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_issued_before_the_move_keep_working() {
    let earlier = [
        ("app-digest", "app", "Civic app", None),
        ("staff-digest", "staff", "Đội chiếu sáng", None),
        ("revoked-digest", "staff", "Người đã nghỉ", Some(5_i64)),
    ];
    for db in support::both().await {
        let name = db.backend.kind();
        match db.backend.database() {
            Database::Sqlite(path) => {
                let conn = rusqlite::Connection::open(path.with_extension("feedback.sqlite3"))
                    .expect("an earlier feedback file");
                conn.execute_batch(
                    "CREATE TABLE feedback_credentials (digest TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, created_at INTEGER NOT NULL, revoked_at INTEGER)",
                )
                .expect("its table");
                for (digest, kind, holder, revoked) in earlier {
                    conn.execute(
                        "INSERT INTO feedback_credentials VALUES (?1, ?2, ?3, 1, ?4)",
                        rusqlite::params![digest, kind, holder, revoked],
                    )
                    .expect("a row");
                }
            }
            Database::Postgres(pool) => {
                let client = pool.get().await.expect("client");
                client
                    .batch_execute(
                        "CREATE TABLE feedback_credentials (digest TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, created_at BIGINT NOT NULL, revoked_at BIGINT)",
                    )
                    .await
                    .expect("its table");
                for (digest, kind, holder, revoked) in earlier {
                    client
                        .execute(
                            "INSERT INTO feedback_credentials VALUES ($1, $2, $3, 1, $4)",
                            &[&digest, &kind, &holder, &revoked],
                        )
                        .await
                        .expect("a row");
                }
            }
        }
        let store = CredentialStore::open(&db.backend.database())
            .await
            .expect("open");
        assert_eq!(
            holder(&store, APP, "app-digest").await.as_deref(),
            Some("Civic app"),
            "{name}"
        );
        assert_eq!(
            holder(&store, STAFF, "staff-digest").await.as_deref(),
            Some("Đội chiếu sáng"),
            "{name}"
        );
        assert_eq!(
            holder(&store, STAFF, "revoked-digest").await,
            None,
            "{name}: a revocation carries over"
        );
        // Once: what is revoked after the move stays revoked when the gateway restarts.
        assert_eq!(
            store
                .revoke(APP, "Civic app".into(), 9)
                .await
                .expect("revoke"),
            1
        );
        let reopened = CredentialStore::open(&db.backend.database())
            .await
            .expect("reopen");
        assert_eq!(
            holder(&reopened, APP, "app-digest").await,
            None,
            "{name}: carried over once, not again"
        );
    }
}
