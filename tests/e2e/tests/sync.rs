//! The app syncs with a real city gateway, shows the city and when it last updated, and says
//! plainly when it is offline, while search keeps working.
#![allow(clippy::expect_used, clippy::print_stdout)]

mod harness;

use std::path::Path;

use harness::Session;

#[tokio::test]
async fn syncs_then_works_offline() {
    let gateway_dir = tempfile::tempdir().expect("tempdir");
    // Đà Nẵng's profile: the city shown comes from the gateway, not from the build.
    let city = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/cities/da-nang.toml"
    );
    let (url, server) = harness::gateway(gateway_dir.path(), Path::new(city), 120).await;

    let session = Session::start_with_env(&[("CIVIC_GATEWAY_URL", &url)]).await;
    session
        .wait_for_text(".status-city", "Thành phố Đà Nẵng")
        .await;
    session
        .wait_for_text_containing(".status", "120 thủ tục")
        .await;
    session
        .wait_for_text_containing("#last-updated", "Cập nhật lần cuối")
        .await;
    session
        .wait_for_text_containing(".status", "2026-11-20")
        .await;
    session.screenshot("synced.png").await;

    // The gateway goes away; asking for an update says "offline", calmly.
    server.abort();
    let _ = server.await;
    session.click("#sync-now").await;
    session
        .wait_for_text_containing("#offline-banner", "Không kết nối được")
        .await;
    session.screenshot("offline.png").await;

    // Offline, search still answers from the saved data.
    let input = session.find("#search-input").await;
    input.send_keys(&procedure_word()).await.expect("type");
    input
        .send_keys(&char::from(fantoccini::key::Key::Enter).to_string())
        .await
        .expect("submit");
    session.find("button.result").await;
    session.stop().await;
}

/// A word from the first synced procedure's name, so the search must hit the synced data.
fn procedure_word() -> String {
    let first = civic_core::Snapshot::bundled()
        .expect("bundled")
        .procedures
        .swap_remove(0);
    first
        .name
        .split_whitespace()
        .take(4)
        .collect::<Vec<_>>()
        .join(" ")
}
