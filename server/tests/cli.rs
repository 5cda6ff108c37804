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

const DEMO_LOTS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../assets/parking/da-nang-lots.toml"
);

#[test]
fn import_lots_stores_an_operators_car_parks_and_refuses_a_bad_file_whole() {
    use civic_gateway::parking::repository::{ParkingBackend, ParkingRepository};

    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("gateway.sqlite3");
    let out = text(&gateway(&db, &["import-lots", DEMO_LOTS]));
    assert_eq!(out.trim(), "6 car park(s) stored");

    let read_back = || {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        runtime.block_on(async {
            let catalog =
                civic_gateway::catalog::repository::Backend::connect(&db.display().to_string())
                    .await
                    .expect("database");
            let repo = ParkingBackend::open(&catalog.database())
                .await
                .expect("parking");
            repo.lots(None).await.expect("lots")
        })
    };
    let lots = read_back();
    assert_eq!(lots.len(), 6);
    let airport = lots
        .iter()
        .find(|l| l.id == "san-bay-da-nang")
        .expect("airport");
    assert_eq!(
        (airport.capacity, airport.free),
        (900, None),
        "not said: unknown"
    );
    assert!(lots.iter().all(|l| l.updated > 0), "stamped when stored");

    // Each bad file is refused whole, naming the car park; nothing already stored changes.
    let cases = [
        ("free = 0\n", "free = 9999\n", "more free spaces"),
        ("id = \"cong-vien-apec\"", "id = \"cho-han\"", "used twice"),
        ("id = \"cong-vien-apec\"", "id = \"chợ hàn\"", "needs an id"),
        ("free = 0\n", "free = 0\nfloors = 3\n", "unknown field"),
    ];
    let original = std::fs::read_to_string(DEMO_LOTS).expect("demo lots");
    for (n, (from, to, expected)) in cases.into_iter().enumerate() {
        assert!(original.contains(from), "{from}");
        let bad = original.replacen(from, to, 1);
        let path = dir.path().join(format!("bad-{n}.toml"));
        std::fs::write(&path, bad).expect("write");
        let refused = gateway(&db, &["import-lots", &path.display().to_string()]);
        assert!(!refused.status.success(), "{to}");
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(stderr.contains(expected), "{to}: {stderr}");
    }
    assert_eq!(read_back(), lots);
}
