//! Text normalisation for Vietnamese search: folding (diacritics, đ, case, i/y) and
//! decoding of Telex/VNI keystrokes that an input method did not convert.

mod fold;
mod keystrokes;

pub use fold::{fold, fold_tokens, is_syllable};
pub use keystrokes::decode_keystrokes;
