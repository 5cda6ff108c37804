//! What a component implements to be synced by the [`crate::Scheduler`].

use civic_types::sync::SyncReport;

use crate::{Gateway, SyncError};

/// How fresh a component's offline data is, as of some moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Freshness {
    /// Unix seconds of the last time the gateway confirmed the data (changed or not).
    pub last_checked: Option<i64>,
    /// Older than the city's limit: shown as possibly out of date.
    pub stale: bool,
}

/// A component that keeps data from the city's gateway (the city profile and the catalog
/// now; the feedback outbox, bus feeds and parking later).
///
/// Contract: `sync` asks the gateway for what changed since the component's own checkpoint
/// and applies it all or nothing; it holds its store's lock only while applying, never
/// while the network is in use. A checkpoint belongs to the gateway it came from: another
/// gateway starts from nothing.
pub trait SyncComponent: Send + Sync + std::fmt::Debug {
    /// Stable name for status, events and logs (`city`, `catalog`).
    fn name(&self) -> &'static str;

    /// One exchange with `gateway` at `now` (Unix seconds). `progress(received, total)` as
    /// bytes arrive.
    fn sync(
        &self,
        gateway: &Gateway,
        now: i64,
        progress: &mut dyn FnMut(u64, Option<u64>),
    ) -> Result<SyncReport, SyncError>;

    /// How fresh the offline data is at `now`.
    fn freshness(&self, now: i64) -> Result<Freshness, SyncError>;

    /// A moment (Unix seconds) before the next interval at which this component wants a
    /// round: a queued report's next attempt. `None`: the interval will do.
    fn next_due(&self, _now: i64) -> Option<i64> {
        None
    }
}
