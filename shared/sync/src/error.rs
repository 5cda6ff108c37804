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
    #[error(
        "the update would withdraw {withdrawn} of the {held} procedures held and the gateway did not confirm it; nothing was changed"
    )]
    UnconfirmedWithdrawal { withdrawn: usize, held: usize },
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

    /// Worth trying again soon rather than at the next interval: offline, or a gateway that
    /// said it is busy (429, 503).
    pub fn is_transient(&self) -> bool {
        self.is_offline()
            || matches!(
                self,
                Self::Gateway {
                    status: 429 | 503,
                    ..
                }
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
            Self::UnconfirmedWithdrawal { .. } => ErrorCode::CatalogWithdrawal,
            Self::Store(_) => ErrorCode::Storage,
        }
    }

    /// Wraps a component's store error.
    pub fn store(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Store(Box::new(error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_gateway_is_tried_again_soon_but_a_refusal_is_not() {
        let answered = |status| SyncError::Gateway {
            status,
            code: "x".into(),
            message: "y".into(),
        };
        assert!(answered(429).is_transient());
        assert!(answered(503).is_transient());
        assert!(SyncError::Offline("down".into()).is_transient());
        assert!(!answered(400).is_transient());
        assert!(!answered(429).is_offline(), "busy is not offline");
        let withdrawal = SyncError::UnconfirmedWithdrawal {
            withdrawn: 300,
            held: 2642,
        };
        assert!(!withdrawal.is_transient());
        assert_eq!(
            withdrawal.code(),
            civic_types::error::ErrorCode::CatalogWithdrawal
        );
    }
}
