//! QR decoding time, printed as p50/p95 (a benchmark, not a test: it asserts nothing).
//!
//! - every photo in `qr/zxing-qrcode-{1,2,5}` (file bytes → texts, PNG decoding included);
//! - 1280×720 camera-like frames: each photo scaled to 360 px high and placed on a lit,
//!   noisy background, as a phone held at arm's length sees a board; and empty frames
//!   (most frames a camera delivers hold no code, and "nothing found" is the slow path).
#![allow(clippy::expect_used, clippy::print_stdout, clippy::unwrap_used)]

use std::time::{Duration, Instant};

use civic_qr::{decode_frame, decode_image, decode_luma};

const FRAME_WIDTH: u32 = 1280;
const FRAME_HEIGHT: u32 = 720;

fn photos() -> Vec<Vec<u8>> {
    let root = civic_test_support::shared_data().join("qr");
    let mut files = Vec::new();
    for set in ["zxing-qrcode-1", "zxing-qrcode-2", "zxing-qrcode-5"] {
        for entry in std::fs::read_dir(root.join(set)).expect("QR data set") {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "png") {
                files.push(std::fs::read(path).unwrap());
            }
        }
    }
    files
}

/// A smooth light gradient with deterministic noise, like a wall under office lights.
fn background(seed: u32) -> image::GrayImage {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    image::GrayImage::from_fn(FRAME_WIDTH, FRAME_HEIGHT, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let base = 150 + (x * 60 / FRAME_WIDTH) + (y * 30 / FRAME_HEIGHT);
        image::Luma([(base + state % 24) as u8])
    })
}

fn frame_with(photo: &[u8], seed: u32) -> image::GrayImage {
    let luma = image::load_from_memory(photo).unwrap().to_luma8();
    let height = 360;
    let width = (luma.width() * height / luma.height()).min(FRAME_WIDTH);
    let scaled =
        image::imageops::resize(&luma, width, height, image::imageops::FilterType::Triangle);
    let mut frame = background(seed);
    image::imageops::overlay(
        &mut frame,
        &scaled,
        i64::from((FRAME_WIDTH - width) / 2),
        180,
    );
    frame
}

fn report(label: &str, mut times: Vec<Duration>, found: usize) {
    times.sort();
    let pick = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "{label:<48} n={:>3}  p50 {:>7.2} ms  p95 {:>7.2} ms  max {:>7.2} ms  found codes in {found}",
        times.len(),
        pick(0.50).as_secs_f64() * 1e3,
        pick(0.95).as_secs_f64() * 1e3,
        times.last().unwrap().as_secs_f64() * 1e3,
    );
}

fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let start = Instant::now();
    let out = f();
    (start.elapsed(), out)
}

fn main() {
    let photos = photos();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "QR decoding, {} photos, {threads} cores available, one thread",
        photos.len()
    );

    let mut times = Vec::new();
    let mut found = 0;
    for _ in 0..3 {
        for photo in &photos {
            let (elapsed, texts) = time(|| decode_image(photo).unwrap());
            times.push(elapsed);
            found += usize::from(!texts.is_empty());
        }
    }
    report("photo file (PNG decode + scan)", times, found / 3);

    let frames: Vec<image::GrayImage> = photos
        .iter()
        .enumerate()
        .map(|(i, p)| frame_with(p, i as u32))
        .collect();
    let empty: Vec<image::GrayImage> = (0..30).map(|i| background(1000 + i)).collect();
    type Decoder = fn(&[u8], u32, u32) -> Result<Vec<String>, civic_qr::DecodeError>;
    let paths: [(&str, Decoder); 2] = [
        ("camera path (decode_frame)", decode_frame),
        ("photo path (decode_luma)", decode_luma),
    ];
    for (path, decode) in paths {
        let mut times = Vec::new();
        let mut found = 0;
        for _ in 0..3 {
            for frame in &frames {
                let (elapsed, texts) =
                    time(|| decode(frame.as_raw(), FRAME_WIDTH, FRAME_HEIGHT).unwrap());
                times.push(elapsed);
                found += usize::from(!texts.is_empty());
            }
        }
        report(&format!("720p with a code, {path}"), times, found / 3);
        let mut times = Vec::new();
        let mut found = 0;
        for frame in &empty {
            let (elapsed, texts) =
                time(|| decode(frame.as_raw(), FRAME_WIDTH, FRAME_HEIGHT).unwrap());
            times.push(elapsed);
            found += usize::from(!texts.is_empty());
        }
        report(&format!("720p without a code, {path}"), times, found);
    }
}
