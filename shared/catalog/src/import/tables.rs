//! Parsers for the portal's flattened tables. Each returns `None` when the text does not
//! have the expected shape, so the caller keeps it verbatim instead of guessing.

use std::sync::LazyLock;

use civic_types::catalog::{
    Channel, ChannelKind, Currency, DocumentGroup, Fee, LegalDocument, ProcessingTime,
    RequiredDocument, TimeUnit,
};
use regex::Regex;

use super::lists::optional_text;

#[allow(clippy::expect_used)] // constant patterns, exercised by every test below
fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("valid regex")
}

const CHANNEL_HEADER: &str = "Hình thức nộpThời gianPhí, lệ phíMô tả";
const CHANNEL_NAMES: [(&str, ChannelKind); 3] = [
    ("Trực tiếp", ChannelKind::InPerson),
    ("Trực tuyến", ChannelKind::Online),
    ("Dịch vụ bưu chính", ChannelKind::Postal),
];
const NOT_STATED: &str = "Không có thông tin";

/// `cach_thuc_thuc_hien`: rows of channel, processing time, fee(s) and description.
///
/// A row starts wherever a channel name is followed by a time and a fee that parse, so a
/// description that mentions "Trực tiếp" in passing does not start a new row.
pub fn parse_channels(text: &str) -> Option<Vec<Channel>> {
    let body = text.trim().strip_prefix(CHANNEL_HEADER)?;
    let mut starts: Vec<(usize, ChannelKind, ProcessingTime, Vec<Fee>, usize)> = Vec::new();
    for (at, _) in body.char_indices() {
        for (name, kind) in CHANNEL_NAMES {
            if let Some(rest) = body[at..].strip_prefix(name)
                && let Some((time, fees, rest_after)) = parse_row_head(rest)
            {
                let head_end = body.len() - rest_after.len();
                starts.push((at, kind, time, fees, head_end));
            }
        }
    }
    if starts.first().map(|s| s.0) != Some(0) {
        return None;
    }
    // Drop starts that fall inside the head of the previous row.
    let mut rows: Vec<(usize, ChannelKind, ProcessingTime, Vec<Fee>, usize)> = Vec::new();
    for start in starts {
        if rows.last().is_none_or(|prev| start.0 >= prev.4) {
            rows.push(start);
        }
    }
    let mut channels = Vec::with_capacity(rows.len());
    for (i, (_, kind, time, fees, head_end)) in rows.iter().enumerate() {
        let end = rows.get(i + 1).map_or(body.len(), |next| next.0);
        channels.push(Channel {
            kind: *kind,
            processing_time: time.clone(),
            fees: fees.clone(),
            description: optional_text(&body[*head_end..end]),
        });
    }
    Some(channels)
}

