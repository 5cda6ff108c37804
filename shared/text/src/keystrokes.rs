use super::fold::{fold, is_syllable};

/// Folds a word typed with Telex or VNI keystrokes that were never turned into
/// diacritics ("ddawng" → "dang", "kys" → "ki", "d9a8ng" → "dang").
///
/// Returns `None` when the word already reads as a syllable or when decoding does not
/// give one, so abbreviations such as "gplx" stay as typed.
pub fn decode_keystrokes(word: &str) -> Option<String> {
    let lower = word.to_lowercase();
    if !lower.chars().all(|c| c.is_ascii_alphanumeric()) || is_syllable(&fold(&lower)) {
        return None;
    }
    let candidate = if lower.chars().any(|c| c.is_ascii_digit()) {
        decode_vni(&lower)?
    } else {
        decode_telex(&lower)
    };
    let folded = fold(&candidate);
    is_syllable(&folded).then_some(folded)
}

/// VNI marks every diacritic with a digit after the letter; folding only needs them gone.
fn decode_vni(word: &str) -> Option<String> {
    // A word that starts with a digit is a number or a code, not VNI.
    if word.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(word.chars().filter(|c| !c.is_ascii_digit()).collect())
}

/// Telex doubles a letter for a hat (aa, ee, oo, dd), adds `w` for a breve or horn, and
/// ends with s/f/r/x/j for the tone (z clears it). None of these letters can follow the
/// first vowel in a real syllable, so after that vowel they are marks, not letters.
fn decode_telex(word: &str) -> String {
    let word = word
        .strip_prefix("dd")
        .map_or_else(|| word.to_owned(), |rest| format!("d{rest}"));
    let mut out = String::with_capacity(word.len());
    let mut seen_vowel = false;
    for c in word.chars() {
        let is_vowel = matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
        if !seen_vowel && c == 'w' {
            // "tw" is Telex for "tư": a lone w is the vowel ư.
            out.push('u');
            seen_vowel = true;
            continue;
        }
        if seen_vowel && matches!(c, 'w' | 's' | 'f' | 'r' | 'x' | 'j' | 'z') {
            continue;
        }
        if is_vowel && seen_vowel && out.ends_with(c) && matches!(c, 'a' | 'e' | 'o') {
            continue;
        }
        seen_vowel |= is_vowel;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_telex() {
        let cases = [
            ("ddawng", "dang"),
            ("kys", "ki"),
            ("thuwowngf", "thuong"),
            ("tw", "tu"),
            ("nguwowif", "nguoi"),
            ("vieejt", "viet"),
            ("ddaaus", "dau"),
            ("hooj", "ho"),
        ];
        for (typed, expected) in cases {
            assert_eq!(
                decode_keystrokes(typed).as_deref(),
                Some(expected),
                "{typed}"
            );
        }
    }

    #[test]
    fn decodes_vni() {
        assert_eq!(decode_keystrokes("d9a8ng").as_deref(), Some("dang"));
        assert_eq!(decode_keystrokes("ky1").as_deref(), Some("ki"));
        assert_eq!(decode_keystrokes("thu7o7ng2").as_deref(), Some("thuong"));
    }

    #[test]
    fn leaves_real_words_codes_and_abbreviations_alone() {
        for word in ["dang", "tru", "gplx", "1", "001193", "đăng", "xe"] {
            assert_eq!(decode_keystrokes(word), None, "{word}");
        }
    }
}
