//! `civic open311` against a loopback endpoint answering with the recorded Chicago and
//! Gießen bodies, and with the spec's refusals.
#![allow(clippy::expect_used)]

mod common;

use common::{civic, stdout};

/// Serves the recorded answers until the test process ends.
fn endpoint() -> String {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("bind");
    let address = format!(
        "http://{}/open311/v2",
        server.server_addr().to_ip().expect("ip")
    );
    let data = civic_test_support::shared_data().join("open311");
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let path = request
                .url()
                .split('?')
                .next()
                .unwrap_or_default()
                .to_owned();
            let (status, body) = match path.as_str() {
                "/open311/v2/services.xml" => (
                    200,
                    std::fs::read(data.join("giessen_services.xml")).expect("recorded"),
                ),
                "/open311/v2/requests.json" => (
                    200,
                    std::fs::read(data.join("chicago_requests.json")).expect("recorded"),
                ),
                "/open311/v2/services.json" => (
                    403,
                    br#"[{"code":403,"description":"Invalid api_key received"}]"#.to_vec(),
                ),
                _ => (404, b"<html>Not Found</html>".to_vec()),
            };
            let _ = request.respond(tiny_http::Response::from_data(body).with_status_code(status));
        }
    });
    address
}

#[test]
fn services_and_requests_from_recorded_endpoints() {
    let dir = tempfile::tempdir().expect("tempdir");
    let address = endpoint();
    let services = stdout(&civic(
        dir.path(),
        &[
            "open311",
            "services",
            "--endpoint",
            &address,
            "--format",
            "xml",
        ],
    ));
    let lines: Vec<&str> = services.lines().collect();
    assert!(
        lines[0].starts_with("015") && lines[0].contains("Abwasser und Wasser"),
        "{services}"
    );
    assert!(services.contains("Verkehrsschild beschädigt"), "{services}");

    let requests = stdout(&civic(
        dir.path(),
        &[
            "open311",
            "requests",
            "--endpoint",
            &address,
            "--status",
            "open",
        ],
    ));
    assert!(
        requests.contains("14-01100669")
            && requests.contains("đang mở (open)")
            && requests.contains("Alley Light Out · 1540 W 17TH ST, CHICAGO, IL, 60608"),
        "{requests}"
    );
    assert!(
        requests.contains("Locked"),
        "status notes shown: {requests}"
    );

    let json = stdout(&civic(
        dir.path(),
        &["open311", "requests", "--endpoint", &address, "--json"],
    ));
    let ids: Vec<String> = json
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            value["service_request_id"].as_str().expect("id").to_owned()
        })
        .collect();
    assert_eq!(ids.len(), 2);
    assert_eq!(ids[0], "14-01100669");
}

#[test]
fn refusals_and_unsafe_addresses_fail_clearly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let address = endpoint();
    let refused = civic(dir.path(), &["open311", "services", "--endpoint", &address]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("Hệ thống tiếp nhận phản ánh từ chối yêu cầu")
            && stderr.contains("Invalid api_key received"),
        "the endpoint's reason reaches the helper: {stderr}"
    );

    let plain = civic(
        dir.path(),
        &[
            "open311",
            "services",
            "--endpoint",
            "http://311.example.gov/open311/v2",
        ],
    );
    assert!(!plain.status.success());
    let stderr = String::from_utf8_lossy(&plain.stderr);
    assert!(stderr.contains("phải bắt đầu bằng https://"), "{stderr}");
}

#[test]
fn place_finds_communes_as_residents_type_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = stdout(&civic(
        dir.path(),
        &["place", "p.", "ba", "dinh", "ha", "noi"],
    ));
    assert_eq!(
        text.lines().next(),
        Some("00004  Phường Ba Đình, Thành phố Hà Nội"),
        "{text}"
    );
    let json = stdout(&civic(
        dir.path(),
        &["place", "xa tan lap", "--json", "--limit", "3"],
    ));
    let lines: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert!(!lines.is_empty() && lines.len() <= 3, "{json}");
    for line in &lines {
        assert_eq!(line["name"], "Tân Lập", "{json}");
        assert_eq!(line["kind"], "Xã", "{json}");
    }
    let none = stdout(&civic(dir.path(), &["place", "khong co dau"]));
    assert!(none.contains("Không tìm thấy"), "{none}");
}
