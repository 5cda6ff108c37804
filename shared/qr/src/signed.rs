//! Signed board codes: a portal link whose fragment carries
//! `civic2.<payload>.<signature>`, both unpadded base64url. The payload is the UTF-8 text
//! `code \n office \n YYYY-MM-DD \n key fingerprint`; the Ed25519 signature covers
//! [`SIGNING_CONTEXT`], the payload, a newline and the link itself in its canonical form
//! (WHATWG serialization without the fragment: scheme, host, path, query). So a genuine
//! fragment copied onto any other link, or a link with a parameter added, no longer verifies.
//! Any phone camera opens the link on the portal; Civic also checks the signature offline
//! against the keys in the city profile. Fragments never leave the device when a browser
//! opens the link.
//!
//! `civic1.` fragments (before links were signed) prove nothing about their link: they are
//! reported as unverifiable, never as verified.

use std::fmt;
use std::io::Write;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use civic_types::qr::SignatureCheck;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::error::KeyError;
use crate::payload::split_procedure_code;
use crate::trust::{Trust, TrustedKey};

pub const FRAGMENT_PREFIX: &str = "civic2.";
/// The first format, whose signature left the link out.
pub const LEGACY_FRAGMENT_PREFIX: &str = "civic1.";
/// Domain separation: a signature made for anything else never verifies as a board code.
pub const SIGNING_CONTEXT: &[u8] = b"civic-qr-v2\n";
const MAX_OFFICE_CHARS: usize = 80;

/// The first 6 bytes of SHA-256 over the public key, base64url (8 characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFingerprint(String);

impl KeyFingerprint {
    pub fn of(key: &VerifyingKey) -> Self {
        let digest = Sha256::digest(key.as_bytes());
        KeyFingerprint(URL_SAFE_NO_PAD.encode(&digest[..6]))
    }
}

impl fmt::Display for KeyFingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a board code asserts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardClaim {
    /// Base procedure code.
    pub code: String,
    /// The office that posted the board, e.g. "UBND xã Xuân Hồng".
    pub office: String,
    /// ISO date.
    pub issued: String,
}

impl BoardClaim {
    fn payload(&self, key: &KeyFingerprint) -> String {
        format!("{}\n{}\n{}\n{key}", self.code, self.office, self.issued)
    }
}

/// The form of a link that is signed and the only form that verifies: the WHATWG
/// serialization without a fragment, or `None` when it is not an http(s) link.
pub fn canonical_link(link: &str) -> Option<String> {
    let mut url = url::Url::parse(link).ok()?;
    if !matches!(url.scheme(), "https" | "http") || url.host().is_none() {
        return None;
    }
    url.set_fragment(None);
    Some(url.into())
}

fn signed_message(payload: &[u8], link: &str) -> Vec<u8> {
    let mut message = SIGNING_CONTEXT.to_vec();
    message.extend_from_slice(payload);
    message.push(b'\n');
    message.extend_from_slice(link.as_bytes());
    message
}

/// The outcome of checking a `civic1.` fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentCheck {
    pub check: SignatureCheck,
    /// The claim, when the payload could be read (verified or not).
    pub claim: Option<BoardClaim>,
    /// The key holder, when verified.
    pub issuer: Option<civic_types::city::LocalizedText>,
}

