//! What the text of a QR code is, judged offline and without the catalog. Pure.
//!
//! Everything here is untrusted input. Links are parsed the way browsers parse them (WHATWG,
//! the `url` crate), so the host we judge is the host a browser would open.

use std::net::IpAddr;

use civic_types::qr::{ScanKind, SignatureCheck, UnsafeReason};
use url::{Host, Url};

use crate::signed::{FRAGMENT_PREFIX, FragmentCheck, LEGACY_FRAGMENT_PREFIX, check_fragment};
use crate::trust::Trust;

/// Longest text we look at; QR codes hold at most 7,089 characters.
pub const MAX_TEXT: usize = 8_192;

/// What a link or text points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    None,
    /// A procedure code, split into base and local-variant suffix.
    Code {
        base: String,
        variant: Option<String>,
    },
    /// The national portal's own id (`/thu-tuc-hanh-chinh/<id>`), resolved through the catalog.
    PortalId(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classified {
    pub kind: ScanKind,
    pub target: Target,
    /// The real host of a link (or of text that poses as one).
    pub host: Option<String>,
    pub warnings: Vec<UnsafeReason>,
    /// The signature part of a board code on a trusted host.
    pub signature: Option<FragmentCheck>,
}

impl Classified {
    fn new(kind: ScanKind) -> Self {
        Classified {
            kind,
            target: Target::None,
            host: None,
            warnings: Vec::new(),
            signature: None,
        }
    }

    fn unsafe_because(host: Option<String>, warnings: Vec<UnsafeReason>) -> Self {
        Classified {
            host,
            warnings,
            ..Classified::new(ScanKind::Unsafe)
        }
    }
}

pub fn classify(text: &str, trust: &Trust) -> Classified {
    if text.len() > MAX_TEXT {
        return Classified::new(ScanKind::Other);
    }
    // What a browser does first with a link: drop every tab and newline inside it and the
    // spaces and control characters around it (WHATWG URL parsing), so `java\tscript:` is
    // judged as the `javascript:` it opens.
    let cleaned: String = text
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let trimmed = cleaned.trim_matches(|c: char| c.is_whitespace() || c.is_control());
    if let Some((base, variant)) = split_procedure_code(trimmed) {
        return Classified {
            target: Target::Code { base, variant },
            ..Classified::new(ScanKind::Code)
        };
    }
    // Bookmark formats phone scanners open as links: judge the link inside.
    match bookmark_link(trimmed) {
        Bookmark::Link(link) => return classify_link(&link, trust),
        Bookmark::Ambiguous => {
            return Classified::unsafe_because(None, vec![UnsafeReason::DisguisedLink]);
        }
        Bookmark::NoLink => {}
    }
    match scheme_of(trimmed) {
        Some(scheme)
            if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") =>
        {
            classify_link(trimmed, trust)
        }
        Some(scheme) if trust.is_dangerous_scheme(scheme) => {
            Classified::unsafe_because(None, vec![UnsafeReason::DangerousScheme])
        }
        Some(scheme) if is_disguised_scheme(scheme) => {
            Classified::unsafe_because(host_like(trimmed), vec![UnsafeReason::DisguisedLink])
        }
        Some(_) => Classified::new(ScanKind::Other),
        None => match host_like(trimmed) {
            Some(host) => Classified::unsafe_because(Some(host), vec![UnsafeReason::DisguisedLink]),
            None => Classified::new(ScanKind::Other),
        },
    }
}

fn classify_link(text: &str, trust: &Trust) -> Classified {
    let Ok(url) = Url::parse(text) else {
        return Classified::unsafe_because(host_like(text), vec![UnsafeReason::DisguisedLink]);
    };
    let mut warnings = Vec::new();
    let host = match url.host() {
        Some(Host::Domain(domain)) => domain.to_ascii_lowercase(),
        Some(Host::Ipv4(ip)) => {
            warnings.push(UnsafeReason::IpAddress);
            IpAddr::V4(ip).to_string()
        }
        Some(Host::Ipv6(ip)) => {
            warnings.push(UnsafeReason::IpAddress);
            IpAddr::V6(ip).to_string()
        }
        None => return Classified::unsafe_because(None, vec![UnsafeReason::DisguisedLink]),
    };
    if !url.username().is_empty() || url.password().is_some() {
        warnings.push(UnsafeReason::HiddenUser);
    }
    if url.scheme() == "http" {
        warnings.push(UnsafeReason::NotEncrypted);
    }
    if url.port().is_some() {
        warnings.push(UnsafeReason::UnusualPort);
    }
    if host.split('.').any(|label| label.starts_with("xn--")) {
        warnings.push(UnsafeReason::LookAlikeHost);
    }
    // Percent-escapes, look-alike dots or other spellings that browsers normalise: the host
    // a person reads in the text is not the host that opens.
    if displayed_host(text).as_deref() != Some(host.trim_end_matches('.')) {
        warnings.push(UnsafeReason::DisguisedLink);
    }
    let is_domain = matches!(url.host(), Some(Host::Domain(_)));
    if trust.is_shortener(&host) {
        warnings.push(UnsafeReason::Shortener);
    } else if !is_domain || !trust.is_trusted_host(&host) {
        warnings.push(UnsafeReason::UntrustedHost);
    }
    if !warnings.is_empty() {
        warnings.sort_by_key(|w| *w as u8);
        warnings.dedup();
        return Classified::unsafe_because(Some(host), warnings);
    }

    let target = link_target(&url, trust);
    let signature = url
        .fragment()
        .filter(|f| f.starts_with(FRAGMENT_PREFIX) || f.starts_with(LEGACY_FRAGMENT_PREFIX))
        .map(|fragment| {
            let link = text.split_once('#').map_or(text, |(link, _)| link);
            check_fragment(fragment, link, trust)
        });
    let kind = if signature.is_some() {
        ScanKind::Signed
    } else {
        ScanKind::PortalLink
    };
    Classified {
        kind,
        target,
        host: Some(host),
        warnings,
        signature,
    }
}

fn link_target(url: &Url, trust: &Trust) -> Target {
    for (name, value) in url.query_pairs() {
        if trust.is_code_parameter(&name) {
            return match split_procedure_code(value.trim()) {
                Some((base, variant)) => Target::Code { base, variant },
                None => Target::None,
            };
        }
    }
    let mut segments = url
        .path_segments()
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty());
    while let Some(segment) = segments.next() {
        if segment.eq_ignore_ascii_case("thu-tuc-hanh-chinh")
            && let Some(id) = segments.next().filter(|id| is_portal_id(id))
        {
            return Target::PortalId(id.to_ascii_lowercase());
        }
    }
    Target::None
}

