//! Finding and reading QR codes in photos and camera frames (rxing, a port of ZXing).
//!
//! One pass rarely reads every real photo: the local-threshold binarizer at full size reads
//! most; at half size it also reads codes printed with thick, blurred modules and the outer
//! code of a code-inside-a-code; when both found nothing, the global-histogram binarizer
//! reads some evenly lit photos the others miss. Texts from all passes are merged; QR error correction makes a misread
//! text practically impossible, so merging adds codes, not errors.

use std::collections::HashSet;
use std::io::Cursor;

use rxing::common::{GlobalHistogramBinarizer, HybridBinarizer};
use rxing::multi::{GenericMultipleBarcodeReader, MultipleBarcodeReader};
use rxing::{
    BarcodeFormat, BinaryBitmap, DecodeHintValue, DecodeHints, Luma8LuminanceSource,
    MultiUseMultiFormatReader,
};

use crate::error::DecodeError;

/// Largest side accepted, so a hostile file cannot make us allocate gigabytes.
pub const MAX_SIDE: u32 = 10_000;
/// Most pixels accepted, read from the header before anything is allocated: a 48-megapixel
/// phone photo passes, a 10,000 × 10,000 image (a few hundred KB as PNG) does not.
pub const MAX_PIXELS: u64 = 50_000_000;
/// Decoded colour images take up to 3 bytes a pixel.
const MAX_DECODED_BYTES: u64 = 3 * MAX_PIXELS;
/// The passes work on at most this many pixels: a larger photo is halved first (a code in
/// a photo spans hundreds of pixels, halving keeps it readable and the passes' copies small).
const MAX_WORKING_PIXELS: u64 = 16_000_000;
/// Below this the half-size pass has too few pixels per module to help.
const MIN_SIDE_FOR_HALF: u32 = 160;

/// Every QR code text in a PNG or JPEG image, in the order found.
pub fn decode_image(bytes: &[u8]) -> Result<Vec<String>, DecodeError> {
    let (luma, width, height) = load_luma(bytes)?;
    decode_luma(&luma, width, height)
}

/// A camera frame the webview encoded as PNG or JPEG: the quick path of [`decode_frame`].
pub fn decode_camera_image(bytes: &[u8]) -> Result<Vec<String>, DecodeError> {
    let (luma, width, height) = load_luma(bytes)?;
    decode_frame(&luma, width, height)
}

fn too_large(width: u32, height: u32) -> DecodeError {
    DecodeError::TooLarge {
        width,
        height,
        max: MAX_SIDE,
        max_megapixels: MAX_PIXELS / 1_000_000,
    }
}

fn within_limits(width: u32, height: u32) -> bool {
    width <= MAX_SIDE && height <= MAX_SIDE && u64::from(width) * u64::from(height) <= MAX_PIXELS
}

/// The image's brightness, halved until it is within [`MAX_WORKING_PIXELS`].
fn load_luma(bytes: &[u8]) -> Result<(Vec<u8>, u32, u32), DecodeError> {
    // The header alone first, so a hostile size is refused before anything is allocated.
    let (width, height) = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .and_then(|r| r.into_dimensions().map_err(std::io::Error::other))
        .map_err(|e| DecodeError::Image(e.to_string()))?;
    if !within_limits(width, height) {
        return Err(too_large(width, height));
    }
    let image = reader(bytes)?
        .decode()
        .map_err(|e| DecodeError::Image(e.to_string()))?;
    // `into_luma8` keeps a grayscale image's buffer instead of copying it.
    let luma = image.into_luma8();
    let (mut width, mut height) = luma.dimensions();
    let mut pixels = luma.into_raw();
    while u64::from(width) * u64::from(height) > MAX_WORKING_PIXELS {
        (pixels, width, height) = half_size(&pixels, width, height);
    }
    Ok((pixels, width, height))
}

fn reader(bytes: &[u8]) -> Result<image::ImageReader<Cursor<&[u8]>>, DecodeError> {
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| DecodeError::Image(e.to_string()))?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    reader.limits(limits);
    Ok(reader)
}