/// Checks a fragment (without `#`) offline against the trusted keys, for the link it was
/// found on (`link`: the scanned text before its `#`). The link must be exactly the
/// canonical form that was signed: any other spelling of it is reported as tampered.
pub fn check_fragment(fragment: &str, link: &str, trust: &Trust) -> FragmentCheck {
    let malformed = FragmentCheck {
        check: SignatureCheck::Malformed,
        claim: None,
        issuer: None,
    };
    if fragment.starts_with(LEGACY_FRAGMENT_PREFIX) {
        return FragmentCheck {
            check: SignatureCheck::Unverifiable,
            claim: None,
            issuer: None,
        };
    }
    let Some((payload, signature)) = fragment
        .strip_prefix(FRAGMENT_PREFIX)
        .and_then(|rest| rest.split_once('.'))
    else {
        return malformed;
    };
    let (Ok(payload), Ok(signature)) = (
        URL_SAFE_NO_PAD.decode(payload),
        URL_SAFE_NO_PAD.decode(signature),
    ) else {
        return malformed;
    };
    let Ok(signature) = Signature::from_slice(&signature) else {
        return malformed;
    };
    let Some((claim, fingerprint)) = parse_payload(&payload) else {
        return malformed;
    };
    let Some(TrustedKey { key, issuer, .. }) = trust.key(&fingerprint) else {
        return FragmentCheck {
            check: SignatureCheck::UnknownKey,
            claim: Some(claim),
            issuer: None,
        };
    };
    let canonical = canonical_link(link).filter(|canonical| canonical == link);
    let holds = canonical.is_some_and(|link| {
        key.verify_strict(&signed_message(&payload, &link), &signature)
            .is_ok()
    });
    if holds {
        FragmentCheck {
            check: SignatureCheck::Verified,
            claim: Some(claim),
            issuer: Some(issuer.clone()),
        }
    } else {
        FragmentCheck {
            check: SignatureCheck::Tampered,
            claim: Some(claim),
            issuer: None,
        }
    }
}

fn parse_payload(payload: &[u8]) -> Option<(BoardClaim, KeyFingerprint)> {
    let text = std::str::from_utf8(payload).ok()?;
    let mut lines = text.split('\n');
    let (code, office, issued, key) = (lines.next()?, lines.next()?, lines.next()?, lines.next()?);
    if lines.next().is_some() {
        return None;
    }
    let (base, variant) = split_procedure_code(code)?;
    let office_ok = !office.trim().is_empty()
        && office.chars().count() <= MAX_OFFICE_CHARS
        && !office.chars().any(char::is_control);
    let key_ok = key.len() == 8 && URL_SAFE_NO_PAD.decode(key).is_ok();
    if variant.is_some() || !office_ok || !civic_time::is_iso_date(issued) || !key_ok {
        return None;
    }
    Some((
        BoardClaim {
            code: base,
            office: office.to_owned(),
            issued: issued.to_owned(),
        },
        KeyFingerprint(key.to_owned()),
    ))
}

/// Holds a board signing key (private) in memory.
#[derive(Debug)]
pub struct BoardSigner {
    key: SigningKey,
}

impl BoardSigner {
    /// A fresh key from the operating system's random source.
    pub fn generate() -> Result<Self, KeyError> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| KeyError::Random(e.to_string()))?;
        Ok(BoardSigner {
            key: SigningKey::from_bytes(&seed),
        })
    }

    /// Reads a PKCS#8 PEM private key (as `civic qr keygen` and `openssl genpkey -algorithm ed25519` write).
    pub fn read(path: &Path) -> Result<Self, KeyError> {
        let pem = std::fs::read_to_string(path).map_err(|source| KeyError::Read {
            path: path.to_owned(),
            source,
        })?;
        let key = SigningKey::from_pkcs8_pem(&pem).map_err(|_| KeyError::NotAKey {
            path: path.to_owned(),
        })?;
        Ok(BoardSigner { key })
    }

    /// Writes the private key as PKCS#8 PEM, readable by the owner only; never overwrites.
    pub fn write(&self, path: &Path) -> Result<(), KeyError> {
        let pem = self
            .key
            .to_pkcs8_pem(Default::default())
            .map_err(|_| KeyError::Encode)?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let write = || -> std::io::Result<()> {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let mut file = options.open(path)?;
            file.write_all(pem.as_bytes())?;
            file.sync_all()
        };
        write().map_err(|source| KeyError::Write {
            path: path.to_owned(),
            source,
        })
    }

    /// The public key as the city profile lists it.
    pub fn public_key(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.key.verifying_key().as_bytes())
    }

    pub fn fingerprint(&self) -> KeyFingerprint {
        KeyFingerprint::of(&self.key.verifying_key())
    }

    /// `link` with the `civic2.` fragment for `claim` appended, the link put in the
    /// canonical form that is signed; `None` when `link` is not an http(s) link.
    pub fn sign(&self, claim: &BoardClaim, link: &str) -> Option<String> {
        let link = canonical_link(link)?;
        let payload = claim.payload(&self.fingerprint());
        let signature = self.key.sign(&signed_message(payload.as_bytes(), &link));
        Some(format!(
            "{link}#{FRAGMENT_PREFIX}{}.{}",
            URL_SAFE_NO_PAD.encode(payload.as_bytes()),
            URL_SAFE_NO_PAD.encode(signature.to_bytes())
        ))
    }
}