/// Time then fee(s) at the start of a row; returns what follows them.
fn parse_row_head(text: &str) -> Option<(ProcessingTime, Vec<Fee>, &str)> {
    if let Some(rest) = text.strip_prefix(NOT_STATED) {
        let (fees, rest) = parse_fees(rest)?;
        return Some((ProcessingTime::NotStated, fees, rest));
    }
    if starts_with_fee_label(text) {
        // The time cell is empty: the row goes straight to "Phí : …".
        let (fees, rest) = parse_fees(text)?;
        return Some((ProcessingTime::NotStated, fees, rest));
    }
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| regex(r"^[0-9]+(?:[.,][0-9]+)?"));
    static UNIT: LazyLock<Regex> =
        LazyLock::new(|| regex(r"^ ?(Ngày làm việc|Ngày|Giờ làm việc|Giờ|Tháng|Năm)(?: |\b)?"));
    if let Some(number) = NUMBER.find(text) {
        let digits = number.as_str();
        // A bare number glued to a fee amount ("1100,000 VNĐ") is ambiguous: try the
        // longest time first, then shorter ones, until the rest reads as a fee.
        // A split that leaves a fee without an amount ("VNĐ") is kept only as a last resort.
        let mut amountless = None;
        for len in (1..=digits.len()).rev() {
            let (amount_text, rest) = text.split_at(len);
            let Ok(amount) = amount_text.replace(',', ".").parse::<f64>() else {
                continue;
            };
            let (unit, rest) = match UNIT.captures(rest) {
                Some(c) => (unit_of(&c[1]), &rest[c.get(0).map_or(0, |m| m.end())..]),
                None => (
                    TimeUnit::Unspecified,
                    rest.strip_prefix(' ').unwrap_or(rest),
                ),
            };
            if unit == TimeUnit::Unspecified && amount_text.contains(['.', ',']) {
                // Only a time with a unit has a fractional part ("1,5 Ngày").
                continue;
            }
            if let Some((fees, rest)) = parse_fees(rest) {
                let head = (ProcessingTime::Duration { amount, unit }, fees, rest);
                let lacks_amount = matches!(head.1.first(), Some(Fee::Amount { amount: None, .. }));
                if unit != TimeUnit::Unspecified || !lacks_amount {
                    return Some(head);
                }
                amountless.get_or_insert(head);
            } else if len == digits.len() && unit != TimeUnit::Unspecified {
                // Some offices leave the fee cell empty: the description follows the time.
                amountless.get_or_insert((
                    ProcessingTime::Duration { amount, unit },
                    Vec::new(),
                    rest,
                ));
            }
        }
        if amountless.is_some() {
            return amountless;
        }
    }
    // Free text instead of a duration ("Không quy định"): up to the first fee that parses.
    for (at, _) in text.char_indices().skip(1).take(200) {
        if let Some((fees, rest)) = parse_fees(&text[at..]) {
            let words = text[..at].trim();
            if !words.is_empty() && !words.ends_with(|c: char| c.is_ascii_digit()) {
                return Some((
                    ProcessingTime::Text {
                        text: words.to_owned(),
                    },
                    fees,
                    rest,
                ));
            }
        }
    }
    None
}

fn unit_of(word: &str) -> TimeUnit {
    match word {
        "Ngày làm việc" => TimeUnit::WorkingDays,
        "Ngày" => TimeUnit::Days,
        "Giờ làm việc" => TimeUnit::WorkingHours,
        "Giờ" => TimeUnit::Hours,
        "Tháng" => TimeUnit::Months,
        _ => TimeUnit::Years,
    }
}

/// One or more fees: "Miễn phí", "Không có thông tin", or an amount with optional label
/// and a parenthesised note.
fn parse_fees(text: &str) -> Option<(Vec<Fee>, &str)> {
    let mut fees = Vec::new();
    let mut rest = text;
    while let Some((fee, after)) = parse_fee(rest) {
        fees.push(fee);
        rest = after.trim_start_matches(['\n', ';', ' ']);
        if rest.len() == after.len() && !starts_with_fee_label(rest) {
            break;
        }
    }
    if fees.is_empty() {
        None
    } else {
        Some((fees, rest))
    }
}

fn starts_with_fee_label(text: &str) -> bool {
    text.starts_with("Phí") || text.starts_with("Lệ phí")
}

fn parse_fee(text: &str) -> Option<(Fee, &str)> {
    if let Some(rest) = text.strip_prefix("Miễn phí") {
        return Some((Fee::Free, rest));
    }
    if let Some(rest) = text.strip_prefix(NOT_STATED) {
        return Some((Fee::NotStated, rest));
    }
    static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r"^(?:(Lệ phí|Phí)\s*:\s*)?((?:[1-9][0-9]{0,2}(?:[.,][0-9]{3})+|[1-9][0-9]*|0[0-9]*)(?:[.,][0-9]{1,2})?)?\s*(?:Không |không )?(Việt Nam Đồng|VNĐ|Đồng|USD)",
        )
    });
    let caps = AMOUNT.captures(text)?;
    let currency = if &caps[3] == "USD" {
        Currency::Usd
    } else {
        Currency::Vnd
    };
    let amount = caps.get(2).and_then(|m| parse_amount(m.as_str(), currency));
    let mut rest = &text[caps.get(0).map_or(0, |m| m.end())..];
    let mut note = None;
    if let Some((inside, after)) = parenthesised(rest.trim_start_matches(' ')) {
        note = optional_text(inside);
        rest = after;
    }
    let label = caps.get(1).map(|m| m.as_str().to_owned());
    Some((
        Fee::Amount {
            label,
            amount,
            currency,
            note,
        },
        rest,
    ))
}

