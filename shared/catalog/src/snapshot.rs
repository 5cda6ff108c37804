//! The compressed catalog snapshot: committed under `assets/catalog/` and compiled into the
//! app, so the catalog works offline on first start.

use std::io::{Read, Write};

use civic_types::catalog::Procedure;
use flate2::{Compression, read::GzDecoder, write::GzEncoder};
use serde::{Deserialize, Serialize};

const BUNDLED_SNAPSHOT: &[u8] = include_bytes!("../../../assets/catalog/procedures.json.gz");
pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub format: u32,
    /// ISO date of the data.
    pub data_date: String,
    pub procedures: Vec<Procedure>,
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SnapshotError {
    #[error("cannot read the catalog snapshot: {0}")]
    Io(#[from] std::io::Error),
    #[error("the catalog snapshot is not valid: {0}")]
    Format(#[from] serde_json::Error),
    #[error("the catalog snapshot has format {found}; this app reads format {FORMAT}")]
    UnknownFormat { found: u32 },
}

/// The snapshot without its procedures: enough to decide whether loading it is needed.
#[derive(Debug, Deserialize)]
struct Header {
    format: u32,
    data_date: String,
}

impl Snapshot {
    /// The snapshot compiled into this build.
    pub fn bundled() -> Result<Self, SnapshotError> {
        Self::read(BUNDLED_SNAPSHOT)
    }

    /// The data date of the bundled snapshot, without building its procedures: every start
    /// asks this, and only a stale catalog needs the whole snapshot.
    pub fn bundled_data_date() -> Result<String, SnapshotError> {
        let header: Header = decode(BUNDLED_SNAPSHOT)?;
        check_format(header.format)?;
        Ok(header.data_date)
    }

    pub fn read(compressed: impl Read) -> Result<Self, SnapshotError> {
        let snapshot: Snapshot = decode(compressed)?;
        check_format(snapshot.format)?;
        Ok(snapshot)
    }

    pub fn write(&self, out: impl Write) -> Result<(), SnapshotError> {
        let mut encoder = GzEncoder::new(out, Compression::best());
        serde_json::to_writer(&mut encoder, self)?;
        encoder.finish()?;
        Ok(())
    }
}

fn decode<T: serde::de::DeserializeOwned>(compressed: impl Read) -> Result<T, SnapshotError> {
    let mut json = Vec::new();
    GzDecoder::new(compressed).read_to_end(&mut json)?;
    Ok(serde_json::from_slice(&json)?)
}

fn check_format(found: u32) -> Result<(), SnapshotError> {
    if found == FORMAT {
        Ok(())
    } else {
        Err(SnapshotError::UnknownFormat { found })
    }
}
