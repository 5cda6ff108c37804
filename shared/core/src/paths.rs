//! Where Civic keeps its files.

use std::path::PathBuf;

/// Overrides the data directory (tests, the WebDriver suite, portable installs).
pub const DATA_DIR_ENV: &str = "CIVIC_DATA_DIR";
pub const CATALOG_FILE: &str = "catalog.sqlite3";
/// The private key that signs this helper's QR boards (`civic qr keygen`), owner-readable only.
pub const SIGNING_KEY_FILE: &str = "qr-signing-key.pem";

/// `$CIVIC_DATA_DIR`, else the platform's per-user data directory
/// (`$XDG_DATA_HOME/civic` on Linux), else `./civic-data`.
pub fn data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share")));
    base.map_or_else(|| PathBuf::from("civic-data"), |b| b.join("civic"))
}

pub fn catalog_path() -> PathBuf {
    data_dir().join(CATALOG_FILE)
}

/// Overrides where the board signing key is (`cargo xtask run` points it at a demo key).
pub const SIGNING_KEY_ENV: &str = "CIVIC_SIGNING_KEY";

/// `$CIVIC_SIGNING_KEY`, else `qr-signing-key.pem` in `data_dir` (the app's data directory,
/// which the desktop host chooses itself).
pub fn signing_key_in(data_dir: &std::path::Path) -> PathBuf {
    std::env::var_os(SIGNING_KEY_ENV)
        .filter(|p| !p.is_empty())
        .map_or_else(|| data_dir.join(SIGNING_KEY_FILE), PathBuf::from)
}
