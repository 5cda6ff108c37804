use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchRequest {
    pub query: String,
    /// Type-ahead: the last word may be unfinished and is matched as a prefix.
    #[serde(default)]
    pub prefix: bool,
    #[serde(default)]
    pub filters: SearchFilters,
    pub limit: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchFilters {
    pub field: Option<String>,
    pub level: Option<String>,
    pub agency: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub code: String,
    pub name: String,
    pub field: String,
    pub levels: Vec<String>,
    /// Higher is better; comparable only within one result list.
    pub score: f64,
    /// Why it matched: the words of `name` the query accounts for, as byte ranges.
    #[serde(default)]
    pub highlights: Vec<Highlight>,
}

/// A byte range of a text (`start..end`), on character boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Highlight {
    pub start: u32,
    pub end: u32,
}

/// How well the best result answers the query.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchQuality {
    /// The first result's name holds most of what was asked.
    Good,
    /// Nothing holds most of what was asked: the results are only related; say so, and
    /// offer `closest_fields`.
    Weak,
    /// No procedure holds any of the words.
    #[default]
    None,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// How the query was understood after folding, keystroke decoding and synonyms,
    /// so the UI can say "showing results for …". Empty when read as typed.
    pub understood_as: String,
    #[serde(default)]
    pub quality: MatchQuality,
    /// When the match is weak: the fields the related results come from, most first, so a
    /// resident can browse one instead of trusting a poor first result.
    #[serde(default)]
    pub closest_fields: Vec<FacetValue>,
}

/// Values that filters can take, with how many procedures carry each.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    pub fields: Vec<FacetValue>,
    pub levels: Vec<FacetValue>,
    pub agencies: Vec<FacetValue>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    pub value: String,
    pub count: u32,
}
