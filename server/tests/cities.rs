//! Every city profile shipped as data loads, and names a real province of the 2025 units.
#![allow(clippy::expect_used)]

use std::path::Path;

#[test]
fn shipped_profiles_match_the_administrative_units() {
    let units: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/data/admin-units/vn_units_2025_full.json"
        ))
        .expect("admin units"),
    )
    .expect("JSON");
    let provinces = units.as_array().expect("a list of provinces");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/cities");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("assets/cities") {
        let path = entry.expect("entry").path();
        let profile = civic_gateway::city::load(&path).expect("a valid profile");
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("name");
        assert_eq!(profile.id, stem, "{}", path.display());
        let province = provinces
            .iter()
            .find(|p| p["Code"] == profile.province_code.as_str())
            .unwrap_or_else(|| panic!("{stem}: no province {}", profile.province_code));
        assert_eq!(province["FullName"], profile.name.vi.as_str(), "{stem}");
        assert_eq!(province["FullNameEn"], profile.name.en.as_str(), "{stem}");
        // The offline map covers the city's landmarks (checked by `load`) and is city-sized.
        let map = profile
            .map
            .as_ref()
            .unwrap_or_else(|| panic!("{stem}: no map"));
        assert!(!map.landmarks.is_empty(), "{stem}");
        assert!(
            map.north - map.south < 3.0 && map.east - map.west < 3.0,
            "{stem}"
        );
        seen += 1;
    }
    assert!(seen >= 3, "Ninh Bình, Đà Nẵng and Thanh Hoá at least");
}

#[test]
fn invalid_profiles_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/cities/da-nang.toml"),
    )
    .expect("profile");
    let cases = [
        (base.replace("id = \"da-nang\"", "id = \"Đà Nẵng\""), "`id`"),
        (
            base.replace("province_code = \"48\"", "province_code = \"4\""),
            "province_code",
        ),
        (
            base.replace("features = [\"procedures\", \"feedback\", \"bus\", \"parking\"]", "features = []"),
            "at least one feature",
        ),
        (
            base.replace("features = [\"procedures\", \"feedback\", \"bus\", \"parking\"]", "features = [\"teleport\"]"),
            "does not know",
        ),
        (
            base.replace("interval_minutes = 30", "interval_minutes = 0"),
            "positive",
        ),
        (
            base.replace("[sync]", "colour = \"red\"\n[sync]"),
            "unknown key `name.colour`",
        ),
        (
            base.replace("[sync]\n", "[sync]\nintervall_minutes = 5\n"),
            "unknown key `sync.intervall_minutes`",
        ),
        (
            base.replace("api_key = \"civic-app-da-nang\"", "api_key = \"short\""),
            "`feedback.api_key`",
        ),
        (
            base.replace(
                "due_working_days = 3",
                "due_working_days = 3\nendpoint = \"http://311.danang.gov.vn/open311/v2\"",
            ),
            "`feedback.endpoint`",
        ),
        (base.replace("north = 16.25", "north = 14.0"), "`map` needs"),
        (
            base.replace("lat = 16.0613", "lat = 21.03"),
            "`map.landmarks`",
        ),
        ("id = ".to_owned(), "not valid"),
        (
            base.replace("tariff = \"da-nang-155-2018\"\nlat = 16.0686", "tariff = \"da-nang-2019\"\nlat = 16.0686"),
            "names tariff `da-nang-2019`",
        ),
        (
            base.replace("vehicle = \"bicycle\"", "vehicle = \"bicycle\"\nprice = 1000"),
            "tariffs.0.rates.0.price`",
        ),
        (base.replace("bin = \"970436\"", "bin = \"9704\""), "BIN"),
        (base.replace("night_starts = \"22:00\"", "night_starts = \"05:00\""), "the day must start"),
        (
            base.replace("trusted_domains = [\"danang.gov.vn\"]", "trusted_domains = [\"đà nẵng.vn\"]"),
            "lowercase host names",
        ),
        (
            base.replace("trusted_domains = [\"danang.gov.vn\"]", "trusted_domains = [\"gov\"]"),
            "lowercase host names",
        ),
        (
            base.replace(
                "\n[name]",
                "\n[[qr.signing_keys]]\npublic_key = \"AAAA\"\nissuer = { vi = \"UBND\", en = \"PPC\" }\n\n[name]",
            ),
            "Ed25519",
        ),
        (
            format!("{base}\n[auth]\nissuer = \"http://id.example\"\nclient_id = \"civic-app\"\n"),
            "`auth.issuer`",
        ),
        (
            format!("{base}\n[auth]\nissuer = \"https://id.example/?x=1\"\nclient_id = \"civic-app\"\n"),
            "`auth.issuer`",
        ),
        (
            format!("{base}\n[auth]\nissuer = \"https://id.example\"\nclient_id = \" \"\n"),
            "`auth.client_id`",
        ),
        (
            format!("{base}\n[auth]\nissuer = \"https://id.example\"\nclient_id = \"civic-app\"\nscopes = [\"profile email\"]\n"),
            "`auth.scopes`",
        ),
    ];
    for (text, reason) in cases {
        assert_ne!(text, base, "{reason}: the case must change the profile");
        let path = dir.path().join("city.toml");
        std::fs::write(&path, &text).expect("write");
        let error = civic_gateway::city::load(&path)
            .expect_err(reason)
            .to_string();
        assert!(error.contains(reason), "{reason}: {error}");
    }
}

