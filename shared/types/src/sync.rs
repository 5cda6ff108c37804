use serde::{Deserialize, Serialize};

use crate::{Feature, Procedure, QrPolicy};

/// Version of the catalog wire format (`GET /v1/catalog`); the app refuses other versions.
pub const CATALOG_WIRE_FORMAT: u32 = 1;

/// The body of `GET /v1/catalog`: the whole catalog, or the changes since the client's cursor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogUpdate {
    pub format: u32,
    /// Opaque; send it back as `?since=` to get only what changed after this version.
    pub cursor: String,
    /// ISO date of the data in this version.
    pub data_date: String,
    pub changes: CatalogChanges,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum CatalogChanges {
    /// Every procedure: replaces whatever the client holds.
    Full { procedures: Vec<Procedure> },
    /// Applied on top of the version named by `since`.
    Delta {
        since: String,
        /// Procedures created or changed since then, whole.
        upserts: Vec<Procedure>,
        /// Codes of procedures withdrawn since then.
        deletes: Vec<String>,
    },
}

/// An error from the gateway: a stable code for programs and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub code: String,
    pub message: String,
}

/// What a city's gateway tells the app about the city (`GET /v1/city`). Operators edit it as
/// a data file, so one app build serves any province. Unknown fields are ignored here, so an
/// older app keeps working with a newer gateway; the gateway itself rejects unknown keys in
/// the operator's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CityProfile {
    /// Stable identifier, e.g. `ninh-binh`.
    pub id: String,
    pub name: LocalizedText,
    /// Province code in the 2025 administrative units (e.g. `37` for Ninh Bình).
    pub province_code: String,
    /// The IANA time zone every date and time of this city is shown in.
    #[serde(default = "vietnam_time_zone")]
    pub time_zone: String,
    /// Features the city offers; the app shows those it also supports.
    pub features: Vec<Feature>,
    pub sync: SyncPolicy,
    /// What QR codes may point at and which board signatures count. Older gateways send none.
    #[serde(default)]
    pub qr: QrPolicy,
    /// The identity provider for signing in; none: no sign-in offered (older gateways too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<crate::AuthConfig>,
}

/// Older profiles name no zone: every Vietnamese city is on `Asia/Ho_Chi_Minh`.
fn vietnam_time_zone() -> String {
    "Asia/Ho_Chi_Minh".to_owned()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocalizedText {
    pub vi: String,
    pub en: String,
}

impl LocalizedText {
    /// The text in `language` (`vi` or `en`); Vietnamese for anything else.
    pub fn get(&self, language: &str) -> &str {
        if language == "en" { &self.en } else { &self.vi }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncPolicy {
    /// How often a running app asks for changes.
    pub interval_minutes: u32,
    /// Data not confirmed with the gateway for longer than this is shown as possibly out of date.
    pub catalog_max_age_hours: u32,
}

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
    Failed { code: crate::ErrorCode },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_older_app_reads_a_newer_city_profile() {
        let json = r#"{
            "id": "da-nang", "province_code": "48",
            "name": {"vi": "Thành phố Đà Nẵng", "en": "Da Nang City", "fr": "Da Nang"},
            "features": ["procedures", "teleport"],
            "sync": {"interval_minutes": 30, "catalog_max_age_hours": 72, "jitter_seconds": 5},
            "identity_provider": {"issuer": "https://id.example"}
        }"#;
        let profile: CityProfile = serde_json::from_str(json).expect("still readable");
        assert_eq!(
            profile.features,
            vec![Feature::Procedures, Feature::Unknown]
        );
        assert_eq!(profile.name.get("en"), "Da Nang City");
        assert_eq!(
            profile.name.get("fr"),
            "Thành phố Đà Nẵng",
            "Vietnamese by default"
        );
    }
}
