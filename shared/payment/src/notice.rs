//! Signed bank notices: what a city's bank connector tells the gateway about a transfer
//! received. Each carries `X-Civic-Timestamp` (Unix seconds) and
//! `X-Civic-Signature` (`sha256=` and the hex HMAC-SHA256, under the operator's shared
//! secret, of the timestamp, a dot and the raw body). A notice is taken only when the
//! signature verifies, the timestamp is within [`WINDOW`] of the gateway's clock, and that
//! exact signature has not been taken before.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How far a notice's timestamp may be from now, either way.
pub const WINDOW: i64 = 5 * 60;
pub const TIMESTAMP_HEADER: &str = "x-civic-timestamp";
pub const SIGNATURE_HEADER: &str = "x-civic-signature";

/// Why a notice is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("the notice carries no timestamp or signature")]
    Unsigned,
    #[error("the signature does not verify")]
    BadSignature,
    #[error("the timestamp is outside the accepted window")]
    Stale,
}

/// The signature headers' values for `body` at `timestamp` (what the operator's side sends;
/// tests and benchmarks sign with it).
#[must_use]
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    format!(
        "sha256={}",
        hex(&mac(secret, timestamp, body).finalize().into_bytes())
    )
}

fn mac(secret: &[u8], timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes a key of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// Checks a notice; the signature's hex, for the replay check, when it verifies.
pub fn verify(
    secret: &[u8],
    timestamp: Option<&str>,
    signature: Option<&str>,
    body: &[u8],
    now: i64,
) -> Result<String, Refused> {
    let (Some(timestamp), Some(signature)) = (timestamp, signature) else {
        return Err(Refused::Unsigned);
    };
    let timestamp: i64 = timestamp.trim().parse().map_err(|_| Refused::Unsigned)?;
    let hex = signature
        .trim()
        .strip_prefix("sha256=")
        .unwrap_or(signature.trim());
    let expected = decode_hex(hex).ok_or(Refused::BadSignature)?;
    // Constant-time comparison, inside `verify_slice`.
    mac(secret, timestamp, body)
        .verify_slice(&expected)
        .map_err(|_| Refused::BadSignature)?;
    if (now - timestamp).abs() > WINDOW {
        return Err(Refused::Stale);
    }
    Ok(hex.to_ascii_lowercase())
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_notice_verifies_and_a_changed_one_does_not() {
        let secret = b"operator secret";
        let body = br#"{"id":"FT1","amount":4000}"#;
        let signature = sign(secret, 1_000, body);
        assert!(verify(secret, Some("1000"), Some(&signature), body, 1_100).is_ok());
        let changed = br#"{"id":"FT1","amount":40000}"#;
        assert_eq!(
            verify(secret, Some("1000"), Some(&signature), changed, 1_100),
            Err(Refused::BadSignature)
        );
        assert_eq!(
            verify(b"another", Some("1000"), Some(&signature), body, 1_100),
            Err(Refused::BadSignature)
        );
        // The timestamp is signed: moving it breaks the signature.
        assert_eq!(
            verify(secret, Some("1200"), Some(&signature), body, 1_200),
            Err(Refused::BadSignature)
        );
        assert_eq!(
            verify(
                secret,
                Some("1000"),
                Some(&signature),
                body,
                1_000 + WINDOW + 1
            ),
            Err(Refused::Stale)
        );
        assert_eq!(
            verify(secret, None, Some(&signature), body, 1_000),
            Err(Refused::Unsigned)
        );
        assert_eq!(
            verify(secret, Some("1000"), Some("sha256=zz"), body, 1_000),
            Err(Refused::BadSignature)
        );
    }
}
