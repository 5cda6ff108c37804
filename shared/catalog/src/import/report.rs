use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What an import did with each structured field, for the committed report and the CLI.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub procedures: usize,
    /// Source field name → counts.
    pub fields: BTreeMap<String, FieldCounts>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldCounts {
    /// Records where the field was split into structure.
    pub parsed: usize,
    /// Records where it could not be, and was kept verbatim.
    pub kept_as_text: usize,
    /// Records where the portal gave nothing.
    pub empty: usize,
    /// Rows (channels, documents, laws …) produced from the parsed records.
    pub rows: usize,
}

impl ImportReport {
    pub fn kept_as_text(&self) -> usize {
        self.fields.values().map(|c| c.kept_as_text).sum()
    }
}

impl std::fmt::Display for ImportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "procedures imported: {}", self.procedures)?;
        writeln!(
            f,
            "{:<22} {:>7} {:>13} {:>6} {:>7}",
            "field", "parsed", "kept as text", "empty", "rows"
        )?;
        for (field, c) in &self.fields {
            writeln!(
                f,
                "{field:<22} {:>7} {:>13} {:>6} {:>7}",
                c.parsed, c.kept_as_text, c.empty, c.rows
            )?;
        }
        Ok(())
    }
}
