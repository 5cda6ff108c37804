//! Plain-text rendering for terminals: Vietnamese labels, one fact per line.

use std::io::{self, Write};

use crate::terminal::{BOLD, PLAIN};
use civic_types::{
    catalog::{ChannelKind, Currency, Fee, Procedure, ProcessingTime, TimeUnit},
    search::{Highlight, MatchQuality, SearchResults},
    sync::{SyncOutcome, SyncReport},
};

/// Results, best first. With `marks` (a terminal), the words that matched are in bold.
pub fn search_results(
    out: &mut impl Write,
    results: &SearchResults,
    marks: bool,
) -> io::Result<()> {
    if results.hits.is_empty() {
        return writeln!(out, "Không tìm thấy thủ tục nào (no procedure found).");
    }
    if !results.understood_as.is_empty() {
        writeln!(out, "Hiểu là: {} (read as)", results.understood_as)?;
    }
    if results.quality == MatchQuality::Weak {
        writeln!(
            out,
            "Không có thủ tục nào khớp rõ; các thủ tục dưới đây chỉ có thể liên quan (no close match; possibly related):"
        )?;
        if !results.closest_fields.is_empty() {
            let fields: Vec<&str> = results
                .closest_fields
                .iter()
                .map(|f| f.value.as_str())
                .collect();
            writeln!(
                out,
                "Lĩnh vực gần nhất (closest fields): {}",
                fields.join("; ")
            )?;
        }
    }
    for hit in &results.hits {
        let name = if marks {
            bold_highlights(&hit.name, &hit.highlights)
        } else {
            hit.name.clone()
        };
        writeln!(out, "{:<10} {}  [{}]", hit.code, name, hit.field)?;
    }
    Ok(())
}

/// The name with its highlighted ranges marked bold (the terminal writer draws them).
fn bold_highlights(name: &str, highlights: &[Highlight]) -> String {
    let mut out = String::with_capacity(name.len() + highlights.len() * 8);
    let mut at = 0;
    for h in highlights {
        let (start, end) = (h.start as usize, h.end as usize);
        match (name.get(at..start), name.get(start..end)) {
            (Some(before), Some(word)) if start >= at => {
                out.push_str(before);
                out.push(BOLD);
                out.push_str(word);
                out.push(PLAIN);
                at = end;
            }
            _ => {}
        }
    }
    out.push_str(name.get(at..).unwrap_or_default());
    out
}

/// What a sync did, in one line a helper can read out to a resident.
pub fn sync_report(out: &mut impl Write, r: &SyncReport) -> io::Result<()> {
    let what = match r.outcome {
        SyncOutcome::Unchanged => "Danh mục đã mới nhất, không có thay đổi".to_owned(),
        SyncOutcome::Delta => format!(
            "Đã cập nhật: {} thủ tục mới, {} thay đổi, {} bãi bỏ",
            r.added, r.changed, r.removed
        ),
        SyncOutcome::Full => format!(
            "Đã tải lại toàn bộ danh mục: {} thủ tục mới, {} thay đổi, {} bãi bỏ",
            r.added, r.changed, r.removed
        ),
    };
    writeln!(
        out,
        "{what} (dữ liệu ngày {}; nhận {} byte)",
        r.data_date, r.bytes
    )
}

/// Download progress on stderr, rewriting one line.
pub fn progress(received: u64, total: Option<u64>) {
    match total {
        Some(total) if total > 0 => eprint!("\rđang tải… {}%   ", received * 100 / total),
        _ => eprint!("\rđang tải… {} KB   ", received / 1024),
    }
}

pub fn procedure(out: &mut impl Write, p: &Procedure) -> io::Result<()> {
    writeln!(out, "{}\nMã thủ tục: {}", p.name, p.code)?;
    writeln!(out, "Lĩnh vực: {}", p.field)?;
    writeln!(out, "Cấp thực hiện: {}", p.levels.join(", "))?;
    if !p.agencies.implementing.is_empty() {
        writeln!(
            out,
            "Cơ quan thực hiện: {}",
            p.agencies.implementing.join("; ")
        )?;
    }
    if let Some(address) = &p.agencies.receiving_address {
        writeln!(out, "Nơi nộp hồ sơ: {address}")?;
    }
    if !p.channels.is_empty() {
        writeln!(out, "\nCách thực hiện:")?;
        for c in &p.channels {
            let fees: Vec<String> = c.fees.iter().map(fee).collect();
            writeln!(
                out,
                "  - {}: {}; {}",
                channel(c.kind),
                time(&c.processing_time),
                fees.join(", ")
            )?;
        }
    }
    for group in &p.document_groups {
        writeln!(
            out,
            "\n{}:",
            group.title.as_deref().unwrap_or("Hồ sơ cần nộp")
        )?;
        for d in &group.documents {
            let mut counts = Vec::new();
            if let Some(n) = d.originals.filter(|n| *n > 0) {
                counts.push(format!("{n} bản chính"));
            }
            if let Some(n) = d.copies.filter(|n| *n > 0) {
                counts.push(format!("{n} bản sao"));
            }
            writeln!(
                out,
                "  [ ] {} {}",
                d.name,
                if counts.is_empty() {
                    String::new()
                } else {
                    format!("({})", counts.join(", "))
                }
            )?;
        }
    }
    if !p.steps.is_empty() {
        writeln!(out, "\nTrình tự:")?;
        for (i, step) in p.steps.iter().enumerate() {
            writeln!(out, "  {}. {}", i + 1, step)?;
        }
    }
    if !p.results.is_empty() {
        writeln!(out, "\nKết quả: {}", p.results.join("; "))?;
    }
    if let Some(url) = &p.portal_url {
        writeln!(out, "\nCổng dịch vụ công: {url}")?;
    }
    Ok(())
}

fn channel(kind: ChannelKind) -> &'static str {
    match kind {
        ChannelKind::InPerson => "Trực tiếp",
        ChannelKind::Online => "Trực tuyến",
        ChannelKind::Postal => "Bưu chính",
    }
}

fn time(t: &ProcessingTime) -> String {
    match t {
        ProcessingTime::Duration { amount, unit } => {
            let unit = match unit {
                TimeUnit::WorkingDays => "ngày làm việc",
                TimeUnit::Days => "ngày",
                TimeUnit::WorkingHours => "giờ làm việc",
                TimeUnit::Hours => "giờ",
                TimeUnit::Months => "tháng",
                TimeUnit::Years => "năm",
                TimeUnit::Unspecified => "",
            };
            format!("{amount} {unit}").trim().to_owned()
        }
        ProcessingTime::NotStated => "không nêu thời hạn".to_owned(),
        ProcessingTime::Text { text } => text.clone(),
    }
}

fn fee(f: &Fee) -> String {
    match f {
        Fee::Free => "miễn phí".to_owned(),
        Fee::NotStated => "không nêu phí".to_owned(),
        Fee::Amount {
            label,
            amount,
            currency,
            ..
        } => {
            let label = label.as_deref().unwrap_or("Phí");
            match (amount, currency) {
                (Some(a), Currency::Vnd) => format!("{label}: {a} đồng"),
                (Some(a), Currency::Usd) => format!("{label}: {}.{:02} USD", a / 100, a % 100),
                (None, _) => format!("{label}: xem ghi chú"),
            }
        }
    }
}

/// `Nguyễn Văn An · CCCD ••••••••1234`: the citizen ID only ever masked.
pub fn account(account: &civic_types::auth::Account) -> String {
    if account.citizen_id_masked.is_empty() {
        account.name.clone()
    } else {
        format!("{} · CCCD {}", account.name, account.citizen_id_masked)
    }
}