/// Amount in the currency's smallest unit. "4,000,000" and "2.000.000" are thousands;
/// "1.5" USD is a decimal.
fn parse_amount(text: &str, currency: Currency) -> Option<u64> {
    let groups: Vec<&str> = text.split(['.', ',']).collect();
    let thousands = groups.len() > 1 && groups[1..].iter().all(|g| g.len() == 3);
    match currency {
        Currency::Vnd => text.replace(['.', ','], "").parse().ok(),
        Currency::Usd if thousands || groups.len() == 1 => text
            .replace(['.', ','], "")
            .parse::<u64>()
            .ok()
            .map(|d| d * 100),
        Currency::Usd => {
            let whole: u64 = groups[0].parse().ok()?;
            let cents: u64 = format!("{:0<2}", groups[1]).parse().ok()?;
            Some(whole * 100 + cents)
        }
    }
}

/// `(…)` with nesting at the start of `text`; an unclosed note runs to the end.
fn parenthesised(text: &str) -> Option<(&str, &str)> {
    let inner = text.strip_prefix('(')?;
    let mut depth = 1usize;
    for (i, c) in inner.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some((&inner[..i], &inner[i + 1..]));
                }
            }
            _ => {}
        }
    }
    Some((inner, ""))
}

const DOCUMENT_HEADER: &str = "Tên giấy tờMẫu đơn, tờ khaiSố lượng";

/// `thanh_phan_ho_so`: groups (a heading, then the header) of documents, each ending in
/// its quantity ("1 bản chính", "0 bản chính,1 bản sao").
pub fn parse_documents(text: &str) -> Option<Vec<DocumentGroup>> {
    let parts: Vec<&str> = text.split(DOCUMENT_HEADER).collect();
    if parts.len() < 2 {
        return None;
    }
    let mut groups = Vec::new();
    let mut title = group_title(parts[0]);
    for (index, part) in parts.iter().enumerate().skip(1) {
        let is_last = index == parts.len() - 1;
        let (documents, trailing) = split_documents(part);
        let next_title = if is_last { None } else { group_title(trailing) };
        let mut documents = documents;
        if is_last {
            // Text after the last quantity is a document whose quantity the portal left out.
            if let Some(name) = optional_text(trailing) {
                documents.push(RequiredDocument {
                    name,
                    form: None,
                    originals: None,
                    copies: None,
                });
            }
        }
        if documents.is_empty() && title.is_none() {
            title = next_title;
            continue;
        }
        groups.push(DocumentGroup {
            title: title.take(),
            documents,
        });
        title = next_title;
    }
    // A table with no rows ("Không quy định" — nothing to submit) is still a table.
    Some(groups)
}

fn group_title(text: &str) -> Option<String> {
    optional_text(
        text.trim()
            .trim_start_matches(['-', '*', ' '])
            .trim_end_matches(':'),
    )
}

/// Rows of one group, and whatever follows the last quantity.
fn split_documents(text: &str) -> (Vec<RequiredDocument>, &str) {
    static QUANTITY: LazyLock<Regex> =
        LazyLock::new(|| regex(r"([0-9]+) bản chính(?:,\s*([0-9]+) bản sao)?|([0-9]+) bản sao"));
    let mut documents = Vec::new();
    let mut row_start = 0;
    for caps in QUANTITY.captures_iter(text) {
        let Some(whole) = caps.get(0) else { continue };
        let digits = caps.get(1).or(caps.get(3)).map_or("", |m| m.as_str());
        let digit_start = whole.start();
        if digit_start < row_start {
            continue;
        }
        // Quantities are printed without leading zeros; "01 bản chính hoặc…" inside a name
        // is not one. A name ending in a digit ("Mẫu số 01" + "1 bản chính") keeps its digits.
        // "Mẫu số 01" + "1 bản chính" prints as "011 bản chính": the last digit is the count.
        let (quantity, quantity_start) = match digits.len() {
            2 if digits.starts_with('0') => continue,
            3.. if digits.starts_with('0') => {
                (&digits[digits.len() - 1..], digit_start + digits.len() - 1)
            }
            _ => (digits, digit_start),
        };
        let count: Option<u32> = quantity.parse().ok();
        let copies_with_originals = caps.get(2).and_then(|m| m.as_str().parse().ok());
        let (originals, copies) = if caps.get(1).is_some() {
            (count, copies_with_originals)
        } else {
            (None, count)
        };
        let name_text = &text[row_start..quantity_start];
        row_start = whole.end();
        let Some(name_text) =
            optional_text(name_text.trim_start_matches(['-', '+', ' ', '\t', '\n']))
        else {
            continue;
        };
        let (name, form) = split_form(&name_text);
        documents.push(RequiredDocument {
            name,
            form,
            originals,
            copies,
        });
    }
    (documents, &text[row_start..])
}

