//! What scanned codes mean, resolved against the real bundled catalog, and printed boards
//! read back from real renderings (PDF through poppler's `pdftoppm`, SVG through resvg).
#![allow(clippy::expect_used)]

use std::process::Command;

use civic_core::CatalogLookup;
use civic_core::catalog::{CatalogStore, Snapshot};
use civic_core::qr::{Board, BoardSigner, ImageSource, Trust, decode_image, resolve, scan_image};
use civic_types::{
    city::LocalizedText,
    qr::{QrPolicy, QrSigningKey, ScanKind, SignatureCheck, UnsafeReason},
};

fn store() -> CatalogStore {
    CatalogStore::in_memory(&Snapshot::bundled().expect("bundled")).expect("store")
}

fn trust_with(signer: &BoardSigner) -> Trust {
    Trust::new(Some(&QrPolicy {
        trusted_domains: vec!["ninhbinh.gov.vn".into()],
        signing_keys: vec![QrSigningKey {
            issuer: LocalizedText {
                vi: "UBND tỉnh Ninh Bình".into(),
                en: "Ninh Binh Provincial People's Committee".into(),
            },
            public_key: signer.public_key(),
        }],
    }))
}

#[test]
fn links_and_codes_resolve_offline() {
    let store = store();
    let trust = Trust::new(None);
    let birth = store
        .get("1.001193")
        .expect("get")
        .expect("birth registration");
    let portal = birth
        .portal_url
        .clone()
        .expect("the scrape has the portal page");

    let by_id = resolve(&portal, &CatalogLookup(&store), &trust).expect("resolve");
    assert_eq!(
        (by_id.kind, by_id.procedure.as_deref()),
        (ScanKind::PortalLink, Some("1.001193"))
    );
    assert_eq!(
        by_id.procedure_name.as_deref(),
        Some("Thủ tục đăng ký khai sinh")
    );

    let by_code = resolve("https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193", &CatalogLookup(&store), &trust).expect("resolve");
    assert_eq!(by_code.procedure.as_deref(), Some("1.001193"));
    assert!(!by_code.verified, "an unsigned link is never 'verified'");

    let variant =
        resolve("1.001193.000.00.00.H37", &CatalogLookup(&store), &trust).expect("resolve");
    assert_eq!(
        (
            variant.kind,
            variant.procedure.as_deref(),
            variant.variant.as_deref()
        ),
        (ScanKind::Code, Some("1.001193"), Some(".000.00.00.H37"))
    );

    let missing = resolve("9.999999", &CatalogLookup(&store), &trust).expect("resolve");
    assert_eq!(
        (missing.procedure, missing.unknown_code.as_deref()),
        (None, Some("9.999999"))
    );

    let unknown_page = resolve(
        "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/00000000-0000-0000-0000-000000000000",
        &CatalogLookup(&store),
        &trust,
    )
    .expect("resolve");
    assert_eq!(
        (unknown_page.kind, unknown_page.procedure),
        (ScanKind::PortalLink, None)
    );

    let fake = resolve(
        "https://dichvucong.gov.vn.evil.com/?ma_thu_tuc=1.001193",
        &CatalogLookup(&store),
        &trust,
    )
    .expect("resolve");
    assert_eq!(
        (fake.kind, fake.procedure, fake.host.as_deref()),
        (ScanKind::Unsafe, None, Some("dichvucong.gov.vn.evil.com"))
    );
    assert_eq!(fake.warnings, vec![UnsafeReason::UntrustedHost]);
}

