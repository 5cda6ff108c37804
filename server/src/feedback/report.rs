//! A posted report (`POST requests`, form-encoded as GeoReport v2 says) checked against its
//! service's form before anything is stored; the fingerprint that ties an
//! `Idempotency-Key` to what it was sent with; distances for "reports near a point".

use std::collections::BTreeMap;

use civic_feedback::form::{self, AnswerProblem};
use civic_types::feedback::Attribute;
use sha2::{Digest, Sha256};

use super::catalogue::Catalogue;
use super::repository::{Area, NewReport};

pub use form::{MAX_SHORT_TEXT_CHARS, MAX_TEXT_CHARS as MAX_DESCRIPTION_CHARS};
const MAX_URL_BYTES: usize = 2_048;
/// Photos a report may carry (`media_url` repeated; GeoReport v2 has one, the first).
pub const MAX_PHOTOS: usize = 4;

/// Why a post was refused, in both languages; the spec's error code is the HTTP status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub status: u16,
    pub vi: String,
    pub en: String,
}

impl Problem {
    pub(crate) fn new(status: u16, vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            status,
            vi: vi.into(),
            en: en.into(),
        }
    }

    fn bad(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(400, vi, en)
    }
}

/// The pairs of a form-encoded body, in order.
pub fn read_form(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body).into_owned().collect()
}

/// What a post asks for, its fields checked; times are the caller's.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub api_key: Option<String>,
    pub report: NewReport,
    pub fingerprint: String,
}

/// Reads and checks a posted report against `catalogue`. `requested_at`/`expected_at` are
/// left at 0 for the caller.
pub fn check(pairs: &[(String, String)], catalogue: &Catalogue) -> Result<Submission, Problem> {
    let mut fields: BTreeMap<&str, &str> = BTreeMap::new();
    let mut attributes: Vec<(String, String)> = Vec::new();
    let mut media_urls: Vec<String> = Vec::new();
    for (name, value) in pairs {
        if let Some(code) = attribute_code(name) {
            attributes.push((code.to_owned(), value.trim().to_owned()));
        } else if name == "media_url" {
            media_urls.push(value.trim().to_owned());
        } else if fields.insert(name, value).is_some() {
            return Err(Problem::bad(
                format!("Trường {name} được gửi hai lần."),
                format!("{name} was sent twice."),
            ));
        }
    }
    let text = |name: &str| {
        fields
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let service_code = text("service_code").ok_or_else(|| {
        Problem::bad(
            "Thiếu loại phản ánh (service_code).",
            "service_code is required.",
        )
    })?;
    let definition = catalogue.definition(&service_code).ok_or_else(|| {
        Problem::new(
            404,
            format!("Không có loại phản ánh “{service_code}”."),
            format!("There is no service `{service_code}`."),
        )
    })?;
    let description = text("description");
    if description
        .as_deref()
        .is_some_and(|d| d.chars().count() > MAX_DESCRIPTION_CHARS)
    {
        return Err(Problem::bad(
            format!("Nội dung dài quá {MAX_DESCRIPTION_CHARS} ký tự."),
            format!("description is longer than {MAX_DESCRIPTION_CHARS} characters."),
        ));
    }
    let (lat, lon) = coordinates(text("lat"), text("long"))?;
    let address = short_text(text("address_string"), "address_string")?;
    let address_id = short_text(text("address_id"), "address_id")?;
    if lat.is_none() && address.is_none() && address_id.is_none() {
        return Err(Problem::bad(
            "Cần vị trí: toạ độ (lat, long) hoặc địa chỉ.",
            "A location is required: lat and long, address_string or address_id.",
        ));
    }
    media_urls.retain(|url| !url.is_empty());
    if media_urls.len() > MAX_PHOTOS {
        return Err(Problem::bad(
            format!("Mỗi phản ánh có tối đa {MAX_PHOTOS} ảnh."),
            format!("At most {MAX_PHOTOS} media_url per report."),
        ));
    }
    if !media_urls.iter().all(|url| is_media_url(url)) {
        return Err(Problem::bad(
            "Đường dẫn ảnh phải là địa chỉ https.",
            "media_url must be an https URL.",
        ));
    }
    let account_id = short_text(text("account_id"), "account_id")?;
    check_attributes(&definition.attributes, &attributes)?;
    Ok(Submission {
        api_key: text("api_key"),
        fingerprint: fingerprint(pairs),
        report: NewReport {
            service_code,
            description,
            address,
            address_id,
            lat,
            lon,
            media_urls,
            attributes,
            account_id,
            requested_at: 0,
            expected_at: 0,
        },
    })
}

/// An https address (http only to loopback) of sensible length.
pub fn is_media_url(url: &str) -> bool {
    url.len() <= MAX_URL_BYTES
        && url::Url::parse(url).is_ok_and(|u| civic_net::is_secure_address(&u))
}

/// `attribute[CODE]` or `attribute[CODE][]` → `CODE`.
fn attribute_code(name: &str) -> Option<&str> {
    let inner = name.strip_prefix("attribute[")?;
    let inner = inner.strip_suffix("[]").unwrap_or(inner);
    inner.strip_suffix(']').filter(|c| !c.contains(['[', ']']))
}

fn short_text(value: Option<String>, field: &str) -> Result<Option<String>, Problem> {
    match value {
        Some(v) if v.chars().count() > MAX_SHORT_TEXT_CHARS || v.chars().any(char::is_control) => {
            Err(Problem::bad(
                format!("Trường {field} quá dài hoặc có ký tự không hợp lệ."),
                format!("{field} is too long or holds control characters."),
            ))
        }
        other => Ok(other),
    }
}

fn coordinates(
    lat: Option<String>,
    lon: Option<String>,
) -> Result<(Option<f64>, Option<f64>), Problem> {
    let bad = || {
        Problem::bad(
            "Toạ độ không hợp lệ: cần cả vĩ độ (lat) và kinh độ (long), dạng số thập phân.",
            "lat and long must both be given, as decimal degrees in range.",
        )
    };
    match (lat, lon) {
        (None, None) => Ok((None, None)),
        (Some(lat), Some(lon)) => {
            let lat: f64 = lat.parse().map_err(|_| bad())?;
            let lon: f64 = lon.parse().map_err(|_| bad())?;
            if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) {
                Ok((Some(lat), Some(lon)))
            } else {
                Err(bad())
            }
        }
        _ => Err(bad()),
    }
}

