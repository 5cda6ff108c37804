//! Photos of a report, shared by the app (before a report is queued) and the gateway (on
//! upload): what arrives is untrusted. Its type is sniffed from its bytes (never a name or a
//! declared type), its size checked before anything is decoded (file size, then the
//! header's pixel count), then it is decoded, turned upright (EXIF orientation), shrunk to
//! at most [`MAX_SIDE`] px on the long side and re-encoded as JPEG, which drops EXIF (the
//! place and the phone) and anything hidden after the image. Pure: bytes in, bytes out.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use sha2::{Digest, Sha256};

/// The largest photo file taken.
pub const MAX_PHOTO_BYTES: usize = 12 * 1024 * 1024;
/// Photos are kept at most this many pixels on the long side.
pub const MAX_SIDE: u32 = 1_600;
/// Larger images are refused before decoding (a phone's camera is 12–50 MP).
pub const MAX_PIXELS: u64 = 64_000_000;
const JPEG_QUALITY: u8 = 85;
/// Previews are looked at, not kept: smaller files, same judgement.
const PREVIEW_QUALITY: u8 = 75;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PhotoError {
    #[error("photos must be JPEG or PNG")]
    Unsupported,
    #[error("the photo cannot be read (damaged or truncated)")]
    Unreadable,
    #[error("the photo is {bytes} bytes; at most {limit} are taken")]
    TooLarge { bytes: usize, limit: usize },
    #[error("the photo is {width} × {height} px, over {MAX_PIXELS} pixels")]
    TooManyPixels { width: u32, height: u32 },
}

impl PhotoError {
    pub fn code(&self) -> civic_types::error::ErrorCode {
        use civic_types::error::ErrorCode;
        match self {
            Self::Unsupported => ErrorCode::PhotoUnsupported,
            Self::Unreadable => ErrorCode::PhotoUnreadable,
            Self::TooLarge { .. } | Self::TooManyPixels { .. } => ErrorCode::PhotoTooLarge,
        }
    }
}

/// A photo ready to upload and its name, the SHA-256 of its JPEG: the same photo sent twice
/// is one photo.
#[derive(Clone, PartialEq, Eq)]
pub struct Photo {
    pub id: String,
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

impl std::fmt::Debug for Photo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Photo")
            .field("id", &self.id)
            .field("bytes", &self.jpeg.len())
            .field("width", &self.width)
            .field("height", &self.height)
            .finish()
    }
}

fn format_of(bytes: &[u8]) -> Result<ImageFormat, PhotoError> {
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(PhotoError::TooLarge {
            bytes: bytes.len(),
            limit: MAX_PHOTO_BYTES,
        });
    }
    match image::guess_format(bytes) {
        Ok(format @ (ImageFormat::Jpeg | ImageFormat::Png)) => Ok(format),
        _ => Err(PhotoError::Unsupported),
    }
}

/// Sniffs, checks, turns upright, shrinks and re-encodes a photo.
pub fn reencode(bytes: &[u8]) -> Result<Photo, PhotoError> {
    let (jpeg, width, height) = shrunk_jpeg(bytes, MAX_SIDE, JPEG_QUALITY)?;
    Ok(Photo {
        id: hex(&Sha256::digest(&jpeg)),
        width,
        height,
        jpeg,
    })
}

/// A small JPEG of a photo, at most `max_side` px on the long side, to show on screen (a
/// draft's photos, another resident's photo of the same pothole); checked like an upload.
pub fn preview(bytes: &[u8], max_side: u32) -> Result<Vec<u8>, PhotoError> {
    Ok(shrunk_jpeg(bytes, max_side, PREVIEW_QUALITY)?.0)
}

/// The photo decoded within the limits, upright, at most `max_side` px long, as JPEG.
fn shrunk_jpeg(
    bytes: &[u8],
    max_side: u32,
    quality: u8,
) -> Result<(Vec<u8>, u32, u32), PhotoError> {
    let format = format_of(bytes)?;
    let reader = || ImageReader::with_format(Cursor::new(bytes), format);
    let (width, height) = reader()
        .into_dimensions()
        .map_err(|_| PhotoError::Unreadable)?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PhotoError::TooManyPixels { width, height });
    }
    let mut reader = reader();
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 4);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| PhotoError::Unreadable)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|_| PhotoError::Unreadable)?;
    image.apply_orientation(orientation);
    if image.width().max(image.height()) > max_side {
        image = image.resize(max_side, max_side, image::imageops::FilterType::Triangle);
    }
    let rgb = image.to_rgb8();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, quality)
        .encode_image(&rgb)
        .map_err(|_| PhotoError::Unreadable)?;
    Ok((jpeg, rgb.width(), rgb.height()))
}

/// Where the photo was taken, from its EXIF GPS tags: `(lat, lon)` in degrees. Only asked
/// for when the resident agreed; the uploaded photo never carries it.
pub fn gps(bytes: &[u8]) -> Option<(f64, f64)> {
    format_of(bytes).ok()?;
    let exif = exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .ok()?;
    let degrees = |value_tag, reference_tag, negative: &[u8]| -> Option<f64> {
        let field = exif.get_field(value_tag, exif::In::PRIMARY)?;
        let exif::Value::Rational(parts) = &field.value else {
            return None;
        };
        let [d, m, s] = parts.get(..3)? else {
            return None;
        };
        let value = d.to_f64() + m.to_f64() / 60.0 + s.to_f64() / 3600.0;
        let reference = exif.get_field(reference_tag, exif::In::PRIMARY)?;
        let sign = match &reference.value {
            exif::Value::Ascii(text) if text.first().is_some_and(|t| t.starts_with(negative)) => {
                -1.0
            }
            _ => 1.0,
        };
        Some(sign * value).filter(|v| v.is_finite())
    };
    let lat = degrees(exif::Tag::GPSLatitude, exif::Tag::GPSLatitudeRef, b"S")?;
    let lon = degrees(exif::Tag::GPSLongitude, exif::Tag::GPSLongitudeRef, b"W")?;
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
}

/// Whether `id` could name a photo (64 lowercase hex digits).
pub fn is_photo_id(id: &str) -> bool {
    id.len() == 64 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
