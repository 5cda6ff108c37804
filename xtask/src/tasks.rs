use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::install;
use crate::util::{Result, cargo, exe, output, root, run as run_command, target_dir};

/// The date the bundled catalog was imported from the portal scrape.
const CATALOG_DATA_DATE: &str = "2026-11-23";
const UI_PROFILE: &str = "release-wasm";

/// Builds the Dioxus UI for wasm32 and lays it out in `app/ui/dist` for Tauri to embed.
pub fn build_ui() -> Result {
    run_command(cargo().args([
        "build",
        "-p",
        "civic-ui",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        UI_PROFILE,
    ]))?;
    let dist = root().join("app/ui/dist");
    if dist.exists() {
        std::fs::remove_dir_all(&dist)
            .map_err(|e| format!("cannot clear {}: {e}", dist.display()))?;
    }
    let wasm = target_dir().join(format!("wasm32-unknown-unknown/{UI_PROFILE}/civic-ui.wasm"));
    run_command(
        Command::new("wasm-bindgen")
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--out-name",
                "civic-ui",
                "--out-dir",
            ])
            .arg(&dist)
            .arg(&wasm),
    )?;
    for (from, to) in [
        ("app/ui/index.html", "index.html"),
        ("app/ui/assets/style.css", "style.css"),
    ] {
        std::fs::copy(root().join(from), dist.join(to))
            .map_err(|e| format!("cannot copy {from}: {e}"))?;
    }
    Ok(())
}

fn build_desktop(release: bool) -> Result<PathBuf> {
    let mut command = cargo();
    command.args(["build", "-p", "civic-desktop"]);
    if release {
        command.arg("--release");
    }
    run_command(&mut command)?;
    Ok(target_dir()
        .join(if release { "release" } else { "debug" })
        .join(exe("civic-desktop")))
}

fn has_display() -> bool {
    std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty())
        || std::env::var_os("WAYLAND_DISPLAY").is_some()
}

/// A private X server for headless machines, stopped when dropped.
pub struct VirtualDisplay {
    child: Child,
    pub display: String,
}

impl VirtualDisplay {
    pub fn start() -> Result<Self> {
        for number in 90..130 {
            if Path::new(&format!("/tmp/.X11-unix/X{number}")).exists() {
                continue;
            }
            let display = format!(":{number}");
            let child = Command::new("Xvfb")
                .args([
                    display.as_str(),
                    "-screen",
                    "0",
                    "1280x900x24",
                    "-nolisten",
                    "tcp",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|e| format!("cannot start Xvfb: {e}"))?;
            let mut started = Self { child, display };
            let waiting = Instant::now();
            while waiting.elapsed() < Duration::from_secs(10) {
                if Path::new(&format!("/tmp/.X11-unix/X{number}")).exists() {
                    return Ok(started);
                }
                if started.child.try_wait().ok().flatten().is_some() {
                    break; // lost a race for this display number: try the next
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            drop(started);
        }
        Err("could not start Xvfb on any display from :90 to :129".into())
    }
}

impl Drop for VirtualDisplay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn run() -> Result {
    install::all()?;
    build_ui()?;
    let app = build_desktop(false)?;
    if has_display() {
        return run_command(&mut Command::new(&app));
    }
    // No display: show the first screen as a picture instead.
    let display = VirtualDisplay::start()?;
    // The first screen a new user sees: no catalog, language or text size from earlier runs.
    let fresh = target_dir().join("screenshots/first-start-data");
    let _ = std::fs::remove_dir_all(&fresh);
    let mut child = Command::new(&app)
        .env("DISPLAY", &display.display)
        .env("CIVIC_DATA_DIR", fresh.join("civic"))
        .env("XDG_DATA_HOME", fresh.join("xdg-data"))
        .env("XDG_CACHE_HOME", fresh.join("xdg-cache"))
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", app.display()))?;
    let shots = target_dir().join("screenshots");
    std::fs::create_dir_all(&shots).map_err(|e| e.to_string())?;
    let shot = shots.join("first-screen.png");
    // The window maps quickly; the wasm UI needs a few seconds to load and render.
    std::thread::sleep(Duration::from_secs(10));
    let taken = run_command(
        Command::new("import")
            .args(["-window", "root"])
            .arg(&shot)
            .env("DISPLAY", &display.display),
    );
    let exited = child.try_wait().map_err(|e| e.to_string())?;
    let _ = child.kill();
    let _ = child.wait();
    if let Some(status) = exited {
        return Err(format!(
            "the app exited before its first screen could be captured ({status})"
        ));
    }
    taken?;
    println!("screenshot of the first screen: {}", shot.display());
    Ok(())
}

pub fn test() -> Result {
    install::all()?;
    build_ui()?;
    run_command(cargo().args([
        "test",
        "--workspace",
        "--exclude",
        "civic-ui",
        "--exclude",
        "civic-e2e",
    ]))?;
    let app = build_desktop(false)?;
    let mut e2e = cargo();
    e2e.args([
        "test",
        "-p",
        "civic-e2e",
        "--",
        "--test-threads=1",
        "--nocapture",
    ])
    .env("CIVIC_E2E_APP", &app);
    let _display = if has_display() {
        None
    } else {
        let display = VirtualDisplay::start()?;
        e2e.env("DISPLAY", &display.display);
        Some(display)
    };
    run_command(&mut e2e)
}

pub fn import() -> Result {
    run_command(
        cargo()
            .args(["run", "--quiet", "-p", "civic-cli", "--", "import"])
            .args([
                "../shared/data/procedures/dvc_procedures_2642.jsonl.gz",
                "--out",
                "assets/catalog/procedures.json.gz",
                "--report",
                "assets/catalog/import-report.json",
                "--data-date",
                CATALOG_DATA_DATE,
            ]),
    )
}

pub fn bench_search() -> Result {
    run_command(cargo().args(["bench", "-p", "civic-core", "--bench", "search"]))
}

pub fn sizes() -> Result {
    install::all()?;
    build_ui()?;
    let app = build_desktop(true)?;
    let size = |path: &Path| {
        std::fs::metadata(path)
            .map(|m| m.len())
            .map_err(|e| format!("{}: {e}", path.display()))
    };
    let wasm = root().join("app/ui/dist/civic-ui_bg.wasm");
    let js = root().join("app/ui/dist/civic-ui.js");
    let gzipped = output(
        Command::new("sh")
            .arg("-c")
            .arg(format!("gzip -9 -c '{}' | wc -c", wasm.display())),
    )
    .and_then(|s| s.trim().parse::<u64>().ok());
    println!("release binary {}: {} bytes", app.display(), size(&app)?);
    println!(
        "wasm bundle: {} bytes (gzip -9: {} bytes), JS glue {} bytes",
        size(&wasm)?,
        gzipped.unwrap_or(0),
        size(&js)?
    );
    Ok(())
}
