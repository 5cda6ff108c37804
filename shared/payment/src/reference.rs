//! References that pay for one thing. A reference travels in a bank transfer's note, which
//! banks pass on upper-cased, sometimes with spaces or dashes inserted and other text around
//! it; so it is short, upper-case, unambiguous (Crockford's base 32: no I, L, O or U), begins
//! with its feature's prefix, and is found again inside any note.

use crate::PaymentError;

/// Crockford's base 32.
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// `len` random characters of [`ALPHABET`] (5 bits each): ids nobody can guess.
pub fn random_code(len: usize) -> Result<String, PaymentError> {
    let mut bytes = vec![0u8; len];
    getrandom::fill(&mut bytes).map_err(|e| PaymentError::Randomness(e.to_string()))?;
    Ok(bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b & 31)]))
        .collect())
}

/// Whether `code` is `len` characters of [`ALPHABET`] (codes come from the network too).
#[must_use]
pub fn is_code(code: &str, len: usize) -> bool {
    code.len() == len && code.bytes().all(|b| ALPHABET.contains(&b))
}

/// One feature's references: its prefix (so a note's other words are not mistaken for one)
/// and how many characters of the paid thing's id follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct References {
    prefix: &'static str,
    body: usize,
}

impl References {
    /// `prefix`: upper-case letters and digits of [`ALPHABET`]; `body`: characters of the id.
    #[must_use]
    pub const fn new(prefix: &'static str, body: usize) -> Self {
        Self { prefix, body }
    }

    /// Characters in a reference.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.prefix.len() + self.body
    }

    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The transfer note that pays for `id`.
    #[must_use]
    pub fn reference(&self, id: &str) -> String {
        let body: String = id.chars().take(self.body).collect();
        format!("{}{body}", self.prefix)
    }

    /// Every reference-shaped run in a transfer note, upper-cased with spaces, dashes and
    /// other separators removed: the candidates a gateway looks up.
    #[must_use]
    pub fn references_in(&self, note: &str) -> Vec<String> {
        let letters: Vec<u8> = note
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| b.to_ascii_uppercase())
            .collect();
        let len = self.len();
        let mut found = Vec::new();
        for start in 0..letters.len().saturating_sub(len - 1) {
            let window = &letters[start..start + len];
            if window.starts_with(self.prefix.as_bytes())
                && window[self.prefix.len()..]
                    .iter()
                    .all(|b| ALPHABET.contains(b))
            {
                let candidate = String::from_utf8_lossy(window).into_owned();
                if !found.contains(&candidate) {
                    found.push(candidate);
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_features_references_do_not_take_each_other() {
        let parking = References::new("PK", 10);
        let fees = References::new("HS", 8);
        let note = "CK PK-7H3K 9QZ2 XW tien gui xe, HS 4T8M0B2C le phi";
        assert_eq!(parking.references_in(note), ["PK7H3K9QZ2XW"]);
        assert_eq!(fees.references_in(note), ["HS4T8M0B2C"]);
    }

    #[test]
    fn random_codes_have_the_shape_they_are_checked_for() {
        let code = random_code(20).expect("randomness");
        assert!(is_code(&code, 20), "{code}");
        assert!(!is_code(&code, 19));
        assert!(!is_code("ILOU0000000000000000", 20), "not Crockford");
        assert_ne!(code, random_code(20).expect("randomness"));
    }
}