#[test]
fn a_profile_names_its_identity_provider() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/cities/da-nang.toml"),
    )
    .expect("profile");
    let path = dir.path().join("city.toml");
    std::fs::write(&path, &base).expect("write");
    assert_eq!(civic_gateway::city::load(&path).expect("load").auth, None);
    let text = format!(
        "{base}\n[auth]\nissuer = \"https://id.danang.gov.vn\"\nclient_id = \"civic-app\"\n"
    );
    std::fs::write(&path, text).expect("write");
    let auth = civic_gateway::city::load(&path)
        .expect("load")
        .auth
        .expect("auth");
    assert_eq!(auth.issuer, "https://id.danang.gov.vn");
    assert_eq!(auth.scopes, ["profile", "citizen", "offline_access"]);
}

#[test]
fn a_profile_with_a_signing_key_is_served_with_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let signer = civic_core::qr::BoardSigner::generate().expect("key");
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/cities/ninh-binh.toml"),
    )
    .expect("profile")
        + &format!(
            "\n[[qr.signing_keys]]\npublic_key = \"{}\"\nissuer = {{ vi = \"UBND tỉnh Ninh Bình\", en = \"Ninh Binh PPC\" }}\n",
            signer.public_key()
        );
    let path = dir.path().join("city.toml");
    std::fs::write(&path, text).expect("write");
    let profile = civic_gateway::city::load(&path).expect("valid");
    assert_eq!(
        profile.qr.trusted_domains,
        vec!["ninhbinh.gov.vn".to_owned()]
    );
    assert_eq!(profile.qr.signing_keys[0].public_key, signer.public_key());
}

#[test]
fn shipped_car_parks_lie_in_their_city_and_name_its_tariffs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/parking");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("assets/parking") {
        let path = entry.expect("entry").path();
        let name = path.file_name().and_then(|s| s.to_str()).expect("name");
        let city = name.strip_suffix("-lots.toml").expect("<city>-lots.toml");
        let profile = civic_gateway::city::load(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../assets/cities/{city}.toml")),
        )
        .expect("the city's profile");
        let lots = civic_gateway::parking::lots::read_file(&path).expect("a valid file");
        assert!(!lots.is_empty(), "{name}");
        let map = profile.map.as_ref().expect("map");
        let tariffs: Vec<_> = profile
            .parking
            .as_ref()
            .map(|p| p.tariffs.iter().map(|t| t.id.as_str()).collect())
            .unwrap_or_default();
        for lot in &lots {
            assert!(
                (map.south..=map.north).contains(&lot.lat)
                    && (map.west..=map.east).contains(&lot.lon),
                "{name}: {} is outside the city's map",
                lot.id
            );
            if let Some(tariff) = &lot.tariff {
                assert!(tariffs.contains(&tariff.as_str()), "{name}: {tariff}");
            }
        }
        seen += 1;
    }
    assert!(seen >= 1, "Đà Nẵng's demo car parks");
}
