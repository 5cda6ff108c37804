//! `cargo xtask <task>`: the project's task runner (see README).
#![allow(clippy::print_stdout)] // reporting progress is this binary's job

mod gateway;
mod idp;
mod install;
mod keyring;
mod postgres;
mod tasks;
mod util;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  run            install what is missing, build, start a local city gateway (SQLite, seeded with
                 the bundled catalog) and the desktop app syncing with it
                 (with no display: under Xvfb, saving a screenshot of the first screen);
                 `run da-nang` serves Đà Nẵng's profile: buses, car parks, street parking
  test           install what is missing, build, run every test (unit, data, WebDriver end-to-end)
  install        only install what is missing (Debian packages, rustfmt/clippy, wasm32 target,
                 wasm-bindgen, tauri-driver, npm packages of tests/idp and tests/e2e)
  ui             build the wasm UI into app/ui/dist
  import         re-import ../shared/data/procedures into assets/catalog
  bench search   search latency over the real catalog and a generated 100,000-record one
  bench sync     bytes on the wire per sync, and gateway throughput under wrk (SQLite, PostgreSQL)
  bench qr       QR decoding time per photo and per 1280x720 camera frame (p50/p95)
  bench feedback posting reports (throughput, p99; SQLite, PostgreSQL), photo uploads, and the
                 outbox's reconnect-to-all-sent time for 100 queued reports
  bench bus      GTFS import speed and memory; journey planning p50/p95 (RAPTOR beside a plain
                 connection scan) on BART and a generated London-sized feed
  bench parking  car parks near a point under load (p99) and signed payment notices per second
                 (SQLite, PostgreSQL); fee computation speed under the shipped tariffs
  bench abuse    the release gateway under half-sent heads, slow readers, `?since=` floods and
                 a connection crowd on loopback: a normal client's p99, memory, what was refused
  postgres       start a throwaway PostgreSQL server and wait (for running tests by hand)
  secrets        start a throwaway Secret Service (gnome-keyring on a private D-Bus) and wait
  sizes          build release artifacts and print the app binary and wasm bundle sizes";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["run"] => tasks::run("ninh-binh"),
        ["run", city] => tasks::run(city),
        ["test"] => tasks::test(),
        ["install"] => install::all(),
        ["ui"] => tasks::build_ui(),
        ["import"] => tasks::import(),
        ["bench", "search"] => tasks::bench_search(),
        ["bench", "sync"] => tasks::bench_sync(),
        ["bench", "qr"] => tasks::bench_qr(),
        ["bench", "abuse"] => tasks::bench_abuse(),
        ["bench", "feedback"] => tasks::bench_feedback(),
        ["bench", "bus"] => tasks::bench_bus(),
        ["bench", "parking"] => tasks::bench_parking(),
        ["postgres"] => tasks::postgres(),
        ["secrets"] => tasks::secrets(),
        ["sizes"] => tasks::sizes(),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}
