//! Turns the national portal's scraped records into [`Procedure`]s.
//!
//! The portal flattens its tables into run-on text ("Trực tuyến3 Ngày làm việcMiễn phí…");
//! [`tables`] splits them back. A field that does not parse is kept verbatim in
//! `Procedure::unparsed` and counted in the [`ImportReport`]: nothing is dropped silently.

mod lists;
mod report;
mod tables;

use std::io::BufRead;

use civic_types::catalog::{Agencies, Procedure, UnparsedField};
use serde::Deserialize;

pub use report::{FieldCounts, ImportReport};
pub use tables::{parse_channels, parse_documents, parse_legal_basis, parse_results, parse_steps};

use lists::{optional_text, split_list, split_top_level_commas};

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    #[error("cannot read the source: {0}")]
    Read(#[from] std::io::Error),
    #[error("line {line} is not a valid procedure record: {source}")]
    Record {
        line: usize,
        source: serde_json::Error,
    },
    #[error("line {line} has no procedure code")]
    MissingCode { line: usize },
    #[error("procedure code {code} appears twice (lines {first} and {second})")]
    DuplicateCode {
        code: String,
        first: usize,
        second: usize,
    },
}

/// One line of the portal scrape, field names as the portal gives them.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PortalRecord {
    pub ma_thu_tuc: String,
    pub ten_thu_tuc: String,
    pub detail_url: String,
    pub so_quyet_dinh: String,
    pub cap_thuc_hien: String,
    pub loai_thu_tuc: String,
    pub linh_vuc: String,
    pub doi_tuong_thuc_hien: String,
    pub co_quan_co_tham_quyen: String,
    pub dia_chi_tiep_nhan: String,
    pub co_quan_duoc_uy_quyen: String,
    pub co_quan_phoi_hop: String,
    pub thu_tuc_lien_quan: String,
    pub trinh_tu_thuc_hien: String,
    pub cach_thuc_thuc_hien: String,
    pub thanh_phan_ho_so: String,
    pub can_cu_phap_ly: String,
    pub co_quan_thuc_hien: String,
    pub yeu_cau_dieu_kien: String,
    pub ket_qua_xu_ly: String,
}

/// Imports a portal scrape file: JSON lines, gzip'd when the name ends in `.gz`.
pub fn import_file(path: &std::path::Path) -> Result<(Vec<Procedure>, ImportReport), ImportError> {
    let file = std::fs::File::open(path)?;
    let reader = std::io::BufReader::new(file);
    if path.extension().is_some_and(|e| e == "gz") {
        import_jsonl(std::io::BufReader::new(flate2::read::GzDecoder::new(
            reader,
        )))
    } else {
        import_jsonl(reader)
    }
}

/// Reads JSON lines (already decompressed) into procedures, sorted by code.
pub fn import_jsonl(reader: impl BufRead) -> Result<(Vec<Procedure>, ImportReport), ImportError> {
    let mut report = ImportReport::default();
    let mut procedures: Vec<(usize, Procedure)> = Vec::new();
    for (index, line) in reader.lines().enumerate() {
        let line_no = index + 1;
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let record: PortalRecord =
            serde_json::from_str(&line).map_err(|source| ImportError::Record {
                line: line_no,
                source,
            })?;
        if record.ma_thu_tuc.trim().is_empty() {
            return Err(ImportError::MissingCode { line: line_no });
        }
        procedures.push((line_no, convert(&record, &mut report)));
    }
    procedures.sort_by(|a, b| a.1.code.cmp(&b.1.code));
    for pair in procedures.windows(2) {
        if pair[0].1.code == pair[1].1.code {
            return Err(ImportError::DuplicateCode {
                code: pair[0].1.code.clone(),
                first: pair[0].0.min(pair[1].0),
                second: pair[0].0.max(pair[1].0),
            });
        }
    }
    report.procedures = procedures.len();
    Ok((procedures.into_iter().map(|(_, p)| p).collect(), report))
}

/// Converts one record, counting in `report` how each structured field fared.
pub fn convert(record: &PortalRecord, report: &mut ImportReport) -> Procedure {
    let mut unparsed = Vec::new();
    let mut structured =
        |field: &'static str, text: &str, parse: &dyn Fn(&str) -> Option<usize>| -> bool {
            let counts = report.fields.entry(field.to_owned()).or_default();
            if optional_text(text).is_none() {
                counts.empty += 1;
                return false;
            }
            match parse(text) {
                Some(rows) => {
                    counts.parsed += 1;
                    counts.rows += rows;
                    true
                }
                None => {
                    counts.kept_as_text += 1;
                    unparsed.push(UnparsedField {
                        field: field.to_owned(),
                        text: text.trim().to_owned(),
                    });
                    false
                }
            }
        };

    let channels = parse_channels(&record.cach_thuc_thuc_hien);
    structured("cach_thuc_thuc_hien", &record.cach_thuc_thuc_hien, &|_| {
        channels.as_ref().map(Vec::len)
    });
    let document_groups = parse_documents(&record.thanh_phan_ho_so);
    structured("thanh_phan_ho_so", &record.thanh_phan_ho_so, &|_| {
        document_groups
            .as_ref()
            .map(|groups| groups.iter().map(|g| g.documents.len()).sum())
    });
    let legal_basis = parse_legal_basis(&record.can_cu_phap_ly);
    structured("can_cu_phap_ly", &record.can_cu_phap_ly, &|_| {
        legal_basis.as_ref().map(Vec::len)
    });
    let results = parse_results(&record.ket_qua_xu_ly);
    structured("ket_qua_xu_ly", &record.ket_qua_xu_ly, &|_| {
        results.as_ref().map(Vec::len)
    });
    let steps = parse_steps(&record.trinh_tu_thuc_hien);
    structured("trinh_tu_thuc_hien", &record.trinh_tu_thuc_hien, &|_| {
        Some(steps.len())
    });

    Procedure {
        code: record.ma_thu_tuc.trim().to_owned(),
        name: record.ten_thu_tuc.trim().to_owned(),
        levels: split_list(&record.cap_thuc_hien, &[',']),
        procedure_type: optional_text(&record.loai_thu_tuc),
        field: record.linh_vuc.trim().to_owned(),
        decision_number: optional_text(&record.so_quyet_dinh),
        target_groups: split_top_level_commas(&record.doi_tuong_thuc_hien),
        agencies: Agencies {
            implementing: split_list(&record.co_quan_thuc_hien, &[';', '\n']),
            competent: split_list(&record.co_quan_co_tham_quyen, &[';', '\n']),
            authorized: split_list(&record.co_quan_duoc_uy_quyen, &[';', '\n']),
            coordinating: split_list(&record.co_quan_phoi_hop, &[';', '\n']),
            receiving_address: optional_text(&record.dia_chi_tiep_nhan),
        },
        channels: channels.unwrap_or_default(),
        steps,
        document_groups: document_groups.unwrap_or_default(),
        conditions: optional_text(&record.yeu_cau_dieu_kien),
        legal_basis: legal_basis.unwrap_or_default(),
        results: results.unwrap_or_default(),
        related_procedures: optional_text(&record.thu_tuc_lien_quan),
        portal_url: optional_text(&record.detail_url),
        unparsed,
    }
}
