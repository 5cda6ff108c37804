//! Compiles in every Fluent file of each locale folder (`assets/locales/<lang>/*.ftl`), so a
//! feature's messages are found by adding its file, not by listing it anywhere.
#![allow(clippy::print_stdout)] // cargo reads a build script's directives from stdout

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let locales = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/locales");
    println!("cargo:rerun-if-changed={}", locales.display());
    let mut out = String::new();
    for lang in ["vi", "en"] {
        let folder = locales.join(lang);
        println!("cargo:rerun-if-changed={}", folder.display());
        let mut files: Vec<_> = std::fs::read_dir(&folder)
            .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == "ftl"))
            .collect();
        files.sort();
        let _ = writeln!(out, "pub const {}: &[&str] = &[", lang.to_uppercase());
        for file in files {
            let _ = writeln!(out, "    include_str!({:?}),", file.display().to_string());
        }
        let _ = writeln!(out, "];");
    }
    let target =
        Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("locales.rs");
    if let Err(e) = std::fs::write(&target, out) {
        panic!("{}: {e}", target.display());
    }
}
