//! The commune picker over the whole country: the shipped file is exactly what the 2025
//! administrative-units data says, and every unit is found as residents type it.
#![allow(clippy::expect_used)]

use civic_feedback::places::{COLUMNS, Places};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Province {
    code: String,
    name: String,
    administrative_unit_short_name: String,
    wards: Vec<Unit>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Unit {
    code: String,
    name: String,
    administrative_unit_short_name: String,
}

/// The shipped file as the data makes it.
fn generated() -> String {
    let path = civic_test_support::shared_data()
        .join("admin-units")
        .join("vn_units_2025_full.json");
    let text = std::fs::read_to_string(&path).expect("the 2025 units");
    let provinces: Vec<Province> = serde_json::from_str(&text).expect("units JSON");
    let mut out = COLUMNS.join("\t");
    out.push('\n');
    for province in &provinces {
        for unit in &province.wards {
            let row = [
                province.code.as_str(),
                &province.name,
                &province.administrative_unit_short_name,
                &unit.code,
                &unit.name,
                &unit.administrative_unit_short_name,
            ];
            out.push_str(&row.join("\t"));
            out.push('\n');
        }
    }
    out
}

/// Like rust-analyzer's generated files: a stale copy is rewritten and the test fails, so
/// the change shows in `git diff` and is committed.
#[test]
fn the_shipped_places_are_the_2025_units() {
    let shipped_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets/places/vn_units_2025.tsv");
    let expected = generated();
    let shipped = std::fs::read_to_string(&shipped_path).unwrap_or_default();
    if shipped != expected {
        std::fs::write(&shipped_path, &expected).expect("rewrite the shipped places");
        panic!(
            "{} was stale and has been regenerated from ../shared/data; commit it",
            shipped_path.display()
        );
    }
    let places = Places::bundled().expect("the shipped places");
    assert_eq!(places.len(), 3_321);
    let provinces: std::collections::HashSet<&str> = places
        .all()
        .iter()
        .map(|p| p.province_code.as_str())
        .collect();
    assert_eq!(provinces.len(), 34);
}

/// Every unit, typed without diacritics with its province, comes first, or a unit whose
/// name reads the same without them in the same province ("Văn Lang", "Văn Lăng"); typed
/// with its unit word and diacritics, it comes first itself. Over all 3,321, no sample.
#[test]
fn every_unit_is_found_first_by_its_name_and_province() {
    let places = Places::bundled().expect("the shipped places");
    let folded =
        |p: &civic_feedback::Place| civic_text::fold(&format!("{} {}", p.name, p.province));
    let mut misses = Vec::new();
    for place in places.all() {
        let plain = folded(place);
        let first = places.search(&plain, 1);
        if first.first().map(|p| folded(p)) != Some(plain.clone()) {
            misses.push(plain);
        }
        let formal = format!("{} {} {}", place.kind, place.name, place.province);
        let first = places.search(&formal, 1);
        if first.first().map(|p| &p.code) != Some(&place.code) {
            misses.push(formal);
        }
    }
    assert!(
        misses.is_empty(),
        "{} misses, e.g. {:?}",
        misses.len(),
        &misses[..misses.len().min(10)]
    );
}

/// The name alone finds the unit among the first five wherever it is not shared by more
/// than five provinces, and every result holds the words typed.
#[test]
fn a_name_alone_lists_the_units_of_that_name() {
    let places = Places::bundled().expect("the shipped places");
    let mut by_name: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for place in places.all() {
        *by_name.entry(civic_text::fold(&place.name)).or_default() += 1;
    }
    let mut misses = Vec::new();
    for place in places.all() {
        let query = civic_text::fold(&place.name);
        if by_name[&query] > 5 {
            continue;
        }
        let found = places.search(&query, 5);
        if !found.iter().any(|p| p.code == place.code) {
            misses.push(query);
        }
    }
    assert!(
        misses.is_empty(),
        "{} misses, e.g. {:?}",
        misses.len(),
        &misses[..misses.len().min(10)]
    );
}