/// Separates an attached form's file name glued to the document name
/// ("…theo mẫu thống nhấtMẫu TP-LS-02-sđ.docx").
fn split_form(text: &str) -> (String, Option<String>) {
    static EXTENSION: LazyLock<Regex> =
        LazyLock::new(|| regex(r"(?i)\.(?:docx?|pdf|xlsx?|rtf|odt|zip|rar)$"));
    let Some(extension) = EXTENSION.find(text) else {
        return (text.to_owned(), None);
    };
    let window_start = text[..extension.start()]
        .char_indices()
        .rev()
        .nth(80)
        .map_or(0, |(i, _)| i);
    let mut previous: Option<char> = None;
    for (i, c) in text[window_start..extension.start()].char_indices() {
        let glued = previous.is_some_and(|p| p.is_lowercase() || matches!(p, ')' | ';' | ':'))
            && (c.is_uppercase() || c.is_ascii_digit());
        if glued {
            let at = window_start + i;
            return (
                text[..at].trim().to_owned(),
                Some(text[at..].trim().to_owned()),
            );
        }
        previous = Some(c);
    }
    (text.to_owned(), None)
}

const LEGAL_HEADER: &str = "Tên văn bản pháp lýMã văn bản";

/// `can_cu_phap_ly`: pairs of title and document number ("…công an nhân dân68/2013/TT-BCA").
pub fn parse_legal_basis(text: &str) -> Option<Vec<LegalDocument>> {
    let body = text.trim().strip_prefix(LEGAL_HEADER)?;
    static NUMBER: LazyLock<Regex> =
        LazyLock::new(|| regex(r"([0-9]+)/((?:19|20)[0-9][0-9])/([A-ZĐ0-9][A-ZĐa-z0-9\-]*)"));
    let mut documents: Vec<LegalDocument> = Vec::new();
    let mut title_start = 0;
    while let Some(caps) = NUMBER.captures_at(body, title_start) {
        let (Some(digits), Some(glued)) = (caps.get(1), caps.get(3)) else {
            break;
        };
        let number_start = number_start(body, digits.start(), digits.as_str());
        let mut suffix = document_suffix(glued.as_str());
        if body[glued.end()..].starts_with('/') {
            // "NĐ-CP05/2012/…": the trailing digits open the next number.
            suffix = suffix.trim_end_matches(|c: char| c.is_ascii_digit());
        }
        let number_end = glued.start() + suffix.len();
        let number = &body[number_start..number_end];
        let title = body[title_start..number_start].trim();
        title_start = number_end;
        if title.is_empty() {
            // "Nghị định 05/2012/NĐ-CP05/2012/NĐ-CP": the title itself was the number.
            if let Some(last) = documents
                .last_mut()
                .filter(|d| d.number.as_deref() == Some(number))
            {
                last.title = format!("{} {number}", last.title);
                continue;
            }
        }
        documents.push(LegalDocument {
            title: if title.is_empty() {
                number.to_owned()
            } else {
                title.to_owned()
            },
            number: Some(number.to_owned()),
        });
    }
    let trailing = body[title_start..].trim();
    if !trailing.is_empty() {
        documents.push(LegalDocument {
            title: trailing.to_owned(),
            number: None,
        });
    }
    if documents.is_empty() {
        None
    } else {
        Some(documents)
    }
}

