//! `civic-net`: which addresses Civic may talk to. The gateway sends the city profile (the
//! trusted QR domains, board keys and identity provider) and the identity provider receives
//! codes and hands out tokens, so both are reached over https only; plain http is allowed to
//! this device alone, for a gateway or provider stand-in run locally. Pure.

use url::{Host, Url};

/// Whether `url` is https, or http to a loopback address (`127.0.0.0/8`, `::1`,
/// `localhost`).
pub fn is_secure_address(url: &Url) -> bool {
    url.scheme() == "https" || (url.scheme() == "http" && is_loopback(url))
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secure(address: &str) -> bool {
        Url::parse(address).is_ok_and(|url| is_secure_address(&url))
    }

    #[test]
    fn https_anywhere_http_only_on_this_device() {
        for good in [
            "https://gw.ninhbinh.gov.vn/",
            "https://1.2.3.4/",
            "http://127.0.0.1:8080/",
            "http://127.8.9.10/",
            "http://[::1]:80/",
            "http://LOCALHOST:3000/",
        ] {
            assert!(secure(good), "{good}");
        }
        for bad in [
            "http://gw.ninhbinh.gov.vn/",
            "http://10.0.0.1/",
            "http://127.0.0.1.nip.io/",
            "http://localhost.evil.example/",
            "http://[::2]/",
            "ftp://127.0.0.1/",
            "file:///etc/passwd",
            "javascript:alert(1)",
        ] {
            assert!(!secure(bad), "{bad}");
        }
    }
}
