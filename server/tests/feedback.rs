//! Citizen feedback at the gateway: one conformance suite over both repositories, and the
//! Open311 contract over loopback HTTP read by the app's own client (`civic_feedback`), in
//! JSON and XML, on both backends.
#![allow(clippy::expect_used)] // test helpers: a failure is a failed test

mod support;

use std::net::SocketAddr;

use civic_core::feedback::{Endpoint, Format, Near, Open311Error, RequestQuery, StatusFilter};
use civic_gateway::feedback::repository::{
    Area, Claim, Created, FeedbackBackend, FeedbackRepository, NewReport, NewUpdate, ReportFilter,
    StoredMedia, UpdateFilter,
};
use civic_gateway::feedback::service::{APP, STAFF};
use civic_gateway::platform::credentials::CredentialStore;
use civic_types::feedback::Status;

fn report(service: &str, lat: f64, lon: f64, at: i64) -> NewReport {
    NewReport {
        service_code: service.into(),
        description: Some("Đèn không sáng".into()),
        address: None,
        address_id: None,
        lat: Some(lat),
        lon: Some(lon),
        media_urls: Vec::new(),
        attributes: vec![("problem".into(), "off".into())],
        account_id: None,
        requested_at: at,
        expected_at: at + 3 * 86_400,
    }
}

fn claim(client: &str, key: &str, fingerprint: &str) -> Claim {
    Claim {
        client: client.into(),
        key: Some(key.into()),
        fingerprint: fingerprint.into(),
    }
}

/// A post from a client that follows GeoReport v2 alone: no `Idempotency-Key`.
fn keyless(client: &str, fingerprint: &str) -> Claim {
    Claim {
        client: client.into(),
        key: None,
        fingerprint: fingerprint.into(),
    }
}

/// Without a key, each post is a report of its own, even with the same fields.
async fn keyless_posts(repo: FeedbackBackend, name: &str) {
    let mut ids = Vec::new();
    for at in [5_000, 5_001] {
        match repo
            .create(report("ngap-ung", 16.0, 108.0, at), keyless("app", "same"))
            .await
            .expect("create")
        {
            Created::New(id) => ids.push(id),
            other => panic!("{name}: {other:?}"),
        }
    }
    assert_ne!(ids[0], ids[1], "{name}");
    let stored = repo
        .reports(ReportFilter {
            ids: ids.clone(),
            limit: 10,
            ..ReportFilter::default()
        })
        .await
        .expect("list");
    assert_eq!(stored.len(), 2, "{name}: both kept");
}

