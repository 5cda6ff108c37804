//! A resident files a report with a photo while the city's gateway is down: the app keeps it
//! and says it is waiting; when the gateway is back it is sent, and a staff member's update
//! reaches the resident as a new status, with the note, on every page.
#![allow(clippy::expect_used, clippy::print_stdout)]

mod harness;

use base64::Engine;
use harness::Session;

/// A phone-like photo (JPEG), made here.
fn photo_jpeg() -> Vec<u8> {
    let image = image::RgbImage::from_fn(1_200, 900, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 200) as u8])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85)
        .encode_image(&image)
        .expect("encode a JPEG");
    jpeg
}

/// Chooses `jpeg` in the file input `css` as the file picker would.
async fn choose_photo(session: &Session, css: &str, jpeg: &[u8]) {
    let base64 = base64::engine::general_purpose::STANDARD.encode(jpeg);
    session
        .script(&format!(
            r#"
            const bytes = Uint8Array.from(atob("{base64}"), c => c.charCodeAt(0));
            const chosen = new DataTransfer();
            chosen.items.add(new File([bytes], "den-hong.jpg", {{ type: "image/jpeg" }}));
            const input = document.querySelector("{css}");
            input.files = chosen.files;
            input.dispatchEvent(new Event("change", {{ bubbles: true }}));
            "#
        ))
        .await;
}

/// On the new report page: a streetlight that is off, its pin put on the city's map (drawn
/// offline) the same way each time.
async fn describe_streetlight(session: &Session) {
    session
        .find("#report-service option[value='chieu-sang']")
        .await;
    session
        .find("#report-service")
        .await
        .select_by_value("chieu-sang")
        .await
        .expect("choose the kind");
    // The kind's own question, from the form kept offline.
    session
        .find("#answer-problem")
        .await
        .select_by_value("off")
        .await
        .expect("answer the question");
    session
        .find("#report-description")
        .await
        .send_keys("Đèn trước nhà số 12 không sáng ba hôm nay")
        .await
        .expect("describe");
    session.click("#map-pin-center").await;
    session.click("#map-zoom-in").await;
    session.click("#map-north").await;
    session
        .wait_for_text_containing("#map-described", "Ghim tại")
        .await;
}

/// The number the back office gave, from "Đã gửi, số 12 · …".
async fn request_number(session: &Session) -> String {
    let text = session
        .find("#report-state")
        .await
        .text()
        .await
        .expect("state text");
    text.split("số ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("no number in {text:?}"))
}

#[tokio::test]
async fn a_report_filed_offline_is_sent_when_the_gateway_returns_and_its_status_follows() {
    let mut gateway = harness::gateway(&civic_test_gateway::city_profile("da-nang"), 50).await;
    let staff = gateway.staff_token("Đội chiếu sáng Hải Châu").await;
    let session = Session::start_with_env(&[("CIVIC_GATEWAY_URL", &gateway.url)]).await;
    // The first sync brings the city's profile and its kinds of report.
    session
        .wait_for_text(".status-city", "Thành phố Đà Nẵng")
        .await;
    session.click("#tile-feedback").await;
    session
        .wait_for_text_containing("#feedback-identity", "ẩn danh")
        .await;
    session.find("#feedback-empty").await;
    session.screenshot("feedback-empty.png").await;

    // The gateway goes down; the resident writes a report with a photo all the same.
    gateway.stop().await;
    session.click("#feedback-new").await;
    describe_streetlight(&session).await;
    // The commune by typing, without accents: the city's own ward comes first.
    session
        .find("#report-commune")
        .await
        .send_keys("hai chau")
        .await
        .expect("type a commune");
    session
        .click("#report-commune-choices button[data-code]")
        .await;
    session
        .wait_for_text_containing("#report-commune-chosen", "20242")
        .await;
    choose_photo(&session, "#report-photo-file", &photo_jpeg()).await;
    session.find("#report-photos img").await;
    session.screenshot("feedback-new.png").await;

    // Sent while the gateway is down: kept, and said to be waiting, with the last attempt.
    session.click("#report-send").await;
    session
        .wait_for_text_containing("#report-state", "Đang chờ gửi")
        .await;
    session
        .wait_for_text_containing("#report-state", "lần thử gần nhất")
        .await;
    session.screenshot("feedback-queued.png").await;

    // The gateway is back: "try now" sends it at once, with its photo.
    gateway.restart().await;
    session.click("#report-retry").await;
    session
        .wait_for_text_containing("#report-state", "Đã gửi, số")
        .await;
    session.wait_for_text_containing("#report-due", "").await;
    let number = request_number(&session).await;
    session.screenshot("feedback-sent.png").await;

    // The same problem again, at the same spot: the open report there is shown, with its
    // photo, and the resident follows it instead of filing a duplicate.
    session.click(".back").await;
    session.click("#feedback-new").await;
    describe_streetlight(&session).await;
    session.click("#report-send").await;
    session.find("#report-similar img.similar-photo").await;
    session
        .wait_for_text_containing("#report-similar", "cách 0 m")
        .await;
    session.screenshot("feedback-similar.png").await;
    session
        .click("#report-similar li.similar button.primary-button")
        .await;
    session
        .wait_for_text_containing("#report-state", &format!("Đã gửi, số {number} "))
        .await;

    // A staff member fixes it; the app hears of it at its next round (here: "update now").
    session.click(".back").await;
    session.find(".report-item[data-state='sent']").await;
    assert_eq!(
        gateway
            .staff_update(&staff, &number, "fixed", "Đã thay bóng đèn mới")
            .await,
        201,
        "the staff update is published"
    );
    session.click("#sync-now").await;
    session
        .wait_for_text_containing("#feedback-status-notice", "Đã xử lý xong")
        .await;
    session
        .wait_for_text_containing(".report-item[data-state='sent']", "Có cập nhật mới")
        .await;
    let listed = session
        .script("return document.querySelectorAll('.report-item').length")
        .await;
    assert_eq!(listed, 1, "followed, not filed twice; the draft is gone");
    session.screenshot("feedback-status-changed.png").await;

    // The report's page: the new status, the agency's note in the timeline, the photo kept.
    session.click("#feedback-status-notice button").await;
    session
        .wait_for_text_containing("#report-state", "Đã xử lý xong")
        .await;
    session
        .wait_for_text_containing("#report-timeline", "Đã thay bóng đèn mới")
        .await;
    session.find(".photo-grid img").await;
    session.screenshot("feedback-report.png").await;
    session.stop().await;
}
