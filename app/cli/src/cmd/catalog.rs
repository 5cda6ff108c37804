//! `civic search`, `civic procedure`, `civic import`.

use std::io::Write;
use std::path::{Path, PathBuf};

use civic_core::Snapshot;
use civic_core::catalog::import::import_file;
use civic_types::search::{SearchFilters, SearchRequest};

use crate::{Failure, render};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Search procedures (diacritics optional; Telex/VNI and everyday words understood).
    Search {
        query: Vec<String>,
        #[arg(long, default_value_t = 10)]
        limit: u32,
        /// One JSON object per line: code, name, score, field, levels, highlights (byte
        /// ranges of the name's matched words).
        #[arg(long)]
        json: bool,
        /// Also print how the query was read and why the first results rank where they do.
        #[arg(long)]
        explain: bool,
        /// Treat the last word as unfinished (type-ahead).
        #[arg(long)]
        prefix: bool,
        #[arg(long)]
        field: Option<String>,
        #[arg(long)]
        level: Option<String>,
        #[arg(long)]
        agency: Option<String>,
    },
    /// Show one procedure in full.
    Procedure {
        code: String,
        #[arg(long)]
        json: bool,
    },
    /// Import the portal scrape (JSON lines, gzip allowed) into a catalog snapshot.
    Import {
        /// Source file, e.g. ../shared/data/procedures/dvc_procedures_2642.jsonl.gz
        source: PathBuf,
        /// Snapshot to write (gzip'd JSON).
        #[arg(long)]
        out: PathBuf,
        /// Date of the data, ISO 8601.
        #[arg(long)]
        data_date: String,
        /// Also write the import report as JSON here.
        #[arg(long)]
        report: Option<PathBuf>,
    },
}

#[derive(Debug, thiserror::Error)]
enum CatalogCliError {
    #[error(
        "không có thủ tục mã {0} trong danh mục (no procedure with code {0}); try `civic search`"
    )]
    UnknownCode(String),
}

pub fn run(command: Command, data_dir: &Path, out: &mut impl Write) -> Result<(), Failure> {
    match command {
        Command::Search {
            query,
            limit,
            json,
            explain,
            prefix,
            field,
            level,
            agency,
        } => {
            let civic = crate::open(data_dir, None)?;
            let request = SearchRequest {
                query: query.join(" "),
                prefix,
                filters: SearchFilters {
                    field,
                    level,
                    agency,
                },
                limit,
            };
            let results = civic.catalog().store().search(&request)?;
            if json {
                for hit in &results.hits {
                    serde_json::to_writer(&mut *out, hit)?;
                    writeln!(out)?;
                }
            } else {
                let marks = std::io::IsTerminal::is_terminal(&std::io::stdout());
                render::search_results(out, &results, marks)?;
            }
            if explain {
                let text = civic
                    .catalog()
                    .store()
                    .explain_search(&request.query, limit as usize);
                write!(out, "{text}")?;
            }
        }
        Command::Procedure { code, json } => {
            let civic = crate::open(data_dir, None)?;
            let procedure = civic
                .catalog()
                .store()
                .get(&code)?
                .ok_or(CatalogCliError::UnknownCode(code))?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &procedure)?;
                writeln!(out)?;
            } else {
                render::procedure(out, &procedure)?;
            }
        }
        Command::Import {
            source,
            out: snapshot_path,
            data_date,
            report,
        } => {
            let (procedures, import_report) = import_file(&source)?;
            let snapshot = Snapshot {
                format: civic_core::catalog::snapshot::FORMAT,
                data_date,
                procedures,
            };
            snapshot.write(std::fs::File::create(&snapshot_path)?)?;
            if let Some(report_path) = report {
                std::fs::write(
                    report_path,
                    serde_json::to_string_pretty(&import_report)? + "\n",
                )?;
            }
            write!(out, "{import_report}")?;
            writeln!(
                out,
                "snapshot: {} ({} bytes)",
                snapshot_path.display(),
                std::fs::metadata(&snapshot_path)?.len()
            )?;
        }
    }
    Ok(())
}
