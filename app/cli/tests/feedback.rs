//! `civic feedback` as a community helper uses it: a report written offline waits; after a
//! sync it is sent; a staff update comes back as a new status on the timeline.
#![allow(clippy::expect_used)]

mod common;

use civic_gateway::feedback::repository::{FeedbackBackend, FeedbackRepository, NewUpdate};
use civic_types::feedback::{ReportSummary, Status};
use common::{civic, stdout};

fn photo(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("den-hong.png");
    image::RgbImage::from_fn(2_000, 1_500, |x, y| {
        image::Rgb([(x % 200) as u8, (y % 200) as u8, 80])
    })
    .save(&path)
    .expect("write a photo");
    path
}

fn reports(data: &std::path::Path) -> Vec<ReportSummary> {
    stdout(&civic(data, &["feedback", "list", "--json"]))
        .lines()
        .map(|l| serde_json::from_str(l).expect("a report"))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_report_written_offline_is_sent_and_followed() {
    let gateway = civic_test_gateway::serve(
        civic_test_gateway::bundled(5),
        "2026-11-01",
        &civic_test_gateway::city_profile("da-nang"),
    )
    .await;
    let url = gateway.url.clone();
    let data = tempfile::tempdir().expect("tempdir");
    let data = data.path().to_owned();
    let shared = data.clone();
    let new = tokio::task::spawn_blocking(move || {
        let data = shared;
        let photo = photo(&data);
        // Nothing synced yet: the report is kept and waits.
        let out = stdout(&civic(
            &data,
            &[
                "feedback",
                "new",
                "--service",
                "chieu-sang",
                "--service-name",
                "Đèn chiếu sáng hỏng",
                "--description",
                "Đèn trước số 12 Bạch Đằng không sáng",
                "--at",
                "16.0544,108.2022",
                "--answer",
                "problem=off",
                "--photo",
                photo.to_str().expect("path"),
                "--anonymous",
            ],
        ));
        assert!(
            out.contains("đang chờ gửi") && out.contains("ẩn danh"),
            "{out}"
        );
        let refused = civic(
            &data,
            &[
                "feedback",
                "new",
                "--service",
                "x",
                "--address",
                "a",
                "--photo",
                "Cargo.toml",
            ],
        );
        assert!(!refused.status.success());
        let message = String::from_utf8_lossy(&refused.stderr);
        assert!(message.contains("chỉ nhận ảnh JPEG hoặc PNG"), "{message}");
        let waiting = civic(&data, &["feedback", "send"]);
        assert!(!waiting.status.success(), "no gateway yet");

        // The sync round sends what waits (the outbox is one of its components).
        stdout(&civic(&data, &["sync", "--gateway", &url]));
        let listed = stdout(&civic(&data, &["feedback", "list"]));
        assert!(
            listed.contains("Đã gửi, số ") && listed.contains("hạn xử lý "),
            "{listed}"
        );
        // The kinds of report and their questions came with the sync, for offline use.
        let services = stdout(&civic(&data, &["feedback", "services"]));
        assert!(
            services.contains("chieu-sang  Đèn chiếu sáng công cộng hỏng"),
            "{services}"
        );
        let questions = stdout(&civic(
            &data,
            &["feedback", "services", "--service", "chieu-sang"],
        ));
        assert!(
            questions.contains("problem: Đèn bị làm sao? (bắt buộc)")
                && questions.contains("off = Không sáng"),
            "{questions}"
        );
        let unanswered = civic(
            &data,
            &[
                "feedback",
                "new",
                "--service",
                "chieu-sang",
                "--address",
                "12 Bạch Đằng",
            ],
        );
        assert!(
            !unanswered.status.success(),
            "a required question is asked before queueing"
        );
        let message = String::from_utf8_lossy(&unanswered.stderr);
        assert!(
            message.contains("trả lời các câu hỏi bắt buộc"),
            "{message}"
        );
        // The commune picker puts the city's own before same-named ones elsewhere.
        let placed = stdout(&civic(
            &data,
            &[
                "feedback",
                "new",
                "--service",
                "khac",
                "--commune",
                "hai chau",
                "--draft",
            ],
        ));
        let id = placed
            .trim_start_matches("Phản ánh #")
            .split(':')
            .next()
            .expect("the draft's number")
            .to_owned();
        let shown = stdout(&civic(&data, &["feedback", "show", &id, "--json"]));
        assert!(
            shown.contains("\"address_id\":\"20242\"")
                && shown.contains("Phường Hải Châu, Thành phố Đà Nẵng"),
            "Đà Nẵng's Hải Châu, not Nghệ An's: {shown}"
        );
        let again = stdout(&civic(&data, &["feedback", "send", "--gateway", &url]));
        assert!(again.starts_with("Đã gửi 0 "), "sent once: {again}");
        let similar = stdout(&civic(
            &data,
            &[
                "feedback",
                "similar",
                "--service",
                "chieu-sang",
                "--at",
                "16.05443,108.2022",
                "--gateway",
                &url,
            ],
        ));
        assert!(similar.contains("Đèn trước số 12"), "{similar}");
    });
    new.await.expect("filing");

    let mine = reports(&data);
    let report = mine
        .iter()
        .find(|r| r.service_code == "chieu-sang" && r.service_request_id.is_some())
        .expect("the report");
    assert_eq!(report.photos, 1);
    assert!(!report.signed_in);
    let id: i64 = report
        .service_request_id
        .as_deref()
        .expect("sent")
        .parse()
        .expect("the gateway's number");

    // The agency answers.
    let feedback = FeedbackBackend::open(&gateway.backend.database())
        .await
        .expect("store");
    feedback
        .add_update(NewUpdate {
            report_id: id,
            status: Status::Fixed,
            description: Some("Đã thay bóng đèn".into()),
            media_url: None,
            staff: "Đội chiếu sáng".into(),
            at: civic_core::time::now_unix(),
        })
        .await
        .expect("update")
        .expect("the report is there");
    let url = gateway.url.clone();
    let local = report.id;
    tokio::task::spawn_blocking(move || {
        stdout(&civic(&data, &["feedback", "send", "--gateway", &url]));
        let list = stdout(&civic(&data, &["feedback", "list"]));
        assert!(
            list.contains("Đã xử lý xong") && list.contains("Có cập nhật mới"),
            "{list}"
        );
        let show = stdout(&civic(&data, &["feedback", "show", &local.to_string()]));
        assert!(show.contains("Đã thay bóng đèn"), "{show}");
        // Seen: no longer flagged.
        let list = stdout(&civic(&data, &["feedback", "list"]));
        assert!(!list.contains("Có cập nhật mới"), "{list}");
    })
    .await
    .expect("following");
}
