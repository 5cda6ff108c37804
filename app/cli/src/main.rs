//! `civic`: the Civic core from a terminal. Each feature's subcommands live in
//! `cmd/<feature>.rs` and only translate arguments and results: the flows are the core's.
#![allow(clippy::print_stdout)] // printing is this binary's job

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use civic_core::{Civic, paths};
use civic_types::error::{Coded, ErrorCode};
use civic_types::status::Notice;
use clap::{Parser, Subcommand};

mod args;
mod cmd;
mod i18n;
mod render;
mod terminal;

#[derive(Debug, Parser)]
#[command(
    name = "civic",
    version,
    about = "Civic: thủ tục hành chính và dịch vụ công, ngay cả khi không có mạng"
)]
struct Cli {
    /// Data directory (default: $CIVIC_DATA_DIR or the platform's data directory).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    #[command(flatten)]
    Catalog(cmd::catalog::Command),
    /// Fetch what changed from the city's gateway and apply it (all or nothing).
    Sync(cmd::sync::Args),
    #[command(flatten)]
    Auth(cmd::auth::Command),
    /// QR codes: read them from photos, print boards of them, make a board signing key.
    Qr {
        #[command(subcommand)]
        command: cmd::qr::Command,
    },
    /// Find a commune, ward or special zone (the 2025 units), offline.
    Place(cmd::feedback::PlaceArgs),
    /// Residents' reports (góp ý, phản ánh): write, queue, send, follow.
    Feedback {
        #[command(subcommand)]
        command: cmd::feedback::reports::Command,
    },
    /// City bus from a GTFS feed, offline: a stop's departures, journeys between stops.
    Bus {
        #[command(subcommand)]
        command: cmd::bus::Command,
    },
    /// Parking: car parks near a point, sessions (start, extend, stop, pay, history), the
    /// VietQR payment code, a stay's fee under a tariff, a plate as read.
    Parking {
        #[command(subcommand)]
        command: cmd::parking::Command,
    },
    /// Feedback reports: what a city's Open311 GeoReport v2 endpoint answers.
    Open311 {
        #[command(subcommand)]
        command: cmd::feedback::Command,
    },
}

/// A failed command: its message, Vietnamese first.
type Failure = Box<dyn std::error::Error>;

fn main() -> ExitCode {
    // Diagnostics on stderr, quiet unless RUST_LOG asks (`RUST_LOG=debug civic login`).
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        // Log lines carry gateway and QR text: plain, and made terminal-safe like all output.
        .with_ansi(false)
        .with_writer(|| terminal::Safe::new(std::io::stderr()))
        .init();
    let cli = Cli::parse();
    let data_dir = cli.data_dir.unwrap_or_else(paths::data_dir);
    let mut out = terminal::Safe::new(std::io::stdout().lock());
    let result: Result<(), Failure> = match cli.command {
        Command::Catalog(command) => cmd::catalog::run(command, &data_dir, &mut out),
        Command::Sync(args) => cmd::sync::run(args, &data_dir, &mut out),
        Command::Auth(command) => cmd::auth::run(command, &data_dir, &mut out),
        Command::Qr { command } => cmd::qr::run(command, &data_dir, &mut out),
        Command::Open311 { command } => cmd::feedback::run(command, &mut out),
        Command::Feedback { command } => cmd::feedback::reports::run(command, &data_dir, &mut out),
        Command::Place(args) => cmd::feedback::place(args, &mut out),
        Command::Bus { command } => cmd::bus::run(command, &data_dir, &mut out),
        Command::Parking { command } => cmd::parking::run(command, &data_dir, &mut out),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            match error_code(error.as_ref()) {
                // What the user is told, in their language; then the core's technical detail
                // (untranslated) for whoever helps them: which file, which code, which host.
                Some(code) => {
                    eprintln!("civic: {}", i18n::error_message(code));
                    eprintln!("  ↳ {}", terminal::safe(&error.to_string()));
                }
                // The CLI's own messages, written for this front end.
                None => eprintln!("civic: {}", terminal::safe(&error.to_string())),
            }
            ExitCode::FAILURE
        }
    }
}

/// The code of an error from the core, if it is one: its message then comes from Fluent.
fn error_code(error: &(dyn std::error::Error + 'static)) -> Option<ErrorCode> {
    macro_rules! coded {
        ($($error:ty),+ $(,)?) => {
            $(if let Some(e) = error.downcast_ref::<$error>() {
                return Some(e.code());
            })+
        };
    }
    coded!(
        civic_core::CoreError,
        civic_core::CatalogError,
        civic_core::sync::SyncError,
        civic_core::auth::AuthError,
        civic_core::qr::ScanError,
        civic_core::qr::DecodeError,
        civic_core::qr::KeyError,
        civic_core::qr::BoardError,
        civic_core::boards::SaveError,
        civic_core::feedback::Open311Error,
        civic_core::feedback::FeedbackError,
        civic_core::feedback::PhotoError,
        civic_core::bus::TransitError,
        civic_core::bus::BusError,
        civic_core::parking::ParkingError,
        civic_core::parking::ParkingFlowError,
    );
    None
}

/// The gateway to sync with when `--gateway` is not given.
const GATEWAY_ENV: &str = "CIVIC_GATEWAY_URL";

/// Opens the data folder as the app does, telling the user what they must know about it.
/// The gateway: `gateway`, else `$CIVIC_GATEWAY_URL`, else the one the city profile came from.
fn open(data_dir: &Path, gateway: Option<&str>) -> Result<Civic, Failure> {
    let from_env = std::env::var(GATEWAY_ENV).ok();
    let gateway = gateway
        .or(from_env.as_deref())
        .filter(|g| !g.trim().is_empty());
    let civic = Civic::open(data_dir, gateway)?;
    for notice in civic.notices() {
        match notice {
            Notice::CatalogRebuilt => eprintln!(
                "civic: dữ liệu thủ tục bị hỏng nên đã được dựng lại từ bản có sẵn (the catalog was damaged and has been rebuilt)"
            ),
        }
    }
    Ok(civic)
}
