//! The rules a city profile follows. The gateway checks an operator's file with them before
//! serving it; the formats (board keys, issuer addresses) are defined here once for the
//! components that read them.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use civic_types::{city::CityProfile, status::Feature};
use ed25519_dalek::VerifyingKey;

/// A board signing key from a city profile: 32 bytes, unpadded base64url (standard base64
/// accepted).
pub fn parse_public_key(text: &str) -> Option<VerifyingKey> {
    let text = text.trim();
    let bytes = URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .or_else(|_| STANDARD.decode(text))
        .ok()?;
    let bytes: [u8; 32] = bytes.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

/// What is wrong with an identity provider's issuer address, if anything: `https` (plain
/// `http` only on a loopback address, for the local stand-in), no user name, query or
/// fragment.
pub fn issuer_problem(issuer: &str) -> Option<&'static str> {
    let Ok(parsed) = url::Url::parse(issuer) else {
        return Some("it is not an address");
    };
    if !civic_net::is_secure_address(&parsed) {
        return Some("it must be an https address (http only on 127.0.0.1)");
    }
    if !parsed.username().is_empty()
        || parsed.password().is_some()
        || parsed.query().is_some()
        || parsed.fragment().is_some()
    {
        return Some("it must not carry a user name, query or fragment");
    }
    None
}

/// What is wrong with `profile`, if anything: the gateway refuses to serve such a profile.
pub fn problem(profile: &CityProfile) -> Option<&'static str> {
    let id_ok = !profile.id.is_empty()
        && profile
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !id_ok {
        return Some("`id` must be lowercase letters, digits and dashes");
    }
    if profile.name.vi.trim().is_empty() || profile.name.en.trim().is_empty() {
        return Some("`name.vi` and `name.en` are required");
    }
    if profile.province_code.len() != 2
        || !profile.province_code.bytes().all(|b| b.is_ascii_digit())
    {
        return Some("`province_code` must be the two-digit province code");
    }
    if civic_time::zone(&profile.time_zone).is_err() {
        return Some("`time_zone` must be an IANA time zone like `Asia/Ho_Chi_Minh`");
    }
    if profile.features.is_empty() {
        return Some("`features` must name at least one feature");
    }
    if profile.features.contains(&Feature::Unknown) {
        return Some("`features` names a feature this gateway does not know");
    }
    if profile.sync.interval_minutes == 0 || profile.sync.catalog_max_age_hours == 0 {
        return Some("`sync.interval_minutes` and `sync.catalog_max_age_hours` must be positive");
    }
    if !profile.qr.trusted_domains.iter().all(|d| is_host_name(d)) {
        return Some("`qr.trusted_domains` must be lowercase host names like `ninhbinh.gov.vn`");
    }
    // Trusting `com.vn` or `gov.vn` would trust every site anyone registers under it.
    if profile
        .qr
        .trusted_domains
        .iter()
        .any(|d| psl::domain_str(d).is_none())
    {
        return Some(
            "`qr.trusted_domains` must not name a public suffix (such as `com.vn` or `gov.vn`): name the city's own domain",
        );
    }
    let keys_ok = profile.qr.signing_keys.iter().all(|key| {
        parse_public_key(&key.public_key).is_some()
            && !key.issuer.vi.trim().is_empty()
            && !key.issuer.en.trim().is_empty()
    });
    if !keys_ok {
        return Some(
            "each `qr.signing_keys` entry needs `issuer.vi`, `issuer.en` and a 32-byte Ed25519 `public_key` (see `civic qr keygen`)",
        );
    }
    if let Some(feedback) = &profile.feedback {
        let key_ok = (16..=256).contains(&feedback.api_key.len())
            && feedback.api_key.bytes().all(|b| b.is_ascii_graphic());
        if !key_ok {
            return Some("`feedback.api_key` must be 16–256 visible ASCII characters");
        }
        let endpoint_ok = feedback.endpoint.as_deref().is_none_or(|e| {
            url::Url::parse(e).is_ok_and(|u| {
                civic_net::is_secure_address(&u) && u.query().is_none() && u.fragment().is_none()
            })
        });
        if !endpoint_ok {
            return Some(
                "`feedback.endpoint` must be an https address without query or fragment (http only on 127.0.0.1)",
            );
        }
        if !(1..=60).contains(&feedback.due_working_days) {
            return Some("`feedback.due_working_days` must be 1 to 60");
        }
    }
    if let Some(map) = &profile.map {
        let box_ok = (-90.0..=90.0).contains(&map.south)
            && (-90.0..=90.0).contains(&map.north)
            && (-180.0..=180.0).contains(&map.west)
            && (-180.0..=180.0).contains(&map.east)
            && map.south < map.north
            && map.west < map.east;
        if !box_ok {
            return Some(
                "`map` needs `south` < `north` (−90 to 90) and `west` < `east` (−180 to 180), in degrees",
            );
        }
        let landmarks_ok = map
            .landmarks
            .iter()
            .all(|l| !l.name.trim().is_empty() && map.contains(l.lat, l.lon));
        if !landmarks_ok {
            return Some("each `map.landmarks` entry needs a `name` and a point inside the map");
        }
    }
    if let Some(auth) = &profile.auth {
        if issuer_problem(&auth.issuer).is_some() {
            return Some(
                "`auth.issuer` must be an https address without user name, query or fragment (http only on 127.0.0.1)",
            );
        }
        if auth.client_id.trim().is_empty() || !auth.scopes.iter().all(|s| is_scope(s)) {
            return Some(
                "`auth.client_id` is required and `auth.scopes` must be plain scope names",
            );
        }
    }
    None
}

/// RFC 6749 §3.3 scope token characters, and `openid` is always asked for anyway.
fn is_scope(scope: &str) -> bool {
    !scope.is_empty()
        && scope != "openid"
        && scope
            .bytes()
            .all(|b| b == 0x21 || (0x23..=0x5b).contains(&b) || (0x5d..=0x7e).contains(&b))
}

/// ASCII labels of letters, digits and inner dashes, at least two of them: what a trusted
/// domain must look like (an IDN must be given in its `xn--` form, on purpose).
fn is_host_name(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}