#[test]
fn signed_codes_verify_and_tampering_shows() {
    let store = store();
    let signer = BoardSigner::generate().expect("key");
    let trust = trust_with(&signer);
    let board = Board::new(
        "UBND xã Xuân Hồng",
        &["1.001193".to_owned()],
        &CatalogLookup(&store),
        Some(&signer),
        "2026-11-23",
    )
    .expect("board");
    let link = &board.codes[0].link;

    let scanned = resolve(link, &CatalogLookup(&store), &trust).expect("resolve");
    assert_eq!(
        (scanned.kind, scanned.verified, scanned.procedure.as_deref()),
        (ScanKind::Signed, true, Some("1.001193"))
    );
    let by = scanned.signed_by.expect("signed by");
    assert_eq!(
        (
            by.office.as_str(),
            by.issuer.vi.as_str(),
            by.issued.as_str()
        ),
        ("UBND xã Xuân Hồng", "UBND tỉnh Ninh Bình", "2026-11-23")
    );

    // Without the city's key: unverified, still resolved.
    let other = resolve(link, &CatalogLookup(&store), &Trust::new(None)).expect("resolve");
    assert_eq!(
        (other.verified, other.signature),
        (false, Some(SignatureCheck::UnknownKey))
    );

    // The signed fragment moved onto another procedure's page: the link and claim disagree.
    let (_, fragment) = link.split_once('#').expect("fragment");
    let moved = format!(
        "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.000656#{fragment}"
    );
    let moved = resolve(&moved, &CatalogLookup(&store), &trust).expect("resolve");
    assert_eq!(
        (moved.verified, moved.signature),
        (false, Some(SignatureCheck::Tampered))
    );
    assert_eq!(
        moved.procedure.as_deref(),
        Some("1.000656"),
        "shown as the page it opens"
    );

    // The review's cases: a genuine fragment copied onto another trusted page, or the
    // signed link with a second code parameter, proves nothing about where it leads.
    for other in [
        "https://dichvucong.gov.vn/".to_owned(),
        "https://vneid.gov.vn/login".to_owned(),
        "https://any.ninhbinh.gov.vn/x.php".to_owned(),
        "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193&maThuTuc=1.000656".to_owned(),
        // The same page spelt differently is not the canonical form that was signed.
        link.split_once('#').expect("fragment").0.replace("https://dichvucong", "https://DichVuCong"),
    ] {
        let copied = resolve(&format!("{other}#{fragment}"), &CatalogLookup(&store), &trust)
            .expect("resolve");
        assert_eq!(
            (copied.verified, copied.signature, copied.signed_by),
            (false, Some(SignatureCheck::Tampered), None),
            "{other}"
        );
    }

    // And onto a look-alike host: unsafe before any signature is looked at.
    let evil = resolve(
        &link.replace("dichvucong.gov.vn", "dichvucong.gov.vn.evil.com"),
        &CatalogLookup(&store),
        &trust,
    )
    .expect("resolve");
    assert_eq!(
        (evil.kind, evil.verified, evil.signature),
        (ScanKind::Unsafe, false, None)
    );
}

#[test]
fn boards_refuse_bad_requests_with_reasons() {
    let store = store();
    let codes = |list: &[&str]| list.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>();
    let err = |title: &str, list: &[&str]| {
        Board::new(
            title,
            &codes(list),
            &CatalogLookup(&store),
            None,
            "2026-11-23",
        )
        .expect_err("refused")
        .to_string()
    };
    assert_eq!(
        err("UBND", &[]),
        "a board needs at least one procedure code"
    );
    assert_eq!(
        err("", &["1.001193"]),
        "the title must be 1 to 80 characters"
    );
    assert_eq!(
        err("UBND", &["abc"]),
        "abc is not a procedure code (like 1.001193)"
    );
    assert_eq!(
        err("UBND", &["9.999999"]),
        "procedure 9.999999 is not in the catalog"
    );
    assert_eq!(
        err("UBND", &["1.001193", "1.001193"]),
        "1.001193 is listed twice"
    );
    assert_eq!(
        err("UBND", &["1.001193"; 13]),
        "a board holds at most 12 procedures; make several boards"
    );
}

/// Real procedures for a board: the top results of a search a helper would type.
fn codes_for(store: &CatalogStore, query: &str, count: usize) -> Vec<String> {
    let request = civic_types::search::SearchRequest {
        query: query.into(),
        prefix: false,
        filters: Default::default(),
        limit: count as u32,
    };
    let codes: Vec<String> = store
        .search(&request)
        .expect("search")
        .hits
        .into_iter()
        .map(|hit| hit.code)
        .collect();
    assert_eq!(codes.len(), count, "{query}");
    codes
}

