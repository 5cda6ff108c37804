//! Parking at the gateway: one conformance suite over SQLite and PostgreSQL (car parks,
//! sessions and their overlaps, transfers matched once), and the HTTP contract on both
//! (operator tokens, car parks near a point, sessions checked against Đà Nẵng's profile,
//! signed payment notices — bad, stale, replayed, repeated, under- and over-paid — and a
//! day's reconciliation).
#![allow(clippy::expect_used)]

mod support;

use civic_gateway::parking::repository::{
    Bounds, NewSession, ParkingBackend, ParkingRepository, SessionWrite,
};
use civic_gateway::platform::credentials::CredentialStore;
use civic_payment::notice as webhook;
use civic_types::parking::{
    Lot, LotState, NearbyLot, Occupancy, PaymentState, Reconciliation, SessionRecord,
    TransferNotice, TransferOutcome, VehicleKind,
};

fn lot(id: &str, lat: f64, lon: f64, kinds: &[VehicleKind]) -> Lot {
    Lot {
        id: id.into(),
        name: format!("Bãi xe {id}"),
        lat,
        lon,
        kinds: kinds.to_vec(),
        capacity: 120,
        free: Some(40),
        state: LotState::Open,
        tariff: Some("da-nang-155-2018".into()),
        hours: "06:00–22:00".into(),
        updated: 1_000,
    }
}

fn session(
    id: &str,
    plate: &str,
    zone: &str,
    starts_at: i64,
    ends_at: i64,
    fee: u64,
) -> NewSession {
    NewSession {
        record: SessionRecord {
            id: id.into(),
            plate: plate.into(),
            kind: VehicleKind::Motorbike,
            zone: zone.into(),
            starts_at,
            ends_at,
            stopped_at: None,
            fee,
            reference: civic_parking::reference::reference(id),
            received: 0,
            payment: PaymentState::Unpaid,
        },
        plate_key: plate.replace(['-', '.'], ""),
        at: starts_at,
    }
}

fn notice(id: &str, amount: u64, description: &str, booked_at: i64) -> TransferNotice {
    TransferNotice {
        id: id.into(),
        amount,
        description: description.into(),
        booked_at,
    }
}

fn written(write: SessionWrite) -> SessionRecord {
    match write {
        SessionWrite::Created(r) | SessionWrite::Updated(r) => r,
        other => panic!("refused: {other:?}"),
    }
}

const ID_A: &str = "AAAAAAAAAAAAAAAAAAAA";
const ID_B: &str = "BBBBBBBBBBBBBBBBBBBB";
const ID_C: &str = "CCCCCCCCCCCCCCCCCCCC";

