//! Text normalisation for Vietnamese search: folding (diacritics, đ, case, i/y) with the
//! spans of the words as written, decoding of Telex/VNI keystrokes that an input method did
//! not convert, and the other spellings people use for a word (regional, numerals, slips).

mod fold;
mod keystrokes;
mod spelling;

pub use fold::{FoldedWord, fold, fold_spans, fold_tokens, is_syllable};
pub use keystrokes::decode_keystrokes;
pub use spelling::{number_alternative, regional_variants, single_edits};