async fn conformance(repo: FeedbackBackend, name: &str) {
    // Idempotency: the same key and fields answer the same report; other fields are refused;
    // keys belong to the app that sent them.
    let first = repo
        .create(
            report("chieu-sang", 16.05, 108.2, 100),
            claim("app", "k1", "f1"),
        )
        .await
        .expect("create");
    let Created::New(id) = first else {
        panic!("{name}: {first:?}")
    };
    assert_eq!(
        repo.create(
            report("chieu-sang", 16.05, 108.2, 101),
            claim("app", "k1", "f1")
        )
        .await
        .expect("replay"),
        Created::Replayed(id),
        "{name}"
    );
    assert_eq!(
        repo.create(
            report("rac-thai", 16.05, 108.2, 102),
            claim("app", "k1", "f2")
        )
        .await
        .expect("reuse"),
        Created::KeyReused,
        "{name}"
    );
    let other_app = repo
        .create(
            report("chieu-sang", 16.05, 108.2, 103),
            claim("other", "k1", "f1"),
        )
        .await
        .expect("another app's key");
    assert!(
        matches!(other_app, Created::New(other) if other != id),
        "{name}"
    );

    // Listing: newest first, each filter narrows.
    let mut mine = report("ngap-ung", 16.06, 108.21, 200);
    mine.account_id = Some("sub-1".into());
    mine.address = Some("12 Bạch Đằng".into());
    mine.attributes = vec![
        ("hazards".into(), "traffic".into()),
        ("hazards".into(), "homes".into()),
    ];
    let Created::New(mine_id) = repo
        .create(mine.clone(), claim("app", "k2", "f3"))
        .await
        .expect("create")
    else {
        panic!("{name}: new")
    };
    let all = repo
        .reports(ReportFilter {
            limit: 10,
            ..ReportFilter::default()
        })
        .await
        .expect("list");
    assert_eq!(all.len(), 3, "{name}");
    assert_eq!(all[0].id, mine_id, "{name}: newest first");
    assert_eq!(all[0].report, mine, "{name}: stored as given");
    assert_eq!(all[0].status, Status::Open);
    let filtered = |filter: ReportFilter| {
        let repo = repo.clone();
        async move {
            repo.reports(ReportFilter {
                limit: 10,
                ..filter
            })
            .await
            .expect("list")
            .iter()
            .map(|r| r.id)
            .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        filtered(ReportFilter {
            service_codes: vec!["ngap-ung".into()],
            ..ReportFilter::default()
        })
        .await,
        [mine_id]
    );
    assert_eq!(
        filtered(ReportFilter {
            account_id: Some("sub-1".into()),
            ..ReportFilter::default()
        })
        .await,
        [mine_id]
    );
    assert_eq!(
        filtered(ReportFilter {
            ids: vec![id, 999_999],
            ..ReportFilter::default()
        })
        .await,
        [id]
    );
    assert_eq!(
        filtered(ReportFilter {
            from: Some(150),
            to: Some(250),
            ..ReportFilter::default()
        })
        .await,
        [mine_id]
    );
    let area = Area {
        south: 16.055,
        north: 16.065,
        west: 108.205,
        east: 108.215,
    };
    assert_eq!(
        filtered(ReportFilter {
            area: Some(area),
            ..ReportFilter::default()
        })
        .await,
        [mine_id]
    );
    assert_eq!(
        repo.reports(ReportFilter {
            limit: 1,
            ..ReportFilter::default()
        })
        .await
        .expect("list")
        .len(),
        1
    );

    // Staff updates give the report its status and are listed oldest first.
    let update = |status, at| NewUpdate {
        report_id: id,
        status,
        description: Some(format!("{status:?}")),
        media_url: None,
        staff: "Đội chiếu sáng".into(),
        at,
    };
    let u1 = repo
        .add_update(update(Status::Investigating, 300))
        .await
        .expect("update")
        .expect("the report exists");
    let u2 = repo
        .add_update(update(Status::Fixed, 400))
        .await
        .expect("update")
        .expect("the report exists");
    assert!(u2.id > u1.id);
    assert_eq!(
        repo.add_update(NewUpdate {
            report_id: 999_999,
            ..update(Status::Fixed, 500)
        })
        .await
        .expect("update"),
        None,
        "{name}: no such report"
    );
    let fixed = filtered(ReportFilter {
        statuses: vec![Status::Fixed],
        ..ReportFilter::default()
    })
    .await;
    assert_eq!(fixed, [id], "{name}");
    let stored = &repo
        .reports(ReportFilter {
            ids: vec![id],
            limit: 1,
            ..ReportFilter::default()
        })
        .await
        .expect("list")[0];
    assert_eq!(
        (stored.updated_at, stored.status_notes.as_deref()),
        (400, Some("Fixed"))
    );
    let updates = repo
        .updates(UpdateFilter {
            limit: 10,
            ..UpdateFilter::default()
        })
        .await
        .expect("updates");
    assert_eq!(updates, [u1.clone(), u2.clone()], "{name}");
    assert_eq!(
        repo.updates(UpdateFilter {
            from: Some(350),
            limit: 10,
            ..UpdateFilter::default()
        })
        .await
        .expect("updates"),
        [u2],
        "{name}"
    );
    assert!(
        repo.updates(UpdateFilter {
            report_ids: vec![mine_id],
            limit: 10,
            ..UpdateFilter::default()
        })
        .await
        .expect("updates")
        .is_empty()
    );

    // Photos: kept by id; the same id again keeps the first.
    let photo = StoredMedia {
        id: "a".repeat(64),
        content_type: "image/jpeg".into(),
        bytes: vec![0xFF, 0xD8, 1, 2, 3].into(),
    };
    repo.put_media(photo.clone(), "app".into(), 1)
        .await
        .expect("put");
    repo.put_media(
        StoredMedia {
            bytes: vec![9].into(),
            ..photo.clone()
        },
        "app".into(),
        2,
    )
    .await
    .expect("put again");
    assert_eq!(
        repo.media(photo.id.clone()).await.expect("get"),
        Some(photo)
    );
    assert_eq!(repo.media("b".repeat(64)).await.expect("get"), None);
}

/// The same key posted by many at once makes one report.
async fn concurrent_posts(repo: FeedbackBackend, name: &str) {
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let repo = repo.clone();
            tokio::spawn(async move {
                repo.create(
                    report("rac-thai", 16.0, 108.0, 1_000 + i),
                    claim("app", "same", "f"),
                )
                .await
                .expect("create")
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.expect("task"));
    }
    let new: Vec<i64> = outcomes
        .iter()
        .filter_map(|o| match o {
            Created::New(id) => Some(*id),
            _ => None,
        })
        .collect();
    assert_eq!(new.len(), 1, "{name}: {outcomes:?}");
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o, Created::New(id) | Created::Replayed(id) if *id == new[0]))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_feedback_conforms() {
    let db = support::sqlite().await;
    let repo = FeedbackBackend::open(&db.backend.database())
        .await
        .expect("open");
    conformance(repo.clone(), "sqlite").await;
    concurrent_posts(repo.clone(), "sqlite").await;
    keyless_posts(repo, "sqlite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_feedback_conforms() {
    let db = support::postgres().await;
    let repo = FeedbackBackend::open(&db.backend.database())
        .await
        .expect("open");
    conformance(repo.clone(), "postgres").await;
    concurrent_posts(repo.clone(), "postgres").await;
    keyless_posts(repo, "postgres").await;
    // A second gateway on the same database finds the schema in place.
    FeedbackBackend::open(&db.backend.database())
        .await
        .expect("reopen");
}

/// A gateway on loopback with an app key and a staff token.
struct Gateway {
    addr: SocketAddr,
    app_key: String,
    staff_token: String,
    _db: support::TestDatabase,
}

async fn gateway(db: support::TestDatabase) -> Gateway {
    let credentials = CredentialStore::open(&db.backend.database())
        .await
        .expect("open");
    let app_key = credentials.issue(APP, "Civic app").await.expect("key");
    let staff_token = credentials
        .issue(STAFF, "Đội chiếu sáng")
        .await
        .expect("token");
    Gateway {
        addr: support::serve(db.backend.clone()).await,
        app_key,
        staff_token,
        _db: db,
    }
}

fn endpoint(addr: SocketAddr, format: Format) -> Endpoint {
    Endpoint::new(&format!("http://{addr}/open311/v2"), format).expect("endpoint")
}

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, 120])
    });
    let mut out = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("encode");
    out
}

