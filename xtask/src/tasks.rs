use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::install;
use crate::keyring::SecretService;
use crate::postgres::TestPostgres;
use crate::util::{
    Result, ServerProcess, cargo, exe, output, root, run as run_command, target_dir,
};
use crate::{gateway, idp};

/// The date the bundled catalog was imported from the portal scrape.
const CATALOG_DATA_DATE: &str = "2026-11-23";
const UI_PROFILE: &str = "release-wasm";

/// Builds the Dioxus UI for wasm32 and lays it out in `app/ui/dist` for Tauri to embed.
pub fn build_ui() -> Result {
    build_ui_with(cargo())
}

fn build_ui_with(mut cargo: Command) -> Result {
    run_command(cargo.args([
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

/// Builds the gateway and starts it on a SQLite file under `target/run/<city>/`, seeded
/// with the bundled catalog on first start. The demo profile is the city's
/// (`assets/cities/<city>.toml`) plus a board signing key made for this checkout
/// (`target/run/board-key.pem`), so boards printed from the app scan as verified, its demo
/// car parks if it has some (`assets/parking/<city>-lots.toml`), and a bank connector's
/// secret for signed payment notices (`target/run/<city>/payment-secret`).
/// `issuer`: the identity provider the demo city names.
fn start_local_gateway(issuer: &str, city_id: &str) -> Result<ServerProcess> {
    let profile_path = root().join(format!("assets/cities/{city_id}.toml"));
    let profile = std::fs::read_to_string(&profile_path).map_err(|e| {
        format!(
            "{}: {e} (cities: the names in assets/cities)",
            profile_path.display()
        )
    })?;
    run_command(cargo().args(["build", "-p", "civic-gateway", "-p", "civic-cli"]))?;
    let dir = target_dir().join("run");
    let city_dir = dir.join(city_id);
    std::fs::create_dir_all(&city_dir).map_err(|e| format!("{}: {e}", city_dir.display()))?;
    let city = demo_city_profile(&dir, &city_dir, &profile, issuer)?;
    let binary = target_dir().join("debug").join(exe("civic-gateway"));
    let database = city_dir.join("gateway.sqlite3").display().to_string();
    let lots = root().join(format!("assets/parking/{city_id}-lots.toml"));
    if lots.exists() {
        run_command(
            Command::new(&binary)
                .args(["--database", &database, "import-lots"])
                .arg(&lots),
        )?;
    }
    let secret = city_dir.join("payment-secret");
    if !secret.exists() {
        write_private(&secret, &random_hex(32)?)?;
    }
    let extra = [
        std::ffi::OsStr::new("--payment-secret-file"),
        secret.as_os_str(),
    ];
    let gateway = gateway::start(&binary, &database, &city, &extra)?;
    println!("city gateway ({city_id} demo profile): {}", gateway.address);
    println!(
        "  bank payment notices are signed with {} (README: \"Parking\")",
        secret.display()
    );
    Ok(gateway)
}

/// `bytes` random bytes as hex, from the kernel.
fn random_hex(bytes: usize) -> Result<String> {
    use std::io::Read;
    let mut buffer = vec![0u8; bytes];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buffer))
        .map_err(|e| format!("/dev/urandom: {e}"))?;
    Ok(buffer.iter().map(|b| format!("{b:02x}")).collect())
}

/// A file only its owner can read, for a secret.
fn write_private(path: &Path, text: &str) -> Result {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// `target/run/<city>/city.toml`: the city's profile plus the demo board key's public half
/// and the local identity provider.
fn demo_city_profile(dir: &Path, city_dir: &Path, profile: &str, issuer: &str) -> Result<PathBuf> {
    let key = dir.join(DEMO_SIGNING_KEY);
    let entry_path = dir.join("board-key.toml");
    if !key.exists() || !entry_path.exists() {
        let _ = std::fs::remove_file(&key);
        let civic = target_dir().join("debug").join(exe("civic"));
        let entry = output(
            Command::new(civic)
                .args(["qr", "keygen", "--out"])
                .arg(&key)
                .args([
                    "--issuer-vi",
                    "Tổ công nghệ số cộng đồng (bản chạy thử)",
                    "--issuer-en",
                    "Community digital-tech team (demo)",
                ]),
        )
        .ok_or("`civic qr keygen` failed")?;
        std::fs::write(&entry_path, entry).map_err(|e| e.to_string())?;
    }
    let entry = std::fs::read_to_string(&entry_path).map_err(|e| e.to_string())?;
    let auth = format!("\n[auth]\nissuer = \"{issuer}\"\nclient_id = \"{DEMO_CLIENT_ID}\"\n");
    let city = city_dir.join("city.toml");
    std::fs::write(&city, format!("{profile}\n{entry}{auth}")).map_err(|e| e.to_string())?;
    Ok(city)
}

/// `city_id`: a profile under `assets/cities` (`ninh-binh` unless named).
pub fn run(city_id: &str) -> Result {
    install::all()?;
    build_ui()?;
    let app = build_desktop(false)?;
    // Sign-in works in the demo: the city's profile names this provider (log in as
    // `nguyenvanan` or `tranthibinh`, any password; see tests/idp).
    let idp = idp::start()?;
    println!("identity provider (demo eID): {}", idp.address);
    let gateway = start_local_gateway(&idp.address, city_id)?;
    let mut demo = Command::new(&app);
    demo.env(GATEWAY_URL_ENV, &gateway.address).env(
        SIGNING_KEY_ENV,
        target_dir().join("run").join(DEMO_SIGNING_KEY),
    );
    // The session lives in a Secret Service; with no session bus (a server, a bare X) the
    // demo gets a throwaway one so signing in works there too.
    let _secrets = if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() {
        None
    } else {
        let secrets = SecretService::start()?;
        demo.env("DBUS_SESSION_BUS_ADDRESS", &secrets.address);
        Some(secrets)
    };
    if has_display() {
        return run_command(&mut demo);
    }
    // No display: show the first screen as a picture instead.
    let display = VirtualDisplay::start()?;
    // The first screen a new user sees: no catalog, language or text size from earlier runs.
    let fresh = target_dir().join("screenshots/first-start-data");
    let _ = std::fs::remove_dir_all(&fresh);
    let mut child = demo
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
    // The house style and the workspace lints are gates, not advice.
    run_command(cargo().args(["fmt", "--all", "--check"]))?;
    // Clippy lints while the code is built (see `linted`), so the UI and the workspace are
    // compiled once each instead of once checked and once built.
    build_ui_with(linted(cargo()))?;
    // Every cargo run here selects the same packages, so cargo resolves one feature set and
    // compiles each crate once: with `-p` runs in between, the Tauri stack was built three
    // times and a fresh clone ran out of disk.
    let workspace = ["--workspace", "--exclude", "civic-ui"];
    // The UI's pages rendered to HTML on this machine (dioxus-ssr), without a webview.
    run_command(linted(test_cargo()).args(["test", "-p", "civic-ui"]))?;
    // Builds the desktop app for the end-to-end suites along with every test.
    run_command(
        linted(test_cargo())
            .args(["build", "--all-targets"])
            .args(workspace),
    )?;
    let app = target_dir().join("debug").join(exe("civic-desktop"));
    // Sign-in tests keep their tokens here, never in the developer's own keyring.
    let secrets = SecretService::start()?;
    // The gateway's suites run against SQLite and this server alike.
    let postgres = TestPostgres::start()?;
    // Linted like the build above, so cargo finds every test already compiled.
    let mut tests = with_secret_service(linted(test_cargo()), &secrets);
    tests
        .arg("test")
        .args(workspace)
        .env(POSTGRES_URL_ENV, &postgres.url)
        .env("CIVIC_E2E_APP", &app)
        .env(OPEN311_CLIENT_ENV, install::open311_client()?);
    let _display = if has_display() {
        None
    } else {
        let display = VirtualDisplay::start()?;
        tests.env("DISPLAY", &display.display);
        Some(display)
    };
    run_command(&mut tests)
}

/// Compiles the workspace's own crates with clippy's driver and every warning denied, as
/// `cargo clippy -- -D warnings` does, but in any cargo command: a build linted this way
/// is the same build, so CI no longer checks everything once and then compiles it again.
/// Dependencies are compiled by plain rustc, as under `cargo clippy`.
fn linted(mut command: Command) -> Command {
    let cargo = std::env::var_os("CARGO").map(PathBuf::from);
    let driver = cargo
        .map(|cargo| cargo.with_file_name(exe("clippy-driver")))
        .filter(|driver| driver.exists())
        .unwrap_or_else(|| PathBuf::from(exe("clippy-driver")));
    command
        .env("RUSTC_WORKSPACE_WRAPPER", driver)
        // The driver's own argument list, as `cargo clippy` passes what follows `--`.
        .env(
            "CLIPPY_ARGS",
            "-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__",
        );
    command
}

/// Cargo for one-off test builds: incremental caches only cost disk there.
fn test_cargo() -> Command {
    let mut command = cargo();
    command.env("CARGO_INCREMENTAL", "0");
    command
}

/// Points a command at the private Secret Service (see `civic_test_support`).
fn with_secret_service(mut command: Command, secrets: &SecretService) -> Command {
    command
        .env("DBUS_SESSION_BUS_ADDRESS", &secrets.address)
        .env("CIVIC_TEST_SECRET_SERVICE", "1");
    command
}

/// The gateway the app syncs with (read by the desktop host and the CLI).
const GATEWAY_URL_ENV: &str = "CIVIC_GATEWAY_URL";
/// Tells the app which key signs the boards it prints (see `civic_core::paths`).
const SIGNING_KEY_ENV: &str = "CIVIC_SIGNING_KEY";
const DEMO_SIGNING_KEY: &str = "board-key.pem";
/// The app's client at the demo provider (`tests/idp/server.mjs`).
const DEMO_CLIENT_ID: &str = "civic-app";
/// The Python of the independent Open311 client's environment (see `install::open311_client`).
const OPEN311_CLIENT_ENV: &str = "CIVIC_TEST_OPEN311_PYTHON";
/// Where the gateway's tests find the throwaway PostgreSQL server.
const POSTGRES_URL_ENV: &str = "CIVIC_TEST_DATABASE_URL";

/// Starts a throwaway PostgreSQL server and keeps it until Enter is pressed.
pub fn postgres() -> Result {
    let postgres = TestPostgres::start()?;
    println!("export {POSTGRES_URL_ENV}={}", postgres.url);
    println!("press Enter to stop the server");
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
    Ok(())
}

/// Starts a throwaway Secret Service and keeps it until Enter is pressed.
pub fn secrets() -> Result {
    let secrets = SecretService::start()?;
    println!(
        "export DBUS_SESSION_BUS_ADDRESS='{}' CIVIC_TEST_SECRET_SERVICE=1",
        secrets.address
    );
    println!("press Enter to stop it");
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
    Ok(())
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

pub fn bench_qr() -> Result {
    run_command(cargo().args(["bench", "-p", "civic-qr", "--bench", "qr"]))
}

/// Feedback at the gateway: posting throughput and p99 (SQLite, PostgreSQL), photo uploads,
/// and the outbox's time from reconnect to all sent.
pub fn bench_feedback() -> Result {
    let postgres = TestPostgres::start()?;
    run_command(
        cargo()
            .args(["bench", "-p", "civic-gateway", "--bench", "feedback"])
            .env(POSTGRES_URL_ENV, &postgres.url),
    )
}

/// Parking at the gateway: car parks near a point under load and signed payment notices
/// (SQLite, PostgreSQL), and fee computation.
pub fn bench_parking() -> Result {
    let postgres = TestPostgres::start()?;
    run_command(
        cargo()
            .args(["bench", "-p", "civic-gateway", "--bench", "parking"])
            .env(POSTGRES_URL_ENV, &postgres.url),
    )
}

pub fn bench_bus() -> Result {
    run_command(cargo().args(["bench", "-p", "civic-bus", "--bench", "bus"]))
}

pub fn bench_abuse() -> Result {
    run_command(cargo().args(["bench", "-p", "civic-gateway", "--bench", "abuse"]))
}

pub fn bench_search() -> Result {
    run_command(cargo().args(["bench", "-p", "civic-catalog", "--bench", "search"]))
}

pub fn sizes() -> Result {
    install::all()?;
    build_ui()?;
    let app = build_desktop(true)?;
    run_command(cargo().args([
        "build",
        "--release",
        "-p",
        "civic-gateway",
        "-p",
        "civic-cli",
    ]))?;
    let release = target_dir().join("release");
    let size = |path: &Path| {
        std::fs::metadata(path)
            .map(|m| m.len())
            .map_err(|e| format!("{}: {e}", path.display()))
    };
    let compressed = |tool: &str, path: &Path| {
        output(
            Command::new("sh")
                .arg("-c")
                .arg(format!("{tool} -c '{}' | wc -c", path.display())),
        )
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map_or_else(
            || format!("{tool}: not installed"),
            |n| format!("{tool}: {n} bytes"),
        )
    };
    for binary in [
        app,
        release.join(exe("civic-gateway")),
        release.join(exe("civic")),
    ] {
        println!(
            "release binary {}: {} bytes",
            binary.display(),
            size(&binary)?
        );
    }
    let wasm = root().join("app/ui/dist/civic-ui_bg.wasm");
    let js = root().join("app/ui/dist/civic-ui.js");
    println!(
        "wasm bundle: {} bytes ({}, {}), JS glue {} bytes",
        size(&wasm)?,
        compressed("gzip -9", &wasm),
        compressed("brotli -q 11", &wasm),
        size(&js)?
    );
    Ok(())
}

/// Bytes on the wire per sync (a Rust benchmark against the real gateway and core), then
/// `GET /v1/catalog` with `If-None-Match` under load from wrk, for each backend.
pub fn bench_sync() -> Result {
    install::all()?;
    let postgres = TestPostgres::start()?;
    run_command(
        cargo()
            .args(["bench", "-p", "civic-gateway", "--bench", "sync"])
            .env(POSTGRES_URL_ENV, &postgres.url),
    )?;
    run_command(cargo().args(["build", "--release", "-p", "civic-gateway"]))?;
    let binary = target_dir().join("release").join(exe("civic-gateway"));
    let data = target_dir().join("bench-gateway");
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).map_err(|e| e.to_string())?;
    let sqlite = data.join("gateway.sqlite3").display().to_string();
    let mut summary = Vec::new();
    for (name, database) in [
        ("SQLite", sqlite.as_str()),
        ("PostgreSQL", postgres.url.as_str()),
    ] {
        let city = root().join("assets/cities/ninh-binh.toml");
        let gateway = gateway::start(&binary, database, &city, &[])?;
        summary.push(load_test(&gateway.address, name)?);
    }
    println!(
        "\n== gateway under wrk (2 threads, 32 connections, 10 s, loopback; wrk and gateway share the 2 cores)"
    );
    for line in summary {
        println!("{line}");
    }
    Ok(())
}

fn load_test(url: &str, name: &str) -> Result<String> {
    let etag = head_etag(url)?;
    let wrk = output(Command::new("wrk").args([
        "-t2",
        "-c32",
        "-d10s",
        "--latency",
        "-H",
        &format!("If-None-Match: {etag}"),
        "-H",
        "Accept-Encoding: br, gzip",
        &format!("{url}/v1/catalog"),
    ]))
    .ok_or("wrk failed")?;
    println!(
        "\n== {name}: wrk -t2 -c32 -d10s --latency -H 'If-None-Match: {etag}' {url}/v1/catalog\n{wrk}"
    );
    let field = |prefix: &str| {
        wrk.lines()
            .find_map(|l| l.trim().strip_prefix(prefix).map(|v| v.trim().to_owned()))
            .unwrap_or_else(|| "?".into())
    };
    if wrk.contains("Non-2xx or 3xx responses") {
        return Err(format!("{name}: some responses were errors:\n{wrk}"));
    }
    Ok(format!(
        "{name}: {} requests/s, p99 latency {}",
        field("Requests/sec:"),
        field("99%")
    ))
}

/// The current catalog ETag, from a HEAD request.
fn head_etag(url: &str) -> Result<String> {
    use std::io::{Read, Write};
    let host = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(host).map_err(|e| format!("{host}: {e}"))?;
    write!(
        stream,
        "HEAD /v1/catalog HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: br, gzip\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .map_err(|e| e.to_string())?;
    response
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("etag")
                .then(|| value.trim().to_owned())
        })
        .ok_or_else(|| format!("no ETag in the gateway's answer:\n{response}"))
}
