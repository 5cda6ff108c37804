//! Spellings people use for a syllable other than the standard one: regional pronunciation
//! written down (tr/ch, s/x, l/n, d/gi/r/v, final n/ng, c/t), digits for number words, and
//! one slip of the finger. Pure functions over folded words; which of the results are real
//! words is for the caller's vocabulary to say.

/// Initials that merge in some region's speech, so people write one for the other.
const MERGED_INITIALS: [(&str, &str); 7] = [
    ("tr", "ch"),
    ("s", "x"),
    ("l", "n"),
    ("d", "gi"),
    ("d", "r"),
    ("gi", "r"),
    ("v", "d"),
];

/// Finals that merge in southern and central speech.
const MERGED_FINALS: [(&str, &str); 3] = [("ng", "n"), ("c", "t"), ("nh", "n")];

/// Other spellings of a folded syllable that sound alike somewhere in Vietnam
/// ("chu" → "tru", "xo" → "so", "nam" → "lam"). The word itself is not included.
pub fn regional_variants(word: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |v: String| {
        if v != word && !out.contains(&v) {
            out.push(v);
        }
    };
    for (a, b) in MERGED_INITIALS {
        for (from, to) in [(a, b), (b, a)] {
            // "gi" is its own initial: "gia" is not "d" + "ia" here, but "d" + "a" after it.
            if let Some(rest) = word.strip_prefix(from)
                && !(from == "g" || (from == "d" && word.starts_with("di") && to == "gi"))
                && !rest.is_empty()
            {
                push(format!("{to}{rest}"));
            }
        }
    }
    for (a, b) in MERGED_FINALS {
        for (from, to) in [(a, b), (b, a)] {
            if let Some(stem) = word.strip_suffix(from)
                && !stem.is_empty()
                // "nh" is not "n" + "h": only a bare final n turns into ng or nh.
                && !(from == "n" && (stem.ends_with('g') || stem.ends_with('h')))
            {
                push(format!("{stem}{to}"));
            }
        }
    }
    out
}

const NUMBER_WORDS: [(&str, &str); 11] = [
    ("0", "khong"),
    ("1", "mot"),
    ("2", "hai"),
    ("3", "ba"),
    ("4", "bon"),
    ("5", "nam"),
    ("6", "sau"),
    ("7", "bay"),
    ("8", "tam"),
    ("9", "chin"),
    ("10", "muoi"),
];

/// The folded number word for a numeral up to ten and the numeral for a number word
/// ("2" ↔ "hai"), so "lần 2" finds "lần hai". Leading zeros are read as people write
/// them on forms ("02" is "hai").
pub fn number_alternative(word: &str) -> Option<&'static str> {
    let trimmed = word.trim_start_matches('0');
    let digits = if trimmed.is_empty() && !word.is_empty() {
        "0"
    } else {
        trimmed
    };
    NUMBER_WORDS.iter().find_map(|&(numeral, spoken)| {
        if numeral == digits && word.bytes().all(|b| b.is_ascii_digit()) {
            Some(spoken)
        } else if spoken == word {
            Some(numeral)
        } else {
            None
        }
    })
}

/// Letters of folded Vietnamese (no f, j, w, z).
const LETTERS: &str = "abcdeghiklmnopqrstuvxy";

/// Every word one edit away: a letter dropped, added, changed, or two neighbours swapped.
/// Used only for words the catalog does not know, and only those the catalog does know
/// among the results are kept by the caller.
pub fn single_edits(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut out = Vec::with_capacity(chars.len() * 45 + 25);
    for i in 0..=chars.len() {
        let (head, tail) = chars.split_at(i);
        let head: String = head.iter().collect();
        for letter in LETTERS.chars() {
            out.push(format!("{head}{letter}{}", tail.iter().collect::<String>()));
        }
        if let Some((_, rest)) = tail.split_first() {
            let rest: String = rest.iter().collect();
            out.push(format!("{head}{rest}"));
            for letter in LETTERS.chars() {
                out.push(format!("{head}{letter}{rest}"));
            }
        }
        if tail.len() >= 2 {
            out.push(format!(
                "{head}{}{}{}",
                tail[1],
                tail[0],
                tail[2..].iter().collect::<String>()
            ));
        }
    }
    out.sort_unstable();
    out.dedup();
    out.retain(|candidate| candidate != word);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regional_spellings_swap_merged_initials_and_finals() {
        let cases = [
            ("chu", "tru"),
            ("tru", "chu"),
            ("xo", "so"),
            ("nam", "lam"),
            ("dat", "giat"),
            ("gia", "da"),
            ("thuong", "thuon"),
            ("ban", "bang"),
            ("ket", "kec"),
        ];
        for (typed, meant) in cases {
            assert!(
                regional_variants(typed).contains(&meant.to_owned()),
                "{typed} → {:?}",
                regional_variants(typed)
            );
        }
        assert!(!regional_variants("dang").contains(&"dang".to_owned()));
        // "nh" and "ng" are finals of their own, not "n" followed by a letter.
        assert!(!regional_variants("thanh").contains(&"thanhg".to_owned()));
        assert!(!regional_variants("dinh").iter().any(|v| v == "dinhg"));
    }

    #[test]
    fn numerals_and_number_words_translate_both_ways() {
        assert_eq!(number_alternative("2"), Some("hai"));
        assert_eq!(number_alternative("02"), Some("hai"));
        assert_eq!(number_alternative("hai"), Some("2"));
        assert_eq!(number_alternative("mot"), Some("1"));
        assert_eq!(number_alternative("10"), Some("muoi"));
        assert_eq!(number_alternative("25"), None);
        assert_eq!(number_alternative("dang"), None);
    }

    #[test]
    fn single_edits_cover_drops_additions_changes_and_swaps() {
        let edits = single_edits("bag");
        for expected in ["bang", "ba", "bao", "abg"] {
            assert!(edits.contains(&expected.to_owned()), "{expected}");
        }
        assert!(!edits.contains(&"bag".to_owned()));
        assert!(single_edits("").iter().all(|w| w.chars().count() == 1));
    }
}
