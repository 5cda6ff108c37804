//! `civic parking`: the payment code as banks read it, a stay's fee under the shipped
//! tariffs, plates; refusals in Vietnamese.
#![allow(clippy::expect_used)]

use std::process::{Command, Output};

fn civic(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_civic"))
        .args(args)
        .env("LANG", "vi_VN.UTF-8")
        .output()
        .expect("civic runs")
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A shipped city profile: its tariff is the one used.
fn tariff(name: &str) -> String {
    format!(
        "{}/../../assets/cities/{name}.toml",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn vietqr_prints_the_payload_and_draws_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let png = dir.path().join("pay.png");
    let out = civic(&[
        "parking",
        "vietqr",
        "--bin",
        "970415",
        "--account",
        "0011001932418",
        "--amount",
        "120000",
        "--ref",
        "ung ho lu lut",
        "--out",
        &png.display().to_string(),
    ]);
    // Byte for byte what subiz/vietqr's README gives for the same transfer.
    assert_eq!(
        stdout(&out).trim(),
        "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA530370454061200005802VN62170813ung ho lu lut6304C15C"
    );
    let image = std::fs::read(&png).expect("the PNG");
    let read = civic_core::qr::decode_image(&image).expect("it scans");
    assert_eq!(read[0], stdout(&out).trim());
    let refused = civic(&[
        "parking",
        "vietqr",
        "--bin",
        "9704",
        "--account",
        "1",
        "--amount",
        "1",
        "--ref",
        "x",
    ]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("Thông tin thanh toán không hợp lệ"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
}

#[test]
fn fee_under_the_shipped_tariffs() {
    let out = civic(&[
        "parking",
        "fee",
        "--tariff",
        &tariff("da-nang"),
        "--vehicle",
        "motorbike",
        "--from",
        "2026-12-07T21:00",
        "--to",
        "2026-12-07T23:00",
        "--json",
    ]);
    let fee: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(fee["total"], 9_000);
    assert_eq!(fee["parts"][1]["period"], "night");
    let out = civic(&[
        "parking",
        "fee",
        "--tariff",
        &tariff("ha-noi"),
        "--vehicle",
        "car",
        "--from",
        "2026-12-07T08:00",
        "--to",
        "2026-12-07T12:30",
    ]);
    assert!(stdout(&out).contains("Tổng (total): 135000 đ"));
    let out = civic(&[
        "parking",
        "fee",
        "--tariff",
        &tariff("ha-noi"),
        "--vehicle",
        "bicycle",
        "--from",
        "2026-12-07T08:00",
        "--to",
        "2026-12-07T09:00",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("không có giá cho loại xe này"));
}

#[test]
fn plates_as_read() {
    assert!(
        stdout(&civic(&["parking", "plate", "43a 12345"]))
            .starts_with("43A-123.45  (Ô tô đến 16 chỗ")
    );
    assert!(
        stdout(&civic(&["parking", "plate", "29b1 23456"])).starts_with("29-B1 234.56  (Xe máy")
    );
    let out = civic(&["parking", "plate", "ABC"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Biển số không đúng dạng"));
}
