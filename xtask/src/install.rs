//! Installs what the project needs and is missing. Root installs Debian packages itself;
//! anyone else is told the exact command and the task stops.

use std::process::Command;

use crate::util::{Result, cargo, output, root, run, target_dir};

/// Debian 12 / Ubuntu packages: the webview and its WebDriver, a virtual display, the
/// screenshot tool, a font with Vietnamese glyphs, the C toolchain for -sys crates, the
/// PostgreSQL server the gateway's tests run against, wrk for the gateway benchmark, and
/// poppler's `pdftoppm`, which renders printed QR boards back to pixels in the tests, and
/// the Secret Service the sign-in tests keep tokens in (gnome-keyring on a private D-Bus),
/// and brotli, which `cargo xtask sizes` measures the wasm bundle with as servers send it,
/// and `protoc`, which compiles the official GTFS-Realtime schema for prost at build time.
const DEBIAN_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "libwebkit2gtk-4.1-dev",
    "libgtk-3-dev",
    "librsvg2-dev",
    "webkit2gtk-driver",
    "xvfb",
    "xauth",
    "imagemagick",
    "fonts-dejavu-core",
    "postgresql",
    "wrk",
    "poppler-utils",
    "dbus-daemon",
    "dbus-bin",
    "gnome-keyring",
    "brotli",
    "protobuf-compiler",
];

const TAURI_DRIVER_VERSION: &str = "2.1.0";

pub fn all() -> Result {
    debian_packages()?;
    rust_components()?;
    wasm_target()?;
    wasm_bindgen_cli()?;
    tauri_driver()?;
    npm_packages()?;
    open311_client()?;
    Ok(())
}

/// The independent Open311 client the gateway's suite posts and reads with
/// (`tests/open311-client`: PyPI's `georeport` and `requests`, pinned), in a virtual
/// environment of its own under `target/`, made again when its requirements change.
pub fn open311_client() -> Result<std::path::PathBuf> {
    let requirements = root().join("tests/open311-client/requirements.txt");
    let venv = target_dir().join("open311-client");
    let python = venv.join("bin/python");
    let installed = venv.join("requirements.txt");
    let wanted = std::fs::read(&requirements)
        .map_err(|e| format!("cannot read {}: {e}", requirements.display()))?;
    if python.exists() && std::fs::read(&installed).ok().as_ref() == Some(&wanted) {
        return Ok(python);
    }
    let system = ["python3", "python"]
        .into_iter()
        .find(|p| output(Command::new(p).arg("--version")).is_some())
        .ok_or("Python 3 is needed for the independent Open311 client; install python3 and python3-venv")?;
    run(Command::new(system)
        .args(["-m", "venv", "--clear"])
        .arg(&venv))?;
    run(Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
        ])
        .arg(&requirements))?;
    std::fs::write(&installed, wanted)
        .map_err(|e| format!("cannot write {}: {e}", installed.display()))?;
    Ok(python)
}

/// The npm packages the tests use, at the versions in their committed lockfiles, run with
/// the machine's Node.js: the stand-in national eID provider (`tests/idp`: panva's
/// `oidc-provider`) and axe-core for the WebDriver suites' accessibility checks
/// (`tests/e2e`).
fn npm_packages() -> Result {
    if output(Command::new("node").arg("--version")).is_none() {
        return Err(
            "Node.js is needed for the test identity provider and axe-core; install nodejs and npm"
                .into(),
        );
    }
    for dir in ["tests/idp", "tests/e2e"] {
        let dir = root().join(dir);
        if installed_matches_lock(&dir) {
            continue;
        }
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir))?;
    }
    Ok(())
}

/// npm records the tree it installed in `node_modules/.package-lock.json`: reinstall only
/// when the committed lockfile is newer.
fn installed_matches_lock(dir: &std::path::Path) -> bool {
    let modified =
        |path: std::path::PathBuf| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    match (
        modified(dir.join("node_modules/.package-lock.json")),
        modified(dir.join("package-lock.json")),
    ) {
        (Some(installed), Some(locked)) => installed >= locked,
        _ => false,
    }
}

fn debian_packages() -> Result {
    if output(Command::new("dpkg-query").arg("--version")).is_none() {
        println!(
            "xtask: not a Debian-based system; install the equivalents of: {}",
            DEBIAN_PACKAGES.join(" ")
        );
        return Ok(());
    }
    let missing: Vec<&str> = DEBIAN_PACKAGES
        .iter()
        .copied()
        .filter(|package| {
            let status = output(Command::new("dpkg-query").args(["-W", "-f=${Status}", package]));
            !status.is_some_and(|s| s.contains("install ok installed"))
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let is_root = output(Command::new("id").arg("-u")).is_some_and(|uid| uid.trim() == "0");
    if !is_root {
        return Err(format!(
            "missing Debian packages; run this, then the task again:\n  sudo apt-get update && sudo apt-get install -y --no-install-recommends {}",
            missing.join(" ")
        ));
    }
    run(Command::new("apt-get").args(["update", "-qq"]))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-qq", "--no-install-recommends"])
        .args(&missing)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// `cargo xtask test` checks formatting and lints: rustfmt and clippy must be there.
fn rust_components() -> Result {
    let installed = output(Command::new("rustup").args(["component", "list", "--installed"]))
        .unwrap_or_default();
    let missing: Vec<&str> = ["rustfmt", "clippy"]
        .into_iter()
        .filter(|c| !installed.lines().any(|l| l.starts_with(&format!("{c}-"))))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    run(Command::new("rustup")
        .args(["component", "add"])
        .args(&missing))
}

fn wasm_target() -> Result {
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed
        .lines()
        .any(|t| t.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// The CLI must be exactly the `wasm-bindgen` version in Cargo.lock, or the glue won't match.
pub fn locked_wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(version) = lines.next().and_then(|v| v.strip_prefix("version = \""))
        {
            return Ok(version.trim_end_matches('"').to_owned());
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

fn wasm_bindgen_cli() -> Result {
    let version = locked_wasm_bindgen_version()?;
    let installed = output(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    if installed.split_whitespace().nth(1) == Some(version.as_str()) {
        return Ok(());
    }
    cargo_install("wasm-bindgen-cli", &version)
}

fn tauri_driver() -> Result {
    if output(Command::new("tauri-driver").arg("--help")).is_some() {
        return Ok(());
    }
    cargo_install("tauri-driver", TAURI_DRIVER_VERSION)
}

/// `--locked` first for reproducibility; a locked dependency can vanish from the registry,
/// so fall back to a fresh resolution of the same pinned version.
fn cargo_install(krate: &str, version: &str) -> Result {
    let locked = run(cargo().args(["install", krate, "--version", version, "--locked"]));
    if locked.is_ok() {
        return Ok(());
    }
    println!("xtask: `--locked` install of {krate} failed; retrying without the lockfile");
    run(cargo().args(["install", krate, "--version", version]))
}