fn check_attributes(form: &[Attribute], posted: &[(String, String)]) -> Result<(), Problem> {
    form::check_answers(form, posted).map_err(|failed| {
        let (code, question) = (&failed.code, &failed.description);
        match failed.problem {
            AnswerProblem::NotAsked => Problem::bad(
                format!("Câu hỏi “{code}” không thuộc loại phản ánh này."),
                format!("attribute[{code}] is not part of this service's form."),
            ),
            AnswerProblem::Missing => Problem::bad(
                format!("“{question}”: cần trả lời câu hỏi này."),
                format!("attribute[{code}]: is required."),
            ),
            _ => Problem::bad(
                format!("“{question}”: câu trả lời không hợp lệ."),
                format!("attribute[{code}]: the answer does not fit the question."),
            ),
        }
    })
}

/// SHA-256 over the post's fields except the API key, in a canonical order: the same
/// report posted again (fields in any order) has the same fingerprint.
pub fn fingerprint(pairs: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = pairs.iter().filter(|(k, _)| k != "api_key").collect();
    sorted.sort();
    let mut hash = Sha256::new();
    for (name, value) in sorted {
        for part in [name, value] {
            hash.update((part.len() as u64).to_be_bytes());
            hash.update(part.as_bytes());
        }
    }
    crate::platform::hex(&hash.finalize())
}

// One distance for the app's "similar reports nearby" and the gateway's query.
pub use civic_feedback::geo::{EARTH_RADIUS_M, distance_m};

/// A box holding every point within `radius_m` of the point, for the index to narrow by
/// before distances are measured.
pub fn area_around(lat: f64, lon: f64, radius_m: f64) -> Area {
    let (south, west, north, east) = civic_types::geo::box_around(lat, lon, radius_m);
    Area {
        south,
        north,
        west,
        east,
    }
}