/// The number's digits are glued to the title ("Luật Khiếu nại năm 201102/2011/QH13"):
/// a title ending "năm" keeps its four-digit year.
fn number_start(body: &str, digits_start: usize, digits: &str) -> usize {
    if digits.len() > 4 && body[..digits_start].trim_end().ends_with("năm") {
        digits_start + 4
    } else if digits.len() > 4 {
        digits_start + digits.len() - 3
    } else {
        digits_start
    }
}

/// The issuer suffix ("TT-BCA", "QĐ-TTg") without the capital that starts the next title.
fn document_suffix(glued: &str) -> &str {
    if let Some(at) = glued.find("TTg") {
        return &glued[..at + 3];
    }
    let chars: Vec<(usize, char)> = glued.char_indices().collect();
    for window in chars.windows(2) {
        let ((i, upper), (_, lower)) = (window[0], window[1]);
        if upper.is_uppercase() && lower.is_lowercase() {
            return &glued[..i];
        }
    }
    glued
}

/// `ket_qua_xu_ly`: result names, each followed by its code, keywords and description.
pub fn parse_results(text: &str) -> Option<Vec<String>> {
    let mut pieces = text.split("Mã:");
    let mut results: Vec<String> = pieces.next().and_then(optional_text).into_iter().collect();
    for piece in pieces {
        // "<code>Từ khóa<keywords>Mô tả<description><next result>": the code, keywords and
        // description are the portal's bookkeeping; what follows is the next result's name.
        let next = piece.rsplit_once("Mô tả").map_or("", |(_, after)| after);
        let next = next.strip_prefix(NOT_STATED).unwrap_or(next);
        results.extend(optional_text(next));
    }
    if results.is_empty() {
        None
    } else {
        Some(results)
    }
}