/// Every QR code text in a grayscale frame (one brightness byte per pixel, row by row), as a
/// camera delivers it.
pub fn decode_luma(luma: &[u8], width: u32, height: u32) -> Result<Vec<String>, DecodeError> {
    check_frame(luma, width, height)?;
    let half = (width.min(height) >= MIN_SIDE_FOR_HALF).then(|| half_size(luma, width, height));
    let mut found = Found::default();
    found.add(read(
        luma.to_vec(),
        width,
        height,
        Binarizer::Hybrid,
        Effort::Thorough,
    ));
    if let Some((pixels, w, h)) = half {
        found.add(read(pixels, w, h, Binarizer::Hybrid, Effort::Thorough));
    }
    // Only when nothing was read: evenly lit photos the local thresholds break up. (A fourth
    // pass, global at half size, read qrcode-2/13.png as a text one word off the expected one:
    // a misread, so it is not done.)
    if found.texts.is_empty() {
        found.add(read(
            luma.to_vec(),
            width,
            height,
            Binarizer::GlobalHistogram,
            Effort::Thorough,
        ));
    }
    Ok(found.texts)
}

/// The live-camera path: one quick pass at half size (a code held up to a camera fills a
/// good part of the frame), then one at full size if that found nothing. A code missed in
/// one frame is read in the next, so frames trade thoroughness for staying within a frame
/// interval; photos get every pass of [`decode_luma`].
pub fn decode_frame(luma: &[u8], width: u32, height: u32) -> Result<Vec<String>, DecodeError> {
    check_frame(luma, width, height)?;
    let mut found = Found::default();
    if width.min(height) >= 2 * MIN_SIDE_FOR_HALF {
        let (half, w, h) = half_size(luma, width, height);
        found.add(read(half, w, h, Binarizer::Hybrid, Effort::Quick));
    }
    if found.texts.is_empty() {
        found.add(read(
            luma.to_vec(),
            width,
            height,
            Binarizer::Hybrid,
            Effort::Quick,
        ));
    }
    Ok(found.texts)
}

fn check_frame(luma: &[u8], width: u32, height: u32) -> Result<(), DecodeError> {
    let expected = width as usize * height as usize;
    if luma.len() != expected || width == 0 || height == 0 {
        return Err(DecodeError::FrameSize {
            width,
            height,
            expected,
            got: luma.len(),
        });
    }
    if !within_limits(width, height) {
        return Err(too_large(width, height));
    }
    Ok(())
}

#[derive(Default)]
struct Found {
    texts: Vec<String>,
    seen: HashSet<String>,
}

