//! Session ids and payment references: a reference is found again in whatever note a bank
//! passes on (upper-cased, split by spaces or dashes, among other words).
#![allow(clippy::expect_used)]

use civic_parking::reference::{is_session_id, new_session_id, reference, references_in};
use proptest::prelude::*;

#[test]
fn ids_are_random_and_references_short() {
    let (a, b) = (new_session_id().expect("id"), new_session_id().expect("id"));
    assert_ne!(a, b);
    assert!(is_session_id(&a) && is_session_id(&b));
    assert!(!is_session_id("not an id") && !is_session_id(&a.to_lowercase()));
    let r = reference(&a);
    assert_eq!(r.len(), civic_parking::reference::REFERENCE_LEN);
    assert!(r.starts_with("PK"));
}

#[test]
fn notes_as_banks_write_them() {
    let r = reference("7K2M9Q4TRX0000000000");
    for note in [
        "PK7K2M9Q4TRX".to_owned(),
        "MBVCB.3412345.pk7k2m9q4trx.CT tu 0011001932418 NGUYEN VAN A toi 0041000123456".to_owned(),
        "PK7K2 M9Q4-TRX gui xe".to_owned(),
    ] {
        assert!(references_in(&note).contains(&r), "{note}");
    }
    assert!(references_in("chuyen tien an trua").is_empty());
}

proptest! {
    #[test]
    fn a_reference_survives_any_surrounding_note(
        before in "[a-zA-Z0-9 .,]{0,40}",
        after in "[a-zA-Z0-9 .,]{0,40}",
        split in 0usize..12,
        separator in "[ .-]",
    ) {
        let id = new_session_id().expect("id");
        let r = reference(&id);
        let (head, tail) = r.split_at(split);
        let note = format!("{before} {}{separator}{} {after}", head.to_lowercase(), tail);
        prop_assert!(references_in(&note).contains(&r), "{}", note);
    }

    #[test]
    fn any_note_is_read_without_panicking(note in ".{0,300}") {
        for candidate in references_in(&note) {
            prop_assert_eq!(candidate.len(), civic_parking::reference::REFERENCE_LEN);
        }
    }
}
