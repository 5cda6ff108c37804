//! The `civic` binary as helpers use it: real process, real data directory.
#![allow(clippy::expect_used)]

use std::process::{Command, Output};

fn civic(data_dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_civic"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .output()
        .expect("civic runs")
}

#[test]
fn search_prints_ranked_json_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = civic(
        dir.path(),
        &[
            "search", "dang", "ky", "khai", "sinh", "--limit", "3", "--json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["code"], "1.001193");
    assert_eq!(lines[0]["name"], "Thủ tục đăng ký khai sinh");
    let scores: Vec<f64> = lines
        .iter()
        .map(|l| l["score"].as_f64().expect("score"))
        .collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "ranked: {scores:?}"
    );
    assert!(
        dir.path().join("catalog.sqlite3").is_file(),
        "the offline catalog was created"
    );
}

#[test]
fn procedure_prints_the_full_record_and_unknown_codes_fail_clearly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = civic(dir.path(), &["procedure", "1.001193", "--json"]);
    assert!(out.status.success());
    let record: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(record["code"], "1.001193");
    assert!(!record["channels"].as_array().expect("channels").is_empty());
    assert!(
        !record["document_groups"]
            .as_array()
            .expect("documents")
            .is_empty()
    );

    let text = civic(dir.path(), &["procedure", "1.001193"]);
    let text = String::from_utf8(text.stdout).expect("utf-8");
    assert!(
        text.contains("Mã thủ tục: 1.001193") && text.contains("Trực tuyến"),
        "{text}"
    );

    let unknown = civic(dir.path(), &["procedure", "9.999999"]);
    assert!(!unknown.status.success());
    let message = String::from_utf8(unknown.stderr).expect("utf-8");
    assert!(
        message.contains("9.999999") && message.contains("civic search"),
        "{message}"
    );
}

#[test]
fn a_damaged_catalog_is_rebuilt_and_the_helper_is_told() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("catalog.sqlite3"),
        b"garbage left by a crash",
    )
    .expect("write");
    let out = civic(dir.path(), &["search", "khai tu", "--limit", "1", "--json"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("rebuilt"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1.000656"));
}
