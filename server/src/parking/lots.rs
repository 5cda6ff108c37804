//! The rules a car park's record follows, wherever it comes from (an operator's `PUT`, the
//! operator's file through `civic-gateway import-lots`), and reading that file: TOML, one
//! `[[lots]]` table per car park in the shape the API serves.

use std::collections::HashSet;
use std::path::Path;

use civic_types::parking::Lot;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LotsFileError {
    #[error("{path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Toml {
        path: String,
        source: Box<toml::de::Error>,
    },
    #[error("{path}: car park `{id}`: {problem}")]
    Lot {
        path: String,
        id: String,
        problem: &'static str,
    },
}

/// What is wrong with a car park's record under `id`, if anything.
pub fn problem(id: &str, lot: &Lot) -> Option<&'static str> {
    let id_ok = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    let place_ok = (-90.0..=90.0).contains(&lot.lat) && (-180.0..=180.0).contains(&lot.lon);
    if !id_ok || !place_ok || lot.name.trim().is_empty() || lot.kinds.is_empty() {
        return Some(
            "a car park needs an id (letters, digits, - _), a name, a place and the kinds it takes",
        );
    }
    if lot.free.is_some_and(|f| f > lot.capacity) {
        return Some("more free spaces than the car park has");
    }
    None
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct LotsFile {
    lots: Vec<toml::Table>,
}

/// A table as a car park; a key the record does not have (`fre = 10`) is a mistake the
/// operator must hear about, though the API itself ignores unknown fields.
fn lot_of(table: toml::Table) -> Result<Lot, &'static str> {
    let lot: Lot = table
        .clone()
        .try_into()
        .map_err(|_| "a field is missing or has the wrong type")?;
    let known = toml::Table::try_from(&lot).map_err(|_| "cannot be written back")?;
    if table.keys().any(|key| !known.contains_key(key)) {
        return Err("unknown field (see assets/parking/da-nang-lots.toml)");
    }
    Ok(lot)
}

/// The car parks of an operator's file, each checked, ids unique; the whole file is refused
/// at its first problem.
pub fn read_file(path: &Path) -> Result<Vec<Lot>, LotsFileError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| LotsFileError::Read {
        path: shown.clone(),
        source,
    })?;
    let file: LotsFile = toml::from_str(&text).map_err(|source| LotsFileError::Toml {
        path: shown.clone(),
        source: Box::new(source),
    })?;
    let mut lots = Vec::with_capacity(file.lots.len());
    let mut seen = HashSet::new();
    for (n, table) in file.lots.into_iter().enumerate() {
        let named = table
            .get("id")
            .and_then(toml::Value::as_str)
            .map_or_else(|| format!("#{}", n + 1), str::to_owned);
        let checked = lot_of(table).and_then(|lot| match problem(&lot.id, &lot) {
            Some(problem) => Err(problem),
            None if !seen.insert(lot.id.clone()) => Err("the id is used twice in the file"),
            None => Ok(lot),
        });
        match checked {
            Ok(lot) => lots.push(lot),
            Err(problem) => {
                return Err(LotsFileError::Lot {
                    path: shown,
                    id: named,
                    problem,
                });
            }
        }
    }
    Ok(lots)
}
