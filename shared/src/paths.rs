//! Where Civic keeps its files.

use std::path::PathBuf;

/// Overrides the data directory (tests, the WebDriver suite, portable installs).
pub const DATA_DIR_ENV: &str = "CIVIC_DATA_DIR";
pub const CATALOG_FILE: &str = "catalog.sqlite3";

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