fn refused_status(result: Result<impl std::fmt::Debug, Open311Error>) -> (u16, String) {
    match result {
        Err(Open311Error::Refused { status, errors }) => (
            status,
            errors
                .first()
                .map(|e| e.description.clone())
                .unwrap_or_default(),
        ),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// What a resident's app and a staff member do, through the app's own Open311 client.
fn contract(gw: &Gateway, format: Format) {
    let open311 = endpoint(gw.addr, format);
    let services = open311.services().expect("services");
    let light = services
        .iter()
        .find(|s| s.service_code == "chieu-sang")
        .expect("streetlights");
    assert!(light.metadata && !light.keywords.is_empty() && light.group.is_some());
    let form = open311
        .service_definition("chieu-sang")
        .expect("definition");
    let questions = form.questions();
    assert_eq!(questions[0].code, "problem");
    assert_eq!(
        questions[0].values.len(),
        4,
        "{format:?}: list values read back"
    );
    assert!(matches!(
        open311.service_definition("no-such"),
        Err(Open311Error::Refused { status: 404, .. })
    ));

    // Posting needs the app's key; refusals are the spec's array, in Vietnamese.
    let report = fields(&[
        ("service_code", "chieu-sang"),
        ("lat", "16.0544"),
        ("long", "108.2022"),
        (
            "description",
            "Đèn đường trước số 12 không sáng <b>&amp;</b>",
        ),
        ("attribute[problem]", "off"),
        ("account_id", "eid-subject-1"),
    ]);
    let key = format!("{format:?}-report-1");
    let (status, _) = refused_status(open311.post_request(&report, "wrong key", &key));
    assert_eq!(status, 403);
    let (status, description) = refused_status(open311.post_request(
        &fields(&[
            ("service_code", "chieu-sang"),
            ("lat", "16.05"),
            ("long", "108.2"),
        ]),
        &gw.app_key,
        &format!("{format:?}-incomplete"),
    ));
    assert_eq!(status, 400);
    assert!(description.contains("cần trả lời"), "{description}");

    let receipt = open311
        .post_request(&report, &gw.app_key, &key)
        .expect("posted");
    let id = receipt.service_request_id.clone().expect("an id");
    assert!(
        receipt
            .service_notice
            .as_deref()
            .is_some_and(|n| n.contains("Hạn xử lý"))
    );
    // A batch service (the catch-all "khac") answers with a token; `tokens/{token}` gives the id.
    let batch = open311
        .post_request(
            &fields(&[
                ("service_code", "khac"),
                ("address_string", "Chợ Hàn"),
                ("description", "Góp ý về giờ mở cửa bộ phận một cửa"),
            ]),
            &gw.app_key,
            &format!("{format:?}-batch"),
        )
        .expect("posted to a batch service");
    let token = batch.token.clone().expect("a token");
    assert_eq!(batch.service_request_id, None, "{format:?}: no id yet");
    let resolved = open311.token(&token).expect("the token resolves");
    let batch_id = resolved[0].service_request_id.clone().expect("an id");
    assert_ne!(batch_id, id);
    assert!(
        open311
            .request(&batch_id)
            .expect("the report")
            .is_some_and(|r| r.service_code.as_deref() == Some("khac"))
    );
    assert_eq!(refused_status(open311.token("t999999")).0, 404);
    assert_eq!(refused_status(open311.token("../services")).0, 404);

    // A retry after a lost answer gets the same report; the same key for another report is refused.
    let again = open311
        .post_request(&report, &gw.app_key, &key)
        .expect("replayed");
    assert_eq!(again.service_request_id.as_deref(), Some(id.as_str()));
    let mut other = report.clone();
    other[3].1 = "Một phản ánh khác".into();
    assert_eq!(
        refused_status(open311.post_request(&other, &gw.app_key, &key)).0,
        409
    );

    // Read back as any Open311 client would.
    let stored = open311.request(&id).expect("request").expect("found");
    assert_eq!(stored.service_code.as_deref(), Some("chieu-sang"));
    assert_eq!(
        stored.description.as_deref(),
        Some("Đèn đường trước số 12 không sáng <b>&amp;</b>"),
        "{format:?}: markup is text, escaped both ways"
    );
    assert_eq!((stored.lat, stored.lon), (Some(16.0544), Some(108.2022)));
    assert_eq!(stored.status, Status::Open);
    let requested = stored.requested_datetime.clone().expect("requested");
    let expected = stored.expected_datetime.clone().expect("due");
    assert!(requested.ends_with("+07:00"), "{requested}");
    assert!(expected > requested);

    // A second report 30 m away and a third 300 m away: "similar reports nearby" sees one.
    let near = fields(&[
        ("service_code", "chieu-sang"),
        ("lat", "16.05467"),
        ("long", "108.2022"),
        ("attribute[problem]", "flicker"),
    ]);
    let near_id = open311
        .post_request(&near, &gw.app_key, &format!("{format:?}-near"))
        .expect("near")
        .service_request_id
        .expect("id");
    let far = fields(&[
        ("service_code", "chieu-sang"),
        ("lat", "16.0571"),
        ("long", "108.2022"),
        ("attribute[problem]", "off"),
    ]);
    open311
        .post_request(&far, &gw.app_key, &format!("{format:?}-far"))
        .expect("far");
    let nearby = open311
        .requests(&RequestQuery {
            service_code: Some("chieu-sang".into()),
            status: Some(StatusFilter::Open),
            near: Some(Near {
                lat: 16.0544,
                lon: 108.2022,
                radius_m: 50.0,
            }),
            ..RequestQuery::default()
        })
        .expect("nearby");
    let nearby: Vec<&str> = nearby
        .iter()
        .map(|r| r.service_request_id.as_str())
        .collect();
    assert_eq!(
        nearby,
        [id.as_str(), near_id.as_str()],
        "nearest first, within 50 m"
    );

    // My reports follow the eID subject.
    let mine = open311
        .requests(&RequestQuery {
            account_id: Some("eid-subject-1".into()),
            ..RequestQuery::default()
        })
        .expect("mine");
    assert_eq!(mine.len(), 1);

    // Staff: a token of their own; the update is published and closes the report.
    let staff_post = |token: &str, status: &str| {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .new_agent()
            .post(&format!(
                "http://{}/open311/v2/requests/{id}/updates.json",
                gw.addr
            ))
            .header("Authorization", &format!("Bearer {token}"))
            .content_type("application/x-www-form-urlencoded")
            .send(format!(
                "status={status}&description=%C4%90%C3%A3+thay+b%C3%B3ng+%C4%91%C3%A8n"
            ))
            .expect("answer")
            .status()
            .as_u16()
    };
    assert_eq!(
        staff_post(&gw.app_key, "fixed"),
        403,
        "an app key is no staff token"
    );
    assert_eq!(staff_post(&gw.staff_token, "repaired"), 400);
    assert_eq!(staff_post(&gw.staff_token, "investigating"), 201);
    assert_eq!(staff_post(&gw.staff_token, "fixed"), 201);
    let updates = open311.updates(std::slice::from_ref(&id)).expect("updates");
    let statuses: Vec<Status> = updates.iter().map(|u| u.status).collect();
    assert_eq!(statuses, [Status::Investigating, Status::Fixed]);
    assert_eq!(updates[1].description.as_deref(), Some("Đã thay bóng đèn"));
    let closed = open311.request(&id).expect("request").expect("found");
    assert_eq!(
        closed.status,
        Status::Closed,
        "fixed is closed in the spec's terms"
    );
    assert_eq!(closed.status_notes.as_deref(), Some("Đã thay bóng đèn"));
}

fn photos(gw: &Gateway) {
    let open311 = endpoint(gw.addr, Format::Json);
    let media_url = open311
        .upload_photo(png(2_400, 1_800), &gw.app_key)
        .expect("uploaded");
    assert!(media_url.starts_with(&format!("http://{}/open311/v2/media/", gw.addr)));
    let served = ureq::get(&media_url).call().expect("served");
    assert_eq!(
        served.headers().get("content-type").expect("type"),
        "image/jpeg"
    );
    let jpeg = served.into_body().read_to_vec().expect("body");
    let image = image::load_from_memory(&jpeg).expect("a JPEG");
    assert_eq!((image.width(), image.height()), (1_600, 1_200));
    // A photo becomes the report's media_url.
    let receipt = open311
        .post_request(
            &fields(&[
                ("service_code", "rac-thai"),
                ("address_string", "Chợ Hàn"),
                ("attribute[kind]", "household"),
                ("media_url", &media_url),
            ]),
            &gw.app_key,
            "photo-report",
        )
        .expect("posted");
    let id = receipt.service_request_id.expect("id");
    let stored = open311.request(&id).expect("request").expect("found");
    assert_eq!(stored.media_url.as_deref(), Some(media_url.as_str()));

    // A photo as large as phones take (over axum's default 2 MB body cap).
    let noisy = image::RgbImage::from_fn(1_800, 1_400, |x, y| {
        let v = x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(2_246_822_519);
        image::Rgb([(v >> 24) as u8, (v >> 16) as u8, (v >> 8) as u8])
    });
    let mut large = Vec::new();
    noisy
        .write_to(
            &mut std::io::Cursor::new(&mut large),
            image::ImageFormat::Png,
        )
        .expect("encode");
    assert!(large.len() > 4_000_000, "{}", large.len());
    open311
        .upload_photo(large, &gw.app_key)
        .expect("a large photo");
    assert!(matches!(
        open311.upload_photo(png(10, 10), "wrong"),
        Err(Open311Error::Refused { status: 403, .. })
    ));
    assert!(matches!(
        open311.upload_photo(b"%PDF-1.7 not a photo".to_vec(), &gw.app_key),
        Err(Open311Error::Refused { status: 415, .. })
    ));
    assert!(matches!(
        open311.upload_photo(vec![0xFF; 13 * 1024 * 1024], &gw.app_key),
        Err(Open311Error::Refused { status: 413, .. }) | Err(Open311Error::Offline(_))
    ));
}

/// A client that follows GeoReport v2 alone posts a plain form with no `Idempotency-Key`
/// (the spec has none): each post is a report of its own. A key that is sent must be usable.
fn spec_only_posts(gw: &Gateway) {
    let url = format!("http://{}/open311/v2/requests.json", gw.addr);
    let form = format!(
        "api_key={}&service_code=chieu-sang&lat=16.0544&long=108.2022&attribute%5Bproblem%5D=off&description=%C4%90%C3%A8n+t%E1%BA%AFt",
        gw.app_key
    );
    let post = |headers: &[(&str, &str)]| {
        support::request(
            "POST",
            &url,
            &[
                &[("content-type", "application/x-www-form-urlencoded")],
                headers,
            ]
            .concat(),
            Some(form.as_bytes()),
        )
    };
    let id = |reply: &support::Reply| -> String {
        assert_eq!(
            reply.status,
            201,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
        let receipts: Vec<serde_json::Value> = reply.json();
        receipts[0]["service_request_id"]
            .as_str()
            .expect("an id")
            .to_owned()
    };
    let (first, second) = (id(&post(&[])), id(&post(&[])));
    assert_ne!(first, second, "two posts without a key are two reports");
    let stored = support::get(
        &format!("http://{}/open311/v2/requests/{first}.json", gw.addr),
        &[],
    );
    assert_eq!(stored.status, 200);
    let stored: Vec<serde_json::Value> = stored.json();
    assert_eq!(stored[0]["description"], "Đèn tắt");

    let too_long = "k".repeat(129);
    let refused = post(&[("idempotency-key", &too_long)]);
    assert_eq!(refused.status, 400);
    let errors: Vec<serde_json::Value> = refused.json();
    assert_eq!(errors[0]["code"], 400);
}

/// Each format on a gateway of its own, so their reports do not meet.
async fn run_contract(json: support::TestDatabase, xml: support::TestDatabase) {
    let (json, xml) = (gateway(json).await, gateway(xml).await);
    tokio::task::spawn_blocking(move || {
        contract(&json, Format::Json);
        contract(&xml, Format::Xml);
        photos(&json);
        spec_only_posts(&json);
    })
    .await
    .expect("contract");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_open311_contract() {
    run_contract(support::sqlite().await, support::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_open311_contract() {
    run_contract(support::postgres().await, support::postgres().await).await;
}

/// Set by `cargo xtask test`: the Python with the independent Open311 client installed
/// (`tests/open311-client`).
const OPEN311_CLIENT_ENV: &str = "CIVIC_TEST_OPEN311_PYTHON";

/// A GeoReport v2 client written elsewhere (PyPI's `georeport`) reads services, forms and
/// reports in JSON and XML, and a plain form post as the spec describes is taken.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_independent_open311_client_reads_and_posts() {
    let python = std::env::var(OPEN311_CLIENT_ENV).unwrap_or_else(|_| {
        panic!("{OPEN311_CLIENT_ENV} is not set: run the tests with `cargo xtask test`, which installs the independent Open311 client")
    });
    let gw = gateway(support::sqlite().await).await;
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/open311-client/check.py"
    );
    let root = format!("http://{}/open311/v2", gw.addr);
    let key = gw.app_key.clone();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(python)
            .arg(script)
            .arg(root)
            .env("GEOREPORT_API_KEY", key)
            .output()
            .expect("run the client")
    })
    .await
    .expect("client");
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        printed.contains("ok: two posts are two reports"),
        "{printed}"
    );
    assert!(printed.contains("ok: xml: both listed"), "{printed}");
}
