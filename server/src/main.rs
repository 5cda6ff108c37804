//! `civic-gateway`: serve the API, publish catalog versions, list them.
#![allow(clippy::print_stdout)] // printing is this binary's job

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use civic_gateway::platform::admin::AdminError;
use civic_gateway::platform::storage::Database;
use civic_gateway::{bus, catalog, city, feedback, parking};
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

/// `serve`, then each feature's own subcommands (its `admin.rs`).
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
        #[command(flatten)]
        feedback: feedback::admin::FeedbackArgs,
        #[command(flatten)]
        bus: bus::admin::BusArgs,
        #[command(flatten)]
        parking: parking::admin::ParkingArgs,
    },
    #[command(flatten)]
    Catalog(catalog::admin::Command),
    #[command(flatten)]
    Feedback(feedback::admin::Command),
    #[command(flatten)]
    Parking(parking::admin::Command),
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

fn default_database() -> std::io::Result<String> {
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

async fn run(cli: Cli) -> Result<(), AdminError> {
    let database = match cli.database {
        Some(database) => database,
        None => default_database()?,
    };
    let database = Database::connect(&database).await?;
    let said = match cli.command {
        Command::Serve {
            addr,
            city,
            trusted_proxies,
            feedback,
            bus,
            parking,
        } => {
            let options = civic_gateway::http::Options {
                bus: bus.load()?,
                feedback_services: Some(feedback.load()?),
                payment_secret: parking.secret()?,
            };
            return serve(database, addr, &city, trusted_proxies, options).await;
        }
        Command::Catalog(command) => {
            command
                .run(&catalog::repository::Backend::open(&database).await?)
                .await?
        }
        Command::Feedback(command) => command.run(&database).await?,
        Command::Parking(command) => command.run(&database).await?,
    };
    if !said.is_empty() {
        println!("{said}");
    }
    Ok(())
}

async fn serve(
    database: Database,
    addr: SocketAddr,
    city_path: &Path,
    trusted_proxies: Vec<std::net::IpAddr>,
    options: civic_gateway::http::Options,
) -> Result<(), AdminError> {
    let city = city::load(city_path)?;
    let repo = catalog::repository::Backend::open(&database).await?;
    if let Some(seeded) = catalog::admin::seed_if_empty(&repo).await? {
        println!("{seeded}");
    }
    let state = civic_gateway::http::AppState::open_with(repo, &city, options).await?;
    let (listener, local) = civic_gateway::serve::bind(addr)
        .await
        .map_err(|e| std::io::Error::new(e.kind(), format!("cannot listen on {addr}: {e}")))?;
    // The first line on stdout: scripts and tests read the port from it.
    println!(
        "civic-gateway listening on http://{local} ({} database, city {})",
        database.kind(),
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

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    /// Clap checks the whole command line only when a subcommand is built; this builds them
    /// all, so features' arguments that clash fail here rather than at an operator's prompt.
    #[test]
    fn every_feature_s_arguments_fit_together() {
        Cli::command().debug_assert();
        let cli = Cli::try_parse_from([
            "civic-gateway",
            "serve",
            "--city",
            "city.toml",
            "--bus-gtfs",
            "feed.zip",
            "--payment-secret-file",
            "secret",
        ])
        .expect("serve parses");
        let Command::Serve { bus, parking, .. } = cli.command else {
            panic!("not serve: {:?}", cli.command);
        };
        assert_eq!(bus.bus_gtfs, Some(PathBuf::from("feed.zip")));
        assert_eq!(parking.payment_secret_file, Some(PathBuf::from("secret")));
        for admin in [
            &["versions"][..],
            &["import-lots", "lots.toml"],
            &["api-key", "add", "app"],
            &["staff-token", "revoke", "ward"],
            &["parking-token", "add", "lot-1"],
        ] {
            let line = std::iter::once("civic-gateway").chain(admin.iter().copied());
            assert!(Cli::try_parse_from(line).is_ok(), "{admin:?}");
        }
    }
}
