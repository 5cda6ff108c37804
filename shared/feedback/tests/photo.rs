//! Report photos: shrunk, upright, re-encoded without EXIF; hostile files refused before
//! decoding; GPS read only where asked.
#![allow(clippy::expect_used)] // tests: a failure is a failed test

use std::io::Cursor;

use civic_feedback::photo::{self, MAX_PHOTO_BYTES, PhotoError};
use image::ImageFormat;
use proptest::prelude::*;

fn encoded(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        // Left half red, right half blue: orientation shows.
        if x < width / 2 {
            image::Rgb([220, 30, 30])
        } else {
            image::Rgb([30, 30, 220 - (y % 20) as u8])
        }
    });
    let mut out = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut out), format)
        .expect("encode");
    out
}

/// `jpeg` with an APP1 Exif segment holding `fields`.
fn with_exif(jpeg: &[u8], fields: &[exif::Field]) -> Vec<u8> {
    let mut writer = exif::experimental::Writer::new();
    for field in fields {
        writer.push_field(field);
    }
    let mut tiff = Cursor::new(Vec::new());
    writer.write(&mut tiff, false).expect("exif");
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend_from_slice(&tiff.into_inner());
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(
        &u16::try_from(payload.len() + 2)
            .expect("short")
            .to_be_bytes(),
    );
    out.extend_from_slice(&payload);
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn rational(values: &[(u32, u32)]) -> exif::Value {
    exif::Value::Rational(
        values
            .iter()
            .map(|&(num, denom)| exif::Rational { num, denom })
            .collect(),
    )
}

fn gps_fields(south: bool) -> Vec<exif::Field> {
    let field = |tag, value| exif::Field {
        tag,
        ifd_num: exif::In::PRIMARY,
        value,
    };
    vec![
        field(
            exif::Tag::GPSLatitudeRef,
            exif::Value::Ascii(vec![if south { b"S".to_vec() } else { b"N".to_vec() }]),
        ),
        // 16° 3' 15.84" N = 16.0544
        field(
            exif::Tag::GPSLatitude,
            rational(&[(16, 1), (3, 1), (1584, 100)]),
        ),
        field(
            exif::Tag::GPSLongitudeRef,
            exif::Value::Ascii(vec![b"E".to_vec()]),
        ),
        // 108° 12' 7.92" E = 108.2022
        field(
            exif::Tag::GPSLongitude,
            rational(&[(108, 1), (12, 1), (792, 100)]),
        ),
    ]
}

#[test]
fn large_photos_are_shrunk_and_become_jpeg() {
    let photo = photo::reencode(&encoded(3_200, 1_000, ImageFormat::Png)).expect("a photo");
    assert_eq!((photo.width, photo.height), (1_600, 500));
    assert_eq!(
        image::guess_format(&photo.jpeg).ok(),
        Some(ImageFormat::Jpeg)
    );
    assert!(photo::is_photo_id(&photo.id));
    let small = photo::reencode(&encoded(640, 480, ImageFormat::Jpeg)).expect("a photo");
    assert_eq!((small.width, small.height), (640, 480));
    // The same photo is the same id: a retried upload is one photo.
    assert_eq!(
        photo::reencode(&encoded(640, 480, ImageFormat::Jpeg))
            .expect("again")
            .id,
        small.id
    );
}

#[test]
fn gps_is_read_when_asked_and_never_survives() {
    let jpeg = encoded(64, 48, ImageFormat::Jpeg);
    let tagged = with_exif(&jpeg, &gps_fields(false));
    let (lat, lon) = photo::gps(&tagged).expect("a position");
    assert!(
        (lat - 16.0544).abs() < 1e-6 && (lon - 108.2022).abs() < 1e-6,
        "{lat} {lon}"
    );
    let (south, _) = photo::gps(&with_exif(&jpeg, &gps_fields(true))).expect("a position");
    assert!(south < 0.0);
    assert_eq!(photo::gps(&jpeg), None, "no EXIF, no position");

    let cleaned = photo::reencode(&tagged).expect("a photo");
    assert_eq!(photo::gps(&cleaned.jpeg), None);
    let text = String::from_utf8_lossy(&cleaned.jpeg);
    assert!(!text.contains("Exif"), "EXIF dropped");
}

#[test]
fn a_photo_taken_sideways_is_turned_upright() {
    // 80 × 40, red on the left; EXIF orientation 6 (rotate 90° clockwise to view).
    let jpeg = encoded(80, 40, ImageFormat::Jpeg);
    let sideways = with_exif(
        &jpeg,
        &[exif::Field {
            tag: exif::Tag::Orientation,
            ifd_num: exif::In::PRIMARY,
            value: exif::Value::Short(vec![6]),
        }],
    );
    let photo = photo::reencode(&sideways).expect("a photo");
    assert_eq!((photo.width, photo.height), (40, 80));
    let upright = image::load_from_memory(&photo.jpeg)
        .expect("decode")
        .to_rgb8();
    // Rotated clockwise, the red left half is now on top.
    assert!(
        upright.get_pixel(20, 5)[0] > 150,
        "{:?}",
        upright.get_pixel(20, 5)
    );
    assert!(
        upright.get_pixel(20, 75)[2] > 150,
        "{:?}",
        upright.get_pixel(20, 75)
    );
}

#[test]
fn what_is_not_a_photo_is_refused_before_decoding() {
    assert_eq!(
        photo::reencode(b"<svg onload=alert(1)>"),
        Err(PhotoError::Unsupported)
    );
    assert_eq!(photo::reencode(b"GIF89a...."), Err(PhotoError::Unsupported));
    assert_eq!(photo::reencode(b""), Err(PhotoError::Unsupported));
    let whole = encoded(64, 64, ImageFormat::Png);
    assert_eq!(
        photo::reencode(&whole[..whole.len() / 2]),
        Err(PhotoError::Unreadable)
    );
    // A PNG header claiming 100,000 × 100,000 px.
    let mut huge = encoded(1, 1, ImageFormat::Png);
    huge[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    huge[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    assert!(matches!(
        photo::reencode(&huge),
        Err(PhotoError::TooManyPixels { .. } | PhotoError::Unreadable)
    ));
    let mut too_big = encoded(8, 8, ImageFormat::Png);
    too_big.resize(MAX_PHOTO_BYTES + 1, 0);
    assert!(matches!(
        photo::reencode(&too_big),
        Err(PhotoError::TooLarge { .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn any_bytes_get_an_answer(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = photo::reencode(&bytes);
        let _ = photo::gps(&bytes);
    }

    #[test]
    fn damaged_photos_get_an_answer(cut in 0usize..2000, flip in 0usize..2000, byte in any::<u8>()) {
        let mut jpeg = encoded(48, 32, ImageFormat::Jpeg);
        let at = flip % jpeg.len();
        jpeg[at] = byte;
        jpeg.truncate(jpeg.len() - cut.min(jpeg.len()));
        let _ = photo::reencode(&jpeg);
    }
}
