//! The city component syncing from a stand-in gateway on loopback: a profile that breaks the
//! rules is refused whole and the one held keeps serving.
#![allow(clippy::expect_used)]

use std::sync::{Arc, Mutex};

use civic_city::{City, CityStore};
use civic_sync::{Gateway, SyncComponent, SyncError};
use civic_types::city::{CityProfile, LocalizedText, SyncPolicy};
use civic_types::qr::QrPolicy;
use civic_types::status::Feature;

fn profile(trusted: &str) -> CityProfile {
    CityProfile {
        id: "ninh-binh".into(),
        name: LocalizedText {
            vi: "Ninh Bình".into(),
            en: "Ninh Binh".into(),
        },
        province_code: "37".into(),
        time_zone: "Asia/Ho_Chi_Minh".into(),
        features: vec![Feature::Procedures],
        sync: SyncPolicy {
            interval_minutes: 60,
            catalog_max_age_hours: 168,
        },
        qr: QrPolicy {
            trusted_domains: vec![trusted.into()],
            signing_keys: vec![],
        },
        auth: None,
        feedback: None,
        map: None,
        parking: None,
    }
}

/// Answers every request with the JSON it currently holds.
fn stand_in(body: Arc<Mutex<String>>) -> String {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("bind");
    let address = format!("http://{}", server.server_addr().to_ip().expect("ip"));
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let json = body.lock().expect("body").clone();
            let _ = request.respond(tiny_http::Response::from_string(json));
        }
    });
    address
}

#[test]
fn a_profile_trusting_a_public_suffix_is_refused_and_the_old_one_kept() {
    let body = Arc::new(Mutex::new(
        serde_json::to_string(&profile("ninhbinh.gov.vn")).expect("json"),
    ));
    let gateway = Gateway::new(&stand_in(Arc::clone(&body))).expect("gateway");
    let city = City::new(CityStore::in_memory().expect("store")).expect("city");
    city.sync(&gateway, 1_000, &mut |_, _| {})
        .expect("a good profile");
    assert_eq!(city.profile(), Some(profile("ninhbinh.gov.vn")));

    for trusted in ["com.vn", "gov.vn", "edu.vn", "github.io"] {
        *body.lock().expect("body") = serde_json::to_string(&profile(trusted)).expect("json");
        let refused = city.sync(&gateway, 2_000, &mut |_, _| {});
        assert!(
            matches!(&refused, Err(SyncError::BadResponse(why)) if why.contains("public suffix")),
            "{trusted}: {refused:?}"
        );
        assert_eq!(
            city.profile(),
            Some(profile("ninhbinh.gov.vn")),
            "{trusted}: the old profile keeps serving"
        );
    }
    // Any other broken rule is refused the same way, e.g. an identity provider over http.
    let mut plain_issuer = profile("ninhbinh.gov.vn");
    plain_issuer.auth = serde_json::from_str(
        r#"{"issuer": "http://eid.ninhbinh.gov.vn", "client_id": "civic-app"}"#,
    )
    .expect("auth");
    *body.lock().expect("body") = serde_json::to_string(&plain_issuer).expect("json");
    assert!(matches!(
        city.sync(&gateway, 3_000, &mut |_, _| {}),
        Err(SyncError::BadResponse(_))
    ));
    assert_eq!(city.profile(), Some(profile("ninhbinh.gov.vn")));
}