impl Found {
    fn add(&mut self, texts: Vec<String>) {
        for text in texts {
            if self.seen.insert(text.clone()) {
                self.texts.push(text);
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Effort {
    /// ZXing's "try harder": look for finder patterns on every row.
    Thorough,
    Quick,
}

#[derive(Clone, Copy)]
enum Binarizer {
    Hybrid,
    GlobalHistogram,
}

fn read(
    luma: Vec<u8>,
    width: u32,
    height: u32,
    binarizer: Binarizer,
    effort: Effort,
) -> Vec<String> {
    let hints = DecodeHints::default()
        .with(DecodeHintValue::TryHarder(effort == Effort::Thorough))
        .with(DecodeHintValue::AlsoInverted(true))
        .with(DecodeHintValue::PossibleFormats(
            [BarcodeFormat::QR_CODE].into_iter().collect(),
        ));
    let Ok(source) = Luma8LuminanceSource::new(luma, width, height) else {
        return Vec::new();
    };
    let mut reader = GenericMultipleBarcodeReader::new(MultiUseMultiFormatReader::default());
    let results = match binarizer {
        Binarizer::Hybrid => reader.decode_multiple_with_hints(
            &mut BinaryBitmap::new(HybridBinarizer::new(source)),
            &hints,
        ),
        Binarizer::GlobalHistogram => reader.decode_multiple_with_hints(
            &mut BinaryBitmap::new(GlobalHistogramBinarizer::new(source)),
            &hints,
        ),
    };
    // "Not found" is the common case for a camera frame, not an error.
    results
        .map(|all| {
            all.into_iter()
                .filter(|r| *r.getBarcodeFormat() == BarcodeFormat::QR_CODE)
                .map(|r| r.getText().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Averages 2×2 blocks.
fn half_size(luma: &[u8], width: u32, height: u32) -> (Vec<u8>, u32, u32) {
    let (w, h) = (width / 2, height / 2);
    let stride = width as usize;
    let mut out = Vec::with_capacity(w as usize * h as usize);
    for y in 0..h as usize {
        let top = &luma[2 * y * stride..];
        let bottom = &luma[(2 * y + 1) * stride..];
        for x in 0..w as usize {
            let sum = u16::from(top[2 * x])
                + u16::from(top[2 * x + 1])
                + u16::from(bottom[2 * x])
                + u16::from(bottom[2 * x + 1]);
            out.push((sum / 4) as u8);
        }
    }
    (out, w, h)
}

#[cfg(test)]
mod tests {
    use image::ImageEncoder as _;

    use super::*;

    #[test]
    fn damaged_and_wrong_inputs_are_clear_errors() {
        assert!(matches!(decode_image(b""), Err(DecodeError::Image(_))));
        assert!(matches!(
            decode_image(b"GIF89a not really"),
            Err(DecodeError::Image(_))
        ));
        let png = include_bytes!("../../../assets/icons/icon.png");
        assert!(
            decode_image(png).is_ok(),
            "a real PNG without a code is no error"
        );
        assert!(matches!(
            decode_image(&png[..png.len() / 2]),
            Err(DecodeError::Image(_))
        ));
        assert!(matches!(
            decode_luma(&[0; 10], 4, 4),
            Err(DecodeError::FrameSize { .. })
        ));
        assert!(matches!(
            decode_luma(&[], 0, 0),
            Err(DecodeError::FrameSize { .. })
        ));
    }

    /// A valid PNG header (and an empty image body) claiming `width`×`height` pixels.
    fn declared_png(width: u32, height: u32) -> Vec<u8> {
        let chunk = |name: &[u8], data: &[u8]| {
            let mut body = name.to_vec();
            body.extend_from_slice(data);
            let mut crc = flate2::Crc::new();
            crc.update(&body);
            let mut out = (data.len() as u32).to_be_bytes().to_vec();
            out.extend_from_slice(&body);
            out.extend_from_slice(&crc.sum().to_be_bytes());
            out
        };
        let mut header = width.to_be_bytes().to_vec();
        header.extend_from_slice(&height.to_be_bytes());
        header.extend_from_slice(&[8, 0, 0, 0, 0]);
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(chunk(b"IHDR", &header));
        png.extend(chunk(
            b"IDAT",
            &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
        ));
        png.extend(chunk(b"IEND", &[]));
        png
    }

    #[test]
    fn a_huge_declared_size_is_refused_before_decoding() {
        // A decompression bomb's first trick: a side beyond any photo.
        let bomb = decode_image(&declared_png(60_000, 60_000));
        assert!(
            matches!(bomb, Err(DecodeError::TooLarge { width: 60_000, .. })),
            "{bomb:?}"
        );
        // Sides within the limit, pixels not: 10,000 × 10,000 is 100 megapixels.
        for (width, height) in [(10_000, 10_000), (8_000, 7_000)] {
            let refused = decode_image(&declared_png(width, height));
            assert!(
                matches!(refused, Err(DecodeError::TooLarge { width: w, .. }) if w == width),
                "{refused:?}"
            );
        }
        assert!(matches!(
            decode_luma(&[], 10_000, 10_000),
            Err(DecodeError::FrameSize { .. })
        ));
    }

    /// A 36-megapixel photo is halved before the passes, and its code still reads.
    #[test]
    fn large_photos_are_halved_and_still_read() {
        let code =
            qrcode::QrCode::new("https://dichvucong.gov.vn/?ma_thu_tuc=1.001193").expect("a code");
        let modules = code.width() as u32;
        let side = 6_000u32;
        // The code fills the middle third, as when a board is photographed from a step away.
        let scale = side / 3 / (modules + 8);
        let offset = (side - scale * (modules + 8)) / 2 + 4 * scale;
        let colors = code.to_colors();
        let image = image::GrayImage::from_fn(side, side, |x, y| {
            let (mx, my) = (
                x.wrapping_sub(offset) / scale,
                y.wrapping_sub(offset) / scale,
            );
            let dark = mx < modules
                && my < modules
                && colors[(my * modules + mx) as usize] == qrcode::Color::Dark;
            image::Luma([if dark { 0 } else { 255 }])
        });
        let mut png = Vec::new();
        image::codecs::png::PngEncoder::new_with_quality(
            &mut png,
            image::codecs::png::CompressionType::Fast,
            image::codecs::png::FilterType::NoFilter,
        )
        .write_image(&image, side, side, image::ExtendedColorType::L8)
        .expect("png");
        let (_, width, height) = load_luma(&png).expect("loaded");
        assert!(u64::from(width) * u64::from(height) <= MAX_WORKING_PIXELS);
        assert_eq!((width, height), (side / 2, side / 2));
        assert_eq!(
            decode_image(&png).expect("decoded"),
            vec!["https://dichvucong.gov.vn/?ma_thu_tuc=1.001193".to_owned()]
        );
    }
}
