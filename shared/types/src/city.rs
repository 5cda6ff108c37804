//! The city profile: what a city's gateway says about the city (`GET /v1/city`).

use serde::{Deserialize, Serialize};

use crate::auth::AuthConfig;
use crate::qr::QrPolicy;
use crate::status::Feature;

/// What a city's gateway tells the app about the city (`GET /v1/city`). Operators edit it as
/// a data file, so one app build serves any province. Unknown fields are ignored here, so an
/// older app keeps working with a newer gateway; the gateway itself rejects unknown keys in
/// the operator's file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    pub auth: Option<AuthConfig>,
    /// Where residents' reports go; none: the city takes no reports through the app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<FeedbackConfig>,
    /// The area the app's offline map covers (a report's pin, later bus routes and car
    /// parks); none: no map, places are typed or picked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map: Option<CityMap>,
    /// Street-parking zones, their tariffs and whom to pay; none: no parking sessions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parking: Option<crate::parking::ParkingConfig>,
}

/// A map of the city drawn on the device, no tiles and no network: the city's box and the
/// landmarks residents find their way by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CityMap {
    /// Decimal degrees (WGS 84).
    pub south: f64,
    pub west: f64,
    pub north: f64,
    pub east: f64,
    #[serde(default)]
    pub landmarks: Vec<Landmark>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Landmark {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
}

impl CityMap {
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        (self.south..=self.north).contains(&lat) && (self.west..=self.east).contains(&lon)
    }
}

/// The city's Open311 GeoReport v2 service for residents' reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedbackConfig {
    /// The app's Open311 `api_key`. It names the app to the back office (and lets the city
    /// revoke it); like any key built into a public app it is not a secret.
    pub api_key: String,
    /// The GeoReport v2 base, when the city runs its own back office; none: the gateway's
    /// own `/open311/v2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// The handling rule residents are shown: a report is due this many working days after
    /// it arrives.
    #[serde(default = "three")]
    pub due_working_days: u32,
}

fn three() -> u32 {
    3
}

/// Older profiles name no zone: every Vietnamese city is on `Asia/Ho_Chi_Minh`.
pub(crate) fn vietnam_time_zone() -> String {
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
