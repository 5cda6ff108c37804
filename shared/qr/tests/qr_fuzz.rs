//! Arbitrary input against the QR payload parser and the image decoder: answers or clear
//! errors, never a panic or a hang; and no look-alike host is ever trusted.
#![allow(clippy::expect_used)]

use civic_qr::{Trust, check_fragment, classify, decode_image, decode_luma, within_domain};
use civic_types::qr::ScanKind;
use proptest::prelude::*;

fn trust() -> Trust {
    Trust::new(Some(&civic_types::qr::QrPolicy {
        trusted_domains: vec!["ninhbinh.gov.vn".into()],
        signing_keys: vec![],
    }))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_classify(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let text = String::from_utf8_lossy(&bytes);
        let classified = classify(&text, &trust());
        if classified.kind == ScanKind::Unsafe {
            prop_assert!(!classified.warnings.is_empty(), "an unsafe verdict always says why");
        }
    }

    #[test]
    fn link_shaped_text_classifies(
        scheme in prop_oneof![Just("https://"), Just("http://"), Just("HTTPS://"), Just(""), Just("hxxps://"), Just("javascript:")],
        user in prop_oneof![Just(""), Just("dichvucong.gov.vn@"), Just("a:b@")],
        host in "[a-z0-9.\\-]{0,30}",
        tail in "[ -~]{0,60}",
        fragment in prop_oneof![Just(String::new()), "#civic[12]\\.[A-Za-z0-9_\\-.]{0,120}"],
    ) {
        let text = format!("{scheme}{user}{host}{tail}{fragment}");
        let classified = classify(&text, &trust());
        if matches!(classified.kind, ScanKind::PortalLink | ScanKind::Signed) {
            let host = classified.host.clone().expect("a link has a host");
            prop_assert!(trust().is_trusted_host(&host), "{text:?} trusted {host}");
            prop_assert!(text.to_ascii_lowercase().starts_with("https://"), "{text:?}");
            prop_assert!(!classified.verified(), "no random text carries a valid signature");
        }
    }

    /// Whatever is put around a trusted name, only a real subdomain is trusted.
    #[test]
    fn look_alike_hosts_are_never_trusted(prefix in "[a-z0-9\\-]{1,12}", suffix in "[a-z0-9\\-]{1,12}") {
        let text = format!("https://dichvucong.gov.vn.{suffix}.com/?ma_thu_tuc=1.001193");
        prop_assert_eq!(classify(&text, &trust()).kind, ScanKind::Unsafe);
        let glued = format!("https://{prefix}dichvucong.gov.vn/");
        prop_assert_eq!(classify(&glued, &trust()).kind, ScanKind::Unsafe);
        let subdomain = format!("{prefix}.dichvucong.gov.vn");
        prop_assert!(within_domain(&subdomain, "dichvucong.gov.vn"));
    }

    /// However a link is dressed (escapes, tabs, `user@`, backslashes, a bookmark with a
    /// second link), "portal link" means every way a scanner or browser could read it opens
    /// a trusted host over https.
    #[test]
    fn a_portal_link_opens_a_trusted_host_in_any_reading(
        wrapper in 0..3u8,
        scheme in prop_oneof![Just("https://"), Just("HTTPS://"), Just("https:\\\\"), Just("https:/"), Just("ht\ttps://"), Just("http://"), Just("java\tscript:")],
        user in prop_oneof![Just(""), Just("dichvucong.gov.vn@"), Just("x\\@")],
        host in prop_oneof![
            Just("dichvucong.gov.vn"), Just("%64ichvucong.gov.vn"), Just("evil.example"),
            Just("dichvucong.gov.vn.evil.example"), Just("a.ninhbinh.gov.vn"),
            Just("dichvucong%2egov.vn"), Just("dichvu\ncong.gov.vn"), Just("ninhbinh.gov.vn.")
        ],
        tail in "[ -~]{0,40}",
        second in prop_oneof![Just(""), Just("https://evil.example/"), Just("https://dichvucong.gov.vn/")],
    ) {
        let link = format!("{scheme}{user}{host}{tail}");
        let text = match wrapper {
            0 => link,
            1 => format!("MEBKM:TITLE:{tail};URL:{link};URL:{second};;"),
            _ => format!("MEBKM:TITLE:URL:{second};URL:{link};;"),
        };
        let classified = classify(&text, &trust());
        if matches!(classified.kind, ScanKind::PortalLink | ScanKind::Signed) {
            let readings = readings(&text);
            prop_assert!(!readings.is_empty(), "{text:?}");
            for reading in readings {
                if let Ok(url) = url::Url::parse(reading.trim()) {
                    let opened = url.host_str().unwrap_or_default().to_owned();
                    prop_assert_eq!(url.scheme(), "https", "{:?}", text);
                    prop_assert!(trust().is_trusted_host(&opened), "{text:?} opens {opened}");
                }
            }
        }
    }

    #[test]
    fn any_fragment_checks(fragment in "civic[12]\\.[ -~]{0,200}", link in "https://[ -~]{0,60}") {
        let checked = check_fragment(&fragment, &link, &trust());
        prop_assert_ne!(checked.check, civic_types::qr::SignatureCheck::Verified);
    }
}

/// Every link a lenient scanner could take from `text`: each `URL:` field of a bookmark
/// (escapes dropped, up to the next `;`), or the text itself.
fn readings(text: &str) -> Vec<String> {
    let Some(body) = text.strip_prefix("MEBKM:") else {
        return vec![text.to_owned()];
    };
    let unescaped = body.replace("\\:", ":").replace("\\;", "\u{0}");
    unescaped
        .match_indices("URL:")
        .map(|(at, _)| {
            let value = &unescaped[at + 4..];
            value
                .split(';')
                .next()
                .unwrap_or_default()
                .replace('\u{0}', ";")
        })
        .filter(|value| !value.is_empty())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_decode_or_fail_cleanly(bytes in proptest::collection::vec(any::<u8>(), 0..2_000)) {
        let _ = decode_image(&bytes);
    }

    /// A real photo with bytes flipped or cut: no panic (the PNG decoder's checks, then ours).
    #[test]
    fn damaged_photos_decode_or_fail_cleanly(
        cut in 0usize..20_000,
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..12),
    ) {
        let mut bytes = include_bytes!("../../../../shared/data/qr/zxing-qrcode-1/1.png").to_vec();
        for (index, value) in flips {
            let at = index.index(bytes.len());
            bytes[at] = value;
        }
        bytes.truncate(bytes.len().saturating_sub(cut));
        let _ = decode_image(&bytes);
    }

    #[test]
    fn noise_frames_decode_or_fail_cleanly(seed in any::<u64>(), width in 1u32..200, height in 1u32..200) {
        let mut state = seed | 1;
        let luma: Vec<u8> = (0..width * height).map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 56) as u8
        }).collect();
        prop_assert!(decode_luma(&luma, width, height).is_ok());
    }
}
