//! Who a request comes from, for the limits that are kept per client: connections at once
//! (`serve`) and expensive answers (`throttle`).
//!
//! A client is its IP address, an IPv6 one by its /64 (one subscriber's whole prefix).
//! Behind a reverse proxy the operator names the proxy (`serve --trusted-proxy`); only then
//! is `X-Forwarded-For` read, right to left, skipping the trusted proxies: entries further
//! left were written by the client itself and prove nothing.

use std::net::{IpAddr, Ipv6Addr};

use axum::http::HeaderMap;

/// A client as the per-client limits count it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientKey(IpAddr);

impl ClientKey {
    pub fn of(address: IpAddr) -> Self {
        match address {
            IpAddr::V4(v4) => Self(IpAddr::V4(v4)),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Self(IpAddr::V4(v4)),
                None => {
                    let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                    Self(IpAddr::V6(Ipv6Addr::from(prefix)))
                }
            },
        }
    }
}

/// The request's client, put into every request's extensions by the accept loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Client(pub ClientKey);

/// The reverse proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpAddr>);

impl TrustedProxies {
    pub fn new(proxies: Vec<IpAddr>) -> Self {
        Self(proxies)
    }

    pub fn trusts(&self, peer: IpAddr) -> bool {
        self.0.contains(&peer)
    }

    /// The client a request from `peer` stands for.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> ClientKey {
        if !self.trusts(peer) {
            return ClientKey::of(peer);
        }
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect::<Vec<_>>();
        for hop in forwarded.iter().rev() {
            match hop.parse::<IpAddr>() {
                Ok(address) if self.trusts(address) => continue,
                Ok(address) => return ClientKey::of(address),
                // A malformed entry: nothing left of it can be believed.
                Err(_) => break,
            }
        }
        ClientKey::of(peer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            if let Ok(value) = HeaderValue::from_str(value) {
                headers.append("x-forwarded-for", value);
            }
        }
        headers
    }

    #[test]
    fn ipv6_clients_are_their_64_prefix() {
        assert_eq!(
            ClientKey::of(ip("2001:db8:1:2:aaaa::1")),
            ClientKey::of(ip("2001:db8:1:2:bbbb::2"))
        );
        assert_ne!(
            ClientKey::of(ip("2001:db8:1:2::1")),
            ClientKey::of(ip("2001:db8:1:3::1"))
        );
        assert_eq!(
            ClientKey::of(ip("::ffff:203.0.113.9")),
            ClientKey::of(ip("203.0.113.9"))
        );
    }

    #[test]
    fn forwarded_for_is_read_only_from_a_trusted_proxy() {
        let proxies = TrustedProxies::new(vec![ip("10.0.0.1"), ip("10.0.0.2")]);
        let headers = forwarded(&["198.51.100.7"]);
        // Anyone else can write the header: it is ignored.
        assert_eq!(
            proxies.client(ip("203.0.113.9"), &headers),
            ClientKey::of(ip("203.0.113.9"))
        );
        assert_eq!(
            proxies.client(ip("10.0.0.1"), &headers),
            ClientKey::of(ip("198.51.100.7"))
        );
        // The client's own entries (left) are skipped over: the last untrusted hop counts.
        let chain = forwarded(&["1.2.3.4, 198.51.100.7", "10.0.0.2"]);
        assert_eq!(
            proxies.client(ip("10.0.0.1"), &chain),
            ClientKey::of(ip("198.51.100.7"))
        );
        for garbage in [&["not-an-address"][..], &[""], &[]] {
            assert_eq!(
                proxies.client(ip("10.0.0.1"), &forwarded(garbage)),
                ClientKey::of(ip("10.0.0.1")),
                "{garbage:?}"
            );
        }
    }
}
