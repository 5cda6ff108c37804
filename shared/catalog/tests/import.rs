//! The importer against real data: the full 2,642-record scrape, the 207 records whose
//! tables were split by hand, and arbitrary text.
#![allow(clippy::expect_used, clippy::print_stdout)]

use std::io::BufReader;

use civic_catalog::Snapshot;
use civic_catalog::import::{import_jsonl, parse_channels, parse_documents};
use civic_types::catalog::{ChannelKind, ProcessingTime};
use proptest::prelude::*;
use serde_json::Value;

fn import_full() -> (
    Vec<civic_types::catalog::Procedure>,
    civic_catalog::import::ImportReport,
) {
    let file = std::fs::File::open(
        civic_test_support::shared_data().join("procedures/dvc_procedures_2642.jsonl.gz"),
    )
    .expect("source");
    import_jsonl(BufReader::new(flate2::read::GzDecoder::new(file))).expect("imports")
}

#[test]
fn the_committed_snapshot_is_what_the_importer_makes_of_the_source() {
    let (procedures, report) = import_full();
    let bundled = Snapshot::bundled().expect("bundled");
    assert_eq!(bundled.procedures.len(), 2642);
    assert!(
        bundled.procedures == procedures,
        "assets/catalog is stale: run `cargo xtask import`"
    );
    let committed: civic_catalog::import::ImportReport = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../assets/catalog/import-report.json"
        ))
        .expect("report"),
    )
    .expect("report json");
    assert_eq!(committed, report);
    println!("{report}");
}

#[test]
fn nothing_is_dropped_silently() {
    let (procedures, report) = import_full();
    let birth = procedures
        .iter()
        .find(|p| p.code == "1.001193")
        .expect("birth registration");
    assert_eq!(birth.name, "Thủ tục đăng ký khai sinh");
    assert!(
        !birth.channels.is_empty() && !birth.document_groups.is_empty() && !birth.steps.is_empty()
    );
    // Every field kept as text is in the record, and the report counts exactly those.
    let kept: usize = procedures.iter().map(|p| p.unparsed.len()).sum();
    assert_eq!(kept, report.kept_as_text());
    // The channel table is the one residents need most: it must parse everywhere.
    assert_eq!(report.fields["cach_thuc_thuc_hien"].kept_as_text, 0);
    // What stays text is never a table the parser gave up on: it is text the scrape put in
    // the wrong field (steps where documents belong), which has no table header at all.
    for p in &procedures {
        for field in &p.unparsed {
            let header = match field.field.as_str() {
                "thanh_phan_ho_so" => "Tên giấy tờMẫu đơn, tờ khaiSố lượng",
                "can_cu_phap_ly" => "Tên văn bản pháp lýMã văn bản",
                other => panic!("{}: {other} kept as text", p.code),
            };
            assert!(
                !field.text.contains(header),
                "{}: a {} table was not parsed",
                p.code,
                field.field
            );
        }
    }
}

/// Renders a hand-split table the way the national portal flattens it.
fn flatten_channels(rows: &[Value]) -> String {
    let mut text = String::from("Hình thức nộpThời gianPhí, lệ phíMô tả");
    for row in rows {
        for key in ["hinh_thuc", "thoi_han_giai_quyet", "phi_le_phi", "mo_ta"] {
            text.push_str(row[key].as_str().unwrap_or_default());
        }
    }
    text
}

fn flatten_documents(rows: &[Value]) -> (String, Vec<(String, Option<u32>)>) {
    let mut text = String::from("--Tên giấy tờMẫu đơn, tờ khaiSố lượng");
    let mut expected = Vec::new();
    for row in rows {
        let name = row["ten_giay_to"].as_str().unwrap_or_default().trim();
        let note = row["ghi_chu"].as_str().unwrap_or_default();
        let count = |label: &str| {
            note.lines()
                .find_map(|l| l.strip_prefix(label))
                .and_then(|n| n.trim().parse::<u32>().ok())
                .unwrap_or(0)
        };
        let (originals, copies) = (count("Bản chính:"), count("Bản sao:"));
        text.push_str(name);
        text.push_str(&if copies > 0 {
            format!("{originals} bản chính,{copies} bản sao")
        } else {
            format!("{originals} bản chính")
        });
        // List markers ("- ", "+ ", tabs) are layout, not part of a document's name.
        expected.push((
            name.trim_start_matches(['-', '+', ' ', '\t', '\n'])
                .trim()
                .to_owned(),
            Some(originals),
        ));
    }
    (text, expected)
}

