//! `civic-gateway`: the backend a province or city runs for Civic.
//!
//! One folder per feature (`bus/`, `catalog/`, `city/`, `feedback/`, `parking/`), each with
//! its handlers, service and, where it keeps data, a repository over SQLite and PostgreSQL
//! with its SQL, standing on [`platform`] (storage, HTTP answers, credentials, clients) and
//! never on each other. [`http`] joins the features' routes into one router. Only
//! repositories do database IO.

pub mod bus;
pub mod catalog;
pub mod city;
pub mod feedback;
pub mod http;
pub mod parking;
pub mod platform;
pub mod serve;

use std::net::SocketAddr;

/// Serves the API for `backend` on a free loopback port, in the caller's tokio runtime: for
/// other crates' tests and local demos. Abort the handle to take the gateway offline.
pub async fn serve_loopback(
    backend: catalog::repository::Backend,
    city: &civic_types::city::CityProfile,
) -> Result<(SocketAddr, tokio::task::JoinHandle<std::io::Result<()>>), LoopbackError> {
    serve_loopback_on(0, backend, city).await
}

/// [`serve_loopback`] on loopback port `port` (0: any free one): a gateway brought back
/// where the app knew it.
pub async fn serve_loopback_on(
    port: u16,
    backend: catalog::repository::Backend,
    city: &civic_types::city::CityProfile,
) -> Result<(SocketAddr, tokio::task::JoinHandle<std::io::Result<()>>), LoopbackError> {
    serve_loopback_with(port, backend, city, http::Options::default()).await
}

/// [`serve_loopback_on`] with `options`: the city's bus timetable and live data, the
/// payment webhook's secret.
pub async fn serve_loopback_with(
    port: u16,
    backend: catalog::repository::Backend,
    city: &civic_types::city::CityProfile,
    options: http::Options,
) -> Result<(SocketAddr, tokio::task::JoinHandle<std::io::Result<()>>), LoopbackError> {
    let state = http::AppState::open_with(backend, city, options).await?;
    let (listener, addr) = serve::bind(([127, 0, 0, 1], port).into()).await?;
    let task = tokio::spawn(serve::serve(
        listener,
        http::router(state),
        serve::Limits::default(),
        std::sync::Arc::default(),
        std::future::pending(),
    ));
    Ok((addr, task))
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoopbackError {
    #[error(transparent)]
    State(#[from] http::StateError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}
