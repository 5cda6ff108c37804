//! Signed board codes: a portal link whose fragment carries
//! `civic1.<payload>.<signature>`, both unpadded base64url. The payload is the UTF-8 text
//! `code \n office \n YYYY-MM-DD \n key fingerprint`; the Ed25519 signature covers
//! [`SIGNING_CONTEXT`] followed by the payload. Any phone camera opens the link on the portal;
//! Civic also checks the signature offline against the keys in the city profile. Fragments
//! never leave the device when a browser opens the link.

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

pub const FRAGMENT_PREFIX: &str = "civic1.";
/// Domain separation: a signature made for anything else never verifies as a board code.
pub const SIGNING_CONTEXT: &[u8] = b"civic-qr-v1\n";
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

/// The outcome of checking a `civic1.` fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentCheck {
    pub check: SignatureCheck,
    /// The claim, when the payload could be read (verified or not).
    pub claim: Option<BoardClaim>,
    /// The key holder, when verified.
    pub issuer: Option<civic_types::city::LocalizedText>,
}

/// Checks a fragment (without `#`) offline against the trusted keys.
pub fn check_fragment(fragment: &str, trust: &Trust) -> FragmentCheck {
    let malformed = FragmentCheck {
        check: SignatureCheck::Malformed,
        claim: None,
        issuer: None,
    };
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
    let mut message = SIGNING_CONTEXT.to_vec();
    message.extend_from_slice(&payload);
    if key.verify_strict(&message, &signature).is_ok() {
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

    /// The `civic1.` fragment for `claim`.
    pub fn sign(&self, claim: &BoardClaim) -> String {
        let payload = claim.payload(&self.fingerprint());
        let mut message = SIGNING_CONTEXT.to_vec();
        message.extend_from_slice(payload.as_bytes());
        let signature = self.key.sign(&message);
        format!(
            "{FRAGMENT_PREFIX}{}.{}",
            URL_SAFE_NO_PAD.encode(payload.as_bytes()),
            URL_SAFE_NO_PAD.encode(signature.to_bytes())
        )
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

    #[test]
    fn a_signed_fragment_verifies_and_names_its_issuer() {
        let signer = BoardSigner::generate().expect("random");
        let fragment = signer.sign(&claim());
        let checked = check_fragment(&fragment, &trust_for(&signer));
        assert_eq!(checked.check, SignatureCheck::Verified);
        assert_eq!(checked.claim, Some(claim()));
        assert_eq!(
            checked.issuer.map(|i| i.vi),
            Some("UBND tỉnh Ninh Bình".to_owned())
        );
    }

    #[test]
    fn another_key_is_unknown_and_an_edit_is_tampering() {
        let signer = BoardSigner::generate().expect("random");
        let other = BoardSigner::generate().expect("random");
        let fragment = signer.sign(&claim());
        assert_eq!(
            check_fragment(&fragment, &trust_for(&other)).check,
            SignatureCheck::UnknownKey
        );
        assert_eq!(
            check_fragment(&fragment, &Trust::new(None)).check,
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
            check_fragment(&forged, &trust_for(&signer)).check,
            SignatureCheck::Tampered
        );
    }

    #[test]
    fn every_single_character_change_fails() {
        let signer = BoardSigner::generate().expect("random");
        let trust = trust_for(&signer);
        let fragment = signer.sign(&claim());
        for i in FRAGMENT_PREFIX.len()..fragment.len() {
            let mut bytes = fragment.clone().into_bytes();
            bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
            let altered = String::from_utf8(bytes).expect("ascii");
            if altered == fragment {
                continue;
            }
            assert_ne!(
                check_fragment(&altered, &trust).check,
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
