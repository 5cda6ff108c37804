//! Saving boards: a PDF and an SVG side by side, never over an earlier board.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SaveError {
    #[error(transparent)]
    Board(#[from] civic_qr::BoardError),
    #[error("cannot save the board as {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl SaveError {
    pub fn code(&self) -> civic_types::error::ErrorCode {
        match self {
            Self::Board(e) => e.code(),
            Self::Write { .. } => civic_types::error::ErrorCode::SaveFailed,
        }
    }
}

/// Where a board was saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub svg: String,
    pub pdf_path: PathBuf,
    pub svg_path: PathBuf,
}

/// Writes `board` to `dir` as `stem.pdf` and `stem.svg`, or `stem-2.*` … when those exist.
/// Files are created with `create_new`, so a file appearing meanwhile is never overwritten.
pub fn save_pair(board: &civic_qr::Board, dir: &Path, stem: &str) -> Result<Saved, SaveError> {
    let svg = board.svg()?;
    let pdf = board.pdf()?;
    std::fs::create_dir_all(dir).map_err(|source| SaveError::Write {
        path: dir.to_owned(),
        source,
    })?;
    for n in 1u32..10_000 {
        let name = if n == 1 {
            stem.to_owned()
        } else {
            format!("{stem}-{n}")
        };
        let pdf_path = dir.join(format!("{name}.pdf"));
        let svg_path = dir.join(format!("{name}.svg"));
        if pdf_path.exists() || svg_path.exists() {
            continue;
        }
        match create_new(&pdf_path, &pdf) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            other => other.map_err(|source| SaveError::Write {
                path: pdf_path.clone(),
                source,
            })?,
        }
        match create_new(&svg_path, svg.as_bytes()) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                // Someone took the SVG's name meanwhile: give the pair up and move on.
                let _ = std::fs::remove_file(&pdf_path);
                continue;
            }
            other => other.map_err(|source| SaveError::Write {
                path: svg_path.clone(),
                source,
            })?,
        }
        return Ok(Saved {
            svg,
            pdf_path,
            svg_path,
        });
    }
    Err(SaveError::Write {
        path: dir.join(stem),
        source: std::io::Error::new(std::io::ErrorKind::AlreadyExists, "no free file name"),
    })
}

/// Writes `bytes` to a file that must not exist yet.
pub fn create_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_existing_file_is_never_overwritten() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.pdf");
        std::fs::write(&path, b"earlier").expect("write");
        let error = create_new(&path, b"later").expect_err("exists");
        assert_eq!(error.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&path).expect("read"), b"earlier");
    }
}
