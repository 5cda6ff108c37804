//! The outbox against the real gateway: a report survives anything short of losing the
//! disk. The submitting process is killed with SIGKILL at random moments, 200 times, and
//! restarted each time; every report must reach the gateway once and only once, with its
//! photos. Also: offline → queued with the last attempt, refusals → needs fixing, and the
//! scheduler sends a queued report when woken.
#![allow(clippy::expect_used)] // test helpers: a failure is a failed test

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use civic_core::feedback::{Endpoint, Format, Outbox, Target};
use civic_gateway::feedback::repository::{FeedbackBackend, FeedbackRepository, ReportFilter};
use civic_gateway::feedback::service::{APP, STAFF};
use civic_gateway::platform::credentials::CredentialStore;
use civic_types::feedback::{ReportDraft, ReportPlace, ReportState};

const CHILD_DIR: &str = "CIVIC_OUTBOX_CHILD_DIR";
const CHILD_ENDPOINT: &str = "CIVIC_OUTBOX_CHILD_ENDPOINT";
const CHILD_KEY: &str = "CIVIC_OUTBOX_CHILD_KEY";
const KILLS: usize = 200;

fn png(seed: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(320, 240, |x, y| {
        image::Rgb([(x + seed) as u8, (y * 3 + seed) as u8, (seed * 7) as u8])
    });
    let mut out = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("encode");
    out
}

fn draft(n: usize) -> ReportDraft {
    ReportDraft {
        service_code: "rac-thai".into(),
        service_name: "Rác thải".into(),
        description: Some(format!("report #{n}")),
        place: ReportPlace {
            lat: Some(16.05 + n as f64 * 1e-4),
            lon: Some(108.2),
            ..ReportPlace::default()
        },
        attributes: vec![("kind".into(), "household".into())],
    }
}

/// Photos of report `n`: every third has one, every ninth two (within the gateway's
/// per-address upload allowance for the whole run).
fn photos_of(n: usize) -> usize {
    usize::from(n.is_multiple_of(3)) + usize::from(n.is_multiple_of(9))
}

/// Writes report `n` with its photos and queues it.
fn queue_report(outbox: &Outbox, n: usize) {
    let id = outbox.write_draft(&draft(n), None, 1_000).expect("draft");
    for p in 0..photos_of(n) {
        outbox
            .attach_photo(id, &png((n * 3 + p) as u32), false)
            .expect("photo");
    }
    outbox.queue(id).expect("queue");
}

fn target(endpoint: &str, key: &str) -> Target {
    Target {
        endpoint: Endpoint::new(endpoint, Format::Json).expect("endpoint"),
        api_key: key.into(),
        due_working_days: 3,
        zone: civic_core::time::vietnam(),
    }
}

/// The submitting process: sends every queued report until none is left, its clock jumping
/// to each next attempt as the scheduler's sleep would (backoff costs no real time here).
/// A new secret of `kind` on the test gateway's database.
async fn issue(
    db: &support::TestDatabase,
    kind: civic_gateway::platform::credentials::CredentialKind,
    name: &str,
) -> String {
    CredentialStore::open(&db.backend.database())
        .await
        .expect("credentials")
        .issue(kind, name)
        .await
        .expect("issued")
}

#[test]
#[ignore = "run by outbox_survives_sigkill as its child process"]
fn outbox_child() {
    let (Some(dir), Some(endpoint), Some(key)) = (
        std::env::var_os(CHILD_DIR),
        std::env::var(CHILD_ENDPOINT).ok(),
        std::env::var(CHILD_KEY).ok(),
    ) else {
        panic!("{CHILD_DIR}, {CHILD_ENDPOINT} and {CHILD_KEY} are set by the parent test");
    };
    let outbox = Outbox::open(&PathBuf::from(dir).join("feedback.sqlite3")).expect("open");
    let target = target(&endpoint, &key);
    loop {
        let now = outbox.next_attempt().expect("next").unwrap_or(0).max(1);
        match outbox.send_due(&target, now) {
            Ok(round) if round.sent > 0 => {}
            // Told to wait (429), or the connection dropped: wait, as the scheduler would.
            _ => std::thread::sleep(Duration::from_millis(200)),
        }
        let queued = outbox
            .reports(0)
            .expect("reports")
            .iter()
            .filter(|r| r.state == ReportState::Queued)
            .count();
        if queued == 0 {
            return;
        }
    }
}

