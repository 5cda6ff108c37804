//! Scanning as a resident does it: a photo of a signed board code opens the procedure with
//! "verified" and who issued it; a fake code gets the full-screen warning with its real host
//! and opens nothing. And a helper makes a board from the app that scans back verified.
#![allow(clippy::expect_used, clippy::print_stdout)]

mod harness;

use std::path::{Path, PathBuf};
use std::process::Command;

use civic_core::qr::{Board, BoardSigner, Trust};
use harness::Session;

/// A gateway serving the bundled catalog and Ninh Bình's profile with `signer`'s key.
async fn gateway(signer: &BoardSigner) -> civic_test_gateway::TestGateway {
    let profile = civic_test_gateway::city_profile("ninh-binh")
        + &format!(
            "\n[[qr.signing_keys]]\npublic_key = \"{}\"\nissuer = {{ vi = \"UBND tỉnh Ninh Bình\", en = \"Ninh Binh PPC\" }}\n",
            signer.public_key()
        );
    civic_test_gateway::serve(
        civic_test_gateway::bundled(usize::MAX),
        "2026-11-20",
        &profile,
    )
    .await
}

fn pdf_to_png(pdf: &Path, dir: &Path) -> PathBuf {
    let stem = dir.join(pdf.file_stem().expect("stem"));
    let status = Command::new("pdftoppm")
        .args(["-r", "120", "-png", "-singlefile"])
        .arg(pdf)
        .arg(&stem)
        .status()
        .expect("pdftoppm");
    assert!(status.success());
    stem.with_extension("png")
}

fn qr_png(text: &str, path: &Path) {
    let code = qrcode::QrCode::new(text.as_bytes()).expect("encode");
    code.render::<image::Luma<u8>>()
        .module_dimensions(6, 6)
        .build()
        .save(path)
        .expect("save png");
}

async fn open_scan_page(session: &Session) {
    session.click("#tile-scan").await;
    session.find("#scan-drop-zone").await;
}

async fn choose_photo(session: &Session, path: &Path) {
    session
        .find("#scan-file")
        .await
        .send_keys(&path.display().to_string())
        .await
        .expect("choose a photo");
}

/// Drops a photo on the scan page as a file manager would (an HTML drag-and-drop `drop`).
async fn drop_photo(session: &Session, path: &Path) {
    use base64::Engine;
    let encoded =
        base64::engine::general_purpose::STANDARD.encode(std::fs::read(path).expect("photo"));
    let dropped = session
        .script(&format!(
            "const bytes = Uint8Array.from(atob('{encoded}'), c => c.charCodeAt(0));
             const data = new DataTransfer();
             data.items.add(new File([bytes], 'photo.png', {{ type: 'image/png' }}));
             document.getElementById('scan-drop-zone').dispatchEvent(
                 new DragEvent('drop', {{ dataTransfer: data, bubbles: true, cancelable: true }}));
             return data.files.length;"
        ))
        .await;
    assert_eq!(dropped, serde_json::json!(1));
}

