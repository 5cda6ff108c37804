//! `civic`: the Civic core from a terminal.
#![allow(clippy::print_stdout)] // printing is this binary's job

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use civic_core::catalog::import::import_file;
use civic_core::{CatalogStore, Snapshot, paths};
use civic_types::{Notice, SearchFilters, SearchRequest};
use clap::{Parser, Subcommand};

mod render;

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
    /// Search procedures (diacritics optional; Telex/VNI and everyday words understood).
    Search {
        query: Vec<String>,
        #[arg(long, default_value_t = 10)]
        limit: u32,
        /// One JSON object per line: code, name, score, field, levels.
        #[arg(long)]
        json: bool,
        /// Treat the last word as unfinished (type-ahead).
        #[arg(long)]
        prefix: bool,
        #[arg(long)]
        field: Option<String>,
        #[arg(long)]
        level: Option<String>,
        #[arg(long)]
        agency: Option<String>,
    },
    /// Show one procedure in full.
    Procedure {
        code: String,
        #[arg(long)]
        json: bool,
    },
    /// Fetch catalog changes from the city's gateway and apply them (all or nothing).
    Sync {
        /// The gateway, e.g. http://127.0.0.1:8080 (default: $CIVIC_GATEWAY_URL, else the
        /// gateway of the last sync).
        #[arg(long)]
        gateway: Option<String>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Sign in with the national eID (the identity provider in the synced city profile):
    /// prints the page to open in a browser, then waits for it to come back.
    Login {
        /// How long to wait for the browser, in seconds.
        #[arg(long, default_value_t = civic_core::auth::SIGN_IN_TIMEOUT.as_secs())]
        timeout: u64,
    },
    /// Sign out on this device and at the identity provider.
    Logout,
    /// Who is signed in (renewing the session first if it is about to expire).
    Whoami {
        #[arg(long)]
        json: bool,
    },
    /// QR codes: read them from photos, print boards of them, make a board signing key.
    Qr {
        #[command(subcommand)]
        command: QrCommand,
    },
    /// Import the portal scrape (JSON lines, gzip allowed) into a catalog snapshot.
    Import {
        /// Source file, e.g. ../shared/data/procedures/dvc_procedures_2642.jsonl.gz
        source: PathBuf,
        /// Snapshot to write (gzip'd JSON).
        #[arg(long)]
        out: PathBuf,
        /// Date of the data, ISO 8601.
        #[arg(long)]
        data_date: String,
        /// Also write the import report as JSON here.
        #[arg(long)]
        report: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum QrCommand {
    /// Read every QR code in PNG/JPEG photos; one JSON line per file:
    /// {"file", "codes": [{"text", "kind", "procedure", "verified", …}]}.
    Decode {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Make an A4 board of signed QR codes for a one-stop office (.pdf or .svg by --out).
    Board {
        /// Heading and issuing office, e.g. "UBND xã Xuân Hồng".
        #[arg(long)]
        title: String,
        /// Procedure codes, comma-separated, in board order (at most 12).
        #[arg(long, value_delimiter = ',', required = true)]
        codes: Vec<String>,
        #[arg(long)]
        out: PathBuf,
        /// Signing key (default: qr-signing-key.pem in the data directory).
        #[arg(long, conflicts_with = "unsigned")]
        key: Option<PathBuf>,
        /// Print codes without signatures (they then never show as verified).
        #[arg(long)]
        unsigned: bool,
        /// Issue date, ISO 8601 (default: today).
        #[arg(long)]
        date: Option<String>,
    },
    /// Make a board signing key and print the entry to add to the city profile.
    Keygen {
        /// Where to write the private key (default: qr-signing-key.pem in the data directory).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Who holds the key, in Vietnamese and English, as residents will read it.
        #[arg(long)]
        issuer_vi: String,
        #[arg(long)]
        issuer_en: String,
    },
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error(transparent)]
    Catalog(#[from] civic_core::CatalogError),
    #[error(transparent)]
    Import(#[from] civic_core::catalog::import::ImportError),
    #[error(transparent)]
    Snapshot(#[from] civic_core::catalog::SnapshotError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error(
        "không có thủ tục mã {0} trong danh mục (no procedure with code {0}); try `civic search`"
    )]
    UnknownCode(String),
    #[error(transparent)]
    Sync(#[from] civic_core::sync::SyncError),
    #[error(
        "chưa có địa chỉ cổng dữ liệu của tỉnh/thành (no gateway): pass --gateway URL or set {GATEWAY_ENV}"
    )]
    NoGateway,
    #[error(transparent)]
    Board(#[from] civic_core::qr::BoardError),
    #[error(
        "chưa có khóa ký bảng mã QR (no signing key) at {0}: run `civic qr keygen` or pass --key or --unsigned"
    )]
    NoSigningKey(PathBuf),
    #[error(transparent)]
    Key(#[from] civic_core::qr::KeyError),
    #[error("--out must end in .pdf or .svg")]
    BoardFormat,
    #[error("--date must be an ISO date like 2026-11-23")]
    BadDate,
    #[error("{0} of the files could not be read")]
    SomeFilesFailed(usize),
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("{}", auth_message(.0))]
    Auth(#[from] civic_core::auth::AuthError),
}

/// Sign-in errors in Vietnamese first, with the way out, then the English detail.
fn auth_message(error: &civic_core::auth::AuthError) -> String {
    use civic_core::auth::AuthError;
    let vi = match error {
        AuthError::NotConfigured => {
            "tỉnh/thành chưa cấu hình đăng nhập; chạy `civic sync` trước (run `civic sync` first)"
        }
        AuthError::SignedOut => "chưa đăng nhập; chạy `civic login` (run `civic login`)",
        AuthError::SessionExpired => {
            "phiên đăng nhập đã hết; chạy `civic login` để đăng nhập lại (sign in again)"
        }
        AuthError::Offline(_) => "không kết nối được nhà cung cấp định danh",
        AuthError::Timeout => "hết thời gian chờ đăng nhập",
        AuthError::KeyringUnavailable(_) | AuthError::Keyring(_) => {
            "không dùng được kho khóa của hệ điều hành"
        }
        _ => "đăng nhập không thành công",
    };
    format!("{vi} ({error})")
}

/// The gateway to sync with when `--gateway` is not given.
const GATEWAY_ENV: &str = "CIVIC_GATEWAY_URL";

fn main() -> ExitCode {
    // Diagnostics on stderr, quiet unless RUST_LOG asks (`RUST_LOG=debug civic login`).
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("civic: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), CliError> {
    let data_dir = cli.data_dir.unwrap_or_else(paths::data_dir);
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Search {
            query,
            limit,
            json,
            prefix,
            field,
            level,
            agency,
        } => {
            let store = open_store(&data_dir)?;
            let request = SearchRequest {
                query: query.join(" "),
                prefix,
                filters: SearchFilters {
                    field,
                    level,
                    agency,
                },
                limit,
            };
            let results = store.search(&request)?;
            if json {
                for hit in &results.hits {
                    serde_json::to_writer(&mut out, hit)?;
                    writeln!(out)?;
                }
            } else {
                render::search_results(&mut out, &results)?;
            }
        }
        Command::Procedure { code, json } => {
            let store = open_store(&data_dir)?;
            let procedure = store.get(&code)?.ok_or(CliError::UnknownCode(code))?;
            if json {
                serde_json::to_writer_pretty(&mut out, &procedure)?;
                writeln!(out)?;
            } else {
                render::procedure(&mut out, &procedure)?;
            }
        }
        Command::Sync { gateway, json } => {
            let mut store = open_store(&data_dir)?;
            let address = gateway
                .or_else(|| std::env::var(GATEWAY_ENV).ok().filter(|g| !g.is_empty()))
                .map_or_else(|| store.synced_gateway(), |g| Ok(Some(g)))?
                .ok_or(CliError::NoGateway)?;
            let gateway = civic_core::sync::Gateway::new(&address)?;
            let show_progress = std::io::stderr().is_terminal();
            let report = civic_core::sync::sync(&mut store, &gateway, &mut |received, total| {
                if show_progress {
                    render::progress(received, total);
                }
            })?;
            if json {
                serde_json::to_writer(&mut out, &report)?;
                writeln!(out)?;
            } else {
                render::sync_report(&mut out, &report)?;
            }
        }
        Command::Login { timeout } => {
            let auth = open_auth(&data_dir)?;
            let account = auth.sign_in_loopback(
                &mut |pending| {
                    // A helper may copy the address to the resident's phone or browser.
                    let _ = writeln!(
                        out,
                        "Mở trang này trong trình duyệt để đăng nhập (open this page to sign in):\n{}",
                        pending.authorization_url
                    );
                    let _ = out.flush();
                },
                std::time::Duration::from_secs(timeout),
                &|| false,
                &civic_core::auth::unix_now,
            )?;
            writeln!(out, "Đã đăng nhập: {}", render::account(&account))?;
        }
        Command::Logout => {
            let auth = open_auth(&data_dir)?;
            match auth.sign_out(None, civic_core::auth::unix_now())? {
                Some(page) => writeln!(
                    out,
                    "Đã đăng xuất trên máy này. Để thoát cả phiên ở nhà cung cấp định danh, mở (to end the provider's session too, open):\n{page}"
                )?,
                None => writeln!(out, "Đã đăng xuất (signed out).")?,
            }
        }
        Command::Whoami { json } => {
            let auth = open_auth(&data_dir)?;
            let account = auth.current(civic_core::auth::unix_now())?;
            if json {
                serde_json::to_writer(&mut out, &account)?;
                writeln!(out)?;
            } else {
                writeln!(out, "{}", render::account(&account))?;
            }
        }
        Command::Qr { command } => qr(command, &data_dir, &mut out)?,
        Command::Import {
            source,
            out: snapshot_path,
            data_date,
            report,
        } => {
            let (procedures, import_report) = import_file(&source)?;
            let snapshot = Snapshot {
                format: civic_core::catalog::snapshot::FORMAT,
                data_date,
                procedures,
            };
            snapshot.write(std::fs::File::create(&snapshot_path)?)?;
            if let Some(report_path) = report {
                std::fs::write(
                    report_path,
                    serde_json::to_string_pretty(&import_report)? + "\n",
                )?;
            }
            write!(out, "{import_report}")?;
            writeln!(
                out,
                "snapshot: {} ({} bytes)",
                snapshot_path.display(),
                std::fs::metadata(&snapshot_path)?.len()
            )?;
        }
    }
    Ok(())
}

fn qr(
    command: QrCommand,
    data_dir: &std::path::Path,
    out: &mut impl Write,
) -> Result<(), CliError> {
    use civic_core::qr::{Board, BoardSigner, Trust, decode_image, resolve};
    match command {
        QrCommand::Decode { files } => {
            let store = open_store(data_dir)?;
            let trust = Trust::for_store(&store)?;
            let mut failed = 0;
            for file in files {
                let name = file.display().to_string();
                let decoded = std::fs::read(&file)
                    .map_err(|e| e.to_string())
                    .and_then(|bytes| decode_image(&bytes).map_err(|e| e.to_string()));
                let line = match decoded {
                    Ok(texts) => {
                        let codes = texts
                            .iter()
                            .map(|text| resolve(text, &store, &trust))
                            .collect::<Result<Vec<_>, _>>()?;
                        serde_json::json!({ "file": name, "codes": codes })
                    }
                    Err(error) => {
                        failed += 1;
                        serde_json::json!({ "file": name, "error": error })
                    }
                };
                serde_json::to_writer(&mut *out, &line)?;
                writeln!(out)?;
            }
            if failed > 0 {
                return Err(CliError::SomeFilesFailed(failed));
            }
        }
        QrCommand::Board {
            title,
            codes,
            out: path,
            key,
            unsigned,
            date,
        } => {
            let store = open_store(data_dir)?;
            let issued = match date {
                Some(date) => civic_core::time::parse_iso_date(&date)
                    .map(|_| date)
                    .ok_or(CliError::BadDate)?,
                None => civic_core::time::iso_date(civic_core::time::now_unix()),
            };
            let signer = if unsigned {
                None
            } else {
                let key = key.unwrap_or_else(|| data_dir.join(paths::SIGNING_KEY_FILE));
                if !key.exists() {
                    return Err(CliError::NoSigningKey(key));
                }
                Some(BoardSigner::read(&key)?)
            };
            let board = Board::new(&title, &codes, &store, signer.as_ref(), &issued)?;
            let bytes = match path.extension().and_then(|e| e.to_str()) {
                Some(ext) if ext.eq_ignore_ascii_case("pdf") => board.pdf()?,
                Some(ext) if ext.eq_ignore_ascii_case("svg") => board.svg()?.into_bytes(),
                _ => return Err(CliError::BoardFormat),
            };
            std::fs::write(&path, bytes)?;
            writeln!(
                out,
                "{}: {} thủ tục, {}",
                path.display(),
                board.codes.len(),
                if board.signed {
                    "mã có chữ ký số"
                } else {
                    "mã không có chữ ký"
                }
            )?;
        }
        QrCommand::Keygen {
            out: path,
            issuer_vi,
            issuer_en,
        } => {
            let path = path.unwrap_or_else(|| data_dir.join(paths::SIGNING_KEY_FILE));
            let signer = BoardSigner::generate()?;
            signer.write(&path)?;
            eprintln!(
                "civic: private key written to {} (keep it secret; it is never overwritten)",
                path.display()
            );
            let entry = toml_entry(&issuer_vi, &issuer_en, &signer.public_key());
            write!(
                out,
                "# Add to the city profile (key {}):\n{entry}",
                signer.fingerprint()
            )?;
        }
    }
    Ok(())
}

/// The `[[qr.signing_keys]]` table for a city profile.
fn toml_entry(issuer_vi: &str, issuer_en: &str, public_key: &str) -> String {
    let quote = |s: &str| serde_json::Value::String(s.to_owned()).to_string();
    format!(
        "[[qr.signing_keys]]\npublic_key = {}\nissuer = {{ vi = {}, en = {} }}\n",
        quote(public_key),
        quote(issuer_vi),
        quote(issuer_en)
    )
}

/// Sign-in for the city the catalog was last synced from, its session in the OS keyring.
fn open_auth(data_dir: &std::path::Path) -> Result<civic_core::auth::Auth, CliError> {
    let store = open_store(data_dir)?;
    Ok(civic_core::auth::Auth::for_city(
        store.city()?.as_ref(),
        data_dir,
        civic_core::auth::Vault::app(),
    )?)
}

fn open_store(data_dir: &std::path::Path) -> Result<CatalogStore, CliError> {
    std::fs::create_dir_all(data_dir)?;
    let opened = CatalogStore::open(&data_dir.join(paths::CATALOG_FILE))?;
    for notice in &opened.notices {
        match notice {
            Notice::CatalogRebuilt => eprintln!(
                "civic: dữ liệu thủ tục bị hỏng nên đã được dựng lại từ bản có sẵn (the catalog was damaged and has been rebuilt)"
            ),
        }
    }
    Ok(opened.store)
}
