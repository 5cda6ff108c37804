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
    let mut stripped = String::with_capacity(text.len());
    for c in text.nfd() {
        match c {
            'đ' | 'Đ' => stripped.push('d'),
            '\u{0300}'..='\u{036f}' => {}
            c if c.is_alphanumeric() => stripped.extend(c.to_lowercase()),
            _ => stripped.push(' '),
        }
    }
    stripped.split_whitespace().map(unify_i_y).collect()
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