async fn conformance(repo: ParkingBackend, name: &str) {
    // Car parks: stored, replaced, found in a box, their figures updated.
    for l in [
        lot(
            "cho-han",
            16.0680,
            108.2243,
            &[VehicleKind::Motorbike, VehicleKind::Car],
        ),
        lot("my-khe", 16.0590, 108.2470, &[VehicleKind::Car]),
        lot("ha-noi", 21.0288, 105.8525, &[VehicleKind::Car]),
    ] {
        repo.put_lot(l).await.expect("put lot");
    }
    let mut renamed = lot("cho-han", 16.0680, 108.2243, &[VehicleKind::Motorbike]);
    renamed.name = "Bãi xe Chợ Hàn".into();
    renamed.free = None;
    repo.put_lot(renamed.clone()).await.expect("replace lot");
    assert_eq!(repo.lots(None).await.expect("lots").len(), 3, "{name}");
    let da_nang = Bounds {
        south: 15.9,
        north: 16.2,
        west: 108.0,
        east: 108.4,
    };
    let found = repo.lots(Some(da_nang)).await.expect("lots in box");
    assert_eq!(
        found.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(),
        ["cho-han", "my-khe"],
        "{name}"
    );
    assert_eq!(found[0], renamed, "{name}: stored as given");
    let full = Occupancy {
        free: 0,
        state: LotState::Closed,
    };
    assert!(
        repo.set_occupancy("my-khe".into(), full, 2_000)
            .await
            .expect("set")
    );
    assert!(
        !repo
            .set_occupancy("nowhere".into(), full, 2_000)
            .await
            .expect("set")
    );
    let my_khe = repo.lots(Some(da_nang)).await.expect("lots")[1].clone();
    assert_eq!(
        (my_khe.free, my_khe.state, my_khe.updated),
        (Some(0), LotState::Closed, 2_000),
        "{name}"
    );

    // Sessions: one plate in one zone at a time; other zones and plates are free.
    let a = written(
        repo.put_session(session(
            ID_A,
            "43A-123.45",
            "bach-dang",
            10_000,
            13_600,
            4_000,
        ))
        .await
        .expect("put"),
    );
    assert_eq!((a.payment, a.received), (PaymentState::Unpaid, 0), "{name}");
    assert_eq!(
        repo.put_session(session(
            ID_B,
            "43A-123.45",
            "bach-dang",
            13_000,
            15_000,
            4_000
        ))
        .await
        .expect("put"),
        SessionWrite::Overlaps,
        "{name}"
    );
    // Back to back is not an overlap.
    written(
        repo.put_session(session(
            ID_B,
            "43A-123.45",
            "bach-dang",
            13_600,
            15_000,
            4_000,
        ))
        .await
        .expect("put"),
    );
    written(
        repo.put_session(session(
            ID_C,
            "43A-123.45",
            "tran-phu",
            10_000,
            13_600,
            4_000,
        ))
        .await
        .expect("put"),
    );
    // Extending A into B's time overlaps; extending C is fine and recomputes its payment.
    let mut longer = session(ID_A, "43A-123.45", "bach-dang", 10_000, 14_000, 4_000);
    assert_eq!(
        repo.put_session(longer.clone()).await.expect("put"),
        SessionWrite::Overlaps,
        "{name}"
    );
    longer.record.ends_at = 13_600;
    longer.record.stopped_at = Some(12_000);
    let stopped = written(repo.put_session(longer.clone()).await.expect("stop"));
    assert_eq!(stopped.stopped_at, Some(12_000), "{name}");
    // Stopped is final; the id cannot be taken by another plate.
    longer.record.stopped_at = None;
    assert_eq!(
        repo.put_session(longer).await.expect("put"),
        SessionWrite::Ended,
        "{name}"
    );
    assert_eq!(
        repo.put_session(session(
            ID_A,
            "43B-999.99",
            "bach-dang",
            10_000,
            13_600,
            4_000
        ))
        .await
        .expect("put"),
        SessionWrite::Conflict,
        "{name}"
    );

    // Transfers: matched by the reference in the note, added up, recorded once.
    let reference_a = civic_parking::reference::reference(ID_A);
    let paid = repo
        .record_transfer(
            notice("FT1", 4_000, &format!("{reference_a} gui xe"), 10_100),
            vec![reference_a.clone()],
            10_100,
        )
        .await
        .expect("record");
    assert_eq!(
        (paid.session.as_deref(), paid.payment, paid.duplicate),
        (Some(ID_A), Some(PaymentState::Paid), false),
        "{name}"
    );
    let again = repo
        .record_transfer(
            notice("FT1", 4_000, &reference_a, 10_100),
            vec![reference_a.clone()],
            10_200,
        )
        .await
        .expect("record");
    assert!(again.duplicate, "{name}");
    assert_eq!(
        repo.session(ID_A.into())
            .await
            .expect("get")
            .expect("A")
            .received,
        4_000,
        "{name}: counted once"
    );
    let over = repo
        .record_transfer(
            notice("FT2", 1_000, &reference_a, 10_300),
            vec![reference_a],
            10_300,
        )
        .await
        .expect("record");
    assert_eq!(over.payment, Some(PaymentState::Overpaid), "{name}");
    let reference_b = civic_parking::reference::reference(ID_B);
    let under = repo
        .record_transfer(
            notice("FT3", 2_000, &reference_b, 13_700),
            vec!["PKNOSUCHREF0".into(), reference_b],
            13_700,
        )
        .await
        .expect("record");
    assert_eq!(
        (under.session.as_deref(), under.payment),
        (Some(ID_B), Some(PaymentState::Underpaid)),
        "{name}"
    );
    let stray = repo
        .record_transfer(
            notice("FT4", 50_000, "chuyen tien", 11_000),
            Vec::new(),
            11_000,
        )
        .await
        .expect("record");
    assert_eq!((stray.session, stray.payment), (None, None), "{name}");

    // The day's view.
    let day = repo
        .sessions_between(10_000, 13_601)
        .await
        .expect("sessions");
    assert_eq!(
        day.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        [ID_A, ID_C, ID_B],
        "{name}"
    );
    let unmatched = repo.unmatched_between(0, 20_000).await.expect("unmatched");
    assert_eq!(
        unmatched,
        vec![notice("FT4", 50_000, "chuyen tien", 11_000)],
        "{name}"
    );

    // Signatures: taken once; forgotten after the window.
    assert!(
        repo.claim_signature("s1".into(), 100, 0)
            .await
            .expect("claim"),
        "{name}"
    );
    assert!(
        !repo
            .claim_signature("s1".into(), 150, 0)
            .await
            .expect("claim"),
        "{name}"
    );
    assert!(
        repo.claim_signature("s1".into(), 1_000, 900)
            .await
            .expect("claim"),
        "{name}"
    );
}

