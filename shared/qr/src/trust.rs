//! What a QR code may point at: the national list (data file) plus the city's profile.

use std::sync::OnceLock;

use civic_types::{city::LocalizedText, qr::QrPolicy};
use ed25519_dalek::VerifyingKey;
use serde::Deserialize;

use crate::signed::{KeyFingerprint, parse_public_key};

/// The bundled national defaults (`assets/qr/trust.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NationalTrust {
    pub national_domains: Vec<String>,
    pub code_parameters: Vec<String>,
    pub shorteners: Vec<String>,
    pub dangerous_schemes: Vec<String>,
}

impl NationalTrust {
    pub fn bundled() -> &'static NationalTrust {
        static BUNDLED: OnceLock<NationalTrust> = OnceLock::new();
        BUNDLED.get_or_init(|| {
            #[allow(clippy::expect_used)] // A compile-time asset; a test parses it.
            toml::from_str(include_str!("../../../assets/qr/trust.toml"))
                .expect("assets/qr/trust.toml is valid")
        })
    }
}

/// A signing key the app accepts, with who holds it.
#[derive(Debug, Clone)]
pub struct TrustedKey {
    pub fingerprint: KeyFingerprint,
    pub key: VerifyingKey,
    pub issuer: LocalizedText,
}

/// Everything the classifier needs to judge a code.
#[derive(Debug, Clone)]
pub struct Trust {
    domains: Vec<String>,
    pub(super) keys: Vec<TrustedKey>,
    national: &'static NationalTrust,
}

impl Trust {
    /// National defaults plus the city's profile (none before the first sync). Keys the
    /// profile lists but that are not valid Ed25519 public keys are skipped and logged.
    pub fn new(city: Option<&QrPolicy>) -> Self {
        let national = NationalTrust::bundled();
        let mut domains: Vec<String> = national.national_domains.clone();
        let mut keys = Vec::new();
        if let Some(policy) = city {
            domains.extend(policy.trusted_domains.iter().map(|d| normalize_domain(d)));
            for entry in &policy.signing_keys {
                match parse_public_key(&entry.public_key) {
                    Ok(key) => keys.push(TrustedKey {
                        fingerprint: KeyFingerprint::of(&key),
                        key,
                        issuer: entry.issuer.clone(),
                    }),
                    Err(error) => {
                        tracing::warn!(issuer = %entry.issuer.vi, %error, "unusable QR signing key in the city profile");
                    }
                }
            }
        }
        domains.retain(|d| !d.is_empty());
        Trust {
            domains,
            keys,
            national,
        }
    }

    pub fn is_trusted_host(&self, host: &str) -> bool {
        self.domains.iter().any(|d| within_domain(host, d))
    }

    pub fn is_shortener(&self, host: &str) -> bool {
        self.national
            .shorteners
            .iter()
            .any(|d| within_domain(host, d))
    }

    pub fn is_dangerous_scheme(&self, scheme: &str) -> bool {
        self.national
            .dangerous_schemes
            .iter()
            .any(|s| s.eq_ignore_ascii_case(scheme))
    }

    pub fn is_code_parameter(&self, name: &str) -> bool {
        let folded: String = name.chars().filter(|c| *c != '_' && *c != '-').collect();
        self.national
            .code_parameters
            .iter()
            .any(|p| p.replace('_', "").eq_ignore_ascii_case(&folded))
    }

    pub(super) fn key(&self, fingerprint: &KeyFingerprint) -> Option<&TrustedKey> {
        self.keys.iter().find(|k| &k.fingerprint == fingerprint)
    }
}

fn normalize_domain(domain: &str) -> String {
    domain.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// `host` is `domain` or a subdomain of it, comparing whole labels:
/// `a.dichvucong.gov.vn` is within `dichvucong.gov.vn`; `dichvucong.gov.vn.evil.com` and
/// `evildichvucong.gov.vn` are not.
pub fn within_domain(host: &str, domain: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    let domain = normalize_domain(domain);
    if domain.is_empty() {
        return false;
    }
    host == domain
        || host
            .strip_suffix(&domain)
            .is_some_and(|rest| rest.ends_with('.') && rest.len() > 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_labels_only() {
        let cases = [
            ("dichvucong.gov.vn", "dichvucong.gov.vn", true),
            ("DICHVUCONG.gov.vn.", "dichvucong.gov.vn", true),
            ("csdl.dichvucong.gov.vn", "dichvucong.gov.vn", true),
            ("dichvucong.gov.vn.evil.com", "dichvucong.gov.vn", false),
            ("evildichvucong.gov.vn", "dichvucong.gov.vn", false),
            ("gov.vn", "dichvucong.gov.vn", false),
            (".dichvucong.gov.vn", "dichvucong.gov.vn", false),
            ("anything", "", false),
        ];
        for (host, domain, expected) in cases {
            assert_eq!(
                within_domain(host, domain),
                expected,
                "{host} within {domain}"
            );
        }
    }

    #[test]
    fn bundled_trust_parses_and_city_domains_add_to_it() {
        let national = Trust::new(None);
        assert!(national.is_trusted_host("dichvucong.gov.vn"));
        assert!(!national.is_trusted_host("dichvucong.ninhbinh.gov.vn"));
        let city = QrPolicy {
            trusted_domains: vec![" NinhBinh.gov.vn. ".into()],
            signing_keys: vec![],
        };
        assert!(Trust::new(Some(&city)).is_trusted_host("dichvucong.ninhbinh.gov.vn"));
        assert!(national.is_shortener("bit.ly") && national.is_shortener("www.bit.ly"));
        assert!(national.is_code_parameter("maThuTuc") && national.is_code_parameter("ma_thu_tuc"));
        assert!(!national.is_code_parameter("ma"));
    }
}