/// A public key from a city profile (the format is the city profile's: see `civic-city`).
pub fn parse_public_key(text: &str) -> Result<VerifyingKey, KeyError> {
    civic_city::parse_public_key(text).ok_or(KeyError::PublicKey)
}

#[cfg(test)]
mod tests {
    use civic_types::{
        city::LocalizedText,
        qr::{QrPolicy, QrSigningKey},
    };

    use super::*;

    fn trust_for(signer: &BoardSigner) -> Trust {
        Trust::new(Some(&QrPolicy {
            trusted_domains: vec![],
            signing_keys: vec![QrSigningKey {
                issuer: LocalizedText {
                    vi: "UBND tỉnh Ninh Bình".into(),
                    en: "Ninh Binh PPC".into(),
                },
                public_key: signer.public_key(),
            }],
        }))
    }

    fn claim() -> BoardClaim {
        BoardClaim {
            code: "1.001193".into(),
            office: "UBND xã Xuân Hồng".into(),
            issued: "2026-11-23".into(),
        }
    }

    const LINK: &str = "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193";

    /// (link, fragment) of a freshly signed board link.
    fn signed(signer: &BoardSigner) -> (String, String) {
        let full = signer.sign(&claim(), LINK).expect("an https link");
        let (link, fragment) = full.split_once('#').expect("a fragment");
        (link.to_owned(), fragment.to_owned())
    }

    #[test]
    fn a_signed_link_verifies_and_names_its_issuer() {
        let signer = BoardSigner::generate().expect("random");
        let (link, fragment) = signed(&signer);
        assert_eq!(link, LINK, "already canonical");
        let checked = check_fragment(&fragment, &link, &trust_for(&signer));
        assert_eq!(checked.check, SignatureCheck::Verified);
        assert_eq!(checked.claim, Some(claim()));
        assert_eq!(
            checked.issuer.map(|i| i.vi),
            Some("UBND tỉnh Ninh Bình".to_owned())
        );
    }

    #[test]
    fn a_genuine_fragment_on_any_other_link_is_tampered() {
        let signer = BoardSigner::generate().expect("random");
        let trust = trust_for(&signer);
        let (_, fragment) = signed(&signer);
        for other in [
            "https://dichvucong.gov.vn/",
            "https://vneid.gov.vn/login",
            "https://any.ninhbinh.gov.vn/x.php",
            &format!("{LINK}&maThuTuc=1.000656"),
            &LINK.replace("https://", "http://"),
            // The same page spelt differently is not the form that was signed.
            &LINK.replace("dichvucong", "DichVuCong"),
            &LINK.replace("/p/", "/p/./"),
            &format!("{LINK}&"),
        ] {
            assert_eq!(
                check_fragment(&fragment, other, &trust).check,
                SignatureCheck::Tampered,
                "{other}"
            );
        }
    }