fn is_portal_id(id: &str) -> bool {
    (8..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// `1.001193` → (`1.001193`, None); `1.000110.000.00.00.H01` → (`1.000110`, `.000.00.00.H01`).
pub fn split_procedure_code(text: &str) -> Option<(String, Option<String>)> {
    let bytes = text.as_bytes();
    let base_ok = bytes.len() >= 8
        && bytes[0].is_ascii_digit()
        && bytes[1] == b'.'
        && bytes[2..8].iter().all(u8::is_ascii_digit);
    if !base_ok {
        return None;
    }
    let (base, rest) = text.split_at(8);
    if rest.is_empty() {
        return Some((base.to_owned(), None));
    }
    // Local variants: `.NNN.NN.NN.XNN` (agency code, then the locality letter and number).
    let parts: Vec<&str> = rest.strip_prefix('.')?.split('.').collect();
    let shape_ok = parts.len() == 4
        && [3, 2, 2]
            .iter()
            .zip(&parts)
            .all(|(len, p)| p.len() == *len && p.bytes().all(|b| b.is_ascii_digit()))
        && parts[3].len() == 3
        && parts[3].as_bytes()[0].is_ascii_alphabetic()
        && parts[3].as_bytes()[1..].iter().all(u8::is_ascii_digit);
    shape_ok.then(|| (base.to_owned(), Some(rest.to_ascii_uppercase())))
}

enum Bookmark {
    /// No web link to judge: not a bookmark format, or one without a web link.
    NoLink,
    /// A bookmark whose link different scanners could read differently.
    Ambiguous,
    Link(String),
}

/// The link of a bookmark code: `MEBKM:TITLE:…;URL:…;;` (NTT docomo: fields `NAME:value;`,
/// `\` escaping `;:,\` in values) or `URLTO:…`. Read by the field grammar; a bookmark that
/// mentions `URL:` anywhere but in its one URL field name is ambiguous, because scanners
/// differ in which one they open.
fn bookmark_link(text: &str) -> Bookmark {
    let Some(upper) = text.get(..6).map(str::to_ascii_uppercase) else {
        return Bookmark::NoLink;
    };
    let link = if upper == "MEBKM:" {
        // Escapes removed, as a lenient scanner reads them.
        let mentions = text
            .chars()
            .filter(|c| *c != '\\')
            .collect::<String>()
            .to_ascii_uppercase()
            .matches("URL:")
            .count();
        match mentions {
            0 => return Bookmark::NoLink,
            1 => {}
            _ => return Bookmark::Ambiguous,
        }
        // The one mention must be the URL field's name, not text inside another field.
        let fields = mebkm_fields(&text[6..]);
        let Some((_, link)) = fields
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("URL"))
        else {
            return Bookmark::Ambiguous;
        };
        link.clone()
    } else if upper.starts_with("URLTO:") {
        text[6..].to_owned()
    } else {
        return Bookmark::NoLink;
    };
    let link = link.trim().to_owned();
    if scheme_of(&link)
        .is_some_and(|s| s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https"))
    {
        Bookmark::Link(link)
    } else {
        Bookmark::NoLink
    }
}

/// `NAME:value;` fields, values unescaped; stops at the closing `;` (an empty field).
fn mebkm_fields(body: &str) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    let mut rest = body;
    while let Some((name, after)) = rest.split_once(':') {
        if name.is_empty() || name.contains(';') {
            break;
        }
        let mut value = String::new();
        let mut escaped = false;
        let mut consumed = after.len();
        for (at, c) in after.char_indices() {
            match (escaped, c) {
                (false, '\\') => escaped = true,
                (false, ';') => {
                    consumed = at + 1;
                    break;
                }
                (_, c) => {
                    value.push(c);
                    escaped = false;
                }
            }
        }
        fields.push((name.to_owned(), value));
        rest = &after[consumed..];
    }
    fields
}

/// The host as a person reads it in the text of a link: after the scheme and any slashes
/// (browsers take `\` for `/`), before the path, without `user@` and port; lowercased, IPv6
/// brackets removed. Compared with the host the parser found, it shows a disguise.
fn displayed_host(text: &str) -> Option<String> {
    let (_, after_scheme) = text.split_once(':')?;
    let authority = after_scheme
        .trim_start_matches(['/', '\\'])
        .split(['/', '\\', '?', '#'])
        .next()?;
    let host_and_port = authority.rsplit('@').next()?;
    let host = match host_and_port.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next()?,
        None => host_and_port
            .rsplit_once(':')
            .map_or(host_and_port, |(host, _)| host),
    };
    Some(host.trim_end_matches('.').to_lowercase())
}

