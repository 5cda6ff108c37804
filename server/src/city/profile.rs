//! The city profile: a TOML file the operator edits, served as JSON at `GET /v1/city`.

use std::path::Path;

use civic_types::city::CityProfile;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CityError {
    #[error("cannot read the city profile {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("the city profile {path} is not valid: {source}")]
    Parse {
        path: String,
        source: Box<toml::de::Error>,
    },
    #[error("the city profile {path} has an unknown key `{key}` (a typo?)")]
    UnknownKey { path: String, key: String },
    #[error("the city profile {path} is not valid: {problem}")]
    Invalid { path: String, problem: &'static str },
    #[error("the city profile {path} has parking rules that do not check: {source}")]
    Parking {
        path: String,
        source: civic_parking::ParkingError,
    },
}

/// Reads and checks a profile, so a typo stops the gateway at start-up rather than
/// reaching every phone in the province.
pub fn load(path: &Path) -> Result<CityProfile, CityError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| CityError::Read {
        path: shown.clone(),
        source,
    })?;
    // A key the gateway does not know is most likely a typo that would silently do nothing.
    let mut unknown = Vec::new();
    let deserializer = toml::Deserializer::parse(&text).map_err(|source| CityError::Parse {
        path: shown.clone(),
        source: Box::new(source),
    })?;
    let profile: CityProfile =
        serde_ignored::deserialize(deserializer, |key| unknown.push(key.to_string())).map_err(
            |source| CityError::Parse {
                path: shown.clone(),
                source: Box::new(source),
            },
        )?;
    if let Some(key) = unknown.first() {
        return Err(CityError::UnknownKey {
            path: shown,
            key: key.clone(),
        });
    }
    if let Some(problem) = civic_city::problem(&profile) {
        return Err(CityError::Invalid {
            path: shown,
            problem,
        });
    }
    if let Some(parking) = &profile.parking {
        civic_parking::CheckedConfig::new(parking.clone()).map_err(|source| {
            CityError::Parking {
                path: shown,
                source,
            }
        })?;
    }
    Ok(profile)
}
