//! Photos residents attach. What arrives is untrusted: its type is sniffed from its bytes
//! (never the declared type or name), its size read from the header before any pixel is
//! decoded, then it is decoded, shrunk to at most [`MAX_SIDE`] px and re-encoded as JPEG,
//! which also drops EXIF (the place a photo was taken) and anything hidden after the image.

use std::io::Cursor;

use image::{ImageFormat, ImageReader};
use sha2::{Digest, Sha256};

use super::report::Problem;

/// The largest upload accepted, on the wire.
pub const MAX_UPLOAD_BYTES: usize = 12 * 1024 * 1024;
/// Photos are kept at most this many pixels on the long side.
pub const MAX_SIDE: u32 = 1_600;
/// Larger images are refused before decoding (a phone's camera is 12–50 MP).
const MAX_PIXELS: u64 = 64_000_000;

/// A re-encoded photo and its name, the SHA-256 of the JPEG served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    pub id: String,
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

fn unsupported() -> Problem {
    Problem::new(
        415,
        "Ảnh phải là JPEG hoặc PNG.",
        "Photos must be JPEG or PNG.",
    )
}

/// Sniffs, checks, shrinks and re-encodes an uploaded photo.
pub fn reencode(bytes: &[u8]) -> Result<Photo, Problem> {
    let format = image::guess_format(bytes).map_err(|_| unsupported())?;
    if !matches!(format, ImageFormat::Jpeg | ImageFormat::Png) {
        return Err(unsupported());
    }
    let unreadable = || {
        Problem::new(
            400,
            "Không đọc được ảnh (tệp hỏng hoặc không đầy đủ).",
            "The photo cannot be read (damaged or truncated).",
        )
    };
    let reader = || ImageReader::with_format(Cursor::new(bytes), format);
    let (width, height) = reader().into_dimensions().map_err(|_| unreadable())?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(Problem::new(
            413,
            "Ảnh quá lớn (trên 64 megapixel).",
            "The photo is over 64 megapixels.",
        ));
    }
    let mut decoder = reader();
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 4);
    decoder.limits(limits);
    let image = decoder.decode().map_err(|_| unreadable())?;
    let image = if width.max(height) > MAX_SIDE {
        image.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::Triangle)
    } else {
        image
    };
    let rgb = image.to_rgb8();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85)
        .encode_image(&rgb)
        .map_err(|_| unreadable())?;
    Ok(Photo {
        id: crate::hex(&Sha256::digest(&jpeg)),
        width: rgb.width(),
        height: rgb.height(),
        jpeg,
    })
}

/// Whether `id` could name a stored photo (64 lowercase hex digits).
pub fn is_photo_id(id: &str) -> bool {
    id.len() == 64 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut out = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .expect("encode");
        out
    }

    #[test]
    fn large_photos_are_shrunk_and_become_jpeg() {
        let photo = reencode(&png(3_200, 1_000)).expect("a photo");
        assert_eq!((photo.width, photo.height), (1_600, 500));
        assert_eq!(image::guess_format(&photo.jpeg).ok(), Some(ImageFormat::Jpeg));
        assert!(is_photo_id(&photo.id));
        let small = reencode(&png(640, 480)).expect("a photo");
        assert_eq!((small.width, small.height), (640, 480));
    }

    #[test]
    fn exif_does_not_survive() {
        // A JPEG carrying an APP1 Exif segment with a GPS marker.
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new(&mut jpeg)
            .encode_image(&image::RgbImage::new(8, 8))
            .expect("encode");
        let exif = b"Exif\0\0GPSLatitude 16.0544";
        let mut with_exif = jpeg[..2].to_vec();
        with_exif.extend_from_slice(&[0xFF, 0xE1]);
        with_exif.extend_from_slice(&u16::try_from(exif.len() + 2).expect("short").to_be_bytes());
        with_exif.extend_from_slice(exif);
        with_exif.extend_from_slice(&jpeg[2..]);
        let photo = reencode(&with_exif).expect("a photo");
        let text = String::from_utf8_lossy(&photo.jpeg);
        assert!(!text.contains("GPSLatitude") && !text.contains("Exif"));
    }

    #[test]
    fn what_is_not_a_photo_is_refused_clearly() {
        assert_eq!(reencode(b"<svg onload=alert(1)>").map_err(|p| p.status), Err(415));
        assert_eq!(reencode(b"GIF89a....").map_err(|p| p.status), Err(415));
        let whole = png(64, 64);
        assert_eq!(reencode(&whole[..whole.len() / 2]).map_err(|p| p.status), Err(400));
        // A PNG header claiming 100,000 × 100,000 px: refused before decoding.
        let mut huge = png(1, 1);
        huge[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        huge[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        assert!(matches!(reencode(&huge).map_err(|p| p.status), Err(413 | 400)));
    }
}
