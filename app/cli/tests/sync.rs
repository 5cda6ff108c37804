//! `civic sync` against a real gateway on loopback (SQLite backend, in this test's runtime).
#![allow(clippy::expect_used)]

use std::process::{Command, Output};

use civic_gateway::repo::Backend;

fn civic(data_dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_civic"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("CIVIC_GATEWAY_URL")
        .output()
        .expect("civic runs")
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("utf-8")
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_prints_what_changed() {
    let gateway_dir = tempfile::tempdir().expect("tempdir");
    let backend = Backend::connect(&gateway_dir.path().join("g.sqlite3").display().to_string())
        .await
        .expect("gateway database");
    let mut procedures = civic_core::Snapshot::bundled().expect("bundled").procedures;
    procedures.truncate(50);
    civic_gateway::catalog::publish(&backend, procedures.clone(), "2026-11-20".into(), 1)
        .await
        .expect("publish")
        .expect("v1");
    let city_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/cities/da-nang.toml"
    );
    let city = civic_gateway::city::load(std::path::Path::new(city_path)).expect("city");
    let state = civic_gateway::api::AppState::new(backend.clone(), &city).expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, civic_gateway::api::router(state)).await });

    let app = tempfile::tempdir().expect("tempdir");
    let dir = app.path().to_owned();
    let (dir, url) = tokio::task::spawn_blocking(move || {
        let no_gateway = civic(&dir, &["sync"]);
        assert!(!no_gateway.status.success());
        assert!(String::from_utf8_lossy(&no_gateway.stderr).contains("--gateway"));

        let first = stdout(&civic(&dir, &["sync", "--gateway", &url]));
        assert!(
            first.contains("toàn bộ danh mục") && first.contains("2592 bãi bỏ"),
            "{first}"
        );
        // The gateway is remembered.
        let again = stdout(&civic(&dir, &["sync", "--json"]));
        let report: serde_json::Value = serde_json::from_str(again.trim()).expect("JSON report");
        assert_eq!(report["outcome"], "unchanged");
        (dir, url)
    })
    .await
    .expect("join");

    procedures[0].name.push_str(" (sửa đổi)");
    procedures.pop();
    civic_gateway::catalog::publish(&backend, procedures, "2026-11-21".into(), 2)
        .await
        .expect("publish")
        .expect("v2");
    tokio::task::spawn_blocking(move || {
        let delta = stdout(&civic(&dir, &["sync", "--gateway", &url]));
        assert!(
            delta.contains("0 thủ tục mới, 1 thay đổi, 1 bãi bỏ"),
            "{delta}"
        );
        assert!(delta.contains("2026-11-21"), "{delta}");
        let offline = civic(&dir, &["sync", "--gateway", "http://127.0.0.1:9"]);
        assert!(!offline.status.success());
        assert!(String::from_utf8_lossy(&offline.stderr).contains("offline"));
    })
    .await
    .expect("join");
}
