//! The city profile: a TOML file the operator edits, served as JSON at `GET /v1/city`.

use std::path::Path;

use civic_types::{CityProfile, Feature};

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CityError {
    #[error("cannot read the city profile {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("the city profile {path} is not valid: {source}")]
    Parse {
        path: String,
        source: Box<toml::de::Error>,
    },
    #[error("the city profile {path} has an unknown key `{key}` (a typo?)")]
    UnknownKey { path: String, key: String },
    #[error("the city profile {path} is not valid: {problem}")]
    Invalid { path: String, problem: &'static str },
}

/// Reads and checks a profile, so a typo stops the gateway at start-up rather than
/// reaching every phone in the province.
pub fn load(path: &Path) -> Result<CityProfile, CityError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| CityError::Read {
        path: shown.clone(),
        source,
    })?;
    // A key the gateway does not know is most likely a typo that would silently do nothing.
    let mut unknown = Vec::new();
    let deserializer = toml::Deserializer::parse(&text).map_err(|source| CityError::Parse {
        path: shown.clone(),
        source: Box::new(source),
    })?;
    let profile: CityProfile =
        serde_ignored::deserialize(deserializer, |key| unknown.push(key.to_string())).map_err(
            |source| CityError::Parse {
                path: shown.clone(),
                source: Box::new(source),
            },
        )?;
    if let Some(key) = unknown.first() {
        return Err(CityError::UnknownKey {
            path: shown,
            key: key.clone(),
        });
    }
    let problem = validate(&profile);
    match problem {
        Some(problem) => Err(CityError::Invalid {
            path: shown,
            problem,
        }),
        None => Ok(profile),
    }
}

fn validate(profile: &CityProfile) -> Option<&'static str> {
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
    let keys_ok = profile.qr.signing_keys.iter().all(|key| {
        civic_core::qr::validate_public_key(&key.public_key)
            && !key.issuer.vi.trim().is_empty()
            && !key.issuer.en.trim().is_empty()
    });
    if !keys_ok {
        return Some(
            "each `qr.signing_keys` entry needs `issuer.vi`, `issuer.en` and a 32-byte Ed25519 `public_key` (see `civic qr keygen`)",
        );
    }
    if let Some(auth) = &profile.auth {
        if civic_core::auth::validate_issuer(&auth.issuer).is_err() {
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
