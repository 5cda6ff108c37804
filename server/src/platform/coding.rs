//! Content codings (RFC 9110 §8.4): what a client accepts, and bodies encoded once in the
//! coding it prefers. Every feature that serves documents answers in one.

use std::collections::HashMap;
use std::io::Write;

use axum::body::Bytes;

/// A content coding the gateway can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Coding {
    Br,
    Gzip,
    Identity,
}

/// How hard to compress: once per version for snapshots, per request for deltas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effort {
    Best,
    Fast,
}

impl Coding {
    pub fn token(self) -> &'static str {
        match self {
            Coding::Br => "br",
            Coding::Gzip => "gzip",
            Coding::Identity => "identity",
        }
    }

    pub fn encode(self, data: &[u8], effort: Effort) -> std::io::Result<Bytes> {
        match self {
            Coding::Identity => Ok(Bytes::copy_from_slice(data)),
            Coding::Gzip => {
                let level = match effort {
                    Effort::Best => flate2::Compression::best(),
                    Effort::Fast => flate2::Compression::new(5),
                };
                let mut encoder = flate2::write::GzEncoder::new(Vec::new(), level);
                encoder.write_all(data)?;
                Ok(Bytes::from(encoder.finish()?))
            }
            Coding::Br => {
                let quality = match effort {
                    Effort::Best => 9,
                    Effort::Fast => 5,
                };
                let mut out = Vec::new();
                {
                    let mut writer =
                        brotli::CompressorWriter::new(&mut out, 64 * 1024, quality, 22);
                    writer.write_all(data)?;
                }
                Ok(Bytes::from(out))
            }
        }
    }

    /// The client's preferred coding among those offered in `Accept-Encoding` (RFC 9110
    /// §12.5.3): brotli, then gzip, then none. Anything unparsable counts as not offered.
    pub fn negotiate(accept_encoding: Option<&str>) -> Coding {
        let Some(header) = accept_encoding else {
            return Coding::Identity;
        };
        let mut q: HashMap<String, f32> = HashMap::new();
        for item in header.split(',') {
            let mut parts = item.split(';');
            let token = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            if token.is_empty() {
                continue;
            }
            let q_value = parts.find_map(|p| {
                let (key, value) = p.split_once('=')?;
                key.trim().eq_ignore_ascii_case("q").then(|| value.trim())
            });
            let weight = match q_value {
                None => 1.0,
                Some(value) => value
                    .parse::<f32>()
                    .ok()
                    .filter(|w| w.is_finite())
                    .map_or(0.0, |w| w.clamp(0.0, 1.0)),
            };
            q.insert(token, weight);
        }
        let wildcard = q.get("*").copied();
        let weight = |token: &str| q.get(token).copied().or(wildcard).unwrap_or(0.0);
        let (br, gzip) = (weight("br"), weight("gzip"));
        if br > 0.0 && br >= gzip {
            Coding::Br
        } else if gzip > 0.0 {
            Coding::Gzip
        } else {
            Coding::Identity
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Coding;

    #[test]
    fn negotiation() {
        let cases = [
            (None, Coding::Identity),
            (Some(""), Coding::Identity),
            (Some("gzip"), Coding::Gzip),
            (Some("gzip, deflate, br"), Coding::Br),
            (Some("br;q=0, gzip"), Coding::Gzip),
            (Some("br;q=0.5, gzip;q=0.8"), Coding::Gzip),
            (Some("*"), Coding::Br),
            (Some("*;q=0, gzip"), Coding::Gzip),
            (Some("identity"), Coding::Identity),
            (Some("GZIP;Q=1"), Coding::Gzip),
            (Some("br;q=nan, gzip;q=abc"), Coding::Identity),
            (Some("br;q=abc, gzip"), Coding::Gzip),
        ];
        for (header, expected) in cases {
            assert_eq!(Coding::negotiate(header), expected, "{header:?}");
        }
    }
}
