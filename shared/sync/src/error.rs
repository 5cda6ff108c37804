/// Why a sync round, or one component's part of it, did not complete. Nothing is applied
/// on any of these.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    #[error("`{0}` is not a gateway address (expected http:// or https://)")]
    BadAddress(String),
    #[error("`{0}` is plain http: only https is accepted, except on this device")]
    NotEncrypted(String),
    #[error("the gateway cannot be reached; working offline ({0})")]
    Offline(String),
    #[error("the transfer was cut off after {received} of {expected} bytes; nothing was changed")]
    Interrupted { received: u64, expected: u64 },
    #[error("the gateway answered {status}: {message} ({code})")]
    Gateway {
        status: u16,
        code: String,
        message: String,
    },
    #[error("the gateway sent an update this app cannot use; nothing was changed ({0})")]
    BadResponse(String),
    #[error(
        "the transfer was too slow to finish in time ({received} bytes arrived); nothing was changed"
    )]
    TooSlow { received: u64 },
    #[error("the gateway sent more than {limit} bytes; refused")]
    TooLarge { limit: u64 },
    /// The component's own store failed (its error is the source).
    #[error("the offline data could not be updated: {0}")]
    Store(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl SyncError {
    /// The gateway was not reached (or the connection broke): the app is offline, not broken.
    pub fn is_offline(&self) -> bool {
        matches!(
            self,
            Self::Offline(_) | Self::Interrupted { .. } | Self::TooSlow { .. }
        )
    }

    /// What the front ends say about it.
    pub fn code(&self) -> civic_types::error::ErrorCode {
        use civic_types::error::ErrorCode;
        match self {
            Self::BadAddress(_) => ErrorCode::GatewayAddress,
            Self::NotEncrypted(_) => ErrorCode::GatewayNotEncrypted,
            Self::Offline(_) | Self::Interrupted { .. } | Self::TooSlow { .. } => {
                ErrorCode::Offline
            }
            Self::Gateway { .. } => ErrorCode::GatewayRefused,
            Self::BadResponse(_) | Self::TooLarge { .. } => ErrorCode::GatewayUnusable,
            Self::Store(_) => ErrorCode::Storage,
        }
    }

    /// Wraps a component's store error.
    pub fn store(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Store(Box::new(error))
    }
}