fn child(dir: &Path, endpoint: &str, key: &str) -> Command {
    let mut command = Command::new(std::env::current_exe().expect("test binary"));
    command
        .args([
            "outbox_child",
            "--exact",
            "--ignored",
            "--test-threads=1",
            "-q",
        ])
        .env(CHILD_DIR, dir)
        .env(CHILD_ENDPOINT, endpoint)
        .env(CHILD_KEY, key)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// xorshift64*: reproducible random moments from a printed seed.
struct Moments(u64);

impl Moments {
    fn next_ms(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % below
    }
}

/// A gateway database (SQLite) with an app key named `app`, and the runtime to serve it.
fn gateway_database(
    app: &str,
) -> (
    tokio::runtime::Runtime,
    support::TestDatabase,
    FeedbackBackend,
    String,
) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let db = runtime.block_on(support::sqlite());
    let feedback = runtime
        .block_on(FeedbackBackend::open(&db.backend.database()))
        .expect("feedback store");
    let key = runtime.block_on(issue(&db, APP, app));
    (runtime, db, feedback, key)
}

#[test]
fn outbox_survives_sigkill() {
    let (runtime, db, feedback, key) = gateway_database("crash test");
    let addr = runtime.block_on(support::serve(db.backend.clone()));
    let endpoint = format!("http://{addr}/open311/v2");

    let dir = tempfile::tempdir().expect("tempdir");
    let mut written = 0;
    {
        let outbox = Outbox::open(&dir.path().join("feedback.sqlite3")).expect("open");
        for _ in 0..20 {
            queue_report(&outbox, written);
            written += 1;
        }
    }
    let mut seed = [0u8; 8];
    getrandom::fill(&mut seed).expect("seed");
    let seed = u64::from_le_bytes(seed) | 1;
    println!("kill moments seed: {seed}");
    let mut moments = Moments(seed);
    // How long a run that sends one report takes here (start-up included): the kills land
    // anywhere in it.
    let mut runs = Duration::ZERO;
    for _ in 0..3 {
        let outbox = Outbox::open(&dir.path().join("feedback.sqlite3")).expect("reopen");
        queue_report(&outbox, written);
        written += 1;
        drop(outbox);
        let run = Instant::now();
        assert!(
            child(dir.path(), &endpoint, &key)
                .status()
                .expect("run")
                .success()
        );
        runs += run.elapsed();
    }
    let run_ms = u64::try_from((runs / 3).as_millis()).unwrap_or(1000).max(2);
    // Runs vary; a window a little shorter than the average keeps most kills inside one.
    let window = (run_ms * 4 / 5).max(2);
    println!("one run takes {run_ms} ms; kills land in [0, {window}) ms");
    let started = Instant::now();
    let mut finished_before_kill = 0;
    for _ in 0..KILLS {
        let mut running = child(dir.path(), &endpoint, &key).spawn().expect("spawn");
        std::thread::sleep(Duration::from_millis(moments.next_ms(window)));
        if running.try_wait().expect("poll").is_some() {
            finished_before_kill += 1;
        }
        running.kill().expect("SIGKILL"); // std's kill is SIGKILL on Unix
        running.wait().expect("reap");
        // While no one is sending, more reports arrive: there is always work to cut short.
        let outbox = Outbox::open(&dir.path().join("feedback.sqlite3")).expect("reopen");
        queue_report(&outbox, written);
        written += 1;
    }
    let status = child(dir.path(), &endpoint, &key)
        .status()
        .expect("last run");
    assert!(status.success(), "the last, uninterrupted run finishes");
    println!(
        "{KILLS} kills in {:.1} s ({finished_before_kill} runs had finished before their kill); {written} reports",
        started.elapsed().as_secs_f64()
    );
    assert!(
        finished_before_kill < KILLS * 3 / 4,
        "too few kills cut a run short: this would test nothing"
    );

    let outbox = Outbox::open(&dir.path().join("feedback.sqlite3")).expect("open");
    let local = outbox.reports(0).expect("reports");
    assert_eq!(local.len(), written);
    assert!(
        local.iter().all(|r| r.state == ReportState::Sent),
        "all sent"
    );
    let stored = runtime
        .block_on(feedback.reports(ReportFilter {
            limit: 10_000,
            ..ReportFilter::default()
        }))
        .expect("gateway reports");
    assert_eq!(stored.len(), written, "once and only once at the gateway");
    for report in &local {
        let id: i64 = report
            .service_request_id
            .as_deref()
            .expect("an id")
            .parse()
            .expect("numeric");
        let at_gateway = stored.iter().find(|s| s.id == id).expect("at the gateway");
        assert_eq!(at_gateway.report.description, report.description);
        assert_eq!(
            at_gateway.report.media_urls.len(),
            report.photos as usize,
            "{:?}: every photo arrived",
            report.description
        );
        for url in &at_gateway.report.media_urls {
            let photo_id = url
                .rsplit('/')
                .next()
                .and_then(|n| n.strip_suffix(".jpg"))
                .expect("a photo address");
            assert!(
                runtime
                    .block_on(feedback.media(photo_id.to_owned()))
                    .expect("media")
                    .is_some()
            );
        }
    }
    let descriptions: std::collections::HashSet<_> = stored
        .iter()
        .map(|s| s.report.description.clone())
        .collect();
    assert_eq!(descriptions.len(), written, "no report twice");
}

