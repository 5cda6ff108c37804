//! Session ids and the payment references derived from them, on the payment platform's
//! references (`PK` and the id's first ten characters, found again in any bank note).

use civic_payment::References;
use civic_payment::reference::{is_code, random_code};

use crate::ParkingError;

/// Characters of a session id: 100 random bits, not guessable.
const ID_LEN: usize = 20;
/// `PK` and 10 characters of the id (50 bits): unique among a city's sessions.
const SESSIONS: References = References::new("PK", 10);
pub const REFERENCE_LEN: usize = SESSIONS.len();

/// A new random session id.
pub fn new_session_id() -> Result<String, ParkingError> {
    random_code(ID_LEN).map_err(|e| ParkingError::Time(e.to_string()))
}

/// Whether `id` has the shape of a session id (ids come from the network too).
#[must_use]
pub fn is_session_id(id: &str) -> bool {
    is_code(id, ID_LEN)
}

/// The transfer note that pays session `id`.
#[must_use]
pub fn reference(id: &str) -> String {
    SESSIONS.reference(id)
}

/// Every reference-shaped run in a transfer note: the candidates a gateway looks up.
#[must_use]
pub fn references_in(note: &str) -> Vec<String> {
    SESSIONS.references_in(note)
}
