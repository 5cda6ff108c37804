//! Helpers for tests that read the data set beside the project (`../shared/data`).
#![allow(dead_code, clippy::expect_used)]

use std::path::PathBuf;

/// `../shared/data` relative to the workspace root; tests may read it, the app never does.
pub fn data_dir() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = root.join("../shared/data");
    assert!(
        dir.is_dir(),
        "test data not found at {} (clone the project beside shared/)",
        dir.display()
    );
    dir
}