#[test]
fn offline_refused_and_sent() {
    let (runtime, db, _feedback, key) = gateway_database("app");
    let dir = tempfile::tempdir().expect("tempdir");
    let outbox = Outbox::open(&dir.path().join("feedback.sqlite3")).expect("open");

    // Nothing listens on a port just freed: the report waits, with when it last tried.
    let free = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let down = format!("http://{}/open311/v2", free.local_addr().expect("addr"));
    drop(free);
    queue_report(&outbox, 1);
    let id = outbox.reports(0).expect("reports")[0].id;
    let offline = outbox.send_due(&target(&down, &key), 5_000);
    assert!(offline.is_err(), "offline is said");
    let waiting = outbox.report(id, 5_000).expect("report").summary;
    assert_eq!(waiting.state, ReportState::Queued);
    assert_eq!(
        (waiting.attempts, waiting.last_attempt_at),
        (1, Some(5_000))
    );
    let next = waiting.next_attempt_at.expect("a retry planned");
    assert!((5_015..=5_030).contains(&next), "{next}");
    assert_eq!(outbox.next_attempt().expect("next"), Some(next));
    assert!(waiting.last_error.is_some());
    // Not due yet: nothing is tried.
    let addr = runtime.block_on(support::serve(db.backend.clone()));
    let up = format!("http://{addr}/open311/v2");
    assert_eq!(
        outbox
            .send_due(&target(&up, &key), 5_001)
            .expect("round")
            .sent,
        0
    );
    let round = outbox.send_due(&target(&up, &key), next).expect("round");
    assert_eq!(round.sent, 1);
    let sent = outbox.report(id, next).expect("report").summary;
    assert_eq!(sent.state, ReportState::Sent);
    assert!(sent.due_at.expect("due") > next);

    // A report the gateway refuses comes back to be fixed, with the gateway's words.
    let bad = outbox
        .write_draft(
            &ReportDraft {
                attributes: vec![("kind".into(), "not-a-kind".into())],
                ..draft(2)
            },
            Some("eid-subject"),
            6_000,
        )
        .expect("draft");
    outbox.queue(bad).expect("queue");
    let round = outbox.send_due(&target(&up, &key), 6_000).expect("round");
    assert_eq!(round.refused, 1);
    let refused = outbox.report(bad, 6_000).expect("report").summary;
    assert_eq!(refused.state, ReportState::NeedsFix);
    assert!(refused.signed_in);
    assert!(
        refused
            .refusal
            .iter()
            .any(|e| e.description.contains("không hợp lệ")),
        "{:?}",
        refused.refusal
    );
    // Fixed and sent again.
    outbox.edit_draft(bad, &draft(2)).expect("edit");
    outbox.queue(bad).expect("queue");
    assert_eq!(
        outbox
            .send_due(&target(&up, &key), 6_001)
            .expect("round")
            .sent,
        1
    );
    // A batch service's report is taken under a token, then followed under its id.
    let batch = outbox
        .write_draft(
            &ReportDraft {
                service_code: "khac".into(),
                service_name: "Góp ý, phản ánh khác".into(),
                description: Some("Góp ý giờ làm việc".into()),
                place: civic_types::feedback::ReportPlace {
                    address: Some("Chợ Hàn".into()),
                    ..Default::default()
                },
                attributes: Vec::new(),
            },
            None,
            6_500,
        )
        .expect("draft");
    outbox.queue(batch).expect("queue");
    assert_eq!(
        outbox
            .send_due(&target(&up, &key), 6_500)
            .expect("round")
            .sent,
        1
    );
    let taken = outbox.report(batch, 6_500).expect("report").summary;
    assert!(
        taken
            .service_request_id
            .as_deref()
            .is_some_and(|n| n.starts_with("token:")),
        "{taken:?}"
    );
    outbox
        .refresh(&target(&up, &key), None, 6_600)
        .expect("refresh");
    let followed = outbox.report(batch, 6_600).expect("report").summary;
    let number = followed.service_request_id.expect("an id");
    assert!(number.parse::<i64>().is_ok(), "{number}");
    assert_eq!(followed.status, Some(civic_types::feedback::Status::Open));

    // An incomplete draft is not queued.
    let empty = outbox
        .write_draft(&ReportDraft::default(), None, 7_000)
        .expect("draft");
    assert!(outbox.queue(empty).is_err());
}

