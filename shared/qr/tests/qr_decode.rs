//! Decoding real photos: the ZXing black-box sets, unrotated and turned 90°, 180°, 270°.
//!
//! The peer to beat is zxing-cpp 3.1.1: 20/20, 31/35 and 19/19 unrotated. A text that is not
//! the expected one counts as wrong unless it is a real second code in the photo, listed in
//! `OTHER_REAL_CODES` with the reason.
#![allow(clippy::expect_used, clippy::print_stdout)]

use std::path::{Path, PathBuf};

use civic_qr::decode_image;

/// (set, file) → a genuine extra code the photo holds besides the expected one.
const OTHER_REAL_CODES: &[(&str, &str, &str)] = &[(
    "zxing-qrcode-2",
    "16.png",
    // A "double QR": a small inner code printed inside the outer one.
    "[内側QRコード]\r\n\r\n*ダブルQR*\r\nhttp://d-qr.net/ex/",
)];

fn data_set(set: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = civic_test_support::shared_data().join("qr").join(set);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|png| {
            let expected =
                std::fs::read(png.with_extension("txt")).expect("expected text beside the photo");
            (png, expected)
        })
        .collect()
}

fn rotated_png(path: &Path, degrees: u32) -> Vec<u8> {
    let bytes = std::fs::read(path).expect("photo");
    if degrees == 0 {
        return bytes;
    }
    let image = image::load_from_memory(&bytes).expect("photo decodes");
    let image = match degrees {
        90 => image.rotate90(),
        180 => image.rotate180(),
        _ => image.rotate270(),
    };
    let mut out = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("encode");
    out.into_inner()
}

fn check_set(set: &str, peer: usize) {
    let files = data_set(set);
    let mut report = Vec::new();
    for degrees in [0, 90, 180, 270] {
        let mut decoded = 0;
        let mut wrong = Vec::new();
        for (png, expected) in &files {
            let texts = decode_image(&rotated_png(png, degrees)).expect("a readable image");
            let name = png.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if texts.iter().any(|t| t.as_bytes() == expected.as_slice()) {
                decoded += 1;
            }
            for text in &texts {
                let genuine = OTHER_REAL_CODES
                    .iter()
                    .any(|(s, f, t)| *s == set && *f == name && t == text);
                if text.as_bytes() != expected.as_slice() && !genuine {
                    wrong.push(format!("{name} at {degrees}°: {text:?}"));
                }
            }
        }
        println!(
            "{set} rotated {degrees:>3}°: decoded {decoded}/{} (zxing-cpp 3.1.1 unrotated: {peer})",
            files.len()
        );
        report.push((degrees, decoded, wrong));
    }
    for (degrees, decoded, wrong) in report {
        assert!(
            wrong.is_empty(),
            "{set} at {degrees}°: wrong texts {wrong:?}"
        );
        assert!(
            decoded >= peer,
            "{set} at {degrees}°: decoded {decoded}, the peer decodes {peer}"
        );
    }
}

#[test]
fn qrcode_1_matches_the_peer_at_every_rotation() {
    check_set("zxing-qrcode-1", 20);
}

#[test]
fn qrcode_2_matches_the_peer_at_every_rotation() {
    check_set("zxing-qrcode-2", 31);
}

#[test]
fn qrcode_5_matches_the_peer_at_every_rotation() {
    check_set("zxing-qrcode-5", 19);
}

/// The camera path on 1280×720 frames: each photo of set 1 scaled to 360 px high on a noisy
/// light background, as a phone at arm's length sees a board. It may miss a frame (the next
/// one is tried), but never reads a wrong text.
#[test]
fn camera_frames_read_quickly_and_never_wrongly() {
    use civic_qr::decode_frame;
    let mut read = 0;
    let files = data_set("zxing-qrcode-1");
    for (i, (png, expected)) in files.iter().enumerate() {
        let photo = image::open(png).expect("photo").to_luma8();
        let width = (photo.width() * 360 / photo.height()).min(1280);
        let scaled =
            image::imageops::resize(&photo, width, 360, image::imageops::FilterType::Triangle);
        let mut state = (i as u32 + 1).wrapping_mul(2_654_435_761) | 1;
        let mut frame = image::GrayImage::from_fn(1280, 720, |x, _| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            image::Luma([(160 + x * 50 / 1280 + state % 20) as u8])
        });
        image::imageops::overlay(&mut frame, &scaled, i64::from((1280 - width) / 2), 180);
        let texts = decode_frame(frame.as_raw(), 1280, 720).expect("a frame");
        assert!(
            texts.iter().all(|t| t.as_bytes() == expected.as_slice()),
            "{}: {texts:?}",
            png.display()
        );
        read += usize::from(!texts.is_empty());
    }
    println!("camera path: {read}/{} framed photos read", files.len());
    assert_eq!(
        read,
        files.len(),
        "the camera path reads every framed photo of this set"
    );
}
