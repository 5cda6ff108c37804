use std::path::PathBuf;

/// Why an image could not be scanned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    #[error("not a PNG or JPEG image, or the file is damaged: {0}")]
    Image(String),
    #[error(
        "the image is too large ({width}×{height}); at most {max} pixels on a side and {max_megapixels} megapixels"
    )]
    TooLarge {
        width: u32,
        height: u32,
        max: u32,
        max_megapixels: u64,
    },
    #[error("a camera frame of {width}×{height} needs {expected} bytes of brightness, got {got}")]
    FrameSize {
        width: u32,
        height: u32,
        expected: usize,
        got: usize,
    },
}

impl DecodeError {
    pub fn code(&self) -> civic_types::error::ErrorCode {
        match self {
            Self::TooLarge { .. } => civic_types::error::ErrorCode::ImageTooLarge,
            Self::Image(_) | Self::FrameSize { .. } => {
                civic_types::error::ErrorCode::ImageUnreadable
            }
        }
    }
}

/// Problems with a board signing key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    #[error("cannot read the signing key {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not an Ed25519 private key in PKCS#8 PEM form")]
    NotAKey { path: PathBuf },
    #[error("cannot write the signing key {path} (it is never overwritten): {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot encode the signing key")]
    Encode,
    #[error("no randomness from the operating system: {0}")]
    Random(String),
    #[error("not an Ed25519 public key (32 bytes in base64url)")]
    PublicKey,
}

impl KeyError {
    pub fn code(&self) -> civic_types::error::ErrorCode {
        civic_types::error::ErrorCode::SigningKey
    }
}

/// Why a board could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BoardError {
    #[error("a board needs at least one procedure code")]
    NoCodes,
    #[error("a board holds at most {max} procedures; make several boards")]
    TooMany { max: usize },
    #[error("the title must be 1 to {max} characters")]
    Title { max: usize },
    #[error("{0} is not a procedure code (like 1.001193)")]
    BadCode(String),
    #[error("procedure {0} is not in the catalog")]
    UnknownCode(String),
    #[error("{0} is listed twice")]
    Duplicate(String),
    #[error("the issue date must be an ISO date like 2026-11-23")]
    Date,
    #[error("cannot draw the QR code for {code}: {reason}")]
    Encode { code: String, reason: String },
    #[error("cannot lay out the sheet: {0}")]
    Render(String),
    #[error(transparent)]
    Lookup(#[from] LookupError),
}

impl BoardError {
    pub fn code(&self) -> civic_types::error::ErrorCode {
        use civic_types::error::ErrorCode;
        match self {
            Self::UnknownCode(_) => ErrorCode::UnknownProcedure,
            Self::Encode { .. } | Self::Render(_) => ErrorCode::Internal,
            Self::Lookup(_) => ErrorCode::Storage,
            _ => ErrorCode::BoardInvalid,
        }
    }
}

/// The catalog could not answer a lookup (its own error is the source).
#[derive(Debug, thiserror::Error)]
#[error("cannot look the procedure up in the catalog: {0}")]
pub struct LookupError(#[source] pub Box<dyn std::error::Error + Send + Sync>);

impl LookupError {
    pub fn new(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self(Box::new(error))
    }
}