/// A form's pairs as the body reader gives them, for tests here and of the service.
#[cfg(test)]
pub(crate) fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn catalogue() -> Catalogue {
        Catalogue::bundled().expect("bundled services")
    }

    #[test]
    fn a_complete_report_is_read() {
        let posted = form(&[
            ("api_key", "k"),
            ("service_code", "ngap-ung"),
            ("lat", "16.0544"),
            ("long", "108.2022"),
            ("description", "Ngập sâu trước chợ"),
            ("attribute[depth_cm]", "40"),
            ("attribute[hazards][]", "traffic"),
            ("attribute[hazards][]", "homes"),
            ("account_id", "sub-123"),
        ]);
        let submission = check(&posted, &catalogue()).expect("accepted");
        assert_eq!(submission.api_key.as_deref(), Some("k"));
        assert_eq!(submission.report.lat, Some(16.0544));
        assert_eq!(submission.report.attributes.len(), 3);
        assert_eq!(submission.report.account_id.as_deref(), Some("sub-123"));
    }

    #[test]
    fn each_broken_field_is_named() {
        let ok = [
            ("service_code", "chieu-sang"),
            ("address_string", "12 Bạch Đằng"),
            ("attribute[problem]", "off"),
        ];
        assert!(check(&form(&ok), &catalogue()).is_ok());
        let long = "x".repeat(MAX_DESCRIPTION_CHARS + 1);
        type Case<'a> = (Vec<(&'a str, &'a str)>, u16, &'a str);
        let cases: Vec<Case<'_>> = vec![
            (vec![("service_code", "nope"), ok[1], ok[2]], 404, "nope"),
            (vec![ok[0], ok[2]], 400, "location"),
            (vec![ok[0], ok[1]], 400, "attribute[problem]"),
            (
                vec![ok[0], ok[1], ("attribute[problem]", "on fire")],
                400,
                "attribute[problem]",
            ),
            (
                vec![ok[0], ok[1], ok[2], ("attribute[other]", "1")],
                400,
                "attribute[other]",
            ),
            (
                vec![ok[0], ok[1], ok[2], ("description", &long)],
                400,
                "description",
            ),
            (vec![ok[0], ok[2], ("lat", "16.05")], 400, "lat"),
            (
                vec![ok[0], ok[2], ("lat", "96"), ("long", "108")],
                400,
                "lat",
            ),
            (
                vec![
                    ok[0],
                    ok[1],
                    ok[2],
                    ("media_url", "http://evil.example/x.jpg"),
                ],
                400,
                "media_url",
            ),
            (
                vec![ok[0], ok[1], ok[2], ("service_code", "chieu-sang")],
                400,
                "twice",
            ),
        ];
        for (pairs, status, mention) in cases {
            let problem = check(&form(&pairs), &catalogue()).expect_err("refused");
            assert_eq!(problem.status, status, "{pairs:?}");
            assert!(problem.en.contains(mention), "{pairs:?}: {}", problem.en);
            assert!(!problem.vi.is_empty());
        }
    }

    #[test]
    fn fingerprints_ignore_order_and_the_key() {
        let a = form(&[("api_key", "1"), ("service_code", "x"), ("lat", "1")]);
        let b = form(&[("lat", "1"), ("service_code", "x"), ("api_key", "2")]);
        let c = form(&[("lat", "2"), ("service_code", "x")]);
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_ne!(fingerprint(&a), fingerprint(&c));
        // Field boundaries count: ("ab","c") is not ("a","bc").
        assert_ne!(
            fingerprint(&form(&[("ab", "c")])),
            fingerprint(&form(&[("a", "bc")]))
        );
    }

    #[test]
    fn fifty_metres_in_da_nang() {
        // 0.00045° of latitude is about 50 m.
        let d = distance_m(16.0544, 108.2022, 16.05485, 108.2022);
        assert!((d - 50.0).abs() < 0.5, "{d}");
    }

    proptest! {
        #[test]
        fn any_form_gets_an_answer(pairs in proptest::collection::vec((".{0,20}", ".{0,40}"), 0..12)) {
            let _ = check(&pairs, &catalogue());
        }

        #[test]
        fn the_box_holds_the_circle(lat in -80.0f64..80.0, lon in -179.0f64..179.0, r in 1.0f64..5_000.0, bearing in 0.0f64..360.0) {
            let area = area_around(lat, lon, r);
            // A point at distance r·0.999 in any direction lies in the box.
            let (b, d) = (bearing.to_radians(), r * 0.999 / EARTH_RADIUS_M);
            let p = lat.to_radians();
            let lat2 = (p.sin() * d.cos() + p.cos() * d.sin() * b.cos()).asin();
            let lon2 = lon.to_radians() + (b.sin() * d.sin() * p.cos()).atan2(d.cos() - p.sin() * lat2.sin());
            let (lat2, lon2) = (lat2.to_degrees(), lon2.to_degrees());
            prop_assert!(distance_m(lat, lon, lat2, lon2) <= r);
            prop_assert!(area.south <= lat2 && lat2 <= area.north, "{area:?} {lat2}");
            prop_assert!(area.west <= lon2 && lon2 <= area.east, "{area:?} {lon2}");
        }
    }
}
