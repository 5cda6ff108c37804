//! The `civic-gateway` binary as an operator uses it: publish from the portal scrape, list
//! versions, refuse bad input.
#![allow(clippy::expect_used)]

use std::process::{Command, Output};

const SCRAPE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/data/procedures/dvc_procedures_2642.jsonl.gz"
);

fn gateway(database: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_civic-gateway"))
        .arg("--database")
        .arg(database)
        .args(args)
        .output()
        .expect("civic-gateway runs")
}

fn text(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn import_catalog_publishes_versions_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("gateway.sqlite3");
    let first = text(&gateway(
        &db,
        &["import-catalog", SCRAPE, "--data-date", "2026-11-23"],
    ));
    assert!(
        first.contains(
            "published catalog version 1 (data 2026-11-23): 2642 added, 0 changed, 0 withdrawn"
        ),
        "{first}"
    );
    let again = text(&gateway(
        &db,
        &["import-catalog", SCRAPE, "--data-date", "2026-11-23"],
    ));
    assert!(again.contains("unchanged; no new version"), "{again}");
    let versions = text(&gateway(&db, &["versions"]));
    assert_eq!(versions.lines().count(), 1, "{versions}");
    assert!(
        versions.starts_with("version 1: data 2026-11-23"),
        "{versions}"
    );

    let bad_date = gateway(
        &db,
        &["import-catalog", SCRAPE, "--data-date", "23/11/2026"],
    );
    assert!(!bad_date.status.success());
    assert!(String::from_utf8_lossy(&bad_date.stderr).contains("not an ISO date"));
    let missing = gateway(&db, &["import-catalog", "/nonexistent.jsonl"]);
    assert!(!missing.status.success());
    let bad_city = gateway(&db, &["serve", "--addr", "127.0.0.1:0", "--city", SCRAPE]);
    assert!(
        !bad_city.status.success(),
        "a city profile that is not TOML stops the gateway"
    );
    assert!(String::from_utf8_lossy(&bad_city.stderr).contains("city profile"));
}