#[tokio::test]
async fn scanned_codes_open_verified_procedures_and_fakes_are_stopped() {
    let work = tempfile::tempdir().expect("tempdir");
    let signer = BoardSigner::generate().expect("key");
    let served = gateway(&signer).await;
    let url = served.url.clone();

    // A board as the commune printed it, photographed (rendered) to PNG.
    let store =
        civic_core::CatalogStore::in_memory(&civic_core::Snapshot::bundled().expect("bundled"))
            .expect("store");
    let board = Board::new(
        "UBND xã Xuân Hồng",
        &["1.001193".to_owned()],
        &civic_core::CatalogLookup(&store),
        Some(&signer),
        "2026-11-23",
    )
    .expect("board");
    let pdf = work.path().join("board.pdf");
    std::fs::write(&pdf, board.pdf().expect("pdf")).expect("write");
    let board_png = pdf_to_png(&pdf, work.path());
    let fake_png = work.path().join("fake.png");
    qr_png(
        "https://dichvucong.gov.vn.evil.com/?ma_thu_tuc=1.001193",
        &fake_png,
    );

    let session = Session::start_with_env(&[("CIVIC_GATEWAY_URL", &url)]).await;
    // The city's keys arrive with its profile.
    session
        .wait_for_text(".status-city", "Tỉnh Ninh Bình")
        .await;

    open_scan_page(&session).await;
    // The webview offers the camera (WebKitGTK's media streams, granted to the app's own
    // pages); this machine has none, so asking for it ends in the plain message, not a hang.
    let media = session
        .script("return typeof (navigator.mediaDevices && navigator.mediaDevices.getUserMedia)")
        .await;
    assert_eq!(
        media,
        serde_json::json!("function"),
        "navigator.mediaDevices"
    );
    session.click("#scan-camera").await;
    session
        .wait_for_text_containing(".error", "Không mở được camera")
        .await;
    choose_photo(&session, &board_png).await;
    session
        .wait_for_text_containing("h1", "Thủ tục đăng ký khai sinh")
        .await;
    session
        .wait_for_text_containing("#scan-verified", "Đã xác minh")
        .await;
    session
        .wait_for_text_containing("#scan-verified", "UBND xã Xuân Hồng")
        .await;
    session
        .wait_for_text_containing("#scan-verified", "UBND tỉnh Ninh Bình")
        .await;
    session
        .wait_for_text_containing("#scan-verified", "23/11/2026")
        .await;
    session.screenshot("scan-verified.png").await;

    session.click("button.back").await;
    drop_photo(&session, &fake_png).await;
    session
        .wait_for_text_containing("#unsafe-warning", "không an toàn")
        .await;
    session
        .wait_for_text("#unsafe-host", "dichvucong.gov.vn.evil.com")
        .await;
    session.screenshot("scan-unsafe.png").await;
    // At 200% text the warning still fits the window's width (it scrolls, never clips sideways).
    session
        .script("[...document.querySelectorAll('.settings button')].find(b => b.textContent === 'Rất lớn').click()")
        .await;
    let fits = session
        .script("const box = document.getElementById('unsafe-warning'); return box.scrollWidth <= box.clientWidth")
        .await;
    assert_eq!(
        fits,
        serde_json::json!(true),
        "no sideways scrolling at 200%"
    );
    session.screenshot("scan-unsafe-200.png").await;
    // Keyboard first: the close button has focus.
    let focused = session
        .script("return document.activeElement && document.activeElement.className")
        .await;
    assert_eq!(focused, serde_json::json!("danger-button"));
    session.click(".danger-button").await;
    session.find("#scan-drop-zone").await;
    let still_here = session
        .script("return document.querySelectorAll('#unsafe-warning').length")
        .await;
    assert_eq!(
        still_here,
        serde_json::json!(0),
        "the warning closes and nothing was opened"
    );
    session.stop().await;
}

#[tokio::test]
async fn a_board_made_in_the_app_scans_back_verified() {
    let work = tempfile::tempdir().expect("tempdir");
    let key = work.path().join("board-key.pem");
    let signer = BoardSigner::generate().expect("key");
    signer.write(&key).expect("write key");
    let session =
        Session::start_with_env(&[("CIVIC_SIGNING_KEY", key.to_str().expect("utf-8"))]).await;
    session.click("#tile-board").await;
    session
        .find("#board-title")
        .await
        .send_keys("UBND phường Đông Thành")
        .await
        .expect("title");
    session
        .find("#board-codes")
        .await
        .send_keys("1.001193, 1.000656")
        .await
        .expect("codes");
    session.click("#board-make").await;
    session
        .wait_for_text_containing("#board-saved", ".pdf")
        .await;
    session.find(".board-preview").await;
    // Still the same page with what the helper typed: the form did not reload the app.
    let title = session
        .script("return document.getElementById('board-title').value")
        .await;
    assert_eq!(title, serde_json::json!("UBND phường Đông Thành"));
    session.screenshot("board.png").await;
    let saved = session
        .find("#board-saved")
        .await
        .text()
        .await
        .expect("text");
    let pdf = saved
        .split_whitespace()
        .find(|w| w.ends_with(".pdf"))
        .map(PathBuf::from)
        .expect("the saved PDF's path is shown");
    // Saved where the app said, beside its SVG; copied out before the session's data goes.
    let copy = work.path().join("saved.pdf");
    std::fs::copy(&pdf, &copy).expect("the saved PDF exists");
    assert!(pdf.with_extension("svg").exists(), "and the SVG beside it");
    session.stop().await;

    let png = pdf_to_png(&copy, work.path());
    let store =
        civic_core::CatalogStore::in_memory(&civic_core::Snapshot::bundled().expect("bundled"))
            .expect("store");
    let trust = Trust::new(Some(&civic_types::qr::QrPolicy {
        trusted_domains: vec![],
        signing_keys: vec![civic_types::qr::QrSigningKey {
            issuer: civic_types::city::LocalizedText {
                vi: "UBND".into(),
                en: "PPC".into(),
            },
            public_key: signer.public_key(),
        }],
    }));
    let report = civic_core::qr::scan_image(
        &std::fs::read(&png).expect("png"),
        civic_core::qr::ImageSource::Photo,
        &civic_core::CatalogLookup(&store),
        &trust,
    )
    .expect("scan");
    let mut codes: Vec<_> = report
        .codes
        .iter()
        .inspect(|c| assert!(c.verified, "{c:?}"))
        .filter_map(|c| c.procedure.clone())
        .collect();
    codes.sort();
    assert_eq!(codes, ["1.000656", "1.001193"]);
}
