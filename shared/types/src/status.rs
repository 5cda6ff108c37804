use serde::{Deserialize, Serialize};

/// What the app knows about its own data, shown in the header and on the home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppStatus {
    pub catalog: CatalogStatus,
    /// Things the user must be told once, e.g. that a damaged catalog was rebuilt.
    pub notices: Vec<Notice>,
    /// Feature tiles to show: only features that work in this build.
    pub features: Vec<Feature>,
    pub sync: crate::sync::SyncStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogStatus {
    pub procedures: u32,
    /// Where the data came from: the snapshot bundled with the app, or a sync.
    pub source: CatalogSource,
    /// ISO 8601 date of the data.
    pub data_date: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CatalogSource {
    Bundled,
    Synced,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Notice {
    /// The catalog database could not be read and was rebuilt from the bundled snapshot.
    CatalogRebuilt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Feature {
    Procedures,
    Feedback,
    Bus,
    Parking,
    /// A feature named by a newer city profile than this app knows; never shown.
    #[serde(other)]
    Unknown,
}

/// The status command.
pub mod commands {
    pub const STATUS: &str = "app_status";
}