/// Many notices for one session at once: each counted once, the sum exact.
async fn concurrent_transfers(repo: ParkingBackend, name: &str) {
    const ID: &str = "DDDDDDDDDDDDDDDDDDDD";
    written(
        repo.put_session(session(
            ID,
            "29-B1 234.56",
            "tran-phu",
            50_000,
            53_600,
            40_000,
        ))
        .await
        .expect("put"),
    );
    let reference = civic_parking::reference::reference(ID);
    let mut tasks = Vec::new();
    for i in 0..20 {
        let (repo, reference) = (repo.clone(), reference.clone());
        // Ten transfers, each sent twice.
        tasks.push(tokio::spawn(async move {
            repo.record_transfer(
                notice(&format!("C{}", i % 10), 4_000, &reference, 50_100),
                vec![reference],
                50_100,
            )
            .await
        }));
    }
    let mut duplicates = 0;
    for task in tasks {
        duplicates += usize::from(task.await.expect("task").expect("record").duplicate);
    }
    assert_eq!(duplicates, 10, "{name}");
    let stored = repo.session(ID.into()).await.expect("get").expect("stored");
    assert_eq!(
        (stored.received, stored.payment),
        (40_000, PaymentState::Paid),
        "{name}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_parking_conforms() {
    let db = support::sqlite().await;
    let repo = ParkingBackend::open(&db.backend.database())
        .await
        .expect("open");
    conformance(repo.clone(), "sqlite").await;
    concurrent_transfers(repo, "sqlite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_parking_conforms() {
    let db = support::postgres().await;
    let repo = ParkingBackend::open(&db.backend.database())
        .await
        .expect("open");
    conformance(repo.clone(), "postgres").await;
    concurrent_transfers(repo, "postgres").await;
    ParkingBackend::open(&db.backend.database())
        .await
        .expect("a second gateway finds the schema");
}

const SECRET: &[u8] = b"the operator's bank connector secret, long enough";

fn da_nang() -> civic_types::city::CityProfile {
    civic_gateway::city::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../assets/cities/da-nang.toml"
    )))
    .expect("Đà Nẵng's profile")
}

struct Gateway {
    base: String,
    operator: String,
    _db: support::TestDatabase,
}

async fn gateway(db: support::TestDatabase) -> Gateway {
    let credentials = CredentialStore::open(&db.backend.database())
        .await
        .expect("credentials");
    let operator = credentials
        .issue(civic_gateway::parking::OPERATOR, "Công ty bãi xe")
        .await
        .expect("token");
    let options = civic_gateway::http::Options {
        payment_secret: Some(SECRET.to_vec()),
        ..Default::default()
    };
    let (addr, _) = civic_gateway::serve_loopback_with(0, db.backend.clone(), &da_nang(), options)
        .await
        .expect("serve");
    Gateway {
        base: format!("http://{addr}/v1/parking"),
        operator,
        _db: db,
    }
}