#[test]
fn forms_are_kept_for_offline_and_due_dates_flag_overdue() {
    let (runtime, db, _feedback, key) = gateway_database("app");
    let addr = runtime.block_on(support::serve(db.backend.clone()));
    let up = target(&format!("http://{addr}/open311/v2"), &key);
    let dir = tempfile::tempdir().expect("tempdir");
    let outbox = Outbox::open(&dir.path().join("feedback.sqlite3")).expect("open");

    assert!(outbox.services().expect("services").is_empty());
    assert!(outbox.refresh_services(&up, 10_000).expect("fetched"));
    assert!(
        !outbox.refresh_services(&up, 10_100).expect("fresh enough"),
        "kept a day"
    );
    // From here on, no network is needed to write and check a report.
    let services = outbox.services().expect("services");
    assert!(services.iter().any(|s| s.service_code == "chieu-sang"));
    let form = outbox
        .service_definition("chieu-sang")
        .expect("read")
        .expect("kept");
    assert!(
        form.attributes
            .iter()
            .any(|a| a.code == "problem" && a.required)
    );

    let unanswered = outbox
        .write_draft(
            &ReportDraft {
                service_code: "chieu-sang".into(),
                attributes: Vec::new(),
                ..draft(1)
            },
            None,
            10_000,
        )
        .expect("draft");
    let refused = outbox
        .queue(unanswered)
        .expect_err("a required answer is missing");
    assert!(refused.to_string().contains("problem"), "{refused}");
    assert_eq!(outbox.state(unanswered).expect("state"), ReportState::Draft);
    outbox
        .edit_draft(
            unanswered,
            &ReportDraft {
                service_code: "chieu-sang".into(),
                attributes: vec![("problem".into(), "off".into())],
                ..draft(1)
            },
        )
        .expect("answered");
    outbox.queue(unanswered).expect("queued");

    // Sent on a Friday afternoon (Vietnam): due Wednesday, three working days later.
    let friday =
        civic_core::time::parse_datetime("2026-12-04T15:00:00", &civic_core::time::vietnam())
            .expect("moment");
    assert_eq!(outbox.send_due(&up, friday).expect("round").sent, 1);
    let due = outbox.report(unanswered, friday).expect("report").summary;
    assert_eq!(
        due.due_at
            .map(|d| civic_core::time::iso_datetime(d, &civic_core::time::vietnam())),
        Some("2026-12-09T15:00:00+07:00".to_owned())
    );
    assert!(!due.overdue);
    let thursday = friday + 6 * 86_400;
    assert!(
        outbox
            .report(unanswered, thursday)
            .expect("report")
            .summary
            .overdue
    );
}

#[test]
fn the_agencys_photos_are_kept_for_the_timeline() {
    let (runtime, db, _, key) = gateway_database("app");
    let staff = runtime.block_on(issue(&db, STAFF, "Đội cây xanh"));
    let addr = runtime.block_on(support::serve(db.backend.clone()));
    let base = format!("http://{addr}/open311/v2");
    let up = target(&base, &key);
    let dir = tempfile::tempdir().expect("tempdir");
    let outbox = Outbox::open(&dir.path().join("feedback.sqlite3")).expect("open");
    queue_report(&outbox, 3);
    let id = outbox.reports(0).expect("reports")[0].id;
    assert_eq!(outbox.send_due(&up, 1_000).expect("round").sent, 1);
    let number = outbox
        .report(id, 1_000)
        .expect("report")
        .summary
        .service_request_id
        .expect("an id");
    let photo_url = up
        .endpoint
        .request(&number)
        .expect("the report")
        .and_then(|r| r.media_url)
        .expect("its photo at the gateway");

    // Two updates: one with a photo of the work, one whose photo is gone.
    let post = |status: &str, media_url: &str| {
        ureq::post(&format!("{base}/requests/{number}/updates.json"))
            .header("Authorization", &format!("Bearer {staff}"))
            .send_form([
                ("status", status),
                ("description", "Đã cắt tỉa cành"),
                ("media_url", media_url),
            ])
            .expect("published")
            .status()
            .as_u16()
    };
    assert_eq!(post("action_scheduled", &photo_url), 201);
    assert_eq!(
        post("fixed", &format!("{base}/media/{}.jpg", "0".repeat(64))),
        201
    );
    assert_eq!(outbox.refresh(&up, None, 2_000).expect("refresh"), vec![id]);
    let photos = outbox.update_photos(id).expect("photos");
    assert_eq!(photos.len(), 1, "the missing photo is left out: {photos:?}");
    assert!(photos[0].1.starts_with("data:image/jpeg;base64,"));
    let timeline = outbox.report(id, 2_000).expect("report").timeline;
    assert!(timeline.iter().any(|u| u.update_id == photos[0].0));

    // Kept on this device: shown with the gateway gone.
    drop(runtime);
    assert_eq!(outbox.update_photos(id).expect("photos"), photos);
}
