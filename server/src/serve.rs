//! The gateway's accept loop. Every connection costs a task and a socket, so a client that
//! sends half a request, or holds a connection it does not use, must not keep them:
//! - the request head must arrive within [`HEADER_READ_TIMEOUT`];
//! - a connection lives at most [`CONNECTION_LIFETIME`] (a whole catalog at a slow 3G
//!   rate fits well inside it);
//! - at most [`MAX_CONNECTIONS`] are served at once, and at most
//!   [`MAX_CONNECTIONS_PER_CLIENT`] from one client (address, or IPv6 /64), so one client
//!   cannot take every slot; more are closed at once, and the clients already being served
//!   keep their share. Connections from a trusted reverse proxy carry many clients and are
//!   counted only against the overall limit.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

use crate::platform::client::{Client, ClientKey, TrustedProxies};

pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
pub const CONNECTION_LIFETIME: Duration = Duration::from_secs(10 * 60);
pub const MAX_CONNECTIONS: usize = 512;
pub const MAX_CONNECTIONS_PER_CLIENT: usize = 32;
/// How long a shutdown waits for requests in flight.
const DRAIN: Duration = Duration::from_secs(10);

/// Limits for [`serve`]; tests shrink them.
#[derive(Debug, Clone)]
pub struct Limits {
    pub header_read_timeout: Duration,
    pub connection_lifetime: Duration,
    pub max_connections: usize,
    pub max_connections_per_client: usize,
    pub trusted_proxies: TrustedProxies,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            header_read_timeout: HEADER_READ_TIMEOUT,
            connection_lifetime: CONNECTION_LIFETIME,
            max_connections: MAX_CONNECTIONS,
            max_connections_per_client: MAX_CONNECTIONS_PER_CLIENT,
            trusted_proxies: TrustedProxies::default(),
        }
    }
}

/// Open connections per client; a [`Held`] gives its place back when dropped.
#[derive(Debug, Default)]
struct PerClient(Mutex<HashMap<ClientKey, usize>>);

#[derive(Debug)]
struct Held {
    counts: Arc<PerClient>,
    client: ClientKey,
}

impl PerClient {
    fn take(self: &Arc<Self>, client: ClientKey, limit: usize) -> Option<Held> {
        let mut counts = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let open = counts.entry(client).or_insert(0);
        if *open >= limit {
            return None;
        }
        *open += 1;
        Some(Held {
            counts: Arc::clone(self),
            client,
        })
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        let mut counts = self.counts.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(open) = counts.get_mut(&self.client) {
            *open -= 1;
            if *open == 0 {
                counts.remove(&self.client);
            }
        }
    }
}

/// Connections closed unserved because the limit was reached (for the operator's log).
#[derive(Debug, Default)]
pub struct Refused(AtomicU64);

impl Refused {
    pub fn count(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Serves `router` on `listener` until `shutdown` completes, then waits briefly for the
/// requests in flight.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    refused: Arc<Refused>,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let per_client = Arc::new(PerClient::default());
    let proxies = Arc::new(limits.trusted_proxies.clone());
    let (header_read_timeout, lifetime) = (limits.header_read_timeout, limits.connection_lifetime);
    // Dropped when this loop ends (shutdown, or the task serving it aborted): every
    // connection then finishes its request in flight and closes, idle ones at once.
    let (serving, stopped) = tokio::sync::watch::channel(());
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors or a connection reset before accept: keep serving.
                Err(error) => {
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let from_proxy = proxies.trusts(peer.ip());
        let held = if from_proxy {
            None
        } else {
            match per_client.take(ClientKey::of(peer.ip()), limits.max_connections_per_client) {
                Some(held) => Some(held),
                None => {
                    refused.0.fetch_add(1, Ordering::Relaxed);
                    drop(stream);
                    continue;
                }
            }
        };
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            refused.0.fetch_add(1, Ordering::Relaxed);
            drop(stream);
            continue;
        };
        let router = router.clone();
        let proxies = Arc::clone(&proxies);
        // Each request learns its client, for the limits handlers keep per client.
        let service = TowerToHyperService::new(tower::service_fn(
            move |mut request: axum::extract::Request<hyper::body::Incoming>| {
                let client = proxies.client(peer.ip(), request.headers());
                request.extensions_mut().insert(Client(client));
                router.clone().oneshot(request)
            },
        ));
        let mut stopped = stopped.clone();
        tokio::spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_read_timeout)
                .serve_connection(TokioIo::new(stream), service);
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                () = tokio::time::sleep(lifetime) => {
                    tracing::debug!(%peer, "connection closed at the end of its lifetime");
                }
                _ = stopped.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(DRAIN, connection).await;
                }
            }
            drop(slot);
            drop(held);
        });
    }
    drop(serving);
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(DRAIN, slots.acquire_many(all)).await;
    Ok(())
}

/// Binds `addr` and reports the address actually bound (port 0 picks a free one).
pub async fn bind(addr: SocketAddr) -> std::io::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    Ok((listener, local))
}
