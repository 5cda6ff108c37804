use civic_types::error::ErrorCode;

use crate::{Open311Error, PhotoError};

/// Why an outbox operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FeedbackError {
    #[error("the reports on this device cannot be read or written: {0}")]
    Store(#[from] rusqlite::Error),
    #[error(transparent)]
    Open(#[from] civic_db::OpenError),
    #[error(transparent)]
    Photo(#[from] PhotoError),
    #[error(transparent)]
    Open311(#[from] Open311Error),
    #[error("the report is not complete: {0}")]
    Incomplete(&'static str),
    #[error("the report's answer to `{}` is missing or does not fit the question", .0.code)]
    Unanswered(crate::form::FormProblem),
    #[error("there is no report {0} on this device")]
    NotFound(i64),
    #[error("report {0} is already on its way and can no longer be changed")]
    NotEditable(i64),
}

impl civic_types::error::Coded for FeedbackError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::Store(_) | Self::Open(_) => ErrorCode::Storage,
            Self::Photo(error) => error.code(),
            Self::Open311(error) => error.code(),
            Self::Incomplete(_) | Self::Unanswered(_) | Self::NotEditable(_) => {
                ErrorCode::ReportIncomplete
            }
            Self::NotFound(_) => ErrorCode::ReportNotFound,
        }
    }
}
