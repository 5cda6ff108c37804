//! The HTTP contract of the gateway, against both backends, over real loopback sockets.
#![allow(clippy::expect_used)] // test helpers: a failure is a failed test

mod support;

use support::{get, request};

use civic_gateway::catalog;
use civic_gateway::catalog::repository::{Backend, Repository};
use civic_types::{
    catalog::{CatalogChanges, CatalogUpdate},
    city::CityProfile,
};

async fn contract(backend: Backend, name: &str) {
    let addr = support::serve(backend.clone()).await;
    let base = format!("http://{addr}");
    let catalog_url = format!("{base}/v1/catalog");

    // Nothing published yet.
    let reply = tokio::task::spawn_blocking({
        let url = catalog_url.clone();
        move || get(&url, &[])
    })
    .await
    .expect("join");
    assert_eq!(reply.status, 503, "{name}");
    assert_eq!(reply.error_code(), "no-catalog");

    let procedures = support::procedures(40);
    catalog::publish(
        &backend,
        procedures.clone(),
        "2026-11-01".into(),
        1,
        catalog::Withdrawals::Confirmed,
    )
    .await
    .expect("publish")
    .expect("v1");
    let epoch = backend.epoch().to_owned();
    let cursor1 = catalog::cursor(&epoch, 1);

    let checks = {
        let (base, catalog_url, epoch, name) = (
            base.clone(),
            catalog_url.clone(),
            epoch.clone(),
            name.to_owned(),
        );
        let procedures = procedures.clone();
        move || {
            // The same catalog in every coding, each with its own strong ETag.
            let mut tags = Vec::new();
            for (accept, coding) in [
                ("br, gzip", Some("br")),
                ("gzip", Some("gzip")),
                ("identity", None),
            ] {
                let reply = get(&catalog_url, &[("accept-encoding", accept)]);
                assert_eq!(reply.status, 200, "{name} {accept}");
                assert_eq!(reply.header("content-encoding"), coding, "{name}");
                assert_eq!(reply.header("vary"), Some("accept-encoding"));
                assert_eq!(reply.header("cache-control"), Some("no-cache"));
                let update: CatalogUpdate = reply.json();
                assert_eq!(update.cursor, cursor1);
                assert_eq!(
                    update.changes,
                    CatalogChanges::Full {
                        procedures: procedures.clone()
                    }
                );
                let tag = reply.header("etag").expect("etag").to_owned();
                assert!(
                    tag.starts_with('"') && !tag.starts_with("W/"),
                    "strong: {tag}"
                );
                tags.push(tag);
            }
            tags.dedup();
            assert_eq!(tags.len(), 3, "one tag per coding");

            // The current tag in If-None-Match: 304, no body.
            let reply = get(
                &catalog_url,
                &[("accept-encoding", "br"), ("if-none-match", &tags[0])],
            );
            assert_eq!((reply.status, reply.body.len()), (304, 0), "{name}");
            assert_eq!(reply.header("etag"), Some(tags[0].as_str()));
            let reply = get(&catalog_url, &[("if-none-match", "\"0.1.br\", \"other\"")]);
            assert_eq!(reply.status, 200, "a stale tag gets the catalog");

            // Cursors.
            let since = |cursor: &str| {
                get(
                    &format!("{catalog_url}?since={cursor}"),
                    &[("accept-encoding", "gzip")],
                )
            };
            let current: CatalogUpdate = since(&cursor1).json();
            assert_eq!(
                current.changes,
                CatalogChanges::Delta {
                    since: cursor1.clone(),
                    upserts: vec![],
                    deletes: vec![]
                }
            );
            for unknown in [catalog::cursor("abcdef", 1), catalog::cursor(&epoch, 99)] {
                let reply = since(&unknown);
                assert_eq!(reply.status, 200);
                assert!(
                    matches!(
                        reply.json::<CatalogUpdate>().changes,
                        CatalogChanges::Full { .. }
                    ),
                    "{unknown}: full snapshot"
                );
            }
            for malformed in ["", "abc", "zz.1", "ab.-1", "ab.1%00", "%FF%FE"] {
                let reply = since(malformed);
                assert_eq!(reply.status, 400, "{name}: since={malformed}");
                assert_eq!(reply.error_code(), "bad-cursor");
            }
            let reply = get(&format!("{catalog_url}?since=a&since=b"), &[]);
            assert_eq!(reply.status, 400, "repeated parameter");

            // The city profile, conditional too.
            let reply = get(&format!("{base}/v1/city"), &[]);
            assert_eq!(reply.status, 200);
            assert_eq!(reply.json::<CityProfile>(), support::city());
            let tag = reply.header("etag").expect("etag").to_owned();
            assert_eq!(
                get(&format!("{base}/v1/city"), &[("if-none-match", &tag)]).status,
                304
            );

            // Health, OpenAPI, and errors as JSON.
            let health: serde_json::Value = get(&format!("{base}/healthz"), &[]).json();
            assert_eq!(health["status"], "ok");
            assert_eq!(health["catalog_version"], 1);
            let openapi: serde_json::Value = get(&format!("{base}/openapi.json"), &[]).json();
            assert!(
                openapi["openapi"]
                    .as_str()
                    .is_some_and(|v| v.starts_with("3."))
            );
            for path in ["/v1/catalog", "/v1/city", "/healthz"] {
                assert!(
                    openapi["paths"][path]["get"].is_object(),
                    "{path} documented"
                );
            }
            assert!(openapi["components"]["schemas"]["CatalogUpdate"].is_object());
            let reply = get(&format!("{base}/v2/nothing"), &[]);
            assert_eq!(
                (reply.status, reply.error_code().as_str()),
                (404, "not-found")
            );
            let reply = request("DELETE", &catalog_url, &[], None);
            assert_eq!(
                (reply.status, reply.error_code().as_str()),
                (405, "method-not-allowed")
            );
            // A body over the limit, to a route that reads bodies, is refused unread.
            let big = vec![b'x'; civic_gateway::platform::http::MAX_BODY_BYTES + 1];
            let reply = request(
                "POST",
                &format!("{base}/open311/v2/requests.json"),
                &[],
                Some(&big),
            );
            assert_eq!(
                (reply.status, reply.error_code().as_str()),
                (413, "body-too-large")
            );
            tags
        }
    };
    let tags = tokio::task::spawn_blocking(checks).await.expect("checks");

    // A new version: the old tag no longer matches, and the old cursor gets a delta.
    let mut changed = procedures.clone();
    changed[0].name.push_str(" (sửa đổi)");
    changed.pop();
    catalog::publish(
        &backend,
        changed.clone(),
        "2026-11-02".into(),
        2,
        catalog::Withdrawals::Guarded,
    )
    .await
    .expect("publish")
    .expect("v2");
    let (url, cursor1, epoch) = (
        catalog_url.clone(),
        catalog::cursor(&epoch, 1),
        epoch.clone(),
    );
    tokio::task::spawn_blocking(move || {
        let reply = get(
            &url,
            &[("accept-encoding", "br"), ("if-none-match", &tags[0])],
        );
        assert_eq!(reply.status, 200, "a new version is sent");
        let reply = get(
            &format!("{url}?since={cursor1}"),
            &[("accept-encoding", "br")],
        );
        let delta: CatalogUpdate = reply.json();
        assert_eq!(delta.cursor, catalog::cursor(&epoch, 2));
        assert_eq!(delta.data_date, "2026-11-02");
        assert_eq!(
            delta.changes,
            CatalogChanges::Delta {
                since: cursor1,
                upserts: vec![changed[0].clone()],
                deletes: vec![procedures[39].code.clone()],
            }
        );
    })
    .await
    .expect("after publish");
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_gateway_honours_the_contract() {
    let db = support::sqlite().await;
    contract(db.backend.clone(), "sqlite").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_gateway_honours_the_contract() {
    let db = support::postgres().await;
    contract(db.backend.clone(), "postgres").await;
}
