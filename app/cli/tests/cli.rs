//! The `civic` binary as helpers use it: real process, real data directory.
#![allow(clippy::expect_used)]

mod common;

use common::{civic, stdout};

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

/// `civic sync` against a real gateway on loopback (SQLite backend, in this test's runtime).
#[tokio::test(flavor = "multi_thread")]
async fn sync_prints_what_changed() {
    let mut procedures = civic_test_gateway::bundled(50);
    let gateway = civic_test_gateway::serve(
        procedures.clone(),
        "2026-11-20",
        &civic_test_gateway::city_profile("da-nang"),
    )
    .await;
    let url = gateway.url.clone();

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
    civic_gateway::catalog::publish(
        &gateway.backend,
        procedures,
        "2026-11-21".into(),
        2,
        civic_gateway::catalog::Withdrawals::Guarded,
    )
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
        let told = String::from_utf8_lossy(&offline.stderr).into_owned();
        let message = civic_test_support::fluent_message("vi", "errors", "error-offline");
        assert!(told.contains(&message), "{told}");
        assert!(
            told.starts_with(&format!("civic: {message}")),
            "the user's language first: {told}"
        );
        // The gateway decides what the app trusts: never over plain http to another machine.
        let plain = civic(&dir, &["sync", "--gateway", "http://gw.danang.gov.vn"]);
        assert!(!plain.status.success());
        let told = String::from_utf8_lossy(&plain.stderr).into_owned();
        let message =
            civic_test_support::fluent_message("vi", "errors", "error-gateway-not-encrypted");
        assert!(told.contains(&message), "{told}");
    })
    .await
    .expect("join");
}

/// A helper sees why a result matched (JSON byte ranges of the name's words), how the query
/// was read, and plainly when nothing matches well.
#[test]
fn search_shows_why_results_matched_and_says_when_none_match_well() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = civic(
        dir.path(),
        &["search", "gplx bi mat", "--limit", "1", "--json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hit: serde_json::Value =
        serde_json::from_str(stdout(&out).lines().next().expect("a result")).expect("json");
    assert_eq!(hit["code"], "3.000348");
    let name = hit["name"].as_str().expect("name");
    let marked: Vec<&str> = hit["highlights"]
        .as_array()
        .expect("highlights")
        .iter()
        .map(|h| {
            let start = h["start"].as_u64().expect("start") as usize;
            let end = h["end"].as_u64().expect("end") as usize;
            &name[start..end]
        })
        .collect();
    assert!(
        marked.contains(&"giấy") && marked.contains(&"lái"),
        "{marked:?} in {name}"
    );

    let read = stdout(&civic(dir.path(), &["search", "cưới vợ", "--limit", "1"]));
    assert!(read.contains("Hiểu là: đăng ký kết hôn"), "{read}");

    // Disability certificates are not in the catalog (social welfare procedures are not).
    let weak = stdout(&civic(dir.path(), &["search", "xac nhan khuyet tat"]));
    assert!(weak.contains("Không có thủ tục nào khớp rõ"), "{weak}");
    assert!(weak.contains("Lĩnh vực gần nhất"), "{weak}");
}

/// A gateway's words reach the terminal as text: its escape sequences (retitling the
/// window, clearing the screen, overwriting a line) are shown, not obeyed.
#[test]
fn gateway_text_cannot_drive_the_terminal() {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("bind");
    let address = format!("http://{}", server.server_addr().to_ip().expect("ip"));
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let body = r#"{"code": "bad\u001b[2J", "message": "\u001b]0;pwned\u0007maintenance\r\u001b[1Aok \u202etxt.exe"}"#;
            let _ = request.respond(tiny_http::Response::from_string(body).with_status_code(503));
        }
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let out = civic(dir.path(), &["sync", "--gateway", &address]);
    assert!(!out.status.success());
    let told = String::from_utf8_lossy(&out.stderr);
    assert!(
        told.contains("maintenance"),
        "the message is still shown: {told}"
    );
    assert!(told.contains("\\u001b]0;pwned"), "{told}");
    for control in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(
            !told.contains(control),
            "{control:?} reached the terminal: {told:?}"
        );
    }
}