    #[test]
    fn links_are_signed_in_their_canonical_form() {
        let signer = BoardSigner::generate().expect("random");
        let full = signer
            .sign(
                &claim(),
                "HTTPS://DichVuCong.gov.vn:443/a/../?ma_thu_tuc=1.001193#old",
            )
            .expect("a link");
        let (link, fragment) = full.split_once('#').expect("a fragment");
        assert_eq!(link, "https://dichvucong.gov.vn/?ma_thu_tuc=1.001193");
        assert_eq!(
            check_fragment(fragment, link, &trust_for(&signer)).check,
            SignatureCheck::Verified
        );
        assert_eq!(signer.sign(&claim(), "javascript:alert(1)"), None);
        assert_eq!(signer.sign(&claim(), "1.001193"), None);
    }

    #[test]
    fn another_key_is_unknown_and_an_edit_is_tampering() {
        let signer = BoardSigner::generate().expect("random");
        let other = BoardSigner::generate().expect("random");
        let (link, fragment) = signed(&signer);
        assert_eq!(
            check_fragment(&fragment, &link, &trust_for(&other)).check,
            SignatureCheck::UnknownKey
        );
        assert_eq!(
            check_fragment(&fragment, &link, &Trust::new(None)).check,
            SignatureCheck::UnknownKey
        );

        // Same key, payload changed to another procedure: the signature no longer holds.
        let (_, signature) = fragment.rsplit_once('.').expect("two parts");
        let forged_claim = BoardClaim {
            code: "1.000656".into(),
            ..claim()
        };
        let forged = format!(
            "{FRAGMENT_PREFIX}{}.{signature}",
            URL_SAFE_NO_PAD.encode(forged_claim.payload(&signer.fingerprint()))
        );
        assert_eq!(
            check_fragment(&forged, &link, &trust_for(&signer)).check,
            SignatureCheck::Tampered
        );
    }

    #[test]
    fn a_genuine_first_format_fragment_is_unverifiable_not_verified() {
        let signer = BoardSigner::generate().expect("random");
        // The first format signed the payload alone, so it says nothing about the link.
        let payload = claim().payload(&signer.fingerprint());
        let mut message = b"civic-qr-v1\n".to_vec();
        message.extend_from_slice(payload.as_bytes());
        let legacy = format!(
            "{LEGACY_FRAGMENT_PREFIX}{}.{}",
            URL_SAFE_NO_PAD.encode(payload.as_bytes()),
            URL_SAFE_NO_PAD.encode(signer.key.sign(&message).to_bytes())
        );
        let checked = check_fragment(&legacy, LINK, &trust_for(&signer));
        assert_eq!(checked.check, SignatureCheck::Unverifiable);
        assert_eq!(checked.claim, None, "nothing read from it is relied on");
    }

    #[test]
    fn every_single_character_change_fails() {
        let signer = BoardSigner::generate().expect("random");
        let trust = trust_for(&signer);
        let full = signer.sign(&claim(), LINK).expect("a link");
        for i in 0..full.len() {
            let mut bytes = full.clone().into_bytes();
            bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
            let altered = String::from_utf8(bytes).expect("ascii");
            let Some((link, fragment)) = altered.split_once('#') else {
                continue;
            };
            if altered == full || !fragment.starts_with(FRAGMENT_PREFIX) {
                continue;
            }
            assert_ne!(
                check_fragment(fragment, link, &trust).check,
                SignatureCheck::Verified,
                "byte {i}"
            );
        }
    }

    #[test]
    fn keys_round_trip_through_pem_and_profiles() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("key.pem");
        let signer = BoardSigner::generate().expect("random");
        signer.write(&path).expect("written");
        assert!(
            matches!(signer.write(&path), Err(KeyError::Write { .. })),
            "never overwrites"
        );
        let again = BoardSigner::read(&path).expect("read");
        assert_eq!(again.public_key(), signer.public_key());
        assert!(parse_public_key(&signer.public_key()).is_ok());
        assert!(parse_public_key("AAAA").is_err());
        std::fs::write(dir.path().join("junk.pem"), "not a key").expect("write");
        assert!(matches!(
            BoardSigner::read(&dir.path().join("junk.pem")),
            Err(KeyError::NotAKey { .. })
        ));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o077, 0, "private key readable by its owner only");
        }
    }
}
