//! `civic qr decode|board|keygen`.

use std::io::Write;
use std::path::{Path, PathBuf};

use civic_core::paths;
use civic_core::qr::{BoardSigner, ImageSource, ScanError};

use crate::Failure;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Read every QR code in PNG/JPEG photos; one JSON line per file:
    /// {"file", "codes": [{"text", "kind", "procedure", "verified", …}]}.
    Decode {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Make an A4 board of signed QR codes for a one-stop office (.pdf or .svg by --out).
    Board {
        /// Heading and issuing office, e.g. "UBND xã Xuân Hồng".
        #[arg(long)]
        title: String,
        /// Procedure codes, comma-separated, in board order (at most 12).
        #[arg(long, value_delimiter = ',', required = true)]
        codes: Vec<String>,
        #[arg(long)]
        out: PathBuf,
        /// Signing key (default: qr-signing-key.pem in the data directory).
        #[arg(long, conflicts_with = "unsigned")]
        key: Option<PathBuf>,
        /// Print codes without signatures (they then never show as verified).
        #[arg(long)]
        unsigned: bool,
        /// Issue date, ISO 8601 (default: today in the city's time zone).
        #[arg(long)]
        date: Option<String>,
    },
    /// Make a board signing key and print the entry to add to the city profile.
    Keygen {
        /// Where to write the private key (default: qr-signing-key.pem in the data directory).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Who holds the key, in Vietnamese and English, as residents will read it.
        #[arg(long)]
        issuer_vi: String,
        #[arg(long)]
        issuer_en: String,
    },
}

#[derive(Debug, thiserror::Error)]
enum QrCliError {
    #[error(
        "chưa có khóa ký bảng mã QR (no signing key) at {0}: run `civic qr keygen` or pass --key or --unsigned"
    )]
    NoSigningKey(PathBuf),
    #[error("--out must end in .pdf or .svg")]
    BoardFormat,
    #[error("{0} of the files could not be read")]
    SomeFilesFailed(usize),
    #[error("{0} đã có, không ghi đè (already exists; choose another name)")]
    Exists(PathBuf),
}

#[derive(Debug, Clone, Copy)]
enum BoardFormat {
    Pdf,
    Svg,
}

pub fn run(command: Command, data_dir: &Path, out: &mut impl Write) -> Result<(), Failure> {
    match command {
        Command::Decode { files } => {
            let civic = crate::open(data_dir, None)?;
            let mut failed = 0;
            for file in files {
                let name = file.display().to_string();
                let scanned = std::fs::read(&file)
                    .map_err(|e| e.to_string())
                    .and_then(|bytes| match civic.scan(&bytes, ImageSource::Photo) {
                        Err(ScanError::Decode(e)) => Err(e.to_string()),
                        other => Ok(other),
                    });
                let line = match scanned {
                    Ok(report) => serde_json::json!({ "file": name, "codes": report?.codes }),
                    Err(error) => {
                        failed += 1;
                        serde_json::json!({ "file": name, "error": error })
                    }
                };
                serde_json::to_writer(&mut *out, &line)?;
                writeln!(out)?;
            }
            if failed > 0 {
                return Err(QrCliError::SomeFilesFailed(failed).into());
            }
        }
        Command::Board {
            title,
            codes,
            out: path,
            key,
            unsigned,
            date,
        } => {
            let format = match path.extension().and_then(|e| e.to_str()) {
                Some(ext) if ext.eq_ignore_ascii_case("pdf") => BoardFormat::Pdf,
                Some(ext) if ext.eq_ignore_ascii_case("svg") => BoardFormat::Svg,
                _ => return Err(QrCliError::BoardFormat.into()),
            };
            let signer = if unsigned {
                None
            } else {
                let key = key.unwrap_or_else(|| data_dir.join(paths::SIGNING_KEY_FILE));
                if !key.exists() {
                    return Err(QrCliError::NoSigningKey(key).into());
                }
                Some(BoardSigner::read(&key)?)
            };
            let civic = crate::open(data_dir, None)?;
            let board = civic.board(&title, &codes, signer.as_ref(), date.as_deref())?;
            let bytes = match format {
                BoardFormat::Pdf => board.pdf()?,
                BoardFormat::Svg => board.svg()?.into_bytes(),
            };
            // Created, never overwritten: no check-then-write window.
            civic_core::boards::create_new(&path, &bytes).map_err(|e| -> Failure {
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    QrCliError::Exists(path.clone()).into()
                } else {
                    e.into()
                }
            })?;
            writeln!(
                out,
                "{}: {} thủ tục, {}",
                path.display(),
                board.codes.len(),
                if board.signed {
                    "mã có chữ ký số"
                } else {
                    "mã không có chữ ký"
                }
            )?;
        }
        Command::Keygen {
            out: path,
            issuer_vi,
            issuer_en,
        } => {
            let path = path.unwrap_or_else(|| data_dir.join(paths::SIGNING_KEY_FILE));
            let signer = BoardSigner::generate()?;
            signer.write(&path)?;
            eprintln!(
                "civic: private key written to {} (keep it secret; it is never overwritten)",
                path.display()
            );
            let entry = toml_entry(&issuer_vi, &issuer_en, &signer.public_key());
            write!(
                out,
                "# Add to the city profile (key {}):\n{entry}",
                signer.fingerprint()
            )?;
        }
    }
    Ok(())
}

/// The `[[qr.signing_keys]]` table for a city profile.
fn toml_entry(issuer_vi: &str, issuer_en: &str, public_key: &str) -> String {
    let quote = |s: &str| serde_json::Value::String(s.to_owned()).to_string();
    format!(
        "[[qr.signing_keys]]\npublic_key = {}\nissuer = {{ vi = {}, en = {} }}\n",
        quote(public_key),
        quote(issuer_vi),
        quote(issuer_en)
    )
}
