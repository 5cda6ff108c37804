/// Why a feed was refused whole (rows the reader could not use are reported, not errors).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransitError {
    #[error("the feed is not a readable zip file (truncated or damaged): {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("the feed has no {0}, which GTFS requires")]
    MissingFile(&'static str),
    #[error("{file}: {detail}")]
    Csv { file: &'static str, detail: String },
    #[error("the feed names no valid agency_timezone ({0:?})")]
    TimeZone(String),
    #[error("the feed has no stop times that could be used")]
    Empty,
    #[error("no stop {0} in the feed")]
    UnknownStop(String),
    #[error("no route {0} in the feed")]
    UnknownRoute(String),
    #[error("{0} is not a folder of GTFS files")]
    Folder(String),
    #[error("the live data (GTFS-Realtime) cannot be read: {0}")]
    Realtime(String),
}

impl TransitError {
    pub fn code(&self) -> civic_types::error::ErrorCode {
        use civic_types::error::ErrorCode;
        match self {
            Self::UnknownStop(_) | Self::UnknownRoute(_) => ErrorCode::UnknownStop,
            Self::Realtime(_) => ErrorCode::LiveFeedUnreadable,
            Self::Zip(_)
            | Self::MissingFile(_)
            | Self::Csv { .. }
            | Self::TimeZone(_)
            | Self::Folder(_)
            | Self::Empty => ErrorCode::FeedUnreadable,
        }
    }
}
