//! `civic-gateway`: serve the API, publish catalog versions, list them.
#![allow(clippy::print_stdout)] // printing is this binary's job

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use civic_catalog::Snapshot;
use civic_gateway::catalog::repository::{Backend, RepoError, Repository, VersionInfo};
use civic_gateway::catalog::{self, PublishError, Withdrawals};
use civic_gateway::city::{self, CityError};
use civic_gateway::feedback::catalogue::Catalogue;
use civic_gateway::parking::repository::{ParkingBackend, ParkingRepository};
use civic_gateway::platform::credentials::{CredentialKind, CredentialStore, Credentials};
use civic_types::parking::Lot;
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "civic-gateway",
    version,
    about = "The city gateway for the Civic app"
)]
struct Cli {
    /// `postgres://…` for PostgreSQL; otherwise a SQLite file
    /// (default: $CIVIC_GATEWAY_DATA_DIR/gateway.sqlite3, else ~/.local/share/civic-gateway/).
    #[arg(long, global = true)]
    database: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the HTTP API. An empty catalog is first seeded from the snapshot built into
    /// this gateway, so a new city works at once.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// The city profile (TOML), e.g. assets/cities/ninh-binh.toml.
        #[arg(long)]
        city: PathBuf,
        /// A reverse proxy in front of the gateway (repeat for several): its
        /// `X-Forwarded-For` names the client for per-client limits. Anyone else's is ignored.
        #[arg(long = "trusted-proxy", value_name = "IP")]
        trusted_proxies: Vec<std::net::IpAddr>,
        /// The kinds of feedback report this city takes (TOML, the shape of
        /// assets/feedback/services.toml; default: that file, built in).
        #[arg(long, value_name = "FILE")]
        feedback_services: Option<PathBuf>,
        /// The city's bus timetable (a GTFS zip), served at /v1/bus/gtfs.zip.
        #[arg(long, value_name = "ZIP")]
        bus_gtfs: Option<PathBuf>,
        /// Live bus data to replay at /v1/bus/realtime: GTFS-Realtime captures (trip
        /// updates, vehicle positions, alerts), merged into one message; repeatable.
        #[arg(long, value_name = "FILE")]
        bus_realtime: Vec<PathBuf>,
        /// A file holding the bank connector's shared secret (32 bytes or more), under
        /// which payment notices are signed; without it /v1/parking/payments refuses them.
        /// A file, so the secret never appears on a command line.
        #[arg(long, value_name = "FILE")]
        payment_secret_file: Option<PathBuf>,
    },
    /// Publish a new catalog version from a portal scrape (JSON lines, `.gz` allowed).
    ImportCatalog {
        file: PathBuf,
        /// Date of the data, ISO 8601 (default: today, UTC).
        #[arg(long)]
        data_date: Option<String>,
        /// Publish even if it withdraws a large part of the catalog (more than a tenth):
        /// without this such an import is refused as most likely truncated, and apps
        /// refuse such an update unless the gateway says it was confirmed.
        #[arg(long)]
        confirm_withdrawals: bool,
    },
    /// List the published catalog versions, newest first.
    Versions,
    /// Add or replace the city's car parks from a file (TOML, `[[lots]]` tables as
    /// assets/parking/da-nang-lots.toml); operators then report occupancy over HTTP.
    ImportLots { file: PathBuf },
    /// API keys of the apps that post feedback reports (Open311 `api_key`).
    ApiKey {
        #[command(subcommand)]
        action: CredentialAction,
    },
    /// Staff tokens, for changing a report's status (`Authorization: Bearer …`).
    StaffToken {
        #[command(subcommand)]
        action: CredentialAction,
    },
    /// Car-park operators' tokens, for reporting occupancy and reading the day's payments
    /// (`Authorization: Bearer …`).
    ParkingToken {
        #[command(subcommand)]
        action: CredentialAction,
    },
}

