use serde::{Deserialize, Serialize};

use crate::city::{LocalizedText, vietnam_time_zone};
use crate::error::ErrorCode;

/// How the offline data relates to the city's gateway, for the status line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncStatus {
    /// The gateway this app syncs with, if one is configured.
    pub gateway: Option<String>,
    /// The city's name, once its profile has been fetched.
    pub city: Option<LocalizedText>,
    /// The IANA zone every time is shown in: the city's, Vietnam's before a profile arrives.
    #[serde(default = "vietnam_time_zone")]
    pub time_zone: String,
    /// Unix seconds of the last time the gateway confirmed the data (changed or not).
    pub last_checked: Option<i64>,
    pub state: SyncState,
    /// The data may be out of date: older than the city's freshness limit.
    pub stale: bool,
    /// Each synced component (city profile, catalog, …) on its own, in sync order.
    #[serde(default)]
    pub components: Vec<ComponentSyncStatus>,
}

/// One component's part of the sync status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentSyncStatus {
    /// `city`, `catalog`, …
    pub component: String,
    pub state: SyncState,
    /// Unix seconds of the last time the gateway confirmed this component's data.
    pub last_checked: Option<i64>,
    /// Older than the city's freshness limit.
    pub stale: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum SyncState {
    /// Nothing under way; the last attempt (if any) succeeded.
    Idle,
    /// A transfer is under way; `total` when the gateway announced a length.
    Syncing { received: u64, total: Option<u64> },
    /// The gateway could not be reached: the app works on its offline data.
    Offline,
    /// The gateway answered but the update could not be used; nothing was applied.
    Failed { code: ErrorCode },
}

/// What one sync did, for the CLI and the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncReport {
    pub outcome: SyncOutcome,
    pub added: u32,
    pub changed: u32,
    pub removed: u32,
    /// Bytes received from the gateway, compressed, bodies only.
    pub bytes: u64,
    pub data_date: String,
}

impl SyncReport {
    /// Nothing changed; `bytes` were received to learn so.
    pub fn unchanged(bytes: u64) -> Self {
        Self {
            outcome: SyncOutcome::Unchanged,
            added: 0,
            changed: 0,
            removed: 0,
            bytes,
            data_date: String::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SyncOutcome {
    /// The gateway confirmed the app already holds its current version.
    Unchanged,
    /// Only the changes were transferred and applied.
    Delta,
    /// The whole catalog was transferred and replaced the offline copy.
    Full,
}

/// The sync component's Tauri command.
pub mod commands {
    pub const SYNC_NOW: &str = "sync_now";
}

/// Events the host emits about sync.
pub mod events {
    /// Payload: [`super::SyncStatus`], on every change (progress included).
    pub const SYNC_STATUS: &str = "sync-status";
}
