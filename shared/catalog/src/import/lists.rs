/// The portal's ways of saying "nothing here".
const NO_INFORMATION: &[&str] = &[
    "Không có thông tin",
    "Không",
    "Không có",
    "Không quy định",
    "--",
    "-",
];

/// `None` for blank text and for the portal's "no information" placeholders.
pub fn optional_text(text: &str) -> Option<String> {
    let trimmed = text.trim();
    if trimmed.is_empty()
        || NO_INFORMATION
            .iter()
            .any(|p| trimmed.eq_ignore_ascii_case(p) || trimmed == *p)
    {
        None
    } else {
        Some(trimmed.to_owned())
    }
}

/// Splits on any of `separators`, trimming and dropping placeholders.
pub fn split_list(text: &str, separators: &[char]) -> Vec<String> {
    text.split(|c| separators.contains(&c))
        .filter_map(optional_text)
        .collect()
}

/// Splits on commas outside parentheses: "Tổ chức (không bao gồm doanh nghiệp, HTX), Công dân"
/// is two groups, not three.
pub fn split_top_level_commas(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                items.extend(optional_text(&text[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    items.extend(optional_text(&text[start..]));
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_target_groups_outside_parentheses() {
        assert_eq!(
            split_top_level_commas("Tổ chức (không bao gồm doanh nghiệp, HTX), Công dân Việt Nam"),
            vec![
                "Tổ chức (không bao gồm doanh nghiệp, HTX)",
                "Công dân Việt Nam"
            ]
        );
    }

    #[test]
    fn placeholders_are_absent_values() {
        assert_eq!(optional_text(" Không có thông tin "), None);
        assert_eq!(
            split_list("Cấp bộ, Cấp tỉnh, ", &[',']),
            vec!["Cấp bộ", "Cấp tỉnh"]
        );
    }
}