/// `scheme:` at the start, per RFC 3986 (letters, then letters, digits, `+-.`).
fn scheme_of(text: &str) -> Option<&str> {
    let (scheme, _) = text.split_once(':')?;
    let mut chars = scheme.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    (first_ok && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))).then_some(scheme)
}

/// Defanged or misspelt web schemes (`hxxps`, `htps`, `https.`) used to slip past filters.
fn is_disguised_scheme(scheme: &str) -> bool {
    let lower = scheme.to_ascii_lowercase();
    lower != "http"
        && lower != "https"
        && (lower.starts_with("htt")
            || lower.starts_with("hxx")
            || lower.starts_with("htp")
            || lower.contains("http"))
}

/// The host of text that poses as a link without being one: `dichvucong.gov.vn/…`,
/// `www.example.com`, look-alike dots (`dichvucong。gov。vn`).
fn host_like(text: &str) -> Option<String> {
    let after_scheme = text.split_once("//").map_or(text, |(_, rest)| rest);
    let candidate: String = after_scheme
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, '/' | '?' | '#' | '\\'))
        .map(|c| {
            if matches!(c, '。' | '．' | '｡' | '․' | '﹒') {
                '.'
            } else {
                c
            }
        })
        .collect();
    let candidate = candidate
        .rsplit('@')
        .next()
        .unwrap_or_default()
        .to_lowercase();
    let labels: Vec<&str> = candidate.trim_end_matches('.').split('.').collect();
    let looks_like_host = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == ':')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(char::is_alphabetic));
    looks_like_host.then_some(candidate)
}

