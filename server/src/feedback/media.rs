//! Photos residents attach, checked and re-encoded by `civic_feedback::photo` (the same code
//! the app runs before queueing): what is stored and served is always a fresh JPEG without
//! EXIF. Here only the upload's limits and the refusals in the spec's words.

use civic_feedback::photo::{self, PhotoError};

use super::report::Problem;

/// The largest upload body: one photo and the form around it.
pub const MAX_UPLOAD_BYTES: usize = photo::MAX_PHOTO_BYTES + 64 * 1024;

pub use photo::{Photo, is_photo_id};

pub fn reencode(bytes: &[u8]) -> Result<Photo, Problem> {
    photo::reencode(bytes).map_err(|error| match error {
        PhotoError::Unsupported => Problem::new(
            415,
            "Ảnh phải là JPEG hoặc PNG.",
            "Photos must be JPEG or PNG.",
        ),
        PhotoError::TooLarge { .. } | PhotoError::TooManyPixels { .. } => Problem::new(
            413,
            "Ảnh quá lớn (trên 12 MB hoặc 64 megapixel).",
            "The photo is over 12 MB or 64 megapixels.",
        ),
        _ => Problem::new(
            400,
            "Không đọc được ảnh (tệp hỏng hoặc không đầy đủ).",
            "The photo cannot be read (damaged or truncated).",
        ),
    })
}