/// `trinh_tu_thuc_hien`: "Bước 1: …" markers when present, otherwise paragraphs.
pub fn parse_steps(text: &str) -> Vec<String> {
    static STEP: LazyLock<Regex> = LazyLock::new(|| regex(r"(?:^|\s)Bước\s*[0-9]+\s*[:.\-]?"));
    let marked: Vec<String> = STEP.split(text).filter_map(optional_text).collect();
    if STEP.find_iter(text).count() >= 2 && !marked.is_empty() {
        return marked;
    }
    text.split('\n').filter_map(optional_text).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(amount: f64) -> ProcessingTime {
        ProcessingTime::Duration {
            amount,
            unit: TimeUnit::WorkingDays,
        }
    }

    #[test]
    fn splits_channel_rows_with_descriptions() {
        let text = "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến2 Ngày làm việcMiễn phíTrong thời hạn 02 ngày.Trực tiếp3 Ngày làm việc100,000 Việt Nam Đồng(100.000 đồng/lần)Nộp Trực tiếp tại xã";
        let channels = parse_channels(text).expect("parses");
        assert_eq!(channels.len(), 2);
        assert_eq!(channels[0].kind, ChannelKind::Online);
        assert_eq!(channels[0].processing_time, days(2.0));
        assert_eq!(channels[0].fees, vec![Fee::Free]);
        assert_eq!(
            channels[0].description.as_deref(),
            Some("Trong thời hạn 02 ngày.")
        );
        assert_eq!(channels[1].kind, ChannelKind::InPerson);
        assert_eq!(
            channels[1].fees,
            vec![Fee::Amount {
                label: None,
                amount: Some(100_000),
                currency: Currency::Vnd,
                note: Some("100.000 đồng/lần".into())
            }]
        );
        assert_eq!(
            channels[1].description.as_deref(),
            Some("Nộp Trực tiếp tại xã")
        );
    }

    #[test]
    fn bare_number_glued_to_an_amount_is_split_where_the_fee_reads() {
        let text = "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp1100,000 VNĐ";
        let channels = parse_channels(text).expect("parses");
        assert_eq!(
            channels[0].processing_time,
            ProcessingTime::Duration {
                amount: 1.0,
                unit: TimeUnit::Unspecified
            }
        );
        assert!(matches!(
            channels[0].fees[0],
            Fee::Amount {
                amount: Some(100_000),
                ..
            }
        ));
    }

    #[test]
    fn free_text_time_and_labelled_fees() {
        let text = "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyếnKhông quy địnhPhí : 0.5 USD (dưới 16 tuổi)\nLệ phí : 2.000.000 Đồng";
        let channels = parse_channels(text).expect("parses");
        assert_eq!(
            channels[0].processing_time,
            ProcessingTime::Text {
                text: "Không quy định".into()
            }
        );
        assert_eq!(channels[0].fees.len(), 2);
        assert!(matches!(
            channels[0].fees[0],
            Fee::Amount {
                amount: Some(50),
                currency: Currency::Usd,
                ..
            }
        ));
        assert!(matches!(
            channels[0].fees[1],
            Fee::Amount {
                amount: Some(2_000_000),
                currency: Currency::Vnd,
                ..
            }
        ));
    }

    #[test]
    fn channel_text_without_header_is_not_guessed() {
        assert_eq!(parse_channels("Trực tiếp tại UBND xã"), None);
    }

    #[test]
    fn splits_documents_quantities_and_forms() {
        let text = "--Tên giấy tờMẫu đơn, tờ khaiSố lượngDự thảo Điều lệ1 bản chínhGiấy tờ chứng minh trụ sở.0 bản chính,1 bản saoGiấy đề nghị theo mẫu thống nhấtMẫu TP-LS-02-sđ.docx1 bản chính";
        let groups = parse_documents(text).expect("parses");
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].title, None);
        let docs = &groups[0].documents;
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[0].name, "Dự thảo Điều lệ");
        assert_eq!((docs[1].originals, docs[1].copies), (Some(0), Some(1)));
        assert_eq!(docs[2].name, "Giấy đề nghị theo mẫu thống nhất");
        assert_eq!(docs[2].form.as_deref(), Some("Mẫu TP-LS-02-sđ.docx"));
    }

    #[test]
    fn document_groups_take_their_headings() {
        let text = "* Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượngTờ khai1 bản chính* Giấy tờ phải xuất trình:Tên giấy tờMẫu đơn, tờ khaiSố lượngMẫu số 011 bản chính";
        let groups = parse_documents(text).expect("parses");
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].title.as_deref(), Some("Giấy tờ phải nộp"));
        assert_eq!(groups[1].title.as_deref(), Some("Giấy tờ phải xuất trình"));
        assert_eq!(groups[1].documents[0].name, "Mẫu số 01");
        assert_eq!(groups[1].documents[0].originals, Some(1));
    }

    #[test]
    fn splits_legal_titles_from_numbers() {
        let text = "Tên văn bản pháp lýMã văn bảnHướng dẫn xử lý khiếu nại68/2013/TT-BCALuật Khiếu nại  năm 201102/2011/QH13Quy chế ứng phó12/2021/QĐ-TTgNghị định 05/2012/NĐ-CP05/2012/NĐ-CP";
        let docs = parse_legal_basis(text).expect("parses");
        let pairs: Vec<(&str, Option<&str>)> = docs
            .iter()
            .map(|d| (d.title.as_str(), d.number.as_deref()))
            .collect();
        assert_eq!(
            pairs,
            vec![
                ("Hướng dẫn xử lý khiếu nại", Some("68/2013/TT-BCA")),
                ("Luật Khiếu nại  năm 2011", Some("02/2011/QH13")),
                ("Quy chế ứng phó", Some("12/2021/QĐ-TTg")),
                ("Nghị định 05/2012/NĐ-CP", Some("05/2012/NĐ-CP")),
            ]
        );
    }

    #[test]
    fn results_and_steps() {
        assert_eq!(
            parse_results(
                "Giấy khai sinhMã: KQ.G01.00262Từ khóaKhông có thông tinMô tảKhông có thông tinTrích lụcMã: KQ.1Từ khóaMô tả"
            ),
            Some(vec!["Giấy khai sinh".to_owned(), "Trích lục".to_owned()])
        );
        assert_eq!(
            parse_steps("Bước 1: Nộp hồ sơ.\nBước 2: Nhận kết quả."),
            vec!["Nộp hồ sơ.", "Nhận kết quả."]
        );
        assert_eq!(
            parse_steps("Nộp hồ sơ.\n\nNhận kết quả."),
            vec!["Nộp hồ sơ.", "Nhận kết quả."]
        );
    }
}
