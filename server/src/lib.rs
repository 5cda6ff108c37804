//! `civic-gateway`: the backend a province or city runs for Civic.
//!
//! Layers: [`api`] (axum handlers, OpenAPI) → [`catalog`] (publish, cursors, encodings) →
//! [`repo`] (the [`repo::Repository`] trait; SQLite and PostgreSQL backends). [`city`] loads
//! the operator's city profile. Only `repo` does database IO.

pub mod api;
pub mod catalog;
pub mod city;
pub mod repo;

use std::net::SocketAddr;

/// Lowercase hex: record digests, ETags, database epochs.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Serves the API for `backend` on a free loopback port, in the caller's tokio runtime: for
/// other crates' tests and local demos. Abort the handle to take the gateway offline.
pub async fn serve_loopback(
    backend: repo::Backend,
    city: &civic_types::CityProfile,
) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<std::io::Result<()>>)> {
    let state = api::AppState::new(backend, city)?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move { axum::serve(listener, api::router(state)).await });
    Ok((addr, task))
}
