/// Why an Open311 answer could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Open311Error {
    #[error("not an Open311 endpoint address: {0}")]
    BadAddress(String),
    /// Plain http to another machine: reports carry places and photos of residents.
    #[error("an Open311 endpoint must be https (http only on this device): {0}")]
    NotEncrypted(String),
    #[error("the Open311 endpoint cannot be reached: {0}")]
    Offline(String),
    /// The endpoint answered with the spec's error array (`[{code, description}]`).
    #[error("the endpoint refused ({status}): {}", describe(.errors))]
    Refused {
        status: u16,
        errors: Vec<civic_types::feedback::Open311Error>,
    },
    #[error("the answer is not GeoReport v2 {format}: {detail}")]
    Malformed {
        format: crate::Format,
        detail: String,
    },
    #[error("the answer is larger than {limit} bytes")]
    TooLarge { limit: usize },
}

fn describe(errors: &[civic_types::feedback::Open311Error]) -> String {
    if errors.is_empty() {
        return "no reason given".to_owned();
    }
    errors
        .iter()
        .map(|e| format!("{} {}", e.code, e.description))
        .collect::<Vec<_>>()
        .join("; ")
}

impl Open311Error {
    /// What the front ends say about it.
    pub fn code(&self) -> civic_types::error::ErrorCode {
        use civic_types::error::ErrorCode;
        match self {
            Self::BadAddress(_) => ErrorCode::ReportsAddress,
            Self::NotEncrypted(_) => ErrorCode::ReportsNotEncrypted,
            Self::Offline(_) => ErrorCode::ReportsOffline,
            Self::Refused { .. } => ErrorCode::ReportsRefused,
            Self::Malformed { .. } | Self::TooLarge { .. } => ErrorCode::ReportsUnusable,
        }
    }
}
