//! The app syncs with a real city gateway, shows the city and when it last updated, and says
//! plainly when it is offline, while search keeps working.
#![allow(clippy::expect_used, clippy::print_stdout)]

mod harness;

use harness::Session;

/// A word no bundled procedure has: found only if search reads the synced data.
const SYNCED_ONLY: &str = "Sokhongdau";

#[tokio::test]
async fn syncs_then_works_offline() {
    // Đà Nẵng's profile: the city shown comes from the gateway, not from the build. The
    // gateway's first procedure carries a word the bundled catalog does not have.
    let mut procedures = civic_test_gateway::bundled(120);
    procedures[0].name.push_str(&format!(" ({SYNCED_ONLY})"));
    let synced_code = procedures[0].code.clone();
    let mut gateway = civic_test_gateway::serve(
        procedures,
        "2026-11-20",
        &civic_test_gateway::city_profile("da-nang"),
    )
    .await;
    assert!(
        !civic_test_gateway::bundled(usize::MAX)
            .iter()
            .any(|p| p.name.contains(SYNCED_ONLY)),
        "the marker must not be in the bundled catalog"
    );

    let session = Session::start_with_env(&[("CIVIC_GATEWAY_URL", &gateway.url)]).await;
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
    gateway.server.abort();
    let _ = (&mut gateway.server).await;
    session.click("#sync-now").await;
    session
        .wait_for_text_containing("#offline-banner", "Không kết nối được")
        .await;
    session.screenshot("offline.png").await;

    // Offline, search still answers from the synced data.
    let input = session.find("#search-input").await;
    input
        .send_keys(&SYNCED_ONLY.to_lowercase())
        .await
        .expect("type");
    input
        .send_keys(&char::from(fantoccini::key::Key::Enter).to_string())
        .await
        .expect("submit");
    let hit = session
        .find(&format!("button.result[data-code='{synced_code}']"))
        .await;
    let name = hit.text().await.expect("result text");
    assert!(name.contains(SYNCED_ONLY), "{name}");
    session.stop().await;
}
