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
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// How the query was understood after folding, keystroke decoding and synonyms,
    /// so the UI can say "showing results for …".
    pub understood_as: String,
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