impl Classified {
    /// True when a signed code's signature holds (the host was already found trusted).
    pub fn verified(&self) -> bool {
        self.signature
            .as_ref()
            .is_some_and(|s| s.check == SignatureCheck::Verified)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trust() -> Trust {
        Trust::new(Some(&civic_types::qr::QrPolicy {
            trusted_domains: vec!["ninhbinh.gov.vn".into()],
            signing_keys: vec![],
        }))
    }

    /// One line per case: kind, target, host, warnings.
    fn describe(text: &str) -> String {
        let c = classify(text, &trust());
        let target = match &c.target {
            Target::None => "-".to_owned(),
            Target::Code { base, variant } => format!("{base}{}", variant.as_deref().unwrap_or("")),
            Target::PortalId(id) => format!("portal:{id}"),
        };
        let warnings: Vec<String> = c.warnings.iter().map(|w| format!("{w:?}")).collect();
        format!(
            "{:?} {target} {} [{}]",
            c.kind,
            c.host.as_deref().unwrap_or("-"),
            warnings.join(",")
        )
    }

    #[test]
    fn classification_table() {
        let cases = [
            ("1.001193", "Code 1.001193 - []"),
            (" 1.001193\n", "Code 1.001193 - []"),
            ("1.000110.000.00.00.H01", "Code 1.000110.000.00.00.H01 - []"),
            ("1.000110.000.00.00.h01", "Code 1.000110.000.00.00.H01 - []"),
            ("1.00119", "Other - - []"),
            ("1.001193.12", "Other - - []"),
            (
                "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193",
                "PortalLink 1.001193 dichvucong.gov.vn []",
            ),
            (
                "https://csdl.dichvucong.gov.vn/web/mtv/thu_tuc_hanh_chinh/chi_tiet_thu_tuc_hanh_chinh?ma_thu_tuc=1.001193",
                "PortalLink 1.001193 csdl.dichvucong.gov.vn []",
            ),
            (
                "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bf7-4fc1-768b-9ba3-94be4bca58ee",
                "PortalLink portal:019d2bf7-4fc1-768b-9ba3-94be4bca58ee dichvucong.gov.vn []",
            ),
            (
                "HTTPS://DICHVUCONG.GOV.VN/thu-tuc-hanh-chinh/019D2BF7-4fc1-768b-9ba3-94be4bca58ee",
                "PortalLink portal:019d2bf7-4fc1-768b-9ba3-94be4bca58ee dichvucong.gov.vn []",
            ),
            (
                "https://dichvucong.ninhbinh.gov.vn/dvc/chi-tiet?maThuTuc=1.000110.000.00.00.H01",
                "PortalLink 1.000110.000.00.00.H01 dichvucong.ninhbinh.gov.vn []",
            ),
            (
                "https://dichvucong.gov.vn/",
                "PortalLink - dichvucong.gov.vn []",
            ),
            (
                "https://dichvucong.gov.vn.evil.com/?ma_thu_tuc=1.001193",
                "Unsafe - dichvucong.gov.vn.evil.com [UntrustedHost]",
            ),
            (
                "https://evildichvucong.gov.vn/",
                "Unsafe - evildichvucong.gov.vn [UntrustedHost]",
            ),
            (
                "https://dichvucong.gov.vn@evil.com/",
                "Unsafe - evil.com [UntrustedHost,HiddenUser]",
            ),
            (
                "https://evil.com\\@dichvucong.gov.vn/",
                "Unsafe - evil.com [UntrustedHost]",
            ),
            (
                "http://dichvucong.gov.vn/?ma_thu_tuc=1.001193",
                "Unsafe - dichvucong.gov.vn [NotEncrypted]",
            ),
            (
                "https://dichvucong.gov.vn:8443/",
                "Unsafe - dichvucong.gov.vn [UnusualPort]",
            ),
            (
                "https://dịchvucong.gov.vn/",
                "Unsafe - xn--dchvucong-0k7d.gov.vn [UntrustedHost,LookAlikeHost,DisguisedLink]",
            ),
            (
                "https://xn--dichvucng-l6a.gov.vn/",
                "Unsafe - xn--dichvucng-l6a.gov.vn [UntrustedHost,LookAlikeHost]",
            ),
            (
                "https://%64ichvucong.gov.vn/",
                "Unsafe - dichvucong.gov.vn [DisguisedLink]",
            ),
            (
                "https://dichvucong。gov。vn/",
                "Unsafe - dichvucong.gov.vn [DisguisedLink]",
            ),
            ("https://bit.ly/3abcDEF", "Unsafe - bit.ly [Shortener]"),
            (
                "https://1.2.3.4/thu-tuc",
                "Unsafe - 1.2.3.4 [UntrustedHost,IpAddress]",
            ),
            ("https://[::1]/", "Unsafe - ::1 [UntrustedHost,IpAddress]"),
            ("javascript:alert(1)", "Unsafe - - [DangerousScheme]"),
            ("JaVaScRiPt:alert(1)", "Unsafe - - [DangerousScheme]"),
            (
                "data:text/html;base64,PHNjcmlwdD4=",
                "Unsafe - - [DangerousScheme]",
            ),
            (
                "intent://scan/#Intent;scheme=zxing;end",
                "Unsafe - - [DangerousScheme]",
            ),
            (
                "hxxps://dichvucong.gov.vn.evil.com/",
                "Unsafe - dichvucong.gov.vn.evil.com [DisguisedLink]",
            ),
            (
                "dichvucong.gov.vn/thu-tuc-hanh-chinh",
                "Unsafe - dichvucong.gov.vn [DisguisedLink]",
            ),
            (
                "www.dichvucong-gov.vn",
                "Unsafe - www.dichvucong-gov.vn [DisguisedLink]",
            ),
            ("https:/\\evil.com", "Unsafe - evil.com [UntrustedHost]"),
            ("https://", "Unsafe - - [DisguisedLink]"),
            (
                "MEBKM:TITLE:Dịch vụ công;URL:https\\://dichvucong.gov.vn/?ma_thu_tuc=1.001193;;",
                "PortalLink 1.001193 dichvucong.gov.vn []",
            ),
            (
                "MEBKM:URL:http\\://dichvucong.gov.vn.evil.com;;",
                "Unsafe - dichvucong.gov.vn.evil.com [UntrustedHost,NotEncrypted]",
            ),
            // Two links in one bookmark (one inside the title): scanners differ in which
            // they open, so neither is trusted.
            (
                "MEBKM:TITLE:URL:https://dichvucong.gov.vn/;URL:https\\://evil.example;;",
                "Unsafe - - [DisguisedLink]",
            ),
            (
                "MEBKM:URL:https\\://dichvucong.gov.vn/;TITLE:URL\\: https\\://evil.example;;",
                "Unsafe - - [DisguisedLink]",
            ),
            (
                "MEBKM:TITLE:x;URL:https://dichvucong.gov.vn/;URL:https://evil.example;;",
                "Unsafe - - [DisguisedLink]",
            ),
            (
                "MEBKM:TITLE:Cổng DVC\\; Ninh Bình;URL:https://dichvucong.ninhbinh.gov.vn/;;",
                "PortalLink - dichvucong.ninhbinh.gov.vn []",
            ),
            ("URLTO:https://bit.ly/x", "Unsafe - bit.ly [Shortener]"),
            // Browsers drop tabs and newlines anywhere in a link before reading its scheme.
            ("java\tscript:alert(1)", "Unsafe - - [DangerousScheme]"),
            (
                "\u{1}ja\nva\rscript:alert(1)",
                "Unsafe - - [DangerousScheme]",
            ),
            (
                "https://dichvu\ncong.gov.vn/?ma_thu_tuc=1.001193",
                "PortalLink 1.001193 dichvucong.gov.vn []",
            ),
            // The name in the text is not the host that opens, whatever else the text says.
            (
                "https://%64ichvucong.gov.vn/#dichvucong.gov.vn",
                "Unsafe - dichvucong.gov.vn [DisguisedLink]",
            ),
            (
                "https://dichvucong.gov.vn%2eevil.com/?dichvucong.gov.vn",
                "Unsafe - dichvucong.gov.vn.evil.com [UntrustedHost,DisguisedLink]",
            ),
            (
                "https://DichVuCong.Gov.VN./?ma_thu_tuc=1.001193",
                "PortalLink 1.001193 dichvucong.gov.vn. []",
            ),
            ("MEBKM:TITLE:no link;;", "Other - - []"),
            ("tel:+84912345678", "Other - - []"),
            ("WIFI:S:UBND;T:WPA;P:secret;;", "Other - - []"),
            ("Xin chào. Đây là bảng thủ tục", "Other - - []"),
            ("", "Other - - []"),
        ];
        let mut failures = Vec::new();
        for (text, expected) in cases {
            let got = describe(text);
            if got != expected {
                failures.push(format!(
                    "{text:?}\n   expected {expected}\n   got      {got}"
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn signed_fragment_is_only_checked_on_a_trusted_host() {
        let evil = classify(
            "https://evil.com/?ma_thu_tuc=1.001193#civic1.AAAA.BBBB",
            &trust(),
        );
        assert_eq!(evil.kind, ScanKind::Unsafe);
        assert!(evil.signature.is_none());
        let junk = classify(
            "https://dichvucong.gov.vn/?ma_thu_tuc=1.001193#civic2.AAAA.BBBB",
            &trust(),
        );
        assert_eq!(junk.kind, ScanKind::Signed);
        assert_eq!(
            junk.signature.map(|s| s.check),
            Some(SignatureCheck::Malformed)
        );
        let first_format = classify(
            "https://dichvucong.gov.vn/?ma_thu_tuc=1.001193#civic1.AAAA.BBBB",
            &trust(),
        );
        assert_eq!(
            first_format.signature.map(|s| s.check),
            Some(SignatureCheck::Unverifiable)
        );
        assert!(!classify("https://dichvucong.gov.vn/#other", &trust()).verified());
    }

    #[test]
    fn oversized_text_is_just_text() {
        let long = format!("https://dichvucong.gov.vn/?q={}", "a".repeat(MAX_TEXT));
        assert_eq!(classify(&long, &trust()).kind, ScanKind::Other);
    }
}
