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

/// [`civic`] for commands that keep nothing: a data folder of their own, thrown away.
pub fn civic_anywhere(args: &[&str]) -> Output {
    let dir = tempfile::tempdir().expect("tempdir");
    civic(dir.path(), args)
}

/// What a run that must succeed printed, read as JSON.
pub fn json_in(data_dir: &std::path::Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&stdout(&civic(data_dir, args))).expect("JSON")
}

/// [`json_in`] with a throwaway data folder.
pub fn json(args: &[&str]) -> serde_json::Value {
    let dir = tempfile::tempdir().expect("tempdir");
    json_in(dir.path(), args)
}
