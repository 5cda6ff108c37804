use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

/// Lower-cases, strips every diacritic (including the stroke of đ, which Unicode
/// decomposition does not remove) and keeps letters, digits and single spaces.
///
/// `fold("Đăng ký  KHAI-SINH") == "dang ki khai sinh"`: the i/y spelling variants are
/// unified as well (see [`unify_i_y`]).
pub fn fold(text: &str) -> String {
    fold_tokens(text).join(" ")
}

/// The folded words of `text`, in order.
pub fn fold_tokens(text: &str) -> Vec<String> {
    fold_spans(text).into_iter().map(|w| w.folded).collect()
}

/// A word of a text, folded, with where it stands in the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoldedWord {
    pub folded: String,
    /// Byte range in the text that was folded.
    pub span: Range<usize>,
}

/// The folded words of `text` with their byte ranges in it, so that a match found on the
/// folded form can be shown on the words as written ("Đăng ký" for "dang ki").
pub fn fold_spans(text: &str) -> Vec<FoldedWord> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut start: Option<usize> = None;
    let mut finish = |current: &mut String, span: Range<usize>| {
        if !current.is_empty() {
            words.push(FoldedWord {
                folded: unify_i_y(current),
                span,
            });
            current.clear();
        }
    };
    for (at, c) in text.char_indices() {
        // A precomposed letter decomposes on its own; the marks are dropped, so their
        // canonical order across characters never matters.
        let mut part_of_word = false;
        for d in std::iter::once(c).nfd() {
            match d {
                'đ' | 'Đ' => current.push('d'),
                '\u{0300}'..='\u{036f}' => {}
                d if d.is_alphanumeric() => current.extend(d.to_lowercase()),
                _ => continue,
            }
            part_of_word = true;
        }
        if part_of_word {
            start.get_or_insert(at);
        } else if let Some(begun) = start.take() {
            finish(&mut current, begun..at);
        }
    }
    if let Some(begun) = start {
        finish(&mut current, begun..text.len());
    }
    words
}

/// Vietnamese writes the same syllable as "kí" or "ký", "lí" or "lý", "quí" or "quý":
/// a final `y` after an initial consonant alone is folded to `i`.
fn unify_i_y(word: &str) -> String {
    match word.strip_suffix('y') {
        Some(initial) if !initial.is_empty() && INITIAL_ONLY.is_match(initial) => {
            format!("{initial}i")
        }
        _ => word.to_owned(),
    }
}

static INITIAL_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)] // a constant pattern, checked by the tests
    Regex::new(r"^(?:ngh|ng|gh|kh|nh|ph|qu|th|tr|ch|[bcdghklmnprstvx])$").expect("valid regex")
});

static SYLLABLE: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)] // a constant pattern, checked by the tests
    Regex::new(r"^(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?$")
        .expect("valid regex")
});

/// Whether a folded word has the shape of a Vietnamese syllable
/// (initial consonant, one to three vowels, final consonant).
pub fn is_syllable(folded_word: &str) -> bool {
    SYLLABLE.is_match(folded_word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_diacritics_stroke_case_and_punctuation() {
        assert_eq!(
            fold("Thủ tục Đăng ký khai sinh"),
            "thu tuc dang ki khai sinh"
        );
        assert_eq!(fold("ĐỔI GIẤY PHÉP LÁI XE"), "doi giay phep lai xe");
        assert_eq!(
            fold("cha, mẹ, con (có yếu tố nước ngoài)"),
            "cha me con co yeu to nuoc ngoai"
        );
        assert_eq!(fold("  "), "");
    }

    #[test]
    fn unifies_i_and_y_only_after_a_bare_initial() {
        assert_eq!(fold("kí ký"), "ki ki");
        assert_eq!(fold("quy định qui định"), "qui dinh qui dinh");
        assert_eq!(fold("tuy yêu"), "tuy yeu");
        assert_eq!(fold("y tế"), "y te");
    }

    #[test]
    fn spans_point_at_the_words_as_written() {
        let text = "Cấp lại Giấy (TNLĐ), đăng ký";
        let words = fold_spans(text);
        let shown: Vec<(&str, &str)> = words
            .iter()
            .map(|w| (w.folded.as_str(), &text[w.span.clone()]))
            .collect();
        assert_eq!(
            shown,
            vec![
                ("cap", "Cấp"),
                ("lai", "lại"),
                ("giay", "Giấy"),
                ("tnld", "TNLĐ"),
                ("dang", "đăng"),
                ("ki", "ký"),
            ]
        );
        // Decomposed input (a base letter and a combining mark) spans both.
        let decomposed = "da\u{0300}i";
        assert_eq!(fold_spans(decomposed)[0].span, 0..decomposed.len());
    }

    #[test]
    fn recognises_syllable_shapes() {
        for word in [
            "dang", "ki", "thuong", "nghieng", "khuya", "gi", "a", "oanh",
        ] {
            assert!(is_syllable(word), "{word}");
        }
        for word in ["gplx", "kys", "thuongf", "dd", "ddang", "xyzw"] {
            assert!(!is_syllable(word), "{word}");
        }
    }
}