fn render_pdf_to_png(pdf: &[u8]) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("tempdir");
    let pdf_path = dir.path().join("board.pdf");
    std::fs::write(&pdf_path, pdf).expect("write pdf");
    // 150 dpi: a modest office printer's effective resolution for a phone photo of a board.
    let status = Command::new("pdftoppm")
        .args(["-r", "150", "-png", "-singlefile"])
        .arg(&pdf_path)
        .arg(dir.path().join("board"))
        .status()
        .expect("pdftoppm (Debian package poppler-utils, installed by `cargo xtask install`)");
    assert!(status.success(), "pdftoppm failed");
    std::fs::read(dir.path().join("board.png")).expect("rendered page")
}

fn render_svg_to_png(svg: &str) -> Vec<u8> {
    let tree =
        resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default()).expect("our SVG parses");
    let scale = 150.0 / 96.0; // usvg sizes in CSS pixels (96 per inch); render at 150 dpi
    let size = tree.size().to_int_size().scale_by(scale).expect("size");
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).expect("pixmap");
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().expect("png")
}

fn assert_board_reads_back(
    png: &[u8],
    board: &Board,
    store: &CatalogLookup<'_>,
    trust: &Trust,
    what: &str,
) {
    let report =
        scan_image(png, ImageSource::Photo, store, trust).expect("scan the rendered board");
    let mut read: Vec<String> = report
        .codes
        .iter()
        .inspect(|code| assert!(code.verified, "{what}: {code:?} not verified"))
        .filter_map(|code| code.procedure.clone())
        .collect();
    read.sort();
    let mut wanted: Vec<String> = board.codes.iter().map(|c| c.code.clone()).collect();
    wanted.sort();
    assert_eq!(
        read, wanted,
        "{what}: every code on the sheet reads back to its procedure"
    );
}

#[test]
fn printed_boards_read_back_from_pdf_and_svg() {
    let store = store();
    let signer = BoardSigner::generate().expect("key");
    let trust = trust_with(&signer);
    let six = codes_for(&store, "khai sinh", 6);
    let board = Board::new(
        "UBND xã Xuân Hồng, huyện Thọ Xuân",
        &six,
        &CatalogLookup(&store),
        Some(&signer),
        "2026-11-23",
    )
    .expect("board");

    let pdf = board.pdf().expect("pdf");
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    assert_board_reads_back(
        &render_pdf_to_png(&pdf),
        &board,
        &CatalogLookup(&store),
        &trust,
        "6-code PDF",
    );

    let svg = board.svg().expect("svg");
    assert!(!svg.contains("<text"), "text is drawn as outlines");
    assert_board_reads_back(
        &render_svg_to_png(&svg),
        &board,
        &CatalogLookup(&store),
        &trust,
        "6-code SVG",
    );

    // Twelve smaller codes (3 × 4) still read back from the PDF.
    let twelve = codes_for(&store, "đăng ký", 12);
    let big = Board::new(
        "UBND phường Đông Thành",
        &twelve,
        &CatalogLookup(&store),
        Some(&signer),
        "2026-11-23",
    )
    .expect("board");
    assert_board_reads_back(
        &render_pdf_to_png(&big.pdf().expect("pdf")),
        &big,
        &CatalogLookup(&store),
        &trust,
        "12-code PDF",
    );
}

#[test]
fn a_photo_without_codes_is_an_empty_scan_and_junk_is_an_error() {
    let store = store();
    let icon = include_bytes!("../../../assets/icons/icon.png");
    assert!(
        scan_image(
            icon,
            ImageSource::Photo,
            &CatalogLookup(&store),
            &Trust::new(None)
        )
        .expect("scan")
        .codes
        .is_empty()
    );
    assert!(decode_image(b"%PDF-1.7 not an image").is_err());
}
