//! Talking to the city's gateway: conditional requests, compressed bodies, progress.
//!
//! Everything that comes back is untrusted: sizes are capped before and after
//! decompression, a body shorter than announced is an error, and a component applies
//! nothing until its whole answer has arrived and parsed.

use std::io::Read;
use std::time::{Duration, Instant};

use civic_net::is_secure_address;
use civic_types::error::ApiError;

use crate::SyncError;

/// Bodies larger than this are refused, on the wire or decompressed: a few times the real
/// catalog (21 MB of JSON, ~1.2 MB in brotli), a defence against compression bombs.
const MAX_COMPRESSED_BYTES: u64 = 64 * 1024 * 1024;
const MAX_JSON_BYTES: u64 = 64 * 1024 * 1024;
const PROGRESS_CHUNK: usize = 64 * 1024;
/// A whole answer must arrive within this: a gateway dripping a byte just inside the read
/// timeout would otherwise hold a sync forever. The identity-encoded catalog takes under
/// three minutes at 1 Mbit/s.
const TRANSFER_DEADLINE: Duration = Duration::from_secs(5 * 60);
/// Redirects followed, each to a secure address again.
const MAX_REDIRECTS: usize = 5;

/// The core's HTTP client for servers the city names (its gateway, its Open311 endpoint):
/// redirects followed only to secure addresses again, each wait bounded.
pub fn secure_client() -> reqwest::Result<reqwest::blocking::Client> {
    // A redirect may not lead somewhere plain http.
    let redirects = reqwest::redirect::Policy::custom(|attempt| {
        if attempt.previous().len() >= MAX_REDIRECTS || !is_secure_address(attempt.url()) {
            attempt.stop()
        } else {
            attempt.follow()
        }
    });
    reqwest::blocking::Client::builder()
        .redirect(redirects)
        .connect_timeout(Duration::from_secs(10))
        // A weak 3G link is slow but moving: bound each wait, not the whole transfer. The
        // blocking client applies this until the headers and then to each body read.
        .timeout(Duration::from_secs(30))
        .user_agent(concat!("civic/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// A city's gateway, e.g. `http://127.0.0.1:8080`.
#[derive(Debug, Clone)]
pub struct Gateway {
    base: String,
    http: reqwest::blocking::Client,
}

impl Gateway {
    pub fn new(address: &str) -> Result<Self, SyncError> {
        let base = address.trim().trim_end_matches('/');
        let parsed = reqwest::Url::parse(base)
            .ok()
            .filter(|u| u.host_str().is_some_and(|h| !h.is_empty()))
            .filter(|_| base.starts_with("http://") || base.starts_with("https://"));
        let Some(parsed) = parsed else {
            return Err(SyncError::BadAddress(address.to_owned()));
        };
        if !is_secure_address(&parsed) {
            return Err(SyncError::NotEncrypted(address.to_owned()));
        }
        let http = secure_client().map_err(|e| SyncError::BadAddress(format!("{address}: {e}")))?;
        Ok(Self {
            base: base.to_owned(),
            http,
        })
    }

    pub fn address(&self) -> &str {
        &self.base
    }

    /// `GET path` (e.g. `/v1/catalog?since=…`), sending `etag` as `If-None-Match`.
    /// `progress(received, total)` is called as body bytes arrive. A 4xx/5xx answer is an
    /// error carrying the gateway's own code.
    pub fn get(
        &self,
        path: &str,
        etag: Option<&str>,
        progress: &mut dyn FnMut(u64, Option<u64>),
    ) -> Result<Answer, SyncError> {
        let mut request = self
            .http
            .get(format!("{}{path}", self.base))
            .header("Accept", "application/json")
            .header("Accept-Encoding", "br, gzip");
        if let Some(etag) = etag {
            request = request.header("If-None-Match", etag);
        }
        let response = request
            .send()
            .map_err(|e| SyncError::Offline(e.without_url().to_string()))?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        if status == 304 {
            return Ok(Answer::NotModified);
        }
        let etag = header("etag");
        let coding = header("content-encoding").unwrap_or_default();
        let total = header("content-length").and_then(|v| v.parse::<u64>().ok());
        if total.is_some_and(|t| t > MAX_COMPRESSED_BYTES) {
            return Err(SyncError::TooLarge {
                limit: MAX_COMPRESSED_BYTES,
            });
        }
        let wire = read_body(
            response,
            total,
            Instant::now() + TRANSFER_DEADLINE,
            progress,
        )?;
        if !(200..300).contains(&status) {
            return Err(refusal(status, &wire));
        }
        let json = decode(&wire, coding.trim())?;
        Ok(Answer::Body {
            json,
            etag,
            wire: wire.len() as u64,
        })
    }
}

impl Gateway {
    /// `PUT path` with `body` as JSON; the answer's JSON. A 4xx/5xx answer is an error
    /// carrying the gateway's own code.
    pub fn put_json(&self, path: &str, body: &impl serde::Serialize) -> Result<Vec<u8>, SyncError> {
        let body = serde_json::to_vec(body)
            .map_err(|e| SyncError::BadResponse(format!("cannot encode the request: {e}")))?;
        let response = self
            .http
            .put(format!("{}{path}", self.base))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .body(body)
            .send()
            .map_err(|e| SyncError::Offline(e.without_url().to_string()))?;
        let status = response.status().as_u16();
        let total = response.content_length();
        let wire = read_body(
            response,
            total,
            Instant::now() + TRANSFER_DEADLINE,
            &mut |_, _| {},
        )?;
        if !(200..300).contains(&status) {
            return Err(refusal(status, &wire));
        }
        Ok(wire)
    }
}

/// A 4xx/5xx answer as an error with the gateway's code, or `unknown` when it gave none.
fn refusal(status: u16, wire: &[u8]) -> SyncError {
    match serde_json::from_slice::<ApiError>(wire) {
        Ok(e) => SyncError::Gateway {
            status,
            code: e.code,
            message: e.message,
        },
        Err(_) => SyncError::Gateway {
            status,
            code: "unknown".into(),
            message: "the gateway gave no explanation".into(),
        },
    }
}

/// A gateway's answer to a conditional `GET`.
#[derive(Debug)]
pub enum Answer {
    /// `304`: what the app holds is current.
    NotModified,
    Body {
        /// The decompressed body.
        json: Vec<u8>,
        etag: Option<String>,
        /// Bytes on the wire (compressed).
        wire: u64,
    },
}

fn read_body(
    mut reader: impl Read,
    total: Option<u64>,
    deadline: Instant,
    progress: &mut dyn FnMut(u64, Option<u64>),
) -> Result<Vec<u8>, SyncError> {
    let mut body = Vec::with_capacity(total.map_or(0, |t| usize::try_from(t).unwrap_or(0)));
    let mut chunk = vec![0u8; PROGRESS_CHUNK];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => {
                return Err(SyncError::Interrupted {
                    received: body.len() as u64,
                    expected: total.unwrap_or(0),
                });
            }
        };
        body.extend_from_slice(&chunk[..n]);
        if Instant::now() > deadline {
            return Err(SyncError::TooSlow {
                received: body.len() as u64,
            });
        }
        if body.len() as u64 > MAX_COMPRESSED_BYTES {
            return Err(SyncError::TooLarge {
                limit: MAX_COMPRESSED_BYTES,
            });
        }
        progress(body.len() as u64, total);
    }
    let received = body.len() as u64;
    if let Some(expected) = total
        && received != expected
    {
        return Err(SyncError::Interrupted { received, expected });
    }
    Ok(body)
}

fn decode(wire: &[u8], coding: &str) -> Result<Vec<u8>, SyncError> {
    let mut json = Vec::new();
    let result = match coding {
        "" | "identity" => return Ok(wire.to_vec()),
        "gzip" | "x-gzip" => flate2::read::GzDecoder::new(wire)
            .take(MAX_JSON_BYTES + 1)
            .read_to_end(&mut json),
        "br" => brotli::Decompressor::new(wire, 64 * 1024)
            .take(MAX_JSON_BYTES + 1)
            .read_to_end(&mut json),
        other => {
            return Err(SyncError::BadResponse(format!(
                "unknown content encoding `{other}`"
            )));
        }
    };
    result.map_err(|e| SyncError::BadResponse(format!("cannot decompress ({coding}): {e}")))?;
    if json.len() as u64 > MAX_JSON_BYTES {
        return Err(SyncError::TooLarge {
            limit: MAX_JSON_BYTES,
        });
    }
    Ok(json)
}

/// Percent-encodes a cursor for the query string (cursors are plain, but come from the network).
pub fn query_escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gateway_addresses() {
        for good in [
            "http://127.0.0.1:8080",
            "http://[::1]:8080",
            "https://gw.ninhbinh.gov.vn/",
            " http://localhost ",
        ] {
            assert!(Gateway::new(good).is_ok(), "{good}");
        }
        // The gateway says which domains, keys and provider to trust: never over plain http.
        for plain in [
            "http://gw.ninhbinh.gov.vn",
            "http://10.0.0.1:8080",
            "http://127.0.0.1.evil.example",
            "http://localhost.evil.example",
        ] {
            assert!(
                matches!(Gateway::new(plain), Err(SyncError::NotEncrypted(_))),
                "{plain}"
            );
        }
        for bad in [
            "",
            "ftp://x",
            "127.0.0.1:8080",
            "http://",
            "javascript:alert(1)",
            "file:///etc/passwd",
        ] {
            assert!(
                matches!(Gateway::new(bad), Err(SyncError::BadAddress(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn cut_bodies_and_bombs_are_refused() {
        let body = b"0123456789";
        let later = Instant::now() + Duration::from_secs(60);
        let short = read_body(&body[..], Some(20), later, &mut |_, _| {});
        assert!(matches!(
            short,
            Err(SyncError::Interrupted {
                received: 10,
                expected: 20
            })
        ));
        assert_eq!(
            read_body(&body[..], Some(10), later, &mut |_, _| {}).expect("whole"),
            body
        );
        let truncated_gzip = {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            std::io::Write::write_all(&mut e, &[b'x'; 10_000]).expect("write");
            let mut bytes = e.finish().expect("gzip");
            bytes.truncate(bytes.len() / 2);
            bytes
        };
        assert!(matches!(
            decode(&truncated_gzip, "gzip"),
            Err(SyncError::BadResponse(_))
        ));
        assert!(matches!(
            decode(b"xx", "zstd"),
            Err(SyncError::BadResponse(_))
        ));
    }

    /// A byte at a time, each just inside any read timeout.
    struct Drip;

    impl Read for Drip {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            std::thread::sleep(Duration::from_millis(20));
            buf[0] = b'x';
            Ok(1)
        }
    }

    #[test]
    fn a_dripping_answer_stops_at_the_deadline() {
        let started = Instant::now();
        let dripped = read_body(
            Drip,
            Some(1_000_000),
            started + Duration::from_millis(300),
            &mut |_, _| {},
        );
        assert!(
            matches!(dripped, Err(SyncError::TooSlow { received }) if received > 0),
            "{dripped:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn a_bomb_just_over_a_few_catalogs_is_refused() {
        let bomb = {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            let zeros = vec![0u8; 1024 * 1024];
            for _ in 0..=MAX_JSON_BYTES / (1024 * 1024) {
                std::io::Write::write_all(&mut e, &zeros).expect("write");
            }
            e.finish().expect("gzip")
        };
        assert!(bomb.len() < 1024 * 1024, "a small body on the wire");
        assert!(matches!(
            decode(&bomb, "gzip"),
            Err(SyncError::TooLarge { .. })
        ));
    }

    #[test]
    fn cursors_are_escaped() {
        assert_eq!(query_escape("ab.12"), "ab.12");
        assert_eq!(query_escape("a&b=c d"), "a%26b%3Dc%20d");
    }
}