#[derive(Debug, Subcommand)]
enum CredentialAction {
    /// Issue a new secret for NAME and print it once; only its digest is kept.
    Add { name: String },
    /// Revoke every secret issued to NAME.
    Revoke { name: String },
}

#[derive(Debug, thiserror::Error)]
enum GatewayError {
    #[error(transparent)]
    Repo(#[from] RepoError),
    #[error(transparent)]
    Publish(#[from] PublishError),
    #[error(transparent)]
    City(#[from] CityError),
    #[error(transparent)]
    Import(#[from] civic_catalog::import::ImportError),
    #[error(transparent)]
    Snapshot(#[from] civic_catalog::SnapshotError),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("cannot encode the city profile: {0}")]
    Json(#[from] serde_json::Error),
    #[error("`{0}` is not an ISO date (YYYY-MM-DD)")]
    BadDate(String),
    #[error(transparent)]
    State(#[from] civic_gateway::http::StateError),
    #[error(transparent)]
    Lots(#[from] civic_gateway::parking::lots::LotsFileError),
    #[error(transparent)]
    Services(#[from] civic_gateway::feedback::catalogue::CatalogueError),
    #[error("nothing was issued to `{0}`")]
    NoSuchName(String),
    #[error(transparent)]
    Bus(#[from] civic_gateway::bus::BusError),
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("civic-gateway: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("civic-gateway: {error}");
            ExitCode::FAILURE
        }
    }
}

fn default_database() -> Result<String, GatewayError> {
    let dir = std::env::var_os("CIVIC_GATEWAY_DATA_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share/civic-gateway"))
        })
        .unwrap_or_else(|| PathBuf::from("civic-gateway-data"));
    std::fs::create_dir_all(&dir)?;
    Ok(dir.join("gateway.sqlite3").display().to_string())
}

async fn run(cli: Cli) -> Result<(), GatewayError> {
    let database = match cli.database {
        Some(database) => database,
        None => default_database()?,
    };
    let repo = Backend::connect(&database).await?;
    match cli.command {
        Command::Serve {
            addr,
            city,
            trusted_proxies,
            feedback_services,
            bus_gtfs,
            bus_realtime,
            payment_secret_file,
        } => {
            let services = match feedback_services {
                Some(path) => Catalogue::load(&path)?,
                None => Catalogue::bundled()?,
            };
            let bus = civic_gateway::bus::BusState::load(&civic_gateway::bus::BusFiles {
                gtfs: bus_gtfs,
                realtime: bus_realtime,
            })?;
            let payment_secret = match payment_secret_file {
                Some(path) => Some(
                    std::fs::read(&path)
                        .map(|s| s.trim_ascii().to_vec())
                        .map_err(|e| {
                            GatewayError::Io(std::io::Error::new(
                                e.kind(),
                                format!("{}: {e}", path.display()),
                            ))
                        })?,
                ),
                None => None,
            };
            let options = civic_gateway::http::Options {
                bus,
                feedback_services: Some(services),
                payment_secret,
            };
            serve(repo, addr, &city, trusted_proxies, options).await
        }
        Command::ApiKey { action } => {
            credentials(&repo, civic_gateway::feedback::handlers::APP, action).await
        }
        Command::StaffToken { action } => {
            credentials(&repo, civic_gateway::feedback::handlers::STAFF, action).await
        }
        Command::ParkingToken { action } => {
            credentials(&repo, civic_gateway::parking::OPERATOR, action).await
        }
        Command::ImportCatalog {
            file,
            data_date,
            confirm_withdrawals,
        } => {
            let data_date = match data_date {
                Some(date) if civic_time::is_iso_date(&date) => date,
                Some(date) => return Err(GatewayError::BadDate(date)),
                None => civic_time::today(&civic_time::vietnam()),
            };
            let (procedures, report) = civic_catalog::import::import_file(&file)?;
            print!("{report}");
            let withdrawals = if confirm_withdrawals {
                Withdrawals::Confirmed
            } else {
                Withdrawals::Guarded
            };
            let published = catalog::publish(
                &repo,
                procedures,
                data_date,
                civic_time::now_unix(),
                withdrawals,
            )
            .await?;
            print_published(published.as_ref());
            Ok(())
        }
        Command::ImportLots { file } => {
            let lots = civic_gateway::parking::lots::read_file(&file)?;
            let repo = ParkingBackend::open(&repo.database()).await?;
            let count = lots.len();
            let now = civic_time::now_unix();
            for lot in lots {
                repo.put_lot(Lot {
                    updated: now,
                    ..lot
                })
                .await?;
            }
            println!("{count} car park(s) stored");
            Ok(())
        }
        Command::Versions => {
            for v in repo.versions().await? {
                println!(
                    "version {}: data {} · published {} · +{} ~{} -{}{}",
                    v.version,
                    v.data_date,
                    civic_time::date_in(v.published_at, &civic_time::vietnam()),
                    v.added,
                    v.changed,
                    v.removed,
                    if v.withdrawals_confirmed {
                        " (withdrawals confirmed)"
                    } else {
                        ""
                    }
                );
            }
            Ok(())
        }
    }
}

async fn credentials(
    repo: &Backend,
    kind: CredentialKind,
    action: CredentialAction,
) -> Result<(), GatewayError> {
    let store = CredentialStore::open(&repo.database()).await?;
    match action {
        CredentialAction::Add { name } => {
            let secret = store.issue(kind, &name).await?;
            // Shown once, to the operator who asked; the gateway keeps only its digest.
            println!("{secret}");
            Ok(())
        }
        CredentialAction::Revoke { name } => {
            match store
                .revoke(kind, name.clone(), civic_time::now_unix())
                .await?
            {
                0 => Err(GatewayError::NoSuchName(name)),
                n => {
                    println!("revoked {n} secret(s) of {name}");
                    Ok(())
                }
            }
        }
    }
}

fn print_published(published: Option<&VersionInfo>) {
    match published {
        Some(v) => println!(
            "published catalog version {} (data {}): {} added, {} changed, {} withdrawn",
            v.version, v.data_date, v.added, v.changed, v.removed
        ),
        None => println!("the catalog is unchanged; no new version"),
    }
}

async fn serve(
    repo: Backend,
    addr: SocketAddr,
    city_path: &Path,
    trusted_proxies: Vec<std::net::IpAddr>,
    options: civic_gateway::http::Options,
) -> Result<(), GatewayError> {
    let city = city::load(city_path)?;
    if repo.head().await?.is_none() {
        let bundled = Snapshot::bundled()?;
        tracing::info!(
            procedures = bundled.procedures.len(),
            "empty catalog: seeding from the bundled snapshot"
        );
        let published = catalog::publish(
            &repo,
            bundled.procedures,
            bundled.data_date,
            civic_time::now_unix(),
            Withdrawals::Guarded,
        )
        .await?;
        print_published(published.as_ref());
    }
    let state = civic_gateway::http::AppState::open_with(repo.clone(), &city, options).await?;
    let (listener, local) = civic_gateway::serve::bind(addr)
        .await
        .map_err(|source| GatewayError::Listen { addr, source })?;
    // The first line on stdout: scripts and tests read the port from it.
    println!(
        "civic-gateway listening on http://{local} ({} database, city {})",
        repo.kind(),
        city.id
    );
    let refused = std::sync::Arc::default();
    civic_gateway::serve::serve(
        listener,
        civic_gateway::http::router(state),
        civic_gateway::serve::Limits {
            trusted_proxies: civic_gateway::platform::client::TrustedProxies::new(trusted_proxies),
            ..civic_gateway::serve::Limits::default()
        },
        std::sync::Arc::clone(&refused),
        shutdown_signal(),
    )
    .await?;
    if refused.count() > 0 {
        tracing::warn!(
            refused = refused.count(),
            "connections were refused at the connection limit"
        );
    }
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
}