#[test]
fn parser_recovers_the_hand_split_tables_of_the_structured_sample() {
    let dir = civic_test_support::shared_data().join("procedures/structured-sample-207");
    let (mut records, mut channel_ok, mut channel_total, mut docs_ok, mut docs_total) =
        (0, 0, 0, 0, 0);
    for entry in std::fs::read_dir(dir).expect("sample dir") {
        let record: Value = serde_json::from_str(
            &std::fs::read_to_string(entry.expect("entry").path()).expect("read"),
        )
        .expect("json");
        records += 1;
        let rows = record["tables"]["hinh_thuc_nop"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if !rows.is_empty() {
            channel_total += 1;
            let parsed = parse_channels(&flatten_channels(&rows));
            let matches = parsed.is_some_and(|channels| {
                channels.len() == rows.len()
                    && channels.iter().zip(&rows).all(|(c, row)| {
                        let kind = match row["hinh_thuc"].as_str() {
                            Some("Trực tiếp") => ChannelKind::InPerson,
                            Some("Trực tuyến") => ChannelKind::Online,
                            _ => ChannelKind::Postal,
                        };
                        let time = row["thoi_han_giai_quyet"].as_str().unwrap_or_default();
                        let time_ok = match &c.processing_time {
                            ProcessingTime::Duration { amount, .. } => {
                                let number: String = time
                                    .chars()
                                    .take_while(|c| c.is_ascii_digit() || *c == '.')
                                    .collect();
                                number.parse::<f64>().ok() == Some(*amount)
                            }
                            ProcessingTime::Text { text } => text == time,
                            ProcessingTime::NotStated => time.is_empty(),
                        };
                        c.kind == kind && time_ok
                    })
            });
            if !matches && std::env::var_os("CIVIC_DEBUG_SAMPLE").is_some() {
                println!("channels mismatch: {}", flatten_channels(&rows));
            }
            channel_ok += usize::from(matches);
        }
        let doc_rows = record["tables"]["thanh_phan_ho_so"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if !doc_rows.is_empty() {
            docs_total += 1;
            let (text, expected) = flatten_documents(&doc_rows);
            let parsed = parse_documents(&text);
            let got: Vec<(String, Option<u32>)> = parsed
                .map(|groups| {
                    groups
                        .into_iter()
                        .flat_map(|g| g.documents)
                        .map(|d| (d.name, d.originals))
                        .collect()
                })
                .unwrap_or_default();
            if got != expected && std::env::var_os("CIVIC_DEBUG_SAMPLE").is_some() {
                println!("documents mismatch:\n  got {got:?}\n want {expected:?}");
            }
            docs_ok += usize::from(got == expected);
        }
    }
    println!(
        "structured sample: {records} records; channel tables recovered {channel_ok}/{channel_total}; document tables recovered {docs_ok}/{docs_total}"
    );
    assert_eq!(records, 207);
    assert!(
        channel_ok * 100 >= channel_total * 98,
        "channels {channel_ok}/{channel_total}"
    );
    assert_eq!(docs_ok, docs_total, "documents");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn table_parsers_never_panic(text in "(Hình thức nộpThời gianPhí, lệ phíMô tả|Tên giấy tờMẫu đơn, tờ khaiSố lượng|Trực tiếp|Trực tuyến|[0-9]{1,4}|,|\\.| bản chính| bản sao|Ngày làm việc|Miễn phí|VNĐ|\\(|\\)|Phí : |Mã: |Mô tả|[a-zđơư ]{0,5}|\\PC{0,3})*") {
        let _ = parse_channels(&text);
        let _ = parse_documents(&text);
        let _ = civic_catalog::import::parse_legal_basis(&format!("Tên văn bản pháp lýMã văn bản{text}"));
        let _ = civic_catalog::import::parse_results(&text);
        let _ = civic_catalog::import::parse_steps(&text);
    }
}
