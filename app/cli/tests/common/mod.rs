//! Running the real `civic` binary, shared by the CLI suites.
#![allow(dead_code)] // each suite uses its own subset

use std::process::{Command, Output};

pub fn civic(data_dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_civic"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        // Only what a test passes decides the gateway.
        .env_remove("CIVIC_GATEWAY_URL")
        // The messages asserted are the Vietnamese ones, whatever this machine's locale.
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "vi_VN.UTF-8")
        .output()
        .expect("civic runs")
}

/// Standard output of a run that must succeed.
pub fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("utf-8")
}
