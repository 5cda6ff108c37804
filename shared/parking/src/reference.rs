//! Session ids and the payment references derived from them. A reference travels in a
//! bank transfer's note, which banks pass on upper-cased, sometimes with spaces or dashes
//! inserted and other text around it; so it is short, upper-case, unambiguous (Crockford's
//! base 32: no I, L, O or U) and found again inside any note.

use crate::ParkingError;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters of a session id: 100 random bits, not guessable.
const ID_LEN: usize = 20;
/// What every reference starts with, so a note's other words are not mistaken for one.
const PREFIX: &str = "PK";
/// Characters of the id a reference carries: 50 bits, unique among a city's sessions.
const REFERENCE_BODY: usize = 10;
pub const REFERENCE_LEN: usize = PREFIX.len() + REFERENCE_BODY;

/// A new random session id.
pub fn new_session_id() -> Result<String, ParkingError> {
    let mut bytes = [0u8; ID_LEN];
    getrandom::fill(&mut bytes).map_err(|e| ParkingError::Time(format!("no randomness: {e}")))?;
    Ok(bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b & 31)]))
        .collect())
}

/// Whether `id` has the shape of a session id (ids come from the network too).
#[must_use]
pub fn is_session_id(id: &str) -> bool {
    id.len() == ID_LEN && id.bytes().all(|b| ALPHABET.contains(&b))
}

/// The transfer note that pays session `id`.
#[must_use]
pub fn reference(id: &str) -> String {
    let body: String = id.chars().take(REFERENCE_BODY).collect();
    format!("{PREFIX}{body}")
}

/// Every reference-shaped run in a transfer note, upper-cased with spaces, dashes and other
/// separators removed: the candidates a gateway looks up.
#[must_use]
pub fn references_in(note: &str) -> Vec<String> {
    let letters: Vec<u8> = note
        .bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| b.to_ascii_uppercase())
        .collect();
    let mut found = Vec::new();
    for start in 0..letters.len().saturating_sub(REFERENCE_LEN - 1) {
        let window = &letters[start..start + REFERENCE_LEN];
        if window.starts_with(PREFIX.as_bytes())
            && window[PREFIX.len()..].iter().all(|b| ALPHABET.contains(b))
        {
            let candidate = String::from_utf8_lossy(window).into_owned();
            if !found.contains(&candidate) {
                found.push(candidate);
            }
        }
    }
    found
}