fn json_body<T: serde::Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("JSON")
}

/// Posts a notice signed at `timestamp` (with `secret`).
fn post_notice(gw: &Gateway, body: &[u8], timestamp: i64, secret: &[u8]) -> support::Reply {
    let signature = webhook::sign(secret, timestamp, body);
    support::request(
        "POST",
        &format!("{}/payments", gw.base),
        &[
            ("content-type", "application/json"),
            ("x-civic-timestamp", &timestamp.to_string()),
            ("x-civic-signature", &signature),
        ],
        Some(body),
    )
}

fn contract(gw: &Gateway) {
    let bearer = format!("Bearer {}", gw.operator);
    let operator = [
        ("authorization", bearer.as_str()),
        ("content-type", "application/json"),
    ];
    let anyone = [("content-type", "application/json")];

    // Car parks: only operators write them.
    let cho_han = lot(
        "cho-han",
        16.0680,
        108.2243,
        &[VehicleKind::Motorbike, VehicleKind::Car],
    );
    let put = |headers: &[(&str, &str)], l: &Lot| {
        support::request(
            "PUT",
            &format!("{}/lots/{}", gw.base, l.id),
            headers,
            Some(&json_body(l)),
        )
    };
    assert_eq!(put(&anyone, &cho_han).status, 403);
    assert_eq!(
        put(
            &[
                ("authorization", "Bearer guessed"),
                ("content-type", "application/json")
            ],
            &cho_han
        )
        .status,
        403
    );
    for l in [
        &cho_han,
        &lot("my-khe", 16.0590, 108.2470, &[VehicleKind::Car]),
        &lot("hoi-an", 15.8773, 108.326, &[VehicleKind::Motorbike]),
    ] {
        assert_eq!(put(&operator, l).status, 204);
    }
    let mut too_full = cho_han.clone();
    too_full.free = Some(500);
    assert_eq!(put(&operator, &too_full).error_code(), "lot-invalid");
    let occupancy = |id: &str, free: u32, headers: &[(&str, &str)]| {
        support::request(
            "PUT",
            &format!("{}/lots/{id}/occupancy", gw.base),
            headers,
            Some(&json_body(&Occupancy {
                free,
                state: LotState::Open,
            })),
        )
    };
    // The whole list, asked again with its ETag: a 304 until a figure changes.
    let listed = support::get(&format!("{}/lots", gw.base), &[]);
    assert_eq!(listed.status, 200);
    let etag = listed.header("etag").expect("an ETag").to_owned();
    let again = support::get(&format!("{}/lots", gw.base), &[("if-none-match", &etag)]);
    assert_eq!((again.status, again.body.len()), (304, 0));
    assert_eq!(occupancy("cho-han", 7, &anyone).status, 403);
    assert_eq!(occupancy("cho-han", 7, &operator).status, 204);
    let changed = support::get(&format!("{}/lots", gw.base), &[("if-none-match", &etag)]);
    assert_eq!(changed.status, 200, "a new figure is a new list");
    assert_ne!(changed.header("etag"), Some(etag.as_str()));
    assert_eq!(occupancy("nowhere", 7, &operator).status, 404);
    assert_eq!(occupancy("cho-han", 121, &operator).status, 422);

    // Near Cầu Rồng: Chợ Hàn (≈ 0.8 km) before Mỹ Khê (≈ 2.2 km); Hội An is too far.
    let near = |query: &str| support::get(&format!("{}/lots/near?{query}", gw.base), &[]);
    let found: Vec<NearbyLot> = near("lat=16.0613&lon=108.2274&radius=5000").json();
    assert_eq!(
        found.iter().map(|n| n.lot.id.as_str()).collect::<Vec<_>>(),
        ["cho-han", "my-khe"]
    );
    assert!(found[0].distance_m < found[1].distance_m);
    assert_eq!(found[0].lot.free, Some(7));
    let cars: Vec<NearbyLot> = near("lat=16.0613&lon=108.2274&radius=5000&kind=motorbike").json();
    assert_eq!(
        cars.iter().map(|n| n.lot.id.as_str()).collect::<Vec<_>>(),
        ["cho-han"]
    );
    assert_eq!(near("lat=95&lon=108").error_code(), "bad-place");
    assert_eq!(
        near("lat=16&lon=108&radius=900000").error_code(),
        "bad-place"
    );

    // Sessions, checked against the profile: the gateway computes the fee.
    let now = civic_time::now_unix();
    let upload = |plate: &str, zone: &str, kind: &str, starts_at: i64, ends_at: i64| {
        json_body(&serde_json::json!({
            "plate": plate, "kind": kind, "zone": zone, "starts_at": starts_at, "ends_at": ends_at,
        }))
    };
    let put_session = |id: &str, body: &[u8]| {
        support::request(
            "PUT",
            &format!("{}/sessions/{id}", gw.base),
            &anyone,
            Some(body),
        )
    };
    // 08:00–10:00 in Đà Nẵng today, by day: one motorbike turn, 4,000 đ.
    let vietnam = civic_time::vietnam();
    let day_start = civic_time::start_of_day(&civic_time::today(&vietnam), &vietnam)
        .expect("today")
        + 8 * 3_600;
    let id = civic_parking::reference::new_session_id().expect("id");
    let created = put_session(
        &id,
        &upload(
            "43a 123 45",
            "bach-dang",
            "motorbike",
            day_start,
            day_start + 7_200,
        ),
    );
    assert_eq!(created.status, 200);
    let record: SessionRecord = created.json();
    assert_eq!(
        (record.plate.as_str(), record.fee, record.payment),
        ("43A-123.45", 4_000, PaymentState::Unpaid)
    );
    assert_eq!(record.reference, civic_parking::reference::reference(&id));
    let other = civic_parking::reference::new_session_id().expect("id");
    assert_eq!(
        put_session(
            &other,
            &upload(
                "43A-12345",
                "bach-dang",
                "motorbike",
                day_start + 3_600,
                day_start + 9_000
            )
        )
        .error_code(),
        "session-overlaps"
    );
    assert_eq!(
        put_session(
            &other,
            &upload(
                "43A-123.45",
                "hai-chau",
                "motorbike",
                day_start,
                day_start + 60
            )
        )
        .error_code(),
        "unknown-parking-zone"
    );
    assert_eq!(
        put_session(
            &other,
            &upload("ABC", "bach-dang", "motorbike", day_start, day_start + 60)
        )
        .error_code(),
        "plate-invalid"
    );
    assert_eq!(
        put_session(
            &other,
            &upload(
                "43A-123.45",
                "bach-dang",
                "bicycle",
                day_start,
                day_start + 60
            )
        )
        .error_code(),
        "no-parking-rate"
    );
    assert_eq!(
        put_session(
            &other,
            &upload(
                "43A-123.45",
                "bach-dang",
                "motorbike",
                day_start,
                day_start + 13 * 3_600
            )
        )
        .error_code(),
        "parking-time-invalid"
    );
    assert_eq!(
        put_session(
            "not-an-id",
            &upload(
                "43A-123.45",
                "bach-dang",
                "motorbike",
                day_start,
                day_start + 60
            )
        )
        .error_code(),
        "session-id-invalid"
    );
    assert_eq!(
        support::get(&format!("{}/sessions/{other}", gw.base), &[]).status,
        404
    );

    // Payment notices.
    let reference = record.reference.clone();
    let body = |tx: &str, amount: u64, note: &str| json_body(&notice(tx, amount, note, now));
    let paid = body(
        "FT26341001",
        4_000,
        &format!(
            "MBVCB.123456.{} .CT tu 0011 NGUYEN VAN A",
            reference.to_lowercase()
        ),
    );
    assert_eq!(
        post_notice(gw, &paid, now, b"a guessed secret that is long enough!").error_code(),
        "signature-invalid"
    );
    assert_eq!(
        post_notice(gw, &paid, now - 3_600, SECRET).error_code(),
        "notice-stale"
    );
    let unsigned = support::request(
        "POST",
        &format!("{}/payments", gw.base),
        &anyone,
        Some(&paid),
    );
    assert_eq!(unsigned.error_code(), "notice-unsigned");
    let taken = post_notice(gw, &paid, now, SECRET);
    assert_eq!(taken.status, 200);
    let outcome: TransferOutcome = taken.json();
    assert_eq!(
        (
            outcome.session.as_deref(),
            outcome.payment,
            outcome.duplicate
        ),
        (Some(id.as_str()), Some(PaymentState::Paid), false)
    );
    // The same signed request again is a replay; the bank repeating its notice (signed anew)
    // is answered as before and counted once.
    assert_eq!(
        post_notice(gw, &paid, now, SECRET).error_code(),
        "notice-replayed"
    );
    let repeated: TransferOutcome = post_notice(gw, &paid, now + 1, SECRET).json();
    assert!(repeated.duplicate);
    let stored: SessionRecord = support::get(&format!("{}/sessions/{id}", gw.base), &[]).json();
    assert_eq!(
        (stored.received, stored.payment),
        (4_000, PaymentState::Paid)
    );

    // Under-paid, then an unmatched transfer.
    let short_id = civic_parking::reference::new_session_id().expect("id");
    let short: SessionRecord = put_session(
        &short_id,
        &upload(
            "29-B1 234.56",
            "tran-phu",
            "car",
            day_start,
            day_start + 3_600,
        ),
    )
    .json();
    assert_eq!(short.fee, 20_000);
    let under: TransferOutcome = post_notice(
        gw,
        &body("FT26341002", 15_000, &short.reference),
        now,
        SECRET,
    )
    .json();
    assert_eq!(under.payment, Some(PaymentState::Underpaid));
    let stray: TransferOutcome =
        post_notice(gw, &body("FT26341003", 7_000, "ung ho"), now, SECRET).json();
    assert_eq!(stray.session, None);
    assert_eq!(
        post_notice(gw, b"{not json", now, SECRET).error_code(),
        "notice-invalid"
    );

    // The day's reconciliation, for operators only.
    let today = civic_time::date_in(day_start, &civic_time::vietnam());
    let url = format!("{}/reconciliation?date={today}", gw.base);
    assert_eq!(support::get(&url, &[]).status, 403);
    let report: Reconciliation = support::get(&url, &[("authorization", &bearer)]).json();
    assert_eq!(
        report
            .paid
            .iter()
            .map(|s| s.id.as_str())
            .collect::<Vec<_>>(),
        [id.as_str()]
    );
    assert_eq!(
        report
            .flagged
            .iter()
            .map(|s| s.id.as_str())
            .collect::<Vec<_>>(),
        [short_id.as_str()]
    );
    assert!(report.unpaid.is_empty());
    assert_eq!(
        report
            .unmatched
            .iter()
            .map(|t| t.id.as_str())
            .collect::<Vec<_>>(),
        ["FT26341003"]
    );
    assert_eq!((report.received, report.unmatched_total), (19_000, 7_000));
    assert_eq!(
        support::get(
            &format!("{}/reconciliation?date=07-12-2026", gw.base),
            &[("authorization", &bearer)]
        )
        .error_code(),
        "bad-date"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_parking_contract() {
    let gw = gateway(support::sqlite().await).await;
    tokio::task::spawn_blocking(move || contract(&gw))
        .await
        .expect("contract");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_parking_contract() {
    let gw = gateway(support::postgres().await).await;
    tokio::task::spawn_blocking(move || contract(&gw))
        .await
        .expect("contract");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_weak_webhook_secret_keeps_the_gateway_from_starting() {
    let db = support::sqlite().await;
    let options = civic_gateway::http::Options {
        payment_secret: Some(b"short".to_vec()),
        ..Default::default()
    };
    let error = civic_gateway::serve_loopback_with(0, db.backend.clone(), &da_nang(), options)
        .await
        .expect_err("refused");
    assert!(error.to_string().contains("at least 32 bytes"), "{error}");
}
