//! `civic-sync`: the app's side of the city gateway. The HTTP client every component syncs
//! through ([`Gateway`]: conditional requests, capped compressed bodies, progress), the
//! [`SyncComponent`] trait a component implements to keep data from the gateway, and the one
//! [`Scheduler`] the desktop host and the CLI both run.
//!
//! IO: the network, in `client` only.

mod client;
mod component;
mod error;
mod link;
mod scheduler;

pub use client::{Answer, Gateway, query_escape, secure_client};
pub use component::{Freshness, SyncComponent};
pub use error::SyncError;
pub use link::Link;
pub use scheduler::{ComponentSync, OFFLINE_RETRY, Scheduler};
